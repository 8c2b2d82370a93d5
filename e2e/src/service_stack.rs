//! One service binary on its own local stack, as a black-box test needs it: a scratch database
//! migrated and seeded with the service's `dev-seed.sql`, the simulator, the provisioned emulator
//! with the service's queue purged, and the service started against them. Tests then publish
//! example messages to the topic and poll the database.

use std::path::Path;
use std::time::Duration;

use anyhow::Context as _;

use crate::db::{self, ScratchDatabase};
use crate::stack::{self, FixedNames, ServiceProcess, Simulator};
use crate::{local_stack_path, process, sqs, wait, workspace_root};

/// How long set-up commands and database waits may take.
pub const LIMIT: Duration = Duration::from_secs(60);

pub struct ServiceStack {
    pub service: ServiceProcess,
    pub simulator: Simulator,
    pub database: ScratchDatabase,
    pub endpoint: String,
    _names: FixedNames,
}

impl ServiceStack {
    pub async fn start(name: &str) -> anyhow::Result<Self> {
        Self::start_with_visibility(name, None).await
    }

    /// As [`ServiceStack::start`], with the queue's visibility timeout (and the service's idea
    /// of it) set to `seconds` before the service starts. Set later, it would not apply to a
    /// long poll already waiting at the emulator: moto fixes a receive's visibility timeout when
    /// the call arrives, so the first message would stay hidden for the old 30 s.
    pub async fn start_with_visibility(name: &str, seconds: Option<u32>) -> anyhow::Result<Self> {
        let names = stack::fixed_names().await;
        let endpoint = sqs::endpoint();
        let simulator = Simulator::start().await.context("simulator")?;
        let database = ScratchDatabase::create().await?;
        let seed = workspace_root().join(format!("projects/{name}/dev-seed.sql"));
        let mut commands = vec![vec![
            "migrate".to_owned(),
            "--database-url".to_owned(),
            database.url.clone(),
        ]];
        if seed.exists() {
            commands.push(vec![
                "seed".to_owned(),
                "--database-url".to_owned(),
                database.url.clone(),
                seed.to_string_lossy().into_owned(),
            ]);
        }
        for args in commands {
            process::run(process::local_stack().args(&args), LIMIT)
                .await?
                .success()
                .with_context(|| format!("local-stack {}", args[0]))?;
        }
        stack::provision(&endpoint).await?;
        let client = sqs::client(&endpoint).await;
        let queue = sqs::Queue::named(&client, &format!("{name}-queue")).await?;
        queue.purge().await?;
        let mut overrides = Vec::new();
        if let Some(seconds) = seconds {
            queue.set_visibility_timeout(seconds).await?;
            overrides.push((
                "MESSAGING_CONSUMER_VISIBILITY_TIMEOUT_SECONDS",
                seconds.to_string(),
            ));
        }
        let service =
            ServiceProcess::start_with(name, &database.url, &endpoint, &simulator, &overrides)
                .await?;
        Ok(Self {
            service,
            simulator,
            database,
            endpoint,
            _names: names,
        })
    }

    /// Publishes example messages from `crates/local-stack/messages/<service>/` to the topic.
    pub async fn publish(&self, messages: &[&str]) -> anyhow::Result<()> {
        let paths: Vec<_> = messages
            .iter()
            .map(|m| local_stack_path(&format!("messages/{}/{m}", self.service.name)))
            .collect();
        let files: Vec<&Path> = paths.iter().map(|p| p.as_path()).collect();
        stack::publish(&self.endpoint, &self.simulator.base_url(), &files).await?;
        Ok(())
    }

    /// Waits until `sql` (a `count(*) AS n` query) gives `expected`.
    pub async fn wait_for_count(&self, sql: &str, expected: i64) -> anyhow::Result<()> {
        let mut conn = self.database.connect().await?;
        let deadline = tokio::time::Instant::now() + LIMIT;
        loop {
            let n = db::count(&mut conn, sql).await?;
            if n == expected {
                return Ok(());
            }
            if tokio::time::Instant::now() >= deadline {
                anyhow::bail!(
                    "{n} of {expected} after {LIMIT:?}: {sql}\n{}",
                    self.service.log_tail()
                );
            }
            tokio::time::sleep(wait::INTERVAL).await;
        }
    }

    pub async fn count(&self, sql: &str) -> anyhow::Result<i64> {
        db::count(&mut self.database.connect().await?, sql).await
    }
}
