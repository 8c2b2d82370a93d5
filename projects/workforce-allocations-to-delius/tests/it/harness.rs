//! One test's world: a fresh Delius database with the seed people (`dev-seed.sql`, the file
//! `make run` loads), a fake HMPPS Auth, wiremock as HMPPS Workload, and the handler behind the
//! platform consumer on an in-memory queue; plus readers of the rows the tests assert on.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use delius_data::DbConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp};
use diesel::QueryableByName;
use diesel_async::{RunQueryDsl, SimpleAsyncConnection};
use messaging::detail::{DetailFetcher, DetailUrlPolicy};
use messaging::queue::memory::Disposition;
use messaging::{Notification, Telemetry, TelemetryEvent};
use serde_json::Value;
use service_kit::Platform;
use test_support::auth::FakeHmppsAuth;
use test_support::fixtures::notification_from_file;
use test_support::messaging::{fast_config, RecordedTelemetry};
use test_support::{TestConsumer, TestDatabase};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use workforce_allocations_to_delius::{AllocationsHandler, Context};

/// `USER_.USER_ID` of `workforce-allocations-to-delius` in the reference data.
pub const SERVICE_USER_ID: i64 = 3;
/// Seed people (dev-seed.sql).
pub const X123456: i64 = 940001;
pub const T123456: i64 = 940002;
pub const T223456: i64 = 940003;
pub const X540660: i64 = 940004;
/// Seed events of X123456: DEFAULT (1), NEW (2), HISTORIC (3).
pub const DEFAULT_EVENT: i64 = 940001;
pub const NEW_EVENT: i64 = 940002;
pub const HISTORIC_EVENT: i64 = 940003;
/// X540660's event 1.
pub const X540660_EVENT: i64 = 940005;
/// Reference data: provider N02, team N02ABS, staff N02ABS1 and the SPO N02ABSX; the seed's
/// current managers are N02UATU of team N02UAT.
pub const N02: i64 = 102;
pub const N02ABS: i64 = 1021;
pub const STAFF_WITH_USER: i64 = 1021;
pub const SPO_STAFF: i64 = 1022;
pub const UNALLOCATED_STAFF: i64 = 940001;

/// The allocation date of every example detail, as Delius stores it (Europe/London).
pub fn created_date() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2022, 7, 28)
        .and_then(|d| d.and_hms_milli_opt(10, 30, 54, 23))
        .expect("date")
}

pub fn fixture(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative)
}

pub fn simulation(name: &str) -> Value {
    let text =
        std::fs::read_to_string(fixture(&format!("simulations/{name}"))).expect("simulation");
    serde_json::from_str(&text).expect("simulation JSON")
}

pub struct TestApp {
    pub consumer: TestConsumer,
    pub telemetry: Telemetry,
    /// HMPPS Workload.
    pub workload: MockServer,
    /// Kept alive for the token endpoint the fetcher calls.
    _auth: FakeHmppsAuth,
    pub db: TestDatabase,
}

impl TestApp {
    pub async fn start() -> Self {
        Self::start_with_flag(false).await
    }

    /// With feature flag `produce-spod03-contact` set as given.
    pub async fn start_with_flag(produce_spod03_contact: bool) -> Self {
        let db = TestDatabase::new().await.expect("test database");
        db.conn()
            .await
            .expect("conn")
            .batch_execute(include_str!("../../dev-seed.sql"))
            .await
            .expect("dev-seed.sql");
        let auth = FakeHmppsAuth::start().await;
        let workload = MockServer::start().await;
        let auditor = audit_iaps::Auditor::connect(db.pool(), "workforce-allocations-to-delius")
            .await
            .expect("service user");
        assert_eq!(auditor.user().id, SERVICE_USER_ID);
        let context = Context {
            pool: db.pool(),
            auditor,
            fetcher: DetailFetcher::new(
                auth.authorised_client(),
                DetailUrlPolicy::allow(&[workload.uri()]).expect("policy"),
            ),
            produce_spod03_contact,
            reference: Default::default(),
        };
        let telemetry = Telemetry::recording();
        let consumer = TestConsumer::start_recording_into(
            Arc::new(AllocationsHandler::new(context)),
            Platform::classifier(vec![]),
            fast_config(),
            telemetry.clone(),
        );
        Self {
            consumer,
            telemetry,
            workload,
            _auth: auth,
            db,
        }
    }

    pub async fn conn(&self) -> DbConnection {
        self.db.conn().await.expect("conn")
    }

    pub async fn execute(&self, sql: &str) {
        self.conn().await.batch_execute(sql).await.expect(sql);
    }

