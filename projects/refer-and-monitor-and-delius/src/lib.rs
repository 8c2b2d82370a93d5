//! refer-and-monitor-and-delius: Commissioned Rehabilitative Services (CRS) referrals from Refer
//! and Monitor an Intervention (R&M) into Delius. See README.md for the business need, the
//! endpoints, the events and the telemetry.
//!
//! - [`api`] serves the two PUTs R&M calls ([`referral`] starts the referral's NSI and
//!   [`appointment`] merges its appointments) and the case, user, office and PDU reads;
//! - [`handler`] routes the `intervention.*` events to [`events`];
//! - [`delius`] holds the rows both write, [`attendance`], [`notes`] and [`times`] the spec's
//!   rules, [`refs`] the codes;
//! - [`audit`] writes the audited interaction of every write.

pub mod api;
pub mod appointment;
pub mod attendance;
pub mod audit;
pub mod context;
pub mod delius;
pub mod errors;
pub mod events;
pub mod handler;
pub mod notes;
pub mod referral;
pub mod refs;
pub mod settings;
pub mod times;

pub use context::Context;
pub use handler::ReferAndMonitorHandler;
pub use settings::Settings;
