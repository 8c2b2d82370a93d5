//! Spans leave the process over OTLP/HTTP when an endpoint is configured, and the tracing guard
//! flushes them at shutdown.
//!
//! A binary of its own, not a module of `tests/it`: `init_tracing` installs the process-global
//! subscriber (and propagator and tracer provider), which can happen once per process and would
//! leak into every other test of that binary. For the same reason each scenario here runs in a
//! fresh copy of this binary (`in_own_process`), which also lets the parent bound the run: a
//! guard that deadlocks at shutdown fails the test instead of hanging it.

use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::routing::post;
use axum::Router;
use service_kit::observability::{init_tracing, TracingGuard};
use service_kit::{LogFormat, ServiceInfo};

const INFO: ServiceInfo = ServiceInfo {
    name: "otlp-test-service",
    version: "0.0.1",
    default_delius_username: "ExampleUser",
};

const CHILD: &str = "SERVICE_KIT_OTLP_TEST_CHILD";

/// Runs `scenario` in a child process running only the test `name`, with the OTLP variables
/// removed from its environment (they would override the endpoint passed to `init_tracing`)
/// and `RUST_LOG=info`, and fails if the child fails or takes longer than a minute.
fn in_own_process(name: &str, scenario: impl FnOnce()) {
    if std::env::var(CHILD).as_deref() == Ok(name) {
        scenario();
        return;
    }
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, name)
        .env("RUST_LOG", "info")
        .env_remove("OTEL_EXPORTER_OTLP_ENDPOINT")
        .env_remove("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let output = format!(
        "--- stdout\n{}\n--- stderr\n{}",
        stdout.join().unwrap(),
        stderr.join().unwrap()
    );
    match status {
        Some(status) => assert!(status.success(), "{name} failed: {status}\n{output}"),
        None => panic!("{name} did not finish within a minute (hung at shutdown?)\n{output}"),
    }
}

/// Content type and body of each POST to `/v1/traces`.
type Received = Arc<Mutex<Vec<(Option<String>, Bytes)>>>;

/// A collector stand-in on its own thread and runtime, so nothing the test does to its own
/// runtime can stop it answering. Returns its base URL.
fn start_collector(received: Received) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let record = |State(received): State<Received>, headers: HeaderMap, body: Bytes| async move {
                let content_type = headers
                    .get(header::CONTENT_TYPE)
                    .and_then(|value| value.to_str().ok())
                    .map(str::to_owned);
                received.lock().unwrap().push((content_type, body));
                // An empty ExportTraceServiceResponse.
                ([(header::CONTENT_TYPE, "application/x-protobuf")], Bytes::new())
            };
            let app = Router::new()
                .route("/v1/traces", post(record))
                .with_state(received);
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    url
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

/// A runtime like a service's on a one-CPU pod: multi-threaded, one worker.
fn one_worker_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

/// Starts tracing towards a local collector, records a span, and drops the guard with `stop`
/// inside `runtime`; returns what the collector had received by the time the guard was gone.
fn export_one_span(
    runtime: tokio::runtime::Runtime,
    stop: impl FnOnce(TracingGuard) + Send + 'static,
) -> Vec<(Option<String>, Bytes)> {
    let received = Received::default();
    // What a service is given in OTEL_EXPORTER_OTLP_ENDPOINT: the collector's base URL.
    let endpoint = start_collector(received.clone());
    runtime.block_on(async {
        let guard = init_tracing(&INFO, LogFormat::Json, Some(&endpoint)).unwrap();
        tracing::info_span!("otlp-test-span", crn = "X123456").in_scope(|| {
            tracing::info!("inside the span");
        });
        // The batch (sent every 5 s by default) has not gone yet: only the flush sends it.
        stop(guard);
    });
    let received = received.lock().unwrap().clone();
    received
}

/// A POST of protobuf whose body holds the span's name and attribute and the service name
/// (protobuf strings appear verbatim in the bytes).
fn has_the_span(received: &[(Option<String>, Bytes)]) -> bool {
    received.iter().any(|(content_type, body)| {
        content_type.as_deref() == Some("application/x-protobuf")
            && contains(body, "otlp-test-span")
            && contains(body, "X123456")
            && contains(body, INFO.name)
    })
}

// No polling for the export afterwards: the guard's flush waits for the collector's response,
// and the collector records the request before answering, so the span is either there when the
// guard is gone or was never flushed. (The parent bounds the whole run at a minute.)

#[test]
fn spans_are_exported_over_otlp_http_and_flushed_at_shutdown() {
    in_own_process(
        "spans_are_exported_over_otlp_http_and_flushed_at_shutdown",
        || {
            // Dropped in the runtime's `block_on`, as a service's main drops it when `serve`
            // returns.
            let received = export_one_span(one_worker_runtime(), drop);
            assert!(has_the_span(&received), "not flushed: {received:?}");
        },
    );
}

#[test]
fn the_guard_flushes_when_dropped_on_the_only_worker() {
    in_own_process("the_guard_flushes_when_dropped_on_the_only_worker", || {
        let received = export_one_span(one_worker_runtime(), |guard| {
            let task = tokio::spawn(async move { drop(guard) });
            // Waits on this thread, not the worker, which is the one that must not block.
            while !task.is_finished() {
                std::thread::sleep(Duration::from_millis(10));
            }
        });
        assert!(has_the_span(&received), "not flushed: {received:?}");
    });
}

#[test]
fn dropping_the_guard_on_a_current_thread_runtime_does_not_hang() {
    in_own_process(
        "dropping_the_guard_on_a_current_thread_runtime_does_not_hang",
        || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            // The flush cannot run while the only thread waits for it, so it is not waited for.
            export_one_span(runtime, drop);
        },
    );
}

#[test]
fn without_an_endpoint_tracing_starts_without_an_exporter() {
    in_own_process(
        "without_an_endpoint_tracing_starts_without_an_exporter",
        || {
            // No provider is built, so there is nothing to export to; what matters is that logging
            // starts, spans work without one, and the guard has nothing to wait for.
            one_worker_runtime().block_on(async {
                let guard = init_tracing(&INFO, LogFormat::Pretty, None).unwrap();
                tracing::info_span!("otlp-test-span", crn = "X123456").in_scope(|| {
                    tracing::info!("inside the span");
                });
                drop(guard);
            });
        },
    );
}
