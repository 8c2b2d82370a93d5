//! The OpenAPI document (`/v3/api-docs`) and a browsable page for it (`/swagger-ui`), both public
//! like the platform's permitAll list. The document is written by hand next to the code
//! (`openapi.json`); a test checks that it describes exactly the routes, roles, bodies and
//! statuses the handlers have.

use axum::response::{Html, IntoResponse, Redirect};
use axum::routing::get;
use axum::Router;
use http::header::CONTENT_TYPE;

pub const DOCUMENT: &str = include_str!("openapi.json");

/// Swagger UI, fetched by the browser from a CDN: nothing is downloaded when building. The
/// version is pinned exactly, so the page cannot change under us when the package publishes.
/// There is no `integrity` (SRI) hash: it has to be computed from the published files, which
/// this build never downloads; add one when the version is next bumped from a machine online.
const PAGE: &str = r##"<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>refer-and-monitor-and-delius API</title>
  <link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.17.14/swagger-ui.css" crossorigin="anonymous">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.17.14/swagger-ui-bundle.js" crossorigin="anonymous"></script>
  <script>window.ui = SwaggerUIBundle({ url: "/v3/api-docs", dom_id: "#swagger-ui" });</script>
</body>
</html>
"##;

pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/v3/api-docs", get(document))
        .route("/swagger-ui", get(page))
        .route("/swagger-ui/", get(page))
        .route("/swagger-ui/index.html", get(page))
        .route(
            "/swagger-ui.html",
            get(|| async { Redirect::permanent("/swagger-ui/index.html") }),
        )
}

async fn document() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], DOCUMENT)
}

async fn page() -> Html<&'static str> {
    Html(PAGE)
}
