//! Handover key dates (spec 3.1, 3.5, 3.8; section 5 scenarios 5-15; rules 7, 8 and 9) through the
//! platform consumer, against the seed people of dev-seed.sql and a wiremock Manage POM Cases.

use chrono::{Duration, NaiveDate};
use delius_data::schema::{key_date, r_standard_reference_list};
use delius_data::time::today_london;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use manage_pom_cases_and_delius::handler::{BULK_HANDOVER_UPDATE, HANDOVER_CHANGED};
use messaging::queue::memory::Disposition;
use messaging::{HmppsDomainEvent, Notification};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::harness::{fixture, props, TestApp, SERVICE_USER_ID};

/// Custody ids of the seed people (custody id = offender id in dev-seed.sql).
pub const HANDOVER_CUSTODY: i64 = 930002; // A1024BY
pub const UPDATE_CUSTODY: i64 = 930004; // A2048BY, POM1 2023-01-01 and POM2 2023-01-02
pub const CREATE_CUSTODY: i64 = 930005; // A4096BY
pub const SENTENCE_CHANGED_CUSTODY: i64 = 930006; // A4096CY
/// The seed's existing POM1 and POM2 rows of A2048BY.
const SEED_POM1: i64 = 930001;
const SEED_POM2: i64 = 930002;

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct KeyDateRow {
    pub id: i64,
    pub code: String,
    pub date: NaiveDate,
    pub row_version: i64,
    pub created_by: Option<i64>,
    pub last_updated_by: Option<i64>,
    pub soft_deleted: i16,
    pub partition_area_id: i64,
}

/// The custody's key dates, POM1 before POM2.
pub async fn key_dates(app: &TestApp, custody_id: i64) -> Vec<KeyDateRow> {
    key_date::table
        .inner_join(r_standard_reference_list::table)
        .filter(key_date::custody_id.eq(custody_id))
        .select((
            key_date::key_date_id,
            r_standard_reference_list::code_value,
            key_date::key_date_,
            key_date::row_version,
            key_date::created_by_user_id,
            key_date::last_updated_user_id,
            key_date::soft_deleted,
            key_date::partition_area_id,
        ))
        .order((r_standard_reference_list::code_value, key_date::key_date_id))
        .load(&mut *app.conn().await)
        .await
        .expect("key dates")
}

pub async fn all_key_date_count(app: &TestApp) -> i64 {
    key_date::table
        .count()
        .get_result(&mut *app.conn().await)
        .await
        .expect("count")
}

pub fn date(d: &str) -> NaiveDate {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("date")
}

fn codes_and_dates(rows: &[KeyDateRow]) -> Vec<(String, NaiveDate)> {
    rows.iter().map(|r| (r.code.clone(), r.date)).collect()
}

/// Manage POM Cases answers `GET /api/handovers/{noms}` with a simulation file.
pub async fn mount_simulation(app: &TestApp, noms: &str, simulation: &str) {
    let body = std::fs::read(fixture(&format!("simulations/{simulation}"))).expect("simulation");
    mount(
        app,
        noms,
        ResponseTemplate::new(200).set_body_raw(body, "application/json"),
    )
    .await;
}

/// Manage POM Cases answers `GET /api/handovers/{noms}` with this JSON.
pub async fn mount_json(app: &TestApp, noms: &str, body: serde_json::Value) {
    mount(app, noms, ResponseTemplate::new(200).set_body_json(body)).await;
}

pub async fn mount(app: &TestApp, noms: &str, response: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(format!("/api/handovers/{noms}")))
        .respond_with(response)
        .mount(&app.mpc)
        .await;
}

pub fn handover_url(app: &TestApp, noms: &str) -> String {
    format!("{}/api/handovers/{noms}", app.mpc.uri())
}

