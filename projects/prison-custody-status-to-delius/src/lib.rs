//! prison-custody-status-to-delius: prison releases, recalls and movements into Delius custody
//! records. See README.md for the business need, the events, the action table and telemetry.
//!
//! - [`handler`] builds the [`movement`] (from the message, or [`prison_api`] for the
//!   prison-identifier events) and picks the [`actions`] row;
//! - [`processor`] runs the actions in one transaction on the [`custody`]:
//!   [`release`], [`recall`] (+ [`licence_conditions`]), [`status`], [`location`]
//!   (+ [`prison_manager`]) and [`death`]; [`store`] holds the shared reads and writes.

pub mod actions;
pub mod custody;
pub mod death;
pub mod handler;
pub mod licence_conditions;
pub mod location;
pub mod movement;
pub mod outcome;
pub mod prison_api;
pub mod prison_manager;
pub mod processor;
pub mod recall;
pub mod release;
pub mod settings;
pub mod status;
pub mod store;

pub use handler::CustodyStatusHandler;
pub use outcome::Flags;
pub use prison_api::PrisonApi;
pub use settings::Settings;
