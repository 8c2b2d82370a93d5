//! Prison identifier added / updated (spec 3.3; scenarios 20-25): the allocation is read from
//! `{mpc_base}/api/allocation/{noms}/primary_pom` and handled as in 3.2.

use messaging::queue::memory::Disposition;
use wiremock::matchers::method;
use wiremock::{Mock, ResponseTemplate};

use crate::allocation::{
    contact_codes, contacts, envelope, future_pom_start, mock_mpc, n03_staff_named, poms, ts,
    HANDOVER_PERSON,
};
use crate::harness::{props, TestApp, DEFAULT_PERSON};

#[tokio::test]
async fn scenario_20_identifier_added_allocates_john_smith() {
    let app = TestApp::start().await;
    mock_mpc(
        &app,
        "/api/allocation/A0123BY/primary_pom",
        200,
        Some("new-allocation.json"),
    )
    .await;
    let disposition = app
        .publish(&app.message("prison-identifier-added.json"))
        .await;
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(
        app.outcome("PomAllocated").properties,
        props(&[
            ("prisonId", "SWI"),
            ("nomsId", "A0123BY"),
            ("allocationDate", "24/07/2025 10:00:00")
        ])
    );
    let john = n03_staff_named(&app, "John", "Smith").await;
    assert_eq!(john.len(), 1);
    let rows = poms(&app, DEFAULT_PERSON).await;
    let allocated = rows
        .iter()
        .find(|p| p.staff_id == john[0].0)
        .expect("John's POM");
    assert_eq!(allocated.allocation_date, ts("2025-07-24 10:00:00"));
    assert_eq!(allocated.reason.as_deref(), Some("AUT"));
    assert_eq!(
        allocated.email.as_deref(),
        Some("john.smith@justice.gov.uk")
    );
    assert_eq!(allocated.end_date, Some(future_pom_start(&app).await));
    assert_eq!(
        contact_codes(&contacts(&app, DEFAULT_PERSON).await),
        ["EPOMAT"]
    );
}

#[tokio::test]
async fn scenario_21_identifier_updated_allocates_james_brown() {
    let app = TestApp::start().await;
    mock_mpc(
        &app,
        "/api/allocation/A1024BY/primary_pom",
        200,
        Some("pom-reallocated.json"),
    )
    .await;
    app.publish(&app.message("prison-identifier-updated.json"))
        .await;
    assert_eq!(
        app.outcome("PomAllocated").properties,
        props(&[
            ("prisonId", "SWI"),
            ("nomsId", "A1024BY"),
            ("allocationDate", "24/07/2025 10:00:00")
        ])
    );
    let rows = poms(&app, HANDOVER_PERSON).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].reason.as_deref(), Some("AUT"));
    assert_eq!(
        rows[0].staff_id,
        n03_staff_named(&app, "James", "Brown").await[0].0
    );
    assert_eq!(rows[0].email.as_deref(), Some("james.brown@justice.gov.uk"));
    assert_eq!((rows[0].end_date, rows[0].active_flag), (None, 1));
    assert_eq!(
        contact_codes(&contacts(&app, HANDOVER_PERSON).await),
        ["EPOMAT"]
    );
}

#[tokio::test]
async fn scenario_22_unknown_person_is_person_not_found() {
    let app = TestApp::start().await;
    mock_mpc(
        &app,
        "/api/allocation/A0000BY/primary_pom",
        200,
        Some("new-allocation.json"),
    )
    .await;
    let disposition = app
        .publish(&app.message("prison-identifier-added-not-found.json"))
        .await;
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(
        app.outcome("PersonNotFound").properties,
        props(&[("nomsId", "A0000BY")])
    );
    assert!(n03_staff_named(&app, "John", "Smith").await.is_empty());
}

#[tokio::test]
async fn scenario_23_no_allocation_is_not_ready_to_allocate() {
    let app = TestApp::start().await;
    // MPC's 404 for a case it does not manage has no "Not allocated" message.
    mock_mpc(&app, "/api/allocation/A1024BX/primary_pom", 404, None).await;
    app.publish(&app.message("prison-identifier-added-no-allocation.json"))
        .await;
    assert_eq!(
        app.outcome("NotReadyToAllocate").properties,
        props(&[
            ("nomsId", "A1024BX"),
            ("allocationDate", "24/07/2025 10:00:00")
        ])
    );
    assert!(poms(&app, 930003).await.is_empty());
}

#[tokio::test]
async fn scenario_24_unknown_event_type_fails_the_message() {
    let app = TestApp::start().await;
    let event = serde_json::json!({
        "eventType": "unknown.message",
        "occurredAt": "2025-07-24T10:00:00+01:00",
        "personReference": {"identifiers": [{"type": "NOMS", "value": "A0123BY"}]}
    });
    let disposition = app.publish(&envelope("unknown.message", &event)).await;
    assert_eq!(disposition, Disposition::DeadLettered);
    assert_eq!(app.mpc_requests().await, 0, "Manage POM Cases was called");
}

#[tokio::test]
async fn scenario_25_identifier_event_without_noms_is_ignored_without_a_fetch() {
    let app = TestApp::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&app.mpc)
        .await;
    let event = serde_json::json!({
        "eventType": "probation-case.prison-identifier.added",
        "version": 1,
        "occurredAt": "2025-07-24T10:00:00+01:00",
        "personReference": {"identifiers": []}
    });
    let disposition = app
        .publish(&envelope("probation-case.prison-identifier.added", &event))
        .await;
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(
        app.outcome("NOMS Number not found on probation-case.prison-identifier.added event")
            .properties,
        props(&[("nomsId", "Not Provided")])
    );
    assert!(
        poms(&app, DEFAULT_PERSON).await.len() == 1,
        "only the seeded POM"
    );
}

#[tokio::test]
async fn identifier_events_fetch_under_a_base_url_with_a_path() {
    let app = TestApp::start().await;
    let mut context = app.context.clone();
    context.mpc_base = format!("{}/moic", app.mpc.uri()).parse().expect("url");
    mock_mpc(
        &app,
        "/moic/api/allocation/A1024BY/primary_pom",
        200,
        Some("pom-reallocated.json"),
    )
    .await;
    let message = app.message("prison-identifier-updated.json");
    let event: messaging::HmppsDomainEvent = serde_json::from_str(&message.message).expect("event");
    let outcome = manage_pom_cases_and_delius::allocation::prison_identifier_changed(
        &context,
        "probation-case.prison-identifier.updated",
        &event,
    )
    .await
    .expect("outcome");
    assert_eq!(outcome.name(), "PomAllocated");
    assert_eq!(poms(&app, HANDOVER_PERSON).await.len(), 1);
}
