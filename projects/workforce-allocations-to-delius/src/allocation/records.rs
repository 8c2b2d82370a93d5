//! What the allocations read besides managers (spec 3.5, 3.7): the event, requirement and
//! licence condition with their person and sentence, pending transfers, the accredited-programme
//! test, and the row locks that make allocations of one record run one at a time.

use anyhow::Context as _;
use diesel::sql_types::{BigInt, Nullable, SmallInt, Text};
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

/// An event with its person and the flags the allocations check.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Event {
    #[diesel(sql_type = BigInt)]
    pub event_id: i64,
    #[diesel(sql_type = Text)]
    pub event_number: String,
    #[diesel(sql_type = SmallInt)]
    pub event_active: i16,
    #[diesel(sql_type = BigInt)]
    pub person_id: i64,
    #[diesel(sql_type = Text)]
    pub crn: String,
}

/// The live event numbered `event_number` of the live person `crn`, locked for this
/// transaction so two allocations of one event cannot both find the same current manager.
pub async fn lock_event(
    conn: &mut AsyncPgConnection,
    crn: &str,
    event_number: &str,
) -> anyhow::Result<Option<Event>> {
    let rows: Vec<Event> = diesel::sql_query(
        "SELECT e.event_id, e.event_number, e.active_flag AS event_active, \
                o.offender_id AS person_id, o.crn \
         FROM event e JOIN offender o ON o.offender_id = e.offender_id \
         WHERE o.crn = $1 AND e.event_number = $2 AND e.soft_deleted = 0 AND o.soft_deleted = 0 \
         ORDER BY e.event_id LIMIT 1 \
         FOR UPDATE OF e",
    )
    .bind::<Text, _>(crn)
    .bind::<Text, _>(event_number)
    .load(conn)
    .await
    .context("reading the event")?;
    Ok(rows.into_iter().next())
}

/// A requirement or licence condition with the sentence, event and person it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Component {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = SmallInt)]
    pub active: i16,
    #[diesel(sql_type = BigInt)]
    pub person_id: i64,
    #[diesel(sql_type = Text)]
    pub crn: String,
    #[diesel(sql_type = BigInt)]
    pub event_id: i64,
    #[diesel(sql_type = Nullable<Text>)]
    pub event_number: Option<String>,
    #[diesel(sql_type = SmallInt)]
    pub event_active: i16,
    #[diesel(sql_type = SmallInt)]
    pub disposal_active: i16,
    /// Licence conditions only: main and sub category descriptions, for telemetry.
    #[diesel(sql_type = Nullable<Text>)]
    pub main_category: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub sub_category: Option<String>,
}

impl Component {
    /// Spec 4.4 step 4 / 4.5 step 5: the sentence and its event must both be active.
    pub fn sentence_active(&self) -> bool {
        self.event_active == 1 && self.disposal_active == 1
    }
}

/// The live requirement `id`, locked for this transaction.
pub async fn lock_requirement(
    conn: &mut AsyncPgConnection,
    id: i64,
) -> anyhow::Result<Option<Component>> {
    let rows: Vec<Component> = diesel::sql_query(
        "SELECT r.rqmnt_id AS id, r.active_flag AS active, o.offender_id AS person_id, o.crn, \
                e.event_id, e.event_number, e.active_flag AS event_active, \
                d.active_flag AS disposal_active, \
                CAST(NULL AS text) AS main_category, CAST(NULL AS text) AS sub_category \
         FROM rqmnt r \
         JOIN offender o ON o.offender_id = r.offender_id \
         JOIN disposal d ON d.disposal_id = r.disposal_id AND d.soft_deleted = 0 \
         JOIN event e ON e.event_id = d.event_id AND e.soft_deleted = 0 \
         WHERE r.rqmnt_id = $1 AND r.soft_deleted = 0 \
         FOR UPDATE OF r",
    )
    .bind::<BigInt, _>(id)
    .load(conn)
    .await
    .context("reading the requirement")?;
    Ok(rows.into_iter().next())
}

/// The live licence condition `id`, locked for this transaction.
pub async fn lock_licence_condition(
    conn: &mut AsyncPgConnection,
    id: i64,
) -> anyhow::Result<Option<Component>> {
    let rows: Vec<Component> = diesel::sql_query(
        "SELECT l.lic_condition_id AS id, l.active_flag AS active, o.offender_id AS person_id, \
                o.crn, e.event_id, e.event_number, e.active_flag AS event_active, \
                d.active_flag AS disposal_active, \
                m.description AS main_category, s.code_description AS sub_category \
         FROM lic_condition l \
         JOIN offender o ON o.offender_id = l.offender_id \
         JOIN disposal d ON d.disposal_id = l.disposal_id AND d.soft_deleted = 0 \
         JOIN event e ON e.event_id = d.event_id AND e.soft_deleted = 0 \
         JOIN r_lic_cond_type_main_cat m ON m.lic_cond_type_main_cat_id = l.lic_cond_type_main_cat_id \
         LEFT JOIN r_standard_reference_list s ON s.standard_reference_list_id = l.lic_cond_type_sub_cat_id \
         WHERE l.lic_condition_id = $1 AND l.soft_deleted = 0 \
         FOR UPDATE OF l",
    )
    .bind::<BigInt, _>(id)
    .load(conn)
    .await
    .context("reading the licence condition")?;
    Ok(rows.into_iter().next())
}

