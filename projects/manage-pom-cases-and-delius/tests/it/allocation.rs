//! POM allocation (spec 3.2, 3.6-3.8; scenarios 16-19; rules 1-6, 8, 10): MPC answers from
//! wiremock, rows read back from PostgreSQL, outcomes from the recorded telemetry.

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use manage_pom_cases_and_delius::allocation;
use messaging::queue::memory::Disposition;
use messaging::{HmppsDomainEvent, Notification, Outcome};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::harness::{fixture, props, TestApp, DEFAULT_PERSON, SERVICE_USER_ID};
use delius_data::schema::{
    contact, prison_offender_manager as pom, r_contact_type, r_standard_reference_list,
    responsible_officer as ro, staff, staff_team, team,
};

/// HANDOVER (H123456 / A1024BY): no POM history, so every reason starts from scratch.
pub const HANDOVER_PERSON: i64 = 930002;
/// NO_MAPPA (X123456 / A1024BX).
const NO_MAPPA_PERSON: i64 = 930003;
const N03: i64 = 103;
const N03POM: i64 = 1032;
const N03ALL: i64 = 1033;
const N03ALLU: i64 = 1032;

// --- helpers ---------------------------------------------------------------------------------

pub fn ts(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("timestamp")
}

/// MPC answers `at_path` with `status` and a body from `tests/fixtures/simulations`.
pub async fn mock_mpc(app: &TestApp, at_path: &str, status: u16, simulation: Option<&str>) {
    let mut response = ResponseTemplate::new(status);
    if let Some(name) = simulation {
        let body = std::fs::read_to_string(fixture(&format!("simulations/{name}")))
            .expect("simulation body");
        response = response.set_body_raw(body, "application/json");
    }
    Mock::given(method("GET"))
        .and(path(at_path))
        .respond_with(response)
        .mount(&app.mpc)
        .await;
}

/// MPC answers `at_path` with this allocation.
pub async fn mock_allocation(
    app: &TestApp,
    at_path: &str,
    forename: &str,
    surname: &str,
    prison: &str,
) {
    let body = serde_json::json!({
        "manager": {"forename": forename, "surname": surname, "email": format!("{forename}.{surname}@justice.gov.uk").to_lowercase()},
        "prison": {"code": prison}
    });
    Mock::given(method("GET"))
        .and(path(at_path))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&app.mpc)
        .await;
}

/// An `offender-management.allocation.changed` message for `noms` whose detailUrl is `at_path`
/// on the mock MPC (none when `at_path` is `None`).
pub fn allocation_message(
    app: &TestApp,
    noms: &str,
    at_path: Option<&str>,
    occurred_at: &str,
) -> Notification {
    let mut event = serde_json::json!({
        "eventType": "offender-management.allocation.changed",
        "occurredAt": occurred_at,
        "personReference": {"identifiers": [{"type": "NOMS", "value": noms}]}
    });
    if let Some(at_path) = at_path {
        event["detailUrl"] = format!("{}{at_path}", app.mpc.uri()).into();
    }
    envelope("offender-management.allocation.changed", &event)
}

pub fn envelope(event_type: &str, event: &serde_json::Value) -> Notification {
    let body = serde_json::json!({
        "Type": "Notification",
        "MessageId": next_message_id(),
        "TopicArn": "arn:aws:sns:eu-west-2:000000000000:domain-event",
        "Message": event.to_string(),
        "Timestamp": "2023-05-09T13:25:20.000Z",
        "MessageAttributes": {"eventType": {"Type": "String", "Value": event_type}}
    });
    Notification::parse(&body.to_string()).expect("notification")
}

