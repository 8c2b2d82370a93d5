//! `PUT /probation-case/{crn}/referrals` (spec 2.1; scenarios 6.3, 6.4).

use chrono::{DateTime, Duration, SecondsFormat, SubsecRound, Utc};
use delius_data::time::to_london;
use http::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::harness::{props, TestApp};
use crate::rows::{contacts_of, nsi_by_urn, nsis_by_urn, number, snapshot, text};

/// SENTENCED_WITHOUT_NSI and its event SENTENCE_WITHOUT_NSI (with a RAR requirement).
const CRN: &str = "T140225";
const EVENT: i64 = 950003;
const RAR_REQUIREMENT: i64 = 950003;

fn body(referral_id: Uuid, started_at: DateTime<Utc>, notes: &str) -> Value {
    json!({
        "referralId": referral_id,
        "startedAt": started_at.to_rfc3339_opts(SecondsFormat::Millis, true),
        "contractType": "ACC",
        "sentenceId": EVENT,
        "notes": notes,
    })
}

fn urn(referral_id: Uuid) -> String {
    format!("urn:hmpps:interventions-referral:{referral_id}")
}

async fn start(app: &TestApp, crn: &str, body: &Value) -> (StatusCode, Value) {
    app.put(&format!("/probation-case/{crn}/referrals"), body)
        .await
}

