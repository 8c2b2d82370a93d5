//! The service on a real consumer: a fresh Delius database, a fake HMPPS Auth, wiremock for
//! Prison API, and the handler behind the platform consumer on an in-memory queue.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use delius_data::lookups::{next_id, Sequence};
use delius_data::schema::{
    contact, contact_alert, custody, custody_history, disposal, domain_event, event, lic_condition,
    offender_manager, order_manager, prison_offender_manager, r_contact_type, r_institution,
    r_recall_reason, r_standard_reference_list, recall, release,
};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use messaging::queue::memory::Disposition;
use messaging::{HmppsDomainEvent, Notification, Telemetry, TelemetryEvent};
use prison_custody_status_to_delius::{CustodyStatusHandler, Flags, PrisonApi};
use serde_json::{json, Value};
use service_kit::Platform;
use test_support::auth::FakeHmppsAuth;
use test_support::messaging::fast_config;
use test_support::{PersonBuilder, TestConsumer, TestDatabase};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const SERVICE_USER_ID: i64 = 5;
pub const SC: i64 = 101;
pub const PSSR_BREACH: i64 = 103;
pub const WSI: i64 = 114;
pub const MDI: i64 = 115;
pub const MGR_STAFF: i64 = 1031;
pub const MGR_TEAM: i64 = 1031;
pub const NLC8: i64 = 102;
pub const LAP: i64 = 101;
pub const SUB_CAT: i64 = 11501;

pub fn fixture(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative)
}

pub fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("test date-time")
}

pub fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

/// The custody a test person starts with.
#[derive(Debug, Clone)]
pub struct CaseSpec {
    pub noms: &'static str,
    pub status: &'static str,
    pub institution_id: Option<i64>,
    pub disposal_type_id: i64,
    pub disposal_date: NaiveDate,
    pub released_on: Option<NaiveDate>,
    pub change_dates: Option<NaiveDate>,
    pub licence_conditions: bool,
}

impl CaseSpec {
    pub fn new(noms: &'static str, status: &'static str) -> Self {
        Self {
            noms,
            status,
            institution_id: Some(WSI),
            disposal_type_id: SC,
            disposal_date: day("2020-01-01"),
            released_on: None,
            change_dates: Some(day("2021-01-01")),
            licence_conditions: false,
        }
    }
    pub fn released(mut self, on: &str) -> Self {
        self.released_on = Some(day(on));
        self
    }
    pub fn with_licence_conditions(mut self) -> Self {
        self.licence_conditions = true;
        self
    }
}

#[derive(Debug, Clone)]
pub struct Case {
    pub offender_id: i64,
    pub crn: String,
    pub event_id: i64,
    pub disposal_id: i64,
    pub custody_id: i64,
    pub licence_condition_ids: Vec<i64>,
}

pub struct TestApp {
    pub consumer: TestConsumer,
    pub telemetry: Telemetry,
    pub prison_api: MockServer,
    pub _auth: FakeHmppsAuth,
    pub db: TestDatabase,
}

impl TestApp {
    pub async fn start() -> Self {
        Self::start_with(Flags::default()).await
    }

    pub async fn start_with(flags: Flags) -> Self {
        let db = TestDatabase::new().await.expect("test database");
        let auth = FakeHmppsAuth::start().await;
        let prison_api = MockServer::start().await;
        let api = PrisonApi::new(
            auth.authorised_client(),
            prison_api.uri().parse().expect("url"),
        );
        let telemetry = Telemetry::recording();
        let handler =
            CustodyStatusHandler::new(db.pool(), api, SERVICE_USER_ID, flags, telemetry.clone());
        let consumer = TestConsumer::start_recording_into(
            Arc::new(handler),
            Platform::classifier(vec![]),
            fast_config(),
            telemetry.clone(),
        );
        Self {
            consumer,
            telemetry,
            prison_api,
            _auth: auth,
            db,
        }
    }