/// Locks the person's OFFENDER row: person allocations also move the responsible officer, so
/// two of them for one person must run one after the other.
pub async fn lock_person(conn: &mut AsyncPgConnection, crn: &str) -> anyhow::Result<Option<i64>> {
    #[derive(QueryableByName)]
    struct Person {
        #[diesel(sql_type = BigInt)]
        offender_id: i64,
    }
    let rows: Vec<Person> = diesel::sql_query(
        "SELECT offender_id FROM offender WHERE crn = $1 AND soft_deleted = 0 FOR UPDATE",
    )
    .bind::<Text, _>(crn)
    .load(conn)
    .await
    .context("reading the person")?;
    Ok(rows.into_iter().next().map(|p| p.offender_id))
}

/// The transfer tables a pending transfer is looked for in (spec 3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferTable {
    Person,
    Order,
    Requirement,
    LicenceCondition,
}

impl TransferTable {
    fn table_and_key(self) -> (&'static str, &'static str) {
        match self {
            Self::Person => ("offender_transfer", "offender_id"),
            Self::Order => ("order_transfer", "event_id"),
            Self::Requirement => ("rqmnt_transfer", "rqmnt_id"),
            Self::LicenceCondition => ("lic_condition_transfer", "lic_condition_id"),
        }
    }
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Whether a live transfer of `key` has status `PN` (Pending).
pub async fn has_pending_transfer(
    conn: &mut AsyncPgConnection,
    table: TransferTable,
    key: i64,
) -> anyhow::Result<bool> {
    let (table_name, key_column) = table.table_and_key();
    let sql = format!(
        "SELECT count(*) AS n FROM {table_name} t \
         JOIN r_standard_reference_list s ON s.standard_reference_list_id = t.status_id \
         JOIN r_reference_data_master m ON m.reference_data_master_id = s.reference_data_master_id \
         WHERE t.{key_column} = $1 AND t.soft_deleted = 0 \
           AND m.code_set_name = 'TRANSFER STATUS' AND s.code_value = 'PN'"
    );
    let count: Count = diesel::sql_query(sql)
        .bind::<BigInt, _>(key)
        .get_result(conn)
        .await
        .with_context(|| format!("counting pending {table_name} rows"))?;
    Ok(count.n > 0)
}

/// Whose requirements the accredited-programme test looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequirementsOf {
    Person(i64),
    Event(i64),
}

/// The accredited-programme test (spec 3.7, rule 9): an active requirement whose main category
/// is RM38, or 7 without sub category RS66, or whose additional main category is RM38 or 7.
pub async fn has_accredited_programme(
    conn: &mut AsyncPgConnection,
    of: RequirementsOf,
) -> anyhow::Result<bool> {
    let (scope, key) = match of {
        RequirementsOf::Person(person_id) => ("r.offender_id = $1", person_id),
        RequirementsOf::Event(event_id) => (
            "r.disposal_id IN (SELECT disposal_id FROM disposal WHERE event_id = $1 AND soft_deleted = 0)",
            event_id,
        ),
    };
    let sql = format!(
        "SELECT count(*) AS n FROM rqmnt r \
         LEFT JOIN r_rqmnt_type_main_category main ON main.rqmnt_type_main_category_id = r.rqmnt_type_main_category_id \
         LEFT JOIN r_standard_reference_list sub ON sub.standard_reference_list_id = r.rqmnt_type_sub_category_id \
         LEFT JOIN r_rqmnt_type_main_category additional ON additional.rqmnt_type_main_category_id = r.ad_rqmnt_type_main_category_id \
         WHERE {scope} AND r.active_flag = 1 AND r.soft_deleted = 0 \
           AND (main.code = 'RM38' \
                OR (main.code = '7' AND (sub.code_value IS NULL OR sub.code_value <> 'RS66')) \
                OR additional.code IN ('RM38', '7'))"
    );
    let count: Count = diesel::sql_query(sql)
        .bind::<BigInt, _>(key)
        .get_result(conn)
        .await
        .context("counting accredited-programme requirements")?;
    Ok(count.n > 0)
}
