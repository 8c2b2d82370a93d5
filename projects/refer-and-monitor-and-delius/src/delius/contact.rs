//! Contacts: the CRS appointments (found by URN or Delius id) and every contact this service
//! writes, with the Delius audit columns.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::dsl::exists;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use delius_data::lookups::{next_id, Sequence};
use delius_data::schema::{contact, offender, r_contact_type};

use super::assignation::Assignation;

const CONTACT_ID_SEQ: Sequence = Sequence::named("contact_id_seq");

/// A contact as the appointment rules see it.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = contact, check_for_backend(diesel::pg::Pg))]
pub struct Contact {
    #[diesel(column_name = contact_id)]
    pub id: i64,
    pub offender_id: i64,
    pub contact_type_id: i64,
    pub contact_date: NaiveDate,
    pub contact_start_time: Option<NaiveTime>,
    pub contact_end_time: Option<NaiveTime>,
    pub event_id: Option<i64>,
    pub nsi_id: Option<i64>,
    pub probation_area_id: Option<i64>,
    pub team_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub office_location_id: Option<i64>,
    pub contact_outcome_type_id: Option<i64>,
    pub notes: Option<String>,
    pub external_reference: Option<String>,
    pub rar_activity: Option<String>,
}

impl Contact {
    pub fn start(&self) -> Option<NaiveDateTime> {
        self.contact_start_time
            .map(|t| self.contact_date.and_time(t))
    }

    /// The end on the next day when it is earlier than the start: an appointment running past
    /// midnight keeps only times, and must not look rescheduled on every merge.
    pub fn end(&self) -> Option<NaiveDateTime> {
        let end = self.contact_date.and_time(self.contact_end_time?);
        match self.start() {
            Some(start) if end < start => Some(end + chrono::Duration::days(1)),
            _ => Some(end),
        }
    }

    /// The provider, team and staff the contact is assigned to, when it has all three.
    pub fn assignation(&self) -> Option<Assignation> {
        Some(Assignation {
            provider_id: self.probation_area_id?,
            team_id: self.team_id?,
            staff_id: self.staff_id?,
        })
    }
}

