//! The platform-wide JSON error body: `{"status": 404, "message": "...", "fields": [...]}`.

use axum::response::{IntoResponse, Response};
use axum::Json;
use http::StatusCode;
use serde::{Deserialize, Serialize};

/// Error body returned by every API (platform spec §2.1 `ErrorResponse{status, message, fields?}`).
///
/// `fields` is only serialised when present, so a plain error is `{"status":401,"message":"..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorResponse {
    pub status: u16,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<FieldError>>,
}

/// One field-level validation failure, as in the bean-validation 400 response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub code: String,
    pub message: String,
    pub field: String,
}

impl ErrorResponse {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status: status.as_u16(),
            message: message.into(),
            fields: None,
        }
    }

    /// The 400 "Validation failure" response with its field errors.
    pub fn validation(fields: Vec<FieldError>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "Validation failure").with_fields(fields)
    }

    pub fn with_fields(mut self, fields: Vec<FieldError>) -> Self {
        self.fields = Some(fields);
        self
    }

    /// The HTTP status, falling back to 500 if `status` was set by hand to something invalid.
    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl IntoResponse for ErrorResponse {
    fn into_response(self) -> Response {
        (self.status_code(), Json(self)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn omits_fields_when_absent() {
        let body = serde_json::to_value(ErrorResponse::new(StatusCode::NOT_FOUND, "Not found"));
        assert_eq!(
            body.ok(),
            Some(serde_json::json!({"status": 404, "message": "Not found"}))
        );
    }

    #[test]
    fn includes_fields_when_present() {
        let body = serde_json::to_value(ErrorResponse::validation(vec![FieldError {
            code: "NotBlank".into(),
            message: "must not be blank".into(),
            field: "crn".into(),
        }]));
        assert_eq!(
            body.ok(),
            Some(serde_json::json!({
                "status": 400,
                "message": "Validation failure",
                "fields": [{"code": "NotBlank", "message": "must not be blank", "field": "crn"}]
            }))
        );
    }
}
