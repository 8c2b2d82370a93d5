//! Merge appointment (spec 2.2 steps 1-10), inside the caller's transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use messaging::Telemetry;

use delius_data::schema::contact;
use delius_data::time::{now_london, to_london, today_london};

use super::clash::clashes;
use super::MergeAppointment;
use crate::delius::assignation::{self, Assignation};
use crate::delius::contact::{self as contacts, Contact, NewContact};
use crate::delius::nsi::{self, Nsi};
use crate::delius::outcome::{self, OutcomeToApply};
use crate::delius::reference;
use crate::errors::{BadRequest, Conflict, NotFound};
use crate::refs::{CONTACT_CRS_APPOINTMENT, CONTACT_CRS_NON_RAR_APPOINTMENT};
use crate::{notes, times};

pub const PAST_WITHOUT_OUTCOME: &str =
    "Appointment started in the past and no outcome was provided";
pub const CONFLICT: &str = "Appointment conflicts with an existing future appointment";
pub const FOUND_BY_DELIUS_ID: &str = "Appointment Found By Delius Id - Merge Appointment";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merged {
    /// The contact that now represents the appointment.
    pub contact_id: i64,
    pub offender_id: i64,
}

pub async fn merge(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    telemetry: &Telemetry,
    crn: &str,
    request: &MergeAppointment,
) -> anyhow::Result<Merged> {
    let referral_urn = request.referral_urn();
    let nsi = nsi::by_crn_and_urn(conn, crn, &referral_urn)
        .await?
        .ok_or_else(|| {
            NotFound(format!(
                "Unable to match Referral {referral_urn} => CRN {crn}"
            ))
        })?;
    nsi::lock(conn, nsi.id).await?;
    let now_instant = chrono::Utc::now();
    if now_instant > request.start && request.outcome.is_none() {
        return Err(BadRequest(PAST_WITHOUT_OUTCOME.to_owned()).into());
    }
    if request.start > now_instant && clashes(conn, nsi.offender_id, request).await? > 0 {
        return Err(Conflict(CONFLICT.to_owned()).into());
    }
    let crs = assignation::crs(conn).await?;
    let location_id = match &request.office_location_code {
        Some(code) => Some(assignation::active_office_location(conn, code, today_london()).await?),
        None => None,
    };
    let now = now_london();
    let rar = request.counts_towards_rar && nsi::is_rar(conn, &nsi).await?;
    let existing = match find(conn, telemetry, crn, request, &referral_urn).await? {
        Some(found) => found,
        None => {
            let id = create(conn, user_id, now, &nsi, request, crs, location_id, rar).await?;
            load(conn, id).await?
        }
    };
    let mut updated = false;
    if existing.office_location_id != location_id {
        diesel::update(contact::table.find(existing.id))
            .set(contact::office_location_id.eq(location_id))
            .execute(conn)
            .await?;
        updated = true;
    }
    if let Some(text) = &request.notes {
        if !existing
            .notes
            .as_deref()
            .unwrap_or("")
            .contains(text.as_str())
        {
            diesel::update(contact::table.find(existing.id))
                .set(contact::notes.eq(notes::append(existing.notes.as_deref(), text)))
                .execute(conn)
                .await?;
            updated = true;
        }
    }
    let start_changed = times::has_changed(
        Some(request.start),
        existing.start().map(times::stored_instant),
    );
    let end_changed = times::has_changed(
        Some(request.end()),
        existing.end().map(times::stored_instant),
    );
    let urn = request.urn();
    let target = if start_changed || end_changed {
        let replacement = replace(conn, user_id, now, &existing, request, rar, location_id).await?;
        let old = load(conn, existing.id).await?;
        outcome::apply(
            conn,
            user_id,
            now,
            &old,
            &nsi,
            OutcomeToApply {
                code: request.reschedule_outcome(),
                session_happened: false,
            },
        )
        .await?;
        replacement
    } else {
        if existing.external_reference.as_deref() != Some(urn.as_str()) {
            diesel::update(contact::table.find(existing.id))
                .set(contact::external_reference.eq(&urn))
                .execute(conn)
                .await?;
            updated = true;
        }
        existing.id
    };
    if updated {
        contacts::touch(conn, user_id, now, existing.id).await?;
    }
    if let Some(requested) = &request.outcome {
        let attendance = requested.attendance();
        let code = attendance.outcome_code()?;
        let appointment = load(conn, target).await?;
        outcome::apply(
            conn,
            user_id,
            now,
            &appointment,
            &nsi,
            OutcomeToApply {
                code,
                session_happened: attendance.session_happened,
            },
        )
        .await?;
    }
    Ok(Merged {
        contact_id: target,
        offender_id: nsi.offender_id,
    })
}

