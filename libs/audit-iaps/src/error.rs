//! Errors of the audit library.

use diesel_async::pooled_connection::deadpool::PoolError;

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// Start-up must stop here: every audit row and `created_by_user_id` needs this user.
    #[error(
        "DB Username Not Found: no user_ row with distinguished_name '{0}' — the service's Delius audit user must exist before it starts"
    )]
    ServiceUserNotFound(String),

    #[error("Business interaction not found: no business_interaction row with business_interaction_code '{0}'")]
    BusinessInteractionNotFound(String),

    /// Every retry landed on a microsecond another row of the same interaction and user holds.
    #[error("could not write the {code} audit row: the timestamp collided {attempts} times")]
    TimestampCollision { code: String, attempts: u32 },

    #[error("audit database error: {0}")]
    Database(#[from] diesel::result::Error),

    #[error("could not check out a database connection for auditing: {0}")]
    Pool(#[from] PoolError),
}
