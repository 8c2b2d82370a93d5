//! Why an appointment with feedback is not in Delius (spec 3.4 step 1): the diagnosis query and
//! the `Appointment Not Found` rejection.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, SmallInt, Text};
use diesel_async::RunQueryDsl;
use messaging::Properties;

use super::Feedback;
use crate::context::Context;
use crate::events::Common;
use crate::refs;

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
pub async fn rejection(
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
