//! `publish`: sends an example message file to the topic, the way the upstream system would.

use std::path::Path;
use std::sync::OnceLock;

use anyhow::{bail, Context, Result};
use aws_sdk_sns::primitives::Blob;
use aws_sdk_sns::types::MessageAttributeValue;
use base64::Engine;
use regex::Regex;
use serde_json::{Map, Value};

use crate::aws::{sdk_error, Clients};
use crate::provision::{find_topic, sqs_subscriptions, subscription_attributes};
use crate::topology::{evaluate_filter_policy, FilterResult, Topology};

/// A message ready to publish: the inner payload text and its SNS message attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct OutgoingMessage {
    pub message: String,
    /// `(name, data type, value)`, in file order.
    pub attributes: Vec<(String, String, String)>,
}

impl OutgoingMessage {
    pub fn event_type(&self) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(name, _, _)| name == "eventType")
            .map(|(_, _, value)| value.as_str())
    }

    fn attribute_map(&self) -> Map<String, Value> {
        self.attributes
            .iter()
            .map(|(name, ty, value)| {
                (
                    name.clone(),
                    serde_json::json!({ "Type": ty, "Value": value }),
                )
            })
            .collect()
    }
}

fn placeholder_url() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // http://localhost:{wiremock.port}, http://localhost:{dev.wiremock.port}, http://localhost:${wiremock.port}
        Regex::new(r"https?://(?:localhost|127\.0\.0\.1):\$?\{[A-Za-z0-9_.\-]+\}")
            .expect("static regex")
    })
}

fn placeholder_port() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\$?\{(?:dev\.)?wiremock\.port\}").expect("static regex"))
}

/// Replaces `http://localhost:{wiremock.port}`-style placeholders (any `{...}` / `${...}` port placeholder on
/// localhost) with the simulator URL, then any remaining bare `{wiremock.port}` with the simulator's port.
pub fn substitute_placeholders(text: &str, simulator_url: &str) -> String {
    let base = simulator_url.trim_end_matches('/');
    let replaced = placeholder_url().replace_all(text, regex::NoExpand(base));
    let port = url::Url::parse(base)
        .ok()
        .and_then(|u| u.port_or_known_default())
        .map(|p| p.to_string());
    match port {
        Some(port) => placeholder_port()
            .replace_all(&replaced, regex::NoExpand(&port))
            .into_owned(),
        None => replaced.into_owned(),
    }
}

