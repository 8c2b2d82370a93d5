//! `PUT /probation-case/{crn}/referrals/{referralId}/appointments` (spec 2.2; scenarios 6.1).

use chrono::{DateTime, Duration, DurationRound, SecondsFormat, Utc};
use delius_data::time::to_london;
use http::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::harness::{props, TestApp, SERVICE_USER_ID};
use crate::rows::{contact, contacts_by_urn, contacts_of, number, snapshot};

/// NO_APPOINTMENTS and the referral that has an NSI (a RAR one).
const CRN: &str = "T140224";
const REFERRAL: &str = "09c62549-bcd3-49a9-8120-7811b76925e5";
const NSI: i64 = 950004;
const EVENT: i64 = 950002;

fn path() -> String {
    format!("/probation-case/{CRN}/referrals/{REFERRAL}/appointments")
}

fn urn(id: Uuid) -> String {
    format!("urn:hmpps:interventions-appointment:{id}")
}

/// A whole minute, so start and end times compare exactly.
fn at(offset: Duration) -> DateTime<Utc> {
    (Utc::now() + offset)
        .duration_trunc(Duration::minutes(1))
        .expect("minute")
}

fn appointment(id: Uuid, start: DateTime<Utc>, minutes: i64) -> Value {
    json!({
        "id": id,
        "referralId": REFERRAL,
        "referralReference": "RE1234F",
        "start": start.to_rfc3339_opts(SecondsFormat::Secs, true),
        "durationInMinutes": minutes,
        "notes": "Appointment Notes",
        "officeLocationCode": "DEFAULT",
        "countsTowardsRar": false,
    })
}

async fn merge(app: &TestApp, body: &Value) -> (StatusCode, Value) {
    app.put(&path(), body).await
}

async fn merged_id(app: &TestApp, body: &Value) -> i64 {
    let (status, response) = merge(app, body).await;
    assert_eq!(status, StatusCode::OK, "{response}");
    response["appointmentId"].as_i64().expect("appointmentId")
}

#[tokio::test]
async fn scenario_6_1_1_create_returns_the_new_contact() {
    let app = TestApp::start().await;
    let id = Uuid::new_v4();
    let start = at(Duration::days(14));
    let contact_id = merged_id(&app, &appointment(id, start, 30)).await;
    let created = contact(&app, contact_id).await;
    let london = to_london(&start);
    assert_eq!(created.type_code, "CRSSAA");
    assert_eq!(created.external_reference, Some(urn(id)));
    assert_eq!(created.contact_date, london.date());
    assert_eq!(created.start_time, Some(london.time()));
    assert_eq!(
        created.end_time,
        Some((london + Duration::minutes(30)).time())
    );
    assert_eq!(created.notes.as_deref(), Some("\nAppointment Notes"));
    assert_eq!(created.office_location.as_deref(), Some("DEFAULT"));
    assert_eq!((created.event_id, created.nsi_id), (Some(EVENT), Some(NSI)));
    assert_eq!(
        (
            created.provider.as_deref(),
            created.team.as_deref(),
            created.staff.as_deref()
        ),
        (Some("CRS"), Some("CRSUAT"), Some("CRSUATU"))
    );
    assert_eq!(created.rar_activity.as_deref(), Some("N"));
    assert_eq!(created.outcome_code, None);
    assert_eq!(created.created_by_user_id, Some(SERVICE_USER_ID));
    assert_eq!(
        app.outcome("MergeAppointment").properties,
        props(&[
            ("crn", CRN),
            ("referralId", REFERRAL),
            ("appointmentId", &id.to_string()),
            ("deliusId", &contact_id.to_string()),
            ("rescheduleRequestedBy", "null"),
        ])
    );
    assert_eq!(
        app.audits("CLBI003").await,
        vec![(
            "P".to_owned(),
            Some(format!("offenderId='950002',contactId='{contact_id}'"))
        )]
    );
}

#[tokio::test]
async fn spec_2_2_repeating_a_merge_leaves_the_same_rows() {
    let app = TestApp::start().await;
    let request = appointment(Uuid::new_v4(), at(Duration::days(14)), 30);
    let first = merged_id(&app, &request).await;
    let before = snapshot(&app).await;
    assert_eq!(merged_id(&app, &request).await, first);
    assert_eq!(snapshot(&app).await, before);
}

