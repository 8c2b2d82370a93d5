//! The `intervention.*` events (spec 3; scenarios 6.2): example messages through the platform
//! consumer, R&M answering from the simulation bodies, then the rows and the telemetry.

use chrono::{NaiveDate, NaiveDateTime};
use messaging::queue::memory::Disposition;
use messaging::{HmppsDomainEvent, MessageAttribute, Notification};

use crate::harness::{props, TestApp};
use crate::rows::{contact, contacts_of, nsi_by_urn, nsi_contacts, number, snapshot, text};

pub const CRN: &str = "T140223";
const REFERRAL: &str = "68df9f6c-3fcb-4ec6-8fcf-96551cd9b080";
const REFERRAL_URN: &str = "urn:hmpps:interventions-referral:68df9f6c-3fcb-4ec6-8fcf-96551cd9b080";
const NSI: i64 = 950001;
const EVENT: i64 = 950001;
const NON_COMPLIANT: i64 = 950001;
const COMPLIANT: i64 = 950002;
const NO_SESSION: i64 = 950003;
const NOT_ATTENDED: i64 = 950004;
const FUTURE: i64 = 950005;

/// Every R&M path the example messages name, answered with its simulation body.
pub async fn mount_upstream(app: &TestApp) {
    for (path, body) in [
        (
            "/referral/68df9f6c-3fcb-4ec6-8fcf-96551cd9b080/delivery-session-appointments/8802fcba-8c4f-4ca9-aca0-bdce9bfeed30",
            "session-appointment-feedback-submitted-non-compliant.json",
        ),
        (
            "/referral/89a3f79c-f12b-43de-9616-77ae19813cfe/delivery-session-appointments/4bca159d-785a-41ba-b96e-01ddd843485a",
            "session-appointment-feedback-submitted-not-attended.json",
        ),
        (
            "/referral/68df9f6c-3fcb-4ec6-8fcf-96551cd9b080/delivery-session-appointments/223e2d09-63d2-4b7e-a07e-b35c550e26cb",
            "session-appointment-feedback-submitted-compliant.json",
        ),
        (
            "/referral/68df9f6c-3fcb-4ec6-8fcf-96551cd9b080/delivery-session-appointments/52caa3e3-40b0-401a-babc-4d48cbd6e096",
            "session-appointment-feedback-submitted-no-session.json",
        ),
        (
            "/referral/cb293dcb-c201-4743-aa9d-acb14c8a1ddd/delivery-session-appointments/0586f524-d70b-4a5e-99fc-086dd457ef52",
            "session-appointment-feedback-submitted-not-found.json",
        ),
        ("/sent-referral/f56c5f7c-632f-4cad-a1b3-693541cb5f22", "referral-prematurely-ended.json"),
        ("/sent-referral/71df9f6c-3fcb-4ec6-8fcf-96551cd9b080", "fuzzy-search-referral-ended.json"),
        (
            "/referral/f56c5f7c-632f-4cad-a1b3-693541cb5f22/sessions/2",
            "session-appointment-feedback-submitted.json",
        ),
    ] {
        app.given_upstream(path, body).await;
    }
}

async fn started() -> TestApp {
    let app = TestApp::start().await;
    mount_upstream(&app).await;
    app
}

async fn count(app: &TestApp, query: &str) -> i64 {
    number(
        app,
        &format!("SELECT count(*)::text AS value FROM ({query}) q"),
    )
    .await
}

async fn ftc_count(app: &TestApp) -> i64 {
    number(
        app,
        &format!("SELECT ftc_count::text AS value FROM event WHERE event_id = {EVENT}"),
    )
    .await
}

async fn rar_count(app: &TestApp, nsi: i64) -> i64 {
    number(
        app,
        &format!("SELECT rar_count::text AS value FROM nsi WHERE nsi_id = {nsi}"),
    )
    .await
}

async fn rom_contacts(app: &TestApp) -> usize {
    contacts_of(app, CRN)
        .await
        .iter()
        .filter(|c| c.type_code == "AROM")
        .count()
}

