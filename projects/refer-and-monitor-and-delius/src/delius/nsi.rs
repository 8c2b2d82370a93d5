//! Referral NSIs: found by CRN and referral URN, created with their manager and status history,
//! and updated only where a value differs (so a replay writes nothing).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{count_distinct, exists};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use delius_data::lookups::{next_id, Sequence};
use delius_data::schema::{
    contact, nsi, nsi_manager, nsi_status_history, offender, r_nsi_status,
    r_rqmnt_type_main_category, rqmnt,
};

use super::assignation::Assignation;
use crate::refs::RAR_CATEGORY;

const NSI_ID_SEQ: Sequence = Sequence::named("nsi_id_seq");
const NSI_MANAGER_ID_SEQ: Sequence = Sequence::named("nsi_manager_id_seq");
const NSI_STATUS_HISTORY_ID_SEQ: Sequence = Sequence::named("nsi_status_history_id_seq");

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Nsi {
    pub id: i64,
    pub offender_id: i64,
    pub event_id: Option<i64>,
    pub rqmnt_id: Option<i64>,
    pub status_code: String,
    pub status_date: NaiveDateTime,
    pub outcome_id: Option<i64>,
    pub actual_start_date: Option<NaiveDateTime>,
    pub actual_end_date: Option<NaiveDateTime>,
    pub notes: Option<String>,
}

/// The live NSI of the person with `crn` whose external reference is `urn`.
pub async fn by_crn_and_urn(
    conn: &mut AsyncPgConnection,
    crn: &str,
    urn: &str,
) -> QueryResult<Option<Nsi>> {
    nsi::table
        .inner_join(offender::table.on(offender::offender_id.eq(nsi::offender_id)))
        .inner_join(r_nsi_status::table.on(r_nsi_status::nsi_status_id.eq(nsi::nsi_status_id)))
        .filter(offender::crn.eq(crn))
        .filter(nsi::external_reference.eq(urn))
        .filter(nsi::soft_deleted.eq(0))
        .order(nsi::nsi_id)
        .select((
            nsi::nsi_id,
            nsi::offender_id,
            nsi::event_id,
            nsi::rqmnt_id,
            r_nsi_status::code,
            nsi::nsi_status_date,
            nsi::nsi_outcome_id,
            nsi::actual_start_date,
            nsi::actual_end_date,
            nsi::notes,
        ))
        .first(conn)
        .await
        .optional()
}

/// Locks the live person with `crn` until the transaction ends, so two requests about the same
/// person cannot both create the referral's NSI. Returns the offender id.
pub async fn lock_person(conn: &mut AsyncPgConnection, crn: &str) -> QueryResult<Option<i64>> {
    offender::table
        .filter(offender::crn.eq(crn))
        .filter(offender::soft_deleted.eq(0))
        .select(offender::offender_id)
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// Whether the NSI's requirement is a Rehabilitation Activity Requirement (category `F`).
pub async fn is_rar(conn: &mut AsyncPgConnection, nsi: &Nsi) -> QueryResult<bool> {
    let Some(rqmnt_id) = nsi.rqmnt_id else {
        return Ok(false);
    };
    diesel::select(exists(
        rqmnt::table
            .inner_join(
                r_rqmnt_type_main_category::table.on(
                    r_rqmnt_type_main_category::rqmnt_type_main_category_id
                        .nullable()
                        .eq(rqmnt::rqmnt_type_main_category_id),
                ),
            )
            .filter(rqmnt::rqmnt_id.eq(rqmnt_id))
            .filter(r_rqmnt_type_main_category::code.eq(RAR_CATEGORY)),
    ))
    .get_result(conn)
    .await
}

/// The first active, live manager of the NSI.
pub async fn manager(
    conn: &mut AsyncPgConnection,
    nsi_id: i64,
) -> QueryResult<Option<Assignation>> {
    nsi_manager::table
        .filter(nsi_manager::nsi_id.eq(nsi_id))
        .filter(nsi_manager::active_flag.eq(1))
        .filter(nsi_manager::soft_deleted.eq(0))
        .order(nsi_manager::nsi_manager_id)
        .select((
            nsi_manager::probation_area_id,
            nsi_manager::team_id,
            nsi_manager::staff_id,
        ))
        .first::<(i64, i64, i64)>(conn)
        .await
        .optional()
        .map(|row| {
            row.map(|(provider_id, team_id, staff_id)| Assignation {
                provider_id,
                team_id,
                staff_id,
            })
        })
}

pub struct NewNsi<'a> {
    pub offender_id: i64,
    pub type_id: i64,
    pub status_id: i64,
    pub provider_id: i64,
    pub event_id: i64,
    pub rqmnt_id: Option<i64>,
    pub referral_date: NaiveDate,
    pub started: NaiveDateTime,
    pub urn: &'a str,
    pub notes: &'a str,
}

