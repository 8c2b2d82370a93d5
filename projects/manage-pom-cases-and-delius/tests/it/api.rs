//! The probation record API (spec 2; section 5 scenarios 1-4; rule 10) through the service's
//! router: real PostgreSQL with the seed people, tokens from the fake HMPPS Auth, the seeded LDAP
//! entries. Extra people use ids 930300-930399 and are inserted by the test that needs them.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use axum::body::Body;
use axum::response::Response;
use axum::Router;
use chrono::NaiveDate;
use delius_data::DbPool;
use delius_ldap::{Directory, DirectoryError, DirectoryUser};
use diesel_async::SimpleAsyncConnection;
use http::header::{ALLOW, AUTHORIZATION, CONTENT_TYPE};
use http::{Method, Request, StatusCode};
use manage_pom_cases_and_delius::api::identifier::Identifier;
use manage_pom_cases_and_delius::api::mappa::MappaDetail;
use manage_pom_cases_and_delius::api::probation_record::{
    LocalDeliveryUnit, Manager, Name, ProbationRecord, Resourcing, Team,
};
use manage_pom_cases_and_delius::api::rosh::{Rosh, RoshLevel};
use manage_pom_cases_and_delius::api::{self, ApiState, CASE_DETAIL_ROLE};
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::harness::TestApp;

const ADMIN_ROLE: &str = "ROLE_PROBATION_INTEGRATION_ADMIN";

// Reference data (delius-data reference-data migration).
const MAPP: i64 = 101;
const DASO: i64 = 102;
const INVI: i64 = 103;
const RHRH: i64 = 104;
const RMRH: i64 = 105;
const RVH: i64 = 106;
const LEVEL_M0: i64 = 12401;
const LEVEL_M1: i64 = 12402;
const LEVEL_M3: i64 = 12404;
const CATEGORY_X9: i64 = 12501;
const CATEGORY_M4: i64 = 12505;
const DECISION_R: i64 = 12701;
const DECISION_A: i64 = 12702;
/// N03DEF0 "Default Staff" in team N03DEF, whose Delius user `DefaultStaff` has an LDAP e-mail.
const DEFAULT_STAFF: i64 = 1031;
const TEAM_N03DEF: i64 = 1031;
/// The seed's DEFAULT person (T123456 / A0123BY) and NO_MAPPA person (X123456 / A1024BX).
const DEFAULT_PERSON: i64 = 930001;
const NO_MAPPA_PERSON: i64 = 930003;

/// Scenario 1's body (spec 2.1 example): the same by CRN and by NOMS number.
fn default_record() -> Value {
    json!({
        "crn": "T123456",
        "nomsId": "A0123BY",
        "currentTier": "Tier 2",
        "resourcing": "NORMAL",
        "manager": {
            "team": {
                "code": "N03DEF",
                "description": "Team N03DEF",
                "localDeliveryUnit": {"code": "N03LDU1", "description": "LDU N03LDU1"}
            },
            "code": "N03DEF0",
            "name": {"forename": "Default", "surname": "Staff"},
            "email": "default.staff@moj.gov.uk"
        },
        "mappaLevel": 2,
        "vloAssigned": false
    })
}

// ---- requests ----------------------------------------------------------------------------

async fn request(
    router: Router,
    method: Method,
    path: &str,
    authorization: Option<String>,
) -> Response {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(value) = authorization {
        request = request.header(AUTHORIZATION, value);
    }
    router
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("response")
}

/// The body as JSON; `Value::Null` when it is not JSON (e.g. axum's plain-text rejections).
async fn json_body(response: Response) -> Value {
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    serde_json::from_slice(&bytes).unwrap_or(Value::Null)
}

async fn send(router: Router, path: &str, authorization: Option<String>) -> (StatusCode, Value) {
    let response = request(router, Method::GET, path, authorization).await;
    (response.status(), json_body(response).await)
}

/// GET with a token carrying the case detail role.
async fn get(app: &TestApp, path: &str) -> (StatusCode, Value) {
    let token = app.auth.token().roles([CASE_DETAIL_ROLE]).bearer();
    send(app.api(), path, Some(token)).await
}

async fn get_ok(app: &TestApp, path: &str) -> Value {
    let (status, body) = get(app, path).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    body
}

fn error(status: u16, message: &str) -> Value {
    json!({"status": status, "message": message})
}

// ---- data --------------------------------------------------------------------------------

async fn sql(app: &TestApp, statements: &str) {
    app.conn()
        .await
        .batch_execute(statements)
        .await
        .unwrap_or_else(|e| panic!("{e}: {statements}"));
}

fn opt(value: Option<&str>) -> String {
    value.map_or("NULL".into(), |v| format!("'{v}'"))
}

fn opt_id(value: Option<i64>) -> String {
    value.map_or("NULL".into(), |v| v.to_string())
}

async fn add_person(app: &TestApp, id: i64, crn: &str, noms: Option<&str>, soft_deleted: i16) {
    sql(app, &format!(
        "INSERT INTO offender (offender_id, crn, noms_number, first_name, surname, soft_deleted, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
         VALUES ({id}, '{crn}', {}, 'Api', 'Person', {soft_deleted}, 1, 1, now(), now())",
        opt(noms)
    ))
    .await;
}

async fn add_staff(app: &TestApp, id: i64, code: &str, forename: &str, forename2: Option<&str>) {
    sql(
        app,
        &format!(
        "INSERT INTO staff (staff_id, officer_code, forename, forename2, surname, probation_area_id)
         VALUES ({id}, '{code}', '{forename}', {}, 'Manager', 103)",
        opt(forename2)
    ),
    )
    .await;
}

async fn add_user(app: &TestApp, id: i64, username: &str, staff_id: i64) {
    sql(app, &format!(
        "INSERT INTO user_ (user_id, distinguished_name, staff_id) VALUES ({id}, '{username}', {staff_id})"
    ))
    .await;
}

async fn add_team(app: &TestApp, id: i64, code: &str, district: Option<i64>) {
    sql(
        app,
        &format!(
            "INSERT INTO team (team_id, code, description, probation_area_id, district_id)
         VALUES ({id}, '{code}', 'Team {code}', 103, {})",
            opt_id(district)
        ),
    )
    .await;
}

async fn add_manager(app: &TestApp, id: i64, person: i64, staff: i64, team: i64, active: i16) {
    sql(app, &format!(
        "INSERT INTO offender_manager (offender_manager_id, offender_id, allocation_staff_id, team_id, probation_area_id, allocation_date, active_flag, soft_deleted)
         VALUES ({id}, {person}, {staff}, {team}, 103, TIMESTAMP '2024-01-01 00:00:00', {active}, 0)"
    ))
    .await;
}

