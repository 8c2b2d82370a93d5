//! The service on a real consumer: a fresh Delius database, a fake HMPPS Auth, wiremock for both
//! upstreams, and the handler behind the platform consumer on an in-memory queue.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use audit_iaps::Auditor;
use chrono::{NaiveDate, NaiveDateTime};
use delius_data::lookups::{next_id, Person, Sequence};
use delius_data::schema::{
    audited_interaction, business_interaction, contact, disposal, event, nsi, offender_manager,
    r_contact_type, staff, staff_team,
};
use delius_data::{YesNo, ZeroOne};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use messaging::queue::memory::Disposition;
use messaging::{Notification, NotificationHandler, Outcome, Telemetry, TelemetryEvent};
use prison_case_notes_to_probation::{CaseNotesHandler, UpstreamUrls, Upstreams};
use serde_json::Value;
use service_kit::Platform;
use test_support::auth::FakeHmppsAuth;
use test_support::{PersonBuilder, TestConsumer, TestDatabase};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Seeded ids (delius-data reference data).
pub const SERVICE_USER_ID: i64 = 2;
pub const LEI_PROVIDER_ID: i64 = 105;
pub const LEI_CSN_TEAM_ID: i64 = 1051;
pub const UNK_PROVIDER_ID: i64 = 106;
pub const UNK_CSN_TEAM_ID: i64 = 1061;
pub const LEI_DEFAULT_STAFF_ID: i64 = 1051;
pub const NOMISD_ID: i64 = 101;
pub const CNT1_ID: i64 = 102;
pub const CNT2_ID: i64 = 103;
pub const RESETBCST_ID: i64 = 104;
pub const OTHERINF_ID: i64 = 105;
/// NSI type `PCNIEP`, mapped from `NEG IEP_WARN`.
pub const MAPPED_NSI_TYPE_ID: i64 = 111;
const NSI_STATUS_INPROG: i64 = 101;
const CUSTODIAL_DISPOSAL_TYPE_SC: i64 = 101;
const N03_PROVIDER_ID: i64 = 103;
const N03_DEF_TEAM_ID: i64 = 1031;
const N03_DEF_STAFF_ID: i64 = 1031;

pub const DEFAULT_NOMS: &str = "AA0001A";
pub const PREVIOUS_NOMS: &str = "AA0002A";
pub const NEW_IDENTIFIER_NOMS: &str = "A4578BX";
pub const NEW_IDENTIFIER_CRN: &str = "N123456";

pub const EXISTING_URN: &str =
    "urn:uk:gov:hmpps:prison-case-note:0ec15f8b-6b57-471f-b02a-c89169a6a3e5";
pub const NEW_URN: &str = "urn:uk:gov:hmpps:prison-case-note:2cf4f9e1-df22-49a1-a2a7-5968a96529e3";
pub const EXISTING_NOTES: &str = "NEG IEP_WARN\nThis is an existing case note\n[Mickey Mouse updated the case notes on 2022/07/20 12:25:20]\nSome Additional Text";

pub fn fixture(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative)
}

pub fn fixture_json(relative: &str) -> Value {
    let text = std::fs::read_to_string(fixture(relative)).expect("fixture exists");
    serde_json::from_str(&text).expect("fixture is JSON")
}

pub fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("test date-time")
}

/// The people and records of the reference's integration test data.
pub struct Seed {
    /// NOMS AA0001A, with a custodial event and an NSI mapped from `NEG IEP_WARN`.
    pub default: Person,
    /// Owns the existing contact (NOMIS id 11111) that belongs to DEFAULT; has a community manager.
    pub previous: Person,
    /// CRN N123456, NOMS A4578BX: no contacts.
    pub new_identifier: Person,
    pub custodial_event_id: i64,
    pub nsi_id: i64,
    pub existing_contact_id: i64,
}

pub struct TestApp {
    pub consumer: TestConsumer,
    /// Calls of the handler so far: one per delivery and in-process attempt.
    pub handler_calls: Arc<AtomicUsize>,
    pub handler_telemetry: Telemetry,
    pub upstream: MockServer,
    /// Kept alive for the token endpoint.
    pub auth: FakeHmppsAuth,
    pub seed: Seed,
    pub db: TestDatabase,
}

