//! Spec §4.7, the event or NSI a new case-note contact is linked to: the person's newest active
//! NSI of a type mapped from the case-note type (with that NSI's event, which may be none), else
//! their single active custodial (NC/SC) event with an active disposal, else neither.

use messaging::queue::memory::Disposition;

use crate::helpers::*;

const ID: &str = "e1111111-2222-3333-4444-555555555555";
/// An NSI type not mapped from any NOMIS type in the seed.
const UNMAPPED_NSI_TYPE_ID: i64 = 101;
const COMMUNITY_DISPOSAL_TYPE_ORA: i64 = 104;
const CUSTODIAL_DISPOSAL_TYPE_NC: i64 = 102;

/// Publishes a new `note_type`/`sub_type` case note for NEW_IDENTIFIER (no events or NSIs in the
/// seed) and returns its contact. The message's attributes are GEN OSE (of interest); the body's
/// type is what the NSI mapping reads.
async fn create_for_new_identifier(app: &TestApp, note_type: &str, sub_type: &str) -> ContactRow {
    app.mock_json(
        &format!("/case-notes/{NEW_IDENTIFIER_NOMS}/{ID}"),
        case_note_body(ID, NEW_IDENTIFIER_NOMS, note_type, sub_type, "text"),
    )
    .await;
    let disposition = app
        .publish(&case_note_event(
            app,
            "person.case-note.created",
            NEW_IDENTIFIER_NOMS,
            ID,
            "GEN",
            "OSE",
        ))
        .await;
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(app.event("CaseNoteMerged").properties["action"], "Created");
    app.contact_by_urn(&format!("urn:uk:gov:hmpps:prison-case-note:{ID}"))
        .await
        .expect("contact")
}

async fn nsi(app: &TestApp, event_id: Option<i64>, nsi_type_id: i64, referral: &str) -> i64 {
    let mut conn = app.conn().await;
    let id = insert_nsi(&mut conn, app.seed.new_identifier.id, event_id, nsi_type_id).await;
    drop(conn);
    app.sql(&format!(
        "UPDATE nsi SET referral_date = DATE '{referral}' WHERE nsi_id = {id}"
    ))
    .await;
    id
}

async fn custodial_event(app: &TestApp) -> i64 {
    let mut conn = app.conn().await;
    insert_custodial_event(&mut conn, app.seed.new_identifier.id).await
}

#[tokio::test]
async fn a_mapped_nsi_without_an_event_links_the_nsi_and_no_event_when_the_person_has_no_event() {
    let app = TestApp::start().await;
    let nsi_id = nsi(&app, None, MAPPED_NSI_TYPE_ID, "2024-01-01").await;

    let created = create_for_new_identifier(&app, "NEG", "IEP_WARN").await;

    assert_eq!(created.nsi_id, Some(nsi_id));
    assert_eq!(
        created.event_id, None,
        "EVENT_ID = NSI.EVENT_ID, which is null"
    );
}

#[tokio::test]
async fn a_mapped_nsi_without_an_event_wins_over_the_custodial_event() {
    let app = TestApp::start().await;
    custodial_event(&app).await;
    let nsi_id = nsi(&app, None, MAPPED_NSI_TYPE_ID, "2024-01-01").await;

    let created = create_for_new_identifier(&app, "NEG", "IEP_WARN").await;

    assert_eq!(
        (created.event_id, created.nsi_id),
        (None, Some(nsi_id)),
        "the NSI's (missing) event, not the custodial event"
    );
}

#[tokio::test]
async fn the_newest_active_mapped_nsi_by_referral_date_is_chosen() {
    let app = TestApp::start().await;
    let event_id = custodial_event(&app).await;
    // The newest by referral date is inserted first, so a later one has a higher id.
    let newest_active = nsi(&app, Some(event_id), MAPPED_NSI_TYPE_ID, "2024-06-01").await;
    let _older = nsi(&app, None, MAPPED_NSI_TYPE_ID, "2024-01-01").await;
    let inactive = nsi(&app, None, MAPPED_NSI_TYPE_ID, "2025-01-01").await;
    app.sql(&format!(
        "UPDATE nsi SET active_flag = 0 WHERE nsi_id = {inactive}"
    ))
    .await;
    let deleted = nsi(&app, None, MAPPED_NSI_TYPE_ID, "2025-02-01").await;
    app.sql(&format!(
        "UPDATE nsi SET soft_deleted = 1 WHERE nsi_id = {deleted}"
    ))
    .await;
    let _unmapped = nsi(&app, None, UNMAPPED_NSI_TYPE_ID, "2025-03-01").await;

    let created = create_for_new_identifier(&app, "NEG", "IEP_WARN").await;

    assert_eq!(created.nsi_id, Some(newest_active));
    assert_eq!(created.event_id, Some(event_id), "the NSI's event");
}

#[tokio::test]
async fn an_nsi_of_a_type_not_mapped_from_the_case_note_type_is_not_linked() {
    let app = TestApp::start().await;
    let event_id = custodial_event(&app).await;
    nsi(&app, None, MAPPED_NSI_TYPE_ID, "2024-01-01").await;

    // GEN OSE maps to no NSI type: the custodial event instead.
    let created = create_for_new_identifier(&app, "GEN", "OSE").await;

    assert_eq!((created.event_id, created.nsi_id), (Some(event_id), None));
}

/// Events of NEW_IDENTIFIER that must not count as "the active custodial event".
async fn insert_non_custodial_events(app: &TestApp) {
    let inactive_event = custodial_event(app).await;
    let deleted_event = custodial_event(app).await;
    let inactive_disposal = custodial_event(app).await;
    let deleted_disposal = custodial_event(app).await;
    let community = custodial_event(app).await;
    for statement in [
        format!("UPDATE event SET active_flag = 0 WHERE event_id = {inactive_event}"),
        format!("UPDATE event SET soft_deleted = 1 WHERE event_id = {deleted_event}"),
        format!("UPDATE disposal SET active_flag = 0 WHERE event_id = {inactive_disposal}"),
        format!("UPDATE disposal SET soft_deleted = 1 WHERE event_id = {deleted_disposal}"),
        format!(
            "UPDATE disposal SET disposal_type_id = {COMMUNITY_DISPOSAL_TYPE_ORA} WHERE event_id = {community}"
        ),
    ] {
        app.sql(&statement).await;
    }
    // An event without any disposal.
    let bare = custodial_event(app).await;
    app.sql(&format!("DELETE FROM disposal WHERE event_id = {bare}"))
        .await;
}

#[tokio::test]
async fn only_an_active_event_with_an_active_nc_or_sc_disposal_is_the_custodial_event() {
    let app = TestApp::start().await;
    insert_non_custodial_events(&app).await;
    let custodial = custodial_event(&app).await;
    app.sql(&format!(
        "UPDATE disposal SET disposal_type_id = {CUSTODIAL_DISPOSAL_TYPE_NC} WHERE event_id = {custodial}"
    ))
    .await;

    let created = create_for_new_identifier(&app, "GEN", "OSE").await;

    assert_eq!(
        (created.event_id, created.nsi_id),
        (Some(custodial), None),
        "the single event that counts (NC), among inactive, deleted, community and bare ones"
    );
}

#[tokio::test]
async fn without_an_active_custodial_event_no_event_is_linked() {
    let app = TestApp::start().await;
    insert_non_custodial_events(&app).await;

    let created = create_for_new_identifier(&app, "GEN", "OSE").await;

    assert_eq!((created.event_id, created.nsi_id), (None, None));
}
