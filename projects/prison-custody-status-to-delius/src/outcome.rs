//! What an action reports: a success (telemetry named after the action) or an ignore reason.
//! Ignores are results, not errors: the writes made before them in the same message commit
//! (spec 5.1.5 / 5.9). Errors roll back the whole message.

use chrono::NaiveDateTime;
use messaging::Properties;

use crate::actions::FeatureFlag;
use crate::movement::PrisonerMovement;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionResult {
    Success(&'static str),
    Ignored(&'static str, Properties),
}

impl ActionResult {
    pub fn ignored(reason: &'static str) -> Self {
        Self::Ignored(reason, Properties::new())
    }

    pub fn ignored_with(reason: &'static str, extra: &[(&str, String)]) -> Self {
        Self::Ignored(
            reason,
            extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        )
    }
}

/// Ignore and success names (telemetry events).
pub mod names {
    pub const RELEASED: &str = "Released";
    pub const RECALLED: &str = "Recalled";
    pub const STATUS_UPDATED: &str = "StatusUpdated";
    pub const LOCATION_UPDATED: &str = "LocationUpdated";
    pub const DIED: &str = "Died";

    pub const BOOKING_NOT_FOUND: &str = "BookingNotFound";
    pub const BOOKING_INACTIVE: &str = "BookingInactive";
    pub const NO_MOVEMENT_IN_NOMIS: &str = "NoMovementInNomis";
    pub const UNABLE_TO_CALCULATE_MOVEMENT_TYPE: &str = "UnableToCalculateMovementType";
    pub const NO_CONFIG_FOR_MOVEMENT: &str = "NoConfigForMovement";
    pub const FEATURE_FLAG_NOT_ACTIVE: &str = "FeatureFlagNotActive";
    pub const NO_ACTIONS: &str = "NoActions";
    pub const MISSING_NOMS_NUMBER: &str = "MissingNomsNumber";
    pub const DUPLICATE_NOMS_NUMBER: &str = "DuplicateNomsNumber";
    pub const NO_ACTIVE_CUSTODIAL_EVENT: &str = "NoActiveCustodialEvent";
    pub const MULTIPLE_ACTIVE_CUSTODIAL_EVENTS: &str = "MultipleActiveCustodialEvents";
    pub const INVALID_RELEASE_DATE: &str = "InvalidReleaseDate";
    pub const UNSUPPORTED_RELEASE_TYPE: &str = "UnsupportedReleaseType";
    pub const UNABLE_TO_RELEASE: &str = "UnableToRelease";
    pub const RECALL_NOT_REQUIRED: &str = "RecallNotRequired";
    pub const INVALID_RECALL_DATE: &str = "InvalidRecallDate";
    pub const RECALL_NOT_SUPPORTED: &str = "RecallNotSupported";
    pub const PRISONER_STATUS_CORRECT: &str = "PrisonerStatusCorrect";
    pub const PRISONER_LOCATION_CORRECT: &str = "PrisonerLocationCorrect";
}

/// Feature flags of the service (spec 2.5, 5.1.3b); see the README's configuration table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flags {
    /// `hdc-release-type`: movement reason `HD` is an HDC release.
    pub hdc_release_type: bool,
    /// `MULTIPLE_EVENTS`: a person with several active custodial events has every one processed
    /// (off: `MultipleActiveCustodialEvents`).
    pub multiple_events: bool,
    /// The action-table flags (`messages_released_hospital|irc|ecsl|absconded`): on by default,
    /// as the newest reference processes those movements.
    pub released_hospital: bool,
    pub released_irc: bool,
    pub released_ecsl: bool,
    pub released_absconded: bool,
}

impl Flags {
    pub fn enabled(&self, flag: FeatureFlag) -> bool {
        match flag {
            FeatureFlag::ReleasedHospital => self.released_hospital,
            FeatureFlag::ReleasedIrc => self.released_irc,
            FeatureFlag::ReleasedEcsl => self.released_ecsl,
            FeatureFlag::ReleasedAbsconded => self.released_absconded,
        }
    }
}

impl Default for Flags {
    fn default() -> Self {
        Self {
            hdc_release_type: true,
            multiple_events: false,
            released_hospital: true,
            released_irc: true,
            released_ecsl: true,
            released_absconded: true,
        }
    }
}

/// Everything an action needs beside the custody.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    pub movement: &'a PrisonerMovement,
    pub user_id: i64,
    pub flags: Flags,
    pub now: NaiveDateTime,
}
