//! One test's world: a fresh Delius database with the service's seed people (`dev-seed.sql`, the
//! same file `make run` loads), a fake HMPPS Auth, wiremock standing in for Refer and Monitor, the
//! handler behind the platform consumer on an in-memory queue, and the API router.

use std::path::PathBuf;
use std::sync::Arc;

use audit_iaps::Auditor;
use axum::body::Body;
use axum::Router;
use delius_data::DbConnection;
use delius_ldap::{DirectoryUser, StaticDirectory};
use diesel::prelude::*;
use diesel_async::{RunQueryDsl, SimpleAsyncConnection};
use http::header::{AUTHORIZATION, CONTENT_TYPE};
use http::{Method, Request, StatusCode};
use messaging::detail::DetailUrlPolicy;
use messaging::queue::memory::Disposition;
use messaging::{Notification, Telemetry, TelemetryEvent};
use refer_and_monitor_and_delius::api::{self, CASE_DETAIL_RW_ROLE};
use refer_and_monitor_and_delius::{Context, ReferAndMonitorHandler};
use serde_json::Value;
use service_kit::Platform;
use test_support::auth::FakeHmppsAuth;
use test_support::fixtures::notification_from_file;
use test_support::messaging::fast_config;
use test_support::{TestConsumer, TestDatabase};
use tower::ServiceExt;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use delius_data::schema::{audited_interaction, business_interaction};

/// `USER_.USER_ID` of `ReferAndMonitorAndDelius` in the reference data.
pub const SERVICE_USER_ID: i64 = 6;
/// Telemetry every message records before its outcome.
const RECEIVED: &str = "NotificationReceived";

/// Telemetry properties from `(name, value)` pairs.
pub fn props(pairs: &[(&str, &str)]) -> messaging::Properties {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

pub fn fixture(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative)
}

pub fn fixture_text(relative: &str) -> String {
    std::fs::read_to_string(fixture(relative)).expect("fixture")
}

/// The LDAP entries of the spec's users: John Smith (`john-smith`).
pub fn directory() -> StaticDirectory {
    StaticDirectory::new([DirectoryUser {
        username: "john-smith".into(),
        forename: Some("John".into()),
        surname: Some("Smith".into()),
        email: Some("john.smith@moj.gov.uk".into()),
        telephone: Some("07321165373".into()),
    }])
}

pub struct TestApp {
    pub consumer: TestConsumer,
    pub telemetry: Telemetry,
    /// Refer and Monitor.
    pub ram: MockServer,
    pub auth: FakeHmppsAuth,
    pub context: Context,
    pub db: TestDatabase,
}

impl TestApp {
    pub async fn start() -> Self {
        Self::start_with(false).await
    }

    /// With the `referral-withdrawal-reason` feature flag set as given.
    pub async fn start_with(withdrawal_reason: bool) -> Self {
        let db = TestDatabase::new().await.expect("test database");
        db.conn()
            .await
            .expect("conn")
            .batch_execute(include_str!("../../dev-seed.sql"))
            .await
            .expect("dev-seed.sql");
        let auth = FakeHmppsAuth::start().await;
        let ram = MockServer::start().await;
        let telemetry = Telemetry::recording();
        let auditor = Auditor::connect(db.pool(), "ReferAndMonitorAndDelius")
            .await
            .expect("auditor");
        let context = Context {
            pool: db.pool(),
            auditor,
            client: auth.authorised_client(),
            detail_urls: DetailUrlPolicy::allow(&[ram.uri()]).expect("policy"),
            telemetry: telemetry.clone(),
            withdrawal_reason,
            directory: Arc::new(directory()),
        };
        let consumer = TestConsumer::start_recording_into(
            Arc::new(ReferAndMonitorHandler::new(context.clone())),
            Platform::classifier(vec![]),
            fast_config(),
            telemetry.clone(),
        );
        Self {
            consumer,
            telemetry,
            ram,
            auth,
            context,
            db,
        }
    }

