//! The ordered action table (spec 2.5): the first row whose type and reason match wins.

use crate::movement::{
    MovementType, ABSCONDED_REASONS, DIED_REASON, HOSPITAL_REASONS, IRC_REASONS,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Release,
    Recall,
    UpdateStatus,
    UpdateLocation,
    Died,
}

/// Reason code of an administrative merge of two NOMIS records: nothing to do in Delius.
pub const ADMIN_MERGE: &str = "MRG";
/// ECSL (end of custody supervised licence).
pub const ECSL: &str = "ECSL";

const RECALL: &[Action] = &[Action::Recall, Action::UpdateStatus, Action::UpdateLocation];
const RELEASE: &[Action] = &[
    Action::Release,
    Action::UpdateStatus,
    Action::UpdateLocation,
];
const DIED: &[Action] = &[Action::Died];
const NONE: &[Action] = &[];

/// The feature flags of the reference's action table (spec 2.5). The newest reference tests run
/// with every flag off and still process these movements, so the settings default them **on**
/// (the same behaviour as removing them); switching one off brings back `FeatureFlagNotActive`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureFlag {
    ReleasedHospital,
    ReleasedIrc,
    ReleasedEcsl,
    ReleasedAbsconded,
}

impl FeatureFlag {
    /// The reference's flag name, reported as `featureFlag` on `FeatureFlagNotActive`.
    pub fn name(self) -> &'static str {
        match self {
            Self::ReleasedHospital => "messages_released_hospital",
            Self::ReleasedIrc => "messages_released_irc",
            Self::ReleasedEcsl => "messages_released_ecsl",
            Self::ReleasedAbsconded => "messages_released_absconded",
        }
    }
}

/// One row of the action table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    pub actions: &'static [Action],
    pub feature_flag: Option<FeatureFlag>,
    /// Used instead of the NOMIS reason when the flag is off (ECSL -> `RO`: a plain licence).
    pub reason_override: Option<&'static str>,
}

/// Reason override of the ECSL row when its flag is off.
pub const ECSL_REASON_OVERRIDE: &str = "RO";

const fn row(actions: &'static [Action]) -> Config {
    Config {
        actions,
        feature_flag: None,
        reason_override: None,
    }
}

const fn flagged(actions: &'static [Action], flag: FeatureFlag) -> Config {
    Config {
        actions,
        feature_flag: Some(flag),
        reason_override: None,
    }
}

