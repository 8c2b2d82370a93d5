//! `person.case-note.created|updated`: spec §7.1 scenarios 1-4 and 6, and the merge rules of §4.

use messaging::queue::memory::Disposition;
use serde_json::json;

use crate::helpers::*;

const EXISTS_PATH: &str = "/case-notes/AA0001A/0ec15f8b-6b57-471f-b02a-c89169a6a3e5";
const NEW_PATH: &str = "/case-notes/AA0001A/2cf4f9e1-df22-49a1-a2a7-5968a96529e3";

/// The NEW_TO_DELIUS example with attributes of interest (the example file's NEG/IEP_WARN
/// attributes are not of interest under the current rules; the body stays NEG IEP_WARN).
fn new_to_delius(app: &TestApp) -> messaging::Notification {
    app.message("case-note-new-to-delius.json")
        .with_attribute("type", "GEN")
        .with_attribute("subType", "OSE")
}

#[tokio::test]
async fn scenario_1_update_of_a_case_note_on_the_wrong_person_moves_it_and_leaves_a_data_cleanse_contact(
) {
    let app = TestApp::start().await;
    app.mock_fixture(EXISTS_PATH, "get-case-note-body-exists-in-delius.json")
        .await;

    let disposition = app
        .publish(&app.message("case-note-exists-in-delius.json"))
        .await;

    assert_eq!(disposition, Disposition::Deleted);
    let moved = app
        .contact_by_urn(EXISTING_URN)
        .await
        .expect("contact found by URN");
    assert_eq!(
        moved.contact_id, app.seed.existing_contact_id,
        "the same contact, moved"
    );
    assert_eq!(moved.offender_id, app.seed.default.id);
    assert_in_order(
        moved.notes(),
        &[
            "NEG",
            "IEP_WARN",
            "This is an existing case note",
            "Mickey Mouse",
            "2022/07/20 12:25:20",
            "Some Additional Text",
        ],
    );
    // Rebuilt as for a create: the mapped type, DEFAULT's NSI and its event, the system time.
    assert_eq!(moved.contact_type_id, CNT1_ID);
    assert_eq!(moved.nsi_id, Some(app.seed.nsi_id));
    assert_eq!(moved.event_id, Some(app.seed.custodial_event_id));
    assert_eq!(moved.created_datetime, Some(at("2022-07-20 12:25:20")));
    assert_eq!(moved.last_updated_datetime, Some(at("2022-07-20 12:25:20")));
    assert_eq!(moved.contact_time(), at("2022-07-20 12:22:35"));
    assert_eq!(moved.nomis_case_note_id, Some(11111), "keeps its NOMIS id");
    assert_eq!(moved.row_version, 1);
    assert_eq!(moved.last_updated_user_id, Some(SERVICE_USER_ID));

    let previous = app.contacts_of(app.seed.previous.id).await;
    assert_eq!(
        previous.len(),
        1,
        "PREVIOUS keeps only the data-cleanse contact"
    );
    let cleanse = &previous[0];
    assert_eq!(cleanse.external_reference, None);
    assert_eq!(cleanse.contact_type_id, OTHERINF_ID);
    assert_eq!(cleanse.description.as_deref(), Some("Data Cleanse"));
    assert!(cleanse.notes().contains(
        "case notes from Prison associated with a NOMS number that had been mistakenly associated with this case record were removed"
    ));
    assert!(cleanse.notes().starts_with("On 20"));
    // Assigned to PREVIOUS's community manager.
    assert_eq!(
        (cleanse.staff_id, cleanse.team_id, cleanse.probation_area_id),
        (Some(1031), Some(1031), Some(103))
    );
    assert_eq!(cleanse.event_id, None);
    assert_eq!(cleanse.nsi_id, None);

    let merged = app.event("CaseNoteMerged");
    assert_eq!(merged.properties["action"], "Moved");
    assert_eq!(merged.properties["fromCrn"], app.seed.previous.crn);
    assert_eq!(merged.properties["toCrn"], app.seed.default.crn);
    assert_eq!(merged.properties["crn"], app.seed.default.crn);
    assert_eq!(
        merged.properties["caseNoteId"],
        "0ec15f8b-6b57-471f-b02a-c89169a6a3e5"
    );
    assert_eq!(merged.properties["eventId"], "11111");
    let audit = app.audit_rows().await;
    assert_eq!(
        audit,
        [(
            "P".to_owned(),
            Some(format!(
                "dpsId='0ec15f8b-6b57-471f-b02a-c89169a6a3e5',contactId='{}'",
                moved.contact_id
            ))
        )]
    );
}

