use std::sync::{Arc, OnceLock};
use std::time::Duration;

use async_trait::async_trait;
use axum::body::Body;
use axum::Router;
use http::{Request, StatusCode};
use messaging::queue::QueueError;
use messaging::{
    InMemoryQueue, Notification, NotificationHandler, Outcome, Queue, ReceivedMessage,
    TransientClassifier,
};
use metrics_exporter_prometheus::PrometheusHandle;
use service_kit::ops::{ops_router, DatabaseCheck, HealthCheck, QueueCheck};
use service_kit::ServiceInfo;
use test_support::{TestConsumer, TestDatabase};
use tower::ServiceExt;

const INFO: ServiceInfo = ServiceInfo {
    name: "example-service",
    version: "1.2.3",
    default_delius_username: "ExampleUser",
};

async fn get(router: Router, path: &str) -> (StatusCode, String) {
    let response = router
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

/// A queue whose every call fails, as when SQS is unreachable.
struct UnreachableQueue;

#[async_trait]
impl Queue for UnreachableQueue {
    fn name(&self) -> &str {
        "unreachable"
    }
    async fn receive(&self, _: usize, _: Duration) -> Result<Vec<ReceivedMessage>, QueueError> {
        Err(down())
    }
    async fn delete(&self, _: &str) -> Result<(), QueueError> {
        Err(down())
    }
    async fn change_visibility(&self, _: &str, _: Duration) -> Result<(), QueueError> {
        Err(down())
    }
    async fn send(&self, _: &str) -> Result<String, QueueError> {
        Err(down())
    }
    async fn check(&self) -> Result<(), QueueError> {
        Err(down())
    }
}

fn down() -> QueueError {
    QueueError::Backend {
        operation: "GetQueueAttributes",
        message: "connection refused".to_owned(),
    }
}

#[tokio::test]
async fn liveness_and_info_need_no_dependencies() {
    let router = ops_router(
        INFO,
        vec![Box::new(QueueCheck(Arc::new(UnreachableQueue)))],
        None,
    );
    let (status, body) = get(router.clone(), "/health/liveness").await;
    assert_eq!(
        (status, json(&body)),
        (StatusCode::OK, serde_json::json!({"status": "UP"}))
    );
    let (status, body) = get(router, "/info").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        json(&body)["build"],
        serde_json::json!({"name": "example-service", "version": "1.2.3"})
    );
}

#[tokio::test]
async fn readiness_is_up_when_database_and_queue_answer() {
    let db = TestDatabase::new().await.unwrap();
    let checks: Vec<Box<dyn HealthCheck>> = vec![
        Box::new(DatabaseCheck(db.pool())),
        Box::new(QueueCheck(Arc::new(InMemoryQueue::new("q")))),
    ];
    let router = ops_router(INFO, checks, None);
    for path in ["/health/readiness", "/health"] {
        let (status, body) = get(router.clone(), path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        let body = json(&body);
        assert_eq!(body["status"], "UP");
        assert_eq!(body["components"]["db"]["status"], "UP");
        assert_eq!(body["components"]["queue"]["status"], "UP");
    }
}

#[tokio::test]
async fn readiness_is_down_with_the_reason_when_a_dependency_fails() {
    let unreachable_db = delius_data::build_pool(
        "postgres://nobody:x@127.0.0.1:1/none",
        1,
        Duration::from_millis(500),
    )
    .unwrap();
    let checks: Vec<Box<dyn HealthCheck>> = vec![
        Box::new(DatabaseCheck(unreachable_db)),
        Box::new(QueueCheck(Arc::new(UnreachableQueue))),
    ];
    let (status, body) = get(ops_router(INFO, checks, None), "/health/readiness").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let body = json(&body);
    assert_eq!(body["status"], "DOWN");
    assert_eq!(body["components"]["db"]["status"], "DOWN");
    assert_eq!(body["components"]["queue"]["status"], "DOWN");
    assert!(body["components"]["queue"]["details"]["error"]
        .as_str()
        .unwrap()
        .contains("connection refused"));
}

fn recorder() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            // The services' own configuration, so the test sees what production exports.
            service_kit::observability::init_metrics().expect("one recorder per test process")
        })
        .clone()
}

struct Succeeds;

#[async_trait]
impl NotificationHandler for Succeeds {
    async fn handle(&self, _: &Notification) -> anyhow::Result<Outcome> {
        Ok(Outcome::processed("Done"))
    }
}

#[tokio::test]
async fn metrics_count_messages_by_event_type_and_outcome() {
    let handle = recorder();
    let consumer = TestConsumer::start(Arc::new(Succeeds), TransientClassifier::default());
    let n = Notification::new(r#"{"eventType":"metrics.test"}"#)
        .with_attribute("eventType", "metrics.test");
    consumer.publish_and_wait(&n).await.unwrap();
    consumer.stop().await;

    let (status, body) = get(ops_router(INFO, vec![], Some(handle)), "/metrics").await;
    assert_eq!(status, StatusCode::OK);
    let counter = body
        .lines()
        .find(|l| l.starts_with("messages_total{") && l.contains(r#"event_type="metrics.test""#))
        .unwrap_or_else(|| panic!("no messages_total line in:\n{body}"));
    assert!(counter.contains(r#"outcome="processed""#), "{counter}");
    assert!(counter.ends_with(" 1"), "{counter}");
    assert!(
        body.contains("message_handling_seconds_bucket{"),
        "latency histogram missing:\n{body}"
    );
}

#[tokio::test]
async fn http_requests_are_timed_by_route_template_not_raw_path() {
    let handle = recorder();
    let api = Router::new().route("/things/{id}", axum::routing::get(|| async { "ok" }));
    let app = api
        .merge(ops_router(INFO, vec![], Some(handle.clone())))
        .layer(axum::middleware::from_fn(
            service_kit::http_trace::trace_requests,
        ));
    let (status, _) = get(app.clone(), "/things/A000001").await;
    assert_eq!(status, StatusCode::OK);
    let (_, body) = get(app, "/metrics").await;
    let line = body
        .lines()
        .find(|l| {
            l.starts_with("http_request_seconds_count{") && l.contains(r#"route="/things/{id}""#)
        })
        .unwrap_or_else(|| panic!("no request timing for the route in:\n{body}"));
    assert!(line.contains(r#"status="200""#), "{line}");
    assert!(
        !body.contains("A000001"),
        "raw path values must not become labels"
    );
}
