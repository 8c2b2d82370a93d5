//! The steps every kind shares (spec 4.1): find the manager in force at the allocation date,
//! stop at a duplicate or a same-second conflict, refuse a pending transfer, validate, then swap
//! the dates so the new manager slots in where the allocation date falls (rule 2).

use chrono::{NaiveDateTime, SubsecRound};
use diesel_async::AsyncPgConnection;

use super::contacts::{transfer_notes, RecordedBy};
use super::managers::{Manager, ManagerTable, NewManager};
use super::reference::ReferenceCache;
use super::validation::{validate, Proposed, Validated};
use super::AllocationError;
use crate::detail::{Allocation, Kind};

/// The reason code sets of spec 3.8, in the order they are tried (set names unconfirmed; see the
/// README). Licence conditions use the requirement codes; their own set is unconfirmed, so the
/// requirement set stands in where it lacks the code.
pub fn reason_code_sets(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Person => &["OM ALLOCATION REASON"],
        Kind::Event => &["ORDER ALLOCATION REASON"],
        Kind::Requirement => &["RM ALLOCATION REASON"],
        Kind::LicenceCondition => &["LM ALLOCATION REASON", "RM ALLOCATION REASON"],
    }
}

/// The transfer reason a kind's new manager records (spec 3.4); persons record none.
pub fn transfer_reason_code(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Person => None,
        Kind::Event => Some("CASE ORDER"),
        Kind::Requirement | Kind::LicenceCondition => Some("COMPONENT"),
    }
}

/// Whose manager changes.
pub struct Target<'a> {
    pub kind: Kind,
    pub table: &'static ManagerTable,
    pub owner_id: i64,
    /// How the owner is named in "not found" messages, e.g. `event 2 of X123456`.
    pub owner: String,
    /// The CRN the telemetry reports.
    pub crn: &'a str,
    /// Spec 4.1 order: a pending transfer is only reported once the allocation is known not to
    /// be a duplicate, so the caller looks it up and passes in the failure it means for its kind
    /// (ignorable for events and licence conditions, a conflict for persons and requirements).
    pub pending_transfer: Option<anyhow::Error>,
}

/// What [`prepare`] found.
#[derive(Debug)]
pub enum Prepared {
    /// Rule 4: same staff and team as the manager in force; nothing to write.
    Duplicate,
    Replace(Box<Replacement>),
}

/// A validated change of manager, not yet written.
#[derive(Debug)]
pub struct Replacement {
    pub current: Manager,
    pub validated: Validated,
    pub transfer_reason_id: Option<i64>,
    pub date: NaiveDateTime,
}

impl Replacement {
    /// Contacts about the change are recorded against the new manager's staff and team, in the
    /// provider the case stays with.
    pub fn recorded_by(&self) -> RecordedBy {
        RecordedBy {
            staff_id: self.validated.staff.id,
            team_id: self.validated.team.id,
            provider_id: self.current.provider_id,
        }
    }

    /// The transfer contact's notes (rule 8): from the outgoing manager's team and officer.
    pub fn transfer_notes(&self, start: &NaiveDateTime, provider: &str) -> String {
        transfer_notes(
            start,
            provider,
            self.current.team_description.as_deref().unwrap_or_default(),
            &self.current.staff_name(),
        )
    }
}

/// The new manager as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub id: i64,
    pub start: NaiveDateTime,
    pub end: Option<NaiveDateTime>,
}

/// Spec 4.1a and 4.1b (and 4.3 step 8 / 4.4 step 11: the transfer reason).
pub async fn prepare(
    conn: &mut AsyncPgConnection,
    reference: &ReferenceCache,
    target: Target<'_>,
    allocation: &Allocation,
) -> anyhow::Result<Prepared> {
    let date = allocation.date();
    let current = target
        .table
        .active_at(conn, target.owner_id, date)
        .await?
        .ok_or_else(|| {
            AllocationError::NotFound(format!(
                "{} for {} at {} not found",
                target.table.description, target.owner, date
            ))
        })?;
    if current.staff_code == allocation.staff_code && current.team_code == allocation.team_code {
        tracing::info!(
            manager = target.table.table,
            owner_id = target.owner_id,
            "Ignoring duplicate allocation request"
        );
        return Ok(Prepared::Duplicate);
    }
    if date.trunc_subsecs(0) == current.allocation_date.trunc_subsecs(0) {
        return Err(AllocationError::Conflict(
            "Allocation date conflicts with the current active manager".to_owned(),
        )
        .into());
    }
    if let Some(pending) = target.pending_transfer {
        return Err(pending);
    }
    let validated = validate(
        conn,
        reference,
        &Proposed {
            kind: target.kind,
            crn: target.crn,
            staff_code: &allocation.staff_code,
            team_code: &allocation.team_code,
            reason_code_sets: reason_code_sets(target.kind),
            reason_code: allocation.allocation_reason.code(target.kind),
            date,
            current_provider_id: current.provider_id,
        },
    )
    .await?;
    let transfer_reason_id = match transfer_reason_code(target.kind) {
        Some(code) => Some(
            reference
                .transfer_reason(conn, code)
                .await?
                .ok_or_else(|| AllocationError::not_found("Transfer Reason", "code", code))?,
        ),
        None => None,
    };
    Ok(Prepared::Replace(Box::new(Replacement {
        current,
        validated,
        transfer_reason_id,
        date,
    })))
}

/// Spec 4.1c and 4.1d: the new manager takes the current one's end date (open for a normal
/// allocation, the next manager's start for a historic one) before the current one is ended at
/// the allocation date; the current row is saved first.
pub async fn apply(
    conn: &mut AsyncPgConnection,
    table: &ManagerTable,
    owner_id: i64,
    replacement: &Replacement,
    user_id: i64,
    now: NaiveDateTime,
) -> anyhow::Result<Written> {
    let current = &replacement.current;
    let new = NewManager {
        owner_id,
        staff_id: replacement.validated.staff.id,
        team_id: replacement.validated.team.id,
        provider_id: current.provider_id,
        partition_area_id: current.partition_area_id,
        allocation_date: replacement.date,
        end_date: current.end_date,
        reason_id: replacement.validated.reason.id,
        transfer_reason_id: replacement.transfer_reason_id,
    };
    table
        .end(conn, current, replacement.date, user_id, now)
        .await?;
    let id = table.insert(conn, &new, user_id, now).await?;
    Ok(Written {
        id,
        start: new.allocation_date,
        end: new.end_date,
    })
}