/// Step 5: by the previous URN when rescheduling, else the appointment's own; then by Delius
/// id. A reschedule that was already made is found by its own URN first, so repeating the
/// request does not reschedule the old appointment a second time.
async fn find(
    conn: &mut AsyncPgConnection,
    telemetry: &Telemetry,
    crn: &str,
    request: &MergeAppointment,
    referral_urn: &str,
) -> anyhow::Result<Option<Contact>> {
    let urn = request.urn();
    if let Some(previous) = request.previous_urn() {
        if let Some(done) = contacts::by_crn_and_urn(conn, crn, &urn).await? {
            return Ok(Some(done));
        }
        if let Some(found) = contacts::by_crn_and_urn(conn, crn, &previous).await? {
            return Ok(Some(found));
        }
    } else if let Some(found) = contacts::by_crn_and_urn(conn, crn, &urn).await? {
        return Ok(Some(found));
    }
    let Some(delius_id) = request.delius_id else {
        return Ok(None);
    };
    let found = contacts::by_id(conn, delius_id).await?;
    if found.is_some() {
        let looked_for = request.previous_urn().unwrap_or(urn);
        telemetry.track(
            FOUND_BY_DELIUS_ID,
            &messaging::Properties::from([
                ("crn".to_owned(), crn.to_owned()),
                ("urn".to_owned(), looked_for),
                ("deliusId".to_owned(), delius_id.to_string()),
                (
                    "referralReference".to_owned(),
                    request.referral_reference.clone(),
                ),
                ("referralUrn".to_owned(), referral_urn.to_owned()),
            ]),
        );
    }
    Ok(found)
}

async fn load(conn: &mut AsyncPgConnection, id: i64) -> anyhow::Result<Contact> {
    contacts::by_id(conn, id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("contact {id} disappeared during the merge"))
}

#[allow(clippy::too_many_arguments)]
async fn create(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    now: NaiveDateTime,
    nsi: &Nsi,
    request: &MergeAppointment,
    crs: Assignation,
    location_id: Option<i64>,
    rar: bool,
) -> anyhow::Result<i64> {
    let type_code = if request.counts_towards_rar {
        CONTACT_CRS_APPOINTMENT
    } else {
        CONTACT_CRS_NON_RAR_APPOINTMENT
    };
    let contact_type = reference::contact_type(conn, type_code).await?;
    let start = to_london(&request.start);
    let end = to_london(&request.end());
    Ok(contacts::insert(
        conn,
        user_id,
        now,
        NewContact {
            offender_id: nsi.offender_id,
            type_id: contact_type.id,
            date: start.date(),
            start: Some(start.time()),
            end: Some(end.time()),
            event_id: nsi.event_id,
            nsi_id: Some(nsi.id),
            assignation: Some(crs),
            office_location_id: location_id,
            rar_activity: Some(rar),
            external_reference: Some(request.urn()),
            notes: request
                .notes
                .as_deref()
                .map(|text| notes::append(None, text)),
            ..NewContact::default()
        },
    )
    .await?)
}

/// The contact that replaces a rescheduled one: same person, type, event, NSI and owner, at the
/// new time, keyed by the request's URN. Request notes are added when there are any (the
/// reference appends the literal `null` otherwise; a Delius user has no use for that).
async fn replace(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    now: NaiveDateTime,
    old: &Contact,
    request: &MergeAppointment,
    rar: bool,
    location_id: Option<i64>,
) -> anyhow::Result<i64> {
    let start = to_london(&request.start);
    let end = to_london(&request.end());
    Ok(contacts::insert(
        conn,
        user_id,
        now,
        NewContact {
            offender_id: old.offender_id,
            type_id: old.contact_type_id,
            date: start.date(),
            start: Some(start.time()),
            end: Some(end.time()),
            event_id: old.event_id,
            nsi_id: old.nsi_id,
            assignation: old.assignation(),
            office_location_id: location_id,
            rar_activity: Some(rar),
            external_reference: Some(request.urn()),
            notes: request
                .notes
                .as_deref()
                .map(|text| notes::append(None, text)),
            ..NewContact::default()
        },
    )
    .await?)
}
