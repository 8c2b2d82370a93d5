//! One span and one latency sample per HTTP request. The span declares `client_id` so the auth
//! layer can record which client called.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

pub async fn trace_requests(request: Request, next: Next) -> Response {
    // The route template, not the raw path, keeps metric labels few (`/case-records/{id}`).
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().to_string();
    let span = tracing::info_span!(
        "http",
        otel.kind = "server",
        http.method = %method,
        http.route = %route,
        http.status = tracing::field::Empty,
        client_id = tracing::field::Empty,
    );
    let started = Instant::now();
    let response = next.run(request).instrument(span.clone()).await;
    let status = response.status().as_u16();
    span.record("http.status", status);
    metrics::histogram!("http_request_seconds", "method" => method, "route" => route, "status" => status.to_string())
        .record(started.elapsed().as_secs_f64());
    response
}
