//! Writing an allocation into Delius (spec 3, 4): one module per kind, on shared steps.
//!
//! - [`person`], [`event`] and [`component`] (requirements and licence conditions): the four
//!   flows (4.2-4.5);
//! - [`replace`]: the duplicate/conflict check, validation and date swap every kind shares (4.1);
//! - [`managers`]: the four manager tables behind one description; [`validation`] (4.1b);
//! - [`reference`]: reference data kept once read;
//! - [`records`]: the person, event, requirement and licence-condition reads, pending transfers
//!   and the accredited-programme test; [`contacts`] and [`responsible_officer`]: what is written
//!   beside the manager.

/// Runs `$work` (an expression over the transaction `$tx` and the audit ids `$ids`) in one
/// transaction on a pooled connection, then writes the `P`/`F` audit row for the result. A
/// macro rather than a function: the work borrows both the connection and the ids, which a
/// closure passed to the transaction cannot name the lifetimes of.
macro_rules! audited_transaction {
    ($context:expr, $business_interaction:expr, |$tx:ident, $ids:ident| $work:expr) => {{
        let mut audit_ids = $crate::allocation::AuditIds::default();
        let result = async {
            let mut conn = $context.pool.get().await?;
            diesel_async::AsyncConnection::transaction::<_, anyhow::Error, _>(&mut *conn, |$tx| {
                let $ids = &mut audit_ids;
                diesel_async::scoped_futures::ScopedFutureExt::scope_boxed($work)
            })
            .await
        }
        .await;
        $crate::allocation::audit($context, $business_interaction, &audit_ids, result).await
    }};
}

pub mod component;
pub mod contacts;
pub mod event;
pub mod managers;
pub mod person;
pub mod records;
pub mod reference;
pub mod replace;
pub mod responsible_officer;
pub mod validation;

use messaging::Ignored;

use crate::detail::Kind;

/// Telemetry name of an allocation that was deliberately not applied (spec 4.0 step 5).
pub const ALLOCATION_FAILED: &str = "AllocationFailed";

/// Why an allocation cannot be applied now. None of these is ignorable: the message fails, SQS
/// redelivers it and it ends on the dead-letter queue if the data never changes (spec 4.7).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AllocationError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    NotActive(String),
    #[error("{0}")]
    Conflict(String),
    #[error("Staff with code of {staff_code} is not a member of team {team_code}")]
    StaffNotInTeam {
        staff_code: String,
        team_code: String,
    },
    #[error("No CRN available in person reference")]
    NoCrn,
}

impl AllocationError {
    pub fn not_found(entity: &str, field: &str, value: impl std::fmt::Display) -> Self {
        Self::NotFound(format!("{entity} with {field} of {value} not found"))
    }

    pub fn not_active(entity: &str, field: &str, value: impl std::fmt::Display) -> Self {
        Self::NotActive(format!("{entity} with {field} of {value} not active"))
    }
}

/// An ignorable failure (spec 4.0 step 5): the transaction rolls back, `AllocationFailed` is
/// recorded with the kind, the message's CRN and the reason, and the message is deleted.
pub fn allocation_failed(kind: Kind, crn: &str, reason: &str) -> Ignored {
    Ignored::new(ALLOCATION_FAILED)
        .with("type", kind.telemetry_name())
        .with("crn", crn)
        .with("reason", reason)
}

/// Reasons of the ignorable failures.
pub const PENDING_TRANSFER: &str = "Pending transfer exists in Delius";
pub const EXTERNAL_TRANSFER: &str = "External transfer not permitted";
pub const LICENCE_CONDITION_GONE: &str = "Requirement no longer exists";

/// Whether an allocation replaced the manager, or repeated the current one (rule 4: a
/// duplicate changes nothing and still counts as success).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    Allocated,
    Duplicate,
}

/// The ids an allocation's audit row names (spec 3.9), learned as the transaction runs so a
/// failure row names as much as was found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuditIds {
    pub offender_id: Option<i64>,
    pub event_id: Option<i64>,
    /// The requirement id, or the licence condition's id (spec 3.9: LC audits reuse the key).
    pub requirement_id: Option<i64>,
}

impl AuditIds {
    fn parameters(&self) -> audit_iaps::AuditParameters {
        let mut params = audit_iaps::AuditParameters::new();
        for (key, value) in [
            ("offenderId", self.offender_id),
            ("eventId", self.event_id),
            ("requirementId", self.requirement_id),
        ] {
            if let Some(value) = value {
                params.set(key, value);
            }
        }
        params
    }
}

/// Writes the `P` or `F` audit row for a finished allocation transaction (its own connection,
/// so a failure row outlives the rollback) and passes the result on.
pub async fn audit<T>(
    context: &crate::Context,
    business_interaction: &str,
    ids: &AuditIds,
    result: anyhow::Result<T>,
) -> anyhow::Result<T> {
    context
        .auditor
        .begin(business_interaction, ids.parameters())
        .finish(result)
        .await
}
