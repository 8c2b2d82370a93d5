//! `topology.json`: the topic, the per-service queues and their event-type filters, ports, Delius users and
//! upstream base URLs. It is the single description of the local stack that `provision`, `publish`, `queues`
//! and `simulate` share.

use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Topology {
    /// SNS topic every queue subscribes to.
    pub topic: String,
    #[serde(default = "default_region")]
    pub region: String,
    /// Receives before a message moves to the dead-letter queue.
    #[serde(default = "default_max_receive_count")]
    pub max_receive_count: u32,
    #[serde(default)]
    pub hmpps_auth: Option<Value>,
    pub services: Vec<Service>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Service {
    pub name: String,
    /// Local HTTP port of the service.
    pub port: u16,
    /// `user_.distinguished_name` of the service's Delius user.
    pub delius_username: String,
    /// Defaults to `<name>-queue`.
    #[serde(default)]
    pub queue: Option<String>,
    /// Defaults to `<name>-dlq`.
    #[serde(default)]
    pub dlq: Option<String>,
    #[serde(default = "default_visibility_timeout")]
    pub visibility_timeout_seconds: u32,
    pub event_types: Vec<EventTypeFilter>,
    #[serde(default)]
    pub upstreams: Vec<Upstream>,
}

/// One entry of an SNS filter policy on `eventType`: an exact string or `{"prefix": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum EventTypeFilter {
    Exact(String),
    Prefix { prefix: String },
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Upstream {
    pub name: String,
    /// Environment variable the service reads the base URL from.
    pub env: String,
    /// Base URL: the simulator plus a per-upstream path prefix.
    pub url: String,
}

fn default_region() -> String {
    "eu-west-2".to_string()
}

fn default_max_receive_count() -> u32 {
    3
}

fn default_visibility_timeout() -> u32 {
    30
}

impl Topology {
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading topology file {}", path.display()))?;
        let topology: Topology = serde_json::from_str(&text)
            .with_context(|| format!("parsing topology file {}", path.display()))?;
        topology
            .validate()
            .with_context(|| format!("invalid topology file {}", path.display()))?;
        Ok(topology)
    }

    fn validate(&self) -> Result<()> {
        if self.services.is_empty() {
            bail!("no services defined");
        }
        let mut names = std::collections::BTreeSet::new();
        for service in &self.services {
            if !names.insert(service.name.as_str()) {
                bail!("service {} is defined twice", service.name);
            }
            if service.event_types.is_empty() {
                bail!("service {} has no event types", service.name);
            }
            if service.visibility_timeout_seconds > 43_200 {
                bail!(
                    "service {}: visibilityTimeoutSeconds must be at most 43200",
                    service.name
                );
            }
            for upstream in &service.upstreams {
                url::Url::parse(&upstream.url).with_context(|| {
                    format!(
                        "service {}: upstream {} has an invalid url {}",
                        service.name, upstream.name, upstream.url
                    )
                })?;
            }
        }
        Ok(())
    }

    /// Path prefixes of every upstream base URL (e.g. `/prison-api`), used by the simulator to serve the same
    /// mappings with or without the prefix.
    pub fn upstream_prefixes(&self) -> Vec<String> {
        let mut prefixes: Vec<String> = self
            .services
            .iter()
            .flat_map(|s| s.upstreams.iter())
            .filter_map(|u| url::Url::parse(&u.url).ok())
            .map(|u| u.path().trim_end_matches('/').to_string())
            .filter(|p| !p.is_empty())
            .collect();
        prefixes.sort();
        prefixes.dedup();
        prefixes
    }
}

impl Service {
    pub fn queue_name(&self) -> String {
        self.queue
            .clone()
            .unwrap_or_else(|| format!("{}-queue", self.name))
    }

    pub fn dlq_name(&self) -> String {
        self.dlq
            .clone()
            .unwrap_or_else(|| format!("{}-dlq", self.name))
    }

    /// The SNS subscription filter policy: `{"eventType": ["a.b", {"prefix": "OMIC"}]}`. With
    /// `exact_only`, prefix entries are left out (for emulators without prefix matching).
    pub fn filter_policy(&self, exact_only: bool) -> Value {
        let values: Vec<Value> = self
            .event_types
            .iter()
            .filter_map(|f| match f {
                EventTypeFilter::Exact(s) => Some(Value::String(s.clone())),
                EventTypeFilter::Prefix { prefix } if !exact_only => {
                    Some(json!({ "prefix": prefix }))
                }
                EventTypeFilter::Prefix { .. } => None,
            })
            .collect();
        json!({ "eventType": values })
    }
}

/// Outcome of evaluating a filter policy locally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterResult {
    Accepted,
    Rejected,
    /// The policy uses an operator this tool does not evaluate.
    Unknown,
}