/// An active manager in N03DEF allocated on `date` (`YYYY-MM-DD`).
async fn add_active_manager_allocated_on(
    app: &TestApp,
    id: i64,
    person: i64,
    staff: i64,
    date: &str,
) {
    sql(app, &format!(
        "INSERT INTO offender_manager (offender_manager_id, offender_id, allocation_staff_id, team_id, probation_area_id, allocation_date, active_flag, soft_deleted)
         VALUES ({id}, {person}, {staff}, {TEAM_N03DEF}, 103, TIMESTAMP '{date} 00:00:00', 1, 0)"
    ))
    .await;
}

/// A live person (`crn`, `noms`) managed by Default Staff in N03DEF, with nothing else.
async fn add_managed_person(app: &TestApp, id: i64, crn: &str, noms: &str) {
    add_person(app, id, crn, Some(noms), 0).await;
    add_manager(app, id, id, DEFAULT_STAFF, TEAM_N03DEF, 1).await;
}

struct Registration {
    id: i64,
    person: i64,
    register_type: i64,
    level: Option<i64>,
    category: Option<i64>,
    date: &'static str,
    review: Option<&'static str>,
    deregistered: i16,
    soft_deleted: i16,
}

impl Registration {
    fn new(id: i64, person: i64, register_type: i64, date: &'static str) -> Self {
        Self {
            id,
            person,
            register_type,
            level: None,
            category: None,
            date,
            review: None,
            deregistered: 0,
            soft_deleted: 0,
        }
    }

    fn level(self, level: i64) -> Self {
        Self {
            level: Some(level),
            ..self
        }
    }

    fn category(self, category: i64) -> Self {
        Self {
            category: Some(category),
            ..self
        }
    }

    fn review(self, review: &'static str) -> Self {
        Self {
            review: Some(review),
            ..self
        }
    }

    fn deregistered(self) -> Self {
        Self {
            deregistered: 1,
            ..self
        }
    }

    fn soft_deleted(self) -> Self {
        Self {
            soft_deleted: 1,
            ..self
        }
    }

    async fn insert(self, app: &TestApp) {
        sql(app, &format!(
            "INSERT INTO registration (registration_id, offender_id, register_type_id, register_level_id, register_category_id, registration_date, next_review_date, deregistered, soft_deleted)
             VALUES ({}, {}, {}, {}, {}, DATE '{}', {}, {}, {})",
            self.id,
            self.person,
            self.register_type,
            opt_id(self.level),
            opt_id(self.category),
            self.date,
            self.review.map_or("NULL".into(), |d| format!("DATE '{d}'")),
            self.deregistered,
            self.soft_deleted
        ))
        .await;
    }
}

/// An event with one disposal (both ids `id`), and a case allocation decision on it.
struct Decision {
    id: i64,
    person: i64,
    decision: Option<i64>,
    date: Option<&'static str>,
    event_active: i16,
    event_deleted: i16,
    disposal_active: i16,
    disposal_deleted: i16,
}

impl Decision {
    fn new(id: i64, person: i64, decision: i64, date: &'static str) -> Self {
        Self {
            id,
            person,
            decision: Some(decision),
            date: Some(date),
            event_active: 1,
            event_deleted: 0,
            disposal_active: 1,
            disposal_deleted: 0,
        }
    }

    async fn insert(self, app: &TestApp) {
        let id = self.id;
        sql(app, &format!(
            "INSERT INTO event (event_id, offender_id, event_number, active_flag, soft_deleted, row_version)
             VALUES ({id}, {}, '{id}', {}, {}, 0);
             INSERT INTO disposal (disposal_id, event_id, disposal_type_id, disposal_date, active_flag, soft_deleted)
             VALUES ({id}, {id}, 101, DATE '2020-01-01', {}, {});
             INSERT INTO case_allocation (case_allocation_id, offender_id, event_id, allocation_decision_id, allocation_decision_date)
             VALUES ({id}, {}, {id}, {}, {})",
            self.person,
            self.event_active,
            self.event_deleted,
            self.disposal_active,
            self.disposal_deleted,
            self.person,
            opt_id(self.decision),
            self.date.map_or("NULL".into(), |d| format!("TIMESTAMP '{d}'")),
        ))
        .await;
    }
}

/// A directory that is down.
struct UnavailableDirectory;

#[async_trait]
impl Directory for UnavailableDirectory {
    async fn find_user(&self, _: &str) -> Result<Option<DirectoryUser>, DirectoryError> {
        Err(DirectoryError::Unavailable("connection refused".into()))
    }
}

/// A slow directory: it answers only once it can check a connection out of `pool`. Given the
/// API's own pool of one connection, an e-mail in the answer proves the API handed its
/// connection back before it waited on the directory alone.
struct WaitsForAFreeConnection {
    pool: DbPool,
}

#[async_trait]
impl Directory for WaitsForAFreeConnection {
    async fn find_user(&self, username: &str) -> Result<Option<DirectoryUser>, DirectoryError> {
        let _connection = self.pool.get().await.map_err(|e| {
            DirectoryError::Unavailable(format!("the API still holds the connection: {e}"))
        })?;
        Ok(Some(DirectoryUser {
            username: username.to_owned(),
            forename: None,
            surname: None,
            email: Some("after.release@moj.gov.uk".into()),
            telephone: None,
        }))
    }
}

// ---- section 5 scenarios -----------------------------------------------------------------

#[tokio::test]
async fn scenario_1_case_record_by_crn_is_the_default_person_field_by_field() {
    let app = TestApp::start().await;
    assert_eq!(
        get_ok(&app, "/case-records/T123456").await,
        default_record()
    );
}

#[tokio::test]
async fn scenario_1_case_record_by_noms_number_is_the_same_body() {
    let app = TestApp::start().await;
    assert_eq!(
        get_ok(&app, "/case-records/A0123BY").await,
        default_record()
    );
}

#[tokio::test]
async fn scenario_2_mappa_detail_of_the_default_person_is_level_2() {
    let app = TestApp::start().await;
    assert_eq!(
        get_ok(&app, "/case-records/T123456/risks/mappa").await,
        json!({
            "level": 2,
            "levelDescription": "MAPPA Level 2",
            "category": 2,
            "categoryDescription": "MAPPA Category 2",
            "startDate": "2023-01-01",
            "reviewDate": "2023-07-01"
        })
    );
}

#[tokio::test]
async fn scenario_3_person_without_mappa_is_404_mappa_detail_not_found() {
    let app = TestApp::start().await;
    assert_eq!(
        get(&app, "/case-records/X123456/risks/mappa").await,
        (
            StatusCode::NOT_FOUND,
            error(404, "MappaDetail with crn of X123456 not found")
        )
    );
}

#[tokio::test]
async fn scenario_4_unknown_person_mappa_is_404_person_not_found() {
    let app = TestApp::start().await;
    assert_eq!(
        get(&app, "/case-records/W123456/risks/mappa").await,
        (
            StatusCode::NOT_FOUND,
            error(404, "Person with crn of W123456 not found")
        )
    );
}

