//! The probation record API (spec 2): `GET /case-records/{identifier}`, `.../risks/mappa` and
//! `.../risks/rosh`, each behind the `PROBATION_API__MANAGE_POM_CASES__CASE_DETAIL` role (or the
//! platform admin role), plus the public OpenAPI document and page.
//!
//! - [`identifier`] tells a CRN from a NOMS number;
//! - [`probation_record`], [`mappa`] and [`rosh`] build the three bodies;
//! - [`registrations`] holds the registration queries they share;
//! - [`errors`] turns failures into the platform's `ErrorResponse`;
//! - [`openapi`] serves the document and page.

pub mod errors;
pub mod identifier;
pub mod mappa;
pub mod openapi;
pub mod probation_record;
pub mod registrations;
pub mod rosh;

use std::sync::Arc;

use auth::inbound::{require_role, JwtValidator, RolePolicy};
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use delius_data::DbPool;
use delius_ldap::Directory;

use errors::ApiError;
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
        .route("/case-records/{identifier}", get(case_record))
        .route("/case-records/{crn}/risks/mappa", get(mappa_detail))
        .route("/case-records/{crn}/risks/rosh", get(rosh))
        // route_layer: unknown paths still answer 404, not 401.
        .route_layer(require_role(validator, policy, CASE_DETAIL_ROLE))
        .with_state(state);
    Router::new().merge(openapi::routes()).merge(case_records)
}

async fn case_record(
    State(state): State<ApiState>,
    Path(identifier): Path<String>,
) -> Result<Json<probation_record::ProbationRecord>, ApiError> {
    let identifier =
        Identifier::parse(&identifier).ok_or(ApiError::BadRequest(UNRECOGNISED_IDENTIFIER_TYPE))?;
    let mut conn = state.pool.get().await?;
    let record =
        probation_record::probation_record(&mut conn, state.directory.as_ref(), identifier).await?;
    Ok(Json(record))
}

async fn mappa_detail(
    State(state): State<ApiState>,
    Path(crn): Path<String>,
) -> Result<Json<mappa::MappaDetail>, ApiError> {
    let mut conn = state.pool.get().await?;
    Ok(Json(mappa::mappa_detail(&mut conn, &crn).await?))
}

async fn rosh(
    State(state): State<ApiState>,
    Path(crn): Path<String>,
) -> Result<Json<rosh::Rosh>, ApiError> {
    let mut conn = state.pool.get().await?;
    Ok(Json(rosh::rosh(&mut conn, &crn).await?))
}
