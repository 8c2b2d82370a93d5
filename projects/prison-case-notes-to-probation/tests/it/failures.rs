//! Every ignore reason and failure of spec §6: what is acknowledged, what is retried and
//! dead-lettered, and that a failure writes nothing but its `F` audit row.

use messaging::queue::memory::Disposition;
use messaging::Notification;
use serde_json::json;

use crate::helpers::*;

const ID: &str = "d1111111-2222-3333-4444-555555555555";

fn path() -> String {
    format!("/case-notes/AA0001A/{ID}")
}

fn urn() -> String {
    format!("urn:uk:gov:hmpps:prison-case-note:{ID}")
}

async fn publish_gen_ose(app: &TestApp, body: serde_json::Value) -> Disposition {
    app.mock_json(&path(), body).await;
    app.publish(&case_note_event(
        app,
        "person.case-note.created",
        DEFAULT_NOMS,
        ID,
        "GEN",
        "OSE",
    ))
    .await
}

async fn assert_ignored_with_reason(text: &str, location: Option<&str>, reason: &str) {
    let app = TestApp::start().await;
    let mut body = case_note_body(ID, DEFAULT_NOMS, "GEN", "OSE", text);
    body["locationId"] = json!(location);

    assert_eq!(publish_gen_ose(&app, body).await, Disposition::Deleted);

    let ignored = app.event("CaseNoteIgnored");
    assert_eq!(ignored.properties["reason"], reason);
    assert_eq!(ignored.properties["caseNoteId"], ID);
    assert_eq!(ignored.properties["type"], "GEN");
    assert!(app.events("CaseNoteMerged").is_empty());
    assert!(app.contact_by_urn(&urn()).await.is_none());
    assert!(app.audit_rows().await.is_empty());
}

#[tokio::test]
async fn blank_text_is_ignored_as_case_note_text_is_empty() {
    assert_ignored_with_reason(" \n\t ", Some("LEI"), "case note text is empty").await;
}

#[tokio::test]
async fn a_prisoner_in_transfer_is_ignored() {
    assert_ignored_with_reason("text", Some("TRN"), "Prisoner being transferred").await;
}

#[tokio::test]
async fn the_test_institution_is_ignored() {
    assert_ignored_with_reason("text", Some("ZZGHI"), "Institution used for test purposes").await;
}

#[tokio::test]
async fn ocg_nominal_text_is_ignored_for_data_sharing_restrictions() {
    assert_ignored_with_reason(
        "Alert Security. Do not share with offender and OCG Nominal - Do not share made active.",
        Some("LEI"),
        "Filtered due to data sharing restrictions",
    )
    .await;
}

#[tokio::test]
async fn an_unknown_noms_number_is_acknowledged_with_case_note_merge_failed_and_nothing_written() {
    let app = TestApp::start().await;
    let staff_before = app.staff_count().await;
    let contacts_before = app.all_contacts().await;
    let mut body = case_note_body(ID, "ZZ9999Z", "GEN", "OSE", "text");
    body["authorName"] = json!("Brand New Author");

    assert_eq!(publish_gen_ose(&app, body).await, Disposition::Deleted);

    let failed = app.event("CaseNoteMergeFailed");
    assert_eq!(
        failed.properties["exception"],
        "Person not found for NOMS number ZZ9999Z"
    );
    assert_eq!(failed.properties["caseNoteId"], ID);
    assert!(app.events("MessageFailed").is_empty(), "not retried");
    assert_eq!(app.all_contacts().await, contacts_before);
    assert_eq!(app.staff_count().await, staff_before);
    assert!(app.audit_rows().await.is_empty());
}

#[tokio::test]
async fn event_types_that_are_not_handled_are_acknowledged() {
    let app = TestApp::start().await;
    for event_type in [
        "person.case-note.deleted",
        "person.alert.deleted",
        "prison.case-note.published",
    ] {
        let message = case_note_event(&app, event_type, DEFAULT_NOMS, ID, "GEN", "OSE");
        assert_eq!(app.publish(&message).await, Disposition::Deleted);
    }
    let ignored = app.events("EventTypeNotHandled");
    assert_eq!(ignored.len(), 3);
    assert_eq!(
        ignored[0].properties["eventType"],
        "person.case-note.deleted"
    );
    assert!(app
        .upstream
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());
}

#[tokio::test]
async fn a_case_note_event_without_type_attributes_is_dead_lettered() {
    let app = TestApp::start().await;
    let mut message = case_note_event(
        &app,
        "person.case-note.created",
        DEFAULT_NOMS,
        ID,
        "GEN",
        "OSE",
    );
    message.attributes.remove("subType");

    assert_eq!(app.publish(&message).await, Disposition::DeadLettered);

    assert!(app.events("MessageFailed")[0].properties["error"].contains("has no subType attribute"));
    assert!(app
        .upstream
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());
}