// ---- 2.1 identifier and lookup -----------------------------------------------------------

#[tokio::test]
async fn spec_2_1_identifier_neither_crn_nor_noms_is_400_unrecognised_identifier_type() {
    let app = TestApp::start().await;
    for bad in [
        "t123456", "a0123BY", "A0123by", "T1234567", "T12345", "A0123BYX", "123",
    ] {
        assert_eq!(
            get(&app, &format!("/case-records/{bad}")).await,
            (
                StatusCode::BAD_REQUEST,
                error(400, "UnrecognisedIdentifierType")
            ),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn spec_2_1_unknown_crn_or_noms_is_404_person_not_found() {
    let app = TestApp::start().await;
    assert_eq!(
        get(&app, "/case-records/W123456").await,
        (
            StatusCode::NOT_FOUND,
            error(404, "Person with crn of W123456 not found")
        )
    );
    assert_eq!(
        get(&app, "/case-records/W1234AA").await,
        (
            StatusCode::NOT_FOUND,
            error(404, "Person with nomsId of W1234AA not found")
        )
    );
}

#[tokio::test]
async fn spec_2_1_soft_deleted_person_does_not_count() {
    let app = TestApp::start().await;
    add_person(&app, 930300, "D123456", Some("D1234DD"), 1).await;
    add_manager(&app, 930300, 930300, DEFAULT_STAFF, TEAM_N03DEF, 1).await;
    Registration::new(930300, 930300, MAPP, "2023-01-01")
        .level(LEVEL_M1)
        .insert(&app)
        .await;
    Registration::new(930301, 930300, RHRH, "2023-01-01")
        .insert(&app)
        .await;
    for (path, message) in [
        (
            "/case-records/D123456",
            "Person with crn of D123456 not found",
        ),
        (
            "/case-records/D1234DD",
            "Person with nomsId of D1234DD not found",
        ),
        (
            "/case-records/D123456/risks/mappa",
            "Person with crn of D123456 not found",
        ),
        (
            "/case-records/D123456/risks/rosh",
            "Person with crn of D123456 not found",
        ),
    ] {
        assert_eq!(
            get(&app, path).await,
            (StatusCode::NOT_FOUND, error(404, message)),
            "{path}"
        );
    }
}

#[tokio::test]
async fn spec_2_1_person_without_active_community_manager_is_404_community_manager_not_found() {
    let app = TestApp::start().await;
    // Only an inactive manager and a soft-deleted active one.
    add_person(&app, 930310, "M123456", Some("M1234MM"), 0).await;
    add_manager(&app, 930310, 930310, DEFAULT_STAFF, TEAM_N03DEF, 0).await;
    sql(&app, "INSERT INTO offender_manager (offender_manager_id, offender_id, allocation_staff_id, team_id, active_flag, soft_deleted)
               VALUES (930311, 930310, 1031, 1031, 1, 1)").await;
    assert_eq!(
        get(&app, "/case-records/M123456").await,
        (
            StatusCode::NOT_FOUND,
            error(404, "Community manager for crn of M123456 not found")
        )
    );
    assert_eq!(
        get(&app, "/case-records/M1234MM").await,
        (
            StatusCode::NOT_FOUND,
            error(404, "Community manager for nomsId of M1234MM not found")
        )
    );
}

#[tokio::test]
async fn spec_2_1_person_without_noms_tier_or_decision_leaves_those_fields_out() {
    let app = TestApp::start().await;
    add_person(&app, 930320, "N123456", None, 0).await;
    add_manager(&app, 930320, 930320, DEFAULT_STAFF, TEAM_N03DEF, 1).await;
    let body = get_ok(&app, "/case-records/N123456").await;
    let mut expected = default_record();
    expected["crn"] = json!("N123456");
    for absent in ["nomsId", "currentTier", "resourcing"] {
        expected.as_object_mut().map(|o| o.remove(absent));
    }
    expected["mappaLevel"] = json!(0);
    assert_eq!(body, expected);
}

// ---- 2.1 manager -------------------------------------------------------------------------

#[tokio::test]
async fn spec_2_1_unallocated_manager_has_only_the_team() {
    let app = TestApp::start().await;
    // NO_MAPPA (X123456) is managed by N03ALLU (Unallocated Staff) in N03ALL.
    assert_eq!(
        get_ok(&app, "/case-records/X123456").await,
        json!({
            "crn": "X123456",
            "nomsId": "A1024BX",
            "manager": {
                "team": {
                    "code": "N03ALL",
                    "description": "Team N03ALL",
                    "localDeliveryUnit": {"code": "N03LDU1", "description": "LDU N03LDU1"}
                }
            },
            "mappaLevel": 0,
            "vloAssigned": false
        })
    );
}

#[tokio::test]
async fn spec_2_1_team_without_district_has_no_local_delivery_unit() {
    let app = TestApp::start().await;
    add_team(&app, 930330, "N03NOD", None).await;
    add_person(&app, 930330, "L123456", Some("L1234LL"), 0).await;
    add_manager(&app, 930330, 930330, DEFAULT_STAFF, 930330, 1).await;
    let body = get_ok(&app, "/case-records/L123456").await;
    assert_eq!(
        body["manager"],
        json!({
            "team": {"code": "N03NOD", "description": "Team N03NOD"},
            "code": "N03DEF0",
            "name": {"forename": "Default", "surname": "Staff"},
            "email": "default.staff@moj.gov.uk"
        })
    );
}

#[tokio::test]
async fn spec_2_1_middle_name_is_joined_to_the_forename_and_no_ldap_entry_means_no_email() {
    let app = TestApp::start().await;
    add_staff(&app, 930340, "N03MID1", "Mary", Some("Jane")).await;
    add_user(&app, 930340, "MaryJaneManager", 930340).await; // not in the directory
    add_person(&app, 930340, "J123456", Some("J1234JJ"), 0).await;
    add_manager(&app, 930340, 930340, 930340, TEAM_N03DEF, 1).await;
    let body = get_ok(&app, "/case-records/J123456").await;
    assert_eq!(
        body["manager"],
        json!({
            "team": default_record()["manager"]["team"],
            "code": "N03MID1",
            "name": {"forename": "Mary Jane", "surname": "Manager"}
        })
    );
}

#[tokio::test]
async fn spec_2_1_staff_without_delius_user_has_no_email() {
    let app = TestApp::start().await;
    add_staff(&app, 930341, "N03NOU1", "Nobody", None).await;
    add_person(&app, 930341, "K123456", Some("K1234KK"), 0).await;
    add_manager(&app, 930341, 930341, 930341, TEAM_N03DEF, 1).await;
    let body = get_ok(&app, "/case-records/K123456").await;
    assert_eq!(
        body["manager"],
        json!({
            "team": default_record()["manager"]["team"],
            "code": "N03NOU1",
            "name": {"forename": "Nobody", "surname": "Manager"}
        })
    );
}

#[tokio::test]
async fn spec_2_1_directory_down_leaves_the_email_out_rather_than_failing() {
    let app = TestApp::start().await;
    let validator = Arc::new(auth::inbound::JwtValidator::new(
        app.auth
            .jwt_settings(auth::outbound::http_client().expect("http client")),
    ));
    let router = api::router(
        ApiState {
            pool: app.db.pool(),
            directory: Arc::new(UnavailableDirectory),
        },
        validator,
    );
    let token = app.auth.token().roles([CASE_DETAIL_ROLE]).bearer();
    let (status, body) = send(router, "/case-records/T123456", Some(token)).await;
    assert_eq!(status, StatusCode::OK);
    let mut expected = default_record();
    expected["manager"]
        .as_object_mut()
        .map(|manager| manager.remove("email"));
    assert_eq!(body, expected);
}

#[tokio::test]
async fn spec_2_1_database_connection_is_returned_before_waiting_on_the_directory() {
    let app = TestApp::start().await;
    // One connection, and checkouts give up after 3 s: were the API to hold it until the
    // directory answered, the directory would fail and the e-mail would be missing.
    let pool = delius_data::build_pool(app.db.url(), 1, Duration::from_secs(3)).expect("pool");
    let directory = Arc::new(WaitsForAFreeConnection { pool: pool.clone() });
    let token = app.auth.token().roles([CASE_DETAIL_ROLE]).bearer();
    let (status, body) = send(
        app.api_with(pool, directory),
        "/case-records/T123456",
        Some(token),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut expected = default_record();
    expected["manager"]["email"] = json!("after.release@moj.gov.uk");
    assert_eq!(body, expected);
}

#[tokio::test]
async fn no_free_database_connection_is_a_503_worth_retrying_not_a_500() {
    let app = TestApp::start().await;
    let pool = delius_data::build_pool(app.db.url(), 1, Duration::from_millis(200)).expect("pool");
    let held = pool.get().await.expect("the one connection");
    let token = app.auth.token().roles([CASE_DETAIL_ROLE]).bearer();
    let response = request(
        app.api_with(pool.clone(), Arc::new(crate::harness::directory())),
        Method::GET,
        "/case-records/T123456",
        Some(token),
    )
    .await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()[http::header::RETRY_AFTER], "1");
    assert_eq!(
        json_body(response).await,
        error(503, "Service unavailable: the database is busy, try again")
    );
    drop(held);
}

#[tokio::test]
async fn spec_2_1_unallocated_manager_with_a_delius_user_and_ldap_email_still_has_only_the_team() {
    let app = TestApp::start().await;
    // NO_MAPPA (X123456) is managed by N03ALLU (staff 1032); give that staff a Delius user with
    // an e-mail in the directory: code, name and e-mail stay out all the same.
    add_user(&app, 930342, "UnallocatedStaff", 1032).await;
    let router = app.api_with_directory_users([DirectoryUser {
        username: "UnallocatedStaff".into(),
        forename: Some("Unallocated".into()),
        surname: Some("Staff".into()),
        email: Some("unallocated.staff@moj.gov.uk".into()),
        telephone: None,
    }]);
    let token = app.auth.token().roles([CASE_DETAIL_ROLE]).bearer();
    let (status, body) = send(router, "/case-records/X123456", Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["manager"],
        json!({
            "team": {
                "code": "N03ALL",
                "description": "Team N03ALL",
                "localDeliveryUnit": {"code": "N03LDU1", "description": "LDU N03LDU1"}
            }
        })
    );
}

#[tokio::test]
async fn spec_2_1_of_two_active_community_managers_the_latest_allocation_wins_then_the_highest_id()
{
    let app = TestApp::start().await;
    add_person(&app, 930343, "C123456", Some("C1234CC"), 0).await;
    add_staff(&app, 930344, "N03TWO1", "Second", None).await;
    // Default Staff allocated later, on the lower id: the allocation date decides.
    add_active_manager_allocated_on(&app, 930343, 930343, DEFAULT_STAFF, "2024-03-01").await;
    add_active_manager_allocated_on(&app, 930344, 930343, 930344, "2024-01-01").await;
    let body = get_ok(&app, "/case-records/C123456").await;
    assert_eq!(body["manager"]["code"], json!("N03DEF0"), "{body}");
    // Another allocation on the same date with a higher id: the highest id breaks the tie.
    add_active_manager_allocated_on(&app, 930345, 930343, 930344, "2024-03-01").await;
    let body = get_ok(&app, "/case-records/C123456").await;
    assert_eq!(
        body["manager"],
        json!({
            "team": default_record()["manager"]["team"],
            "code": "N03TWO1",
            "name": {"forename": "Second", "surname": "Manager"}
        })
    );
}

// ---- 2.1 resourcing ----------------------------------------------------------------------

async fn resourcing(app: &TestApp, crn: &str) -> Value {
    get_ok(app, &format!("/case-records/{crn}")).await["resourcing"].clone()
}

#[tokio::test]
async fn spec_2_1_decision_r_is_enhanced_resourcing() {
    let app = TestApp::start().await;
    add_managed_person(&app, 930350, "R123456", "R1234RR").await;
    Decision::new(930350, 930350, DECISION_R, "2024-01-01 10:00:00")
        .insert(&app)
        .await;
    assert_eq!(resourcing(&app, "R123456").await, json!("ENHANCED"));
}

#[tokio::test]
async fn spec_2_1_latest_allocation_decision_wins() {
    let app = TestApp::start().await;
    add_managed_person(&app, 930351, "R123457", "R1235RR").await;
    Decision::new(930351, 930351, DECISION_A, "2024-01-01 10:00:00")
        .insert(&app)
        .await;
    Decision::new(930352, 930351, DECISION_R, "2024-03-01 10:00:00")
        .insert(&app)
        .await;
    Decision::new(930353, 930351, DECISION_A, "2024-02-01 10:00:00")
        .insert(&app)
        .await;
    assert_eq!(resourcing(&app, "R123457").await, json!("ENHANCED"));
}

#[tokio::test]
async fn spec_2_1_decisions_on_inactive_or_deleted_events_or_disposals_or_without_date_are_ignored()
{
    let app = TestApp::start().await;
    add_managed_person(&app, 930354, "R123458", "R1236RR").await;
    Decision::new(930354, 930354, DECISION_A, "2024-01-01 10:00:00")
        .insert(&app)
        .await;
    // Each later ENHANCED decision fails one condition, so NORMAL stays the latest that counts.
    for (id, adjust) in [
        (
            930355,
            (|d: &mut Decision| d.event_active = 0) as fn(&mut Decision),
        ),
        (930356, |d| d.event_deleted = 1),
        (930357, |d| d.disposal_active = 0),
        (930358, |d| d.disposal_deleted = 1),
        (930359, |d| d.date = None),
    ] {
        let mut decision = Decision::new(id, 930354, DECISION_R, "2024-06-01 10:00:00");
        adjust(&mut decision);
        decision.insert(&app).await;
    }
    // A case allocation without a decision does not count either.
    let mut undecided = Decision::new(930360, 930354, DECISION_R, "2024-07-01 10:00:00");
    undecided.decision = None;
    undecided.insert(&app).await;
    assert_eq!(resourcing(&app, "R123458").await, json!("NORMAL"));
}

#[tokio::test]
async fn spec_2_1_no_decision_or_another_decision_code_leaves_resourcing_out() {
    let app = TestApp::start().await;
    add_managed_person(&app, 930361, "R123459", "R1237RR").await;
    let body = get_ok(&app, "/case-records/R123459").await;
    assert!(body.get("resourcing").is_none(), "{body}");
    // The latest decision has a code that is neither R nor A (tier 10101 stands in for one).
    Decision::new(930361, 930361, DECISION_A, "2024-01-01 10:00:00")
        .insert(&app)
        .await;
    Decision::new(930362, 930361, 10101, "2024-02-01 10:00:00")
        .insert(&app)
        .await;
    let body = get_ok(&app, "/case-records/R123459").await;
    assert!(body.get("resourcing").is_none(), "{body}");
}

#[tokio::test]
async fn spec_2_1_decisions_on_the_same_date_the_highest_id_wins() {
    let app = TestApp::start().await;
    add_managed_person(&app, 930363, "R123460", "R1238RR").await;
    // The higher id goes in first, so neither insertion order nor the decision code decides.
    Decision::new(930364, 930363, DECISION_R, "2024-01-01 10:00:00")
        .insert(&app)
        .await;
    Decision::new(930363, 930363, DECISION_A, "2024-01-01 10:00:00")
        .insert(&app)
        .await;
    assert_eq!(resourcing(&app, "R123460").await, json!("ENHANCED"));
}

// ---- 2.1 MAPPA level and VLO -------------------------------------------------------------

#[tokio::test]
async fn spec_2_1_latest_live_mappa_registration_with_a_level_gives_mappa_level() {
    let app = TestApp::start().await;
    // DEFAULT has M2 from 2023-01-01. Later: M3 deregistered, M1 soft-deleted, one without a
    // level, and a non-MAPPA registration with level M3: none of them count.
    Registration::new(930370, DEFAULT_PERSON, MAPP, "2024-01-01")
        .level(LEVEL_M3)
        .deregistered()
        .insert(&app)
        .await;
    Registration::new(930371, DEFAULT_PERSON, MAPP, "2024-02-01")
        .level(LEVEL_M1)
        .soft_deleted()
        .insert(&app)
        .await;
    Registration::new(930372, DEFAULT_PERSON, MAPP, "2024-03-01")
        .insert(&app)
        .await;
    Registration::new(930373, DEFAULT_PERSON, DASO, "2024-04-01")
        .level(LEVEL_M3)
        .deregistered()
        .insert(&app)
        .await;
    assert_eq!(
        get_ok(&app, "/case-records/T123456").await,
        default_record()
    );
    // An older M3 does not count either; a newer M1 does.
    Registration::new(930374, DEFAULT_PERSON, MAPP, "2022-01-01")
        .level(LEVEL_M3)
        .insert(&app)
        .await;
    Registration::new(930375, DEFAULT_PERSON, MAPP, "2023-06-01")
        .level(LEVEL_M1)
        .insert(&app)
        .await;
    assert_eq!(
        get_ok(&app, "/case-records/T123456").await["mappaLevel"],
        json!(1)
    );
    // M0 is level 0.
    Registration::new(930376, DEFAULT_PERSON, MAPP, "2023-07-01")
        .level(LEVEL_M0)
        .insert(&app)
        .await;
    assert_eq!(
        get_ok(&app, "/case-records/T123456").await["mappaLevel"],
        json!(0)
    );
}

async fn vlo_assigned(app: &TestApp, crn: &str) -> Value {
    get_ok(app, &format!("/case-records/{crn}")).await["vloAssigned"].clone()
}

#[tokio::test]
async fn spec_2_1_vlo_assigned_by_a_live_daso_or_invi_registration() {
    let app = TestApp::start().await;
    // Deregistered and soft-deleted ones do not count.
    Registration::new(930380, NO_MAPPA_PERSON, DASO, "2023-01-01")
        .deregistered()
        .insert(&app)
        .await;
    Registration::new(930381, NO_MAPPA_PERSON, INVI, "2023-01-01")
        .soft_deleted()
        .insert(&app)
        .await;
    Registration::new(930382, NO_MAPPA_PERSON, RHRH, "2023-01-01")
        .insert(&app)
        .await;
    assert_eq!(vlo_assigned(&app, "X123456").await, json!(false));
    Registration::new(930383, NO_MAPPA_PERSON, INVI, "2023-01-01")
        .insert(&app)
        .await;
    assert_eq!(vlo_assigned(&app, "X123456").await, json!(true));
    add_managed_person(&app, 930384, "V123456", "V1234VV").await;
    Registration::new(930384, 930384, DASO, "2023-01-01")
        .insert(&app)
        .await;
    assert_eq!(vlo_assigned(&app, "V123456").await, json!(true));
}

#[tokio::test]
async fn spec_2_1_and_2_2_only_mappa_registrations_give_the_mappa_level_and_detail() {
    let app = TestApp::start().await;
    // DEFAULT's M2 MAPPA registration is from 2023-01-01. Newer live registrations of other
    // types carry a level (and a category): they must not be taken for MAPPA.
    Registration::new(930377, DEFAULT_PERSON, DASO, "2024-01-01")
        .level(LEVEL_M3)
        .category(CATEGORY_M4)
        .insert(&app)
        .await;
    Registration::new(930378, DEFAULT_PERSON, RHRH, "2024-02-01")
        .level(LEVEL_M1)
        .insert(&app)
        .await;
    let record = get_ok(&app, "/case-records/T123456").await;
    assert_eq!(record["mappaLevel"], json!(2), "{record}");
    assert_eq!(
        get_ok(&app, "/case-records/T123456/risks/mappa").await,
        json!({
            "level": 2,
            "levelDescription": "MAPPA Level 2",
            "category": 2,
            "categoryDescription": "MAPPA Category 2",
            "startDate": "2023-01-01",
            "reviewDate": "2023-07-01"
        })
    );
}

#[tokio::test]
async fn spec_2_1_and_2_2_mappa_registrations_on_the_same_date_the_highest_id_wins() {
    let app = TestApp::start().await;
    // The higher id goes in first and has the lower level.
    Registration::new(930379, NO_MAPPA_PERSON, MAPP, "2024-01-01")
        .level(LEVEL_M1)
        .insert(&app)
        .await;
    Registration::new(930378, NO_MAPPA_PERSON, MAPP, "2024-01-01")
        .level(LEVEL_M3)
        .insert(&app)
        .await;
    let record = get_ok(&app, "/case-records/X123456").await;
    assert_eq!(record["mappaLevel"], json!(1), "{record}");
    assert_eq!(
        get_ok(&app, "/case-records/X123456/risks/mappa").await,
        json!({"level": 1, "levelDescription": "MAPPA Level 1", "startDate": "2024-01-01"})
    );
}

// ---- 2.2 MAPPA detail --------------------------------------------------------------------

#[tokio::test]
async fn spec_2_2_latest_live_mappa_registration_with_a_level_wins() {
    let app = TestApp::start().await;
    Registration::new(930385, DEFAULT_PERSON, MAPP, "2024-01-01")
        .level(LEVEL_M3)
        .category(CATEGORY_M4)
        .review("2024-06-30")
        .insert(&app)
        .await;
    Registration::new(930386, DEFAULT_PERSON, MAPP, "2024-02-01")
        .category(CATEGORY_X9)
        .insert(&app)
        .await; // no level: ignored
    Registration::new(930387, DEFAULT_PERSON, MAPP, "2024-03-01")
        .level(LEVEL_M1)
        .deregistered()
        .insert(&app)
        .await;
    assert_eq!(
        get_ok(&app, "/case-records/T123456/risks/mappa").await,
        json!({
            "level": 3,
            "levelDescription": "MAPPA Level 3",
            "category": 4,
            "categoryDescription": "MAPPA Category 4",
            "startDate": "2024-01-01",
            "reviewDate": "2024-06-30"
        })
    );
}

#[tokio::test]
async fn spec_2_2_category_x9_is_0_and_missing_category_and_review_date_are_left_out() {
    let app = TestApp::start().await;
    Registration::new(930388, NO_MAPPA_PERSON, MAPP, "2024-01-01")
        .level(LEVEL_M1)
        .category(CATEGORY_X9)
        .insert(&app)
        .await;
    assert_eq!(
        get_ok(&app, "/case-records/X123456/risks/mappa").await,
        json!({
            "level": 1,
            "levelDescription": "MAPPA Level 1",
            "category": 0,
            "categoryDescription": "MAPPA Category 0",
            "startDate": "2024-01-01"
        })
    );
    Registration::new(930389, NO_MAPPA_PERSON, MAPP, "2024-02-01")
        .level(LEVEL_M0)
        .insert(&app)
        .await;
    assert_eq!(
        get_ok(&app, "/case-records/X123456/risks/mappa").await,
        json!({"level": 0, "levelDescription": "MAPPA Level 0", "startDate": "2024-02-01"})
    );
}

#[tokio::test]
async fn spec_2_2_mappa_path_is_taken_as_a_crn_whatever_its_format() {
    let app = TestApp::start().await;
    assert_eq!(
        get(&app, "/case-records/A0123BY/risks/mappa").await,
        (
            StatusCode::NOT_FOUND,
            error(404, "Person with crn of A0123BY not found")
        )
    );
}

// ---- 2.3 RoSH ----------------------------------------------------------------------------

async fn rosh(app: &TestApp, crn: &str) -> (StatusCode, Value) {
    get(app, &format!("/case-records/{crn}/risks/rosh")).await
}

#[tokio::test]
async fn spec_2_3_rosh_register_types_give_high_medium_and_rvh_gives_low() {
    let app = TestApp::start().await;
    for (id, crn, noms, register_type, level) in [
        (930390, "S123451", "S1231SS", RHRH, "HIGH"),
        (930391, "S123452", "S1232SS", RMRH, "MEDIUM"),
        (930392, "S123453", "S1233SS", RVH, "LOW"),
    ] {
        add_managed_person(&app, id, crn, noms).await;
        Registration::new(id, id, register_type, "2024-05-06")
            .insert(&app)
            .await;
        assert_eq!(
            rosh(&app, crn).await,
            (
                StatusCode::OK,
                json!({"startDate": "2024-05-06", "level": level})
            ),
            "{crn}"
        );
    }
}

#[tokio::test]
async fn spec_2_3_latest_live_rosh_registration_wins_and_other_registrations_are_ignored() {
    let app = TestApp::start().await;
    // DEFAULT also has its M2 MAPPA registration: not a RoSH one.
    Registration::new(930393, DEFAULT_PERSON, RMRH, "2024-01-01")
        .insert(&app)
        .await;
    Registration::new(930394, DEFAULT_PERSON, RHRH, "2024-03-01")
        .insert(&app)
        .await;
    Registration::new(930395, DEFAULT_PERSON, RVH, "2024-02-01")
        .insert(&app)
        .await;
    Registration::new(930396, DEFAULT_PERSON, RVH, "2024-04-01")
        .deregistered()
        .insert(&app)
        .await;
    Registration::new(930397, DEFAULT_PERSON, RMRH, "2024-05-01")
        .soft_deleted()
        .insert(&app)
        .await;
    Registration::new(930398, DEFAULT_PERSON, DASO, "2024-06-01")
        .insert(&app)
        .await;
    assert_eq!(
        rosh(&app, "T123456").await,
        (
            StatusCode::OK,
            json!({"startDate": "2024-03-01", "level": "HIGH"})
        )
    );
}

#[tokio::test]
async fn spec_2_3_rosh_registrations_on_the_same_date_the_highest_id_wins() {
    let app = TestApp::start().await;
    Registration::new(930394, DEFAULT_PERSON, RMRH, "2024-01-01")
        .insert(&app)
        .await;
    Registration::new(930393, DEFAULT_PERSON, RHRH, "2024-01-01")
        .insert(&app)
        .await;
    assert_eq!(
        rosh(&app, "T123456").await,
        (
            StatusCode::OK,
            json!({"startDate": "2024-01-01", "level": "MEDIUM"})
        )
    );
}

#[tokio::test]
async fn spec_2_3_rosh_register_type_without_a_level_is_a_500_with_the_generic_message() {
    let app = TestApp::start().await;
    // A register type flagged RoSH (12601) whose code has no RoSH level, registered last.
    sql(
        &app,
        "INSERT INTO r_register_type (register_type_id, code, register_type_flag_id)
         VALUES (930390, 'RLRH', 12601)",
    )
    .await;
    Registration::new(930391, DEFAULT_PERSON, RHRH, "2024-01-01")
        .insert(&app)
        .await;
    Registration::new(930392, DEFAULT_PERSON, 930390, "2024-02-01")
        .insert(&app)
        .await;
    assert_eq!(
        rosh(&app, "T123456").await,
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            error(500, "Internal server error")
        )
    );
}

#[tokio::test]
async fn rule_10_missing_rosh_is_a_404_not_the_reference_500() {
    let app = TestApp::start().await;
    // DEFAULT has only MAPPA; W123456 does not exist.
    assert_eq!(
        rosh(&app, "T123456").await,
        (
            StatusCode::NOT_FOUND,
            error(404, "RoSH registration with crn of T123456 not found")
        )
    );
    assert_eq!(
        rosh(&app, "W123456").await,
        (
            StatusCode::NOT_FOUND,
            error(404, "Person with crn of W123456 not found")
        )
    );
}

// ---- auth (spec 2, platform 2.1) ---------------------------------------------------------

#[tokio::test]
async fn spec_2_every_endpoint_needs_the_case_detail_role() {
    let app = TestApp::start().await;
    Registration::new(930399, DEFAULT_PERSON, RHRH, "2024-01-01")
        .insert(&app)
        .await;
    let token = || app.auth.token();
    for path in [
        "/case-records/T123456",
        "/case-records/A0123BY",
        "/case-records/T123456/risks/mappa",
        "/case-records/T123456/risks/rosh",
    ] {
        let cases: [(&str, Option<String>, StatusCode, Value); 9] = [
            (
                "no token",
                None,
                StatusCode::UNAUTHORIZED,
                error(401, "Authentication required"),
            ),
            (
                "not a bearer token",
                Some("Basic abc".into()),
                StatusCode::UNAUTHORIZED,
                error(401, "Invalid token"),
            ),
            (
                "not a JWT",
                Some("Bearer not-a-jwt".into()),
                StatusCode::UNAUTHORIZED,
                error(401, "Invalid token"),
            ),
            (
                "expired",
                Some(token().roles([CASE_DETAIL_ROLE]).expired().bearer()),
                StatusCode::UNAUTHORIZED,
                error(401, "Token expired"),
            ),
            (
                "other signing key",
                Some(
                    token()
                        .roles([CASE_DETAIL_ROLE])
                        .signed_with_other_key()
                        .bearer(),
                ),
                StatusCode::UNAUTHORIZED,
                error(401, "Invalid token"),
            ),
            (
                "no roles",
                Some(token().bearer()),
                StatusCode::FORBIDDEN,
                error(403, "Access denied"),
            ),
            (
                "another role",
                Some(token().roles(["ROLE_SOMETHING_ELSE"]).bearer()),
                StatusCode::FORBIDDEN,
                error(403, "Access denied"),
            ),
            (
                "case detail role",
                Some(token().roles([CASE_DETAIL_ROLE]).bearer()),
                StatusCode::OK,
                Value::Null,
            ),
            (
                "admin role",
                Some(token().roles([ADMIN_ROLE]).bearer()),
                StatusCode::OK,
                Value::Null,
            ),
        ];
        for (case, authorization, status, body) in cases {
            let (actual_status, actual_body) = send(app.api(), path, authorization).await;
            assert_eq!(actual_status, status, "{path} {case}: {actual_body}");
            if status != StatusCode::OK {
                assert_eq!(actual_body, body, "{path} {case}");
            }
        }
    }
}

#[tokio::test]
async fn spec_2_another_method_needs_the_role_too_then_is_405() {
    let app = TestApp::start().await;
    let token = || app.auth.token();
    for path in [
        "/case-records/T123456",
        "/case-records/T123456/risks/mappa",
        "/case-records/T123456/risks/rosh",
    ] {
        for method in [Method::POST, Method::PUT, Method::DELETE] {
            let cases = [
                (
                    None,
                    StatusCode::UNAUTHORIZED,
                    error(401, "Authentication required"),
                ),
                (
                    Some(token().roles(["ROLE_SOMETHING_ELSE"]).bearer()),
                    StatusCode::FORBIDDEN,
                    error(403, "Access denied"),
                ),
                (
                    Some(token().roles([CASE_DETAIL_ROLE]).bearer()),
                    StatusCode::METHOD_NOT_ALLOWED,
                    error(405, "Method not allowed"),
                ),
            ];
            for (authorization, status, body) in cases {
                let response = request(app.api(), method.clone(), path, authorization).await;
                assert_eq!(response.status(), status, "{method} {path}");
                if status == StatusCode::METHOD_NOT_ALLOWED {
                    assert_eq!(
                        response.headers().get(ALLOW).map(|v| v.as_bytes()),
                        Some(&b"GET,HEAD"[..]),
                        "{method} {path}"
                    );
                }
                assert_eq!(json_body(response).await, body, "{method} {path}");
            }
        }
    }
}

#[tokio::test]
async fn spec_2_unknown_paths_are_a_json_404_not_401() {
    let app = TestApp::start().await;
    let with_role = || Some(app.auth.token().roles([CASE_DETAIL_ROLE]).bearer());
    for path in [
        "/case-records",
        "/case-records/",
        "/case-records/T123456/risks/other",
        "/case-records/T123456/other",
    ] {
        for authorization in [None, with_role()] {
            assert_eq!(
                send(app.api(), path, authorization).await,
                (StatusCode::NOT_FOUND, error(404, "Not found")),
                "{path}"
            );
        }
    }
}

#[tokio::test]
async fn spec_2_path_that_is_not_percent_encoded_utf8_is_a_json_400() {
    let app = TestApp::start().await;
    for (path, parameter) in [
        ("/case-records/%FF", "identifier"),
        ("/case-records/%FF/risks/mappa", "crn"),
        ("/case-records/T12345%FF/risks/rosh", "crn"),
    ] {
        assert_eq!(
            get(&app, path).await,
            (
                StatusCode::BAD_REQUEST,
                error(400, &format!("Invalid URL: Invalid UTF-8 in `{parameter}`"))
            ),
            "{path}"
        );
    }
}

// ---- OpenAPI -----------------------------------------------------------------------------

#[tokio::test]
async fn spec_2_openapi_document_and_page_are_public() {
    let app = TestApp::start().await;
    let response = app
        .api()
        .oneshot(
            Request::get("/v3/api-docs")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers().get(CONTENT_TYPE).map(|v| v.as_bytes()),
        Some(&b"application/json"[..])
    );
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    let document: Value = serde_json::from_slice(&bytes).expect("JSON document");
    let paths: Vec<&String> = document["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .collect();
    assert_eq!(
        paths,
        [
            "/case-records/{crn}/risks/mappa",
            "/case-records/{crn}/risks/rosh",
            "/case-records/{identifier}"
        ]
    );
    for page in ["/swagger-ui", "/swagger-ui/index.html"] {
        let response = app
            .api()
            .oneshot(Request::get(page).body(Body::empty()).expect("request"))
            .await
            .expect("response");
        assert_eq!(response.status(), StatusCode::OK, "{page}");
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        assert!(String::from_utf8_lossy(&bytes).contains("/v3/api-docs"));
    }
}

/// Every field of `body` is a property of `schema` (following `$ref`s), recursively.
fn assert_documented(document: &Value, schema: &Value, body: &Value, at: &str) {
    let schema = match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/schemas/");
            &document["components"]["schemas"][name]
        }
        None => schema,
    };
    if let Some(fields) = body.as_object() {
        for (name, value) in fields {
            let property = &schema["properties"][name];
            assert!(
                !property.is_null(),
                "{at}.{name} is not in the OpenAPI document"
            );
            assert_documented(document, property, value, &format!("{at}.{name}"));
        }
    }
}

#[tokio::test]
async fn spec_2_openapi_document_describes_every_field_sent() {
    let app = TestApp::start().await;
    Registration::new(930399, DEFAULT_PERSON, RHRH, "2024-01-01")
        .insert(&app)
        .await;
    let document: Value = serde_json::from_str(api::openapi::DOCUMENT).expect("document");
    let ok = |path: &str, method: &str| {
        document["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
            .clone()
    };
    for (path, template) in [
        ("/case-records/T123456", "/case-records/{identifier}"),
        (
            "/case-records/T123456/risks/mappa",
            "/case-records/{crn}/risks/mappa",
        ),
        (
            "/case-records/T123456/risks/rosh",
            "/case-records/{crn}/risks/rosh",
        ),
    ] {
        let body = get_ok(&app, path).await;
        assert_documented(&document, &ok(template, "get"), &body, path);
    }
    let (_, error_body) = get(&app, "/case-records/W123456").await;
    assert_documented(
        &document,
        &json!({"$ref": "#/components/schemas/ErrorResponse"}),
        &error_body,
        "error",
    );
}

/// A response body of each schema the document gives a response, every optional field filled
/// in: together they hold every field the API can send.
fn fully_populated_bodies() -> [(&'static str, Value); 4] {
    let date = NaiveDate::from_ymd_opt(2024, 1, 2).expect("date");
    let record = ProbationRecord {
        crn: "T123456".into(),
        noms_id: Some("A0123BY".into()),
        current_tier: Some("Tier 2".into()),
        resourcing: Some(Resourcing::Normal),
        manager: Manager {
            team: Team {
                code: "N03DEF".into(),
                description: Some("Team N03DEF".into()),
                local_delivery_unit: Some(LocalDeliveryUnit {
                    code: "N03LDU1".into(),
                    description: Some("LDU N03LDU1".into()),
                }),
            },
            code: Some("N03DEF0".into()),
            name: Some(Name {
                forename: "Default".into(),
                surname: "Staff".into(),
            }),
            email: Some("default.staff@moj.gov.uk".into()),
        },
        mappa_level: 2,
        vlo_assigned: true,
    };
    let mappa = MappaDetail {
        level: 2,
        level_description: Some("MAPPA Level 2".into()),
        category: Some(2),
        category_description: Some("MAPPA Category 2".into()),
        start_date: date,
        review_date: Some(date),
    };
    let rosh = Rosh {
        start_date: date,
        level: RoshLevel::High,
    };
    let error = auth::ErrorResponse::new(StatusCode::NOT_FOUND, "Person with crn of X not found");
    let to_json = |value: Result<Value, serde_json::Error>| value.expect("serialisable");
    [
        ("ProbationRecord", to_json(serde_json::to_value(record))),
        ("MappaDetail", to_json(serde_json::to_value(mappa))),
        ("Rosh", to_json(serde_json::to_value(rosh))),
        ("ErrorResponse", to_json(serde_json::to_value(error))),
    ]
}

/// Every property `schema` declares (following `$ref`s) is a field of `body`, recursively.
fn assert_sendable(document: &Value, schema: &Value, body: &Value, at: &str) {
    let schema = match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/schemas/");
            &document["components"]["schemas"][name]
        }
        None => schema,
    };
    if let Some(properties) = schema["properties"].as_object() {
        for (name, property) in properties {
            let field = body.get(name);
            assert!(
                field.is_some(),
                "{at}.{name} is in the OpenAPI document but the API never sends it: {body}"
            );
            assert_sendable(
                document,
                property,
                field.unwrap_or(&Value::Null),
                &format!("{at}.{name}"),
            );
        }
    }
}

#[test]
fn spec_2_openapi_document_declares_only_properties_the_api_sends() {
    let document: Value = serde_json::from_str(api::openapi::DOCUMENT).expect("document");
    let responses: Vec<&Value> = document["paths"]
        .as_object()
        .expect("paths")
        .values()
        .flat_map(|path| {
            path["get"]["responses"]
                .as_object()
                .expect("responses")
                .values()
        })
        .collect();
    let bodies = fully_populated_bodies();
    for (name, body) in &bodies {
        let schema = json!({"$ref": format!("#/components/schemas/{name}")});
        assert_sendable(&document, &schema, body, name);
        // And the body is the one a response of that schema gets.
        assert_documented(&document, &schema, body, name);
    }
    // Every response schema the document uses is one of those checked above.
    let checked: Vec<String> = bodies
        .iter()
        .map(|(name, _)| format!("#/components/schemas/{name}"))
        .collect();
    for response in responses {
        let response = match response["$ref"].as_str() {
            Some(reference) => {
                let name = reference.trim_start_matches("#/components/responses/");
                &document["components"]["responses"][name]
            }
            None => response,
        };
        let schema = &response["content"]["application/json"]["schema"]["$ref"];
        assert!(
            schema
                .as_str()
                .is_some_and(|s| checked.iter().any(|c| c == s)),
            "response schema {schema} is not checked against the API's types"
        );
    }
    // Enumerations list exactly the values the API's enums serialise to.
    let serialised = |values: Vec<Result<Value, serde_json::Error>>| -> Vec<Value> {
        values
            .into_iter()
            .map(|v| v.expect("serialisable"))
            .collect()
    };
    let schemas = &document["components"]["schemas"];
    assert_eq!(
        schemas["ProbationRecord"]["properties"]["resourcing"]["enum"],
        Value::Array(serialised(vec![
            serde_json::to_value(Resourcing::Enhanced),
            serde_json::to_value(Resourcing::Normal),
        ]))
    );
    assert_eq!(
        schemas["Rosh"]["properties"]["level"]["enum"],
        Value::Array(serialised(vec![
            serde_json::to_value(RoshLevel::Low),
            serde_json::to_value(RoshLevel::Medium),
            serde_json::to_value(RoshLevel::High),
        ]))
    );
}

#[test]
fn spec_2_1_openapi_identifier_pattern_is_the_rule_the_api_applies() {
    let document: Value = serde_json::from_str(api::openapi::DOCUMENT).expect("document");
    let pattern = document["paths"]["/case-records/{identifier}"]["get"]["parameters"][0]["schema"]
        ["pattern"]
        .as_str()
        .expect("identifier pattern");
    let pattern = regex::Regex::new(pattern).expect("pattern compiles");
    for value in [
        "T123456", "A0123BY", "A000000", "", "t123456", "T12345", "T1234567", "a0123BY", "A0123by",
        "A0123B1", "A01234Y", "AA12345", "T12345X", "T123456 ", " T123456", "A0123BYZ", "1234567",
    ] {
        assert_eq!(
            pattern.is_match(value),
            Identifier::parse(value).is_some(),
            "{value:?}"
        );
    }
}
