//! The bulk handover re-sync (spec 3.4, rule 9): who is a candidate, the messages sent to the
//! service's own queue, and that the handler treats them as handover messages (3.1).

use std::time::Duration;

use manage_pom_cases_and_delius::bulk::{bulk_update_message, candidates, publish_bulk_update};
use manage_pom_cases_and_delius::handler::BULK_HANDOVER_UPDATE;
use messaging::queue::memory::Disposition;
use messaging::{HmppsDomainEvent, InMemoryQueue, Notification, Queue};
use serde_json::json;

use crate::handover::{date, key_dates, mount_simulation, CREATE_CUSTODY};
use crate::harness::TestApp;

#[tokio::test]
async fn spec_3_4_rule_9_candidates_have_one_custody_in_prison_with_a_prisoner_number() {
    let app = TestApp::start().await;
    let found = candidates(&mut *app.conn().await)
        .await
        .expect("candidates");
    for included in [
        "A0123BY", "A1024BY", "A2048BY", "A4096BY", "A4096CY", "A4096DY",
        // Two custodies, but only one not in status P: one row counts.
        "A5002HX",
    ] {
        assert!(
            found.iter().any(|n| n == included),
            "{included} in {found:?}"
        );
    }
    for excluded in [
        "A4096DX", // two custodial sentences
        "A1024BX", // no custody
        "A5000HP", // custodial status P
        "A5001HN", // no prisoner number
    ] {
        assert!(
            !found.iter().any(|n| n == excluded),
            "{excluded} in {found:?}"
        );
    }
    let mut sorted = found.clone();
    sorted.dedup();
    assert_eq!(sorted, found, "one entry per NOMS number");
}

async fn drain(queue: &InMemoryQueue) -> Vec<Notification> {
    let mut messages = Vec::new();
    loop {
        let batch = queue.receive(10, Duration::ZERO).await.expect("receive");
        if batch.is_empty() {
            return messages;
        }
        messages.extend(
            batch
                .iter()
                .map(|m| Notification::parse(&m.body).expect("SNS notification body")),
        );
    }
}

#[tokio::test]
async fn spec_3_4_one_bulk_update_message_per_candidate_on_the_own_queue() {
    let app = TestApp::start().await;
    let queue = InMemoryQueue::new("manage-pom-cases-and-delius-queue");
    let base = app.context.mpc_base.clone();
    let sent = publish_bulk_update(&mut *app.conn().await, &queue, &base, true)
        .await
        .expect("published");
    let expected = candidates(&mut *app.conn().await)
        .await
        .expect("candidates");
    assert_eq!(sent, expected.len());

    let messages = drain(&queue).await;
    let mut noms: Vec<String> = Vec::new();
    for message in &messages {
        assert_eq!(message.event_type(), Some(BULK_HANDOVER_UPDATE));
        let event: HmppsDomainEvent = message.payload().expect("domain event");
        let number = event.noms_number().expect("NOMS").to_owned();
        assert_eq!(event.event_type, BULK_HANDOVER_UPDATE);
        assert_eq!(event.version, 1);
        assert_eq!(
            event.detail_url.as_deref(),
            Some(format!("{}/api/handovers/{number}", app.mpc.uri()).as_str())
        );
        assert_eq!(
            serde_json::Value::Object(event.additional_information.clone()),
            json!({"dryRun": true})
        );
        assert_eq!(event.person_reference.identifiers.len(), 1);
        noms.push(number);
    }
    noms.sort();
    assert_eq!(noms, expected);
}

#[tokio::test]
async fn spec_3_4_bulk_update_message_round_trip_is_handled_as_a_handover() {
    let app = TestApp::start().await;
    mount_simulation(&app, "A4096BY", "create-handover-and-start-date.json").await;
    let base = app.context.mpc_base.clone();

    let dry_run = bulk_update_message(&base, "A4096BY", true).expect("message");
    assert_eq!(app.publish(&dry_run).await, Disposition::Deleted);
    assert_eq!(
        app.outcome("DryRunKeyDateCreated").properties["nomsId"],
        "A4096BY"
    );

    let real = bulk_update_message(&base, "A4096BY", false).expect("message");
    assert_eq!(app.publish(&real).await, Disposition::Deleted);
    // POM1 was already written by the dry run (the quirk), so it is updated; POM2 is created.
    assert_eq!(
        app.outcome("KeyDateCreated").properties["nomsId"],
        "A4096BY"
    );
    let rows = key_dates(&app, CREATE_CUSTODY).await;
    assert_eq!(
        rows.iter()
            .map(|r| (r.code.as_str(), r.date))
            .collect::<Vec<_>>(),
        [("POM1", date("2023-05-06")), ("POM2", date("2023-05-10"))]
    );
}
