//! Action `UpdateStatus` (spec 5.4).

use crate::custody::{status, Custody};
use crate::movement::Direction;
use crate::outcome::{names, ActionResult, Ctx};
use crate::store::{self, Conn};

pub const THROUGHCARE_STATUS: &str = "THROUGHCARE STATUS";

/// The target status and history detail, or `None` for `PrisonerStatusCorrect`.
pub fn target(ctx: &Ctx<'_>, custody: &Custody) -> Option<(&'static str, &'static str)> {
    let m = ctx.movement;
    match m.direction {
        Direction::Received => {
            if custody.status_is(&status::NO_CHANGE)
                || !custody.received_date_is_valid(m.occurred_at)
            {
                return None;
            }
            let detail = if custody.could_recall_at_start {
                "Recall added in custody "
            } else {
                "In custody "
            };
            Some((status::IN_CUSTODY, detail))
        }
        Direction::Released
            if m.is_hospital_release() || m.is_irc_release() || m.is_absconded() =>
        {
            let secure_unit = m.is_hospital_release() || m.is_irc_release();
            if secure_unit
                && custody
                    .status_change_date
                    .is_some_and(|d| m.occurred_at.date() <= d)
            {
                return None;
            }
            let detail = if m.is_absconded() {
                "Recall added unlawfully at large "
            } else if m.is_hospital_release() {
                "Transfer to/from Hospital"
            } else {
                "Transfer to Immigration Removal Centre"
            };
            if custody.could_recall_at_start {
                Some((status::RECALLED, detail))
            } else if !custody.status_is(&status::NO_CHANGE) {
                Some((status::IN_CUSTODY, detail))
            } else {
                None
            }
        }
        Direction::Released => (custody.can_be_released()
            && custody.release_date_is_valid(m.occurred_at))
        .then_some((status::RELEASED_ON_LICENCE, "Released on Licence")),
    }
}

pub async fn update_status(
    conn: &mut Conn,
    ctx: Ctx<'_>,
    custody: &mut Custody,
) -> anyhow::Result<ActionResult> {
    let Some((code, detail)) = target(&ctx, custody) else {
        return Ok(ActionResult::ignored(names::PRISONER_STATUS_CORRECT));
    };
    if custody.status.code == code {
        return Ok(ActionResult::ignored(names::PRISONER_STATUS_CORRECT));
    }
    let new_status = store::required_reference(conn, THROUGHCARE_STATUS, code).await?;
    custody.status.id = new_status.id;
    custody.status.code = new_status.code;
    custody.status.description = new_status.description.unwrap_or_default();
    custody.status_change_date = Some(ctx.movement.occurred_at.date());
    store::save_custody(conn, custody, ctx.user_id).await?;
    store::add_history(
        conn,
        custody,
        "TSC",
        ctx.movement.occurred_at,
        detail,
        ctx.user_id,
    )
    .await?;
    Ok(ActionResult::Success(names::STATUS_UPDATED))
}
