//! Person allocation (spec 4.2; scenarios 1-3; rules 2, 3, 7, 8, 9).

use messaging::queue::memory::Disposition;

use crate::harness::{
    close_to, created_date, simulation, Table, TestApp, N02, N02ABS, STAFF_WITH_USER, T123456,
    T223456, UNALLOCATED_STAFF,
};

const NEW_PERSON: &str = "/allocation/person/allocate-new-person-manager";

async fn allocate_new_person(app: &TestApp) -> Disposition {
    app.allocate(
        "new-person-allocation-message.json",
        NEW_PERSON,
        &simulation("new-person-allocation-body.json"),
    )
    .await
}

#[tokio::test]
async fn scenario_1_allocate_new_person_manager() {
    let app = TestApp::start().await;
    assert_eq!(app.managers(Table::Person, T123456).await.len(), 1);
    assert_eq!(app.responsible_officers(T123456).await.len(), 1);

    assert_eq!(allocate_new_person(&app).await, Disposition::Deleted);

    let managers = app.managers(Table::Person, T123456).await;
    assert_eq!(managers.len(), 2, "PM count 1 -> 2");
    let (old, new) = (&managers[0], &managers[1]);
    assert_eq!(old.end_date, Some(created_date()));
    assert_eq!(old.active_flag, 0);
    assert_eq!(old.row_version, 1);
    assert_eq!(new.allocation_date, created_date());
    assert_eq!(new.end_date, None);
    assert_eq!(new.active_flag, 1);
    assert_eq!(new.staff_id, STAFF_WITH_USER);
    assert_eq!(new.staff_employee_id, Some(STAFF_WITH_USER));
    assert_eq!(
        (new.team_id, new.trust_provider_team_id),
        (N02ABS, Some(N02ABS))
    );
    assert_eq!(new.probation_area_id, Some(N02));
    assert_eq!(new.reason_code.as_deref(), Some("IN1"));

    let officers = app.responsible_officers(T123456).await;
    assert_eq!(officers.len(), 2, "RO count 1 -> 2");
    assert_eq!(officers[0].end_date, Some(created_date()));
    assert_eq!(officers[1].start_date, created_date());
    assert_eq!(officers[1].end_date, None);
    assert_eq!(officers[1].offender_manager_id, Some(new.id));

    assert_eq!(
        app.count(&format!("SELECT count(*) AS n FROM iaps_offender WHERE offender_id = {T123456} AND iaps_flag = 1")).await,
        1,
        "rule 9: the person has an accredited programme"
    );
    let telemetry = app.outcome("PersonAllocation");
    assert_eq!(telemetry.properties["crn"], "T123456");
    assert!(telemetry.properties["detailUrl"].ends_with(NEW_PERSON));
    assert_eq!(
        app.audits().await,
        [(
            "CABI231".to_owned(),
            "P".to_owned(),
            Some(format!("offenderId='{T123456}'"))
        )]
    );
}

#[tokio::test]
async fn rule_8_person_transfer_contact_names_the_old_team_and_officer() {
    let app = TestApp::start().await;
    allocate_new_person(&app).await;
    let contacts = app.contacts(T123456, "ETOM").await;
    assert_eq!(contacts.len(), 1);
    let etom = &contacts[0];
    assert_eq!(etom.event_id, None);
    assert_eq!(etom.contact_date, created_date().date());
    assert_eq!(etom.start_time.as_deref(), Some("10:30:54.023"));
    assert_eq!(etom.staff_id, Some(STAFF_WITH_USER));
    assert_eq!(etom.staff_employee_id, Some(STAFF_WITH_USER));
    assert_eq!(etom.team_id, Some(N02ABS));
    assert_eq!(etom.probation_area_id, Some(N02));
    assert_eq!(etom.sensitive.as_deref(), Some("N"));
    assert_eq!(
        etom.notes.as_deref(),
        Some(
            "Transfer Reason: Internal Transfer\nTransfer Date: 28/07/2022\n\
             From Trust: Description of N02\nFrom Team: Team N02UAT\n\
             From Officer: Unallocated Staff\n-------------------------------/\n\n"
        )
    );
}

#[tokio::test]
async fn rule_7_roc_contact_shows_new_and_previous_responsible_officer() {
    let app = TestApp::start().await;
    allocate_new_person(&app).await;
    let roc = app.contacts(T123456, "ROC").await;
    assert_eq!(roc.len(), 1);
    let etom = app.contacts(T123456, "ETOM").await;
    assert!(
        roc[0].contact_id < etom[0].contact_id,
        "ROC is written before ETOM"
    );
    assert_eq!(roc[0].staff_id, Some(STAFF_WITH_USER));
    assert_eq!(
        roc[0].notes.as_deref(),
        Some(
            "New Details:\n\
             Responsible Officer Type: Offender Manager\n\
             Responsible Officer: Staff With User(Team N02ABS,Description of N02)\n\
             Start Date: 28/07/2022 10:30:54\n\
             Previous Details:\n\
             Responsible Officer Type: Offender Manager\n\
             Responsible Officer: Unallocated Staff(Team N02UAT,Description of N02)\n\
             Start Date: 01/01/2020 00:00:00\n\
             End Date: 28/07/2022 10:30:54\n\
             Allocation Reason: Initial Allocation"
        )
    );
}

