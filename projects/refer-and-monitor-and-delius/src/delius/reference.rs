//! Reference-data lookups by code; a missing code is a [`NotFound`].

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use delius_data::lookups::{self, ContactType};
use delius_data::schema::{r_contact_outcome_type, r_enforcement_action, r_nsi_status, r_nsi_type};

use crate::errors::{NotFound, OrNotFound};

pub async fn nsi_type_id(conn: &mut AsyncPgConnection, code: &str) -> anyhow::Result<i64> {
    Ok(r_nsi_type::table
        .filter(r_nsi_type::code.eq(code))
        .select(r_nsi_type::nsi_type_id)
        .first(conn)
        .await
        .optional()?
        .or_not_found("NsiType", "code", code)?)
}

#[derive(Debug, Clone, Queryable)]
pub struct NsiStatus {
    pub id: i64,
    pub code: String,
    pub contact_type_id: Option<i64>,
}

pub async fn nsi_status(conn: &mut AsyncPgConnection, code: &str) -> anyhow::Result<NsiStatus> {
    Ok(r_nsi_status::table
        .filter(r_nsi_status::code.eq(code))
        .select((
            r_nsi_status::nsi_status_id,
            r_nsi_status::code,
            r_nsi_status::contact_type_id,
        ))
        .first(conn)
        .await
        .optional()?
        .or_not_found("NsiStatus", "code", code)?)
}

pub async fn contact_type(conn: &mut AsyncPgConnection, code: &str) -> anyhow::Result<ContactType> {
    Ok(lookups::contact_type(conn, code)
        .await?
        .or_not_found("ContactType", "code", code)?)
}

#[derive(Debug, Clone, Queryable)]
pub struct OutcomeType {
    pub id: i64,
    pub code: String,
    pub description: Option<String>,
    pub attendance: Option<String>,
    pub compliant: Option<String>,
}

pub async fn outcome_type(conn: &mut AsyncPgConnection, code: &str) -> anyhow::Result<OutcomeType> {
    Ok(r_contact_outcome_type::table
        .filter(r_contact_outcome_type::code.eq(code))
        .select((
            r_contact_outcome_type::contact_outcome_type_id,
            r_contact_outcome_type::code,
            r_contact_outcome_type::description,
            r_contact_outcome_type::outcome_attendance,
            r_contact_outcome_type::outcome_compliant_acceptable,
        ))
        .first(conn)
        .await
        .optional()?
        .or_not_found("ContactOutcome", "code", code)?)
}

#[derive(Debug, Clone, Queryable)]
pub struct EnforcementAction {
    pub id: i64,
    pub description: Option<String>,
    pub response_by_period: Option<i64>,
    pub contact_type_id: i64,
}

pub async fn enforcement_action(
    conn: &mut AsyncPgConnection,
    code: &str,
) -> anyhow::Result<EnforcementAction> {
    Ok(r_enforcement_action::table
        .filter(r_enforcement_action::code.eq(code))
        .select((
            r_enforcement_action::enforcement_action_id,
            r_enforcement_action::description,
            r_enforcement_action::response_by_period,
            r_enforcement_action::contact_type_id,
        ))
        .first(conn)
        .await
        .optional()?
        .or_not_found("EnforcementAction", "code", code)?)
}

/// An NSI outcome (`NSI OUTCOME` code set).
pub async fn nsi_outcome(
    conn: &mut AsyncPgConnection,
    code: &str,
) -> anyhow::Result<lookups::ReferenceData> {
    Ok(
        lookups::reference_data(conn, crate::refs::NSI_OUTCOME_CODE_SET, code)
            .await?
            .ok_or_else(|| NotFound::new("NsiOutcome", "code", code))?,
    )
}
