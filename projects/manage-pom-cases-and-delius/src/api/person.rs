//! The person a `{crn}` path names, shared by the MAPPA and RoSH endpoints, and the one way the
//! API says that no such person exists.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use delius_data::schema::offender;

use super::errors::ApiError;
use super::identifier::Identifier;

/// The offender id of the non-deleted person with this CRN.
pub async fn person_id(conn: &mut AsyncPgConnection, crn: &str) -> QueryResult<Option<i64>> {
    offender::table
        .filter(offender::crn.eq(crn))
        .filter(offender::soft_deleted.eq(0))
        .select(offender::offender_id)
        .first(conn)
        .await
        .optional()
}

/// True when a non-deleted person has this CRN.
pub async fn person_exists(conn: &mut AsyncPgConnection, crn: &str) -> QueryResult<bool> {
    Ok(person_id(conn, crn).await?.is_some())
}

/// 404 `Person with crn of X not found` (or `nomsId of X`).
pub fn person_not_found(identifier: Identifier<'_>) -> ApiError {
    ApiError::not_found("Person", identifier)
}
