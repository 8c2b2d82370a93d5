//! Inbound authentication: HMPPS Auth bearer JWTs on our HTTP APIs.
//!
//! ```no_run
//! # use std::sync::Arc;
//! # use axum::{routing::get, Router};
//! use auth::inbound::{require_role, AuthenticatedClient, JwtSettings, JwtValidator, RolePolicy};
//!
//! # fn app(jwk_set_uri: url::Url, issuer: String) -> Result<Router, reqwest::Error> {
//! let http = auth::outbound::http_client()?;
//! let validator = Arc::new(JwtValidator::new(JwtSettings { jwk_set_uri, issuer, http }));
//! let policy = Arc::new(RolePolicy::new(vec!["ROLE_EXAMPLE".into()]));
//! let protected = Router::new()
//!     .route("/case/{crn}", get(handler))
//!     .route_layer(require_role(validator, policy, "ROLE_EXAMPLE"));
//! Ok(Router::new()
//!     .route("/health", get(|| async { "UP" })) // public: the layer is not applied to it
//!     .merge(protected))
//! # }
//!
//! async fn handler(client: AuthenticatedClient) -> String {
//!     client.client_id().to_owned()
//! }
//! ```
//!
//! Public paths (`/health/**`, `/info`, API docs) are simply routes that the layer is not applied
//! to: build them in a router without `require_role` and merge it with the protected one. Use
//! `route_layer` (not `layer`) so unknown paths still answer 404 rather than 401.

mod claims;
mod extract;
mod keys;
mod layer;
mod policy;
mod rejection;
mod validator;

pub use claims::Claims;
pub use extract::AuthenticatedClient;
pub use keys::JwksError;
pub use layer::{require_authenticated, require_role, RequireRole, RequireRoleLayer};
pub use policy::{RolePolicy, ADMIN_ROLE};
pub use rejection::AuthRejection;
pub use validator::{JwtSettings, JwtValidator, TokenError};
