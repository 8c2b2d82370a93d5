//! The platform wiring a service binary gets: settings -> pool, clients, validator, and `serve`
//! running the HTTP endpoints and the consumer until shutdown.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use axum::Router;
use messaging::detail::DetailError;
use messaging::queue::memory::Disposition;
use messaging::{InMemoryQueue, Notification, NotificationHandler, Outcome};
use service_kit::{Env, Platform, PlatformSettings, ServiceInfo};
use test_support::auth::FakeHmppsAuth;
use test_support::TestDatabase;
use wiremock::matchers::{header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const INFO: ServiceInfo = ServiceInfo {
    name: "example-service",
    version: "0.0.1",
    default_delius_username: "ExampleUser",
};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Counting(AtomicUsize);

#[async_trait]
impl NotificationHandler for Counting {
    async fn handle(&self, _: &Notification) -> anyhow::Result<Outcome> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(Outcome::processed("Counted"))
    }
}

async fn platform(db: &TestDatabase, auth: &FakeHmppsAuth, upstream: &str, port: u16) -> Platform {
    let mut env = Env::from_map([
        ("DATABASE_URL", db.url().to_owned()),
        ("PORT", port.to_string()),
        ("MESSAGING_CONSUMER_QUEUE", "example-queue".to_owned()),
        ("MESSAGING_CONSUMER_DETAIL_URLS", upstream.to_owned()),
        ("HMPPS_AUTH_URL", auth.base_url()),
        ("JWT_ISSUER_URI", auth.issuer()),
        ("OAUTH2_CLIENT_ID", "example-client".to_owned()),
        ("OAUTH2_CLIENT_SECRET", "example-secret".to_owned()),
    ]);
    let settings = PlatformSettings::from_env(&mut env, &INFO).unwrap();
    Platform::new(INFO, settings).unwrap()
}

#[tokio::test]
async fn clients_and_validator_are_built_from_the_settings() {
    let db = TestDatabase::new().await.unwrap();
    let auth = FakeHmppsAuth::start().await;
    let upstream = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/detail/1"))
        .and(header_exists("authorization"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": 1})))
        .mount(&upstream)
        .await;
    let platform = platform(&db, &auth, &upstream.uri(), free_port()).await;

    let claims = platform
        .jwt_validator()
        .unwrap()
        .validate(&auth.token().roles(["ROLE_X"]).build())
        .await
        .unwrap();
    assert_eq!(claims.authorities, ["ROLE_X"]);

    let fetcher = platform.detail_fetcher().unwrap();
    let body: serde_json::Value = fetcher
        .fetch(&format!("{}/detail/1", upstream.uri()))
        .await
        .unwrap();
    assert_eq!(body["id"], 1);
    let refused = fetcher
        .fetch::<serde_json::Value>("http://elsewhere.example/detail/1")
        .await;
    assert!(
        matches!(refused, Err(DetailError::NotAllowed { .. })),
        "{refused:?}"
    );

    assert!(
        platform.publisher().await.is_none(),
        "no MESSAGING_PRODUCER_TOPIC, no publisher"
    );
    assert_eq!(platform.consumer_config().concurrency, 10);
    let missing_user = platform
        .auditor()
        .await
        .map(|_| ())
        .expect_err("ExampleUser is not a Delius user");
    assert!(
        format!("{missing_user:#}").contains("DB Username Not Found"),
        "{missing_user:#}"
    );
}

#[tokio::test]
async fn serve_answers_health_consumes_the_queue_and_stops_on_shutdown() {
    let db = TestDatabase::new().await.unwrap();
    let auth = FakeHmppsAuth::start().await;
    let port = free_port();
    let platform = platform(&db, &auth, "http://upstream.example", port).await;
    let shutdown = platform.shutdown.clone();
    let queue = InMemoryQueue::new("example-queue");
    let handler = Arc::new(Counting(AtomicUsize::new(0)));
    let server = tokio::spawn(platform.serve(
        Router::new(),
        Some(Arc::new(queue.clone())),
        handler.clone(),
        Platform::classifier(vec![]),
    ));

    let client = reqwest::Client::new();
    let readiness = format!("http://127.0.0.1:{port}/health/readiness");
    let mut ready = None;
    for _ in 0..100 {
        if let Ok(response) = client.get(&readiness).send().await {
            ready = Some(response.json::<serde_json::Value>().await.unwrap());
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let ready = ready.expect("the service never answered");
    assert_eq!(ready["status"], "UP");
    assert_eq!(ready["components"]["queue"]["status"], "UP");

    let n = Notification::new(r#"{"eventType":"x"}"#).with_attribute("eventType", "x");
    let disposition = queue
        .publish_and_wait(&n, Duration::from_secs(20))
        .await
        .unwrap();
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(handler.0.load(Ordering::SeqCst), 1);

    shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("serve did not return after shutdown")
        .unwrap()
        .unwrap();
    assert!(
        client.get(&readiness).send().await.is_err(),
        "still listening after shutdown"
    );
}