/// A handover.changed (or bulk-update) event for `noms`, its detailUrl on the mock.
pub fn handover_event(app: &TestApp, event_type: &str, noms: &str, dry_run: bool) -> Notification {
    let mut event = HmppsDomainEvent::new(event_type)
        .with_identifier("NOMS", noms)
        .with_info("dryRun", dry_run);
    event.detail_url = Some(handover_url(app, noms));
    Notification::for_event(event_type, &event).expect("notification")
}

fn sentence_changed(crn: &str) -> Notification {
    Notification::for_event(
        "SENTENCE_CHANGED",
        &json!({"eventType": "SENTENCE_CHANGED", "crn": crn, "offenderId": 1}),
    )
    .expect("notification")
}

fn handover_props(noms: &str, handover: &str, start: &str) -> messaging::Properties {
    props(&[
        ("nomsId", noms),
        ("handoverDate", handover),
        ("handoverStartDate", start),
    ])
}

// ---- Section 5 scenarios 5-10 ----

#[tokio::test]
async fn scenario_5_handover_changed_updates_existing_handover_and_start_dates() {
    let app = TestApp::start().await;
    mount_simulation(&app, "A2048BY", "update-handover-and-start-date.json").await;
    let disposition = app
        .publish(&app.message("update-handover-and-start-date.json"))
        .await;
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(
        app.outcome("KeyDateUpdated").properties,
        handover_props("A2048BY", "2023-05-09", "2023-05-04")
    );
    let rows = key_dates(&app, UPDATE_CUSTODY).await;
    assert_eq!(
        codes_and_dates(&rows),
        [
            ("POM1".to_owned(), date("2023-05-04")),
            ("POM2".to_owned(), date("2023-05-09"))
        ]
    );
    // The same rows, updated: row version bumped, last updated by the service, created unchanged.
    assert_eq!(rows[0].id, SEED_POM1);
    assert_eq!(rows[1].id, SEED_POM2);
    for row in &rows {
        assert_eq!(row.row_version, 1);
        assert_eq!(row.last_updated_by, Some(SERVICE_USER_ID));
        assert_eq!(row.created_by, Some(1));
    }
}

#[tokio::test]
async fn scenario_6_handover_changed_creates_handover_and_start_dates() {
    let app = TestApp::start().await;
    mount_simulation(&app, "A4096BY", "create-handover-and-start-date.json").await;
    let disposition = app
        .publish(&app.message("create-handover-and-start-date.json"))
        .await;
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(
        app.outcome("KeyDateCreated").properties,
        handover_props("A4096BY", "2023-05-10", "2023-05-06")
    );
    let rows = key_dates(&app, CREATE_CUSTODY).await;
    assert_eq!(
        codes_and_dates(&rows),
        [
            ("POM1".to_owned(), date("2023-05-06")),
            ("POM2".to_owned(), date("2023-05-10"))
        ]
    );
    for row in &rows {
        assert_eq!(row.row_version, 0);
        assert_eq!(row.created_by, Some(SERVICE_USER_ID));
        assert_eq!(row.last_updated_by, Some(SERVICE_USER_ID));
        assert_eq!((row.soft_deleted, row.partition_area_id), (0, 0));
    }
}

#[tokio::test]
async fn scenario_7_sentence_changed_creates_key_dates_on_the_single_custody() {
    let app = TestApp::start().await;
    mount_simulation(&app, "A4096CY", "sentence-changed-dates.json").await;
    let disposition = app.publish(&app.message("sentence-changed.json")).await;
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(
        app.outcome("KeyDateCreated").properties,
        handover_props("A4096CY", "2023-06-11", "2023-06-07")
    );
    assert_eq!(
        codes_and_dates(&key_dates(&app, SENTENCE_CHANGED_CUSTODY).await),
        [
            ("POM1".to_owned(), date("2023-06-07")),
            ("POM2".to_owned(), date("2023-06-11"))
        ]
    );
}