/// A distinct SNS MessageId per built message.
fn next_message_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!(
        "00000000-0000-0000-0000-{:012}",
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct PomRow {
    pub id: i64,
    pub allocation_date: NaiveDateTime,
    pub end_date: Option<NaiveDateTime>,
    pub active_flag: i16,
    pub reason: Option<String>,
    pub staff_id: i64,
    pub staff_code: String,
    pub team_code: String,
    pub provider_id: i64,
    pub email: Option<String>,
    pub row_version: i64,
    pub created_by: i64,
    pub last_updated_by: i64,
}

/// The person's live POMs, oldest first.
pub async fn poms(app: &TestApp, person_id: i64) -> Vec<PomRow> {
    let mut conn = app.conn().await;
    pom::table
        .inner_join(staff::table.on(staff::staff_id.eq(pom::allocation_staff_id)))
        .inner_join(team::table.on(team::team_id.eq(pom::allocation_team_id)))
        .left_join(
            r_standard_reference_list::table.on(
                r_standard_reference_list::standard_reference_list_id
                    .nullable()
                    .eq(pom::allocation_reason_id),
            ),
        )
        .filter(pom::offender_id.eq(person_id))
        .filter(pom::soft_deleted.eq(0))
        .order((pom::allocation_date, pom::prison_offender_manager_id))
        .select((
            pom::prison_offender_manager_id,
            pom::allocation_date,
            pom::end_date,
            pom::active_flag,
            r_standard_reference_list::code_value.nullable(),
            pom::allocation_staff_id,
            staff::officer_code,
            team::code,
            pom::probation_area_id,
            pom::email_address,
            pom::row_version,
            pom::created_by_user_id,
            pom::last_updated_user_id,
        ))
        .load(&mut *conn)
        .await
        .expect("poms")
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct RoRow {
    pub id: i64,
    pub pom_id: Option<i64>,
    pub start_date: NaiveDateTime,
    pub end_date: Option<NaiveDateTime>,
    pub row_version: i64,
    pub created_by: Option<i64>,
}

pub async fn responsible_officers(app: &TestApp, person_id: i64) -> Vec<RoRow> {
    let mut conn = app.conn().await;
    ro::table
        .filter(ro::offender_id.eq(person_id))
        .order((ro::start_date, ro::responsible_officer_id))
        .select((
            ro::responsible_officer_id,
            ro::prison_offender_manager_id,
            ro::start_date,
            ro::end_date,
            ro::row_version,
            ro::created_by_user_id,
        ))
        .load(&mut *conn)
        .await
        .expect("responsible officers")
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ContactRow {
    pub type_code: String,
    pub date: NaiveDate,
    pub start_time: Option<NaiveTime>,
    pub notes: Option<String>,
    pub provider_id: Option<i64>,
    pub team_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub event_id: Option<i64>,
    pub created_by: Option<i64>,
    pub soft_deleted: i16,
}

pub async fn contacts(app: &TestApp, person_id: i64) -> Vec<ContactRow> {
    let mut conn = app.conn().await;
    contact::table
        .inner_join(r_contact_type::table)
        .filter(contact::offender_id.eq(person_id))
        .order(contact::contact_id)
        .select((
            r_contact_type::code,
            contact::contact_date,
            contact::contact_start_time,
            contact::notes,
            contact::probation_area_id,
            contact::team_id,
            contact::staff_id,
            contact::event_id,
            contact::created_by_user_id,
            contact::soft_deleted,
        ))
        .load(&mut *conn)
        .await
        .expect("contacts")
}

pub fn contact_codes(rows: &[ContactRow]) -> Vec<&str> {
    rows.iter().map(|c| c.type_code.as_str()).collect()
}

/// Staff of N03 with this name: (id, officer code, start date).
pub async fn n03_staff_named(
    app: &TestApp,
    forename: &str,
    surname: &str,
) -> Vec<(i64, String, Option<NaiveDate>)> {
    let mut conn = app.conn().await;
    staff::table
        .filter(staff::probation_area_id.eq(N03))
        .filter(staff::forename.eq(forename))
        .filter(staff::surname.eq(surname))
        .order(staff::staff_id)
        .select((staff::staff_id, staff::officer_code, staff::start_date))
        .load(&mut *conn)
        .await
        .expect("staff")
}

async fn staff_count(app: &TestApp) -> i64 {
    let mut conn = app.conn().await;
    staff::table
        .select(count_star())
        .get_result(&mut *conn)
        .await
        .expect("count")
}

async fn teams_of(app: &TestApp, staff_id: i64) -> Vec<i64> {
    let mut conn = app.conn().await;
    staff_team::table
        .filter(staff_team::staff_id.eq(staff_id))
        .select(staff_team::team_id)
        .load(&mut *conn)
        .await
        .expect("staff teams")
}

/// The seeded future-dated POM's start (dev-seed: now + 3 days).
pub async fn future_pom_start(app: &TestApp) -> NaiveDateTime {
    let mut conn = app.conn().await;
    pom::table
        .find(930001)
        .select(pom::allocation_date)
        .get_result(&mut *conn)
        .await
        .expect("seeded future POM")
}

/// Makes this POM the person's responsible officer (open-ended), as scenario 18's "given".
async fn make_responsible_officer(app: &TestApp, id: i64, person_id: i64, pom_row: &PomRow) {
    let mut conn = app.conn().await;
    diesel::insert_into(ro::table)
        .values((
            ro::responsible_officer_id.eq(id),
            ro::offender_id.eq(person_id),
            ro::prison_offender_manager_id.eq(pom_row.id),
            ro::start_date.eq(pom_row.allocation_date),
            ro::row_version.eq(0i64),
        ))
        .execute(&mut *conn)
        .await
        .expect("responsible officer");
}

async fn insert_staff(
    app: &TestApp,
    id: i64,
    code: &str,
    forename: &str,
    surname: &str,
    provider: i64,
) {
    let mut conn = app.conn().await;
    diesel::insert_into(staff::table)
        .values((
            staff::staff_id.eq(id),
            staff::officer_code.eq(code),
            staff::forename.eq(forename),
            staff::surname.eq(surname),
            staff::probation_area_id.eq(provider),
            staff::private.eq(0i16),
            staff::row_version.eq(0i64),
        ))
        .execute(&mut *conn)
        .await
        .expect("staff");
}

// --- scenarios 16-19 (ordered in the reference: one sequence here) -----------------------------

#[tokio::test]
async fn scenarios_16_to_19_default_is_not_ready_then_allocated_reallocated_with_the_ro_and_deallocated(
) {
    let app = TestApp::start().await;
    let future_start = future_pom_start(&app).await;
    mock_mpc(
        &app,
        "/api/pom-allocation/A0123BY/0",
        404,
        Some("not-yet-allocation.json"),
    )
    .await;
    mock_mpc(
        &app,
        "/api/pom-allocation/A0123BY/1",
        200,
        Some("new-allocation.json"),
    )
    .await;
    mock_mpc(
        &app,
        "/api/pom-allocation/A0123BY/2",
        200,
        Some("pom-reallocated.json"),
    )
    .await;
    mock_mpc(
        &app,
        "/api/pom-allocation/A0123BY/3",
        404,
        Some("deallocation.json"),
    )
    .await;
    let staff_before = staff_count(&app).await;

    // 16: 404 "Not ready for allocation" -> NotReadyToAllocate, nothing written.
    let disposition = app.publish(&app.message("not-yet-allocation.json")).await;
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(
        app.outcome("NotReadyToAllocate").properties,
        props(&[
            ("nomsId", "A0123BY"),
            ("allocationDate", "09/05/2023 14:25:19")
        ])
    );
    assert_eq!(
        poms(&app, DEFAULT_PERSON).await.len(),
        1,
        "only the seeded future POM"
    );
    assert!(contacts(&app, DEFAULT_PERSON).await.is_empty());
    assert_eq!(staff_count(&app).await, staff_before);

    // 17: John Smith @ SWI -> new N03 staff in N03POM, AUT POM, EPOMAT contact.
    app.publish(&app.message("new-allocation.json")).await;
    assert_eq!(
        app.outcome("PomAllocated").properties,
        props(&[
            ("prisonId", "SWI"),
            ("nomsId", "A0123BY"),
            ("allocationDate", "09/05/2023 14:25:19")
        ])
    );
    let johns = n03_staff_named(&app, "John", "Smith").await;
    assert_eq!(
        johns.len(),
        1,
        "created once, in N03 (N01's John Smith is not reused)"
    );
    let (john_id, john_code, john_start) = johns[0].clone();
    assert_eq!(john_code, "N03A001");
    assert_eq!(
        john_start,
        Some(NaiveDate::from_ymd_opt(2023, 5, 9).unwrap())
    );
    assert_eq!(teams_of(&app, john_id).await, vec![N03POM]);

    let rows = poms(&app, DEFAULT_PERSON).await;
    assert_eq!(rows.len(), 2);
    let john = rows[0].clone();
    assert_eq!(john.allocation_date, ts("2023-05-09 14:25:19"));
    assert_eq!(john.reason.as_deref(), Some("AUT"));
    assert_eq!(
        (john.staff_id, john.team_code.as_str(), john.provider_id),
        (john_id, "N03POM", N03)
    );
    assert_eq!(john.email.as_deref(), Some("john.smith@justice.gov.uk"));
    // Rule 4: the seeded future POM starts later, so John's POM ends then and is not active.
    assert_eq!(john.end_date, Some(future_start));
    assert_eq!(john.active_flag, 0);
    assert_eq!(
        (john.created_by, john.last_updated_by, john.row_version),
        (SERVICE_USER_ID, SERVICE_USER_ID, 0)
    );

    let written = contacts(&app, DEFAULT_PERSON).await;
    assert_eq!(contact_codes(&written), ["EPOMAT"]);
    let epomat = &written[0];
    assert_eq!(
        epomat.notes.as_deref(),
        Some("Transfer Reason: Automatic Allocation\nTransfer Date: 09/05/2023")
    );
    assert_eq!(epomat.date, NaiveDate::from_ymd_opt(2023, 5, 9).unwrap());
    assert_eq!(epomat.start_time, NaiveTime::from_hms_opt(14, 25, 19));
    assert_eq!(
        (epomat.provider_id, epomat.team_id, epomat.staff_id),
        (Some(N03), Some(N03POM), Some(john_id))
    );
    assert_eq!(
        (epomat.event_id, epomat.created_by, epomat.soft_deleted),
        (None, Some(SERVICE_USER_ID), 0)
    );
    let seeded_ro_only = responsible_officers(&app, DEFAULT_PERSON).await;
    assert_eq!(seeded_ro_only.len(), 1, "no current POM, so no RO moves");

    // 18: John Smith is made the RO; James Brown @ SWI -> INA, RO moves, ROC.
    make_responsible_officer(&app, 930200, DEFAULT_PERSON, &john).await;
    app.publish(&app.message("pom-reallocated.json")).await;
    let allocated = app.telemetry.named("PomAllocated");
    assert_eq!(
        allocated[1].properties,
        props(&[
            ("prisonId", "SWI"),
            ("nomsId", "A0123BY"),
            ("allocationDate", "09/10/2023 14:25:19")
        ])
    );
    let jameses = n03_staff_named(&app, "James", "Brown").await;
    assert_eq!(jameses.len(), 1);
    let (james_id, james_code, _) = jameses[0].clone();
    assert_eq!(james_code, "N03A002");
    assert_eq!(teams_of(&app, james_id).await, vec![N03POM]);

    let rows = poms(&app, DEFAULT_PERSON).await;
    assert_eq!(rows.len(), 3);
    let (john, james) = (rows[0].clone(), rows[1].clone());
    assert_eq!(
        john.end_date,
        Some(ts("2023-10-09 14:25:19")),
        "rule 5: old POM end-dated"
    );
    assert_eq!((john.active_flag, john.row_version), (0, 1));
    assert_eq!(james.staff_id, james_id);
    assert_eq!(james.reason.as_deref(), Some("INA"));
    assert_eq!(james.allocation_date, ts("2023-10-09 14:25:19"));
    assert_eq!(james.email.as_deref(), Some("james.brown@justice.gov.uk"));
    // Rule 4: John's pre-existing end date passes to James.
    assert_eq!((james.end_date, james.active_flag), (Some(future_start), 0));

    let ros = responsible_officers(&app, DEFAULT_PERSON).await;
    let john_ro = ros
        .iter()
        .find(|r| r.pom_id == Some(john.id))
        .expect("John's RO");
    assert_eq!(
        (john_ro.end_date, john_ro.row_version),
        (Some(ts("2023-10-09 14:25:19")), 1)
    );
    let james_ro = ros
        .iter()
        .find(|r| r.pom_id == Some(james.id))
        .expect("James's RO");
    assert_eq!(james_ro.start_date, ts("2023-10-09 14:25:19"));
    assert_eq!(
        james_ro.end_date,
        Some(future_start),
        "rule 4: the new RO ends with its POM"
    );
    assert_eq!(james_ro.created_by, Some(SERVICE_USER_ID));

    let written = contacts(&app, DEFAULT_PERSON).await;
    assert_eq!(contact_codes(&written), ["EPOMAT", "EPOMIN", "ROC"]);
    assert_eq!(
        written[1].notes.as_deref(),
        Some(
            "Transfer Reason: Internal Allocation\nTransfer Date: 09/10/2023\n\
             From Establishment Provider: Description of N03\nFrom Team: Team N03POM\n\
             From Officer: Smith, John"
        )
    );
    let expected_roc = format!(
        "New Details:\n\
         Responsible Officer Type: Prison Offender Manager\n\
         Responsible Officer: Brown, James (Team N03POM, Description of N03)\n\
         Start Date: 09/10/2023 14:25:19\n\
         Allocation Reason: Internal Allocation\n\
         \n\
         Previous Details:\n\
         Responsible Officer Type: Prison Offender Manager\n\
         Responsible Officer: Smith, John (Team N03POM, Description of N03)\n\
         Start Date: 09/05/2023 14:25:19\n\
         End Date: {}\n\
         Allocation Reason: Automatic Allocation",
        future_start.format("%d/%m/%Y %H:%M:%S")
    );
    assert_eq!(written[2].notes.as_deref(), Some(expected_roc.as_str()));
    for c in &written[1..] {
        assert_eq!(
            (c.provider_id, c.team_id, c.staff_id),
            (Some(N03), Some(N03POM), Some(james_id))
        );
        assert_eq!(c.date, NaiveDate::from_ymd_opt(2023, 10, 9).unwrap());
    }

    // 19: 404 "Not allocated" -> N03ALLU in N03ALL, AUT, EPOMAT; no staff created.
    let staff_before_deallocation = staff_count(&app).await;
    app.publish(&app.message("deallocation.json")).await;
    assert_eq!(
        app.outcome("PomDeallocated").properties,
        props(&[
            ("nomsId", "A0123BY"),
            ("allocationDate", "10/10/2023 15:25:19")
        ])
    );
    assert_eq!(staff_count(&app).await, staff_before_deallocation);
    let rows = poms(&app, DEFAULT_PERSON).await;
    assert_eq!(rows.len(), 4);
    let (james, unallocated) = (rows[1].clone(), rows[2].clone());
    assert_eq!(
        (james.end_date, james.active_flag),
        (Some(ts("2023-10-10 15:25:19")), 0)
    );
    assert_eq!(unallocated.reason.as_deref(), Some("AUT"));
    assert_eq!(
        (
            unallocated.staff_code.as_str(),
            unallocated.team_code.as_str()
        ),
        ("N03ALLU", "N03ALL")
    );
    assert_eq!(unallocated.email, None, "no e-mail on deallocation");
    assert_eq!(unallocated.end_date, Some(future_start));
    let written = contacts(&app, DEFAULT_PERSON).await;
    assert_eq!(
        contact_codes(&written),
        ["EPOMAT", "EPOMIN", "ROC", "EPOMAT", "ROC"]
    );
    assert_eq!(
        written[3].notes.as_deref(),
        Some(
            "Transfer Reason: Automatic Allocation\nTransfer Date: 10/10/2023\n\
             From Establishment Provider: Description of N03\nFrom Team: Team N03POM\n\
             From Officer: Brown, James"
        )
    );
    assert_eq!(
        (written[3].team_id, written[3].staff_id),
        (Some(N03ALL), Some(N03ALLU))
    );
    // Rule 1: James's RO is in force at the deallocation (it ends only at the future POM's start),
    // so it ends now and moves to the unallocated POM, ending where that POM ends.
    let ros = responsible_officers(&app, DEFAULT_PERSON).await;
    let james_ro = ros
        .iter()
        .find(|r| r.pom_id == Some(james.id))
        .expect("James's RO");
    assert_eq!(james_ro.end_date, Some(ts("2023-10-10 15:25:19")));
    let unallocated_ro = ros
        .iter()
        .find(|r| r.pom_id == Some(unallocated.id))
        .expect("the RO moved to the unallocated POM");
    assert_eq!(unallocated_ro.end_date, Some(future_start));
}

// --- rule 1: the responsible officer ----------------------------------------------------------

#[tokio::test]
async fn rule_1_the_ro_moves_with_each_change_when_the_outgoing_pom_holds_it() {
    let app = TestApp::start().await;
    mock_allocation(&app, "/mpc/john", "John", "Smith", "SWI").await;
    mock_allocation(&app, "/mpc/james", "James", "Brown", "SWI").await;
    mock_mpc(&app, "/mpc/gone", 404, Some("deallocation.json")).await;

    app.publish(&allocation_message(
        &app,
        "A1024BY",
        Some("/mpc/john"),
        "2024-01-10T09:00:00Z",
    ))
    .await;
    let john = poms(&app, HANDOVER_PERSON).await[0].clone();
    assert_eq!((john.end_date, john.active_flag), (None, 1));
    make_responsible_officer(&app, 930201, HANDOVER_PERSON, &john).await;

    app.publish(&allocation_message(
        &app,
        "A1024BY",
        Some("/mpc/james"),
        "2024-02-10T09:00:00Z",
    ))
    .await;
    let rows = poms(&app, HANDOVER_PERSON).await;
    let james = rows[1].clone();
    assert_eq!(
        (james.reason.as_deref(), james.end_date, james.active_flag),
        (Some("INA"), None, 1)
    );
    let ros = responsible_officers(&app, HANDOVER_PERSON).await;
    assert_eq!(ros.len(), 2);
    assert_eq!(
        (ros[0].pom_id, ros[0].end_date),
        (Some(john.id), Some(ts("2024-02-10 09:00:00")))
    );
    assert_eq!(
        (ros[1].pom_id, ros[1].start_date, ros[1].end_date),
        (Some(james.id), ts("2024-02-10 09:00:00"), None)
    );
    let written = contacts(&app, HANDOVER_PERSON).await;
    assert_eq!(contact_codes(&written), ["EPOMAT", "EPOMIN", "ROC"]);
    assert_eq!(
        written[2].notes.as_deref(),
        Some(
            "New Details:\n\
             Responsible Officer Type: Prison Offender Manager\n\
             Responsible Officer: Brown, James (Team N03POM, Description of N03)\n\
             Start Date: 10/02/2024 09:00:00\n\
             Allocation Reason: Internal Allocation\n\
             \n\
             Previous Details:\n\
             Responsible Officer Type: Prison Offender Manager\n\
             Responsible Officer: Smith, John (Team N03POM, Description of N03)\n\
             Start Date: 10/01/2024 09:00:00\n\
             Allocation Reason: Automatic Allocation"
        ),
        "rule 5: no End Date lines when neither POM had one before the change"
    );

    // Deallocation moves the RO to the unallocated POM too (spec 3.2.2 step 4).
    app.publish(&allocation_message(
        &app,
        "A1024BY",
        Some("/mpc/gone"),
        "2024-03-10T09:00:00Z",
    ))
    .await;
    let rows = poms(&app, HANDOVER_PERSON).await;
    let unallocated = rows[2].clone();
    assert_eq!(
        (unallocated.staff_code.as_str(), unallocated.active_flag),
        ("N03ALLU", 1)
    );
    assert_eq!(
        rows.iter().filter(|p| p.active_flag == 1).count(),
        1,
        "one active POM"
    );
    let ros = responsible_officers(&app, HANDOVER_PERSON).await;
    assert_eq!(ros.len(), 3);
    assert_eq!(ros[1].end_date, Some(ts("2024-03-10 09:00:00")));
    assert_eq!(
        (ros[2].pom_id, ros[2].end_date),
        (Some(unallocated.id), None)
    );
    let written = contacts(&app, HANDOVER_PERSON).await;
    assert_eq!(
        contact_codes(&written),
        ["EPOMAT", "EPOMIN", "ROC", "EPOMAT", "ROC"]
    );
    assert!(written[4].notes.as_deref().is_some_and(|n| n
        .contains("Responsible Officer: Staff, Unallocated (Team N03ALL, Description of N03)")
        && n.contains("Allocation Reason: Automatic Allocation\n\nPrevious Details:")));
}

#[tokio::test]
async fn rule_1_no_ro_row_and_no_roc_when_the_outgoing_pom_does_not_hold_the_ro() {
    let app = TestApp::start().await;
    mock_allocation(&app, "/mpc/john", "John", "Smith", "SWI").await;
    mock_allocation(&app, "/mpc/james", "James", "Brown", "SWI").await;
    app.publish(&allocation_message(
        &app,
        "A1024BY",
        Some("/mpc/john"),
        "2024-01-10T09:00:00Z",
    ))
    .await;
    // An RO that belongs to something else (no POM link) does not count.
    {
        let mut conn = app.conn().await;
        diesel::insert_into(ro::table)
            .values((
                ro::responsible_officer_id.eq(930202),
                ro::offender_id.eq(HANDOVER_PERSON),
                ro::start_date.eq(ts("2024-01-01 00:00:00")),
                ro::row_version.eq(0i64),
            ))
            .execute(&mut *conn)
            .await
            .expect("community RO");
    }
    app.publish(&allocation_message(
        &app,
        "A1024BY",
        Some("/mpc/james"),
        "2024-02-10T09:00:00Z",
    ))
    .await;
    assert_eq!(
        contact_codes(&contacts(&app, HANDOVER_PERSON).await),
        ["EPOMAT", "EPOMIN"]
    );
    let ros = responsible_officers(&app, HANDOVER_PERSON).await;
    assert_eq!(ros.len(), 1, "no RO created");
    assert_eq!(
        (ros[0].end_date, ros[0].row_version),
        (None, 0),
        "the other RO is untouched"
    );
}

// --- rule 2: reasons ---------------------------------------------------------------------------

#[tokio::test]
async fn rule_2_a_pom_from_another_provider_gives_ext_and_epomex() {
    let app = TestApp::start().await;
    // NO_MAPPA's current POM is at HMP Whitemoor (WSI, provider 107, team WSIPOM).
    insert_staff(&app, 930200, "WSIA001", "Wendy", "Warder", 107).await;
    {
        let mut conn = app.conn().await;
        diesel::insert_into(pom::table)
            .values((
                pom::prison_offender_manager_id.eq(930200),
                pom::offender_id.eq(NO_MAPPA_PERSON),
                pom::allocation_date.eq(ts("2023-01-01 00:00:00")),
                pom::allocation_reason_id.eq(10701),
                pom::allocation_staff_id.eq(930200),
                pom::allocation_team_id.eq(1072),
                pom::probation_area_id.eq(107),
                pom::created_by_user_id.eq(1),
                pom::last_updated_user_id.eq(1),
                pom::created_datetime.eq(ts("2023-01-01 00:00:00")),
                pom::last_updated_datetime.eq(ts("2023-01-01 00:00:00")),
            ))
            .execute(&mut *conn)
            .await
            .expect("WSI POM");
    }
    mock_allocation(&app, "/mpc/john", "John", "Smith", "SWI").await;
    app.publish(&allocation_message(
        &app,
        "A1024BX",
        Some("/mpc/john"),
        "2024-01-10T09:00:00Z",
    ))
    .await;
    assert_eq!(app.outcome("PomAllocated").properties["prisonId"], "SWI");
    let rows = poms(&app, NO_MAPPA_PERSON).await;
    assert_eq!(rows[1].reason.as_deref(), Some("EXT"));
    assert_eq!(rows[1].provider_id, N03);
    assert_eq!(
        (rows[0].end_date, rows[0].active_flag),
        (Some(ts("2024-01-10 09:00:00")), 0)
    );
    let written = contacts(&app, NO_MAPPA_PERSON).await;
    assert_eq!(contact_codes(&written), ["EPOMEX"]);
    assert_eq!(
        written[0].notes.as_deref(),
        Some(
            "Transfer Reason: External Allocation\nTransfer Date: 10/01/2024\n\
             From Establishment Provider: HMP Whitemoor\nFrom Team: Team WSIPOM\n\
             From Officer: Warder, Wendy"
        )
    );
    assert_eq!(
        written[0].provider_id,
        Some(N03),
        "attributed to the new POM"
    );
}

#[tokio::test]
async fn rule_2_first_pom_is_aut_and_a_change_within_the_provider_is_ina() {
    let app = TestApp::start().await;
    mock_allocation(&app, "/mpc/john", "John", "Smith", "SWI").await;
    mock_allocation(&app, "/mpc/james", "James", "Brown", "SWI").await;
    app.publish(&allocation_message(
        &app,
        "A1024BY",
        Some("/mpc/john"),
        "2024-01-10T09:00:00Z",
    ))
    .await;
    app.publish(&allocation_message(
        &app,
        "A1024BY",
        Some("/mpc/james"),
        "2024-02-10T09:00:00Z",
    ))
    .await;
    let reasons: Vec<_> = poms(&app, HANDOVER_PERSON)
        .await
        .into_iter()
        .map(|p| p.reason)
        .collect();
    assert_eq!(reasons, [Some("AUT".to_owned()), Some("INA".to_owned())]);
    assert_eq!(
        contact_codes(&contacts(&app, HANDOVER_PERSON).await),
        ["EPOMAT", "EPOMIN"]
    );
}

// --- rule 3: no change, idempotency, concurrency ------------------------------------------------

#[tokio::test]
async fn rule_3_the_same_message_twice_is_no_pom_change_and_writes_nothing_more() {
    let app = TestApp::start().await;
    mock_allocation(&app, "/mpc/john", "John", "Smith", "SWI").await;
    let message = allocation_message(&app, "A1024BY", Some("/mpc/john"), "2024-01-10T09:00:00Z");
    app.publish(&message).await;
    let poms_once = poms(&app, HANDOVER_PERSON).await;
    let contacts_once = contacts(&app, HANDOVER_PERSON).await;
    let staff_once = staff_count(&app).await;

    assert_eq!(app.publish(&message).await, Disposition::Deleted);
    assert_eq!(
        app.outcome("NoPomChange").properties,
        props(&[
            ("prisonId", "SWI"),
            ("nomsId", "A1024BY"),
            ("allocationDate", "10/01/2024 09:00:00")
        ])
    );
    assert_eq!(poms(&app, HANDOVER_PERSON).await, poms_once);
    assert_eq!(contacts(&app, HANDOVER_PERSON).await, contacts_once);
    assert_eq!(staff_count(&app).await, staff_once);
}

#[tokio::test]
async fn rule_3_no_pom_change_does_not_update_the_email() {
    let app = TestApp::start().await;
    mock_allocation(&app, "/mpc/john", "John", "Smith", "SWI").await;
    Mock::given(method("GET"))
        .and(path("/mpc/john-new-email"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "manager": {"forename": "JOHN", "surname": "smith", "email": "changed@justice.gov.uk"},
            "prison": {"code": "SWI"}
        })))
        .mount(&app.mpc)
        .await;
    app.publish(&allocation_message(
        &app,
        "A1024BY",
        Some("/mpc/john"),
        "2024-01-10T09:00:00Z",
    ))
    .await;
    app.publish(&allocation_message(
        &app,
        "A1024BY",
        Some("/mpc/john-new-email"),
        "2024-02-10T09:00:00Z",
    ))
    .await;
    assert_eq!(
        app.outcome("NoPomChange").properties["allocationDate"],
        "10/02/2024 09:00:00"
    );
    let rows = poms(&app, HANDOVER_PERSON).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].email.as_deref(), Some("john.smith@justice.gov.uk"));
    assert_eq!(contacts(&app, HANDOVER_PERSON).await.len(), 1);
}

