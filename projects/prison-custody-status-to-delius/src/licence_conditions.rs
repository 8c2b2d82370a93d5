//! Licence-condition termination on a received recall (spec 5.6): pending transfers rejected,
//! future contacts deleted, ETER contact and a `probation-case.licence-condition.terminated`
//! domain event in the outbox (same transaction).

use delius_data::lookups::{next_id, Sequence};
use delius_data::schema::{
    contact, contact_alert, domain_event, lic_condition, lic_condition_manager,
    lic_condition_transfer, probation_area, r_lic_cond_type_main_cat, r_standard_reference_list,
    r_transfer_reason, rejected_transfer_diary,
};
use delius_data::time::now_london;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde_json::json;

use crate::custody::Custody;
use crate::outcome::Ctx;
use crate::store::{self, Conn, Manager, NewContact};

pub const TERMINATED_EVENT: &str = "probation-case.licence-condition.terminated";
pub const REJECTION_NOTE: &str =
    "Transfer automatically rejected due to termination of licence condition.";
pub const EOTL_TERMINATION_LINES: &str = "The date of the termination of licence condition has been identified from the case being updated following a Temporary Absence Return in NOMIS.\nThe date may reflect an update after the date the actual Recall/Return to Custody occurred.";

pub fn termination_notes(reason: &str, eotl: bool) -> String {
    let mut notes = format!("Termination reason: {reason}");
    if eotl {
        notes.push('\n');
        notes.push_str(EOTL_TERMINATION_LINES);
    }
    notes
}

pub async fn terminate(
    conn: &mut Conn,
    ctx: Ctx<'_>,
    custody: &Custody,
    (reason_id, reason_description): (i64, String),
    eotl: bool,
) -> anyhow::Result<()> {
    let at = ctx.movement.occurred_at;
    let date = at.date();
    let now = now_london();
    let conditions: Vec<(i64, String, Option<String>, Option<i64>)> = lic_condition::table
        .inner_join(r_lic_cond_type_main_cat::table)
        .filter(lic_condition::disposal_id.eq(custody.disposal_id))
        .filter(lic_condition::soft_deleted.eq(0))
        .filter(lic_condition::termination_reason_id.is_null())
        .filter(r_lic_cond_type_main_cat::code.ne("LAP"))
        .select((
            lic_condition::lic_condition_id,
            r_lic_cond_type_main_cat::code,
            r_lic_cond_type_main_cat::description,
            lic_condition::lic_cond_type_sub_cat_id,
        ))
        .order(lic_condition::lic_condition_id)
        .load(conn)
        .await?;
    for (lc_id, _code, main_description, sub_id) in conditions {
        diesel::update(lic_condition::table.filter(lic_condition::lic_condition_id.eq(lc_id)))
            .set((
                lic_condition::termination_date.eq(date),
                lic_condition::termination_reason_id.eq(reason_id),
                lic_condition::pending_transfer.eq(0i16),
                lic_condition::row_version.eq(lic_condition::row_version + 1),
                lic_condition::last_updated_user_id.eq(ctx.user_id),
                lic_condition::last_updated_datetime.eq(now),
            ))
            .execute(conn)
            .await?;
        reject_pending_transfers(conn, ctx, custody, lc_id, date).await?;

        let future: Vec<i64> = contact::table
            .filter(contact::lic_condition_id.eq(lc_id))
            .filter(contact::contact_date.gt(date))
            .filter(contact::contact_outcome_type_id.is_null())
            .select(contact::contact_id)
            .load(conn)
            .await?;
        if !future.is_empty() {
            diesel::delete(contact_alert::table.filter(contact_alert::contact_id.eq_any(&future)))
                .execute(conn)
                .await?;
            diesel::delete(contact::table.filter(contact::contact_id.eq_any(&future)))
                .execute(conn)
                .await?;
        }

        let lc_manager: Option<(i64, i64, Option<i64>)> = lic_condition_manager::table
            .filter(lic_condition_manager::lic_condition_id.eq(lc_id))
            .filter(lic_condition_manager::active_flag.eq(1))
            .filter(lic_condition_manager::soft_deleted.eq(0))
            .select((
                lic_condition_manager::allocation_staff_id,
                lic_condition_manager::allocation_team_id,
                lic_condition_manager::probation_area_id,
            ))
            .first(conn)
            .await
            .optional()?;
        let manager = match lc_manager {
            Some((staff_id, team_id, provider_id)) => Manager {
                staff_id,
                team_id,
                provider_id,
            },
            None => store::order_manager(conn, custody.event_id).await?,
        };
        store::add_contact(
            conn,
            NewContact {
                type_code: "ETER",
                offender_id: custody.offender_id,
                event_id: Some(custody.event_id),
                lic_condition_id: Some(lc_id),
                at,
                notes: termination_notes(&reason_description, eotl),
                manager,
                alert: false,
                created: now,
            },
            ctx.user_id,
        )
        .await?;

        let sub_description: Option<String> = match sub_id {
            Some(id) => r_standard_reference_list::table
                .filter(r_standard_reference_list::standard_reference_list_id.eq(id))
                .select(r_standard_reference_list::code_description)
                .first(conn)
                .await
                .optional()?
                .flatten(),
            None => None,
        };
        let event_type =
            store::required_reference(conn, "DOMAIN EVENT TYPE", TERMINATED_EVENT).await?;
        let body = json!({
            "eventType": TERMINATED_EVENT,
            "version": 1,
            "occurredAt": ctx.movement.occurred_zoned().to_rfc3339(),
            "description": "A licence condition has been terminated",
            "additionalInformation": {
                "eventNumber": custody.event_number,
                "licconditionId": lc_id.to_string(),
                "licconditionMainType": main_description,
                "licconditionSubType": sub_description,
            },
            "personReference": {"identifiers": [{"type": "CRN", "value": custody.crn}]},
        });
        let id = next_id(conn, Sequence::named("domain_event_id_seq")).await?;
        diesel::insert_into(domain_event::table)
            .values((
                domain_event::domain_event_id.eq(id),
                domain_event::domain_event_type_id.eq(event_type.id),
                domain_event::message_body.eq(body.to_string()),
                domain_event::message_attributes
                    .eq(json!({"eventType": TERMINATED_EVENT}).to_string()),
                domain_event::created_datetime.eq(now),
                domain_event::created_by_user_id.eq(ctx.user_id),
                domain_event::last_updated_user_id.eq(ctx.user_id),
                domain_event::last_updated_datetime.eq(now),
            ))
            .execute(conn)
            .await?;
    }
    Ok(())
}