#[tokio::test]
async fn scenario_6_1_2_another_appointment_ten_minutes_later_is_409() {
    let app = TestApp::start().await;
    let start = at(Duration::days(14));
    merged_id(&app, &appointment(Uuid::new_v4(), start, 30)).await;
    let (status, response) = merge(
        &app,
        &appointment(Uuid::new_v4(), start + Duration::minutes(10), 30),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        response,
        json!({"status": 409, "message": "Appointment conflicts with an existing future appointment"})
    );
    assert_eq!(contacts_of(&app, CRN).await.len(), 1);
}

#[tokio::test]
async fn spec_2_2_1_clash_string_rule_starting_at_the_new_end_clashes_ending_at_the_new_start_does_not(
) {
    let app = TestApp::start().await;
    let start = at(Duration::days(14))
        .duration_trunc(Duration::hours(1))
        .expect("hour")
        + Duration::hours(2);
    merged_id(&app, &appointment(Uuid::new_v4(), start, 30)).await;
    // Ends exactly when the existing one starts: "10:00" < "10:00:00" is true, so it clashes.
    let before = appointment(Uuid::new_v4(), start - Duration::minutes(30), 30);
    assert_eq!(merge(&app, &before).await.0, StatusCode::CONFLICT);
    // Starts exactly when the existing one ends: "10:30" > "10:30:00" is false, no clash.
    let after = appointment(Uuid::new_v4(), start + Duration::minutes(30), 30);
    assert_eq!(merge(&app, &after).await.0, StatusCode::OK);
}

