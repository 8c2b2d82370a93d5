//! Action `Recall` (spec 5.3).

use anyhow::anyhow;
use delius_data::lookups::{next_id, Sequence};
use delius_data::schema::{r_recall_reason, r_standard_reference_list, recall};
use delius_data::time::now_london;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::custody::{recall_reason, Custody};
use crate::licence_conditions;
use crate::movement::Direction;
use crate::outcome::{names, ActionResult, Ctx};
use crate::release::non_empty;
use crate::store::{self, Conn, NewContact};

pub const EOTL: &str = "EOTL";
pub const EOTL_RECALL_LINES: &str = "The date of the change to this Recall/Return to Custody has been identified from the case being updated following a Temporary Absence Return in NOMIS.\nThe date may reflect an update after the date the actual Recall/Return to Custody occurred";

pub fn recall_notes(reason_description: &str, reason_code: &str) -> String {
    let mut notes = format!("Reason for Recall: {reason_description}");
    if reason_code == EOTL {
        notes.push('\n');
        notes.push_str(EOTL_RECALL_LINES);
    }
    notes
}

pub struct RecallReason {
    pub id: i64,
    pub code: String,
    pub description: String,
    pub termination_reason: Option<(i64, String)>,
}

async fn recall_reason_row(conn: &mut Conn, code: &str) -> anyhow::Result<RecallReason> {
    let row: Option<(i64, String, Option<String>, Option<i64>)> = r_recall_reason::table
        .filter(r_recall_reason::code.eq(code))
        .filter(r_recall_reason::selectable.eq("Y"))
        .select((
            r_recall_reason::recall_reason_id,
            r_recall_reason::code,
            r_recall_reason::description,
            r_recall_reason::termination_reason_id,
        ))
        .first(conn)
        .await
        .optional()?;
    let (id, code, description, termination) =
        row.ok_or_else(|| anyhow!("recall reason {code} not found"))?;
    let termination_reason = match termination {
        Some(tid) => {
            let d: Option<String> = r_standard_reference_list::table
                .filter(r_standard_reference_list::standard_reference_list_id.eq(tid))
                .select(r_standard_reference_list::code_description)
                .first(conn)
                .await?;
            Some((tid, d.unwrap_or_default()))
        }
        None => None,
    };
    Ok(RecallReason {
        id,
        code,
        description: description.unwrap_or_default(),
        termination_reason,
    })
}

pub async fn recall(
    conn: &mut Conn,
    ctx: Ctx<'_>,
    custody: &mut Custody,
) -> anyhow::Result<ActionResult> {
    let m = ctx.movement;
    if !custody.can_be_recalled() {
        return Ok(ActionResult::ignored(names::RECALL_NOT_REQUIRED));
    }
    if !custody.recall_date_is_valid(m.occurred_at, ctx.now) {
        return Ok(ActionResult::ignored(names::INVALID_RECALL_DATE));
    }
    let Some(code) = recall_reason(m, &custody.status.code) else {
        return Ok(ActionResult::ignored(names::RECALL_NOT_SUPPORTED));
    };
    let reason = recall_reason_row(conn, code).await?;
    let Some(release) = custody.latest_release.clone() else {
        return Ok(ActionResult::ignored(names::RECALL_NOT_REQUIRED));
    };
    let date = m.occurred_at.date();
    let id = next_id(conn, Sequence::named("recall_id_seq")).await?;
    let created = now_london();
    diesel::insert_into(recall::table)
        .values((
            recall::recall_id.eq(id),
            recall::recall_date.eq(date),
            recall::recall_reason_id.eq(reason.id),
            recall::release_id.eq(release.id),
            recall::offender_id.eq(custody.offender_id),
            recall::nomis_movement_reason_code.eq(non_empty(&m.reason)),
            recall::created_by_user_id.eq(ctx.user_id),
            recall::last_updated_user_id.eq(ctx.user_id),
            recall::created_datetime.eq(created),
            recall::last_updated_datetime.eq(created),
        ))
        .execute(conn)
        .await?;
    if let Some(r) = custody.latest_release.as_mut() {
        r.recall_date = Some(date);
    }
    let manager = store::order_manager(conn, custody.event_id).await?;
    store::add_contact(
        conn,
        NewContact {
            type_code: "ERCL",
            offender_id: custody.offender_id,
            event_id: Some(custody.event_id),
            lic_condition_id: None,
            at: m.occurred_at,
            notes: recall_notes(&reason.description, &reason.code),
            manager,
            alert: true,
            created,
        },
        ctx.user_id,
    )
    .await?;
    if m.direction == Direction::Received {
        let termination = reason
            .termination_reason
            .clone()
            .ok_or_else(|| anyhow!("recall reason {} has no termination reason", reason.code))?;
        licence_conditions::terminate(conn, ctx, custody, termination, reason.code == EOTL).await?;
    }
    Ok(ActionResult::Success(names::RECALLED))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eotl_recall_notes_explain_the_date() {
        assert_eq!(
            recall_notes("Notified", "NN"),
            "Reason for Recall: Notified"
        );
        let notes = recall_notes("End of Temporary Licence", EOTL);
        assert!(notes
            .starts_with("Reason for Recall: End of Temporary Licence\nThe date of the change"));
        assert!(notes.ends_with("actual Recall/Return to Custody occurred"));
    }
}
