//! The two PUT handlers: validate, run the workflow in one transaction, write the audit row,
//! record the telemetry (spec 2.1, 2.2).

use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use chrono::SecondsFormat;
use diesel_async::scoped_futures::ScopedFutureExt;
use diesel_async::AsyncConnection;
use http::StatusCode;
use messaging::Properties;
use serde::Serialize;
use uuid::Uuid;

use audit_iaps::AuditParameters;

use super::errors::ApiError;
use super::extract::PathParams;
use super::requests;
use crate::appointment::merge::{self, Merged};
use crate::context::Context;
use crate::referral::{self, StartedNsi};
use crate::refs::{ADD_CONTACT, MANAGE_NSI};

/// `PUT /probation-case/{crn}/referrals`: 204 once the referral's NSI matches R&M.
pub async fn start_referral(
    State(context): State<Context>,
    PathParams(crn): PathParams<String>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let request = requests::referral_started(&body)?;
    let user_id = context.user_id();
    let mut conn = context.pool.get().await?;
    let result = conn
        .transaction::<StartedNsi, anyhow::Error, _>(|tx| {
            let (crn, request) = (&crn, &request);
            async move { referral::start(tx, user_id, crn, request).await }.scope_boxed()
        })
        .await;
    drop(conn);
    let mut params = AuditParameters::new();
    if let Ok(started) = &result {
        params.set("offenderId", started.offender_id);
        params.set("nsiId", started.nsi_id);
    }
    crate::audit::record(&context.auditor, MANAGE_NSI, &params, result.is_ok()).await;
    result?;
    context.telemetry.track(
        "ReferralStarted",
        &Properties::from([
            ("crn".to_owned(), crn),
            ("referralId".to_owned(), request.referral_id.to_string()),
        ]),
    );
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppointmentMerged {
    pub appointment_id: i64,
}

/// `PUT /probation-case/{crn}/referrals/{referralId}/appointments`: 200 with the Delius id of
/// the contact that now is the appointment.
pub async fn merge_appointment(
    State(context): State<Context>,
    PathParams((crn, referral_id)): PathParams<(String, String)>,
    body: Bytes,
) -> Result<Json<AppointmentMerged>, ApiError> {
    // Only checked: the body's referralId is the one used (spec 2.2).
    if Uuid::parse_str(&referral_id).is_err() {
        return Err(ApiError::BadRequest(format!(
            "referralId {referral_id} in the path is not a UUID"
        )));
    }
    let request = requests::merge_appointment(&body)?;
    let user_id = context.user_id();
    let telemetry = context.telemetry.clone();
    let mut conn = context.pool.get().await?;
    let result = conn
        .transaction::<Merged, anyhow::Error, _>(|tx| {
            let (crn, request, telemetry) = (&crn, &request, &telemetry);
            async move { merge::merge(tx, user_id, telemetry, crn, request).await }.scope_boxed()
        })
        .await;
    drop(conn);
    let mut params = AuditParameters::new();
    if let Ok(merged) = &result {
        params.set("offenderId", merged.offender_id);
        params.set("contactId", merged.contact_id);
    }
    crate::audit::record(&context.auditor, ADD_CONTACT, &params, result.is_ok()).await;
    let merged = match result.map_err(ApiError::from) {
        Ok(merged) => merged,
        Err(error @ ApiError::BadRequest(_)) => {
            context.telemetry.track(
                "PastAppointmentWithoutOutcome",
                &past_properties(&crn, &request),
            );
            return Err(error);
        }
        Err(error) => return Err(error),
    };
    context.telemetry.track(
        "MergeAppointment",
        &Properties::from([
            ("crn".to_owned(), crn),
            ("referralId".to_owned(), request.referral_id.to_string()),
            ("appointmentId".to_owned(), request.id.to_string()),
            ("deliusId".to_owned(), merged.contact_id.to_string()),
            (
                "rescheduleRequestedBy".to_owned(),
                request
                    .reschedule_requested_by
                    .clone()
                    .unwrap_or_else(|| "null".to_owned()),
            ),
        ]),
    );
    Ok(Json(AppointmentMerged {
        appointment_id: merged.contact_id,
    }))
}

fn past_properties(crn: &str, request: &crate::appointment::MergeAppointment) -> Properties {
    Properties::from([
        ("crn".to_owned(), crn.to_owned()),
        ("referralId".to_owned(), request.referral_id.to_string()),
        (
            "referralReference".to_owned(),
            request.referral_reference.clone(),
        ),
        ("appointmentId".to_owned(), request.id.to_string()),
        (
            "startTime".to_owned(),
            request.start.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        ),
        (
            "outcome".to_owned(),
            request
                .outcome
                .map_or("null", |o| o.attended.name())
                .to_owned(),
        ),
    ])
}
