//! The async connection pool (diesel-async + deadpool).

use std::time::Duration;

use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

pub type DbPool = Pool<AsyncPgConnection>;
pub type DbConnection = Object<AsyncPgConnection>;

#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    #[error("could not build the database pool: {0}")]
    Build(String),
    #[error("database is not reachable: {0}")]
    Unreachable(String),
}

/// A pool of at most `max_size` connections; checkouts wait at most `wait_timeout`.
pub fn build_pool(
    database_url: &str,
    max_size: usize,
    wait_timeout: Duration,
) -> Result<DbPool, PoolError> {
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(database_url);
    Pool::builder(manager)
        .max_size(max_size)
        .wait_timeout(Some(wait_timeout))
        .create_timeout(Some(wait_timeout))
        .runtime(deadpool::Runtime::Tokio1)
        .build()
        .map_err(|e| PoolError::Build(e.to_string()))
}

/// Succeeds when a connection can be checked out and answers `SELECT 1` (readiness check).
pub async fn check(pool: &DbPool) -> Result<(), PoolError> {
    let mut conn = pool
        .get()
        .await
        .map_err(|e| PoolError::Unreachable(e.to_string()))?;
    diesel::sql_query("SELECT 1")
        .execute(&mut conn)
        .await
        .map_err(|e| PoolError::Unreachable(e.to_string()))?;
    Ok(())
}
