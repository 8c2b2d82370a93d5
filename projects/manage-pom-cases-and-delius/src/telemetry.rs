//! Telemetry values shared by the handover and allocation outcomes (spec 3.8, rule 10).

/// Written for a `nomsId` or `detailUrl` the message does not have.
pub const NOT_PROVIDED: &str = "Not Provided";

/// No live OFFENDER has the NOMS number.
pub const PERSON_NOT_FOUND: &str = "PersonNotFound";