type TransferRow = (
    i64,
    Option<String>,
    Option<chrono::NaiveDate>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

async fn reject_pending_transfers(
    conn: &mut Conn,
    ctx: Ctx<'_>,
    custody: &Custody,
    lc_id: i64,
    date: chrono::NaiveDate,
) -> anyhow::Result<()> {
    let pending = store::required_reference(conn, "TRANSFER STATUS", "PN").await?;
    let transfers: Vec<TransferRow> = lic_condition_transfer::table
        .filter(lic_condition_transfer::lic_condition_id.eq(lc_id))
        .filter(lic_condition_transfer::status_id.eq(pending.id))
        .filter(lic_condition_transfer::soft_deleted.eq(0))
        .select((
            lic_condition_transfer::lic_condition_transfer_id,
            lic_condition_transfer::notes,
            lic_condition_transfer::request_date,
            lic_condition_transfer::transfer_reason_id,
            lic_condition_transfer::origin_probation_area_id,
            lic_condition_transfer::origin_team_id,
            lic_condition_transfer::origin_staff_id,
            lic_condition_transfer::receiving_probation_area_id,
            lic_condition_transfer::receiving_team_id,
            lic_condition_transfer::receiving_staff_id,
            lic_condition_transfer::master_transfer_id,
        ))
        .load(conn)
        .await?;
    if transfers.is_empty() {
        return Ok(());
    }
    let rejected = store::required_reference(conn, "TRANSFER STATUS", "RJ").await?;
    let decision = store::required_reference(conn, "ACCEPTED DECISION", "R").await?;
    let rejection =
        store::required_reference(conn, "LICENCE AREA TRANSFER REJECTION REASON", "TWR").await?;
    let now = now_london();
    for (
        id,
        notes,
        request_date,
        reason_id,
        o_area,
        o_team,
        o_staff,
        r_area,
        r_team,
        r_staff,
        master,
    ) in transfers
    {
        let new_notes = match notes {
            Some(n) if !n.is_empty() => format!("{n}\n{REJECTION_NOTE}"),
            _ => REJECTION_NOTE.to_owned(),
        };
        diesel::update(
            lic_condition_transfer::table
                .filter(lic_condition_transfer::lic_condition_transfer_id.eq(id)),
        )
        .set((
            lic_condition_transfer::status_id.eq(rejected.id),
            lic_condition_transfer::decision_id.eq(decision.id),
            lic_condition_transfer::rejection_reason_id.eq(rejection.id),
            lic_condition_transfer::status_date.eq(date),
            lic_condition_transfer::notes.eq(&new_notes),
            lic_condition_transfer::row_version.eq(lic_condition_transfer::row_version + 1),
            lic_condition_transfer::last_updated_user_id.eq(ctx.user_id),
            lic_condition_transfer::last_updated_datetime.eq(now),
        ))
        .execute(conn)
        .await?;
        let diary_id = next_id(conn, Sequence::named("rejected_transfer_diary_id_seq")).await?;
        diesel::insert_into(rejected_transfer_diary::table)
            .values((
                rejected_transfer_diary::rejected_transfer_diary_id.eq(diary_id),
                rejected_transfer_diary::offender_id.eq(custody.offender_id),
                rejected_transfer_diary::event_id.eq(custody.event_id),
                rejected_transfer_diary::lic_condition_id.eq(lc_id),
                rejected_transfer_diary::lic_condition_transfer_id.eq(id),
                rejected_transfer_diary::master_transfer_id.eq(master),
                rejected_transfer_diary::request_date.eq(request_date),
                rejected_transfer_diary::status_date.eq(date),
                rejected_transfer_diary::target_probation_area_id.eq(r_area),
                rejected_transfer_diary::target_team_id.eq(r_team),
                rejected_transfer_diary::target_staff_id.eq(r_staff),
                rejected_transfer_diary::origin_probation_area_id.eq(o_area),
                rejected_transfer_diary::origin_team_id.eq(o_team),
                rejected_transfer_diary::origin_staff_id.eq(o_staff),
                rejected_transfer_diary::rejection_reason_id.eq(rejection.id),
                rejected_transfer_diary::created_by_user_id.eq(ctx.user_id),
                rejected_transfer_diary::last_updated_user_id.eq(ctx.user_id),
                rejected_transfer_diary::created_datetime.eq(now),
                rejected_transfer_diary::last_updated_datetime.eq(now),
            ))
            .execute(conn)
            .await?;
        let transfer_reason: Option<String> = match reason_id {
            Some(rid) => r_transfer_reason::table
                .filter(r_transfer_reason::transfer_reason_id.eq(rid))
                .select(r_transfer_reason::description)
                .first(conn)
                .await
                .optional()?
                .flatten(),
            None => None,
        };
        let owning = area_description(conn, o_area).await?;
        let receiving = area_description(conn, r_area).await?;
        // As the reference writes it: the `\n` around the notes are literal backslash-n.
        let contact_notes = format!(
            "Transfer Status: {}\nTransfer Reason: {}\nRejection Reason: {}\nOwning Provider: {}\nReceiving Provider: {}\nNotes: \\n{}\\n\\n",
            rejected.description.as_deref().unwrap_or_default(),
            transfer_reason.unwrap_or_default(),
            rejection.description.as_deref().unwrap_or_default(),
            owning,
            receiving,
            new_notes,
        );
        let (Some(staff_id), Some(team_id)) = (r_staff, r_team) else {
            anyhow::bail!("licence condition transfer {id} has no receiving staff/team");
        };
        store::add_contact(
            conn,
            NewContact {
                type_code: "ETCX",
                offender_id: custody.offender_id,
                event_id: Some(custody.event_id),
                lic_condition_id: Some(lc_id),
                at: ctx.movement.occurred_at,
                notes: contact_notes,
                manager: Manager {
                    staff_id,
                    team_id,
                    provider_id: r_area,
                },
                alert: false,
                created: now,
            },
            ctx.user_id,
        )
        .await?;
    }
    Ok(())
}

async fn area_description(conn: &mut Conn, id: Option<i64>) -> anyhow::Result<String> {
    let Some(id) = id else {
        return Ok(String::new());
    };
    Ok(probation_area::table
        .filter(probation_area::probation_area_id.eq(id))
        .select(probation_area::description)
        .first::<Option<String>>(conn)
        .await
        .optional()?
        .flatten()
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn termination_notes_add_the_eotl_lines() {
        assert_eq!(termination_notes("Test", false), "Termination reason: Test");
        assert!(termination_notes("Test", true).contains("\nThe date of the termination"));
    }
}
