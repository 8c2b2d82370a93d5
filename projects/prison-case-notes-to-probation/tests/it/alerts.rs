//! `person.alert.*`: spec §7.1 scenarios 7-9 and the alert rules of §4.3 and §4.8.

use messaging::queue::memory::Disposition;
use serde_json::json;

use crate::helpers::*;

const ACTIVE_URN: &str =
    "urn:uk:gov:hmpps:prisoner-alert:active:01954cfe-9f5a-7ea3-837b-a1770b389c5b";
const INACTIVE_URN: &str =
    "urn:uk:gov:hmpps:prisoner-alert:inactive:01954cfe-9f5a-7ea3-837b-a1770b389c5b";

#[tokio::test]
async fn scenario_7_an_active_alert_creates_a_contact() {
    let app = TestApp::start().await;
    assert!(app.contact_by_urn(ACTIVE_URN).await.is_none());
    app.mock_fixture(
        "/alerts/01954cfe-9f5a-7ea3-837b-a1770b389c5b",
        "get-created-alert.json",
    )
    .await;

    assert_eq!(
        app.publish(&app.message("alert-created.json")).await,
        Disposition::Deleted
    );

    let created = app
        .contact_by_urn(ACTIVE_URN)
        .await
        .expect("active alert contact");
    assert_eq!(created.offender_id, app.seed.default.id);
    assert_eq!(created.contact_date.to_string(), "2025-02-27");
    // activeFrom with the creation time of day (no offset: London time).
    assert_eq!(created.contact_time(), at("2025-02-27 14:38:30"));
    assert_in_order(
        created.notes(),
        &["ALERT", "ACTIVE", "User entered some text about the alert"],
    );
    assert_eq!(
        created.notes(),
        "ALERT ACTIVE\nAlert Description of AT and Description of AST made active.\nUser entered some text about the alert"
    );
    assert_eq!(app.staff(created.staff_id.expect("staff")).await.1, "John");
    assert_eq!(
        created.contact_type_id, CNT2_ID,
        "ALERT ACTIVE is mapped in the seed"
    );
    assert_eq!(
        created.description.as_deref(),
        Some("NOMIS Alert Description of AT and Description of AST made active.")
    );
    assert_eq!(
        (created.event_id, created.nsi_id),
        (None, None),
        "never linked to an event"
    );
    assert_eq!(created.created_datetime, Some(at("2025-02-28 14:38:30")));

    let merged = app.event("AlertMerged");
    assert_eq!(
        merged.properties["alertUuid"],
        "01954cfe-9f5a-7ea3-837b-a1770b389c5b"
    );
    assert_eq!(merged.properties["type"], "AT");
    assert_eq!(merged.properties["subType"], "AST");
    assert_eq!(merged.properties["created"], "2025/02/28 14:38:30");
    assert_eq!(merged.properties["activeFrom"], "2025/02/27");
    assert!(!merged.properties.contains_key("activeTo"));
    assert_eq!(merged.properties["action"], "Created");
    assert_eq!(
        app.audit_rows().await[0].1.as_deref(),
        Some(&*format!(
            "dpsId='01954cfe-9f5a-7ea3-837b-a1770b389c5b',contactId='{}'",
            created.contact_id
        ))
    );
}