#[tokio::test]
async fn scenario_6_2_1_non_compliant_session_is_aftc_with_enforcement_ftc_and_review() {
    let app = started().await;
    let message = app.message("session-appointment-feedback-submitted-non-compliant.json");
    assert_eq!(app.publish(&message).await, Disposition::Deleted);
    let appointment = contact(&app, NON_COMPLIANT).await;
    assert_eq!(appointment.outcome_code.as_deref(), Some("AFTC"));
    assert_eq!(
        (
            appointment.attended.as_deref(),
            appointment.complied.as_deref()
        ),
        (Some("Y"), Some("N"))
    );
    assert_eq!(appointment.hours_credited, None);
    assert_eq!(appointment.enforcement, Some(1));
    assert_eq!(
        appointment.rar_activity.as_deref(),
        Some("N"),
        "the session did not happen"
    );
    assert_eq!(
        appointment.notes.as_deref(),
        Some("\nSession Feedback Recorded for Accommodation Referral Referral FE4536C with Prime Provider ProviderName\nhttps://ui/url")
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT 1 FROM enforcement WHERE contact_id = {NON_COMPLIANT}")
        )
        .await,
        1
    );
    let rom: Vec<_> = contacts_of(&app, CRN)
        .await
        .into_iter()
        .filter(|c| c.type_code == "AROM")
        .collect();
    assert_eq!(rom.len(), 1);
    assert!(rom[0]
        .notes
        .as_deref()
        .unwrap_or("")
        .contains("Enforcement Action: Refer to Offender Manager"));
    assert_eq!(ftc_count(&app).await, 1);
    assert_eq!(
        count(&app, &format!("SELECT 1 FROM contact c JOIN r_contact_type t USING (contact_type_id) WHERE t.code = 'ARWS' AND c.event_id = {EVENT} AND c.contact_outcome_type_id IS NULL")).await,
        1
    );
    assert_eq!(
        app.outcome("SessionAppointmentSubmitted").properties,
        props(&[
            ("crn", CRN),
            ("appointmentId", "3fa85f64-5717-4562-b3fc-2c963f66afa6"),
            ("referralId", REFERRAL),
            ("referralReference", "FE4536C"),
        ])
    );
    assert_eq!(
        app.audits("CLBI007").await,
        vec![(
            "P".to_owned(),
            Some("contactId='3fa85f64-5717-4562-b3fc-2c963f66afa6'".to_owned())
        )]
    );
}

#[tokio::test]
async fn scenario_6_2_1_to_4_in_order_failures_count_per_day_and_reviews_are_not_repeated() {
    let app = started().await;
    for name in [
        "session-appointment-feedback-submitted-non-compliant.json",
        "session-appointment-feedback-submitted-not-attended.json",
    ] {
        assert_eq!(
            app.publish(&app.message(name)).await,
            Disposition::Deleted,
            "{name}"
        );
    }
    // 6.2.2 not attended: the old appointment 3b8282cd... was recorded as not attended.
    let not_attended = contact(&app, NOT_ATTENDED).await;
    assert_eq!(not_attended.outcome_code.as_deref(), Some("AFTA"));
    assert_eq!(
        (
            not_attended.attended.as_deref(),
            not_attended.complied.as_deref()
        ),
        (Some("N"), Some("N"))
    );
    assert_eq!(
        (
            not_attended.hours_credited.clone(),
            not_attended.enforcement
        ),
        (None, Some(1))
    );
    assert_eq!(rom_contacts(&app).await, 2);
    assert_eq!(
        ftc_count(&app).await,
        2,
        "two days with a failure to comply"
    );
    assert_eq!(
        rar_count(&app, 950002).await,
        2,
        "the two attended RAR days of 89a3f79c..."
    );
    assert_eq!(
        count(&app, "SELECT 1 FROM contact c JOIN r_contact_type t USING (contact_type_id) WHERE t.code = 'ARWS'").await,
        1,
        "one outstanding review is enough"
    );
    let telemetry = app.telemetry.named("SessionAppointmentSubmitted");
    assert_eq!(
        telemetry[1].properties,
        props(&[
            ("crn", CRN),
            ("appointmentId", "3b8282cd-baa5-45d3-8489-b5836a58a0e8"),
            ("referralId", "89a3f79c-f12b-43de-9616-77ae19813cfe"),
            ("referralReference", "AY0164AC"),
        ])
    );

    // 6.2.3 complied.
    let compliant = app.message("session-appointment-feedback-submitted-compliant.json");
    assert_eq!(app.publish(&compliant).await, Disposition::Deleted);
    let complied = contact(&app, COMPLIANT).await;
    assert_eq!(complied.outcome_code.as_deref(), Some("ATTC"));
    assert_eq!(complied.hours_credited.as_deref(), Some("0.75"));
    assert_eq!(complied.enforcement, None);
    assert_eq!(
        count(
            &app,
            &format!("SELECT 1 FROM enforcement WHERE contact_id = {COMPLIANT}")
        )
        .await,
        0
    );
    assert_eq!(rom_contacts(&app).await, 2);
    assert_eq!(ftc_count(&app).await, 2);
    // RAR days of 68df9f6c...: the complied one (yesterday), the no-session one (3 days ago, not
    // yet outcomed) and the future one; the non-compliant one lost its RAR flag.
    assert_eq!(rar_count(&app, NSI).await, 3);
    assert_eq!(
        app.telemetry.named("SessionAppointmentSubmitted")[2].properties["appointmentId"],
        "48911ad2-1213-4bd3-8312-3824dc29f131"
    );

    // 6.2.4 no session.
    let no_session = app.message("session-appointment-feedback-submitted-no-session.json");
    assert_eq!(app.publish(&no_session).await, Disposition::Deleted);
    let sent_home = contact(&app, NO_SESSION).await;
    assert_eq!(sent_home.outcome_code.as_deref(), Some("SENTHOME"));
    assert_eq!(
        (sent_home.attended.as_deref(), sent_home.complied.as_deref()),
        (Some("Y"), Some("Y"))
    );
    assert_eq!(
        (
            sent_home.hours_credited.clone(),
            sent_home.rar_activity.as_deref()
        ),
        (None, Some("N"))
    );
    assert_eq!(rar_count(&app, NSI).await, 2);
    assert_eq!(
        app.telemetry.named("SessionAppointmentSubmitted")[3].properties,
        props(&[
            ("crn", CRN),
            ("appointmentId", "c8801fa4-4487-4b38-9169-efabd4be98c9"),
            ("referralId", REFERRAL),
            ("referralReference", "FE4536C"),
        ])
    );
}