/// The service's handler, counting its calls (each in-process attempt is one call).
struct CountingHandler {
    inner: CaseNotesHandler,
    calls: Arc<AtomicUsize>,
}

#[async_trait::async_trait]
impl NotificationHandler for CountingHandler {
    async fn handle(&self, notification: &Notification) -> anyhow::Result<Outcome> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.inner.handle(notification).await
    }
}

impl TestApp {
    pub async fn start() -> Self {
        Self::start_with(|handler| handler).await
    }

    /// As `start`, with the handler adjusted (e.g. a smaller migration budget).
    pub async fn start_with(configure: impl FnOnce(CaseNotesHandler) -> CaseNotesHandler) -> Self {
        let db = TestDatabase::new().await.expect("test database");
        let seed = seed(&db).await;
        let auth = FakeHmppsAuth::start().await;
        let upstream = MockServer::start().await;
        let base = Url::parse(&upstream.uri()).expect("wiremock URL");
        let upstreams = Upstreams::new(
            auth.client_credentials(),
            UpstreamUrls {
                case_notes: base.clone(),
                alerts: base.clone(),
            },
            &[upstream.uri()],
        )
        .expect("upstream clients");
        let auditor = Auditor::connect(db.pool(), "PrisonCaseNotesToProbation")
            .await
            .expect("service user");
        let handler_telemetry = Telemetry::recording();
        let handler = configure(CaseNotesHandler::new(
            db.pool(),
            auditor,
            upstreams,
            handler_telemetry.clone(),
        ));
        let handler_calls = Arc::new(AtomicUsize::new(0));
        let counting = CountingHandler {
            inner: handler,
            calls: handler_calls.clone(),
        };
        let consumer = TestConsumer::start(Arc::new(counting), Platform::classifier(vec![]));
        Self {
            consumer,
            handler_calls,
            handler_telemetry,
            upstream,
            auth,
            seed,
            db,
        }
    }

    /// An example message with its `detailUrl` pointing at this test's wiremock.
    pub fn message(&self, name: &str) -> Notification {
        test_support::fixtures::notification_from_file(
            fixture(&format!("messages/{name}")),
            &self.upstream.uri(),
        )
        .expect("example message")
    }

    pub async fn publish(&self, notification: &Notification) -> Disposition {
        self.consumer
            .publish_and_wait(notification)
            .await
            .expect("message consumed")
    }

    /// Telemetry from the consumer (outcomes) and the handler (rethrown failures) together.
    pub fn events(&self, name: &str) -> Vec<TelemetryEvent> {
        let mut events = self.consumer.telemetry.named(name);
        events.extend(self.handler_telemetry.named(name));
        events
    }

    pub fn event(&self, name: &str) -> TelemetryEvent {
        let events = self.events(name);
        assert_eq!(events.len(), 1, "expected one {name}, got {events:?}");
        events.into_iter().next().expect("one event")
    }

    /// The `action` of every `CaseNoteMerged` so far (`-` for an unchanged merge).
    pub fn event_names_merged(&self) -> Vec<String> {
        self.events("CaseNoteMerged")
            .into_iter()
            .map(|e| {
                e.properties
                    .get("action")
                    .cloned()
                    .unwrap_or_else(|| "-".to_owned())
            })
            .collect()
    }

    pub fn outcome_names(&self) -> Vec<String> {
        self.consumer
            .telemetry
            .events()
            .into_iter()
            .map(|e| e.name)
            .filter(|n| n != "NotificationReceived")
            .collect()
    }

