//! Spec 5.x rules beyond the section 7 scenarios: the ignored-vs-retried split (5.9), rollback,
//! idempotency, person and event lookup, pending-transfer rejection, POM replacement.

use chrono::NaiveDate;
use delius_data::lookups::{next_id, Sequence};
use delius_data::schema::{
    contact, lic_condition_transfer, prison_offender_manager, r_contact_type,
    r_standard_reference_list, rejected_transfer_diary,
};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use messaging::queue::memory::Disposition;
use messaging::{HmppsDomainEvent, Notification};
use serde_json::json;
use test_support::PersonBuilder;

use crate::helpers::*;

const COMMUN: i64 = 101;

fn sorted(v: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = v.iter().map(|s| (*s).to_owned()).collect();
    v.sort();
    v
}

fn on_licence(noms: &'static str) -> CaseSpec {
    let mut spec = CaseSpec::new(noms, "B")
        .released("2021-06-01")
        .with_licence_conditions();
    spec.institution_id = Some(COMMUN);
    spec
}

#[tokio::test]
async fn rule_5_9_ignored_outcome_keeps_earlier_writes_of_the_message() {
    let app = TestApp::start().await;
    let mut spec = CaseSpec::new("A0030AA", "D");
    spec.disposal_type_id = PSSR_BREACH;
    let case = app.case(spec).await;
    let disposition = app
        .publish(&released(
            "A0030AA",
            "RELEASED",
            "NCS",
            "2022-05-04T07:03:50+01:00",
        ))
        .await;
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(app.contact_types(&case).await, sorted(&["ERPSSR"]));
    let erpssr = app.contact(&case, "ERPSSR").await;
    assert_eq!(erpssr.5.as_deref(), Some("Y"));
    assert_eq!(
        erpssr.1.as_deref(),
        Some("Delius has been informed of a Post PSSR Committal Breach release. \nThe Event should now be terminated with a reason of \"Released - No Licence to Supervise\"")
    );
    assert_eq!(app.contact_alerts(&case).await, 1);
    assert!(app.releases(&case).await.is_empty());
    let unable = app.event("UnableToRelease").properties;
    assert_eq!(unable["currentStatus"], "D");
    assert_eq!(unable["disposalTypeCode"], "326");
    assert_eq!(
        app.outcomes(),
        sorted(&[
            "UnableToRelease",
            "PrisonerStatusCorrect",
            "PrisonerLocationCorrect"
        ])
    );
}

#[tokio::test]
async fn rule_5_9_a_failing_action_rolls_back_everything_the_message_wrote() {
    let app = TestApp::start().await;
    let case = app.case(on_licence("A0031AA")).await;
    {
        // UpdateLocation (the last action) cannot find its contact type: a data error.
        let mut conn = app.db.conn().await.expect("conn");
        diesel::delete(r_contact_type::table.filter(r_contact_type::code.eq("ETCP")))
            .execute(&mut conn)
            .await
            .expect("delete ETCP");
    }
    let disposition = app
        .publish(&received(
            "A0031AA",
            "ADMISSION",
            "R1",
            "WSI",
            "2023-08-04T08:09:36+01:00",
        ))
        .await;
    assert_eq!(disposition, Disposition::DeadLettered);
    let custody = app.custody(&case).await;
    assert_eq!(custody.status, "B");
    assert_eq!(custody.institution.as_deref(), Some("COMMUN"));
    assert!(app.recalls(&case).await.is_empty());
    assert!(app.history(&case).await.is_empty());
    assert!(app.contact_types(&case).await.is_empty());
    assert_eq!(app.contact_alerts(&case).await, 0);
    assert!(app.terminated_licence_conditions(&case).await.is_empty());
    assert!(app.domain_events(&case).await.is_empty());
    assert!(app.poms(&case).await.is_empty());
    assert!(
        app.telemetry.named("Recalled").is_empty(),
        "no success telemetry for a rolled-back message"
    );
    assert_eq!(app.telemetry.named("MessageFailed").len(), 3);
}

