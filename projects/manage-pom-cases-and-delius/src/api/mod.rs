//! The probation record API (spec 2): `GET /case-records/{identifier}`, `.../risks/mappa` and
//! `.../risks/rosh`, each behind the `PROBATION_API__MANAGE_POM_CASES__CASE_DETAIL` role (or the
//! platform admin role), plus the public OpenAPI document and page.
//!
//! - [`identifier`] tells a CRN from a NOMS number;
//! - [`probation_record`], [`mappa`] and [`rosh`] build the three bodies;
//! - [`person`] finds the person a `{crn}` path names;
//! - [`registrations`] holds the registration queries they share;
//! - [`errors`] turns failures into the platform's `ErrorResponse`, and [`extract`] does the same
//!   for axum's own rejections (bad path encoding, unknown path, wrong method);
//! - [`openapi`] serves the document and page.

pub mod errors;
pub mod extract;
pub mod identifier;
pub mod mappa;
pub mod openapi;
pub mod person;
pub mod probation_record;
pub mod registrations;
pub mod rosh;

use std::sync::Arc;

use auth::inbound::{require_role, JwtValidator, RolePolicy};
use axum::extract::State;
use axum::routing::{any, get};
use axum::{Json, Router};
use delius_data::DbPool;
use delius_ldap::Directory;

use errors::ApiError;
use extract::{method_not_allowed, not_found, PathValue};
use identifier::{Identifier, UNRECOGNISED_IDENTIFIER_TYPE};

/// The role every `/case-records` route requires (the admin role implies it).
pub const CASE_DETAIL_ROLE: &str = "ROLE_PROBATION_API__MANAGE_POM_CASES__CASE_DETAIL";

/// What the API handlers read from.
#[derive(Clone)]
pub struct ApiState {
    pub pool: DbPool,
    pub directory: Arc<dyn Directory>,
}

/// `/case-records/...` behind the role check, plus the OpenAPI document and page.
pub fn router(state: ApiState, validator: Arc<JwtValidator>) -> Router {
    let policy = Arc::new(RolePolicy::new(vec![CASE_DETAIL_ROLE.to_owned()]));
    let case_records = Router::new()
        .route(
            "/{identifier}",
            get(case_record).fallback(method_not_allowed),
        )
        .route(
            "/{crn}/risks/mappa",
            get(mappa_detail).fallback(method_not_allowed),
        )
        .route("/{crn}/risks/rosh", get(rosh).fallback(method_not_allowed))
        // Every method of a known path is checked, the 405 fallbacks included, so a caller
        // without a token learns nothing but 401. Unknown paths are left out (route_layer, not
        // layer): they answer 404 whoever asks, as they did before.
        .route_layer(require_role(validator, policy, CASE_DETAIL_ROLE))
        .fallback(not_found)
        .with_state(state);
    Router::new()
        .merge(openapi::routes())
        .nest("/case-records", case_records)
        // The nested router's fallback sees `/case-records` and `/case-records/x`, but axum does
        // not hand it `/case-records/` (an empty rest): answer that one the same way.
        .route("/case-records/", any(not_found))
}

async fn case_record(
    State(state): State<ApiState>,
    PathValue(identifier): PathValue,
) -> Result<Json<probation_record::ProbationRecord>, ApiError> {
    let identifier = Identifier::parse(&identifier)
        .ok_or_else(|| ApiError::BadRequest(UNRECOGNISED_IDENTIFIER_TYPE.to_owned()))?;
    let conn = state.pool.get().await?;
    let record =
        probation_record::probation_record(conn, state.directory.as_ref(), identifier).await?;
    Ok(Json(record))
}

async fn mappa_detail(
    State(state): State<ApiState>,
    PathValue(crn): PathValue,
) -> Result<Json<mappa::MappaDetail>, ApiError> {
    let mut conn = state.pool.get().await?;
    Ok(Json(mappa::mappa_detail(&mut conn, &crn).await?))
}

async fn rosh(
    State(state): State<ApiState>,
    PathValue(crn): PathValue,
) -> Result<Json<rosh::Rosh>, ApiError> {
    let mut conn = state.pool.get().await?;
    Ok(Json(rosh::rosh(&mut conn, &crn).await?))
}
