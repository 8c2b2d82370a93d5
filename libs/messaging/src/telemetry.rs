//! Telemetry events (`NotificationReceived`, `CaseNoteMerged`, ignore reasons...) as structured
//! `tracing` events, optionally recorded in memory so tests can assert on them.

use std::sync::{Arc, Mutex};

use crate::outcome::Properties;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TelemetryEvent {
    pub name: String,
    pub properties: Properties,
}

/// Cheap to clone; every clone records into the same sink.
#[derive(Debug, Clone, Default)]
pub struct Telemetry {
    recorded: Option<Arc<Mutex<Vec<TelemetryEvent>>>>,
}

impl Telemetry {
    /// Logs events only.
    pub fn new() -> Self {
        Self::default()
    }

    /// Logs events and keeps them for [`Telemetry::events`] (tests, local tooling).
    pub fn recording() -> Self {
        Self {
            recorded: Some(Arc::default()),
        }
    }

    pub fn track(&self, name: &str, properties: &Properties) {
        // Serialising the properties costs more than the rest of the consumer's work per
        // message; skip it when the telemetry log line is filtered out.
        if tracing::enabled!(target: "telemetry", tracing::Level::INFO) {
            let props = serde_json_map(properties);
            tracing::info!(target: "telemetry", event = name, properties = %props, "{name}");
        }
        if let Some(sink) = &self.recorded {
            if let Ok(mut events) = sink.lock() {
                events.push(TelemetryEvent {
                    name: name.to_owned(),
                    properties: properties.clone(),
                });
            }
        }
    }

    /// Everything recorded so far (empty unless created with [`Telemetry::recording`]).
    pub fn events(&self) -> Vec<TelemetryEvent> {
        self.recorded
            .as_ref()
            .and_then(|sink| sink.lock().ok().map(|e| e.clone()))
            .unwrap_or_default()
    }

    /// Recorded events with this name.
    pub fn named(&self, name: &str) -> Vec<TelemetryEvent> {
        self.events()
            .into_iter()
            .filter(|e| e.name == name)
            .collect()
    }

    pub fn clear(&self) {
        if let Some(sink) = &self.recorded {
            if let Ok(mut events) = sink.lock() {
                events.clear();
            }
        }
    }
}

fn serde_json_map(properties: &Properties) -> String {
    serde_json::to_string(properties).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_events_in_order() {
        let t = Telemetry::recording();
        let clone = t.clone();
        clone.track("A", &Properties::from([("k".into(), "v".into())]));
        t.track("B", &Properties::new());
        assert_eq!(
            t.events()
                .iter()
                .map(|e| e.name.as_str())
                .collect::<Vec<_>>(),
            ["A", "B"]
        );
        assert_eq!(t.named("A")[0].properties["k"], "v");
        assert!(Telemetry::new().events().is_empty());
    }
}
