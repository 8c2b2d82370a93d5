//! Appointment feedback (spec 3.2, 3.3, 3.4): the initial assessment's and a delivery session's
//! latest attendance feedback becomes the appointment contact's outcome.
//!
//! - [`session`]: the R&M bodies and the choice of feedback;
//! - [`record`]: finding the appointment and recording the outcome, audited;
//! - [`not_found`]: the `Appointment Not Found` rejection and its diagnosis.

pub mod not_found;
pub mod record;
pub mod session;

use messaging::{HmppsDomainEvent, Outcome};
use uuid::Uuid;

use super::{crn, detail_url, info_number, info_str, upstream, Common, Failure};
use crate::attendance::Attendance;
use crate::context::Context;
use crate::notes;
use session::{latest, DeliverySession, SupplierAssessment};

/// What the update-outcome step (spec 3.4) needs from either event.
pub struct Feedback<'a> {
    pub crn: &'a str,
    pub appointment_id: Uuid,
    pub delius_id: Option<i64>,
    pub referral_id: Uuid,
    pub referral_reference: &'a str,
    pub attendance: Attendance,
    pub notes: String,
}

pub async fn initial_assessment(
    context: &Context,
    event: &HmppsDomainEvent,
) -> anyhow::Result<Outcome> {
    let common = Common::of(event);
    let url = detail_url(event)?;
    let crn = crn(event)?;
    let reference = info_str(event, "referralReference")?;
    let notes = notes::session_feedback(
        &info_str(event, "contractTypeName")?,
        &reference,
        &info_str(event, "primeProviderName")?,
        &info_str(event, "referralProbationUserURL")?,
    );
    let assessment: SupplierAssessment =
        upstream::fetch(context, &common, url)
            .await?
            .ok_or_else(|| {
                Failure::illegal_argument(format!("Unable to retrieve appointment: {url}"))
            })?;
    let (appointment_id, feedback) = latest(&assessment.appointments).ok_or_else(|| {
        Failure::illegal_state(format!(
            "No feedback information available for referral {}: supplier assessment {}",
            assessment.referral_id, assessment.id
        ))
    })?;
    let feedback = Feedback {
        crn,
        appointment_id,
        delius_id: info_number(event, "deliusAppointmentId"),
        referral_id: assessment.referral_id,
        referral_reference: &reference,
        attendance: feedback.attendance()?,
        notes,
    };
    record::update_outcome(context, &common, &feedback).await?;
    Ok(success("InitialAppointmentSubmitted", &common, &feedback))
}

pub async fn delivery_session(
    context: &Context,
    event: &HmppsDomainEvent,
) -> anyhow::Result<Outcome> {
    let common = Common::of(event);
    let url = detail_url(event)?;
    let crn = crn(event)?;
    let referral_id: Uuid = info_str(event, "referralId")?
        .parse()
        .map_err(|_| Failure::illegal_argument("additionalInformation.referralId is not a UUID"))?;
    let reference = info_str(event, "referralReference")?;
    let notes = notes::session_feedback(
        &info_str(event, "contractTypeName")?,
        &reference,
        &info_str(event, "primeProviderName")?,
        &info_str(event, "referralProbationUserURL")?,
    );
    let session: DeliverySession =
        upstream::fetch(context, &common, url)
            .await?
            .ok_or_else(|| {
                Failure::illegal_argument(format!("Unable to retrieve appointment: {url}"))
            })?;
    let (appointment_id, feedback) = session.latest_feedback().ok_or_else(|| {
        Failure::illegal_state(format!(
            "No feedback information available for referral {referral_id} : session {}",
            session.id
        ))
    })?;
    let feedback = Feedback {
        crn,
        appointment_id,
        delius_id: session.delius_appointment_id,
        referral_id,
        referral_reference: &reference,
        attendance: feedback.attendance()?,
        notes,
    };
    record::update_outcome(context, &common, &feedback).await?;
    Ok(success("SessionAppointmentSubmitted", &common, &feedback))
}

fn success(name: &str, common: &Common, feedback: &Feedback<'_>) -> Outcome {
    Outcome::processed(name)
        .with_all(&common.properties())
        .with("appointmentId", feedback.appointment_id)
        .with("referralReference", feedback.referral_reference)
}
