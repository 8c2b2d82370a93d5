//! Release and recall messages per second through the full handler, against real PostgreSQL:
//! in-memory queue -> platform consumer -> handler -> one transaction (person, custodial event,
//! Release/Recall + UpdateStatus + UpdateLocation with contacts, history and POM) -> delete;
//! beside the database floor (the same row writes from plain tasks, without queue or lookups).
//!
//! `cargo bench -p prison-custody-status-to-delius --bench throughput [-- --quick]`
//! Needs PostgreSQL (`make infra`). Results: `target/bench/prison-custody-status.{json,md}`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use async_trait::async_trait;
use delius_data::lookups::{next_id, Sequence};
use delius_data::schema::{
    contact, contact_alert, custody, custody_history, event, prison_offender_manager, recall,
    release,
};
use delius_data::DbPool;
use diesel::prelude::*;
use diesel_async::scoped_futures::ScopedFutureExt;
use diesel_async::{AsyncConnection, RunQueryDsl};
use messaging::{
    Consumer, ConsumerConfig, InMemoryQueue, Notification, NotificationHandler, Outcome, Queue,
    Telemetry,
};
use prison_custody_status_to_delius::{CustodyStatusHandler, Flags, PrisonApi};
use serde_json::json;
use service_kit::Platform;
use test_support::auth::FakeHmppsAuth;
use test_support::TestDatabase;
use tokio_util::sync::CancellationToken;

const POOL_SIZE: usize = 10;
const CONCURRENCY: usize = 10;
const FIRST_ID: i64 = 800_000;
const SERVICE_USER_ID: i64 = 5;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let quick = std::env::args().any(|a| a == "--quick");
    let people = if quick { 300 } else { 3000 };
    tracing_subscriber::fmt()
        .json()
        .with_writer(std::io::sink)
        .with_env_filter("info")
        .init();

    let database = TestDatabase::new()
        .await
        .context("creating the bench database (run `make infra`)")?;
    let pool = delius_data::build_pool(database.url(), POOL_SIZE, Duration::from_secs(10))?;
    // People 0..people for the handler, people..2*people for the floor.
    seed(&pool, people * 2 + 20).await?;
    let auth = FakeHmppsAuth::start().await;
    let http = auth::outbound::http_client()?;
    let tokens = Arc::new(auth::outbound::TokenProvider::new(
        auth.client_credentials(),
        http.clone(),
    ));
    let api = PrisonApi::new(
        auth::outbound::AuthorisedClient::new(http, tokens),
        url::Url::parse(&auth.base_url())?,
    );
    let handler = Arc::new(Timed::new(CustodyStatusHandler::new(
        pool.clone(),
        api,
        SERVICE_USER_ID,
        Flags::default(),
        Telemetry::new(),
    )));

    // Warm up on the 20 spare people: connections, statement caches.
    let spare = people * 2;
    run_consumer(
        &handler,
        spare,
        spare + 20,
        Kind::Release,
        "LocationUpdated",
    )
    .await?;
    handler.take();

    let mut results = Vec::new();
    let released = run_consumer(&handler, 0, people, Kind::Release, "LocationUpdated").await?;
    results.push(scenario(
        "handler-release",
        "prisoner.released NCS: RELEASE, EREL, first release date, IAPS, status B + TSC, COMMUN + CPL, POM",
        people,
        released,
        handler.take(),
    ));
    let recalled = run_consumer(&handler, 0, people, Kind::Recall, "LocationUpdated").await?;
    results.push(scenario(
        "handler-recall",
        "prisoner.received ADMISSION R1 of the released people: RECALL, ERCL + alert, status D + TSC, WSI + CPL, ETCP",
        people,
        recalled,
        handler.take(),
    ));
    check(&pool, people).await?;

    let (t, l) = floor(&pool, people, people, Kind::Release).await?;
    results.push(scenario(
        "db-floor-release",
        "the same release writes from 10 plain tasks on the pool of 10 (no queue, lookups or checks)",
        people,
        t,
        l,
    ));
    let (t, l) = floor(&pool, people, people, Kind::Recall).await?;
    results.push(scenario(
        "db-floor-recall",
        "the same recall writes from 10 plain tasks",
        people,
        t,
        l,
    ));
    report(&results, memory(), quick)?;
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Release,
    Recall,
}

fn noms(i: usize) -> String {
    format!("C{i:04}XY")
}

