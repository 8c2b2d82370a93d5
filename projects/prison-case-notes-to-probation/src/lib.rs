//! prison-case-notes-to-probation: prison case notes and prisoner alerts into the Delius contact
//! log. See README.md for the business need, the events and the rules.
//!
//! - [`handler`] routes each message on its `eventType` attribute to a workflow:
//!   [`case_note`] (`person.case-note.*`), [`alert`] (`person.alert.*`), [`migration`]
//!   (`probation-case.prison-identifier.added`) and [`legacy`] (prison offender events).
//! - [`prison_case_note`] and [`prisoner_alert`] map the upstream records to the [`model`];
//!   [`notes`], [`description`] and [`dates`] hold the text and time rules.
//! - [`merge`] writes the contact (with [`staff`], [`reference`] and [`data_cleanse`]);
//!   [`entities`] are its rows; [`clients`] and [`settings`] reach the upstreams.

pub mod alert;
pub mod case_note;
pub mod clients;
pub mod data_cleanse;
pub mod dates;
pub mod description;
pub mod entities;
pub mod filters;
pub mod handler;
pub mod legacy;
pub mod merge;
pub mod migration;
pub mod model;
pub mod notes;
pub mod prison_case_note;
pub mod prisoner_alert;
pub mod reference;
pub mod settings;
pub mod staff;

pub use clients::{UpstreamUrls, Upstreams};
pub use handler::CaseNotesHandler;
pub use settings::Settings;
