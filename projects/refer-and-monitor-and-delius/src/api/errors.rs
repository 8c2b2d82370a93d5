//! What the API answers when it cannot do what was asked: the platform's `ErrorResponse`
//! (`{"status": ..., "message": ..., "fields": [...]}`) with the spec's messages.

use auth::{ErrorResponse, FieldError};
use axum::response::{IntoResponse, Response};
use http::StatusCode;

use crate::errors::{BadRequest, Conflict, NotFound};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 404, e.g. `Person with crn of X not found`, `Unable to match Referral ... => CRN ...`.
    #[error("{0}")]
    NotFound(String),
    /// 400 with a message, e.g. `Appointment started in the past and no outcome was provided`.
    #[error("{0}")]
    BadRequest(String),
    /// 400 naming each field that is missing or not valid.
    #[error("Validation failure")]
    Validation(Vec<FieldError>),
    /// 409, a clash with an existing future appointment.
    #[error("{0}")]
    Conflict(String),
    /// 503: no database connection came free in time. Worth retrying, unlike a 500.
    #[error("{0}")]
    Unavailable(String),
    /// 500: logged in full; the caller gets a generic message.
    #[error(transparent)]
    Internal(anyhow::Error),
}

impl From<anyhow::Error> for ApiError {
    fn from(error: anyhow::Error) -> Self {
        if let Some(e) = error.downcast_ref::<NotFound>() {
            return Self::NotFound(e.0.clone());
        }
        if let Some(e) = error.downcast_ref::<BadRequest>() {
            return Self::BadRequest(e.0.clone());
        }
        if let Some(e) = error.downcast_ref::<Conflict>() {
            return Self::Conflict(e.0.clone());
        }
        if let Some(pool) =
            error.downcast_ref::<diesel_async::pooled_connection::deadpool::PoolError>()
        {
            use diesel_async::pooled_connection::deadpool::PoolError;
            if matches!(pool, PoolError::Timeout(_) | PoolError::Backend(_)) {
                return Self::unavailable(pool);
            }
        }
        Self::Internal(error)
    }
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for ApiError {
    fn from(error: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        anyhow::Error::from(error).into()
    }
}

impl ApiError {
    fn unavailable(error: &dyn std::fmt::Display) -> Self {
        tracing::warn!(error = %error, "no database connection for a request");
        Self::Unavailable("Service unavailable: the database is busy, try again".to_owned())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::BadRequest(_) | Self::Validation(_) => StatusCode::BAD_REQUEST,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = match self {
            Self::NotFound(message) | Self::BadRequest(message) | Self::Conflict(message) => {
                ErrorResponse::new(status, message)
            }
            Self::Validation(fields) => ErrorResponse::validation(fields),
            Self::Unavailable(message) => {
                let mut response = ErrorResponse::new(status, message).into_response();
                response.headers_mut().insert(
                    http::header::RETRY_AFTER,
                    http::HeaderValue::from_static("1"),
                );
                return response;
            }
            Self::Internal(error) => {
                tracing::error!(error = format!("{error:#}"), "request failed");
                ErrorResponse::new(status, "Internal server error")
            }
        };
        body.into_response()
    }
}
