//! What the API answers when it cannot give the record: the platform's `ErrorResponse` body
//! (`{"status": ..., "message": ...}`) with the reference implementation's messages.

use std::fmt::Display;

use auth::ErrorResponse;
use axum::response::{IntoResponse, Response};
use http::StatusCode;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 404 `"<entity> with <field> of <value> not found"`.
    #[error("{0}")]
    NotFound(String),
    /// 400, e.g. an identifier that is neither a CRN nor a NOMS number, or a path segment that
    /// is not valid percent-encoded UTF-8.
    #[error("{0}")]
    BadRequest(String),
    /// 503: no database connection came free in time (the pool is exhausted or the database
    /// cannot be reached). Worth retrying, unlike a 500.
    #[error("{0}")]
    Unavailable(String),
    /// 500: the database failed, or Delius holds data the API cannot describe. Logged in full;
    /// the caller gets a generic message.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    /// `not_found("Person", "crn of X")` gives `Person with crn of X not found`.
    pub fn not_found(entity: &str, key: impl Display) -> Self {
        Self::NotFound(format!("{entity} with {key} not found"))
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        Self::Internal(error.into())
    }
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for ApiError {
    fn from(error: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        use diesel_async::pooled_connection::deadpool::PoolError;
        match error {
            PoolError::Timeout(_) | PoolError::Backend(_) => {
                tracing::warn!(error = %error, "no database connection for a case record request");
                Self::Unavailable("Service unavailable: the database is busy, try again".to_owned())
            }
            other => Self::Internal(other.into()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            Self::NotFound(message) => (StatusCode::NOT_FOUND, message),
            Self::BadRequest(message) => (StatusCode::BAD_REQUEST, message),
            Self::Unavailable(message) => {
                let mut response =
                    ErrorResponse::new(StatusCode::SERVICE_UNAVAILABLE, message).into_response();
                response.headers_mut().insert(
                    http::header::RETRY_AFTER,
                    http::HeaderValue::from_static("1"),
                );
                return response;
            }
            Self::Internal(error) => {
                tracing::error!(error = format!("{error:#}"), "case record request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Internal server error".to_owned(),
                )
            }
        };
        ErrorResponse::new(status, message).into_response()
    }
}