#[tokio::test]
async fn spec_2_2_1_outcomed_or_past_appointments_do_not_clash() {
    let app = TestApp::start().await;
    let start = at(Duration::days(14));
    let first = merged_id(&app, &appointment(Uuid::new_v4(), start, 30)).await;
    app.sql(&format!(
        "UPDATE contact SET contact_outcome_type_id = 101 WHERE contact_id = {first}"
    ))
    .await;
    assert_eq!(
        merge(&app, &appointment(Uuid::new_v4(), start, 30)).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn scenario_6_1_3_reschedule_at_the_person_s_request_outcomes_the_old_contact() {
    let app = TestApp::start().await;
    let first_id = Uuid::new_v4();
    let start = at(Duration::days(14));
    let first = merged_id(&app, &appointment(first_id, start, 30)).await;
    let new_id = Uuid::new_v4();
    let new_start = start + Duration::minutes(10);
    let mut request = appointment(new_id, new_start, 20);
    request["previousId"] = json!(first_id);
    request["rescheduleRequestedBy"] = json!("Joe Bloggs");
    let replacement = merged_id(&app, &request).await;
    assert_ne!(replacement, first);

    let old = contact(&app, first).await;
    assert_eq!(old.outcome_code.as_deref(), Some("RSOF"));
    assert_eq!(old.attended.as_deref(), Some("N"));
    assert_eq!(old.rar_activity.as_deref(), Some("N"));
    let new = contact(&app, replacement).await;
    let london = to_london(&new_start);
    assert_eq!(new.external_reference, Some(urn(new_id)));
    assert_eq!(
        (new.contact_date, new.start_time),
        (london.date(), Some(london.time()))
    );
    assert_eq!(new.end_time, Some((london + Duration::minutes(20)).time()));
    assert_eq!(new.type_code, old.type_code);
    assert_eq!(new.outcome_code, None);
    assert_eq!(new.office_location.as_deref(), Some("DEFAULT"));
    assert_eq!(new.notes.as_deref(), Some("\nAppointment Notes"));
    let merges = app.telemetry.named("MergeAppointment");
    assert_eq!(merges.len(), 2);
    assert_eq!(merges[1].properties["rescheduleRequestedBy"], "Joe Bloggs");
    assert_eq!(merges[1].properties["deliusId"], replacement.to_string());

    let before = snapshot(&app).await;
    assert_eq!(
        merged_id(&app, &request).await,
        replacement,
        "the repeat finds the replacement"
    );
    assert_eq!(snapshot(&app).await, before);
}

#[tokio::test]
async fn scenario_6_1_4_reschedule_with_outcome_credits_hours_on_the_replacement() {
    let app = TestApp::start().await;
    let first_id = Uuid::new_v4();
    let first = merged_id(&app, &appointment(first_id, at(Duration::days(14)), 30)).await;
    let new_id = Uuid::new_v4();
    let mut request = appointment(new_id, at(-Duration::minutes(30)), 30);
    request["previousId"] = json!(first_id);
    request["countsTowardsRar"] = json!(true);
    request["rescheduleRequestedBy"] = json!("Service Provider");
    request["outcome"] = json!({"attended": "YES", "didSessionHappen": true, "notify": false});
    let replacement = merged_id(&app, &request).await;

    let new = contact(&app, replacement).await;
    assert_eq!(new.outcome_code.as_deref(), Some("ATTC"));
    assert_eq!(new.attended.as_deref(), Some("Y"));
    assert_eq!(new.complied.as_deref(), Some("Y"));
    assert_eq!(new.hours_credited.as_deref(), Some("0.50"));
    assert_eq!(new.rar_activity.as_deref(), Some("Y"));
    let old = contact(&app, first).await;
    assert_eq!(old.outcome_code.as_deref(), Some("RSSR"));
    assert_eq!(old.attended.as_deref(), Some("N"));
    assert_eq!(old.rar_activity.as_deref(), Some("N"));
    let rar_count = number(
        &app,
        &format!("SELECT rar_count::text AS value FROM nsi WHERE nsi_id = {NSI}"),
    )
    .await;
    assert_eq!(rar_count, 1, "the replacement's day counts");
}

#[tokio::test]
async fn scenario_6_1_5_past_appointment_without_outcome_is_400_with_telemetry() {
    let app = TestApp::start().await;
    let id = Uuid::new_v4();
    let start = at(-Duration::days(1));
    let (status, response) = merge(&app, &appointment(id, start, 30)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        response,
        json!({"status": 400, "message": "Appointment started in the past and no outcome was provided"})
    );
    assert_eq!(
        app.outcome("PastAppointmentWithoutOutcome").properties,
        props(&[
            ("crn", CRN),
            ("referralId", REFERRAL),
            ("referralReference", "RE1234F"),
            ("appointmentId", &id.to_string()),
            (
                "startTime",
                &start.to_rfc3339_opts(SecondsFormat::AutoSi, true)
            ),
            ("outcome", "null"),
        ])
    );
    assert!(contacts_of(&app, CRN).await.is_empty());
    assert_eq!(app.audits("CLBI003").await, vec![("F".to_owned(), None)]);
}

#[tokio::test]
async fn scenario_6_1_6_outcome_on_creation_late_not_happened_pop_unacceptable_is_aftc_with_enforcement(
) {
    let app = TestApp::start().await;
    let mut request = appointment(Uuid::new_v4(), at(Duration::days(2)), 30);
    request["countsTowardsRar"] = json!(true);
    request["outcome"] = json!({"attended": "LATE", "didSessionHappen": false, "noSessionReasonType": "POP_UNACCEPTABLE", "notify": true});
    let id = merged_id(&app, &request).await;
    let created = contact(&app, id).await;
    assert_eq!(created.type_code, "CRSAPT");
    assert_eq!(created.outcome_code.as_deref(), Some("AFTC"));
    assert_eq!(
        (created.attended.as_deref(), created.complied.as_deref()),
        (Some("Y"), Some("N"))
    );
    assert_eq!(created.hours_credited, None);
    assert_eq!(created.rar_activity.as_deref(), Some("N"));
    assert_eq!(created.enforcement, Some(1));
    assert_eq!(created.latest_enforcement_action.as_deref(), Some("ROM"));
    let contacts = contacts_of(&app, CRN).await;
    let rom: Vec<_> = contacts.iter().filter(|c| c.type_code == "AROM").collect();
    assert_eq!(rom.len(), 1);
    assert_eq!(rom[0].linked_contact_id, Some(id));
    let notes = rom[0].notes.as_deref().unwrap_or("");
    assert!(notes.starts_with("\n\nAppointment Notes\n"), "{notes:?}");
    assert!(
        notes.ends_with("\nEnforcement Action: Refer to Offender Manager"),
        "{notes:?}"
    );
    assert_eq!(
        number(
            &app,
            &format!("SELECT ftc_count::text AS value FROM event WHERE event_id = {EVENT}")
        )
        .await,
        1
    );
    let review: Vec<_> = contacts.iter().filter(|c| c.type_code == "ARWS").collect();
    assert_eq!(review.len(), 1, "ORA's limit of 0 is exceeded");
    assert_eq!(review[0].linked_contact_id, Some(id));
}

#[tokio::test]
async fn scenario_6_1_7_unknown_referral_is_404() {
    let app = TestApp::start().await;
    let mut request = appointment(Uuid::new_v4(), at(Duration::days(2)), 30);
    request["referralId"] = json!("10b45127-abc1-29c1-7492-2354c21735b8");
    let (status, response) = merge(&app, &request).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        response,
        json!({"status": 404, "message": "Unable to match Referral urn:hmpps:interventions-referral:10b45127-abc1-29c1-7492-2354c21735b8 => CRN T140224"})
    );
    assert!(app.telemetry.named("MergeAppointment").is_empty());
    assert!(app
        .telemetry
        .named("PastAppointmentWithoutOutcome")
        .is_empty());
}

#[tokio::test]
async fn spec_2_2_step_4_unknown_office_location_is_404() {
    let app = TestApp::start().await;
    let mut request = appointment(Uuid::new_v4(), at(Duration::days(2)), 30);
    request["officeLocationCode"] = json!("NOWHERE");
    let (status, response) = merge(&app, &request).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        response,
        json!({"status": 404, "message": "Location with code of NOWHERE not found"})
    );
}

