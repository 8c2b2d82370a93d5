use delius_data::lookups::{
    contact_type, next_id, people_by_noms, person_by_crn, provider_by_code, reference_data,
    staff_by_code, team_by_code, Sequence,
};
use delius_data::YesNo;
use test_support::builders::{insert_provider, insert_staff, insert_team};
use test_support::{ContactTypeBuilder, PersonBuilder, TestDatabase};

#[tokio::test]
async fn person_lookups_exclude_soft_deleted_people() {
    let db = TestDatabase::new().await.unwrap();
    let mut conn = db.conn().await.unwrap();
    let live = PersonBuilder::default()
        .crn("A000001")
        .noms("A1234BC")
        .insert(&mut conn)
        .await
        .unwrap();
    PersonBuilder::default()
        .crn("A000002")
        .noms("A1234BC")
        .soft_deleted()
        .insert(&mut conn)
        .await
        .unwrap();

    assert_eq!(
        person_by_crn(&mut conn, "A000001").await.unwrap(),
        Some(live.clone())
    );
    assert_eq!(person_by_crn(&mut conn, "A000002").await.unwrap(), None);
    assert_eq!(
        people_by_noms(&mut conn, "A1234BC").await.unwrap(),
        vec![live]
    );
    assert!(people_by_noms(&mut conn, "Z9999ZZ")
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn duplicate_noms_numbers_are_all_returned() {
    let db = TestDatabase::new().await.unwrap();
    let mut conn = db.conn().await.unwrap();
    PersonBuilder::default()
        .noms("A0019BB")
        .insert(&mut conn)
        .await
        .unwrap();
    PersonBuilder::default()
        .noms("A0019BB")
        .insert(&mut conn)
        .await
        .unwrap();
    assert_eq!(people_by_noms(&mut conn, "A0019BB").await.unwrap().len(), 2);
}

#[tokio::test]
async fn seeded_reference_data_is_found_by_code_set_and_code() {
    let db = TestDatabase::new().await.unwrap();
    let mut conn = db.conn().await.unwrap();
    let pom1 = reference_data(&mut conn, "THROUGHCARE DATE TYPE", "POM1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(pom1.code, "POM1");
    assert!(reference_data(&mut conn, "THROUGHCARE DATE TYPE", "NOPE")
        .await
        .unwrap()
        .is_none());
    assert!(reference_data(&mut conn, "TIER", "POM1")
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn contact_types_carry_their_flags() {
    let db = TestDatabase::new().await.unwrap();
    let mut conn = db.conn().await.unwrap();
    let seeded = contact_type(&mut conn, "CRSAPT").await.unwrap().unwrap();
    assert_eq!(
        (
            seeded.attendance,
            seeded.national_standards,
            seeded.sensitive
        ),
        (YesNo::YES, YesNo::YES, YesNo::NO)
    );
    let built = ContactTypeBuilder::new("TST01")
        .sensitive()
        .insert(&mut conn)
        .await
        .unwrap();
    assert_eq!(contact_type(&mut conn, "TST01").await.unwrap(), Some(built));
}

#[tokio::test]
async fn staff_team_and_provider_are_found_by_code() {
    let db = TestDatabase::new().await.unwrap();
    let mut conn = db.conn().await.unwrap();
    let provider = insert_provider(&mut conn, "T01", None).await.unwrap();
    let team = insert_team(&mut conn, "T01ABC", provider.id).await.unwrap();
    let staff = insert_staff(&mut conn, "T01ABCU", "Una", "Llocated", provider.id)
        .await
        .unwrap();
    assert_eq!(
        provider_by_code(&mut conn, "T01").await.unwrap(),
        Some(provider)
    );
    assert_eq!(team_by_code(&mut conn, "T01ABC").await.unwrap(), Some(team));
    assert_eq!(
        staff_by_code(&mut conn, "T01ABCU").await.unwrap(),
        Some(staff)
    );
    assert_eq!(staff_by_code(&mut conn, "NOPE").await.unwrap(), None);
}

#[tokio::test]
async fn sequences_hand_out_ids_above_the_seed_range() {
    let db = TestDatabase::new().await.unwrap();
    let mut conn = db.conn().await.unwrap();
    let first = next_id(&mut conn, Sequence::named("contact_id_seq"))
        .await
        .unwrap();
    let second = next_id(&mut conn, Sequence::named("contact_id_seq"))
        .await
        .unwrap();
    assert!(first >= 1_000_000);
    assert_eq!(second, first + 1);
}
