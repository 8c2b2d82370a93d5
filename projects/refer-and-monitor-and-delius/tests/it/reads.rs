//! The read-only endpoints (spec 2.3, 2.8, 2.9, 2.11, 2.12; scenarios 6.5.3, 6.6.1-6.6.4) and
//! their role split (rule 1). Extra rows use ids 950100-950199 and are inserted by the test.

use chrono::Datelike;
use http::{Method, StatusCode};
use serde_json::{json, Value};

use refer_and_monitor_and_delius::api::{CASE_DETAIL_RW_ROLE, CRS_REFERRAL_ROLE};

use crate::harness::TestApp;

const ADMIN_ROLE: &str = "ROLE_PROBATION_INTEGRATION_ADMIN";

async fn get_as(app: &TestApp, path: &str, role: &str) -> (StatusCode, Value) {
    let token = app.auth.token().roles([role]).bearer();
    app.send(Method::GET, path, Some(token), None).await
}

async fn access_as(
    app: &TestApp,
    method: Method,
    username: &str,
    crns: &Value,
) -> (StatusCode, Value) {
    let token = app.auth.token().roles([CRS_REFERRAL_ROLE]).bearer();
    app.send(
        method,
        &format!("/users/{username}/access"),
        Some(token),
        Some(crns.to_string()),
    )
    .await
}

