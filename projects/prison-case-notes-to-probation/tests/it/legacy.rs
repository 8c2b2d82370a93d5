//! Legacy (v1) prison offender events, the product brief's input: spec §2.6.

use messaging::queue::memory::Disposition;
use messaging::Notification;
use serde_json::json;
use test_support::PersonBuilder;

use crate::helpers::*;

const LEGACY_PATH: &str = "/case-notes/GA52214/1111";

async fn add_legacy_person(app: &TestApp) -> delius_data::lookups::Person {
    let mut conn = app.conn().await;
    PersonBuilder::default()
        .noms("GA52214")
        .insert(&mut conn)
        .await
        .expect("person")
}

fn legacy_event(event_type: &str, body: serde_json::Value) -> Notification {
    // Legacy producers put the event object straight into Message.
    let envelope = json!({
        "Type": "Notification",
        "Message": body,
        "MessageAttributes": {"eventType": {"Type": "String", "Value": event_type}}
    });
    Notification::parse(&envelope.to_string()).expect("envelope")
}

#[tokio::test]
async fn a_prison_offender_event_is_fetched_by_its_nomis_id_and_merged_keyed_by_it() {
    let app = TestApp::start().await;
    let person = add_legacy_person(&app).await;
    app.mock_fixture(LEGACY_PATH, "get-legacy-case-note.json")
        .await;

    // casenote.json: eventType attribute KA-KE, caseNoteId 1111, offenderIdDisplay GA52214.
    assert_eq!(
        app.publish(&app.message("casenote.json")).await,
        Disposition::Deleted
    );

    let contacts = app.contacts_of(person.id).await;
    assert_eq!(contacts.len(), 1);
    let created = &contacts[0];
    assert_eq!(
        created.nomis_case_note_id,
        Some(1111),
        "keyed by the NOMIS id"
    );
    assert_eq!(created.external_reference, None, "no UUID, so no URN");
    assert_eq!(
        created.notes(),
        "KA KE\nKey worker session: legacy NOMIS case note"
    );
    assert_eq!(created.contact_type_id, NOMISD_ID);
    assert_eq!(
        created.description.as_deref(),
        Some("NOMIS Case Note - KA - KE")
    );
    assert_eq!(created.contact_time(), at("2019-10-21 14:55:00"));
    assert_eq!(created.probation_area_id, Some(108), "MDI");
    let merged = app.event("CaseNoteMerged");
    assert_eq!(merged.properties["caseNoteId"], "1111");
    assert_eq!(merged.properties["action"], "Created");
    assert_eq!(
        app.audit_rows().await[0].1.as_deref(),
        Some(&*format!(
            "nomisId='1111',contactId='{}'",
            created.contact_id
        ))
    );

    // A later amendment finds the same contact by its NOMIS id.
    app.upstream.reset().await;
    let mut amended = fixture_json("simulations/get-legacy-case-note.json");
    amended["amendments"] = json!([{"authorName": "Legacy Author", "additionalNoteText": "more", "creationDateTime": "2019-10-22T09:00:00+01:00"}]);
    app.mock_json(LEGACY_PATH, amended).await;
    app.publish(&app.message("casenote.json")).await;
    let updated = app.contacts_of(person.id).await;
    assert_eq!(updated.len(), 1);
    assert_eq!(updated[0].contact_id, created.contact_id);
    assert!(updated[0]
        .notes()
        .ends_with("[Legacy Author updated the case notes on 2019/10/22 09:00:00]\nmore"));
}

#[tokio::test]
async fn every_legacy_event_type_of_the_brief_is_handled() {
    let app = TestApp::start().await;
    add_legacy_person(&app).await;
    app.mock_fixture(LEGACY_PATH, "get-legacy-case-note.json")
        .await;
    for event_type in [
        "PRISON-RELEASE",
        "TRANSFER-FROMTOL",
        "GEN-OSE",
        "ALERT-ACTIVE",
        "ALERT-INACTIVE",
        "OMIC-OPEN",
        "OMIC_OPD-X",
        "KA-KS",
    ] {
        let message = legacy_event(
            event_type,
            json!({"eventType": "X", "offenderIdDisplay": "GA52214", "caseNoteId": 1111}),
        );
        assert_eq!(
            app.publish(&message).await,
            Disposition::Deleted,
            "{event_type}"
        );
    }
    // One contact, created once then unchanged.
    assert_eq!(
        app.event_names_merged(),
        ["Created", "-", "-", "-", "-", "-", "-", "-"]
    );
}

