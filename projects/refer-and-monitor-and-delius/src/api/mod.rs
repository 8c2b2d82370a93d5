//! The API Refer and Monitor calls (spec 2.1, 2.2), behind
//! `ROLE_PROBATION_API__REFER_AND_MONITOR__CASE_DETAIL__RW` (or the platform admin role), plus the
//! public OpenAPI document.
//!
//! - [`requests`] validates the bodies ([`fields`] names each bad field);
//! - [`referrals`] runs each request in one transaction, audits it and records its telemetry;
//! - [`errors`] turns failures into the platform's `ErrorResponse`, [`extract`] does the same for
//!   path parameters and unknown paths;
//! - [`openapi`] serves the document.

pub mod errors;
pub mod extract;
pub mod fields;
pub mod openapi;
pub mod referrals;
pub mod requests;

use std::sync::Arc;

use auth::inbound::{require_role, JwtValidator, RolePolicy};
use axum::routing::put;
use axum::Router;

use crate::context::Context;
use extract::{method_not_allowed, not_found};

/// The role both PUTs require (spec rule 1).
pub const CASE_DETAIL_RW_ROLE: &str = "ROLE_PROBATION_API__REFER_AND_MONITOR__CASE_DETAIL__RW";
/// The role of the read-only endpoints of the reference; declared so the admin role covers it.
pub const CRS_REFERRAL_ROLE: &str = "ROLE_CRS_REFERRAL";

pub fn router(context: Context, validator: Arc<JwtValidator>) -> Router {
    let policy = Arc::new(RolePolicy::new(vec![
        CASE_DETAIL_RW_ROLE.to_owned(),
        CRS_REFERRAL_ROLE.to_owned(),
    ]));
    let probation_case = Router::new()
        .route(
            "/probation-case/{crn}/referrals",
            put(referrals::start_referral).fallback(method_not_allowed),
        )
        .route(
            "/probation-case/{crn}/referrals/{referral_id}/appointments",
            put(referrals::merge_appointment).fallback(method_not_allowed),
        )
        // Every method of a known path is checked, so a caller without a token learns nothing
        // but 401; unknown paths answer 404 whoever asks.
        .route_layer(require_role(validator, policy, CASE_DETAIL_RW_ROLE))
        .with_state(context);
    Router::new()
        .merge(openapi::routes())
        .merge(probation_case)
        .fallback(not_found)
}