#[tokio::test]
async fn rule_1_identifiers_need_crs_referral_and_the_other_reads_accept_either_role() {
    let app = TestApp::start().await;
    let crs_only = "/probation-case/T140223/identifiers";
    let either = [
        "/users/john-smith/managed-cases",
        "/office-locations",
        "/probation-delivery-units",
    ];
    for path in std::iter::once(crs_only).chain(either) {
        let (status, body) = app.send(Method::GET, path, None, None).await;
        assert_eq!(
            (status, body["status"].clone()),
            (StatusCode::UNAUTHORIZED, json!(401)),
            "{path}"
        );
        let expired = app
            .auth
            .token()
            .roles([CRS_REFERRAL_ROLE])
            .expired()
            .bearer();
        assert_eq!(
            app.send(Method::GET, path, Some(expired), None).await.0,
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
        let (status, body) = get_as(&app, path, "ROLE_SOMETHING_ELSE").await;
        assert_eq!(
            (status, body["status"].clone()),
            (StatusCode::FORBIDDEN, json!(403)),
            "{path}"
        );
        assert_eq!(
            get_as(&app, path, CRS_REFERRAL_ROLE).await.0,
            StatusCode::OK,
            "{path}"
        );
        assert_eq!(
            get_as(&app, path, ADMIN_ROLE).await.0,
            StatusCode::OK,
            "{path}"
        );
    }
    assert_eq!(
        get_as(&app, crs_only, CASE_DETAIL_RW_ROLE).await.0,
        StatusCode::FORBIDDEN
    );
    for path in either {
        assert_eq!(
            get_as(&app, path, CASE_DETAIL_RW_ROLE).await.0,
            StatusCode::OK,
            "{path}"
        );
    }
    let body = json!(["T140223"]).to_string();
    for (role, expected) in [
        (CRS_REFERRAL_ROLE, StatusCode::OK),
        (CASE_DETAIL_RW_ROLE, StatusCode::OK),
        (ADMIN_ROLE, StatusCode::OK),
        ("ROLE_SOMETHING_ELSE", StatusCode::FORBIDDEN),
    ] {
        let token = app.auth.token().roles([role]).bearer();
        let (status, _) = app
            .send(
                Method::POST,
                "/users/john-smith/access",
                Some(token),
                Some(body.clone()),
            )
            .await;
        assert_eq!(status, expected, "{role}");
    }
    assert_eq!(
        app.send(Method::POST, "/users/john-smith/access", None, Some(body))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn scenario_6_5_3_identifiers_give_the_noms_number_and_never_404() {
    let app = TestApp::start().await;
    for (crn, expected) in [
        ("T140223", json!({"crn": "T140223", "nomsId": "A1234YZ"})),
        ("T140224", json!({"crn": "T140224"})),
        ("X000000", json!({"crn": "X000000"})),
    ] {
        let (status, body) = get_as(
            &app,
            &format!("/probation-case/{crn}/identifiers"),
            CRS_REFERRAL_ROLE,
        )
        .await;
        assert_eq!((status, body), (StatusCode::OK, expected), "{crn}");
    }
}

#[tokio::test]
async fn spec_2_11_office_locations_are_the_open_crs_ones() {
    let app = TestApp::start().await;
    app.sql("INSERT INTO office_location (office_location_id, code, description, start_date, end_date, probation_area_id) VALUES \
             (950100, 'CRSOLD1', 'Closed', DATE '2000-01-01', DATE '2001-01-01', 104), \
             (950101, 'N01OTHR', 'Not CRS', DATE '2000-01-01', NULL, 101), \
             (950102, 'CRSBARE', NULL, DATE '2000-01-01', NULL, 104)")
        .await;
    let (status, body) = get_as(&app, "/office-locations", CRS_REFERRAL_ROLE).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!([
            {"code": "CRS0001", "description": "CRS Office 1",
             "address": {"buildingNumber": "20", "streetName": "Market Street", "town": "Manchester", "postcode": "M1 1AA"}},
            {"code": "CRSBARE"},
            {"code": "DEFAULT", "description": "Default Office",
             "address": {"buildingName": "Default Building", "buildingNumber": "10", "streetName": "Default Street",
                         "district": "Default District", "town": "Default Town", "county": "Default County", "postcode": "DE1 1AA"},
             "telephoneNumber": "01234 567890"}
        ])
    );
}

#[tokio::test]
async fn spec_2_12_probation_delivery_units_are_the_selectable_boroughs_with_their_region() {
    let app = TestApp::start().await;
    app.sql("INSERT INTO borough (borough_id, code, description, probation_area_id, selectable) VALUES (950100, 'N01OLD', 'Old PDU', 101, 'N')")
        .await;
    let (status, body) = get_as(&app, "/probation-delivery-units", CASE_DETAIL_RW_ROLE).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!([
            {"code": "CRSPDU", "description": "CRS Probation Delivery Unit", "region": {"code": "CRS", "description": "Commissioned Rehabilitative Services"}},
            {"code": "N01PDU", "description": "N01 Probation Delivery Unit", "region": {"code": "N01", "description": "Description of N01"}},
            {"code": "N03PDU", "description": "N03 Probation Delivery Unit", "region": {"code": "N03", "description": "Description of N03"}}
        ])
    );
}

/// Offender managers: John Smith (staff 1011, user 10 `john-smith`) actively manages T140223 and
/// T140224; an ended and a deleted allocation to T140225 do not count.
async fn managers(app: &TestApp) {
    app.sql("INSERT INTO offender_manager (offender_manager_id, offender_id, allocation_staff_id, team_id, probation_area_id, trust_provider_flag, partition_area_id, active_flag, soft_deleted, row_version) VALUES \
             (950100, 950001, 1011, 1011, 101, 0, 0, 1, 0, 0), \
             (950101, 950002, 1011, 1011, 101, 0, 0, 1, 0, 0), \
             (950102, 950003, 1011, 1011, 101, 0, 0, 0, 0, 0), \
             (950103, 950003, 1011, 1011, 101, 0, 0, 1, 1, 0)")
        .await;
}

#[tokio::test]
async fn scenario_6_6_1_managed_cases_of_john_smith_by_name_any_case_or_user_id() {
    let app = TestApp::start().await;
    managers(&app).await;
    let expected = json!({"managedCases": [{"crn": "T140223"}, {"crn": "T140224"}]});
    for username in ["john-smith", "JOHN-SMITH", "10"] {
        let (status, body) = get_as(
            &app,
            &format!("/users/{username}/managed-cases"),
            CRS_REFERRAL_ROLE,
        )
        .await;
        assert_eq!(
            (status, body),
            (StatusCode::OK, expected.clone()),
            "{username}"
        );
    }
    let (_, body) = get_as(&app, "/users/829185656291/managed-cases", CRS_REFERRAL_ROLE).await;
    assert_eq!(body, json!({"managedCases": []}));
}

/// EXCLUSION = T140223 (john-smith excluded), RESTRICTION = T140224 (restricted to another
/// user), DEFAULT = T140225, RESTRICTION_EXCLUSION = T140226 (both).
async fn limited_access(app: &TestApp) {
    app.sql("UPDATE offender SET exclusion_message = 'You are excluded from this case', restriction_message = 'This case is restricted' WHERE offender_id BETWEEN 950001 AND 950004; \
             INSERT INTO user_ (user_id, distinguished_name, forename, surname) VALUES (950100, 'allowed-user', 'Allowed', 'User'); \
             INSERT INTO exclusion (exclusion_id, offender_id, user_id, exclusion_end_time) VALUES \
               (950100, 950001, 10, NULL), (950101, 950004, 10, now() + INTERVAL '1 day'), (950102, 950003, 10, now() - INTERVAL '1 day'); \
             INSERT INTO restriction (restriction_id, offender_id, user_id, restriction_end_time) VALUES \
               (950100, 950002, 950100, NULL), (950101, 950004, 950100, NULL), (950102, 950003, 950100, now() - INTERVAL '1 day')")
        .await;
}

#[tokio::test]
async fn scenario_6_6_2_limited_user_access_in_input_order() {
    let app = TestApp::start().await;
    limited_access(&app).await;
    let crns = json!(["T140223", "T140224", "T140225", "T140226", "X000000"]);
    let expected = json!({"access": [
        {"crn": "T140223", "userExcluded": true, "userRestricted": false, "exclusionMessage": "You are excluded from this case"},
        {"crn": "T140224", "userExcluded": false, "userRestricted": true, "restrictionMessage": "This case is restricted"},
        {"crn": "T140225", "userExcluded": false, "userRestricted": false},
        {"crn": "T140226", "userExcluded": true, "userRestricted": true, "exclusionMessage": "You are excluded from this case", "restrictionMessage": "This case is restricted"},
        {"crn": "X000000", "userExcluded": false, "userRestricted": false}
    ]});
    for method in [Method::POST, Method::GET] {
        let (status, body) = access_as(&app, method.clone(), "john-smith", &crns).await;
        assert_eq!(
            (status, body),
            (StatusCode::OK, expected.clone()),
            "{method}"
        );
    }
}

#[tokio::test]
async fn scenario_6_6_3_a_user_on_the_restriction_list_and_not_excluded_has_access() {
    let app = TestApp::start().await;
    limited_access(&app).await;
    let (status, body) = access_as(
        &app,
        Method::POST,
        "Allowed-User",
        &json!(["T140223", "T140224", "T140225"]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"access": [
            {"crn": "T140223", "userExcluded": false, "userRestricted": false},
            {"crn": "T140224", "userExcluded": false, "userRestricted": false},
            {"crn": "T140225", "userExcluded": false, "userRestricted": false}
        ]})
    );
}