#[tokio::test]
async fn scenario_8_rule_8_sentence_changed_ignores_a_handover_404() {
    let app = TestApp::start().await;
    let disposition = app
        .publish(&app.message("sentence-changed-not-found.json"))
        .await;
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(
        app.outcome("Handovers api returned not found for sentence changed event")
            .properties,
        props(&[("detailUrl", &handover_url(&app, "A4096DY"))])
    );
    assert!(key_dates(&app, 930007).await.is_empty());
}

#[tokio::test]
async fn scenario_9_handover_date_only_creates_pom2_and_reports_the_start_date_as_null() {
    let app = TestApp::start().await;
    mount_simulation(&app, "A1024BY", "create-handover-date.json").await;
    let disposition = app.publish(&app.message("create-handover-date.json")).await;
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(
        app.outcome("KeyDateCreated").properties,
        handover_props("A1024BY", "2023-05-09", "null")
    );
    assert_eq!(
        codes_and_dates(&key_dates(&app, HANDOVER_CUSTODY).await),
        [("POM2".to_owned(), date("2023-05-09"))]
    );
}

#[tokio::test]
async fn scenario_10_rule_9_sentence_changed_with_two_custodial_sentences_writes_nothing() {
    let app = TestApp::start().await;
    let before = all_key_date_count(&app).await;
    let disposition = app
        .publish(&app.message("sentence-changed-multiple-custodial.json"))
        .await;
    assert_eq!(disposition, Disposition::Deleted);
    // Our explicit reason where the reference implementation records nothing.
    assert_eq!(
        app.outcomes()
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>(),
        ["NoSingleCustodialSentenceForCrn"]
    );
    assert_eq!(
        app.outcome("NoSingleCustodialSentenceForCrn").properties,
        props(&[("crn", "H123412")])
    );
    assert_eq!(all_key_date_count(&app).await, before);
    assert_eq!(app.mpc_requests().await, 0, "Manage POM Cases was called");
}

#[tokio::test]
async fn scenario_10_rule_8_handover_changed_404_fails_the_message() {
    let app = TestApp::start().await;
    let before = all_key_date_count(&app).await;
    let disposition = app.publish(&app.message("handover-not-found.json")).await;
    assert_eq!(disposition, Disposition::DeadLettered);
    assert!(app.outcomes().is_empty(), "{:?}", app.outcomes());
    assert!(app.failure().contains("404"), "{}", app.failure());
    assert_eq!(all_key_date_count(&app).await, before);
}

// ---- Section 5 scenarios 11-15 (KeyDateService, dry-run version) ----

#[tokio::test]
async fn scenario_11_a_person_without_active_custody_is_ignored() {
    let app = TestApp::start().await;
    mount_json(
        &app,
        "A1024BX",
        json!({"nomsNumber": "A1024BX", "handoverDate": "2023-05-09"}),
    )
    .await;
    let disposition = app
        .publish(&handover_event(&app, HANDOVER_CHANGED, "A1024BX", false))
        .await;
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(
        app.outcome("NoActiveCustodialSentence").properties,
        props(&[("nomsId", "A1024BX")])
    );
}

#[tokio::test]
async fn spec_3_1_a_person_with_two_active_custodies_is_ignored() {
    let app = TestApp::start().await;
    mount_json(
        &app,
        "A4096DX",
        json!({"nomsNumber": "A4096DX", "handoverDate": "2023-05-09"}),
    )
    .await;
    let disposition = app
        .publish(&handover_event(&app, HANDOVER_CHANGED, "A4096DX", false))
        .await;
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(
        app.outcome("MultipleActiveCustodialSentences").properties,
        props(&[("nomsId", "A4096DX")])
    );
    assert!(key_dates(&app, 930008).await.is_empty());
    assert!(key_dates(&app, 930009).await.is_empty());
}

#[tokio::test]
async fn scenario_12_bulk_update_creates_both_dates_for_real() {
    let app = TestApp::start().await;
    mount_simulation(&app, "A4096BY", "create-handover-and-start-date.json").await;
    let disposition = app
        .publish(&handover_event(
            &app,
            BULK_HANDOVER_UPDATE,
            "A4096BY",
            false,
        ))
        .await;
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(
        app.outcome("KeyDateCreated").properties,
        handover_props("A4096BY", "2023-05-10", "2023-05-06")
    );
    assert_eq!(key_dates(&app, CREATE_CUSTODY).await.len(), 2);
}

