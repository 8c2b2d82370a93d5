//! Reads and writes shared by the workflows: reference data that must exist (missing -> error,
//! retried), institutions, the active custodial events, custody saves and history, contacts.

use anyhow::{anyhow, Context};
use chrono::{NaiveDate, NaiveDateTime};
use delius_data::lookups::{self, next_id, ReferenceData, Sequence};
use delius_data::schema::{
    contact, contact_alert, custody, custody_history, offender_manager, order_manager,
    r_institution,
};
use delius_data::time::now_london;
use delius_data::{StaleRow, YesNo};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::custody::{status, Custody, Institution, LatestRelease, Status};

pub type Conn = AsyncPgConnection;

pub async fn required_reference(
    conn: &mut Conn,
    set: &str,
    code: &str,
) -> anyhow::Result<ReferenceData> {
    lookups::reference_data(conn, set, code)
        .await?
        .ok_or_else(|| anyhow!("reference data {set}/{code} not found"))
}

pub async fn contact_type_id(conn: &mut Conn, code: &str) -> anyhow::Result<i64> {
    Ok(lookups::contact_type(conn, code)
        .await?
        .ok_or_else(|| anyhow!("contact type {code} not found"))?
        .id)
}

type InstitutionRow = (
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    YesNo,
    YesNo,
);

fn institution(row: InstitutionRow) -> Institution {
    Institution {
        id: row.0,
        establishment: row.1,
        code: row.2.unwrap_or_default(),
        description: row.3.unwrap_or_default(),
        nomis_cde_code: row.4,
        irc: row.5 .0,
        secure_hospital: row.6 .0,
    }
}

macro_rules! institution_columns {
    () => {
        (
            r_institution::institution_id,
            r_institution::establishment,
            r_institution::code,
            r_institution::description,
            r_institution::nomis_cde_code,
            r_institution::irc,
            r_institution::secure_hospital,
        )
    };
}

pub async fn institution_by_nomis_code(
    conn: &mut Conn,
    nomis: &str,
) -> QueryResult<Option<Institution>> {
    Ok(r_institution::table
        .filter(r_institution::nomis_cde_code.eq(nomis))
        .select(institution_columns!())
        .order(r_institution::institution_id)
        .first::<InstitutionRow>(conn)
        .await
        .optional()?
        .map(institution))
}

pub async fn institution_by_code(conn: &mut Conn, code: &str) -> anyhow::Result<Institution> {
    r_institution::table
        .filter(r_institution::code.eq(code))
        .select(institution_columns!())
        .first::<InstitutionRow>(conn)
        .await
        .optional()?
        .map(institution)
        .ok_or_else(|| anyhow!("institution {code} not found"))
}

pub async fn institution_by_id(conn: &mut Conn, id: i64) -> QueryResult<Option<Institution>> {
    Ok(r_institution::table
        .filter(r_institution::institution_id.eq(id))
        .select(institution_columns!())
        .first::<InstitutionRow>(conn)
        .await
        .optional()?
        .map(institution))
}

#[derive(QueryableByName)]
struct CustodyRow {
    #[diesel(sql_type = BigInt)]
    custody_id: i64,
    #[diesel(sql_type = BigInt)]
    row_version: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    institution_id: Option<i64>,
    #[diesel(sql_type = Nullable<Date>)]
    status_change_date: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<Date>)]
    location_change_date: Option<NaiveDate>,
    #[diesel(sql_type = BigInt)]
    status_id: i64,
    #[diesel(sql_type = Text)]
    status_code: String,
    #[diesel(sql_type = Nullable<Text>)]
    status_description: Option<String>,
    #[diesel(sql_type = BigInt)]
    event_id: i64,
    #[diesel(sql_type = Nullable<Text>)]
    event_number: Option<String>,
    #[diesel(sql_type = BigInt)]
    event_row_version: i64,
    #[diesel(sql_type = Nullable<Date>)]
    first_release_date: Option<NaiveDate>,
    #[diesel(sql_type = BigInt)]
    disposal_id: i64,
    #[diesel(sql_type = Nullable<Date>)]
    disposal_date: Option<NaiveDate>,
    #[diesel(sql_type = Text)]
    disposal_type_code: String,
}