    /// An example message from `tests/fixtures/messages`, its URLs pointing at the mock Workload.
    pub fn message(&self, name: &str) -> Notification {
        notification_from_file(fixture(&format!("messages/{name}")), &self.workload.uri())
            .expect("example message")
    }

    /// Workload answers `at_path` with `body`.
    pub async fn mock_detail(&self, at_path: &str, body: &Value) {
        Mock::given(method("GET"))
            .and(path(at_path))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&self.workload)
            .await;
    }

    /// Workload answers `at_path` with `status` and no body.
    pub async fn mock_status(&self, at_path: &str, status: u16) {
        Mock::given(method("GET"))
            .and(path(at_path))
            .respond_with(ResponseTemplate::new(status))
            .mount(&self.workload)
            .await;
    }

    /// Publishes an example message whose detail is the simulation `body` at its detailUrl.
    pub async fn allocate(&self, message: &str, at_path: &str, body: &Value) -> Disposition {
        self.mock_detail(at_path, body).await;
        self.publish(&self.message(message)).await
    }

    /// A message for `crn` (none when `None`) whose detailUrl is `at_path` on the mock Workload.
    pub fn message_for(&self, crn: Option<&str>, at_path: &str) -> Notification {
        let identifiers: Vec<Value> = crn
            .map(|crn| serde_json::json!({"type": "CRN", "value": crn}))
            .into_iter()
            .collect();
        let event = serde_json::json!({
            "eventType": "event.manager.allocated",
            "version": 1,
            "detailUrl": format!("{}{at_path}", self.workload.uri()),
            "occurredAt": "2022-07-28T10:30:55+01:00",
            "personReference": {"identifiers": identifiers}
        });
        Notification::for_event("event.manager.allocated", &event).expect("notification")
    }

    pub async fn publish(&self, notification: &Notification) -> Disposition {
        self.consumer
            .publish_and_wait(notification)
            .await
            .expect("message consumed")
    }

    /// The one outcome named `name`.
    pub fn outcome(&self, name: &str) -> TelemetryEvent {
        self.telemetry.one(name)
    }

    /// The `error` of the last `MessageFailed` telemetry: why a message failed.
    pub fn failure(&self) -> String {
        self.telemetry.last_failure()
    }

    /// Every manager row of one kind for an owner, oldest first.
    pub async fn managers(&self, table: Table, owner_id: i64) -> Vec<ManagerRow> {
        let (name, id, owner, team) = table.columns();
        let sql = format!(
            "SELECT m.{id} AS id, m.allocation_staff_id AS staff_id, m.staff_employee_id, \
                    m.{team} AS team_id, m.trust_provider_team_id, m.probation_area_id, \
                    m.allocation_date, m.end_date, m.active_flag::bigint AS active_flag, \
                    r.code_value AS reason_code, m.row_version, {transfer} AS transfer_reason_id \
             FROM {name} m LEFT JOIN r_standard_reference_list r \
               ON r.standard_reference_list_id = m.allocation_reason_id \
             WHERE m.{owner} = $1 ORDER BY m.allocation_date, m.{id}",
            transfer = if table == Table::Person {
                "NULL::bigint"
            } else {
                "m.transfer_reason_id"
            }
        );
        diesel::sql_query(sql)
            .bind::<BigInt, _>(owner_id)
            .load(&mut *self.conn().await)
            .await
            .expect("managers")
    }

    /// Every contact of a type for a person, oldest id first.
    pub async fn contacts(&self, person_id: i64, type_code: &str) -> Vec<ContactRow> {
        diesel::sql_query(
            "SELECT c.contact_id, c.event_id, c.rqmnt_id, c.lic_condition_id, c.contact_date, \
                    c.contact_start_time::text AS start_time, c.staff_id, c.staff_employee_id, \
                    c.team_id, c.probation_area_id, c.notes, c.sensitive::text AS sensitive \
             FROM contact c JOIN r_contact_type t ON t.contact_type_id = c.contact_type_id \
             WHERE c.offender_id = $1 AND t.code = $2 ORDER BY c.contact_id",
        )
        .bind::<BigInt, _>(person_id)
        .bind::<Text, _>(type_code)
        .load(&mut *self.conn().await)
        .await
        .expect("contacts")
    }

    pub async fn contact_count(&self, person_id: i64) -> i64 {
        count(
            &self.db,
            &format!("SELECT count(*) AS n FROM contact WHERE offender_id = {person_id}"),
        )
        .await
    }

    pub async fn responsible_officers(&self, person_id: i64) -> Vec<ResponsibleOfficerRow> {
        diesel::sql_query(
            "SELECT responsible_officer_id AS id, offender_manager_id, prison_offender_manager_id, \
                    start_date, end_date FROM responsible_officer \
             WHERE offender_id = $1 ORDER BY start_date, responsible_officer_id",
        )
        .bind::<BigInt, _>(person_id)
        .load(&mut *self.conn().await)
        .await
        .expect("responsible officers")
    }

    /// `audited_interaction` rows: (business interaction code, outcome, parameters).
    pub async fn audits(&self) -> Vec<(String, String, Option<String>)> {
        use delius_data::schema::{audited_interaction as a, business_interaction as b};
        a::table
            .inner_join(b::table)
            .order(a::date_time)
            .select((
                b::business_interaction_code,
                a::outcome,
                a::interaction_parameters,
            ))
            .load(&mut *self.conn().await)
            .await
            .expect("audits")
    }

    pub async fn count(&self, sql: &str) -> i64 {
        count(&self.db, sql).await
    }

    /// Everything an allocation may write, as text, to compare a replay with the first run.
    pub async fn allocation_state(&self) -> Vec<String> {
        let mut state = Vec::new();
        for table in [
            "offender_manager",
            "order_manager",
            "rqmnt_manager",
            "lic_condition_manager",
            "responsible_officer",
            "contact",
            "iaps_offender",
            "iaps_event",
            "iaps_requirement",
        ] {
            #[derive(QueryableByName)]
            struct Row {
                #[diesel(sql_type = Text)]
                row: String,
            }
            let rows: Vec<Row> = diesel::sql_query(format!(
                "SELECT '{table}: ' || (to_jsonb(t) - 'last_updated_datetime' - 'created_datetime')::text AS row \
                 FROM {table} t ORDER BY 1"
            ))
            .load(&mut *self.conn().await)
            .await
            .expect("state");
            state.extend(rows.into_iter().map(|r| r.row));
        }
        state
    }
}