#[tokio::test]
async fn spec_2_2_step_7_location_is_cleared_when_no_code_is_sent_and_notes_are_appended_once() {
    let app = TestApp::start().await;
    let id = Uuid::new_v4();
    let start = at(Duration::days(3));
    let created = merged_id(&app, &appointment(id, start, 30)).await;
    let mut request = appointment(id, start, 30);
    request
        .as_object_mut()
        .expect("object")
        .remove("officeLocationCode");
    request["notes"] = json!("More notes");
    assert_eq!(merged_id(&app, &request).await, created);
    let updated = contact(&app, created).await;
    assert_eq!(updated.office_location, None);
    assert_eq!(
        updated.notes.as_deref(),
        Some("\nAppointment Notes\nMore notes")
    );
    assert_eq!(updated.row_version, 1);
    merged_id(&app, &request).await;
    assert_eq!(
        contact(&app, created).await.notes.as_deref(),
        Some("\nAppointment Notes\nMore notes")
    );
}

#[tokio::test]
async fn spec_2_2_step_5_appointment_found_by_delius_id_is_rekeyed_with_telemetry() {
    let app = TestApp::start().await;
    // In the past with an outcome: a future contact without a URN would clash with itself.
    let start = at(-Duration::days(1));
    let outcome = json!({"attended": "YES", "didSessionHappen": true, "notify": false});
    let mut first = appointment(Uuid::new_v4(), start, 30);
    first["outcome"] = outcome.clone();
    let contact_id = merged_id(&app, &first).await;
    app.sql(&format!(
        "UPDATE contact SET external_reference = NULL WHERE contact_id = {contact_id}"
    ))
    .await;
    let id = Uuid::new_v4();
    let mut request = appointment(id, start, 30);
    request["outcome"] = outcome;
    request["deliusId"] = json!(contact_id);
    assert_eq!(merged_id(&app, &request).await, contact_id);
    assert_eq!(
        contact(&app, contact_id).await.external_reference,
        Some(urn(id))
    );
    assert_eq!(contacts_of(&app, CRN).await.len(), 1);
    assert_eq!(
        app.outcome("Appointment Found By Delius Id - Merge Appointment")
            .properties,
        props(&[
            ("crn", CRN),
            ("urn", &urn(id)),
            ("deliusId", &contact_id.to_string()),
            ("referralReference", "RE1234F"),
            (
                "referralUrn",
                &format!("urn:hmpps:interventions-referral:{REFERRAL}")
            ),
        ])
    );
}

