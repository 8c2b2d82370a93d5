//! `probation-case.prison-identifier.added`: spec §7.1 scenario 5 and the migration rules of §4.9.

use std::time::Duration;

use messaging::queue::memory::Disposition;
use serde_json::{json, Value};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::helpers::*;

const SEARCH_PATH: &str = "/search/case-notes/A4578BX";
const ALERTS_PATH: &str = "/prisoners/A4578BX/alerts";

async fn mock_search(app: &TestApp, response: Value) {
    Mock::given(method("POST"))
        .and(path(SEARCH_PATH))
        .and(body_json(json!({
            "typeSubTypes": [
                {"type":"PRISON","subTypes":["RELEASE"]}, {"type":"TRANSFER","subTypes":["FROMTOL"]},
                {"type":"GEN","subTypes":["OSE"]}, {"type":"RESET","subTypes":["BCST"]},
                {"type":"ALERT","subTypes":[]}, {"type":"OMIC","subTypes":[]},
                {"type":"OMIC_OPD","subTypes":[]}, {"type":"KA","subTypes":[]}
            ],
            "includeSensitive": true, "page": 1, "size": 2147483647, "sort": "occurredAt,desc"
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(response))
        .mount(&app.upstream)
        .await;
}

async fn mock_examples(app: &TestApp) {
    mock_search(
        app,
        fixture_json("simulations/migrate-for-new-identifier.json"),
    )
    .await;
    app.mock_fixture(ALERTS_PATH, "alerts-for-new-identifier.json")
        .await;
}

#[tokio::test]
async fn scenario_5_case_notes_and_alerts_are_migrated_when_a_noms_number_is_added() {
    let app = TestApp::start().await;
    assert!(app.contacts_of(app.seed.new_identifier.id).await.is_empty());
    mock_examples(&app).await;

    assert_eq!(
        app.publish(&app.message("noms-number-added.json")).await,
        Disposition::Deleted
    );

    let migrated = app.event("CaseNotesMigrated");
    assert_eq!(
        migrated.properties,
        [
            ("nomsId", "A4578BX"),
            ("crn", "N123456"),
            ("cause", "probation-case.prison-identifier.added"),
            ("caseNotesCreated", "4"),
            ("alertsCreated", "1"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    );
    let contacts = app.contacts_of(app.seed.new_identifier.id).await;
    assert_eq!(
        contacts.len(),
        5,
        "4 case notes (the TRN one is filtered) and 1 alert"
    );
    let urns: Vec<_> = contacts
        .iter()
        .filter_map(|c| c.external_reference.clone())
        .collect();
    assert!(urns.contains(
        &"urn:uk:gov:hmpps:prisoner-alert:active:3fb4db4e-e83b-4183-9df5-009ad67f8f9e".to_owned()
    ));
    assert!(
        !urns
            .iter()
            .any(|u| u.ends_with("bdc8b4af-01a3-44b5-9160-23c4d289f9a2")),
        "TRN note filtered"
    );
    assert_eq!(app.audit_rows().await.len(), 5);
    assert!(
        app.events("CaseNoteIgnored").is_empty(),
        "no telemetry per filtered note"
    );
}

#[tokio::test]
async fn migrating_again_changes_nothing() {
    let app = TestApp::start().await;
    mock_examples(&app).await;
    app.publish(&app.message("noms-number-added.json")).await;
    let contacts = app.all_contacts().await;
    let audit = app.audit_rows().await.len();

    assert_eq!(
        app.publish(&app.message("noms-number-added.json")).await,
        Disposition::Deleted
    );

    assert_eq!(app.all_contacts().await, contacts);
    assert_eq!(app.audit_rows().await.len(), audit);
    let second = &app.events("CaseNotesMigrated")[1];
    assert!(!second.properties.contains_key("caseNotesCreated"));
    assert!(
        !second.properties.contains_key("crn"),
        "no saves, so no crn"
    );
}

#[tokio::test]
async fn an_identifier_event_without_a_noms_number_is_retried_then_dead_lettered() {
    let app = TestApp::start().await;
    let message = messaging::Notification::new(
        json!({"eventType": "probation-case.prison-identifier.added", "version": 1,
               "personReference": {"identifiers": [{"type": "CRN", "value": "N123456"}]}})
        .to_string(),
    )
    .with_attribute("eventType", "probation-case.prison-identifier.added");

    assert_eq!(app.publish(&message).await, Disposition::DeadLettered);

    let failed = app.events("MessageFailed");
    assert!(failed[0].properties["error"]
        .contains("NomsNumber not found for probation-case.prison-identifier.added"));
    assert!(app.events("CaseNotesMigrated").is_empty());
}

#[tokio::test]
async fn one_failing_record_does_not_stop_the_others_but_fails_the_message_after_telemetry() {
    let app = TestApp::start().await;
    mock_search(
        &app,
        fixture_json("simulations/migrate-for-new-identifier.json"),
    )
    .await;
    let mut alerts = fixture_json("simulations/alerts-for-new-identifier.json");
    alerts["content"][0]["prisonCodeWhenCreated"] = json!(null);
    app.mock_json(ALERTS_PATH, alerts).await;

    assert_eq!(
        app.publish(&app.message("noms-number-added.json")).await,
        Disposition::DeadLettered
    );

    // Every delivery migrated what it could and said so before failing.
    let migrated = app.events("CaseNotesMigrated");
    assert_eq!(migrated.len(), 3);
    assert_eq!(migrated[0].properties["caseNotesCreated"], "4");
    assert!(!migrated[0].properties.contains_key("alertsCreated"));
    assert!(
        !migrated[1].properties.contains_key("caseNotesCreated"),
        "redelivery: already there"
    );
    assert_eq!(app.contacts_of(app.seed.new_identifier.id).await.len(), 4);
    assert!(app.events("MessageFailed")[0].properties["error"]
        .contains("Unable to verify establishment for alert"));
}

#[tokio::test]
async fn an_unknown_person_fails_every_record_without_a_retry() {
    let app = TestApp::start().await;
    let mut conn = app.conn().await;
    {
        use delius_data::schema::offender;
        use diesel::prelude::*;
        use diesel_async::RunQueryDsl;
        diesel::update(offender::table.find(app.seed.new_identifier.id))
            .set(offender::noms_number.eq("X0000XX"))
            .execute(&mut conn)
            .await
            .expect("unlink NOMS");
    }
    drop(conn);
    mock_examples(&app).await;

    assert_eq!(
        app.publish(&app.message("noms-number-added.json")).await,
        Disposition::Deleted
    );

    let migrated = app.event("CaseNotesMigrated");
    assert_eq!(
        migrated.properties.len(),
        2,
        "only nomsId and cause: {migrated:?}"
    );
    assert_eq!(app.all_contacts().await.len(), 1);
    assert!(app.audit_rows().await.is_empty());
}

#[tokio::test]
async fn moved_records_leave_one_data_cleanse_contact_per_person() {
    let app = TestApp::start().await;
    // Two of the person's case notes were written on PREVIOUS, before URNs.
    for nomis_id in [77701i64, 77704] {
        insert_contact_with_nomis_id(&app, app.seed.previous.id, nomis_id).await;
    }
    mock_examples(&app).await;

    assert_eq!(
        app.publish(&app.message("noms-number-added.json")).await,
        Disposition::Deleted
    );

    let migrated = app.event("CaseNotesMigrated");
    assert_eq!(migrated.properties["caseNotesMoved"], "2");
    assert_eq!(migrated.properties["caseNotesCreated"], "2");
    assert_eq!(migrated.properties["alertsCreated"], "1");
    assert_eq!(app.contacts_of(app.seed.new_identifier.id).await.len(), 5);
    let previous = app.contacts_of(app.seed.previous.id).await;
    // The seeded EXISTING contact stays; the two moved ones are replaced by one data cleanse.
    let cleanses: Vec<_> = previous
        .iter()
        .filter(|c| c.description.as_deref() == Some("Data Cleanse"))
        .collect();
    assert_eq!(cleanses.len(), 1);
    assert_eq!(previous.len(), 2);
}

#[tokio::test]
async fn a_failed_data_cleanse_is_reported_and_the_migration_completes() {
    let app = TestApp::start().await;
    insert_contact_with_nomis_id(&app, app.seed.previous.id, 77701).await;
    app.sql("DELETE FROM r_contact_type WHERE code = 'OTHERINF'")
        .await;
    mock_examples(&app).await;

    assert_eq!(
        app.publish(&app.message("noms-number-added.json")).await,
        Disposition::Deleted
    );

    let failure = app.event("DataCleanseNotificationFailure");
    assert!(failure.properties["reason"].contains("Contact type OTHERINF not found"));
    assert_eq!(
        app.event("CaseNotesMigrated").properties["caseNotesMoved"],
        "1"
    );
    assert_eq!(
        app.contacts_of(app.seed.previous.id).await.len(),
        1,
        "only the seeded contact"
    );
}

#[tokio::test]
async fn ocg_nominal_alerts_and_filtered_notes_are_not_migrated() {
    let app = TestApp::start().await;
    mock_search(
        &app,
        fixture_json("simulations/migrate-for-new-identifier.json"),
    )
    .await;
    let mut alerts = fixture_json("simulations/alerts-for-new-identifier.json");
    alerts["content"][0]["alertCode"]["code"] = json!("DOCGM");
    app.mock_json(ALERTS_PATH, alerts).await;

    app.publish(&app.message("noms-number-added.json")).await;

    assert!(!app
        .event("CaseNotesMigrated")
        .properties
        .contains_key("alertsCreated"));
    assert_eq!(app.contacts_of(app.seed.new_identifier.id).await.len(), 4);
}

/// A handler whose migration deliveries stop as soon as they have saved one record.
async fn start_with_no_budget() -> TestApp {
    TestApp::start_with(|handler| handler.with_migration_budget(Duration::ZERO)).await
}

#[tokio::test]
async fn a_delivery_stops_merging_at_its_time_budget_and_the_redelivery_carries_on() {
    let app = start_with_no_budget().await;
    mock_examples(&app).await;

    // 5 records, each delivery saves one: 3 deliveries, then the DLQ (maxReceiveCount 3).
    assert_eq!(
        app.publish(&app.message("noms-number-added.json")).await,
        Disposition::DeadLettered
    );

    assert_eq!(app.contacts_of(app.seed.new_identifier.id).await.len(), 3);
    assert_eq!(app.handler_calls(), 3, "never retried in-process");
    let migrated = app.handler_telemetry.named("CaseNotesMigrated");
    assert_eq!(migrated.len(), 3);
    for (delivery, remaining) in migrated.iter().zip(["4", "3", "2"]) {
        assert_eq!(delivery.properties["caseNotesCreated"], "1");
        assert_eq!(delivery.properties["remaining"], remaining);
        assert_eq!(delivery.properties["crn"], NEW_IDENTIFIER_CRN);
    }
    let failed = app.events("MessageFailed");
    assert_eq!(failed.len(), 3);
    assert!(failed[0].properties["error"]
        .contains("stopped after its time budget of 0ns with 4 of 5 records still to merge"));

    // Redriven from the DLQ: the merged records are no-ops and the rest follow, one a delivery.
    assert_eq!(
        app.publish(&app.message("noms-number-added.json")).await,
        Disposition::Deleted
    );
    assert_eq!(app.contacts_of(app.seed.new_identifier.id).await.len(), 5);
    // Incomplete deliveries are tracked by the handler before failing; the last one is the
    // consumer's processed outcome.
    let incomplete = app.handler_telemetry.named("CaseNotesMigrated");
    assert_eq!(incomplete.len(), 4);
    assert_eq!(incomplete[3].properties["caseNotesCreated"], "1");
    assert_eq!(incomplete[3].properties["remaining"], "1");
    let done = app.consumer.telemetry.named("CaseNotesMigrated");
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].properties["alertsCreated"], "1");
    assert!(!done[0].properties.contains_key("remaining"));
    assert!(!done[0].properties.contains_key("caseNotesCreated"));
    assert_eq!(app.audit_rows().await.len(), 5, "each record saved once");
}

#[tokio::test]
async fn a_delivery_within_its_budget_merges_everything_at_once() {
    let app =
        TestApp::start_with(|handler| handler.with_migration_budget(Duration::from_secs(60))).await;
    mock_examples(&app).await;

    assert_eq!(
        app.publish(&app.message("noms-number-added.json")).await,
        Disposition::Deleted
    );

    assert_eq!(app.handler_calls(), 1);
    let migrated = app.event("CaseNotesMigrated");
    assert_eq!(migrated.properties["caseNotesCreated"], "4");
    assert!(!migrated.properties.contains_key("remaining"));
}

#[tokio::test]
async fn a_moved_record_gets_its_data_cleanse_contact_even_when_the_budget_runs_out() {
    let app = start_with_no_budget().await;
    // The first record of the search is on PREVIOUS: the first delivery moves it and stops.
    insert_contact_with_nomis_id(&app, app.seed.previous.id, 77701).await;
    mock_examples(&app).await;

    app.publish(&app.message("noms-number-added.json")).await;

    let first = &app.events("CaseNotesMigrated")[0];
    assert_eq!(first.properties["caseNotesMoved"], "1");
    assert_eq!(first.properties["remaining"], "4");
    let cleanses = app
        .contacts_of(app.seed.previous.id)
        .await
        .into_iter()
        .filter(|c| c.description.as_deref() == Some("Data Cleanse"))
        .count();
    assert_eq!(cleanses, 1, "written by the delivery that moved it");
}

async fn insert_contact_with_nomis_id(app: &TestApp, offender_id: i64, nomis_id: i64) {
    use delius_data::schema::contact;
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    let mut conn = app.conn().await;
    let id = delius_data::lookups::next_id(
        &mut conn,
        delius_data::lookups::Sequence::named("contact_id_seq"),
    )
    .await
    .expect("id");
    let written = at("2025-01-11 09:11:22");
    diesel::insert_into(contact::table)
        .values((
            contact::contact_id.eq(id),
            contact::offender_id.eq(offender_id),
            contact::contact_type_id.eq(NOMISD_ID),
            contact::contact_date.eq(written.date()),
            contact::notes.eq("old"),
            contact::nomis_case_note_id.eq(nomis_id),
            contact::last_updated_datetime.eq(written),
        ))
        .execute(&mut conn)
        .await
        .expect("contact");
}