#[tokio::test]
async fn rule_7_a_prison_manager_ro_is_also_replaced_and_no_ro_prints_null() {
    let app = TestApp::start().await;
    // T123456's RO moves to a prison manager of N02.
    app.execute(&format!(
        "INSERT INTO prison_offender_manager (prison_offender_manager_id, offender_id, allocation_date, \
           allocation_staff_id, allocation_team_id, probation_area_id, created_by_user_id, \
           last_updated_user_id, created_datetime, last_updated_datetime) \
         VALUES (1, {T123456}, TIMESTAMP '2021-01-01 00:00:00', 1022, 1021, 102, 1, 1, now(), now()); \
         UPDATE responsible_officer SET end_date = TIMESTAMP '2021-01-01 00:00:00' WHERE offender_id = {T123456}; \
         INSERT INTO responsible_officer (responsible_officer_id, offender_id, prison_offender_manager_id, start_date) \
         VALUES (1, {T123456}, 1, TIMESTAMP '2021-01-01 00:00:00');"
    ))
    .await;
    allocate_new_person(&app).await;
    let officers = app.responsible_officers(T123456).await;
    assert_eq!(officers.len(), 3);
    assert_eq!(officers[1].prison_offender_manager_id, Some(1));
    assert_eq!(officers[1].end_date, Some(created_date()));
    assert!(officers[2].offender_manager_id.is_some());
    let roc = app.contacts(T123456, "ROC").await;
    assert!(roc[0]
        .notes
        .as_deref()
        .unwrap_or_default()
        .contains("Previous Details:\nResponsible Officer Type: Prison Offender Manager\nResponsible Officer: Senior Probation Officer(Team N02ABS,Description of N02)\nStart Date: 01/01/2021 00:00:00\nEnd Date: 28/07/2022 10:30:54"));

    // T223456 without any RO: the new RO is still written and the notes say "null".
    let app = TestApp::start().await;
    app.execute(&format!(
        "DELETE FROM responsible_officer WHERE offender_id = {T223456}"
    ))
    .await;
    app.allocate(
        "historic-person-allocation-message.json",
        "/allocation/person/allocate-historic-person-manager",
        &simulation("historic-person-allocation-body.json"),
    )
    .await;
    assert_eq!(app.responsible_officers(T223456).await.len(), 1);
    let roc = app.contacts(T223456, "ROC").await;
    assert!(roc[0]
        .notes
        .as_deref()
        .unwrap_or_default()
        .contains("Previous Details:\nnull\nAllocation Reason: Initial Allocation"));
}

#[tokio::test]
async fn scenario_2_allocate_historic_person_manager() {
    let app = TestApp::start().await;
    let before = app.managers(Table::Person, T223456).await;
    assert_eq!(before.len(), 2);
    let second_start = before[1].allocation_date;

    let disposition = app
        .allocate(
            "historic-person-allocation-message.json",
            "/allocation/person/allocate-historic-person-manager",
            &simulation("historic-person-allocation-body.json"),
        )
        .await;
    assert_eq!(disposition, Disposition::Deleted);

    let managers = app.managers(Table::Person, T223456).await;
    assert_eq!(managers.len(), 3, "PM count 2 -> 3");
    assert_eq!(
        managers[0].end_date,
        Some(created_date()),
        "first PM ends at createdDate"
    );
    let inserted = &managers[1];
    assert_eq!(inserted.allocation_date, created_date());
    assert!(
        close_to(inserted.end_date, second_start),
        "rule 2: ends where the next starts"
    );
    assert_eq!(inserted.active_flag, 0, "rule 3: written inactive");
    assert_eq!(managers[2].end_date, None, "the later manager is untouched");
    assert_eq!(managers[2].row_version, 0);

    let officers = app.responsible_officers(T223456).await;
    assert_eq!(officers.len(), 3, "RO count 2 -> 3");
    assert_eq!(officers[0].end_date, Some(created_date()));
    assert_eq!(officers[1].start_date, created_date());
    assert!(close_to(officers[1].end_date, second_start));
    assert_eq!(officers[1].offender_manager_id, Some(inserted.id));
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM iaps_offender WHERE offender_id = {T223456}"
        ))
        .await,
        0,
        "rule 9: no accredited programme, no IAPS flag"
    );
}

#[tokio::test]
async fn scenario_3_reallocate_person_manager_records_the_reason() {
    let app = TestApp::start().await;
    let mut body = simulation("reallocation-person-allocation-body.json");
    body["crn"] = "T123456".into();
    app.allocate(
        "new-person-reallocation-message.json",
        "/allocation/person/reallocate-new-person-manager",
        &body,
    )
    .await;
    let managers = app.managers(Table::Person, T123456).await;
    assert_eq!(managers[1].reason_code.as_deref(), Some("AR03"));
    let telemetry = app.outcome("PersonAllocation");
    assert_eq!(telemetry.properties["crn"], "T123456");
    assert!(telemetry.properties["detailUrl"]
        .ends_with("/allocation/person/reallocate-new-person-manager"));
    let roc = app.contacts(T123456, "ROC").await;
    assert!(roc[0]
        .notes
        .as_deref()
        .unwrap_or_default()
        .ends_with("Allocation Reason: Change of Address"));
}

