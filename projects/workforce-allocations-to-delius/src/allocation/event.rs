//! Event (order) allocation (spec 4.3): a new order manager, an ETOS transfer contact, the
//! allocation decision contact(s), and the IAPS flag when the event has an accredited programme.
//! Audited as CABI041.

use chrono::NaiveDateTime;
use delius_data::time::now_london;
use diesel_async::AsyncPgConnection;

use super::contacts::{self, NewContact, RecordedBy};
use super::managers::ORDER_MANAGER;
use super::records::{self, RequirementsOf, TransferTable};
use super::replace::{self, Prepared, Target};
use super::validation::staff_by_code;
use super::{allocation_failed, AllocationError, Applied, AuditIds, PENDING_TRANSFER};
use crate::detail::{EventAllocation, Kind};
use crate::Context;

pub const ADD_EVENT_ALLOCATION: &str = "CABI041";

/// `crn` is the message's CRN: events are found by it and the detail's event number.
pub async fn allocate(
    context: &Context,
    detail: &EventAllocation,
    crn: &str,
) -> anyhow::Result<Applied> {
    audited_transaction!(context, ADD_EVENT_ALLOCATION, |tx, ids| apply(
        tx, context, detail, crn, ids
    ))
}

async fn apply(
    tx: &mut AsyncPgConnection,
    context: &Context,
    detail: &EventAllocation,
    crn: &str,
    ids: &mut AuditIds,
) -> anyhow::Result<Applied> {
    let event_number = detail.event_number.to_string();
    let event = records::lock_event(tx, crn, &event_number)
        .await?
        .ok_or_else(|| {
            AllocationError::NotFound(format!("Event {event_number} not found for crn {crn}"))
        })?;
    ids.offender_id = Some(event.person_id);
    ids.event_id = Some(event.event_id);
    if event.event_active != 1 {
        return Err(AllocationError::not_active("Event", "number", &event_number).into());
    }
    let pending = records::has_pending_transfer(tx, TransferTable::Order, event.event_id)
        .await?
        .then(|| {
            allocation_failed(Kind::Event, crn, PENDING_TRANSFER)
                .with("eventNumber", &event_number)
                .into()
        });
    let target = Target {
        kind: Kind::Event,
        table: &ORDER_MANAGER,
        owner_id: event.event_id,
        owner: format!("event {event_number} of {crn}"),
        crn,
        pending_transfer: pending,
    };
    let replacement =
        match replace::prepare(tx, &context.reference, target, &detail.allocation).await? {
            Prepared::Duplicate => return Ok(Applied::Duplicate),
            Prepared::Replace(replacement) => replacement,
        };
    // Spec 4.3 step 9: after validation, before anything is written.
    let spo_staff_id = match &detail.spo_staff_code {
        Some(code) => Some(
            staff_by_code(tx, code)
                .await?
                .ok_or_else(|| AllocationError::not_found("SPO Staff", "code", code))?
                .id,
        ),
        None => None,
    };
    let user_id = context.user_id();
    let now = now_london();
    let manager = replace::apply(
        tx,
        &ORDER_MANAGER,
        event.event_id,
        &replacement,
        user_id,
        now,
    )
    .await?;
    let recorded_by = replacement.recorded_by();
    let provider = context
        .reference
        .provider_description(tx, replacement.current.provider_id)
        .await?;
    let on_event = |type_code, recorded_by, notes, sensitive| NewContact {
        type_code,
        person_id: event.person_id,
        event_id: Some(event.event_id),
        requirement_id: None,
        licence_condition_id: None,
        at: manager.start,
        recorded_by,
        notes,
        sensitive,
    };
    contacts::add(
        tx,
        &context.reference,
        &on_event(
            contacts::ORDER_SUPERVISOR_TRANSFER,
            recorded_by,
            Some(replacement.transfer_notes(&manager.start, &provider)),
            None,
        ),
        user_id,
        now,
    )
    .await?;
    let decided_by = RecordedBy {
        staff_id: spo_staff_id.unwrap_or(recorded_by.staff_id),
        ..recorded_by
    };
    for decision in decision_contacts(detail, context.produce_spod03_contact, &manager.start) {
        let contact = on_event(
            decision.type_code,
            decided_by,
            decision.notes,
            Some(decision.sensitive),
        );
        if decision.optional {
            contacts::add_if_type_exists(tx, &context.reference, &contact, user_id, now).await?;
        } else {
            contacts::add(tx, &context.reference, &contact, user_id, now).await?;
        }
    }
    if records::has_accredited_programme(tx, RequirementsOf::Event(event.event_id)).await? {
        audit_iaps::flag_iaps_event(tx, event.event_id).await?;
    }
    Ok(Applied::Allocated)
}

/// One allocation decision contact to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionContact {
    pub type_code: &'static str,
    pub notes: Option<String>,
    pub sensitive: bool,
    /// The re-allocation contact's type code is unconfirmed: where Delius has no such type the
    /// contact is skipped with a warning instead of failing the change of manager.
    pub optional: bool,
}

