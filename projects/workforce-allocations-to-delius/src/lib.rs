//! workforce-allocations-to-delius: when a practitioner is allocated in Manage a Workforce, the
//! allocation is written into Delius as the new community manager of a person, an event (order),
//! a requirement or a licence condition. See README.md for the business need, the events, the
//! configuration and the telemetry.
//!
//! - [`handler`] reads the message, fetches the allocation detail and dispatches on its shape;
//! - [`detail`] is the allocation detail and its kind; [`reason`] the allocation reason codes;
//! - [`allocation`] holds one module per kind and the steps they share.

pub mod allocation;
pub mod context;
pub mod detail;
pub mod handler;
pub mod reason;
pub mod settings;

pub use context::Context;
pub use handler::AllocationsHandler;
pub use settings::Settings;
