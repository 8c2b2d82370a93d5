//! Validation of the allocated team, staff and reason (spec 4.1b), in the spec's order.

use anyhow::Context as _;
use chrono::{NaiveDate, NaiveDateTime};
use delius_data::lookups::ReferenceData;
use delius_data::schema::{staff, staff_team, team};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::reference::ReferenceCache;
use super::{allocation_failed, AllocationError, EXTERNAL_TRANSFER};
use crate::detail::Kind;

/// The team an allocation names.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = team, check_for_backend(diesel::pg::Pg))]
pub struct Team {
    #[diesel(column_name = team_id)]
    pub id: i64,
    pub code: String,
    pub description: Option<String>,
    #[diesel(column_name = probation_area_id)]
    pub provider_id: Option<i64>,
    pub end_date: Option<NaiveDate>,
}

/// The staff member an allocation names.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = staff, check_for_backend(diesel::pg::Pg))]
pub struct Staff {
    #[diesel(column_name = staff_id)]
    pub id: i64,
    #[diesel(column_name = officer_code)]
    pub code: String,
    pub forename: String,
    pub forename2: Option<String>,
    pub surname: String,
    pub end_date: Option<NaiveDate>,
}

/// What the new manager is built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validated {
    pub team: Team,
    pub staff: Staff,
    pub reason: ReferenceData,
}

/// What is validated: the detail's codes, the kind's reason code set and code, the allocation
/// date, and the current manager's provider (an allocation may not leave it).
pub struct Proposed<'a> {
    pub kind: Kind,
    pub crn: &'a str,
    pub staff_code: &'a str,
    pub team_code: &'a str,
    pub reason_code_sets: &'a [&'a str],
    pub reason_code: &'a str,
    pub date: NaiveDateTime,
    pub current_provider_id: Option<i64>,
}

/// Spec 4.1b steps 1-7.
pub async fn validate(
    conn: &mut AsyncPgConnection,
    reference: &ReferenceCache,
    proposed: &Proposed<'_>,
) -> anyhow::Result<Validated> {
    let team = team::table
        .filter(team::code.eq(proposed.team_code))
        .select(Team::as_select())
        .first(conn)
        .await
        .optional()
        .context("reading the team")?
        .ok_or_else(|| AllocationError::not_found("Team", "code", proposed.team_code))?;
    if team.provider_id != proposed.current_provider_id {
        return Err(allocation_failed(proposed.kind, proposed.crn, EXTERNAL_TRANSFER).into());
    }
    if ended_before(team.end_date, proposed.date) {
        return Err(AllocationError::not_active("Team", "code", &team.code).into());
    }
    let mut reason = None;
    for code_set in proposed.reason_code_sets {
        reason = reference
            .reason(conn, code_set, proposed.reason_code)
            .await?;
        if reason.is_some() {
            break;
        }
    }
    let reason = reason.ok_or_else(|| {
        AllocationError::NotFound(format!(
            "Allocation reason {} of {} not found",
            proposed.reason_code,
            proposed.reason_code_sets.join(" or ")
        ))
    })?;
    let staff = staff_by_code(conn, proposed.staff_code)
        .await?
        .ok_or_else(|| AllocationError::not_found("Staff", "code", proposed.staff_code))?;
    if ended_before(staff.end_date, proposed.date) {
        return Err(AllocationError::not_active("Staff", "code", &staff.code).into());
    }
    let in_team: bool = diesel::select(diesel::dsl::exists(
        staff_team::table
            .filter(staff_team::staff_id.eq(staff.id))
            .filter(staff_team::team_id.eq(team.id)),
    ))
    .get_result(conn)
    .await
    .context("checking team membership")?;
    if !in_team {
        return Err(AllocationError::StaffNotInTeam {
            staff_code: staff.code,
            team_code: team.code,
        }
        .into());
    }
    Ok(Validated {
        team,
        staff,
        reason,
    })
}

pub async fn staff_by_code(
    conn: &mut AsyncPgConnection,
    code: &str,
) -> anyhow::Result<Option<Staff>> {
    staff::table
        .filter(staff::officer_code.eq(code))
        .select(Staff::as_select())
        .first(conn)
        .await
        .optional()
        .context("reading the staff")
}

/// An end date earlier than the allocation's day; ending that day, or later, is still in time.
pub fn ended_before(end_date: Option<NaiveDate>, at: NaiveDateTime) -> bool {
    end_date.is_some_and(|end| end < at.date())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("date")
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("day")
    }

    #[test]
    fn spec_4_1b_an_end_date_before_the_allocation_day_is_not_active() {
        let allocated = at("2022-07-28 10:30:54");
        assert!(ended_before(Some(day("2022-07-27")), allocated));
        assert!(!ended_before(Some(day("2022-07-28")), allocated));
        assert!(
            !ended_before(Some(day("2027-07-28")), allocated),
            "five years ahead passes"
        );
        assert!(!ended_before(None, allocated));
    }
}
