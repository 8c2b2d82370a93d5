//! Applying an attendance outcome to an appointment contact (spec 2.2.5): outcome, attended,
//! complied, hours credited, the RAR flag, non-compliance and the NSI's RAR count.

use chrono::NaiveDateTime;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Numeric};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use delius_data::schema::contact;

use super::contact::Contact;
use super::nsi::{self, Nsi};
use super::{enforcement, reference};
use crate::refs::OUTCOME_ATTENDED_COMPLIED;

/// What to record on the appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutcomeToApply<'a> {
    pub code: &'a str,
    pub session_happened: bool,
}

/// Whole minutes an appointment lasted, for hours credited: only ATTC with a positive duration.
pub fn credited_minutes(code: &str, appointment: &Contact) -> Option<i64> {
    if code != OUTCOME_ATTENDED_COMPLIED {
        return None;
    }
    let minutes = (appointment.end()? - appointment.start()?).num_minutes();
    (minutes > 0).then_some(minutes)
}

/// Records the outcome. An appointment that already has this outcome is left as it is, so a
/// replayed message or request changes nothing.
pub async fn apply(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    now: NaiveDateTime,
    appointment: &Contact,
    nsi: &Nsi,
    outcome: OutcomeToApply<'_>,
) -> anyhow::Result<()> {
    let outcome_type = reference::outcome_type(conn, outcome.code).await?;
    let rar_already_off = appointment.rar_activity.as_deref() != Some("Y");
    if appointment.contact_outcome_type_id == Some(outcome_type.id)
        && (outcome.session_happened || rar_already_off)
    {
        return Ok(());
    }
    let minutes = credited_minutes(outcome.code, appointment);
    // Numeric without a decimal crate: PostgreSQL rounds half away from zero, i.e. half-up for
    // the positive durations this is used for.
    let hours = sql::<Nullable<Numeric>>("round(")
        .bind::<Nullable<BigInt>, _>(minutes)
        .sql("::numeric / 60, 2)");
    let target = contact::table.find(appointment.id);
    diesel::update(target)
        .set((
            contact::contact_outcome_type_id.eq(outcome_type.id),
            contact::attended.eq(outcome_type.attendance.as_deref()),
            contact::complied.eq(outcome_type.compliant.as_deref()),
            contact::hours_credited.eq(hours),
            contact::row_version.eq(contact::row_version + 1),
            contact::last_updated_user_id.eq(user_id),
            contact::last_updated_datetime.eq(now),
        ))
        .execute(conn)
        .await?;
    if !outcome.session_happened {
        diesel::update(target)
            .set(contact::rar_activity.eq("N"))
            .execute(conn)
            .await?;
    }
    if outcome_type.compliant.as_deref() == Some("N") {
        enforcement::non_compliance(conn, user_id, now, appointment).await?;
    }
    if nsi::is_rar(conn, nsi).await? {
        nsi::update_rar_count(conn, user_id, now, nsi.id).await?;
    }
    Ok(())
}
