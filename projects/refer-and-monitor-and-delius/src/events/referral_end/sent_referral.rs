//! The R&M sent referral (`GET /sent-referral/{id}`) and the end types of spec 3.5.

use chrono::{DateTime, FixedOffset};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Provider {
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Referral {
    #[serde(alias = "provider")]
    pub service_provider: Provider,
    #[serde(alias = "contractType")]
    pub contract_type_name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndOfServiceReport {
    pub submitted_at: Option<DateTime<FixedOffset>>,
}

/// `GET /sent-referral/{id}`: the fields the end of a referral uses.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SentReferral {
    pub reference_number: String,
    pub relevant_sentence_id: Option<i64>,
    pub referral: Referral,
    pub sent_at: Option<DateTime<FixedOffset>>,
    pub end_requested_at: Option<DateTime<FixedOffset>>,
    pub concluded_at: Option<DateTime<FixedOffset>>,
    pub end_of_service_report: Option<EndOfServiceReport>,
    pub withdrawal_code: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndType {
    Cancelled,
    PrematurelyEnded,
    Completed,
}

impl EndType {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "CANCELLED" => Some(Self::Cancelled),
            "PREMATURELY_ENDED" => Some(Self::PrematurelyEnded),
            "COMPLETED" => Some(Self::Completed),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Cancelled => "CANCELLED",
            Self::PrematurelyEnded => "PREMATURELY_ENDED",
            Self::Completed => "COMPLETED",
        }
    }

    /// The NSI outcome code when no withdrawal reason is used.
    pub fn outcome_code(self) -> &'static str {
        match self {
            Self::Cancelled => "CRS01",
            Self::PrematurelyEnded => "CRS02",
            Self::Completed => "CRS03",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_3_5_delivery_states_and_default_outcomes() {
        assert_eq!(
            EndType::parse("CANCELLED").map(EndType::outcome_code),
            Some("CRS01")
        );
        assert_eq!(
            EndType::parse("PREMATURELY_ENDED").map(EndType::outcome_code),
            Some("CRS02")
        );
        assert_eq!(
            EndType::parse("COMPLETED").map(EndType::outcome_code),
            Some("CRS03")
        );
        assert_eq!(EndType::parse("cancelled"), None);
    }

    #[test]
    fn spec_3_5_sent_referral_fixture_and_aliases_parse() {
        let sent: SentReferral = serde_json::from_str(include_str!(
            "../../../tests/fixtures/simulations/referral-prematurely-ended.json"
        ))
        .unwrap();
        assert_eq!(sent.reference_number, "FE4536C");
        assert_eq!(sent.relevant_sentence_id, None);
        assert_eq!(sent.referral.service_provider.name, "Special Provider");
        assert!(sent.end_of_service_report.unwrap().submitted_at.is_some());
        let legacy: Referral =
            serde_json::from_str(r#"{"provider":{"name":"P"},"contractType":"C"}"#).unwrap();
        assert_eq!(
            (
                legacy.service_provider.name.as_str(),
                legacy.contract_type_name.as_str()
            ),
            ("P", "C")
        );
    }
}
