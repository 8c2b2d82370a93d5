//! Requirement and licence-condition allocation (spec 4.4, 4.5; scenarios 9-14).

use messaging::queue::memory::Disposition;

use crate::harness::{
    close_to, created_date, simulation, Table, TestApp, DEFAULT_EVENT, N02ABS, STAFF_WITH_USER,
    X123456,
};

const COMPONENT: i64 = 102;

#[tokio::test]
async fn scenario_9_allocate_new_requirement_manager() {
    let app = TestApp::start().await;
    let disposition = app
        .allocate(
            "new-requirement-allocation-message.json",
            "/allocation/requirements/allocate-new-requirement-manager",
            &simulation("new-requirement-allocation-body.json"),
        )
        .await;
    assert_eq!(disposition, Disposition::Deleted, "{}", app.failure());
    let managers = app.managers(Table::Requirement, 34).await;
    assert_eq!(managers.len(), 2);
    assert_eq!(managers[0].end_date, Some(created_date()));
    assert_eq!(
        (managers[1].staff_id, managers[1].team_id),
        (STAFF_WITH_USER, N02ABS)
    );
    assert_eq!(managers[1].reason_code.as_deref(), Some("IN1"));
    assert_eq!(managers[1].transfer_reason_id, Some(COMPONENT));
    let etrc = app.contacts(X123456, "ETRC").await;
    assert_eq!(etrc.len(), 1);
    assert_eq!(
        (etrc[0].event_id, etrc[0].rqmnt_id),
        (Some(DEFAULT_EVENT), Some(34))
    );
    assert_eq!(etrc[0].lic_condition_id, None);
    assert_eq!(
        app.count(
            "SELECT count(*) AS n FROM iaps_requirement WHERE rqmnt_id = 34 AND iaps_flag = 1"
        )
        .await,
        1
    );
    assert_eq!(
        app.outcome("RequirementAllocation").properties["crn"],
        "X123456"
    );
    assert_eq!(
        app.audits().await,
        [(
            "CABI038".to_owned(),
            "P".to_owned(),
            Some(format!(
                "offenderId='{X123456}',eventId='{DEFAULT_EVENT}',requirementId='34'"
            ))
        )]
    );
}

#[tokio::test]
async fn scenario_10_allocate_historic_requirement_manager() {
    let app = TestApp::start().await;
    let before = app.managers(Table::Requirement, 9002).await;
    app.allocate(
        "historic-requirement-allocation-message.json",
        "/allocation/requirements/allocate-historic-requirement-manager",
        &simulation("historic-requirement-allocation-body.json"),
    )
    .await;
    let managers = app.managers(Table::Requirement, 9002).await;
    assert_eq!(managers.len(), 3);
    assert_eq!(managers[0].end_date, Some(created_date()));
    assert!(close_to(managers[1].end_date, before[1].allocation_date));
    assert_eq!(managers[1].active_flag, 0);
    assert_eq!(managers[2].end_date, None);
}

#[tokio::test]
async fn scenario_11_reallocate_requirement_records_om() {
    let app = TestApp::start().await;
    app.allocate(
        "new-requirement-reallocation-message.json",
        "/allocation/requirements/reallocate-new-requirement-manager",
        &simulation("reallocation-requirement-allocation-body.json"),
    )
    .await;
    assert_eq!(
        app.managers(Table::Requirement, 9003).await[1]
            .reason_code
            .as_deref(),
        Some("OM")
    );
    assert!(app.outcome("RequirementAllocation").properties["detailUrl"]
        .ends_with("/allocation/requirements/reallocate-new-requirement-manager"));
}

#[tokio::test]
async fn spec_4_4_requirement_of_another_person_or_event_is_a_conflict() {
    let app = TestApp::start().await;
    let at = "/allocation/requirements/x";
    app.mock_detail(at, &simulation("new-requirement-allocation-body.json"))
        .await;
    assert_eq!(
        app.publish(&app.message_for(Some("T123456"), at)).await,
        Disposition::DeadLettered
    );
    assert!(
        app.failure().contains("Requirement 34 not for T123456"),
        "{}",
        app.failure()
    );

    let app = TestApp::start().await;
    let mut body = simulation("new-requirement-allocation-body.json");
    body["eventNumber"] = 2.into();
    app.mock_detail(at, &body).await;
    assert_eq!(
        app.publish(&app.message_for(Some("X123456"), at)).await,
        Disposition::DeadLettered
    );
    assert!(
        app.failure().contains("Requirement 34 not for event 2"),
        "{}",
        app.failure()
    );
    assert_eq!(app.managers(Table::Requirement, 34).await.len(), 1);
}

