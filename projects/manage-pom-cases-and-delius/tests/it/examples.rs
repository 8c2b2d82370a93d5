//! Every upstream example message (tests/fixtures/messages) through the real consumer, with Manage
//! POM Cases answering as the local simulator does (the spec's section-5 mocks): each one ends in
//! its expected outcome, and the same message a second time leaves Delius exactly as the first.

use diesel::sql_types::Text;
use diesel::QueryableByName;
use diesel_async::RunQueryDsl;
use messaging::queue::memory::Disposition;
use messaging::HmppsDomainEvent;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::harness::{fixture, TestApp};

/// `path -> (status, simulation file)`: the section-5 mocks (and the simulator's mappings).
const MANAGE_POM_CASES: [(&str, u16, &str); 11] = [
    ("/api/handovers/A1024BY", 200, "create-handover-date.json"),
    (
        "/api/handovers/A2048BY",
        200,
        "update-handover-and-start-date.json",
    ),
    (
        "/api/handovers/A4096BY",
        200,
        "create-handover-and-start-date.json",
    ),
    ("/api/handovers/A4096CY", 200, "sentence-changed-dates.json"),
    (
        "/api/pom-allocation/A0123BY/0",
        404,
        "not-yet-allocation.json",
    ),
    ("/api/pom-allocation/A0123BY/1", 200, "new-allocation.json"),
    ("/api/pom-allocation/A0123BY/2", 200, "pom-reallocated.json"),
    ("/api/pom-allocation/A0123BY/3", 404, "deallocation.json"),
    (
        "/api/allocation/A0123BY/primary_pom",
        200,
        "new-allocation.json",
    ),
    (
        "/api/allocation/A1024BY/primary_pom",
        200,
        "pom-reallocated.json",
    ),
    (
        "/api/allocation/A1024BX/primary_pom",
        404,
        "not-yet-allocation.json",
    ),
];

/// Each example on a fresh seed, and what it ends in (the first time and the second).
const EXAMPLES: [(&str, Expect); 15] = [
    (
        "create-handover-date.json",
        Expect::Twice("KeyDateCreated", "KeyDateUpdated"),
    ),
    (
        "update-handover-and-start-date.json",
        Expect::Both("KeyDateUpdated"),
    ),
    (
        "create-handover-and-start-date.json",
        Expect::Twice("KeyDateCreated", "KeyDateUpdated"),
    ),
    // Manage POM Cases has no handover for A0003AA: a 404 on handover.changed fails (rule 8).
    ("handover-not-found.json", Expect::Fails),
    (
        "sentence-changed.json",
        Expect::Twice("KeyDateCreated", "KeyDateUpdated"),
    ),
    (
        "sentence-changed-not-found.json",
        Expect::Both("Handovers api returned not found for sentence changed event"),
    ),
    (
        "sentence-changed-multiple-custodial.json",
        Expect::Both("NoSingleCustodialSentenceForCrn"),
    ),
    (
        "not-yet-allocation.json",
        Expect::Both("NotReadyToAllocate"),
    ),
    (
        "new-allocation.json",
        Expect::Twice("PomAllocated", "NoPomChange"),
    ),
    (
        "pom-reallocated.json",
        Expect::Twice("PomAllocated", "NoPomChange"),
    ),
    // On the seed alone there is no POM to deallocate.
    ("deallocation.json", Expect::Both("NoPomChange")),
    (
        "prison-identifier-added.json",
        Expect::Twice("PomAllocated", "NoPomChange"),
    ),
    (
        "prison-identifier-updated.json",
        Expect::Twice("PomAllocated", "NoPomChange"),
    ),
    (
        "prison-identifier-added-not-found.json",
        Expect::Both("PersonNotFound"),
    ),
    (
        "prison-identifier-added-no-allocation.json",
        Expect::Both("NotReadyToAllocate"),
    ),
];

