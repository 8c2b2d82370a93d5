use diesel::sql_types::Text;
use diesel_async::{AsyncConnection, RunQueryDsl, SimpleAsyncConnection};
use test_support::{PersonBuilder, TestDatabase};

#[derive(diesel::QueryableByName)]
struct Setting {
    #[diesel(sql_type = Text)]
    value: String,
}

async fn show(conn: &mut diesel_async::AsyncPgConnection, name: &str) -> String {
    diesel::sql_query(format!("SELECT current_setting('{name}') AS value"))
        .get_result::<Setting>(conn)
        .await
        .unwrap()
        .value
}

#[tokio::test]
async fn pooled_connections_have_a_lock_timeout_and_london_time() {
    let db = TestDatabase::new().await.unwrap();
    let mut conn = db.conn().await.unwrap();
    assert_eq!(
        show(&mut conn, "lock_timeout").await,
        delius_data::pool::LOCK_TIMEOUT
    );
    assert_eq!(show(&mut conn, "TimeZone").await, "Europe/London");
}

#[tokio::test]
async fn waiting_too_long_for_a_row_lock_is_a_transient_error() {
    let db = TestDatabase::new().await.unwrap();
    let mut holder = db.conn().await.unwrap();
    let mut waiter = db.conn().await.unwrap();
    let person = PersonBuilder::default().insert(&mut holder).await.unwrap();
    let lock = format!(
        "SELECT 1 FROM offender WHERE offender_id = {} FOR UPDATE",
        person.id
    );

    holder.batch_execute("BEGIN").await.unwrap();
    holder.batch_execute(&lock).await.unwrap();
    // A short timeout for the test; production connections use LOCK_TIMEOUT.
    let blocked = waiter
        .transaction::<(), diesel::result::Error, _>(|c| {
            let lock = lock.clone();
            Box::pin(async move {
                c.batch_execute("SET LOCAL lock_timeout = '100ms'").await?;
                c.batch_execute(&lock).await
            })
        })
        .await
        .unwrap_err();
    holder.batch_execute("ROLLBACK").await.unwrap();
    assert!(
        delius_data::is_transient(&anyhow::Error::from(blocked)),
        "a lock timeout should be retried"
    );
}
