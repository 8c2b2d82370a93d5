//! Who a prison contact is assigned to: the prison's provider, its `{provider}CSN` team, and a
//! staff member found by name in that provider or created for the author.

use anyhow::Context;
use delius_data::lookups::{next_id, Sequence};
use delius_data::schema::{probation_area, r_institution, staff, staff_team, team};
use delius_data::time::{now_london, today_london};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sql_types::{Integer, Text};
use diesel_async::scoped_futures::ScopedFutureExt;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::entities::{NewStaff, NewStaffTeam};
use crate::model::StaffName;

diesel::define_sql_function!(fn lower(x: Text) -> Text);

/// The prison's provider and CSN team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Establishment {
    pub provider_id: i64,
    pub provider_code: String,
    pub team_id: i64,
}

/// `PROBATION_AREA_ID`, `TEAM_ID` and `STAFF_ID` of a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assignment {
    pub provider_id: i64,
    pub team_id: i64,
    pub staff_id: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum AssignmentError {
    #[error("Invalid establishment code {0:?}: a NOMIS prison code has at least 3 characters")]
    InvalidEstablishmentCode(String),
    #[error("Probation Area not found for NOMIS institution: {0}")]
    ProviderNotFound(String),
    #[error("Team {0} not found")]
    TeamNotFound(String),
    #[error("Officer codes exhausted for provider {0}: {0}A001 to {0}Z999 are all taken")]
    StaffCodesExhausted(String),
}

/// The provider whose institution has the NOMIS code of the first 3 characters of the prison
/// code (so `UNK` needs an `UNK` institution), and its team `{provider code}CSN`.
pub async fn establishment(
    conn: &mut AsyncPgConnection,
    establishment_code: &str,
) -> anyhow::Result<Establishment> {
    if establishment_code.chars().count() < 3 {
        return Err(
            AssignmentError::InvalidEstablishmentCode(establishment_code.to_owned()).into(),
        );
    }
    let nomis_code: String = establishment_code.chars().take(3).collect();
    // The first provider of the institution and its CSN team, in one round trip.
    let found: Option<(i64, String, Option<i64>)> = probation_area::table
        .inner_join(r_institution::table)
        .left_join(team::table.on(team::code.eq(probation_area::code.concat("CSN"))))
        .filter(r_institution::nomis_cde_code.eq(&nomis_code))
        .order((probation_area::probation_area_id, team::team_id))
        .select((
            probation_area::probation_area_id,
            probation_area::code,
            team::team_id.nullable(),
        ))
        .first(conn)
        .await
        .optional()?;
    match found {
        None => Err(AssignmentError::ProviderNotFound(nomis_code).into()),
        Some((_, provider_code, None)) => {
            Err(AssignmentError::TeamNotFound(format!("{provider_code}CSN")).into())
        }
        Some((provider_id, provider_code, Some(team_id))) => Ok(Establishment {
            provider_id,
            provider_code,
            team_id,
        }),
    }
}

/// The first staff member of the provider with this forename and surname, ignoring case.
pub async fn find_staff(
    conn: &mut AsyncPgConnection,
    provider_id: i64,
    name: &StaffName,
) -> QueryResult<Option<i64>> {
    staff::table
        .filter(staff::probation_area_id.eq(provider_id))
        // PostgreSQL lowers both sides, so a name is always found again by the rule that created it.
        .filter(lower(staff::forename).eq(lower(&name.forename)))
        .filter(lower(staff::surname).eq(lower(&name.surname)))
        .order(staff::staff_id)
        .select(staff::staff_id)
        .first(conn)
        .await
        .optional()
}

