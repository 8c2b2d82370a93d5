//! `intervention.referral.ended` (spec 3.5): complete the referral's NSI with its outcome and end
//! date, withdraw its future appointments and record the end-of-service report. Every step acts
//! only on a difference, so a redelivered message changes nothing.
//!
//! - [`sent_referral`]: what R&M answers and the end types;
//! - [`terminate`]: the NSI changes.

pub mod sent_referral;
pub mod terminate;

use diesel_async::scoped_futures::ScopedFutureExt;
use diesel_async::AsyncConnection;
use messaging::{HmppsDomainEvent, Outcome, Properties};

use audit_iaps::AuditParameters;
use delius_data::time::to_london;

use super::{crn, detail_url, info_str, upstream, Common, Failure};
use crate::context::Context;
use crate::delius::nsi::{self, Nsi};
use crate::notes;
use crate::refs::MANAGE_NSI;
use crate::times::java_zoned_london;
use sent_referral::{EndType, SentReferral};
use terminate::{terminate, Termination};

pub async fn referral_ended(
    context: &Context,
    event: &HmppsDomainEvent,
) -> anyhow::Result<Outcome> {
    let common = Common::of(event);
    let url = detail_url(event)?;
    let crn = crn(event)?.to_owned();
    let urn = info_str(event, "referralURN")?;
    let delivery_state = info_str(event, "deliveryState")?;
    let user_url = info_str(event, "referralProbationUserURL")?;
    let event_withdrawal = info_str(event, "withdrawalCode").ok();
    let sent: SentReferral = upstream::fetch(context, &common, url)
        .await?
        .ok_or_else(|| Failure::not_found(format!("Unable to retrieve session: {url}")))?;
    let end = sent.concluded_at.or(sent.end_requested_at).ok_or_else(|| {
        Failure::illegal_state(format!("No End Date for Termination: {urn} => {crn}"))
    })?;
    let end_type = EndType::parse(&delivery_state).ok_or_else(|| {
        Failure::illegal_argument(format!(
            "No enum constant for deliveryState {delivery_state}"
        ))
    })?;
    let withdrawal_code = event_withdrawal.or(sent.withdrawal_code.clone());
    let outcome_code = match (&withdrawal_code, context.withdrawal_reason) {
        (Some(code), true) => code.clone(),
        _ => end_type.outcome_code().to_owned(),
    };
    let contract = &sent.referral.contract_type_name;
    let provider = &sent.referral.service_provider.name;
    let termination = Termination {
        crn: crn.clone(),
        urn: urn.clone(),
        end,
        outcome_code,
        notes: notes::referral_ended(contract, &sent.reference_number, provider, &user_url),
        report_notes: notes::end_of_service_report(
            contract,
            &sent.reference_number,
            provider,
            &user_url,
        ),
        report_submitted_at: sent
            .end_of_service_report
            .as_ref()
            .and_then(|r| r.submitted_at),
    };

    let user_id = context.user_id();
    let mut conn = context.pool.get().await?;
    let result = conn
        .transaction::<Option<Nsi>, anyhow::Error, _>(|tx| {
            let termination = &termination;
            async move {
                let Some(found) =
                    nsi::by_crn_and_urn(tx, &termination.crn, &termination.urn).await?
                else {
                    return Ok(None);
                };
                // Two deliveries at once must not both see it in progress: lock, then re-read.
                nsi::lock(tx, found.id).await?;
                let nsi = nsi::by_id(tx, found.id).await?.unwrap_or(found);
                terminate(tx, user_id, &nsi, termination).await?;
                Ok(Some(nsi))
            }
            .scope_boxed()
        })
        .await;
    // Back to the pool before the audit row takes a connection of its own: holding both would
    // let a full pool wait on itself.
    drop(conn);
    match result {
        Ok(Some(nsi)) => {
            let params = AuditParameters::new()
                .with("offenderId", nsi.offender_id)
                .with("nsiId", nsi.id);
            crate::audit::record(&context.auditor, MANAGE_NSI, &params, true).await;
        }
        Ok(None) => {
            let mut conn = context.pool.get().await?;
            let flags = nsi::soft_deleted_flags(&mut conn, &crn, &urn).await?;
            let reason = if flags.is_empty() {
                "NSI cannot be determined"
            } else if flags.contains(&1) {
                "NSI soft deleted"
            } else {
                "Unknown"
            };
            let properties = Properties::from([
                ("referralUrn".to_owned(), urn.clone()),
                ("crn".to_owned(), crn.clone()),
                (
                    "eventId".to_owned(),
                    sent.relevant_sentence_id
                        .map_or_else(|| "null".to_owned(), |id| id.to_string()),
                ),
                (
                    "date".to_owned(),
                    sent.sent_at.map_or_else(
                        || "null".to_owned(),
                        |at| to_london(&at).date().format("%Y-%m-%d").to_string(),
                    ),
                ),
                ("reason".to_owned(), reason.to_owned()),
            ]);
            return Err(common.rejected("Referral Not Found", properties).into());
        }
        Err(error) => {
            let params = AuditParameters::new().with("crn", &crn);
            crate::audit::record(&context.auditor, MANAGE_NSI, &params, false).await;
            return Err(error);
        }
    }
    let mut outcome = Outcome::processed("ReferralEnded")
        .with_all(&common.properties())
        .with("referralUrn", &urn)
        .with("endDate", java_zoned_london(&end))
        .with("endType", end_type.name());
    if let Some(code) = withdrawal_code {
        outcome = outcome.with("withdrawalCode", code);
    }
    Ok(outcome)
}
