//! Every example message and detail (spec 2.6) parsed, and each processed end to end twice
//! against the seed: the second delivery leaves the same Delius state as the first.

use messaging::queue::memory::Disposition;
use messaging::HmppsDomainEvent;
use workforce_allocations_to_delius::detail::{AllocationDetail, Kind};

use crate::harness::{fixture, simulation, TestApp};

/// (message, detail path, detail body, the outcome it ends in)
const EXAMPLES: [(&str, &str, &str, &str); 16] = [
    (
        "new-person-allocation-message.json",
        "/allocation/person/allocate-new-person-manager",
        "new-person-allocation-body.json",
        "PersonAllocation",
    ),
    (
        "historic-person-allocation-message.json",
        "/allocation/person/allocate-historic-person-manager",
        "historic-person-allocation-body.json",
        "PersonAllocation",
    ),
    (
        "new-person-reallocation-message.json",
        "/allocation/person/reallocate-new-person-manager",
        "reallocation-person-allocation-body.json",
        "PersonAllocation",
    ),
    (
        "person-allocation-message.json",
        "/allocation/person/4880d097-ea80-4492-bdb7-86228cdf29ef",
        "get-person-allocation-body.json",
        "PersonAllocation",
    ),
    (
        "new-event-allocation-message.json",
        "/allocation/event/allocate-new-order-manager",
        "new-event-allocation-body.json",
        "EventAllocation",
    ),
    (
        "historic-event-allocation-message.json",
        "/allocation/event/allocate-historic-order-manager",
        "historic-event-allocation-body.json",
        "EventAllocation",
    ),
    (
        "new-event-reallocation-message.json",
        "/allocation/event/reallocate-new-order-manager",
        "reallocation-event-allocation-body.json",
        "EventAllocation",
    ),
    (
        "new-event-reallocation-message-spo-oversight.json",
        "/allocation/event/reallocate-new-order-manager-spo-oversight",
        "reallocation-event-allocation-body-spo-oversight.json",
        "EventAllocation",
    ),
    (
        "event-allocation-message.json",
        "/allocation/event/5716275b-127e-4115-971f-0c131bcbf065",
        "get-event-allocation-body.json",
        "EventAllocation",
    ),
    (
        "new-requirement-allocation-message.json",
        "/allocation/requirements/allocate-new-requirement-manager",
        "new-requirement-allocation-body.json",
        "RequirementAllocation",
    ),
    (
        "historic-requirement-allocation-message.json",
        "/allocation/requirements/allocate-historic-requirement-manager",
        "historic-requirement-allocation-body.json",
        "RequirementAllocation",
    ),
    (
        "new-requirement-reallocation-message.json",
        "/allocation/requirements/reallocate-new-requirement-manager",
        "reallocation-requirement-allocation-body.json",
        "RequirementAllocation",
    ),
    // Requirement 33 of E499787 does not exist in the seed.
    (
        "requirement-allocation-message.json",
        "/allocation/requirements/6aafe304-861f-4479-8380-fec5f90f6d17",
        "get-requirement-allocation-body.json",
        "MessageFailed",
    ),
    (
        "new-licence-condition-allocation-message.json",
        "/allocation/licence-conditions/allocate-new-licence-condition-manager",
        "new-licence-condition-allocation-body.json",
        "LicenceConditionAllocation",
    ),
    (
        "historic-licence-condition-allocation-message.json",
        "/allocation/licence-conditions/allocate-historic-licence-condition-manager",
        "historic-licence-condition-allocation-body.json",
        "LicenceConditionAllocation",
    ),
    (
        "new-licence-condition-reallocation-message.json",
        "/allocation/licence-conditions/reallocate-new-licence-condition-manager",
        "reallocation-licence-condition-allocation-body.json",
        "LicenceConditionAllocation",
    ),
];

#[test]
fn every_example_message_parses_as_a_domain_event_with_a_detail_url() {
    let dir = fixture("messages");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("messages") {
        let path = entry.expect("entry").path();
        let notification = test_support::fixtures::notification_from_file(&path, "http://workload")
            .expect("parse");
        let event: HmppsDomainEvent = notification.payload().expect("domain event");
        assert!(
            event
                .detail_url
                .as_deref()
                .is_some_and(|u| u.starts_with("http://workload/allocation/")),
            "{path:?}"
        );
        assert!(event.crn().is_some(), "{path:?}");
        seen += 1;
    }
    assert_eq!(seen, EXAMPLES.len());
}

#[test]
fn every_example_detail_parses_as_the_kind_its_shape_names() {
    let dir = fixture("simulations");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("simulations") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if name.contains("auth-token") {
            continue;
        }
        let detail = AllocationDetail::from_json(simulation(&name)).expect(&name);
        let expected = if name.contains("person") {
            Kind::Person
        } else if name.contains("requirement") {
            Kind::Requirement
        } else if name.contains("licence-condition") {
            Kind::LicenceCondition
        } else {
            Kind::Event
        };
        assert_eq!(detail.kind(), expected, "{name}");
        seen += 1;
    }
    assert_eq!(seen, 17);
}

#[test]
fn rule_1_the_event_example_is_an_event_allocation_whatever_its_attribute_says() {
    let notification = test_support::fixtures::notification_from_file(
        fixture("messages/event-allocation-message.json"),
        "http://workload",
    )
    .expect("parse");
    assert_eq!(
        notification.event_type(),
        Some("person.community.manager.allocated")
    );
    let detail =
        AllocationDetail::from_json(simulation("get-event-allocation-body.json")).expect("detail");
    assert_eq!(detail.kind(), Kind::Event);
}

#[tokio::test]
async fn every_example_processed_twice_leaves_the_state_of_once() {
    for (message, at, body, expected) in EXAMPLES {
        let app = TestApp::start().await;
        let first = app.allocate(message, at, &simulation(body)).await;
        let expected_disposition = if expected == "MessageFailed" {
            Disposition::DeadLettered
        } else {
            Disposition::Deleted
        };
        assert_eq!(first, expected_disposition, "{message}: {}", app.failure());
        assert!(
            !app.telemetry.named(expected).is_empty(),
            "{message}: {:?}",
            app.telemetry.events()
        );
        let once = app.allocation_state().await;
        let second = app.publish(&app.message(message)).await;
        assert_eq!(
            second,
            expected_disposition,
            "{message} again: {}",
            app.failure()
        );
        assert_eq!(
            app.allocation_state().await,
            once,
            "{message} replayed changed Delius"
        );
    }
}