    pub async fn mock_json(&self, url_path: &str, body: Value) {
        Mock::given(method("GET"))
            .and(path(url_path))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&self.upstream)
            .await;
    }

    pub async fn mock_fixture(&self, url_path: &str, simulation: &str) {
        self.mock_json(url_path, fixture_json(&format!("simulations/{simulation}")))
            .await;
    }

    pub async fn mock_status(&self, url_path: &str, status: u16) {
        Mock::given(method("GET"))
            .and(path(url_path))
            .respond_with(ResponseTemplate::new(status))
            .mount(&self.upstream)
            .await;
    }

    /// Requests wiremock received for this path.
    pub async fn requests_to(&self, url_path: &str) -> usize {
        self.upstream
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .filter(|r| r.url.path() == url_path)
            .count()
    }

    pub fn handler_calls(&self) -> usize {
        AtomicUsize::load(&self.handler_calls, Ordering::SeqCst)
    }

    /// Every request the upstream wiremock received (any path).
    pub async fn all_upstream_requests(&self) -> usize {
        self.upstream
            .received_requests()
            .await
            .unwrap_or_default()
            .len()
    }

    /// `(business interaction code, user id, outcome, parameters, date_time)` of every
    /// `AUDITED_INTERACTION` row, oldest first.
    pub async fn audited_interactions(&self) -> Vec<AuditedInteraction> {
        let mut conn = self.conn().await;
        audited_interaction::table
            .inner_join(business_interaction::table)
            .order(audited_interaction::date_time)
            .select((
                business_interaction::business_interaction_code,
                audited_interaction::user_id,
                audited_interaction::outcome,
                audited_interaction::interaction_parameters,
                audited_interaction::date_time,
            ))
            .load(&mut conn)
            .await
            .expect("query audited interactions")
    }

    pub async fn conn(&self) -> delius_data::DbConnection {
        self.db.conn().await.expect("connection")
    }

    pub async fn contact_by_urn(&self, urn: &str) -> Option<ContactRow> {
        let mut conn = self.conn().await;
        contact::table
            .filter(contact::external_reference.eq(urn))
            .select(ContactRow::as_select())
            .first(&mut conn)
            .await
            .optional()
            .expect("query contact")
    }

    pub async fn contact(&self, contact_id: i64) -> ContactRow {
        let mut conn = self.conn().await;
        contact::table
            .find(contact_id)
            .select(ContactRow::as_select())
            .first(&mut conn)
            .await
            .expect("contact exists")
    }

    pub async fn contacts_of(&self, offender_id: i64) -> Vec<ContactRow> {
        let mut conn = self.conn().await;
        contact::table
            .filter(contact::offender_id.eq(offender_id))
            .order(contact::contact_id)
            .select(ContactRow::as_select())
            .load(&mut conn)
            .await
            .expect("query contacts")
    }

    pub async fn all_contacts(&self) -> Vec<ContactRow> {
        let mut conn = self.conn().await;
        contact::table
            .order(contact::contact_id)
            .select(ContactRow::as_select())
            .load(&mut conn)
            .await
            .expect("query contacts")
    }

    pub async fn audit_rows(&self) -> Vec<(String, Option<String>)> {
        let mut conn = self.conn().await;
        audited_interaction::table
            .order(audited_interaction::date_time)
            .select((
                audited_interaction::outcome,
                audited_interaction::interaction_parameters,
            ))
            .load(&mut conn)
            .await
            .expect("query audit rows")
    }

    pub async fn staff(&self, staff_id: i64) -> (String, String, String, Option<i64>) {
        let mut conn = self.conn().await;
        staff::table
            .find(staff_id)
            .select((
                staff::officer_code,
                staff::forename,
                staff::surname,
                staff::probation_area_id,
            ))
            .first(&mut conn)
            .await
            .expect("staff exists")
    }

    pub async fn staff_count(&self) -> i64 {
        let mut conn = self.conn().await;
        staff::table
            .count()
            .get_result(&mut conn)
            .await
            .expect("count staff")
    }

    pub async fn staff_teams_of(&self, staff_id: i64) -> Vec<i64> {
        let mut conn = self.conn().await;
        staff_team::table
            .filter(staff_team::staff_id.eq(staff_id))
            .select(staff_team::team_id)
            .load(&mut conn)
            .await
            .expect("query staff_team")
    }

    pub async fn set_sensitive(&self, contact_type_id: i64) {
        let mut conn = self.conn().await;
        diesel::update(r_contact_type::table.find(contact_type_id))
            .set(r_contact_type::sensitive_contact.eq(YesNo::YES))
            .execute(&mut conn)
            .await
            .expect("update contact type");
    }

    pub async fn sql(&self, statement: &str) {
        let mut conn = self.conn().await;
        diesel::sql_query(statement)
            .execute(&mut conn)
            .await
            .expect("SQL statement");
    }
}

pub use url::Url;

pub type AuditedInteraction = (String, i64, String, Option<String>, NaiveDateTime);

