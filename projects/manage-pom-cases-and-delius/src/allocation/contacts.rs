//! The contacts an allocation writes (spec 3.6) and their notes (spec 3.2.1 step 8).

use anyhow::Context as _;
use chrono::NaiveDateTime;
use delius_data::lookups::{contact_type, next_id, Sequence};
use delius_data::schema::contact;
use delius_data::time::{format_delius_date, format_delius_date_time};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::pom::Assignment;
use super::NotFound;

pub const AUTO_ALLOCATION: &str = "EPOMAT";
pub const INTERNAL_ALLOCATION: &str = "EPOMIN";
pub const EXTERNAL_ALLOCATION: &str = "EPOMEX";
pub const RESPONSIBLE_OFFICER_CHANGE: &str = "ROC";
const CONTACT_ID_SEQ: Sequence = Sequence::named("contact_id_seq");

/// Who a POM is, as the notes name them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Officer {
    pub forename: String,
    pub surname: String,
    pub team_description: String,
    pub provider_description: String,
}

/// A POM as a responsible officer, for the `ROC` notes.
pub struct ResponsibleOfficerDetails<'a> {
    pub officer: &'a Officer,
    pub start: NaiveDateTime,
    /// Only set when the POM already has an end date as the notes are written.
    pub end: Option<NaiveDateTime>,
    pub reason_description: &'a str,
}

/// `Transfer Reason` and `Transfer Date`, then where the person came from when they had a POM.
pub fn allocation_notes(
    reason_description: &str,
    allocation_date: &NaiveDateTime,
    previous: Option<&Officer>,
) -> String {
    let mut notes = format!(
        "Transfer Reason: {reason_description}\nTransfer Date: {}",
        format_delius_date(&allocation_date.date())
    );
    if let Some(previous) = previous {
        notes.push_str(&format!(
            "\nFrom Establishment Provider: {}\nFrom Team: {}\nFrom Officer: {}, {}",
            previous.provider_description,
            previous.team_description,
            previous.surname,
            previous.forename
        ));
    }
    notes
}

/// `New Details:` and `Previous Details:` blocks separated by a blank line.
pub fn responsible_officer_change_notes(
    new: &ResponsibleOfficerDetails<'_>,
    previous: &ResponsibleOfficerDetails<'_>,
) -> String {
    format!(
        "New Details:\n{}\n\nPrevious Details:\n{}",
        responsible_officer_details(new),
        responsible_officer_details(previous)
    )
}

fn responsible_officer_details(details: &ResponsibleOfficerDetails<'_>) -> String {
    let officer = details.officer;
    let mut lines = vec![
        "Responsible Officer Type: Prison Offender Manager".to_owned(),
        format!(
            "Responsible Officer: {}, {} ({}, {})",
            officer.surname,
            officer.forename,
            officer.team_description,
            officer.provider_description
        ),
        format!("Start Date: {}", format_delius_date_time(&details.start)),
    ];
    if let Some(end) = &details.end {
        lines.push(format!("End Date: {}", format_delius_date_time(end)));
    }
    lines.push(format!("Allocation Reason: {}", details.reason_description));
    lines.join("\n")
}

/// A contact on the person at the allocation date and time, attributed to the new POM; no event.
pub struct NewContact<'a> {
    pub person_id: i64,
    pub type_code: &'a str,
    pub allocation_date: NaiveDateTime,
    pub notes: String,
    pub attributed_to: Assignment,
}

pub async fn add(
    conn: &mut AsyncPgConnection,
    new: NewContact<'_>,
    user_id: i64,
    now: NaiveDateTime,
) -> anyhow::Result<i64> {
    let type_id = contact_type(conn, new.type_code)
        .await?
        .ok_or_else(|| NotFound::new("ContactType", "code", new.type_code))?
        .id;
    let id = next_id(conn, CONTACT_ID_SEQ).await?;
    diesel::insert_into(contact::table)
        .values((
            contact::contact_id.eq(id),
            contact::row_version.eq(0i64),
            contact::offender_id.eq(new.person_id),
            contact::contact_type_id.eq(type_id),
            contact::contact_date.eq(new.allocation_date.date()),
            contact::contact_start_time.eq(new.allocation_date.time()),
            contact::notes.eq(&new.notes),
            contact::probation_area_id.eq(new.attributed_to.provider_id),
            contact::team_id.eq(new.attributed_to.team_id),
            contact::staff_id.eq(new.attributed_to.staff_id),
            contact::soft_deleted.eq(0i16),
            contact::partition_area_id.eq(0i64),
            contact::trust_provider_flag.eq(0i16),
            contact::created_by_user_id.eq(user_id),
            contact::last_updated_user_id.eq(user_id),
            contact::created_datetime.eq(now),
            contact::last_updated_datetime.eq(now),
        ))
        .execute(conn)
        .await
        .with_context(|| format!("inserting the {} contact", new.type_code))?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, s)
            .unwrap()
    }

    fn john_smith() -> Officer {
        Officer {
            forename: "John".into(),
            surname: "Smith".into(),
            team_description: "Team N03POM".into(),
            provider_description: "Description of N03".into(),
        }
    }

    #[test]
    fn first_allocation_notes_have_only_reason_and_date() {
        assert_eq!(
            allocation_notes("Automatic Allocation", &at(2023, 5, 9, 14, 25, 19), None),
            "Transfer Reason: Automatic Allocation\nTransfer Date: 09/05/2023"
        );
    }

    #[test]
    fn transfer_notes_name_the_previous_pom() {
        assert_eq!(
            allocation_notes(
                "Internal Allocation",
                &at(2023, 10, 9, 14, 25, 19),
                Some(&john_smith())
            ),
            "Transfer Reason: Internal Allocation\nTransfer Date: 09/10/2023\n\
             From Establishment Provider: Description of N03\nFrom Team: Team N03POM\n\
             From Officer: Smith, John"
        );
    }

    #[test]
    fn rule_5_roc_notes_show_an_end_date_only_when_one_is_set() {
        let james = Officer {
            forename: "James".into(),
            surname: "Brown".into(),
            ..john_smith()
        };
        let notes = responsible_officer_change_notes(
            &ResponsibleOfficerDetails {
                officer: &james,
                start: at(2023, 10, 9, 14, 25, 19),
                end: None,
                reason_description: "Internal Allocation",
            },
            &ResponsibleOfficerDetails {
                officer: &john_smith(),
                start: at(2023, 5, 9, 14, 25, 19),
                end: Some(at(2024, 1, 2, 3, 4, 5)),
                reason_description: "Automatic Allocation",
            },
        );
        assert_eq!(
            notes,
            "New Details:\n\
             Responsible Officer Type: Prison Offender Manager\n\
             Responsible Officer: Brown, James (Team N03POM, Description of N03)\n\
             Start Date: 09/10/2023 14:25:19\n\
             Allocation Reason: Internal Allocation\n\
             \n\
             Previous Details:\n\
             Responsible Officer Type: Prison Offender Manager\n\
             Responsible Officer: Smith, John (Team N03POM, Description of N03)\n\
             Start Date: 09/05/2023 14:25:19\n\
             End Date: 02/01/2024 03:04:05\n\
             Allocation Reason: Automatic Allocation"
        );
    }
}
