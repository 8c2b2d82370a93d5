//! Appointment feedback (spec 3.2, 3.3, 3.4): the initial assessment's and a delivery session's
//! latest attendance feedback becomes the appointment contact's outcome.

use chrono::{DateTime, FixedOffset};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, SmallInt, Text};
use diesel_async::scoped_futures::ScopedFutureExt;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use messaging::{HmppsDomainEvent, Outcome, Properties};
use serde::Deserialize;
use uuid::Uuid;

use audit_iaps::AuditParameters;
use delius_data::schema::contact as contact_table;
use delius_data::time::now_london;

use super::{crn, detail_url, info_number, info_str, upstream, Common, Failure};
use crate::attendance::{Attendance, Attended, NoSessionReason};
use crate::context::Context;
use crate::delius::contact::{self, Contact};
use crate::delius::nsi;
use crate::delius::outcome::{self, OutcomeToApply};
use crate::notes;
use crate::refs::{self, UPDATE_CONTACT};

pub const FOUND_BY_DELIUS_ID: &str = "Appointment Found By Delius Id - Feedback Submitted";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttendanceFeedback {
    pub attended: Option<String>,
    pub did_session_happen: Option<bool>,
    pub submitted_at: Option<DateTime<FixedOffset>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionFeedback {
    pub no_session_reason_type: Option<String>,
    pub notify_probation_practitioner_of_behaviour: Option<bool>,
    pub notify_probation_practitioner: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppointmentFeedback {
    #[serde(default)]
    pub attendance_feedback: Option<AttendanceFeedback>,
    #[serde(default)]
    pub session_feedback: Option<SessionFeedback>,
}

impl AppointmentFeedback {
    fn attended(&self) -> Option<&str> {
        self.attendance_feedback.as_ref()?.attended.as_deref()
    }

    fn submitted_at(&self) -> Option<DateTime<FixedOffset>> {
        self.attendance_feedback.as_ref()?.submitted_at
    }

    /// The event path's defaults (spec 3.3 step 3): a missing `didSessionHappen` means it
    /// happened unless the person did not attend (unconfirmed), a missing notify flag means
    /// notify.
    pub fn attendance(&self) -> Result<Attendance, Failure> {
        let attended = self
            .attended()
            .and_then(Attended::parse)
            .ok_or_else(|| Failure::illegal_argument("Unexpected attended value"))?;
        let attendance = self.attendance_feedback.clone().unwrap_or_default();
        let session = self.session_feedback.clone().unwrap_or_default();
        Ok(Attendance {
            attended,
            session_happened: attendance
                .did_session_happen
                .unwrap_or(attended != Attended::No),
            no_session_reason: session
                .no_session_reason_type
                .as_deref()
                .and_then(NoSessionReason::parse),
            notify: session
                .notify_probation_practitioner_of_behaviour
                .or(session.notify_probation_practitioner)
                .unwrap_or(true),
        })
    }
}

/// An R&M appointment with its feedback.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedbackAppointment {
    pub id: Uuid,
    #[serde(default)]
    pub appointment_feedback: Option<AppointmentFeedback>,
}

/// `GET /sent-referral/{id}/supplier-assessment` (spec 3.2).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SupplierAssessment {
    pub id: Uuid,
    pub referral_id: Uuid,
    #[serde(default)]
    pub appointments: Vec<FeedbackAppointment>,
}

/// `GET /referral/{id}/delivery-session-appointments/{id}` (spec 3.3).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliverySession {
    pub id: Uuid,
    pub appointment_id: Option<Uuid>,
    pub delius_appointment_id: Option<i64>,
    #[serde(default)]
    pub appointment_feedback: Option<AppointmentFeedback>,
    #[serde(default)]
    pub old_appointments: Vec<FeedbackAppointment>,
}

/// The appointment with recorded attendance submitted last.
fn latest(appointments: &[FeedbackAppointment]) -> Option<(Uuid, &AppointmentFeedback)> {
    appointments
        .iter()
        .filter_map(|a| Some((a.id, a.appointment_feedback.as_ref()?)))
        .filter(|(_, f)| f.attended().is_some())
        .max_by_key(|(_, f)| f.submitted_at())
}

impl DeliverySession {
    /// The current appointment's feedback when it has attendance, else the latest old one's.
    pub fn latest_feedback(&self) -> Option<(Uuid, &AppointmentFeedback)> {
        if let (Some(id), Some(feedback)) = (self.appointment_id, &self.appointment_feedback) {
            if feedback.attended().is_some() {
                return Some((id, feedback));
            }
        }
        latest(&self.old_appointments)
    }
}

/// What the update-outcome step (spec 3.4) needs from either event.
struct Feedback<'a> {
    crn: &'a str,
    appointment_id: Uuid,
    delius_id: Option<i64>,
    referral_id: Uuid,
    referral_reference: &'a str,
    attendance: Attendance,
    notes: String,
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
    update_outcome(context, &common, &feedback).await?;
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
    update_outcome(context, &common, &feedback).await?;
    Ok(success("SessionAppointmentSubmitted", &common, &feedback))
}

