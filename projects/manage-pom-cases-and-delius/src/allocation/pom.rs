//! PRISON_OFFENDER_MANAGER (spec 3.2.1 steps 4-7, 3.2.2 step 1): the person lock, the current POM
//! at the allocation date, the new POM's end date, the reason and the no-change check.

use anyhow::Context as _;
use chrono::NaiveDateTime;
use delius_data::schema::{offender, prison_offender_manager as pom, staff};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::contacts;

/// Where a POM sits: provider (establishment), team and staff member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assignment {
    pub provider_id: i64,
    pub team_id: i64,
    pub staff_id: i64,
}

/// The POM to change to, with the staff member's officer code (a code ending in `U` is the
/// unallocated staff member).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub assignment: Assignment,
    pub staff_code: String,
    /// Set on allocation only.
    pub email: Option<String>,
}

/// A PRISON_OFFENDER_MANAGER row as this module needs it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Pom {
    pub id: i64,
    pub row_version: i64,
    pub allocation_date: NaiveDateTime,
    pub end_date: Option<NaiveDateTime>,
    pub provider_id: i64,
    pub team_id: i64,
    pub staff_id: i64,
    pub reason_id: Option<i64>,
    pub staff_code: String,
}

impl Pom {
    pub fn assignment(&self) -> Assignment {
        Assignment {
            provider_id: self.provider_id,
            team_id: self.team_id,
            staff_id: self.staff_id,
        }
    }

    pub fn is_unallocated(&self) -> bool {
        is_unallocated_code(&self.staff_code)
    }
}

/// Unallocated staff have officer codes ending in `U` (e.g. `N03ALLU`).
pub fn is_unallocated_code(officer_code: &str) -> bool {
    officer_code.ends_with('U')
}

/// The allocation reason and its contact type (rule 2): `AUT` for a first POM or a move to the
/// unallocated staff, else `INA` within the same provider and `EXT` from another.
pub fn allocation_reason(current: Option<&Pom>, target: &Target) -> (&'static str, &'static str) {
    match current {
        None => ("AUT", contacts::AUTO_ALLOCATION),
        Some(_) if is_unallocated_code(&target.staff_code) => ("AUT", contacts::AUTO_ALLOCATION),
        Some(current) if current.provider_id == target.assignment.provider_id => {
            ("INA", contacts::INTERNAL_ALLOCATION)
        }
        Some(_) => ("EXT", contacts::EXTERNAL_ALLOCATION),
    }
}

/// Rule 3: the same provider, team and staff member means nothing to change.
pub fn is_unchanged(current: Option<&Pom>, target: &Target) -> bool {
    current.is_some_and(|c| c.assignment() == target.assignment)
}

/// Rule 4: the current POM's own end date, else the start of the earliest later POM.
pub fn new_end_date(
    current: Option<&Pom>,
    next_pom_start: Option<NaiveDateTime>,
) -> Option<NaiveDateTime> {
    current.and_then(|c| c.end_date).or(next_pom_start)
}

/// Locks the person's OFFENDER row until the transaction ends, so allocations for one person run
/// one at a time.
pub async fn lock_person(tx: &mut AsyncPgConnection, person_id: i64) -> anyhow::Result<()> {
    offender::table
        .find(person_id)
        .select(offender::offender_id)
        .for_update()
        .first::<i64>(tx)
        .await
        .context("locking the person for the POM allocation")?;
    Ok(())
}

/// The POM in place at `at`: started on or before it and not ended by it.
pub async fn current_pom(
    tx: &mut AsyncPgConnection,
    person_id: i64,
    at: NaiveDateTime,
) -> QueryResult<Option<Pom>> {
    pom::table
        .inner_join(staff::table.on(staff::staff_id.eq(pom::allocation_staff_id)))
        .filter(pom::offender_id.eq(person_id))
        .filter(pom::soft_deleted.eq(0))
        .filter(pom::allocation_date.le(at))
        .filter(pom::end_date.is_null().or(pom::end_date.gt(at)))
        .order((
            pom::allocation_date.desc(),
            pom::prison_offender_manager_id.desc(),
        ))
        .select((
            pom::prison_offender_manager_id,
            pom::row_version,
            pom::allocation_date,
            pom::end_date,
            pom::probation_area_id,
            pom::allocation_team_id,
            pom::allocation_staff_id,
            pom::allocation_reason_id,
            staff::officer_code,
        ))
        .first(tx)
        .await
        .optional()
}

