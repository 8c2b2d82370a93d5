//! Terminating the referral's NSI (spec 3.5 step 5), inside the caller's transaction.

use chrono::{DateTime, FixedOffset, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use delius_data::schema::{contact, r_contact_type};
use delius_data::time::{now_london, to_london, today_london};

use crate::delius::assignation::{self, Assignation};
use crate::delius::contact::{self as contacts, NewContact};
use crate::delius::nsi::{self, Nsi, NsiChanges};
use crate::delius::reference;
use crate::notes;
use crate::refs::{
    CONTACT_CRS_APPOINTMENT, CONTACT_CRS_NON_RAR_APPOINTMENT, CONTACT_CRS_NOTE,
    CONTACT_NSI_TERMINATED, NSI_COMPLETED, OUTCOME_APPOINTMENT_WITHDRAWN,
};

/// Everything the termination needs, read from the event and R&M.
pub struct Termination {
    pub crn: String,
    pub urn: String,
    pub end: DateTime<FixedOffset>,
    pub outcome_code: String,
    pub notes: String,
    pub report_notes: String,
    pub report_submitted_at: Option<DateTime<FixedOffset>>,
}

pub async fn terminate(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    nsi: &Nsi,
    termination: &Termination,
) -> anyhow::Result<()> {
    let now = now_london();
    let end = to_london(&termination.end);
    let completed = reference::nsi_status(conn, NSI_COMPLETED).await?;
    let outcome = reference::nsi_outcome(conn, &termination.outcome_code).await?;
    let manager = match nsi::manager(conn, nsi.id).await? {
        Some(manager) => manager,
        None => assignation::crs(conn).await?,
    };
    let mut changes = NsiChanges::default();
    let mut status_date = nsi.status_date;
    if nsi.status_code != NSI_COMPLETED {
        let notes = notes::join(nsi.notes.as_deref(), &termination.notes);
        changes.status = Some((completed.id, end));
        changes.notes = Some(notes.clone());
        status_date = end;
        nsi::insert_status_history(conn, user_id, now, nsi.id, completed.id, end, Some(&notes))
            .await?;
        withdraw_future_appointments(conn, user_id, now, nsi.id).await?;
        let status_type = completed
            .contact_type_id
            .ok_or_else(|| anyhow::anyhow!("NSI status {} has no contact type", completed.code))?;
        insert_nsi_contact(conn, user_id, now, nsi, manager, status_type, end, None).await?;
    }
    if nsi.outcome_id != Some(outcome.id) {
        changes.outcome_id = Some(outcome.id);
        let terminated = reference::contact_type(conn, CONTACT_NSI_TERMINATED).await?;
        let text = format!(
            "NSI Terminated with Outcome: {}",
            outcome.description.as_deref().unwrap_or(&outcome.code)
        );
        let notes = notes::append(None, &text);
        insert_nsi_contact(
            conn,
            user_id,
            now,
            nsi,
            manager,
            terminated.id,
            status_date,
            Some(notes),
        )
        .await?;
    }
    if nsi.actual_end_date != Some(end) {
        changes.actual_end_date = Some(end);
    }
    nsi::update(conn, user_id, now, nsi.id, &changes).await?;
    if let Some(submitted) = termination.report_submitted_at {
        let at = to_london(&submitted);
        let marker = "End of Service Report Submitted";
        if !contacts::nsi_note_exists(conn, nsi.id, CONTACT_CRS_NOTE, at.date(), marker).await? {
            let note_type = reference::contact_type(conn, CONTACT_CRS_NOTE).await?;
            let notes = notes::append(None, &termination.report_notes);
            insert_nsi_contact(
                conn,
                user_id,
                now,
                nsi,
                manager,
                note_type.id,
                at,
                Some(notes),
            )
            .await?;
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn insert_nsi_contact(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    now: NaiveDateTime,
    nsi: &Nsi,
    manager: Assignation,
    type_id: i64,
    at: NaiveDateTime,
    notes: Option<String>,
) -> anyhow::Result<i64> {
    Ok(contacts::insert(
        conn,
        user_id,
        now,
        NewContact {
            offender_id: nsi.offender_id,
            type_id,
            date: at.date(),
            start: Some(at.time()),
            event_id: nsi.event_id,
            nsi_id: Some(nsi.id),
            assignation: Some(manager),
            notes,
            ..NewContact::default()
        },
    )
    .await?)
}

/// Future CRS appointments of the NSI without an outcome are withdrawn (APPW, not attended,
/// complied). Unlike the reference's bulk statement this bumps the row version, so a Delius user
/// editing one of them sees the change.
async fn withdraw_future_appointments(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    now: NaiveDateTime,
    nsi_id: i64,
) -> anyhow::Result<()> {
    let withdrawn = reference::outcome_type(conn, OUTCOME_APPOINTMENT_WITHDRAWN).await?;
    let types = r_contact_type::table
        .filter(
            r_contact_type::code.eq_any([CONTACT_CRS_APPOINTMENT, CONTACT_CRS_NON_RAR_APPOINTMENT]),
        )
        .select(r_contact_type::contact_type_id);
    diesel::update(
        contact::table
            .filter(contact::nsi_id.eq(nsi_id))
            .filter(contact::contact_type_id.eq_any(types))
            .filter(contact::contact_outcome_type_id.is_null())
            .filter(contact::contact_date.ge(today_london()))
            .filter(contact::soft_deleted.eq(0)),
    )
    .set((
        contact::contact_outcome_type_id.eq(withdrawn.id),
        contact::attended.eq("N"),
        contact::complied.eq("Y"),
        contact::row_version.eq(contact::row_version + 1),
        contact::last_updated_user_id.eq(user_id),
        contact::last_updated_datetime.eq(now),
    ))
    .execute(conn)
    .await?;
    Ok(())
}