/// The custody of every active custodial event of a person (spec 4, EVENT), locked for update.
pub async fn active_custodial_events(
    conn: &mut Conn,
    offender_id: i64,
    crn: &str,
) -> anyhow::Result<Vec<Custody>> {
    let rows: Vec<CustodyRow> = diesel::sql_query(
        "SELECT c.custody_id, c.row_version, c.institution_id, c.status_change_date, c.location_change_date,
                s.standard_reference_list_id AS status_id, s.code_value::text AS status_code,
                s.code_description::text AS status_description,
                e.event_id, e.event_number::text AS event_number, e.row_version AS event_row_version,
                e.first_release_date, d.disposal_id, d.disposal_date,
                dt.disposal_type_code::text AS disposal_type_code
           FROM event e
           JOIN offender o ON o.offender_id = e.offender_id AND o.soft_deleted = 0
           JOIN disposal d ON d.event_id = e.event_id AND d.active_flag = 1 AND d.soft_deleted = 0
           JOIN r_disposal_type dt ON dt.disposal_type_id = d.disposal_type_id AND dt.sentence_type IN ('NC', 'SC')
           JOIN custody c ON c.disposal_id = d.disposal_id AND c.soft_deleted = 0
           JOIN r_standard_reference_list s ON s.standard_reference_list_id = c.custodial_status_id
          WHERE e.offender_id = $1 AND e.active_flag = 1 AND e.soft_deleted = 0
            AND s.code_value NOT IN ('AT', 'T')
          ORDER BY e.event_id
          FOR UPDATE OF c",
    )
    .bind::<BigInt, _>(offender_id)
    .load(conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        if !status::KNOWN.contains(&row.status_code.as_str()) {
            return Err(anyhow!(
                "No known custodial status {:?} on custody {}",
                row.status_code,
                row.custody_id
            ));
        }
        let institution = match row.institution_id {
            Some(id) => institution_by_id(conn, id).await?,
            None => None,
        };
        let latest_release = latest_release(conn, row.custody_id).await?;
        let mut custody = Custody {
            id: row.custody_id,
            row_version: row.row_version,
            offender_id,
            crn: crn.to_owned(),
            event_id: row.event_id,
            event_number: row.event_number,
            event_row_version: row.event_row_version,
            first_release_date: row.first_release_date,
            disposal_id: row.disposal_id,
            disposal_date: row.disposal_date,
            disposal_type_code: row.disposal_type_code,
            status: Status {
                id: row.status_id,
                code: row.status_code,
                description: row.status_description.unwrap_or_default(),
            },
            institution,
            status_change_date: row.status_change_date,
            location_change_date: row.location_change_date,
            latest_release,
            could_recall_at_start: false,
        };
        custody.could_recall_at_start = custody.can_be_recalled();
        out.push(custody);
    }
    Ok(out)
}

#[derive(QueryableByName)]
struct ReleaseRow {
    #[diesel(sql_type = BigInt)]
    release_id: i64,
    #[diesel(sql_type = Date)]
    actual_release_date: NaiveDate,
    #[diesel(sql_type = Nullable<Date>)]
    recall_date: Option<NaiveDate>,
}

/// The most recent release: highest (actual_release_date, created_datetime), with its recall.
pub async fn latest_release(
    conn: &mut Conn,
    custody_id: i64,
) -> QueryResult<Option<LatestRelease>> {
    let row: Option<ReleaseRow> = diesel::sql_query(
        "SELECT r.release_id, r.actual_release_date,
                (SELECT rc.recall_date FROM recall rc WHERE rc.release_id = r.release_id AND rc.soft_deleted = 0
                  ORDER BY rc.recall_id DESC LIMIT 1) AS recall_date
           FROM release r WHERE r.custody_id = $1 AND r.soft_deleted = 0
          ORDER BY r.actual_release_date DESC, r.created_datetime DESC NULLS LAST, r.release_id DESC LIMIT 1",
    )
    .bind::<BigInt, _>(custody_id)
    .get_result(conn)
    .await
    .optional()?;
    Ok(row.map(|r| LatestRelease {
        id: r.release_id,
        date: r.actual_release_date,
        recall_date: r.recall_date,
    }))
}

/// Writes the in-memory status and location, checking the row version (conflict -> retried).
pub async fn save_custody(conn: &mut Conn, c: &mut Custody, user_id: i64) -> anyhow::Result<()> {
    let updated = diesel::update(
        custody::table
            .filter(custody::custody_id.eq(c.id))
            .filter(custody::row_version.eq(c.row_version)),
    )
    .set((
        custody::custodial_status_id.eq(c.status.id),
        custody::institution_id.eq(c.institution.as_ref().map(|i| i.id)),
        custody::establishment.eq(c.institution.as_ref().map(|i| i.establishment.clone())),
        custody::status_change_date.eq(c.status_change_date),
        custody::location_change_date.eq(c.location_change_date),
        custody::row_version.eq(c.row_version + 1),
        custody::last_updated_user_id.eq(user_id),
        custody::last_updated_datetime.eq(now_london()),
    ))
    .execute(conn)
    .await?;
    if updated == 0 {
        return Err(StaleRow {
            table: "custody",
            id: c.id,
            expected: c.row_version,
        }
        .into());
    }
    c.row_version += 1;
    Ok(())
}

pub const CUSTODY_EVENT_TYPE: &str = "CUSTODY EVENT TYPE";

