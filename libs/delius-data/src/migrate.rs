//! Dev/test migrations that create the Delius tables and seed reference data. In production the
//! schema belongs to Delius and the services never run these.

use anyhow::Context;
use diesel::Connection;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::AsyncPgConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Applies every pending migration to the database at `database_url`.
pub async fn run_migrations(database_url: &str) -> anyhow::Result<()> {
    let url = database_url.to_owned();
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::establish(&url)
            .with_context(|| format!("connecting to {}", redact(&url)))?;
        conn.run_pending_migrations(MIGRATIONS)
            .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
        Ok(())
    })
    .await
    .context("migration task panicked")?
}

/// The URL without its password, for messages.
pub fn redact(database_url: &str) -> String {
    match url::Url::parse(database_url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => database_url.to_owned(),
    }
}

/// Changes whenever any migration file changes (computed at build time).
pub const MIGRATIONS_FINGERPRINT: &str = env!("DELIUS_MIGRATIONS_FINGERPRINT");