/// One custodial case per person: status D at WSI, order and community manager.
async fn seed(pool: &DbPool, count: usize) -> anyhow::Result<()> {
    let mut conn = pool.get().await?;
    let n = count as i64 - 1;
    for sql in [
        format!("INSERT INTO offender (offender_id, crn, noms_number, first_name, surname, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
                 SELECT {FIRST_ID} + i, 'C' || lpad(i::text, 6, '0'), 'C' || lpad(i::text, 4, '0') || 'XY', 'Bench', 'Person', 1, 1, now(), now() FROM generate_series(0, {n}) i"),
        format!("INSERT INTO event (event_id, offender_id, event_number, active_flag, soft_deleted, row_version)
                 SELECT {FIRST_ID} + i, {FIRST_ID} + i, '1', 1, 0, 0 FROM generate_series(0, {n}) i"),
        format!("INSERT INTO disposal (disposal_id, event_id, disposal_type_id, disposal_date, active_flag, soft_deleted)
                 SELECT {FIRST_ID} + i, {FIRST_ID} + i, 101, DATE '2020-01-01', 1, 0 FROM generate_series(0, {n}) i"),
        format!("INSERT INTO custody (custody_id, disposal_id, custodial_status_id, institution_id, establishment, status_change_date, location_change_date, soft_deleted, row_version)
                 SELECT {FIRST_ID} + i, {FIRST_ID} + i, 10904, 114, 'Y', DATE '2021-01-01', DATE '2021-01-01', 0, 0 FROM generate_series(0, {n}) i"),
        format!("INSERT INTO order_manager (order_manager_id, event_id, allocation_staff_id, allocation_team_id, probation_area_id, trust_provider_flag, partition_area_id, active_flag, soft_deleted, row_version)
                 SELECT {FIRST_ID} + i, {FIRST_ID} + i, 1031, 1031, 103, 0, 0, 1, 0, 0 FROM generate_series(0, {n}) i"),
        format!("INSERT INTO offender_manager (offender_manager_id, offender_id, allocation_staff_id, team_id, probation_area_id, trust_provider_flag, partition_area_id, active_flag, soft_deleted, row_version)
                 SELECT {FIRST_ID} + i, {FIRST_ID} + i, 1031, 1031, 103, 0, 0, 1, 0, 0 FROM generate_series(0, {n}) i"),
    ] {
        diesel::sql_query(sql).execute(&mut conn).await?;
    }
    Ok(())
}

fn envelope(i: usize, kind: Kind) -> String {
    let (event_type, reason, code, at) = match kind {
        Kind::Release => (
            "prison-offender-events.prisoner.released",
            "RELEASED",
            "NCS",
            "2024-05-04T07:03:50+01:00",
        ),
        Kind::Recall => (
            "prison-offender-events.prisoner.received",
            "ADMISSION",
            "R1",
            "2024-08-04T08:09:36+01:00",
        ),
    };
    let event = json!({
        "eventType": event_type, "version": 1, "occurredAt": at,
        "additionalInformation": {"reason": reason, "nomisMovementReasonCode": code, "prisonId": "WSI",
                                  "details": format!("Movement reason code {code}")},
        "personReference": {"identifiers": [{"type": "NOMS", "value": noms(i)}]}
    });
    Notification::new(event.to_string())
        .with_attribute("eventType", event_type)
        .to_envelope()
}

struct Timed {
    inner: CustodyStatusHandler,
    nanos: Mutex<Vec<u64>>,
    expected: Mutex<&'static str>,
    failures: AtomicUsize,
}

impl Timed {
    fn new(inner: CustodyStatusHandler) -> Self {
        Self {
            inner,
            nanos: Mutex::new(Vec::new()),
            expected: Mutex::new(""),
            failures: AtomicUsize::new(0),
        }
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
        let expected = *self.expected.lock().unwrap_or_else(|e| e.into_inner());
        if !matches!(&result, Ok(o) if o.name() == expected) {
            self.failures.fetch_add(1, Ordering::Relaxed);
        }
        result
    }
}

async fn run_consumer(
    handler: &Arc<Timed>,
    first: usize,
    last: usize,
    kind: Kind,
    expected: &'static str,
) -> anyhow::Result<Duration> {
    *handler.expected.lock().unwrap_or_else(|e| e.into_inner()) = expected;
    let queue = InMemoryQueue::new("bench-queue");
    for i in first..last {
        queue.send(&envelope(i, kind)).await?;
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
        "{failures} messages did not end in {expected}"
    );
    Ok(elapsed)
}

/// Every handler person was released and recalled exactly once.
async fn check(pool: &DbPool, people: usize) -> anyhow::Result<()> {
    let mut conn = pool.get().await?;
    let last = FIRST_ID + people as i64;
    let releases: i64 = release::table
        .filter(
            release::custody_id
                .ge(FIRST_ID)
                .and(release::custody_id.lt(last)),
        )
        .count()
        .get_result(&mut conn)
        .await?;
    let recalls: i64 = recall::table
        .filter(
            recall::offender_id
                .ge(FIRST_ID)
                .and(recall::offender_id.lt(last)),
        )
        .count()
        .get_result(&mut conn)
        .await?;
    anyhow::ensure!(
        releases as usize == people && recalls as usize == people,
        "expected {people} releases and recalls, found {releases} and {recalls}"
    );
    Ok(())
}

/// The writes of a release or recall message (spec 5.2-5.5), without queue, lookups or checks.
async fn floor(
    pool: &DbPool,
    first: usize,
    count: usize,
    kind: Kind,
) -> anyhow::Result<(Duration, Vec<u64>)> {
    let next = Arc::new(AtomicUsize::new(first));
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(count)));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..CONCURRENCY {
        let (pool, next, latencies) = (pool.clone(), next.clone(), latencies.clone());
        tasks.spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= first + count {
                    return anyhow::Ok(());
                }
                let t = Instant::now();
                let mut conn = pool.get().await?;
                conn.transaction::<(), anyhow::Error, _>(|tx| {
                    async move { floor_write(tx, FIRST_ID + i as i64, kind).await }.scope_boxed()
                })
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
    id: i64,
    kind: Kind,
) -> anyhow::Result<()> {
    let now = delius_data::time::now_london();
    let contact_row = |tx_id: i64, type_id: i64, alert: &'static str| {
        (
            contact::contact_id.eq(tx_id),
            contact::offender_id.eq(id),
            contact::event_id.eq(Some(id)),
            contact::contact_type_id.eq(type_id),
            contact::contact_date.eq(now.date()),
            contact::contact_start_time.eq(now.time()),
            contact::staff_id.eq(1031i64),
            contact::team_id.eq(1031i64),
            contact::notes.eq("Release Type: Adult Licence"),
            contact::alert_active.eq(alert),
            contact::trust_provider_flag.eq(0i16),
            contact::created_by_user_id.eq(SERVICE_USER_ID),
            contact::created_datetime.eq(now),
        )
    };
    let history = |hid: i64, type_id: i64| {
        (
            custody_history::custody_history_id.eq(hid),
            custody_history::historical_date.eq(now),
            custody_history::custody_event_type_id.eq(type_id),
            custody_history::detail.eq("detail"),
            custody_history::offender_id.eq(id),
            custody_history::custody_id.eq(id),
        )
    };
    match kind {
        Kind::Release => {
            let rid = next_id(tx, Sequence::named("release_id_seq")).await?;
            diesel::insert_into(release::table)
                .values((
                    release::release_id.eq(rid),
                    release::actual_release_date.eq(now.date()),
                    release::release_type_id.eq(11101i64),
                    release::offender_id.eq(id),
                    release::custody_id.eq(id),
                    release::institution_id.eq(114i64),
                    release::establishment.eq("Y"),
                    release::probation_area_id.eq(107i64),
                    release::nomis_movement_reason_code.eq("NCS"),
                    release::created_datetime.eq(now),
                ))
                .execute(tx)
                .await?;
            let cid = next_id(tx, Sequence::named("contact_id_seq")).await?;
            diesel::insert_into(contact::table)
                .values(contact_row(cid, 134, "N"))
                .execute(tx)
                .await?;
            diesel::update(event::table.filter(event::event_id.eq(id)))
                .set((
                    event::first_release_date.eq(now.date()),
                    event::row_version.eq(event::row_version + 1),
                ))
                .execute(tx)
                .await?;
            audit_iaps::iaps::flag_iaps_event(tx, id).await?;
            diesel::update(custody::table.filter(custody::custody_id.eq(id)))
                .set((
                    custody::custodial_status_id.eq(10902i64),
                    custody::row_version.eq(custody::row_version + 1),
                ))
                .execute(tx)
                .await?;
            let h = next_id(tx, Sequence::named("custody_history_id_seq")).await?;
            diesel::insert_into(custody_history::table)
                .values(history(h, 11001))
                .execute(tx)
                .await?;
            diesel::update(custody::table.filter(custody::custody_id.eq(id)))
                .set((
                    custody::institution_id.eq(101i64),
                    custody::row_version.eq(custody::row_version + 1),
                ))
                .execute(tx)
                .await?;
            let h = next_id(tx, Sequence::named("custody_history_id_seq")).await?;
            diesel::insert_into(custody_history::table)
                .values(history(h, 11002))
                .execute(tx)
                .await?;
            let pid = next_id(tx, Sequence::named("prison_offender_manager_id_seq")).await?;
            diesel::insert_into(prison_offender_manager::table)
                .values((
                    prison_offender_manager::prison_offender_manager_id.eq(pid),
                    prison_offender_manager::offender_id.eq(id),
                    prison_offender_manager::allocation_date.eq(now),
                    prison_offender_manager::allocation_reason_id.eq(10701i64),
                    prison_offender_manager::allocation_staff_id.eq(1073i64),
                    prison_offender_manager::allocation_team_id.eq(1073i64),
                    prison_offender_manager::probation_area_id.eq(107i64),
                    prison_offender_manager::active_flag.eq(1i16),
                    prison_offender_manager::created_by_user_id.eq(SERVICE_USER_ID),
                    prison_offender_manager::last_updated_user_id.eq(SERVICE_USER_ID),
                    prison_offender_manager::created_datetime.eq(now),
                    prison_offender_manager::last_updated_datetime.eq(now),
                ))
                .execute(tx)
                .await?;
        }
        Kind::Recall => {
            let rid: i64 = release::table
                .filter(release::custody_id.eq(id))
                .select(release::release_id)
                .first(tx)
                .await?;
            let recall_id = next_id(tx, Sequence::named("recall_id_seq")).await?;
            diesel::insert_into(recall::table)
                .values((
                    recall::recall_id.eq(recall_id),
                    recall::recall_date.eq(now.date()),
                    recall::recall_reason_id.eq(101i64),
                    recall::release_id.eq(rid),
                    recall::offender_id.eq(id),
                    recall::nomis_movement_reason_code.eq("R1"),
                    recall::created_datetime.eq(now),
                ))
                .execute(tx)
                .await?;
            let cid = next_id(tx, Sequence::named("contact_id_seq")).await?;
            diesel::insert_into(contact::table)
                .values(contact_row(cid, 135, "Y"))
                .execute(tx)
                .await?;
            let aid = next_id(tx, Sequence::named("contact_alert_id_seq")).await?;
            diesel::insert_into(contact_alert::table)
                .values((
                    contact_alert::contact_alert_id.eq(aid),
                    contact_alert::offender_id.eq(id),
                    contact_alert::contact_id.eq(cid),
                    contact_alert::contact_type_id.eq(135i64),
                    contact_alert::offender_manager_id.eq(id),
                    contact_alert::staff_employee_id.eq(1031i64),
                    contact_alert::trust_provider_team_id.eq(1031i64),
                ))
                .execute(tx)
                .await?;
            diesel::update(custody::table.filter(custody::custody_id.eq(id)))
                .set((
                    custody::custodial_status_id.eq(10904i64),
                    custody::row_version.eq(custody::row_version + 1),
                ))
                .execute(tx)
                .await?;
            let h = next_id(tx, Sequence::named("custody_history_id_seq")).await?;
            diesel::insert_into(custody_history::table)
                .values(history(h, 11001))
                .execute(tx)
                .await?;
            diesel::update(custody::table.filter(custody::custody_id.eq(id)))
                .set((
                    custody::institution_id.eq(114i64),
                    custody::row_version.eq(custody::row_version + 1),
                ))
                .execute(tx)
                .await?;
            let h = next_id(tx, Sequence::named("custody_history_id_seq")).await?;
            diesel::insert_into(custody_history::table)
                .values(history(h, 11002))
                .execute(tx)
                .await?;
            let cid = next_id(tx, Sequence::named("contact_id_seq")).await?;
            diesel::insert_into(contact::table)
                .values(contact_row(cid, 136, "N"))
                .execute(tx)
                .await?;
        }
    }
    Ok(())
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
        "settings": {"pool_size": POOL_SIZE, "consumer_concurrency": CONCURRENCY, "log": "JSON at info into a sink"},
        "scenarios": results,
        "floor_over_handler": {"release": ratio("handler-release", "db-floor-release"), "recall": ratio("handler-recall", "db-floor-recall")},
        "peak_rss_kb": peak_kb,
        "rss_at_end_kb": rss_kb,
        "rss_note": "the bench process: handler and consumer plus the fake HMPPS Auth and queue contents",
    });
    let mut md = String::from("# prison-custody-status-to-delius benchmark\n\n| scenario | messages | seconds | msgs/s | p50 ms | p99 ms | max ms |\n| --- | --- | --- | --- | --- | --- | --- |\n");
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
        "\nFloor / handler: release {:.2}x, recall {:.2}x. Peak RSS of the bench process {} MiB (at end {} MiB).\n\n",
        ratio("handler-release", "db-floor-release").unwrap_or(0.0),
        ratio("handler-recall", "db-floor-recall").unwrap_or(0.0),
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
        dir.join("prison-custody-status.json"),
        serde_json::to_string_pretty(&json)?,
    )?;
    std::fs::write(dir.join("prison-custody-status.md"), md)?;
    println!("written to {}", dir.display());
    Ok(())
}
