//! W3C trace context (`traceparent`, `tracestate`) carried in SNS message attributes.

use std::collections::BTreeMap;

use opentelemetry::propagation::{Extractor, Injector, TextMapPropagator};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use tracing_opentelemetry::OpenTelemetrySpanExt;

use crate::envelope::MessageAttribute;

struct AttributesReader<'a>(&'a BTreeMap<String, MessageAttribute>);

impl Extractor for AttributesReader<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(|a| a.value.as_str())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(String::as_str).collect()
    }
}

struct AttributesWriter<'a>(&'a mut BTreeMap<String, MessageAttribute>);

impl Injector for AttributesWriter<'_> {
    fn set(&mut self, key: &str, value: String) {
        // SNS rejects empty attribute values, and an empty `tracestate` is the common case.
        if !value.is_empty() {
            self.0
                .insert(key.to_owned(), MessageAttribute::string(value));
        }
    }
}

/// The remote parent context named by the attributes (empty when there is none).
pub fn extract(attributes: &BTreeMap<String, MessageAttribute>) -> opentelemetry::Context {
    TraceContextPropagator::new().extract(&AttributesReader(attributes))
}

/// Makes `span` a child of the trace the message came from.
pub fn adopt_parent(span: &tracing::Span, attributes: &BTreeMap<String, MessageAttribute>) {
    if attributes.contains_key("traceparent") {
        span.set_parent(extract(attributes));
    }
}

/// Writes the current span's context into `attributes` (nothing when tracing is not exported).
pub fn inject_current(attributes: &mut BTreeMap<String, MessageAttribute>) {
    let context = tracing::Span::current().context();
    TraceContextPropagator::new().inject_context(&context, &mut AttributesWriter(attributes));
}

/// The current span's context as HTTP headers for outbound calls.
pub fn current_headers() -> Vec<(String, String)> {
    let mut attributes = BTreeMap::new();
    inject_current(&mut attributes);
    attributes.into_iter().map(|(k, v)| (k, v.value)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use opentelemetry::trace::TraceContextExt;

    #[test]
    fn extracts_remote_parent() {
        let attrs = BTreeMap::from([(
            "traceparent".to_owned(),
            MessageAttribute::string("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
        )]);
        let cx = extract(&attrs);
        assert_eq!(
            cx.span().span_context().trace_id().to_string(),
            "4bf92f3577b34da6a3ce929d0e0e4736"
        );
    }

    #[test]
    fn injects_nothing_without_an_exported_span() {
        let mut attrs = BTreeMap::new();
        inject_current(&mut attrs);
        assert!(attrs.is_empty());
    }
}