#[tokio::test]
async fn scenario_2_a_new_case_note_creates_a_contact_with_its_nsi_event_and_new_staff() {
    let app = TestApp::start().await;
    app.mock_fixture(NEW_PATH, "get-case-note-body-new-to-delius.json")
        .await;
    assert!(app
        .all_contacts()
        .await
        .iter()
        .all(|c| c.nomis_case_note_id != Some(22222)));

    let disposition = app.publish(&new_to_delius(&app)).await;

    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(app.events("CaseNoteMerged").len(), 1);
    let created = app
        .contact_by_urn(NEW_URN)
        .await
        .expect("contact found by URN");
    assert_eq!(created.offender_id, app.seed.default.id);
    assert_in_order(created.notes(), &["NEG", "IEP_WARN", "note content"]);
    assert_eq!(created.notes(), "NEG IEP_WARN\nnote content");
    assert_eq!(created.contact_type_id, CNT1_ID);
    // The mapped NSI wins and carries its event.
    assert_eq!(created.event_id, Some(app.seed.custodial_event_id));
    assert_eq!(created.nsi_id, Some(app.seed.nsi_id));
    assert_eq!(
        created.description, None,
        "a mapped type has no description"
    );
    assert_eq!(created.nomis_case_note_id, None, "the URN is the key");
    // 2021-03-23T11:22:00+01:00 is 10:22 in London (still GMT in March 2021).
    assert_eq!(created.contact_time(), at("2021-03-23 10:22:00"));
    // The upstream creation time, not "now".
    assert_eq!(created.created_datetime, Some(at("2021-04-16 11:22:33")));
    assert_eq!(
        created.last_updated_datetime,
        Some(at("2021-04-16 11:22:33"))
    );
    assert_eq!(created.created_by_user_id, Some(SERVICE_USER_ID));
    assert_eq!(created.last_updated_user_id, Some(SERVICE_USER_ID));
    assert_eq!(created.sensitive, Some(delius_data::YesNo::NO));
    assert_eq!(
        (created.probation_area_id, created.team_id),
        (Some(LEI_PROVIDER_ID), Some(LEI_CSN_TEAM_ID))
    );
    assert_eq!(created.trust_provider_team_id, created.team_id);
    assert_eq!(
        (
            created.trust_provider_flag,
            created.partition_area_id,
            created.soft_deleted,
            created.row_version
        ),
        (0, 0, 0, 0)
    );

    // "Some Name" was not LEI staff: created with the first free officer code of LEI.
    let staff_id = created.staff_id.expect("staff");
    assert_eq!(created.staff_employee_id, Some(staff_id));
    assert_eq!(
        app.staff(staff_id).await,
        (
            "LEIA001".to_owned(),
            "Some".to_owned(),
            "Name".to_owned(),
            Some(LEI_PROVIDER_ID)
        )
    );
    assert_eq!(app.staff_teams_of(staff_id).await, [LEI_CSN_TEAM_ID]);

    let audit = app.audit_rows().await;
    assert_eq!(
        audit,
        [(
            "P".to_owned(),
            Some(format!(
                "dpsId='2cf4f9e1-df22-49a1-a2a7-5968a96529e3',contactId='{}'",
                created.contact_id
            ))
        )]
    );
    let merged = app.event("CaseNoteMerged");
    assert_eq!(merged.properties["action"], "Created");
    assert_eq!(merged.properties["nomsNumber"], DEFAULT_NOMS);
    assert_eq!(merged.properties["created"], "2021/04/16 11:22:33");
    assert_eq!(merged.properties["occurrence"], "2021/03/23 10:22:00");
    assert_eq!(merged.properties["location"], "LEI");
}

#[tokio::test]
async fn scenario_3_case_note_not_found_upstream_is_acknowledged_with_case_note_not_found() {
    let app = TestApp::start().await;
    let path = "/case-notes/AA0001A/da82e1df-1a74-486e-842c-6ce961575211";
    app.mock_status(path, 404).await;
    let message = app
        .message("case-note-not-found.json")
        .with_attribute("type", "GEN")
        .with_attribute("subType", "OSE");

    assert_eq!(app.publish(&message).await, Disposition::Deleted);

    assert!(app.events("CaseNoteMerged").is_empty());
    let not_found = app.event("CaseNoteNotFound");
    assert_eq!(
        not_found.properties["detailUrl"],
        format!("{}{path}", app.upstream.uri())
    );
    // The platform's detail fetcher asks 3 times in case the API lags behind its event; then
    // the 404 is the answer and the message is not retried.
    assert_eq!(app.requests_to(path).await, 3);
    assert_eq!(app.events("MessageFailed").len(), 0);
    assert_eq!(app.all_contacts().await.len(), 1, "only the seeded contact");
    assert!(app.audit_rows().await.is_empty());
}

