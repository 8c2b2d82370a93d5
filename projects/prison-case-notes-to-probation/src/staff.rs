//! Who a prison contact is assigned to: the prison's provider, its `{provider}CSN` team, and a
//! staff member found by name in that provider or created for the author.

use delius_data::schema::{probation_area, r_institution, team};
use delius_data::staff::{self, NewStaffMember};
use delius_data::time::today_london;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::scoped_futures::ScopedFutureExt;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::model::StaffName;

/// The prison's provider and CSN team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Establishment {
    pub provider_id: i64,
    pub provider_code: String,
    pub team_id: i64,
}

/// `PROBATION_AREA_ID`, `TEAM_ID` and `STAFF_ID` of a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assignment {
    pub provider_id: i64,
    pub team_id: i64,
    pub staff_id: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum AssignmentError {
    #[error("Invalid establishment code {0:?}: a NOMIS prison code has at least 3 characters")]
    InvalidEstablishmentCode(String),
    #[error("Probation Area not found for NOMIS institution: {0}")]
    ProviderNotFound(String),
    #[error("Team {0} not found")]
    TeamNotFound(String),
}

/// The provider whose institution has the NOMIS code of the first 3 characters of the prison
/// code (so `UNK` needs an `UNK` institution), and its team `{provider code}CSN`.
pub async fn establishment(
    conn: &mut AsyncPgConnection,
    establishment_code: &str,
) -> anyhow::Result<Establishment> {
    if establishment_code.chars().count() < 3 {
        return Err(
            AssignmentError::InvalidEstablishmentCode(establishment_code.to_owned()).into(),
        );
    }
    let nomis_code: String = establishment_code.chars().take(3).collect();
    // The first provider of the institution and its CSN team, in one round trip.
    let found: Option<(i64, String, Option<i64>)> = probation_area::table
        .inner_join(r_institution::table)
        .left_join(team::table.on(team::code.eq(probation_area::code.concat("CSN"))))
        .filter(r_institution::nomis_cde_code.eq(&nomis_code))
        .order((probation_area::probation_area_id, team::team_id))
        .select((
            probation_area::probation_area_id,
            probation_area::code,
            team::team_id.nullable(),
        ))
        .first(conn)
        .await
        .optional()?;
    match found {
        None => Err(AssignmentError::ProviderNotFound(nomis_code).into()),
        Some((_, provider_code, None)) => {
            Err(AssignmentError::TeamNotFound(format!("{provider_code}CSN")).into())
        }
        Some((provider_id, provider_code, Some(team_id))) => Ok(Establishment {
            provider_id,
            provider_code,
            team_id,
        }),
    }
}

/// The first staff member of the provider with this forename and surname, ignoring case.
pub async fn find_staff(
    conn: &mut AsyncPgConnection,
    provider_id: i64,
    name: &StaffName,
) -> QueryResult<Option<i64>> {
    let found = staff::find_by_name(conn, provider_id, &name.forename, &name.surname).await?;
    Ok(found.map(|member| member.id))
}

/// Creates the staff member (and their membership of the CSN team) in a transaction of its own,
/// so it stays even if the contact that needed it is rolled back.
///
/// `delius_data::staff::create_locked` serialises creation per provider and looks the name up
/// again under its lock. A unique violation that still happens (a code taken outside these
/// services) is retried with a fresh code, up to 3 times.
pub async fn create_staff(
    conn: &mut AsyncPgConnection,
    establishment: &Establishment,
    name: &StaffName,
    user_id: i64,
) -> anyhow::Result<i64> {
    const ATTEMPTS: u32 = 3;
    let mut attempt = 1;
    loop {
        let result = conn
            .transaction::<i64, anyhow::Error, _>(|tx| {
                async move {
                    let wanted = NewStaffMember {
                        forename: &name.forename,
                        surname: &name.surname,
                        provider_id: establishment.provider_id,
                        provider_code: &establishment.provider_code,
                        team_id: establishment.team_id,
                        start_date: today_london(),
                        user_id,
                    };
                    Ok(staff::create_locked(tx, &wanted).await?.id)
                }
                .scope_boxed()
            })
            .await;
        match result {
            Err(error) if attempt < ATTEMPTS && is_unique_violation(&error) => {
                tracing::warn!(%error, attempt, "staff creation collided; retrying");
                attempt += 1;
            }
            other => return other,
        }
    }
}

fn is_unique_violation(error: &anyhow::Error) -> bool {
    error.chain().any(|e| {
        matches!(
            e.downcast_ref::<DieselError>(),
            Some(DieselError::DatabaseError(
                DatabaseErrorKind::UniqueViolation,
                _
            ))
        )
    })
}
