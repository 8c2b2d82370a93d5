//! Dev seed data for `make run`: each service may ship a `dev-seed.sql` with the people its
//! example messages name. Each file runs in its own transaction; files must be idempotent.

use std::path::PathBuf;

use anyhow::Context;
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};

pub async fn run(database_url: &str, files: &[PathBuf]) -> anyhow::Result<()> {
    let mut conn = AsyncPgConnection::establish(database_url)
        .await
        .with_context(|| {
            format!(
                "connecting to {}",
                delius_data::migrate::redact(database_url)
            )
        })?;
    for file in files {
        let sql =
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        conn.batch_execute(&format!("BEGIN;\n{sql}\n;COMMIT;"))
            .await
            .with_context(|| format!("running {}", file.display()))?;
        println!("seeded {}", file.display());
    }
    Ok(())
}
