//! The prisoner movement every rule works on: built from the message for `prisoner.released` /
//! `prisoner.received`, or from the Prison API booking for the prison-identifier events.

use chrono::{DateTime, NaiveDateTime};
use chrono_tz::Tz;
use delius_data::time::from_london;
use messaging::Properties;

/// NOMIS movement type, as named by `additionalInformation.reason` (spec 2.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MovementType {
    Admission,
    ReleasedToHospital,
    Released,
    TemporaryAbsenceReturn,
    TemporaryAbsenceRelease,
    Transferred,
    SentToCourt,
    ReturnFromCourt,
}

impl MovementType {
    pub fn name(self) -> &'static str {
        match self {
            Self::Admission => "ADMISSION",
            Self::ReleasedToHospital => "RELEASED_TO_HOSPITAL",
            Self::Released => "RELEASED",
            Self::TemporaryAbsenceReturn => "TEMPORARY_ABSENCE_RETURN",
            Self::TemporaryAbsenceRelease => "TEMPORARY_ABSENCE_RELEASE",
            Self::Transferred => "TRANSFERRED",
            Self::SentToCourt => "SENT_TO_COURT",
            Self::ReturnFromCourt => "RETURN_FROM_COURT",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        [
            Self::Admission,
            Self::ReleasedToHospital,
            Self::Released,
            Self::TemporaryAbsenceReturn,
            Self::TemporaryAbsenceRelease,
            Self::Transferred,
            Self::SentToCourt,
            Self::ReturnFromCourt,
        ]
        .into_iter()
        .find(|t| t.name() == name)
    }
}

/// Into prison (`Received`) or out of it (`Released`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Received,
    Released,
}

impl Direction {
    pub fn name(self) -> &'static str {
        match self {
            Self::Received => "Received",
            Self::Released => "Released",
        }
    }
}

pub const HOSPITAL_REASONS: [&str; 3] = ["HO", "HP", "HQ"];
pub const IRC_REASONS: [&str; 5] = ["DD", "DE", "DL", "ETR", "ECSLIRC"];
pub const ABSCONDED_REASONS: [&str; 2] = ["UAL", "UAL_ECL"];
pub const DIED_REASON: &str = "DEC";
/// Prison API's agency for "released": the institution of a release without a destination.
pub const OUT: &str = "OUT";

#[derive(Debug, Clone, PartialEq)]
pub struct PrisonerMovement {
    pub noms_number: String,
    pub direction: Direction,
    pub movement_type: MovementType,
    /// NOMIS movement reason code (e.g. `NCS`, `R1`, `HO`).
    pub reason: String,
    /// Set by a config row whose feature flag is off (ECSL -> `RO`: released on a plain licence).
    pub reason_override: Option<String>,
    pub from_prison_id: Option<String>,
    pub to_prison_id: Option<String>,
    /// Europe/London wall-clock time of the movement.
    pub occurred_at: NaiveDateTime,
}

impl PrisonerMovement {
    pub fn is_hospital_release(&self) -> bool {
        self.direction == Direction::Released
            && (self.movement_type == MovementType::ReleasedToHospital
                || HOSPITAL_REASONS.contains(&self.reason.as_str()))
    }

    pub fn is_irc_release(&self) -> bool {
        self.direction == Direction::Released && IRC_REASONS.contains(&self.reason.as_str())
    }

    pub fn is_absconded(&self) -> bool {
        self.direction == Direction::Released && ABSCONDED_REASONS.contains(&self.reason.as_str())
    }

    pub fn effective_reason(&self) -> &str {
        self.reason_override.as_deref().unwrap_or(&self.reason)
    }

    pub fn occurred_zoned(&self) -> DateTime<Tz> {
        from_london(self.occurred_at)
    }

    /// Movement telemetry properties (spec 5.1).
    pub fn properties(&self) -> Properties {
        let mut p = Properties::new();
        p.insert(
            "occurredAt".into(),
            self.occurred_zoned()
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false),
        );
        p.insert("nomsNumber".into(), self.noms_number.clone());
        if let Some(from) = &self.from_prison_id {
            p.insert("previousInstitution".into(), from.clone());
        }
        if let Some(to) = &self.to_prison_id {
            p.insert("institution".into(), to.clone());
        }
        p.insert("reason".into(), self.movement_type.name().into());
        p.insert("movementReason".into(), self.reason.clone());
        p.insert("movementType".into(), self.direction.name().into());
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn movement(direction: Direction, t: MovementType, reason: &str) -> PrisonerMovement {
        PrisonerMovement {
            noms_number: "A0001AA".into(),
            direction,
            movement_type: t,
            reason: reason.into(),
            reason_override: None,
            from_prison_id: Some("WSI".into()),
            to_prison_id: Some(OUT.into()),
            occurred_at: NaiveDateTime::parse_from_str("2023-07-01 10:00:00", "%Y-%m-%d %H:%M:%S")
                .unwrap(),
        }
    }

    #[test]
    fn movement_types_round_trip_their_names() {
        for name in [
            "ADMISSION",
            "RELEASED_TO_HOSPITAL",
            "TRANSFERRED",
            "SENT_TO_COURT",
        ] {
            assert_eq!(MovementType::parse(name).unwrap().name(), name);
        }
        assert_eq!(MovementType::parse("UNKNOWN"), None);
    }

    #[test]
    fn hospital_irc_and_absconded_predicates_use_the_nomis_reason() {
        let hosp = movement(Direction::Released, MovementType::Released, "HQ");
        assert!(hosp.is_hospital_release() && !hosp.is_irc_release());
        let by_type = movement(Direction::Released, MovementType::ReleasedToHospital, "X");
        assert!(by_type.is_hospital_release());
        for r in IRC_REASONS {
            assert!(movement(Direction::Released, MovementType::Released, r).is_irc_release());
        }
        assert!(movement(Direction::Released, MovementType::Released, "UAL_ECL").is_absconded());
        assert!(!movement(Direction::Received, MovementType::Admission, "UAL").is_absconded());
    }

    #[test]
    fn telemetry_properties_carry_the_london_time() {
        let p = movement(Direction::Released, MovementType::Released, "NCS").properties();
        assert_eq!(p["occurredAt"], "2023-07-01T10:00:00+01:00");
        assert_eq!(p["previousInstitution"], "WSI");
        assert_eq!(p["institution"], "OUT");
        assert_eq!(p["reason"], "RELEASED");
        assert_eq!(p["movementType"], "Released");
    }
}
