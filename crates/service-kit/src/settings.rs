//! The settings every service shares, read from the environment (see the README's table).

use std::time::Duration;

use crate::config::{ConfigError, Env};

/// Compile-time facts about the binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceInfo {
    /// e.g. `prison-case-notes-to-probation`.
    pub name: &'static str,
    pub version: &'static str,
    /// The service's Delius audit user (`user_.distinguished_name`), unless overridden.
    pub default_delius_username: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Json,
    Pretty,
}

impl std::str::FromStr for LogFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "json" => Ok(Self::Json),
            "pretty" | "text" => Ok(Self::Pretty),
            _ => Err("json or pretty".to_owned()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsumerSettings {
    pub queue: String,
    pub concurrency: usize,
    pub visibility_timeout: Duration,
    pub detail_urls: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthClientSettings {
    pub client_id: String,
    pub client_secret: String,
}

#[derive(Clone, PartialEq, Eq)]
pub struct PlatformSettings {
    pub port: u16,
    pub database_url: String,
    pub database_pool_size: usize,
    pub delius_username: String,
    /// `None` when `MESSAGING_CONSUMER_ENABLED=false`.
    pub consumer: Option<ConsumerSettings>,
    pub producer_topic: Option<String>,
    pub aws_region: String,
    pub aws_endpoint_url: Option<String>,
    pub hmpps_auth_url: Option<String>,
    pub jwt_issuer: Option<String>,
    pub oauth_client: Option<OAuthClientSettings>,
    pub log_format: LogFormat,
    pub otlp_endpoint: Option<String>,
    pub shutdown_grace: Duration,
}

impl std::fmt::Debug for PlatformSettings {
    // Written by hand so the database URL (with its password) and client secret never reach logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlatformSettings")
            .field("port", &self.port)
            .field(
                "database_url",
                &delius_data::migrate::redact(&self.database_url),
            )
            .field("database_pool_size", &self.database_pool_size)
            .field("delius_username", &self.delius_username)
            .field("consumer", &self.consumer)
            .field("producer_topic", &self.producer_topic)
            .field("aws_region", &self.aws_region)
            .field("aws_endpoint_url", &self.aws_endpoint_url)
            .field("hmpps_auth_url", &self.hmpps_auth_url)
            .field("jwt_issuer", &self.jwt_issuer)
            .field(
                "oauth_client_id",
                &self.oauth_client.as_ref().map(|c| &c.client_id),
            )
            .field("log_format", &self.log_format)
            .field("otlp_endpoint", &self.otlp_endpoint)
            .field("shutdown_grace", &self.shutdown_grace)
            .finish()
    }
}

impl PlatformSettings {
    /// Reads the shared settings; service-specific ones are read from the same [`Env`] by the
    /// caller before [`Env::finish`] so every problem is reported together.
    pub fn read(env: &mut Env, service: &ServiceInfo) -> Option<Self> {
        let port = env.or("PORT", 8080u16);
        let database_url: Option<String> = env.required("DATABASE_URL");
        let database_username: Option<String> = env.optional("DATABASE_USERNAME");
        let database_password: Option<String> = env.optional("DATABASE_PASSWORD");
        let database_url = database_url.and_then(|url| {
            with_credentials(
                &url,
                database_username.as_deref(),
                database_password.as_deref(),
            )
            .map_err(|problem| env.problem(problem))
            .ok()
        });
        let database_pool_size = env.or("DATABASE_POOL_SIZE", 10usize);
        let delius_username = env.or(
            "DELIUS_DB_USERNAME",
            service.default_delius_username.to_owned(),
        );
        let consumer_enabled = env.or("MESSAGING_CONSUMER_ENABLED", true);
        let consumer = if consumer_enabled {
            let queue: Option<String> = env.required("MESSAGING_CONSUMER_QUEUE");
            let concurrency = env.or("MESSAGING_CONSUMER_CONCURRENCY", 10usize);
            let visibility = env.or("MESSAGING_CONSUMER_VISIBILITY_TIMEOUT_SECONDS", 30u64);
            let detail_urls = env.list("MESSAGING_CONSUMER_DETAIL_URLS");
            if concurrency == 0 {
                env.problem("MESSAGING_CONSUMER_CONCURRENCY must be at least 1");
            }
            // Visibility is extended every half timeout; below a second a message would be
            // handed to another consumer while still being handled.
            if visibility == 0 {
                env.problem("MESSAGING_CONSUMER_VISIBILITY_TIMEOUT_SECONDS must be at least 1");
            }
            queue.map(|queue| ConsumerSettings {
                queue,
                concurrency,
                visibility_timeout: Duration::from_secs(visibility),
                detail_urls,
            })
        } else {
            None
        };
        let producer_topic = env.optional("MESSAGING_PRODUCER_TOPIC");
        let aws_region = env.or("AWS_REGION", "eu-west-2".to_owned());
        let aws_endpoint_url = env.optional("AWS_ENDPOINT_URL");
        let hmpps_auth_url: Option<String> = env.optional("HMPPS_AUTH_URL");
        let jwt_issuer = env.optional("JWT_ISSUER_URI");
        let client_id: Option<String> = env.optional("OAUTH2_CLIENT_ID");
        let client_secret: Option<String> = env.optional("OAUTH2_CLIENT_SECRET");
        let oauth_client = match (client_id, client_secret) {
            (Some(client_id), Some(client_secret)) => Some(OAuthClientSettings {
                client_id,
                client_secret,
            }),
            (None, None) => None,
            _ => {
                env.problem("OAUTH2_CLIENT_ID and OAUTH2_CLIENT_SECRET must be set together");
                None
            }
        };
        let log_format = env.or("LOG_FORMAT", LogFormat::Pretty);
        let otlp_endpoint = env.optional("OTEL_EXPORTER_OTLP_ENDPOINT");
        let shutdown_grace = Duration::from_secs(env.or("SHUTDOWN_GRACE_PERIOD_SECONDS", 20u64));
        if consumer_enabled && consumer.is_none() {
            return None;
        }
        Some(Self {
            port,
            database_url: database_url?,
            database_pool_size,
            delius_username,
            consumer,
            producer_topic,
            aws_region,
            aws_endpoint_url,
            hmpps_auth_url,
            jwt_issuer,
            oauth_client,
            log_format,
            otlp_endpoint,
            shutdown_grace,
        })
    }

    /// Reads the shared settings alone.
    pub fn from_env(env: &mut Env, service: &ServiceInfo) -> Result<Self, ConfigError> {
        let settings = Self::read(env, service);
        std::mem::take(env).finish()?;
        settings.ok_or_else(|| ConfigError {
            problems: vec!["configuration incomplete".to_owned()],
        })
    }
}

/// Kubernetes secrets hold the database user and password apart from the URL; splicing them in
/// here (percent-encoded) avoids building a URL by hand in the pod.
fn with_credentials(
    url: &str,
    username: Option<&str>,
    password: Option<&str>,
) -> Result<String, String> {
    let mut parsed = url::Url::parse(url)
        .ok()
        .filter(|u| matches!(u.scheme(), "postgres" | "postgresql") && u.has_host())
        .ok_or_else(|| {
            "DATABASE_URL is malformed: expected postgres://host[:port]/database".to_owned()
        })?;
    if username.is_none() && password.is_none() {
        return Ok(url.to_owned());
    }
    if let Some(user) = username {
        parsed
            .set_username(user)
            .map_err(|_| "DATABASE_USERNAME cannot be used with this DATABASE_URL".to_owned())?;
    }
    if let Some(pass) = password {
        parsed
            .set_password(Some(pass))
            .map_err(|_| "DATABASE_PASSWORD cannot be used with this DATABASE_URL".to_owned())?;
    }
    Ok(parsed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const INFO: ServiceInfo = ServiceInfo {
        name: "svc",
        version: "1",
        default_delius_username: "SvcUser",
    };

    #[test]
    fn minimal_settings_take_defaults() {
        let mut env = Env::from_map([
            ("DATABASE_URL", "postgres://u:secret@h/db"),
            ("MESSAGING_CONSUMER_QUEUE", "svc-queue"),
        ]);
        let s = PlatformSettings::from_env(&mut env, &INFO).unwrap();
        assert_eq!(s.port, 8080);
        assert_eq!(s.delius_username, "SvcUser");
        assert_eq!(s.consumer.as_ref().unwrap().concurrency, 10);
        assert_eq!(s.aws_region, "eu-west-2");
        assert!(!format!("{s:?}").contains("secret"));
    }

    #[test]
    fn queue_is_required_only_when_consuming() {
        let mut env = Env::from_map([("DATABASE_URL", "postgres://h/db")]);
        let err = PlatformSettings::from_env(&mut env, &INFO).unwrap_err();
        assert_eq!(
            err.problems,
            ["MESSAGING_CONSUMER_QUEUE is required but not set"]
        );
        let mut env = Env::from_map([
            ("DATABASE_URL", "postgres://h/db"),
            ("MESSAGING_CONSUMER_ENABLED", "false"),
        ]);
        assert!(PlatformSettings::from_env(&mut env, &INFO)
            .unwrap()
            .consumer
            .is_none());
    }

    #[test]
    fn database_credentials_from_separate_secrets_are_spliced_into_the_url() {
        let mut env = Env::from_map([
            ("DATABASE_URL", "postgres://db.internal:5432/delius"),
            ("DATABASE_USERNAME", "svc"),
            ("DATABASE_PASSWORD", "p@ss/word"),
            ("MESSAGING_CONSUMER_ENABLED", "false"),
        ]);
        let s = PlatformSettings::from_env(&mut env, &INFO).unwrap();
        assert_eq!(
            s.database_url,
            "postgres://svc:p%40ss%2Fword@db.internal:5432/delius"
        );
    }

    #[test]
    fn malformed_database_url_and_zero_visibility_are_reported() {
        let mut env = Env::from_map([
            ("DATABASE_URL", "localhost/delius"),
            ("MESSAGING_CONSUMER_QUEUE", "q"),
            ("MESSAGING_CONSUMER_VISIBILITY_TIMEOUT_SECONDS", "0"),
        ]);
        let err = PlatformSettings::from_env(&mut env, &INFO).unwrap_err();
        assert_eq!(
            err.problems,
            [
                "DATABASE_URL is malformed: expected postgres://host[:port]/database",
                "MESSAGING_CONSUMER_VISIBILITY_TIMEOUT_SECONDS must be at least 1"
            ]
        );
    }

    #[test]
    fn client_credentials_come_in_pairs() {
        let mut env = Env::from_map([
            ("DATABASE_URL", "postgres://h/db"),
            ("MESSAGING_CONSUMER_ENABLED", "false"),
            ("OAUTH2_CLIENT_ID", "id"),
        ]);
        let err = PlatformSettings::from_env(&mut env, &INFO).unwrap_err();
        assert_eq!(
            err.problems,
            ["OAUTH2_CLIENT_ID and OAUTH2_CLIENT_SECRET must be set together"]
        );
    }
}
