//! What the soak needs from each service: its handler, the n-th message for it, and a count of the
//! rows its messages should have left; plus the wrapper that counts outcomes.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use async_trait::async_trait;
use axum::Router;
use delius_data::DbPool;
use diesel::sql_types::BigInt;
use diesel_async::RunQueryDsl;
use messaging::{Notification, NotificationHandler, Outcome};
use test_support::bench::Latencies;
use tokio_util::sync::CancellationToken;

#[async_trait]
pub trait Workload: Send + Sync {
    fn name(&self) -> &'static str;
    fn handler(&self) -> Arc<dyn NotificationHandler>;
    /// The outcome names that count as this service's message `i` having been handled.
    fn expected_outcomes(&self) -> &'static [&'static str];
    /// The SNS envelope of this service's `i`-th message (each `i` once, from 0).
    fn message(&self, i: usize) -> String;
    /// After `count` messages: what should be in the database and what is.
    async fn rows(&self, count: usize) -> anyhow::Result<Vec<RowCount>>;
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct RowCount {
    pub what: String,
    pub expected: i64,
    pub found: i64,
}

impl RowCount {
    pub fn new(what: impl Into<String>, expected: usize, found: i64) -> Self {
        Self {
            what: what.into(),
            expected: expected as i64,
            found,
        }
    }
}

/// Wraps a service's handler and counts how its messages ended. A fixed set of counters, so the
/// soak's own memory does not grow with the number of messages.
pub struct Counted {
    inner: Arc<dyn NotificationHandler>,
    expected: &'static [&'static str],
    pub calls: AtomicU64,
    pub handled: AtomicU64,
    pub unexpected: AtomicU64,
    /// Handler time per message, with room for all of them reserved up front.
    pub latencies: Latencies,
    /// The first message that ended otherwise, to say why the soak failed.
    pub first_unexpected: Mutex<Option<String>>,
}

impl Counted {
    /// `messages`: how many this service will be sent.
    pub fn new(workload: &dyn Workload, messages: usize) -> Self {
        Self {
            inner: workload.handler(),
            expected: workload.expected_outcomes(),
            calls: AtomicU64::new(0),
            handled: AtomicU64::new(0),
            unexpected: AtomicU64::new(0),
            latencies: Latencies::with_capacity(messages),
            first_unexpected: Mutex::new(None),
        }
    }

    fn note_unexpected(&self, what: String) {
        self.unexpected.fetch_add(1, Ordering::Relaxed);
        let mut first = self
            .first_unexpected
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if first.is_none() {
            *first = Some(what);
        }
    }
}

#[async_trait]
impl NotificationHandler for Counted {
    async fn handle(&self, notification: &Notification) -> anyhow::Result<Outcome> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        let result = self.inner.handle(notification).await;
        self.latencies.record(started.elapsed());
        match &result {
            Ok(outcome) if self.expected.contains(&outcome.name()) => {
                self.handled.fetch_add(1, Ordering::Relaxed);
            }
            Ok(outcome) => self.note_unexpected(format!("outcome {}", outcome.name())),
            Err(e) => self.note_unexpected(format!("error {e:#}")),
        }
        result
    }
}

/// An upstream stub on a local port; stops when dropped.
pub struct Stub {
    pub base_url: String,
    shutdown: CancellationToken,
}

impl Stub {
    pub async fn serve(app: Router) -> anyhow::Result<Self> {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let shutdown = CancellationToken::new();
        let stop = shutdown.clone();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move { stop.cancelled().await })
                .await;
        });
        Ok(Self { base_url, shutdown })
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// A NOMS number for person `i` of a service: a letter per 10,000 people, so one service can have
/// more people than the four digits allow. `suffix` keeps services' numbers apart. The services'
/// `tests/fixtures/people.sql` give their people the same numbers.
pub fn noms(i: usize, suffix: &str) -> String {
    let letter = char::from(b'A' + (i / 10_000 % 26) as u8);
    format!("{letter}{:04}{suffix}", i % 10_000)
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// `sql` must select one `count(*) AS n`.
pub async fn count(pool: &DbPool, sql: &str) -> anyhow::Result<i64> {
    let mut conn = pool.get().await?;
    let row: Count = diesel::sql_query(sql).get_result(&mut conn).await?;
    Ok(row.n)
}
