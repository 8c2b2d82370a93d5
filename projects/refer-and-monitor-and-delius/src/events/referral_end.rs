//! `intervention.referral.ended` (spec 3.5): complete the referral's NSI with its outcome and end
//! date, withdraw its future appointments and record the end-of-service report. Every step acts
//! only on a difference, so a redelivered message changes nothing.

use chrono::{DateTime, FixedOffset, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::scoped_futures::ScopedFutureExt;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use messaging::{HmppsDomainEvent, Outcome, Properties};
use serde::Deserialize;

use audit_iaps::AuditParameters;
use delius_data::schema::{contact, r_contact_type};
use delius_data::time::{now_london, to_london, today_london};

use super::{crn, detail_url, info_str, upstream, Common, Failure};
use crate::context::Context;
use crate::delius::assignation::{self, Assignation};
use crate::delius::contact::{self as contacts, NewContact};
use crate::delius::nsi::{self, Nsi, NsiChanges};
use crate::delius::reference;
use crate::notes;
use crate::refs::{
    CONTACT_CRS_APPOINTMENT, CONTACT_CRS_NON_RAR_APPOINTMENT, CONTACT_CRS_NOTE,
    CONTACT_NSI_TERMINATED, MANAGE_NSI, NSI_COMPLETED, OUTCOME_APPOINTMENT_WITHDRAWN,
};
use crate::times::java_zoned_london;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Provider {
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Referral {
    #[serde(alias = "provider")]
    pub service_provider: Provider,
    #[serde(alias = "contractType")]
    pub contract_type_name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndOfServiceReport {
    pub submitted_at: Option<DateTime<FixedOffset>>,
}

/// `GET /sent-referral/{id}`: the fields the end of a referral uses.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SentReferral {
    pub reference_number: String,
    pub relevant_sentence_id: Option<i64>,
    pub referral: Referral,
    pub sent_at: Option<DateTime<FixedOffset>>,
    pub end_requested_at: Option<DateTime<FixedOffset>>,
    pub concluded_at: Option<DateTime<FixedOffset>>,
    pub end_of_service_report: Option<EndOfServiceReport>,
    pub withdrawal_code: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndType {
    Cancelled,
    PrematurelyEnded,
    Completed,
}

impl EndType {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "CANCELLED" => Some(Self::Cancelled),
            "PREMATURELY_ENDED" => Some(Self::PrematurelyEnded),
            "COMPLETED" => Some(Self::Completed),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Cancelled => "CANCELLED",
            Self::PrematurelyEnded => "PREMATURELY_ENDED",
            Self::Completed => "COMPLETED",
        }
    }

    /// The NSI outcome code when no withdrawal reason is used.
    pub fn outcome_code(self) -> &'static str {
        match self {
            Self::Cancelled => "CRS01",
            Self::PrematurelyEnded => "CRS02",
            Self::Completed => "CRS03",
        }
    }
}

/// Everything the termination needs, read from the event and R&M.
struct Termination {
    crn: String,
    urn: String,
    end: DateTime<FixedOffset>,
    outcome_code: String,
    notes: String,
    report_notes: String,
    report_submitted_at: Option<DateTime<FixedOffset>>,
}

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
                let Some(nsi) = nsi::by_crn_and_urn(tx, &termination.crn, &termination.urn).await?
                else {
                    return Ok(None);
                };
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

async fn terminate(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_3_5_delivery_states_and_default_outcomes() {
        assert_eq!(
            EndType::parse("CANCELLED").map(EndType::outcome_code),
            Some("CRS01")
        );
        assert_eq!(
            EndType::parse("PREMATURELY_ENDED").map(EndType::outcome_code),
            Some("CRS02")
        );
        assert_eq!(
            EndType::parse("COMPLETED").map(EndType::outcome_code),
            Some("CRS03")
        );
        assert_eq!(EndType::parse("cancelled"), None);
    }

    #[test]
    fn spec_3_5_sent_referral_fixture_and_aliases_parse() {
        let sent: SentReferral = serde_json::from_str(include_str!(
            "../../tests/fixtures/simulations/referral-prematurely-ended.json"
        ))
        .unwrap();
        assert_eq!(sent.reference_number, "FE4536C");
        assert_eq!(sent.relevant_sentence_id, None);
        assert_eq!(sent.referral.service_provider.name, "Special Provider");
        assert!(sent.end_of_service_report.unwrap().submitted_at.is_some());
        let legacy: Referral =
            serde_json::from_str(r#"{"provider":{"name":"P"},"contractType":"C"}"#).unwrap();
        assert_eq!(
            (
                legacy.service_provider.name.as_str(),
                legacy.contract_type_name.as_str()
            ),
            ("P", "C")
        );
    }
}