#[tokio::test]
async fn scenario_4_resettlement_passport_case_note_uses_the_resettlement_type_without_description()
{
    let app = TestApp::start().await;
    let id = "5bb1ae6b-1c3f-4b8c-9d2a-0a4a8f5e9c11";
    app.mock_fixture(
        &format!("/case-notes/AA0001A/{id}"),
        "get-case-note-body-resettlement-passport.json",
    )
    .await;

    let message = case_note_event(
        &app,
        "person.case-note.created",
        DEFAULT_NOMS,
        id,
        "RESET",
        "BCST",
    );
    assert_eq!(app.publish(&message).await, Disposition::Deleted);

    assert_eq!(app.events("CaseNoteMerged").len(), 1);
    let created = app
        .contact_by_urn(&format!("urn:uk:gov:hmpps:prison-case-note:{id}"))
        .await
        .expect("contact");
    assert_in_order(created.notes(), &["RESET", "BCST", "note content"]);
    assert_eq!(created.contact_type_id, RESETBCST_ID);
    // No NSI type is mapped from RESET BCST: the single custodial event.
    assert_eq!(created.event_id, Some(app.seed.custodial_event_id));
    assert_eq!(created.nsi_id, None);
    assert_eq!(
        created.description, None,
        "no 'Case note summary from' line"
    );
    assert_eq!(
        app.staff(created.staff_id.expect("staff")).await.0,
        "LEIA001"
    );
}

#[tokio::test]
async fn resettlement_passport_pathway_is_named_in_the_description() {
    let app = TestApp::start().await;
    let id = "6cc1ae6b-1c3f-4b8c-9d2a-0a4a8f5e9c12";
    let body = case_note_body(
        id,
        DEFAULT_NOMS,
        "RESET",
        "BCST",
        "Case note summary from Finance and ID BCST2 report\nDetails",
    );
    app.mock_json(&format!("/case-notes/AA0001A/{id}"), body)
        .await;

    app.publish(&case_note_event(
        &app,
        "person.case-note.created",
        DEFAULT_NOMS,
        id,
        "RESET",
        "BCST",
    ))
    .await;

    let created = app
        .contact_by_urn(&format!("urn:uk:gov:hmpps:prison-case-note:{id}"))
        .await
        .expect("contact");
    assert_eq!(
        created.description.as_deref(),
        Some("BCST case note for Finance and ID")
    );
}

#[tokio::test]
async fn scenario_6_case_note_not_of_interest_is_ignored_without_calling_upstream() {
    let app = TestApp::start().await;
    app.mock_fixture(EXISTS_PATH, "get-case-note-body-exists-in-delius.json")
        .await;
    let message = app
        .message("case-note-exists-in-delius.json")
        .with_attribute("type", "NOTOF")
        .with_attribute("subType", "INTEREST");

    assert_eq!(app.publish(&message).await, Disposition::Deleted);

    assert!(app.events("CaseNoteMerged").is_empty());
    let ignored = app.event("CaseNoteTypeNotOfInterest");
    assert_eq!(ignored.properties["type"], "NOTOF");
    assert_eq!(app.requests_to(EXISTS_PATH).await, 0);
    assert_eq!(
        app.contact(app.seed.existing_contact_id).await.offender_id,
        app.seed.previous.id
    );
}

#[tokio::test]
async fn an_unmapped_type_uses_the_default_nomis_type_and_describes_it() {
    let app = TestApp::start().await;
    let id = "11111111-2222-3333-4444-555555555555";
    app.mock_json(
        &format!("/case-notes/AA0001A/{id}"),
        case_note_body(id, DEFAULT_NOMS, "KA", "KS", "Key work session"),
    )
    .await;

    app.publish(&case_note_event(
        &app,
        "person.case-note.created",
        DEFAULT_NOMS,
        id,
        "KA",
        "KS",
    ))
    .await;

    let created = app
        .contact_by_urn(&format!("urn:uk:gov:hmpps:prison-case-note:{id}"))
        .await
        .expect("contact");
    assert_eq!(created.contact_type_id, NOMISD_ID);
    assert_eq!(
        created.description.as_deref(),
        Some("NOMIS Case Note - KA - KS")
    );
    assert_eq!(created.notes(), "KA KS\nKey work session");
    assert_eq!(
        created.event_id,
        Some(app.seed.custodial_event_id),
        "the single custodial event"
    );
    assert_eq!(created.nsi_id, None);
    assert_eq!(created.contact_time(), at("2024-03-23 11:22:00"));
}

#[tokio::test]
async fn the_sensitive_flag_comes_from_the_contact_type() {
    let app = TestApp::start().await;
    app.set_sensitive(CNT1_ID).await;
    app.mock_fixture(NEW_PATH, "get-case-note-body-new-to-delius.json")
        .await;

    app.publish(&new_to_delius(&app)).await;

    let created = app.contact_by_urn(NEW_URN).await.expect("contact");
    assert_eq!(created.sensitive, Some(delius_data::YesNo::YES));
}