#[tokio::test]
async fn concurrent_duplicate_allocations_leave_one_active_pom() {
    let app = TestApp::start().await;
    mock_allocation(&app, "/mpc/john", "John", "Smith", "SWI").await;
    let message = allocation_message(&app, "A1024BY", Some("/mpc/john"), "2024-01-10T09:00:00Z");
    let event: HmppsDomainEvent = serde_json::from_str(&message.message).expect("event");
    let (first, second) = tokio::join!(
        allocation::allocation_changed(&app.context, &event),
        allocation::allocation_changed(&app.context, &event)
    );
    let mut names = vec![
        first.expect("first").name().to_owned(),
        second.expect("second").name().to_owned(),
    ];
    names.sort();
    assert_eq!(names, ["NoPomChange", "PomAllocated"]);
    let rows = poms(&app, HANDOVER_PERSON).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].active_flag, 1);
    assert_eq!(n03_staff_named(&app, "John", "Smith").await.len(), 1);
    assert_eq!(contacts(&app, HANDOVER_PERSON).await.len(), 1);
}

// --- rule 6: staff ----------------------------------------------------------------------------

#[tokio::test]
async fn rule_6_staff_is_found_by_name_ignoring_case_within_the_provider() {
    let app = TestApp::start().await;
    insert_staff(&app, 930203, "N03A005", "JOHN", "smith", N03).await;
    mock_allocation(&app, "/mpc/john", "John", "Smith", "SWI").await;
    let before = staff_count(&app).await;
    app.publish(&allocation_message(
        &app,
        "A1024BY",
        Some("/mpc/john"),
        "2024-01-10T09:00:00Z",
    ))
    .await;
    assert_eq!(staff_count(&app).await, before, "no staff created");
    assert_eq!(poms(&app, HANDOVER_PERSON).await[0].staff_id, 930203);
    assert!(
        teams_of(&app, 930203).await.is_empty(),
        "found staff are not linked to a team"
    );
}

