//! The appointment API and two message flows against real PostgreSQL:
//! - `api-merge-appointment`: `PUT .../appointments` over HTTP (the service's router with token
//!   validation and request tracing) from 32 concurrent clients, each creating a new appointment
//!   for one of the bench people, with audit row and telemetry;
//! - `handler-action-plan`: action-plan-submitted messages through the platform consumer, each
//!   adding a CRS note to the person's referral NSI;
//! - `handler-referral-ended`: referral.ended messages, each fetching its sent referral from an
//!   HTTP stub and completing the NSI (status history, status/termination contacts, withdrawals).
//!
//! `cargo bench -p refer-and-monitor-and-delius --bench throughput [-- --quick]` (or `make bench`)
//! Needs PostgreSQL (`make infra`). Results: `target/bench/refer-and-monitor.{json,md}`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use audit_iaps::Auditor;
use axum::extract::Path;
use axum::routing::get;
use axum::{Json, Router};
use chrono::{SecondsFormat, Utc};
use delius_data::DbPool;
use messaging::detail::DetailUrlPolicy;
use messaging::{Notification, Telemetry};
use refer_and_monitor_and_delius::api::{self, CASE_DETAIL_RW_ROLE};
use refer_and_monitor_and_delius::{Context, ReferAndMonitorHandler};
use serde_json::{json, Value};
use service_kit::Platform;
use test_support::auth::FakeHmppsAuth;
use test_support::bench::{
    log_like_production, message_scenario, run_concurrently, Memory, Report, ScenarioResult,
    TimedHandler,
};
use test_support::fixtures::load_people;
use test_support::TestDatabase;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

/// Production default `DATABASE_POOL_SIZE`.
const POOL_SIZE: usize = 10;
const CONSUMER_CONCURRENCY: usize = 10;
/// Concurrent API clients (issue 10).
const CLIENTS: usize = 32;
const FIRST_ID: i64 = 700_000;

fn crn(i: usize) -> String {
    format!("R{i:06}")
}

/// The referral id of bench person `i`.
fn referral(i: usize) -> Uuid {
    Uuid::from_u128(0x5eed_0000_0000_4000_8000_0000_0000_0000 + i as u128)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let quick = std::env::args().any(|a| a == "--quick");
    let (people, requests) = if quick { (300, 3_000) } else { (2_000, 20_000) };
    // BENCH_LOG=1 shows the service's warnings and errors, to find out why a run stalls.
    if std::env::var_os("BENCH_LOG").is_some() {
        tracing_subscriber::fmt()
            .with_env_filter("warn")
            .with_writer(std::io::stderr)
            .init();
    } else {
        log_like_production();
    }

    let database = TestDatabase::new()
        .await
        .context("creating the bench database (run `make infra`)")?;
    let pool = delius_data::build_pool(database.url(), POOL_SIZE, Duration::from_secs(10))?;
    seed(&pool, people).await?;
    let auth = FakeHmppsAuth::start().await;
    let stub = RamStub::start().await?;
    let context = Context {
        pool: pool.clone(),
        auditor: Auditor::connect(pool.clone(), "ReferAndMonitorAndDelius").await?,
        client: auth.authorised_client(),
        detail_urls: DetailUrlPolicy::allow(std::slice::from_ref(&stub.base_url))?,
        telemetry: Telemetry::new(),
        withdrawal_reason: false,
        directory: Arc::new(delius_ldap::StaticDirectory::default()),
    };

    let api = ApiServer::start(&auth, context.clone()).await?;
    let token = format!(
        "Bearer {}",
        auth.token().roles([CASE_DETAIL_RW_ROLE]).build()
    );
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CLIENTS)
        .build()?;
    let mut results = Vec::new();
    // Warm up: connections, statement caches, the JWKS.
    merge_appointments(&client, &api.base_url, &token, people, 0..200.min(people)).await?;
    let (elapsed, latency) = merge_appointments(
        &client,
        &api.base_url,
        &token,
        people,
        people..people + requests,
    )
    .await?;
    eprintln!("bench: api-merge-appointment done in {elapsed:?}");
    results.push(ScenarioResult::new(
        "api-merge-appointment",
        format!("PUT .../appointments creating a new future appointment, {CLIENTS} concurrent clients, {people} people round robin"),
        requests,
        elapsed,
        latency,
    ));

    let handler = Arc::new(TimedHandler::new(ReferAndMonitorHandler::new(context)));
    results.push(
        message_scenario(
            &handler,
            "handler-action-plan",
            "action-plan.submitted: one CRS note on the referral's NSI",
            &["ActionPlanSubmitted"],
            (0..people).map(|i| action_plan_message(&stub, i)).collect(),
            CONSUMER_CONCURRENCY,
            Platform::classifier(vec![]),
        )
        .await?,
    );
    results.push(
        message_scenario(
            &handler,
            "handler-referral-ended",
            "referral.ended: fetch the sent referral from the stub, complete the NSI with history, C092, NTER and EoSR note, withdraw future appointments",
            &["ReferralEnded"],
            (0..people).map(|i| referral_ended_message(&stub, i)).collect(),
            CONSUMER_CONCURRENCY,
            Platform::classifier(vec![]),
        )
        .await?,
    );
    for result in &results {
        eprintln!("bench: {} {:.0}/s", result.scenario, result.per_second);
    }
    report(results, quick, people)?;
    Ok(())
}