#[tokio::test]
async fn an_unknown_establishment_uses_the_unk_provider_and_says_so_in_the_notes() {
    let app = TestApp::start().await;
    let id = "21111111-2222-3333-4444-555555555555";
    let mut body = case_note_body(id, DEFAULT_NOMS, "GEN", "OSE", "text");
    body.as_object_mut().expect("object").remove("locationId");
    app.mock_json(&format!("/case-notes/AA0001A/{id}"), body)
        .await;

    app.publish(&case_note_event(
        &app,
        "person.case-note.created",
        DEFAULT_NOMS,
        id,
        "GEN",
        "OSE",
    ))
    .await;

    let created = app
        .contact_by_urn(&format!("urn:uk:gov:hmpps:prison-case-note:{id}"))
        .await
        .expect("contact");
    assert_eq!(
        (created.probation_area_id, created.team_id),
        (Some(UNK_PROVIDER_ID), Some(UNK_CSN_TEAM_ID))
    );
    assert_eq!(
        created.notes(),
        "GEN OSE\nEstablishment details were not available when this contact was created. Please refer to throughcare history for location details if required.\ntext"
    );
    assert_eq!(
        app.staff(created.staff_id.expect("staff")).await.0,
        "UNKA001"
    );
    assert_eq!(app.event("CaseNoteMerged").properties["location"], "UNK");
}

#[tokio::test]
async fn staff_are_found_by_name_in_the_provider_ignoring_case() {
    let app = TestApp::start().await;
    let mut conn = app.conn().await;
    let existing =
        test_support::builders::insert_staff(&mut conn, "LEIA005", "SOME", "name", LEI_PROVIDER_ID)
            .await
            .expect("staff");
    // Same name in another provider does not count.
    test_support::builders::insert_staff(&mut conn, "N01A001", "Some", "Name", 101)
        .await
        .expect("staff");
    drop(conn);
    let before = app.staff_count().await;
    app.mock_fixture(NEW_PATH, "get-case-note-body-new-to-delius.json")
        .await;

    app.publish(&new_to_delius(&app)).await;

    let created = app.contact_by_urn(NEW_URN).await.expect("contact");
    assert_eq!(created.staff_id, Some(existing.id));
    assert_eq!(app.staff_count().await, before, "no staff created");
}

#[tokio::test]
async fn officer_codes_continue_after_the_highest_and_move_to_the_next_letter() {
    let app = TestApp::start().await;
    let mut conn = app.conn().await;
    test_support::builders::insert_staff(&mut conn, "LEIA999", "Full", "Letter", LEI_PROVIDER_ID)
        .await
        .expect("staff");
    test_support::builders::insert_staff(&mut conn, "LEIB041", "Other", "Person", LEI_PROVIDER_ID)
        .await
        .expect("staff");
    drop(conn);
    app.mock_fixture(NEW_PATH, "get-case-note-body-new-to-delius.json")
        .await;

    app.publish(&new_to_delius(&app)).await;

    let created = app.contact_by_urn(NEW_URN).await.expect("contact");
    assert_eq!(
        app.staff(created.staff_id.expect("staff")).await.0,
        "LEIB042"
    );
}

#[tokio::test]
async fn a_newer_version_updates_the_notes_and_times_and_keeps_everything_else() {
    let app = TestApp::start().await;
    let id = "31111111-2222-3333-4444-555555555555";
    let path = format!("/case-notes/AA0001A/{id}");
    let urn = format!("urn:uk:gov:hmpps:prison-case-note:{id}");
    app.mock_json(
        &path,
        case_note_body(id, DEFAULT_NOMS, "GEN", "OSE", "first text"),
    )
    .await;
    let message = case_note_event(
        &app,
        "person.case-note.created",
        DEFAULT_NOMS,
        id,
        "GEN",
        "OSE",
    );
    app.publish(&message).await;
    let created = app.contact_by_urn(&urn).await.expect("contact");

    app.upstream.reset().await;
    let mut amended = case_note_body(id, DEFAULT_NOMS, "GEN", "OSE", "first text");
    amended["authorName"] = json!("Somebody Else");
    amended["occurrenceDateTime"] = json!("2024-03-24T09:00:00+00:00");
    amended["amendments"] = json!([{
        "additionalNoteText": "An amendment",
        "authorName": "Mickey Mouse",
        "creationDateTime": "2024-04-17T08:00:00+01:00"
    }]);
    app.mock_json(&path, amended).await;
    app.publish(&case_note_event(
        &app,
        "person.case-note.updated",
        DEFAULT_NOMS,
        id,
        "GEN",
        "OSE",
    ))
    .await;

    let updated = app.contact_by_urn(&urn).await.expect("contact");
    assert_eq!(updated.contact_id, created.contact_id);
    assert_eq!(
        updated.notes(),
        "GEN OSE\nfirst text\n[Mickey Mouse updated the case notes on 2024/04/17 08:00:00]\nAn amendment"
    );
    assert_eq!(updated.contact_time(), at("2024-03-24 09:00:00"));
    assert_eq!(
        updated.last_updated_datetime,
        Some(at("2024-04-17 08:00:00"))
    );
    assert_eq!(updated.created_datetime, created.created_datetime);
    assert_eq!(updated.row_version, 1);
    // Type, description, staff, event: as created.
    assert_eq!(updated.contact_type_id, created.contact_type_id);
    assert_eq!(updated.description, created.description);
    assert_eq!(updated.staff_id, created.staff_id);
    assert_eq!(updated.event_id, created.event_id);
    assert_eq!(app.event_names_merged(), ["Created", "Updated"]);
    assert_eq!(app.audit_rows().await.len(), 2);
}