#[tokio::test]
async fn scenario_6_2_5_referral_prematurely_ended_completes_the_nsi() {
    let app = started().await;
    assert_eq!(
        app.publish(&app.message("referral-prematurely-ended.json"))
            .await,
        Disposition::Deleted
    );
    let nsi = nsi_by_urn(&app, REFERRAL_URN).await;
    let end: NaiveDateTime = NaiveDate::from_ymd_opt(2023, 2, 23)
        .and_then(|d| d.and_hms_milli_opt(15, 29, 54, 197))
        .expect("date");
    assert_eq!(nsi.status_code, "COMP");
    assert_eq!(nsi.status_date, end);
    assert_eq!(nsi.actual_end_date, Some(end));
    assert_eq!(nsi.outcome_code.as_deref(), Some("CRS02"));
    assert_eq!(nsi.active_flag, 0);
    assert_eq!(
        nsi.notes.as_deref(),
        Some("Referral started\nReferral Ended for string Referral FE4536C with Prime Provider Special Provider\nhttps://refer-monitor-intervention.service.justice.gov.uk/probation-practitioner/referrals/68df9f6c-3fcb-4ec6-8fcf-96551cd9b080/details")
    );
    let history = text(
        &app,
        &format!("SELECT s.code || '|' || to_char(h.nsi_status_date, 'YYYY-MM-DD HH24:MI:SS.MS') AS value FROM nsi_status_history h JOIN r_nsi_status s USING (nsi_status_id) WHERE h.nsi_id = {NSI}"),
    )
    .await;
    assert_eq!(history.as_deref(), Some("COMP|2023-02-23 15:29:54.197"));
    let c092 = nsi_contacts(&app, NSI, "C092").await;
    assert_eq!(c092.len(), 1);
    assert_eq!(
        (c092[0].contact_date, c092[0].start_time),
        (end.date(), Some(end.time()))
    );
    assert_eq!(
        (c092[0].team.as_deref(), c092[0].staff.as_deref()),
        (Some("CRSUAT"), Some("CRSUATU"))
    );
    let nter = nsi_contacts(&app, NSI, "NTER").await;
    assert_eq!(nter.len(), 1);
    assert_eq!(
        nter[0].notes.as_deref(),
        Some("\nNSI Terminated with Outcome: Prematurely Ended")
    );
    let notes = nsi_contacts(&app, NSI, "CRSNOTE").await;
    assert_eq!(notes.len(), 1);
    assert!(notes[0]
        .notes
        .as_deref()
        .unwrap_or("")
        .starts_with("\nEnd of Service Report Submitted for string Referral FE4536C"));
    let future = contact(&app, FUTURE).await;
    assert_eq!(future.outcome_code.as_deref(), Some("APPW"));
    assert_eq!(
        (future.attended.as_deref(), future.complied.as_deref()),
        (Some("N"), Some("Y"))
    );
    assert_eq!(
        count(&app, &format!("SELECT 1 FROM contact WHERE nsi_id = {NSI} AND contact_date >= CURRENT_DATE AND contact_type_id IN (151, 152)")).await,
        1
    );
    assert_eq!(
        contact(&app, COMPLIANT).await.outcome_code,
        None,
        "past appointments stay"
    );
    assert_eq!(
        app.outcome("ReferralEnded").properties,
        props(&[
            ("crn", CRN),
            ("referralId", "f56c5f7c-632f-4cad-a1b3-693541cb5f22"),
            ("referralUrn", REFERRAL_URN),
            ("endDate", "2023-02-23T15:29:54.197Z[Europe/London]"),
            ("endType", "PREMATURELY_ENDED"),
            ("withdrawalCode", "NEE"),
        ])
    );
    assert_eq!(
        app.audits("NIBI009").await,
        vec![(
            "P".to_owned(),
            Some(format!("offenderId='950001',nsiId='{NSI}'"))
        )]
    );
}

