//! The person detail of `/probation-case/{crn}/details` and the convictions (spec 2.5): name,
//! date of birth, gender, profile with disabilities, main address and contact details.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;

use delius_data::schema::{disability, offender, offender_address, r_standard_reference_list};

use super::places::Address;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Name {
    pub forename: String,
    pub surname: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Disability {
    #[serde(rename = "type")]
    pub kind: String,
    pub start_date: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ethnicity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub religion: Option<String>,
    pub disabilities: Vec<Disability>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactDetails {
    pub no_fixed_abode: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub main_address: Option<Address>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub telephone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseDetail {
    pub crn: String,
    pub name: Name,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
    pub contact_details: ContactDetails,
}

type PersonRow = (
    i64,
    String,
    String,
    String,
    Option<NaiveDate>,
    (Option<i64>, Option<i64>, Option<i64>, Option<i64>),
    (Option<String>, Option<String>, Option<String>),
);

/// The live person's detail and offender id, or `None`.
pub async fn case_detail(
    conn: &mut AsyncPgConnection,
    crn: &str,
    today: NaiveDate,
) -> QueryResult<Option<(i64, CaseDetail)>> {
    let person: Option<PersonRow> = offender::table
        .filter(offender::crn.eq(crn))
        .filter(offender::soft_deleted.eq(0))
        .select((
            offender::offender_id,
            offender::crn,
            offender::first_name,
            offender::surname,
            offender::date_of_birth_date,
            (
                offender::gender_id,
                offender::language_id,
                offender::ethnicity_id,
                offender::religion_id,
            ),
            (
                offender::e_mail_address,
                offender::telephone_number,
                offender::mobile_number,
            ),
        ))
        .first(conn)
        .await
        .optional()?;
    let Some((id, crn, forename, surname, date_of_birth, codes, contact)) = person else {
        return Ok(None);
    };
    let (gender, language, ethnicity, religion) = codes;
    let gender = description(conn, gender).await?;
    let primary_language = non_blank(description(conn, language).await?);
    let ethnicity = non_blank(description(conn, ethnicity).await?);
    let religion = non_blank(description(conn, religion).await?);
    let disabilities = disabilities(conn, id, today).await?;
    let profile = (primary_language.is_some()
        || ethnicity.is_some()
        || religion.is_some()
        || !disabilities.is_empty())
    .then_some(Profile {
        primary_language,
        ethnicity,
        religion,
        disabilities,
    });
    let (no_fixed_abode, main_address) = main_address(conn, id).await?;
    let (email_address, telephone_number, mobile_number) = contact;
    Ok(Some((
        id,
        CaseDetail {
            crn,
            name: Name { forename, surname },
            date_of_birth,
            gender,
            profile,
            contact_details: ContactDetails {
                no_fixed_abode,
                main_address,
                email_address,
                telephone_number,
                mobile_number,
            },
        },
    )))
}

fn non_blank(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

async fn description(conn: &mut AsyncPgConnection, id: Option<i64>) -> QueryResult<Option<String>> {
    let Some(id) = id else {
        return Ok(None);
    };
    Ok(r_standard_reference_list::table
        .find(id)
        .select(r_standard_reference_list::code_description)
        .first::<Option<String>>(conn)
        .await
        .optional()?
        .flatten())
}

/// Live disabilities not finished by today.
async fn disabilities(
    conn: &mut AsyncPgConnection,
    offender_id: i64,
    today: NaiveDate,
) -> QueryResult<Vec<Disability>> {
    let rows: Vec<(Option<String>, NaiveDate, Option<String>)> = disability::table
        .inner_join(
            r_standard_reference_list::table
                .on(r_standard_reference_list::standard_reference_list_id
                    .eq(disability::disability_type_id)),
        )
        .filter(disability::offender_id.eq(offender_id))
        .filter(disability::soft_deleted.eq(0))
        .filter(
            disability::finish_date
                .is_null()
                .or(disability::finish_date.gt(today)),
        )
        .order((disability::start_date, disability::disability_id))
        .select((
            r_standard_reference_list::code_description,
            disability::start_date,
            disability::notes,
        ))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(kind, start_date, notes)| Disability {
            kind: kind.unwrap_or_default(),
            start_date,
            notes,
        })
        .collect())
}

type AddressRow = (
    Option<String>,
    (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ),
);

/// The first live main address (status `M`, no end date): whether it is "no fixed abode", and
/// its parts when it has any.
async fn main_address(
    conn: &mut AsyncPgConnection,
    offender_id: i64,
) -> QueryResult<(bool, Option<Address>)> {
    let row: Option<AddressRow> = offender_address::table
        .inner_join(
            r_standard_reference_list::table.on(
                r_standard_reference_list::standard_reference_list_id
                    .nullable()
                    .eq(offender_address::address_status_id),
            ),
        )
        .filter(offender_address::offender_id.eq(offender_id))
        .filter(offender_address::soft_deleted.eq(0))
        .filter(offender_address::end_date.is_null())
        .filter(r_standard_reference_list::code_value.eq("M"))
        .order(offender_address::offender_address_id)
        .select((
            offender_address::no_fixed_abode,
            (
                offender_address::building_name,
                offender_address::address_number,
                offender_address::street_name,
                offender_address::district,
                offender_address::town_city,
                offender_address::county,
                offender_address::postcode,
            ),
        ))
        .first(conn)
        .await
        .optional()?;
    Ok(match row {
        None => (false, None),
        Some((no_fixed_abode, parts)) => (
            no_fixed_abode.as_deref() == Some("Y"),
            Address {
                building_name: parts.0,
                building_number: parts.1,
                street_name: parts.2,
                district: parts.3,
                town: parts.4,
                county: parts.5,
                postcode: parts.6,
            }
            .or_none(),
        ),
    })
}
