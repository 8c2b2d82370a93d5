//! `GET /probation-case/{crn}/responsible-officer` (spec 2.4): the community manager, with e-mail
//! and telephone from LDAP and the team's office locations, and the prison manager when the
//! community manager is not the responsible officer.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Date, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;

use delius_ldap::Directory;

use super::person::Name;
use super::places::{Address, OfficeLocation};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pdu {
    pub code: String,
    #[serde(skip_serializing_if = "is_blank")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Team {
    pub code: String,
    #[serde(skip_serializing_if = "is_blank")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "is_blank")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "is_blank")]
    pub telephone_number: Option<String>,
}

/// "Non-empty" inclusion (spec 2.4): nulls, empty strings and empty lists are left out; booleans
/// are always written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Manager {
    pub code: String,
    pub name: Name,
    #[serde(skip_serializing_if = "is_blank")]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "is_blank")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "is_blank")]
    pub telephone_number: Option<String>,
    pub responsible_officer: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pdu: Option<Pdu>,
    pub team: Team,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub office_locations: Vec<OfficeLocation>,
    pub unallocated: bool,
}

fn is_blank(value: &Option<String>) -> bool {
    value.as_deref().is_none_or(str::is_empty)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponsibleOfficer {
    pub community_manager: Manager,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prison_manager: Option<Manager>,
}

#[derive(QueryableByName)]
struct ManagerRow {
    #[diesel(sql_type = BigInt)]
    offender_id: i64,
    #[diesel(sql_type = Text)]
    officer_code: String,
    #[diesel(sql_type = Text)]
    forename: String,
    #[diesel(sql_type = Text)]
    surname: String,
    #[diesel(sql_type = Nullable<Text>)]
    username: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    email: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    telephone: Option<String>,
    #[diesel(sql_type = BigInt)]
    team_id: i64,
    #[diesel(sql_type = Text)]
    team_code: String,
    #[diesel(sql_type = Nullable<Text>)]
    team_description: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    team_email: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    team_telephone: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pdu_code: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pdu_description: Option<String>,
    #[diesel(sql_type = Bool)]
    responsible: bool,
}

const COMMUNITY_MANAGER: &str = r#"
SELECT o.offender_id, s.officer_code, s.forename, s.surname,
       (SELECT u.distinguished_name FROM user_ u WHERE u.staff_id = s.staff_id ORDER BY u.user_id LIMIT 1) AS username,
       NULL::text AS email, NULL::text AS telephone,
       t.team_id, t.code AS team_code, t.description AS team_description,
       t.email_address AS team_email, t.telephone AS team_telephone,
       b.code AS pdu_code, b.description AS pdu_description,
       EXISTS (SELECT 1 FROM responsible_officer ro
               WHERE ro.offender_manager_id = om.offender_manager_id AND ro.end_date IS NULL) AS responsible
FROM offender_manager om
JOIN offender o ON o.offender_id = om.offender_id
JOIN staff s ON s.staff_id = om.allocation_staff_id
JOIN team t ON t.team_id = om.team_id
LEFT JOIN district d ON d.district_id = t.district_id
LEFT JOIN borough b ON b.borough_id = d.borough_id
WHERE o.crn = $1 AND o.soft_deleted = 0 AND om.active_flag = 1 AND om.soft_deleted = 0
ORDER BY om.allocation_date DESC NULLS LAST, om.offender_manager_id DESC
LIMIT 1
"#;

const PRISON_MANAGER: &str = r#"
SELECT pom.offender_id, s.officer_code, s.forename, s.surname, NULL::text AS username,
       pom.email_address AS email, pom.telephone_number AS telephone,
       t.team_id, t.code AS team_code, t.description AS team_description,
       t.email_address AS team_email, t.telephone AS team_telephone,
       b.code AS pdu_code, b.description AS pdu_description,
       EXISTS (SELECT 1 FROM responsible_officer ro
               WHERE ro.prison_offender_manager_id = pom.prison_offender_manager_id AND ro.end_date IS NULL) AS responsible
FROM prison_offender_manager pom
JOIN staff s ON s.staff_id = pom.allocation_staff_id
JOIN team t ON t.team_id = pom.allocation_team_id
LEFT JOIN district d ON d.district_id = t.district_id
LEFT JOIN borough b ON b.borough_id = d.borough_id
WHERE pom.offender_id = $1 AND pom.active_flag = 1 AND pom.soft_deleted = 0
ORDER BY pom.allocation_date DESC, pom.prison_offender_manager_id DESC
LIMIT 1
"#;

#[derive(QueryableByName)]
struct LocationRow {
    #[diesel(sql_type = Text)]
    code: String,
    #[diesel(sql_type = Nullable<Text>)]
    description: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    building_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    building_number: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    street_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    district: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    town_city: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    county: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    postcode: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    telephone_number: Option<String>,
}

/// (unconfirmed) The team's open office locations through `TEAM_OFFICE_LOCATION`.
const TEAM_LOCATIONS: &str = r#"
SELECT ol.code, ol.description, ol.building_name, ol.building_number, ol.street_name, ol.district,
       ol.town_city, ol.county, ol.postcode, ol.telephone_number
FROM team_office_location tol
JOIN office_location ol ON ol.office_location_id = tol.office_location_id
WHERE tol.team_id = $1 AND (ol.end_date IS NULL OR ol.end_date > $2)
ORDER BY ol.code
"#;

fn manager(row: ManagerRow, office_locations: Vec<OfficeLocation>) -> Manager {
    Manager {
        unallocated: row.officer_code.ends_with('U'),
        code: row.officer_code,
        name: Name {
            forename: row.forename,
            surname: row.surname,
        },
        username: row.username,
        email: row.email,
        telephone_number: row.telephone,
        responsible_officer: row.responsible,
        pdu: row.pdu_code.map(|code| Pdu {
            code,
            description: row.pdu_description,
        }),
        team: Team {
            code: row.team_code,
            description: row.team_description,
            email: row.team_email,
            telephone_number: row.team_telephone,
        },
        office_locations,
    }
}

/// `None` when the live person has no active community manager (a 404). A directory that does
/// not answer leaves e-mail and telephone out rather than failing the request.
pub async fn responsible_officer(
    conn: &mut AsyncPgConnection,
    directory: &dyn Directory,
    crn: &str,
    today: NaiveDate,
) -> QueryResult<Option<ResponsibleOfficer>> {
    let row: Option<ManagerRow> = diesel::sql_query(COMMUNITY_MANAGER)
        .bind::<Text, _>(crn)
        .get_result(conn)
        .await
        .optional()?;
    let Some(mut row) = row else {
        return Ok(None);
    };
    let offender_id = row.offender_id;
    let locations: Vec<LocationRow> = diesel::sql_query(TEAM_LOCATIONS)
        .bind::<BigInt, _>(row.team_id)
        .bind::<Date, _>(today)
        .load(conn)
        .await?;
    let prison_row: Option<ManagerRow> = if row.responsible {
        None
    } else {
        diesel::sql_query(PRISON_MANAGER)
            .bind::<BigInt, _>(offender_id)
            .get_result(conn)
            .await
            .optional()?
    };
    if let Some(username) = row.username.clone() {
        match directory.find_user(&username).await {
            Ok(Some(user)) => {
                row.email = user.email;
                row.telephone = user.telephone;
            }
            Ok(None) => {}
            Err(error) => {
                tracing::warn!(%error, "LDAP lookup failed; responsible officer sent without e-mail and telephone");
            }
        }
    }
    let office_locations = locations
        .into_iter()
        .map(|l| OfficeLocation {
            code: l.code,
            description: l.description,
            address: Address {
                building_name: l.building_name,
                building_number: l.building_number,
                street_name: l.street_name,
                district: l.district,
                town: l.town_city,
                county: l.county,
                postcode: l.postcode,
            }
            .or_none(),
            telephone_number: l.telephone_number,
        })
        .collect();
    Ok(Some(ResponsibleOfficer {
        community_manager: manager(row, office_locations),
        prison_manager: prison_row.map(|row| manager(row, Vec::new())),
    }))
}

/// `GET /users/{username}/details` (spec 2.10): the directory's entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserDetail {
    pub username: String,
    pub name: Name,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

pub async fn user_detail(
    directory: &dyn Directory,
    username: &str,
) -> Result<Option<UserDetail>, delius_ldap::DirectoryError> {
    Ok(directory.find_user(username).await?.map(|user| UserDetail {
        username: user.username,
        name: Name {
            forename: user.forename.unwrap_or_default(),
            surname: user.surname.unwrap_or_default(),
        },
        email: user.email,
    }))
}