    pub async fn publish(&self, notification: &Notification) -> Disposition {
        self.consumer
            .publish_and_wait(notification)
            .await
            .expect("message consumed")
    }

    /// Outcome names in order, without `NotificationReceived`.
    pub fn outcomes(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .telemetry
            .events()
            .into_iter()
            .map(|e| e.name)
            .filter(|n| n != "NotificationReceived" && !n.starts_with("Message"))
            .collect();
        names.sort();
        names
    }

    pub fn event(&self, name: &str) -> TelemetryEvent {
        let events = self.telemetry.named(name);
        assert_eq!(
            events.len(),
            1,
            "expected one {name}, got {:?}",
            self.telemetry.events()
        );
        events.into_iter().next().expect("one event")
    }

    pub async fn case(&self, spec: CaseSpec) -> Case {
        let mut conn = self.db.conn().await.expect("conn");
        let conn = &mut *conn;
        let person = PersonBuilder::default()
            .noms(spec.noms)
            .insert(conn)
            .await
            .expect("person");
        let now = at("2024-01-01 00:00:00");
        let event_id = next_id(conn, Sequence::named("event_id_seq"))
            .await
            .expect("id");
        diesel::insert_into(event::table)
            .values((
                event::event_id.eq(event_id),
                event::offender_id.eq(person.id),
                event::event_number.eq("1"),
                event::active_flag.eq(1i16),
                event::soft_deleted.eq(0i16),
                event::row_version.eq(0i64),
                event::created_datetime.eq(now),
            ))
            .execute(conn)
            .await
            .expect("event");
        let disposal_id = next_id(conn, Sequence::named("disposal_id_seq"))
            .await
            .expect("id");
        diesel::insert_into(disposal::table)
            .values((
                disposal::disposal_id.eq(disposal_id),
                disposal::event_id.eq(event_id),
                disposal::disposal_type_id.eq(spec.disposal_type_id),
                disposal::disposal_date.eq(spec.disposal_date),
                disposal::active_flag.eq(1i16),
                disposal::soft_deleted.eq(0i16),
            ))
            .execute(conn)
            .await
            .expect("disposal");
        let status_id: i64 = status_id(conn, spec.status).await;
        let custody_id = next_id(conn, Sequence::named("custody_id_seq"))
            .await
            .expect("id");
        diesel::insert_into(custody::table)
            .values((
                custody::custody_id.eq(custody_id),
                custody::disposal_id.eq(disposal_id),
                custody::custodial_status_id.eq(status_id),
                custody::institution_id.eq(spec.institution_id),
                custody::establishment.eq(spec.institution_id.map(|_| "Y")),
                custody::status_change_date.eq(spec.change_dates),
                custody::location_change_date.eq(spec.change_dates),
                custody::soft_deleted.eq(0i16),
                custody::row_version.eq(0i64),
            ))
            .execute(conn)
            .await
            .expect("custody");
        let om_id = next_id(conn, Sequence::named("order_manager_id_seq"))
            .await
            .expect("id");
        diesel::insert_into(order_manager::table)
            .values((
                order_manager::order_manager_id.eq(om_id),
                order_manager::event_id.eq(event_id),
                order_manager::allocation_staff_id.eq(MGR_STAFF),
                order_manager::allocation_team_id.eq(MGR_TEAM),
                order_manager::probation_area_id.eq(103i64),
                order_manager::trust_provider_flag.eq(0i16),
                order_manager::partition_area_id.eq(0i64),
                order_manager::active_flag.eq(1i16),
                order_manager::soft_deleted.eq(0i16),
                order_manager::row_version.eq(0i64),
            ))
            .execute(conn)
            .await
            .expect("order manager");
        let cm_id = next_id(conn, Sequence::named("offender_manager_id_seq"))
            .await
            .expect("id");
        diesel::insert_into(offender_manager::table)
            .values((
                offender_manager::offender_manager_id.eq(cm_id),
                offender_manager::offender_id.eq(person.id),
                offender_manager::allocation_staff_id.eq(MGR_STAFF),
                offender_manager::team_id.eq(MGR_TEAM),
                offender_manager::probation_area_id.eq(103i64),
                offender_manager::trust_provider_flag.eq(0i16),
                offender_manager::partition_area_id.eq(0i64),
                offender_manager::active_flag.eq(1i16),
                offender_manager::soft_deleted.eq(0i16),
                offender_manager::row_version.eq(0i64),
            ))
            .execute(conn)
            .await
            .expect("community manager");
        if let Some(on) = spec.released_on {
            let id = next_id(conn, Sequence::named("release_id_seq"))
                .await
                .expect("id");
            diesel::insert_into(release::table)
                .values((
                    release::release_id.eq(id),
                    release::actual_release_date.eq(on),
                    release::release_type_id.eq(11101i64),
                    release::offender_id.eq(person.id),
                    release::custody_id.eq(custody_id),
                    release::created_datetime.eq(now),
                ))
                .execute(conn)
                .await
                .expect("release");
        }
        let mut licence_condition_ids = Vec::new();
        if spec.licence_conditions {
            for main in [NLC8, NLC8, LAP] {
                let id = next_id(conn, Sequence::named("lic_condition_id_seq"))
                    .await
                    .expect("id");
                diesel::insert_into(lic_condition::table)
                    .values((
                        lic_condition::lic_condition_id.eq(id),
                        lic_condition::offender_id.eq(person.id),
                        lic_condition::disposal_id.eq(disposal_id),
                        lic_condition::lic_cond_type_main_cat_id.eq(main),
                        lic_condition::lic_cond_type_sub_cat_id.eq(SUB_CAT),
                        lic_condition::pending_transfer.eq(0i16),
                        lic_condition::active_flag.eq(1i16),
                        lic_condition::soft_deleted.eq(0i16),
                        lic_condition::row_version.eq(0i64),
                    ))
                    .execute(conn)
                    .await
                    .expect("licence condition");
                licence_condition_ids.push(id);
            }
        }
        Case {
            offender_id: person.id,
            crn: person.crn,
            event_id,
            disposal_id,
            custody_id,
            licence_condition_ids,
        }
    }