/// The start of the earliest POM after `at`, e.g. a future-dated one or one from a message that
/// arrived before this one.
pub async fn next_pom_start(
    tx: &mut AsyncPgConnection,
    person_id: i64,
    at: NaiveDateTime,
) -> QueryResult<Option<NaiveDateTime>> {
    pom::table
        .filter(pom::offender_id.eq(person_id))
        .filter(pom::soft_deleted.eq(0))
        .filter(pom::allocation_date.gt(at))
        .order(pom::allocation_date)
        .select(pom::allocation_date)
        .first(tx)
        .await
        .optional()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap()
    }

    fn pom(provider_id: i64, team_id: i64, staff_id: i64, end: Option<NaiveDateTime>) -> Pom {
        Pom {
            id: 1,
            row_version: 0,
            allocation_date: at(2023, 1, 1),
            end_date: end,
            provider_id,
            team_id,
            staff_id,
            reason_id: None,
            staff_code: "N03A001".into(),
        }
    }

    fn target(provider_id: i64, team_id: i64, staff_id: i64, code: &str) -> Target {
        Target {
            assignment: Assignment {
                provider_id,
                team_id,
                staff_id,
            },
            staff_code: code.into(),
            email: None,
        }
    }

    #[test]
    fn rule_2_reason_precedence() {
        let current = pom(103, 1032, 1, None);
        assert_eq!(
            allocation_reason(None, &target(103, 1032, 2, "N03A002")),
            ("AUT", "EPOMAT")
        );
        assert_eq!(
            allocation_reason(Some(&current), &target(103, 1033, 1032, "N03ALLU")),
            ("AUT", "EPOMAT"),
            "unallocated wins over same provider"
        );
        assert_eq!(
            allocation_reason(Some(&current), &target(107, 1073, 1073, "WSIALLU")),
            ("AUT", "EPOMAT"),
            "unallocated wins over a different provider"
        );
        assert_eq!(
            allocation_reason(Some(&current), &target(103, 1032, 2, "N03A002")),
            ("INA", "EPOMIN")
        );
        assert_eq!(
            allocation_reason(Some(&current), &target(107, 1072, 3, "WSIA001")),
            ("EXT", "EPOMEX")
        );
    }

    #[test]
    fn rule_3_change_compares_provider_team_and_staff_only() {
        let current = pom(103, 1032, 1, Some(at(2030, 1, 1)));
        assert!(is_unchanged(Some(&current), &target(103, 1032, 1, "other")));
        assert!(!is_unchanged(
            Some(&current),
            &target(103, 1031, 1, "N03A001")
        ));
        assert!(!is_unchanged(
            Some(&current),
            &target(104, 1032, 1, "N03A001")
        ));
        assert!(!is_unchanged(
            Some(&current),
            &target(103, 1032, 2, "N03A001")
        ));
        assert!(!is_unchanged(None, &target(103, 1032, 1, "N03A001")));
    }

    #[test]
    fn rule_4_new_end_date_prefers_the_current_poms_own_end_date() {
        let next = Some(at(2026, 1, 1));
        let ending = pom(103, 1032, 1, Some(at(2025, 1, 1)));
        let open = pom(103, 1032, 1, None);
        assert_eq!(new_end_date(Some(&ending), next), Some(at(2025, 1, 1)));
        assert_eq!(new_end_date(Some(&open), next), next);
        assert_eq!(new_end_date(None, next), next);
        assert_eq!(new_end_date(None, None), None);
    }
}
