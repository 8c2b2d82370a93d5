//! The tower layer that authenticates a request and checks its role before the handler runs.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use http::header::AUTHORIZATION;
use http::HeaderMap;
use tower::{Layer, Service};
use tracing::Instrument;

use super::claims::Claims;
use super::policy::RolePolicy;
use super::rejection::AuthRejection;
use super::validator::JwtValidator;

/// Requires a valid HMPPS Auth token carrying `role` (directly, or through the admin role when
/// the policy declares `role`). Apply with `Router::route_layer`; see the module docs.
pub fn require_role(
    validator: Arc<JwtValidator>,
    policy: Arc<RolePolicy>,
    role: &'static str,
) -> RequireRoleLayer {
    RequireRoleLayer {
        guard: Arc::new(Guard {
            validator,
            requirement: Some((policy, role)),
        }),
    }
}

/// Requires a valid HMPPS Auth token, whatever its roles.
pub fn require_authenticated(validator: Arc<JwtValidator>) -> RequireRoleLayer {
    RequireRoleLayer {
        guard: Arc::new(Guard {
            validator,
            requirement: None,
        }),
    }
}

#[derive(Clone)]
pub struct RequireRoleLayer {
    guard: Arc<Guard>,
}

impl<S> Layer<S> for RequireRoleLayer {
    type Service = RequireRole<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RequireRole {
            inner,
            guard: Arc::clone(&self.guard),
        }
    }
}

#[derive(Clone)]
pub struct RequireRole<S> {
    inner: S,
    guard: Arc<Guard>,
}

impl<S> Service<Request> for RequireRole<S>
where
    S: Service<Request, Response = Response> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        // Take the service that was polled ready and leave a fresh clone behind (tower's rule).
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let guard = Arc::clone(&self.guard);
        Box::pin(async move {
            let claims = match guard.authorise(request.headers()).await {
                Ok(claims) => claims,
                Err(rejection) => return Ok(rejection.into_response()),
            };
            let client_id = claims.client_id.clone().unwrap_or_default();
            // Recorded on the caller's request span if it declares `client_id` (e.g. as
            // `tracing::field::Empty`), and on a span around the handler either way.
            tracing::Span::current().record("client_id", client_id.as_str());
            let span = tracing::info_span!("authenticated", client_id = %client_id);
            request.extensions_mut().insert(claims);
            inner.call(request).instrument(span).await
        })
    }
}

struct Guard {
    validator: Arc<JwtValidator>,
    requirement: Option<(Arc<RolePolicy>, &'static str)>,
}

impl Guard {
    async fn authorise(&self, headers: &HeaderMap) -> Result<Claims, AuthRejection> {
        let token = bearer_token(headers)?;
        let claims = self.validator.validate(token).await?;
        if let Some((policy, role)) = &self.requirement {
            if !policy.allows(&claims.authorities, role) {
                return Err(AuthRejection::MissingRole(role));
            }
        }
        Ok(claims)
    }
}

/// The token from `Authorization: Bearer <token>` (scheme case-insensitive, RFC 6750 §2.1).
fn bearer_token(headers: &HeaderMap) -> Result<&str, AuthRejection> {
    let mut values = headers.get_all(AUTHORIZATION).iter();
    let value = values.next().ok_or(AuthRejection::MissingToken)?;
    // Two Authorization headers are ambiguous; refuse rather than guess which one counts.
    if values.next().is_some() {
        return Err(AuthRejection::MalformedHeader);
    }
    let value = value.to_str().map_err(|_| AuthRejection::MalformedHeader)?;
    let (scheme, token) = value
        .split_once(' ')
        .ok_or(AuthRejection::MalformedHeader)?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() || token.contains(' ') {
        return Err(AuthRejection::MalformedHeader);
    }
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(values: &[&'static str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(AUTHORIZATION, HeaderValue::from_static(value));
        }
        headers
    }

    #[test]
    fn reads_bearer_token() {
        assert_eq!(
            bearer_token(&headers(&["Bearer abc.def"])).ok(),
            Some("abc.def")
        );
        assert_eq!(bearer_token(&headers(&["bearer abc"])).ok(), Some("abc"));
    }

    #[test]
    fn rejects_missing_and_malformed_headers() {
        assert!(matches!(
            bearer_token(&headers(&[])),
            Err(AuthRejection::MissingToken)
        ));
        for bad in ["Basic abc", "Bearer", "Bearer ", "Bearer a b", "abc"] {
            assert!(
                matches!(
                    bearer_token(&headers(&[bad])),
                    Err(AuthRejection::MalformedHeader)
                ),
                "{bad:?} should be malformed"
            );
        }
        assert!(matches!(
            bearer_token(&headers(&["Bearer a", "Bearer b"])),
            Err(AuthRejection::MalformedHeader)
        ));
    }
}