#[tokio::test]
async fn scenario_12_rule_7_dry_run_create_still_writes_the_start_date() {
    let app = TestApp::start().await;
    mount_simulation(&app, "A4096BY", "create-handover-and-start-date.json").await;
    let disposition = app
        .publish(&handover_event(&app, BULK_HANDOVER_UPDATE, "A4096BY", true))
        .await;
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(
        app.outcome("DryRunKeyDateCreated").properties,
        handover_props("A4096BY", "2023-05-10", "2023-05-06")
    );
    // The reference quirk: only POM2 honours the dry run; POM1 is written for real.
    assert_eq!(
        codes_and_dates(&key_dates(&app, CREATE_CUSTODY).await),
        [("POM1".to_owned(), date("2023-05-06"))]
    );
}

#[tokio::test]
async fn scenario_13_update_with_todays_dates_for_real() {
    let app = TestApp::start().await;
    let today = today_london();
    let yesterday = today - Duration::days(1);
    mount_json(
        &app,
        "A2048BY",
        json!({"nomsNumber": "A2048BY", "handoverDate": today, "handoverStartDate": yesterday}),
    )
    .await;
    let disposition = app
        .publish(&handover_event(&app, HANDOVER_CHANGED, "A2048BY", false))
        .await;
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(
        app.outcome("KeyDateUpdated").properties,
        handover_props("A2048BY", &today.to_string(), &yesterday.to_string())
    );
    assert_eq!(
        codes_and_dates(&key_dates(&app, UPDATE_CUSTODY).await),
        [("POM1".to_owned(), yesterday), ("POM2".to_owned(), today)]
    );
}

#[tokio::test]
async fn scenario_13_rule_7_dry_run_update_leaves_pom2_but_updates_pom1() {
    let app = TestApp::start().await;
    let today = today_london();
    mount_json(
        &app,
        "A2048BY",
        json!({"nomsNumber": "A2048BY", "handoverDate": today, "handoverStartDate": today}),
    )
    .await;
    let disposition = app
        .publish(&handover_event(&app, HANDOVER_CHANGED, "A2048BY", true))
        .await;
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(
        app.outcome("DryRunKeyDateUpdated").properties,
        handover_props("A2048BY", &today.to_string(), &today.to_string())
    );
    let rows = key_dates(&app, UPDATE_CUSTODY).await;
    assert_eq!(
        codes_and_dates(&rows),
        [
            ("POM1".to_owned(), today),
            ("POM2".to_owned(), date("2023-01-02"))
        ]
    );
    assert_eq!((rows[0].row_version, rows[1].row_version), (1, 0));
}

#[tokio::test]
async fn scenario_14_rule_7_existing_dates_are_not_deleted_when_none_arrive() {
    let app = TestApp::start().await;
    mount_json(&app, "A2048BY", json!({"nomsNumber": "A2048BY"})).await;
    let before = key_dates(&app, UPDATE_CUSTODY).await;
    for dry_run in [false, true] {
        let disposition = app
            .publish(&handover_event(&app, HANDOVER_CHANGED, "A2048BY", dry_run))
            .await;
        assert_eq!(disposition, Disposition::Deleted);
    }
    assert_eq!(
        app.outcome("NoKeyDateChange").properties,
        handover_props("A2048BY", "null", "null")
    );
    assert_eq!(
        app.outcome("DryRunNoKeyDateChange").properties,
        handover_props("A2048BY", "null", "null")
    );
    assert_eq!(key_dates(&app, UPDATE_CUSTODY).await, before);
    assert_eq!(before.len(), 2);
}

