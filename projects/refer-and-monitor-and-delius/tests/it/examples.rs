//! Every example message (tests/fixtures/messages, copied from upstream-examples) parses as an
//! SNS notification with an HMPPS domain event, and every applicable one is processed end to end
//! twice: the second delivery leaves exactly the rows the first one did.

use messaging::queue::memory::Disposition;
use messaging::HmppsDomainEvent;

use crate::events::mount_upstream;
use crate::harness::{fixture, TestApp};
use crate::rows::snapshot;

/// (message, telemetry of its outcome)
const APPLICABLE: [(&str, &str); 10] = [
    ("action-plan-approved.json", "ActionPlanApproved"),
    ("action-plan-submitted.json", "ActionPlanSubmitted"),
    (
        "fuzzy-search-referral-ended.json",
        "ReferAndMonitorFailureReport",
    ),
    ("referral-prematurely-ended.json", "ReferralEnded"),
    ("referral-withdrawn.json", "ReferralEnded"),
    (
        "session-appointment-feedback-submitted-compliant.json",
        "SessionAppointmentSubmitted",
    ),
    (
        "session-appointment-feedback-submitted-no-session.json",
        "SessionAppointmentSubmitted",
    ),
    (
        "session-appointment-feedback-submitted-non-compliant.json",
        "SessionAppointmentSubmitted",
    ),
    (
        "session-appointment-feedback-submitted-not-attended.json",
        "SessionAppointmentSubmitted",
    ),
    (
        "session-appointment-feedback-submitted-not-found.json",
        "ReferAndMonitorFailureReport",
    ),
];

/// The legacy shape (spec 3.6): no referralReference or contractTypeName, so it fails and is
/// dead-lettered.
const LEGACY: &str = "session-appointment-feedback-submitted.json";

#[tokio::test]
async fn every_example_message_parses_with_a_crn_and_a_detail_url() {
    let app = TestApp::start().await;
    let mut names: Vec<String> = std::fs::read_dir(fixture("messages"))
        .expect("messages")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected: Vec<String> = APPLICABLE.iter().map(|(n, _)| (*n).to_owned()).collect();
    expected.push(LEGACY.to_owned());
    expected.sort();
    assert_eq!(names, expected, "every example is classified");
    for name in names {
        let notification = app.message(&name);
        let event: HmppsDomainEvent = notification.payload().expect(&name);
        assert_eq!(
            notification.event_type(),
            Some(event.event_type.as_str()),
            "{name}"
        );
        assert!(event.person_reference.find("CRN").is_some(), "{name}");
        let url = event.detail_url.expect("detailUrl");
        assert!(url.starts_with(&app.ram.uri()), "{name}: {url}");
    }
}

#[tokio::test]
async fn applicable_examples_are_processed_and_a_redelivery_changes_nothing() {
    for (name, telemetry) in APPLICABLE {
        let app = TestApp::start().await;
        mount_upstream(&app).await;
        let message = app.message(name);
        assert_eq!(app.publish(&message).await, Disposition::Deleted, "{name}");
        let first = snapshot(&app).await;
        assert_eq!(
            app.publish(&message).await,
            Disposition::Deleted,
            "{name} again"
        );
        assert_eq!(snapshot(&app).await, first, "{name}: the redelivery wrote");
        assert_eq!(
            app.telemetry.named(telemetry).len(),
            2,
            "{name}: {:?}",
            app.outcomes()
        );
        assert!(
            app.telemetry.named("MessageFailed").is_empty(),
            "{name}: {}",
            app.failure()
        );
    }
}

#[tokio::test]
async fn legacy_session_feedback_example_fails_and_is_dead_lettered() {
    let app = TestApp::start().await;
    mount_upstream(&app).await;
    assert_eq!(
        app.publish(&app.message(LEGACY)).await,
        Disposition::DeadLettered
    );
    assert!(app.failure().contains("is missing"), "{}", app.failure());
}
