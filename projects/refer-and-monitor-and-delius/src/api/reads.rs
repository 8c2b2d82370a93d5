//! The read-only handlers (spec 2.3, 2.8, 2.9, 2.11, 2.12): one query each, no writes, no audit.

use axum::body::Bytes;
use axum::extract::State;
use axum::Json;

use delius_data::time::{now_london, today_london};

use super::errors::ApiError;
use super::extract::PathParams;
use super::identifiers::{self, CaseIdentifier};
use super::places::{self, DeliveryUnit, OfficeLocation};
use super::users::{self, ManagedCases, UserAccess};
use crate::context::Context;

pub async fn case_identifiers(
    State(context): State<Context>,
    PathParams(crn): PathParams<String>,
) -> Result<Json<CaseIdentifier>, ApiError> {
    let mut conn = context.pool.get().await?;
    Ok(Json(
        identifiers::identifiers(&mut conn, &crn)
            .await
            .map_err(anyhow::Error::from)?,
    ))
}

pub async fn office_locations(
    State(context): State<Context>,
) -> Result<Json<Vec<OfficeLocation>>, ApiError> {
    let mut conn = context.pool.get().await?;
    Ok(Json(
        places::office_locations(&mut conn, today_london())
            .await
            .map_err(anyhow::Error::from)?,
    ))
}

pub async fn delivery_units(
    State(context): State<Context>,
) -> Result<Json<Vec<DeliveryUnit>>, ApiError> {
    let mut conn = context.pool.get().await?;
    Ok(Json(
        places::delivery_units(&mut conn)
            .await
            .map_err(anyhow::Error::from)?,
    ))
}

pub async fn managed_cases(
    State(context): State<Context>,
    PathParams(username): PathParams<String>,
) -> Result<Json<ManagedCases>, ApiError> {
    let mut conn = context.pool.get().await?;
    let username = users::resolve_username(&mut conn, &username)
        .await
        .map_err(anyhow::Error::from)?;
    Ok(Json(
        users::managed_cases(&mut conn, &username)
            .await
            .map_err(anyhow::Error::from)?,
    ))
}

/// GET or POST, the CRNs in the body either way (spec 2.9).
pub async fn access(
    State(context): State<Context>,
    PathParams(username): PathParams<String>,
    body: Bytes,
) -> Result<Json<UserAccess>, ApiError> {
    let crns = users::crns(&body)?;
    let mut conn = context.pool.get().await?;
    let username = users::resolve_username(&mut conn, &username)
        .await
        .map_err(anyhow::Error::from)?;
    Ok(Json(
        users::access(&mut conn, &username, &crns, now_london())
            .await
            .map_err(anyhow::Error::from)?,
    ))
}
