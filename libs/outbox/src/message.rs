//! Turning one `domain_event` row into the notification published for it, and finding the CRN
//! the row's ordering is kept by.

use std::collections::BTreeMap;

use messaging::{MessageAttribute, Notification};
use serde_json::Value;

/// The notification for a row: `message_body` as the SNS message, unchanged, and
/// `message_attributes` as its attributes.
///
/// `message_attributes` is normally `{"eventType": "…"}`; values may also be SNS-style
/// `{"Type": "String", "Value": "…"}` (or `DataType`/`StringValue`), and other JSON scalars are
/// sent as their text. When the text is not a JSON object, or has no `eventType`, the event type
/// comes from the row's `domain_event_type_id` code (`type_code`), because subscribers' filter
/// policies route on `eventType` and a message without it would reach nobody.
pub fn notification(body: &str, attributes: &str, type_code: Option<&str>) -> Notification {
    let mut parsed: BTreeMap<String, MessageAttribute> = BTreeMap::new();
    match serde_json::from_str::<Value>(attributes) {
        Ok(Value::Object(map)) => {
            for (name, value) in map {
                if let Some(attribute) = attribute(value) {
                    parsed.insert(name, attribute);
                }
            }
        }
        _ => tracing::warn!(
            attributes,
            "domain_event.message_attributes is not a JSON object; publishing with eventType only"
        ),
    }
    if !parsed.contains_key("eventType") {
        if let Some(code) = type_code {
            parsed.insert("eventType".to_owned(), MessageAttribute::string(code));
        }
    }
    Notification {
        message: body.to_owned(),
        attributes: parsed,
        message_id: None,
    }
}

fn attribute(value: Value) -> Option<MessageAttribute> {
    match value {
        Value::String(s) => Some(MessageAttribute::string(s)),
        Value::Number(n) => Some(MessageAttribute {
            data_type: "Number".to_owned(),
            value: n.to_string(),
        }),
        Value::Bool(b) => Some(MessageAttribute::string(b.to_string())),
        Value::Object(map) => {
            let text = |keys: &[&str]| {
                keys.iter()
                    .find_map(|k| map.get(*k).and_then(Value::as_str).map(str::to_owned))
            };
            let value = text(&["Value", "StringValue"])?;
            let data_type = text(&["Type", "DataType"]).unwrap_or_else(|| "String".to_owned());
            Some(MessageAttribute { data_type, value })
        }
        Value::Null | Value::Array(_) => None,
    }
}

/// The CRN in the body's `personReference.identifiers`, if the body is a domain event that names
/// one. Rows without one are published without an ordering constraint.
pub fn crn(body: &str) -> Option<String> {
    let event: Value = serde_json::from_str(body).ok()?;
    event
        .pointer("/personReference/identifiers")?
        .as_array()?
        .iter()
        .find(|id| id.get("type").and_then(Value::as_str) == Some("CRN"))?
        .get("value")?
        .as_str()
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_attributes_become_string_attributes() {
        let n = notification(
            r#"{"eventType":"a.b"}"#,
            r#"{"eventType":"a.b","source":"delius"}"#,
            Some("ignored.code"),
        );
        assert_eq!(n.message, r#"{"eventType":"a.b"}"#);
        assert_eq!(n.attributes["eventType"], MessageAttribute::string("a.b"));
        assert_eq!(n.attributes["source"], MessageAttribute::string("delius"));
    }

    #[test]
    fn sns_style_attributes_keep_their_type() {
        let n = notification(
            "{}",
            r#"{"eventType":{"Type":"String","Value":"a.b"},"n":{"DataType":"Number","StringValue":"3"},"count":4}"#,
            None,
        );
        assert_eq!(n.event_type(), Some("a.b"));
        assert_eq!(n.attributes["n"].data_type, "Number");
        assert_eq!(n.attributes["n"].value, "3");
        assert_eq!(n.attributes["count"].data_type, "Number");
        assert_eq!(n.attributes["count"].value, "4");
    }

    #[test]
    fn event_type_falls_back_to_the_type_code() {
        let n = notification("{}", "not json", Some("probation-case.x"));
        assert_eq!(n.event_type(), Some("probation-case.x"));
        assert_eq!(n.attributes.len(), 1);
        let n = notification("{}", r#"{"other":"1"}"#, Some("probation-case.x"));
        assert_eq!(n.event_type(), Some("probation-case.x"));
    }

    #[test]
    fn crn_is_read_from_the_person_reference() {
        let body = r#"{"personReference":{"identifiers":[{"type":"NOMS","value":"A1"},{"type":"CRN","value":"X000001"}]}}"#;
        assert_eq!(crn(body).as_deref(), Some("X000001"));
        assert_eq!(crn(r#"{"personReference":{"identifiers":[]}}"#), None);
        assert_eq!(crn("not json"), None);
    }
}
