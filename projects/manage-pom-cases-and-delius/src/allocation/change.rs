//! "changeTo" (spec 3.2.1 step 8, 3.2.2 step 4): the allocation contact, the responsible-officer
//! move, ending the outgoing POM and inserting the new one.

use anyhow::Context as _;
use chrono::NaiveDateTime;
use delius_data::lookups::{next_id, reference_data, Sequence};
use delius_data::schema::{
    prison_offender_manager as pom, probation_area, r_standard_reference_list,
    responsible_officer as ro, staff, team,
};
use delius_data::time::now_london;
use delius_data::StaleRow;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::contacts::{self, NewContact, Officer, ResponsibleOfficerDetails};
use super::pom::{allocation_reason, new_end_date, next_pom_start, Assignment, Pom, Target};
use super::NotFound;

const REASON_SET: &str = "POM ALLOCATION REASON";
const POM_ID_SEQ: Sequence = Sequence::named("prison_offender_manager_id_seq");
const RESPONSIBLE_OFFICER_ID_SEQ: Sequence = Sequence::named("responsible_officer_id_seq");

/// Whether the POM holds a responsible-officer row still in force at `at` (no end date, or one
/// after `at`). An RO that ends in the future only because its POM is followed by a future-dated
/// POM (rule 4) is held by that POM now, so it moves on a change as rule 1 intends.
async fn holds_responsible_officer(
    tx: &mut AsyncPgConnection,
    pom_id: i64,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        ro::table
            .filter(ro::prison_offender_manager_id.eq(pom_id))
            .filter(ro::end_date.is_null().or(ro::end_date.gt(at))),
    ))
    .get_result(tx)
    .await
}

async fn officer(tx: &mut AsyncPgConnection, assignment: Assignment) -> anyhow::Result<Officer> {
    let (forename, surname): (String, String) = staff::table
        .find(assignment.staff_id)
        .select((staff::forename, staff::surname))
        .first(tx)
        .await
        .context("reading the POM's staff")?;
    let team_description: Option<String> = team::table
        .find(assignment.team_id)
        .select(team::description)
        .first(tx)
        .await
        .context("reading the POM's team")?;
    let provider_description: Option<String> = probation_area::table
        .find(assignment.provider_id)
        .select(probation_area::description)
        .first(tx)
        .await
        .context("reading the POM's provider")?;
    Ok(Officer {
        forename,
        surname,
        team_description: team_description.unwrap_or_default(),
        provider_description: provider_description.unwrap_or_default(),
    })
}

async fn reason_description(
    tx: &mut AsyncPgConnection,
    reason_id: Option<i64>,
) -> QueryResult<String> {
    let Some(reason_id) = reason_id else {
        return Ok(String::new());
    };
    let description: Option<Option<String>> = r_standard_reference_list::table
        .find(reason_id)
        .select(r_standard_reference_list::code_description)
        .first(tx)
        .await
        .optional()?;
    Ok(description.flatten().unwrap_or_default())
}