#[tokio::test]
async fn spec_3_5_withdrawal_reason_flag_uses_the_withdrawal_code_as_outcome() {
    let app = TestApp::start_with(true).await;
    mount_upstream(&app).await;
    assert_eq!(
        app.publish(&app.message("referral-withdrawn.json")).await,
        Disposition::Deleted
    );
    let nsi = nsi_by_urn(&app, REFERRAL_URN).await;
    assert_eq!(nsi.outcome_code.as_deref(), Some("NEE"));
    assert_eq!(
        app.outcome("ReferralEnded").properties["endType"],
        "CANCELLED"
    );
}

#[tokio::test]
async fn spec_3_5_without_the_flag_a_withdrawn_referral_is_cancelled_crs01() {
    let app = started().await;
    assert_eq!(
        app.publish(&app.message("referral-withdrawn.json")).await,
        Disposition::Deleted
    );
    assert_eq!(
        nsi_by_urn(&app, REFERRAL_URN).await.outcome_code.as_deref(),
        Some("CRS01")
    );
}

#[tokio::test]
async fn scenario_6_2_6_and_7_action_plan_submitted_and_approved_add_one_note_each() {
    let app = started().await;
    for (name, word, telemetry) in [
        (
            "action-plan-submitted.json",
            "Submitted",
            "ActionPlanSubmitted",
        ),
        (
            "action-plan-approved.json",
            "Approved",
            "ActionPlanApproved",
        ),
    ] {
        for _ in 0..2 {
            assert_eq!(app.publish(&app.message(name)).await, Disposition::Deleted);
        }
        let notes: Vec<_> = nsi_contacts(&app, NSI, "CRSNOTE")
            .await
            .into_iter()
            .filter(|c| {
                c.notes
                    .as_deref()
                    .unwrap_or("")
                    .contains(&format!("Action Plan {word}"))
            })
            .collect();
        assert_eq!(notes.len(), 1, "{name} once");
        assert_eq!(
            notes[0].notes.as_deref(),
            Some(format!("\nAction Plan {word} for Accommodation Referral FE4536C with Prime Provider Seetec Business Technology Centre Limited\nhttps://hmpps-interventions-ui-dev.apps.live-1.cloud-platform.service.justice.gov.uk/probation-practitioner/referrals/68df9f6c-3fcb-4ec6-8fcf-96551cd9b080/action-plan").as_str())
        );
        assert_eq!(
            notes[0].contact_date,
            NaiveDate::from_ymd_opt(2023, 6, 5).expect("date")
        );
        let events = app.telemetry.named(telemetry);
        assert_eq!(events.len(), 2);
        assert_eq!(
            events[0].properties,
            props(&[("crn", CRN), ("referralId", REFERRAL)])
        );
    }
    assert!(app.audits("CLBI003").await.is_empty() && app.audits("CLBI007").await.is_empty());
}

#[tokio::test]
async fn spec_3_1_action_plan_for_an_unknown_referral_is_rejected() {
    let app = started().await;
    let event = HmppsDomainEvent::new("intervention.action-plan.submitted")
        .with_identifier("CRN", CRN)
        .with_info("referralId", "00000000-0000-0000-0000-000000000001")
        .with_info("referralReference", "X")
        .with_info("contractTypeName", "C")
        .with_info("primeProviderName", "P")
        .with_info("actionPlanProbationUserUrl", "u");
    let mut event = event;
    event.detail_url = Some(format!("{}/action-plan/1", app.ram.uri()));
    assert_eq!(
        app.publish(&notification(&event)).await,
        Disposition::Deleted
    );
    assert_eq!(
        app.outcome("ReferAndMonitorFailureReport").properties,
        props(&[
            ("crn", CRN),
            ("referralId", "00000000-0000-0000-0000-000000000001"),
            (
                "message",
                "Unable to find referral for action plan notification"
            ),
        ])
    );
}

#[tokio::test]
async fn scenario_6_2_8_appointment_not_found_is_reported_and_not_retried() {
    let app = started().await;
    let before = snapshot(&app).await;
    let message = app.message("session-appointment-feedback-submitted-not-found.json");
    assert_eq!(app.publish(&message).await, Disposition::Deleted);
    assert_eq!(
        app.outcome("ReferAndMonitorFailureReport").properties,
        props(&[
            ("crn", CRN),
            ("referralId", "cb293dcb-c201-4743-aa9d-acb14c8a1ddd"),
            ("appointmentId", "ac26da83-978f-4bbf-b517-f406fc29fb6d"),
            ("deliusId", "999"),
            ("referralReference", "AY0164AC"),
            ("outcomeAttended", "NO"),
            ("outcomeNotify", "true"),
            (
                "reason",
                "NSI terminated, likely a future appointment deleted"
            ),
            (
                "reasonDetail",
                "NSI last updated by ReferAndMonitorAndDelius"
            ),
            ("message", "Appointment Not Found"),
        ])
    );
    assert_eq!(snapshot(&app).await, before);
    assert!(app.telemetry.named("MessageFailed").is_empty());
}

