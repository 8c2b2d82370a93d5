//! Event (order) allocation (spec 4.3; scenarios 4-8; rules 2, 6, 9, 10).

use messaging::queue::memory::Disposition;

use crate::harness::{
    close_to, created_date, simulation, Table, TestApp, DEFAULT_EVENT, HISTORIC_EVENT, N02, N02ABS,
    NEW_EVENT, SPO_STAFF, STAFF_WITH_USER, X123456, X540660, X540660_EVENT,
};

const NEW_ORDER: &str = "/allocation/event/allocate-new-order-manager";
const CASE_ORDER: i64 = 101;

async fn allocate_new_event(app: &TestApp) -> Disposition {
    app.allocate(
        "new-event-allocation-message.json",
        NEW_ORDER,
        &simulation("new-event-allocation-body.json"),
    )
    .await
}

#[tokio::test]
async fn scenario_4_allocate_new_order_manager_with_spo_staff() {
    let app = TestApp::start().await;
    assert_eq!(app.managers(Table::Order, NEW_EVENT).await.len(), 1);
    assert_eq!(allocate_new_event(&app).await, Disposition::Deleted);

    let managers = app.managers(Table::Order, NEW_EVENT).await;
    assert_eq!(managers.len(), 2, "OM count 1 -> 2");
    assert_eq!(managers[0].end_date, Some(created_date()));
    let new = &managers[1];
    assert_eq!((new.staff_id, new.team_id), (STAFF_WITH_USER, N02ABS));
    assert_eq!(new.probation_area_id, Some(N02));
    assert_eq!(
        new.reason_code.as_deref(),
        Some("INT"),
        "rule 6: events start with INT"
    );
    assert_eq!(new.transfer_reason_id, Some(CASE_ORDER));
    assert_eq!(new.end_date, None);

    let cade = app.contacts(X123456, "CADE").await;
    assert_eq!(cade.len(), 1);
    assert_eq!(cade[0].event_id, Some(NEW_EVENT));
    assert_eq!(
        cade[0].staff_id,
        Some(SPO_STAFF),
        "rule 10: the SPO records the decision"
    );
    assert_eq!(cade[0].sensitive.as_deref(), Some("Y"));
    assert_eq!(cade[0].notes.as_deref(), Some("CADE notes"));
    assert_eq!(
        app.contacts(X123456, "SPOREALL").await.len(),
        0,
        "not a re-allocation"
    );

    let etos = app.contacts(X123456, "ETOS").await;
    assert_eq!(etos.len(), 1);
    assert_eq!(etos[0].event_id, Some(NEW_EVENT));
    assert_eq!(etos[0].staff_id, Some(STAFF_WITH_USER));
    assert!(etos[0].notes.as_deref().unwrap_or_default().starts_with(
        "Transfer Reason: Internal Transfer\nTransfer Date: 28/07/2022\nFrom Trust: Description of N02\nFrom Team: Team N02UAT"
    ));

    let telemetry = app.outcome("EventAllocation");
    assert_eq!(telemetry.properties["crn"], "X123456");
    assert!(telemetry.properties["detailUrl"].ends_with(NEW_ORDER));
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM iaps_event WHERE event_id = {NEW_EVENT}"
        ))
        .await,
        0,
        "rule 9: event 2 has no accredited programme"
    );
    assert_eq!(
        app.audits().await,
        [(
            "CABI041".to_owned(),
            "P".to_owned(),
            Some(format!("offenderId='{X123456}',eventId='{NEW_EVENT}'"))
        )]
    );
}

#[tokio::test]
async fn scenario_5_allocate_historic_order_manager_without_spo() {
    let app = TestApp::start().await;
    let before = app.managers(Table::Order, HISTORIC_EVENT).await;
    assert_eq!(before.len(), 2);
    let disposition = app
        .allocate(
            "historic-event-allocation-message.json",
            "/allocation/event/allocate-historic-order-manager",
            &simulation("historic-event-allocation-body.json"),
        )
        .await;
    assert_eq!(disposition, Disposition::Deleted);
    let managers = app.managers(Table::Order, HISTORIC_EVENT).await;
    assert_eq!(managers.len(), 3, "OM count 2 -> 3");
    assert_eq!(managers[0].end_date, Some(created_date()));
    assert!(close_to(managers[1].end_date, before[1].allocation_date));
    assert_eq!(managers[1].active_flag, 0);
    let cade = app.contacts(X123456, "CADE").await;
    assert_eq!(cade[0].staff_id, Some(STAFF_WITH_USER));
    assert_eq!(cade[0].sensitive.as_deref(), Some("N"));
    assert!(app.outcome("EventAllocation").properties["detailUrl"]
        .ends_with("/allocation/event/allocate-historic-order-manager"));
}

