//! `simulate`: one HTTP server standing in for every upstream API and for HMPPS Auth.

pub mod auth;
pub mod mappings;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use serde_json::{json, Value};
use tracing::{info, warn};

use auth::{Signer, TOKEN_LIFETIME_SECONDS};
use mappings::{IncomingRequest, Mappings};

pub struct SimulatorConfig<'a> {
    pub host: String,
    pub port: u16,
    pub dir: &'a Path,
    pub signing_key: &'a Path,
    pub prefixes: Vec<String>,
}

struct AppState {
    mappings: Mappings,
    signer: Signer,
}

type Shared = Arc<AppState>;

const DEFAULT_CLIENT: &str = "probation-integration-dev";

pub async fn run(config: SimulatorConfig<'_>) -> Result<()> {
    let loaded = mappings::load_dir(config.dir)?;
    let mappings = Mappings::new(loaded, config.prefixes.clone());
    let issuer = format!("http://localhost:{}/auth/issuer", config.port);
    let signer = Signer::from_pem_file(config.signing_key, issuer.clone())?;

    let addr: SocketAddr = format!("{}:{}", config.host, config.port)
        .parse()
        .with_context(|| format!("invalid listen address {}:{}", config.host, config.port))?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr} (is another simulator already running?)"))?;

    info!(
        mappings = mappings.len(),
        dir = %config.dir.display(),
        signing_key = %config.signing_key.display(),
        "simulator listening on http://{addr}"
    );
    info!(
        upstream_prefixes = %config.prefixes.join(" "),
        "mapped URLs are served with or without an upstream prefix"
    );
    info!("HMPPS Auth: POST /auth/oauth/token, GET /auth/.well-known/jwks.json, POST /auth/dev-token?roles=ROLE_A,ROLE_B (issuer {issuer})");

    let state = Arc::new(AppState { mappings, signer });
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("simulator server failed")?;
    info!("simulator stopped");
    Ok(())
}

fn router(state: Shared) -> Router {
    Router::new()
        .route("/auth/oauth/token", post(token))
        .route("/auth/.well-known/jwks.json", get(jwks))
        .route("/auth/dev-token", post(dev_token).get(dev_token))
        .route(
            "/__admin/health",
            get(|| async { Json(json!({"status": "UP"})) }),
        )
        .route("/__admin/mappings", get(list_mappings))
        .fallback(stub)
        .with_state(state)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            warn!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                warn!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    let message = message.into();
    (
        status,
        Json(json!({ "status": status.as_u16(), "message": message })),
    )
        .into_response()
}

/// Fields of `a=1&b=2` (query string or form body).
fn form_fields(text: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(text.as_bytes())
        .into_owned()
        .collect()
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Client id from `Authorization: Basic base64(id:secret)`.
fn basic_client_id(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let id = text.split(':').next()?.trim();
    (!id.is_empty()).then(|| id.to_string())
}

fn parse_roles(roles: Option<&str>) -> Vec<String> {
    roles
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| {
            if r.starts_with("ROLE_") {
                r.to_string()
            } else {
                format!("ROLE_{r}")
            }
        })
        .collect()
}

fn token_response(state: &AppState, subject: &str, roles: &[String]) -> Response {
    match state.signer.token(subject, roles) {
        Ok((token, claims)) => Json(json!({
            "access_token": token,
            "token_type": "bearer",
            "expires_in": TOKEN_LIFETIME_SECONDS,
            "scope": "read write",
            "sub": subject,
            "auth_source": "none",
            "jti": claims["jti"],
            "iss": state.signer.issuer,
        }))
        .into_response(),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, format!("{e:#}")),
    }
}

/// `POST /auth/oauth/token`: client credentials. Parameters may come in the form body or the query; the
/// client id from Basic auth or `client_id`. Optional `authorities=ROLE_A,ROLE_B` adds roles to the token.
async fn token(
    State(state): State<Shared>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut fields = form_fields(query.as_deref().unwrap_or(""));
    fields.extend(form_fields(&String::from_utf8_lossy(&body)));
    let grant_type = field(&fields, "grant_type").unwrap_or("");
    if grant_type != "client_credentials" {
        info!("POST /auth/oauth/token -> 400 (grant_type {grant_type:?})");
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({
                "error": "unsupported_grant_type",
                "error_description": "only grant_type=client_credentials is simulated"
            })),
        )
            .into_response();
    }
    let client = basic_client_id(&headers)
        .or_else(|| field(&fields, "client_id").map(str::to_string))
        .unwrap_or_else(|| DEFAULT_CLIENT.to_string());
    let roles = parse_roles(field(&fields, "authorities"));
    info!(client = %client, roles = ?roles, "POST /auth/oauth/token -> 200 (built-in HMPPS Auth)");
    token_response(&state, &client, &roles)
}