/// Evaluates an SNS (MessageAttributes-scoped) filter policy against string message attributes.
/// Supports exact strings, `prefix`, `suffix`, `equals-ignore-case`, `anything-but` (string or list of strings)
/// and `exists`. Every key of the policy must match (AND); the values of one key are alternatives (OR).
pub fn evaluate_filter_policy(policy: &Value, attributes: &Map<String, Value>) -> FilterResult {
    let Some(policy) = policy.as_object() else {
        return FilterResult::Unknown;
    };
    let mut unknown = false;
    for (key, conditions) in policy {
        let value = attributes.get(key).and_then(attribute_string);
        let conditions: Vec<&Value> = match conditions {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        let mut key_matched = false;
        for condition in conditions {
            match condition_matches(condition, value.as_deref()) {
                Some(true) => {
                    key_matched = true;
                    break;
                }
                Some(false) => {}
                None => unknown = true,
            }
        }
        if !key_matched {
            return if unknown {
                FilterResult::Unknown
            } else {
                FilterResult::Rejected
            };
        }
    }
    FilterResult::Accepted
}

/// Accepts either a plain string value or an SNS attribute object `{"Type": "String", "Value": "..."}`.
fn attribute_string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o
            .get("Value")
            .or_else(|| o.get("StringValue"))
            .and_then(Value::as_str)
            .map(str::to_string),
        _ => None,
    }
}

fn condition_matches(condition: &Value, value: Option<&str>) -> Option<bool> {
    match condition {
        Value::String(expected) => Some(value == Some(expected.as_str())),
        Value::Object(op) if op.len() == 1 => {
            let (name, arg) = op.iter().next()?;
            match (name.as_str(), arg) {
                ("prefix", Value::String(p)) => Some(value.is_some_and(|v| v.starts_with(p))),
                ("suffix", Value::String(s)) => Some(value.is_some_and(|v| v.ends_with(s))),
                ("equals-ignore-case", Value::String(s)) => {
                    Some(value.is_some_and(|v| v.eq_ignore_ascii_case(s)))
                }
                ("exists", Value::Bool(b)) => Some(value.is_some() == *b),
                ("anything-but", Value::String(s)) => Some(value.is_some_and(|v| v != s)),
                ("anything-but", Value::Array(items)) => {
                    let mut excluded = Vec::new();
                    for item in items {
                        excluded.push(item.as_str()?);
                    }
                    Some(value.is_some_and(|v| !excluded.contains(&v)))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(event_type: &str) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert(
            "eventType".into(),
            json!({"Type": "String", "Value": event_type}),
        );
        m
    }

    #[test]
    fn bundled_topology_is_valid_and_complete() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("topology.json");
        let topology = Topology::load(&path).expect("bundled topology loads");
        let names: Vec<&str> = topology.services.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "prison-case-notes-to-probation",
                "prison-custody-status-to-delius",
                "manage-pom-cases-and-delius",
                "workforce-allocations-to-delius",
                "refer-and-monitor-and-delius"
            ]
        );
        let ports: Vec<u16> = topology.services.iter().map(|s| s.port).collect();
        assert_eq!(ports, [8081, 8082, 8083, 8084, 8085]);
        assert!(topology
            .upstream_prefixes()
            .contains(&"/prison-api".to_string()));
    }

    #[test]
    fn filter_policy_has_exact_and_prefix_entries() {
        let service = Service {
            name: "svc".into(),
            port: 1,
            delius_username: "u".into(),
            queue: None,
            dlq: None,
            visibility_timeout_seconds: 30,
            event_types: vec![
                EventTypeFilter::Exact("a.b".into()),
                EventTypeFilter::Prefix {
                    prefix: "OMIC".into(),
                },
            ],
            upstreams: vec![],
        };
        assert_eq!(
            service.filter_policy(false),
            json!({"eventType": ["a.b", {"prefix": "OMIC"}]})
        );
        assert_eq!(service.filter_policy(true), json!({"eventType": ["a.b"]}));
        assert_eq!(service.queue_name(), "svc-queue");
        assert_eq!(service.dlq_name(), "svc-dlq");
    }

    #[test]
    fn evaluates_exact_and_prefix_conditions() {
        let policy = json!({"eventType": ["a.b", {"prefix": "OMIC"}]});
        assert_eq!(
            evaluate_filter_policy(&policy, &attrs("a.b")),
            FilterResult::Accepted
        );
        assert_eq!(
            evaluate_filter_policy(&policy, &attrs("OMIC_OPD")),
            FilterResult::Accepted
        );
        assert_eq!(
            evaluate_filter_policy(&policy, &attrs("a.b.c")),
            FilterResult::Rejected
        );
        assert_eq!(
            evaluate_filter_policy(&policy, &Map::new()),
            FilterResult::Rejected
        );
        let odd = json!({"eventType": [{"numeric": [">", 1]}]});
        assert_eq!(
            evaluate_filter_policy(&odd, &attrs("x")),
            FilterResult::Unknown
        );
        let anything_but = json!({"eventType": [{"anything-but": ["x", "y"]}]});
        assert_eq!(
            evaluate_filter_policy(&anything_but, &attrs("z")),
            FilterResult::Accepted
        );
        assert_eq!(
            evaluate_filter_policy(&anything_but, &attrs("x")),
            FilterResult::Rejected
        );
    }
}
