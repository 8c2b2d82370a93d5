//! Start-up and run loop shared by every service binary.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use audit_iaps::{Auditor, ServiceUser};
use auth::inbound::{JwtSettings, JwtValidator};
use auth::outbound::{AuthorisedClient, ClientCredentials, TokenProvider};
use axum::Router;
use messaging::aws::{sdk_config, AwsSettings};
use messaging::detail::{DetailFetcher, DetailUrlPolicy};
use messaging::{
    Consumer, ConsumerConfig, NotificationHandler, Publisher, Queue, SnsPublisher, SqsQueue,
    Telemetry, TransientClassifier,
};
use metrics_exporter_prometheus::PrometheusHandle;
use tokio_util::sync::CancellationToken;

use crate::config::Env;
use crate::observability::{init_metrics, init_tracing, TracingGuard};
use crate::ops::{ops_router, DatabaseCheck, HealthCheck, QueueCheck};
use crate::settings::{PlatformSettings, ServiceInfo};
use crate::shutdown;

/// Everything a service needs from the platform, built once at start-up.
pub struct Platform {
    pub info: ServiceInfo,
    pub settings: PlatformSettings,
    pub pool: delius_data::DbPool,
    pub telemetry: Telemetry,
    pub shutdown: CancellationToken,
    metrics: Option<PrometheusHandle>,
    service_user: Option<ServiceUser>,
    _tracing: Option<TracingGuard>,
}

impl Platform {
    /// Reads the shared settings and the service's own (`read_service` reads from the same
    /// environment so all problems are reported together), then starts logging, tracing,
    /// metrics and the database pool, and listens for SIGTERM. Configuration problems end
    /// start-up with one line each.
    pub async fn start<S>(
        info: ServiceInfo,
        read_service: impl FnOnce(&mut Env) -> Option<S>,
    ) -> anyhow::Result<(Self, S)> {
        let mut env = Env::from_process();
        let settings = PlatformSettings::read(&mut env, &info);
        let service_settings = read_service(&mut env);
        env.finish()?;
        let (Some(settings), Some(service_settings)) = (settings, service_settings) else {
            anyhow::bail!("configuration incomplete");
        };
        let tracing_guard = init_tracing(
            &info,
            settings.log_format,
            settings.otlp_endpoint.as_deref(),
        )?;
        let metrics = init_metrics().context("installing the metrics recorder")?;
        let mut platform = Self::new(info, settings)?;
        // As on the platform: a service whose Delius audit user is missing must not start.
        let user =
            audit_iaps::resolve_service_user(&platform.pool, &platform.settings.delius_username)
                .await
                .context("resolving the service's Delius user (DELIUS_DB_USERNAME)")?;
        platform.service_user = Some(user);
        platform.metrics = Some(metrics);
        platform.shutdown = shutdown::on_signal();
        platform._tracing = Some(tracing_guard);
        tracing::info!(service = info.name, version = info.version, settings = ?platform.settings, "starting");
        Ok((platform, service_settings))
    }

    /// The platform from settings already read, without touching process-wide state (logging,
    /// metrics recorder, signal handlers): what tests and tools use.
    pub fn new(info: ServiceInfo, settings: PlatformSettings) -> anyhow::Result<Self> {
        let pool = delius_data::build_pool(
            &settings.database_url,
            settings.database_pool_size,
            Duration::from_secs(5),
        )?;
        Ok(Self {
            info,
            settings,
            pool,
            telemetry: Telemetry::new(),
            shutdown: CancellationToken::new(),
            metrics: None,
            service_user: None,
            _tracing: None,
        })
    }

    /// Writes the service's audit rows as its Delius user (looked up now unless start-up did).
    pub async fn auditor(&self) -> anyhow::Result<Auditor> {
        Ok(match &self.service_user {
            Some(user) => Auditor::new(self.pool.clone(), user.clone()),
            None => Auditor::connect(self.pool.clone(), &self.settings.delius_username).await?,
        })
    }

    pub fn aws_settings(&self) -> AwsSettings {
        AwsSettings {
            region: Some(self.settings.aws_region.clone()),
            endpoint_url: self.settings.aws_endpoint_url.clone(),
        }
    }

    /// The SQS queue named by `MESSAGING_CONSUMER_QUEUE` (`None` when consuming is disabled).
    pub async fn consumer_queue(&self) -> anyhow::Result<Option<Arc<dyn Queue>>> {
        let Some(consumer) = &self.settings.consumer else {
            return Ok(None);
        };
        let config = sdk_config(&self.aws_settings()).await;
        let queue = SqsQueue::connect(aws_sdk_sqs::Client::new(&config), &consumer.queue)
            .await
            .with_context(|| format!("connecting to queue {}", consumer.queue))?;
        Ok(Some(Arc::new(queue)))
    }

    /// The SNS publisher for `MESSAGING_PRODUCER_TOPIC` (`None` when the service publishes nothing).
    pub async fn publisher(&self) -> Option<Arc<dyn Publisher>> {
        let topic = self.settings.producer_topic.as_ref()?;
        let config = sdk_config(&self.aws_settings()).await;
        Some(Arc::new(SnsPublisher::new(
            aws_sdk_sns::Client::new(&config),
            topic.clone(),
        )))
    }

