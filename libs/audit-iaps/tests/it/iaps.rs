use audit_iaps::{flag_iaps_event, flag_iaps_offender, flag_iaps_requirement};
use delius_data::schema::{iaps_event, iaps_offender, iaps_requirement};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use test_support::{PersonBuilder, TestDatabase};

use crate::support::{insert_event, insert_requirement};

#[tokio::test]
async fn flagging_an_event_twice_leaves_one_row_with_flag_1() -> anyhow::Result<()> {
    let db = TestDatabase::new().await?;
    let mut conn = db.conn().await?;
    let person = PersonBuilder::default().insert(&mut conn).await?;
    let event_id = insert_event(&mut conn, person.id).await?;

    flag_iaps_event(&mut conn, event_id).await?;
    flag_iaps_event(&mut conn, event_id).await?;

    let rows: Vec<(i64, i16)> = iaps_event::table
        .select((iaps_event::event_id, iaps_event::iaps_flag))
        .load(&mut conn)
        .await?;
    assert_eq!(rows, vec![(event_id, 1)]);
    Ok(())
}

#[tokio::test]
async fn flagging_sets_an_existing_zero_flag_back_to_1() -> anyhow::Result<()> {
    let db = TestDatabase::new().await?;
    let mut conn = db.conn().await?;
    let person = PersonBuilder::default().insert(&mut conn).await?;
    let event_id = insert_event(&mut conn, person.id).await?;
    // IAPS clears the flag once it has picked the row up.
    diesel::insert_into(iaps_offender::table)
        .values((
            iaps_offender::offender_id.eq(person.id),
            iaps_offender::iaps_flag.eq(0i16),
        ))
        .execute(&mut conn)
        .await?;

    flag_iaps_offender(&mut conn, person.id).await?;
    flag_iaps_offender(&mut conn, person.id).await?;

    let rows: Vec<(i64, i16)> = iaps_offender::table
        .select((iaps_offender::offender_id, iaps_offender::iaps_flag))
        .load(&mut conn)
        .await?;
    assert_eq!(rows, vec![(person.id, 1)]);
    // Flagging the person touches no other IAPS table.
    let events: i64 = iaps_event::table.count().get_result(&mut conn).await?;
    assert_eq!(events, 0, "event {event_id} not flagged");
    Ok(())
}

#[tokio::test]
async fn flagging_a_requirement_twice_leaves_one_row_with_flag_1() -> anyhow::Result<()> {
    let db = TestDatabase::new().await?;
    let mut conn = db.conn().await?;
    let person = PersonBuilder::default().insert(&mut conn).await?;
    let event_id = insert_event(&mut conn, person.id).await?;
    let first = insert_requirement(&mut conn, person.id, event_id).await?;
    let second = insert_requirement(&mut conn, person.id, event_id).await?;

    flag_iaps_requirement(&mut conn, first).await?;
    flag_iaps_requirement(&mut conn, first).await?;
    flag_iaps_requirement(&mut conn, second).await?;

    let rows: Vec<(i64, i16)> = iaps_requirement::table
        .select((iaps_requirement::rqmnt_id, iaps_requirement::iaps_flag))
        .order(iaps_requirement::rqmnt_id)
        .load(&mut conn)
        .await?;
    assert_eq!(rows, vec![(first, 1), (second, 1)]);
    Ok(())
}