pub async fn add_history(
    conn: &mut Conn,
    c: &Custody,
    event_type: &str,
    at: NaiveDateTime,
    detail: &str,
    user_id: i64,
) -> anyhow::Result<()> {
    let kind = required_reference(conn, CUSTODY_EVENT_TYPE, event_type).await?;
    let id = next_id(conn, Sequence::named("custody_history_id_seq")).await?;
    let now = now_london();
    diesel::insert_into(custody_history::table)
        .values((
            custody_history::custody_history_id.eq(id),
            custody_history::historical_date.eq(at),
            custody_history::custody_event_type_id.eq(kind.id),
            custody_history::detail.eq(detail),
            custody_history::offender_id.eq(c.offender_id),
            custody_history::custody_id.eq(c.id),
            custody_history::created_by_user_id.eq(user_id),
            custody_history::last_updated_user_id.eq(user_id),
            custody_history::created_datetime.eq(now),
            custody_history::last_updated_datetime.eq(now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Manager {
    pub staff_id: i64,
    pub team_id: i64,
    pub provider_id: Option<i64>,
}

/// The event's order manager (required: missing -> error, retried).
pub async fn order_manager(conn: &mut Conn, event_id: i64) -> anyhow::Result<Manager> {
    let row: Option<(i64, i64, Option<i64>)> = order_manager::table
        .filter(order_manager::event_id.eq(event_id))
        .filter(order_manager::active_flag.eq(1))
        .filter(order_manager::soft_deleted.eq(0))
        .select((
            order_manager::allocation_staff_id,
            order_manager::allocation_team_id,
            order_manager::probation_area_id,
        ))
        .order(order_manager::order_manager_id)
        .first(conn)
        .await
        .optional()?;
    let (staff_id, team_id, provider_id) =
        row.with_context(|| format!("event {event_id} has no order manager"))?;
    Ok(Manager {
        staff_id,
        team_id,
        provider_id,
    })
}

/// The person's active community manager: (offender_manager_id, manager); required.
pub async fn community_manager(
    conn: &mut Conn,
    offender_id: i64,
) -> anyhow::Result<(i64, Manager)> {
    let row: Option<(i64, i64, i64, Option<i64>)> = offender_manager::table
        .filter(offender_manager::offender_id.eq(offender_id))
        .filter(offender_manager::active_flag.eq(1))
        .filter(offender_manager::soft_deleted.eq(0))
        .select((
            offender_manager::offender_manager_id,
            offender_manager::allocation_staff_id,
            offender_manager::team_id,
            offender_manager::probation_area_id,
        ))
        .order(offender_manager::offender_manager_id.desc())
        .first(conn)
        .await
        .optional()?;
    let (id, staff_id, team_id, provider_id) =
        row.with_context(|| format!("person {offender_id} has no active community manager"))?;
    Ok((
        id,
        Manager {
            staff_id,
            team_id,
            provider_id,
        },
    ))
}

/// A contact to write.
#[derive(Debug, Clone)]
pub struct NewContact<'a> {
    pub type_code: &'a str,
    pub offender_id: i64,
    pub event_id: Option<i64>,
    pub lic_condition_id: Option<i64>,
    pub at: NaiveDateTime,
    pub notes: String,
    pub manager: Manager,
    pub alert: bool,
    /// Set by hand: the recall contact's equals the recall's (spec 5.3.5).
    pub created: NaiveDateTime,
}

/// Inserts a contact, and its CONTACT_ALERT (for the active community manager) when it is an alert.
pub async fn add_contact(
    conn: &mut Conn,
    new: NewContact<'_>,
    user_id: i64,
) -> anyhow::Result<i64> {
    let type_id = contact_type_id(conn, new.type_code).await?;
    let id = next_id(conn, Sequence::named("contact_id_seq")).await?;
    diesel::insert_into(contact::table)
        .values((
            contact::contact_id.eq(id),
            contact::offender_id.eq(new.offender_id),
            contact::event_id.eq(new.event_id),
            contact::lic_condition_id.eq(new.lic_condition_id),
            contact::contact_type_id.eq(type_id),
            contact::contact_date.eq(new.at.date()),
            contact::contact_start_time.eq(new.at.time()),
            contact::staff_id.eq(new.manager.staff_id),
            contact::team_id.eq(new.manager.team_id),
            contact::probation_area_id.eq(new.manager.provider_id),
            contact::notes.eq(&new.notes),
            contact::alert_active.eq(YesNo(new.alert).as_str()),
            contact::trust_provider_flag.eq(0i16),
            contact::created_by_user_id.eq(user_id),
            contact::last_updated_user_id.eq(user_id),
            contact::created_datetime.eq(new.created),
            contact::last_updated_datetime.eq(new.created),
        ))
        .execute(conn)
        .await?;
    if new.alert {
        let (manager_id, manager) = community_manager(conn, new.offender_id).await?;
        let alert_id = next_id(conn, Sequence::named("contact_alert_id_seq")).await?;
        diesel::insert_into(contact_alert::table)
            .values((
                contact_alert::contact_alert_id.eq(alert_id),
                contact_alert::offender_id.eq(new.offender_id),
                contact_alert::contact_id.eq(id),
                contact_alert::contact_type_id.eq(type_id),
                contact_alert::offender_manager_id.eq(manager_id),
                contact_alert::staff_employee_id.eq(manager.staff_id),
                contact_alert::trust_provider_team_id.eq(manager.team_id),
                contact_alert::created_by_user_id.eq(user_id),
                contact_alert::last_updated_user_id.eq(user_id),
                contact_alert::created_datetime.eq(new.created),
                contact_alert::last_updated_datetime.eq(new.created),
            ))
            .execute(conn)
            .await?;
    }
    Ok(id)
}
