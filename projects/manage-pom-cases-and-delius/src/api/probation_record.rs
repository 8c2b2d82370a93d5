//! `GET /case-records/{identifier}` (spec 2.1): the person, their community manager, tier,
//! resourcing, MAPPA level and victim liaison flag.
//!
//! Two round trips: one joined query for the person, tier, active manager, team, district, staff
//! and the staff's Delius user; then the registrations and the allocation decision, pipelined on
//! the same connection. Every query is statically typed, so each connection keeps it prepared.
//! The manager's LDAP e-mail lookup runs alongside the second round trip, and the connection goes
//! back to the pool as soon as that round trip ends: a slow directory never holds one.

use std::future::Future;

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;

use delius_data::schema::{
    case_allocation, disposal, district, event, offender, offender_manager,
    r_standard_reference_list, staff, team, user_,
};
use delius_data::DbConnection;
use delius_ldap::Directory;

use super::errors::ApiError;
use super::identifier::Identifier;
use super::mappa::mappa_level;
use super::person::person_not_found;
use super::registrations::{latest_mappa, victim_liaison_officer_assigned};

/// The `ProbationRecord` body. `None` fields are left out of the JSON, as the reference
/// implementation's `non_null` inclusion does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProbationRecord {
    pub crn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub noms_id: Option<String>,
    /// The tier's description, not its code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_tier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resourcing: Option<Resourcing>,
    pub manager: Manager,
    pub mappa_level: i32,
    pub vlo_assigned: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Resourcing {
    Enhanced,
    Normal,
}

impl Resourcing {
    /// The latest case allocation decision's code: `R` enhanced, `A` normal, anything else none.
    pub fn from_decision_code(code: &str) -> Option<Self> {
        match code {
            "R" => Some(Self::Enhanced),
            "A" => Some(Self::Normal),
            _ => None,
        }
    }
}

/// The community manager. An unallocated manager (officer code ending in `U`) has only `team`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Manager {
    pub team: Team,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<Name>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Team {
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local_delivery_unit: Option<LocalDeliveryUnit>,
}

/// The team's district.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalDeliveryUnit {
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Name {
    /// Forename and middle name, joined with one space.
    pub forename: String,
    pub surname: String,
}

/// One row of the person query. Every column after the person's own comes from a left join, so
/// a person without an active manager still comes back (with the manager columns empty).
#[derive(Debug, Queryable)]
struct PersonRow {
    offender_id: i64,
    crn: String,
    noms_number: Option<String>,
    tier_description: Option<String>,
    team_code: Option<String>,
    team_description: Option<String>,
    district_code: Option<String>,
    district_description: Option<String>,
    officer_code: Option<String>,
    forename: Option<String>,
    forename2: Option<String>,
    surname: Option<String>,
    username: Option<String>,
}

/// The person query, filtered by `$filter` (the CRN or the NOMS number). A macro because the two
/// filters make two differently typed queries, and both should stay statically typed (prepared
/// once per connection) rather than boxed.
macro_rules! person_with_manager {
    ($filter:expr) => {
        offender::table
            .left_join(
                r_standard_reference_list::table.on(
                    r_standard_reference_list::standard_reference_list_id
                        .nullable()
                        .eq(offender::current_tier),
                ),
            )
            .left_join(
                offender_manager::table.on(offender_manager::offender_id
                    .eq(offender::offender_id)
                    .and(offender_manager::active_flag.eq(1))
                    .and(offender_manager::soft_deleted.eq(0))),
            )
            .left_join(team::table.on(team::team_id.eq(offender_manager::team_id)))
            .left_join(district::table.on(district::district_id.nullable().eq(team::district_id)))
            .left_join(staff::table.on(staff::staff_id.eq(offender_manager::allocation_staff_id)))
            .left_join(user_::table.on(user_::staff_id.eq(staff::staff_id.nullable())))
            .filter(offender::soft_deleted.eq(0))
            .filter($filter)
            // Delius keeps one active manager; should there be more, the latest allocation wins.
            .order((
                offender_manager::allocation_date.desc().nulls_last(),
                offender_manager::offender_manager_id.desc(),
                user_::user_id.asc(),
            ))
            .select((
                offender::offender_id,
                offender::crn,
                offender::noms_number,
                r_standard_reference_list::code_description.nullable(),
                team::code.nullable(),
                team::description.nullable(),
                district::code.nullable(),
                district::description.nullable(),
                staff::officer_code.nullable(),
                staff::forename.nullable(),
                staff::forename2.nullable(),
                staff::surname.nullable(),
                user_::distinguished_name.nullable(),
            ))
    };
}