/// "changeTo" (spec 3.2.1 step 8): writes the allocation contact, moves the responsible officer
/// when the outgoing POM holds it, ends the outgoing POM (flushed first, so only one POM is
/// active at a time) and inserts the new one.
pub async fn change_to(
    tx: &mut AsyncPgConnection,
    person_id: i64,
    current: Option<&Pom>,
    target: &Target,
    at: NaiveDateTime,
    user_id: i64,
) -> anyhow::Result<()> {
    let next_start = next_pom_start(tx, person_id, at).await?;
    let end_date = new_end_date(current, next_start);
    let (reason_code, contact_type) = allocation_reason(current, target);
    let reason = reference_data(tx, REASON_SET, reason_code)
        .await?
        .ok_or_else(|| NotFound::new("PomAllocationReason", "code", reason_code))?;
    let reason_text = reason.description.clone().unwrap_or_default();
    let now = now_london();

    let new_officer = officer(tx, target.assignment).await?;
    let previous = match current {
        Some(current) => Some(officer(tx, current.assignment()).await?),
        None => None,
    };
    contacts::add(
        tx,
        NewContact {
            person_id,
            type_code: contact_type,
            allocation_date: at,
            notes: contacts::allocation_notes(&reason_text, &at, previous.as_ref()),
            attributed_to: target.assignment,
        },
        user_id,
        now,
    )
    .await?;

    // Rule 1: the responsible officer moves only when the outgoing POM holds it.
    let ro_moves = match current {
        Some(current) => holds_responsible_officer(tx, current.id, at).await?,
        None => false,
    };
    if let (Some(current), Some(previous), true) = (current, previous.as_ref(), ro_moves) {
        // Rule 5: written before any end date changes, so only a pre-existing one shows.
        let previous_reason = reason_description(tx, current.reason_id).await?;
        let notes = contacts::responsible_officer_change_notes(
            &ResponsibleOfficerDetails {
                officer: &new_officer,
                start: at,
                end: None,
                reason_description: &reason_text,
            },
            &ResponsibleOfficerDetails {
                officer: previous,
                start: current.allocation_date,
                end: current.end_date,
                reason_description: &previous_reason,
            },
        );
        contacts::add(
            tx,
            NewContact {
                person_id,
                type_code: contacts::RESPONSIBLE_OFFICER_CHANGE,
                allocation_date: at,
                notes,
                attributed_to: target.assignment,
            },
            user_id,
            now,
        )
        .await?;
    }

    if let Some(current) = current {
        end_pom(tx, current, at, user_id, now).await?;
        if ro_moves {
            end_responsible_officers(tx, current.id, at, user_id, now).await?;
        }
    }

    let new_pom_id = next_id(tx, POM_ID_SEQ).await?;
    diesel::insert_into(pom::table)
        .values((
            pom::prison_offender_manager_id.eq(new_pom_id),
            pom::row_version.eq(0i64),
            pom::offender_id.eq(person_id),
            pom::allocation_date.eq(at),
            pom::allocation_reason_id.eq(reason.id),
            pom::allocation_staff_id.eq(target.assignment.staff_id),
            pom::allocation_team_id.eq(target.assignment.team_id),
            pom::probation_area_id.eq(target.assignment.provider_id),
            pom::end_date.eq(end_date),
            pom::active_flag.eq(i16::from(end_date.is_none())),
            pom::soft_deleted.eq(0i16),
            pom::email_address.eq(target.email.as_deref()),
            pom::partition_area_id.eq(0i64),
            pom::created_by_user_id.eq(user_id),
            pom::last_updated_user_id.eq(user_id),
            pom::created_datetime.eq(now),
            pom::last_updated_datetime.eq(now),
        ))
        .execute(tx)
        .await
        .context("inserting the new POM")?;

    if ro_moves {
        let ro_id = next_id(tx, RESPONSIBLE_OFFICER_ID_SEQ).await?;
        diesel::insert_into(ro::table)
            .values((
                ro::responsible_officer_id.eq(ro_id),
                ro::offender_id.eq(person_id),
                ro::prison_offender_manager_id.eq(new_pom_id),
                ro::start_date.eq(at),
                ro::end_date.eq(end_date),
                ro::row_version.eq(0i64),
                ro::created_by_user_id.eq(user_id),
                ro::last_updated_user_id.eq(user_id),
                ro::created_datetime.eq(now),
                ro::last_updated_datetime.eq(now),
            ))
            .execute(tx)
            .await
            .context("inserting the new POM's responsible officer")?;
    }
    Ok(())
}

async fn end_pom(
    tx: &mut AsyncPgConnection,
    current: &Pom,
    at: NaiveDateTime,
    user_id: i64,
    now: NaiveDateTime,
) -> anyhow::Result<()> {
    let updated = diesel::update(
        pom::table
            .filter(pom::prison_offender_manager_id.eq(current.id))
            .filter(pom::row_version.eq(current.row_version)),
    )
    .set((
        pom::end_date.eq(at),
        pom::active_flag.eq(0i16),
        pom::row_version.eq(pom::row_version + 1),
        pom::last_updated_user_id.eq(user_id),
        pom::last_updated_datetime.eq(now),
    ))
    .execute(tx)
    .await
    .context("ending the previous POM")?;
    if updated == 0 {
        return Err(StaleRow {
            table: "prison_offender_manager",
            id: current.id,
            expected: current.row_version,
        }
        .into());
    }
    Ok(())
}

/// Ends every responsible-officer row of the outgoing POM still in force at `at` (rule 1; there
/// should be one, but a duplicate left behind must not stay open). The person is locked, so the
/// rows cannot change under this filtered update.
async fn end_responsible_officers(
    tx: &mut AsyncPgConnection,
    pom_id: i64,
    at: NaiveDateTime,
    user_id: i64,
    now: NaiveDateTime,
) -> anyhow::Result<()> {
    diesel::update(
        ro::table
            .filter(ro::prison_offender_manager_id.eq(pom_id))
            .filter(ro::end_date.is_null().or(ro::end_date.gt(at))),
    )
    .set((
        ro::end_date.eq(at),
        ro::row_version.eq(ro::row_version + 1),
        ro::last_updated_user_id.eq(user_id),
        ro::last_updated_datetime.eq(now),
    ))
    .execute(tx)
    .await
    .context("ending the previous POM's responsible officer")?;
    Ok(())
}
