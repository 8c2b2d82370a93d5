//! Operational endpoints: `/health`, `/health/liveness`, `/health/readiness`, `/info`, `/metrics`.
//! They are public (no token), as on the platform.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use metrics_exporter_prometheus::PrometheusHandle;
use serde_json::json;

use crate::settings::ServiceInfo;

/// One dependency that readiness depends on.
#[async_trait]
pub trait HealthCheck: Send + Sync + 'static {
    fn name(&self) -> &'static str;
    async fn check(&self) -> Result<(), String>;
}

/// The database: a pooled connection answers `SELECT 1`.
pub struct DatabaseCheck(pub delius_data::DbPool);

#[async_trait]
impl HealthCheck for DatabaseCheck {
    fn name(&self) -> &'static str {
        "db"
    }
    async fn check(&self) -> Result<(), String> {
        delius_data::pool::check(&self.0)
            .await
            .map_err(|e| e.to_string())
    }
}

/// The consumer's queue is reachable.
pub struct QueueCheck(pub Arc<dyn messaging::Queue>);

#[async_trait]
impl HealthCheck for QueueCheck {
    fn name(&self) -> &'static str {
        "queue"
    }
    async fn check(&self) -> Result<(), String> {
        self.0.check().await.map_err(|e| e.to_string())
    }
}

#[derive(Clone)]
struct OpsState {
    service: ServiceInfo,
    checks: Arc<Vec<Box<dyn HealthCheck>>>,
    metrics: Option<PrometheusHandle>,
}

/// The operational routes. `checks` decide readiness (and the overall `/health`).
pub fn ops_router(
    service: ServiceInfo,
    checks: Vec<Box<dyn HealthCheck>>,
    metrics: Option<PrometheusHandle>,
) -> Router {
    let state = OpsState {
        service,
        checks: Arc::new(checks),
        metrics,
    };
    Router::new()
        .route("/health", get(readiness))
        .route("/health/readiness", get(readiness))
        .route("/health/liveness", get(liveness))
        .route("/info", get(info))
        .route("/metrics", get(render_metrics))
        .with_state(state)
}

async fn liveness() -> Json<serde_json::Value> {
    Json(json!({"status": "UP"}))
}

async fn readiness(State(state): State<OpsState>) -> Response {
    let mut components = BTreeMap::new();
    let mut all_up = true;
    for check in state.checks.iter() {
        let result = tokio::time::timeout(Duration::from_secs(5), check.check())
            .await
            .unwrap_or_else(|_| Err("timed out after 5s".to_owned()));
        let detail = match result {
            Ok(()) => json!({"status": "UP"}),
            Err(error) => {
                all_up = false;
                json!({"status": "DOWN", "details": {"error": error}})
            }
        };
        components.insert(check.name(), detail);
    }
    let status = if all_up {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({"status": if all_up { "UP" } else { "DOWN" }, "components": components});
    (status, Json(body)).into_response()
}

async fn info(State(state): State<OpsState>) -> Json<serde_json::Value> {
    Json(json!({"build": {"name": state.service.name, "version": state.service.version}}))
}

async fn render_metrics(State(state): State<OpsState>) -> Response {
    match &state.metrics {
        Some(handle) => (
            [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
            handle.render(),
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "metrics are not enabled").into_response(),
    }
}