/// Reads an example file: an SNS Notification envelope whose `Message` is a JSON string (or, in legacy
/// examples, a JSON object), or a bare domain event (then `eventType` is taken from it).
pub fn parse_example(text: &str, simulator_url: &str) -> Result<OutgoingMessage> {
    let file: Value = serde_json::from_str(text).context("the file is not valid JSON")?;
    let Value::Object(envelope) = file else {
        bail!("expected a JSON object (an SNS Notification envelope)");
    };

    let (inner, mut attributes) = match envelope.get("Message") {
        Some(Value::String(s)) => (s.clone(), read_attributes(&envelope)?),
        Some(v @ (Value::Object(_) | Value::Array(_))) => {
            (v.to_string(), read_attributes(&envelope)?)
        }
        Some(other) => bail!("`Message` must be a JSON string or object, found {other}"),
        None => (Value::Object(envelope.clone()).to_string(), Vec::new()),
    };
    let message = substitute_placeholders(&inner, simulator_url);

    if !attributes.iter().any(|(name, _, _)| name == "eventType") {
        let from_body = serde_json::from_str::<Value>(&message)
            .ok()
            .and_then(|v| {
                v.get("eventType")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .context("no `eventType` message attribute and no `eventType` in the message body")?;
        attributes.insert(0, ("eventType".into(), "String".into(), from_body));
    }
    Ok(OutgoingMessage {
        message,
        attributes,
    })
}

fn read_attributes(envelope: &Map<String, Value>) -> Result<Vec<(String, String, String)>> {
    let Some(attrs) = envelope.get("MessageAttributes") else {
        return Ok(Vec::new());
    };
    let Value::Object(attrs) = attrs else {
        bail!("`MessageAttributes` must be an object");
    };
    let mut out = Vec::new();
    for (name, attr) in attrs {
        let (ty, value) = match attr {
            Value::String(s) => ("String".to_string(), s.clone()),
            Value::Object(o) => {
                let ty = o
                    .get("Type")
                    .or_else(|| o.get("DataType"))
                    .and_then(Value::as_str)
                    .unwrap_or("String")
                    .to_string();
                let value = match o.get("Value").or_else(|| o.get("StringValue")) {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Number(n)) => n.to_string(),
                    Some(Value::Bool(b)) => b.to_string(),
                    Some(Value::Array(a)) => Value::Array(a.clone()).to_string(),
                    _ => bail!("message attribute `{name}` has no `Value`"),
                };
                (ty, value)
            }
            other => bail!("message attribute `{name}` must be an object, found {other}"),
        };
        out.push((name.clone(), ty, value));
    }
    Ok(out)
}

pub async fn publish_files(
    clients: &Clients,
    topology: &Topology,
    files: &[std::path::PathBuf],
    simulator_url: &str,
) -> Result<()> {
    let topic_arn = find_topic(clients, &topology.topic)
        .await?
        .with_context(|| {
            format!(
                "topic {} does not exist: run `local-stack provision` first",
                topology.topic
            )
        })?;
    let policies = subscription_policies(clients, &topic_arn).await?;
    for file in files {
        publish_file(clients, &topic_arn, &policies, file, simulator_url)
            .await
            .with_context(|| format!("publishing {}", file.display()))?;
    }
    Ok(())
}

/// `(queue name, filter policy)` of every SQS subscription of the topic.
async fn subscription_policies(
    clients: &Clients,
    topic_arn: &str,
) -> Result<Vec<(String, Option<Value>)>> {
    let mut out = Vec::new();
    for (subscription_arn, queue_arn) in sqs_subscriptions(clients, topic_arn).await? {
        let attributes = subscription_attributes(clients, &subscription_arn).await?;
        let policy = attributes
            .get("FilterPolicy")
            .filter(|p| !p.trim().is_empty())
            .map(|p| serde_json::from_str::<Value>(p))
            .transpose()
            .with_context(|| format!("FilterPolicy of {subscription_arn} is not JSON"))?;
        let queue = queue_arn
            .rsplit(':')
            .next()
            .unwrap_or(&queue_arn)
            .to_string();
        out.push((queue, policy));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

async fn publish_file(
    clients: &Clients,
    topic_arn: &str,
    policies: &[(String, Option<Value>)],
    file: &Path,
    simulator_url: &str,
) -> Result<()> {
    let text = std::fs::read_to_string(file).context("reading the message file")?;
    let outgoing = parse_example(&text, simulator_url)?;
    if serde_json::from_str::<Value>(&outgoing.message).is_err() {
        eprintln!("warning: the message body is not JSON; publishing it as it is");
    }

    let mut request = clients
        .sns
        .publish()
        .topic_arn(topic_arn)
        .message(&outgoing.message);
    for (name, ty, value) in &outgoing.attributes {
        let builder = MessageAttributeValue::builder().data_type(ty);
        let builder = if ty.starts_with("Binary") {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(value)
                .with_context(|| format!("binary attribute `{name}` is not base64"))?;
            builder.binary_value(Blob::new(bytes))
        } else {
            builder.string_value(value)
        };
        let attribute = builder
            .build()
            .with_context(|| format!("building message attribute `{name}`"))?;
        request = request.message_attributes(name, attribute);
    }
    let out = request
        .send()
        .await
        .map_err(|e| sdk_error(e, &clients.endpoint))?;

    let event_type = outgoing.event_type().unwrap_or("?");
    println!(
        "published {}: MessageId {} eventType {}",
        file.display(),
        out.message_id().unwrap_or("?"),
        event_type
    );
    let attributes = outgoing.attribute_map();
    let mut accepted = 0;
    for (queue, policy) in policies {
        let result = match policy {
            None => FilterResult::Accepted,
            Some(policy) => evaluate_filter_policy(policy, &attributes),
        };
        match result {
            FilterResult::Accepted => {
                accepted += 1;
                println!("  -> {queue}");
            }
            FilterResult::Unknown => {
                println!("  ?  {queue} (filter policy uses operators this tool does not evaluate)")
            }
            FilterResult::Rejected => {}
        }
    }
    if accepted == 0 {
        println!("  (no subscription's filter policy accepts eventType {event_type})");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIM: &str = "http://127.0.0.1:8090";

    #[test]
    fn substitutes_every_placeholder_style() {
        for placeholder in ["{wiremock.port}", "{dev.wiremock.port}", "${wiremock.port}"] {
            let text =
                format!("{{\"detailUrl\":\"http://localhost:{placeholder}/api/handovers/A1\"}}");
            assert_eq!(
                substitute_placeholders(&text, SIM),
                r#"{"detailUrl":"http://127.0.0.1:8090/api/handovers/A1"}"#,
                "{placeholder}"
            );
        }
        // trailing slash on the simulator URL, and a bare port placeholder elsewhere
        assert_eq!(
            substitute_placeholders(
                "http://localhost:{wiremock.port}/x port={wiremock.port}",
                "http://sim:9000/"
            ),
            "http://sim:9000/x port=9000"
        );
        // nothing to replace
        assert_eq!(
            substitute_placeholders("https://example.org/a", SIM),
            "https://example.org/a"
        );
    }

    #[test]
    fn parses_envelope_with_string_message() {
        let file = r#"{
          "Type": "Notification",
          "Message": "{\"eventType\":\"person.alert.created\",\"detailUrl\":\"http://localhost:{wiremock.port}/alerts/1\"}",
          "MessageAttributes": {"eventType": {"Type": "String", "Value": "person.alert.updated"}}
        }"#;
        let m = parse_example(file, SIM).expect("parses");
        assert_eq!(
            m.message,
            r#"{"eventType":"person.alert.created","detailUrl":"http://127.0.0.1:8090/alerts/1"}"#
        );
        // the attribute wins over the body
        assert_eq!(m.event_type(), Some("person.alert.updated"));
    }

    #[test]
    fn parses_legacy_envelope_with_object_message_and_custom_types() {
        let file = r#"{
          "Message": {"eventType": "NEG", "caseNoteId": 1111},
          "MessageAttributes": {
            "eventType": {"Type": "String", "Value": "KA-KE"},
            "timestamp": {"Type": "Number.java.lang.Long", "Value": "1571666478344"}
          }
        }"#;
        let m = parse_example(file, SIM).expect("parses");
        let body: Value = serde_json::from_str(&m.message).expect("inner JSON");
        assert_eq!(body["caseNoteId"], 1111);
        assert_eq!(m.event_type(), Some("KA-KE"));
        assert!(m.attributes.contains(&(
            "timestamp".into(),
            "Number.java.lang.Long".into(),
            "1571666478344".into()
        )));
    }

    #[test]
    fn takes_event_type_from_body_when_no_attribute() {
        let file = r#"{"Message": "{\"eventType\":\"a.b\"}"}"#;
        assert_eq!(
            parse_example(file, SIM).expect("parses").event_type(),
            Some("a.b")
        );
        let bare = r#"{"eventType": "x.y", "version": 1}"#;
        let m = parse_example(bare, SIM).expect("parses");
        assert_eq!(m.event_type(), Some("x.y"));
    }

    #[test]
    fn rejects_malformed_files_with_a_reason() {
        assert!(parse_example("not json", SIM).is_err());
        assert!(parse_example("[1,2]", SIM).is_err());
        assert!(parse_example(r#"{"Message": 42}"#, SIM).is_err());
        let err = parse_example(r#"{"Message": "{}"}"#, SIM).expect_err("no event type");
        assert!(format!("{err:#}").contains("eventType"));
    }

    #[test]
    fn every_bundled_example_message_parses() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("messages");
        let mut count = 0;
        for service in std::fs::read_dir(root).expect("messages dir").flatten() {
            for file in std::fs::read_dir(service.path())
                .expect("service dir")
                .flatten()
            {
                count += 1;
                let text = std::fs::read_to_string(file.path()).expect("readable");
                let m = parse_example(&text, SIM)
                    .unwrap_or_else(|e| panic!("{}: {e:#}", file.path().display()));
                assert!(
                    !m.message.contains("wiremock.port"),
                    "{}",
                    file.path().display()
                );
                assert!(m.event_type().is_some());
            }
        }
        assert!(count > 50, "expected the example messages, found {count}");
    }
}
