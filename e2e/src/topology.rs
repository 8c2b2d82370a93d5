//! `crates/local-stack/topology.json`, read independently of `local-stack` so the tests check the
//! emulator's behaviour against the file rather than against the tool's own reading of it.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Topology {
    pub topic: String,
    pub services: Vec<Service>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    pub name: String,
    pub port: u16,
    pub delius_username: String,
    /// Defaults to `<name>-queue`.
    #[serde(default)]
    pub queue: Option<String>,
    /// Defaults to `<name>-dlq`.
    #[serde(default)]
    pub dlq: Option<String>,
    pub event_types: Vec<EventTypeFilter>,
}

/// One entry of the `eventType` filter policy.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum EventTypeFilter {
    Exact(String),
    Prefix { prefix: String },
}

impl Topology {
    pub fn load() -> Self {
        let path = crate::local_stack_path("topology.json");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
    }

    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }

    /// Names of the queues whose filter policy accepts a message with this `eventType` attribute.
    pub fn queues_accepting(&self, event_type: &str) -> Vec<String> {
        self.services
            .iter()
            .filter(|s| s.accepts(event_type))
            .map(Service::queue)
            .collect()
    }
}

impl Service {
    pub fn queue(&self) -> String {
        self.queue
            .clone()
            .unwrap_or_else(|| format!("{}-queue", self.name))
    }

    pub fn dlq(&self) -> String {
        self.dlq
            .clone()
            .unwrap_or_else(|| format!("{}-dlq", self.name))
    }

    /// SNS filter semantics for a string attribute: any exact value, or any prefix.
    pub fn accepts(&self, event_type: &str) -> bool {
        self.event_types.iter().any(|filter| match filter {
            EventTypeFilter::Exact(value) => value == event_type,
            EventTypeFilter::Prefix { prefix } => event_type.starts_with(prefix.as_str()),
        })
    }
}