/// Every person like NO_APPOINTMENTS: an ORA event with a RAR requirement and a referral NSI
/// (the service's `tests/fixtures/people.sql`).
async fn seed(pool: &DbPool, count: usize) -> anyhow::Result<()> {
    load_people(
        pool,
        include_str!("../tests/fixtures/people.sql"),
        FIRST_ID,
        count,
    )
    .await
}

/// The service's API router on a local port, as `main` serves it.
struct ApiServer {
    base_url: String,
    _shutdown: CancellationToken,
}

impl ApiServer {
    async fn start(auth: &FakeHmppsAuth, context: Context) -> anyhow::Result<Self> {
        let validator = Arc::new(auth::inbound::JwtValidator::new(
            auth.jwt_settings(auth::outbound::http_client()?),
        ));
        let app = api::router(context, validator).layer(axum::middleware::from_fn(
            service_kit::http_trace::trace_requests,
        ));
        serve(app).await.map(|(base_url, shutdown)| Self {
            base_url,
            _shutdown: shutdown,
        })
    }
}

async fn serve(app: Router) -> anyhow::Result<(String, CancellationToken)> {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let base_url = format!("http://{}", listener.local_addr()?);
    let shutdown = CancellationToken::new();
    let stop = shutdown.clone();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async move { stop.cancelled().await })
            .await;
    });
    Ok((base_url, shutdown))
}

/// Request `i` creates a new appointment for person `i % people`, an hour after that person's
/// previous one, so none clash.
async fn merge_appointments(
    client: &reqwest::Client,
    base_url: &str,
    token: &str,
    people: usize,
    range: std::ops::Range<usize>,
) -> anyhow::Result<(Duration, Option<test_support::bench::LatencySummary>)> {
    let (client, token, base_url) = (client.clone(), token.to_owned(), base_url.to_owned());
    let first = Utc::now() + chrono::Duration::days(30);
    run_concurrently(CLIENTS, range, move |i| {
        let (client, token, base_url) = (client.clone(), token.clone(), base_url.clone());
        async move {
            let person = i % people;
            let start = first + chrono::Duration::hours((i / people) as i64);
            let body = json!({
                "id": Uuid::new_v4(),
                "referralId": referral(person),
                "referralReference": "BENCH1",
                "start": start.to_rfc3339_opts(SecondsFormat::Secs, true),
                "durationInMinutes": 30,
                "notes": "Bench appointment",
                "officeLocationCode": "DEFAULT",
                "countsTowardsRar": true,
            });
            let url = format!(
                "{base_url}/probation-case/{}/referrals/{}/appointments",
                crn(person),
                referral(person)
            );
            let response = client
                .put(&url)
                .header("Authorization", token)
                .json(&body)
                .send()
                .await?;
            let status = response.status();
            let answer: Value = response.json().await?;
            anyhow::ensure!(
                status == 200 && answer["appointmentId"].is_i64(),
                "{url} answered {status}: {answer}"
            );
            Ok(())
        }
    })
    .await
}