#[tokio::test]
async fn spec_2_9_blank_messages_give_no_flags() {
    let app = TestApp::start().await;
    limited_access(&app).await;
    app.sql("UPDATE offender SET exclusion_message = ' ', restriction_message = NULL WHERE offender_id = 950004").await;
    let (_, body) = access_as(&app, Method::POST, "john-smith", &json!(["T140226"])).await;
    assert_eq!(
        body,
        json!({"access": [{"crn": "T140226", "userExcluded": false, "userRestricted": false}]})
    );
}

#[tokio::test]
async fn scenario_6_6_4_an_empty_or_oversized_crn_list_is_400() {
    let app = TestApp::start().await;
    let too_many: Vec<String> = (0..501).map(|i| format!("X{i:06}")).collect();
    for crns in [json!([]), json!(too_many)] {
        let (status, body) = access_as(&app, Method::POST, "john-smith", &crns).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            body,
            json!({"status": 400, "message": "userAccessCheck.crns: Please provide between 1 and 500 crns"})
        );
    }
}

fn years_ago(years: i32) -> String {
    let today = delius_data::time::today_london();
    chrono::NaiveDate::from_ymd_opt(today.year() - years, today.month(), today.day())
        .or_else(|| {
            chrono::NaiveDate::from_ymd_opt(today.year() - years, today.month(), today.day() - 1)
        })
        .expect("date")
        .to_string()
}

