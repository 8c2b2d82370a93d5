//! The spec's role split (rule 1): the PUTs need the RW role, `/probation-case/{crn}/...` reads
//! `ROLE_CRS_REFERRAL`, and users, offices and PDUs accept either. The shared layer checks one
//! role; this middleware, behind `require_authenticated`, accepts any of several.

use std::sync::Arc;

use auth::inbound::{AuthRejection, Claims, RolePolicy};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

#[derive(Clone)]
pub struct AnyRole {
    pub policy: Arc<RolePolicy>,
    pub roles: &'static [&'static str],
}

/// 403 unless the authenticated caller has one of the roles (or the admin role, through the
/// policy).
pub async fn require_any(State(any): State<AnyRole>, request: Request, next: Next) -> Response {
    let allowed = request.extensions().get::<Claims>().is_some_and(|claims| {
        any.roles
            .iter()
            .any(|role| any.policy.allows(&claims.authorities, role))
    });
    if !allowed {
        let first = any.roles.first().copied().unwrap_or_default();
        return AuthRejection::MissingRole(first).into_response();
    }
    next.run(request).await
}
