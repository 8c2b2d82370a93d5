//! Case-note messages per second through the full handler, against real PostgreSQL:
//! in-memory queue -> platform consumer -> case-notes API stub over HTTP -> merge transaction ->
//! audit row -> delete; for new contacts and for updates of them, beside the database floor (the
//! same contact insert/update and audit row from plain tasks, without queue, HTTP or lookups).
//!
//! `cargo bench -p prison-case-notes-to-probation --bench throughput [-- --quick]` (or `make bench`)
//! Needs PostgreSQL (`make infra`). Results: `target/bench/prison-case-notes.{json,md}`.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
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
use messaging::{Notification, Telemetry};
use prison_case_notes_to_probation::{CaseNotesHandler, UpstreamUrls, Upstreams};
use serde_json::{json, Value};
use service_kit::Platform;
use test_support::auth::FakeHmppsAuth;
use test_support::bench::{
    log_like_production, message_scenario, run_concurrently, LatencySummary, Memory, Report,
    ScenarioResult, TimedHandler,
};
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
    log_like_production();

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
    let handler = Arc::new(TimedHandler::new(CaseNotesHandler::new(
        pool.clone(),
        auditor.clone(),
        upstreams,
        Telemetry::new(),
    )));

    // Warm up: token, connections, the author's staff record (created once, found afterwards).
    scenario(
        &handler,
        &stub,
        "warm-up",
        "",
        0,
        20,
        "person.case-note.created",
    )
    .await?;

    let mut results = vec![
        scenario(
            &handler,
            &stub,
            "handler-new",
            "new contact per message: queue -> consumer -> HTTP stub -> merge -> audit -> delete",
            1000,
            messages,
            "person.case-note.created",
        )
        .await?,
    ];
    check(&pool, 1000, messages, 0).await?;

    stub.amended.store(true, Ordering::SeqCst);
    results.push(
        scenario(
            &handler,
            &stub,
            "handler-update",
            "newer version of an existing contact per message (amendment appended)",
            1000,
            messages,
            "person.case-note.updated",
        )
        .await?,
    );
    check(&pool, 1000, messages, 1).await?;

    let (floor_new, floor_new_latency) =
        floor(&pool, &auditor, messages, FloorWrite::Insert).await?;
    results.push(ScenarioResult::new(
        "db-floor-new",
        "the same contact insert + audit row from 10 plain tasks on the pool of 10",
        messages,
        floor_new,
        floor_new_latency,
    ));
    let (floor_update, floor_update_latency) =
        floor(&pool, &auditor, messages, FloorWrite::Update).await?;
    results.push(ScenarioResult::new(
        "db-floor-update",
        "the same versioned contact update + audit row from 10 plain tasks",
        messages,
        floor_update,
        floor_update_latency,
    ));

    report(results, quick)?;
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

/// `count` messages of `event_type` (case-note ids from `first`) through the consumer.
async fn scenario(
    handler: &Arc<TimedHandler<CaseNotesHandler>>,
    stub: &CaseNoteStub,
    name: &'static str,
    description: &str,
    first: usize,
    count: usize,
    event_type: &str,
) -> anyhow::Result<ScenarioResult> {
    let bodies = (first..first + count)
        .map(|i| envelope(stub, i, event_type))
        .collect();
    message_scenario(
        handler,
        name,
        description,
        &["CaseNoteMerged"],
        bodies,
        CONCURRENCY,
        Platform::classifier(vec![]),
    )
    .await
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
) -> anyhow::Result<(Duration, Option<LatencySummary>)> {
    let (pool, auditor) = (pool.clone(), auditor.clone());
    run_concurrently(CONCURRENCY, 0..count, move |i| {
        let (pool, auditor) = (pool.clone(), auditor.clone());
        async move {
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
            Ok(())
        }
    })
    .await
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

fn report(results: Vec<ScenarioResult>, quick: bool) -> anyhow::Result<()> {
    let mut report = Report {
        name: "prison-case-notes",
        title: "prison-case-notes-to-probation",
        unit: "msgs",
        quick,
        settings: json!({"pool_size": POOL_SIZE, "consumer_concurrency": CONCURRENCY, "people": PEOPLE,
                         "log": "JSON at info into a sink"}),
        results,
        findings: Vec::new(),
        extra: json!({}),
        memory: Memory::now(),
        memory_note: "the bench process: service handler and consumer plus the HTTP stub, fake HMPPS Auth and queue contents",
    };
    let ratio = |handler: &str, floor: &str| Some(report.rate(floor)? / report.rate(handler)?);
    let (new, update) = (
        ratio("handler-new", "db-floor-new"),
        ratio("handler-update", "db-floor-update"),
    );
    report.findings.push(format!(
        "Floor / handler: new {:.2}x, update {:.2}x.",
        new.unwrap_or(0.0),
        update.unwrap_or(0.0)
    ));
    report.extra = json!({"floor_over_handler": {"new": new, "update": update}});
    report.write()?;
    Ok(())
}
