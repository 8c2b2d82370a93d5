//! `/probation-case/{crn}/convictions` and `/convictions/{id}` (spec 2.6, 2.7).

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;

use delius_data::schema::{disposal, event, main_offence, r_disposal_type, r_offence};

use super::person::CaseDetail;
use crate::refs::COMMITTAL_FOR_PSS_BREACH;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Sentence {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_end_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MainOffence {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_category: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Conviction {
    pub id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    pub sentence: Sentence,
    pub main_offence: MainOffence,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseConvictions {
    pub case_detail: CaseDetail,
    pub convictions: Vec<Conviction>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseConviction {
    pub case_detail: CaseDetail,
    pub conviction: Conviction,
}

type ConvictionRow = (
    i64,
    Option<NaiveDate>,
    i16,
    i16,
    Option<String>,
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<String>,
    Option<String>,
);

fn conviction(row: ConvictionRow) -> Conviction {
    let (id, date, event_active, disposal_active, description, entered, notional, category, sub) =
        row;
    Conviction {
        id,
        date,
        sentence: Sentence {
            description,
            expected_end_date: entered.or(notional),
        },
        main_offence: MainOffence {
            category,
            sub_category: sub,
        },
        active: event_active == 1 && disposal_active == 1,
    }
}

macro_rules! conviction_query {
    ($offender_id:expr) => {
        event::table
            .inner_join(disposal::table)
            .inner_join(main_offence::table)
            .inner_join(
                r_disposal_type::table
                    .on(r_disposal_type::disposal_type_id.eq(disposal::disposal_type_id)),
            )
            .inner_join(r_offence::table.on(r_offence::offence_id.eq(main_offence::offence_id)))
            .filter(event::offender_id.eq($offender_id))
            .select((
                event::event_id,
                event::conviction_date,
                event::active_flag,
                disposal::active_flag,
                r_disposal_type::description,
                disposal::entered_notional_end_date,
                disposal::notional_end_date,
                r_offence::main_category_description,
                r_offence::sub_category_description,
            ))
    };
}

/// Active, live events with an active, live sentence and a live main offence; never a
/// Committal for PSS Breach.
pub async fn convictions(
    conn: &mut AsyncPgConnection,
    offender_id: i64,
) -> QueryResult<Vec<Conviction>> {
    let rows: Vec<ConvictionRow> = conviction_query!(offender_id)
        .filter(event::active_flag.eq(1))
        .filter(event::soft_deleted.eq(0))
        .filter(disposal::active_flag.eq(1))
        .filter(disposal::soft_deleted.eq(0))
        .filter(main_offence::soft_deleted.eq(0))
        .filter(r_disposal_type::disposal_type_code.ne(COMMITTAL_FOR_PSS_BREACH))
        .order(event::event_id)
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(conviction).collect())
}

/// The person's event with this id that has a sentence and a main offence, whatever its state.
pub async fn conviction_by_id(
    conn: &mut AsyncPgConnection,
    offender_id: i64,
    event_id: i64,
) -> QueryResult<Option<Conviction>> {
    let row: Option<ConvictionRow> = conviction_query!(offender_id)
        .filter(event::event_id.eq(event_id))
        .first(conn)
        .await
        .optional()?;
    Ok(row.map(conviction))
}