#[tokio::test]
async fn spec_3_5_referral_without_an_nsi_is_rejected_referral_not_found() {
    let app = started().await;
    assert_eq!(
        app.publish(&app.message("fuzzy-search-referral-ended.json"))
            .await,
        Disposition::Deleted
    );
    assert_eq!(
        app.outcome("ReferAndMonitorFailureReport").properties,
        props(&[
            ("crn", "F123456"),
            ("referralId", "f56c5f7c-632f-4cad-a1b3-693541cb5f22"),
            (
                "referralUrn",
                "urn:hmpps:interventions-referral:71df9f6c-3fcb-4ec6-8fcf-96551cd9b080"
            ),
            ("eventId", "97"),
            ("date", "2023-02-14"),
            ("reason", "NSI cannot be determined"),
            ("message", "Referral Not Found"),
        ])
    );
}

#[tokio::test]
async fn spec_3_5_soft_deleted_nsi_is_the_reason() {
    let app = started().await;
    app.sql(&format!(
        "UPDATE nsi SET soft_deleted = 1 WHERE nsi_id = {NSI}"
    ))
    .await;
    assert_eq!(
        app.publish(&app.message("referral-prematurely-ended.json"))
            .await,
        Disposition::Deleted
    );
    assert_eq!(
        app.outcome("ReferAndMonitorFailureReport").properties["reason"],
        "NSI soft deleted"
    );
}

#[tokio::test]
async fn spec_3_4_appointment_found_by_delius_id_gets_the_outcome_with_telemetry() {
    let app = started().await;
    // The session names Delius appointment 1: make that the non-compliant contact, without a URN.
    app.sql(&format!("UPDATE contact SET external_reference = NULL, contact_id = 1 WHERE contact_id = {NON_COMPLIANT}")).await;
    let message = app.message("session-appointment-feedback-submitted-non-compliant.json");
    assert_eq!(app.publish(&message).await, Disposition::Deleted);
    assert_eq!(contact(&app, 1).await.outcome_code.as_deref(), Some("AFTC"));
    assert_eq!(
        app.outcome("Appointment Found By Delius Id - Feedback Submitted")
            .properties,
        props(&[
            ("crn", CRN),
            (
                "urn",
                "urn:hmpps:interventions-appointment:3fa85f64-5717-4562-b3fc-2c963f66afa6"
            ),
            ("deliusId", "1"),
            ("referralReference", "FE4536C"),
            ("referralUrn", REFERRAL_URN),
        ])
    );
}

fn notification(event: &HmppsDomainEvent) -> Notification {
    let mut notification = Notification::new(serde_json::to_string(event).expect("json"));
    notification.attributes.insert(
        "eventType".to_owned(),
        MessageAttribute::string(event.event_type.clone()),
    );
    notification
}

/// A session feedback event about the default person, pointing at `path` on the mock R&M.
fn session_event(app: &TestApp, path: &str) -> HmppsDomainEvent {
    let mut event =
        HmppsDomainEvent::new("intervention.session-appointment.session-feedback-submitted")
            .with_identifier("CRN", CRN)
            .with_info("referralId", REFERRAL)
            .with_info("referralReference", "FE4536C")
            .with_info("contractTypeName", "C")
            .with_info("primeProviderName", "P")
            .with_info("referralProbationUserURL", "u");
    event.detail_url = Some(format!("{}{path}", app.ram.uri()));
    event
}

#[tokio::test]
async fn spec_3_0_missing_detail_url_fails_and_goes_to_the_dead_letter_queue() {
    let app = started().await;
    let mut event = session_event(&app, "/x");
    event.detail_url = None;
    assert_eq!(
        app.publish(&notification(&event)).await,
        Disposition::DeadLettered
    );
    let failures = app.telemetry.named("IllegalArgumentException");
    assert!(!failures.is_empty());
    assert_eq!(
        failures[0].properties,
        props(&[
            ("crn", CRN),
            ("referralId", REFERRAL),
            ("message", "Detail Url Missing")
        ])
    );
}