#[tokio::test]
async fn scenario_15_no_dates_and_no_rows_change_nothing() {
    let app = TestApp::start().await;
    mount_json(
        &app,
        "A4096BY",
        json!({"nomsNumber": "A4096BY", "handoverDate": null, "responsibility": "POM"}),
    )
    .await;
    for dry_run in [false, true] {
        let disposition = app
            .publish(&handover_event(&app, HANDOVER_CHANGED, "A4096BY", dry_run))
            .await;
        assert_eq!(disposition, Disposition::Deleted);
    }
    assert_eq!(
        app.outcomes()
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>(),
        ["NoKeyDateChange", "DryRunNoKeyDateChange"]
    );
    assert!(key_dates(&app, CREATE_CUSTODY).await.is_empty());
}

// ---- Rule 7 and the other spec 3.1 rules ----

#[tokio::test]
async fn rule_7_an_equal_date_is_updated_without_bumping_row_version() {
    let app = TestApp::start().await;
    mount_json(
        &app,
        "A2048BY",
        json!({"nomsNumber": "A2048BY", "handoverDate": "2023-01-02", "handoverStartDate": "2023-01-01"}),
    )
    .await;
    let before = key_dates(&app, UPDATE_CUSTODY).await;
    let disposition = app
        .publish(&handover_event(&app, HANDOVER_CHANGED, "A2048BY", false))
        .await;
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(
        app.outcome("KeyDateUpdated").properties,
        handover_props("A2048BY", "2023-01-02", "2023-01-01")
    );
    let after = key_dates(&app, UPDATE_CUSTODY).await;
    assert_eq!(after, before, "no UPDATE: row_version and audit unchanged");
    assert!(after.iter().all(|r| r.row_version == 0));
}

#[tokio::test]
async fn rule_7_the_overall_result_is_the_greater_of_create_and_update() {
    let app = TestApp::start().await;
    // A2048BY's POM1 is deleted, so the start date is created and the handover date updated.
    diesel::update(key_date::table.find(SEED_POM1))
        .set(key_date::soft_deleted.eq(1))
        .execute(&mut *app.conn().await)
        .await
        .expect("delete POM1");
    mount_simulation(&app, "A2048BY", "update-handover-and-start-date.json").await;
    app.publish(&handover_event(&app, HANDOVER_CHANGED, "A2048BY", false))
        .await;
    assert_eq!(
        app.outcome("KeyDateCreated").properties,
        handover_props("A2048BY", "2023-05-09", "2023-05-04")
    );
    let rows = key_dates(&app, UPDATE_CUSTODY).await;
    let live: Vec<_> = rows.iter().filter(|r| r.soft_deleted == 0).collect();
    assert_eq!(live.len(), 2);
    assert_eq!(
        (live[0].code.as_str(), live[0].date),
        ("POM1", date("2023-05-04"))
    );
    assert_ne!(live[0].id, SEED_POM1, "a new POM1 row, not the deleted one");
}

#[tokio::test]
async fn idempotency_the_same_handover_message_twice_leaves_the_state_of_once() {
    let app = TestApp::start().await;
    mount_simulation(&app, "A4096BY", "create-handover-and-start-date.json").await;
    let message = app.message("create-handover-and-start-date.json");
    assert_eq!(app.publish(&message).await, Disposition::Deleted);
    let once = key_dates(&app, CREATE_CUSTODY).await;
    assert_eq!(app.publish(&message).await, Disposition::Deleted);
    assert_eq!(key_dates(&app, CREATE_CUSTODY).await, once);
    assert_eq!(
        app.outcomes()
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>(),
        ["KeyDateCreated", "KeyDateUpdated"]
    );
}

#[tokio::test]
async fn spec_3_1_the_person_is_found_by_the_responses_noms_number() {
    let app = TestApp::start().await;
    // The event names A9999ZZ, Manage POM Cases answers for A4096BY: A4096BY's dates change.
    mount_json(
        &app,
        "A9999ZZ",
        json!({"nomsNumber": "A4096BY", "handoverDate": "2023-05-10"}),
    )
    .await;
    app.publish(&handover_event(&app, HANDOVER_CHANGED, "A9999ZZ", false))
        .await;
    assert_eq!(
        app.outcome("KeyDateCreated").properties,
        handover_props("A4096BY", "2023-05-10", "null")
    );
    assert_eq!(key_dates(&app, CREATE_CUSTODY).await.len(), 1);
}

