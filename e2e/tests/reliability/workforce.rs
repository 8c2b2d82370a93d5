//! workforce-allocations-to-delius under faults, with allocations it really applies: event
//! allocations of many seeded people (`tests/fixtures/people.sql` of the service) whose details
//! come from a Workload double that can fail or stall on demand. Each case uses people of its own.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel_async::SimpleAsyncConnection;
use e2e::db;
use e2e::postgres::Cluster;
use e2e::sqs::{self, Queue};
use e2e::stack::{self, ServiceProcess, Simulator};
use e2e::{process, workspace_root};
use serde_json::json;
use tokio::time::Instant;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::report::{print_and_check, CaseResult};

const SERVICE: &str = "workforce-allocations-to-delius";
const FIRST_ID: i64 = 600_000;
const PEOPLE: i64 = 400;
/// How soon a failed message comes back: short, so retries happen within the test, and long
/// enough that a few seconds of outage do not use up the three receives before the DLQ.
const VISIBILITY_SECONDS: u32 = 5;
/// The service's upstream read timeout is 5 s; a slow answer takes longer.
const SLOWER_THAN_THE_CLIENT: Duration = Duration::from_secs(7);
const CASE_LIMIT: Duration = Duration::from_secs(90);
/// N02ABS1, the staff every allocation here names.
const ALLOCATED_STAFF: i64 = 1021;

/// What the Workload double does to the next requests.
#[derive(Debug, Default)]
struct Faults {
    fail_next: usize,
    slow_next: usize,
}

struct Workload {
    server: MockServer,
    faults: Arc<Mutex<Faults>>,
}

struct Allocations(Arc<Mutex<Faults>>);

impl Respond for Allocations {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let Ok(mut faults) = self.0.lock() else {
            return ResponseTemplate::new(500);
        };
        if faults.fail_next > 0 {
            faults.fail_next -= 1;
            return ResponseTemplate::new(500);
        }
        let body = json!({"id": request.url.path(), "staffCode": "N02ABS1", "teamCode": "N02ABS",
                          "createdDate": "2022-07-28T10:30:54.023+01:00", "eventNumber": 1});
        let response = ResponseTemplate::new(200).set_body_json(body);
        if faults.slow_next > 0 {
            faults.slow_next -= 1;
            return response.set_delay(SLOWER_THAN_THE_CLIENT);
        }
        response
    }
}

