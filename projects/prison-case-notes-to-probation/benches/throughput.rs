//! Case-note messages per second through the full handler, against real PostgreSQL:
//! in-memory queue -> platform consumer -> case-notes API stub over HTTP -> merge transaction ->
//! audit row -> delete; for new contacts and for updates of them, beside the database floor (the
//! same contact insert/update and audit row from plain tasks, without queue, HTTP or lookups).
//!
//! `cargo bench -p prison-case-notes-to-probation --bench throughput [-- --quick]` (or `make bench`)
//! Needs PostgreSQL (`make infra`). Results: `target/bench/prison-case-notes.{json,md}`.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use async_trait::async_trait;
use audit_iaps::{AuditOutcome, AuditParameters, Auditor};
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use delius_data::lookups::{next_id, Sequence};
use delius_data::schema::contact;
use delius_data::DbPool;
use diesel::prelude::*;
use diesel_async::scoped_futures::ScopedFutureExt;
use diesel_async::{AsyncConnection, RunQueryDsl};
use messaging::{
    Consumer, ConsumerConfig, InMemoryQueue, Notification, NotificationHandler, Outcome, Queue,
    Telemetry,
};
use prison_case_notes_to_probation::{CaseNotesHandler, UpstreamUrls, Upstreams};
use serde_json::{json, Value};
use service_kit::Platform;
use test_support::auth::FakeHmppsAuth;
use test_support::TestDatabase;
use tokio_util::sync::CancellationToken;

/// Production defaults: `DATABASE_POOL_SIZE` and `MESSAGING_CONSUMER_CONCURRENCY`.
const POOL_SIZE: usize = 10;
const CONCURRENCY: usize = 10;
/// Messages spread over this many people (each merge locks its person's row).
const PEOPLE: usize = 1000;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let quick = std::env::args().any(|a| a == "--quick");
    let messages = if quick { 500 } else { 5000 };
    // Log like a deployed service (JSON, info), but into a sink: formatting cost counts, I/O does not.
    tracing_subscriber::fmt()
        .json()
        .with_writer(std::io::sink)
        .with_env_filter("info")
        .init();

    let database = TestDatabase::new()
        .await
        .context("creating the bench database (run `make infra`)")?;
    let pool = delius_data::build_pool(database.url(), POOL_SIZE, Duration::from_secs(10))?;
    seed_people(&pool).await?;
    let auth = FakeHmppsAuth::start().await;
    let stub = CaseNoteStub::start().await?;
    let upstreams = Upstreams::new(
        auth.client_credentials(),
        UpstreamUrls {
            case_notes: url::Url::parse(&stub.base_url)?,
            alerts: url::Url::parse(&stub.base_url)?,
        },
        std::slice::from_ref(&stub.base_url),
    )?;
    let auditor = Auditor::connect(pool.clone(), "PrisonCaseNotesToProbation").await?;
    let handler = Arc::new(Timed::new(CaseNotesHandler::new(
        pool.clone(),
        auditor.clone(),
        upstreams,
        Telemetry::new(),
    )));

    // Warm up: token, connections, the author's staff record (created once, found afterwards).
    run_consumer(handler.clone(), &stub, 0, 20, "person.case-note.created").await?;
    handler.reset();

    let mut results = Vec::new();
    let created = run_consumer(
        handler.clone(),
        &stub,
        1000,
        messages,
        "person.case-note.created",
    )
    .await?;
    results.push(scenario(
        "handler-new",
        "new contact per message: queue -> consumer -> HTTP stub -> merge -> audit -> delete",
        messages,
        created,
        handler.take(),
    ));
    check(&pool, 1000, messages, 0).await?;

    stub.amended.store(true, Ordering::SeqCst);
    let updated = run_consumer(
        handler.clone(),
        &stub,
        1000,
        messages,
        "person.case-note.updated",
    )
    .await?;
    results.push(scenario(
        "handler-update",
        "newer version of an existing contact per message (amendment appended)",
        messages,
        updated,
        handler.take(),
    ));
    check(&pool, 1000, messages, 1).await?;

    let (floor_new, floor_new_latency) =
        floor(&pool, &auditor, messages, FloorWrite::Insert).await?;
    results.push(scenario(
        "db-floor-new",
        "the same contact insert + audit row from 10 plain tasks on the pool of 10",
        messages,
        floor_new,
        floor_new_latency,
    ));
    let (floor_update, floor_update_latency) =
        floor(&pool, &auditor, messages, FloorWrite::Update).await?;
    results.push(scenario(
        "db-floor-update",
        "the same versioned contact update + audit row from 10 plain tasks",
        messages,
        floor_update,
        floor_update_latency,
    ));

    let rss = memory();
    report(&results, rss, quick)?;
    drop(pool);
    Ok(())
}