#[tokio::test]
async fn spec_3_1_an_unknown_noms_number_is_person_not_found_with_the_handover_properties() {
    let app = TestApp::start().await;
    mount_json(
        &app,
        "A0000ZZ",
        json!({"nomsNumber": "A0000ZZ", "handoverDate": "2023-05-10", "handoverStartDate": "2023-05-01"}),
    )
    .await;
    let disposition = app
        .publish(&handover_event(&app, HANDOVER_CHANGED, "A0000ZZ", false))
        .await;
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(
        app.outcome("PersonNotFound").properties,
        handover_props("A0000ZZ", "2023-05-10", "2023-05-01")
    );
}

#[tokio::test]
async fn spec_3_1_no_detail_url_is_no_handover_data() {
    let app = TestApp::start().await;
    let with_noms = HmppsDomainEvent::new(HANDOVER_CHANGED).with_identifier("NOMS", "A4096BY");
    let without_noms = HmppsDomainEvent::new(HANDOVER_CHANGED);
    for event in [with_noms, without_noms] {
        let message = Notification::for_event(HANDOVER_CHANGED, &event).expect("notification");
        assert_eq!(app.publish(&message).await, Disposition::Deleted);
    }
    let events = app.telemetry.named("No handover data available");
    assert_eq!(
        events[0].properties,
        props(&[("nomsId", "A4096BY"), ("detailUrl", "Not Provided")])
    );
    assert_eq!(
        events[1].properties,
        props(&[("nomsId", "Not Provided"), ("detailUrl", "Not Provided")])
    );
    assert!(key_dates(&app, CREATE_CUSTODY).await.is_empty());
}

#[tokio::test]
async fn spec_3_1_an_empty_body_is_no_handover_data() {
    let app = TestApp::start().await;
    mount(&app, "A4096BY", ResponseTemplate::new(200)).await;
    let disposition = app
        .publish(&handover_event(&app, HANDOVER_CHANGED, "A4096BY", false))
        .await;
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(
        app.outcome("No handover data available").properties,
        props(&[
            ("nomsId", "A4096BY"),
            ("detailUrl", &handover_url(&app, "A4096BY"))
        ])
    );
}

#[tokio::test]
async fn spec_3_1_a_blank_or_null_body_is_no_handover_data_too() {
    for body in ["  \n", "null"] {
        let app = TestApp::start().await;
        mount(
            &app,
            "A4096BY",
            ResponseTemplate::new(200).set_body_raw(body, "application/json"),
        )
        .await;
        let disposition = app
            .publish(&handover_event(&app, HANDOVER_CHANGED, "A4096BY", false))
            .await;
        assert_eq!(disposition, Disposition::Deleted, "{body:?}");
        assert_eq!(
            app.outcome("No handover data available").properties,
            props(&[
                ("nomsId", "A4096BY"),
                ("detailUrl", &handover_url(&app, "A4096BY"))
            ]),
            "{body:?}"
        );
        assert!(key_dates(&app, CREATE_CUSTODY).await.is_empty());
    }
}

#[tokio::test]
async fn rule_8_a_handover_server_error_fails_the_message_and_writes_nothing() {
    let app = TestApp::start().await;
    mount(&app, "A4096BY", ResponseTemplate::new(500)).await;
    let disposition = app
        .publish(&handover_event(&app, HANDOVER_CHANGED, "A4096BY", false))
        .await;
    assert_eq!(disposition, Disposition::DeadLettered);
    assert!(app.outcomes().is_empty(), "{:?}", app.outcomes());
    assert!(app.failure().contains("500"), "{}", app.failure());
    assert!(key_dates(&app, CREATE_CUSTODY).await.is_empty());
}