#[tokio::test]
async fn shorter_text_on_update_is_padded_to_the_previous_length() {
    let app = TestApp::start().await;
    let id = "41111111-2222-3333-4444-555555555555";
    let path = format!("/case-notes/AA0001A/{id}");
    app.mock_json(
        &path,
        case_note_body(id, DEFAULT_NOMS, "GEN", "OSE", "a long original text"),
    )
    .await;
    app.publish(&case_note_event(
        &app,
        "person.case-note.created",
        DEFAULT_NOMS,
        id,
        "GEN",
        "OSE",
    ))
    .await;
    let before = app
        .contact_by_urn(&format!("urn:uk:gov:hmpps:prison-case-note:{id}"))
        .await
        .expect("contact");

    app.upstream.reset().await;
    let mut shorter = case_note_body(id, DEFAULT_NOMS, "GEN", "OSE", "short");
    shorter["creationDateTime"] = json!("2024-04-16T12:00:00+01:00");
    app.mock_json(&path, shorter).await;
    app.publish(&case_note_event(
        &app,
        "person.case-note.updated",
        DEFAULT_NOMS,
        id,
        "GEN",
        "OSE",
    ))
    .await;

    let after = app
        .contact_by_urn(&format!("urn:uk:gov:hmpps:prison-case-note:{id}"))
        .await
        .expect("contact");
    assert_eq!(
        after.notes().chars().count(),
        before.notes().chars().count()
    );
    assert_eq!(after.notes().trim_end(), "GEN OSE\nshort");
}

#[tokio::test]
async fn an_older_or_same_version_changes_nothing_and_writes_no_audit_row() {
    let app = TestApp::start().await;
    let id = "51111111-2222-3333-4444-555555555555";
    let path = format!("/case-notes/AA0001A/{id}");
    let mut newer = case_note_body(id, DEFAULT_NOMS, "GEN", "OSE", "newest text");
    newer["creationDateTime"] = json!("2024-04-16T11:22:33.900+01:00");
    app.mock_json(&path, newer).await;
    app.publish(&case_note_event(
        &app,
        "person.case-note.created",
        DEFAULT_NOMS,
        id,
        "GEN",
        "OSE",
    ))
    .await;
    let before = app
        .contact_by_urn(&format!("urn:uk:gov:hmpps:prison-case-note:{id}"))
        .await
        .expect("contact");

    // A late message: the same second (fractions do not count), different text.
    app.upstream.reset().await;
    let mut late = case_note_body(id, DEFAULT_NOMS, "GEN", "OSE", "stale text");
    late["creationDateTime"] = json!("2024-04-16T11:22:33.100+01:00");
    app.mock_json(&path, late).await;
    app.publish(&case_note_event(
        &app,
        "person.case-note.updated",
        DEFAULT_NOMS,
        id,
        "GEN",
        "OSE",
    ))
    .await;
    // And an older one.
    app.upstream.reset().await;
    let mut older = case_note_body(id, DEFAULT_NOMS, "GEN", "OSE", "older text");
    older["creationDateTime"] = json!("2024-04-15T11:22:33+01:00");
    app.mock_json(&path, older).await;
    app.publish(&case_note_event(
        &app,
        "person.case-note.updated",
        DEFAULT_NOMS,
        id,
        "GEN",
        "OSE",
    ))
    .await;

    let after = app
        .contact_by_urn(&format!("urn:uk:gov:hmpps:prison-case-note:{id}"))
        .await
        .expect("contact");
    assert_eq!(after, before);
    let merged = app.events("CaseNoteMerged");
    assert_eq!(merged.len(), 3, "the no-op is still a merge");
    assert!(!merged[1].properties.contains_key("action"));
    assert!(!merged[2].properties.contains_key("action"));
    assert_eq!(
        app.audit_rows().await.len(),
        1,
        "only the create was audited"
    );
}