/// The live contact of the person with `crn` whose external reference is `urn`; the newest when
/// a reschedule left two (spec 2.2 quirk).
pub async fn by_crn_and_urn(
    conn: &mut AsyncPgConnection,
    crn: &str,
    urn: &str,
) -> QueryResult<Option<Contact>> {
    contact::table
        .inner_join(offender::table.on(offender::offender_id.eq(contact::offender_id)))
        .filter(offender::crn.eq(crn))
        .filter(contact::external_reference.eq(urn))
        .filter(contact::soft_deleted.eq(0))
        .order(contact::contact_id.desc())
        .select(Contact::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn by_id(conn: &mut AsyncPgConnection, contact_id: i64) -> QueryResult<Option<Contact>> {
    contact::table
        .find(contact_id)
        .filter(contact::soft_deleted.eq(0))
        .select(Contact::as_select())
        .first(conn)
        .await
        .optional()
}

/// A contact to insert; everything not here takes the Delius defaults.
#[derive(Debug, Clone, Default)]
pub struct NewContact {
    pub offender_id: i64,
    pub type_id: i64,
    pub date: NaiveDate,
    pub start: Option<NaiveTime>,
    pub end: Option<NaiveTime>,
    pub event_id: Option<i64>,
    pub nsi_id: Option<i64>,
    pub assignation: Option<Assignation>,
    pub office_location_id: Option<i64>,
    pub rar_activity: Option<bool>,
    pub external_reference: Option<String>,
    pub notes: Option<String>,
    pub linked_contact_id: Option<i64>,
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    now: NaiveDateTime,
    new: NewContact,
) -> QueryResult<i64> {
    let id = next_id(conn, CONTACT_ID_SEQ).await?;
    let yes_no = |flag: bool| if flag { "Y" } else { "N" };
    diesel::insert_into(contact::table)
        .values((
            (
                contact::contact_id.eq(id),
                contact::row_version.eq(0),
                contact::offender_id.eq(new.offender_id),
                contact::contact_type_id.eq(new.type_id),
                contact::contact_date.eq(new.date),
                contact::contact_start_time.eq(new.start),
                contact::contact_end_time.eq(new.end),
                contact::event_id.eq(new.event_id),
                contact::nsi_id.eq(new.nsi_id),
                contact::probation_area_id.eq(new.assignation.map(|a| a.provider_id)),
                contact::team_id.eq(new.assignation.map(|a| a.team_id)),
                contact::staff_id.eq(new.assignation.map(|a| a.staff_id)),
            ),
            (
                contact::office_location_id.eq(new.office_location_id),
                contact::rar_activity.eq(new.rar_activity.map(yes_no)),
                contact::external_reference.eq(new.external_reference),
                contact::notes.eq(new.notes),
                contact::linked_contact_id.eq(new.linked_contact_id),
                contact::sensitive.eq("N"),
                contact::alert_active.eq("N"),
                contact::partition_area_id.eq(0),
                contact::trust_provider_flag.eq(0),
                contact::soft_deleted.eq(0),
                contact::created_by_user_id.eq(user_id),
                contact::last_updated_user_id.eq(user_id),
            ),
            (
                contact::created_datetime.eq(now),
                contact::last_updated_datetime.eq(now),
            ),
        ))
        .execute(conn)
        .await?;
    Ok(id)
}

/// Bumps the row version and the last-updated columns of a contact changed by other statements
/// in the same transaction.
pub async fn touch(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    now: NaiveDateTime,
    contact_id: i64,
) -> QueryResult<()> {
    diesel::update(contact::table.find(contact_id))
        .set((
            contact::row_version.eq(contact::row_version + 1),
            contact::last_updated_user_id.eq(user_id),
            contact::last_updated_datetime.eq(now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether the NSI already has a contact of `type_code` on `date` whose notes contain `text`
/// (the idempotency check of the CRS notes, spec 3.1 and 3.5).
pub async fn nsi_note_exists(
    conn: &mut AsyncPgConnection,
    nsi_id: i64,
    type_code: &str,
    date: NaiveDate,
    text: &str,
) -> QueryResult<bool> {
    let pattern = format!("%{}%", escape_like(text));
    diesel::select(exists(
        contact::table
            .inner_join(r_contact_type::table)
            .filter(contact::nsi_id.eq(nsi_id))
            .filter(r_contact_type::code.eq(type_code))
            .filter(contact::contact_date.eq(date))
            .filter(contact::soft_deleted.eq(0))
            .filter(contact::notes.like(pattern)),
    ))
    .get_result(conn)
    .await
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(start: &str, end: Option<&str>) -> Contact {
        let time = |t: &str| NaiveTime::parse_from_str(t, "%H:%M").unwrap();
        Contact {
            id: 1,
            offender_id: 1,
            contact_type_id: 1,
            contact_date: NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
            contact_start_time: Some(time(start)),
            contact_end_time: end.map(time),
            event_id: None,
            nsi_id: None,
            probation_area_id: None,
            team_id: None,
            staff_id: None,
            office_location_id: None,
            contact_outcome_type_id: None,
            notes: None,
            external_reference: None,
            rar_activity: None,
        }
    }

    #[test]
    fn an_end_before_the_start_is_on_the_next_day() {
        let day = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
        assert_eq!(
            contact("10:00", Some("10:30")).end(),
            day.and_hms_opt(10, 30, 0)
        );
        assert_eq!(
            contact("23:45", Some("00:15")).end(),
            day.succ_opt().and_then(|d| d.and_hms_opt(0, 15, 0))
        );
        assert_eq!(contact("10:00", None).end(), None);
    }
}