#[tokio::test]
async fn rule_6_new_officer_codes_follow_the_highest_existing_code() {
    let app = TestApp::start().await;
    insert_staff(&app, 930204, "N03A041", "Someone", "Else", N03).await;
    mock_allocation(&app, "/mpc/john", "John", "Smith", "SWI").await;
    app.publish(&allocation_message(
        &app,
        "A1024BY",
        Some("/mpc/john"),
        "2024-01-10T09:00:00Z",
    ))
    .await;
    let johns = n03_staff_named(&app, "John", "Smith").await;
    assert_eq!(johns.len(), 1);
    assert_eq!(johns[0].1, "N03A042");
}

#[tokio::test]
async fn rule_6_exhausted_officer_codes_fail_the_message_and_write_nothing() {
    let app = TestApp::start().await;
    for (offset, letter) in ('A'..='Z').enumerate() {
        let id = 930210 + i64::try_from(offset).expect("small");
        insert_staff(
            &app,
            id,
            &format!("N03{letter}999"),
            "Taken",
            &format!("Code{letter}"),
            N03,
        )
        .await;
    }
    mock_allocation(&app, "/mpc/john", "John", "Smith", "SWI").await;
    let disposition = app
        .publish(&allocation_message(
            &app,
            "A1024BY",
            Some("/mpc/john"),
            "2024-01-10T09:00:00Z",
        ))
        .await;
    assert_eq!(disposition, Disposition::DeadLettered);
    assert!(n03_staff_named(&app, "John", "Smith").await.is_empty());
    assert!(poms(&app, HANDOVER_PERSON).await.is_empty());
    assert!(contacts(&app, HANDOVER_PERSON).await.is_empty());
}