#[tokio::test]
async fn scenario_6_flag_on_writes_the_spo_oversight_contact_for_the_default_event() {
    let app = TestApp::start_with_flag(true).await;
    let mut body = simulation("get-event-allocation-body.json");
    body["spoOversightNotes"] = "SPO says yes".into();
    body["sensitiveOversightNotes"] = false.into();
    let at = "/allocation/event/5716275b-127e-4115-971f-0c131bcbf065";
    app.mock_detail(at, &body).await;
    assert_eq!(
        app.publish(&app.message_for(Some("X123456"), at)).await,
        Disposition::Deleted
    );
    assert_eq!(
        app.managers(Table::Order, DEFAULT_EVENT).await.len(),
        2,
        "OM count 1 -> 2"
    );
    let spo = app.contacts(X123456, "SPOD03").await;
    assert_eq!(spo.len(), 1);
    assert_eq!(spo[0].staff_id, Some(STAFF_WITH_USER));
    assert_eq!(spo[0].sensitive.as_deref(), Some("N"));
    assert_eq!(spo[0].notes.as_deref(), Some("SPO says yes"));
    assert_eq!(app.contacts(X123456, "CADE").await.len(), 0);
    assert!(app.outcome("EventAllocation").properties["detailUrl"].ends_with(at));
    assert_eq!(
        app.count(&format!("SELECT count(*) AS n FROM iaps_event WHERE event_id = {DEFAULT_EVENT} AND iaps_flag = 1")).await,
        1,
        "rule 9: event 1 has an RM38 requirement"
    );
}

#[tokio::test]
async fn scenario_7_event_reallocation_records_oa01() {
    let app = TestApp::start().await;
    app.allocate(
        "new-event-reallocation-message.json",
        "/allocation/event/reallocate-new-order-manager",
        &simulation("reallocation-event-allocation-body.json"),
    )
    .await;
    let managers = app.managers(Table::Order, NEW_EVENT).await;
    assert_eq!(managers[1].reason_code.as_deref(), Some("OA01"));
    assert!(app.outcome("EventAllocation").properties["detailUrl"]
        .ends_with("/allocation/event/reallocate-new-order-manager"));
}

#[tokio::test]
async fn scenario_8_reallocation_spo_oversight_contact() {
    let app = TestApp::start().await;
    app.allocate(
        "new-event-reallocation-message-spo-oversight.json",
        "/allocation/event/reallocate-new-order-manager-spo-oversight",
        &simulation("reallocation-event-allocation-body-spo-oversight.json"),
    )
    .await;
    let contacts = app.contacts(X123456, "SPOREALL").await;
    assert_eq!(contacts.len(), 1);
    let notes = contacts[0].notes.as_deref().unwrap_or_default();
    assert!(
        notes.contains("Comment added by Workforce Allocations Service on 28/07/2022 at 10:30"),
        "{notes}"
    );
    assert!(
        notes.contains("CHANGE_OF_ADDRESS") && notes.contains("SPO oversight notes"),
        "{notes}"
    );
    assert_eq!(contacts[0].staff_id, Some(SPO_STAFF));
    assert_eq!(contacts[0].sensitive.as_deref(), Some("Y"));
    assert!(app.outcome("EventAllocation").properties["detailUrl"]
        .ends_with("/allocation/event/reallocate-new-order-manager-spo-oversight"));
}

#[tokio::test]
async fn spec_4_3_unknown_spo_staff_is_not_found_and_nothing_is_written() {
    let app = TestApp::start().await;
    let mut body = simulation("new-event-allocation-body.json");
    body["spoStaffCode"] = "N02NONE".into();
    let disposition = app
        .allocate("new-event-allocation-message.json", NEW_ORDER, &body)
        .await;
    assert_eq!(disposition, Disposition::DeadLettered);
    assert!(
        app.failure()
            .contains("SPO Staff with code of N02NONE not found"),
        "{}",
        app.failure()
    );
    assert_eq!(app.managers(Table::Order, NEW_EVENT).await.len(), 1);
    assert_eq!(app.contact_count(X123456).await, 0);
}

