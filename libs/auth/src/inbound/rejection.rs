//! Turning authentication failures into 401/403/503 `ErrorResponse`s.

use axum::response::{IntoResponse, Response};
use http::header::WWW_AUTHENTICATE;
use http::{HeaderValue, StatusCode};

use super::validator::TokenError;
use crate::ErrorResponse;

/// Why a request was refused by the auth layer.
#[derive(Debug, thiserror::Error)]
pub enum AuthRejection {
    #[error("no bearer token")]
    MissingToken,
    #[error("Authorization header is not a bearer token")]
    MalformedHeader,
    #[error(transparent)]
    InvalidToken(#[from] TokenError),
    #[error("token lacks role {0}")]
    MissingRole(&'static str),
    #[error("no authenticated client: the auth layer is not applied to this route")]
    LayerMissing,
}

impl AuthRejection {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::InvalidToken(TokenError::KeysUnavailable(_)) => StatusCode::SERVICE_UNAVAILABLE,
            Self::MissingToken | Self::MalformedHeader | Self::InvalidToken(_) => {
                StatusCode::UNAUTHORIZED
            }
            Self::MissingRole(_) => StatusCode::FORBIDDEN,
            Self::LayerMissing => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    // Deliberately vague: the detailed reason is logged, not handed to the caller.
    fn message(&self) -> &'static str {
        match self {
            Self::MissingToken => "Authentication required",
            Self::InvalidToken(TokenError::Expired) => "Token expired",
            Self::InvalidToken(TokenError::KeysUnavailable(_)) => "Unable to verify token",
            Self::MalformedHeader | Self::InvalidToken(_) => "Invalid token",
            Self::MissingRole(_) => "Access denied",
            Self::LayerMissing => "Internal server error",
        }
    }

    // RFC 6750 §3: a 401 names the scheme, and says `invalid_token` when one was presented.
    fn challenge(&self) -> Option<&'static str> {
        match self.status() {
            StatusCode::UNAUTHORIZED => Some(match self {
                Self::MissingToken => "Bearer",
                _ => "Bearer error=\"invalid_token\"",
            }),
            _ => None,
        }
    }
}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        match &self {
            Self::LayerMissing => tracing::error!(reason = %self, "request rejected"),
            Self::InvalidToken(TokenError::KeysUnavailable(source)) => {
                tracing::warn!(reason = %self, error = %source, "request rejected")
            }
            _ => tracing::debug!(reason = %self, "request rejected"),
        }
        let challenge = self.challenge();
        let mut response = ErrorResponse::new(self.status(), self.message()).into_response();
        if let Some(challenge) = challenge {
            response
                .headers_mut()
                .insert(WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
        }
        response
    }
}
