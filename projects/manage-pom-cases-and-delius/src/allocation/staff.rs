//! The POM's STAFF row (spec 3.2.1 step 3, rule 6): found by name within the provider, or created
//! with a generated officer code and a place in the provider's POM team.

use std::time::Duration;

use anyhow::Context as _;
use chrono::NaiveDate;
use delius_data::lookups::{next_id, Provider, Sequence};
use delius_data::schema::{staff, staff_team};
use delius_data::time::now_london;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};
use diesel_async::scoped_futures::ScopedFutureExt;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use super::officer_code::{self, StaffCodeExhausted};

diesel::define_sql_function!(fn lower(x: Text) -> Text);

/// How often the whole find-or-create runs before the message fails (spec: 3 attempts).
const ATTEMPTS: u32 = 3;
/// Wait before attempt n+1: n × this.
const BACKOFF: Duration = Duration::from_millis(100);
/// Key space of the per-provider advisory lock (`pg_advisory_xact_lock(namespace, provider)`).
const STAFF_LOCK_NAMESPACE: i32 = 0x4d50_4301;
const STAFF_ID_SEQ: Sequence = Sequence::named("staff_id_seq");

/// A staff member's id and officer code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub id: i64,
    pub code: String,
}

/// What a new staff member is made of.
pub struct NewStaffMember<'a> {
    pub forename: &'a str,
    pub surname: &'a str,
    pub provider: &'a Provider,
    pub pom_team_id: i64,
    pub start_date: NaiveDate,
    pub user_id: i64,
}

/// Finds or creates the staff member, trying up to 3 times. `conn` must not be inside a
/// transaction: a created staff member is committed on its own, so it stays even if the
/// allocation that needed it fails.
pub async fn find_or_create(
    conn: &mut AsyncPgConnection,
    wanted: &NewStaffMember<'_>,
) -> anyhow::Result<StaffMember> {
    let mut attempt = 1;
    loop {
        match find_or_create_once(conn, wanted).await {
            Ok(member) => return Ok(member),
            // Running out of codes will not change on the next attempt.
            Err(error) if is_exhausted(&error) => return Err(error),
            Err(error) if attempt < ATTEMPTS => {
                tracing::warn!(%error, attempt, "finding or creating POM staff failed; retrying");
                tokio::time::sleep(BACKOFF * attempt).await;
                attempt += 1;
            }
            Err(error) => return Err(error),
        }
    }
}

async fn find_or_create_once(
    conn: &mut AsyncPgConnection,
    wanted: &NewStaffMember<'_>,
) -> anyhow::Result<StaffMember> {
    if let Some(found) = find(conn, wanted.provider.id, wanted.forename, wanted.surname).await? {
        return Ok(found);
    }
    conn.transaction::<_, anyhow::Error, _>(|tx| {
        async move { create_locked(tx, wanted).await }.scope_boxed()
    })
    .await
}

/// The first staff member of the provider with this forename and surname, ignoring case. No
/// team or date check (spec).
pub async fn find(
    conn: &mut AsyncPgConnection,
    provider_id: i64,
    forename: &str,
    surname: &str,
) -> QueryResult<Option<StaffMember>> {
    staff::table
        .filter(staff::probation_area_id.eq(provider_id))
        .filter(lower(staff::forename).eq(lower(forename)))
        .filter(lower(staff::surname).eq(lower(surname)))
        .order(staff::staff_id)
        .select((staff::staff_id, staff::officer_code))
        .first::<(i64, String)>(conn)
        .await
        .optional()
        .map(|found| found.map(|(id, code)| StaffMember { id, code }))
}

/// Creates the staff member under a per-provider lock, which serialises creation across every
/// replica: the name is looked up again under the lock (another message may just have created
/// the same person) and two creations cannot pick the same officer code.
async fn create_locked(
    tx: &mut AsyncPgConnection,
    wanted: &NewStaffMember<'_>,
) -> anyhow::Result<StaffMember> {
    lock_provider(tx, wanted.provider.id).await?;
    if let Some(found) = find(tx, wanted.provider.id, wanted.forename, wanted.surname).await? {
        return Ok(found);
    }
    let prefix = officer_code::prefix(&wanted.provider.code);
    let existing: Vec<String> = staff::table
        .filter(staff::officer_code.ilike(format!("{}____", escape_like(&prefix))))
        .select(staff::officer_code)
        .load(tx)
        .await?;
    let code = officer_code::next_officer_code(&prefix, &existing)?;
    let id = next_id(tx, STAFF_ID_SEQ).await?;
    let now = now_london();
    diesel::insert_into(staff::table)
        .values((
            staff::staff_id.eq(id),
            staff::officer_code.eq(&code),
            staff::forename.eq(wanted.forename),
            staff::forename2.eq(None::<String>),
            staff::surname.eq(wanted.surname),
            staff::probation_area_id.eq(wanted.provider.id),
            staff::start_date.eq(wanted.start_date),
            staff::private.eq(0i16),
            staff::row_version.eq(0i64),
            staff::created_by_user_id.eq(wanted.user_id),
            staff::last_updated_user_id.eq(wanted.user_id),
            staff::created_datetime.eq(now),
            staff::last_updated_datetime.eq(now),
        ))
        .execute(tx)
        .await
        .context("inserting POM staff")?;
    diesel::insert_into(staff_team::table)
        .values((
            staff_team::staff_id.eq(id),
            staff_team::team_id.eq(wanted.pom_team_id),
            staff_team::row_version.eq(0i64),
            staff_team::created_by_user_id.eq(wanted.user_id),
            staff_team::last_updated_user_id.eq(wanted.user_id),
            staff_team::created_datetime.eq(now),
            staff_team::last_updated_datetime.eq(now),
        ))
        .execute(tx)
        .await
        .context("linking POM staff to the POM team")?;
    tracing::info!(officer_code = %code, staff_id = id, "created POM staff");
    Ok(StaffMember { id, code })
}

async fn lock_provider(tx: &mut AsyncPgConnection, provider_id: i64) -> anyhow::Result<()> {
    // Provider ids are Delius sequence values far below 2^31; folding larger ones only makes two
    // providers share a lock.
    let provider_key = i32::try_from(provider_id % i64::from(i32::MAX)).unwrap_or_default();
    diesel::sql_query("SELECT pg_advisory_xact_lock($1, $2)")
        .bind::<Integer, _>(STAFF_LOCK_NAMESPACE)
        .bind::<Integer, _>(provider_key)
        .execute(tx)
        .await
        .context("locking staff creation for the provider")?;
    Ok(())
}

fn is_exhausted(error: &anyhow::Error) -> bool {
    error.chain().any(|e| e.is::<StaffCodeExhausted>())
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
