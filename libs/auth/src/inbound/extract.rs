//! The `AuthenticatedClient` extractor: the claims the auth layer put in the request extensions.

use axum::extract::FromRequestParts;
use http::request::Parts;

use super::claims::Claims;
use super::rejection::AuthRejection;

/// The caller authenticated by `require_role`/`require_authenticated`.
///
/// Extraction fails with a 500 if the route has no auth layer: that is a wiring mistake, and
/// failing loudly beats silently serving an unprotected route as if it were protected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthenticatedClient(pub Claims);

impl AuthenticatedClient {
    pub fn claims(&self) -> &Claims {
        &self.0
    }

    /// The client id, falling back to the subject (they are equal for client-credentials tokens).
    pub fn client_id(&self) -> &str {
        self.0.client_id.as_deref().unwrap_or(&self.0.sub)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for AuthenticatedClient {
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Claims>()
            .cloned()
            .map(Self)
            .ok_or(AuthRejection::LayerMissing)
    }
}