    pub async fn conn(&self) -> DbConnection {
        self.db.conn().await.expect("conn")
    }

    pub async fn sql(&self, statements: &str) {
        self.conn()
            .await
            .batch_execute(statements)
            .await
            .expect(statements);
    }

    /// An example message from `tests/fixtures/messages`, its URLs pointing at the mock R&M.
    pub fn message(&self, name: &str) -> Notification {
        notification_from_file(fixture(&format!("messages/{name}")), &self.ram.uri())
            .expect("example message")
    }

    /// R&M answers `url_path` with the simulation body `simulation`.
    pub async fn given_upstream(&self, url_path: &str, simulation: &str) {
        let body = fixture_text(&format!("simulations/{simulation}"));
        Mock::given(method("GET"))
            .and(path(url_path))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("content-type", "application/json")
                    .set_body_string(body),
            )
            .mount(&self.ram)
            .await;
    }

    /// R&M answers `url_path` with `status` and `body`.
    pub async fn given_upstream_status(&self, url_path: &str, status: u16, body: &str) {
        Mock::given(method("GET"))
            .and(path(url_path))
            .respond_with(ResponseTemplate::new(status).set_body_string(body.to_owned()))
            .mount(&self.ram)
            .await;
    }

    pub async fn publish(&self, notification: &Notification) -> Disposition {
        self.consumer
            .publish_and_wait(notification)
            .await
            .expect("message consumed")
    }

    /// Telemetry after "received", in order: the outcomes.
    pub fn outcomes(&self) -> Vec<TelemetryEvent> {
        self.telemetry
            .events()
            .into_iter()
            .filter(|e| e.name != RECEIVED && !e.name.starts_with("Message"))
            .collect()
    }

    /// The one event named `name`.
    pub fn outcome(&self, name: &str) -> TelemetryEvent {
        let events = self.telemetry.named(name);
        assert_eq!(
            events.len(),
            1,
            "expected one {name}, got {:?}",
            self.telemetry.events()
        );
        events.into_iter().next().expect("one event")
    }

    /// The `error` of the last `MessageFailed` telemetry: why a message failed.
    pub fn failure(&self) -> String {
        self.telemetry
            .named("MessageFailed")
            .into_iter()
            .last()
            .map(|e| e.properties["error"].clone())
            .unwrap_or_default()
    }

    pub fn api(&self) -> Router {
        self.api_with(self.context.clone())
    }

    /// The API on another context, e.g. a smaller pool.
    pub fn api_with(&self, context: Context) -> Router {
        let validator = Arc::new(auth::inbound::JwtValidator::new(
            self.auth
                .jwt_settings(auth::outbound::http_client().expect("http client")),
        ));
        api::router(context, validator)
    }

    /// A token with the role both PUTs need.
    pub fn token(&self) -> String {
        self.auth.token().roles([CASE_DETAIL_RW_ROLE]).bearer()
    }

    /// PUT `body` with the right role.
    pub async fn put(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        self.send(
            Method::PUT,
            path,
            Some(self.token()),
            Some(body.to_string()),
        )
        .await
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        authorization: Option<String>,
        body: Option<String>,
    ) -> (StatusCode, Value) {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(value) = authorization {
            request = request.header(AUTHORIZATION, value);
        }
        let request = match body {
            Some(body) => request
                .header(CONTENT_TYPE, "application/json")
                .body(Body::from(body)),
            None => request.body(Body::empty()),
        }
        .expect("request");
        let response = self.api().oneshot(request).await.expect("response");
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        (status, body)
    }

    /// `(outcome, parameters)` of the audit rows written for business interaction `code`.
    pub async fn audits(&self, code: &str) -> Vec<(String, Option<String>)> {
        audited_interaction::table
            .inner_join(business_interaction::table)
            .filter(business_interaction::business_interaction_code.eq(code))
            .order(audited_interaction::date_time)
            .select((
                audited_interaction::outcome,
                audited_interaction::interaction_parameters,
            ))
            .load(&mut *self.conn().await)
            .await
            .expect("audits")
    }
}
