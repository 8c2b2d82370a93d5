//! The data-driven fault cases, the same for every service: the built binary on a PostgreSQL
//! cluster of the case's own (so it can be stopped) with many seeded people, the emulator's
//! queue, and an upstream double that fails or stalls on demand. Each case sends messages for
//! people of its own and waits until exactly the rows those messages should leave are there and
//! the queue is empty; nothing may reach the dead-letter queue.
//!
//! What differs between services (the people, the message, the upstream's answers, which rows
//! count) is a [`Subject`]; see `subjects/`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel_async::SimpleAsyncConnection;
use e2e::db;
use e2e::postgres::Cluster;
use e2e::sqs::{self, Queue};
use e2e::stack::{self, ServiceProcess, Simulator};
use e2e::{process, workspace_root};
use tokio::time::Instant;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::report::{print_and_check, CaseResult};

mod api;
mod outbox;

/// One service as the fault cases drive it.
pub trait Subject: Send + Sync + 'static {
    fn service(&self) -> &'static str;
    /// The environment variables naming the upstream base URL; each is pointed at the double
    /// (which is also the only host allowed for `detailUrl`s).
    fn upstream_env(&self) -> &'static [&'static str];
    /// The upstream's answer to `request` when it is not failing.
    fn respond(&self, request: &Request) -> ResponseTemplate;
    /// The SNS envelope of the message for person `n` (from 0) of the people fixture, whose
    /// `detailUrl`, if any, is on `upstream`.
    fn message(&self, n: i64, upstream: &str) -> String;
    /// A `count(*) AS n` query of the rows the messages of people with ids `first..=last` leave.
    fn rows_sql(&self, first: i64, last: i64) -> String;
    /// Rows each message leaves (duplicates would leave more).
    fn rows_per_message(&self) -> i64 {
        1
    }
    /// For a service with an HTTP API: the calls to make while the database is down.
    fn api_calls(&self) -> Vec<ApiCall> {
        Vec::new()
    }
    /// Whether the service can run the `domain_event` outbox publisher (`OUTBOX_ENABLED`).
    fn runs_outbox(&self) -> bool {
        false
    }
}

/// One call to a service's API for the database-outage case.
pub struct ApiCall {
    pub role: &'static str,
    pub path: String,
    /// `None`: a `GET`, made once before the outage too. `Some`: a `PUT` of this body, which must
    /// write nothing while the database is down and, retried by the client after it is back
    /// (and once more after it succeeded), leave exactly the rows `written` counts.
    pub put: Option<serde_json::Value>,
    /// A `count(*) AS n` query and the count a successful write leaves.
    pub written: Option<(String, i64)>,
}

/// The people fixture's first id; person `n` has id `FIRST_ID + n`.
pub const FIRST_ID: i64 = 600_000;
const PEOPLE: i64 = 400;
/// How soon a failed message comes back: short, so retries happen within the test, and long
/// enough that a few seconds of outage do not use up the three receives before the DLQ.
const VISIBILITY_SECONDS: u32 = 5;
/// The platform's upstream request timeout is 5 s; a slow answer takes longer.
const SLOWER_THAN_THE_CLIENT: Duration = Duration::from_secs(7);
const CASE_LIMIT: Duration = Duration::from_secs(90);
/// How long an API request may take to fail while the database is down (the pool waits up to
/// 10 s for a connection).
const API_LIMIT: Duration = Duration::from_secs(15);

/// What the upstream double does to the next requests.
#[derive(Debug, Default)]
struct Faults {
    fail_next: usize,
    slow_next: usize,
}

struct Upstream {
    server: MockServer,
    faults: Arc<Mutex<Faults>>,
}

struct Faulty {
    subject: Arc<dyn Subject>,
    faults: Arc<Mutex<Faults>>,
}