/// The contact columns the tests assert on.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = contact, check_for_backend(diesel::pg::Pg))]
pub struct ContactRow {
    pub contact_id: i64,
    pub row_version: i64,
    pub offender_id: i64,
    pub event_id: Option<i64>,
    pub nsi_id: Option<i64>,
    pub contact_type_id: i64,
    pub contact_date: NaiveDate,
    pub contact_start_time: Option<chrono::NaiveTime>,
    pub staff_id: Option<i64>,
    pub staff_employee_id: Option<i64>,
    pub team_id: Option<i64>,
    pub probation_area_id: Option<i64>,
    pub description: Option<String>,
    pub notes: Option<String>,
    pub sensitive: Option<YesNo>,
    pub external_reference: Option<String>,
    pub nomis_case_note_id: Option<i64>,
    pub trust_provider_team_id: Option<i64>,
    pub trust_provider_flag: i16,
    pub partition_area_id: i64,
    pub soft_deleted: i16,
    pub created_by_user_id: Option<i64>,
    pub last_updated_user_id: Option<i64>,
    pub created_datetime: Option<NaiveDateTime>,
    pub last_updated_datetime: Option<NaiveDateTime>,
}

impl ContactRow {
    pub fn contact_time(&self) -> NaiveDateTime {
        NaiveDateTime::new(
            self.contact_date,
            self.contact_start_time.expect("contact has a start time"),
        )
    }

    pub fn notes(&self) -> &str {
        self.notes.as_deref().unwrap_or_default()
    }
}

/// Asserts the parts appear in this order in `text`.
pub fn assert_in_order(text: &str, parts: &[&str]) {
    let mut from = 0;
    for part in parts {
        match text[from..].find(part) {
            Some(i) => from += i + part.len(),
            None => panic!("{part:?} not found after position {from} in {text:?}"),
        }
    }
}

async fn seed(db: &TestDatabase) -> Seed {
    let mut conn = db.conn().await.expect("connection");
    let default = PersonBuilder::default()
        .noms(DEFAULT_NOMS)
        .insert(&mut conn)
        .await
        .expect("DEFAULT person");
    let previous = PersonBuilder::default()
        .noms(PREVIOUS_NOMS)
        .insert(&mut conn)
        .await
        .expect("PREVIOUS person");
    let new_identifier = PersonBuilder::default()
        .crn(NEW_IDENTIFIER_CRN)
        .noms(NEW_IDENTIFIER_NOMS)
        .insert(&mut conn)
        .await
        .expect("NEW_IDENTIFIER person");
    let custodial_event_id = insert_custodial_event(&mut conn, default.id).await;
    let nsi_id = insert_nsi(
        &mut conn,
        default.id,
        Some(custodial_event_id),
        MAPPED_NSI_TYPE_ID,
    )
    .await;
    insert_offender_manager(&mut conn, previous.id).await;

    // CaseNoteGenerator.EXISTING: written before URNs, on the wrong person.
    let existing_contact_id = next_id(&mut conn, Sequence::named("contact_id_seq"))
        .await
        .expect("contact id");
    let written = at("2022-07-20 12:24:10");
    diesel::insert_into(contact::table)
        .values((
            contact::contact_id.eq(existing_contact_id),
            contact::offender_id.eq(previous.id),
            contact::event_id.eq(custodial_event_id),
            contact::nsi_id.eq(nsi_id),
            contact::contact_type_id.eq(NOMISD_ID),
            contact::contact_date.eq(written.date()),
            contact::contact_start_time.eq(written.time()),
            contact::staff_id.eq(LEI_DEFAULT_STAFF_ID),
            contact::staff_employee_id.eq(LEI_DEFAULT_STAFF_ID),
            contact::team_id.eq(LEI_CSN_TEAM_ID),
            contact::probation_area_id.eq(LEI_PROVIDER_ID),
            contact::notes.eq(EXISTING_NOTES),
            contact::sensitive.eq(YesNo::NO),
            contact::nomis_case_note_id.eq(11111i64),
            contact::trust_provider_team_id.eq(LEI_CSN_TEAM_ID),
            contact::created_by_user_id.eq(1i64),
            contact::last_updated_user_id.eq(1i64),
            contact::created_datetime.eq(written),
            contact::last_updated_datetime.eq(written),
        ))
        .execute(&mut conn)
        .await
        .expect("existing contact");
    Seed {
        default,
        previous,
        new_identifier,
        custodial_event_id,
        nsi_id,
        existing_contact_id,
    }
}