/// Refer and Monitor: the sent referral of every bench person.
struct RamStub {
    base_url: String,
    _shutdown: CancellationToken,
}

impl RamStub {
    async fn start() -> anyhow::Result<Self> {
        let app = Router::new().route("/sent-referral/{id}", get(sent_referral));
        serve(app).await.map(|(base_url, shutdown)| Self {
            base_url,
            _shutdown: shutdown,
        })
    }
}

async fn sent_referral(Path(id): Path<String>) -> Json<Value> {
    Json(json!({
        "id": id, "referenceNumber": "BENCH1", "relevantSentenceId": 1,
        "sentAt": "2023-02-14T11:31:49.503Z",
        "referral": {"id": id, "serviceProvider": {"name": "Bench Provider"}, "contractTypeName": "Accommodation"},
        "concludedAt": "2023-02-23T15:29:54.197Z",
        "endOfServiceReport": {"submittedAt": "2023-02-23T15:29:54.197Z"}
    }))
}

fn action_plan_message(stub: &RamStub, i: usize) -> String {
    let event_type = "intervention.action-plan.submitted";
    let event = json!({
        "eventType": event_type, "version": 1, "occurredAt": "2023-06-05T15:14:10+01:00",
        "detailUrl": format!("{}/action-plan/{i}", stub.base_url),
        "additionalInformation": {
            "referralId": referral(i), "referralReference": "BENCH1",
            "contractTypeName": "Accommodation", "primeProviderName": "Bench Provider",
            "actionPlanProbationUserUrl": "https://ui/action-plan"
        },
        "personReference": {"identifiers": [{"type": "CRN", "value": crn(i)}]}
    });
    Notification::new(event.to_string())
        .with_attribute("eventType", event_type)
        .to_envelope()
}

fn referral_ended_message(stub: &RamStub, i: usize) -> String {
    let event_type = "intervention.referral.ended";
    let event = json!({
        "eventType": event_type, "version": 1, "occurredAt": "2023-02-23T15:55:21Z",
        "detailUrl": format!("{}/sent-referral/{}", stub.base_url, referral(i)),
        "additionalInformation": {
            "deliveryState": "PREMATURELY_ENDED", "referralId": referral(i),
            "referralURN": format!("urn:hmpps:interventions-referral:{}", referral(i)),
            "referralProbationUserURL": "https://ui/referral"
        },
        "personReference": {"identifiers": [{"type": "CRN", "value": crn(i)}]}
    });
    Notification::new(event.to_string())
        .with_attribute("eventType", event_type)
        .to_envelope()
}

fn report(results: Vec<ScenarioResult>, quick: bool, people: usize) -> anyhow::Result<()> {
    let report = Report {
        name: "refer-and-monitor",
        title: "refer-and-monitor-and-delius",
        unit: "ops",
        quick,
        settings: json!({"pool_size": POOL_SIZE, "api_clients": CLIENTS,
                         "consumer_concurrency": CONSUMER_CONCURRENCY, "people": people,
                         "log": "JSON at info into a sink"}),
        results,
        findings: Vec::new(),
        extra: json!({}),
        memory: Memory::now(),
        memory_note: "one process: the API server, the consumer and handler, the load clients, the HTTP stub and the fake HMPPS Auth",
    };
    report.write()?;
    Ok(())
}