#[tokio::test]
async fn issue_upstream_404_is_ignored() {
    let app = TestApp::start().await;
    app.given_upstream_status("/gone", 404, "").await;
    let event = session_event(&app, "/gone");
    assert_eq!(
        app.publish(&notification(&event)).await,
        Disposition::Deleted
    );
    let ignored = app.outcome("ReferAndMonitorDetailNotFound");
    assert_eq!(
        ignored.properties["detailUrl"],
        format!("{}/gone", app.ram.uri())
    );
}

#[tokio::test]
async fn spec_3_3_empty_upstream_body_fails_unable_to_retrieve_appointment() {
    let app = TestApp::start().await;
    app.given_upstream_status("/empty", 200, "").await;
    let event = session_event(&app, "/empty");
    assert_eq!(
        app.publish(&notification(&event)).await,
        Disposition::DeadLettered
    );
    let failure = &app.telemetry.named("IllegalArgumentException")[0];
    assert_eq!(
        failure.properties["message"],
        format!("Unable to retrieve appointment: {}/empty", app.ram.uri())
    );
}

#[tokio::test]
async fn spec_3_0_upstream_server_errors_are_retried_then_dead_lettered() {
    let app = TestApp::start().await;
    app.given_upstream_status("/broken", 503, "").await;
    let event = session_event(&app, "/broken");
    assert_eq!(
        app.publish(&notification(&event)).await,
        Disposition::DeadLettered
    );
    assert!(
        app.ram.received_requests().await.unwrap_or_default().len() >= 3,
        "retried"
    );
    assert!(app.failure().contains("503"), "{}", app.failure());
}

#[tokio::test]
async fn spec_3_3_no_feedback_fails_with_the_session_message() {
    let app = TestApp::start().await;
    app.given_upstream_status(
        "/no-feedback",
        200,
        r#"{"id":"52caa3e3-40b0-401a-babc-4d48cbd6e096","appointmentId":"c8801fa4-4487-4b38-9169-efabd4be98c9","oldAppointments":[]}"#,
    )
    .await;
    let event = session_event(&app, "/no-feedback");
    assert_eq!(
        app.publish(&notification(&event)).await,
        Disposition::DeadLettered
    );
    assert_eq!(
        app.telemetry.named("IllegalStateException")[0].properties["message"],
        format!("No feedback information available for referral {REFERRAL} : session 52caa3e3-40b0-401a-babc-4d48cbd6e096")
    );
}

#[tokio::test]
async fn spec_3_2_initial_assessment_feedback_outcomes_the_appointment() {
    let app = TestApp::start().await;
    app.given_upstream_status(
        "/sent-referral/68df9f6c-3fcb-4ec6-8fcf-96551cd9b080/supplier-assessment",
        200,
        r#"{"id":"11111111-1111-1111-1111-111111111111","referralId":"68df9f6c-3fcb-4ec6-8fcf-96551cd9b080","appointments":[
            {"id":"48911ad2-1213-4bd3-8312-3824dc29f131","appointmentFeedback":{"attendanceFeedback":{"attended":"no","submittedAt":"2023-02-14T10:00:00Z"}}},
            {"id":"c8801fa4-4487-4b38-9169-efabd4be98c9","appointmentFeedback":{"attendanceFeedback":{"attended":"yes","submittedAt":"2023-02-15T10:00:00Z"},"sessionFeedback":{"notifyProbationPractitionerOfBehaviour":false}}},
            {"id":"22222222-2222-2222-2222-222222222222","appointmentFeedback":{"attendanceFeedback":{"attended":null}}}
        ]}"#,
    )
    .await;
    let mut event = HmppsDomainEvent::new(
        "intervention.initial-assessment-appointment.session-feedback-submitted",
    )
    .with_identifier("CRN", CRN)
    .with_info("referralId", REFERRAL)
    .with_info("referralReference", "FE4536C")
    .with_info("contractTypeName", "Accommodation")
    .with_info("primeProviderName", "P")
    .with_info("referralProbationUserURL", "u")
    .with_info("deliusAppointmentId", "8791827");
    event.detail_url = Some(format!(
        "{}/sent-referral/68df9f6c-3fcb-4ec6-8fcf-96551cd9b080/supplier-assessment",
        app.ram.uri()
    ));
    assert_eq!(
        app.publish(&notification(&event)).await,
        Disposition::Deleted
    );
    let latest = contact(&app, NO_SESSION).await;
    assert_eq!(
        latest.outcome_code.as_deref(),
        Some("ATTC"),
        "the latest submitted feedback wins"
    );
    assert_eq!(contact(&app, COMPLIANT).await.outcome_code, None);
    assert_eq!(
        app.outcome("InitialAppointmentSubmitted").properties,
        props(&[
            ("crn", CRN),
            ("referralId", REFERRAL),
            ("appointmentId", "c8801fa4-4487-4b38-9169-efabd4be98c9"),
            ("referralReference", "FE4536C"),
        ])
    );
}