async fn person(
    conn: &mut AsyncPgConnection,
    identifier: Identifier<'_>,
) -> QueryResult<Option<PersonRow>> {
    match identifier {
        Identifier::Crn(crn) => person_with_manager!(offender::crn.eq(crn))
            .first(conn)
            .await
            .optional(),
        Identifier::Noms(noms) => person_with_manager!(offender::noms_number.eq(noms))
            .first(conn)
            .await
            .optional(),
    }
}

/// The code of the latest case allocation decision: decision date set, decision reference row
/// present, and the event and its disposal both active and not deleted.
fn latest_allocation_decision(
    conn: &mut AsyncPgConnection,
    offender_id: i64,
) -> impl Future<Output = QueryResult<Option<String>>> + Send {
    let query = case_allocation::table
        .inner_join(
            r_standard_reference_list::table.on(
                r_standard_reference_list::standard_reference_list_id
                    .nullable()
                    .eq(case_allocation::allocation_decision_id),
            ),
        )
        .inner_join(event::table.on(event::event_id.eq(case_allocation::event_id)))
        .inner_join(disposal::table.on(disposal::event_id.eq(event::event_id)))
        .filter(case_allocation::offender_id.eq(offender_id))
        // Redundant with the line above, but lets PostgreSQL start from the event index.
        .filter(event::offender_id.eq(offender_id))
        .filter(case_allocation::allocation_decision_date.is_not_null())
        .filter(event::active_flag.eq(1))
        .filter(event::soft_deleted.eq(0))
        .filter(disposal::active_flag.eq(1))
        .filter(disposal::soft_deleted.eq(0))
        .order((
            case_allocation::allocation_decision_date.desc(),
            case_allocation::case_allocation_id.desc(),
        ))
        .select(r_standard_reference_list::code_value)
        .first(conn);
    async move { query.await.optional() }
}

/// The probation record of the person with this CRN or NOMS number.
///
/// 404 when no (non-deleted) person has it, and when the person has no active community manager
/// (the reference implementation fails with a 500 there; a clear 404 tells the caller why).
///
/// Takes the pooled connection itself so that it can hand it back before the directory answers.
pub async fn probation_record(
    mut conn: DbConnection,
    directory: &dyn Directory,
    identifier: Identifier<'_>,
) -> Result<ProbationRecord, ApiError> {
    let row = person(&mut conn, identifier)
        .await?
        .ok_or_else(|| person_not_found(identifier))?;
    let (team_code, officer_code) = match (row.team_code, row.officer_code) {
        (Some(team), Some(officer)) => (team, officer),
        _ => {
            return Err(ApiError::NotFound(format!(
                "Community manager for {identifier} not found"
            )))
        }
    };
    let allocated = !is_unallocated(&officer_code);
    // The e-mail lookup runs alongside the database: only an allocated manager's is wanted.
    let username = row.username.as_deref().filter(|_| allocated);
    let email = async {
        match username {
            Some(username) => email(directory, username).await,
            None => None,
        }
    };
    // The three queries go out before any answer comes back (diesel-async pipelines them). The
    // block owns the connection and returns it to the pool once they have answered, so it is not
    // held while only the directory is still being waited for.
    let offender_id = row.offender_id;
    let queries = async move {
        let mappa = latest_mappa(&mut conn, offender_id);
        let vlo = victim_liaison_officer_assigned(&mut conn, offender_id);
        let decision = latest_allocation_decision(&mut conn, offender_id);
        let answers = tokio::try_join!(mappa, vlo, decision);
        drop(conn);
        answers
    };
    let (queries, email) = tokio::join!(queries, email);
    let (mappa, vlo_assigned, decision) = queries?;
    let team = Team {
        code: team_code,
        description: row.team_description,
        local_delivery_unit: row.district_code.map(|code| LocalDeliveryUnit {
            code,
            description: row.district_description,
        }),
    };
    let manager = if allocated {
        Manager {
            team,
            code: Some(officer_code),
            name: Some(Name {
                forename: full_forename(row.forename.as_deref(), row.forename2.as_deref()),
                surname: row.surname.unwrap_or_default(),
            }),
            email,
        }
    } else {
        Manager {
            team,
            code: None,
            name: None,
            email: None,
        }
    };
    Ok(ProbationRecord {
        crn: row.crn,
        noms_id: row.noms_number,
        current_tier: row.tier_description,
        resourcing: decision.as_deref().and_then(Resourcing::from_decision_code),
        manager,
        mappa_level: mappa.as_ref().map_or(0, |m| mappa_level(&m.level_code)),
        vlo_assigned,
    })
}

