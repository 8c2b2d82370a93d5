//! manage-pom-cases-and-delius: Prison Offender Manager (POM) handover dates and allocations from
//! Manage POM Cases into Delius, and the read-only probation record API that Manage POM Cases
//! calls. See README.md for the business need, the endpoints, the events and telemetry.
//!
//! - [`handler`] routes each message: [`handover`] (key dates; also SENTENCE_CHANGED and the
//!   bulk re-sync) and [`allocation`] (POM, responsible officer and contacts);
//! - [`bulk`] queues the bulk handover re-sync messages (run mode, then exit);
//! - [`api`] serves `/case-records/...`;
//! - [`upstream`] and [`telemetry`] hold what the handover and allocation flows share.

pub mod allocation;
pub mod api;
pub mod bulk;
pub mod context;
pub mod handler;
pub mod handover;
pub mod settings;
pub mod telemetry;
pub mod upstream;

pub use context::Context;
pub use handler::PomCasesHandler;
pub use settings::Settings;
