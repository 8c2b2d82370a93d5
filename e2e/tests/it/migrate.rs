//! `local-stack migrate` on an empty database: the Delius tables and seed data the services need,
//! and a second run that changes nothing.

use std::time::Duration;

use e2e::db::{self, ScratchDatabase};
use e2e::process;
use e2e::topology::Topology;

const LIMIT: Duration = Duration::from_secs(60);

#[tokio::test]
async fn migrate_creates_the_delius_tables_and_seed_and_a_second_run_changes_nothing() {
    let database = ScratchDatabase::create().await.expect("a scratch database");
    let migrate = || async {
        process::run(
            process::local_stack().args(["migrate", "--database-url", &database.url]),
            LIMIT,
        )
        .await
        .expect("local-stack migrate")
        .success()
        .expect("local-stack migrate succeeds")
    };

    let first = migrate().await;
    assert!(first.stdout.starts_with("migrated "), "{first}");
    assert!(
        !first.stdout.contains("delius:delius@"),
        "the password must not be printed: {first}"
    );

    let mut conn = database.connect().await.expect("connect");
    let contact_types = db::count(&mut conn, "SELECT count(*) AS n FROM r_contact_type")
        .await
        .expect("r_contact_type");
    assert!(contact_types > 30, "{contact_types} contact types");
    // Every service runs as its own Delius user.
    for service in &Topology::load().services {
        let users = db::count(
            &mut conn,
            &format!(
                "SELECT count(*) AS n FROM user_ WHERE distinguished_name = '{}'",
                service.delius_username.replace('\'', "''")
            ),
        )
        .await
        .expect("user_");
        assert_eq!(
            users, 1,
            "user_ {} (the Delius user of {})",
            service.delius_username, service.name
        );
    }
    let before = db::row_counts(&mut conn).await.expect("row counts");
    assert!(
        before.len() > 20,
        "only {} tables: {before:?}",
        before.len()
    );
    let first_elapsed = first.elapsed;

    let second = migrate().await;
    let after = db::row_counts(&mut conn).await.expect("row counts");
    assert_eq!(before, after, "the second migrate run changed the database");
    eprintln!(
        "migrate: {} tables, {} rows; first run {:.1?}, second {:.1?}",
        after.len(),
        after.values().sum::<i64>(),
        first_elapsed,
        second.elapsed
    );
}