impl Respond for Faulty {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let Ok(mut faults) = self.faults.lock() else {
            return ResponseTemplate::new(500);
        };
        if faults.fail_next > 0 {
            faults.fail_next -= 1;
            return ResponseTemplate::new(500);
        }
        let response = self.subject.respond(request);
        if faults.slow_next > 0 {
            faults.slow_next -= 1;
            return response.set_delay(SLOWER_THAN_THE_CLIENT);
        }
        response
    }
}

impl Upstream {
    async fn start(subject: Arc<dyn Subject>) -> Self {
        let server = MockServer::start().await;
        let faults = Arc::new(Mutex::new(Faults::default()));
        Mock::given(wiremock::matchers::any())
            .respond_with(Faulty {
                subject,
                faults: faults.clone(),
            })
            .mount(&server)
            .await;
        Self { server, faults }
    }

    fn set(&self, fail_next: usize, slow_next: usize) {
        if let Ok(mut faults) = self.faults.lock() {
            *faults = Faults {
                fail_next,
                slow_next,
            };
        }
    }
}

struct Stack {
    subject: Arc<dyn Subject>,
    cluster: Cluster,
    simulator: Simulator,
    upstream: Upstream,
    endpoint: String,
    queue: Queue,
    dlq: Queue,
    service: Option<ServiceProcess>,
    /// Settings for the next start of the service on top of the fault stack's own.
    extra_env: Vec<(&'static str, String)>,
}

impl Stack {
    async fn start(subject: Arc<dyn Subject>) -> anyhow::Result<Self> {
        let service = subject.service();
        let cluster = Cluster::start()?;
        process::run(
            process::local_stack().args(["migrate", "--database-url", &cluster.url()]),
            CASE_LIMIT,
        )
        .await?
        .success()?;
        let mut conn = db::connect(&cluster.url()).await?;
        let root = workspace_root().join(format!("projects/{service}"));
        let seed = root.join("dev-seed.sql");
        if seed.exists() {
            conn.batch_execute(&std::fs::read_to_string(seed)?).await?;
        }
        let people = std::fs::read_to_string(root.join("tests/fixtures/people.sql"))?
            .replace("{FIRST_ID}", &FIRST_ID.to_string())
            .replace("{LAST_ID}", &(FIRST_ID + PEOPLE - 1).to_string());
        conn.batch_execute(&people).await?;

        let endpoint = sqs::endpoint();
        stack::provision(&endpoint).await?;
        let client = sqs::client(&endpoint).await;
        let queue = Queue::named(&client, &format!("{service}-queue")).await?;
        let dlq = Queue::named(&client, &format!("{service}-dlq")).await?;
        for q in [&queue, &dlq] {
            q.purge().await?;
        }
        queue.set_visibility_timeout(VISIBILITY_SECONDS).await?;
        let mut stack = Self {
            upstream: Upstream::start(subject.clone()).await,
            subject,
            cluster,
            simulator: Simulator::start().await?,
            endpoint,
            queue,
            dlq,
            service: None,
            extra_env: Vec::new(),
        };
        stack.start_service().await?;
        Ok(stack)
    }

    async fn start_service(&mut self) -> anyhow::Result<()> {
        let upstream = self.upstream.server.uri();
        let mut overrides = vec![
            ("MESSAGING_CONSUMER_DETAIL_URLS", upstream.clone()),
            (
                "MESSAGING_CONSUMER_VISIBILITY_TIMEOUT_SECONDS",
                VISIBILITY_SECONDS.to_string(),
            ),
        ];
        for name in self.subject.upstream_env() {
            overrides.push((name, upstream.clone()));
        }
        overrides.extend(self.extra_env.iter().cloned());
        self.service = Some(
            ServiceProcess::start_with(
                self.subject.service(),
                &self.cluster.url(),
                &self.endpoint,
                &self.simulator,
                &overrides,
            )
            .await?,
        );
        Ok(())
    }

    fn message(&self, id: i64) -> String {
        self.subject
            .message(id - FIRST_ID, &self.upstream.server.uri())
    }

