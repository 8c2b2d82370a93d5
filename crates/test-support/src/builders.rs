//! Builders for the rows tests need beside the seeded reference data. Each inserts one row with
//! an id from its Delius sequence and returns the shared lookup type, so tests can assert on
//! what a service reads back.

use chrono::NaiveDateTime;
use delius_data::lookups::{
    next_id, ContactType, Person, Provider, ReferenceData, Sequence, Staff, Team,
};
use delius_data::schema::{
    offender, probation_area, r_contact_type, r_reference_data_master, r_standard_reference_list,
    staff, team,
};
use delius_data::YesNo;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

/// The seed's own audit user (`user_` id 1, `DeliusSeed`).
pub const SEED_USER_ID: i64 = 1;

fn now() -> NaiveDateTime {
    delius_data::time::now_london()
}

fn unique_digits(width: usize) -> String {
    let n = uuid::Uuid::new_v4().as_u128();
    format!("{:0width$}", n % 10u128.pow(width as u32), width = width)
}

/// A person on probation; defaults: random CRN, no NOMS number, live.
#[derive(Debug, Clone)]
pub struct PersonBuilder {
    crn: String,
    noms_number: Option<String>,
    first_name: String,
    surname: String,
    soft_deleted: bool,
}

impl Default for PersonBuilder {
    fn default() -> Self {
        Self {
            crn: format!("X{}", unique_digits(6)),
            noms_number: None,
            first_name: "Bob".to_owned(),
            surname: "Smith".to_owned(),
            soft_deleted: false,
        }
    }
}

impl PersonBuilder {
    pub fn crn(mut self, crn: &str) -> Self {
        self.crn = crn.to_owned();
        self
    }
    pub fn noms(mut self, noms: &str) -> Self {
        self.noms_number = Some(noms.to_owned());
        self
    }
    pub fn name(mut self, first_name: &str, surname: &str) -> Self {
        self.first_name = first_name.to_owned();
        self.surname = surname.to_owned();
        self
    }
    pub fn soft_deleted(mut self) -> Self {
        self.soft_deleted = true;
        self
    }

    pub async fn insert(self, conn: &mut AsyncPgConnection) -> QueryResult<Person> {
        let id = next_id(conn, Sequence::named("offender_id_seq")).await?;
        diesel::insert_into(offender::table)
            .values((
                offender::offender_id.eq(id),
                offender::crn.eq(&self.crn),
                offender::noms_number.eq(&self.noms_number),
                offender::first_name.eq(&self.first_name),
                offender::surname.eq(&self.surname),
                offender::soft_deleted.eq(i16::from(self.soft_deleted)),
                offender::created_by_user_id.eq(SEED_USER_ID),
                offender::last_updated_user_id.eq(SEED_USER_ID),
                offender::created_datetime.eq(now()),
                offender::last_updated_datetime.eq(now()),
            ))
            .execute(conn)
            .await?;
        Ok(Person {
            id,
            crn: self.crn,
            noms_number: self.noms_number,
            first_name: self.first_name,
            surname: self.surname,
        })
    }
}

/// A provider (Delius `probation_area`).
pub async fn insert_provider(
    conn: &mut AsyncPgConnection,
    code: &str,
    institution_id: Option<i64>,
) -> QueryResult<Provider> {
    let id = next_id(conn, Sequence::named("probation_area_id_seq")).await?;
    let description = format!("Description of {code}");
    diesel::insert_into(probation_area::table)
        .values((
            probation_area::probation_area_id.eq(id),
            probation_area::code.eq(code),
            probation_area::description.eq(&description),
            probation_area::institution_id.eq(institution_id),
        ))
        .execute(conn)
        .await?;
    Ok(Provider {
        id,
        code: code.to_owned(),
        description: Some(description),
        institution_id,
    })
}

pub async fn insert_team(
    conn: &mut AsyncPgConnection,
    code: &str,
    provider_id: i64,
) -> QueryResult<Team> {
    let id = next_id(conn, Sequence::named("team_id_seq")).await?;
    let description = format!("Team {code}");
    diesel::insert_into(team::table)
        .values((
            team::team_id.eq(id),
            team::code.eq(code),
            team::description.eq(&description),
            team::probation_area_id.eq(provider_id),
        ))
        .execute(conn)
        .await?;
    Ok(Team {
        id,
        code: code.to_owned(),
        description: Some(description),
        provider_id: Some(provider_id),
    })
}