#[tokio::test]
async fn scenario_6_3_referral_started_creates_the_nsi_manager_and_contacts_then_replaces_notes() {
    let app = TestApp::start().await;
    let referral_id = Uuid::new_v4();
    let started = Utc::now().trunc_subsecs(3);
    let (status, response) = start(
        &app,
        CRN,
        &body(referral_id, started, "The referral has been started"),
    )
    .await;
    assert_eq!((status, response), (StatusCode::NO_CONTENT, Value::Null));

    let nsi = nsi_by_urn(&app, &urn(referral_id)).await;
    let london = to_london(&started);
    assert_eq!(nsi.type_code, "CRS01");
    assert_eq!(nsi.status_code, "INPROG");
    assert_eq!(nsi.status_date, london);
    assert_eq!(nsi.actual_start_date, Some(london));
    assert_eq!(nsi.referral_date, london.date());
    assert_eq!(nsi.event_id, Some(EVENT));
    assert_eq!(nsi.rqmnt_id, Some(RAR_REQUIREMENT));
    assert_eq!(nsi.notes.as_deref(), Some("The referral has been started"));
    assert_eq!(nsi.provider.as_deref(), Some("CRS"));
    assert_eq!(
        (nsi.active_flag, nsi.rar_count, nsi.outcome_code.clone()),
        (1, None, None)
    );
    assert_eq!(nsi.created_datetime, nsi.last_updated_datetime);

    let manager = text(
        &app,
        &format!(
            "SELECT pa.code || '/' || t.code || '/' || s.officer_code || '/' || to_char(m.start_date, 'YYYY-MM-DD HH24:MI:SS.MS') || '/' || m.active_flag AS value \
             FROM nsi_manager m JOIN probation_area pa ON pa.probation_area_id = m.probation_area_id \
             JOIN team t ON t.team_id = m.team_id JOIN staff s ON s.staff_id = m.staff_id WHERE m.nsi_id = {}",
            nsi.nsi_id
        ),
    )
    .await;
    assert_eq!(
        manager,
        Some(format!(
            "CRS/CRSUAT/CRSUATU/{}/1",
            london.format("%Y-%m-%d %H:%M:%S%.3f")
        ))
    );
    let history = text(
        &app,
        &format!(
            "SELECT string_agg(s.code || '|' || h.notes, ',') AS value FROM nsi_status_history h \
             JOIN r_nsi_status s ON s.nsi_status_id = h.nsi_status_id WHERE h.nsi_id = {}",
            nsi.nsi_id
        ),
    )
    .await;
    assert_eq!(
        history.as_deref(),
        Some("INPROG|The referral has been started")
    );

    let contacts = contacts_of(&app, CRN).await;
    let types: Vec<_> = contacts.iter().map(|c| c.type_code.as_str()).collect();
    assert_eq!(types, ["NREF", "C091", "NCOM"]);
    for contact in &contacts {
        assert_eq!(contact.nsi_id, Some(nsi.nsi_id));
        assert_eq!(contact.event_id, Some(EVENT));
        assert_eq!(
            (
                contact.provider.as_deref(),
                contact.team.as_deref(),
                contact.staff.as_deref()
            ),
            (Some("CRS"), Some("CRSUAT"), Some("CRSUATU"))
        );
        assert_eq!(
            (contact.contact_date, contact.start_time),
            (london.date(), Some(london.time()))
        );
        assert_eq!(
            (
                contact.notes.clone(),
                contact.outcome_code.clone(),
                contact.office_location.clone()
            ),
            (None, None, None)
        );
    }
    assert_eq!(
        app.outcome("ReferralStarted").properties,
        props(&[("crn", CRN), ("referralId", &referral_id.to_string())])
    );

    let (status, _) = start(
        &app,
        CRN,
        &body(referral_id, started, "The referral has been sent twice"),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let again = nsi_by_urn(&app, &urn(referral_id)).await;
    assert_eq!(again.nsi_id, nsi.nsi_id);
    assert_eq!(
        again.notes.as_deref(),
        Some("The referral has been sent twice")
    );
    assert_eq!(again.row_version, 1);
    assert_eq!(contacts_of(&app, CRN).await.len(), 3, "no new contacts");

    let audits = app.audits("NIBI009").await;
    let expected = Some(format!("offenderId='950003',nsiId='{}'", nsi.nsi_id));
    assert_eq!(
        audits,
        vec![
            ("P".to_owned(), expected.clone()),
            ("P".to_owned(), expected)
        ]
    );
}

#[tokio::test]
async fn spec_2_1_repeating_the_same_referral_writes_nothing() {
    let app = TestApp::start().await;
    let request = body(Uuid::new_v4(), Utc::now().trunc_subsecs(3), "notes");
    assert_eq!(start(&app, CRN, &request).await.0, StatusCode::NO_CONTENT);
    let before = snapshot(&app).await;
    assert_eq!(start(&app, CRN, &request).await.0, StatusCode::NO_CONTENT);
    assert_eq!(snapshot(&app).await, before);
}

#[tokio::test]
async fn scenario_6_4_two_simultaneous_requests_leave_one_nsi_never_modified() {
    let app = TestApp::start().await;
    let referral_id = Uuid::new_v4();
    let today = to_london(&Utc::now()).date();
    let midnight = today
        .and_hms_opt(0, 0, 0)
        .and_then(|t| {
            t.and_local_timezone(delius_data::time::EUROPE_LONDON)
                .single()
        })
        .expect("midnight")
        .with_timezone(&Utc);
    let request = body(referral_id, midnight, "concurrent");
    let (a, b) = tokio::join!(start(&app, CRN, &request), start(&app, CRN, &request));
    assert_eq!((a.0, b.0), (StatusCode::NO_CONTENT, StatusCode::NO_CONTENT));
    let nsis = nsis_by_urn(&app, &urn(referral_id)).await;
    assert_eq!(nsis.len(), 1);
    assert_eq!(nsis[0].created_datetime, nsis[0].last_updated_datetime);
    assert_eq!(nsis[0].row_version, 0);
}

#[tokio::test]
async fn spec_2_1_step_3_a_completed_nsi_is_put_back_in_progress_with_history_and_contact() {
    let app = TestApp::start().await;
    let referral_id = Uuid::new_v4();
    let started = Utc::now().trunc_subsecs(3);
    start(&app, CRN, &body(referral_id, started, "n")).await;
    let nsi = nsi_by_urn(&app, &urn(referral_id)).await;
    app.sql(&format!(
        "UPDATE nsi SET nsi_status_id = 102, actual_end_date = TIMESTAMP '2024-01-01 00:00:00', active_flag = 0 WHERE nsi_id = {}",
        nsi.nsi_id
    ))
    .await;
    assert_eq!(
        start(&app, CRN, &body(referral_id, started, "n")).await.0,
        StatusCode::NO_CONTENT
    );
    let reopened = nsi_by_urn(&app, &urn(referral_id)).await;
    assert_eq!(reopened.status_code, "INPROG");
    assert_eq!(reopened.status_date, to_london(&started));
    assert!(reopened.actual_end_date.is_some(), "nothing else is reset");
    assert_eq!(reopened.active_flag, 0);
    let histories = number(
        &app,
        &format!(
            "SELECT count(*)::text AS value FROM nsi_status_history WHERE nsi_id = {}",
            nsi.nsi_id
        ),
    )
    .await;
    assert_eq!(histories, 2);
    let types: Vec<_> = contacts_of(&app, CRN)
        .await
        .into_iter()
        .map(|c| c.type_code)
        .collect();
    assert_eq!(types, ["NREF", "C091", "NCOM", "C091"]);
}

#[tokio::test]
async fn spec_2_1_start_date_change_is_written() {
    let app = TestApp::start().await;
    let referral_id = Uuid::new_v4();
    let started = Utc::now().trunc_subsecs(3);
    start(&app, CRN, &body(referral_id, started, "n")).await;
    let later = started + Duration::hours(1);
    start(&app, CRN, &body(referral_id, later, "n")).await;
    let nsi = nsi_by_urn(&app, &urn(referral_id)).await;
    assert_eq!(nsi.actual_start_date, Some(to_london(&later)));
    assert_eq!(nsi.status_date, to_london(&started), "status date stays");
}

#[tokio::test]
async fn spec_2_1_unknown_person_is_404_person_not_found() {
    let app = TestApp::start().await;
    let (status, response) = start(&app, "X999999", &body(Uuid::new_v4(), Utc::now(), "n")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        response,
        json!({"status": 404, "message": "Person with crn of X999999 not found"})
    );
    assert_eq!(app.audits("NIBI009").await, vec![("F".to_owned(), None)]);
    assert!(app.telemetry.named("ReferralStarted").is_empty());
}

#[tokio::test]
async fn spec_2_1_event_of_another_person_is_404_event_not_found() {
    let app = TestApp::start().await;
    let mut request = body(Uuid::new_v4(), Utc::now(), "n");
    request["sentenceId"] = json!(950001);
    let (status, response) = start(&app, CRN, &request).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        response,
        json!({"status": 404, "message": "Event with id of 950001 not found"})
    );
    assert_eq!(contacts_of(&app, CRN).await.len(), 0, "rolled back");
}