    pub async fn custody(&self, case: &Case) -> CustodyState {
        let mut conn = self.db.conn().await.expect("conn");
        let (status_id, institution_id, status_change, location_change): (
            i64,
            Option<i64>,
            Option<NaiveDate>,
            Option<NaiveDate>,
        ) = custody::table
            .filter(custody::custody_id.eq(case.custody_id))
            .select((
                custody::custodial_status_id,
                custody::institution_id,
                custody::status_change_date,
                custody::location_change_date,
            ))
            .first(&mut conn)
            .await
            .expect("custody");
        let status: String = r_standard_reference_list::table
            .filter(r_standard_reference_list::standard_reference_list_id.eq(status_id))
            .select(r_standard_reference_list::code_value)
            .first(&mut conn)
            .await
            .expect("status");
        let institution: Option<Option<String>> = match institution_id {
            Some(id) => Some(
                r_institution::table
                    .filter(r_institution::institution_id.eq(id))
                    .select(r_institution::code)
                    .first(&mut conn)
                    .await
                    .expect("institution"),
            ),
            None => None,
        };
        CustodyState {
            status,
            institution: institution.flatten(),
            status_change_date: status_change,
            location_change_date: location_change,
        }
    }

    /// Contact type codes of the person, sorted.
    pub async fn contact_types(&self, case: &Case) -> Vec<String> {
        let mut conn = self.db.conn().await.expect("conn");
        let mut codes: Vec<String> = contact::table
            .inner_join(r_contact_type::table)
            .filter(contact::offender_id.eq(case.offender_id))
            .select(r_contact_type::code)
            .load(&mut conn)
            .await
            .expect("contacts");
        codes.sort();
        codes
    }

