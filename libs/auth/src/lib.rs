//! HMPPS Auth integration for the probation integration services.
//!
//! * [`inbound`]: validates HMPPS Auth bearer JWTs on our HTTP APIs (RS256, keys from the JWKS URL)
//!   and checks roles, as an axum layer plus an extractor for the authenticated client.
//! * [`outbound`]: client-credentials tokens for calls to other HMPPS services, and an HTTP client
//!   that adds the token, retries I/O failures and maps 404 to `None`.
//! * [`ErrorResponse`]: the platform's JSON error body, shared by every API (401/403 here,
//!   400/404/409 in the services).

mod error_response;
pub mod inbound;
pub mod outbound;

pub use error_response::{ErrorResponse, FieldError};
