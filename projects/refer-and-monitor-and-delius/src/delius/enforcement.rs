//! Non-compliance (spec 2.2.6): the enforcement action and its contact, the event's failure to
//! comply count and, over the sentence's limit, an enforcement review.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::dsl::{count_distinct, exists};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use delius_data::lookups::{next_id, Sequence};
use delius_data::schema::{contact, disposal, enforcement, event, r_contact_type, r_disposal_type};

use super::contact::{self as contacts, Contact, NewContact};
use super::reference;
use crate::errors::OrNotFound;
use crate::notes;
use crate::refs::{CONTACT_REVIEW_ENFORCEMENT, ENFORCEMENT_REFER_TO_OFFENDER_MANAGER};

const ENFORCEMENT_ID_SEQ: Sequence = Sequence::named("enforcement_id_seq");

pub async fn non_compliance(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    now: NaiveDateTime,
    appointment: &Contact,
) -> anyhow::Result<()> {
    let action = reference::enforcement_action(conn, ENFORCEMENT_REFER_TO_OFFENDER_MANAGER).await?;
    let already: bool = diesel::select(exists(
        enforcement::table
            .filter(enforcement::contact_id.eq(appointment.id))
            .filter(enforcement::soft_deleted.eq(0)),
    ))
    .get_result(conn)
    .await?;
    if !already {
        let id = next_id(conn, ENFORCEMENT_ID_SEQ).await?;
        diesel::insert_into(enforcement::table)
            .values((
                enforcement::enforcement_id.eq(id),
                enforcement::row_version.eq(0),
                enforcement::contact_id.eq(appointment.id),
                enforcement::enforcement_action_id.eq(action.id),
                enforcement::response_date.eq(action
                    .response_by_period
                    .map(|days| now.date() + Duration::days(days))),
                enforcement::action_taken_date.eq(now.date()),
                enforcement::action_taken_time.eq(now.time()),
                enforcement::soft_deleted.eq(0),
                enforcement::partition_area_id.eq(0),
                enforcement::created_by_user_id.eq(user_id),
                enforcement::last_updated_user_id.eq(user_id),
                enforcement::created_datetime.eq(now),
                enforcement::last_updated_datetime.eq(now),
            ))
            .execute(conn)
            .await?;
        let text = format!(
            "{}\n{}\nEnforcement Action: {}",
            appointment.notes.as_deref().unwrap_or("null"),
            now.format("%Y-%m-%dT%H:%M:%S%.f"),
            action.description.as_deref().unwrap_or("null"),
        );
        contacts::insert(
            conn,
            user_id,
            now,
            NewContact {
                offender_id: appointment.offender_id,
                type_id: action.contact_type_id,
                date: now.date(),
                start: Some(now.time()),
                event_id: appointment.event_id,
                nsi_id: appointment.nsi_id,
                assignation: appointment.assignation(),
                office_location_id: appointment.office_location_id,
                notes: Some(notes::append(None, &text)),
                linked_contact_id: Some(appointment.id),
                ..NewContact::default()
            },
        )
        .await?;
    }
    diesel::update(contact::table.find(appointment.id))
        .set((
            contact::latest_enforcement_action_id.eq(action.id),
            contact::enforcement.eq(1),
        ))
        .execute(conn)
        .await?;
    if let Some(event_id) = appointment.event_id {
        failure_to_comply(conn, user_id, now, appointment, event_id).await?;
    }
    Ok(())
}

/// Recounts the event's failures to comply and raises a review when over the limit.
async fn failure_to_comply(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    now: NaiveDateTime,
    appointment: &Contact,
    event_id: i64,
) -> anyhow::Result<()> {
    let breach_end: Option<NaiveDate> = event::table
        .find(event_id)
        .select(event::breach_end)
        .first(conn)
        .await
        .optional()?
        .or_not_found("Event", "id", event_id)?;
    let sentence: Option<(Option<NaiveDate>, Option<String>, Option<i64>)> = disposal::table
        .inner_join(r_disposal_type::table)
        .filter(disposal::event_id.eq(event_id))
        .filter(disposal::soft_deleted.eq(0))
        .order(disposal::active_flag.desc())
        .select((
            disposal::disposal_date,
            r_disposal_type::sentence_type,
            r_disposal_type::ftc_limit,
        ))
        .first(conn)
        .await
        .optional()?;
    let sentence_date = sentence.as_ref().and_then(|s| s.0);
    let reset = breach_end.max(sentence_date);
    let mut failures = contact::table
        .inner_join(r_contact_type::table)
        .filter(contact::event_id.eq(event_id))
        .filter(contact::complied.eq("N"))
        .filter(contact::soft_deleted.eq(0))
        .filter(r_contact_type::national_standards_contact.eq("Y"))
        .select(count_distinct(contact::contact_date))
        .into_boxed();
    if let Some(reset) = reset {
        failures = failures.filter(contact::contact_date.ge(reset));
    }
    let count: i64 = failures.get_result(conn).await?;
    // EVENT is versionless in the reference, so only FTC_COUNT changes.
    diesel::update(event::table.find(event_id))
        .set(event::ftc_count.eq(count))
        .execute(conn)
        .await?;

    let over_limit = matches!(&sentence, Some((_, Some(_), Some(limit))) if count > *limit);
    if !over_limit {
        return Ok(());
    }
    let review_type = reference::contact_type(conn, CONTACT_REVIEW_ENFORCEMENT).await?;
    let mut outstanding = contact::table
        .filter(contact::event_id.eq(event_id))
        .filter(contact::contact_type_id.eq(review_type.id))
        .filter(contact::contact_outcome_type_id.is_null())
        .filter(contact::soft_deleted.eq(0))
        .select(contact::contact_id)
        .into_boxed();
    if let Some(breach_end) = breach_end {
        outstanding = outstanding.filter(contact::contact_date.ge(breach_end));
    }
    let outstanding: Option<i64> = outstanding.first(conn).await.optional()?;
    if outstanding.is_none() {
        contacts::insert(
            conn,
            user_id,
            now,
            NewContact {
                offender_id: appointment.offender_id,
                type_id: review_type.id,
                date: appointment.contact_date,
                start: appointment.contact_start_time,
                end: appointment.contact_end_time,
                event_id: Some(event_id),
                nsi_id: appointment.nsi_id,
                assignation: appointment.assignation(),
                office_location_id: appointment.office_location_id,
                linked_contact_id: Some(appointment.id),
                ..NewContact::default()
            },
        )
        .await?;
    }
    Ok(())
}
