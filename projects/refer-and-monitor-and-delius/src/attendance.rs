//! From R&M attendance feedback to a Delius contact outcome code (spec 2.2.4), shared by the
//! appointment merge and the feedback events.

use serde::{Deserialize, Serialize};

use crate::refs::{
    OUTCOME_APPOINTMENT_KEPT, OUTCOME_ATTENDED_COMPLIED, OUTCOME_ATTENDED_FAILED_TO_COMPLY,
    OUTCOME_FAILED_TO_ATTEND, OUTCOME_SENT_HOME,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Attended {
    Yes,
    Late,
    No,
}

impl Attended {
    /// Case-insensitive, as R&M sends `yes`/`late`/`no` in feedback and `YES`... in the API.
    pub fn parse(value: &str) -> Option<Self> {
        match value.to_ascii_uppercase().as_str() {
            "YES" => Some(Self::Yes),
            "LATE" => Some(Self::Late),
            "NO" => Some(Self::No),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Yes => "YES",
            Self::Late => "LATE",
            Self::No => "NO",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NoSessionReason {
    Logistics,
    PopAcceptable,
    PopUnacceptable,
}

impl NoSessionReason {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "LOGISTICS" => Some(Self::Logistics),
            "POP_ACCEPTABLE" => Some(Self::PopAcceptable),
            "POP_UNACCEPTABLE" => Some(Self::PopUnacceptable),
            _ => None,
        }
    }
}

/// What R&M recorded about one appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attendance {
    pub attended: Attended,
    /// Already defaulted by the caller: the API takes a missing value as `false`, the feedback
    /// events as "happened unless not attended".
    pub session_happened: bool,
    pub no_session_reason: Option<NoSessionReason>,
    pub notify: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Outcome Scenario Not Mapped: {0:?}")]
pub struct OutcomeNotMapped(pub Attendance);

impl Attendance {
    /// The outcome code of spec 2.2.4's table.
    pub fn outcome_code(&self) -> Result<&'static str, OutcomeNotMapped> {
        if self.session_happened {
            return Ok(if self.notify {
                OUTCOME_ATTENDED_FAILED_TO_COMPLY
            } else {
                OUTCOME_ATTENDED_COMPLIED
            });
        }
        match (self.attended, self.no_session_reason) {
            (Attended::No, _) => Ok(OUTCOME_FAILED_TO_ATTEND),
            (_, Some(NoSessionReason::PopUnacceptable)) => Ok(OUTCOME_ATTENDED_FAILED_TO_COMPLY),
            (_, Some(NoSessionReason::PopAcceptable)) => Ok(OUTCOME_APPOINTMENT_KEPT),
            (_, Some(NoSessionReason::Logistics)) => Ok(OUTCOME_SENT_HOME),
            (_, None) => Err(OutcomeNotMapped(*self)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attendance(
        attended: Attended,
        happened: bool,
        reason: Option<NoSessionReason>,
        notify: bool,
    ) -> Attendance {
        Attendance {
            attended,
            session_happened: happened,
            no_session_reason: reason,
            notify,
        }
    }

    #[test]
    fn spec_2_2_4_session_happened_gives_attc_or_aftc_by_notify() {
        for attended in [Attended::Yes, Attended::Late, Attended::No] {
            for reason in [None, Some(NoSessionReason::Logistics)] {
                assert_eq!(
                    attendance(attended, true, reason, true).outcome_code(),
                    Ok("AFTC")
                );
                assert_eq!(
                    attendance(attended, true, reason, false).outcome_code(),
                    Ok("ATTC")
                );
            }
        }
    }

    #[test]
    fn spec_2_2_4_session_did_not_happen() {
        use NoSessionReason::*;
        for notify in [true, false] {
            assert_eq!(
                attendance(Attended::No, false, None, notify).outcome_code(),
                Ok("AFTA")
            );
            assert_eq!(
                attendance(Attended::No, false, Some(Logistics), notify).outcome_code(),
                Ok("AFTA")
            );
            for attended in [Attended::Yes, Attended::Late] {
                let code = |reason| attendance(attended, false, reason, notify).outcome_code();
                assert_eq!(code(Some(PopUnacceptable)), Ok("AFTC"));
                assert_eq!(code(Some(PopAcceptable)), Ok(OUTCOME_APPOINTMENT_KEPT));
                assert_eq!(code(Some(Logistics)), Ok(OUTCOME_SENT_HOME));
                assert!(code(None).is_err());
            }
        }
    }

    #[test]
    fn attended_is_parsed_case_insensitively() {
        assert_eq!(Attended::parse("yes"), Some(Attended::Yes));
        assert_eq!(Attended::parse("LATE"), Some(Attended::Late));
        assert_eq!(Attended::parse("No"), Some(Attended::No));
        assert_eq!(Attended::parse("maybe"), None);
    }
}