#[tokio::test]
async fn the_same_recall_twice_gives_the_same_state_as_once() {
    let app = TestApp::start().await;
    let case = app.case(on_licence("A0032AA")).await;
    let message = received(
        "A0032AA",
        "ADMISSION",
        "R1",
        "WSI",
        "2023-08-04T08:09:36+01:00",
    );
    app.publish(&message).await;
    let once = (
        app.custody(&case).await,
        app.recalls(&case).await,
        app.history(&case).await,
        app.contact_types(&case).await,
        app.domain_events(&case).await.len(),
        app.poms(&case).await,
    );
    app.telemetry.clear();
    app.publish(&message).await;
    let twice = (
        app.custody(&case).await,
        app.recalls(&case).await,
        app.history(&case).await,
        app.contact_types(&case).await,
        app.domain_events(&case).await.len(),
        app.poms(&case).await,
    );
    assert_eq!(once, twice);
    assert_eq!(
        app.outcomes(),
        sorted(&[
            "RecallNotRequired",
            "PrisonerStatusCorrect",
            "PrisonerLocationCorrect"
        ])
    );
}

#[tokio::test]
async fn the_same_release_twice_gives_the_same_state_as_once() {
    let app = TestApp::start().await;
    let case = app.case(CaseSpec::new("A0033AA", "D")).await;
    let message = released("A0033AA", "RELEASED", "NCS", "2022-05-04T07:03:50+01:00");
    app.publish(&message).await;
    let once = (
        app.custody(&case).await,
        app.releases(&case).await,
        app.history(&case).await,
        app.contact_types(&case).await,
        app.poms(&case).await,
    );
    app.telemetry.clear();
    app.publish(&message).await;
    let twice = (
        app.custody(&case).await,
        app.releases(&case).await,
        app.history(&case).await,
        app.contact_types(&case).await,
        app.poms(&case).await,
    );
    assert_eq!(once, twice);
    assert_eq!(
        app.outcomes(),
        sorted(&[
            "UnableToRelease",
            "PrisonerStatusCorrect",
            "PrisonerLocationCorrect"
        ])
    );
}

#[tokio::test]
async fn the_same_death_twice_records_one_contact() {
    let app = TestApp::start().await;
    let case = app.case(CaseSpec::new("A0034AA", "D")).await;
    let message = released("A0034AA", "RELEASED", "DEC", "2023-02-24T09:17:21+00:00");
    app.publish(&message).await;
    app.publish(&message).await;
    assert_eq!(app.contact_types(&case).await, sorted(&["DUS3"]));
    assert_eq!(app.contact_alerts(&case).await, 1);
}

#[tokio::test]
async fn missing_noms_number_is_ignored_with_message_properties() {
    let app = TestApp::start().await;
    let d = app
        .publish(&released(
            "A9999ZZ",
            "RELEASED",
            "NCS",
            "2022-05-04T07:03:50+01:00",
        ))
        .await;
    assert_eq!(d, Disposition::Deleted);
    let p = app.event("MissingNomsNumber").properties;
    assert_eq!(p["nomsNumber"], "A9999ZZ");
    assert_eq!(p["institution"], "WSI");
    assert_eq!(p["details"], "Movement reason code NCS");
}

#[tokio::test]
async fn duplicate_noms_number_is_ignored() {
    let app = TestApp::start().await;
    app.case(CaseSpec::new("A0035AA", "D")).await;
    {
        let mut conn = app.db.conn().await.expect("conn");
        PersonBuilder::default()
            .noms("A0035AA")
            .insert(&mut conn)
            .await
            .expect("person");
    }
    app.publish(&released(
        "A0035AA",
        "RELEASED",
        "NCS",
        "2022-05-04T07:03:50+01:00",
    ))
    .await;
    assert_eq!(app.outcomes(), sorted(&["DuplicateNomsNumber"]));
}

#[tokio::test]
async fn no_active_custodial_event_is_ignored() {
    let app = TestApp::start().await;
    app.case(CaseSpec::new("A0036AA", "T")).await;
    app.publish(&released(
        "A0036AA",
        "RELEASED",
        "NCS",
        "2022-05-04T07:03:50+01:00",
    ))
    .await;
    assert_eq!(app.outcomes(), sorted(&["NoActiveCustodialEvent"]));
}

