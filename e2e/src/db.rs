//! Scratch databases on the test PostgreSQL: created empty through the admin URL, dropped when
//! the value is dropped.

use std::collections::BTreeMap;

use anyhow::Context;
use diesel::sql_types::{BigInt, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

/// Where tests find PostgreSQL (a user that may create databases); `make test` sets it.
pub const ADMIN_URL_VARIABLE: &str = "PI_TEST_DATABASE_URL";
const DEFAULT_ADMIN_URL: &str = "postgres://delius:delius@127.0.0.1:55432/postgres";

pub fn admin_url() -> String {
    std::env::var(ADMIN_URL_VARIABLE)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| DEFAULT_ADMIN_URL.to_owned())
}

/// `url` pointing at `database` instead.
pub fn with_database(url: &str, database: &str) -> anyhow::Result<String> {
    let mut parsed = url::Url::parse(url).with_context(|| format!("{url:?} is not a URL"))?;
    parsed.set_path(database);
    Ok(parsed.to_string())
}

pub async fn connect(url: &str) -> anyhow::Result<AsyncPgConnection> {
    AsyncPgConnection::establish(url).await.with_context(|| {
        format!(
            "cannot reach PostgreSQL at {} (run `make infra`, or set {ADMIN_URL_VARIABLE})",
            redact(url)
        )
    })
}

fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_owned(),
    }
}

/// An empty database named `e2e_<uuid>`.
pub struct ScratchDatabase {
    pub name: String,
    pub url: String,
}

impl ScratchDatabase {
    pub async fn create() -> anyhow::Result<Self> {
        let name = format!("e2e_{}", uuid::Uuid::new_v4().simple());
        let mut admin = connect(&admin_url()).await?;
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .with_context(|| format!("CREATE DATABASE {name}"))?;
        Ok(Self {
            url: with_database(&admin_url(), &name)?,
            name,
        })
    }

    pub async fn connect(&self) -> anyhow::Result<AsyncPgConnection> {
        connect(&self.url).await
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop is not async: a short-lived thread with its own runtime drops the database.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let mut admin = connect(&admin_url()).await.ok()?;
                diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut admin)
                    .await
                    .ok()
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(_))) {
            eprintln!("e2e: could not drop database {}", self.name);
        }
    }
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(diesel::QueryableByName)]
struct TableRows {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The first column (`AS n`, a bigint) of a one-row query.
pub async fn count(conn: &mut AsyncPgConnection, sql: &str) -> anyhow::Result<i64> {
    let row: Count = diesel::sql_query(sql)
        .get_result(conn)
        .await
        .with_context(|| format!("running {sql}"))?;
    Ok(row.n)
}

/// Row count of every table in the `public` schema.
pub async fn row_counts(conn: &mut AsyncPgConnection) -> anyhow::Result<BTreeMap<String, i64>> {
    let rows: Vec<TableRows> = diesel::sql_query(
        "SELECT table_name::text AS table_name,
                (xpath('/row/n/text()',
                       query_to_xml(format('SELECT count(*) AS n FROM %I.%I', table_schema, table_name),
                                    false, true, '')))[1]::text::bigint AS n
         FROM information_schema.tables
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    )
    .load(conn)
    .await
    .context("counting the rows of every table")?;
    Ok(rows.into_iter().map(|r| (r.table_name, r.n)).collect())
}