    pub async fn contact(&self, case: &Case, code: &str) -> ContactRow {
        let mut conn = self.db.conn().await.expect("conn");
        contact::table
            .inner_join(r_contact_type::table)
            .filter(contact::offender_id.eq(case.offender_id))
            .filter(r_contact_type::code.eq(code))
            .select((
                contact::contact_id,
                contact::notes,
                contact::staff_id,
                contact::team_id,
                contact::event_id,
                contact::alert_active,
                contact::created_datetime,
                contact::contact_date,
            ))
            .first::<ContactRow>(&mut conn)
            .await
            .expect("contact")
    }

    pub async fn contact_alerts(&self, case: &Case) -> i64 {
        let mut conn = self.db.conn().await.expect("conn");
        contact_alert::table
            .filter(contact_alert::offender_id.eq(case.offender_id))
            .count()
            .get_result(&mut conn)
            .await
            .expect("alerts")
    }

    pub async fn history(&self, case: &Case) -> Vec<(String, String)> {
        let mut conn = self.db.conn().await.expect("conn");
        custody_history::table
            .inner_join(r_standard_reference_list::table)
            .filter(custody_history::custody_id.eq(case.custody_id))
            .select((
                r_standard_reference_list::code_value,
                custody_history::detail.assume_not_null(),
            ))
            .order(custody_history::custody_history_id)
            .load(&mut conn)
            .await
            .expect("history")
    }

    /// (release type code, date, nomis reason) of the custody's releases, oldest first.
    pub async fn releases(&self, case: &Case) -> Vec<(String, NaiveDate, Option<String>)> {
        let mut conn = self.db.conn().await.expect("conn");
        release::table
            .inner_join(r_standard_reference_list::table)
            .filter(release::custody_id.eq(case.custody_id))
            .select((
                r_standard_reference_list::code_value,
                release::actual_release_date,
                release::nomis_movement_reason_code,
            ))
            .order(release::release_id)
            .load(&mut conn)
            .await
            .expect("releases")
    }

    /// (recall reason code, date, nomis reason, created) of the person's recalls.
    pub async fn recalls(
        &self,
        case: &Case,
    ) -> Vec<(String, NaiveDate, Option<String>, Option<NaiveDateTime>)> {
        let mut conn = self.db.conn().await.expect("conn");
        recall::table
            .inner_join(r_recall_reason::table)
            .filter(recall::offender_id.eq(case.offender_id))
            .select((
                r_recall_reason::code,
                recall::recall_date,
                recall::nomis_movement_reason_code,
                recall::created_datetime,
            ))
            .load(&mut conn)
            .await
            .expect("recalls")
    }

    pub async fn domain_events(&self, case: &Case) -> Vec<Value> {
        let mut conn = self.db.conn().await.expect("conn");
        let bodies: Vec<String> = domain_event::table
            .select(domain_event::message_body)
            .order(domain_event::domain_event_id)
            .load(&mut conn)
            .await
            .expect("domain events");
        bodies
            .into_iter()
            .map(|b| serde_json::from_str::<Value>(&b).expect("json"))
            .filter(|v| v["personReference"]["identifiers"][0]["value"] == case.crn.as_str())
            .collect()
    }

    /// (probation area id, reason id, active) of the person's prison managers.
    pub async fn poms(&self, case: &Case) -> Vec<(i64, Option<i64>, i16)> {
        let mut conn = self.db.conn().await.expect("conn");
        prison_offender_manager::table
            .filter(prison_offender_manager::offender_id.eq(case.offender_id))
            .select((
                prison_offender_manager::probation_area_id,
                prison_offender_manager::allocation_reason_id,
                prison_offender_manager::active_flag,
            ))
            .order(prison_offender_manager::prison_offender_manager_id)
            .load(&mut conn)
            .await
            .expect("poms")
    }

