//! The async connection pool (diesel-async + deadpool).

use std::time::Duration;

use diesel::{ConnectionError, ConnectionResult};
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use futures::FutureExt;

pub type DbPool = Pool<AsyncPgConnection>;
pub type DbConnection = Object<AsyncPgConnection>;

#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    #[error("could not build the database pool: {0}")]
    Build(String),
    #[error("database is not reachable: {0}")]
    Unreachable(String),
}

/// How long a statement waits for a row lock before failing. A message blocked on another's
/// `FOR UPDATE` then fails with a transient error and is retried, instead of holding its
/// connection (and, through the visibility heartbeat, its message) indefinitely.
pub const LOCK_TIMEOUT: &str = "10s";

/// A pool of at most `max_size` connections; checkouts wait at most `wait_timeout`. Every
/// connection gets the [`LOCK_TIMEOUT`] and Delius's Europe/London time zone.
pub fn build_pool(
    database_url: &str,
    max_size: usize,
    wait_timeout: Duration,
) -> Result<DbPool, PoolError> {
    let mut config = ManagerConfig::default();
    config.custom_setup = Box::new(|url| establish_with_session_settings(url).boxed());
    let manager =
        AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(database_url, config);
    Pool::builder(manager)
        .max_size(max_size)
        .wait_timeout(Some(wait_timeout))
        .create_timeout(Some(wait_timeout))
        .runtime(deadpool::Runtime::Tokio1)
        .build()
        .map_err(|e| PoolError::Build(e.to_string()))
}

async fn establish_with_session_settings(url: &str) -> ConnectionResult<AsyncPgConnection> {
    let mut conn = AsyncPgConnection::establish(url).await?;
    conn.batch_execute(&format!(
        "SET lock_timeout = '{LOCK_TIMEOUT}'; SET TIME ZONE 'Europe/London'"
    ))
    .await
    .map_err(ConnectionError::CouldntSetupConfiguration)?;
    Ok(conn)
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
