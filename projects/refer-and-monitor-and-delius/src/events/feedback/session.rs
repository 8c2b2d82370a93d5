//! What R&M says about an appointment's attendance (spec 3.2, 3.3): the response bodies, which
//! feedback is the latest, and the event path's defaults.

use chrono::{DateTime, FixedOffset};
use serde::Deserialize;
use uuid::Uuid;

use crate::attendance::{Attendance, Attended, NoSessionReason};
use crate::events::Failure;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttendanceFeedback {
    pub attended: Option<String>,
    pub did_session_happen: Option<bool>,
    pub submitted_at: Option<DateTime<FixedOffset>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionFeedback {
    pub no_session_reason_type: Option<String>,
    pub notify_probation_practitioner_of_behaviour: Option<bool>,
    pub notify_probation_practitioner: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppointmentFeedback {
    #[serde(default)]
    pub attendance_feedback: Option<AttendanceFeedback>,
    #[serde(default)]
    pub session_feedback: Option<SessionFeedback>,
}

impl AppointmentFeedback {
    fn attended(&self) -> Option<&str> {
        self.attendance_feedback.as_ref()?.attended.as_deref()
    }

    fn submitted_at(&self) -> Option<DateTime<FixedOffset>> {
        self.attendance_feedback.as_ref()?.submitted_at
    }

    /// The event path's defaults (spec 3.3 step 3): a missing `didSessionHappen` means it
    /// happened unless the person did not attend (unconfirmed), a missing notify flag means
    /// notify.
    pub fn attendance(&self) -> Result<Attendance, Failure> {
        let attended = self
            .attended()
            .and_then(Attended::parse)
            .ok_or_else(|| Failure::illegal_argument("Unexpected attended value"))?;
        let attendance = self.attendance_feedback.clone().unwrap_or_default();
        let session = self.session_feedback.clone().unwrap_or_default();
        Ok(Attendance {
            attended,
            session_happened: attendance
                .did_session_happen
                .unwrap_or(attended != Attended::No),
            no_session_reason: session
                .no_session_reason_type
                .as_deref()
                .and_then(NoSessionReason::parse),
            notify: session
                .notify_probation_practitioner_of_behaviour
                .or(session.notify_probation_practitioner)
                .unwrap_or(true),
        })
    }
}

/// An R&M appointment with its feedback.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedbackAppointment {
    pub id: Uuid,
    #[serde(default)]
    pub appointment_feedback: Option<AppointmentFeedback>,
}

/// `GET /sent-referral/{id}/supplier-assessment` (spec 3.2).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SupplierAssessment {
    pub id: Uuid,
    pub referral_id: Uuid,
    #[serde(default)]
    pub appointments: Vec<FeedbackAppointment>,
}

/// `GET /referral/{id}/delivery-session-appointments/{id}` (spec 3.3).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliverySession {
    pub id: Uuid,
    pub appointment_id: Option<Uuid>,
    pub delius_appointment_id: Option<i64>,
    #[serde(default)]
    pub appointment_feedback: Option<AppointmentFeedback>,
    #[serde(default)]
    pub old_appointments: Vec<FeedbackAppointment>,
}

/// The appointment with recorded attendance submitted last.
pub fn latest(appointments: &[FeedbackAppointment]) -> Option<(Uuid, &AppointmentFeedback)> {
    appointments
        .iter()
        .filter_map(|a| Some((a.id, a.appointment_feedback.as_ref()?)))
        .filter(|(_, f)| f.attended().is_some())
        .max_by_key(|(_, f)| f.submitted_at())
}

impl DeliverySession {
    /// The current appointment's feedback when it has attendance, else the latest old one's.
    pub fn latest_feedback(&self) -> Option<(Uuid, &AppointmentFeedback)> {
        if let (Some(id), Some(feedback)) = (self.appointment_id, &self.appointment_feedback) {
            if feedback.attended().is_some() {
                return Some((id, feedback));
            }
        }
        latest(&self.old_appointments)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feedback(json: serde_json::Value) -> AppointmentFeedback {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn spec_3_3_missing_did_session_happen_means_happened_unless_not_attended() {
        let attended = feedback(
            serde_json::json!({"attendanceFeedback": {"attended": "yes"}, "sessionFeedback": {"notifyProbationPractitioner": false}}),
        );
        let attendance = attended.attendance().unwrap();
        assert!(attendance.session_happened);
        assert_eq!(attendance.outcome_code(), Ok("ATTC"));
        let absent = feedback(serde_json::json!({"attendanceFeedback": {"attended": "no"}}));
        let attendance = absent.attendance().unwrap();
        assert!(!attendance.session_happened);
        assert!(
            attendance.notify,
            "notify defaults to true on the event path"
        );
        assert_eq!(attendance.outcome_code(), Ok("AFTA"));
    }

    #[test]
    fn spec_3_3_notify_prefers_the_behaviour_flag_then_the_legacy_one() {
        let both = feedback(
            serde_json::json!({"attendanceFeedback": {"attended": "yes"}, "sessionFeedback": {"notifyProbationPractitionerOfBehaviour": false, "notifyProbationPractitioner": true}}),
        );
        assert!(!both.attendance().unwrap().notify);
        let legacy = feedback(
            serde_json::json!({"attendanceFeedback": {"attended": "yes"}, "sessionFeedback": {"notifyProbationPractitioner": false}}),
        );
        assert!(!legacy.attendance().unwrap().notify);
    }

    #[test]
    fn spec_3_3_latest_feedback_is_current_then_the_latest_old_one() {
        let session: DeliverySession = serde_json::from_str(include_str!(
            "../../../tests/fixtures/simulations/session-appointment-feedback-submitted-not-attended.json"
        ))
        .unwrap();
        let (id, _) = session.latest_feedback().unwrap();
        assert_eq!(id.to_string(), "3b8282cd-baa5-45d3-8489-b5836a58a0e8");
        let session: DeliverySession = serde_json::from_str(include_str!(
            "../../../tests/fixtures/simulations/session-appointment-feedback-submitted-compliant.json"
        ))
        .unwrap();
        let (id, _) = session.latest_feedback().unwrap();
        assert_eq!(id.to_string(), "48911ad2-1213-4bd3-8312-3824dc29f131");
    }
}