/// Staff whose officer code ends in `U` stand for "not yet allocated to a person".
pub fn is_unallocated(officer_code: &str) -> bool {
    officer_code.trim_end().ends_with('U')
}

/// Forename and middle name, the parts that exist joined with one space.
pub fn full_forename(forename: Option<&str>, forename2: Option<&str>) -> String {
    [forename, forename2]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The manager's e-mail from the Delius LDAP directory. A directory outage must not take the
/// record down with it: the e-mail is left out and the failure logged.
async fn email(directory: &dyn Directory, username: &str) -> Option<String> {
    match directory.find_user(username).await {
        Ok(user) => user.and_then(|user| user.email),
        Err(error) => {
            tracing::warn!(%error, username, "LDAP lookup failed; case record sent without the manager's e-mail");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_2_1_resourcing_r_is_enhanced_a_is_normal_anything_else_none() {
        assert_eq!(
            Resourcing::from_decision_code("R"),
            Some(Resourcing::Enhanced)
        );
        assert_eq!(
            Resourcing::from_decision_code("A"),
            Some(Resourcing::Normal)
        );
        assert_eq!(Resourcing::from_decision_code("X"), None);
        assert_eq!(Resourcing::from_decision_code("r"), None);
    }

    #[test]
    fn spec_2_1_officer_code_ending_in_u_is_unallocated() {
        assert!(is_unallocated("N03ALLU"));
        assert!(!is_unallocated("N03DEF0"));
        assert!(!is_unallocated("N03UUU1"));
    }

    #[test]
    fn spec_2_1_forename_and_middle_name_joined_with_one_space() {
        assert_eq!(full_forename(Some("John"), Some("Paul")), "John Paul");
        assert_eq!(full_forename(Some("John"), None), "John");
        assert_eq!(full_forename(Some("John"), Some(" ")), "John");
        assert_eq!(full_forename(None, Some("Paul")), "Paul");
    }

    #[test]
    fn spec_2_null_fields_are_left_out() {
        let record = ProbationRecord {
            crn: "T123456".into(),
            noms_id: None,
            current_tier: None,
            resourcing: None,
            manager: Manager {
                team: Team {
                    code: "N03ALL".into(),
                    description: None,
                    local_delivery_unit: None,
                },
                code: None,
                name: None,
                email: None,
            },
            mappa_level: 0,
            vlo_assigned: false,
        };
        assert_eq!(
            serde_json::to_value(record).ok(),
            Some(serde_json::json!({
                "crn": "T123456",
                "manager": {"team": {"code": "N03ALL"}},
                "mappaLevel": 0,
                "vloAssigned": false
            }))
        );
    }
}
