//! Every table and column of delius-schema.md exists after migration, with its type and
//! nullability. The expected list is generated from the spec by
//! `tools/expected_schema_from_spec.py`, independently of the migration SQL.

use std::collections::BTreeSet;

use diesel::sql_types::Text;
use diesel_async::RunQueryDsl;
use test_support::TestDatabase;

#[derive(diesel::QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Text)]
    is_nullable: String,
}

fn expected() -> BTreeSet<String> {
    include_str!("../expected-schema.tsv")
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn every_table_and_column_of_the_spec_exists_after_migration() {
    let db = TestDatabase::new().await.unwrap();
    let mut conn = db.conn().await.unwrap();
    let actual: BTreeSet<String> = diesel::sql_query(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text
         FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
    )
    .load::<Column>(&mut conn)
    .await
    .unwrap()
    .into_iter()
    .map(|c| {
        format!(
            "{}\t{}\t{}\t{}",
            c.table_name, c.column_name, c.data_type, c.is_nullable
        )
    })
    .collect();
    let expected = expected();
    assert!(
        expected.len() > 600,
        "the expected list looks truncated: {}",
        expected.len()
    );
    let missing: Vec<_> = expected.difference(&actual).collect();
    let unexpected: Vec<_> = actual.difference(&expected).collect();
    assert!(
        missing.is_empty(),
        "missing or different columns: {missing:#?}"
    );
    assert!(
        unexpected.is_empty(),
        "columns not in the spec: {unexpected:#?}"
    );
}

#[derive(diesel::QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[tokio::test]
async fn id_sequences_start_above_hand_picked_seed_ids() {
    let db = TestDatabase::new().await.unwrap();
    let mut conn = db.conn().await.unwrap();
    let sequences: BTreeSet<String> = diesel::sql_query(
        "SELECT sequencename::text AS name FROM pg_sequences WHERE schemaname = 'public' AND start_value = 1000000",
    )
    .load::<Name>(&mut conn)
    .await
    .unwrap()
    .into_iter()
    .map(|n| n.name)
    .collect();
    for expected in [
        "contact_id_seq",
        "contact_alert_id_seq",
        "staff_id_seq",
        "user_id_seq",
        "nsi_id_seq",
        "offender_id_seq",
    ] {
        assert!(
            sequences.contains(expected),
            "{expected} missing from {sequences:?}"
        );
    }
}
