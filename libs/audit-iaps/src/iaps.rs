//! IAPS (interventions) flags. Each upsert runs on the caller's connection so it commits or rolls
//! back with the business change that caused it.
//!
//! Delius's `MERGE … WHEN MATCHED UPDATE SET iaps_flag = 1 WHEN NOT MATCHED INSERT (key, 1)` is
//! `INSERT … ON CONFLICT (key) DO UPDATE SET iaps_flag = 1` here.

use delius_data::schema::{iaps_event, iaps_offender, iaps_requirement};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

/// The only value the services write: "IAPS must pick this row up".
const FLAGGED: i16 = 1;

/// Flags an event (`iaps_event`) for IAPS.
pub async fn flag_iaps_event(conn: &mut AsyncPgConnection, event_id: i64) -> QueryResult<()> {
    diesel::insert_into(iaps_event::table)
        .values((
            iaps_event::event_id.eq(event_id),
            iaps_event::iaps_flag.eq(FLAGGED),
        ))
        .on_conflict(iaps_event::event_id)
        .do_update()
        .set(iaps_event::iaps_flag.eq(FLAGGED))
        .execute(conn)
        .await?;
    Ok(())
}

/// Flags a person (`iaps_offender`) for IAPS.
pub async fn flag_iaps_offender(conn: &mut AsyncPgConnection, offender_id: i64) -> QueryResult<()> {
    diesel::insert_into(iaps_offender::table)
        .values((
            iaps_offender::offender_id.eq(offender_id),
            iaps_offender::iaps_flag.eq(FLAGGED),
        ))
        .on_conflict(iaps_offender::offender_id)
        .do_update()
        .set(iaps_offender::iaps_flag.eq(FLAGGED))
        .execute(conn)
        .await?;
    Ok(())
}

/// Flags a requirement (`iaps_requirement`) for IAPS.
pub async fn flag_iaps_requirement(conn: &mut AsyncPgConnection, rqmnt_id: i64) -> QueryResult<()> {
    diesel::insert_into(iaps_requirement::table)
        .values((
            iaps_requirement::rqmnt_id.eq(rqmnt_id),
            iaps_requirement::iaps_flag.eq(FLAGGED),
        ))
        .on_conflict(iaps_requirement::rqmnt_id)
        .do_update()
        .set(iaps_requirement::iaps_flag.eq(FLAGGED))
        .execute(conn)
        .await?;
    Ok(())
}
