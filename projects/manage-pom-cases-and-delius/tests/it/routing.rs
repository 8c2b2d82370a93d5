//! Message routing (spec 3.0, rule 9): the `eventType` message attribute picks the handler, a
//! body with a `crn` is a legacy offender event, and unknown types fail the message.

use manage_pom_cases_and_delius::handler::{ALLOCATION_CHANGED, HANDOVER_CHANGED};
use manage_pom_cases_and_delius::PomCasesHandler;
use messaging::queue::memory::Disposition;
use messaging::{Notification, NotificationHandler};
use serde_json::json;

use crate::allocation::envelope;
use crate::handover::{date, handover_url, key_dates, mount_simulation, CREATE_CUSTODY};
use crate::harness::TestApp;

/// A domain event body for A4096BY whose own `eventType` says `body_event_type`.
fn domain_event(app: &TestApp, body_event_type: &str) -> serde_json::Value {
    json!({
        "eventType": body_event_type,
        "version": 1,
        "detailUrl": handover_url(app, "A4096BY"),
        "occurredAt": "2023-05-09T13:25:19.102Z",
        "personReference": {"identifiers": [{"type": "NOMS", "value": "A4096BY"}]}
    })
}

/// The error the handler returns for `notification`, as the consumer records it.
async fn handler_error(app: &TestApp, notification: &Notification) -> String {
    let error = PomCasesHandler::new(app.context.clone())
        .handle(notification)
        .await
        .expect_err("the message fails");
    format!("{error:#}")
}

/// The `error` property of the one `MessageFailed` telemetry event.
fn recorded_failure(app: &TestApp) -> String {
    let failures = app.telemetry.named("MessageFailed");
    assert!(!failures.is_empty(), "{:?}", app.telemetry.events());
    failures[0].properties["error"].clone()
}

#[tokio::test]
async fn rule_9_the_event_type_attribute_wins_over_the_body_event_type() {
    let app = TestApp::start().await;
    mount_simulation(&app, "A4096BY", "create-handover-and-start-date.json").await;
    // The body claims an allocation; the attribute says handover, so the handover flow runs.
    let message = envelope(HANDOVER_CHANGED, &domain_event(&app, ALLOCATION_CHANGED));
    assert_eq!(app.publish(&message).await, Disposition::Deleted);
    let names: Vec<String> = app.outcomes().into_iter().map(|e| e.name).collect();
    assert_eq!(names, ["KeyDateCreated"]);
    assert_eq!(
        app.outcome("KeyDateCreated").properties["nomsId"],
        "A4096BY"
    );
    let dates: Vec<_> = key_dates(&app, CREATE_CUSTODY)
        .await
        .into_iter()
        .map(|r| (r.code, r.date))
        .collect();
    assert_eq!(
        dates,
        [
            ("POM1".to_owned(), date("2023-05-06")),
            ("POM2".to_owned(), date("2023-05-10"))
        ]
    );
}

#[tokio::test]
async fn rule_9_an_unknown_domain_event_type_fails_as_unhandled_even_with_a_known_body_type() {
    let app = TestApp::start().await;
    let message = envelope(
        "probation-case.unknown.happened",
        &domain_event(&app, HANDOVER_CHANGED),
    );
    assert_eq!(
        handler_error(&app, &message).await,
        "Unhandled message type received: probation-case.unknown.happened"
    );
    assert_eq!(app.publish(&message).await, Disposition::DeadLettered);
    assert!(
        recorded_failure(&app)
            .contains("Unhandled message type received: probation-case.unknown.happened"),
        "{}",
        recorded_failure(&app)
    );
    assert!(app.outcomes().is_empty(), "{:?}", app.outcomes());
    assert!(key_dates(&app, CREATE_CUSTODY).await.is_empty());
    assert_eq!(app.mpc_requests().await, 0, "Manage POM Cases was called");
}

#[tokio::test]
async fn rule_9_a_legacy_offender_event_other_than_sentence_changed_fails() {
    let app = TestApp::start().await;
    let message = Notification::for_event(
        "OFFENDER_DETAILS_CHANGED",
        &json!({"eventType": "SENTENCE_CHANGED", "crn": "H123459", "offenderId": 1}),
    )
    .expect("notification");
    assert_eq!(
        handler_error(&app, &message).await,
        "Unexpected offender event type: OFFENDER_DETAILS_CHANGED"
    );
    assert_eq!(app.publish(&message).await, Disposition::DeadLettered);
    assert!(
        recorded_failure(&app).contains("Unexpected offender event type: OFFENDER_DETAILS_CHANGED"),
        "{}",
        recorded_failure(&app)
    );
    assert!(app.outcomes().is_empty(), "{:?}", app.outcomes());
}
