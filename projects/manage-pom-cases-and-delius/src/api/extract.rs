//! Request parts the handlers read, with axum's plain-text rejections turned into the platform's
//! JSON `ErrorResponse`, and the JSON answers for requests no handler takes.

use axum::extract::{FromRequestParts, Path};
use axum::response::{IntoResponse, Response};
use http::request::Parts;
use http::StatusCode;

use auth::ErrorResponse;

use super::errors::ApiError;

/// The route's one path parameter, percent-decoded. A value that does not decode (e.g. `%FF`,
/// not UTF-8) is a 400 with the platform body rather than axum's plain text.
pub struct PathValue(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathValue {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<String>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(Self(value)),
            Err(rejection) if rejection.status().is_client_error() => {
                Err(ApiError::BadRequest(rejection.body_text()))
            }
            // A route without the parameter: a programming error, not the caller's.
            Err(rejection) => Err(ApiError::Internal(anyhow::anyhow!(
                "path parameter: {}",
                rejection.body_text()
            ))),
        }
    }
}

/// Unknown paths under `/case-records`.
pub async fn not_found() -> Response {
    ErrorResponse::new(StatusCode::NOT_FOUND, "Not found").into_response()
}

/// Known paths asked with a method other than GET (axum still adds the `Allow` header).
pub async fn method_not_allowed() -> Response {
    ErrorResponse::new(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed").into_response()
}