async fn count(db: &TestDatabase, sql: &str) -> i64 {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let row: Count = diesel::sql_query(sql)
        .get_result(&mut *db.conn().await.expect("conn"))
        .await
        .expect(sql);
    row.n
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Person,
    Order,
    Requirement,
    LicenceCondition,
}

impl Table {
    fn columns(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            Self::Person => (
                "offender_manager",
                "offender_manager_id",
                "offender_id",
                "team_id",
            ),
            Self::Order => (
                "order_manager",
                "order_manager_id",
                "event_id",
                "allocation_team_id",
            ),
            Self::Requirement => (
                "rqmnt_manager",
                "rqmnt_manager_id",
                "rqmnt_id",
                "allocation_team_id",
            ),
            Self::LicenceCondition => (
                "lic_condition_manager",
                "lic_condition_manager_id",
                "lic_condition_id",
                "allocation_team_id",
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct ManagerRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub staff_id: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub staff_employee_id: Option<i64>,
    #[diesel(sql_type = BigInt)]
    pub team_id: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub trust_provider_team_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub probation_area_id: Option<i64>,
    #[diesel(sql_type = Timestamp)]
    pub allocation_date: NaiveDateTime,
    #[diesel(sql_type = Nullable<Timestamp>)]
    pub end_date: Option<NaiveDateTime>,
    #[diesel(sql_type = BigInt)]
    pub active_flag: i64,
    #[diesel(sql_type = Nullable<Text>)]
    pub reason_code: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub row_version: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub transfer_reason_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct ContactRow {
    #[diesel(sql_type = BigInt)]
    pub contact_id: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub event_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub rqmnt_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub lic_condition_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Date)]
    pub contact_date: NaiveDate,
    #[diesel(sql_type = Nullable<Text>)]
    pub start_time: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub staff_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub staff_employee_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub team_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub probation_area_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    pub notes: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub sensitive: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct ResponsibleOfficerRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub offender_manager_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub prison_offender_manager_id: Option<i64>,
    #[diesel(sql_type = Timestamp)]
    pub start_date: NaiveDateTime,
    #[diesel(sql_type = Nullable<Timestamp>)]
    pub end_date: Option<NaiveDateTime>,
}

/// "Yesterday" as the seed computed it, to the second (seed and test run within seconds).
pub fn close_to(actual: Option<NaiveDateTime>, expected: NaiveDateTime) -> bool {
    actual.is_some_and(|a| (a - expected).num_seconds().abs() <= 5)
}
