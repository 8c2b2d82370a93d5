//! Bad input and upstream failures (spec 2.3, 2.4, 4.0): a clear error or ignore reason, never a
//! crash or a partial write.

use messaging::queue::memory::Disposition;
use messaging::Notification;

use crate::harness::{simulation, Table, TestApp, NEW_EVENT, T123456, X123456};

#[tokio::test]
async fn spec_2_3_a_message_without_detail_url_fails_and_reaches_the_dead_letter_queue() {
    let app = TestApp::start().await;
    let event = serde_json::json!({"eventType": "event.manager.allocated", "version": 1,
        "personReference": {"identifiers": [{"type": "CRN", "value": "X123456"}]}});
    let message = Notification::for_event("event.manager.allocated", &event).expect("message");
    assert_eq!(app.publish(&message).await, Disposition::DeadLettered);
    assert!(app.failure().contains("no detailUrl"), "{}", app.failure());
}

#[tokio::test]
async fn malformed_message_body_fails_clearly() {
    let app = TestApp::start().await;
    let message =
        Notification::new("{not json").with_attribute("eventType", "event.manager.allocated");
    assert_eq!(app.publish(&message).await, Disposition::DeadLettered);
    assert!(
        app.failure().contains("not valid JSON"),
        "{}",
        app.failure()
    );
}

#[tokio::test]
async fn upstream_404_is_ignored_with_the_detail_url() {
    let app = TestApp::start().await;
    app.mock_status("/allocation/event/gone", 404).await;
    let disposition = app
        .publish(&app.message_for(Some("X123456"), "/allocation/event/gone"))
        .await;
    assert_eq!(disposition, Disposition::Deleted);
    let ignored = app.outcome("AllocationDetailNotFound");
    assert_eq!(ignored.properties["crn"], "X123456");
    assert!(ignored.properties["detailUrl"].ends_with("/allocation/event/gone"));
    assert_eq!(app.contact_count(X123456).await, 0);
}

#[tokio::test]
async fn upstream_500_is_retried_then_dead_lettered_and_nothing_is_written() {
    let app = TestApp::start().await;
    app.mock_status("/allocation/event/broken", 500).await;
    let disposition = app
        .publish(&app.message_for(Some("X123456"), "/allocation/event/broken"))
        .await;
    assert_eq!(disposition, Disposition::DeadLettered);
    let requests = app
        .workload
        .received_requests()
        .await
        .unwrap_or_default()
        .len();
    assert!(requests >= 3, "retried: {requests} requests");
    assert_eq!(app.managers(Table::Order, NEW_EVENT).await.len(), 1);
}

#[tokio::test]
async fn spec_2_4_a_detail_missing_its_fields_is_a_clear_failure() {
    let app = TestApp::start().await;
    app.mock_detail(
        "/allocation/event/odd",
        &serde_json::json!({"eventNumber": 2}),
    )
    .await;
    let disposition = app
        .publish(&app.message_for(Some("X123456"), "/allocation/event/odd"))
        .await;
    assert_eq!(disposition, Disposition::DeadLettered);
    assert!(
        app.failure()
            .contains("allocation detail is not a valid EventAllocation"),
        "{}",
        app.failure()
    );
}

#[tokio::test]
async fn spec_2_4_unknown_allocation_reason_is_refused_not_guessed() {
    let app = TestApp::start().await;
    let mut body = simulation("new-event-allocation-body.json");
    body["allocationReason"] = "MOVED_HOUSE".into();
    app.mock_detail("/allocation/event/x", &body).await;
    let disposition = app
        .publish(&app.message_for(Some("X123456"), "/allocation/event/x"))
        .await;
    assert_eq!(disposition, Disposition::DeadLettered);
    assert!(app.failure().contains("MOVED_HOUSE"), "{}", app.failure());
    assert_eq!(app.managers(Table::Order, NEW_EVENT).await.len(), 1);
}

#[tokio::test]
async fn a_detail_url_outside_the_allow_list_is_never_fetched() {
    let app = TestApp::start().await;
    let event = serde_json::json!({"eventType": "person.community.manager.allocated", "version": 1,
        "detailUrl": "http://169.254.169.254/latest/meta-data",
        "personReference": {"identifiers": [{"type": "CRN", "value": "T123456"}]}});
    let message =
        Notification::for_event("person.community.manager.allocated", &event).expect("message");
    assert_eq!(app.publish(&message).await, Disposition::DeadLettered);
    assert!(
        app.failure().contains("not in the allow-list"),
        "{}",
        app.failure()
    );
    assert_eq!(app.managers(Table::Person, T123456).await.len(), 1);
}