#[derive(Debug, Clone, Copy)]
enum Expect {
    /// This outcome both times.
    Both(&'static str),
    /// The first outcome, then the second (which writes nothing).
    Twice(&'static str, &'static str),
    /// Retried, then dead-lettered, writing nothing.
    Fails,
}

async fn mount_manage_pom_cases(app: &TestApp) {
    for (url, status, simulation) in MANAGE_POM_CASES {
        let body =
            std::fs::read(fixture(&format!("simulations/{simulation}"))).expect("simulation");
        Mock::given(method("GET"))
            .and(path(url))
            .respond_with(ResponseTemplate::new(status).set_body_raw(body, "application/json"))
            .mount(&app.mpc)
            .await;
    }
}

#[derive(QueryableByName)]
struct Snapshot {
    #[diesel(sql_type = Text)]
    rows: String,
}

/// Every row of the tables this service writes, as JSON text: equal snapshots, equal Delius state.
async fn delius_state(app: &TestApp) -> String {
    let mut conn = app.conn().await;
    let sql = [
        "key_date",
        "prison_offender_manager",
        "responsible_officer",
        "contact",
        "staff",
        "staff_team",
    ]
    .map(|table| {
        format!("(SELECT coalesce(json_agg(t ORDER BY t::text), '[]')::text FROM {table} t)")
    })
    .join(" || ");
    diesel::sql_query(format!("SELECT {sql} AS rows"))
        .get_result::<Snapshot>(&mut *conn)
        .await
        .expect("snapshot")
        .rows
}

fn outcomes_in_order(app: &TestApp) -> Vec<String> {
    app.outcomes().into_iter().map(|e| e.name).collect()
}

#[tokio::test]
async fn every_example_message_parses_as_the_event_its_attribute_names() {
    for (name, _) in EXAMPLES {
        let notification = test_support::fixtures::notification_from_file(
            fixture(&format!("messages/{name}")),
            "http://127.0.0.1:1",
        )
        .unwrap_or_else(|e| panic!("{name}: {e:#}"));
        let event_type = notification.event_type().expect("eventType attribute");
        let body: serde_json::Value = notification.payload().expect("JSON body");
        if event_type == "SENTENCE_CHANGED" {
            assert!(body["crn"].is_string(), "{name}: a legacy event with a crn");
        } else {
            let event: HmppsDomainEvent = notification.payload().expect("domain event");
            assert_eq!(event.event_type, event_type, "{name}");
            assert!(event.noms_number().is_some(), "{name}: a NOMS identifier");
            assert!(event.occurred_at.is_some(), "{name}: occurredAt");
        }
    }
}

#[tokio::test]
async fn every_example_message_ends_as_expected_and_twice_leaves_the_state_of_once() {
    for (name, expect) in EXAMPLES {
        let app = TestApp::start().await;
        mount_manage_pom_cases(&app).await;
        let message = app.message(name);
        let before = delius_state(&app).await;

        let first = app.publish(&message).await;
        let after_once = delius_state(&app).await;
        let second = app.publish(&message).await;
        let after_twice = delius_state(&app).await;

        let outcomes = outcomes_in_order(&app);
        match expect {
            Expect::Both(outcome) => {
                assert_eq!(
                    (first, second),
                    (Disposition::Deleted, Disposition::Deleted),
                    "{name}"
                );
                assert_eq!(outcomes, [outcome, outcome], "{name}");
            }
            Expect::Twice(once, again) => {
                assert_eq!(
                    (first, second),
                    (Disposition::Deleted, Disposition::Deleted),
                    "{name}"
                );
                assert_eq!(outcomes, [once, again], "{name}");
                assert_ne!(before, after_once, "{name}: the first message writes");
            }
            Expect::Fails => {
                assert_eq!(
                    (first, second),
                    (Disposition::DeadLettered, Disposition::DeadLettered),
                    "{name}"
                );
                assert_eq!(
                    before, after_once,
                    "{name}: a failed message writes nothing"
                );
            }
        }
        assert_eq!(
            after_once, after_twice,
            "{name}: the second time changed Delius"
        );
    }
}