#[tokio::test]
async fn spec_4_3_unknown_or_inactive_event_fails() {
    let app = TestApp::start().await;
    let mut body = simulation("new-event-allocation-body.json");
    body["eventNumber"] = 9.into();
    let disposition = app
        .allocate("new-event-allocation-message.json", NEW_ORDER, &body)
        .await;
    assert_eq!(disposition, Disposition::DeadLettered);
    assert!(
        app.failure().contains("Event 9 not found for crn X123456"),
        "{}",
        app.failure()
    );

    let app = TestApp::start().await;
    app.execute(&format!(
        "UPDATE event SET active_flag = 0 WHERE event_id = {NEW_EVENT}"
    ))
    .await;
    assert_eq!(allocate_new_event(&app).await, Disposition::DeadLettered);
    assert!(
        app.failure().contains("Event with number of 2 not active"),
        "{}",
        app.failure()
    );
    assert_eq!(app.managers(Table::Order, NEW_EVENT).await.len(), 1);
}

#[tokio::test]
async fn spec_4_3_step_6_pending_order_transfer_is_ignored_with_the_event_number() {
    let app = TestApp::start().await;
    app.execute(&format!(
        "INSERT INTO order_transfer (order_transfer_id, event_id, status_id) VALUES (1, {NEW_EVENT}, 10601)"
    ))
    .await;
    assert_eq!(allocate_new_event(&app).await, Disposition::Deleted);
    let failed = app.outcome("AllocationFailed");
    assert_eq!(failed.properties["type"], "EventAllocation");
    assert_eq!(
        failed.properties["reason"],
        "Pending transfer exists in Delius"
    );
    assert_eq!(failed.properties["eventNumber"], "2");
    assert_eq!(app.managers(Table::Order, NEW_EVENT).await.len(), 1);
    assert_eq!(app.contact_count(X123456).await, 0);
    assert!(app.telemetry.named("EventAllocation").is_empty());
}

#[tokio::test]
async fn spec_4_3_a_rejected_transfer_does_not_block_the_allocation() {
    let app = TestApp::start().await;
    app.execute(&format!(
        "INSERT INTO order_transfer (order_transfer_id, event_id, status_id) VALUES (1, {NEW_EVENT}, 10602); \
         INSERT INTO order_transfer (order_transfer_id, event_id, status_id, soft_deleted) VALUES (2, {NEW_EVENT}, 10601, 1)"
    ))
    .await;
    assert_eq!(allocate_new_event(&app).await, Disposition::Deleted);
    assert_eq!(app.managers(Table::Order, NEW_EVENT).await.len(), 2);
}

#[tokio::test]
async fn spec_2_3_event_allocation_without_a_crn_fails_clearly() {
    let app = TestApp::start().await;
    app.mock_detail(
        "/allocation/event/x",
        &simulation("new-event-allocation-body.json"),
    )
    .await;
    let disposition = app
        .publish(&app.message_for(None, "/allocation/event/x"))
        .await;
    assert_eq!(disposition, Disposition::DeadLettered);
    assert!(
        app.failure()
            .contains("No CRN available in person reference"),
        "{}",
        app.failure()
    );
    assert_eq!(app.managers(Table::Order, NEW_EVENT).await.len(), 1);
}

#[tokio::test]
async fn scenario_6_the_example_message_with_the_flag_on_writes_a_sensitive_spo_contact() {
    let app = TestApp::start_with_flag(true).await;
    let disposition = app
        .allocate(
            "event-allocation-message.json",
            "/allocation/event/5716275b-127e-4115-971f-0c131bcbf065",
            &simulation("get-event-allocation-body.json"),
        )
        .await;
    assert_eq!(disposition, Disposition::Deleted, "{}", app.failure());
    // Rule 1: the attribute says person.community.manager.allocated; the detail is an event's.
    assert_eq!(
        app.managers(Table::Order, X540660_EVENT).await.len(),
        2,
        "OM count 1 -> 2"
    );
    let spo = app.contacts(X540660, "SPOD03").await;
    assert_eq!(spo.len(), 1);
    assert_eq!(spo[0].staff_id, Some(STAFF_WITH_USER));
    assert_eq!(
        spo[0].sensitive.as_deref(),
        Some("Y"),
        "rule 10: sensitive unless told"
    );
    assert_eq!(spo[0].notes, None);
    let telemetry = app.outcome("EventAllocation");
    assert_eq!(telemetry.properties["crn"], "X540660");
    assert!(telemetry.properties["detailUrl"]
        .ends_with("/allocation/event/5716275b-127e-4115-971f-0c131bcbf065"));
}

