//! The API Refer and Monitor calls: the two PUTs (spec 2.1, 2.2) behind
//! `ROLE_PROBATION_API__REFER_AND_MONITOR__CASE_DETAIL__RW`, the `/probation-case` reads behind
//! `ROLE_CRS_REFERRAL`, the user, office and PDU reads behind either ([`roles`]; the platform
//! admin role implies both), plus the public OpenAPI document.
//!
//! - [`requests`] validates the bodies ([`fields`] names each bad field);
//! - [`referrals`] runs each request in one transaction, audits it and records its telemetry;
//! - [`reads`] serves [`identifiers`], [`responsible_officer`] (with the LDAP directory),
//!   [`person`], [`convictions`], [`places`] and [`users`];
//! - [`errors`] turns failures into the platform's `ErrorResponse`, [`extract`] does the same for
//!   path parameters and unknown paths;
//! - [`openapi`] serves the document.

pub mod convictions;
pub mod errors;
pub mod extract;
pub mod fields;
pub mod identifiers;
pub mod openapi;
pub mod person;
pub mod places;
pub mod reads;
pub mod referrals;
pub mod requests;
pub mod responsible_officer;
pub mod roles;
pub mod users;

use std::sync::Arc;

use auth::inbound::{require_authenticated, require_role, JwtValidator, RolePolicy};
use axum::middleware::from_fn_with_state;
use axum::routing::{get, put};
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
    // Every method of a known path is checked, so a caller without a token learns nothing but
    // 401; unknown paths answer 404 whoever asks (route_layer, not layer).
    let writes = Router::new()
        .route(
            "/probation-case/{crn}/referrals",
            put(referrals::start_referral).fallback(method_not_allowed),
        )
        .route(
            "/probation-case/{crn}/referrals/{referral_id}/appointments",
            put(referrals::merge_appointment).fallback(method_not_allowed),
        )
        .route_layer(require_role(
            validator.clone(),
            policy.clone(),
            CASE_DETAIL_RW_ROLE,
        ));
    let case_reads = Router::new()
        .route(
            "/probation-case/{crn}/identifiers",
            get(reads::case_identifiers).fallback(method_not_allowed),
        )
        .route(
            "/probation-case/{crn}/responsible-officer",
            get(reads::responsible_officer).fallback(method_not_allowed),
        )
        .route(
            "/probation-case/{crn}/details",
            get(reads::case_details).fallback(method_not_allowed),
        )
        .route(
            "/probation-case/{crn}/convictions",
            get(reads::case_convictions).fallback(method_not_allowed),
        )
        .route(
            "/probation-case/{crn}/convictions/{id}",
            get(reads::case_conviction).fallback(method_not_allowed),
        )
        .route_layer(require_role(
            validator.clone(),
            policy.clone(),
            CRS_REFERRAL_ROLE,
        ));
    let either = roles::AnyRole {
        policy,
        roles: &[CRS_REFERRAL_ROLE, CASE_DETAIL_RW_ROLE],
    };
    let shared_reads = Router::new()
        .route(
            "/users/{username}/managed-cases",
            get(reads::managed_cases).fallback(method_not_allowed),
        )
        .route(
            "/users/{username}/details",
            get(reads::user_details).fallback(method_not_allowed),
        )
        .route(
            "/users/{username}/access",
            get(reads::access)
                .post(reads::access)
                .fallback(method_not_allowed),
        )
        .route(
            "/office-locations",
            get(reads::office_locations).fallback(method_not_allowed),
        )
        .route(
            "/probation-delivery-units",
            get(reads::delivery_units).fallback(method_not_allowed),
        )
        .route_layer(from_fn_with_state(either, roles::require_any))
        .route_layer(require_authenticated(validator));
    Router::new()
        .merge(openapi::routes())
        .merge(
            writes
                .merge(case_reads)
                .merge(shared_reads)
                .with_state(context),
        )
        .fallback(not_found)
}
