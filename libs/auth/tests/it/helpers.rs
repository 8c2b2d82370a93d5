use std::sync::Arc;

use auth::inbound::{
    require_authenticated, require_role, AuthenticatedClient, Claims, JwtValidator, RolePolicy,
};
use axum::body::Body;
use axum::routing::get;
use axum::{Json, Router};
use http::{HeaderMap, Request, StatusCode};
use serde_json::Value;
use test_support::auth::FakeHmppsAuth;
use tower::ServiceExt;

/// A role the test service declares (so the admin role implies it).
pub const SERVICE_ROLE: &str = "ROLE_EXAMPLE_SERVICE";
/// A role the test service checks on one route but does not declare.
pub const UNDECLARED_ROLE: &str = "ROLE_SOMETHING_ELSE";

pub struct TestApp {
    pub fake: FakeHmppsAuth,
    pub router: Router,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl TestApp {
    pub async fn start() -> Self {
        let fake = FakeHmppsAuth::start().await;
        let validator = Arc::new(JwtValidator::new(fake.jwt_settings(reqwest::Client::new())));
        let router = router(validator);
        Self { fake, router }
    }

    pub async fn get(&self, path: &str, authorization: Option<&str>) -> TestResponse {
        let mut request = Request::get(path);
        if let Some(value) = authorization {
            request = request.header(http::header::AUTHORIZATION, value);
        }
        let request = request.body(Body::empty()).expect("valid request");
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router is infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("body should be readable");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        TestResponse {
            status,
            headers,
            body,
        }
    }

    /// GET the route that requires the declared service role, with `Bearer <token>`.
    pub async fn get_protected(&self, token: &str) -> TestResponse {
        self.get("/declared", Some(&format!("Bearer {token}")))
            .await
    }
}

fn router(validator: Arc<JwtValidator>) -> Router {
    let policy = Arc::new(RolePolicy::new(vec![SERVICE_ROLE.to_owned()]));
    let declared = Router::new()
        .route("/declared", get(whoami))
        .route_layer(require_role(
            Arc::clone(&validator),
            Arc::clone(&policy),
            SERVICE_ROLE,
        ));
    let undeclared = Router::new()
        .route("/undeclared", get(whoami))
        .route_layer(require_role(
            Arc::clone(&validator),
            policy,
            UNDECLARED_ROLE,
        ));
    let authenticated = Router::new()
        .route("/authenticated", get(whoami))
        .route_layer(require_authenticated(validator));
    Router::new()
        .route("/health", get(|| async { "UP" }))
        // A wiring mistake: the extractor on a route without the auth layer.
        .route("/unprotected-whoami", get(whoami))
        .merge(declared)
        .merge(undeclared)
        .merge(authenticated)
}

async fn whoami(client: AuthenticatedClient) -> Json<Claims> {
    Json(client.0)
}
