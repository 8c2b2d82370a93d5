//! The Delius codes and R&M identifiers this service works with (spec 4.9, 4.11): URNs, the
//! contract type to NSI type table and the reference-data codes.

use uuid::Uuid;

pub const REFERRAL_URN_PREFIX: &str = "urn:hmpps:interventions-referral:";
pub const APPOINTMENT_URN_PREFIX: &str = "urn:hmpps:interventions-appointment:";

/// `urn:hmpps:interventions-referral:<uuid>` (lower-case, hyphenated, as R&M sends it).
pub fn referral_urn(referral_id: &Uuid) -> String {
    format!("{REFERRAL_URN_PREFIX}{referral_id}")
}

/// `urn:hmpps:interventions-appointment:<uuid>`.
pub fn appointment_urn(appointment_id: &Uuid) -> String {
    format!("{APPOINTMENT_URN_PREFIX}{appointment_id}")
}

/// Provider, team and staff every CRS write is assigned to.
pub const CRS_PROVIDER: &str = "CRS";
pub const CRS_TEAM: &str = "CRSUAT";
pub const CRS_STAFF: &str = "CRSUATU";

pub const NSI_IN_PROGRESS: &str = "INPROG";
pub const NSI_COMPLETED: &str = "COMP";
pub const NSI_OUTCOME_CODE_SET: &str = "NSI OUTCOME";

pub const CONTACT_CRS_APPOINTMENT: &str = "CRSAPT";
pub const CONTACT_CRS_NON_RAR_APPOINTMENT: &str = "CRSSAA";
pub const CONTACT_CRS_NOTE: &str = "CRSNOTE";
pub const CONTACT_NSI_REFERRAL: &str = "NREF";
pub const CONTACT_NSI_COMMENCED: &str = "NCOM";
pub const CONTACT_NSI_TERMINATED: &str = "NTER";
pub const CONTACT_REVIEW_ENFORCEMENT: &str = "ARWS";

pub const OUTCOME_ATTENDED_COMPLIED: &str = "ATTC";
pub const OUTCOME_ATTENDED_FAILED_TO_COMPLY: &str = "AFTC";
pub const OUTCOME_FAILED_TO_ATTEND: &str = "AFTA";
pub const OUTCOME_RESCHEDULED_SERVICE_REQUEST: &str = "RSSR";
/// (unconfirmed) code: the spec only names it RESCHEDULED_POP_REQUEST; `RSOF` is the Delius
/// convention and the reference data's code.
pub const OUTCOME_RESCHEDULED_POP_REQUEST: &str = "RSOF";
pub const OUTCOME_APPOINTMENT_WITHDRAWN: &str = "APPW";
/// (unconfirmed) code for SENT_HOME, as in the reference data.
pub const OUTCOME_SENT_HOME: &str = "SENTHOME";
/// (unconfirmed) code for APPOINTMENT_KEPT, as in the reference data.
pub const OUTCOME_APPOINTMENT_KEPT: &str = "APPTKEPT";

pub const ENFORCEMENT_REFER_TO_OFFENDER_MANAGER: &str = "ROM";
/// Requirement main category of a Rehabilitation Activity Requirement.
pub const RAR_CATEGORY: &str = "F";
/// Disposal type "Committal for PSS Breach": no referral can be attached to it.
pub const COMMITTAL_FOR_PSS_BREACH: &str = "326";

/// Business interaction codes of the audited writes (spec 5).
pub const MANAGE_NSI: &str = "NIBI009";
pub const ADD_CONTACT: &str = "CLBI003";
pub const UPDATE_CONTACT: &str = "CLBI007";

/// The NSI type of an R&M contract type (spec 4.9); exact and case-sensitive.
pub fn nsi_type_for_contract(contract_type: &str) -> Option<&'static str> {
    Some(match contract_type {
        "ACC" => "CRS01",
        "ETE" => "CRS02",
        "MTR" => "CRS03",
        "DNR" | "DNR-K" | "DNR-L" | "DNR-NE" | "DNR-Y" | "DNR-NEN" | "DNR-SC" | "DNR-SY"
        | "DNR-WM" | "DNR-SW" => "CRS04",
        "PWB" => "CRS05",
        "WOS" => "CRS06",
        "WSM" => "CRS07",
        "FBD-B" | "FBD-BU" | "FBD-EM" | "FBD-M" | "FBD-R" | "FBD-WM" | "FBD-L" | "FBD-SA"
        | "FBD-SC" | "FBD-SP" | "FBD-NE" | "FBD-SW" | "FBD-TA" | "FBD-TR" | "FBD-W" | "FBD-WI"
        | "FBD-Y" | "FBD-NW" => "CRS08",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_4_9_contract_types_map_to_nsi_types_exactly() {
        for (contract, nsi) in [
            ("ACC", "CRS01"),
            ("ETE", "CRS02"),
            ("MTR", "CRS03"),
            ("DNR", "CRS04"),
            ("DNR-NEN", "CRS04"),
            ("DNR-SW", "CRS04"),
            ("PWB", "CRS05"),
            ("WOS", "CRS06"),
            ("WSM", "CRS07"),
            ("FBD-NE", "CRS08"),
            ("FBD-NW", "CRS08"),
        ] {
            assert_eq!(nsi_type_for_contract(contract), Some(nsi), "{contract}");
        }
        for unknown in ["FBD", "acc", "unknown", "", "DNR-X"] {
            assert_eq!(nsi_type_for_contract(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn urns_hold_the_lower_case_uuid() {
        let id = Uuid::parse_str("68DF9F6C-3FCB-4EC6-8FCF-96551CD9B080").unwrap();
        assert_eq!(
            referral_urn(&id),
            "urn:hmpps:interventions-referral:68df9f6c-3fcb-4ec6-8fcf-96551cd9b080"
        );
        assert_eq!(
            appointment_urn(&id),
            "urn:hmpps:interventions-appointment:68df9f6c-3fcb-4ec6-8fcf-96551cd9b080"
        );
    }
}