    async fn send_all(&self, ids: &[i64]) -> anyhow::Result<()> {
        let bodies: Vec<String> = ids.iter().map(|id| self.message(*id)).collect();
        self.queue.send_burst(&bodies).await
    }

    async fn rows(&self, ids: &[i64]) -> anyhow::Result<i64> {
        let sql = self.subject.rows_sql(ids[0], ids[ids.len() - 1]);
        db::count(&mut db::connect(&self.cluster.url()).await?, &sql).await
    }

    /// Waits (bounded) until `expected` rows exist and the queue is empty; then a moment more,
    /// so a late duplicate would show.
    async fn settle(&self, ids: &[i64], expected: i64) -> i64 {
        let deadline = Instant::now() + CASE_LIMIT;
        loop {
            let found = self.rows(ids).await.unwrap_or(-1);
            let pending = self.queue.steady_total().await.unwrap_or(u64::MAX);
            if (found >= expected && pending == 0) || Instant::now() >= deadline {
                tokio::time::sleep(Duration::from_millis(500)).await;
                return self.rows(ids).await.unwrap_or(-1);
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Waits until the first messages are through, so the fault lands mid-stream; fails if the
    /// stream was already over (the case would then prove nothing).
    async fn wait_for_some(&self, ids: &[i64], at_least: i64) -> anyhow::Result<()> {
        let deadline = Instant::now() + CASE_LIMIT;
        let per_message = self.subject.rows_per_message();
        loop {
            let rows = self.rows(ids).await?;
            if rows >= at_least * per_message {
                anyhow::ensure!(
                    rows < ids.len() as i64 * per_message,
                    "every message was handled before the fault could land"
                );
                return Ok(());
            }
            anyhow::ensure!(Instant::now() < deadline, "no progress before the fault");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn dead_letters(&self) -> u64 {
        let count = self.dlq.steady_total().await.unwrap_or(u64::MAX);
        let _ = self.dlq.purge().await;
        count
    }

    async fn result(
        &self,
        (case, started): (&str, Instant),
        sent: usize,
        ids: &[i64],
        mut problems: Vec<String>,
    ) -> CaseResult {
        let expected = ids.len() as i64 * self.subject.rows_per_message();
        let rows_found = self.settle(ids, expected).await;
        if rows_found != expected {
            if let Some(service) = &self.service {
                problems.push(format!("log tail:\n{}", service.log_tail()));
            }
        }
        CaseResult {
            case: format!("{}: {case}", self.subject.service()),
            sent,
            rows_expected: expected,
            rows_found,
            dlq_expected: 0,
            dlq_found: self.dead_letters().await,
            seconds: started.elapsed().as_secs_f64(),
            problems,
        }
    }
}

/// People `[from, from + n)` of the fixture, as ids.
fn people(from: i64, n: i64) -> Vec<i64> {
    (FIRST_ID + from..FIRST_ID + from + n).collect()
}

/// Runs every case against `subject`'s service, prints the table and fails on any failed case.
pub async fn run(subject: Arc<dyn Subject>) {
    let _names = stack::fixed_names().await;
    let name = subject.service();
    let mut stack = Stack::start(subject).await.expect("fault stack");
    let mut results = Vec::new();

    // PostgreSQL stopped mid-stream (fast shutdown cuts every connection), then restarted.
    let ids = people(0, 100);
    let started = Instant::now();
    stack.send_all(&ids).await.expect("send");
    let mut problems = Vec::new();
    if let Err(e) = stack.wait_for_some(&ids, 5).await {
        problems.push(format!("{e:#}"));
    }
    if let Err(e) = stack.cluster.stop() {
        problems.push(format!("stopping PostgreSQL: {e:#}"));
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    if let Err(e) = stack.cluster.restart() {
        problems.push(format!("restarting PostgreSQL: {e:#}"));
    }
    let case = "PostgreSQL stopped and restarted mid-stream";
    results.push(
        stack
            .result((case, started), ids.len(), &ids, problems)
            .await,
    );

    // The upstream answers 500 to the next 20 requests, then recovers.
    let ids = people(100, 15);
    stack.upstream.set(20, 0);
    let started = Instant::now();
    stack.send_all(&ids).await.expect("send");
    let case = "upstream 500s then recovering";
    results.push(stack.result((case, started), ids.len(), &ids, vec![]).await);

    // The upstream is slower than the 5 s request timeout for the next 3 requests.
    let ids = people(150, 6);
    stack.upstream.set(0, 3);
    let started = Instant::now();
    stack.send_all(&ids).await.expect("send");
    let case = "upstream slower than the client timeout";
    results.push(stack.result((case, started), ids.len(), &ids, vec![]).await);

    // SIGTERM during a burst: in-flight messages finish or go back to the queue; exit 0; a new
    // process finishes the rest.
    let ids = people(200, 100);
    let started = Instant::now();
    stack.send_all(&ids).await.expect("send");
    let mut problems = Vec::new();
    if let Err(e) = stack.wait_for_some(&ids, 5).await {
        problems.push(format!("{e:#}"));
    }
    match stack.service.as_mut().and_then(ServiceProcess::stop) {
        Some(status) if status.success() => {}
        other => problems.push(format!("exit status after SIGTERM: {other:?}")),
    }
    if let Err(e) = stack.start_service().await {
        problems.push(format!("restarting the service: {e:#}"));
    }
    let case = "SIGTERM during a burst, then restart";
    results.push(
        stack
            .result((case, started), ids.len(), &ids, problems)
            .await,
    );

    // The same message delivered twice at once.
    let ids = people(320, 20);
    let started = Instant::now();
    for id in &ids {
        let body = stack.message(*id);
        let (a, b) = tokio::join!(stack.queue.send(&body), stack.queue.send(&body));
        a.and(b).expect("send");
    }
    let case = "the same message delivered twice concurrently";
    results.push(
        stack
            .result((case, started), 2 * ids.len(), &ids, vec![])
            .await,
    );

    for call in stack.subject.api_calls() {
        results.push(stack.api_during_outage(&call).await);
    }
    if stack.subject.runs_outbox() {
        results.push(stack.outbox_under_faults().await);
    }

    if let Some(service) = stack.service.as_mut() {
        service.stop();
    }
    let _ = stack.queue.set_visibility_timeout(30).await;
    print_and_check(&format!("{name} under faults"), &results);
}

/// An SNS envelope of `message` (the event's JSON text, or anything else), with the `eventType`
/// attribute the topic's filters route on and any `more` attributes.
pub fn envelope(n: i64, event_type: &str, message: &str, more: &[(&str, &str)]) -> String {
    let mut attributes = serde_json::Map::new();
    for (name, value) in std::iter::once(("eventType", event_type)).chain(more.iter().copied()) {
        attributes.insert(
            name.to_owned(),
            serde_json::json!({"Type": "String", "Value": value}),
        );
    }
    serde_json::json!({
        "Type": "Notification",
        "MessageId": format!("00000000-0000-4000-8000-{n:012}"),
        "Message": message,
        "MessageAttributes": attributes
    })
    .to_string()
}

/// The NOMS number the services' people fixtures give person `n`: a letter per 10,000 people,
/// four digits, and the fixture's `suffix`.
pub fn noms(n: i64, suffix: &str) -> String {
    let letter = char::from(b'A' + (n / 10_000 % 26) as u8);
    format!("{letter}{:04}{suffix}", n % 10_000)
}

/// The last path segment of `request` (the person or referral the upstream is asked about).
pub fn last_segment(request: &Request) -> String {
    request
        .url
        .path_segments()
        .and_then(|mut s| s.next_back().map(str::to_owned))
        .unwrap_or_default()
}