// --- failures and ignores ---------------------------------------------------------------------

#[tokio::test]
async fn unknown_prison_code_fails_the_message_and_writes_nothing() {
    let app = TestApp::start().await;
    mock_allocation(&app, "/mpc/nowhere", "John", "Smith", "XXX").await;
    let before = staff_count(&app).await;
    let disposition = app
        .publish(&allocation_message(
            &app,
            "A1024BY",
            Some("/mpc/nowhere"),
            "2024-01-10T09:00:00Z",
        ))
        .await;
    assert_eq!(disposition, Disposition::DeadLettered);
    assert_eq!(staff_count(&app).await, before);
    assert!(poms(&app, HANDOVER_PERSON).await.is_empty());
    assert!(contacts(&app, HANDOVER_PERSON).await.is_empty());
    assert!(app.outcomes().iter().all(|e| e.name != "PomAllocated"));
}

#[tokio::test]
async fn mpc_server_error_fails_the_message() {
    let app = TestApp::start().await;
    mock_mpc(&app, "/mpc/broken", 500, None).await;
    let disposition = app
        .publish(&allocation_message(
            &app,
            "A1024BY",
            Some("/mpc/broken"),
            "2024-01-10T09:00:00Z",
        ))
        .await;
    assert_eq!(disposition, Disposition::DeadLettered);
    assert!(poms(&app, HANDOVER_PERSON).await.is_empty());
}

