//! The Delius rows this service reads and writes, on top of the shared `table!` definitions.
//!
//! - [`reference`] looks up codes (NSI types and statuses, outcomes, enforcement actions);
//! - [`nsi`] finds, creates and updates referral NSIs;
//! - [`contact`] finds, creates and updates contacts;
//! - [`assignation`] is the CRS provider/team/staff and office location of CRS writes;
//! - [`outcome`] applies an appointment outcome and [`enforcement`] its non-compliance side
//!   effects.

pub mod assignation;
pub mod contact;
pub mod enforcement;
pub mod nsi;
pub mod outcome;
pub mod reference;
