//! Every upstream example message is parsed, and the ones the current rules accept are processed
//! end to end (spec §7.3); processing any of them twice leaves the same rows as once.

use messaging::queue::memory::Disposition;
use messaging::{HmppsDomainEvent, PrisonOffenderEvent};
use test_support::PersonBuilder;

use crate::helpers::*;

/// Each example and the outcome the current rules give it.
const EXAMPLES: [(&str, &str); 10] = [
    ("alert-created.json", "AlertMerged"),
    ("alert-inactive.json", "AlertMerged"),
    ("alert-updated.json", "AlertMerged"),
    ("case-note-exists-in-delius.json", "CaseNoteMerged"),
    // NEG/IEP_WARN attributes: not of interest under the current rules.
    ("case-note-new-to-delius.json", "CaseNoteTypeNotOfInterest"),
    ("case-note-not-found.json", "CaseNoteTypeNotOfInterest"),
    // Legacy v1 prison offender event KA-KE.
    ("casenote.json", "CaseNoteMerged"),
    // RESET/GUIDINT (newest reference only): not of interest here.
    (
        "guided-interview-casenote.json",
        "CaseNoteTypeNotOfInterest",
    ),
    ("noms-number-added.json", "CaseNotesMigrated"),
    // Legacy v2 prison.case-note.published: history, not handled.
    ("resettlement-passport-casenote.json", "EventTypeNotHandled"),
];

/// The upstream answers of the local simulator, for every example.
async fn mock_every_upstream(app: &TestApp) {
    app.mock_fixture(
        "/alerts/01954cfe-9f5a-7ea3-837b-a1770b389c5b",
        "get-created-alert.json",
    )
    .await;
    app.mock_fixture(
        "/alerts/424e52e8-1971-4622-8d2d-4b4466c771fd",
        "get-updated-alert.json",
    )
    .await;
    app.mock_fixture(
        "/alerts/62c811b1-f3f2-432f-abbd-ca06b9190d4d",
        "get-inactive-alert.json",
    )
    .await;
    app.mock_fixture(
        "/case-notes/AA0001A/0ec15f8b-6b57-471f-b02a-c89169a6a3e5",
        "get-case-note-body-exists-in-delius.json",
    )
    .await;
    app.mock_fixture(
        "/case-notes/AA0001A/2cf4f9e1-df22-49a1-a2a7-5968a96529e3",
        "get-case-note-body-new-to-delius.json",
    )
    .await;
    app.mock_fixture(
        "/case-notes/AA0001A/9f0a2112-acde-4501-b1f9-3f2f5f04e427",
        "get-case-note-body-guided-interview.json",
    )
    .await;
    app.mock_fixture(
        "/case-notes/AA0001A/5767",
        "get-case-note-body-resettlement-passport-new.json",
    )
    .await;
    app.mock_status(
        "/case-notes/AA0001A/da82e1df-1a74-486e-842c-6ce961575211",
        404,
    )
    .await;
    app.mock_fixture("/case-notes/GA52214/1111", "get-legacy-case-note.json")
        .await;
    app.mock_fixture(
        "/prisoners/A4578BX/alerts",
        "alerts-for-new-identifier.json",
    )
    .await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .and(wiremock::matchers::path("/search/case-notes/A4578BX"))
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .set_body_json(fixture_json("simulations/migrate-for-new-identifier.json")),
        )
        .mount(&app.upstream)
        .await;
    let mut conn = app.conn().await;
    PersonBuilder::default()
        .noms("GA52214")
        .insert(&mut conn)
        .await
        .expect("legacy person");
}

#[test]
fn every_example_message_parses_as_its_kind_of_event() {
    for (file, _) in EXAMPLES {
        let notification = test_support::fixtures::notification_from_file(
            fixture(&format!("messages/{file}")),
            "http://localhost:8080",
        )
        .unwrap_or_else(|e| panic!("{file}: {e}"));
        let event_type = notification
            .event_type()
            .unwrap_or_else(|| panic!("{file}: no eventType"));
        if file == "casenote.json" {
            let event: PrisonOffenderEvent = notification.payload().expect("legacy event");
            assert_eq!(event_type, "KA-KE");
            assert_eq!(event.case_note_id.as_deref(), Some("1111"));
            assert_eq!(event.offender_id_display.as_deref(), Some("GA52214"));
        } else {
            let event: HmppsDomainEvent = notification
                .payload()
                .unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(event.noms_number().is_some(), "{file}: NOMS number");
        }
    }
}

#[tokio::test]
async fn every_example_message_is_processed_end_to_end_as_the_current_rules_say() {
    let app = TestApp::start().await;
    mock_every_upstream(&app).await;

    for (file, expected) in EXAMPLES {
        let before = app.outcome_names().len();
        let disposition = app.publish(&app.message(file)).await;
        assert_eq!(disposition, Disposition::Deleted, "{file}");
        assert_eq!(
            app.outcome_names()[before..],
            [expected.to_owned()],
            "{file}"
        );
    }
    // 3 alert states, the moved case note, the legacy one and 5 migrated records.
    assert_eq!(app.all_contacts().await.len(), 1 + 3 + 1 + 5 + 1);
    assert!(app.events("MessageFailed").is_empty());
}

/// Everything the service writes.
#[derive(Debug, PartialEq)]
struct Rows {
    contacts: Vec<ContactRow>,
    staff: i64,
    audit: usize,
}

async fn rows(app: &TestApp) -> Rows {
    Rows {
        contacts: app.all_contacts().await,
        staff: app.staff_count().await,
        audit: app.audit_rows().await.len(),
    }
}

#[tokio::test]
async fn processing_any_example_message_twice_leaves_the_same_rows_as_once() {
    let app = TestApp::start().await;
    mock_every_upstream(&app).await;

    for (file, _) in EXAMPLES {
        app.publish(&app.message(file)).await;
        let once = rows(&app).await;
        assert_eq!(
            app.publish(&app.message(file)).await,
            Disposition::Deleted,
            "{file}"
        );
        assert_eq!(rows(&app).await, once, "{file} processed twice");
    }
}
