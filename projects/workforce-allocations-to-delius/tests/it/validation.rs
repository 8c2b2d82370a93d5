//! Validation of team, staff and reason (spec 4.1b, AllocationValidatorTest): each failure is
//! named, nothing is written, and only the external transfer is ignorable.

use messaging::queue::memory::Disposition;

use crate::harness::{simulation, Table, TestApp, NEW_EVENT, X123456};

const AT: &str = "/allocation/event/allocate-new-order-manager";

/// Allocates event 2 with the detail changed by `change`; returns the disposition.
async fn allocate_with(app: &TestApp, change: impl FnOnce(&mut serde_json::Value)) -> Disposition {
    let mut body = simulation("new-event-allocation-body.json");
    change(&mut body);
    app.allocate("new-event-allocation-message.json", AT, &body)
        .await
}

async fn assert_nothing_written(app: &TestApp) {
    assert_eq!(app.managers(Table::Order, NEW_EVENT).await.len(), 1);
    assert_eq!(app.contact_count(X123456).await, 0);
}

#[tokio::test]
async fn spec_4_1b_unknown_team_is_not_found() {
    let app = TestApp::start().await;
    let disposition = allocate_with(&app, |b| b["teamCode"] = "N02XXX".into()).await;
    assert_eq!(disposition, Disposition::DeadLettered);
    assert!(
        app.failure().contains("Team with code of N02XXX not found"),
        "{}",
        app.failure()
    );
    assert_nothing_written(&app).await;
}

#[tokio::test]
async fn spec_4_1b_team_of_another_provider_is_an_ignored_external_transfer() {
    let app = TestApp::start().await;
    let disposition = allocate_with(&app, |b| b["teamCode"] = "N03DEF".into()).await;
    assert_eq!(disposition, Disposition::Deleted);
    let failed = app.outcome("AllocationFailed");
    assert_eq!(
        failed.properties["reason"],
        "External transfer not permitted"
    );
    assert_eq!(failed.properties["type"], "EventAllocation");
    assert_nothing_written(&app).await;
}

#[tokio::test]
async fn spec_4_1b_team_ended_before_the_allocation_is_not_active_but_a_future_end_passes() {
    let app = TestApp::start().await;
    app.execute("UPDATE team SET end_date = DATE '2022-07-27' WHERE code = 'N02ABS'")
        .await;
    assert_eq!(allocate_with(&app, |_| {}).await, Disposition::DeadLettered);
    assert!(
        app.failure()
            .contains("Team with code of N02ABS not active"),
        "{}",
        app.failure()
    );
    assert_nothing_written(&app).await;

    let app = TestApp::start().await;
    app.execute(
        "UPDATE team SET end_date = (now() + INTERVAL '5 years')::date WHERE code = 'N02ABS'",
    )
    .await;
    assert_eq!(allocate_with(&app, |_| {}).await, Disposition::Deleted);
    assert_eq!(app.managers(Table::Order, NEW_EVENT).await.len(), 2);
}

#[tokio::test]
async fn spec_4_1b_unknown_staff_is_not_found() {
    let app = TestApp::start().await;
    assert_eq!(
        allocate_with(&app, |b| b["staffCode"] = "N02NONE".into()).await,
        Disposition::DeadLettered
    );
    assert!(
        app.failure()
            .contains("Staff with code of N02NONE not found"),
        "{}",
        app.failure()
    );
    assert_nothing_written(&app).await;
}

#[tokio::test]
async fn spec_4_1b_staff_ended_before_the_allocation_is_not_active() {
    let app = TestApp::start().await;
    app.execute("UPDATE staff SET end_date = DATE '2021-01-01' WHERE officer_code = 'N02ABS1'")
        .await;
    assert_eq!(allocate_with(&app, |_| {}).await, Disposition::DeadLettered);
    assert!(
        app.failure()
            .contains("Staff with code of N02ABS1 not active"),
        "{}",
        app.failure()
    );
    assert_nothing_written(&app).await;
}

#[tokio::test]
async fn spec_4_1b_staff_not_in_the_team_is_refused() {
    let app = TestApp::start().await;
    app.execute("DELETE FROM staff_team WHERE staff_id = 1021 AND team_id = 1021")
        .await;
    assert_eq!(allocate_with(&app, |_| {}).await, Disposition::DeadLettered);
    assert!(
        app.failure()
            .contains("Staff with code of N02ABS1 is not a member of team N02ABS"),
        "{}",
        app.failure()
    );
    assert_nothing_written(&app).await;
}

#[tokio::test]
async fn spec_4_1b_missing_reason_reference_data_is_not_found() {
    let app = TestApp::start().await;
    app.execute("UPDATE r_standard_reference_list SET code_value = 'GONE' WHERE standard_reference_list_id = 10304").await;
    assert_eq!(
        allocate_with(&app, |b| b["allocationReason"] = "CHANGE_OF_ADDRESS".into()).await,
        Disposition::DeadLettered
    );
    assert!(
        app.failure()
            .contains("Allocation reason OA01 of ORDER ALLOCATION REASON not found"),
        "{}",
        app.failure()
    );
    assert_nothing_written(&app).await;
}

#[tokio::test]
async fn rule_4_a_duplicate_comes_before_validation() {
    let app = TestApp::start().await;
    // The current manager's staff has left, but the same staff and team is a duplicate.
    app.execute("UPDATE staff SET end_date = DATE '2021-01-01' WHERE officer_code = 'N02UATU'")
        .await;
    let disposition = allocate_with(&app, |b| {
        b["staffCode"] = "N02UATU".into();
        b["teamCode"] = "N02UAT".into();
    })
    .await;
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(app.telemetry.named("EventAllocation").len(), 1);
    assert_nothing_written(&app).await;
}
