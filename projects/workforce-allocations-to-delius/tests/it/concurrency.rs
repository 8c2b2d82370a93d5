//! Concurrent allocations of one person or event (spec 4.6): they run one after the other, so
//! there is never more than one active manager.

use futures::future::join_all;
use messaging::queue::memory::Disposition;

use crate::harness::{simulation, Table, TestApp, NEW_EVENT, T123456};

#[tokio::test]
async fn concurrent_person_allocations_leave_one_active_manager_and_one_active_ro() {
    let app = TestApp::start().await;
    // Three allocations of T123456 to three teams' staff at different times, all at once.
    app.execute(
        "INSERT INTO staff (staff_id, officer_code, forename, surname, probation_area_id) VALUES \
           (2001, 'N02C001', 'Con', 'One', 102), (2002, 'N02C002', 'Con', 'Two', 102); \
         INSERT INTO staff_team (staff_id, team_id) VALUES (2001, 1021), (2002, 1021);",
    )
    .await;
    let mut messages = Vec::new();
    for (i, staff) in ["N02ABS1", "N02C001", "N02C002"].into_iter().enumerate() {
        let mut body = simulation("new-person-allocation-body.json");
        body["staffCode"] = staff.into();
        body["createdDate"] = format!("2022-07-28T10:3{i}:54+01:00").into();
        let at = format!("/allocation/person/concurrent-{i}");
        app.mock_detail(&at, &body).await;
        messages.push(app.message_for(Some("T123456"), &at));
    }
    let dispositions = join_all(messages.iter().map(|m| app.publish(m))).await;
    assert!(
        dispositions.iter().all(|d| *d == Disposition::Deleted),
        "{dispositions:?}: {}",
        app.failure()
    );

    let managers = app.managers(Table::Person, T123456).await;
    assert_eq!(managers.len(), 4);
    assert_eq!(managers.iter().filter(|m| m.end_date.is_none()).count(), 1);
    assert_eq!(managers.iter().filter(|m| m.active_flag == 1).count(), 1);
    // Each manager ends where the next begins, whatever order the messages ran in.
    for pair in managers.windows(2) {
        assert_eq!(
            pair[0].end_date,
            Some(pair[1].allocation_date),
            "{managers:?}"
        );
    }
    let officers = app.responsible_officers(T123456).await;
    assert_eq!(
        officers.iter().filter(|o| o.end_date.is_none()).count(),
        1,
        "{officers:?}"
    );
}

#[tokio::test]
async fn the_same_event_allocation_delivered_twice_at_once_is_applied_once() {
    let app = TestApp::start().await;
    let at = "/allocation/event/allocate-new-order-manager";
    app.mock_detail(at, &simulation("new-event-allocation-body.json"))
        .await;
    let message = app.message("new-event-allocation-message.json");
    let second = app.message("new-event-allocation-message.json");
    let (a, b) = tokio::join!(app.publish(&message), app.publish(&second));
    assert_eq!(
        (a, b),
        (Disposition::Deleted, Disposition::Deleted),
        "{}",
        app.failure()
    );
    assert_eq!(app.managers(Table::Order, NEW_EVENT).await.len(), 2);
    assert_eq!(app.telemetry.named("EventAllocation").len(), 2);
}
