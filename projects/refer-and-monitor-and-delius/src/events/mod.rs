//! The five `intervention.*` events (spec 3): what each reads from the message, and the three
//! results the spec distinguishes.
//!
//! - [`action_plan`]: action plan submitted / approved notes;
//! - [`feedback`]: initial-assessment and delivery-session feedback outcomes;
//! - [`referral_end`]: ending the referral's NSI;
//! - [`upstream`]: fetching the `detailUrl` from Refer and Monitor.

pub mod action_plan;
pub mod feedback;
pub mod referral_end;
pub mod upstream;

use messaging::{HmppsDomainEvent, Ignored, Properties};
use serde_json::Value;

/// Telemetry of a business failure the spec acknowledges without retrying ("Rejected").
pub const FAILURE_REPORT: &str = "ReferAndMonitorFailureReport";

/// A failure the spec retries and names after the reference's exception class
/// (`IllegalStateException`, `IllegalArgumentException`, `NotFoundException`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Failure {
    pub kind: &'static str,
    pub message: String,
}

impl Failure {
    pub fn illegal_argument(message: impl Into<String>) -> Self {
        Self {
            kind: "IllegalArgumentException",
            message: message.into(),
        }
    }

    pub fn illegal_state(message: impl Into<String>) -> Self {
        Self {
            kind: "IllegalStateException",
            message: message.into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self {
            kind: "NotFoundException",
            message: message.into(),
        }
    }
}

/// The fields every event's telemetry carries: the CRN and the referral id, `""` when absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Common {
    pub crn: String,
    pub referral_id: String,
}

impl Common {
    pub fn of(event: &HmppsDomainEvent) -> Self {
        Self {
            crn: event.person_reference.find("CRN").unwrap_or("").to_owned(),
            referral_id: event
                .additional_information
                .get("referralId")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
        }
    }

    pub fn properties(&self) -> Properties {
        Properties::from([
            ("crn".to_owned(), self.crn.clone()),
            ("referralId".to_owned(), self.referral_id.clone()),
        ])
    }

    /// A Rejected result: `ReferAndMonitorFailureReport` with these fields, `extra` and `message`.
    pub fn rejected(&self, message: &str, extra: Properties) -> Ignored {
        let mut ignored = Ignored::new(FAILURE_REPORT);
        ignored.properties = self.properties();
        ignored.properties.extend(extra);
        ignored
            .properties
            .insert("message".to_owned(), message.to_owned());
        ignored
    }
}

/// A string from `additionalInformation`; a missing one fails the message (spec 3.0).
pub fn info_str(event: &HmppsDomainEvent, key: &str) -> Result<String, Failure> {
    event
        .additional_information
        .get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| Failure::illegal_argument(format!("additionalInformation.{key} is missing")))
}

/// An optional number that R&M sends as a string or a JSON number.
pub fn info_number(event: &HmppsDomainEvent, key: &str) -> Option<i64> {
    match event.additional_information.get(key)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The CRN the event is about; every event needs one.
pub fn crn(event: &HmppsDomainEvent) -> Result<&str, Failure> {
    event
        .person_reference
        .find("CRN")
        .ok_or_else(|| Failure::illegal_argument("CRN not found in personReference"))
}

/// The `detailUrl` every event must carry, even those that never fetch it.
pub fn detail_url(event: &HmppsDomainEvent) -> Result<&str, Failure> {
    event
        .detail_url
        .as_deref()
        .ok_or_else(|| Failure::illegal_argument("Detail Url Missing"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_3_0_common_fields_default_to_empty() {
        let event = HmppsDomainEvent::new("intervention.x");
        assert_eq!(
            Common::of(&event),
            Common {
                crn: String::new(),
                referral_id: String::new()
            }
        );
        let event = event
            .with_identifier("CRN", "T140223")
            .with_info("referralId", "68df");
        assert_eq!(Common::of(&event).properties()["crn"], "T140223");
        assert_eq!(Common::of(&event).properties()["referralId"], "68df");
    }

    #[test]
    fn spec_3_2_delius_appointment_id_is_a_string_or_a_number() {
        let event = HmppsDomainEvent::new("x")
            .with_info("a", "8791827")
            .with_info("b", 3)
            .with_info("c", "x");
        assert_eq!(info_number(&event, "a"), Some(8791827));
        assert_eq!(info_number(&event, "b"), Some(3));
        assert_eq!(info_number(&event, "c"), None);
        assert_eq!(info_number(&event, "d"), None);
    }

    #[test]
    fn spec_3_0_missing_detail_url_fails() {
        let event = HmppsDomainEvent::new("x");
        assert_eq!(
            detail_url(&event),
            Err(Failure::illegal_argument("Detail Url Missing"))
        );
    }
}
