//! CRS appointments (spec 2.2): the merge request and its rules.
//!
//! - [`merge`] creates, reschedules and outcomes the appointment contact;
//! - [`clash`] is the future-appointment conflict check.

pub mod clash;
pub mod merge;

use chrono::{DateTime, Duration, FixedOffset};
use uuid::Uuid;

use crate::attendance::{Attendance, Attended, NoSessionReason};
use crate::refs;

/// The `PUT .../appointments` body, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeAppointment {
    pub id: Uuid,
    pub referral_id: Uuid,
    pub referral_reference: String,
    pub start: DateTime<FixedOffset>,
    pub duration_in_minutes: i64,
    pub notes: Option<String>,
    pub office_location_code: Option<String>,
    pub counts_towards_rar: bool,
    pub outcome: Option<AppointmentOutcome>,
    pub previous_id: Option<Uuid>,
    pub delius_id: Option<i64>,
    pub reschedule_requested_by: Option<String>,
}

/// The `outcome` object of the merge request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppointmentOutcome {
    pub attended: Attended,
    pub did_session_happen: Option<bool>,
    pub no_session_reason_type: Option<NoSessionReason>,
    pub notify: bool,
}

impl AppointmentOutcome {
    /// The API takes a missing `didSessionHappen` as `false` (spec 2.2.4).
    pub fn attendance(&self) -> Attendance {
        Attendance {
            attended: self.attended,
            session_happened: self.did_session_happen.unwrap_or(false),
            no_session_reason: self.no_session_reason_type,
            notify: self.notify,
        }
    }
}

impl MergeAppointment {
    pub fn end(&self) -> DateTime<FixedOffset> {
        self.start + Duration::minutes(self.duration_in_minutes)
    }

    pub fn urn(&self) -> String {
        refs::appointment_urn(&self.id)
    }

    pub fn previous_urn(&self) -> Option<String> {
        self.previous_id.as_ref().map(refs::appointment_urn)
    }

    pub fn referral_urn(&self) -> String {
        refs::referral_urn(&self.referral_id)
    }

    /// `RSSR` when R&M (the service provider) asked for the change, otherwise the person on
    /// probation's reschedule outcome.
    pub fn reschedule_outcome(&self) -> &'static str {
        match self.reschedule_requested_by.as_deref() {
            None | Some("Service Provider") => refs::OUTCOME_RESCHEDULED_SERVICE_REQUEST,
            Some(_) => refs::OUTCOME_RESCHEDULED_POP_REQUEST,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(requested_by: Option<&str>) -> MergeAppointment {
        MergeAppointment {
            id: Uuid::nil(),
            referral_id: Uuid::nil(),
            referral_reference: "R1".into(),
            start: DateTime::parse_from_rfc3339("2023-06-01T10:00:00+01:00").unwrap(),
            duration_in_minutes: 45,
            notes: None,
            office_location_code: None,
            counts_towards_rar: false,
            outcome: None,
            previous_id: None,
            delius_id: None,
            reschedule_requested_by: requested_by.map(str::to_owned),
        }
    }

    #[test]
    fn spec_2_2_reschedule_outcome_depends_on_who_asked() {
        assert_eq!(request(None).reschedule_outcome(), "RSSR");
        assert_eq!(
            request(Some("Service Provider")).reschedule_outcome(),
            "RSSR"
        );
        assert_eq!(request(Some("Joe Bloggs")).reschedule_outcome(), "RSOF");
        assert_eq!(
            request(Some("service provider")).reschedule_outcome(),
            "RSOF"
        );
    }

    #[test]
    fn spec_2_2_end_is_start_plus_duration() {
        assert_eq!(
            request(None).end(),
            DateTime::parse_from_rfc3339("2023-06-01T10:45:00+01:00").unwrap()
        );
    }
}
