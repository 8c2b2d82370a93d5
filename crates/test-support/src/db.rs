//! A fresh, migrated database per test, copied from a template database that is migrated once.
//! Copying a template takes milliseconds, so tests stay isolated and can run in parallel.

use std::sync::OnceLock;
use std::time::Duration;

use anyhow::Context;
use delius_data::migrate::{redact, run_migrations, MIGRATIONS_FINGERPRINT};
use delius_data::{DbConnection, DbPool};
use diesel::sql_types::{BigInt, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use tokio::sync::Mutex;

/// Where tests find PostgreSQL: an admin URL (any database the user may connect to; the user
/// must be allowed to create databases). `make test` starts the server and sets this.
pub const ADMIN_URL_VARIABLE: &str = "PI_TEST_DATABASE_URL";
const DEFAULT_ADMIN_URL: &str = "postgres://delius:delius@127.0.0.1:55432/postgres";

fn admin_url() -> String {
    std::env::var(ADMIN_URL_VARIABLE).unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_owned())
}

fn with_database(url: &str, database: &str) -> anyhow::Result<String> {
    let mut parsed =
        url::Url::parse(url).with_context(|| format!("{ADMIN_URL_VARIABLE} is not a URL"))?;
    parsed.set_path(database);
    Ok(parsed.to_string())
}

async fn admin_connection() -> anyhow::Result<AsyncPgConnection> {
    let url = admin_url();
    AsyncPgConnection::establish(&url).await.with_context(|| {
        format!(
            "cannot reach the test PostgreSQL at {} — run `make test`, or start it with `scripts/postgres.sh start`",
            redact(&url)
        )
    })
}

fn template_name() -> String {
    format!("delius_template_{MIGRATIONS_FINGERPRINT}")
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn database_exists(conn: &mut AsyncPgConnection, name: &str) -> anyhow::Result<bool> {
    let row: Count = diesel::sql_query("SELECT count(*) AS n FROM pg_database WHERE datname = $1")
        .bind::<Text, _>(name)
        .get_result(conn)
        .await?;
    Ok(row.n > 0)
}

/// Creates the template once per fingerprint. An advisory lock keeps concurrent test processes
/// from building it twice; it is built under a temporary name and renamed, so a half-built
/// template is never used.
async fn ensure_template() -> anyhow::Result<String> {
    static READY: OnceLock<String> = OnceLock::new();
    static BUILDING: Mutex<()> = Mutex::const_new(());
    if let Some(name) = READY.get() {
        return Ok(name.clone());
    }
    let _guard = BUILDING.lock().await;
    if let Some(name) = READY.get() {
        return Ok(name.clone());
    }
    let name = template_name();
    let mut admin = admin_connection().await?;
    diesel::sql_query("SELECT pg_advisory_lock(8152026)")
        .execute(&mut admin)
        .await?;
    let built = build_template_if_missing(&mut admin, &name).await;
    diesel::sql_query("SELECT pg_advisory_unlock(8152026)")
        .execute(&mut admin)
        .await?;
    built?;
    let _ = READY.set(name.clone());
    Ok(name)
}

async fn build_template_if_missing(
    admin: &mut AsyncPgConnection,
    name: &str,
) -> anyhow::Result<()> {
    if database_exists(admin, name).await? {
        return Ok(());
    }
    let building = format!("{name}_building");
    diesel::sql_query(format!("DROP DATABASE IF EXISTS {building}"))
        .execute(admin)
        .await?;
    diesel::sql_query(format!("CREATE DATABASE {building}"))
        .execute(admin)
        .await?;
    run_migrations(&with_database(&admin_url(), &building)?)
        .await
        .context("migrating the template database")?;
    diesel::sql_query(format!("ALTER DATABASE {building} RENAME TO {name}"))
        .execute(admin)
        .await?;
    diesel::sql_query(format!("ALTER DATABASE {name} IS_TEMPLATE true"))
        .execute(admin)
        .await?;
    Ok(())
}

/// A database of its own for one test: migrated and seeded with the reference data, dropped
/// when the value is dropped.
pub struct TestDatabase {
    name: String,
    url: String,
    pool: DbPool,
}

impl TestDatabase {
    pub async fn new() -> anyhow::Result<Self> {
        let template = ensure_template().await?;
        let name = format!("delius_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = admin_connection().await?;
        diesel::sql_query(format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .execute(&mut admin)
            .await
            .with_context(|| format!("creating {name} from {template}"))?;
        let url = with_database(&admin_url(), &name)?;
        let pool = delius_data::build_pool(&url, 16, Duration::from_secs(10))?;
        Ok(Self { name, url, pool })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn pool(&self) -> DbPool {
        self.pool.clone()
    }

    pub async fn conn(&self) -> anyhow::Result<DbConnection> {
        self.pool
            .get()
            .await
            .context("checking out a test connection")
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        self.pool.close();
        let name = self.name.clone();
        // Drop runs outside async context; a short-lived thread with its own runtime does the
        // cleanup without blocking the test's runtime.
        let handle = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async {
                if let Ok(mut admin) = admin_connection().await {
                    let _ =
                        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                            .execute(&mut admin)
                            .await;
                }
            });
        });
        let _ = handle.join();
    }
}