/// `POST /auth/dev-token?roles=ROLE_A,ROLE_B[&sub=name]`: a token for calling the services' APIs by hand.
async fn dev_token(State(state): State<Shared>, RawQuery(query): RawQuery) -> Response {
    let fields = form_fields(query.as_deref().unwrap_or(""));
    let roles = parse_roles(field(&fields, "roles"));
    let subject = field(&fields, "sub")
        .or_else(|| field(&fields, "username"))
        .unwrap_or(DEFAULT_CLIENT)
        .to_string();
    info!(sub = %subject, roles = ?roles, "/auth/dev-token -> 200 (built-in HMPPS Auth)");
    token_response(&state, &subject, &roles)
}

async fn jwks(State(state): State<Shared>) -> Response {
    info!("GET /auth/.well-known/jwks.json -> 200 (built-in HMPPS Auth)");
    Json(state.signer.jwks()).into_response()
}

async fn list_mappings(State(state): State<Shared>) -> Response {
    let list: Vec<Value> = state
        .mappings
        .iter()
        .map(|m| json!({ "source": m.source, "matches": m.describe() }))
        .collect();
    Json(json!({ "total": list.len(), "mappings": list })).into_response()
}

async fn stub(State(state): State<Shared>, method: Method, uri: Uri, body: Bytes) -> Response {
    let request = IncomingRequest {
        method: method.as_str(),
        path: uri.path(),
        query: uri.query(),
        body: &body,
    };
    let target = uri
        .path_and_query()
        .map(|pq| pq.as_str().to_string())
        .unwrap_or_else(|| uri.path().to_string());
    let Some(mapping) = state.mappings.find(&request) else {
        warn!("{method} {target} -> 404 (no simulation)");
        return error(
            StatusCode::NOT_FOUND,
            format!("No simulation for {method} {target}"),
        );
    };
    info!(
        "{method} {target} -> {} via {}",
        mapping.response.status, mapping.source
    );
    let stub = &mapping.response;
    if let Some(ms) = stub.delay_ms {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    let status = StatusCode::from_u16(stub.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = Response::new(Body::from(stub.body.clone()));
    *response.status_mut() = status;
    for (name, value) in &stub.headers {
        match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            (Ok(n), Ok(v)) => {
                response.headers_mut().append(n, v);
            }
            _ => warn!(
                "{}: skipping invalid header {name}: {value}",
                mapping.source
            ),
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;
    use tower::ServiceExt;

    fn state() -> Shared {
        let key = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("keys/dev-private.pem"),
        )
        .expect("dev key");
        let mapping = mappings::parse_file(
            r#"{"mappings":[{"request":{"method":"GET","urlPath":"/api/x"},"response":{"status":200,"jsonBody":{"ok":true}}}]}"#,
            "t",
            Path::new("/nonexistent"),
        )
        .expect("mapping");
        Arc::new(AppState {
            mappings: Mappings::new(mapping, vec!["/prison-api".into()]),
            signer: Signer::from_pem(&key, "http://localhost:8090/auth/issuer".into())
                .expect("signer"),
        })
    }

    async fn call(req: Request<Body>) -> (StatusCode, Value) {
        let resp = router(state()).oneshot(req).await.expect("response");
        let status = resp.status();
        let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20)
            .await
            .expect("body");
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    #[tokio::test]
    async fn serves_mappings_and_404s_the_rest() {
        let (status, body) = call(
            Request::get("/prison-api/api/x?y=1")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, json!({"ok": true}));

        let (status, body) = call(Request::get("/x").body(Body::empty()).expect("request")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(
            body,
            json!({"status": 404, "message": "No simulation for GET /x"})
        );
    }

    #[tokio::test]
    async fn issues_client_credentials_and_dev_tokens() {
        let (status, body) = call(
            Request::post("/auth/oauth/token")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("authorization", "Basic bXktY2xpZW50OnNlY3JldA==")
                .body(Body::from("grant_type=client_credentials"))
                .expect("request"),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["token_type"], "bearer");
        assert_eq!(body["expires_in"], 3600);
        assert_eq!(body["sub"], "my-client");
        assert!(body["access_token"]
            .as_str()
            .is_some_and(|t| t.split('.').count() == 3));

        let (status, _) = call(
            Request::post("/auth/oauth/token")
                .body(Body::from("grant_type=password"))
                .expect("request"),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);

        let (status, body) = call(
            Request::post("/auth/dev-token?roles=ROLE_A,B")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let token = body["access_token"].as_str().expect("token");
        let payload = token.split('.').nth(1).expect("payload");
        let claims: Value = serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(payload)
                .expect("base64"),
        )
        .expect("claims");
        assert_eq!(claims["authorities"], json!(["ROLE_A", "ROLE_B"]));
        assert_eq!(claims["iss"], "http://localhost:8090/auth/issuer");

        let (status, body) = call(
            Request::get("/auth/.well-known/jwks.json")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["keys"][0]["alg"], "RS256");
    }
}