#[tokio::test]
async fn rule_1_the_person_comes_from_the_detail_crn_not_the_message() {
    let app = TestApp::start().await;
    // The message names X123456 but the detail is for T123456.
    let mut body = simulation("new-person-allocation-body.json");
    body["crn"] = "T123456".into();
    app.mock_detail("/allocation/person/x", &body).await;
    app.publish(&app.message_for(Some("X123456"), "/allocation/person/x"))
        .await;
    assert_eq!(app.managers(Table::Person, T123456).await.len(), 2);
    assert_eq!(app.outcome("PersonAllocation").properties["crn"], "X123456");
}

#[tokio::test]
async fn rule_4_duplicate_person_allocation_changes_nothing_and_succeeds() {
    let app = TestApp::start().await;
    allocate_new_person(&app).await;
    let first = app.allocation_state().await;
    app.telemetry.clear();
    assert_eq!(allocate_new_person(&app).await, Disposition::Deleted);
    assert_eq!(app.allocation_state().await, first);
    assert_eq!(app.telemetry.named("PersonAllocation").len(), 1);
    let audits = app.audits().await;
    assert_eq!(audits.len(), 2, "the duplicate is audited too");
    assert!(audits
        .iter()
        .all(|(code, outcome, _)| code == "CABI231" && outcome == "P"));
}

#[tokio::test]
async fn rule_4_same_second_as_the_current_start_with_other_staff_is_a_conflict() {
    let app = TestApp::start().await;
    app.execute(&format!(
        "UPDATE offender_manager SET allocation_date = TIMESTAMP '2022-07-28 10:30:54.5' WHERE offender_id = {T123456}; \
         UPDATE responsible_officer SET start_date = TIMESTAMP '2022-07-28 10:30:54.5' WHERE offender_id = {T123456}"
    ))
    .await;
    let mut body = simulation("new-person-allocation-body.json");
    body["createdDate"] = "2022-07-28T10:30:54.9+01:00".into();
    let disposition = app
        .allocate("new-person-allocation-message.json", NEW_PERSON, &body)
        .await;
    assert_eq!(disposition, Disposition::DeadLettered);
    assert!(
        app.failure()
            .contains("Allocation date conflicts with the current active manager"),
        "{}",
        app.failure()
    );
    assert_eq!(app.managers(Table::Person, T123456).await.len(), 1);
    assert_eq!(app.contact_count(T123456).await, 0);
    let audits = app.audits().await;
    assert_eq!(audits.len(), 3, "one failure row per receive: {audits:?}");
    assert!(audits
        .iter()
        .all(|(code, outcome, _)| code == "CABI231" && outcome == "F"));
}

#[tokio::test]
async fn spec_4_2_unknown_person_is_not_found_and_retried_to_the_dead_letter_queue() {
    let app = TestApp::start().await;
    let mut body = simulation("new-person-allocation-body.json");
    body["crn"] = "Z999999".into();
    let disposition = app
        .allocate("new-person-allocation-message.json", NEW_PERSON, &body)
        .await;
    assert_eq!(disposition, Disposition::DeadLettered);
    assert!(
        app.failure()
            .contains("Person with crn of Z999999 not found"),
        "{}",
        app.failure()
    );
    assert_eq!(app.telemetry.named("PersonAllocation").len(), 0);
}

#[tokio::test]
async fn spec_4_1d_no_manager_at_the_allocation_date_is_not_found() {
    let app = TestApp::start().await;
    app.execute(&format!(
        "UPDATE offender_manager SET allocation_date = TIMESTAMP '2023-01-01 00:00:00' WHERE offender_id = {T123456}"
    ))
    .await;
    assert_eq!(allocate_new_person(&app).await, Disposition::DeadLettered);
    assert!(
        app.failure()
            .contains("Person Manager for crn T123456 at 2022-07-28 10:30:54.023 not found"),
        "{}",
        app.failure()
    );
}

#[tokio::test]
async fn spec_4_2_step_5_pending_person_transfer_is_a_conflict_retried_to_the_dead_letter_queue() {
    let app = TestApp::start().await;
    app.execute(&format!(
        "INSERT INTO offender_transfer (offender_transfer_id, offender_id, status_id) VALUES (1, {T123456}, 10601)"
    ))
    .await;
    assert_eq!(allocate_new_person(&app).await, Disposition::DeadLettered);
    assert!(
        app.failure()
            .contains("Pending transfer exists for this person: T123456"),
        "{}",
        app.failure()
    );
    assert!(app.telemetry.named("AllocationFailed").is_empty());
    let managers = app.managers(Table::Person, T123456).await;
    assert_eq!(managers.len(), 1, "rolled back");
    assert_eq!(managers[0].staff_id, UNALLOCATED_STAFF);
    assert_eq!(app.contact_count(T123456).await, 0);
}