#[tokio::test]
async fn several_active_custodial_events_are_ignored() {
    let app = TestApp::start().await;
    let first = app.case(CaseSpec::new("A0037AA", "D")).await;
    let second = app.case(CaseSpec::new("A0037AB", "D")).await;
    {
        // Move the second event onto the first person.
        let mut conn = app.db.conn().await.expect("conn");
        diesel::update(
            delius_data::schema::event::table
                .filter(delius_data::schema::event::event_id.eq(second.event_id)),
        )
        .set(delius_data::schema::event::offender_id.eq(first.offender_id))
        .execute(&mut conn)
        .await
        .expect("move event");
    }
    app.publish(&released(
        "A0037AA",
        "RELEASED",
        "NCS",
        "2022-05-04T07:03:50+01:00",
    ))
    .await;
    assert_eq!(app.outcomes(), sorted(&["MultipleActiveCustodialEvents"]));
    assert_eq!(app.custody(&first).await.status, "D");
}

#[tokio::test]
async fn unknown_movement_type_and_unconfigured_movements_are_ignored() {
    let app = TestApp::start().await;
    app.publish(&released(
        "A0038AA",
        "UNKNOWN",
        "X",
        "2022-05-04T07:03:50+01:00",
    ))
    .await;
    app.publish(&received(
        "A0038AA",
        "TRANSFERRED",
        "TRNCRT",
        "WSI",
        "2022-05-04T07:03:50+01:00",
    ))
    .await;
    app.publish(&released(
        "A0038AA",
        "SENT_TO_COURT",
        "CRT",
        "2022-05-04T07:03:50+01:00",
    ))
    .await;
    assert_eq!(
        app.outcomes(),
        sorted(&[
            "UnableToCalculateMovementType",
            "NoConfigForMovement",
            "NoConfigForMovement"
        ])
    );
    let p = &app.telemetry.named("NoConfigForMovement")[0].properties;
    assert_eq!(p["movementType"], "TRANSFERRED");
    assert_eq!(p["movementReason"], "TRNCRT");
}

#[tokio::test]
async fn unknown_event_types_and_messages_without_noms_are_retried_then_dead_lettered() {
    let app = TestApp::start().await;
    let unknown = Notification::for_event(
        "some.other.event",
        &HmppsDomainEvent::new("some.other.event"),
    )
    .expect("n");
    assert_eq!(app.publish(&unknown).await, Disposition::DeadLettered);
    let no_noms = Notification::for_event(
        RELEASED,
        &HmppsDomainEvent::new(RELEASED).with_info("reason", "RELEASED"),
    )
    .expect("n");
    assert_eq!(app.publish(&no_noms).await, Disposition::DeadLettered);
}

#[tokio::test]
async fn recall_before_the_release_date_is_an_invalid_recall_date() {
    let app = TestApp::start().await;
    let case = app.case(on_licence("A0039AA")).await;
    app.publish(&received(
        "A0039AA",
        "ADMISSION",
        "R1",
        "WSI",
        "2021-05-01T08:00:00+01:00",
    ))
    .await;
    assert!(app.outcomes().contains(&"InvalidRecallDate".to_owned()));
    assert!(app.outcomes().contains(&"PrisonerStatusCorrect".to_owned()));
    assert!(app.recalls(&case).await.is_empty());
    assert_eq!(app.custody(&case).await.status, "B");
}

#[tokio::test]
async fn recall_in_the_future_is_an_invalid_recall_date() {
    let app = TestApp::start().await;
    let case = app.case(on_licence("A0040AA")).await;
    app.publish(&received(
        "A0040AA",
        "ADMISSION",
        "R1",
        "WSI",
        "2099-05-01T08:00:00+01:00",
    ))
    .await;
    assert!(app.outcomes().contains(&"InvalidRecallDate".to_owned()));
    assert!(app.recalls(&case).await.is_empty());
}

#[tokio::test]
async fn released_recalls_do_not_terminate_licence_conditions() {
    let app = TestApp::start().await;
    let case = app.case(on_licence("A0041AA")).await;
    app.publish(&released(
        "A0041AA",
        "RELEASED",
        "UAL",
        "2023-08-04T08:09:36+01:00",
    ))
    .await;
    assert_eq!(app.recalls(&case).await.len(), 1);
    assert!(app.terminated_licence_conditions(&case).await.is_empty());
    assert!(app.domain_events(&case).await.is_empty());
}