#[tokio::test]
async fn scenario_8_an_alert_made_inactive_creates_a_separate_inactive_contact() {
    let app = TestApp::start().await;
    app.mock_fixture(
        "/alerts/01954cfe-9f5a-7ea3-837b-a1770b389c5b",
        "get-created-alert.json",
    )
    .await;
    app.publish(&app.message("alert-created.json")).await;
    let active = app
        .contact_by_urn(ACTIVE_URN)
        .await
        .expect("active contact");
    assert!(app.contact_by_urn(INACTIVE_URN).await.is_none());

    app.mock_fixture(
        "/alerts/424e52e8-1971-4622-8d2d-4b4466c771fd",
        "get-updated-alert.json",
    )
    .await;
    assert_eq!(
        app.publish(&app.message("alert-updated.json")).await,
        Disposition::Deleted
    );

    let inactive = app
        .contact_by_urn(INACTIVE_URN)
        .await
        .expect("inactive contact");
    assert_ne!(inactive.contact_id, active.contact_id);
    assert_eq!(inactive.contact_date.to_string(), "2025-02-28");
    assert_eq!(inactive.contact_time(), at("2025-02-28 15:28:02"));
    assert_in_order(
        inactive.notes(),
        &[
            "ALERT",
            "INACTIVE",
            "User entered some text about the alert",
        ],
    );
    assert!(inactive.notes().contains("made inactive."));
    assert_eq!(app.staff(inactive.staff_id.expect("staff")).await.1, "Jane");
    assert_eq!(
        inactive.contact_type_id, NOMISD_ID,
        "ALERT INACTIVE is not mapped"
    );
    assert_eq!(
        inactive.description.as_deref(),
        Some("NOMIS Alert Description of AT and Description of AST made inactive.")
    );
    assert_eq!(
        inactive.last_updated_datetime,
        Some(at("2025-02-28 15:28:02"))
    );
    // The active contact is untouched.
    assert_eq!(
        app.contact_by_urn(ACTIVE_URN).await.expect("active"),
        active
    );
    assert_eq!(
        app.events("AlertMerged")[1].properties["activeTo"],
        "2025/02/28"
    );
}

#[tokio::test]
async fn scenario_9_a_new_inactive_alert_creates_an_inactive_contact() {
    let app = TestApp::start().await;
    app.mock_fixture(
        "/alerts/62c811b1-f3f2-432f-abbd-ca06b9190d4d",
        "get-inactive-alert.json",
    )
    .await;
    // Routed on the attribute (person.alert.updated), whatever the body's eventType says.
    let message = app.message("alert-inactive.json");
    assert_eq!(message.event_type(), Some("person.alert.updated"));

    assert_eq!(app.publish(&message).await, Disposition::Deleted);

    let urn = "urn:uk:gov:hmpps:prisoner-alert:inactive:62c811b1-f3f2-432f-abbd-ca06b9190d4d";
    let inactive = app.contact_by_urn(urn).await.expect("inactive contact");
    assert_eq!(inactive.contact_date.to_string(), "2025-02-28");
    assert_in_order(
        inactive.notes(),
        &[
            "ALERT",
            "INACTIVE",
            "User entered some text about the alert",
        ],
    );
    assert_eq!(app.staff(inactive.staff_id.expect("staff")).await.1, "John");
}

#[tokio::test]
async fn alert_not_found_upstream_is_acknowledged_with_alert_not_found() {
    let app = TestApp::start().await;
    let path = "/alerts/01954cfe-9f5a-7ea3-837b-a1770b389c5b";
    app.mock_status(path, 404).await;

    assert_eq!(
        app.publish(&app.message("alert-created.json")).await,
        Disposition::Deleted
    );

    assert_eq!(
        app.event("AlertNotFound").properties["detailUrl"],
        format!("{}{path}", app.upstream.uri())
    );
    assert!(app.events("AlertMerged").is_empty());
    assert_eq!(app.all_contacts().await.len(), 1);
}

#[tokio::test]
async fn ocg_nominal_alerts_are_dropped_silently() {
    let app = TestApp::start().await;
    let mut alert = fixture_json("simulations/get-created-alert.json");
    alert["alertCode"]["code"] = json!("DOCGM");
    app.mock_json("/alerts/01954cfe-9f5a-7ea3-837b-a1770b389c5b", alert)
        .await;

    assert_eq!(
        app.publish(&app.message("alert-created.json")).await,
        Disposition::Deleted
    );

    assert_eq!(app.outcome_names(), ["OcgNominalAlertNotShared"]);
    assert!(app.contact_by_urn(ACTIVE_URN).await.is_none());
    assert!(app.audit_rows().await.is_empty());
}