#[tokio::test]
async fn a_legacy_contact_found_by_nomis_id_learns_its_urn_when_not_newer() {
    let app = TestApp::start().await;
    let id = "61111111-2222-3333-4444-555555555555";
    let recent = delius_data::time::now_london() - chrono::Duration::days(30);
    let legacy = insert_legacy_contact(&app, app.seed.default.id, 44444, recent).await;
    // The upstream version is older than what Delius holds.
    let mut body = case_note_body(id, DEFAULT_NOMS, "GEN", "OSE", "new text");
    body["eventId"] = json!(44444);
    body["occurrenceDateTime"] = json!(format!(
        "{}Z",
        (recent - chrono::Duration::days(1)).format("%Y-%m-%dT%H:%M:%S")
    ));
    body["creationDateTime"] = json!(format!(
        "{}Z",
        (recent - chrono::Duration::days(2)).format("%Y-%m-%dT%H:%M:%S")
    ));
    app.mock_json(&format!("/case-notes/AA0001A/{id}"), body)
        .await;

    app.publish(&case_note_event(
        &app,
        "person.case-note.updated",
        DEFAULT_NOMS,
        id,
        "GEN",
        "OSE",
    ))
    .await;

    let after = app.contact(legacy.contact_id).await;
    assert_eq!(
        after.external_reference,
        Some(format!("urn:uk:gov:hmpps:prison-case-note:{id}"))
    );
    assert_eq!(after.notes, legacy.notes, "only the URN is set");
    assert_eq!(after.last_updated_datetime, legacy.last_updated_datetime);
    assert_eq!(after.row_version, legacy.row_version + 1);
    assert_eq!(app.event("CaseNoteMerged").properties["action"], "Updated");
}

#[tokio::test]
async fn a_legacy_contact_older_than_a_year_is_not_back_filled() {
    let app = TestApp::start().await;
    let id = "71111111-2222-3333-4444-555555555555";
    let old = at("2020-01-10 10:00:00");
    let legacy = insert_legacy_contact(&app, app.seed.default.id, 55555, old).await;
    let mut body = case_note_body(id, DEFAULT_NOMS, "GEN", "OSE", "new text");
    body["eventId"] = json!(55555);
    body["occurrenceDateTime"] = json!("2020-01-09T10:00:00Z");
    body["creationDateTime"] = json!("2020-01-09T10:00:00Z");
    app.mock_json(&format!("/case-notes/AA0001A/{id}"), body)
        .await;

    app.publish(&case_note_event(
        &app,
        "person.case-note.updated",
        DEFAULT_NOMS,
        id,
        "GEN",
        "OSE",
    ))
    .await;

    assert_eq!(app.contact(legacy.contact_id).await, legacy);
    assert!(!app
        .event("CaseNoteMerged")
        .properties
        .contains_key("action"));
}

#[tokio::test]
async fn a_newer_version_of_a_legacy_contact_updates_it_and_sets_its_urn() {
    let app = TestApp::start().await;
    let id = "81111111-2222-3333-4444-555555555555";
    let legacy =
        insert_legacy_contact(&app, app.seed.default.id, 66666, at("2020-01-10 10:00:00")).await;
    let mut body = case_note_body(id, DEFAULT_NOMS, "GEN", "OSE", "new text");
    body["eventId"] = json!(66666);
    app.mock_json(&format!("/case-notes/AA0001A/{id}"), body)
        .await;

    app.publish(&case_note_event(
        &app,
        "person.case-note.updated",
        DEFAULT_NOMS,
        id,
        "GEN",
        "OSE",
    ))
    .await;

    let after = app.contact(legacy.contact_id).await;
    assert_eq!(
        after.external_reference,
        Some(format!("urn:uk:gov:hmpps:prison-case-note:{id}"))
    );
    assert_eq!(after.notes(), "GEN OSE\nnew text");
    assert_eq!(after.last_updated_datetime, Some(at("2024-04-16 11:22:33")));
    assert_eq!(
        after.contact_type_id, legacy.contact_type_id,
        "type kept on update"
    );
}

#[tokio::test]
async fn a_legacy_nomis_alert_case_note_is_dated_by_occurrence_date_and_creation_time() {
    let app = TestApp::start().await;
    let id = "91111111-2222-3333-4444-555555555555";
    let mut body = case_note_body(
        id,
        DEFAULT_NOMS,
        "ALERT",
        "ACTIVE",
        "Alert Risk to staff made active.\nMore detail",
    );
    body["occurrenceDateTime"] = json!("2025-01-11T00:00:00+00:00");
    body["creationDateTime"] = json!("2025-01-12T10:11:22+00:00");
    app.mock_json(&format!("/case-notes/AA0001A/{id}"), body)
        .await;

    app.publish(&case_note_event(
        &app,
        "person.case-note.created",
        DEFAULT_NOMS,
        id,
        "ALERT",
        "ACTIVE",
    ))
    .await;

    let created = app
        .contact_by_urn(&format!("urn:uk:gov:hmpps:prison-case-note:{id}"))
        .await
        .expect("contact");
    assert_eq!(created.contact_time(), at("2025-01-11 10:11:22"));
    assert_eq!(created.contact_type_id, CNT2_ID, "ALERT ACTIVE mapping");
    assert_eq!(
        created.description.as_deref(),
        Some("NOMIS Alert Risk to staff made active.")
    );
    assert_eq!(created.event_id, None, "alerts are not linked to events");
    assert_eq!(created.nsi_id, None);
    assert_eq!(
        created.notes(),
        "ALERT ACTIVE\nAlert Risk to staff made active.\nAlert Risk to staff made active.\nMore detail"
    );
}