/// Inserts the NSI (status date and actual start date = `started`) and returns its id.
pub async fn insert(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    now: NaiveDateTime,
    new: &NewNsi<'_>,
) -> QueryResult<i64> {
    let id = next_id(conn, NSI_ID_SEQ).await?;
    diesel::insert_into(nsi::table)
        .values((
            nsi::nsi_id.eq(id),
            nsi::offender_id.eq(new.offender_id),
            nsi::nsi_type_id.eq(new.type_id),
            nsi::nsi_status_id.eq(new.status_id),
            nsi::nsi_status_date.eq(new.started),
            nsi::referral_date.eq(new.referral_date),
            nsi::actual_start_date.eq(new.started),
            nsi::notes.eq(new.notes),
            nsi::external_reference.eq(new.urn),
            nsi::intended_provider_id.eq(new.provider_id),
            nsi::event_id.eq(new.event_id),
            nsi::rqmnt_id.eq(new.rqmnt_id),
            nsi::pending_transfer.eq(0),
            nsi::active_flag.eq(1),
            nsi::soft_deleted.eq(0),
            nsi::partition_area_id.eq(0),
            nsi::row_version.eq(0),
            nsi::created_by_user_id.eq(user_id),
            nsi::last_updated_user_id.eq(user_id),
            nsi::created_datetime.eq(now),
            nsi::last_updated_datetime.eq(now),
        ))
        .execute(conn)
        .await?;
    Ok(id)
}