#[tokio::test]
async fn an_alert_for_an_unknown_person_is_acknowledged_with_alert_merge_failed() {
    let app = TestApp::start().await;
    let mut alert = fixture_json("simulations/get-created-alert.json");
    alert["prisonNumber"] = json!("ZZ9999Z");
    app.mock_json("/alerts/01954cfe-9f5a-7ea3-837b-a1770b389c5b", alert)
        .await;
    let staff_before = app.staff_count().await;

    assert_eq!(
        app.publish(&app.message("alert-created.json")).await,
        Disposition::Deleted
    );

    let failed = app.event("AlertMergeFailed");
    assert_eq!(
        failed.properties["exception"],
        "Person not found for NOMS number ZZ9999Z"
    );
    assert_eq!(
        failed.properties["alertUuid"],
        "01954cfe-9f5a-7ea3-837b-a1770b389c5b"
    );
    assert_eq!(app.all_contacts().await.len(), 1, "nothing written");
    assert!(app.audit_rows().await.is_empty());
    assert_eq!(app.staff_count().await, staff_before);
}

#[tokio::test]
async fn an_inactive_alert_without_active_to_is_retried_then_dead_lettered() {
    let app = TestApp::start().await;
    let mut alert = fixture_json("simulations/get-inactive-alert.json");
    alert["activeTo"] = json!(null);
    app.mock_json("/alerts/62c811b1-f3f2-432f-abbd-ca06b9190d4d", alert)
        .await;

    assert_eq!(
        app.publish(&app.message("alert-inactive.json")).await,
        Disposition::DeadLettered
    );

    let failures = app.events("AlertMergeFailed");
    assert_eq!(failures.len(), 3, "one per delivery");
    assert!(failures[0].properties["exception"].contains("has no activeTo"));
    assert_eq!(app.all_contacts().await.len(), 1);
}

#[tokio::test]
async fn an_alert_without_its_prison_is_retried_then_dead_lettered() {
    let app = TestApp::start().await;
    let mut alert = fixture_json("simulations/get-created-alert.json");
    alert["prisonCodeWhenCreated"] = json!(null);
    app.mock_json("/alerts/01954cfe-9f5a-7ea3-837b-a1770b389c5b", alert)
        .await;

    assert_eq!(
        app.publish(&app.message("alert-created.json")).await,
        Disposition::DeadLettered
    );

    assert_eq!(
        app.events("AlertMergeFailed")[0].properties["exception"],
        "Unable to verify establishment for alert"
    );
    assert!(app.contact_by_urn(ACTIVE_URN).await.is_none());
}

#[tokio::test]
async fn a_long_alert_description_is_cut_to_200_bytes() {
    let app = TestApp::start().await;
    let mut alert = fixture_json("simulations/get-created-alert.json");
    alert["alertCode"]["description"] = json!("é".repeat(150));
    app.mock_json("/alerts/01954cfe-9f5a-7ea3-837b-a1770b389c5b", alert)
        .await;

    app.publish(&app.message("alert-created.json")).await;

    let created = app.contact_by_urn(ACTIVE_URN).await.expect("contact");
    let description = created.description.expect("description");
    assert!(description.len() <= 200, "{} bytes", description.len());
    assert!(description.starts_with("NOMIS Alert Description of AT and é"));
    assert!(description.ends_with(" ~"));
    assert!(
        created.notes.expect("notes").contains(&"é".repeat(150)),
        "notes are never cut"
    );
}

#[tokio::test]
async fn an_alerts_api_server_error_is_retried_then_dead_lettered() {
    let app = TestApp::start().await;
    let path = "/alerts/01954cfe-9f5a-7ea3-837b-a1770b389c5b";
    app.mock_status(path, 500).await;

    assert_eq!(
        app.publish(&app.message("alert-created.json")).await,
        Disposition::DeadLettered
    );

    assert_eq!(
        app.requests_to(path).await,
        9,
        "3 deliveries x 3 in-process attempts"
    );
    assert!(app.events("AlertNotFound").is_empty());
    assert!(app.contact_by_urn(ACTIVE_URN).await.is_none());
}

