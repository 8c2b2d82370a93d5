//! Reading back what the service wrote: contacts and NSIs with their codes resolved, and a dump
//! of every table the service writes to prove a replay changes nothing.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::sql_types::{BigInt, Date, Nullable, SmallInt, Text, Time, Timestamp};
use diesel::QueryableByName;
use diesel_async::RunQueryDsl;

use crate::harness::TestApp;

#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct ContactRow {
    #[diesel(sql_type = BigInt)]
    pub contact_id: i64,
    #[diesel(sql_type = BigInt)]
    pub offender_id: i64,
    #[diesel(sql_type = Text)]
    pub type_code: String,
    #[diesel(sql_type = Date)]
    pub contact_date: NaiveDate,
    #[diesel(sql_type = Nullable<Time>)]
    pub start_time: Option<NaiveTime>,
    #[diesel(sql_type = Nullable<Time>)]
    pub end_time: Option<NaiveTime>,
    #[diesel(sql_type = Nullable<Text>)]
    pub outcome_code: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub attended: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub complied: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub hours_credited: Option<String>,
    #[diesel(sql_type = Nullable<SmallInt>)]
    pub enforcement: Option<i16>,
    #[diesel(sql_type = Nullable<Text>)]
    pub latest_enforcement_action: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub rar_activity: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub notes: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub office_location: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub external_reference: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub event_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub nsi_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    pub provider: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub team: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub staff: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub linked_contact_id: Option<i64>,
    #[diesel(sql_type = BigInt)]
    pub row_version: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub created_by_user_id: Option<i64>,
}

const CONTACTS: &str = r#"
SELECT c.contact_id, c.offender_id, t.code AS type_code, c.contact_date,
       c.contact_start_time AS start_time, c.contact_end_time AS end_time,
       o.code AS outcome_code, c.attended::text AS attended, c.complied::text AS complied,
       c.hours_credited::text AS hours_credited, c.enforcement,
       ea.code AS latest_enforcement_action, c.rar_activity::text AS rar_activity, c.notes,
       ol.code AS office_location, c.external_reference, c.event_id, c.nsi_id,
       pa.code AS provider, tm.code AS team, st.officer_code AS staff, c.linked_contact_id,
       c.row_version, c.created_by_user_id
FROM contact c
JOIN r_contact_type t ON t.contact_type_id = c.contact_type_id
LEFT JOIN r_contact_outcome_type o ON o.contact_outcome_type_id = c.contact_outcome_type_id
LEFT JOIN r_enforcement_action ea ON ea.enforcement_action_id = c.latest_enforcement_action_id
LEFT JOIN office_location ol ON ol.office_location_id = c.office_location_id
LEFT JOIN probation_area pa ON pa.probation_area_id = c.probation_area_id
LEFT JOIN team tm ON tm.team_id = c.team_id
LEFT JOIN staff st ON st.staff_id = c.staff_id
"#;

/// Every contact of the person, oldest first.
pub async fn contacts_of(app: &TestApp, crn: &str) -> Vec<ContactRow> {
    diesel::sql_query(format!(
        "{CONTACTS} JOIN offender p ON p.offender_id = c.offender_id WHERE p.crn = $1 ORDER BY c.contact_id"
    ))
    .bind::<Text, _>(crn)
    .load(&mut *app.conn().await)
    .await
    .expect("contacts")
}

pub async fn contact(app: &TestApp, contact_id: i64) -> ContactRow {
    diesel::sql_query(format!("{CONTACTS} WHERE c.contact_id = $1"))
        .bind::<BigInt, _>(contact_id)
        .get_result(&mut *app.conn().await)
        .await
        .expect("contact")
}

/// Every live contact with this external reference, oldest first.
pub async fn contacts_by_urn(app: &TestApp, urn: &str) -> Vec<ContactRow> {
    diesel::sql_query(format!(
        "{CONTACTS} WHERE c.external_reference = $1 AND c.soft_deleted = 0 ORDER BY c.contact_id"
    ))
    .bind::<Text, _>(urn)
    .load(&mut *app.conn().await)
    .await
    .expect("contacts")
}