fn full_person() -> Value {
    json!({
        "crn": "F987462",
        "name": {"forename": "Full", "surname": "Person"},
        "dateOfBirth": years_ago(42),
        "gender": "Description of GEN1",
        "profile": {
            "primaryLanguage": "Description of LANG1",
            "ethnicity": "Description of ETH1",
            "religion": "Description of REL1",
            "disabilities": [{
                "type": "Description of DIS1",
                "startDate": (delius_data::time::today_london() - chrono::Duration::days(14)).to_string(),
                "notes": "Some notes about the disability"
            }]
        },
        "contactDetails": {
            "noFixedAbode": false,
            "mainAddress": {"buildingName": "Some Building", "streetName": "Some Street", "postcode": "SB1 1SS"},
            "emailAddress": "someone@somewhere.com",
            "telephoneNumber": "0191 234 6718",
            "mobileNumber": "07453351625"
        }
    })
}

fn full_conviction() -> Value {
    json!({
        "id": 950006,
        "date": "2022-03-01",
        "sentence": {"description": "ORA Community Order", "expectedEndDate": "2025-03-01"},
        "mainOffence": {"category": "Burglary", "subCategory": "Burglary in a dwelling"},
        "active": true
    })
}

#[tokio::test]
async fn scenario_6_5_5_minimal_details() {
    let app = TestApp::start().await;
    let (status, body) = get_as(&app, "/probation-case/M123456/details", CRS_REFERRAL_ROLE).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"crn": "M123456", "name": {"forename": "Minimal", "surname": "Person"},
               "dateOfBirth": years_ago(27), "contactDetails": {"noFixedAbode": false}})
    );
}

#[tokio::test]
async fn scenario_6_5_6_full_details() {
    let app = TestApp::start().await;
    // Finished and deleted disabilities and an ended address do not show.
    app.sql("INSERT INTO disability (disability_id, offender_id, disability_type_id, start_date, finish_date, soft_deleted) VALUES \
             (950100, 950006, 11901, DATE '2010-01-01', DATE '2011-01-01', 0), (950101, 950006, 11901, DATE '2010-01-01', NULL, 1); \
             INSERT INTO offender_address (offender_address_id, offender_id, address_status_id, building_name, end_date, soft_deleted) VALUES \
             (950000, 950006, 11801, 'Old Building', DATE '2019-01-01', 0)")
        .await;
    let (status, body) = get_as(&app, "/probation-case/F987462/details", CRS_REFERRAL_ROLE).await;
    assert_eq!((status, body), (StatusCode::OK, full_person()));
}

#[tokio::test]
async fn scenario_6_5_4_unknown_person_details_is_404_with_an_empty_body() {
    let app = TestApp::start().await;
    let (status, body) = get_as(
        &app,
        "/probation-case/InvalidCrn/details",
        CRS_REFERRAL_ROLE,
    )
    .await;
    assert_eq!((status, body), (StatusCode::NOT_FOUND, Value::Null));
}

#[tokio::test]
async fn scenario_6_5_7_convictions_are_the_active_ones_with_the_detail() {
    let app = TestApp::start().await;
    // An inactive event and a PSS breach committal are left out.
    app.sql("INSERT INTO event (event_id, offender_id, event_number, active_flag, soft_deleted, row_version) VALUES \
             (950100, 950006, '2', 0, 0, 0), (950101, 950006, '3', 1, 0, 0); \
             INSERT INTO disposal (disposal_id, event_id, disposal_type_id, active_flag, soft_deleted) VALUES \
             (950100, 950100, 104, 1, 0), (950101, 950101, 103, 1, 0); \
             INSERT INTO main_offence (main_offence_id, event_id, offence_id, soft_deleted) VALUES \
             (950100, 950100, 950001, 0), (950101, 950101, 950001, 0)")
        .await;
    let (status, body) = get_as(
        &app,
        "/probation-case/F987462/convictions",
        CRS_REFERRAL_ROLE,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"caseDetail": full_person(), "convictions": [full_conviction()]})
    );
    // 6.8 by id: no active filter here.
    let (status, body) = get_as(
        &app,
        "/probation-case/F987462/convictions/950100",
        CRS_REFERRAL_ROLE,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["conviction"]["active"], false);
}

