//! The service's Delius user (`user_`), whose id goes on every audit row.

use delius_data::schema::user_;
use delius_data::DbPool;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::error::AuditError;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = user_, check_for_backend(diesel::pg::Pg))]
pub struct ServiceUser {
    #[diesel(column_name = user_id)]
    pub id: i64,
    #[diesel(column_name = distinguished_name)]
    pub username: String,
}

/// Looks up the service's audit user by `distinguished_name` (exact match, as the deployment
/// pipeline creates it). Call at start-up and refuse to start on
/// [`AuditError::ServiceUserNotFound`].
pub async fn resolve_service_user(
    pool: &DbPool,
    username: &str,
) -> Result<ServiceUser, AuditError> {
    let mut conn = pool.get().await?;
    user_::table
        .filter(user_::distinguished_name.eq(username))
        .select(ServiceUser::as_select())
        .first(&mut conn)
        .await
        .optional()?
        .ok_or_else(|| AuditError::ServiceUserNotFound(username.to_owned()))
}
