//! Allocation reasons (spec 3.8): the Workforce enum name, and the Delius code it becomes, which
//! depends on both the reason and the kind of allocation (rule 6).

use serde::{Deserialize, Deserializer};

use crate::detail::Kind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllocationReason {
    AllocatedToResponsibleOfficer,
    CaseloadAdjustment,
    ChangeInTierOrRisk,
    ChangeOfAddress,
    OfficerLeft,
    Other,
    RiskToStaff,
    TransferIn,
    ProbationReset,
    InitialAllocation,
}

/// An `allocationReason` Workforce sent that this service does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown allocationReason {0:?}")]
pub struct UnknownReason(pub String);

impl AllocationReason {
    pub const ALL: [Self; 10] = [
        Self::AllocatedToResponsibleOfficer,
        Self::CaseloadAdjustment,
        Self::ChangeInTierOrRisk,
        Self::ChangeOfAddress,
        Self::OfficerLeft,
        Self::Other,
        Self::RiskToStaff,
        Self::TransferIn,
        Self::ProbationReset,
        Self::InitialAllocation,
    ];

    /// The Workforce enum name, as it arrives and as the re-allocation notes print it.
    pub fn name(self) -> &'static str {
        match self {
            Self::AllocatedToResponsibleOfficer => "ALLOCATED_TO_RESPONSIBLE_OFFICER",
            Self::CaseloadAdjustment => "CASELOAD_ADJUSTMENT",
            Self::ChangeInTierOrRisk => "CHANGE_IN_TIER_OR_RISK",
            Self::ChangeOfAddress => "CHANGE_OF_ADDRESS",
            Self::OfficerLeft => "OFFICER_LEFT",
            Self::Other => "OTHER",
            Self::RiskToStaff => "RISK_TO_STAFF",
            Self::TransferIn => "TRANSFER_IN",
            Self::ProbationReset => "PROBATION_RESET",
            Self::InitialAllocation => "INITIAL_ALLOCATION",
        }
    }

    /// Absent, null or blank means an initial allocation (the Workforce default); any other
    /// unknown text is refused rather than recorded as something it is not.
    pub fn parse(text: Option<&str>) -> Result<Self, UnknownReason> {
        let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
            return Ok(Self::InitialAllocation);
        };
        Self::ALL
            .into_iter()
            .find(|reason| reason.name() == text)
            .ok_or_else(|| UnknownReason(text.to_owned()))
    }

    /// A re-allocation is any allocation with a reason other than the initial one.
    pub fn is_reallocation(self) -> bool {
        self != Self::InitialAllocation
    }

    /// The Delius code for this reason on an allocation of `kind` (spec 3.8 table).
    pub fn code(self, kind: Kind) -> &'static str {
        match self {
            Self::AllocatedToResponsibleOfficer => "RO",
            Self::CaseloadAdjustment => "AR02",
            Self::ChangeInTierOrRisk => "CTR",
            Self::ChangeOfAddress => match kind {
                Kind::Person => "AR03",
                Kind::Event => "OA01",
                Kind::Requirement | Kind::LicenceCondition => "OM",
            },
            Self::OfficerLeft => "OFL",
            Self::Other => "OTH",
            Self::RiskToStaff => "RTS",
            Self::TransferIn => "TIN",
            Self::ProbationReset => "RESET",
            Self::InitialAllocation => match kind {
                Kind::Event => "INT",
                Kind::Person | Kind::Requirement | Kind::LicenceCondition => "IN1",
            },
        }
    }
}

impl<'de> Deserialize<'de> for AllocationReason {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Option::<String>::deserialize(deserializer)?;
        Self::parse(text.as_deref()).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_6_change_of_address_code_depends_on_the_kind() {
        let reason = AllocationReason::ChangeOfAddress;
        assert_eq!(reason.code(Kind::Person), "AR03");
        assert_eq!(reason.code(Kind::Event), "OA01");
        assert_eq!(reason.code(Kind::Requirement), "OM");
        assert_eq!(reason.code(Kind::LicenceCondition), "OM");
    }

    #[test]
    fn rule_6_initial_allocation_is_in1_except_for_events() {
        let reason = AllocationReason::InitialAllocation;
        assert_eq!(reason.code(Kind::Person), "IN1");
        assert_eq!(reason.code(Kind::Event), "INT");
        assert_eq!(reason.code(Kind::Requirement), "IN1");
        assert_eq!(reason.code(Kind::LicenceCondition), "IN1");
    }

    #[test]
    fn spec_3_8_the_other_reasons_share_one_code_for_every_kind() {
        let expected = [
            (AllocationReason::AllocatedToResponsibleOfficer, "RO"),
            (AllocationReason::CaseloadAdjustment, "AR02"),
            (AllocationReason::ChangeInTierOrRisk, "CTR"),
            (AllocationReason::OfficerLeft, "OFL"),
            (AllocationReason::Other, "OTH"),
            (AllocationReason::RiskToStaff, "RTS"),
            (AllocationReason::TransferIn, "TIN"),
            (AllocationReason::ProbationReset, "RESET"),
        ];
        for (reason, code) in expected {
            for kind in Kind::ALL {
                assert_eq!(reason.code(kind), code, "{reason:?} {kind:?}");
            }
        }
    }

    #[test]
    fn spec_2_4_absent_or_blank_reason_is_an_initial_allocation() {
        assert_eq!(
            AllocationReason::parse(None),
            Ok(AllocationReason::InitialAllocation)
        );
        assert_eq!(
            AllocationReason::parse(Some("  ")),
            Ok(AllocationReason::InitialAllocation)
        );
        assert!(!AllocationReason::InitialAllocation.is_reallocation());
        assert!(AllocationReason::ChangeOfAddress.is_reallocation());
    }

    #[test]
    fn every_enum_name_parses_back_and_unknown_text_is_refused() {
        for reason in AllocationReason::ALL {
            assert_eq!(AllocationReason::parse(Some(reason.name())), Ok(reason));
        }
        assert_eq!(
            AllocationReason::parse(Some("MOVED_HOUSE")),
            Err(UnknownReason("MOVED_HOUSE".into()))
        );
    }
}