#[tokio::test]
async fn spec_3_0_unhandled_event_type_is_acknowledged_with_telemetry() {
    let app = TestApp::start().await;
    let event = HmppsDomainEvent::new("intervention.something-else")
        .with_identifier("CRN", CRN)
        .with_info("referralId", REFERRAL);
    assert_eq!(
        app.publish(&notification(&event)).await,
        Disposition::Deleted
    );
    assert_eq!(
        app.outcome("UnhandledEventReceived").properties,
        props(&[
            ("crn", CRN),
            ("referralId", REFERRAL),
            ("eventType", "intervention.something-else")
        ])
    );
}

fn assessment_event(app: &TestApp, path: &str) -> HmppsDomainEvent {
    let mut event = HmppsDomainEvent::new(
        "intervention.initial-assessment-appointment.session-feedback-submitted",
    )
    .with_identifier("CRN", CRN)
    .with_info("referralId", REFERRAL)
    .with_info("referralReference", "JS18726AC")
    .with_info("contractTypeName", "C")
    .with_info("primeProviderName", "P")
    .with_info("referralProbationUserURL", "u")
    .with_info("deliusAppointmentId", "8791827");
    event.detail_url = Some(format!("{}{path}", app.ram.uri()));
    event
}

#[tokio::test]
async fn scenario_6_8_feedback_submitted_a_no_body_fails_unable_to_retrieve_appointment() {
    let app = TestApp::start().await;
    app.given_upstream_status("/assessment", 200, "null").await;
    let event = assessment_event(&app, "/assessment");
    assert_eq!(
        app.publish(&notification(&event)).await,
        Disposition::DeadLettered
    );
    assert_eq!(
        app.telemetry.named("IllegalArgumentException")[0].properties["message"],
        format!(
            "Unable to retrieve appointment: {}/assessment",
            app.ram.uri()
        )
    );
}

#[tokio::test]
async fn scenario_6_8_feedback_submitted_b_no_appointments_fails_no_feedback_information() {
    let app = TestApp::start().await;
    app.given_upstream_status(
        "/assessment",
        200,
        r#"{"id":"11111111-1111-1111-1111-111111111111","referralId":"68df9f6c-3fcb-4ec6-8fcf-96551cd9b080","appointments":[]}"#,
    )
    .await;
    let event = assessment_event(&app, "/assessment");
    assert_eq!(
        app.publish(&notification(&event)).await,
        Disposition::DeadLettered
    );
    assert_eq!(
        app.telemetry.named("IllegalStateException")[0].properties,
        props(&[
            ("crn", CRN),
            ("referralId", REFERRAL),
            ("message", "No feedback information available for referral 68df9f6c-3fcb-4ec6-8fcf-96551cd9b080: supplier assessment 11111111-1111-1111-1111-111111111111"),
        ])
    );
}

fn ended_event(app: &TestApp, path: &str) -> HmppsDomainEvent {
    let mut event = HmppsDomainEvent::new("intervention.referral.ended")
        .with_identifier("CRN", CRN)
        .with_info("referralId", "f56c5f7c-632f-4cad-a1b3-693541cb5f22")
        .with_info("deliveryState", "COMPLETED")
        .with_info("referralURN", REFERRAL_URN)
        .with_info("referralProbationUserURL", "u");
    event.detail_url = Some(format!("{}{path}", app.ram.uri()));
    event
}

const SENT_REFERRAL_WITHOUT_DATES: &str = r#"{"referenceNumber":"FE4536C","relevantSentenceId":1,"sentAt":"2023-02-14T11:31:49.503Z","referral":{"serviceProvider":{"name":"P"},"contractTypeName":"C"}}"#;

#[tokio::test]
async fn scenario_6_8_referral_end_b_end_date_is_end_requested_at_without_concluded_at() {
    let app = TestApp::start().await;
    let body = SENT_REFERRAL_WITHOUT_DATES.replace(
        r#""sentAt""#,
        r#""endRequestedAt":"2023-06-22T14:47:12Z","sentAt""#,
    );
    app.given_upstream_status("/sent", 200, &body).await;
    assert_eq!(
        app.publish(&notification(&ended_event(&app, "/sent")))
            .await,
        Disposition::Deleted
    );
    let nsi = nsi_by_urn(&app, REFERRAL_URN).await;
    let end = NaiveDate::from_ymd_opt(2023, 6, 22).and_then(|d| d.and_hms_opt(15, 47, 12));
    assert_eq!(nsi.actual_end_date, end, "London summer time");
    assert_eq!(nsi.outcome_code.as_deref(), Some("CRS03"));
    let telemetry = app.outcome("ReferralEnded").properties;
    assert_eq!(
        telemetry["endDate"],
        "2023-06-22T15:47:12+01:00[Europe/London]"
    );
    assert_eq!(telemetry["endType"], "COMPLETED");
    assert!(!telemetry.contains_key("withdrawalCode"));
    assert!(
        nsi_contacts(&app, NSI, "CRSNOTE").await.is_empty(),
        "no end-of-service report"
    );
}