    fn hmpps_auth_url(&self) -> anyhow::Result<url::Url> {
        let base = self
            .settings
            .hmpps_auth_url
            .as_deref()
            .context("HMPPS_AUTH_URL is required by this service but not set")?;
        url::Url::parse(base).context("HMPPS_AUTH_URL is malformed")
    }

    /// The service's client credentials for `{HMPPS_AUTH_URL}/auth/oauth/token`.
    pub fn client_credentials(&self) -> anyhow::Result<ClientCredentials> {
        let credentials = self.settings.oauth_client.as_ref().context(
            "OAUTH2_CLIENT_ID and OAUTH2_CLIENT_SECRET are required by this service but not set",
        )?;
        Ok(ClientCredentials {
            token_url: self.hmpps_auth_url()?.join("auth/oauth/token")?,
            client_id: credentials.client_id.clone(),
            client_secret: credentials.client_secret.clone(),
        })
    }

    /// An HTTP client that calls upstream APIs with the service's client-credentials token
    /// (connect 1 s / read 5 s, retries on I/O errors). Clones share one token cache.
    pub fn authorised_client(&self) -> anyhow::Result<AuthorisedClient> {
        let http = auth::outbound::http_client()?;
        let tokens = Arc::new(TokenProvider::new(self.client_credentials()?, http.clone()));
        Ok(AuthorisedClient::new(http, tokens))
    }

    /// `MESSAGING_CONSUMER_DETAIL_URLS`: the upstream base URLs a `detailUrl` may point at.
    pub fn detail_urls(&self) -> Vec<String> {
        self.settings
            .consumer
            .as_ref()
            .map(|c| c.detail_urls.clone())
            .unwrap_or_default()
    }

    /// Fetches `detailUrl`s with the service's token, restricted to [`Platform::detail_urls`].
    pub fn detail_fetcher(&self) -> anyhow::Result<DetailFetcher> {
        let allowed = self.detail_urls();
        if allowed.is_empty() {
            tracing::warn!(
                "MESSAGING_CONSUMER_DETAIL_URLS is empty: any detailUrl will be fetched"
            );
        }
        Ok(DetailFetcher::new(
            self.authorised_client()?,
            DetailUrlPolicy::allow(&allowed)?,
        ))
    }

    /// Validates inbound HMPPS Auth tokens (JWKS from `HMPPS_AUTH_URL`, issuer `JWT_ISSUER_URI`).
    pub fn jwt_validator(&self) -> anyhow::Result<Arc<JwtValidator>> {
        let issuer = self
            .settings
            .jwt_issuer
            .clone()
            .context("JWT_ISSUER_URI is required by a service with an API but not set")?;
        let jwk_set_uri = self.hmpps_auth_url()?.join("auth/.well-known/jwks.json")?;
        Ok(Arc::new(JwtValidator::new(JwtSettings {
            jwk_set_uri,
            issuer,
            http: auth::outbound::http_client()?,
        })))
    }

    /// Database, upstream and `extra` checks count as transient (retried in-process).
    pub fn classifier(extra: Vec<messaging::retry::TransientCheck>) -> TransientClassifier {
        let mut checks: Vec<messaging::retry::TransientCheck> = vec![
            delius_data::is_transient,
            messaging::detail::is_transient_upstream,
        ];
        checks.extend(extra);
        TransientClassifier::any_of(checks)
    }

    /// The consumer configuration from the settings.
    pub fn consumer_config(&self) -> ConsumerConfig {
        let mut config = ConsumerConfig {
            shutdown_grace: self.settings.shutdown_grace,
            ..ConsumerConfig::default()
        };
        if let Some(consumer) = &self.settings.consumer {
            config.concurrency = consumer.concurrency;
            config.visibility_timeout = consumer.visibility_timeout;
        }
        config
    }

    /// Serves `api` beside the operational routes and, when a queue is given, consumes it with
    /// `handler` until SIGTERM; then drains in-flight messages and returns.
    pub async fn serve(
        self,
        api: Router,
        queue: Option<Arc<dyn Queue>>,
        handler: Arc<dyn NotificationHandler>,
        classifier: TransientClassifier,
    ) -> anyhow::Result<()> {
        let mut checks: Vec<Box<dyn HealthCheck>> =
            vec![Box::new(DatabaseCheck(self.pool.clone()))];
        if let Some(q) = &queue {
            checks.push(Box::new(QueueCheck(q.clone())));
        }
        let app = api
            .merge(ops_router(self.info, checks, self.metrics.clone()))
            .layer(axum::middleware::from_fn(crate::http_trace::trace_requests));
        let address = SocketAddr::from(([0, 0, 0, 0], self.settings.port));
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .with_context(|| format!("binding port {}", self.settings.port))?;
        tracing::info!(%address, "listening");

        let consumer_task = queue.map(|queue| {
            let consumer = Consumer::new(
                queue,
                handler,
                self.consumer_config(),
                self.telemetry.clone(),
                classifier,
            );
            tokio::spawn(consumer.run(self.shutdown.clone()))
        });
        let stop = self.shutdown.clone();
        axum::serve(listener, app)
            .with_graceful_shutdown(async move { stop.cancelled().await })
            .await
            .context("HTTP server failed")?;
        if let Some(task) = consumer_task {
            task.await.context("consumer task panicked")?;
        }
        tracing::info!("stopped");
        Ok(())
    }
}
