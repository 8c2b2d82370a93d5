//! The environment a service binary runs with on the local stack, from `topology.json`.

use anyhow::{Context, Result};
use serde_json::Value;

use crate::topology::Topology;

/// `NAME=value` lines for `service`, ready for `env $(...)` or a shell `export`.
pub fn service_env(
    topology: &Topology,
    service: &str,
    database_url: &str,
    sqs_endpoint: &str,
) -> Result<Vec<(String, String)>> {
    let svc = topology
        .services
        .iter()
        .find(|s| s.name == service)
        .with_context(|| format!("no service {service} in the topology"))?;
    let auth = topology.hmpps_auth.as_ref();
    let auth_field = |name: &str, default: &str| {
        auth.and_then(|a| a.get(name))
            .and_then(Value::as_str)
            .unwrap_or(default)
            .to_owned()
    };
    let auth_url = auth_field("url", "http://127.0.0.1:8090");
    let mut env = vec![
        ("PORT".to_owned(), svc.port.to_string()),
        ("DATABASE_URL".to_owned(), database_url.to_owned()),
        ("DELIUS_DB_USERNAME".to_owned(), svc.delius_username.clone()),
        ("MESSAGING_CONSUMER_QUEUE".to_owned(), svc.queue_name()),
        (
            "MESSAGING_CONSUMER_VISIBILITY_TIMEOUT_SECONDS".to_owned(),
            svc.visibility_timeout_seconds.to_string(),
        ),
        (
            "MESSAGING_PRODUCER_TOPIC".to_owned(),
            format!(
                "arn:aws:sns:{}:123456789012:{}",
                topology.region, topology.topic
            ),
        ),
        ("AWS_REGION".to_owned(), topology.region.clone()),
        ("AWS_ENDPOINT_URL".to_owned(), sqs_endpoint.to_owned()),
        ("HMPPS_AUTH_URL".to_owned(), auth_url.clone()),
        (
            "JWT_ISSUER_URI".to_owned(),
            auth_field("issuer", "http://localhost:8090/auth/issuer"),
        ),
        (
            "OAUTH2_CLIENT_ID".to_owned(),
            "probation-integration-dev".to_owned(),
        ),
        ("OAUTH2_CLIENT_SECRET".to_owned(), "dev-secret".to_owned()),
        ("LOG_FORMAT".to_owned(), "pretty".to_owned()),
    ];
    // detailUrls in local example messages point at the simulator root, so the allow-list is it.
    env.push(("MESSAGING_CONSUMER_DETAIL_URLS".to_owned(), auth_url));
    for upstream in &svc.upstreams {
        env.push((upstream.env.clone(), upstream.url.clone()));
    }
    let port =
        std::env::var("SIMULATOR_PORT").unwrap_or_else(|_| DEFAULT_SIMULATOR_PORT.to_owned());
    Ok(env
        .into_iter()
        .map(|(name, value)| (name, on_simulator_port(&value, &port)))
        .collect())
}

/// The port topology.json names for the simulator.
const DEFAULT_SIMULATOR_PORT: &str = "8090";

/// The topology's simulator URLs, moved to the port the simulator really runs on
/// (`SIMULATOR_PORT`), so `make run` on another port still wires services to it.
fn on_simulator_port(value: &str, port: &str) -> String {
    if port == DEFAULT_SIMULATOR_PORT {
        return value.to_owned();
    }
    ["127.0.0.1", "localhost"]
        .iter()
        .fold(value.to_owned(), |v, host| {
            v.replace(
                &format!("//{host}:{DEFAULT_SIMULATOR_PORT}"),
                &format!("//{host}:{port}"),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::on_simulator_port;

    #[test]
    fn simulator_urls_follow_the_simulator_port() {
        assert_eq!(
            on_simulator_port("http://127.0.0.1:8090/prison-api", "9191"),
            "http://127.0.0.1:9191/prison-api"
        );
        assert_eq!(
            on_simulator_port("http://localhost:8090/auth/issuer", "9191"),
            "http://localhost:9191/auth/issuer"
        );
        assert_eq!(
            on_simulator_port("postgres://h:8090/db", "9191"),
            "postgres://h:8090/db"
        );
        assert_eq!(
            on_simulator_port("http://127.0.0.1:8090/x", "8090"),
            "http://127.0.0.1:8090/x"
        );
    }
}