#[tokio::test]
async fn spec_2_2_reschedule_by_own_urn_keeps_the_newest_contact_for_later_lookups() {
    let app = TestApp::start().await;
    let id = Uuid::new_v4();
    let first = merged_id(&app, &appointment(id, at(Duration::days(6)), 30)).await;
    let moved = appointment(id, at(Duration::days(6) + Duration::hours(3)), 30);
    let replacement = merged_id(&app, &moved).await;
    assert_ne!(replacement, first);
    assert_eq!(
        contact(&app, first).await.outcome_code.as_deref(),
        Some("RSSR")
    );
    assert_eq!(
        contacts_by_urn(&app, &urn(id)).await.len(),
        2,
        "the reference's quirk is kept"
    );
    assert_eq!(merged_id(&app, &moved).await, replacement);
}

#[tokio::test]
async fn spec_2_2_path_referral_id_must_be_a_uuid_and_body_fields_are_named() {
    let app = TestApp::start().await;
    let body = appointment(Uuid::new_v4(), at(Duration::days(2)), 30);
    let (status, response) = app
        .put(
            &format!("/probation-case/{CRN}/referrals/not-a-uuid/appointments"),
            &body,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        response,
        json!({"status": 400, "message": "referralId not-a-uuid in the path is not a UUID"})
    );
    let (status, response) = merge(
        &app,
        &json!({"referralId": REFERRAL, "start": "tomorrow", "durationInMinutes": 30, "countsTowardsRar": "yes", "outcome": {}}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        response,
        json!({"status": 400, "message": "Validation failure", "fields": [
            {"code": "NotNull", "message": "must not be null", "field": "id"},
            {"code": "NotNull", "message": "must not be null", "field": "referralReference"},
            {"code": "Invalid", "message": "must be an ISO-8601 date-time with an offset", "field": "start"},
            {"code": "Invalid", "message": "must be a boolean", "field": "countsTowardsRar"},
            {"code": "NotNull", "message": "must not be null", "field": "outcome.attended"}
        ]})
    );
}

#[tokio::test]
async fn spec_2_2_4_outcome_scenario_not_mapped_is_a_500_and_rolls_back() {
    let app = TestApp::start().await;
    let mut request = appointment(Uuid::new_v4(), at(Duration::days(2)), 30);
    request["outcome"] = json!({"attended": "YES", "didSessionHappen": false});
    let (status, response) = merge(&app, &request).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        response,
        json!({"status": 500, "message": "Internal server error"})
    );
    assert!(contacts_of(&app, CRN).await.is_empty());
}

#[tokio::test]
async fn spec_2_2_two_simultaneous_identical_merges_create_one_contact() {
    let app = TestApp::start().await;
    let request = appointment(Uuid::new_v4(), at(Duration::days(9)), 30);
    let (a, b) = tokio::join!(merge(&app, &request), merge(&app, &request));
    assert_eq!((a.0, b.0), (StatusCode::OK, StatusCode::OK));
    assert_eq!(a.1, b.1, "both answer the same contact");
    assert_eq!(contacts_of(&app, CRN).await.len(), 1);
}

#[tokio::test]
async fn spec_2_2_2_an_appointment_past_midnight_is_not_rescheduled_by_a_repeat() {
    let app = TestApp::start().await;
    let day = to_london(&Utc::now()).date() + Duration::days(10);
    let start = day
        .and_hms_opt(23, 45, 0)
        .and_then(|t| {
            t.and_local_timezone(delius_data::time::EUROPE_LONDON)
                .single()
        })
        .expect("start")
        .with_timezone(&Utc);
    let request = appointment(Uuid::new_v4(), start, 30);
    let first = merged_id(&app, &request).await;
    let before = snapshot(&app).await;
    assert_eq!(merged_id(&app, &request).await, first);
    assert_eq!(snapshot(&app).await, before);
    let created = contact(&app, first).await;
    assert_eq!(
        (created.contact_date, created.end_time),
        (day, chrono::NaiveTime::from_hms_opt(0, 15, 0))
    );
}
