//! Staff members that services find by name or create for a prison provider: case-note authors
//! (prison-case-notes-to-probation) and Prison Offender Managers (manage-pom-cases-and-delius).
//! Both draw officer codes `<area3><A-Z><nnn>` from the same space, so both create under the same
//! per-provider lock.

use anyhow::Context as _;
use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::lookups::{next_id, Sequence};
use crate::schema::{staff, staff_team};
use crate::time::now_london;

diesel::define_sql_function!(fn lower(x: Text) -> Text);

/// Key space of the per-provider advisory lock (`pg_advisory_xact_lock(namespace, provider id)`)
/// that serialises staff creation across services and replicas.
const STAFF_LOCK_NAMESPACE: i32 = 0x5354_4146;
const STAFF_ID_SEQ: Sequence = Sequence::named("staff_id_seq");

/// A staff member's id and officer code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub id: i64,
    pub code: String,
}

/// What a new staff member is made of.
#[derive(Debug, Clone, Copy)]
pub struct NewStaffMember<'a> {
    pub forename: &'a str,
    pub surname: &'a str,
    pub provider_id: i64,
    /// The provider's code: its first 3 characters prefix the officer code.
    pub provider_code: &'a str,
    /// The team the new member joins (STAFF_TEAM).
    pub team_id: i64,
    pub start_date: NaiveDate,
    /// `USER_.USER_ID` for the audit columns.
    pub user_id: i64,
}

/// Every officer code from `<prefix>A001` to `<prefix>Z999` is taken (the reference's
/// `StaffCodeExhaustedException`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "Officer codes exhausted for provider {prefix}: {prefix}A001 to {prefix}Z999 are all taken (StaffCodeExhausted)"
)]
pub struct StaffCodeExhausted {
    pub prefix: String,
}

/// The first staff member of the provider with this forename and surname, ignoring case (no team
/// or date check). PostgreSQL lowers both sides, so a name is always found again by the rule that
/// created it.
pub async fn find_by_name(
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

/// Creates the staff member and their team membership inside `tx`, under the provider's lock:
/// the name is looked up again under the lock (another message may just have created the same
/// person), so the member found then is returned instead, and two creations cannot pick the same
/// officer code. Commit `tx` on its own to keep the member when the work that needed it fails.
pub async fn create_locked(
    tx: &mut AsyncPgConnection,
    wanted: &NewStaffMember<'_>,
) -> anyhow::Result<StaffMember> {
    lock_provider(tx, wanted.provider_id).await?;
    if let Some(found) =
        find_by_name(tx, wanted.provider_id, wanted.forename, wanted.surname).await?
    {
        return Ok(found);
    }
    let prefix = officer_code_prefix(wanted.provider_code);
    let existing: Vec<String> = staff::table
        .filter(staff::officer_code.ilike(format!("{}____", escape_like(&prefix))))
        .select(staff::officer_code)
        .load(tx)
        .await?;
    let code = next_officer_code(&prefix, &existing)?;
    let id = next_id(tx, STAFF_ID_SEQ).await?;
    let now = now_london();
    diesel::insert_into(staff::table)
        .values((
            staff::staff_id.eq(id),
            staff::officer_code.eq(&code),
            staff::forename.eq(wanted.forename),
            staff::forename2.eq(None::<String>),
            staff::surname.eq(wanted.surname),
            staff::probation_area_id.eq(wanted.provider_id),
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
        .context("inserting staff")?;
    diesel::insert_into(staff_team::table)
        .values((
            staff_team::staff_id.eq(id),
            staff_team::team_id.eq(wanted.team_id),
            staff_team::row_version.eq(0i64),
            staff_team::created_by_user_id.eq(wanted.user_id),
            staff_team::last_updated_user_id.eq(wanted.user_id),
            staff_team::created_datetime.eq(now),
            staff_team::last_updated_datetime.eq(now),
        ))
        .execute(tx)
        .await
        .context("linking staff to the team")?;
    tracing::info!(officer_code = %code, staff_id = id, team_id = wanted.team_id, "created staff");
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

/// The prefix of a provider's generated codes: the first 3 characters of its code.
pub fn officer_code_prefix(provider_code: &str) -> String {
    provider_code.chars().take(3).collect()
}

/// The next free code given the existing codes that start with `prefix` (others are ignored):
/// the highest number for the letter plus one, from `A001`, the next letter after 999. Matching
/// ignores case; the number compared is the numeric value of the 3 digits, so mixed-case codes
/// cannot make a lower number win.
pub fn next_officer_code(prefix: &str, existing: &[String]) -> Result<String, StaffCodeExhausted> {
    for letter in 'A'..='Z' {
        let letter_prefix = format!("{prefix}{letter}").to_ascii_uppercase();
        let highest = existing
            .iter()
            .filter_map(|code| number_after(&code.to_ascii_uppercase(), &letter_prefix))
            .max()
            .unwrap_or(0);
        let next = highest + 1;
        if next <= 999 {
            return Ok(format!("{prefix}{letter}{next:03}"));
        }
    }
    Err(StaffCodeExhausted {
        prefix: prefix.to_owned(),
    })
}

/// The 3-digit number of `code` when it is exactly `letter_prefix` followed by 3 digits.
fn number_after(code: &str, letter_prefix: &str) -> Option<u32> {
    let digits = code.strip_prefix(letter_prefix)?;
    if digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()
    } else {
        None
    }
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    // Rule names are manage-pom-cases-and-delius spec section 8 rule 6; prison-case-notes-to-probation
    // creates authors by the same rule.
    #[test]
    fn rule_6_first_code_is_a001_and_unallocated_codes_do_not_count() {
        assert_eq!(next_officer_code("N03", &[]).unwrap(), "N03A001");
        assert_eq!(
            next_officer_code("N03", &codes(&["N03ALLU", "N03POMF", "N03DEF0"])).unwrap(),
            "N03A001"
        );
    }

    #[test]
    fn rule_6_next_code_follows_the_highest_number_ignoring_case() {
        assert_eq!(
            next_officer_code("N03", &codes(&["N03A001", "n03a007", "N03A003"])).unwrap(),
            "N03A008"
        );
        assert_eq!(
            next_officer_code("N03", &codes(&["N03A001"])).unwrap(),
            "N03A002"
        );
    }

    #[test]
    fn rule_6_codes_roll_over_to_the_next_letter_after_999() {
        assert_eq!(
            next_officer_code("N03", &codes(&["N03A999"])).unwrap(),
            "N03B001"
        );
        assert_eq!(
            next_officer_code("N03", &codes(&["N03A999", "N03B010"])).unwrap(),
            "N03B011"
        );
    }

    #[test]
    fn rule_6_codes_are_exhausted_after_z999() {
        let all: Vec<String> = ('A'..='Z').map(|l| format!("N03{l}999")).collect();
        assert_eq!(
            next_officer_code("N03", &all),
            Err(StaffCodeExhausted {
                prefix: "N03".into()
            })
        );
        let all_but_z: Vec<String> = ('A'..='Y').map(|l| format!("N03{l}999")).collect();
        assert_eq!(next_officer_code("N03", &all_but_z).unwrap(), "N03Z001");
    }

    #[test]
    fn prefix_is_the_first_three_characters() {
        assert_eq!(officer_code_prefix("N03"), "N03");
        assert_eq!(officer_code_prefix("N03X"), "N03");
    }
}
