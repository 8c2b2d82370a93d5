//! One test's world: a fresh Delius database with the service's seed people (`dev-seed.sql`, the
//! same file `make run` loads), a fake HMPPS Auth, wiremock standing in for Manage POM Cases, the
//! handler behind the platform consumer on an in-memory queue, and the API router.

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use delius_data::{DbConnection, DbPool};
use delius_ldap::{Directory, DirectoryUser, StaticDirectory};
use diesel_async::SimpleAsyncConnection;
use manage_pom_cases_and_delius::api::{self, ApiState};
use manage_pom_cases_and_delius::{Context, PomCasesHandler};
use messaging::detail::DetailUrlPolicy;
use messaging::queue::memory::Disposition;
use messaging::{Notification, Telemetry, TelemetryEvent};
use service_kit::Platform;
use test_support::auth::FakeHmppsAuth;
use test_support::fixtures::notification_from_file;
use test_support::messaging::{fast_config, RecordedTelemetry};
use test_support::{TestConsumer, TestDatabase};
use wiremock::MockServer;

/// `USER_.USER_ID` of `ManagePomCasesAndDelius` in the reference data.
pub const SERVICE_USER_ID: i64 = 4;
/// The seed's people (dev-seed.sql): offender ids.
pub const DEFAULT_PERSON: i64 = 930001;
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

/// The seeded LDAP entries: Default Staff's e-mail (spec 5).
pub fn directory() -> StaticDirectory {
    StaticDirectory::new(seeded_directory_users())
}

fn seeded_directory_users() -> Vec<DirectoryUser> {
    vec![DirectoryUser {
        username: "DefaultStaff".into(),
        forename: Some("Default".into()),
        surname: Some("Staff".into()),
        email: Some("default.staff@moj.gov.uk".into()),
        telephone: None,
    }]
}

pub struct TestApp {
    pub consumer: TestConsumer,
    pub telemetry: Telemetry,
    /// Manage POM Cases.
    pub mpc: MockServer,
    pub auth: FakeHmppsAuth,
    pub context: Context,
    pub db: TestDatabase,
}

impl TestApp {
    pub async fn start() -> Self {
        let db = TestDatabase::new().await.expect("test database");
        db.conn()
            .await
            .expect("conn")
            .batch_execute(include_str!("../../dev-seed.sql"))
            .await
            .expect("dev-seed.sql");
        let auth = FakeHmppsAuth::start().await;
        let mpc = MockServer::start().await;
        let context = Context {
            pool: db.pool(),
            client: auth.authorised_client(),
            detail_urls: DetailUrlPolicy::allow(&[mpc.uri()]).expect("policy"),
            mpc_base: mpc.uri().parse().expect("url"),
            user_id: SERVICE_USER_ID,
        };
        let telemetry = Telemetry::recording();
        let consumer = TestConsumer::start_recording_into(
            Arc::new(PomCasesHandler::new(context.clone())),
            Platform::classifier(vec![]),
            fast_config(),
            telemetry.clone(),
        );
        Self {
            consumer,
            telemetry,
            mpc,
            auth,
            context,
            db,
        }
    }

    pub async fn conn(&self) -> DbConnection {
        self.db.conn().await.expect("conn")
    }

    /// An example message from `tests/fixtures/messages`, its URLs pointing at the mock MPC.
    pub fn message(&self, name: &str) -> Notification {
        notification_from_file(fixture(&format!("messages/{name}")), &self.mpc.uri())
            .expect("example message")
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

    /// The one outcome named `name`.
    pub fn outcome(&self, name: &str) -> TelemetryEvent {
        self.telemetry.one(name)
    }

    /// The `error` of the last `MessageFailed` telemetry: why a message failed.
    pub fn failure(&self) -> String {
        self.telemetry.last_failure()
    }

    /// How many requests reached the mock Manage POM Cases.
    pub async fn mpc_requests(&self) -> usize {
        self.mpc.received_requests().await.unwrap_or_default().len()
    }

    /// The API as the service serves it, with the seeded LDAP entries.
    pub fn api(&self) -> Router {
        self.api_with(self.db.pool(), Arc::new(directory()))
    }

    /// The API with the seeded LDAP entries and `users` besides.
    pub fn api_with_directory_users(
        &self,
        users: impl IntoIterator<Item = DirectoryUser>,
    ) -> Router {
        let users = seeded_directory_users().into_iter().chain(users);
        self.api_with(self.db.pool(), Arc::new(StaticDirectory::new(users)))
    }

    /// The API reading from `pool` (e.g. one of a single connection) and `directory`.
    pub fn api_with(&self, pool: DbPool, directory: Arc<dyn Directory>) -> Router {
        let validator = Arc::new(auth::inbound::JwtValidator::new(
            self.auth
                .jwt_settings(auth::outbound::http_client().expect("http client")),
        ));
        api::router(ApiState { pool, directory }, validator)
    }
}
