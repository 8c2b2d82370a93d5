//! Logs (`tracing`: JSON when deployed, human-readable locally), OpenTelemetry traces over OTLP
//! when `OTEL_EXPORTER_OTLP_ENDPOINT` is set, and the Prometheus metrics recorder.

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use opentelemetry::trace::TracerProvider as _;
use opentelemetry::KeyValue;
use opentelemetry_otlp::WithExportConfig;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::TracerProvider;
use opentelemetry_sdk::Resource;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::settings::{LogFormat, ServiceInfo};

/// Flushes buffered spans when dropped at shutdown.
pub struct TracingGuard {
    provider: Option<TracerProvider>,
}

impl Drop for TracingGuard {
    fn drop(&mut self) {
        let Some(provider) = self.provider.take() else {
            return;
        };
        let shutdown = move || {
            if let Err(error) = provider.shutdown() {
                eprintln!("could not flush traces: {error}");
            }
        };
        // `shutdown` blocks this thread until the batch task, which runs on the Tokio runtime,
        // has exported the last spans. On a multi-threaded runtime's worker (the guard dropped in
        // a spawned task; with one CPU there is one worker) that task could never run, so the
        // worker's other tasks are handed to another thread first. A current-thread runtime has
        // no other thread: the flush is left to run as long as the runtime does, rather than
        // hanging shutdown until the pod is killed.
        match tokio::runtime::Handle::try_current().map(|handle| handle.runtime_flavor()) {
            Ok(tokio::runtime::RuntimeFlavor::MultiThread) => tokio::task::block_in_place(shutdown),
            Ok(_) => drop(std::thread::spawn(shutdown)),
            Err(_) => shutdown(),
        }
    }
}

/// Installs the global subscriber. `RUST_LOG` filters (default `info`).
pub fn init_tracing(
    service: &ServiceInfo,
    format: LogFormat,
    otlp_endpoint: Option<&str>,
) -> anyhow::Result<TracingGuard> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let fmt_layer = match format {
        LogFormat::Json => tracing_subscriber::fmt::layer()
            .json()
            .with_current_span(true)
            .flatten_event(true)
            .boxed(),
        LogFormat::Pretty => tracing_subscriber::fmt::layer().compact().boxed(),
    };
    opentelemetry::global::set_text_map_propagator(TraceContextPropagator::new());
    let provider = match otlp_endpoint {
        Some(endpoint) => {
            // `endpoint` is the collector's base URL (OTEL_EXPORTER_OTLP_ENDPOINT); an endpoint
            // given to the builder is used as is, so the signal path is appended here. The
            // OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT variables, when set, still take precedence.
            let exporter = opentelemetry_otlp::SpanExporter::builder()
                .with_http()
                .with_endpoint(format!("{}/v1/traces", endpoint.trim_end_matches('/')))
                .build()?;
            Some(
                TracerProvider::builder()
                    .with_batch_exporter(exporter, opentelemetry_sdk::runtime::Tokio)
                    .with_resource(Resource::new(vec![
                        KeyValue::new("service.name", service.name),
                        KeyValue::new("service.version", service.version),
                    ]))
                    .build(),
            )
        }
        None => None,
    };
    let otel_layer = provider.as_ref().map(|p| {
        opentelemetry::global::set_tracer_provider(p.clone());
        tracing_opentelemetry::layer().with_tracer(p.tracer(service.name))
    });
    tracing_subscriber::registry()
        .with(filter)
        .with(fmt_layer)
        .with(otel_layer)
        .try_init()?;
    Ok(TracingGuard { provider })
}

/// The Prometheus exporter as the services configure it: latency histograms with buckets from
/// 5 ms to 10 s rather than summaries, so replicas can be aggregated.
pub fn prometheus_builder() -> anyhow::Result<PrometheusBuilder> {
    Ok(PrometheusBuilder::new().set_buckets_for_metric(
        metrics_exporter_prometheus::Matcher::Suffix("_seconds".to_owned()),
        &[
            0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
        ],
    )?)
}

/// Installs the global Prometheus recorder and returns the handle that renders `/metrics`.
pub fn init_metrics() -> anyhow::Result<PrometheusHandle> {
    Ok(prometheus_builder()?.install_recorder()?)
}
