//! Referral started (spec 2.1): find or create the referral's NSI with its manager, status
//! history and the referral / status / commenced contacts, then bring its notes, start date and
//! status in line with R&M. One transaction; a repeat writes nothing.

use chrono::{DateTime, FixedOffset, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use delius_data::schema::{disposal, event, r_disposal_type, r_rqmnt_type_main_category, rqmnt};
use delius_data::time::to_london;

use crate::delius::assignation;
use crate::delius::contact::{self, NewContact};
use crate::delius::nsi::{self, NewNsi, Nsi, NsiChanges};
use crate::delius::reference::{self, NsiStatus};
use crate::errors::{BadRequest, OrNotFound};
use crate::refs::{
    self, COMMITTAL_FOR_PSS_BREACH, CONTACT_NSI_COMMENCED, CONTACT_NSI_REFERRAL, NSI_IN_PROGRESS,
    RAR_CATEGORY,
};

/// The `PUT /probation-case/{crn}/referrals` body, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralStarted {
    pub referral_id: Uuid,
    pub started_at: DateTime<FixedOffset>,
    /// Already known to map to an NSI type (validated with the request).
    pub contract_type: String,
    /// Despite its name, an `EVENT.EVENT_ID`.
    pub sentence_id: i64,
    pub notes: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StartedNsi {
    pub nsi_id: i64,
    pub offender_id: i64,
}

/// Runs inside the caller's transaction.
pub async fn start(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    crn: &str,
    referral: &ReferralStarted,
) -> anyhow::Result<StartedNsi> {
    let now = delius_data::time::now_london();
    let urn = refs::referral_urn(&referral.referral_id);
    // The lock makes a second concurrent request wait here and then find the NSI the first one
    // created, so the referral never gets two NSIs.
    let offender_id = nsi::lock_person(conn, crn)
        .await?
        .or_not_found("Person", "crn", crn)?;
    let in_progress = reference::nsi_status(conn, NSI_IN_PROGRESS).await?;
    let started = to_london(&referral.started_at);
    let existing = match nsi::by_crn_and_urn(conn, crn, &urn).await? {
        Some(existing) => existing,
        None => {
            create(
                conn,
                user_id,
                now,
                offender_id,
                referral,
                &urn,
                &in_progress,
            )
            .await?;
            nsi::by_crn_and_urn(conn, crn, &urn)
                .await?
                .ok_or_else(|| anyhow::anyhow!("Unable to find or create NSI for {urn}"))?
        }
    };
    refresh(
        conn,
        user_id,
        now,
        &existing,
        referral,
        started,
        &in_progress,
    )
    .await?;
    Ok(StartedNsi {
        nsi_id: existing.id,
        offender_id,
    })
}

async fn create(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    now: NaiveDateTime,
    offender_id: i64,
    referral: &ReferralStarted,
    urn: &str,
    in_progress: &NsiStatus,
) -> anyhow::Result<()> {
    let (disposal_id, disposal_type): (i64, String) = disposal::table
        .inner_join(event::table)
        .inner_join(r_disposal_type::table)
        .filter(event::event_id.eq(referral.sentence_id))
        .filter(event::offender_id.eq(offender_id))
        .filter(disposal::soft_deleted.eq(0))
        .order(disposal::active_flag.desc())
        .select((disposal::disposal_id, r_disposal_type::disposal_type_code))
        .first(conn)
        .await
        .optional()?
        .or_not_found("Event", "id", referral.sentence_id)?;
    if disposal_type == COMMITTAL_FOR_PSS_BREACH {
        return Err(
            BadRequest("Cannot add referral to Committal for PSS Breach".to_owned()).into(),
        );
    }
    let requirement: Option<i64> = rqmnt::table
        .inner_join(
            r_rqmnt_type_main_category::table.on(
                r_rqmnt_type_main_category::rqmnt_type_main_category_id
                    .nullable()
                    .eq(rqmnt::rqmnt_type_main_category_id),
            ),
        )
        .filter(rqmnt::offender_id.eq(offender_id))
        .filter(rqmnt::disposal_id.eq(disposal_id))
        .filter(rqmnt::soft_deleted.eq(0))
        .filter(r_rqmnt_type_main_category::code.eq(RAR_CATEGORY))
        .order(rqmnt::rqmnt_id)
        .select(rqmnt::rqmnt_id)
        .first(conn)
        .await
        .optional()?;
    let type_code = refs::nsi_type_for_contract(&referral.contract_type)
        .ok_or_else(|| BadRequest("Unexpected Contract Type".to_owned()))?;
    let type_id = reference::nsi_type_id(conn, type_code).await?;
    let crs = assignation::crs(conn).await?;
    let started = to_london(&referral.started_at);
    let nsi_id = nsi::insert(
        conn,
        user_id,
        now,
        &NewNsi {
            offender_id,
            type_id,
            status_id: in_progress.id,
            provider_id: crs.provider_id,
            event_id: referral.sentence_id,
            rqmnt_id: requirement,
            referral_date: started.date(),
            started,
            urn,
            notes: &referral.notes,
        },
    )
    .await?;
    nsi::insert_manager(conn, user_id, now, nsi_id, crs, started).await?;
    nsi::insert_status_history(
        conn,
        user_id,
        now,
        nsi_id,
        in_progress.id,
        started,
        Some(&referral.notes),
    )
    .await?;
    let referral_type = reference::contact_type(conn, CONTACT_NSI_REFERRAL).await?;
    let commenced_type = reference::contact_type(conn, CONTACT_NSI_COMMENCED).await?;
    let status_type = status_contact_type(in_progress)?;
    let nsi_contact = |type_id| NewContact {
        offender_id,
        type_id,
        date: started.date(),
        start: Some(started.time()),
        event_id: Some(referral.sentence_id),
        nsi_id: Some(nsi_id),
        assignation: Some(crs),
        ..NewContact::default()
    };
    for type_id in [referral_type.id, status_type, commenced_type.id] {
        contact::insert(conn, user_id, now, nsi_contact(type_id)).await?;
    }
    Ok(())
}

fn status_contact_type(status: &NsiStatus) -> anyhow::Result<i64> {
    status
        .contact_type_id
        .ok_or_else(|| anyhow::anyhow!("NSI status {} has no contact type", status.code))
}

/// Notes are replaced, the start date set and a completed NSI put back in progress; nothing is
/// written when all three already match.
async fn refresh(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    now: NaiveDateTime,
    existing: &Nsi,
    referral: &ReferralStarted,
    started: NaiveDateTime,
    in_progress: &NsiStatus,
) -> anyhow::Result<()> {
    let mut changes = NsiChanges::default();
    if existing.notes.as_deref() != Some(referral.notes.as_str()) {
        changes.notes = Some(referral.notes.clone());
    }
    if existing.actual_start_date != Some(started) {
        changes.actual_start_date = Some(started);
    }
    let reopen = existing.status_code != NSI_IN_PROGRESS;
    if reopen {
        changes.status = Some((in_progress.id, started));
    }
    nsi::update(conn, user_id, now, existing.id, &changes).await?;
    if reopen {
        let notes = changes.notes.as_deref().or(existing.notes.as_deref());
        nsi::insert_status_history(
            conn,
            user_id,
            now,
            existing.id,
            in_progress.id,
            started,
            notes,
        )
        .await?;
        let manager = match nsi::manager(conn, existing.id).await? {
            Some(manager) => manager,
            None => assignation::crs(conn).await?,
        };
        contact::insert(
            conn,
            user_id,
            now,
            NewContact {
                offender_id: existing.offender_id,
                type_id: status_contact_type(in_progress)?,
                date: started.date(),
                start: Some(started.time()),
                event_id: existing.event_id,
                nsi_id: Some(existing.id),
                assignation: Some(manager),
                ..NewContact::default()
            },
        )
        .await?;
    }
    Ok(())
}