#[tokio::test]
async fn more_than_one_custodial_event_links_no_event() {
    let app = TestApp::start().await;
    let mut conn = app.conn().await;
    insert_custodial_event(&mut conn, app.seed.new_identifier.id).await;
    insert_custodial_event(&mut conn, app.seed.new_identifier.id).await;
    drop(conn);
    let id = "a1111111-2222-3333-4444-555555555555";
    app.mock_json(
        &format!("/case-notes/A4578BX/{id}"),
        case_note_body(id, NEW_IDENTIFIER_NOMS, "GEN", "OSE", "x"),
    )
    .await;

    app.publish(&case_note_event(
        &app,
        "person.case-note.created",
        NEW_IDENTIFIER_NOMS,
        id,
        "GEN",
        "OSE",
    ))
    .await;

    let created = app
        .contact_by_urn(&format!("urn:uk:gov:hmpps:prison-case-note:{id}"))
        .await
        .expect("contact");
    assert_eq!((created.event_id, created.nsi_id), (None, None));
}

#[tokio::test]
async fn concurrent_messages_for_one_new_case_note_create_one_contact() {
    let app = TestApp::start().await;
    app.mock_fixture(NEW_PATH, "get-case-note-body-new-to-delius.json")
        .await;
    let (a, b, c) = (
        new_to_delius(&app),
        new_to_delius(&app),
        new_to_delius(&app),
    );
    let staff_before = app.staff_count().await;

    let (x, y, z) = tokio::join!(app.publish(&a), app.publish(&b), app.publish(&c));

    assert_eq!([x, y, z], [Disposition::Deleted; 3]);
    let created: Vec<_> = app
        .all_contacts()
        .await
        .into_iter()
        .filter(|c| c.external_reference.as_deref() == Some(NEW_URN))
        .collect();
    assert_eq!(created.len(), 1);
    assert_eq!(
        app.staff_count().await,
        staff_before + 1,
        "one staff created"
    );
    assert_eq!(app.audit_rows().await.len(), 1, "one save");
}

async fn insert_legacy_contact(
    app: &TestApp,
    offender_id: i64,
    nomis_id: i64,
    written: chrono::NaiveDateTime,
) -> ContactRow {
    use delius_data::schema::contact;
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    let mut conn = app.conn().await;
    let id = delius_data::lookups::next_id(
        &mut conn,
        delius_data::lookups::Sequence::named("contact_id_seq"),
    )
    .await
    .expect("id");
    diesel::insert_into(contact::table)
        .values((
            contact::contact_id.eq(id),
            contact::offender_id.eq(offender_id),
            contact::contact_type_id.eq(CNT1_ID),
            contact::contact_date.eq(written.date()),
            contact::contact_start_time.eq(written.time()),
            contact::notes.eq("GEN OSE\nold text"),
            contact::nomis_case_note_id.eq(nomis_id),
            contact::created_datetime.eq(written),
            contact::last_updated_datetime.eq(written),
        ))
        .execute(&mut conn)
        .await
        .expect("legacy contact");
    drop(conn);
    app.contact(id).await
}

#[tokio::test]
async fn the_urn_match_wins_over_a_nomis_id_match() {
    let app = TestApp::start().await;
    let id = "b1111111-2222-3333-4444-555555555555";
    let urn = format!("urn:uk:gov:hmpps:prison-case-note:{id}");
    // A contact with the NOMIS id (the lower contact id), then one with the URN.
    let legacy =
        insert_legacy_contact(&app, app.seed.default.id, 33333, at("2020-01-10 10:00:00")).await;
    app.sql(&format!(
        "INSERT INTO contact (contact_id, offender_id, contact_type_id, contact_date, notes, external_reference, last_updated_datetime) \
         VALUES (nextval('contact_id_seq'), {}, {NOMISD_ID}, DATE '2024-03-23', 'x', '{urn}', TIMESTAMP '2020-01-01 00:00:00')",
        app.seed.default.id
    ))
    .await;
    let by_urn = app.contact_by_urn(&urn).await.expect("URN contact");
    assert!(legacy.contact_id < by_urn.contact_id);
    app.mock_json(
        &format!("/case-notes/AA0001A/{id}"),
        case_note_body(id, DEFAULT_NOMS, "GEN", "OSE", "second"),
    )
    .await;

    app.publish(&case_note_event(
        &app,
        "person.case-note.updated",
        DEFAULT_NOMS,
        id,
        "GEN",
        "OSE",
    ))
    .await;

    assert_eq!(
        app.contact(by_urn.contact_id).await.notes(),
        "GEN OSE\nsecond"
    );
    assert_eq!(app.contact(legacy.contact_id).await, legacy);
}

