//! Update outcome (spec 3.4), audited as UPDATE_CONTACT with the R&M appointment id: the
//! appointment by URN or Delius id, the feedback note, the outcome.

use diesel::prelude::*;
use diesel_async::scoped_futures::ScopedFutureExt;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use messaging::Properties;

use audit_iaps::AuditParameters;
use delius_data::schema::contact as contact_table;
use delius_data::time::now_london;

use super::{not_found, Feedback};
use crate::context::Context;
use crate::delius::contact::{self, Contact};
use crate::delius::nsi;
use crate::delius::outcome::{self, OutcomeToApply};
use crate::events::{Common, Failure};
use crate::notes;
use crate::refs::{self, UPDATE_CONTACT};

pub const FOUND_BY_DELIUS_ID: &str = "Appointment Found By Delius Id - Feedback Submitted";

/// Spec 3.4, audited as UPDATE_CONTACT with the R&M appointment id.
pub async fn update_outcome(
    context: &Context,
    common: &Common,
    feedback: &Feedback<'_>,
) -> anyhow::Result<()> {
    let params = AuditParameters::new().with("contactId", feedback.appointment_id);
    let result = record_outcome(context, feedback).await;
    match result {
        Ok(Some(())) => {
            crate::audit::record(&context.auditor, UPDATE_CONTACT, &params, true).await;
            Ok(())
        }
        Ok(None) => Err(not_found::rejection(context, common, feedback)
            .await?
            .into()),
        Err(error) => {
            crate::audit::record(&context.auditor, UPDATE_CONTACT, &params, false).await;
            Err(error)
        }
    }
}

/// `Some` once recorded, `None` when the appointment is not in Delius.
async fn record_outcome(context: &Context, feedback: &Feedback<'_>) -> anyhow::Result<Option<()>> {
    let user_id = context.user_id();
    let telemetry = context.telemetry.clone();
    let mut conn = context.pool.get().await?;
    conn.transaction::<Option<()>, anyhow::Error, _>(|tx| {
        async move {
            let Some(found) = find(tx, &telemetry, feedback).await? else {
                return Ok(None);
            };
            // The referral's lock, as the merge takes it: two deliveries of one feedback (or a
            // merge at the same time) must not both raise the enforcement.
            if let Some(nsi_id) = found.nsi_id {
                nsi::lock(tx, nsi_id).await?;
            }
            let appointment = contact::by_id(tx, found.id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("contact {} disappeared", found.id))?;
            let now = now_london();
            if !appointment
                .notes
                .as_deref()
                .unwrap_or("")
                .contains(&feedback.notes)
            {
                diesel::update(contact_table::table.find(appointment.id))
                    .set((
                        contact_table::notes
                            .eq(notes::append(appointment.notes.as_deref(), &feedback.notes)),
                        contact_table::row_version.eq(contact_table::row_version + 1),
                        contact_table::last_updated_user_id.eq(user_id),
                        contact_table::last_updated_datetime.eq(now),
                    ))
                    .execute(tx)
                    .await?;
            }
            let nsi = match appointment.nsi_id {
                Some(id) => nsi::by_id(tx, id).await?,
                None => None,
            }
            .ok_or_else(|| {
                Failure::illegal_state(format!("Appointment {} has no NSI", appointment.id))
            })?;
            let appointment = contact::by_id(tx, appointment.id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("contact {} disappeared", appointment.id))?;
            outcome::apply(
                tx,
                user_id,
                now,
                &appointment,
                &nsi,
                OutcomeToApply {
                    code: feedback.attendance.outcome_code()?,
                    session_happened: feedback.attendance.session_happened,
                },
            )
            .await?;
            Ok(Some(()))
        }
        .scope_boxed()
    })
    .await
}

async fn find(
    conn: &mut AsyncPgConnection,
    telemetry: &messaging::Telemetry,
    feedback: &Feedback<'_>,
) -> anyhow::Result<Option<Contact>> {
    let urn = refs::appointment_urn(&feedback.appointment_id);
    if let Some(found) = contact::by_crn_and_urn(conn, feedback.crn, &urn).await? {
        return Ok(Some(found));
    }
    let Some(delius_id) = feedback.delius_id else {
        return Ok(None);
    };
    let found = contact::by_id(conn, delius_id).await?;
    if found.is_some() {
        telemetry.track(
            FOUND_BY_DELIUS_ID,
            &Properties::from([
                ("crn".to_owned(), feedback.crn.to_owned()),
                ("urn".to_owned(), urn),
                ("deliusId".to_owned(), delius_id.to_string()),
                (
                    "referralReference".to_owned(),
                    feedback.referral_reference.to_owned(),
                ),
                (
                    "referralUrn".to_owned(),
                    refs::referral_urn(&feedback.referral_id),
                ),
            ]),
        );
    }
    Ok(found)
}
