//! Who owns a CRS write: provider `CRS`, team `CRSUAT`, staff `CRSUATU` (spec 2.1 step 8, 2.2
//! step 4), and the office location an appointment takes place at.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use delius_data::schema::{office_location, probation_area};

use crate::errors::OrNotFound;
use crate::refs::{CRS_PROVIDER, CRS_STAFF, CRS_TEAM};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assignation {
    pub provider_id: i64,
    pub team_id: i64,
    pub staff_id: i64,
}

#[derive(QueryableByName)]
struct CrsIds {
    #[diesel(sql_type = Nullable<BigInt>)]
    provider_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    team_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    staff_id: Option<i64>,
}

/// One round trip for the three: every CRS write needs them.
const CRS_IDS: &str = r#"
SELECT (SELECT probation_area_id FROM probation_area WHERE code = $1 LIMIT 1) AS provider_id,
       (SELECT team_id FROM team WHERE code = $2 LIMIT 1) AS team_id,
       (SELECT staff_id FROM staff WHERE officer_code = $3 LIMIT 1) AS staff_id
"#;

pub async fn crs(conn: &mut AsyncPgConnection) -> anyhow::Result<Assignation> {
    let ids: CrsIds = diesel::sql_query(CRS_IDS)
        .bind::<Text, _>(CRS_PROVIDER)
        .bind::<Text, _>(CRS_TEAM)
        .bind::<Text, _>(CRS_STAFF)
        .get_result(conn)
        .await?;
    Ok(Assignation {
        provider_id: ids
            .provider_id
            .or_not_found("Provider", "code", CRS_PROVIDER)?,
        team_id: ids.team_id.or_not_found("Team", "code", CRS_TEAM)?,
        staff_id: ids.staff_id.or_not_found("Staff", "code", CRS_STAFF)?,
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