/// 1000 people with NOMS numbers `B0000XY`...: messages round-robin over them.
async fn seed_people(pool: &DbPool) -> anyhow::Result<()> {
    let mut conn = pool.get().await?;
    diesel::sql_query(format!(
        "INSERT INTO offender (offender_id, crn, noms_number, first_name, surname, created_by_user_id, \
         last_updated_user_id, created_datetime, last_updated_datetime) \
         SELECT 900000 + i, 'B' || lpad(i::text, 6, '0'), 'B' || lpad(i::text, 4, '0') || 'XY', 'Bench', 'Person', 1, 1, now(), now() \
         FROM generate_series(0, {}) AS i",
        PEOPLE - 1
    ))
    .execute(&mut conn)
    .await?;
    Ok(())
}

fn noms(i: usize) -> String {
    format!("B{:04}XY", i % PEOPLE)
}

fn case_note_id(i: usize) -> String {
    format!("00000000-0000-4000-8000-{i:012}")
}

/// The case-notes API: answers any `/case-notes/{noms}/{id}`, with an amendment once `amended`.
struct CaseNoteStub {
    base_url: String,
    amended: Arc<AtomicBool>,
    _shutdown: CancellationToken,
}

impl CaseNoteStub {
    async fn start() -> anyhow::Result<Self> {
        let amended = Arc::new(AtomicBool::new(false));
        let app = Router::new()
            .route("/case-notes/{noms}/{id}", get(case_note))
            .with_state(amended.clone());
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let shutdown = CancellationToken::new();
        let stop = shutdown.clone();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move { stop.cancelled().await })
                .await;
        });
        Ok(Self {
            base_url,
            amended,
            _shutdown: shutdown,
        })
    }
}

async fn case_note(
    State(amended): State<Arc<AtomicBool>>,
    Path((noms, id)): Path<(String, String)>,
) -> Json<Value> {
    let amendments = if AtomicBool::load(&amended, Ordering::Relaxed) {
        json!([{"additionalNoteText": "Follow-up: the session was rearranged.", "authorName": "Bench Author",
                "creationDateTime": "2025-01-13T09:30:00+00:00"}])
    } else {
        json!([])
    };
    Json(json!({
        "caseNoteId": id, "eventId": 1, "offenderIdentifier": noms, "type": "GEN", "subType": "OSE",
        "creationDateTime": "2025-01-12T11:22:33+00:00", "occurrenceDateTime": "2025-01-11T10:11:22+00:00",
        "authorName": "Bench Author", "locationId": "LEI", "amendments": amendments,
        "text": "Key work session held in the wing office. Discussed release plans, accommodation on release and \
                 contact with the community offender manager. Agreed actions: apply for ID documents, attend the \
                 housing advice session next week, and keep working with the education department."
    }))
}

fn envelope(stub: &CaseNoteStub, i: usize, event_type: &str) -> String {
    let id = case_note_id(i);
    let noms = noms(i);
    let event = json!({
        "eventType": event_type, "version": 1, "occurredAt": "2025-01-12T11:22:33Z",
        "detailUrl": format!("{}/case-notes/{noms}/{id}", stub.base_url),
        "personReference": {"identifiers": [{"type": "NOMS", "value": noms}]}
    });
    Notification::new(event.to_string())
        .with_attribute("eventType", event_type)
        .with_attribute("type", "GEN")
        .with_attribute("subType", "OSE")
        .to_envelope()
}

/// Records how long each `handle` call took.
struct Timed {
    inner: CaseNotesHandler,
    nanos: Mutex<Vec<u64>>,
    failures: AtomicUsize,
}

impl Timed {
    fn new(inner: CaseNotesHandler) -> Self {
        Self {
            inner,
            nanos: Mutex::new(Vec::new()),
            failures: AtomicUsize::new(0),
        }
    }

    fn reset(&self) {
        self.take();
    }

