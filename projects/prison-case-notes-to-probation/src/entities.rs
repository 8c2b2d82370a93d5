//! Diesel structs for the Delius rows this service reads and writes, on top of the shared
//! `delius_data::schema` tables.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use delius_data::schema::contact;
use delius_data::{YesNo, ZeroOne};
use diesel::prelude::*;

/// What the merge needs of a contact it found.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = contact, check_for_backend(diesel::pg::Pg))]
pub struct ExistingContact {
    pub contact_id: i64,
    pub row_version: i64,
    pub offender_id: i64,
    pub notes: Option<String>,
    pub external_reference: Option<String>,
    pub nomis_case_note_id: Option<i64>,
    pub last_updated_datetime: Option<NaiveDateTime>,
}

/// The columns a case-note contact owns: what a create writes and a move rewrites.
#[derive(Debug, Clone, PartialEq, Eq, Insertable, AsChangeset)]
#[diesel(table_name = contact, check_for_backend(diesel::pg::Pg), treat_none_as_null = true)]
pub struct ContactImage {
    pub offender_id: i64,
    pub event_id: Option<i64>,
    pub nsi_id: Option<i64>,
    pub contact_type_id: i64,
    pub contact_date: NaiveDate,
    pub contact_start_time: Option<NaiveTime>,
    pub staff_id: Option<i64>,
    pub staff_employee_id: Option<i64>,
    pub team_id: Option<i64>,
    pub probation_area_id: Option<i64>,
    pub description: Option<String>,
    pub notes: Option<String>,
    pub sensitive: Option<YesNo>,
    pub external_reference: Option<String>,
    pub nomis_case_note_id: Option<i64>,
    pub trust_provider_team_id: Option<i64>,
    pub created_by_user_id: Option<i64>,
    pub last_updated_user_id: Option<i64>,
    pub created_datetime: Option<NaiveDateTime>,
    pub last_updated_datetime: Option<NaiveDateTime>,
}

/// A new contact: the image plus the columns fixed at creation (the id is given beside it).
#[derive(Debug, Clone, PartialEq, Eq, Insertable)]
#[diesel(table_name = contact, check_for_backend(diesel::pg::Pg))]
pub struct NewContact {
    pub row_version: i64,
    #[diesel(embed)]
    pub image: ContactImage,
    pub partition_area_id: i64,
    pub trust_provider_flag: ZeroOne,
    pub soft_deleted: ZeroOne,
}

/// The usual update of a case note: new text and times; everything else stays.
#[derive(Debug, Clone, PartialEq, Eq, AsChangeset)]
#[diesel(table_name = contact, check_for_backend(diesel::pg::Pg))]
pub struct ContactUpdate {
    pub notes: Option<String>,
    pub contact_date: NaiveDate,
    pub contact_start_time: Option<NaiveTime>,
    pub last_updated_datetime: Option<NaiveDateTime>,
    pub external_reference: Option<String>,
    pub last_updated_user_id: Option<i64>,
}