pub async fn insert_staff(
    conn: &mut AsyncPgConnection,
    code: &str,
    forename: &str,
    surname: &str,
    provider_id: i64,
) -> QueryResult<Staff> {
    let id = next_id(conn, Sequence::named("staff_id_seq")).await?;
    diesel::insert_into(staff::table)
        .values((
            staff::staff_id.eq(id),
            staff::officer_code.eq(code),
            staff::forename.eq(forename),
            staff::surname.eq(surname),
            staff::probation_area_id.eq(provider_id),
            staff::private.eq(0i16),
            staff::created_by_user_id.eq(SEED_USER_ID),
            staff::last_updated_user_id.eq(SEED_USER_ID),
            staff::created_datetime.eq(now()),
            staff::last_updated_datetime.eq(now()),
        ))
        .execute(conn)
        .await?;
    Ok(Staff {
        id,
        code: code.to_owned(),
        forename: forename.to_owned(),
        surname: surname.to_owned(),
        provider_id: Some(provider_id),
    })
}

/// A code in a code set, creating the code set when it does not exist yet.
pub async fn insert_reference_data(
    conn: &mut AsyncPgConnection,
    code_set: &str,
    code: &str,
    description: &str,
) -> QueryResult<ReferenceData> {
    let existing: Option<i64> = r_reference_data_master::table
        .filter(r_reference_data_master::code_set_name.eq(code_set))
        .select(r_reference_data_master::reference_data_master_id)
        .first(conn)
        .await
        .optional()?;
    let master_id = match existing {
        Some(id) => id,
        None => {
            let id = next_id(conn, Sequence::named("r_reference_data_master_id_seq")).await?;
            diesel::insert_into(r_reference_data_master::table)
                .values((
                    r_reference_data_master::reference_data_master_id.eq(id),
                    r_reference_data_master::code_set_name.eq(code_set),
                ))
                .execute(conn)
                .await?;
            id
        }
    };
    let id = next_id(conn, Sequence::named("r_standard_reference_list_id_seq")).await?;
    diesel::insert_into(r_standard_reference_list::table)
        .values((
            r_standard_reference_list::standard_reference_list_id.eq(id),
            r_standard_reference_list::code_value.eq(code),
            r_standard_reference_list::code_description.eq(description),
            r_standard_reference_list::reference_data_master_id.eq(master_id),
        ))
        .execute(conn)
        .await?;
    Ok(ReferenceData {
        id,
        code: code.to_owned(),
        description: Some(description.to_owned()),
    })
}

/// A contact type; flags default to 'N'.
#[derive(Debug, Clone)]
pub struct ContactTypeBuilder {
    code: String,
    description: String,
    attendance: bool,
    national_standards: bool,
    sensitive: bool,
}

impl ContactTypeBuilder {
    pub fn new(code: &str) -> Self {
        Self {
            code: code.to_owned(),
            description: format!("Description of {code}"),
            attendance: false,
            national_standards: false,
            sensitive: false,
        }
    }
    pub fn attendance(mut self) -> Self {
        self.attendance = true;
        self
    }
    pub fn national_standards(mut self) -> Self {
        self.national_standards = true;
        self
    }
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }

    pub async fn insert(self, conn: &mut AsyncPgConnection) -> QueryResult<ContactType> {
        let id = next_id(conn, Sequence::named("r_contact_type_id_seq")).await?;
        diesel::insert_into(r_contact_type::table)
            .values((
                r_contact_type::contact_type_id.eq(id),
                r_contact_type::code.eq(&self.code),
                r_contact_type::description.eq(&self.description),
                r_contact_type::attendance_contact.eq(YesNo(self.attendance)),
                r_contact_type::national_standards_contact.eq(YesNo(self.national_standards)),
                r_contact_type::sensitive_contact.eq(YesNo(self.sensitive)),
            ))
            .execute(conn)
            .await?;
        Ok(ContactType {
            id,
            code: self.code,
            description: Some(self.description),
            attendance: YesNo(self.attendance),
            national_standards: YesNo(self.national_standards),
            sensitive: YesNo(self.sensitive),
        })
    }
}
