//! Release and recall messages per second through the full handler, against real PostgreSQL:
//! in-memory queue -> platform consumer -> handler -> one transaction (person, custodial event,
//! Release/Recall + UpdateStatus + UpdateLocation with contacts, history and POM) -> delete;
//! beside the database floor (the same row writes from plain tasks, without queue or lookups).
//!
//! `cargo bench -p prison-custody-status-to-delius --bench throughput [-- --quick]`
//! Needs PostgreSQL (`make infra`). Results: `target/bench/prison-custody-status.{json,md}`.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use delius_data::lookups::{next_id, Sequence};
use delius_data::schema::{
    contact, contact_alert, custody, custody_history, event, prison_offender_manager, recall,
    release,
};
use delius_data::DbPool;
use diesel::prelude::*;
use diesel_async::scoped_futures::ScopedFutureExt;
use diesel_async::{AsyncConnection, RunQueryDsl};
use messaging::{Notification, Telemetry};
use prison_custody_status_to_delius::{CustodyStatusHandler, Flags, PrisonApi};
use serde_json::json;
use service_kit::Platform;
use test_support::auth::FakeHmppsAuth;
use test_support::bench::{
    log_like_production, message_scenario, run_concurrently, LatencySummary, Memory, Report,
    ScenarioResult, TimedHandler,
};
use test_support::TestDatabase;

const POOL_SIZE: usize = 10;
const CONCURRENCY: usize = 10;
const FIRST_ID: i64 = 800_000;
const SERVICE_USER_ID: i64 = 5;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let quick = std::env::args().any(|a| a == "--quick");
    let people = if quick { 300 } else { 3000 };
    log_like_production();

    let database = TestDatabase::new()
        .await
        .context("creating the bench database (run `make infra`)")?;
    let pool = delius_data::build_pool(database.url(), POOL_SIZE, Duration::from_secs(10))?;
    // People 0..people for the handler, people..2*people for the floor.
    seed(&pool, people * 2 + 20).await?;
    let auth = FakeHmppsAuth::start().await;
    let api = PrisonApi::new(auth.authorised_client(), url::Url::parse(&auth.base_url())?);
    let handler = Arc::new(TimedHandler::new(CustodyStatusHandler::new(
        pool.clone(),
        api,
        SERVICE_USER_ID,
        Flags::default(),
        Telemetry::new(),
    )));

    // Warm up on the 20 spare people: connections, statement caches.
    let spare = people * 2;
    scenario(&handler, "warm-up", "", spare..spare + 20, Kind::Release).await?;

    let mut results = vec![
        scenario(
            &handler,
            "handler-release",
            "prisoner.released NCS: RELEASE, EREL, first release date, IAPS, status B + TSC, COMMUN + CPL, POM",
            0..people,
            Kind::Release,
        )
        .await?,
        scenario(
            &handler,
            "handler-recall",
            "prisoner.received ADMISSION R1 of the released people: RECALL, ERCL + alert, status D + TSC, WSI + CPL, ETCP",
            0..people,
            Kind::Recall,
        )
        .await?,
    ];
    check(&pool, people).await?;

    let (t, l) = floor(&pool, people, people, Kind::Release).await?;
    results.push(ScenarioResult::new(
        "db-floor-release",
        "the same release writes from 10 plain tasks on the pool of 10 (no queue, lookups or checks)",
        people,
        t,
        l,
    ));
    let (t, l) = floor(&pool, people, people, Kind::Recall).await?;
    results.push(ScenarioResult::new(
        "db-floor-recall",
        "the same recall writes from 10 plain tasks",
        people,
        t,
        l,
    ));
    report(results, quick)?;
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

/// A release or recall message for each person in `people`, through the consumer; each ends in
/// `LocationUpdated` (the last action's result).
async fn scenario(
    handler: &Arc<TimedHandler<CustodyStatusHandler>>,
    name: &'static str,
    description: &str,
    people: std::ops::Range<usize>,
    kind: Kind,
) -> anyhow::Result<ScenarioResult> {
    message_scenario(
        handler,
        name,
        description,
        &["LocationUpdated"],
        people.map(|i| envelope(i, kind)).collect(),
        CONCURRENCY,
        Platform::classifier(vec![]),
    )
    .await
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
) -> anyhow::Result<(Duration, Option<LatencySummary>)> {
    let pool = pool.clone();
    run_concurrently(CONCURRENCY, first..first + count, move |i| {
        let pool = pool.clone();
        async move {
            let mut conn = pool.get().await?;
            conn.transaction::<(), anyhow::Error, _>(|tx| {
                async move { floor_write(tx, FIRST_ID + i as i64, kind).await }.scope_boxed()
            })
            .await
        }
    })
    .await
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

fn report(results: Vec<ScenarioResult>, quick: bool) -> anyhow::Result<()> {
    let mut report = Report {
        name: "prison-custody-status",
        title: "prison-custody-status-to-delius",
        unit: "msgs",
        quick,
        settings: json!({"pool_size": POOL_SIZE, "consumer_concurrency": CONCURRENCY, "log": "JSON at info into a sink"}),
        results,
        findings: Vec::new(),
        extra: json!({}),
        memory: Memory::now(),
        memory_note:
            "the bench process: handler and consumer plus the fake HMPPS Auth and queue contents",
    };
    let ratio = |handler: &str, floor: &str| Some(report.rate(floor)? / report.rate(handler)?);
    let (release, recall) = (
        ratio("handler-release", "db-floor-release"),
        ratio("handler-recall", "db-floor-recall"),
    );
    report.findings.push(format!(
        "Floor / handler: release {:.2}x, recall {:.2}x.",
        release.unwrap_or(0.0),
        recall.unwrap_or(0.0)
    ));
    report.extra = json!({"floor_over_handler": {"release": release, "recall": recall}});
    report.write()?;
    Ok(())
}
