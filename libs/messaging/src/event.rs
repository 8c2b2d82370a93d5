//! Payloads carried inside the SNS envelope.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// An HMPPS domain event (`eventType`, `version`, `detailUrl`, `occurredAt`, `personReference`...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HmppsDomainEvent {
    pub event_type: String,
    #[serde(default = "default_version")]
    pub version: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurred_at: Option<DateTime<FixedOffset>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub additional_information: Map<String, Value>,
    #[serde(default, skip_serializing_if = "PersonReference::is_empty")]
    pub person_reference: PersonReference,
}

fn default_version() -> i32 {
    1
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonReference {
    #[serde(default)]
    pub identifiers: Vec<PersonIdentifier>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonIdentifier {
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
}

impl PersonReference {
    pub fn is_empty(&self) -> bool {
        self.identifiers.is_empty()
    }

    pub fn find(&self, kind: &str) -> Option<&str> {
        self.identifiers
            .iter()
            .find(|i| i.kind == kind)
            .map(|i| i.value.as_str())
    }
}

impl HmppsDomainEvent {
    pub fn new(event_type: impl Into<String>) -> Self {
        Self {
            event_type: event_type.into(),
            version: 1,
            detail_url: None,
            occurred_at: Some(chrono::Utc::now().fixed_offset()),
            description: None,
            additional_information: Map::new(),
            person_reference: PersonReference::default(),
        }
    }

    pub fn with_identifier(mut self, kind: &str, value: impl Into<String>) -> Self {
        self.person_reference.identifiers.push(PersonIdentifier {
            kind: kind.to_owned(),
            value: value.into(),
        });
        self
    }

    pub fn with_info(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.additional_information
            .insert(key.to_owned(), value.into());
        self
    }

    pub fn crn(&self) -> Option<&str> {
        self.person_reference.find("CRN")
    }

    pub fn noms_number(&self) -> Option<&str> {
        self.person_reference.find("NOMS")
    }

    /// A string entry of `additionalInformation`.
    pub fn info_str(&self, key: &str) -> Option<&str> {
        self.additional_information.get(key).and_then(Value::as_str)
    }
}

/// The legacy, flat prison "offender event" that older NOMIS producers publish (case notes, alerts).
/// Only the fields the services read are named; everything else is kept in `other`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrisonOffenderEvent {
    #[serde(default)]
    pub event_type: Option<String>,
    #[serde(default)]
    pub event_datetime: Option<String>,
    #[serde(default)]
    pub offender_id_display: Option<String>,
    #[serde(default)]
    pub booking_id: Option<i64>,
    #[serde(default, deserialize_with = "string_or_number")]
    pub case_note_id: Option<String>,
    #[serde(default)]
    pub agency_location_id: Option<String>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// Case-note ids arrive as numbers from NOMIS and as strings from newer producers.
fn string_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::Null) | None => None,
        Some(other) => {
            return Err(serde::de::Error::custom(format!(
                "expected a string or number, found {other}"
            )))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_identifiers_and_additional_information() {
        let e: HmppsDomainEvent = serde_json::from_str(
            r#"{"eventType":"prison-offender-events.prisoner.released","version":1,"occurredAt":"2024-01-02T10:00:00Z",
               "additionalInformation":{"prisonId":"MDI","reason":"RELEASED"},
               "personReference":{"identifiers":[{"type":"NOMS","value":"A0001AA"},{"type":"CRN","value":"X000001"}]}}"#,
        )
        .unwrap();
        assert_eq!(e.noms_number(), Some("A0001AA"));
        assert_eq!(e.crn(), Some("X000001"));
        assert_eq!(e.info_str("prisonId"), Some("MDI"));
        assert_eq!(e.detail_url, None);
    }

    #[test]
    fn omits_nulls_when_written() {
        let json = serde_json::to_value(HmppsDomainEvent {
            occurred_at: None,
            ..HmppsDomainEvent::new("a.b")
        })
        .unwrap();
        assert_eq!(json, serde_json::json!({"eventType": "a.b", "version": 1}));
    }

    #[test]
    fn legacy_event_accepts_numeric_case_note_ids() {
        let e: PrisonOffenderEvent = serde_json::from_str(
            r#"{"eventType":"KA-KE","offenderIdDisplay":"GA52214","caseNoteId":1111,"rootOffenderId":2419065}"#,
        )
        .unwrap();
        assert_eq!(e.case_note_id.as_deref(), Some("1111"));
        assert_eq!(e.other["rootOffenderId"], 2419065);
    }
}
