//! Action `Died` (spec 5.8): a DUS3 alert contact for the community manager.

use delius_data::schema::contact;
use delius_data::time::{format_delius_date_time, now_london};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::custody::Custody;
use crate::outcome::{names, ActionResult, Ctx};
use crate::store::{self, Conn, NewContact};

pub fn died_notes(ctx: &Ctx<'_>) -> String {
    format!(
        "This information has been provided via a movement reason recorded at {} in NOMIS",
        format_delius_date_time(&ctx.movement.occurred_at)
    )
}

pub async fn died(
    conn: &mut Conn,
    ctx: Ctx<'_>,
    custody: &mut Custody,
) -> anyhow::Result<ActionResult> {
    let type_id = store::contact_type_id(conn, "DUS3").await?;
    let at = ctx.movement.occurred_at;
    // Redelivery: the same death at the same time is recorded once.
    let existing: i64 = contact::table
        .filter(contact::offender_id.eq(custody.offender_id))
        .filter(contact::contact_type_id.eq(type_id))
        .filter(contact::contact_date.eq(at.date()))
        .filter(contact::contact_start_time.eq(at.time()))
        .filter(contact::soft_deleted.eq(0))
        .count()
        .get_result(conn)
        .await?;
    if existing == 0 {
        let (_, manager) = store::community_manager(conn, custody.offender_id).await?;
        store::add_contact(
            conn,
            NewContact {
                type_code: "DUS3",
                offender_id: custody.offender_id,
                event_id: None,
                lic_condition_id: None,
                at,
                notes: died_notes(&ctx),
                manager,
                alert: true,
                created: now_london(),
            },
            ctx.user_id,
        )
        .await?;
    }
    Ok(ActionResult::Success(names::DIED))
}
