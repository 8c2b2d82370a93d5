//! The read-only handlers (spec 2.3-2.12): no writes, no audit.

use axum::body::Bytes;
use axum::extract::State;
use axum::Json;

use delius_data::time::{now_london, today_london};

use super::convictions::{self, CaseConviction, CaseConvictions};
use super::errors::ApiError;
use super::extract::PathParams;
use super::identifiers::{self, CaseIdentifier};
use super::person;
use super::places::{self, DeliveryUnit, OfficeLocation};
use super::responsible_officer::{self, ResponsibleOfficer};
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

/// 404 with an empty body for an unknown person (spec 2.5).
pub async fn case_details(
    State(context): State<Context>,
    PathParams(crn): PathParams<String>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let mut conn = context.pool.get().await?;
    let detail = person::case_detail(&mut conn, &crn, today_london())
        .await
        .map_err(anyhow::Error::from)?;
    Ok(match detail {
        Some((_, detail)) => Json(detail).into_response(),
        None => http::StatusCode::NOT_FOUND.into_response(),
    })
}

pub async fn case_convictions(
    State(context): State<Context>,
    PathParams(crn): PathParams<String>,
) -> Result<Json<CaseConvictions>, ApiError> {
    let mut conn = context.pool.get().await?;
    let (offender_id, case_detail) = person::case_detail(&mut conn, &crn, today_london())
        .await
        .map_err(anyhow::Error::from)?
        .ok_or_else(|| ApiError::NotFound(format!("Person with crn of {crn} not found")))?;
    let convictions = convictions::convictions(&mut conn, offender_id)
        .await
        .map_err(anyhow::Error::from)?;
    Ok(Json(CaseConvictions {
        case_detail,
        convictions,
    }))
}

pub async fn case_conviction(
    State(context): State<Context>,
    PathParams((crn, id)): PathParams<(String, String)>,
) -> Result<Json<CaseConviction>, ApiError> {
    let mut conn = context.pool.get().await?;
    let (offender_id, case_detail) = person::case_detail(&mut conn, &crn, today_london())
        .await
        .map_err(anyhow::Error::from)?
        .ok_or_else(|| ApiError::NotFound(format!("Person with crn of {crn} not found")))?;
    let not_found = || ApiError::NotFound(format!("Event {id} not found for {crn}"));
    let event_id: i64 = id.parse().map_err(|_| not_found())?;
    let conviction = convictions::conviction_by_id(&mut conn, offender_id, event_id)
        .await
        .map_err(anyhow::Error::from)?
        .ok_or_else(not_found)?;
    Ok(Json(CaseConviction {
        case_detail,
        conviction,
    }))
}

/// 404 `Person with crn of X not found` when there is no active community manager.
pub async fn responsible_officer(
    State(context): State<Context>,
    PathParams(crn): PathParams<String>,
) -> Result<Json<ResponsibleOfficer>, ApiError> {
    let mut conn = context.pool.get().await?;
    let officer = responsible_officer::responsible_officer(
        &mut conn,
        context.directory.as_ref(),
        &crn,
        today_london(),
    )
    .await
    .map_err(anyhow::Error::from)?;
    officer
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("Person with crn of {crn} not found")))
}

/// 404 with an empty body when the directory has no such user (spec 2.10).
pub async fn user_details(
    State(context): State<Context>,
    PathParams(username): PathParams<String>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let username = {
        let mut conn = context.pool.get().await?;
        users::resolve_username(&mut conn, &username)
            .await
            .map_err(anyhow::Error::from)?
    };
    let detail = responsible_officer::user_detail(context.directory.as_ref(), &username)
        .await
        .map_err(anyhow::Error::from)?;
    Ok(match detail {
        Some(detail) => Json(detail).into_response(),
        None => http::StatusCode::NOT_FOUND.into_response(),
    })
}