#[tokio::test]
async fn detail_url_outside_the_allow_list_fails_without_a_request() {
    let app = TestApp::start().await;
    let mut message = allocation_message(&app, "A1024BY", None, "2024-01-10T09:00:00Z");
    let mut event: serde_json::Value = serde_json::from_str(&message.message).expect("json");
    event["detailUrl"] = "http://elsewhere.example/api/allocation/A1024BY/primary_pom".into();
    message.message = event.to_string();
    assert_eq!(app.publish(&message).await, Disposition::DeadLettered);
    assert_eq!(app.mpc_requests().await, 0, "Manage POM Cases was called");
}

#[tokio::test]
async fn missing_detail_url_is_ignored_as_no_pom_allocation_data_available() {
    let app = TestApp::start().await;
    let disposition = app
        .publish(&allocation_message(
            &app,
            "A0123BY",
            None,
            "2024-01-10T09:00:00Z",
        ))
        .await;
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(
        app.outcome("No POM Allocation data available").properties,
        props(&[("nomsId", "A0123BY"), ("detailUrl", "Not Provided")])
    );
}

#[tokio::test]
async fn person_not_found_is_checked_after_the_fetch_and_creates_no_staff() {
    let app = TestApp::start().await;
    mock_allocation(&app, "/mpc/john", "John", "Smith", "SWI").await;
    let disposition = app
        .publish(&allocation_message(
            &app,
            "A0000BY",
            Some("/mpc/john"),
            "2024-01-10T09:00:00Z",
        ))
        .await;
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(
        app.outcome("PersonNotFound").properties,
        props(&[("nomsId", "A0000BY")])
    );
    assert_eq!(
        app.mpc.received_requests().await.map(|r| r.len()),
        Some(1),
        "fetched first"
    );
    assert!(n03_staff_named(&app, "John", "Smith").await.is_empty());
}

