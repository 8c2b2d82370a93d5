//! The seed people load, and load twice without change (make run re-seeds an existing database).

use diesel_async::SimpleAsyncConnection;

use crate::harness::TestApp;
use crate::rows::{number, snapshot};

#[tokio::test]
async fn dev_seed_holds_the_spec_people_and_is_idempotent() {
    let app = TestApp::start().await;
    let before = snapshot(&app).await;
    app.conn()
        .await
        .batch_execute(include_str!("../../dev-seed.sql"))
        .await
        .expect("second load");
    assert_eq!(snapshot(&app).await, before);
    let people = number(
        &app,
        "SELECT count(*)::text AS value FROM offender WHERE offender_id BETWEEN 950001 AND 950999",
    )
    .await;
    assert_eq!(people, 6);
    let nsis = number(
        &app,
        "SELECT count(*)::text AS value FROM nsi WHERE nsi_id BETWEEN 950001 AND 950999",
    )
    .await;
    assert_eq!(nsis, 4);
}
