//! Path parameters with axum's plain-text rejections turned into the platform's JSON
//! `ErrorResponse`, and the JSON answers for requests no handler takes.

use axum::extract::{FromRequestParts, Path};
use axum::response::{IntoResponse, Response};
use http::request::Parts;
use http::StatusCode;
use serde::de::DeserializeOwned;

use auth::ErrorResponse;

use super::errors::ApiError;

/// The route's path parameters, percent-decoded; a value that does not decode is a 400.
pub struct PathParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for PathParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(Self(value)),
            Err(rejection) if rejection.status().is_client_error() => {
                Err(ApiError::BadRequest(rejection.body_text()))
            }
            Err(rejection) => Err(ApiError::Internal(anyhow::anyhow!(
                "path parameter: {}",
                rejection.body_text()
            ))),
        }
    }
}

pub async fn not_found() -> Response {
    ErrorResponse::new(StatusCode::NOT_FOUND, "Not found").into_response()
}

/// Known paths asked with a method they do not answer (axum still adds the `Allow` header).
pub async fn method_not_allowed() -> Response {
    ErrorResponse::new(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed").into_response()
}
