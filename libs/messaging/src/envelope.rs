//! The SNS `Notification` envelope that SQS delivers when raw message delivery is off.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// One SNS message attribute, `{"Type": "String", "Value": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageAttribute {
    #[serde(rename = "Type")]
    pub data_type: String,
    #[serde(rename = "Value")]
    pub value: String,
}

impl MessageAttribute {
    pub fn string(value: impl Into<String>) -> Self {
        Self {
            data_type: "String".to_owned(),
            value: value.into(),
        }
    }
}

/// A parsed notification: the payload JSON text plus its attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    /// The payload (domain event or prison offender event) as JSON text.
    pub message: String,
    pub attributes: BTreeMap<String, MessageAttribute>,
    pub message_id: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum EnvelopeError {
    #[error("message body is not an SNS notification: {0}")]
    NotAnEnvelope(#[source] serde_json::Error),
    #[error("SNS notification has no Message")]
    MissingMessage,
    #[error("payload of the notification is not valid JSON: {0}")]
    MalformedPayload(#[source] serde_json::Error),
}

#[derive(Deserialize)]
struct RawEnvelope<'a> {
    #[serde(rename = "Message", borrow)]
    message: Option<&'a RawValue>,
    #[serde(rename = "MessageAttributes", default)]
    attributes: BTreeMap<String, MessageAttribute>,
    #[serde(rename = "MessageId")]
    message_id: Option<String>,
}

#[derive(Serialize)]
struct EnvelopeOut<'a> {
    #[serde(rename = "Type")]
    kind: &'static str,
    #[serde(rename = "MessageId")]
    message_id: &'a str,
    #[serde(rename = "Message")]
    message: &'a str,
    #[serde(rename = "MessageAttributes")]
    attributes: &'a BTreeMap<String, MessageAttribute>,
}

impl Notification {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            attributes: BTreeMap::new(),
            message_id: None,
        }
    }

    /// A notification whose payload is `payload` serialised, with the `eventType` attribute set.
    pub fn for_event<T: Serialize>(event_type: &str, payload: &T) -> serde_json::Result<Self> {
        Ok(Self::new(serde_json::to_string(payload)?).with_attribute("eventType", event_type))
    }

    pub fn with_attribute(mut self, name: &str, value: impl Into<String>) -> Self {
        self.attributes
            .insert(name.to_owned(), MessageAttribute::string(value));
        self
    }

    /// Parses an SQS body holding an SNS notification. `Message` is normally a JSON string; some
    /// older producers put the payload object in directly, which is accepted too.
    pub fn parse(body: &str) -> Result<Self, EnvelopeError> {
        let raw: RawEnvelope = serde_json::from_str(body).map_err(EnvelopeError::NotAnEnvelope)?;
        let message = raw.message.ok_or(EnvelopeError::MissingMessage)?;
        let text = match serde_json::from_str::<String>(message.get()) {
            Ok(inner) => inner,
            Err(_) => message.get().to_owned(),
        };
        serde_json::from_str::<serde::de::IgnoredAny>(&text)
            .map_err(EnvelopeError::MalformedPayload)?;
        Ok(Self {
            message: text,
            attributes: raw.attributes,
            message_id: raw.message_id,
        })
    }

    /// The SNS envelope JSON, as SQS would deliver it.
    pub fn to_envelope(&self) -> String {
        let id = self
            .message_id
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let out = EnvelopeOut {
            kind: "Notification",
            message_id: &id,
            message: &self.message,
            attributes: &self.attributes,
        };
        // Serialising strings and a string map cannot fail.
        serde_json::to_string(&out).unwrap_or_default()
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).map(|a| a.value.as_str())
    }

    /// The `eventType` attribute that routing uses.
    pub fn event_type(&self) -> Option<&str> {
        self.attribute("eventType")
    }

    pub fn payload<T: serde::de::DeserializeOwned>(&self) -> serde_json::Result<T> {
        serde_json::from_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_string_message_and_attributes() {
        let body = r#"{"Type":"Notification","MessageId":"m1","TopicArn":"x","Message":"{\"eventType\":\"a.b\",\"version\":1}","MessageAttributes":{"eventType":{"Type":"String","Value":"a.b"}},"Unknown":1}"#;
        let n = Notification::parse(body).unwrap();
        assert_eq!(n.event_type(), Some("a.b"));
        assert_eq!(n.message, r#"{"eventType":"a.b","version":1}"#);
        assert_eq!(n.message_id.as_deref(), Some("m1"));
    }

    #[test]
    fn accepts_object_message_from_legacy_producers() {
        let body = r#"{"Message":{"eventType":"KA-KE","caseNoteId":1},"MessageAttributes":{"eventType":{"Type":"String","Value":"KA-KE"},"timestamp":{"Type":"Number.java.lang.Long","Value":"1"}}}"#;
        let n = Notification::parse(body).unwrap();
        let v: serde_json::Value = n.payload().unwrap();
        assert_eq!(v["caseNoteId"], 1);
        assert_eq!(n.attribute("timestamp"), Some("1"));
    }

    #[test]
    fn rejects_bodies_that_are_not_notifications() {
        assert!(matches!(
            Notification::parse("not json"),
            Err(EnvelopeError::NotAnEnvelope(_))
        ));
        assert!(matches!(
            Notification::parse("{}"),
            Err(EnvelopeError::MissingMessage)
        ));
        assert!(matches!(
            Notification::parse(r#"{"Message":"{oops"}"#),
            Err(EnvelopeError::MalformedPayload(_))
        ));
    }

    #[test]
    fn envelope_round_trips() {
        let n = Notification::new(r#"{"a":1}"#).with_attribute("eventType", "x.y");
        let back = Notification::parse(&n.to_envelope()).unwrap();
        assert_eq!(back.message, n.message);
        assert_eq!(back.attributes, n.attributes);
    }
}