#[tokio::test]
async fn scenario_6_5_8_single_conviction_by_event_id() {
    let app = TestApp::start().await;
    let (status, body) = get_as(
        &app,
        "/probation-case/F987462/convictions/950006",
        CRS_REFERRAL_ROLE,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"caseDetail": full_person(), "conviction": full_conviction()})
    );
}

#[tokio::test]
async fn spec_2_6_and_2_7_unknown_person_or_event_is_404() {
    let app = TestApp::start().await;
    for (path, message) in [
        (
            "/probation-case/X999999/convictions",
            "Person with crn of X999999 not found",
        ),
        (
            "/probation-case/X999999/convictions/1",
            "Person with crn of X999999 not found",
        ),
        (
            "/probation-case/F987462/convictions/950001",
            "Event 950001 not found for F987462",
        ),
        (
            "/probation-case/F987462/convictions/abc",
            "Event abc not found for F987462",
        ),
    ] {
        let (status, body) = get_as(&app, path, CRS_REFERRAL_ROLE).await;
        assert_eq!(
            (status, body),
            (
                StatusCode::NOT_FOUND,
                json!({"status": 404, "message": message})
            ),
            "{path}"
        );
    }
}

#[tokio::test]
async fn rule_1_person_reads_need_crs_referral() {
    let app = TestApp::start().await;
    for path in [
        "/probation-case/F987462/details",
        "/probation-case/F987462/convictions",
        "/probation-case/F987462/convictions/950006",
    ] {
        assert_eq!(
            app.send(Method::GET, path, None, None).await.0,
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
        assert_eq!(
            get_as(&app, path, CASE_DETAIL_RW_ROLE).await.0,
            StatusCode::FORBIDDEN,
            "{path}"
        );
        assert_eq!(
            get_as(&app, path, CRS_REFERRAL_ROLE).await.0,
            StatusCode::OK,
            "{path}"
        );
        assert_eq!(
            get_as(&app, path, ADMIN_ROLE).await.0,
            StatusCode::OK,
            "{path}"
        );
    }
}

/// COMMUNITY_RESPONSIBLE = T140223 (John Smith holds the RO), COMMUNITY_NOT_RESPONSIBLE =
/// T140224 (John Smith manages, the prison manager N03POMF in N03POM holds the RO).
async fn responsible_officers(app: &TestApp) {
    managers(app).await;
    app.sql("INSERT INTO prison_offender_manager (prison_offender_manager_id, row_version, offender_id, allocation_date, allocation_staff_id, allocation_team_id, probation_area_id, active_flag, soft_deleted, email_address, telephone_number, partition_area_id, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime) VALUES \
             (950100, 0, 950002, TIMESTAMP '2023-01-01 00:00:00', 1033, 1032, 103, 1, 0, 'manager@prison.gov.uk', NULL, 0, 1, 1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00'); \
             INSERT INTO responsible_officer (responsible_officer_id, offender_id, offender_manager_id, prison_offender_manager_id, start_date, end_date, row_version) VALUES \
             (950100, 950001, 950100, NULL, TIMESTAMP '2023-01-01 00:00:00', NULL, 0), \
             (950101, 950002, 950101, NULL, TIMESTAMP '2022-01-01 00:00:00', TIMESTAMP '2023-01-01 00:00:00', 0), \
             (950102, 950002, NULL, 950100, TIMESTAMP '2023-01-01 00:00:00', NULL, 0)")
        .await;
}

fn community_manager(responsible: bool) -> Value {
    json!({
        "code": "N01P001",
        "name": {"forename": "John", "surname": "Smith"},
        "username": "john-smith",
        "email": "john.smith@moj.gov.uk",
        "telephoneNumber": "07321165373",
        "responsibleOfficer": responsible,
        "pdu": {"code": "N01PDU", "description": "N01 Probation Delivery Unit"},
        "team": {"code": "N01PRO", "description": "Team N01PRO", "email": "team@N01PRO.co.uk", "telephoneNumber": "020 785 4451"},
        "officeLocations": [{"code": "N01OFF1", "description": "N01 Office",
                             "address": {"buildingNumber": "1", "streetName": "High Street", "town": "London", "postcode": "SW1A 1AA"},
                             "telephoneNumber": "020 785 4450"}],
        "unallocated": false
    })
}

#[tokio::test]
async fn scenario_6_5_1_community_responsible_has_no_prison_manager() {
    let app = TestApp::start().await;
    responsible_officers(&app).await;
    let (status, body) = get_as(
        &app,
        "/probation-case/T140223/responsible-officer",
        CRS_REFERRAL_ROLE,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"communityManager": community_manager(true)}));
}