pub async fn insert_manager(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    now: NaiveDateTime,
    nsi_id: i64,
    manager: Assignation,
    start: NaiveDateTime,
) -> QueryResult<()> {
    let id = next_id(conn, NSI_MANAGER_ID_SEQ).await?;
    diesel::insert_into(nsi_manager::table)
        .values((
            nsi_manager::nsi_manager_id.eq(id),
            nsi_manager::nsi_id.eq(nsi_id),
            nsi_manager::probation_area_id.eq(manager.provider_id),
            nsi_manager::team_id.eq(manager.team_id),
            nsi_manager::staff_id.eq(manager.staff_id),
            nsi_manager::start_date.eq(start),
            nsi_manager::active_flag.eq(1),
            nsi_manager::soft_deleted.eq(0),
            nsi_manager::partition_area_id.eq(0),
            nsi_manager::row_version.eq(0),
            nsi_manager::created_by_user_id.eq(user_id),
            nsi_manager::last_updated_user_id.eq(user_id),
            nsi_manager::created_datetime.eq(now),
            nsi_manager::last_updated_datetime.eq(now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn insert_status_history(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    now: NaiveDateTime,
    nsi_id: i64,
    status_id: i64,
    date: NaiveDateTime,
    notes: Option<&str>,
) -> QueryResult<()> {
    let id = next_id(conn, NSI_STATUS_HISTORY_ID_SEQ).await?;
    diesel::insert_into(nsi_status_history::table)
        .values((
            nsi_status_history::nsi_status_history_id.eq(id),
            nsi_status_history::nsi_id.eq(nsi_id),
            nsi_status_history::nsi_status_id.eq(status_id),
            nsi_status_history::nsi_status_date.eq(date),
            nsi_status_history::notes.eq(notes),
            nsi_status_history::soft_deleted.eq(0),
            nsi_status_history::partition_area_id.eq(0),
            nsi_status_history::row_version.eq(0),
            nsi_status_history::created_by_user_id.eq(user_id),
            nsi_status_history::last_updated_user_id.eq(user_id),
            nsi_status_history::created_datetime.eq(now),
            nsi_status_history::last_updated_datetime.eq(now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// The changes one request makes to an NSI; `None` leaves a column as it is.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct NsiChanges {
    pub notes: Option<String>,
    pub actual_start_date: Option<NaiveDateTime>,
    pub status: Option<(i64, NaiveDateTime)>,
    pub outcome_id: Option<i64>,
    /// Setting an end date also makes the NSI inactive (spec 3.5 step 5).
    pub actual_end_date: Option<NaiveDateTime>,
}

impl NsiChanges {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// Writes `changes` in one statement that bumps the row version; nothing when there are none.
pub async fn update(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    now: NaiveDateTime,
    nsi_id: i64,
    changes: &NsiChanges,
) -> QueryResult<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let target = nsi::table.find(nsi_id);
    let audit = (
        nsi::row_version.eq(nsi::row_version + 1),
        nsi::last_updated_user_id.eq(user_id),
        nsi::last_updated_datetime.eq(now),
    );
    if let Some(notes) = &changes.notes {
        diesel::update(target)
            .set(nsi::notes.eq(notes))
            .execute(conn)
            .await?;
    }
    if let Some(start) = changes.actual_start_date {
        diesel::update(target)
            .set(nsi::actual_start_date.eq(start))
            .execute(conn)
            .await?;
    }
    if let Some((status_id, date)) = changes.status {
        diesel::update(target)
            .set((
                nsi::nsi_status_id.eq(status_id),
                nsi::nsi_status_date.eq(date),
            ))
            .execute(conn)
            .await?;
    }
    if let Some(outcome_id) = changes.outcome_id {
        diesel::update(target)
            .set(nsi::nsi_outcome_id.eq(outcome_id))
            .execute(conn)
            .await?;
    }
    if let Some(end) = changes.actual_end_date {
        diesel::update(target)
            .set((nsi::actual_end_date.eq(end), nsi::active_flag.eq(0)))
            .execute(conn)
            .await?;
    }
    diesel::update(target).set(audit).execute(conn).await?;
    Ok(())
}

/// `NSI.RAR_COUNT` = distinct dates of the NSI's RAR contacts that were not failed (spec 2.2.5
/// step 6).
pub async fn update_rar_count(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    now: NaiveDateTime,
    nsi_id: i64,
) -> QueryResult<()> {
    let count: i64 = contact::table
        .filter(contact::nsi_id.eq(nsi_id))
        .filter(contact::rar_activity.eq("Y"))
        .filter(contact::soft_deleted.eq(0))
        .filter(contact::attended.is_null().or(contact::attended.eq("Y")))
        .filter(contact::complied.is_null().or(contact::complied.eq("Y")))
        .select(count_distinct(contact::contact_date))
        .get_result(conn)
        .await?;
    diesel::update(
        nsi::table
            .find(nsi_id)
            .filter(nsi::rar_count.is_distinct_from(count)),
    )
    .set((
        nsi::rar_count.eq(count),
        nsi::row_version.eq(nsi::row_version + 1),
        nsi::last_updated_user_id.eq(user_id),
        nsi::last_updated_datetime.eq(now),
    ))
    .execute(conn)
    .await?;
    Ok(())
}

/// The live NSI with this id.
pub async fn by_id(conn: &mut AsyncPgConnection, nsi_id: i64) -> QueryResult<Option<Nsi>> {
    nsi::table
        .inner_join(r_nsi_status::table.on(r_nsi_status::nsi_status_id.eq(nsi::nsi_status_id)))
        .filter(nsi::nsi_id.eq(nsi_id))
        .filter(nsi::soft_deleted.eq(0))
        .select((
            nsi::nsi_id,
            nsi::offender_id,
            nsi::event_id,
            nsi::rqmnt_id,
            r_nsi_status::code,
            nsi::nsi_status_date,
            nsi::nsi_outcome_id,
            nsi::actual_start_date,
            nsi::actual_end_date,
            nsi::notes,
        ))
        .first(conn)
        .await
        .optional()
}

/// Soft-deleted flags of every NSI (deleted or not) of the person with this external reference,
/// to say why a referral was not found.
pub async fn soft_deleted_flags(
    conn: &mut AsyncPgConnection,
    crn: &str,
    urn: &str,
) -> QueryResult<Vec<i16>> {
    nsi::table
        .inner_join(offender::table.on(offender::offender_id.eq(nsi::offender_id)))
        .filter(offender::crn.eq(crn))
        .filter(nsi::external_reference.eq(urn))
        .select(nsi::soft_deleted)
        .load(conn)
        .await
}

/// Locks the NSI row until the transaction ends: requests about one referral's appointments run
/// one after the other, so two copies of a request cannot both create its contact.
pub async fn lock(conn: &mut AsyncPgConnection, nsi_id: i64) -> QueryResult<()> {
    nsi::table
        .find(nsi_id)
        .select(nsi::nsi_id)
        .for_update()
        .first::<i64>(conn)
        .await
        .map(|_| ())
}
