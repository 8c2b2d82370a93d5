//! `GET /probation-case/{crn}/identifiers` (spec 2.3): always 200, the NOMS number when the live
//! person has one.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;

use delius_data::schema::offender;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseIdentifier {
    pub crn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub noms_id: Option<String>,
}

pub async fn identifiers(conn: &mut AsyncPgConnection, crn: &str) -> QueryResult<CaseIdentifier> {
    let noms_id: Option<Option<String>> = offender::table
        .filter(offender::crn.eq(crn))
        .filter(offender::soft_deleted.eq(0))
        .select(offender::noms_number)
        .first(conn)
        .await
        .optional()?;
    Ok(CaseIdentifier {
        crn: crn.to_owned(),
        noms_id: noms_id.flatten(),
    })
}