#[tokio::test]
async fn scenario_6_8_referral_end_c_without_end_date_fails_and_the_nsi_is_not_terminated() {
    let app = TestApp::start().await;
    app.given_upstream_status("/sent", 200, SENT_REFERRAL_WITHOUT_DATES)
        .await;
    let before = snapshot(&app).await;
    assert_eq!(
        app.publish(&notification(&ended_event(&app, "/sent")))
            .await,
        Disposition::DeadLettered
    );
    assert_eq!(snapshot(&app).await, before);
    assert_eq!(
        app.telemetry.named("IllegalStateException")[0].properties["message"],
        format!("No End Date for Termination: {REFERRAL_URN} => {CRN}")
    );
}

#[tokio::test]
async fn scenario_6_8_referral_end_a_no_body_fails_unable_to_retrieve_session() {
    let app = TestApp::start().await;
    app.given_upstream_status("/sent", 200, "").await;
    assert_eq!(
        app.publish(&notification(&ended_event(&app, "/sent")))
            .await,
        Disposition::DeadLettered
    );
    assert_eq!(
        app.telemetry.named("NotFoundException")[0].properties,
        props(&[
            ("crn", CRN),
            ("referralId", "f56c5f7c-632f-4cad-a1b3-693541cb5f22"),
            (
                "message",
                &format!("Unable to retrieve session: {}/sent", app.ram.uri())
            ),
        ])
    );
}

#[tokio::test]
async fn spec_3_0_detail_url_outside_the_allow_list_is_not_fetched() {
    let app = TestApp::start().await;
    let mut event = session_event(&app, "/x");
    event.detail_url = Some("http://elsewhere.example/referral/1".to_owned());
    assert_eq!(
        app.publish(&notification(&event)).await,
        Disposition::DeadLettered
    );
    assert!(app.failure().contains("allow-list"), "{}", app.failure());
    assert!(app
        .ram
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());
}

/// The audit row takes a connection of its own: every handler must have given its business
/// connection back first, or a full pool waits on itself.
#[tokio::test]
async fn audited_handlers_work_with_a_pool_of_one_connection() {
    use messaging::NotificationHandler;
    use refer_and_monitor_and_delius::ReferAndMonitorHandler;

    let app = started().await;
    let pool =
        delius_data::build_pool(app.db.url(), 1, std::time::Duration::from_secs(2)).expect("pool");
    let mut context = app.context.clone();
    context.pool = pool.clone();
    context.auditor = audit_iaps::Auditor::connect(pool, "ReferAndMonitorAndDelius")
        .await
        .expect("auditor");
    let handler = ReferAndMonitorHandler::new(context);
    for name in [
        "session-appointment-feedback-submitted-non-compliant.json",
        "referral-prematurely-ended.json",
        "fuzzy-search-referral-ended.json",
    ] {
        let outcome = handler.handle(&app.message(name)).await;
        let failure = outcome
            .as_ref()
            .err()
            .map(|e| format!("{e:#}"))
            .unwrap_or_default();
        assert!(
            outcome.is_ok() || failure.contains("message ignored"),
            "{name}: {failure}"
        );
    }
    assert_eq!(app.audits("NIBI009").await.len(), 1);
    assert_eq!(app.audits("CLBI007").await.len(), 1);
}

/// Two deliveries of one message handled at the same moment (SQS delivers at least once) leave
/// the rows of one.
#[tokio::test]
async fn concurrent_deliveries_of_one_message_write_once() {
    use messaging::NotificationHandler;
    use refer_and_monitor_and_delius::ReferAndMonitorHandler;

    for name in [
        "session-appointment-feedback-submitted-non-compliant.json",
        "referral-prematurely-ended.json",
        "action-plan-submitted.json",
    ] {
        let app = started().await;
        let once = started().await;
        let single = ReferAndMonitorHandler::new(once.context.clone());
        single.handle(&once.message(name)).await.expect(name);
        let handler = ReferAndMonitorHandler::new(app.context.clone());
        let message = app.message(name);
        let (a, b) = tokio::join!(handler.handle(&message), handler.handle(&message));
        assert!(a.is_ok() && b.is_ok(), "{name}: {a:?} {b:?}");
        for table in ["contact", "enforcement", "nsi_status_history"] {
            let query = format!("SELECT count(*)::text AS value FROM {table}");
            assert_eq!(
                number(&app, &query).await,
                number(&once, &query).await,
                "{name}: {table}"
            );
        }
    }
}
