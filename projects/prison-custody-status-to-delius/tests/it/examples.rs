//! Every example message in upstream-examples/prison-custody-status-to-delius/messages (copied into
//! tests/fixtures/messages) is parsed; the ones that apply are processed.

use messaging::queue::memory::Disposition;
use messaging::HmppsDomainEvent;

use crate::helpers::*;

const FILES: [&str; 22] = [
    "prisoner-absconded.json",
    "prisoner-died.json",
    "prisoner-matched-with-pom.json",
    "prisoner-matched.json",
    "prisoner-moved.json",
    "prisoner-received-ecslirc-custody.json",
    "prisoner-received-etr-custody.json",
    "prisoner-received-hospital-custody.json",
    "prisoner-received-hospital-released.json",
    "prisoner-received-irc-custody.json",
    "prisoner-received-irc-released.json",
    "prisoner-received-new-custody.json",
    "prisoner-received-recalled.json",
    "prisoner-received-rotl.json",
    "prisoner-received.json",
    "prisoner-released-admin-merge.json",
    "prisoner-released-ecsl-active.json",
    "prisoner-released-ecsl-inactive.json",
    "prisoner-released-hdc.json",
    "prisoner-released-historic.json",
    "prisoner-released-hospital-historic.json",
    "prisoner-released.json",
];

#[test]
fn every_example_message_is_parsed() {
    let on_disk = std::fs::read_dir(fixture("messages")).expect("dir").count();
    assert_eq!(on_disk, FILES.len());
    for file in FILES {
        let n = example(file);
        assert!(n.event_type().is_some(), "{file}");
        if file != "prisoner-moved.json" {
            let e: HmppsDomainEvent = n.payload().unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(e.occurred_at.is_some(), "{file}");
        }
    }
}

/// (file, starting status, released before) of the examples that apply to a seeded person.
const APPLICABLE: [(&str, &str, bool, &str); 15] = [
    ("prisoner-absconded.json", "B", true, "Recalled"),
    (
        "prisoner-received-ecslirc-custody.json",
        "D",
        false,
        "LocationUpdated",
    ),
    (
        "prisoner-received-etr-custody.json",
        "D",
        false,
        "LocationUpdated",
    ),
    (
        "prisoner-received-hospital-custody.json",
        "D",
        false,
        "LocationUpdated",
    ),
    (
        "prisoner-received-hospital-released.json",
        "B",
        true,
        "Recalled",
    ),
    (
        "prisoner-received-irc-custody.json",
        "D",
        false,
        "LocationUpdated",
    ),
    ("prisoner-received-irc-released.json", "B", true, "Recalled"),
    (
        "prisoner-received-new-custody.json",
        "A",
        false,
        "StatusUpdated",
    ),
    ("prisoner-received-recalled.json", "B", true, "Recalled"),
    ("prisoner-received-rotl.json", "R", true, "Recalled"),
    (
        "prisoner-released-admin-merge.json",
        "D",
        false,
        "NoActions",
    ),
    ("prisoner-released-ecsl-active.json", "D", false, "Released"),
    ("prisoner-released-hdc.json", "D", false, "Released"),
    (
        "prisoner-released-historic.json",
        "D",
        false,
        "InvalidReleaseDate",
    ),
    ("prisoner-released.json", "D", false, "Released"),
];

#[tokio::test]
async fn example_messages_that_apply_are_processed() {
    let app = TestApp::start().await;
    let mut seeded = std::collections::HashSet::new();
    for (file, status, released, expected) in APPLICABLE {
        let n = example(file);
        let e: HmppsDomainEvent = n.payload().expect("event");
        let noms: &'static str =
            Box::leak(e.noms_number().expect("noms").to_owned().into_boxed_str());
        let mut spec = CaseSpec::new(noms, status);
        if released {
            spec = spec.released("2021-06-01");
            spec.institution_id = Some(101);
        } else if status == "A" {
            spec.institution_id = Some(MDI);
        }
        spec.disposal_date = day("2020-01-01");
        // The historic and current release examples share A0001AA.
        if seeded.insert(noms) {
            app.case(spec).await;
        }
        app.telemetry.clear();
        assert_eq!(app.publish(&n).await, Disposition::Deleted, "{file}");
        assert!(
            app.outcomes().contains(&expected.to_owned()),
            "{file}: {:?}",
            app.outcomes()
        );
    }
}

#[tokio::test]
async fn example_messages_without_a_noms_identifier_or_of_old_types_are_retried() {
    let app = TestApp::start().await;
    for file in [
        "prisoner-died.json",
        "prisoner-received.json",
        "prisoner-moved.json",
    ] {
        assert_eq!(
            app.publish(&example(file)).await,
            Disposition::DeadLettered,
            "{file}"
        );
    }
}

#[tokio::test]
async fn prison_identifier_examples_without_a_booking_are_ignored() {
    let app = TestApp::start().await;
    for file in ["prisoner-matched.json", "prisoner-matched-with-pom.json"] {
        app.telemetry.clear();
        assert_eq!(
            app.publish(&example(file)).await,
            Disposition::Deleted,
            "{file}"
        );
        assert_eq!(app.outcomes(), vec!["BookingNotFound".to_owned()]);
    }
}
