//! Requirement and licence-condition allocations (spec 4.4, 4.5): both are sentence components
//! with their own manager table, checked against the message's CRN and the detail's event, and
//! recorded with an ETRC contact. Both are audited as CABI038.

use delius_data::time::now_london;
use diesel_async::AsyncPgConnection;

use super::contacts::{self, NewContact};
use super::managers::{ManagerTable, LICENCE_CONDITION_MANAGER, REQUIREMENT_MANAGER};
use super::records::{self, Component, TransferTable};
use super::replace::{self, Prepared, Target};
use super::{
    allocation_failed, AllocationError, Applied, AuditIds, LICENCE_CONDITION_GONE, PENDING_TRANSFER,
};
use crate::detail::{Allocation, Kind, LicenceConditionAllocation, RequirementAllocation};
use crate::Context;

pub const CREATE_COMPONENT_TRANSFER: &str = "CABI038";

/// Which component, and what differs between the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ComponentKind {
    Requirement,
    LicenceCondition,
}

impl ComponentKind {
    fn kind(self) -> Kind {
        match self {
            Self::Requirement => Kind::Requirement,
            Self::LicenceCondition => Kind::LicenceCondition,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Requirement => "Requirement",
            Self::LicenceCondition => "Licence Condition",
        }
    }

    fn table(self) -> &'static ManagerTable {
        match self {
            Self::Requirement => &REQUIREMENT_MANAGER,
            Self::LicenceCondition => &LICENCE_CONDITION_MANAGER,
        }
    }

    fn transfers(self) -> TransferTable {
        match self {
            Self::Requirement => TransferTable::Requirement,
            Self::LicenceCondition => TransferTable::LicenceCondition,
        }
    }
}

/// What a component allocation asks for.
struct Request<'a> {
    component: ComponentKind,
    id: i64,
    event_number: i64,
    allocation: &'a Allocation,
    crn: &'a str,
}

pub async fn allocate_requirement(
    context: &Context,
    detail: &RequirementAllocation,
    crn: &str,
) -> anyhow::Result<Applied> {
    allocate(
        context,
        Request {
            component: ComponentKind::Requirement,
            id: detail.requirement_id,
            event_number: detail.event_number,
            allocation: &detail.allocation,
            crn,
        },
    )
    .await
}

pub async fn allocate_licence_condition(
    context: &Context,
    detail: &LicenceConditionAllocation,
    crn: &str,
) -> anyhow::Result<Applied> {
    allocate(
        context,
        Request {
            component: ComponentKind::LicenceCondition,
            id: detail.licence_condition_id,
            event_number: detail.event_number,
            allocation: &detail.allocation,
            crn,
        },
    )
    .await
}

async fn allocate(context: &Context, request: Request<'_>) -> anyhow::Result<Applied> {
    audited_transaction!(context, CREATE_COMPONENT_TRANSFER, |tx, ids| apply(
        tx, context, &request, ids
    ))
}

async fn find(tx: &mut AsyncPgConnection, request: &Request<'_>) -> anyhow::Result<Component> {
    let kind = request.component.kind();
    match request.component {
        ComponentKind::Requirement => records::lock_requirement(tx, request.id)
            .await?
            .ok_or_else(|| AllocationError::not_found("Requirement", "id", request.id).into()),
        // Spec 4.5 step 1: a licence condition that has gone is not worth retrying.
        ComponentKind::LicenceCondition => records::lock_licence_condition(tx, request.id)
            .await?
            .ok_or_else(|| {
                allocation_failed(kind, request.crn, LICENCE_CONDITION_GONE)
                    .with("id", request.id)
                    .into()
            }),
    }
}

/// Spec 4.4 step 9: a pending requirement transfer is a conflict (retried until Delius settles
/// it); spec 4.5 step 9: a pending licence-condition transfer is ignorable, with its categories.
fn pending_transfer(request: &Request<'_>, component: &Component) -> anyhow::Error {
    match request.component {
        ComponentKind::Requirement => AllocationError::Conflict(format!(
            "Pending transfer exists for this requirement: {}",
            component.id
        ))
        .into(),
        ComponentKind::LicenceCondition => {
            let mut failed =
                allocation_failed(Kind::LicenceCondition, request.crn, PENDING_TRANSFER)
                    .with("eventNumber", request.event_number);
            if let Some(main) = &component.main_category {
                failed = failed.with("mainCategory", main);
            }
            if let Some(sub) = &component.sub_category {
                failed = failed.with("subCategory", sub);
            }
            failed.into()
        }
    }
}

/// Spec 4.4 steps 2-5 and 4.5 steps 3-6.
fn check_belongs_and_active(
    request: &Request<'_>,
    component: &Component,
) -> Result<(), AllocationError> {
    let name = request.component.name();
    if component.crn != request.crn {
        return Err(AllocationError::Conflict(format!(
            "{name} {} not for {}",
            request.id, request.crn
        )));
    }
    let event_number = request.event_number.to_string();
    if component.event_number.as_deref() != Some(event_number.as_str()) {
        return Err(AllocationError::Conflict(format!(
            "{name} {} not for event {event_number}",
            request.id
        )));
    }
    if !component.sentence_active() {
        return Err(AllocationError::not_active(
            "Event",
            "number",
            &event_number,
        ));
    }
    if component.active != 1 {
        return Err(AllocationError::not_active(name, "id", request.id));
    }
    Ok(())
}

async fn apply(
    tx: &mut AsyncPgConnection,
    context: &Context,
    request: &Request<'_>,
    ids: &mut AuditIds,
) -> anyhow::Result<Applied> {
    let kind = request.component.kind();
    let component = find(tx, request).await?;
    ids.offender_id = Some(component.person_id);
    ids.event_id = Some(component.event_id);
    ids.requirement_id = Some(component.id);
    check_belongs_and_active(request, &component)?;
    let pending = records::has_pending_transfer(tx, request.component.transfers(), component.id)
        .await?
        .then(|| pending_transfer(request, &component));
    let table = request.component.table();
    let target = Target {
        kind,
        table,
        owner_id: component.id,
        owner: format!("{} {}", request.component.name(), component.id),
        crn: request.crn,
        pending_transfer: pending,
    };
    let replacement =
        match replace::prepare(tx, &context.reference, target, request.allocation).await? {
            Prepared::Duplicate => return Ok(Applied::Duplicate),
            Prepared::Replace(replacement) => replacement,
        };
    let user_id = context.user_id();
    let now = now_london();
    let manager = replace::apply(tx, table, component.id, &replacement, user_id, now).await?;
    let provider = context
        .reference
        .provider_description(tx, replacement.current.provider_id)
        .await?;
    let (requirement_id, licence_condition_id) = match request.component {
        ComponentKind::Requirement => (Some(component.id), None),
        ComponentKind::LicenceCondition => (None, Some(component.id)),
    };
    contacts::add(
        tx,
        &context.reference,
        &NewContact {
            type_code: contacts::SENTENCE_COMPONENT_TRANSFER,
            person_id: component.person_id,
            event_id: Some(component.event_id),
            requirement_id,
            licence_condition_id,
            at: manager.start,
            recorded_by: replacement.recorded_by(),
            notes: Some(replacement.transfer_notes(&manager.start, &provider)),
            sensitive: None,
        },
        user_id,
        now,
    )
    .await?;
    // Rule 9: requirements always flag IAPS; licence conditions never do.
    if let Some(requirement_id) = requirement_id {
        audit_iaps::flag_iaps_requirement(tx, requirement_id).await?;
    }
    Ok(Applied::Allocated)
}