#[tokio::test]
async fn rule_10_flag_on_reallocation_writes_only_the_reallocation_spo_contact() {
    let app = TestApp::start_with_flag(true).await;
    app.allocate(
        "new-event-reallocation-message-spo-oversight.json",
        "/allocation/event/reallocate-new-order-manager-spo-oversight",
        &simulation("reallocation-event-allocation-body-spo-oversight.json"),
    )
    .await;
    assert_eq!(app.contacts(X123456, "SPOD03").await.len(), 0);
    assert_eq!(app.contacts(X123456, "CADE").await.len(), 0);
    let spo = app.contacts(X123456, "SPOREALL").await;
    assert_eq!(spo.len(), 1);
    assert!(spo[0]
        .notes
        .as_deref()
        .unwrap_or_default()
        .ends_with("\nSPO oversight notes"));
}

#[tokio::test]
async fn rule_10_without_the_reallocation_contact_type_the_allocation_still_happens() {
    let app = TestApp::start().await;
    app.execute("DELETE FROM r_contact_type WHERE code = 'SPOREALL'")
        .await;
    let disposition = app
        .allocate(
            "new-event-reallocation-message.json",
            "/allocation/event/reallocate-new-order-manager",
            &simulation("reallocation-event-allocation-body.json"),
        )
        .await;
    assert_eq!(disposition, Disposition::Deleted, "{}", app.failure());
    assert_eq!(app.managers(Table::Order, NEW_EVENT).await.len(), 2);
    assert_eq!(app.contacts(X123456, "CADE").await.len(), 1);
    assert_eq!(app.contacts(X123456, "ETOS").await.len(), 1);
}

#[tokio::test]
async fn rule_4_same_second_event_allocation_to_someone_else_is_a_conflict() {
    let app = TestApp::start().await;
    app.execute(&format!(
        "UPDATE order_manager SET allocation_date = TIMESTAMP '2022-07-28 10:30:54' WHERE event_id = {NEW_EVENT}"
    ))
    .await;
    assert_eq!(allocate_new_event(&app).await, Disposition::DeadLettered);
    assert!(
        app.failure().contains("Allocation date conflicts"),
        "{}",
        app.failure()
    );
    assert_eq!(app.managers(Table::Order, NEW_EVENT).await.len(), 1);
}

/// Rule 9: which requirements make an event an accredited programme.
async fn event_iaps_after_allocation(requirements_sql: &str) -> i64 {
    let app = TestApp::start().await;
    app.execute(&format!(
        "UPDATE rqmnt SET disposal_id = {DEFAULT_EVENT} WHERE disposal_id = {NEW_EVENT}; \
         INSERT INTO rqmnt (rqmnt_id, offender_id, disposal_id, rqmnt_type_main_category_id, \
           rqmnt_type_sub_category_id, ad_rqmnt_type_main_category_id, active_flag, soft_deleted) \
         VALUES {requirements_sql}"
    ))
    .await;
    assert_eq!(
        allocate_new_event(&app).await,
        Disposition::Deleted,
        "{}",
        app.failure()
    );
    app.count(&format!(
        "SELECT count(*) AS n FROM iaps_event WHERE event_id = {NEW_EVENT}"
    ))
    .await
}

#[tokio::test]
async fn rule_9_event_iaps_only_for_an_accredited_programme_requirement() {
    let on_event = |main: &str, sub: &str, additional: &str, active: u8| {
        format!("(1, {X123456}, {NEW_EVENT}, {main}, {sub}, {additional}, {active}, 0)")
    };
    // 7 with sub category RS66 is not accredited.
    assert_eq!(
        event_iaps_after_allocation(&on_event("103", "12801", "NULL", 1)).await,
        0
    );
    // 7 without a sub category is.
    assert_eq!(
        event_iaps_after_allocation(&on_event("103", "NULL", "NULL", 1)).await,
        1
    );
    // An additional main category of 7 is.
    assert_eq!(
        event_iaps_after_allocation(&on_event("101", "NULL", "103", 1)).await,
        1
    );
    // An inactive RM38 is not.
    assert_eq!(
        event_iaps_after_allocation(&on_event("102", "NULL", "NULL", 0)).await,
        0
    );
}