#[tokio::test]
async fn a_move_to_a_noms_number_not_in_delius_leaves_the_contact_with_case_note_merge_failed() {
    // Spec §4.10 steps 3 and 5: a move rebuilds the contact for the person with the incoming
    // NOMS number; when Delius has no such person that is OffenderNotFound: acknowledged with
    // CaseNoteMergeFailed (not retried), and nothing is written.
    let app = TestApp::start().await;
    let mut body = fixture_json("simulations/get-case-note-body-exists-in-delius.json");
    body["offenderIdentifier"] = json!("ZZ9999Z");
    app.mock_json(EXISTS_PATH, body).await;
    let before = app.all_contacts().await;

    let disposition = app
        .publish(&app.message("case-note-exists-in-delius.json"))
        .await;

    assert_eq!(disposition, Disposition::Deleted, "not retried");
    assert_eq!(app.handler_calls(), 1);
    assert_eq!(
        app.all_contacts().await,
        before,
        "the contact stays on PREVIOUS, and no data-cleanse contact"
    );
    let failed = app.event("CaseNoteMergeFailed");
    assert_eq!(
        failed.properties["exception"],
        "Person not found for NOMS number ZZ9999Z"
    );
    assert_eq!(
        failed.properties["caseNoteId"],
        "0ec15f8b-6b57-471f-b02a-c89169a6a3e5"
    );
    assert!(app.events("CaseNoteMerged").is_empty());
    assert!(app.events("MessageFailed").is_empty());
    assert!(app.audit_rows().await.is_empty(), "nothing written");
}

#[tokio::test]
async fn a_moved_contact_is_rebuilt_as_a_live_new_row_even_if_it_was_soft_deleted() {
    // Spec §4.10 step 3: a move writes the whole row image of a create (SOFT_DELETED = 0 and the
    // create's fixed flags), keeping only CONTACT_ID and ROW_VERSION.
    let app = TestApp::start().await;
    app.sql(&format!(
        "UPDATE contact SET soft_deleted = 1, trust_provider_flag = 1, partition_area_id = 7 \
         WHERE contact_id = {}",
        app.seed.existing_contact_id
    ))
    .await;
    app.mock_fixture(EXISTS_PATH, "get-case-note-body-exists-in-delius.json")
        .await;

    assert_eq!(
        app.publish(&app.message("case-note-exists-in-delius.json"))
            .await,
        Disposition::Deleted
    );

    let moved = app.contact(app.seed.existing_contact_id).await;
    assert_eq!(moved.offender_id, app.seed.default.id);
    assert_eq!(moved.external_reference.as_deref(), Some(EXISTING_URN));
    assert_eq!(
        (
            moved.soft_deleted,
            moved.trust_provider_flag,
            moved.partition_area_id,
            moved.row_version
        ),
        (0, 0, 0, 1)
    );
    assert_eq!(app.event("CaseNoteMerged").properties["action"], "Moved");
    assert_eq!(
        app.contacts_of(app.seed.previous.id).await.len(),
        1,
        "data cleanse"
    );
}

#[tokio::test]
async fn every_save_writes_an_audited_interaction_with_apibi001_and_the_service_user() {
    // Spec §4.10 step 6: business interaction APIBI001 (CASE_NOTES_MERGE), the service user's
    // USER_ID, now, outcome success, parameters dpsId and contactId.
    let app = TestApp::start().await;
    app.mock_fixture(NEW_PATH, "get-case-note-body-new-to-delius.json")
        .await;
    let started = delius_data::time::now_london() - chrono::Duration::seconds(5);
    app.publish(&new_to_delius(&app)).await;
    let created = app.contact_by_urn(NEW_URN).await.expect("contact");

    // A newer version: an update, audited the same way.
    let mut newer = fixture_json("simulations/get-case-note-body-new-to-delius.json");
    newer["amendments"] = json!([{"authorName": "Some Name", "additionalNoteText": "more",
                                  "creationDateTime": "2021-04-17T09:00:00+01:00"}]);
    app.upstream.reset().await;
    app.mock_json(NEW_PATH, newer).await;
    app.publish(&new_to_delius(&app)).await;
    let finished = delius_data::time::now_london() + chrono::Duration::seconds(5);
    assert_eq!(app.event_names_merged(), ["Created", "Updated"]);

    let rows = app.audited_interactions().await;
    assert_eq!(rows.len(), 2);
    let params = format!(
        "dpsId='2cf4f9e1-df22-49a1-a2a7-5968a96529e3',contactId='{}'",
        created.contact_id
    );
    for (code, user_id, outcome, parameters, date_time) in rows {
        assert_eq!(code, "APIBI001");
        assert_eq!(user_id, SERVICE_USER_ID);
        assert_eq!(outcome, "P");
        assert_eq!(parameters.as_deref(), Some(params.as_str()));
        assert!(
            started <= date_time && date_time <= finished,
            "audited at the time of the save (London), not the upstream time: {date_time}"
        );
    }
}