#[tokio::test]
async fn spec_4_4_unknown_or_inactive_requirement_fails() {
    let app = TestApp::start().await;
    let at = "/allocation/requirements/x";
    let mut body = simulation("new-requirement-allocation-body.json");
    body["requirementId"] = 99.into();
    app.mock_detail(at, &body).await;
    assert_eq!(
        app.publish(&app.message_for(Some("X123456"), at)).await,
        Disposition::DeadLettered
    );
    assert!(
        app.failure()
            .contains("Requirement with id of 99 not found"),
        "{}",
        app.failure()
    );

    let app = TestApp::start().await;
    app.execute("UPDATE rqmnt SET active_flag = 0 WHERE rqmnt_id = 34")
        .await;
    app.mock_detail(at, &simulation("new-requirement-allocation-body.json"))
        .await;
    assert_eq!(
        app.publish(&app.message_for(Some("X123456"), at)).await,
        Disposition::DeadLettered
    );
    assert!(
        app.failure()
            .contains("Requirement with id of 34 not active"),
        "{}",
        app.failure()
    );

    let app = TestApp::start().await;
    app.execute(&format!(
        "UPDATE disposal SET active_flag = 0 WHERE event_id = {DEFAULT_EVENT}"
    ))
    .await;
    app.mock_detail(at, &simulation("new-requirement-allocation-body.json"))
        .await;
    assert_eq!(
        app.publish(&app.message_for(Some("X123456"), at)).await,
        Disposition::DeadLettered
    );
    assert!(
        app.failure().contains("Event with number of 1 not active"),
        "{}",
        app.failure()
    );
    assert_eq!(app.contact_count(X123456).await, 0);
}

#[tokio::test]
async fn scenario_12_allocate_new_licence_condition_manager() {
    let app = TestApp::start().await;
    assert_eq!(app.managers(Table::LicenceCondition, 8001).await.len(), 1);
    let disposition = app
        .allocate(
            "new-licence-condition-allocation-message.json",
            "/allocation/licence-conditions/allocate-new-licence-condition-manager",
            &simulation("new-licence-condition-allocation-body.json"),
        )
        .await;
    assert_eq!(disposition, Disposition::Deleted, "{}", app.failure());
    let managers = app.managers(Table::LicenceCondition, 8001).await;
    assert_eq!(managers.len(), 2, "LCM count 1 -> 2");
    assert_eq!(managers[0].end_date, Some(created_date()));
    assert_eq!(managers[1].transfer_reason_id, Some(COMPONENT));
    let etrc = app.contacts(X123456, "ETRC").await;
    assert_eq!(
        (etrc[0].event_id, etrc[0].lic_condition_id),
        (Some(DEFAULT_EVENT), Some(8001))
    );
    assert_eq!(etrc[0].rqmnt_id, None);
    assert_eq!(
        app.count("SELECT (SELECT count(*) FROM iaps_requirement) + (SELECT count(*) FROM iaps_event) + (SELECT count(*) FROM iaps_offender) AS n").await,
        0,
        "rule 9: licence conditions never touch IAPS"
    );
    let telemetry = app.outcome("LicenceConditionAllocation");
    assert_eq!(telemetry.properties["crn"], "X123456");
    assert!(telemetry.properties["detailUrl"]
        .ends_with("/allocation/licence-conditions/allocate-new-licence-condition-manager"));
    assert_eq!(
        app.audits().await,
        [(
            "CABI038".to_owned(),
            "P".to_owned(),
            Some(format!(
                "offenderId='{X123456}',eventId='{DEFAULT_EVENT}',requirementId='8001'"
            ))
        )],
        "spec 3.9: the licence condition's id is audited as requirementId"
    );
}

#[tokio::test]
async fn scenario_13_allocate_historic_licence_condition_manager() {
    let app = TestApp::start().await;
    let before = app.managers(Table::LicenceCondition, 8002).await;
    app.allocate(
        "historic-licence-condition-allocation-message.json",
        "/allocation/licence-conditions/allocate-historic-licence-condition-manager",
        &simulation("historic-licence-condition-allocation-body.json"),
    )
    .await;
    let managers = app.managers(Table::LicenceCondition, 8002).await;
    assert_eq!(managers.len(), 3);
    assert!(close_to(managers[1].end_date, before[1].allocation_date));
    assert_eq!(managers[1].active_flag, 0);
}

#[tokio::test]
async fn scenario_14_reallocate_licence_condition_manager() {
    let app = TestApp::start().await;
    app.allocate(
        "new-licence-condition-reallocation-message.json",
        "/allocation/licence-conditions/reallocate-new-licence-condition-manager",
        &simulation("reallocation-licence-condition-allocation-body.json"),
    )
    .await;
    assert_eq!(
        app.managers(Table::LicenceCondition, 8003).await[1]
            .reason_code
            .as_deref(),
        Some("OM")
    );
    assert!(
        app.outcome("LicenceConditionAllocation").properties["detailUrl"]
            .ends_with("/allocation/licence-conditions/reallocate-new-licence-condition-manager")
    );
}

