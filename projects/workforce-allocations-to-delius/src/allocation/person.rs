//! Person allocation (spec 4.2): a new community manager (`offender_manager`), the responsible
//! officer moved to them with a ROC contact, an ETOM transfer contact, and the IAPS flag when the
//! person has an accredited programme. Audited as CABI231.

use chrono::NaiveDateTime;
use delius_data::time::now_london;
use diesel_async::AsyncPgConnection;

use super::contacts::{self, NewContact};
use super::managers::PERSON_MANAGER;
use super::records::{self, RequirementsOf, TransferTable};
use super::reference::ReferenceCache;
use super::replace::{self, Prepared, Replacement, Target, Written};
use super::responsible_officer::{self as ro, NewResponsibleOfficer, Officer, ResponsibleOfficer};
use super::{AllocationError, Applied, AuditIds};
use crate::detail::{Kind, PersonAllocation};
use crate::Context;

pub const ADD_PERSON_ALLOCATION: &str = "CABI231";

/// `crn` is the CRN the telemetry reports; the person is found by the detail's own CRN (rule 1).
pub async fn allocate(
    context: &Context,
    detail: &PersonAllocation,
    crn: &str,
) -> anyhow::Result<Applied> {
    audited_transaction!(context, ADD_PERSON_ALLOCATION, |tx, ids| apply(
        tx, context, detail, crn, ids
    ))
}

async fn apply(
    tx: &mut AsyncPgConnection,
    context: &Context,
    detail: &PersonAllocation,
    crn: &str,
    ids: &mut AuditIds,
) -> anyhow::Result<Applied> {
    let person_id = records::lock_person(tx, &detail.crn)
        .await?
        .ok_or_else(|| AllocationError::not_found("Person", "crn", &detail.crn))?;
    ids.offender_id = Some(person_id);
    let pending = records::has_pending_transfer(tx, TransferTable::Person, person_id)
        .await?
        .then(|| {
            // Spec 4.2 step 5 (described version): retried until Delius settles the transfer.
            AllocationError::Conflict(format!(
                "Pending transfer exists for this person: {}",
                detail.crn
            ))
            .into()
        });
    let target = Target {
        kind: Kind::Person,
        table: &PERSON_MANAGER,
        owner_id: person_id,
        owner: format!("crn {}", detail.crn),
        crn,
        pending_transfer: pending,
    };
    let replacement =
        match replace::prepare(tx, &context.reference, target, &detail.allocation).await? {
            Prepared::Duplicate => return Ok(Applied::Duplicate),
            Prepared::Replace(replacement) => replacement,
        };
    let user_id = context.user_id();
    let now = now_london();
    let manager =
        replace::apply(tx, &PERSON_MANAGER, person_id, &replacement, user_id, now).await?;
    let provider = context
        .reference
        .provider_description(tx, replacement.current.provider_id)
        .await?;
    let recorded_by = replacement.recorded_by();
    replace_responsible_officer(
        tx,
        &context.reference,
        person_id,
        &manager,
        &replacement,
        &provider,
        (user_id, now),
    )
    .await?;
    contacts::add(
        tx,
        &context.reference,
        &NewContact {
            type_code: contacts::OFFENDER_MANAGER_TRANSFER,
            person_id,
            event_id: None,
            requirement_id: None,
            licence_condition_id: None,
            at: manager.start,
            recorded_by,
            notes: Some(replacement.transfer_notes(&manager.start, &provider)),
            sensitive: None,
        },
        user_id,
        now,
    )
    .await?;
    if records::has_accredited_programme(tx, RequirementsOf::Person(person_id)).await? {
        audit_iaps::flag_iaps_offender(tx, person_id).await?;
    }
    Ok(Applied::Allocated)
}

/// Spec 4.2 step 8: end the RO in force (whoever holds it) and flush, insert the new RO for the
/// new community manager, then the ROC contact with the old RO as it reads after ending.
async fn replace_responsible_officer(
    tx: &mut AsyncPgConnection,
    reference: &ReferenceCache,
    person_id: i64,
    manager: &Written,
    replacement: &Replacement,
    provider: &str,
    (user_id, now): (i64, NaiveDateTime),
) -> anyhow::Result<()> {
    let recorded_by = replacement.recorded_by();
    let previous = ro::active_at(tx, person_id, manager.start).await?;
    let previous = match previous {
        Some(previous) => {
            ro::end(tx, &previous, manager.start, user_id, now).await?;
            Some(ResponsibleOfficer {
                end: Some(manager.start),
                ..previous
            })
        }
        None => None,
    };
    let new_id = ro::insert(
        tx,
        &NewResponsibleOfficer {
            person_id,
            offender_manager_id: manager.id,
            start: manager.start,
            end: manager.end,
        },
        user_id,
        now,
    )
    .await?;
    let staff = &replacement.validated.staff;
    let new = ResponsibleOfficer {
        id: new_id,
        row_version: 0,
        start: manager.start,
        end: manager.end,
        community_manager: Some(Officer {
            name: super::managers::display_name(
                &staff.forename,
                staff.forename2.as_deref(),
                &staff.surname,
            ),
            team: replacement
                .validated
                .team
                .description
                .clone()
                .unwrap_or_default(),
            provider: provider.to_owned(),
        }),
        prison_manager: None,
    };
    let reason = replacement
        .validated
        .reason
        .description
        .as_deref()
        .unwrap_or_default();
    contacts::add(
        tx,
        reference,
        &NewContact {
            type_code: contacts::RESPONSIBLE_OFFICER_CHANGE,
            person_id,
            event_id: None,
            requirement_id: None,
            licence_condition_id: None,
            at: manager.start,
            recorded_by,
            notes: Some(ro::change_notes(&new, previous.as_ref(), reason)),
            sensitive: None,
        },
        user_id,
        now,
    )
    .await?;
    Ok(())
}
