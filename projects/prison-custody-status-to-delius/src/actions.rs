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

/// The actions for a movement, in order: `None` -> `NoConfigForMovement`, an empty list ->
/// `NoActions`. The old feature flags (hospital, IRC, absconded, ECSL) are removed, as in the
/// newest reference tests.
pub fn actions_for(movement_type: MovementType, reason: &str) -> Option<&'static [Action]> {
    use MovementType as T;
    match movement_type {
        T::Admission | T::ReleasedToHospital => Some(RECALL),
        T::Released if reason == DIED_REASON => Some(DIED),
        T::Released if reason == ADMIN_MERGE => Some(NONE),
        T::Released if HOSPITAL_REASONS.contains(&reason) => Some(RECALL),
        T::Released if IRC_REASONS.contains(&reason) => Some(RECALL),
        T::Released if reason == ECSL => Some(RELEASE),
        T::Released if ABSCONDED_REASONS.contains(&reason) => Some(RECALL),
        T::Released => Some(RELEASE),
        T::TemporaryAbsenceReturn => Some(RECALL),
        T::Transferred if reason == "INT" => Some(RECALL),
        T::Transferred | T::SentToCourt | T::ReturnFromCourt | T::TemporaryAbsenceRelease => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;
    use MovementType as T;

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
}