#[tokio::test]
async fn an_alert_contact_on_the_wrong_person_is_moved_with_a_data_cleanse_contact() {
    let app = TestApp::start().await;
    app.sql(&format!(
        "INSERT INTO contact (contact_id, offender_id, contact_type_id, contact_date, notes, external_reference, last_updated_datetime) \
         VALUES (nextval('contact_id_seq'), {}, {CNT2_ID}, DATE '2025-02-27', 'old', '{ACTIVE_URN}', TIMESTAMP '2025-02-28 14:38:30')",
        app.seed.previous.id
    ))
    .await;
    app.mock_fixture(
        "/alerts/01954cfe-9f5a-7ea3-837b-a1770b389c5b",
        "get-created-alert.json",
    )
    .await;

    assert_eq!(
        app.publish(&app.message("alert-created.json")).await,
        Disposition::Deleted
    );

    let moved = app.contact_by_urn(ACTIVE_URN).await.expect("contact");
    assert_eq!(moved.offender_id, app.seed.default.id);
    assert!(moved
        .notes()
        .starts_with("ALERT ACTIVE\nAlert Description of AT"));
    let merged = app.event("AlertMerged");
    assert_eq!(merged.properties["action"], "Moved");
    assert_eq!(merged.properties["fromCrn"], app.seed.previous.crn);
    let previous = app.contacts_of(app.seed.previous.id).await;
    assert_eq!(
        previous
            .iter()
            .filter(|c| c.description.as_deref() == Some("Data Cleanse"))
            .count(),
        1
    );
}

#[tokio::test]
async fn an_alert_updated_again_with_changed_text_updates_its_contact_in_place() {
    // Spec §4.10 steps 1, 2 and 4: the same alert state (same URN) on the same person is an
    // update of the existing contact, not a new one.
    let app = TestApp::start().await;
    app.mock_fixture(
        "/alerts/01954cfe-9f5a-7ea3-837b-a1770b389c5b",
        "get-created-alert.json",
    )
    .await;
    app.publish(&app.message("alert-created.json")).await;
    let before = app
        .contact_by_urn(ACTIVE_URN)
        .await
        .expect("active contact");

    let mut changed = fixture_json("simulations/get-created-alert.json");
    changed["description"] = json!("User entered some changed text about the alert");
    changed["lastModifiedAt"] = json!("2025-03-01T09:10:11.5");
    changed["lastModifiedByDisplayName"] = json!("Jane Smith");
    // The alert-updated message names this path; the body is the same, still active, alert.
    app.mock_json("/alerts/424e52e8-1971-4622-8d2d-4b4466c771fd", changed)
        .await;
    assert_eq!(
        app.publish(&app.message("alert-updated.json")).await,
        Disposition::Deleted
    );

    let contacts: Vec<_> = app
        .all_contacts()
        .await
        .into_iter()
        .filter(|c| c.external_reference.as_deref() == Some(ACTIVE_URN))
        .collect();
    assert_eq!(contacts.len(), 1, "no second contact");
    let after = &contacts[0];
    assert_eq!(after.contact_id, before.contact_id);
    assert_eq!(after.row_version, before.row_version + 1);
    assert_eq!(
        after.notes(),
        "ALERT ACTIVE\nAlert Description of AT and Description of AST made active.\nUser entered some changed text about the alert"
    );
    // activeFrom with the time of day of the latest change; the change's time is stored.
    assert_eq!(after.contact_time(), at("2025-02-27 09:10:11"));
    assert_eq!(after.last_updated_datetime, Some(at("2025-03-01 09:10:11")));
    assert!(app.contact_by_urn(INACTIVE_URN).await.is_none());
    // Everything else stays as created, including the author (John, not Jane).
    assert_eq!(
        (
            after.offender_id,
            after.contact_type_id,
            &after.description,
            after.staff_id,
            after.team_id,
            after.created_datetime,
        ),
        (
            before.offender_id,
            before.contact_type_id,
            &before.description,
            before.staff_id,
            before.team_id,
            before.created_datetime,
        )
    );
    let merged = app.events("AlertMerged");
    assert_eq!(merged.len(), 2);
    assert_eq!(merged[1].properties["action"], "Updated");
    let audit = app.audit_rows().await;
    let params = Some(format!(
        "dpsId='01954cfe-9f5a-7ea3-837b-a1770b389c5b',contactId='{}'",
        before.contact_id
    ));
    assert_eq!(
        audit,
        [("P".to_owned(), params.clone()), ("P".to_owned(), params)]
    );
}