#[tokio::test]
async fn spec_2_1_committal_for_pss_breach_is_400() {
    let app = TestApp::start().await;
    let mut request = body(Uuid::new_v4(), Utc::now(), "n");
    request["sentenceId"] = json!(950004);
    let (status, response) = start(&app, "T140226", &request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        response,
        json!({"status": 400, "message": "Cannot add referral to Committal for PSS Breach"})
    );
}

#[tokio::test]
async fn spec_4_9_unknown_contract_type_is_400_naming_the_field() {
    let app = TestApp::start().await;
    let mut request = body(Uuid::new_v4(), Utc::now(), "n");
    request["contractType"] = json!("FBD");
    let (status, response) = start(&app, CRN, &request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        response,
        json!({"status": 400, "message": "Validation failure", "fields": [
            {"code": "Invalid", "message": "Unexpected Contract Type", "field": "contractType"}
        ]})
    );
}

#[tokio::test]
async fn spec_2_1_every_field_is_required_and_named() {
    let app = TestApp::start().await;
    let (status, response) = start(
        &app,
        CRN,
        &json!({"referralId": "not-a-uuid", "sentenceId": "1"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        response,
        json!({"status": 400, "message": "Validation failure", "fields": [
            {"code": "Invalid", "message": "must be a UUID", "field": "referralId"},
            {"code": "NotNull", "message": "must not be null", "field": "startedAt"},
            {"code": "NotNull", "message": "must not be null", "field": "contractType"},
            {"code": "Invalid", "message": "must be an integer", "field": "sentenceId"},
            {"code": "NotNull", "message": "must not be null", "field": "notes"}
        ]})
    );
    let (status, response) = app
        .send(
            http::Method::PUT,
            &format!("/probation-case/{CRN}/referrals"),
            Some(app.token()),
            Some("{".to_owned()),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(response["status"], 400);
    assert!(
        app.audits("NIBI009").await.is_empty(),
        "nothing to audit before the work starts"
    );
}

#[tokio::test]
async fn no_free_database_connection_is_a_503_worth_retrying_not_a_500() {
    use axum::body::Body;
    use tower::ServiceExt;

    let app = TestApp::start().await;
    let pool = delius_data::build_pool(app.db.url(), 1, std::time::Duration::from_millis(200))
        .expect("pool");
    let held = pool.get().await.expect("the one connection");
    let mut context = app.context.clone();
    context.pool = pool.clone();
    let request = http::Request::builder()
        .method(http::Method::PUT)
        .uri(format!("/probation-case/{CRN}/referrals"))
        .header(http::header::AUTHORIZATION, app.token())
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            body(Uuid::new_v4(), Utc::now(), "n").to_string(),
        ))
        .expect("request");
    let response = app
        .api_with(context)
        .oneshot(request)
        .await
        .expect("response");
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()[http::header::RETRY_AFTER], "1");
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    assert_eq!(
        serde_json::from_slice::<Value>(&bytes).expect("json"),
        json!({"status": 503, "message": "Service unavailable: the database is busy, try again"})
    );
    drop(held);
}

#[tokio::test]
async fn spec_2_1_step_8_missing_crs_team_or_staff_is_404() {
    let app = TestApp::start().await;
    for (rename, message) in [
        (
            "UPDATE staff SET officer_code = 'GONE001' WHERE officer_code = 'CRSUATU'",
            "Staff with code of CRSUATU not found",
        ),
        (
            "UPDATE team SET code = 'GONE01' WHERE code = 'CRSUAT'",
            "Team with code of CRSUAT not found",
        ),
    ] {
        app.sql(rename).await;
        let (status, response) = start(&app, CRN, &body(Uuid::new_v4(), Utc::now(), "n")).await;
        assert_eq!(
            (status, response),
            (
                StatusCode::NOT_FOUND,
                json!({"status": 404, "message": message})
            ),
            "{rename}"
        );
    }
    assert!(contacts_of(&app, CRN).await.is_empty(), "rolled back");
}
