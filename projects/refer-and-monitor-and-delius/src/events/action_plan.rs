//! `intervention.action-plan.submitted` / `.approved` (spec 3.1): a CRS note on the referral's
//! NSI, once per day and kind. No upstream call and no audit row.

use diesel_async::scoped_futures::ScopedFutureExt;
use diesel_async::AsyncConnection;
use messaging::{HmppsDomainEvent, Outcome};
use uuid::Uuid;

use delius_data::time::{now_london, to_london};

use super::{crn, detail_url, info_str, Common, Failure};
use crate::context::Context;
use crate::delius::assignation;
use crate::delius::contact::{self, NewContact};
use crate::delius::{nsi, reference};
use crate::notes;
use crate::refs::{self, CONTACT_CRS_NOTE};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Submitted,
    Approved,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Self::Submitted => "Submitted",
            Self::Approved => "Approved",
        }
    }

    fn telemetry(self) -> &'static str {
        match self {
            Self::Submitted => "ActionPlanSubmitted",
            Self::Approved => "ActionPlanApproved",
        }
    }
}

pub async fn action_plan(
    context: &Context,
    event: &HmppsDomainEvent,
    kind: Kind,
) -> anyhow::Result<Outcome> {
    let common = Common::of(event);
    detail_url(event)?;
    let crn = crn(event)?.to_owned();
    let referral_id: Uuid = info_str(event, "referralId")?
        .parse()
        .map_err(|_| Failure::illegal_argument("additionalInformation.referralId is not a UUID"))?;
    let occurred_at = event
        .occurred_at
        .ok_or_else(|| Failure::illegal_argument("occurredAt is missing"))?;
    let text = notes::action_plan(
        kind.word(),
        &info_str(event, "contractTypeName")?,
        &info_str(event, "referralReference")?,
        &info_str(event, "primeProviderName")?,
        &info_str(event, "actionPlanProbationUserUrl")?,
    );
    let user_id = context.user_id();
    let mut conn = context.pool.get().await?;
    let urn = refs::referral_urn(&referral_id);
    let recorded = conn
        .transaction::<bool, anyhow::Error, _>(|tx| {
            async move {
                let Some(nsi) = nsi::by_crn_and_urn(tx, &crn, &urn).await? else {
                    return Ok(false);
                };
                // Serialises two deliveries of one notification, so the note is added once.
                nsi::lock(tx, nsi.id).await?;
                let date = occurred_at.date_naive();
                let marker = format!("Action Plan {}", kind.word());
                if contact::nsi_note_exists(tx, nsi.id, CONTACT_CRS_NOTE, date, &marker).await? {
                    return Ok(true);
                }
                let note_type = reference::contact_type(tx, CONTACT_CRS_NOTE).await?;
                let manager = match nsi::manager(tx, nsi.id).await? {
                    Some(manager) => manager,
                    None => assignation::crs(tx).await?,
                };
                contact::insert(
                    tx,
                    user_id,
                    now_london(),
                    NewContact {
                        offender_id: nsi.offender_id,
                        type_id: note_type.id,
                        date,
                        start: Some(to_london(&occurred_at).time()),
                        event_id: nsi.event_id,
                        nsi_id: Some(nsi.id),
                        assignation: Some(manager),
                        notes: Some(notes::append(None, &text)),
                        ..NewContact::default()
                    },
                )
                .await?;
                Ok(true)
            }
            .scope_boxed()
        })
        .await?;
    if !recorded {
        return Err(common
            .rejected(
                "Unable to find referral for action plan notification",
                Default::default(),
            )
            .into());
    }
    Ok(Outcome::processed(kind.telemetry()).with_all(&common.properties()))
}