#[tokio::test]
async fn licence_condition_termination_rejects_pending_transfers_and_deletes_future_contacts() {
    let app = TestApp::start().await;
    let case = app.case(on_licence("A0042AA")).await;
    let lc = case.licence_condition_ids[0];
    let (transfer_id, future_contact) = {
        let mut conn = app.db.conn().await.expect("conn");
        let conn = &mut *conn;
        let id = next_id(conn, Sequence::named("lic_condition_transfer_id_seq"))
            .await
            .expect("id");
        diesel::insert_into(lic_condition_transfer::table)
            .values((
                lic_condition_transfer::lic_condition_transfer_id.eq(id),
                lic_condition_transfer::lic_condition_id.eq(lc),
                lic_condition_transfer::status_id.eq(10601i64),
                lic_condition_transfer::transfer_reason_id.eq(102i64),
                lic_condition_transfer::notes.eq("Please take this case"),
                lic_condition_transfer::request_date.eq(day("2023-07-01")),
                lic_condition_transfer::origin_probation_area_id.eq(103i64),
                lic_condition_transfer::origin_team_id.eq(MGR_TEAM),
                lic_condition_transfer::origin_staff_id.eq(MGR_STAFF),
                lic_condition_transfer::receiving_probation_area_id.eq(108i64),
                lic_condition_transfer::receiving_team_id.eq(1083i64),
                lic_condition_transfer::receiving_staff_id.eq(1083i64),
            ))
            .execute(conn)
            .await
            .expect("transfer");
        let contact_id = next_id(conn, Sequence::named("contact_id_seq"))
            .await
            .expect("id");
        diesel::insert_into(contact::table)
            .values((
                contact::contact_id.eq(contact_id),
                contact::offender_id.eq(case.offender_id),
                contact::lic_condition_id.eq(lc),
                contact::contact_type_id.eq(134i64),
                contact::contact_date.eq(day("2023-09-01")),
                contact::trust_provider_flag.eq(0i16),
            ))
            .execute(conn)
            .await
            .expect("future contact");
        (id, contact_id)
    };
    app.publish(&received(
        "A0042AA",
        "ADMISSION",
        "R1",
        "WSI",
        "2023-08-04T08:09:36+01:00",
    ))
    .await;

    let mut conn = app.db.conn().await.expect("conn");
    let (status, notes, decision, rejection, status_date): (
        String,
        Option<String>,
        Option<i64>,
        Option<i64>,
        Option<NaiveDate>,
    ) = lic_condition_transfer::table
        .inner_join(
            r_standard_reference_list::table
                .on(r_standard_reference_list::standard_reference_list_id
                    .eq(lic_condition_transfer::status_id)),
        )
        .filter(lic_condition_transfer::lic_condition_transfer_id.eq(transfer_id))
        .select((
            r_standard_reference_list::code_value,
            lic_condition_transfer::notes,
            lic_condition_transfer::decision_id,
            lic_condition_transfer::rejection_reason_id,
            lic_condition_transfer::status_date,
        ))
        .first(&mut conn)
        .await
        .expect("transfer");
    assert_eq!(status, "RJ");
    assert_eq!(
        notes.as_deref(),
        Some("Please take this case\nTransfer automatically rejected due to termination of licence condition.")
    );
    assert_eq!(
        (decision, rejection, status_date),
        (Some(11201), Some(11301), Some(day("2023-08-04")))
    );
    let diary: i64 = rejected_transfer_diary::table
        .filter(rejected_transfer_diary::lic_condition_transfer_id.eq(transfer_id))
        .count()
        .get_result(&mut conn)
        .await
        .expect("diary");
    assert_eq!(diary, 1);
    let remaining: i64 = contact::table
        .filter(contact::contact_id.eq(future_contact))
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    assert_eq!(remaining, 0, "future contact without outcome deleted");
    let etcx = app.contact(&case, "ETCX").await;
    assert_eq!((etcx.2, etcx.3), (Some(1083), Some(1083)));
    assert!(etcx.1.unwrap_or_default().starts_with(
        "Transfer Status: Rejected\nTransfer Reason: Component\nRejection Reason: Transfer Withdrawn - Recall\nOwning Provider: Description of N03\nReceiving Provider: HMP Moorland\nNotes: \\nPlease take this case"
    ));
    assert_eq!(
        app.contact_types(&case).await,
        sorted(&["ERCL", "ETCP", "ETCX", "ETER", "ETER"])
    );
}