#[tokio::test]
async fn an_upstream_server_error_is_retried_then_dead_lettered() {
    let app = TestApp::start().await;
    app.mock_status(&path(), 500).await;

    let message = case_note_event(
        &app,
        "person.case-note.created",
        DEFAULT_NOMS,
        ID,
        "GEN",
        "OSE",
    );
    assert_eq!(app.publish(&message).await, Disposition::DeadLettered);

    // 3 deliveries, each tried 3 times in-process: a 5xx is transient.
    assert_eq!(app.requests_to(&path()).await, 9);
    assert_eq!(app.events("MessageFailed").len(), 3);
    assert!(app.events("CaseNoteNotFound").is_empty());
    assert!(app.contact_by_urn(&urn()).await.is_none());
}

/// A `detailUrl` on a host outside the allow-list is a permanent failure: the platform's
/// classifier does not count `DetailError::NotAllowed` as transient, so each delivery calls the
/// handler once (no in-process retry), nothing is fetched (not even a token), and the message
/// goes to the DLQ after SQS's receives.
async fn assert_disallowed_detail_url_is_a_permanent_failure(app: &TestApp, message: Notification) {
    assert_eq!(app.publish(&message).await, Disposition::DeadLettered);

    assert_eq!(
        app.handler_calls(),
        3,
        "once per delivery, never retried in-process"
    );
    let failed = app.events("MessageFailed");
    assert_eq!(
        failed
            .iter()
            .map(|e| e.properties["receiveCount"].as_str())
            .collect::<Vec<_>>(),
        ["1", "2", "3"]
    );
    assert!(failed
        .iter()
        .all(|e| e.properties["error"].contains("is not in the allow-list")));
    assert_eq!(
        app.all_upstream_requests().await,
        0,
        "the upstream is never called"
    );
    assert_eq!(
        app.auth
            .server()
            .received_requests()
            .await
            .unwrap_or_default()
            .len(),
        0,
        "no token is fetched either"
    );
    assert!(app.audit_rows().await.is_empty());
}

#[tokio::test]
async fn a_case_note_detail_url_outside_the_allow_list_is_a_permanent_failure_never_fetched() {
    let app = TestApp::start().await;
    let mut message = case_note_event(
        &app,
        "person.case-note.created",
        DEFAULT_NOMS,
        ID,
        "GEN",
        "OSE",
    );
    app.mock_json(
        &path(),
        case_note_body(ID, DEFAULT_NOMS, "GEN", "OSE", "text"),
    )
    .await;
    message.message = message
        .message
        .replace(&app.upstream.uri(), "http://evil.example");

    assert_disallowed_detail_url_is_a_permanent_failure(&app, message).await;
    assert!(app.contact_by_urn(&urn()).await.is_none());
}

#[tokio::test]
async fn an_alert_detail_url_outside_the_allow_list_is_a_permanent_failure_never_fetched() {
    let app = TestApp::start().await;
    let mut message = app.message("alert-created.json");
    message.message = message
        .message
        .replace(&app.upstream.uri(), "https://alerts.example:8443");

    assert_disallowed_detail_url_is_a_permanent_failure(&app, message).await;
}

#[tokio::test]
async fn a_blank_location_is_not_the_unknown_establishment_and_fails_as_an_invalid_establishment() {
    // Spec §3.1/§4.2: `locationId` defaults to UNK only when absent. A blank one is an
    // establishment code under 3 characters: InvalidEstablishmentCode, retried, dead-lettered.
    let app = TestApp::start().await;
    let mut body = case_note_body(ID, DEFAULT_NOMS, "GEN", "OSE", "text");
    body["locationId"] = json!("");
    assert_merge_fails(&app, body, "Invalid establishment code \"\"").await;
    assert_eq!(
        app.events("CaseNoteMergeFailed")[0].properties["location"],
        ""
    );
}

async fn assert_merge_fails(app: &TestApp, body: serde_json::Value, expected: &str) {
    assert_eq!(publish_gen_ose(app, body).await, Disposition::DeadLettered);
    let failures = app.events("CaseNoteMergeFailed");
    assert_eq!(failures.len(), 3, "tracked on each delivery");
    assert!(
        failures[0].properties["exception"].contains(expected),
        "{failures:?}"
    );
    assert!(app.contact_by_urn(&urn()).await.is_none());
    let audit = app.audit_rows().await;
    assert_eq!(audit.len(), 3);
    assert!(audit
        .iter()
        .all(|(outcome, params)| outcome == "F"
            && params.as_deref() == Some(&*format!("dpsId='{ID}'"))));
}

#[tokio::test]
async fn a_missing_default_contact_type_fails_and_is_dead_lettered() {
    let app = TestApp::start().await;
    app.sql("UPDATE r_contact_type SET code = 'NOMISX' WHERE code = 'NOMISD'")
        .await;
    assert_merge_fails(
        &app,
        case_note_body(ID, DEFAULT_NOMS, "GEN", "OSE", "text"),
        "Contact type NOMISD not found",
    )
    .await;
}