#[tokio::test]
async fn other_legacy_event_types_are_not_handled() {
    let app = TestApp::start().await;
    let message = legacy_event(
        "NEG-IEP_WARN",
        json!({"offenderIdDisplay": "GA52214", "caseNoteId": 1111}),
    );

    assert_eq!(app.publish(&message).await, Disposition::Deleted);

    assert_eq!(
        app.event("EventTypeNotHandled").properties["eventType"],
        "NEG-IEP_WARN"
    );
    assert_eq!(app.requests_to(LEGACY_PATH).await, 0);
}

#[tokio::test]
async fn a_legacy_event_without_a_case_note_id_is_ignored_with_missing_case_note_id() {
    let app = TestApp::start().await;
    let message = legacy_event(
        "GEN-OSE",
        json!({"eventType": "GEN-OSE", "offenderIdDisplay": "GA52214"}),
    );

    assert_eq!(app.publish(&message).await, Disposition::Deleted);

    let ignored = app.event("MissingCaseNoteId");
    assert_eq!(ignored.properties["eventType"], "GEN-OSE");
    assert_eq!(ignored.properties["nomsNumber"], "GA52214");
    assert!(app
        .upstream
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());
}

#[tokio::test]
async fn a_legacy_event_without_an_offender_id_display_is_ignored_with_missing_noms_number() {
    let app = TestApp::start().await;
    let message = legacy_event(
        "GEN-OSE",
        json!({"eventType": "GEN-OSE", "caseNoteId": 1111}),
    );

    assert_eq!(app.publish(&message).await, Disposition::Deleted);

    assert_eq!(
        app.event("MissingNomsNumber").properties["caseNoteId"],
        "1111"
    );
    assert!(app
        .upstream
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());
}

#[tokio::test]
async fn a_legacy_case_note_not_found_is_acknowledged_with_case_note_not_found() {
    let app = TestApp::start().await;
    app.mock_status(LEGACY_PATH, 404).await;

    assert_eq!(
        app.publish(&app.message("casenote.json")).await,
        Disposition::Deleted
    );

    assert_eq!(
        app.event("CaseNoteNotFound").properties["detailUrl"],
        format!("{}{LEGACY_PATH}", app.upstream.uri())
    );
}

#[tokio::test]
async fn a_legacy_case_note_for_an_unknown_person_is_acknowledged_with_case_note_merge_failed() {
    let app = TestApp::start().await;
    app.mock_fixture(LEGACY_PATH, "get-legacy-case-note.json")
        .await;

    assert_eq!(
        app.publish(&app.message("casenote.json")).await,
        Disposition::Deleted
    );

    let failed = app.event("CaseNoteMergeFailed");
    assert_eq!(
        failed.properties["exception"],
        "Person not found for NOMS number GA52214"
    );
    assert_eq!(failed.properties["eventId"], "1111");
    assert!(app.audit_rows().await.is_empty());
}

#[tokio::test]
async fn a_legacy_case_note_with_a_uuid_is_keyed_by_its_urn() {
    let app = TestApp::start().await;
    let person = add_legacy_person(&app).await;
    let mut body = fixture_json("simulations/get-legacy-case-note.json");
    body["caseNoteId"] = json!("c1111111-2222-3333-4444-555555555555");
    app.mock_json(LEGACY_PATH, body).await;

    app.publish(&app.message("casenote.json")).await;

    let contacts = app.contacts_of(person.id).await;
    assert_eq!(
        contacts[0].external_reference.as_deref(),
        Some("urn:uk:gov:hmpps:prison-case-note:c1111111-2222-3333-4444-555555555555")
    );
    assert_eq!(contacts[0].nomis_case_note_id, None);
}

#[tokio::test]
async fn a_legacy_upstream_server_error_is_retried_then_dead_lettered() {
    let app = TestApp::start().await;
    add_legacy_person(&app).await;
    app.mock_status(LEGACY_PATH, 503).await;

    assert_eq!(
        app.publish(&app.message("casenote.json")).await,
        Disposition::DeadLettered
    );

    // 3 deliveries, each tried 3 times in-process (a 503 is transient).
    assert_eq!(app.requests_to(LEGACY_PATH).await, 9);
    assert!(app.events("CaseNoteNotFound").is_empty());
}
