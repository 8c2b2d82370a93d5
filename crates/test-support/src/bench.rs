//! The parts every throughput benchmark shares: latency percentiles, a handler wrapper that times
//! each message and checks its outcome, draining a filled in-memory queue through the platform
//! consumer, peak memory, and the Markdown + JSON report under `target/bench/`.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use messaging::{
    Consumer, ConsumerConfig, InMemoryQueue, Notification, NotificationHandler, Outcome, Queue,
    Telemetry, TransientClassifier,
};
use serde::Serialize;
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

/// Durations recorded from many tasks at once (a short lock per sample, never across an await).
#[derive(Debug, Default)]
pub struct Latencies {
    nanos: Mutex<Vec<u64>>,
}

/// Nearest-rank percentiles of the recorded durations, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LatencySummary {
    pub samples: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl Latencies {
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            nanos: Mutex::new(Vec::with_capacity(capacity)),
        }
    }

    fn samples(&self) -> MutexGuard<'_, Vec<u64>> {
        // Pushing a number cannot leave the vector inconsistent, so a poisoned lock is usable.
        self.nanos
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn record(&self, elapsed: Duration) {
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        self.samples().push(nanos);
    }

    /// `None` when nothing was recorded.
    pub fn summary(&self) -> Option<LatencySummary> {
        summarise(self.samples().clone())
    }

    /// The summary so far, then starts again empty.
    pub fn take(&self) -> Option<LatencySummary> {
        summarise(std::mem::take(&mut *self.samples()))
    }
}

fn summarise(mut nanos: Vec<u64>) -> Option<LatencySummary> {
    nanos.sort_unstable();
    let max = *nanos.last()?;
    Some(LatencySummary {
        samples: nanos.len(),
        p50_ms: millis(percentile(&nanos, 50.0)),
        p99_ms: millis(percentile(&nanos, 99.0)),
        max_ms: millis(max),
    })
}

fn millis(nanos: u64) -> f64 {
    nanos as f64 / 1_000_000.0
}

/// Nearest rank: the smallest sample with at least `p` percent of samples at or below it.
/// `sorted` must be non-empty and ascending.
fn percentile(sorted: &[u64], p: f64) -> u64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    let index = rank.clamp(1, sorted.len()) - 1;
    sorted[index]
}

/// One measured scenario: how many operations, how long, and their latencies.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioResult {
    pub scenario: &'static str,
    pub description: String,
    pub operations: usize,
    pub seconds: f64,
    pub per_second: f64,
    pub latency: Option<LatencySummary>,
}

impl ScenarioResult {
    pub fn new(
        scenario: &'static str,
        description: impl Into<String>,
        operations: usize,
        elapsed: Duration,
        latency: Option<LatencySummary>,
    ) -> Self {
        let seconds = elapsed.as_secs_f64();
        Self {
            scenario,
            description: description.into(),
            operations,
            seconds,
            per_second: operations as f64 / seconds.max(f64::MIN_POSITIVE),
            latency,
        }
    }
}

/// Wraps a service's handler: times every message and counts results other than the expected
/// outcome, so a benchmark cannot report a fast run of failures.
pub struct TimedHandler<H> {
    inner: H,
    pub latencies: Latencies,
    expected: Mutex<Vec<String>>,
    unexpected: AtomicUsize,
}

impl<H: NotificationHandler> TimedHandler<H> {
    pub fn new(inner: H) -> Self {
        Self {
            inner,
            latencies: Latencies::default(),
            expected: Mutex::new(Vec::new()),
            unexpected: AtomicUsize::new(0),
        }
    }

    /// The outcome names that count as success from now on.
    pub fn expect(&self, outcomes: &[&str]) {
        *self.expected.lock().unwrap_or_else(|e| e.into_inner()) =
            outcomes.iter().map(|s| (*s).to_owned()).collect();
    }

    /// Messages that ended otherwise since the last call.
    pub fn take_unexpected(&self) -> usize {
        self.unexpected.swap(0, Ordering::SeqCst)
    }
}

