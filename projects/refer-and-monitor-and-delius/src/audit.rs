//! One `audited_interaction` row per write (spec 5), written after the business transaction has
//! committed or rolled back. Requests and messages that write nothing (a person or referral that
//! is not there) leave no row.

use audit_iaps::{AuditOutcome, AuditParameters, Auditor};

/// Writes a `P` row when `succeeded`, else `F`; a failure to write it is logged, never returned,
/// so it cannot turn a committed change into an error (and a retry).
pub async fn record(auditor: &Auditor, code: &str, params: &AuditParameters, succeeded: bool) {
    let outcome = if succeeded {
        AuditOutcome::Success
    } else {
        AuditOutcome::Failure
    };
    if let Err(error) = auditor.record(code, outcome, params).await {
        tracing::error!(%error, %outcome, business_interaction = code, parameters = %params.encode(), "could not write the audited_interaction row");
    }
}
