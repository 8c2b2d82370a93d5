//! The KEY_DATE rows of a custodial sentence (spec 3.1 steps 4-6 and 9): the person's single
//! active custody, and the POM1/POM2 merge in one transaction.

use std::collections::HashMap;

use anyhow::anyhow;
use chrono::NaiveDate;
use delius_data::lookups::{self, next_id, Sequence};
use delius_data::schema::{
    custody, disposal, event, key_date, r_reference_data_master, r_standard_reference_list,
};
use delius_data::time::now_london;
use delius_data::StaleRow;
use diesel::prelude::*;
use diesel_async::scoped_futures::ScopedFutureExt;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use super::merge::{plan, ExistingKeyDate, MergeResult, Write};

/// Key date type of the handover date (honours dry run).
pub const HANDOVER_DATE: &str = "POM2";
/// Key date type of the handover start date (always written for real: the reference quirk).
pub const HANDOVER_START_DATE: &str = "POM1";
const KEY_DATE_TYPES: &str = "THROUGHCARE DATE TYPE";
const KEY_DATE_ID_SEQ: Sequence = Sequence::named("key_date_id_seq");

/// The live CUSTODY ids of the person's active events' active disposals.
pub async fn active_custodies(
    conn: &mut AsyncPgConnection,
    person_id: i64,
) -> QueryResult<Vec<i64>> {
    custody::table
        .inner_join(disposal::table.inner_join(event::table))
        .filter(event::offender_id.eq(person_id))
        .filter(event::active_flag.eq(1))
        .filter(event::soft_deleted.eq(0))
        .filter(disposal::active_flag.eq(1))
        .filter(disposal::soft_deleted.eq(0))
        .filter(custody::soft_deleted.eq(0))
        .select(custody::custody_id)
        .order(custody::custody_id)
        .load(conn)
        .await
}

/// Merges both dates into the custody's key dates in one transaction and returns the overall
/// result: POM2 with `dry_run`, POM1 always for real. `user_id` fills the audit columns.
pub async fn merge_handover_dates(
    conn: &mut AsyncPgConnection,
    custody_id: i64,
    handover_date: Option<NaiveDate>,
    handover_start_date: Option<NaiveDate>,
    dry_run: bool,
    user_id: i64,
) -> anyhow::Result<MergeResult> {
    conn.transaction::<_, anyhow::Error, _>(|tx| {
        async move {
            // Serialises merges of the same sentence, so two messages cannot both insert.
            custody::table
                .find(custody_id)
                .select(custody::custody_id)
                .for_update()
                .first::<i64>(tx)
                .await?;
            let existing = existing_key_dates(tx, custody_id).await?;
            let handover = merge_one(
                tx,
                custody_id,
                HANDOVER_DATE,
                existing.get(HANDOVER_DATE),
                handover_date,
                dry_run,
                user_id,
            )
            .await?;
            let start = merge_one(
                tx,
                custody_id,
                HANDOVER_START_DATE,
                existing.get(HANDOVER_START_DATE),
                handover_start_date,
                false,
                user_id,
            )
            .await?;
            Ok(handover.max(start))
        }
        .scope_boxed()
    })
    .await
}

/// The live POM1/POM2 rows by type code, the types read from the key date type code set only (other
/// code sets may reuse the codes). Should a type have several rows, the newest is merged.
async fn existing_key_dates(
    conn: &mut AsyncPgConnection,
    custody_id: i64,
) -> QueryResult<HashMap<String, ExistingKeyDate>> {
    let rows: Vec<(i64, String, NaiveDate, i64)> = key_date::table
        .inner_join(r_standard_reference_list::table.inner_join(r_reference_data_master::table))
        .filter(key_date::custody_id.eq(custody_id))
        .filter(key_date::soft_deleted.eq(0))
        .filter(r_reference_data_master::code_set_name.eq(KEY_DATE_TYPES))
        .filter(r_standard_reference_list::code_value.eq_any([HANDOVER_DATE, HANDOVER_START_DATE]))
        .select((
            key_date::key_date_id,
            r_standard_reference_list::code_value,
            key_date::key_date_,
            key_date::row_version,
        ))
        .order(key_date::key_date_id)
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, code, date, row_version)| {
            (
                code,
                ExistingKeyDate {
                    id,
                    date,
                    row_version,
                },
            )
        })
        .collect())
}

async fn merge_one(
    conn: &mut AsyncPgConnection,
    custody_id: i64,
    type_code: &str,
    existing: Option<&ExistingKeyDate>,
    incoming: Option<NaiveDate>,
    dry_run: bool,
    user_id: i64,
) -> anyhow::Result<MergeResult> {
    let (result, write) = plan(existing, incoming, dry_run);
    match write {
        Write::Nothing => {}
        Write::Insert { date } => insert(conn, custody_id, type_code, date, user_id).await?,
        Write::Update {
            id,
            row_version,
            date,
        } => update(conn, id, row_version, date, user_id).await?,
    }
    Ok(result)
}

async fn insert(
    conn: &mut AsyncPgConnection,
    custody_id: i64,
    type_code: &str,
    date: NaiveDate,
    user_id: i64,
) -> anyhow::Result<()> {
    let key_date_type = lookups::reference_data(conn, KEY_DATE_TYPES, type_code)
        .await?
        .ok_or_else(|| anyhow!("KeyDateType with code of {type_code} not found"))?;
    let id = next_id(conn, KEY_DATE_ID_SEQ).await?;
    let now = now_london();
    diesel::insert_into(key_date::table)
        .values((
            key_date::key_date_id.eq(id),
            key_date::custody_id.eq(custody_id),
            key_date::key_date_type_id.eq(key_date_type.id),
            key_date::key_date_.eq(date),
            key_date::soft_deleted.eq(0),
            key_date::partition_area_id.eq(0),
            key_date::row_version.eq(0),
            key_date::created_by_user_id.eq(user_id),
            key_date::last_updated_user_id.eq(user_id),
            key_date::created_datetime.eq(now),
            key_date::last_updated_datetime.eq(now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

async fn update(
    conn: &mut AsyncPgConnection,
    id: i64,
    row_version: i64,
    date: NaiveDate,
    user_id: i64,
) -> anyhow::Result<()> {
    let updated = diesel::update(
        key_date::table
            .find(id)
            .filter(key_date::row_version.eq(row_version)),
    )
    .set((
        key_date::key_date_.eq(date),
        key_date::row_version.eq(row_version + 1),
        key_date::last_updated_user_id.eq(user_id),
        key_date::last_updated_datetime.eq(now_london()),
    ))
    .execute(conn)
    .await?;
    if updated == 0 {
        return Err(StaleRow {
            table: "key_date",
            id,
            expected: row_version,
        }
        .into());
    }
    Ok(())
}