    fn take(&self) -> Vec<u64> {
        std::mem::take(&mut *self.nanos.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

#[async_trait]
impl NotificationHandler for Timed {
    async fn handle(&self, notification: &Notification) -> anyhow::Result<Outcome> {
        let started = Instant::now();
        let result = self.inner.handle(notification).await;
        let elapsed = started.elapsed().as_nanos() as u64;
        self.nanos
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(elapsed);
        match &result {
            Ok(outcome) if outcome.name() == "CaseNoteMerged" => {}
            _ => {
                self.failures.fetch_add(1, Ordering::Relaxed);
            }
        }
        result
    }
}

/// Fills a queue with `count` messages (ids from `first`), then times the consumer until every
/// message is deleted.
async fn run_consumer(
    handler: Arc<Timed>,
    stub: &CaseNoteStub,
    first: usize,
    count: usize,
    event_type: &str,
) -> anyhow::Result<Duration> {
    let queue = InMemoryQueue::new("bench-queue");
    for i in first..first + count {
        queue.send(&envelope(stub, i, event_type)).await?;
    }
    let config = ConsumerConfig {
        concurrency: CONCURRENCY,
        wait_time: Duration::from_millis(20),
        ..ConsumerConfig::default()
    };
    let consumer = Consumer::new(
        Arc::new(queue.clone()),
        handler.clone(),
        config,
        Telemetry::new(),
        Platform::classifier(vec![]),
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
    let failures = handler.failures.swap(0, Ordering::SeqCst);
    anyhow::ensure!(
        failures == 0 && queue.dead_letters().is_empty(),
        "{failures} messages were not merged"
    );
    Ok(elapsed)
}

/// The contacts of the run exist, each at the expected row version.
async fn check(pool: &DbPool, first: usize, count: usize, row_version: i64) -> anyhow::Result<()> {
    let mut conn = pool.get().await?;
    let urns: Vec<String> = (first..first + count)
        .map(|i| format!("urn:uk:gov:hmpps:prison-case-note:{}", case_note_id(i)))
        .collect();
    let found: i64 = contact::table
        .filter(contact::external_reference.eq_any(&urns))
        .filter(contact::row_version.eq(row_version))
        .count()
        .get_result(&mut conn)
        .await?;
    anyhow::ensure!(
        found as usize == count,
        "expected {count} contacts at row_version {row_version}, found {found}"
    );
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FloorWrite {
    Insert,
    Update,
}

/// The writes a merge makes, without the queue, HTTP or lookups: one transaction with the contact
/// insert (or versioned update of a contact the insert floor wrote), then the audit row on its own
/// connection, from `CONCURRENCY` tasks.
async fn floor(
    pool: &DbPool,
    auditor: &Auditor,
    count: usize,
    write: FloorWrite,
) -> anyhow::Result<(Duration, Vec<u64>)> {
    let next = Arc::new(AtomicUsize::new(0));
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(count)));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..CONCURRENCY {
        let (pool, auditor, next, latencies) = (
            pool.clone(),
            auditor.clone(),
            next.clone(),
            latencies.clone(),
        );
        tasks.spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count {
                    return anyhow::Ok(());
                }
                let t = Instant::now();
                let mut conn = pool.get().await?;
                let urn = format!("urn:bench:floor:{i}");
                let contact_id = conn
                    .transaction::<i64, anyhow::Error, _>(|tx| {
                        async move { floor_write(tx, i, &urn, write).await }.scope_boxed()
                    })
                    .await?;
                drop(conn);
                let params = AuditParameters::new()
                    .with("dpsId", i)
                    .with("contactId", contact_id);
                auditor
                    .record("APIBI001", AuditOutcome::Success, &params)
                    .await?;
                latencies
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(t.elapsed().as_nanos() as u64);
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done??;
    }
    let elapsed = started.elapsed();
    let latencies = std::mem::take(&mut *latencies.lock().unwrap_or_else(|e| e.into_inner()));
    Ok((elapsed, latencies))
}

async fn floor_write(
    tx: &mut diesel_async::AsyncPgConnection,
    i: usize,
    urn: &str,
    write: FloorWrite,
) -> anyhow::Result<i64> {
    let now = delius_data::time::now_london();
    let notes = format!("GEN OSE\nfloor note {i} with a few hundred characters of text like a real key work session record");
    match write {
        FloorWrite::Insert => {
            let contact_id = next_id(tx, Sequence::named("contact_id_seq")).await?;
            diesel::insert_into(contact::table)
                .values((
                    contact::contact_id.eq(contact_id),
                    contact::offender_id.eq(900000 + (i % PEOPLE) as i64),
                    contact::contact_type_id.eq(101i64),
                    contact::contact_date.eq(now.date()),
                    contact::contact_start_time.eq(now.time()),
                    contact::staff_id.eq(1051i64),
                    contact::staff_employee_id.eq(1051i64),
                    contact::team_id.eq(1051i64),
                    contact::probation_area_id.eq(105i64),
                    contact::trust_provider_team_id.eq(1051i64),
                    contact::description.eq("NOMIS Case Note - GEN - OSE"),
                    contact::notes.eq(notes),
                    contact::sensitive.eq(delius_data::YesNo::NO),
                    contact::external_reference.eq(urn),
                    contact::created_by_user_id.eq(2i64),
                    contact::last_updated_user_id.eq(2i64),
                    contact::created_datetime.eq(now),
                    contact::last_updated_datetime.eq(now),
                ))
                .execute(tx)
                .await?;
            Ok(contact_id)
        }
        FloorWrite::Update => {
            let (contact_id, version): (i64, i64) = contact::table
                .filter(contact::external_reference.eq(urn))
                .select((contact::contact_id, contact::row_version))
                .first(tx)
                .await?;
            diesel::update(
                contact::table
                    .filter(contact::contact_id.eq(contact_id))
                    .filter(contact::row_version.eq(version)),
            )
            .set((
                contact::notes.eq(format!("{notes}\n[amended]")),
                contact::last_updated_datetime.eq(now),
                contact::last_updated_user_id.eq(2i64),
                contact::row_version.eq(contact::row_version + 1),
            ))
            .execute(tx)
            .await?;
            Ok(contact_id)
        }
    }
}

#[derive(Debug, serde::Serialize)]
struct Latency {
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
}

fn percentiles(mut nanos: Vec<u64>) -> Option<Latency> {
    if nanos.is_empty() {
        return None;
    }
    nanos.sort_unstable();
    let at = |p: f64| {
        let rank = ((p * nanos.len() as f64).ceil() as usize).clamp(1, nanos.len());
        nanos[rank - 1] as f64 / 1e6
    };
    Some(Latency {
        p50_ms: at(0.50),
        p99_ms: at(0.99),
        max_ms: at(1.0),
    })
}

#[derive(Debug, serde::Serialize)]
struct ScenarioResult {
    scenario: &'static str,
    description: &'static str,
    messages: usize,
    seconds: f64,
    msgs_per_sec: f64,
    latency: Option<Latency>,
}

fn scenario(
    scenario: &'static str,
    description: &'static str,
    messages: usize,
    elapsed: Duration,
    nanos: Vec<u64>,
) -> ScenarioResult {
    ScenarioResult {
        scenario,
        description,
        messages,
        seconds: elapsed.as_secs_f64(),
        msgs_per_sec: messages as f64 / elapsed.as_secs_f64(),
        latency: percentiles(nanos),
    }
}

/// Peak and current resident memory of this process (kB), from /proc.
fn memory() -> (Option<u64>, Option<u64>) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
    };
    (field("VmHWM:"), field("VmRSS:"))
}

fn report(
    results: &[ScenarioResult],
    (peak_kb, rss_kb): (Option<u64>, Option<u64>),
    quick: bool,
) -> anyhow::Result<()> {
    let rate = |name: &str| {
        results
            .iter()
            .find(|r| r.scenario == name)
            .map(|r| r.msgs_per_sec)
    };
    let ratio = |handler: &str, floor: &str| Some(rate(floor)? / rate(handler)?);
    let json = json!({
        "generated_at": chrono::Utc::now().to_rfc3339(),
        "quick": quick,
        "machine": {"cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0), "os": std::env::consts::OS},
        "settings": {"pool_size": POOL_SIZE, "consumer_concurrency": CONCURRENCY, "people": PEOPLE,
                     "log": "JSON at info into a sink"},
        "scenarios": results,
        "floor_over_handler": {"new": ratio("handler-new", "db-floor-new"), "update": ratio("handler-update", "db-floor-update")},
        "peak_rss_kb": peak_kb,
        "rss_at_end_kb": rss_kb,
        "rss_note": "the bench process: service handler and consumer plus the HTTP stub, fake HMPPS Auth and queue contents",
    });
    let mut md = String::from("# prison-case-notes-to-probation benchmark\n\n| scenario | messages | seconds | msgs/s | p50 ms | p99 ms | max ms |\n| --- | --- | --- | --- | --- | --- | --- |\n");
    for r in results {
        let (p50, p99, max) = r
            .latency
            .as_ref()
            .map_or((0.0, 0.0, 0.0), |l| (l.p50_ms, l.p99_ms, l.max_ms));
        md.push_str(&format!(
            "| {} | {} | {:.2} | {:.0} | {:.2} | {:.2} | {:.2} |\n",
            r.scenario, r.messages, r.seconds, r.msgs_per_sec, p50, p99, max
        ));
    }
    md.push_str(&format!(
        "\nFloor / handler: new {:.2}x, update {:.2}x. Peak RSS of the bench process {} MiB (at end {} MiB).\n\n",
        ratio("handler-new", "db-floor-new").unwrap_or(0.0),
        ratio("handler-update", "db-floor-update").unwrap_or(0.0),
        peak_kb.unwrap_or(0) / 1024,
        rss_kb.unwrap_or(0) / 1024,
    ));
    for r in results {
        md.push_str(&format!("- `{}`: {}\n", r.scenario, r.description));
    }
    print!("{md}");
    let dir = std::path::PathBuf::from(
        std::env::var("CARGO_TARGET_DIR")
            .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../target").to_owned()),
    )
    .join("bench");
    std::fs::create_dir_all(&dir)?;
    std::fs::write(
        dir.join("prison-case-notes.json"),
        serde_json::to_string_pretty(&json)?,
    )?;
    std::fs::write(dir.join("prison-case-notes.md"), md)?;
    println!("written to {}", dir.display());
    Ok(())
}