#[tokio::test]
async fn a_short_establishment_code_fails_and_is_dead_lettered() {
    let app = TestApp::start().await;
    let mut body = case_note_body(ID, DEFAULT_NOMS, "GEN", "OSE", "text");
    body["locationId"] = json!("AB");
    assert_merge_fails(&app, body, "Invalid establishment code").await;
}

#[tokio::test]
async fn an_establishment_without_a_provider_fails_and_is_dead_lettered() {
    let app = TestApp::start().await;
    let mut body = case_note_body(ID, DEFAULT_NOMS, "GEN", "OSE", "text");
    body["locationId"] = json!("XYZ1");
    assert_merge_fails(
        &app,
        body,
        "Probation Area not found for NOMIS institution: XYZ",
    )
    .await;
}

#[tokio::test]
async fn a_provider_without_a_csn_team_fails_and_is_dead_lettered() {
    let app = TestApp::start().await;
    app.sql("UPDATE team SET code = 'LEIOLD' WHERE code = 'LEICSN'")
        .await;
    assert_merge_fails(
        &app,
        case_note_body(ID, DEFAULT_NOMS, "GEN", "OSE", "text"),
        "Team LEICSN not found",
    )
    .await;
}

#[tokio::test]
async fn exhausted_officer_codes_fail_and_are_dead_lettered() {
    let app = TestApp::start().await;
    let mut conn = app.conn().await;
    for letter in 'A'..='Z' {
        test_support::builders::insert_staff(
            &mut conn,
            &format!("LEI{letter}999"),
            "Full",
            &format!("Letter{letter}"),
            LEI_PROVIDER_ID,
        )
        .await
        .expect("staff");
    }
    drop(conn);
    let mut body = case_note_body(ID, DEFAULT_NOMS, "GEN", "OSE", "text");
    body["authorName"] = json!("Brand New");
    assert_merge_fails(&app, body, "Officer codes exhausted for provider LEI").await;
}

#[tokio::test]
async fn a_failure_mid_merge_rolls_everything_back_and_leaves_an_f_audit_row() {
    let app = TestApp::start().await;
    // The move is written before the data-cleanse contact, whose type is now missing.
    app.sql("DELETE FROM r_contact_type WHERE code = 'OTHERINF'")
        .await;
    app.mock_fixture(
        "/case-notes/AA0001A/0ec15f8b-6b57-471f-b02a-c89169a6a3e5",
        "get-case-note-body-exists-in-delius.json",
    )
    .await;
    let before = app.contact(app.seed.existing_contact_id).await;

    assert_eq!(
        app.publish(&app.message("case-note-exists-in-delius.json"))
            .await,
        Disposition::DeadLettered
    );

    assert_eq!(
        app.contact(app.seed.existing_contact_id).await,
        before,
        "the move was rolled back"
    );
    assert_eq!(app.contacts_of(app.seed.default.id).await.len(), 0);
    assert!(app.events("CaseNoteMergeFailed")[0].properties["exception"]
        .contains("Contact type OTHERINF not found"));
    let audit = app.audit_rows().await;
    assert!(!audit.is_empty());
    assert!(audit.iter().all(|(outcome, params)| outcome == "F"
        && params.as_deref() == Some("dpsId='0ec15f8b-6b57-471f-b02a-c89169a6a3e5'")));
}

#[tokio::test]
async fn a_new_author_stays_as_staff_when_the_merge_later_fails() {
    let app = TestApp::start().await;
    // The staff member is created in its own transaction; the contact insert then fails.
    app.sql("ALTER TABLE contact ADD CONSTRAINT test_no_new_contacts CHECK (contact_id < 1000000 OR description = 'never')").await;
    let staff_before = app.staff_count().await;
    let mut body = case_note_body(ID, DEFAULT_NOMS, "GEN", "OSE", "text");
    body["authorName"] = json!("Brand New");

    assert_eq!(publish_gen_ose(&app, body).await, Disposition::DeadLettered);

    assert_eq!(
        app.staff_count().await,
        staff_before + 1,
        "created once, found on redelivery"
    );
    assert!(app.contact_by_urn(&urn()).await.is_none());
}

#[tokio::test]
async fn two_people_with_one_noms_number_fail_and_are_dead_lettered() {
    let app = TestApp::start().await;
    let mut conn = app.conn().await;
    test_support::PersonBuilder::default()
        .noms(DEFAULT_NOMS)
        .insert(&mut conn)
        .await
        .expect("duplicate person");
    drop(conn);
    assert_merge_fails(
        &app,
        case_note_body(ID, DEFAULT_NOMS, "GEN", "OSE", "text"),
        "2 people in Delius share the NOMS number AA0001A",
    )
    .await;
}