    pub async fn terminated_licence_conditions(&self, case: &Case) -> Vec<(i64, Option<i64>)> {
        let mut conn = self.db.conn().await.expect("conn");
        lic_condition::table
            .filter(lic_condition::disposal_id.eq(case.disposal_id))
            .filter(lic_condition::termination_reason_id.is_not_null())
            .select((
                lic_condition::lic_condition_id,
                lic_condition::termination_reason_id,
            ))
            .load(&mut conn)
            .await
            .expect("licence conditions")
    }

    pub async fn mock_booking(&self, noms: &str, booking: Value) {
        Mock::given(method("GET"))
            .and(path(format!("/api/bookings/offenderNo/{noms}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(booking))
            .mount(&self.prison_api)
            .await;
    }

    pub async fn mock_booking_status(&self, noms: &str, status: u16) {
        Mock::given(method("GET"))
            .and(path(format!("/api/bookings/offenderNo/{noms}")))
            .respond_with(ResponseTemplate::new(status))
            .mount(&self.prison_api)
            .await;
    }

    pub async fn mock_movements(&self, movements: Value) {
        Mock::given(method("POST"))
            .and(path("/api/movements/offenders"))
            .respond_with(ResponseTemplate::new(200).set_body_json(movements))
            .mount(&self.prison_api)
            .await;
    }
}

pub type ContactRow = (
    i64,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<NaiveDateTime>,
    NaiveDate,
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustodyState {
    pub status: String,
    pub institution: Option<String>,
    pub status_change_date: Option<NaiveDate>,
    pub location_change_date: Option<NaiveDate>,
}

async fn status_id(conn: &mut diesel_async::AsyncPgConnection, code: &str) -> i64 {
    delius_data::lookups::reference_data(conn, "THROUGHCARE STATUS", code)
        .await
        .expect("query")
        .expect("status")
        .id
}

/// A `prisoner.released|received` message as the brief describes it.
pub fn movement_message(
    event_type: &str,
    noms: &str,
    reason: &str,
    nomis_reason: &str,
    prison: Option<&str>,
    occurred_at: &str,
) -> Notification {
    let mut event = HmppsDomainEvent::new(event_type).with_identifier("NOMS", noms);
    event.occurred_at = Some(chrono::DateTime::parse_from_rfc3339(occurred_at).expect("time"));
    event = event
        .with_info("reason", reason)
        .with_info("nomisMovementReasonCode", nomis_reason)
        .with_info("details", format!("Movement reason code {nomis_reason}"));
    if let Some(p) = prison {
        event = event.with_info("prisonId", p);
    }
    Notification::for_event(event_type, &event).expect("notification")
}

pub const RELEASED: &str = "prison-offender-events.prisoner.released";
pub const RECEIVED: &str = "prison-offender-events.prisoner.received";

pub fn released(noms: &str, reason: &str, nomis: &str, occurred_at: &str) -> Notification {
    movement_message(RELEASED, noms, reason, nomis, Some("WSI"), occurred_at)
}

pub fn received(
    noms: &str,
    reason: &str,
    nomis: &str,
    prison: &str,
    occurred_at: &str,
) -> Notification {
    movement_message(RECEIVED, noms, reason, nomis, Some(prison), occurred_at)
}

pub fn identifier_added(noms: &str) -> Notification {
    let event = HmppsDomainEvent::new("probation-case.prison-identifier.added")
        .with_identifier("NOMS", noms);
    Notification::for_event("probation-case.prison-identifier.added", &event).expect("notification")
}

pub fn booking(noms: &str, t: &str, r: &str, io: &str, agency: &str) -> Value {
    json!({"offenderNo": noms, "bookingId": 1, "bookingNo": "1A", "activeFlag": true, "agencyId": agency,
           "inOutStatus": io, "lastMovementTypeCode": t, "lastMovementReasonCode": r})
}

pub fn example(name: &str) -> Notification {
    test_support::fixtures::notification_from_file(
        fixture(&format!("messages/{name}")),
        "http://localhost",
    )
    .expect("example message")
}
