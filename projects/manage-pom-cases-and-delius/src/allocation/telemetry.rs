//! The allocation outcomes and their telemetry properties (spec 3.8).

use chrono::NaiveDateTime;
use messaging::Outcome;

use super::dates::telemetry_date;
use crate::telemetry::{NOT_PROVIDED, PERSON_NOT_FOUND};

pub const POM_ALLOCATED: &str = "PomAllocated";
pub const POM_DEALLOCATED: &str = "PomDeallocated";
pub const NO_POM_CHANGE: &str = "NoPomChange";
pub const NOT_READY_TO_ALLOCATE: &str = "NotReadyToAllocate";
pub const NO_ALLOCATION_DATA: &str = "No POM Allocation data available";

/// `PomAllocated` or `NoPomChange` after an allocation: prisonId, nomsId, allocationDate.
pub fn allocated(
    changed: bool,
    prison_code: &str,
    noms: &str,
    allocation_date: &NaiveDateTime,
) -> Outcome {
    let name = if changed {
        POM_ALLOCATED
    } else {
        NO_POM_CHANGE
    };
    Outcome::processed(name)
        .with("prisonId", prison_code)
        .with("nomsId", noms)
        .with("allocationDate", telemetry_date(allocation_date))
}

/// `PomDeallocated` or `NoPomChange` after a deallocation: nomsId, allocationDate.
pub fn deallocated(changed: bool, noms: &str, allocation_date: &NaiveDateTime) -> Outcome {
    let name = if changed {
        POM_DEALLOCATED
    } else {
        NO_POM_CHANGE
    };
    Outcome::processed(name)
        .with("nomsId", noms)
        .with("allocationDate", telemetry_date(allocation_date))
}

pub fn not_ready(noms: &str, allocation_date: &NaiveDateTime) -> Outcome {
    Outcome::ignored(NOT_READY_TO_ALLOCATE)
        .with("nomsId", noms)
        .with("allocationDate", telemetry_date(allocation_date))
}

pub fn person_not_found(noms: Option<&str>) -> Outcome {
    Outcome::ignored(PERSON_NOT_FOUND).with("nomsId", noms.unwrap_or(NOT_PROVIDED))
}

pub fn no_allocation_data(noms: Option<&str>, detail_url: Option<&str>) -> Outcome {
    Outcome::ignored(NO_ALLOCATION_DATA)
        .with("nomsId", noms.unwrap_or(NOT_PROVIDED))
        .with("detailUrl", detail_url.unwrap_or(NOT_PROVIDED))
}

pub fn noms_not_found(event_type: &str) -> Outcome {
    Outcome::ignored(format!("NOMS Number not found on {event_type} event"))
        .with("nomsId", NOT_PROVIDED)
}