impl Workload {
    async fn start() -> Self {
        let server = MockServer::start().await;
        let faults = Arc::new(Mutex::new(Faults::default()));
        Mock::given(wiremock::matchers::method("GET"))
            .respond_with(Allocations(faults.clone()))
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

fn crn(id: i64) -> String {
    format!("B{:06}", id - FIRST_ID)
}

struct Stack {
    cluster: Cluster,
    simulator: Simulator,
    workload: Workload,
    endpoint: String,
    queue: Queue,
    dlq: Queue,
    service: Option<ServiceProcess>,
}

impl Stack {
    async fn start() -> anyhow::Result<Self> {
        let cluster = Cluster::start()?;
        process::run(
            process::local_stack().args(["migrate", "--database-url", &cluster.url()]),
            CASE_LIMIT,
        )
        .await?
        .success()?;
        let mut conn = db::connect(&cluster.url()).await?;
        let root = workspace_root().join(format!("projects/{SERVICE}"));
        conn.batch_execute(&std::fs::read_to_string(root.join("dev-seed.sql"))?)
            .await?;
        let people = std::fs::read_to_string(root.join("tests/fixtures/people.sql"))?
            .replace("{FIRST_ID}", &FIRST_ID.to_string())
            .replace("{LAST_ID}", &(FIRST_ID + PEOPLE - 1).to_string());
        conn.batch_execute(&people).await?;

        let endpoint = sqs::endpoint();
        stack::provision(&endpoint).await?;
        let client = sqs::client(&endpoint).await;
        let queue = Queue::named(&client, &format!("{SERVICE}-queue")).await?;
        let dlq = Queue::named(&client, &format!("{SERVICE}-dlq")).await?;
        for q in [&queue, &dlq] {
            q.purge().await?;
        }
        queue.set_visibility_timeout(VISIBILITY_SECONDS).await?;
        let mut stack = Self {
            cluster,
            simulator: Simulator::start().await?,
            workload: Workload::start().await,
            endpoint,
            queue,
            dlq,
            service: None,
        };
        stack.start_service().await?;
        Ok(stack)
    }

    async fn start_service(&mut self) -> anyhow::Result<()> {
        let workload = self.workload.server.uri();
        self.service = Some(
            ServiceProcess::start_with(
                SERVICE,
                &self.cluster.url(),
                &self.endpoint,
                &self.simulator,
                &[
                    ("INTEGRATIONS_WORKLOAD_URL", workload.clone()),
                    ("MESSAGING_CONSUMER_DETAIL_URLS", workload),
                ],
            )
            .await?,
        );
        Ok(())
    }

    /// An event allocation of person `id`, as the topic delivers it.
    fn message(&self, id: i64) -> String {
        let event = json!({
            "eventType": "event.manager.allocated", "version": 1,
            "detailUrl": format!("{}/allocation/event/{id}", self.workload.server.uri()),
            "personReference": {"identifiers": [{"type": "CRN", "value": crn(id)}]}
        });
        json!({
            "Type": "Notification",
            "MessageId": uuid_like(id),
            "Message": event.to_string(),
            "MessageAttributes": {"eventType": {"Type": "String", "Value": "event.manager.allocated"}}
        })
        .to_string()
    }

    async fn send_all(&self, ids: &[i64]) -> anyhow::Result<()> {
        for id in ids {
            self.queue.send(&self.message(*id)).await?;
        }
        Ok(())
    }

    /// New order managers (N02ABS1) among `ids`' events; more than one per event is a duplicate.
    async fn allocated(&self, ids: &[i64]) -> anyhow::Result<i64> {
        let (first, last) = (ids[0], ids[ids.len() - 1]);
        db::count(
            &mut db::connect(&self.cluster.url()).await?,
            &format!(
                "SELECT count(*) AS n FROM order_manager WHERE event_id BETWEEN {first} AND {last} \
                 AND allocation_staff_id = {ALLOCATED_STAFF}"
            ),
        )
        .await
    }

    /// Waits (bounded) until `expected` allocations exist and the queue is empty.
    async fn settle(&self, ids: &[i64], expected: i64) -> anyhow::Result<i64> {
        let deadline = Instant::now() + CASE_LIMIT;
        loop {
            let found = self.allocated(ids).await.unwrap_or(-1);
            let pending = self.queue.total().await.unwrap_or(u64::MAX);
            if (found >= expected && pending == 0) || Instant::now() >= deadline {
                return Ok(found);
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    async fn wait_for_some(&self, ids: &[i64], at_least: i64) -> anyhow::Result<()> {
        let deadline = Instant::now() + CASE_LIMIT;
        while self.allocated(ids).await? < at_least {
            anyhow::ensure!(Instant::now() < deadline, "no progress before the fault");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok(())
    }

    async fn dead_letters(&self) -> u64 {
        let count = self.dlq.total().await.unwrap_or(u64::MAX);
        let _ = self.dlq.purge().await;
        count
    }

    async fn result(
        &self,
        case: &str,
        sent: usize,
        ids: &[i64],
        problems: Vec<String>,
    ) -> CaseResult {
        let expected = ids.len() as i64;
        let rows_found = self.settle(ids, expected).await.unwrap_or(-1);
        CaseResult {
            case: format!("{SERVICE}: {case}"),
            sent,
            rows_expected: expected,
            rows_found,
            dlq_expected: 0,
            dlq_found: self.dead_letters().await,
            problems,
        }
    }
}

fn uuid_like(id: i64) -> String {
    format!("00000000-0000-4000-8000-{id:012}")
}

/// People `[from, from + n)` of the seeded range.
fn people(from: i64, n: i64) -> Vec<i64> {
    (FIRST_ID + from..FIRST_ID + from + n).collect()
}

#[tokio::test]
async fn workforce_allocations_survive_faults_without_loss_or_duplicates() {
    let _names = stack::fixed_names().await;
    let mut stack = Stack::start().await.expect("fault stack");
    let mut results = Vec::new();

    // PostgreSQL stopped mid-stream (fast shutdown cuts every connection), then restarted.
    let ids = people(0, 60);
    stack.send_all(&ids).await.expect("send");
    stack.wait_for_some(&ids, 5).await.expect("progress");
    let mut problems = Vec::new();
    if let Err(e) = stack.cluster.stop() {
        problems.push(format!("stopping PostgreSQL: {e:#}"));
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    if let Err(e) = stack.cluster.restart() {
        problems.push(format!("restarting PostgreSQL: {e:#}"));
    }
    results.push(
        stack
            .result(
                "PostgreSQL stopped and restarted mid-stream",
                ids.len(),
                &ids,
                problems,
            )
            .await,
    );

    // The upstream answers 500 to the next 20 requests, then recovers.
    let ids = people(100, 15);
    stack.workload.set(20, 0);
    stack.send_all(&ids).await.expect("send");
    results.push(
        stack
            .result("upstream 500s then recovering", ids.len(), &ids, vec![])
            .await,
    );

    // The upstream is slower than the 5 s read timeout for the next 3 requests.
    let ids = people(150, 6);
    stack.workload.set(0, 3);
    stack.send_all(&ids).await.expect("send");
    results.push(
        stack
            .result(
                "upstream slower than the client timeout",
                ids.len(),
                &ids,
                vec![],
            )
            .await,
    );

    // SIGTERM during a burst: in-flight messages finish or go back to the queue; exit 0; a new
    // process finishes the rest.
    let ids = people(200, 100);
    stack.send_all(&ids).await.expect("send");
    stack.wait_for_some(&ids, 5).await.expect("progress");
    let mut problems = Vec::new();
    match stack.service.as_mut().and_then(ServiceProcess::stop) {
        Some(status) if status.success() => {}
        other => problems.push(format!("exit status after SIGTERM: {other:?}")),
    }
    if let Err(e) = stack.start_service().await {
        problems.push(format!("restarting the service: {e:#}"));
    }
    results.push(
        stack
            .result(
                "SIGTERM during a burst, then restart",
                ids.len(),
                &ids,
                problems,
            )
            .await,
    );

    // The same message delivered twice at once.
    let ids = people(320, 20);
    for id in &ids {
        let body = stack.message(*id);
        let (a, b) = tokio::join!(stack.queue.send(&body), stack.queue.send(&body));
        a.and(b).expect("send");
    }
    results.push(
        stack
            .result(
                "the same message delivered twice concurrently",
                2 * ids.len(),
                &ids,
                vec![],
            )
            .await,
    );

    if let Some(service) = stack.service.as_mut() {
        service.stop();
    }
    let _ = stack.queue.set_visibility_timeout(30).await;
    print_and_check("workforce-allocations-to-delius under faults", &results);
}
