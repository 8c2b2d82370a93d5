//! Where a POM goes (spec 3.2.1 step 2, 3.2.2 step 2): the provider of the prison an allocation
//! names, or the unallocated staff member of the current POM's provider on a deallocation.

use delius_data::lookups::{staff_by_code, team_by_code, Provider};
use delius_data::schema::{probation_area, r_institution};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::pom::{Assignment, Pom, Target};
use super::NotFound;

/// The provider whose institution has this NOMIS prison code.
pub async fn establishment_provider(
    conn: &mut AsyncPgConnection,
    prison_code: &str,
) -> anyhow::Result<Provider> {
    probation_area::table
        .inner_join(r_institution::table)
        .filter(r_institution::nomis_cde_code.eq(prison_code))
        .order(probation_area::probation_area_id)
        .select(Provider::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or_else(|| NotFound::new("ProbationArea", "nomisCdeCode", prison_code).into())
}

/// The `<area>ALL` team and its `<team>U` staff member of the current POM's provider; either
/// missing is a [`NotFound`] that fails the message.
pub async fn unallocated(tx: &mut AsyncPgConnection, current: &Pom) -> anyhow::Result<Target> {
    let provider_code: String = probation_area::table
        .find(current.provider_id)
        .select(probation_area::code)
        .first(tx)
        .await?;
    let team_code = format!("{provider_code}ALL");
    let team = team_by_code(tx, &team_code)
        .await?
        .ok_or_else(|| NotFound::new("Team", "code", &team_code))?;
    let staff_code = format!("{team_code}U");
    let member = staff_by_code(tx, &staff_code)
        .await?
        .ok_or_else(|| NotFound::new("Staff", "code", &staff_code))?;
    Ok(Target {
        assignment: Assignment {
            provider_id: current.provider_id,
            team_id: team.id,
            staff_id: member.id,
        },
        staff_code: member.code,
        email: None,
    })
}