#[async_trait]
impl<H: NotificationHandler> NotificationHandler for TimedHandler<H> {
    async fn handle(&self, notification: &Notification) -> anyhow::Result<Outcome> {
        let started = Instant::now();
        let result = self.inner.handle(notification).await;
        self.latencies.record(started.elapsed());
        let expected = match &result {
            Ok(outcome) => self
                .expected
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .any(|name| name == outcome.name()),
            Err(_) => false,
        };
        if !expected {
            self.unexpected.fetch_add(1, Ordering::Relaxed);
        }
        result
    }
}

/// Fills an in-memory queue with `bodies`, then times the platform consumer (`concurrency`
/// workers) until every message is deleted. Fails when any message ended other than as
/// `handler` expects, or was dead-lettered.
pub async fn drain_through_consumer<H: NotificationHandler>(
    handler: &Arc<TimedHandler<H>>,
    bodies: impl IntoIterator<Item = String>,
    concurrency: usize,
    classifier: TransientClassifier,
) -> anyhow::Result<Duration> {
    let queue = InMemoryQueue::new("bench-queue");
    for body in bodies {
        queue.send(&body).await?;
    }
    let config = ConsumerConfig {
        concurrency,
        wait_time: Duration::from_millis(20),
        ..ConsumerConfig::default()
    };
    let consumer = Consumer::new(
        Arc::new(queue.clone()),
        handler.clone(),
        config,
        Telemetry::new(),
        classifier,
    );
    let shutdown = CancellationToken::new();
    let started = Instant::now();
    let task = tokio::spawn(consumer.run(shutdown.clone()));
    let deadline = started + Duration::from_secs(600);
    while queue.pending() > 0 {
        anyhow::ensure!(
            Instant::now() < deadline,
            "{} messages left after 600 s",
            queue.pending()
        );
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let elapsed = started.elapsed();
    shutdown.cancel();
    task.await?;
    let unexpected = handler.take_unexpected();
    anyhow::ensure!(
        unexpected == 0 && queue.dead_letters().is_empty(),
        "{unexpected} messages did not end in the expected outcome"
    );
    Ok(elapsed)
}

/// One message scenario: drains `bodies` through the consumer, expecting `outcomes`, and returns
/// its result with the handler's latencies.
pub async fn message_scenario<H: NotificationHandler>(
    handler: &Arc<TimedHandler<H>>,
    scenario: &'static str,
    description: &str,
    outcomes: &[&str],
    bodies: Vec<String>,
    concurrency: usize,
    classifier: TransientClassifier,
) -> anyhow::Result<ScenarioResult> {
    handler.latencies.take();
    handler.expect(outcomes);
    let count = bodies.len();
    let elapsed = drain_through_consumer(handler, bodies, concurrency, classifier).await?;
    Ok(ScenarioResult::new(
        scenario,
        description,
        count,
        elapsed,
        handler.latencies.take(),
    ))
}

/// Runs `operation(i)` for every `i` in `range` from `concurrency` tasks (each takes the next
/// index when it finishes one) and times each call: a closed-loop load, as from `concurrency`
/// clients. Stops at the first error.
pub async fn run_concurrently<F, Fut>(
    concurrency: usize,
    range: std::ops::Range<usize>,
    operation: F,
) -> anyhow::Result<(Duration, Option<LatencySummary>)>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = anyhow::Result<()>> + Send + 'static,
{
    let next = Arc::new(AtomicUsize::new(range.start));
    let latencies = Arc::new(Latencies::with_capacity(range.len()));
    let operation = Arc::new(operation);
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (next, latencies, operation, end) = (
            next.clone(),
            latencies.clone(),
            operation.clone(),
            range.end,
        );
        tasks.spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= end {
                    return anyhow::Ok(());
                }
                let t = Instant::now();
                operation(i).await?;
                latencies.record(t.elapsed());
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done??;
    }
    Ok((started.elapsed(), latencies.summary()))
}

