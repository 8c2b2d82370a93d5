//! Who owns a CRS write: provider `CRS`, team `CRSUAT`, staff `CRSUATU` (spec 2.1 step 8, 2.2
//! step 4), and the office location an appointment takes place at.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use delius_data::lookups::{provider_by_code, staff_by_code, team_by_code};
use delius_data::schema::{office_location, probation_area};

use crate::errors::OrNotFound;
use crate::refs::{CRS_PROVIDER, CRS_STAFF, CRS_TEAM};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assignation {
    pub provider_id: i64,
    pub team_id: i64,
    pub staff_id: i64,
}

pub async fn crs(conn: &mut AsyncPgConnection) -> anyhow::Result<Assignation> {
    let provider = provider_by_code(conn, CRS_PROVIDER).await?.or_not_found(
        "Provider",
        "code",
        CRS_PROVIDER,
    )?;
    let team = team_by_code(conn, CRS_TEAM)
        .await?
        .or_not_found("Team", "code", CRS_TEAM)?;
    let staff = staff_by_code(conn, CRS_STAFF)
        .await?
        .or_not_found("Staff", "code", CRS_STAFF)?;
    Ok(Assignation {
        provider_id: provider.id,
        team_id: team.id,
        staff_id: staff.id,
    })
}

/// The id of the office location with this code that is open today and whose provider is too.
pub async fn active_office_location(
    conn: &mut AsyncPgConnection,
    code: &str,
    today: NaiveDate,
) -> anyhow::Result<i64> {
    Ok(office_location::table
        .inner_join(
            probation_area::table.on(probation_area::probation_area_id
                .nullable()
                .eq(office_location::probation_area_id)),
        )
        .filter(office_location::code.eq(code))
        .filter(
            office_location::end_date
                .is_null()
                .or(office_location::end_date.gt(today)),
        )
        .filter(
            probation_area::end_date
                .is_null()
                .or(probation_area::end_date.gt(today)),
        )
        .select(office_location::office_location_id)
        .first(conn)
        .await
        .optional()?
        .or_not_found("Location", "code", code)?)
}
