//! Lookups every service shares. Readers never see soft-deleted rows.

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::flags::YesNo;
use crate::schema::{
    offender, probation_area, r_contact_type, r_reference_data_master, r_standard_reference_list,
    staff, team,
};

/// A person on probation (Delius `offender`).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = offender, check_for_backend(diesel::pg::Pg))]
pub struct Person {
    #[diesel(column_name = offender_id)]
    pub id: i64,
    pub crn: String,
    pub noms_number: Option<String>,
    pub first_name: String,
    pub surname: String,
}

pub async fn person_by_crn(conn: &mut AsyncPgConnection, crn: &str) -> QueryResult<Option<Person>> {
    offender::table
        .filter(offender::crn.eq(crn))
        .filter(offender::soft_deleted.eq(0))
        .select(Person::as_select())
        .first(conn)
        .await
        .optional()
}

/// Every live person with this NOMS number: more than one is a data problem the caller reports.
pub async fn people_by_noms(
    conn: &mut AsyncPgConnection,
    noms_number: &str,
) -> QueryResult<Vec<Person>> {
    offender::table
        .filter(offender::noms_number.eq(noms_number))
        .filter(offender::soft_deleted.eq(0))
        .select(Person::as_select())
        .order(offender::offender_id)
        .load(conn)
        .await
}

/// A code in a reference-data code set (`r_standard_reference_list` by set name and code).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = r_standard_reference_list, check_for_backend(diesel::pg::Pg))]
pub struct ReferenceData {
    #[diesel(column_name = standard_reference_list_id)]
    pub id: i64,
    #[diesel(column_name = code_value)]
    pub code: String,
    #[diesel(column_name = code_description)]
    pub description: Option<String>,
}

pub async fn reference_data(
    conn: &mut AsyncPgConnection,
    code_set: &str,
    code: &str,
) -> QueryResult<Option<ReferenceData>> {
    r_standard_reference_list::table
        .inner_join(r_reference_data_master::table)
        .filter(r_reference_data_master::code_set_name.eq(code_set))
        .filter(r_standard_reference_list::code_value.eq(code))
        .select(ReferenceData::as_select())
        .first(conn)
        .await
        .optional()
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = r_contact_type, check_for_backend(diesel::pg::Pg))]
pub struct ContactType {
    #[diesel(column_name = contact_type_id)]
    pub id: i64,
    pub code: String,
    pub description: Option<String>,
    #[diesel(column_name = attendance_contact)]
    pub attendance: YesNo,
    #[diesel(column_name = national_standards_contact)]
    pub national_standards: YesNo,
    #[diesel(column_name = sensitive_contact)]
    pub sensitive: YesNo,
}

pub async fn contact_type(
    conn: &mut AsyncPgConnection,
    code: &str,
) -> QueryResult<Option<ContactType>> {
    r_contact_type::table
        .filter(r_contact_type::code.eq(code))
        .select(ContactType::as_select())
        .first(conn)
        .await
        .optional()
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = staff, check_for_backend(diesel::pg::Pg))]
pub struct Staff {
    #[diesel(column_name = staff_id)]
    pub id: i64,
    #[diesel(column_name = officer_code)]
    pub code: String,
    pub forename: String,
    pub surname: String,
    #[diesel(column_name = probation_area_id)]
    pub provider_id: Option<i64>,
}

pub async fn staff_by_code(conn: &mut AsyncPgConnection, code: &str) -> QueryResult<Option<Staff>> {
    staff::table
        .filter(staff::officer_code.eq(code))
        .select(Staff::as_select())
        .first(conn)
        .await
        .optional()
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = team, check_for_backend(diesel::pg::Pg))]
pub struct Team {
    #[diesel(column_name = team_id)]
    pub id: i64,
    pub code: String,
    pub description: Option<String>,
    #[diesel(column_name = probation_area_id)]
    pub provider_id: Option<i64>,
}

pub async fn team_by_code(conn: &mut AsyncPgConnection, code: &str) -> QueryResult<Option<Team>> {
    team::table
        .filter(team::code.eq(code))
        .select(Team::as_select())
        .first(conn)
        .await
        .optional()
}

/// A probation provider (Delius `probation_area`).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = probation_area, check_for_backend(diesel::pg::Pg))]
pub struct Provider {
    #[diesel(column_name = probation_area_id)]
    pub id: i64,
    pub code: String,
    pub description: Option<String>,
    pub institution_id: Option<i64>,
}

pub async fn provider_by_code(
    conn: &mut AsyncPgConnection,
    code: &str,
) -> QueryResult<Option<Provider>> {
    probation_area::table
        .filter(probation_area::code.eq(code))
        .select(Provider::as_select())
        .first(conn)
        .await
        .optional()
}

/// Delius sequences, named `<table>_id_seq`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sequence(&'static str);

impl Sequence {
    /// `name` must be a literal sequence name: it is written into the SQL text.
    pub const fn named(name: &'static str) -> Self {
        Self(name)
    }
}

#[derive(QueryableByName)]
struct NextValue {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// The next id from a sequence.
pub async fn next_id(conn: &mut AsyncPgConnection, sequence: Sequence) -> QueryResult<i64> {
    let row: NextValue = diesel::sql_query(format!("SELECT nextval('{}') AS id", sequence.0))
        .get_result(conn)
        .await?;
    Ok(row.id)
}