#[tokio::test]
async fn scenario_6_5_1_community_not_responsible_adds_the_prison_manager() {
    let app = TestApp::start().await;
    responsible_officers(&app).await;
    let (status, body) = get_as(
        &app,
        "/probation-case/T140224/responsible-officer",
        CRS_REFERRAL_ROLE,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({
            "communityManager": community_manager(false),
            "prisonManager": {
                "code": "N03POMF",
                "name": {"forename": "Future", "surname": "POM"},
                "email": "manager@prison.gov.uk",
                "responsibleOfficer": true,
                "pdu": {"code": "N03PDU", "description": "N03 Probation Delivery Unit"},
                "team": {"code": "N03POM", "description": "Team N03POM"},
                "unallocated": false
            }
        })
    );
}

#[tokio::test]
async fn scenario_6_5_2_no_community_manager_or_person_is_404() {
    let app = TestApp::start().await;
    responsible_officers(&app).await;
    for crn in ["InvalidCrn", "T140225"] {
        let (status, body) = get_as(
            &app,
            &format!("/probation-case/{crn}/responsible-officer"),
            CRS_REFERRAL_ROLE,
        )
        .await;
        assert_eq!(
            (status, body),
            (
                StatusCode::NOT_FOUND,
                json!({"status": 404, "message": format!("Person with crn of {crn} not found")})
            ),
            "{crn}"
        );
    }
}

#[tokio::test]
async fn spec_2_4_staff_without_a_directory_entry_has_no_email_or_telephone() {
    let app = TestApp::start().await;
    responsible_officers(&app).await;
    let mut context = app.context.clone();
    context.directory = std::sync::Arc::new(delius_ldap::StaticDirectory::default());
    let token = app.auth.token().roles([CRS_REFERRAL_ROLE]).bearer();
    let request = http::Request::builder()
        .uri("/probation-case/T140223/responsible-officer")
        .header(http::header::AUTHORIZATION, token)
        .body(axum::body::Body::empty())
        .expect("request");
    let response = tower::ServiceExt::oneshot(app.api_with(context), request)
        .await
        .expect("response");
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    let body: Value = serde_json::from_slice(&bytes).expect("json");
    let mut expected = community_manager(true);
    let manager = expected.as_object_mut().expect("object");
    manager.remove("email");
    manager.remove("telephoneNumber");
    assert_eq!(body, json!({"communityManager": expected}));
}

#[tokio::test]
async fn scenario_6_6_5_to_8_user_details_by_name_or_user_id_and_404_with_an_empty_body() {
    let app = TestApp::start().await;
    let expected = json!({"username": "john-smith", "name": {"forename": "John", "surname": "Smith"}, "email": "john.smith@moj.gov.uk"});
    for username in ["john-smith", "10"] {
        let (status, body) = get_as(
            &app,
            &format!("/users/{username}/details"),
            CASE_DETAIL_RW_ROLE,
        )
        .await;
        assert_eq!(
            (status, body),
            (StatusCode::OK, expected.clone()),
            "{username}"
        );
    }
    for username in ["non-existent-user", "829185656291"] {
        let (status, body) = get_as(
            &app,
            &format!("/users/{username}/details"),
            CRS_REFERRAL_ROLE,
        )
        .await;
        assert_eq!(
            (status, body),
            (StatusCode::NOT_FOUND, Value::Null),
            "{username}"
        );
    }
    assert_eq!(
        get_as(&app, "/users/john-smith/details", "ROLE_OTHER")
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get_as(
            &app,
            "/probation-case/T140223/responsible-officer",
            CASE_DETAIL_RW_ROLE
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
}
