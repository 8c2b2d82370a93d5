//! The contacts an allocation writes (spec 3.3) and their notes (spec 4.1e, 4.3 step 12).

use anyhow::Context as _;
use chrono::NaiveDateTime;
use delius_data::schema::contact;
use delius_data::time::format_delius_date;
use delius_data::YesNo;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::reference::ReferenceCache;
use super::AllocationError;
use crate::reason::AllocationReason;

pub const OFFENDER_MANAGER_TRANSFER: &str = "ETOM";
pub const ORDER_SUPERVISOR_TRANSFER: &str = "ETOS";
pub const SENTENCE_COMPONENT_TRANSFER: &str = "ETRC";
pub const RESPONSIBLE_OFFICER_CHANGE: &str = "ROC";
pub const CASE_ALLOCATION_DECISION_EVIDENCE: &str = "CADE";
/// Code unconfirmed (suggested by the flag name `produce-spod03-contact`).
pub const CASE_ALLOCATION_SPO_OVERSIGHT: &str = "SPOD03";
/// Code unconfirmed: a placeholder until Delius confirms it (delius-schema reference data).
pub const CASE_REALLOCATION_SPO_OVERSIGHT: &str = "SPOREALL";

/// Who a contact is recorded against: the new manager's staff, team and provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordedBy {
    pub staff_id: i64,
    pub team_id: i64,
    pub provider_id: Option<i64>,
}

/// A contact on a person, and optionally on an event and one of its components.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContact<'a> {
    pub type_code: &'a str,
    pub person_id: i64,
    pub event_id: Option<i64>,
    pub requirement_id: Option<i64>,
    pub licence_condition_id: Option<i64>,
    /// Date and start time of the contact: the new manager's (or responsible officer's) start.
    pub at: NaiveDateTime,
    pub recorded_by: RecordedBy,
    pub notes: Option<String>,
    /// `None` takes the contact type's own sensitivity.
    pub sensitive: Option<bool>,
}

pub async fn add(
    conn: &mut AsyncPgConnection,
    reference: &ReferenceCache,
    new: &NewContact<'_>,
    user_id: i64,
    now: NaiveDateTime,
) -> anyhow::Result<i64> {
    let contact_type = reference
        .contact_type(conn, new.type_code)
        .await?
        .ok_or_else(|| AllocationError::not_found("Contact type", "code", new.type_code))?;
    let sensitive = new.sensitive.map(YesNo).unwrap_or(contact_type.sensitive);
    let by = new.recorded_by;
    diesel::insert_into(contact::table)
        .values((
            contact::contact_id.eq(diesel::dsl::sql::<diesel::sql_types::BigInt>(
                "nextval('contact_id_seq')",
            )),
            contact::row_version.eq(0i64),
            contact::offender_id.eq(new.person_id),
            contact::event_id.eq(new.event_id),
            contact::rqmnt_id.eq(new.requirement_id),
            contact::lic_condition_id.eq(new.licence_condition_id),
            contact::contact_type_id.eq(contact_type.id),
            contact::contact_date.eq(new.at.date()),
            contact::contact_start_time.eq(new.at.time()),
            contact::staff_id.eq(by.staff_id),
            contact::staff_employee_id.eq(by.staff_id),
            contact::team_id.eq(by.team_id),
            contact::trust_provider_team_id.eq(by.team_id),
            contact::probation_area_id.eq(by.provider_id),
            contact::notes.eq(new.notes.as_deref()),
            contact::sensitive.eq(sensitive),
            contact::trust_provider_flag.eq(0i16),
            contact::partition_area_id.eq(0i64),
            contact::soft_deleted.eq(0i16),
            contact::created_by_user_id.eq(user_id),
            contact::last_updated_user_id.eq(user_id),
            contact::created_datetime.eq(now),
            contact::last_updated_datetime.eq(now),
        ))
        .returning(contact::contact_id)
        .get_result(conn)
        .await
        .with_context(|| format!("inserting the {} contact", new.type_code))
}

/// As [`add`], for a contact whose type may not exist in this Delius (an unconfirmed code):
/// without the type, nothing is written and a warning says so.
pub async fn add_if_type_exists(
    conn: &mut AsyncPgConnection,
    reference: &ReferenceCache,
    new: &NewContact<'_>,
    user_id: i64,
    now: NaiveDateTime,
) -> anyhow::Result<Option<i64>> {
    if reference.contact_type(conn, new.type_code).await?.is_none() {
        tracing::warn!(
            contact_type = new.type_code,
            person_id = new.person_id,
            "contact type not in Delius: optional contact not written"
        );
        return Ok(None);
    }
    add(conn, reference, new, user_id, now).await.map(Some)
}

/// Rule 8: the transfer contact's notes. "From Trust" names the new manager's provider, "From
/// Team" and "From Officer" the old manager's; the text ends with the rule line and two
/// newlines.
pub fn transfer_notes(
    start: &NaiveDateTime,
    new_provider: &str,
    old_team: &str,
    old_officer: &str,
) -> String {
    format!(
        "Transfer Reason: Internal Transfer\n\
         Transfer Date: {}\n\
         From Trust: {new_provider}\n\
         From Team: {old_team}\n\
         From Officer: {old_officer}\n\
         -------------------------------/\n\n",
        format_delius_date(&start.date())
    )
}

/// Rule 10: the re-allocation SPO oversight contact's notes: who added the comment and when,
/// the Workforce reason, then the SPO's notes when there are any.
pub fn reallocation_notes(
    start: &NaiveDateTime,
    reason: AllocationReason,
    spo_oversight_notes: Option<&str>,
) -> String {
    let mut notes = format!(
        "Comment added by Workforce Allocations Service on {}\nReallocation reason: {}",
        start.format("%d/%m/%Y at %H:%M"),
        reason.name()
    );
    if let Some(spo) = spo_oversight_notes.filter(|n| !n.trim().is_empty()) {
        notes.push('\n');
        notes.push_str(spo);
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn created() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2022, 7, 28)
            .and_then(|d| d.and_hms_milli_opt(10, 30, 54, 23))
            .expect("date")
    }

    #[test]
    fn rule_8_transfer_notes_are_exact_and_end_with_two_newlines() {
        assert_eq!(
            transfer_notes(
                &created(),
                "Description of N02",
                "Team N02OLD",
                "Old Staff Member"
            ),
            "Transfer Reason: Internal Transfer\n\
             Transfer Date: 28/07/2022\n\
             From Trust: Description of N02\n\
             From Team: Team N02OLD\n\
             From Officer: Old Staff Member\n\
             -------------------------------/\n\n"
        );
    }

    #[test]
    fn rule_10_reallocation_notes_name_the_time_reason_and_spo_notes() {
        let notes = reallocation_notes(
            &created(),
            AllocationReason::ChangeOfAddress,
            Some("SPO oversight notes"),
        );
        assert_eq!(
            notes,
            "Comment added by Workforce Allocations Service on 28/07/2022 at 10:30\n\
             Reallocation reason: CHANGE_OF_ADDRESS\n\
             SPO oversight notes"
        );
        let without = reallocation_notes(&created(), AllocationReason::OfficerLeft, None);
        assert_eq!(
            without,
            "Comment added by Workforce Allocations Service on 28/07/2022 at 10:30\n\
             Reallocation reason: OFFICER_LEFT"
        );
    }
}