/// Rule 10 (spec 4.3 step 12): with `produce-spod03-contact` off, the justification notes as a
/// CADE contact (not sensitive unless told), and on a re-allocation also the re-allocation SPO
/// oversight contact saying when and why. With the flag on, the SPO's oversight notes go in one
/// SPO contact (sensitive unless told otherwise): the re-allocation one for a re-allocation, the
/// allocation one (SPOD03) otherwise, so the same notes are never written twice.
pub fn decision_contacts(
    detail: &EventAllocation,
    produce_spod03_contact: bool,
    start: &NaiveDateTime,
) -> Vec<DecisionContact> {
    let oversight_sensitive = detail.sensitive_oversight_notes.unwrap_or(true);
    let reason = detail.allocation.allocation_reason;
    let reallocation = reason.is_reallocation().then(|| DecisionContact {
        type_code: contacts::CASE_REALLOCATION_SPO_OVERSIGHT,
        notes: Some(contacts::reallocation_notes(
            start,
            reason,
            detail.spo_oversight_notes.as_deref(),
        )),
        sensitive: oversight_sensitive,
        optional: true,
    });
    if produce_spod03_contact {
        return vec![reallocation.unwrap_or_else(|| DecisionContact {
            type_code: contacts::CASE_ALLOCATION_SPO_OVERSIGHT,
            notes: detail.spo_oversight_notes.clone(),
            sensitive: oversight_sensitive,
            optional: false,
        })];
    }
    let cade = DecisionContact {
        type_code: contacts::CASE_ALLOCATION_DECISION_EVIDENCE,
        notes: detail.allocation_justification_notes.clone(),
        sensitive: detail.sensitive_notes.unwrap_or(false),
        optional: false,
    };
    std::iter::once(cade).chain(reallocation).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detail::AllocationDetail;
    use serde_json::json;

    fn event(fields: serde_json::Value) -> EventAllocation {
        let mut detail = json!({"staffCode": "N02ABS1", "teamCode": "N02ABS",
                                "createdDate": "2022-07-28T10:30:54.023+01:00", "eventNumber": 2});
        for (k, v) in fields.as_object().expect("object") {
            detail[k] = v.clone();
        }
        match AllocationDetail::from_json(detail).expect("detail") {
            AllocationDetail::Event(event) => event,
            other => panic!("not an event: {other:?}"),
        }
    }

    #[test]
    fn rule_10_flag_off_writes_cade_not_sensitive_by_default() {
        let detail = event(json!({"allocationJustificationNotes": "CADE notes"}));
        let start = detail.allocation.date();
        assert_eq!(
            decision_contacts(&detail, false, &start),
            [DecisionContact {
                type_code: "CADE",
                notes: Some("CADE notes".into()),
                sensitive: false,
                optional: false,
            }]
        );
    }

    #[test]
    fn rule_10_flag_on_writes_spo_oversight_sensitive_by_default() {
        let detail = event(json!({"spoOversightNotes": "SPO notes", "sensitiveNotes": false}));
        let start = detail.allocation.date();
        assert_eq!(
            decision_contacts(&detail, true, &start),
            [DecisionContact {
                type_code: "SPOD03",
                notes: Some("SPO notes".into()),
                sensitive: true,
                optional: false,
            }]
        );
        let told = event(json!({"sensitiveOversightNotes": false}));
        assert!(!decision_contacts(&told, true, &start)[0].sensitive);
    }

    #[test]
    fn rule_10_reallocation_adds_the_reallocation_oversight_contact() {
        let detail = event(json!({"allocationReason": "CHANGE_OF_ADDRESS",
                                  "spoOversightNotes": "SPO oversight notes"}));
        let start = detail.allocation.date();
        let decisions = decision_contacts(&detail, false, &start);
        assert_eq!(decisions.len(), 2);
        assert_eq!(decisions[0].type_code, "CADE");
        assert_eq!(decisions[1].type_code, "SPOREALL");
        let notes = decisions[1].notes.as_deref().unwrap_or_default();
        assert!(
            notes.contains("Comment added by Workforce Allocations Service on 28/07/2022 at 10:30")
        );
        assert!(notes.contains("CHANGE_OF_ADDRESS") && notes.contains("SPO oversight notes"));
        assert!(decisions[1].sensitive && decisions[1].optional);
    }

    #[test]
    fn rule_10_flag_on_reallocation_writes_the_spo_notes_once() {
        let detail = event(json!({"allocationReason": "CHANGE_OF_ADDRESS",
                                  "spoOversightNotes": "SPO oversight notes"}));
        let start = detail.allocation.date();
        let decisions = decision_contacts(&detail, true, &start);
        assert_eq!(decisions.len(), 1);
        assert_eq!(decisions[0].type_code, "SPOREALL");
        assert!(decisions[0]
            .notes
            .as_deref()
            .is_some_and(|n| n.ends_with("\nSPO oversight notes")));
    }
}