/// Resident memory of this process, from /proc (kB).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Memory {
    pub peak_rss_kb: Option<u64>,
    pub rss_kb: Option<u64>,
}

impl Memory {
    pub fn now() -> Self {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        };
        Self {
            peak_rss_kb: field("VmHWM:"),
            rss_kb: field("VmRSS:"),
        }
    }
}

/// Logs like a deployed service (JSON at info) into a sink: formatting costs count, I/O does not.
pub fn log_like_production() {
    let _ = tracing_subscriber::fmt()
        .json()
        .with_writer(std::io::sink)
        .with_env_filter("info")
        .try_init();
}

/// A benchmark's results, written as `target/bench/<name>.md` and `.json` and printed.
pub struct Report {
    /// File stem, e.g. `prison-case-notes`.
    pub name: &'static str,
    pub title: &'static str,
    /// What the operations are, e.g. `msgs` or `req`.
    pub unit: &'static str,
    pub quick: bool,
    pub settings: Value,
    pub results: Vec<ScenarioResult>,
    /// Sentences printed under the table (ratios, targets).
    pub findings: Vec<String>,
    /// Extra top-level JSON fields.
    pub extra: Value,
    pub memory: Memory,
    pub memory_note: &'static str,
}

impl Report {
    /// Operations per second of a scenario.
    pub fn rate(&self, scenario: &str) -> Option<f64> {
        self.results
            .iter()
            .find(|r| r.scenario == scenario)
            .map(|r| r.per_second)
    }

    pub fn markdown(&self) -> String {
        let unit = self.unit;
        let mut md = format!(
            "# {} benchmark\n\n| scenario | {unit} | seconds | {unit}/s | p50 ms | p99 ms | max ms |\n| --- | --- | --- | --- | --- | --- | --- |\n",
            self.title
        );
        for r in &self.results {
            let (p50, p99, max) = r
                .latency
                .as_ref()
                .map_or((0.0, 0.0, 0.0), |l| (l.p50_ms, l.p99_ms, l.max_ms));
            md.push_str(&format!(
                "| {} | {} | {:.2} | {:.0} | {:.2} | {:.2} | {:.2} |\n",
                r.scenario, r.operations, r.seconds, r.per_second, p50, p99, max
            ));
        }
        md.push('\n');
        for finding in &self.findings {
            md.push_str(finding);
            md.push('\n');
        }
        md.push_str(&format!(
            "Peak RSS of the bench process {} MiB (at end {} MiB): {}.\n\n",
            self.memory.peak_rss_kb.unwrap_or(0) / 1024,
            self.memory.rss_kb.unwrap_or(0) / 1024,
            self.memory_note
        ));
        for r in &self.results {
            md.push_str(&format!("- `{}`: {}\n", r.scenario, r.description));
        }
        md
    }

    pub fn json(&self) -> Value {
        let mut json = json!({
            "generated_at": chrono::Utc::now().to_rfc3339(),
            "quick": self.quick,
            "machine": {
                "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
                "os": std::env::consts::OS,
            },
            "settings": self.settings,
            "scenarios": self.results,
            "findings": self.findings,
            "peak_rss_kb": self.memory.peak_rss_kb,
            "rss_at_end_kb": self.memory.rss_kb,
            "rss_note": self.memory_note,
        });
        if let (Some(target), Some(extra)) = (json.as_object_mut(), self.extra.as_object()) {
            target.extend(extra.clone());
        }
        json
    }

    /// Prints the Markdown and writes both files under `<target dir>/bench`.
    pub fn write(&self) -> anyhow::Result<PathBuf> {
        let md = self.markdown();
        print!("{md}");
        let dir = bench_dir();
        std::fs::create_dir_all(&dir)?;
        std::fs::write(
            dir.join(format!("{}.json", self.name)),
            serde_json::to_string_pretty(&self.json())?,
        )?;
        std::fs::write(dir.join(format!("{}.md", self.name)), md)?;
        println!("written to {}", dir.display());
        Ok(dir)
    }
}