#[tokio::test]
async fn spec_3_1_a_detail_url_outside_the_allow_list_fails_without_being_called() {
    let app = TestApp::start().await;
    let mut event = HmppsDomainEvent::new(HANDOVER_CHANGED).with_identifier("NOMS", "A4096BY");
    event.detail_url = Some("http://attacker.invalid/api/handovers/A4096BY".to_owned());
    let message = Notification::for_event(HANDOVER_CHANGED, &event).expect("notification");
    assert_eq!(app.publish(&message).await, Disposition::DeadLettered);
    assert!(app.failure().contains("allow-list"), "{}", app.failure());
    assert!(app.outcomes().is_empty());
    assert!(key_dates(&app, CREATE_CUSTODY).await.is_empty());
}

async fn rename_key_date_type(app: &TestApp, from: &str, to: &str) {
    diesel::update(
        r_standard_reference_list::table.filter(r_standard_reference_list::code_value.eq(from)),
    )
    .set(r_standard_reference_list::code_value.eq(to))
    .execute(&mut *app.conn().await)
    .await
    .expect("rename key date type");
}

#[tokio::test]
async fn spec_3_1_missing_key_date_type_fails_and_rolls_back_the_whole_merge() {
    let app = TestApp::start().await;
    mount_simulation(&app, "A4096BY", "create-handover-and-start-date.json").await;
    // POM2 merges first; POM1's missing type must undo its insert (one transaction).
    rename_key_date_type(&app, "POM1", "XPOM1").await;
    let message = handover_event(&app, HANDOVER_CHANGED, "A4096BY", false);
    assert_eq!(app.publish(&message).await, Disposition::DeadLettered);
    assert!(
        app.failure()
            .contains("KeyDateType with code of POM1 not found"),
        "{}",
        app.failure()
    );
    assert!(key_dates(&app, CREATE_CUSTODY).await.is_empty());
    assert!(app.outcomes().is_empty());

    rename_key_date_type(&app, "XPOM1", "POM1").await;
    rename_key_date_type(&app, "POM2", "XPOM2").await;
    assert_eq!(app.publish(&message).await, Disposition::DeadLettered);
    let failures = app.telemetry.named("MessageFailed");
    assert!(failures
        .iter()
        .any(|f| f.properties["error"].contains("KeyDateType with code of POM2 not found")));
}

#[tokio::test]
async fn spec_3_1_only_throughcare_date_type_rows_are_merged() {
    let app = TestApp::start().await;
    // A POM2 code in another code set (CUSTODY EVENT TYPE, 110) and a key date of that type.
    {
        let mut conn = app.conn().await;
        diesel::insert_into(r_standard_reference_list::table)
            .values((
                r_standard_reference_list::standard_reference_list_id.eq(930110i64),
                r_standard_reference_list::reference_data_master_id.eq(110i64),
                r_standard_reference_list::code_value.eq("POM2"),
                r_standard_reference_list::code_description.eq("Not a key date type"),
                r_standard_reference_list::selectable.eq("Y"),
            ))
            .execute(&mut *conn)
            .await
            .expect("foreign POM2 code");
        diesel::insert_into(key_date::table)
            .values((
                key_date::key_date_id.eq(930110i64),
                key_date::custody_id.eq(CREATE_CUSTODY),
                key_date::key_date_type_id.eq(930110i64),
                key_date::key_date_.eq(date("2020-01-01")),
                key_date::soft_deleted.eq(0i16),
                key_date::partition_area_id.eq(0i64),
                key_date::row_version.eq(0i64),
            ))
            .execute(&mut *conn)
            .await
            .expect("foreign key date");
    }
    mount_simulation(&app, "A4096BY", "create-handover-and-start-date.json").await;
    let disposition = app
        .publish(&app.message("create-handover-and-start-date.json"))
        .await;
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(
        app.outcome("KeyDateCreated").properties,
        handover_props("A4096BY", "2023-05-10", "2023-05-06")
    );
    let rows = key_dates(&app, CREATE_CUSTODY).await;
    let foreign = rows.iter().find(|r| r.id == 930110).expect("foreign row");
    assert_eq!(
        (foreign.date, foreign.row_version),
        (date("2020-01-01"), 0),
        "untouched"
    );
    let mut merged = codes_and_dates(&rows);
    merged.retain(|(_, d)| *d != date("2020-01-01"));
    assert_eq!(
        merged,
        [
            ("POM1".to_owned(), date("2023-05-06")),
            ("POM2".to_owned(), date("2023-05-10"))
        ]
    );
}

