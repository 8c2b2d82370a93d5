//! The probation record API and the two message flows against real PostgreSQL:
//! - `api-case-record`: `GET /case-records/{crn}` over HTTP (the service's router with token
//!   validation and request tracing) from 32 concurrent clients, each person distinct;
//! - `handler-handover`: handover.changed messages through the platform consumer, each fetching
//!   its handover from an HTTP stub and creating POM1 + POM2 key dates;
//! - `handler-allocation`: allocation.changed messages, each fetching a POM allocation and
//!   writing a POM, an EPOMAT contact and (first time only) the POM's staff record.
//!
//! `cargo bench -p manage-pom-cases-and-delius --bench throughput [-- --quick]` (or `make bench`)
//! Needs PostgreSQL (`make infra`); uses the LDAP server when `PI_TEST_LDAP_URL` answers, else an
//! in-memory directory (the report says which). Results: `target/bench/manage-pom-cases.{json,md}`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use axum::extract::Path;
use axum::routing::get;
use axum::{Json, Router};
use delius_data::schema::{key_date, prison_offender_manager};
use delius_data::DbPool;
use delius_ldap::{Directory, DirectoryUser, StaticDirectory};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use manage_pom_cases_and_delius::api::{self, ApiState};
use manage_pom_cases_and_delius::{Context, PomCasesHandler};
use messaging::detail::DetailUrlPolicy;
use messaging::Notification;
use serde_json::{json, Value};
use service_kit::Platform;
use test_support::auth::FakeHmppsAuth;
use test_support::bench::{
    log_like_production, message_scenario, run_concurrently, Memory, Report, ScenarioResult,
    TimedHandler,
};
use test_support::TestDatabase;
use tokio_util::sync::CancellationToken;

/// Production default `DATABASE_POOL_SIZE`.
const POOL_SIZE: usize = 10;
const CONSUMER_CONCURRENCY: usize = 10;
/// Concurrent API clients (issue 5).
const CLIENTS: usize = 32;
const FIRST_ID: i64 = 700_000;
const SERVICE_USER_ID: i64 = 4;
const ROLE: &str = "ROLE_PROBATION_API__MANAGE_POM_CASES__CASE_DETAIL";
/// Issue 5's API target on this machine.
const TARGET_REQUESTS_PER_SECOND: f64 = 2000.0;
const TARGET_P99_MS: f64 = 50.0;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let quick = std::env::args().any(|a| a == "--quick");
    let (people, requests) = if quick { (300, 3_000) } else { (2_000, 40_000) };
    log_like_production();

    let database = TestDatabase::new()
        .await
        .context("creating the bench database (run `make infra`)")?;
    let pool = delius_data::build_pool(database.url(), POOL_SIZE, Duration::from_secs(10))?;
    seed(&pool, people).await?;
    let auth = FakeHmppsAuth::start().await;
    let stub = MpcStub::start().await?;
    let (directory, directory_kind) = directory().await;

    let api = ApiServer::start(&auth, pool.clone(), directory).await?;
    let token = auth.token().roles([ROLE]).build();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CLIENTS)
        .build()?;
    let mut results = Vec::new();
    // Warm up: connections, statement caches, the JWKS.
    get_case_records(&client, &api.base_url, &token, 0..200.min(people)).await?;
    let (elapsed, latency) = get_case_records(
        &client,
        &api.base_url,
        &token,
        (0..requests).map(|i| i % people),
    )
    .await?;
    results.push(ScenarioResult::new(
        "api-case-record",
        format!("GET /case-records/{{crn}} with a bearer token, {CLIENTS} concurrent clients, {people} people round robin, directory: {directory_kind}"),
        requests,
        elapsed,
        latency,
    ));

    let context = Context {
        pool: pool.clone(),
        client: auth.authorised_client(),
        detail_urls: DetailUrlPolicy::allow(std::slice::from_ref(&stub.base_url))?,
        mpc_base: stub.base_url.parse()?,
        user_id: SERVICE_USER_ID,
    };
    let handler = Arc::new(TimedHandler::new(PomCasesHandler::new(context)));
    results.push(
        message_scenario(
            &handler,
            "handler-handover",
            "handover.changed: fetch from the stub, create POM1 and POM2 key dates in one transaction",
            &["KeyDateCreated"],
            (0..people).map(|i| handover_message(&stub, i)).collect(),
            CONSUMER_CONCURRENCY,
            Platform::classifier(vec![]),
        )
        .await?,
    );
    results.push(
        message_scenario(
            &handler,
            "handler-allocation",
            "allocation.changed: fetch from the stub, first POM (AUT) + EPOMAT contact; one POM staff created on first use",
            &["PomAllocated"],
            (0..people).map(|i| allocation_message(&stub, i)).collect(),
            CONSUMER_CONCURRENCY,
            Platform::classifier(vec![]),
        )
        .await?,
    );
    check(&pool, people).await?;
    report(results, quick, people)?;
    Ok(())
}

