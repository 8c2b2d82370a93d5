//! The seed people load, and load twice without change (make run re-seeds an existing database).

use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel_async::{RunQueryDsl, SimpleAsyncConnection};

use crate::harness::TestApp;
use delius_data::schema::{custody, offender, prison_offender_manager};

#[tokio::test]
async fn dev_seed_holds_the_spec_people_and_is_idempotent() {
    let app = TestApp::start().await;
    let mut conn = app.conn().await;
    conn.batch_execute(include_str!("../../dev-seed.sql"))
        .await
        .expect("second load");
    let people: i64 = offender::table
        .filter(offender::offender_id.between(930001, 930199))
        .select(count_star())
        .get_result(&mut *conn)
        .await
        .expect("count");
    assert_eq!(people, 11, "8 spec people and 3 of the handover block");
    let custodies: i64 = custody::table
        .filter(custody::custody_id.between(930001, 930199))
        .select(count_star())
        .get_result(&mut *conn)
        .await
        .expect("count");
    assert_eq!(
        custodies, 12,
        "one each, none for NO_MAPPA, two for PERSON_MULTIPLE_CUSTODIAL and for A5002HX"
    );
    let future_pom: chrono::NaiveDateTime = prison_offender_manager::table
        .find(930001)
        .select(prison_offender_manager::allocation_date)
        .get_result(&mut *conn)
        .await
        .expect("future POM");
    assert!(future_pom > delius_data::time::now_london());
}