/// Creates the staff member (and their membership of the CSN team) in a transaction of its own,
/// so it stays even if the contact that needed it is rolled back.
///
/// A PostgreSQL advisory lock per provider serialises creation across every replica: the name is
/// looked up again under the lock (another message may just have created the same person), and
/// officer codes cannot collide. A unique violation that still happens (a code taken outside this
/// service) is retried with a fresh code, up to 3 times.
pub async fn create_staff(
    conn: &mut AsyncPgConnection,
    establishment: &Establishment,
    name: &StaffName,
    user_id: i64,
) -> anyhow::Result<i64> {
    const ATTEMPTS: u32 = 3;
    let mut attempt = 1;
    loop {
        let result = conn
            .transaction::<i64, anyhow::Error, _>(|tx| {
                async move { create_staff_locked(tx, establishment, name, user_id).await }
                    .scope_boxed()
            })
            .await;
        match result {
            Err(error) if attempt < ATTEMPTS && is_unique_violation(&error) => {
                tracing::warn!(%error, attempt, "staff creation collided; retrying");
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// Lock key space for staff creation (`pg_advisory_xact_lock(namespace, provider id)`).
const STAFF_LOCK_NAMESPACE: i32 = 0x5043_4e01;

async fn create_staff_locked(
    tx: &mut AsyncPgConnection,
    establishment: &Establishment,
    name: &StaffName,
    user_id: i64,
) -> anyhow::Result<i64> {
    // Provider ids are Delius sequence values, far below 2^31; the cast folds larger ones safely
    // (a shared lock key only serialises a little more).
    let provider_key = (establishment.provider_id % i64::from(i32::MAX)) as i32;
    diesel::sql_query("SELECT pg_advisory_xact_lock($1, $2)")
        .bind::<Integer, _>(STAFF_LOCK_NAMESPACE)
        .bind::<Integer, _>(provider_key)
        .execute(tx)
        .await
        .context("locking staff creation for the provider")?;
    if let Some(id) = find_staff(tx, establishment.provider_id, name).await? {
        return Ok(id);
    }
    let prefix: String = establishment.provider_code.chars().take(3).collect();
    let existing: Vec<String> = staff::table
        .filter(staff::officer_code.ilike(format!("{}____", escape_like(&prefix))))
        .select(staff::officer_code)
        .load(tx)
        .await?;
    let officer_code = next_officer_code(&prefix, &existing)
        .ok_or_else(|| AssignmentError::StaffCodesExhausted(prefix.clone()))?;
    let staff_id = next_id(tx, Sequence::named("staff_id_seq")).await?;
    let now = now_london();
    diesel::insert_into(staff::table)
        .values(NewStaff {
            staff_id,
            officer_code: officer_code.clone(),
            forename: name.forename.clone(),
            surname: name.surname.clone(),
            probation_area_id: Some(establishment.provider_id),
            start_date: Some(today_london()),
            private: 0,
            row_version: 0,
            created_by_user_id: Some(user_id),
            last_updated_user_id: Some(user_id),
            created_datetime: Some(now),
            last_updated_datetime: Some(now),
        })
        .execute(tx)
        .await?;
    diesel::insert_into(staff_team::table)
        .values(NewStaffTeam {
            staff_id,
            team_id: establishment.team_id,
            row_version: 0,
            created_by_user_id: Some(user_id),
            last_updated_user_id: Some(user_id),
            created_datetime: Some(now),
            last_updated_datetime: Some(now),
        })
        .execute(tx)
        .await?;
    tracing::info!(officer_code, staff_id, "created prison staff");
    Ok(staff_id)
}

/// `{prefix}{letter}{nnn}`: the highest existing number for the letter plus one, starting at `A`
/// and moving to the next letter after 999. `None` when `Z999` is taken too.
pub fn next_officer_code(prefix: &str, existing: &[String]) -> Option<String> {
    for letter in 'A'..='Z' {
        let letter_prefix = format!("{prefix}{letter}").to_ascii_uppercase();
        let highest = existing
            .iter()
            .filter_map(|code| {
                let code = code.to_ascii_uppercase();
                let digits = code.strip_prefix(&letter_prefix)?;
                (digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| digits.parse::<u32>().ok())
                    .flatten()
            })
            .max()
            .unwrap_or(0);
        if highest < 999 {
            return Some(format!("{prefix}{letter}{:03}", highest + 1));
        }
    }
    None
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn is_unique_violation(error: &anyhow::Error) -> bool {
    error.chain().any(|e| {
        matches!(
            e.downcast_ref::<DieselError>(),
            Some(DieselError::DatabaseError(
                DatabaseErrorKind::UniqueViolation,
                _
            ))
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn officer_codes_start_at_a001() {
        assert_eq!(next_officer_code("LEI", &[]).as_deref(), Some("LEIA001"));
        // Codes outside the pattern (the seeded LEICSNU) do not count.
        assert_eq!(
            next_officer_code("LEI", &codes(&["LEICSNU", "LEIALLU"])).as_deref(),
            Some("LEIA001")
        );
    }

    #[test]
    fn officer_codes_follow_the_highest_number_ignoring_case() {
        assert_eq!(
            next_officer_code("LEI", &codes(&["LEIA001", "leia007", "LEIA003"])).as_deref(),
            Some("LEIA008")
        );
    }

    #[test]
    fn officer_codes_move_to_the_next_letter_after_999() {
        assert_eq!(
            next_officer_code("LEI", &codes(&["LEIA999", "LEIB010"])).as_deref(),
            Some("LEIB011")
        );
        let all: Vec<String> = ('A'..='Z').map(|l| format!("LEI{l}999")).collect();
        assert_eq!(next_officer_code("LEI", &all), None);
    }
}