fn crn(i: usize) -> String {
    format!("B{i:06}")
}

fn noms(i: usize) -> String {
    format!("B{i:04}BB")
}

/// Every person like the spec's DEFAULT: community manager N03DEF0 (with a Delius user and an LDAP
/// e-mail), tier, an M2 MAPPA registration, NORMAL resourcing, one custodial sentence.
async fn seed(pool: &DbPool, count: usize) -> anyhow::Result<()> {
    let mut conn = pool.get().await?;
    let n = count as i64 - 1;
    for sql in [
        format!("INSERT INTO offender (offender_id, crn, noms_number, first_name, surname, current_tier, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
                 SELECT {FIRST_ID} + i, 'B' || lpad(i::text, 6, '0'), 'B' || lpad(i::text, 4, '0') || 'BB', 'Bench', 'Person', 10101, 1, 1, now(), now() FROM generate_series(0, {n}) i"),
        format!("INSERT INTO event (event_id, offender_id, event_number, active_flag, soft_deleted, row_version)
                 SELECT {FIRST_ID} + i, {FIRST_ID} + i, '1', 1, 0, 0 FROM generate_series(0, {n}) i"),
        format!("INSERT INTO disposal (disposal_id, event_id, disposal_type_id, disposal_date, active_flag, soft_deleted)
                 SELECT {FIRST_ID} + i, {FIRST_ID} + i, 101, DATE '2020-01-01', 1, 0 FROM generate_series(0, {n}) i"),
        format!("INSERT INTO custody (custody_id, disposal_id, custodial_status_id, institution_id, prisoner_number, soft_deleted, row_version)
                 SELECT {FIRST_ID} + i, {FIRST_ID} + i, 10904, 113, 'B' || lpad(i::text, 4, '0') || 'BB', 0, 0 FROM generate_series(0, {n}) i"),
        format!("INSERT INTO offender_manager (offender_manager_id, offender_id, allocation_staff_id, team_id, probation_area_id, trust_provider_flag, partition_area_id, active_flag, soft_deleted, row_version)
                 SELECT {FIRST_ID} + i, {FIRST_ID} + i, 1031, 1031, 103, 0, 0, 1, 0, 0 FROM generate_series(0, {n}) i"),
        format!("INSERT INTO registration (registration_id, offender_id, register_type_id, register_level_id, register_category_id, registration_date, deregistered, soft_deleted)
                 SELECT {FIRST_ID} + i, {FIRST_ID} + i, 101, 12403, 12503, DATE '2023-01-01', 0, 0 FROM generate_series(0, {n}) i"),
        format!("INSERT INTO case_allocation (case_allocation_id, offender_id, event_id, allocation_decision_id, allocation_decision_date)
                 SELECT {FIRST_ID} + i, {FIRST_ID} + i, {FIRST_ID} + i, 12702, TIMESTAMP '2023-01-01 12:00:00' FROM generate_series(0, {n}) i"),
        "INSERT INTO user_ (user_id, distinguished_name, forename, surname, staff_id) VALUES (930001, 'DefaultStaff', 'Default', 'Staff', 1031) ON CONFLICT DO NOTHING".to_owned(),
        "ANALYZE".to_owned(),
    ] {
        diesel::sql_query(sql).execute(&mut conn).await?;
    }
    Ok(())
}

/// The LDAP server when one answers (as deployed), otherwise the in-memory directory.
async fn directory() -> (Arc<dyn Directory>, &'static str) {
    let url =
        std::env::var("PI_TEST_LDAP_URL").unwrap_or_else(|_| "ldap://127.0.0.1:3389".to_owned());
    // The local server's bind (scripts/ldap.sh) unless the environment names another.
    let settings = delius_ldap::LdapSettings::from_lookup(|name| match name {
        "LDAP_URL" => Some(url.clone()),
        "LDAP_USERNAME" => {
            Some(std::env::var(name).unwrap_or_else(|_| "cn=admin,dc=moj,dc=com".to_owned()))
        }
        "LDAP_PASSWORD" => Some(std::env::var(name).unwrap_or_else(|_| "secret".to_owned())),
        other => std::env::var(other).ok(),
    });
    if let Ok(settings) = settings {
        let ldap = delius_ldap::LdapDirectory::new(settings);
        if matches!(ldap.find_user("DefaultStaff").await, Ok(Some(_))) {
            return (Arc::new(ldap), "LDAP server");
        }
    }
    let memory = StaticDirectory::new([DirectoryUser {
        username: "DefaultStaff".into(),
        email: Some("default.staff@moj.gov.uk".into()),
        ..DirectoryUser::default()
    }]);
    (Arc::new(memory), "in-memory (no LDAP server answered)")
}

/// The service's API router on a local port, as `main` serves it.
struct ApiServer {
    base_url: String,
    _shutdown: CancellationToken,
}

impl ApiServer {
    async fn start(
        auth: &FakeHmppsAuth,
        pool: DbPool,
        directory: Arc<dyn Directory>,
    ) -> anyhow::Result<Self> {
        let validator = Arc::new(auth::inbound::JwtValidator::new(
            auth.jwt_settings(auth::outbound::http_client()?),
        ));
        let app = api::router(ApiState { pool, directory }, validator).layer(
            axum::middleware::from_fn(service_kit::http_trace::trace_requests),
        );
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

async fn get_case_records(
    client: &reqwest::Client,
    base_url: &str,
    token: &str,
    people: impl Iterator<Item = usize>,
) -> anyhow::Result<(Duration, Option<test_support::bench::LatencySummary>)> {
    let urls: Arc<Vec<String>> = Arc::new(
        people
            .map(|i| format!("{base_url}/case-records/{}", crn(i)))
            .collect(),
    );
    let (client, token) = (client.clone(), format!("Bearer {token}"));
    let count = urls.len();
    run_concurrently(CLIENTS, 0..count, move |i| {
        let (client, token, urls) = (client.clone(), token.clone(), urls.clone());
        async move {
            let response = client
                .get(&urls[i])
                .header("Authorization", token)
                .send()
                .await?;
            anyhow::ensure!(
                response.status() == 200,
                "{} answered {}",
                urls[i],
                response.status()
            );
            let body: Value = response.json().await?;
            anyhow::ensure!(
                body["manager"]["email"] == "default.staff@moj.gov.uk" && body["mappaLevel"] == 2,
                "unexpected body {body}"
            );
            Ok(())
        }
    })
    .await
}

/// Manage POM Cases: a handover and a POM allocation for every bench person.
struct MpcStub {
    base_url: String,
    _shutdown: CancellationToken,
}

impl MpcStub {
    async fn start() -> anyhow::Result<Self> {
        let app = Router::new()
            .route("/api/handovers/{noms}", get(handover))
            .route("/api/allocation/{noms}/primary_pom", get(allocation));
        serve(app).await.map(|(base_url, shutdown)| Self {
            base_url,
            _shutdown: shutdown,
        })
    }
}

async fn handover(Path(noms): Path<String>) -> Json<Value> {
    Json(
        json!({"nomsNumber": noms, "handoverDate": "2025-05-09", "handoverStartDate": "2025-05-04",
                "responsibility": "COM"}),
    )
}

async fn allocation(Path(_noms): Path<String>) -> Json<Value> {
    Json(
        json!({"manager": {"forename": "Bench", "surname": "Pom", "email": "bench.pom@justice.gov.uk"},
                "prison": {"code": "SWI"}}),
    )
}

fn handover_message(stub: &MpcStub, i: usize) -> String {
    let event_type = "offender-management.handover.changed";
    let event = json!({
        "eventType": event_type, "version": 1, "occurredAt": "2025-05-01T10:00:00+01:00",
        "detailUrl": format!("{}/api/handovers/{}", stub.base_url, noms(i)),
        "personReference": {"identifiers": [{"type": "NOMS", "value": noms(i)}]}
    });
    Notification::new(event.to_string())
        .with_attribute("eventType", event_type)
        .to_envelope()
}

fn allocation_message(stub: &MpcStub, i: usize) -> String {
    let event_type = "offender-management.allocation.changed";
    let event = json!({
        "eventType": event_type, "version": 1, "occurredAt": "2025-05-01T10:00:00+01:00",
        "detailUrl": format!("{}/api/allocation/{}/primary_pom", stub.base_url, noms(i)),
        "personReference": {"identifiers": [{"type": "NOMS", "value": noms(i)}]}
    });
    Notification::new(event.to_string())
        .with_attribute("eventType", event_type)
        .to_envelope()
}

/// Every bench person got both key dates and exactly one POM.
async fn check(pool: &DbPool, people: usize) -> anyhow::Result<()> {
    let mut conn = pool.get().await?;
    let last = FIRST_ID + people as i64;
    let key_dates: i64 = key_date::table
        .filter(
            key_date::custody_id
                .ge(FIRST_ID)
                .and(key_date::custody_id.lt(last)),
        )
        .count()
        .get_result(&mut conn)
        .await?;
    let poms: i64 = prison_offender_manager::table
        .filter(
            prison_offender_manager::offender_id
                .ge(FIRST_ID)
                .and(prison_offender_manager::offender_id.lt(last)),
        )
        .count()
        .get_result(&mut conn)
        .await?;
    anyhow::ensure!(
        key_dates as usize == 2 * people && poms as usize == people,
        "expected {} key dates and {people} POMs, found {key_dates} and {poms}",
        2 * people
    );
    Ok(())
}

fn report(results: Vec<ScenarioResult>, quick: bool, people: usize) -> anyhow::Result<()> {
    let mut report = Report {
        name: "manage-pom-cases",
        title: "manage-pom-cases-and-delius",
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
    if let Some(api) = report
        .results
        .iter()
        .find(|r| r.scenario == "api-case-record")
    {
        let p99 = api.latency.map_or(f64::INFINITY, |l| l.p99_ms);
        let met = api.per_second >= TARGET_REQUESTS_PER_SECOND && p99 < TARGET_P99_MS;
        report.findings.push(format!(
            "API target ({TARGET_REQUESTS_PER_SECOND:.0} req/s with p99 < {TARGET_P99_MS:.0} ms): {} ({:.0} req/s, p99 {p99:.2} ms; load clients share the 2 cores with the server).",
            if met { "met" } else { "NOT met" },
            api.per_second
        ));
        report.extra = json!({"api_target_met": met});
    }
    report.write()?;
    Ok(())
}