#[tokio::test]
async fn a_new_prison_ends_the_previous_prison_manager_with_an_epomat_contact() {
    let app = TestApp::start().await;
    let mut spec = CaseSpec::new("A0043AA", "A");
    spec.institution_id = Some(MDI);
    let case = app.case(spec).await;
    {
        let mut conn = app.db.conn().await.expect("conn");
        let conn = &mut *conn;
        let id = next_id(conn, Sequence::named("prison_offender_manager_id_seq"))
            .await
            .expect("id");
        diesel::insert_into(prison_offender_manager::table)
            .values((
                prison_offender_manager::prison_offender_manager_id.eq(id),
                prison_offender_manager::offender_id.eq(case.offender_id),
                prison_offender_manager::allocation_date.eq(at("2022-01-01 00:00:00")),
                prison_offender_manager::allocation_staff_id.eq(1083i64),
                prison_offender_manager::allocation_team_id.eq(1083i64),
                prison_offender_manager::probation_area_id.eq(108i64),
                prison_offender_manager::active_flag.eq(1i16),
                prison_offender_manager::created_by_user_id.eq(1i64),
                prison_offender_manager::last_updated_user_id.eq(1i64),
                prison_offender_manager::created_datetime.eq(at("2022-01-01 00:00:00")),
                prison_offender_manager::last_updated_datetime.eq(at("2022-01-01 00:00:00")),
            ))
            .execute(conn)
            .await
            .expect("pom");
    }
    app.publish(&received(
        "A0043AA",
        "ADMISSION",
        "N",
        "WSI",
        "2023-08-04T08:09:36+01:00",
    ))
    .await;
    assert_eq!(
        app.poms(&case).await,
        vec![(108, None, 0), (107, Some(10701), 1)]
    );
    let epomat = app.contact(&case, "EPOMAT").await;
    assert_eq!(
        (epomat.2, epomat.3, epomat.4),
        (Some(1073), Some(1073), None)
    );
    assert_eq!(
        epomat.1.as_deref(),
        Some("Transfer Reason: Automatic Allocation\nTransfer Date: 01/01/2022\nFrom Establishment: HMP Moorland\nFrom Team: Team MDIALL\nFrom Officer: Unallocated Staff")
    );
}

#[tokio::test]
async fn prison_identifier_booking_inactive_no_movement_and_uncalculable_types_are_ignored() {
    let app = TestApp::start().await;
    let mut inactive = booking("A0044AA", "ADM", "N", "IN", "WSI");
    inactive["activeFlag"] = json!(false);
    app.mock_booking("A0044AA", inactive).await;
    app.mock_booking("A0045AA", booking("A0045AA", "ADM", "N", "TRN", "WSI"))
        .await;
    app.mock_booking("A0046AA", booking("A0046AA", "ADM", "N", "IN", "WSI"))
        .await;
    app.mock_movements(json!([])).await;
    app.publish(&identifier_added("A0044AA")).await;
    app.publish(&identifier_added("A0046AA")).await;
    assert_eq!(
        app.outcomes(),
        sorted(&["BookingInactive", "NoMovementInNomis"])
    );
}

#[tokio::test]
async fn prison_identifier_with_a_transfer_in_progress_cannot_calculate_the_movement_type() {
    let app = TestApp::start().await;
    app.mock_booking("A0045AA", booking("A0045AA", "ADM", "N", "TRN", "WSI"))
        .await;
    app.mock_movements(
        json!([{"toAgency": "WSI", "movementDate": "2023-07-20", "movementTime": "13:24:21"}]),
    )
    .await;
    app.publish(&identifier_added("A0045AA")).await;
    let p = app.event("UnableToCalculateMovementType").properties;
    assert_eq!(p["inOutStatus"], "TRN");
    assert_eq!(p["prisonId"], "WSI");
}

#[tokio::test]
async fn prison_api_failures_other_than_a_booking_404_are_retried() {
    let app = TestApp::start().await;
    app.mock_booking_status("A0047AA", 500).await;
    assert_eq!(
        app.publish(&identifier_added("A0047AA")).await,
        Disposition::DeadLettered
    );
}