/// The table row for a movement: `None` -> `NoConfigForMovement`, no actions -> `NoActions`.
pub fn config_for(movement_type: MovementType, reason: &str) -> Option<Config> {
    use FeatureFlag as F;
    use MovementType as T;
    match movement_type {
        T::Admission => Some(row(RECALL)),
        T::ReleasedToHospital => Some(flagged(RECALL, F::ReleasedHospital)),
        T::Released if reason == DIED_REASON => Some(row(DIED)),
        T::Released if reason == ADMIN_MERGE => Some(row(NONE)),
        T::Released if HOSPITAL_REASONS.contains(&reason) => {
            Some(flagged(RECALL, F::ReleasedHospital))
        }
        T::Released if IRC_REASONS.contains(&reason) => Some(flagged(RECALL, F::ReleasedIrc)),
        T::Released if reason == ECSL => Some(Config {
            actions: RELEASE,
            feature_flag: Some(F::ReleasedEcsl),
            reason_override: Some(ECSL_REASON_OVERRIDE),
        }),
        T::Released if ABSCONDED_REASONS.contains(&reason) => {
            Some(flagged(RECALL, F::ReleasedAbsconded))
        }
        T::Released => Some(row(RELEASE)),
        T::TemporaryAbsenceReturn => Some(row(RECALL)),
        T::Transferred if reason == "INT" => Some(row(RECALL)),
        T::Transferred | T::SentToCourt | T::ReturnFromCourt | T::TemporaryAbsenceRelease => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;
    use MovementType as T;

    fn actions_for(t: MovementType, reason: &str) -> Option<&'static [Action]> {
        config_for(t, reason).map(|c| c.actions)
    }

    #[test]
    fn admission_and_hospital_type_recall_whatever_the_reason() {
        assert_eq!(actions_for(T::Admission, "N"), Some(RECALL));
        assert_eq!(actions_for(T::ReleasedToHospital, "HQ"), Some(RECALL));
        assert_eq!(actions_for(T::TemporaryAbsenceReturn, "24"), Some(RECALL));
    }

    #[test]
    fn died_matches_before_the_generic_release() {
        assert_eq!(actions_for(T::Released, "DEC"), Some(&[Died][..]));
    }

    #[test]
    fn admin_merge_has_no_actions() {
        assert_eq!(actions_for(T::Released, "MRG"), Some(&[][..]));
    }

    #[test]
    fn hospital_irc_and_absconded_releases_are_recalls() {
        for reason in [
            "HO", "HP", "HQ", "DD", "DE", "DL", "ETR", "ECSLIRC", "UAL", "UAL_ECL",
        ] {
            assert_eq!(
                actions_for(T::Released, reason),
                Some(&[Recall, UpdateStatus, UpdateLocation][..]),
                "{reason}"
            );
        }
    }

    #[test]
    fn ecsl_hdc_and_other_releases_are_releases() {
        for reason in ["ECSL", "HD", "NCS", "CR"] {
            assert_eq!(
                actions_for(T::Released, reason),
                Some(&[Release, UpdateStatus, UpdateLocation][..])
            );
        }
    }

    #[test]
    fn only_internal_transfers_are_configured() {
        assert_eq!(actions_for(T::Transferred, "INT"), Some(RECALL));
        assert_eq!(actions_for(T::Transferred, "TRNCRT"), None);
        assert_eq!(actions_for(T::Transferred, "TRNTAP"), None);
    }

    #[test]
    fn court_and_temporary_release_movements_have_no_config() {
        assert_eq!(actions_for(T::SentToCourt, "CRT"), None);
        assert_eq!(actions_for(T::ReturnFromCourt, "CRT"), None);
        assert_eq!(actions_for(T::TemporaryAbsenceRelease, "C3"), None);
    }

    #[test]
    fn hospital_irc_ecsl_and_absconded_rows_carry_the_reference_flags() {
        use FeatureFlag as F;
        let flag = |t, r: &str| config_for(t, r).and_then(|c| c.feature_flag);
        assert_eq!(flag(T::ReleasedToHospital, "X"), Some(F::ReleasedHospital));
        assert_eq!(flag(T::Released, "HP"), Some(F::ReleasedHospital));
        assert_eq!(flag(T::Released, "ETR"), Some(F::ReleasedIrc));
        assert_eq!(flag(T::Released, "UAL_ECL"), Some(F::ReleasedAbsconded));
        assert_eq!(flag(T::Released, "ECSL"), Some(F::ReleasedEcsl));
        for (t, r) in [
            (T::Admission, "N"),
            (T::Released, "NCS"),
            (T::Released, "HD"),
            (T::Released, "DEC"),
            (T::Released, "MRG"),
            (T::Transferred, "INT"),
        ] {
            assert_eq!(flag(t, r), None, "{t:?} {r}");
        }
        let ecsl = config_for(T::Released, "ECSL").expect("ECSL row");
        assert_eq!(ecsl.reason_override, Some("RO"));
        assert_eq!(
            config_for(T::Released, "HO").and_then(|c| c.reason_override),
            None
        );
    }

    /// Spec 5.2.2 (`UnsupportedReleaseType`) cannot be reached through a message: every row with
    /// the `Release` action is a RELEASED row. `release::tests` checks the rule itself.
    #[test]
    fn only_released_movements_have_the_release_action() {
        let types = [
            T::Admission,
            T::ReleasedToHospital,
            T::Released,
            T::TemporaryAbsenceReturn,
            T::TemporaryAbsenceRelease,
            T::Transferred,
            T::SentToCourt,
            T::ReturnFromCourt,
        ];
        let reasons = [
            "", "N", "R1", "24", "INT", "TRNCRT", "TRNTAP", "CRT", "HO", "HP", "HQ", "DD", "DE",
            "DL", "ETR", "ECSLIRC", "ECSL", "UAL", "UAL_ECL", "DEC", "MRG", "HD", "NCS", "CR",
        ];
        for t in types {
            for r in reasons {
                if actions_for(t, r).is_some_and(|a| a.contains(&Release)) {
                    assert_eq!(t, T::Released, "{t:?} {r}");
                }
            }
        }
    }
}