/// Contacts of the NSI with this type code.
pub async fn nsi_contacts(app: &TestApp, nsi_id: i64, type_code: &str) -> Vec<ContactRow> {
    diesel::sql_query(format!(
        "{CONTACTS} WHERE c.nsi_id = $1 AND t.code = $2 ORDER BY c.contact_id"
    ))
    .bind::<BigInt, _>(nsi_id)
    .bind::<Text, _>(type_code)
    .load(&mut *app.conn().await)
    .await
    .expect("contacts")
}

#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct NsiRow {
    #[diesel(sql_type = BigInt)]
    pub nsi_id: i64,
    #[diesel(sql_type = BigInt)]
    pub offender_id: i64,
    #[diesel(sql_type = Text)]
    pub type_code: String,
    #[diesel(sql_type = Text)]
    pub status_code: String,
    #[diesel(sql_type = Timestamp)]
    pub status_date: NaiveDateTime,
    #[diesel(sql_type = Nullable<Text>)]
    pub outcome_code: Option<String>,
    #[diesel(sql_type = Date)]
    pub referral_date: NaiveDate,
    #[diesel(sql_type = Nullable<Timestamp>)]
    pub actual_start_date: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<Timestamp>)]
    pub actual_end_date: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<Text>)]
    pub notes: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub provider: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub event_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub rqmnt_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub rar_count: Option<i64>,
    #[diesel(sql_type = SmallInt)]
    pub active_flag: i16,
    #[diesel(sql_type = BigInt)]
    pub row_version: i64,
    #[diesel(sql_type = Nullable<Timestamp>)]
    pub created_datetime: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<Timestamp>)]
    pub last_updated_datetime: Option<NaiveDateTime>,
}

/// Every live NSI with this external reference.
pub async fn nsis_by_urn(app: &TestApp, urn: &str) -> Vec<NsiRow> {
    diesel::sql_query(
        r#"
SELECT n.nsi_id, n.offender_id, t.code AS type_code, s.code AS status_code,
       n.nsi_status_date AS status_date, o.code_value AS outcome_code, n.referral_date,
       n.actual_start_date, n.actual_end_date, n.notes, pa.code AS provider, n.event_id,
       n.rqmnt_id, n.rar_count, n.active_flag, n.row_version, n.created_datetime,
       n.last_updated_datetime
FROM nsi n
JOIN r_nsi_type t ON t.nsi_type_id = n.nsi_type_id
JOIN r_nsi_status s ON s.nsi_status_id = n.nsi_status_id
LEFT JOIN r_standard_reference_list o ON o.standard_reference_list_id = n.nsi_outcome_id
LEFT JOIN probation_area pa ON pa.probation_area_id = n.intended_provider_id
WHERE n.external_reference = $1 AND n.soft_deleted = 0
ORDER BY n.nsi_id
"#,
    )
    .bind::<Text, _>(urn)
    .load(&mut *app.conn().await)
    .await
    .expect("nsis")
}

pub async fn nsi_by_urn(app: &TestApp, urn: &str) -> NsiRow {
    let mut nsis = nsis_by_urn(app, urn).await;
    assert_eq!(nsis.len(), 1, "one NSI for {urn}: {nsis:?}");
    nsis.remove(0)
}

#[derive(QueryableByName)]
struct Text1 {
    #[diesel(sql_type = Nullable<Text>)]
    value: Option<String>,
}

/// A single text value from `query`.
pub async fn text(app: &TestApp, query: &str) -> Option<String> {
    diesel::sql_query(query)
        .get_result::<Text1>(&mut *app.conn().await)
        .await
        .expect(query)
        .value
}

/// A single number from `query` (as text, cast by the caller's SQL).
pub async fn number(app: &TestApp, query: &str) -> i64 {
    text(app, query)
        .await
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{query} is not a number"))
}

/// Every row of every table the service writes (audit rows aside), to compare before and after
/// a replay.
pub async fn snapshot(app: &TestApp) -> String {
    let mut all = String::new();
    for (table, key) in [
        ("nsi", "nsi_id"),
        ("nsi_manager", "nsi_manager_id"),
        ("nsi_status_history", "nsi_status_history_id"),
        ("contact", "contact_id"),
        ("enforcement", "enforcement_id"),
        ("event", "event_id"),
    ] {
        let rows = text(
            app,
            &format!("SELECT string_agg(t::text, E'\\n' ORDER BY {key}) AS value FROM {table} t"),
        )
        .await
        .unwrap_or_default();
        all.push_str(&format!("{table}:\n{rows}\n"));
    }
    all
}
