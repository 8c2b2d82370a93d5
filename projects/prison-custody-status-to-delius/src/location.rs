//! Action `UpdateLocation` (spec 5.5), with the ETCP contact and the prison-manager allocation.

use delius_data::time::{format_delius_date_time, now_london};

use crate::custody::{status, Custody, Institution};
use crate::movement::{Direction, MovementType};
use crate::outcome::{names, ActionResult, Ctx};
use crate::prison_manager;
use crate::store::{self, Conn, NewContact};

pub const COMMUNITY: &str = "COMMUN";
pub const OTHER_SECURE_UNIT: &str = "XXX056";
pub const OTHER_IRC: &str = "XXX054";
pub const UNLAWFULLY_AT_LARGE: &str = "UATLRG";
pub const EOTL_LOCATION_LINES: &str = "The date of the change to the custody location has been identified from the case being updated following a Temporary Absence Return in NOMIS.\nThe date may reflect an update after the date the actual change to location occurred.";

/// Where a released person goes (spec 5.5.3), as an institution code; `None` keeps the current one.
pub fn released_destination(ctx: &Ctx<'_>, custody: &Custody) -> Option<&'static str> {
    let m = ctx.movement;
    let current = custody.institution.as_ref();
    if m.is_hospital_release() {
        (!current.is_some_and(|i| i.secure_hospital)).then_some(OTHER_SECURE_UNIT)
    } else if m.is_irc_release() {
        (!current.is_some_and(|i| i.irc)).then_some(OTHER_IRC)
    } else if m.is_absconded() {
        Some(UNLAWFULLY_AT_LARGE)
    } else if custody.status.code == status::RELEASED_ON_LICENCE || custody.can_be_released() {
        // (unconfirmed) after UpdateStatus a released custody is `B`: it is in the community.
        Some(COMMUNITY)
    } else {
        None
    }
}

pub fn etcp_notes(custody: &Custody, institution: &Institution, ctx: &Ctx<'_>) -> String {
    let mut notes = format!(
        "Custodial Status: {}\nCustodial Establishment: {}\nLocation Change Date: {}\n{}",
        custody.status.description,
        institution.description,
        format_delius_date_time(&ctx.movement.occurred_at),
        "-".repeat(31),
    );
    if ctx.movement.movement_type == MovementType::TemporaryAbsenceReturn {
        notes.push('\n');
        notes.push_str(EOTL_LOCATION_LINES);
    }
    notes
}

pub async fn update_location(
    conn: &mut Conn,
    ctx: Ctx<'_>,
    custody: &mut Custody,
) -> anyhow::Result<ActionResult> {
    let m = ctx.movement;
    let current = custody.institution.clone();
    if m.direction == Direction::Received
        && current.as_ref().and_then(|i| i.nomis_cde_code.as_deref()) == m.to_prison_id.as_deref()
        && m.to_prison_id.is_some()
    {
        return Ok(ActionResult::ignored(names::PRISONER_LOCATION_CORRECT));
    }
    if custody
        .location_change_date
        .is_some_and(|d| m.occurred_at.date() < d)
    {
        return Ok(ActionResult::ignored(names::PRISONER_LOCATION_CORRECT));
    }
    let mut pom_institution = None;
    let new_institution = match m.direction {
        Direction::Received => {
            let code = m
                .to_prison_id
                .as_deref()
                .ok_or_else(|| anyhow::anyhow!("received movement has no prison"))?;
            store::institution_by_nomis_code(conn, code)
                .await?
                .ok_or_else(|| anyhow::anyhow!("institution with NOMIS code {code} not found"))?
        }
        Direction::Released => {
            if let Some(code) = m.from_prison_id.as_deref() {
                pom_institution = Some(
                    store::institution_by_nomis_code(conn, code)
                        .await?
                        .ok_or_else(|| {
                            anyhow::anyhow!("institution with NOMIS code {code} not found")
                        })?,
                );
            }
            let released_to = match m.to_prison_id.as_deref() {
                Some(code)
                    if code != crate::movement::OUT
                        && (m.is_hospital_release() || m.is_irc_release()) =>
                {
                    store::institution_by_nomis_code(conn, code).await?
                }
                _ => None,
            };
            match (released_to, released_destination(&ctx, custody)) {
                (Some(i), _) => i,
                (None, Some(code)) => store::institution_by_code(conn, code).await?,
                (None, None) => match current.clone() {
                    Some(i) => i,
                    None => return Ok(ActionResult::ignored(names::PRISONER_LOCATION_CORRECT)),
                },
            }
        }
    };
    if current.as_ref().map(|i| &i.code) == Some(&new_institution.code) {
        return Ok(ActionResult::ignored(names::PRISONER_LOCATION_CORRECT));
    }
    custody.institution = Some(new_institution.clone());
    custody.location_change_date = Some(m.occurred_at.date());
    store::save_custody(conn, custody, ctx.user_id).await?;
    store::add_history(
        conn,
        custody,
        "CPL",
        m.occurred_at,
        &new_institution.description,
        ctx.user_id,
    )
    .await?;

    let pom_target = pom_institution.as_ref().unwrap_or(&new_institution);
    prison_manager::allocate(conn, ctx, custody.offender_id, pom_target.id, m.occurred_at).await?;

    if m.direction == Direction::Received
        || m.is_hospital_release()
        || m.is_irc_release()
        || m.is_absconded()
    {
        let manager = store::order_manager(conn, custody.event_id).await?;
        store::add_contact(
            conn,
            NewContact {
                type_code: "ETCP",
                offender_id: custody.offender_id,
                event_id: Some(custody.event_id),
                lic_condition_id: None,
                at: m.occurred_at,
                notes: etcp_notes(custody, &new_institution, &ctx),
                manager,
                alert: false,
                created: now_london(),
            },
            ctx.user_id,
        )
        .await?;
    }
    Ok(ActionResult::Success(names::LOCATION_UPDATED))
}
