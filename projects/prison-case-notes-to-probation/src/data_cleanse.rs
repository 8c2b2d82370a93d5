//! The "Data Cleanse" contact left on a person whose contacts were moved to someone else, so
//! their probation practitioner knows why case notes disappeared from the record.

use anyhow::Context;
use delius_data::lookups::{contact_type, next_id, Sequence};
use delius_data::schema::{contact, offender, offender_manager};
use delius_data::time::now_london;
use delius_data::ZeroOne;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::dates::format_london;
use crate::entities::{ContactImage, NewContact};

/// The "Other information" contact type (`CaseNoteType.OTHER_INFORMATION`; code unconfirmed, the
/// dev/test seed uses this placeholder).
pub const OTHER_INFORMATION_CONTACT_TYPE: &str = "OTHERINF";
pub const DATA_CLEANSE_DESCRIPTION: &str = "Data Cleanse";

pub fn data_cleanse_notes(now: &chrono::NaiveDateTime) -> String {
    format!(
        "On {} case notes from Prison associated with a NOMS number that had been mistakenly associated with this case record were removed.",
        format_london(now)
    )
}

/// Adds the data-cleanse contact for the person with this CRN, assigned to their active
/// community manager. A person without one gets none (nobody to tell). Returns the contact id.
pub async fn record_data_cleanse(
    tx: &mut AsyncPgConnection,
    crn: &str,
    user_id: i64,
) -> anyhow::Result<Option<i64>> {
    let manager: Option<(i64, i64, i64, Option<i64>)> = offender_manager::table
        .inner_join(offender::table)
        .filter(offender::crn.eq(crn))
        .filter(offender_manager::active_flag.eq(1))
        .filter(offender_manager::soft_deleted.eq(0))
        .order(offender_manager::offender_manager_id.desc())
        .select((
            offender_manager::offender_id,
            offender_manager::allocation_staff_id,
            offender_manager::team_id,
            offender_manager::probation_area_id,
        ))
        .first(tx)
        .await
        .optional()?;
    let Some((offender_id, staff_id, team_id, provider_id)) = manager else {
        tracing::info!(crn, "no active community manager: no data-cleanse contact");
        return Ok(None);
    };
    let contact_type = contact_type(tx, OTHER_INFORMATION_CONTACT_TYPE)
        .await?
        .with_context(|| format!("Contact type {OTHER_INFORMATION_CONTACT_TYPE} not found"))?;
    let now = now_london();
    let contact_id = next_id(tx, Sequence::named("contact_id_seq")).await?;
    diesel::insert_into(contact::table)
        .values((
            contact::contact_id.eq(contact_id),
            NewContact {
                row_version: 0,
                image: ContactImage {
                    offender_id,
                    event_id: None,
                    nsi_id: None,
                    contact_type_id: contact_type.id,
                    contact_date: now.date(),
                    contact_start_time: Some(now.time()),
                    staff_id: Some(staff_id),
                    staff_employee_id: Some(staff_id),
                    team_id: Some(team_id),
                    probation_area_id: provider_id,
                    description: Some(DATA_CLEANSE_DESCRIPTION.to_owned()),
                    notes: Some(data_cleanse_notes(&now)),
                    sensitive: Some(contact_type.sensitive),
                    external_reference: None,
                    nomis_case_note_id: None,
                    trust_provider_team_id: Some(team_id),
                    created_by_user_id: Some(user_id),
                    last_updated_user_id: Some(user_id),
                    created_datetime: Some(now),
                    last_updated_datetime: Some(now),
                },
                partition_area_id: 0,
                trust_provider_flag: ZeroOne::ZERO,
                soft_deleted: ZeroOne::ZERO,
            },
        ))
        .execute(tx)
        .await?;
    Ok(Some(contact_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_cleanse_notes_say_when_and_why() {
        let now = chrono::NaiveDateTime::parse_from_str("2024-03-05 09:07:01", "%Y-%m-%d %H:%M:%S")
            .unwrap();
        assert_eq!(
            data_cleanse_notes(&now),
            "On 2024/03/05 09:07:01 case notes from Prison associated with a NOMS number that had been mistakenly associated with this case record were removed."
        );
    }
}