// ---- SENTENCE_CHANGED (spec 3.5, rule 9) ----

#[tokio::test]
async fn spec_3_5_sentence_changed_for_an_unknown_crn_is_ignored_with_the_crn() {
    let app = TestApp::start().await;
    let disposition = app.publish(&sentence_changed("Z999999")).await;
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(
        app.outcome("NoSingleCustodialSentenceForCrn").properties,
        props(&[("crn", "Z999999")])
    );
}

#[tokio::test]
async fn rule_9_sentence_changed_has_no_custodial_status_or_prisoner_number_filter() {
    let app = TestApp::start().await;
    // H123500's only custody is status P; H123501's has no prisoner number. Neither is a bulk
    // candidate, but SENTENCE_CHANGED still acts on both.
    mount_json(
        &app,
        "A5000HP",
        json!({"nomsNumber": "A5000HP", "handoverDate": "2023-06-11"}),
    )
    .await;
    mount_json(
        &app,
        "A5001HN",
        json!({"nomsNumber": "A5001HN", "handoverStartDate": "2023-06-01"}),
    )
    .await;
    for crn in ["H123500", "H123501"] {
        assert_eq!(
            app.publish(&sentence_changed(crn)).await,
            Disposition::Deleted
        );
    }
    let created = app.telemetry.named("KeyDateCreated");
    assert_eq!(created.len(), 2, "{:?}", app.outcomes());
    assert_eq!(
        codes_and_dates(&key_dates(&app, 930100).await),
        [("POM2".to_owned(), date("2023-06-11"))]
    );
    assert_eq!(
        codes_and_dates(&key_dates(&app, 930101).await),
        [("POM1".to_owned(), date("2023-06-01"))]
    );
}

#[tokio::test]
async fn rule_9_sentence_changed_counts_every_custody_row() {
    let app = TestApp::start().await;
    // H123502 has two custodies (one status P): the bulk query counts one, SENTENCE_CHANGED two.
    let disposition = app.publish(&sentence_changed("H123502")).await;
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(
        app.outcome("NoSingleCustodialSentenceForCrn").properties,
        props(&[("crn", "H123502")])
    );
}

#[tokio::test]
async fn spec_3_5_sentence_changed_fails_on_other_handover_errors() {
    let app = TestApp::start().await;
    mount(&app, "A4096CY", ResponseTemplate::new(503)).await;
    let disposition = app.publish(&app.message("sentence-changed.json")).await;
    assert_eq!(disposition, Disposition::DeadLettered);
    assert!(app.outcomes().is_empty(), "{:?}", app.outcomes());
    assert!(key_dates(&app, SENTENCE_CHANGED_CUSTODY).await.is_empty());
}

#[tokio::test]
async fn spec_3_5_sentence_changed_writes_for_real_and_is_idempotent() {
    let app = TestApp::start().await;
    mount_simulation(&app, "A4096CY", "sentence-changed-dates.json").await;
    let message = app.message("sentence-changed.json");
    app.publish(&message).await;
    let once = key_dates(&app, SENTENCE_CHANGED_CUSTODY).await;
    app.publish(&message).await;
    assert_eq!(key_dates(&app, SENTENCE_CHANGED_CUSTODY).await, once);
    assert_eq!(once.len(), 2);
}