fn success(name: &str, common: &Common, feedback: &Feedback<'_>) -> Outcome {
    Outcome::processed(name)
        .with_all(&common.properties())
        .with("appointmentId", feedback.appointment_id)
        .with("referralReference", feedback.referral_reference)
}

/// Spec 3.4, audited as UPDATE_CONTACT with the R&M appointment id.
async fn update_outcome(
    context: &Context,
    common: &Common,
    feedback: &Feedback<'_>,
) -> anyhow::Result<()> {
    let params = AuditParameters::new().with("contactId", feedback.appointment_id);
    let result = record_outcome(context, feedback).await;
    match result {
        Ok(Some(())) => {
            crate::audit::record(&context.auditor, UPDATE_CONTACT, &params, true).await;
            Ok(())
        }
        Ok(None) => Err(not_found(context, common, feedback).await?.into()),
        Err(error) => {
            crate::audit::record(&context.auditor, UPDATE_CONTACT, &params, false).await;
            Err(error)
        }
    }
}

/// `Some` once recorded, `None` when the appointment is not in Delius.
async fn record_outcome(context: &Context, feedback: &Feedback<'_>) -> anyhow::Result<Option<()>> {
    let user_id = context.user_id();
    let telemetry = context.telemetry.clone();
    let mut conn = context.pool.get().await?;
    conn.transaction::<Option<()>, anyhow::Error, _>(|tx| {
        async move {
            let Some(appointment) = find(tx, &telemetry, feedback).await? else {
                return Ok(None);
            };
            let now = now_london();
            if !appointment
                .notes
                .as_deref()
                .unwrap_or("")
                .contains(&feedback.notes)
            {
                diesel::update(contact_table::table.find(appointment.id))
                    .set((
                        contact_table::notes
                            .eq(notes::append(appointment.notes.as_deref(), &feedback.notes)),
                        contact_table::row_version.eq(contact_table::row_version + 1),
                        contact_table::last_updated_user_id.eq(user_id),
                        contact_table::last_updated_datetime.eq(now),
                    ))
                    .execute(tx)
                    .await?;
            }
            let nsi = match appointment.nsi_id {
                Some(id) => nsi::by_id(tx, id).await?,
                None => None,
            }
            .ok_or_else(|| {
                Failure::illegal_state(format!("Appointment {} has no NSI", appointment.id))
            })?;
            let appointment = contact::by_id(tx, appointment.id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("contact {} disappeared", appointment.id))?;
            outcome::apply(
                tx,
                user_id,
                now,
                &appointment,
                &nsi,
                OutcomeToApply {
                    code: feedback.attendance.outcome_code()?,
                    session_happened: feedback.attendance.session_happened,
                },
            )
            .await?;
            Ok(Some(()))
        }
        .scope_boxed()
    })
    .await
}

async fn find(
    conn: &mut AsyncPgConnection,
    telemetry: &messaging::Telemetry,
    feedback: &Feedback<'_>,
) -> anyhow::Result<Option<Contact>> {
    let urn = refs::appointment_urn(&feedback.appointment_id);
    if let Some(found) = contact::by_crn_and_urn(conn, feedback.crn, &urn).await? {
        return Ok(Some(found));
    }
    let Some(delius_id) = feedback.delius_id else {
        return Ok(None);
    };
    let found = contact::by_id(conn, delius_id).await?;
    if found.is_some() {
        telemetry.track(
            FOUND_BY_DELIUS_ID,
            &Properties::from([
                ("crn".to_owned(), feedback.crn.to_owned()),
                ("urn".to_owned(), urn),
                ("deliusId".to_owned(), delius_id.to_string()),
                (
                    "referralReference".to_owned(),
                    feedback.referral_reference.to_owned(),
                ),
                (
                    "referralUrn".to_owned(),
                    refs::referral_urn(&feedback.referral_id),
                ),
            ]),
        );
    }
    Ok(found)
}

#[derive(QueryableByName)]
struct Diagnosis {
    #[diesel(sql_type = Nullable<SmallInt>)]
    contact_soft_deleted: Option<i16>,
    #[diesel(sql_type = SmallInt)]
    nsi_active: i16,
    #[diesel(sql_type = Nullable<Text>)]
    nsi_last_updated_by: Option<String>,
}

const DIAGNOSIS_QUERY: &str = r#"
SELECT (SELECT c.soft_deleted FROM contact c JOIN offender co ON co.offender_id = c.offender_id
        WHERE (co.crn = $1 AND c.external_reference = $3) OR c.contact_id = $4
        ORDER BY c.soft_deleted LIMIT 1) AS contact_soft_deleted,
       n.active_flag AS nsi_active,
       u.distinguished_name AS nsi_last_updated_by
FROM nsi n
JOIN offender o ON o.offender_id = n.offender_id
LEFT JOIN user_ u ON u.user_id = n.last_updated_user_id
WHERE o.crn = $1 AND n.external_reference = $2
ORDER BY n.soft_deleted, n.nsi_id
LIMIT 1
"#;