pub async fn insert_custodial_event(
    conn: &mut diesel_async::AsyncPgConnection,
    offender_id: i64,
) -> i64 {
    let event_id = next_id(conn, Sequence::named("event_id_seq"))
        .await
        .expect("event id");
    diesel::insert_into(event::table)
        .values((
            event::event_id.eq(event_id),
            event::offender_id.eq(offender_id),
            event::event_number.eq("1"),
        ))
        .execute(conn)
        .await
        .expect("event");
    let disposal_id = next_id(conn, Sequence::named("disposal_id_seq"))
        .await
        .expect("disposal id");
    diesel::insert_into(disposal::table)
        .values((
            disposal::disposal_id.eq(disposal_id),
            disposal::event_id.eq(event_id),
            disposal::disposal_type_id.eq(CUSTODIAL_DISPOSAL_TYPE_SC),
        ))
        .execute(conn)
        .await
        .expect("disposal");
    event_id
}

pub async fn insert_nsi(
    conn: &mut diesel_async::AsyncPgConnection,
    offender_id: i64,
    event_id: Option<i64>,
    nsi_type_id: i64,
) -> i64 {
    let nsi_id = next_id(conn, Sequence::named("nsi_id_seq"))
        .await
        .expect("nsi id");
    let now = delius_data::time::now_london();
    diesel::insert_into(nsi::table)
        .values((
            nsi::nsi_id.eq(nsi_id),
            nsi::offender_id.eq(offender_id),
            nsi::nsi_type_id.eq(nsi_type_id),
            nsi::nsi_status_id.eq(NSI_STATUS_INPROG),
            nsi::nsi_status_date.eq(now),
            nsi::referral_date.eq(now.date()),
            nsi::event_id.eq(event_id),
        ))
        .execute(conn)
        .await
        .expect("nsi");
    nsi_id
}

async fn insert_offender_manager(conn: &mut diesel_async::AsyncPgConnection, offender_id: i64) {
    let id = next_id(conn, Sequence::named("offender_manager_id_seq"))
        .await
        .expect("offender manager id");
    diesel::insert_into(offender_manager::table)
        .values((
            offender_manager::offender_manager_id.eq(id),
            offender_manager::offender_id.eq(offender_id),
            offender_manager::allocation_staff_id.eq(N03_DEF_STAFF_ID),
            offender_manager::team_id.eq(N03_DEF_TEAM_ID),
            offender_manager::probation_area_id.eq(N03_PROVIDER_ID),
            offender_manager::active_flag.eq(ZeroOne::ONE),
        ))
        .execute(conn)
        .await
        .expect("offender manager");
}

/// A domain-event notification like the examples, for cases the example files do not cover.
pub fn case_note_event(
    app: &TestApp,
    event_type: &str,
    noms: &str,
    case_note_id: &str,
    note_type: &str,
    sub_type: &str,
) -> Notification {
    let event = serde_json::json!({
        "eventType": event_type,
        "version": 1,
        "occurredAt": "2022-10-18T08:19:19.451579+01:00",
        "detailUrl": format!("{}/case-notes/{noms}/{case_note_id}", app.upstream.uri()),
        "additionalInformation": {"id": case_note_id, "type": note_type, "subType": sub_type},
        "personReference": {"identifiers": [{"type": "NOMS", "value": noms}]}
    });
    Notification::new(event.to_string())
        .with_attribute("eventType", event_type)
        .with_attribute("type", note_type)
        .with_attribute("subType", sub_type)
}

/// A case-note body like the examples.
pub fn case_note_body(id: &str, noms: &str, note_type: &str, sub_type: &str, text: &str) -> Value {
    serde_json::json!({
        "caseNoteId": id,
        "eventId": 33333,
        "offenderIdentifier": noms,
        "type": note_type,
        "subType": sub_type,
        "creationDateTime": "2024-04-16T11:22:33+01:00",
        "occurrenceDateTime": "2024-03-23T11:22:00+00:00",
        "authorName": "Some Name",
        "text": text,
        "locationId": "LEI",
        "amendments": []
    })
}