/// `$CARGO_TARGET_DIR/bench`, or the workspace's `target/bench`.
pub fn bench_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target")))
        .join("bench")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let sorted: Vec<u64> = (1..=100).collect();
        assert_eq!(percentile(&sorted, 50.0), 50);
        assert_eq!(percentile(&sorted, 99.0), 99);
        assert_eq!(percentile(&[7], 99.0), 7);
    }

    #[test]
    fn summary_in_milliseconds_and_take_empties() {
        let l = Latencies::default();
        assert_eq!(l.summary(), None);
        for ms in [1, 2, 3, 4] {
            l.record(Duration::from_millis(ms));
        }
        let s = l.take().expect("samples were recorded");
        assert_eq!(s.samples, 4);
        assert_eq!(s.p50_ms, 2.0);
        assert_eq!(s.p99_ms, 4.0);
        assert_eq!(s.max_ms, 4.0);
        assert_eq!(l.summary(), None);
    }

    #[test]
    fn report_table_and_json_carry_every_scenario() {
        let report = Report {
            name: "unit",
            title: "unit",
            unit: "msgs",
            quick: true,
            settings: json!({"pool_size": 10}),
            results: vec![ScenarioResult::new(
                "a",
                "the a scenario",
                100,
                Duration::from_secs(2),
                None,
            )],
            findings: vec!["Floor / handler: 2.00x.".into()],
            extra: json!({"ratio": 2.0}),
            memory: Memory::default(),
            memory_note: "test",
        };
        assert_eq!(report.rate("a"), Some(50.0));
        let md = report.markdown();
        assert!(md.contains("| a | 100 | 2.00 | 50 |"), "{md}");
        assert!(md.contains("Floor / handler: 2.00x."));
        let json = report.json();
        assert_eq!(json["ratio"], 2.0);
        assert_eq!(json["scenarios"][0]["operations"], 100);
    }

    struct Echo;

    #[async_trait]
    impl NotificationHandler for Echo {
        async fn handle(&self, notification: &Notification) -> anyhow::Result<Outcome> {
            // The consumer only passes on JSON bodies: the outcome is the body's string.
            let name: String = serde_json::from_str(&notification.message)?;
            Ok(Outcome::processed(name))
        }
    }

    #[tokio::test]
    async fn run_concurrently_visits_every_index_once() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        let (_, latency) = run_concurrently(4, 10..30, move |i| {
            let record = record.clone();
            async move {
                record.lock().unwrap_or_else(|e| e.into_inner()).push(i);
                Ok(())
            }
        })
        .await
        .expect("runs");
        let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner()).clone();
        seen.sort_unstable();
        assert_eq!(seen, (10..30).collect::<Vec<_>>());
        assert_eq!(latency.map(|l| l.samples), Some(20));
        let failed = run_concurrently(2, 0..5, |i| async move {
            anyhow::ensure!(i != 3, "boom");
            Ok(())
        })
        .await;
        assert!(failed.is_err());
    }

    #[tokio::test]
    async fn drain_counts_unexpected_outcomes_as_a_failure() {
        let handler = Arc::new(TimedHandler::new(Echo));
        handler.expect(&["ok"]);
        let bodies = (0..5).map(|_| Notification::new(r#""ok""#).to_envelope());
        let classifier = TransientClassifier::any_of(vec![]);
        drain_through_consumer(&handler, bodies, 2, classifier.clone())
            .await
            .expect("all ok");
        assert_eq!(handler.latencies.take().map(|s| s.samples), Some(5));
        let bodies = [r#""ok""#, r#""other""#].map(|m| Notification::new(m).to_envelope());
        let error = drain_through_consumer(&handler, bodies, 2, classifier)
            .await
            .expect_err("one unexpected");
        assert!(error.to_string().contains("1 messages"), "{error}");
    }
}