#[tokio::test]
async fn rule_8_not_allocated_without_a_current_pom_is_no_pom_change() {
    let app = TestApp::start().await;
    mock_mpc(&app, "/mpc/gone", 404, Some("deallocation.json")).await;
    app.publish(&allocation_message(
        &app,
        "A1024BY",
        Some("/mpc/gone"),
        "2024-01-10T09:00:00Z",
    ))
    .await;
    assert_eq!(
        app.outcome("NoPomChange").properties,
        props(&[
            ("nomsId", "A1024BY"),
            ("allocationDate", "10/01/2024 09:00:00")
        ])
    );
    assert!(poms(&app, HANDOVER_PERSON).await.is_empty());
    assert!(contacts(&app, HANDOVER_PERSON).await.is_empty());
}

#[tokio::test]
async fn deallocating_an_unallocated_pom_again_is_no_pom_change() {
    let app = TestApp::start().await;
    mock_allocation(&app, "/mpc/john", "John", "Smith", "SWI").await;
    mock_mpc(&app, "/mpc/gone", 404, Some("deallocation.json")).await;
    app.publish(&allocation_message(
        &app,
        "A1024BY",
        Some("/mpc/john"),
        "2024-01-10T09:00:00Z",
    ))
    .await;
    app.publish(&allocation_message(
        &app,
        "A1024BY",
        Some("/mpc/gone"),
        "2024-02-10T09:00:00Z",
    ))
    .await;
    app.publish(&allocation_message(
        &app,
        "A1024BY",
        Some("/mpc/gone"),
        "2024-03-10T09:00:00Z",
    ))
    .await;
    let names: Vec<String> = app.outcomes().into_iter().map(|e| e.name).collect();
    assert_eq!(names, ["PomAllocated", "PomDeallocated", "NoPomChange"]);
    assert_eq!(poms(&app, HANDOVER_PERSON).await.len(), 2);
    assert_eq!(
        contact_codes(&contacts(&app, HANDOVER_PERSON).await),
        ["EPOMAT", "EPOMAT"]
    );
}

#[tokio::test]
async fn rule_4_an_earlier_message_arriving_late_ends_at_the_next_poms_start() {
    let app = TestApp::start().await;
    mock_allocation(&app, "/mpc/john", "John", "Smith", "SWI").await;
    mock_allocation(&app, "/mpc/james", "James", "Brown", "SWI").await;
    app.publish(&allocation_message(
        &app,
        "A1024BY",
        Some("/mpc/james"),
        "2024-02-10T09:00:00Z",
    ))
    .await;
    app.publish(&allocation_message(
        &app,
        "A1024BY",
        Some("/mpc/john"),
        "2024-01-10T09:00:00Z",
    ))
    .await;
    let rows = poms(&app, HANDOVER_PERSON).await;
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0].staff_code,
        n03_staff_named(&app, "John", "Smith").await[0].1
    );
    assert_eq!(
        (rows[0].end_date, rows[0].active_flag),
        (Some(ts("2024-02-10 09:00:00")), 0)
    );
    assert_eq!(
        (rows[1].end_date, rows[1].active_flag),
        (None, 1),
        "the later POM is untouched"
    );
}

/// Outcomes the handler returns are also what the consumer records (kept here as a guard that
/// allocation outcomes are plain processed/ignored results, never errors).
#[tokio::test]
async fn not_ready_is_an_ignored_outcome_and_allocations_are_processed() {
    let app = TestApp::start().await;
    mock_mpc(&app, "/mpc/wait", 404, Some("not-yet-allocation.json")).await;
    let message = allocation_message(&app, "A1024BY", Some("/mpc/wait"), "2024-01-10T09:00:00Z");
    let event: HmppsDomainEvent = serde_json::from_str(&message.message).expect("event");
    let outcome = allocation::allocation_changed(&app.context, &event)
        .await
        .expect("outcome");
    assert!(
        matches!(outcome, Outcome::Ignored { ref reason, .. } if reason == "NotReadyToAllocate")
    );
}

// --- rule 1: every RO the outgoing POM holds ends ----------------------------------------------

#[tokio::test]
async fn rule_1_every_ro_the_outgoing_pom_holds_is_ended_and_one_new_ro_is_created() {
    let app = TestApp::start().await;
    mock_allocation(&app, "/mpc/john", "John", "Smith", "SWI").await;
    mock_allocation(&app, "/mpc/james", "James", "Brown", "SWI").await;
    app.publish(&allocation_message(
        &app,
        "A1024BY",
        Some("/mpc/john"),
        "2024-01-10T09:00:00Z",
    ))
    .await;
    let john = poms(&app, HANDOVER_PERSON).await[0].clone();
    // A duplicate open RO for the same POM (a data problem) must not be left open.
    make_responsible_officer(&app, 930240, HANDOVER_PERSON, &john).await;
    make_responsible_officer(&app, 930241, HANDOVER_PERSON, &john).await;

    app.publish(&allocation_message(
        &app,
        "A1024BY",
        Some("/mpc/james"),
        "2024-02-10T09:00:00Z",
    ))
    .await;
    let james = poms(&app, HANDOVER_PERSON).await[1].clone();
    let ros = responsible_officers(&app, HANDOVER_PERSON).await;
    assert_eq!(ros.len(), 3, "{ros:?}");
    for ended in ros.iter().filter(|r| r.pom_id == Some(john.id)) {
        assert_eq!(
            (ended.end_date, ended.row_version),
            (Some(ts("2024-02-10 09:00:00")), 1),
            "{ended:?}"
        );
    }
    let new_ros: Vec<&RoRow> = ros.iter().filter(|r| r.pom_id == Some(james.id)).collect();
    assert_eq!(new_ros.len(), 1, "one new RO: {ros:?}");
    assert_eq!(
        (new_ros[0].start_date, new_ros[0].end_date),
        (ts("2024-02-10 09:00:00"), None)
    );
    assert_eq!(
        contact_codes(&contacts(&app, HANDOVER_PERSON).await),
        ["EPOMAT", "EPOMIN", "ROC"],
        "one ROC contact"
    );
}

// --- spec 3.8: failures that are retried and roll back -------------------------------------------

