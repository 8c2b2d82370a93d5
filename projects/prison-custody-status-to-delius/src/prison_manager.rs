//! Prison-manager (POM) allocation on a location change (spec 5.7).

use anyhow::anyhow;
use chrono::NaiveDateTime;
use delius_data::lookups::{next_id, Sequence};
use delius_data::schema::{prison_offender_manager, probation_area, staff, team};
use delius_data::time::{format_delius_date, now_london};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::outcome::Ctx;
use crate::store::{self, Conn, Manager, NewContact};

pub async fn allocate(
    conn: &mut Conn,
    ctx: Ctx<'_>,
    offender_id: i64,
    institution_id: i64,
    at: NaiveDateTime,
) -> anyhow::Result<()> {
    let area: Option<(i64, String)> = probation_area::table
        .filter(probation_area::institution_id.eq(institution_id))
        .select((probation_area::probation_area_id, probation_area::code))
        .order(probation_area::probation_area_id)
        .first(conn)
        .await
        .optional()?;
    let Some((area_id, area_code)) = area else {
        return Ok(());
    };
    let team_code = format!("{area_code}ALL");
    let team_id: i64 = team::table
        .filter(team::code.eq(&team_code))
        .filter(team::probation_area_id.eq(area_id))
        .select(team::team_id)
        .first(conn)
        .await
        .optional()?
        .ok_or_else(|| anyhow!("team {team_code} not found"))?;
    let staff_code = format!("{team_code}U");
    let staff_id = delius_data::lookups::staff_by_code(conn, &staff_code)
        .await?
        .ok_or_else(|| anyhow!("staff {staff_code} not found"))?
        .id;
    let reason = store::required_reference(conn, "POM ALLOCATION REASON", "AUT").await?;

    type Pom = (i64, NaiveDateTime, Option<NaiveDateTime>, i64, i64, i64);
    let active: Option<Pom> = prison_offender_manager::table
        .filter(prison_offender_manager::offender_id.eq(offender_id))
        .filter(prison_offender_manager::active_flag.eq(1))
        .filter(prison_offender_manager::soft_deleted.eq(0))
        .filter(prison_offender_manager::allocation_date.le(at))
        .filter(
            prison_offender_manager::end_date
                .is_null()
                .or(prison_offender_manager::end_date.gt(at)),
        )
        .select((
            prison_offender_manager::prison_offender_manager_id,
            prison_offender_manager::allocation_date,
            prison_offender_manager::end_date,
            prison_offender_manager::probation_area_id,
            prison_offender_manager::allocation_team_id,
            prison_offender_manager::allocation_staff_id,
        ))
        .order(prison_offender_manager::allocation_date.desc())
        .first(conn)
        .await
        .optional()?;
    if active.as_ref().is_some_and(|p| p.3 == area_id) {
        return Ok(());
    }
    let end_date = match active.as_ref().and_then(|p| p.2) {
        Some(end) => Some(end),
        None => prison_offender_manager::table
            .filter(prison_offender_manager::offender_id.eq(offender_id))
            .filter(prison_offender_manager::soft_deleted.eq(0))
            .filter(prison_offender_manager::allocation_date.gt(at))
            .select(prison_offender_manager::allocation_date)
            .order(prison_offender_manager::allocation_date)
            .first(conn)
            .await
            .optional()?,
    };
    let now = now_london();
    if let Some((old_id, old_date, _, old_area, old_team, old_staff)) = active {
        diesel::update(
            prison_offender_manager::table
                .filter(prison_offender_manager::prison_offender_manager_id.eq(old_id)),
        )
        .set((
            prison_offender_manager::active_flag.eq(0i16),
            prison_offender_manager::end_date.eq(at),
            prison_offender_manager::row_version.eq(prison_offender_manager::row_version + 1),
            prison_offender_manager::last_updated_user_id.eq(ctx.user_id),
            prison_offender_manager::last_updated_datetime.eq(now),
        ))
        .execute(conn)
        .await?;
        let area_description: Option<String> = probation_area::table
            .filter(probation_area::probation_area_id.eq(old_area))
            .select(probation_area::description)
            .first(conn)
            .await?;
        let team_description: Option<String> = team::table
            .filter(team::team_id.eq(old_team))
            .select(team::description)
            .first(conn)
            .await?;
        let (forename, surname): (String, String) = staff::table
            .filter(staff::staff_id.eq(old_staff))
            .select((staff::forename, staff::surname))
            .first(conn)
            .await?;
        let notes = format!(
            "Transfer Reason: {}\nTransfer Date: {}\nFrom Establishment: {}\nFrom Team: {}\nFrom Officer: {} {}",
            reason.description.as_deref().unwrap_or_default(),
            format_delius_date(&old_date.date()),
            area_description.unwrap_or_default(),
            team_description.unwrap_or_default(),
            forename,
            surname,
        );
        store::add_contact(
            conn,
            NewContact {
                type_code: "EPOMAT",
                offender_id,
                event_id: None,
                lic_condition_id: None,
                at,
                notes,
                manager: Manager {
                    staff_id,
                    team_id,
                    provider_id: Some(area_id),
                },
                alert: false,
                created: now,
            },
            ctx.user_id,
        )
        .await?;
    }
    let id = next_id(conn, Sequence::named("prison_offender_manager_id_seq")).await?;
    diesel::insert_into(prison_offender_manager::table)
        .values((
            prison_offender_manager::prison_offender_manager_id.eq(id),
            prison_offender_manager::offender_id.eq(offender_id),
            prison_offender_manager::allocation_date.eq(at),
            prison_offender_manager::allocation_reason_id.eq(reason.id),
            prison_offender_manager::allocation_staff_id.eq(staff_id),
            prison_offender_manager::allocation_team_id.eq(team_id),
            prison_offender_manager::probation_area_id.eq(area_id),
            prison_offender_manager::end_date.eq(end_date),
            prison_offender_manager::active_flag.eq(i16::from(end_date.is_none())),
            prison_offender_manager::created_by_user_id.eq(ctx.user_id),
            prison_offender_manager::last_updated_user_id.eq(ctx.user_id),
            prison_offender_manager::created_datetime.eq(now),
            prison_offender_manager::last_updated_datetime.eq(now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}
