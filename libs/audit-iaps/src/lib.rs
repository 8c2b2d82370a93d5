//! The Delius audit trail and IAPS flags every service writes.
//!
//! - [`resolve_service_user`]: the service's own `user_` row, looked up once at start-up.
//! - [`Auditor`]: writes one `audited_interaction` row per audited call, `P` on success and `F`
//!   on failure, on its own connection so a failure row outlives the business rollback.
//! - [`AuditParameters`]: the `key='value'` pairs stored with each row.
//! - [`flag_iaps_event`], [`flag_iaps_offender`], [`flag_iaps_requirement`]: IAPS upserts made
//!   inside the caller's business transaction.

pub mod auditor;
pub mod error;
pub mod iaps;
pub mod interaction;
pub mod parameters;
pub mod user;

pub use auditor::{AuditOutcome, AuditScope, Auditor};
pub use error::AuditError;
pub use iaps::{flag_iaps_event, flag_iaps_offender, flag_iaps_requirement};
pub use interaction::{business_interaction, BusinessInteraction};
pub use parameters::AuditParameters;
pub use user::{resolve_service_user, ServiceUser};