/// Allocates John Smith to HANDOVER (A1024BY) on 10/01/2024, then points `/mpc/gone` at a
/// "Not allocated" 404: the start of every deallocation failure below.
async fn john_allocated_then_deallocated_by_mpc(app: &TestApp) -> PomRow {
    mock_allocation(app, "/mpc/john", "John", "Smith", "SWI").await;
    mock_mpc(app, "/mpc/gone", 404, Some("deallocation.json")).await;
    app.publish(&allocation_message(
        app,
        "A1024BY",
        Some("/mpc/john"),
        "2024-01-10T09:00:00Z",
    ))
    .await;
    poms(app, HANDOVER_PERSON).await[0].clone()
}

async fn rename_team(app: &TestApp, from: &str, to: &str) {
    diesel::update(team::table.filter(team::code.eq(from)))
        .set(team::code.eq(to))
        .execute(&mut *app.conn().await)
        .await
        .expect("rename team");
}

#[tokio::test]
async fn spec_3_8_deallocation_without_the_all_team_fails_and_writes_nothing() {
    let app = TestApp::start().await;
    let john = john_allocated_then_deallocated_by_mpc(&app).await;
    rename_team(&app, "N03ALL", "N03XXX").await;
    let disposition = app
        .publish(&allocation_message(
            &app,
            "A1024BY",
            Some("/mpc/gone"),
            "2024-02-10T09:00:00Z",
        ))
        .await;
    assert_eq!(disposition, Disposition::DeadLettered);
    assert!(
        app.failure().contains("Team with code of N03ALL not found"),
        "{}",
        app.failure()
    );
    assert_eq!(poms(&app, HANDOVER_PERSON).await, [john]);
    assert_eq!(
        contact_codes(&contacts(&app, HANDOVER_PERSON).await),
        ["EPOMAT"]
    );
    assert!(app.outcomes().iter().all(|e| e.name != "PomDeallocated"));
}

#[tokio::test]
async fn spec_3_8_deallocation_without_the_allu_staff_fails_and_writes_nothing() {
    let app = TestApp::start().await;
    let john = john_allocated_then_deallocated_by_mpc(&app).await;
    diesel::update(staff::table.filter(staff::officer_code.eq("N03ALLU")))
        .set(staff::officer_code.eq("N03XXXU"))
        .execute(&mut *app.conn().await)
        .await
        .expect("rename unallocated staff");
    let disposition = app
        .publish(&allocation_message(
            &app,
            "A1024BY",
            Some("/mpc/gone"),
            "2024-02-10T09:00:00Z",
        ))
        .await;
    assert_eq!(disposition, Disposition::DeadLettered);
    assert!(
        app.failure()
            .contains("Staff with code of N03ALLU not found"),
        "{}",
        app.failure()
    );
    assert_eq!(poms(&app, HANDOVER_PERSON).await, [john]);
    assert_eq!(
        contact_codes(&contacts(&app, HANDOVER_PERSON).await),
        ["EPOMAT"]
    );
}

#[tokio::test]
async fn spec_3_8_rule_6_a_missing_roc_contact_type_rolls_back_the_change_but_keeps_the_new_staff()
{
    let app = TestApp::start().await;
    mock_allocation(&app, "/mpc/john", "John", "Smith", "SWI").await;
    mock_allocation(&app, "/mpc/james", "James", "Brown", "SWI").await;
    app.publish(&allocation_message(
        &app,
        "A1024BY",
        Some("/mpc/john"),
        "2024-01-10T09:00:00Z",
    ))
    .await;
    let john = poms(&app, HANDOVER_PERSON).await[0].clone();
    make_responsible_officer(&app, 930242, HANDOVER_PERSON, &john).await;
    let ros_before = responsible_officers(&app, HANDOVER_PERSON).await;
    diesel::update(r_contact_type::table.filter(r_contact_type::code.eq("ROC")))
        .set(r_contact_type::code.eq("XROC"))
        .execute(&mut *app.conn().await)
        .await
        .expect("rename ROC");

    // James is new: his STAFF row is committed on its own before the change transaction starts.
    let disposition = app
        .publish(&allocation_message(
            &app,
            "A1024BY",
            Some("/mpc/james"),
            "2024-02-10T09:00:00Z",
        ))
        .await;
    assert_eq!(disposition, Disposition::DeadLettered);
    assert!(
        app.failure()
            .contains("ContactType with code of ROC not found"),
        "{}",
        app.failure()
    );
    // Everything the change wrote before the ROC contact is rolled back: the EPOMIN contact, the
    // old POM's and RO's end dates, the new POM and its RO.
    assert_eq!(
        poms(&app, HANDOVER_PERSON).await,
        [john],
        "no new POM and the old one is not end-dated"
    );
    assert_eq!(
        contact_codes(&contacts(&app, HANDOVER_PERSON).await),
        ["EPOMAT"],
        "only the first allocation's contact"
    );
    assert_eq!(
        responsible_officers(&app, HANDOVER_PERSON).await,
        ros_before
    );
    // Rule 6: the staff member created for the allocation stays, in the POM team.
    let james = n03_staff_named(&app, "James", "Brown").await;
    assert_eq!(james.len(), 1, "{james:?}");
    assert_eq!(teams_of(&app, james[0].0).await, [N03POM]);
}

#[tokio::test]
async fn spec_3_8_a_missing_allocation_reason_fails_and_writes_no_pom() {
    let app = TestApp::start().await;
    mock_allocation(&app, "/mpc/john", "John", "Smith", "SWI").await;
    diesel::update(
        r_standard_reference_list::table
            .filter(r_standard_reference_list::standard_reference_list_id.eq(10701))
            .filter(r_standard_reference_list::code_value.eq("AUT")),
    )
    .set(r_standard_reference_list::code_value.eq("XAUT"))
    .execute(&mut *app.conn().await)
    .await
    .expect("rename the AUT POM allocation reason");
    let disposition = app
        .publish(&allocation_message(
            &app,
            "A1024BY",
            Some("/mpc/john"),
            "2024-01-10T09:00:00Z",
        ))
        .await;
    assert_eq!(disposition, Disposition::DeadLettered);
    assert!(
        app.failure()
            .contains("PomAllocationReason with code of AUT not found"),
        "{}",
        app.failure()
    );
    assert!(poms(&app, HANDOVER_PERSON).await.is_empty());
    assert!(contacts(&app, HANDOVER_PERSON).await.is_empty());
    assert!(app.outcomes().iter().all(|e| e.name != "PomAllocated"));
}