/// The `Appointment Not Found` rejection with the spec's reason (spec 3.4 step 1).
async fn not_found(
    context: &Context,
    common: &Common,
    feedback: &Feedback<'_>,
) -> anyhow::Result<messaging::Ignored> {
    let mut conn = context.pool.get().await?;
    let diagnosis: Option<Diagnosis> = diesel::sql_query(DIAGNOSIS_QUERY)
        .bind::<Text, _>(feedback.crn)
        .bind::<Text, _>(refs::referral_urn(&feedback.referral_id))
        .bind::<Text, _>(refs::appointment_urn(&feedback.appointment_id))
        .bind::<BigInt, _>(feedback.delius_id.unwrap_or(-1))
        .get_result(&mut conn)
        .await
        .optional()?;
    let (reason, detail) = match &diagnosis {
        None => ("Unknown", "null".to_owned()),
        Some(d) => (
            not_found_reason(d.contact_soft_deleted, d.nsi_active == 1),
            format!(
                "NSI last updated by {}",
                d.nsi_last_updated_by.as_deref().unwrap_or("null")
            ),
        ),
    };
    let properties = Properties::from([
        (
            "appointmentId".to_owned(),
            feedback.appointment_id.to_string(),
        ),
        (
            "deliusId".to_owned(),
            feedback
                .delius_id
                .map_or_else(|| "null".to_owned(), |id| id.to_string()),
        ),
        (
            "referralReference".to_owned(),
            feedback.referral_reference.to_owned(),
        ),
        (
            "outcomeAttended".to_owned(),
            feedback.attendance.attended.name().to_owned(),
        ),
        (
            "outcomeNotify".to_owned(),
            feedback.attendance.notify.to_string(),
        ),
        ("reason".to_owned(), reason.to_owned()),
        ("reasonDetail".to_owned(), detail),
    ]);
    Ok(common.rejected("Appointment Not Found", properties))
}

/// First match wins (spec 3.4 step 1), for an NSI that exists.
pub fn not_found_reason(contact_soft_deleted: Option<i16>, nsi_active: bool) -> &'static str {
    match (contact_soft_deleted, nsi_active) {
        (None, false) => "NSI terminated, likely a future appointment deleted",
        (None, true) => "Contact hard deleted or not yet present",
        (Some(0), _) => "Created with outcome using merge appointment at the same time",
        (Some(_), _) => "Contact soft deleted",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feedback(json: serde_json::Value) -> AppointmentFeedback {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn spec_3_3_missing_did_session_happen_means_happened_unless_not_attended() {
        let attended = feedback(
            serde_json::json!({"attendanceFeedback": {"attended": "yes"}, "sessionFeedback": {"notifyProbationPractitioner": false}}),
        );
        let attendance = attended.attendance().unwrap();
        assert!(attendance.session_happened);
        assert_eq!(attendance.outcome_code(), Ok("ATTC"));
        let absent = feedback(serde_json::json!({"attendanceFeedback": {"attended": "no"}}));
        let attendance = absent.attendance().unwrap();
        assert!(!attendance.session_happened);
        assert!(
            attendance.notify,
            "notify defaults to true on the event path"
        );
        assert_eq!(attendance.outcome_code(), Ok("AFTA"));
    }

    #[test]
    fn spec_3_3_notify_prefers_the_behaviour_flag_then_the_legacy_one() {
        let both = feedback(
            serde_json::json!({"attendanceFeedback": {"attended": "yes"}, "sessionFeedback": {"notifyProbationPractitionerOfBehaviour": false, "notifyProbationPractitioner": true}}),
        );
        assert!(!both.attendance().unwrap().notify);
        let legacy = feedback(
            serde_json::json!({"attendanceFeedback": {"attended": "yes"}, "sessionFeedback": {"notifyProbationPractitioner": false}}),
        );
        assert!(!legacy.attendance().unwrap().notify);
    }

    #[test]
    fn spec_3_3_latest_feedback_is_current_then_the_latest_old_one() {
        let session: DeliverySession = serde_json::from_str(include_str!(
            "../../tests/fixtures/simulations/session-appointment-feedback-submitted-not-attended.json"
        ))
        .unwrap();
        let (id, _) = session.latest_feedback().unwrap();
        assert_eq!(id.to_string(), "3b8282cd-baa5-45d3-8489-b5836a58a0e8");
        let session: DeliverySession = serde_json::from_str(include_str!(
            "../../tests/fixtures/simulations/session-appointment-feedback-submitted-compliant.json"
        ))
        .unwrap();
        let (id, _) = session.latest_feedback().unwrap();
        assert_eq!(id.to_string(), "48911ad2-1213-4bd3-8312-3824dc29f131");
    }

    #[test]
    fn spec_3_4_not_found_reasons() {
        assert_eq!(
            not_found_reason(None, false),
            "NSI terminated, likely a future appointment deleted"
        );
        assert_eq!(
            not_found_reason(None, true),
            "Contact hard deleted or not yet present"
        );
        assert_eq!(
            not_found_reason(Some(0), true),
            "Created with outcome using merge appointment at the same time"
        );
        assert_eq!(not_found_reason(Some(1), false), "Contact soft deleted");
    }
}