#[tokio::test]
async fn spec_4_5_missing_licence_condition_is_ignored_with_its_id() {
    let app = TestApp::start().await;
    let at = "/allocation/licence-conditions/x";
    let mut body = simulation("new-licence-condition-allocation-body.json");
    body["licenceConditionId"] = 77.into();
    app.mock_detail(at, &body).await;
    assert_eq!(
        app.publish(&app.message_for(Some("X123456"), at)).await,
        Disposition::Deleted
    );
    let failed = app.outcome("AllocationFailed");
    assert_eq!(failed.properties["type"], "LicenceConditionAllocation");
    assert_eq!(failed.properties["reason"], "Requirement no longer exists");
    assert_eq!(failed.properties["id"], "77");
    assert_eq!(
        app.audits().await,
        [("CABI038".to_owned(), "F".to_owned(), None)]
    );
}

#[tokio::test]
async fn spec_4_5_step_9_pending_licence_condition_transfer_is_ignored_with_categories() {
    let app = TestApp::start().await;
    app.execute(
        "INSERT INTO lic_condition_transfer (lic_condition_transfer_id, lic_condition_id, status_id) VALUES (1, 8001, 10601)",
    )
    .await;
    app.allocate(
        "new-licence-condition-allocation-message.json",
        "/allocation/licence-conditions/allocate-new-licence-condition-manager",
        &simulation("new-licence-condition-allocation-body.json"),
    )
    .await;
    let failed = app.outcome("AllocationFailed");
    assert_eq!(
        failed.properties["reason"],
        "Pending transfer exists in Delius"
    );
    assert_eq!(failed.properties["eventNumber"], "1");
    assert_eq!(failed.properties["mainCategory"], "Freedom of Movement");
    assert_eq!(
        failed.properties["subCategory"],
        "Test Licence Condition Sub Category"
    );
    assert_eq!(app.managers(Table::LicenceCondition, 8001).await.len(), 1);
}

#[tokio::test]
async fn spec_4_4_step_9_pending_requirement_transfer_is_a_conflict() {
    let app = TestApp::start().await;
    app.execute(
        "INSERT INTO rqmnt_transfer (rqmnt_transfer_id, rqmnt_id, status_id) VALUES (1, 34, 10601)",
    )
    .await;
    let disposition = app
        .allocate(
            "new-requirement-allocation-message.json",
            "/allocation/requirements/allocate-new-requirement-manager",
            &simulation("new-requirement-allocation-body.json"),
        )
        .await;
    assert_eq!(disposition, Disposition::DeadLettered);
    assert!(
        app.failure()
            .contains("Pending transfer exists for this requirement: 34"),
        "{}",
        app.failure()
    );
    assert!(app.telemetry.named("AllocationFailed").is_empty());
    assert_eq!(app.managers(Table::Requirement, 34).await.len(), 1);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM iaps_requirement")
            .await,
        0
    );
}

#[tokio::test]
async fn spec_4_5_inactive_licence_condition_or_other_crn_fails() {
    let app = TestApp::start().await;
    let at = "/allocation/licence-conditions/x";
    app.execute("UPDATE lic_condition SET active_flag = 0 WHERE lic_condition_id = 8001")
        .await;
    app.mock_detail(
        at,
        &simulation("new-licence-condition-allocation-body.json"),
    )
    .await;
    assert_eq!(
        app.publish(&app.message_for(Some("X123456"), at)).await,
        Disposition::DeadLettered
    );
    assert!(
        app.failure()
            .contains("Licence Condition with id of 8001 not active"),
        "{}",
        app.failure()
    );

    let app = TestApp::start().await;
    app.mock_detail(
        at,
        &simulation("new-licence-condition-allocation-body.json"),
    )
    .await;
    assert_eq!(
        app.publish(&app.message_for(Some("T223456"), at)).await,
        Disposition::DeadLettered
    );
    assert!(
        app.failure()
            .contains("Licence Condition 8001 not for T223456"),
        "{}",
        app.failure()
    );
}

#[tokio::test]
async fn spec_3_8_licence_conditions_fall_back_to_the_requirement_reasons() {
    let app = TestApp::start().await;
    app.execute("UPDATE r_standard_reference_list SET code_value = code_value || '-' WHERE reference_data_master_id = 105")
        .await;
    let disposition = app
        .allocate(
            "new-licence-condition-reallocation-message.json",
            "/allocation/licence-conditions/reallocate-new-licence-condition-manager",
            &simulation("reallocation-licence-condition-allocation-body.json"),
        )
        .await;
    assert_eq!(disposition, Disposition::Deleted, "{}", app.failure());
    assert_eq!(
        app.managers(Table::LicenceCondition, 8003).await[1]
            .reason_code
            .as_deref(),
        Some("OM")
    );
}
