//! Helpers shared by the tests: the auditor of a seeded service user, reading audit rows back and
//! the event/requirement rows IAPS flags point at.

use audit_iaps::Auditor;
use chrono::NaiveDateTime;
use delius_data::lookups::{next_id, Sequence};
use delius_data::schema::{audited_interaction, disposal, event, rqmnt};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use test_support::TestDatabase;

/// Seeded service user `PrisonCaseNotesToProbation`.
pub const PCN_USER_ID: i64 = 2;
pub const PCN_USERNAME: &str = "PrisonCaseNotesToProbation";
/// Seeded business interactions.
pub const APIBI001_ID: i64 = 101;
pub const CLBI003_ID: i64 = 106;
/// Seeded community disposal type (`ORA`).
const ORA_DISPOSAL_TYPE_ID: i64 = 104;

pub async fn pcn_auditor(db: &TestDatabase) -> anyhow::Result<Auditor> {
    Ok(Auditor::connect(db.pool(), PCN_USERNAME).await?)
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct AuditRow {
    pub date_time: NaiveDateTime,
    pub business_interaction_id: i64,
    pub user_id: i64,
    pub outcome: String,
    pub interaction_parameters: Option<String>,
}

/// Every audit row, oldest first.
pub async fn audit_rows(conn: &mut AsyncPgConnection) -> QueryResult<Vec<AuditRow>> {
    audited_interaction::table
        .select((
            audited_interaction::date_time,
            audited_interaction::business_interaction_id,
            audited_interaction::user_id,
            audited_interaction::outcome,
            audited_interaction::interaction_parameters,
        ))
        .order(audited_interaction::date_time)
        .load(conn)
        .await
}

pub async fn insert_event(conn: &mut AsyncPgConnection, offender_id: i64) -> QueryResult<i64> {
    let id = next_id(conn, Sequence::named("event_id_seq")).await?;
    diesel::insert_into(event::table)
        .values((
            event::event_id.eq(id),
            event::offender_id.eq(offender_id),
            event::event_number.eq("1"),
        ))
        .execute(conn)
        .await?;
    Ok(id)
}

/// A requirement on a new community disposal of the event.
pub async fn insert_requirement(
    conn: &mut AsyncPgConnection,
    offender_id: i64,
    event_id: i64,
) -> QueryResult<i64> {
    let disposal_id = next_id(conn, Sequence::named("disposal_id_seq")).await?;
    diesel::insert_into(disposal::table)
        .values((
            disposal::disposal_id.eq(disposal_id),
            disposal::event_id.eq(event_id),
            disposal::disposal_type_id.eq(ORA_DISPOSAL_TYPE_ID),
        ))
        .execute(conn)
        .await?;
    let id = next_id(conn, Sequence::named("rqmnt_id_seq")).await?;
    diesel::insert_into(rqmnt::table)
        .values((
            rqmnt::rqmnt_id.eq(id),
            rqmnt::offender_id.eq(offender_id),
            rqmnt::disposal_id.eq(disposal_id),
        ))
        .execute(conn)
        .await?;
    Ok(id)
}
