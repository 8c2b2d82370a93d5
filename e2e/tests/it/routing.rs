//! Every example message, published to `hmpps-domain-events` with `local-stack publish`, reaches
//! exactly the queues whose topology filter accepts its `eventType` attribute, intact.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use e2e::messages::{self, ExampleMessage};
use e2e::sqs::{self, Queue};
use e2e::stack;
use e2e::topology::Topology;
use serde_json::Value;

/// Example messages that their own service's filter does not accept, on purpose. If one of them
/// becomes routed (or a new example is not), the test says so.
const NOT_FOR_THEIR_OWN_QUEUE: &[(&str, &str)] = &[
    (
        "prison-case-notes-to-probation/resettlement-passport-casenote.json",
        "legacy v2 event `prison.case-note.published`: the current service ignores it \
         (spec prison-case-notes-to-probation §2.2 and §2.6), so its filter leaves it out",
    ),
    (
        "prison-custody-status-to-delius/prisoner-moved.json",
        "`EXTERNAL_MOVEMENT_RECORD-INSERTED` is a leftover of an old design (spec \
         prison-custody-status-to-delius §3); the filter admits only prisoner.released/received \
         and the prison-identifier events (platform §1)",
    ),
];

/// The simulator URL the placeholders are replaced with (nothing is fetched here).
const SIMULATOR_URL: &str = "http://e2e-simulator.invalid:9999";

/// How long SNS may take to fan the messages out (moto delivers while publishing).
const DELIVERY_LIMIT: Duration = Duration::from_secs(20);

#[tokio::test]
async fn every_example_message_reaches_exactly_the_queues_whose_filter_accepts_it() {
    let _names = stack::fixed_names().await;
    let started = Instant::now();
    let endpoint = sqs::endpoint();
    let topology = Topology::load();
    let examples = messages::all();

    // Provisioning is idempotent: the second run changes nothing.
    let first = stack::provision(&endpoint)
        .await
        .expect("local-stack provision");
    assert_provisioned(&topology, &first.stdout, None);
    let second = stack::provision(&endpoint)
        .await
        .expect("local-stack provision (again)");
    assert_provisioned(&topology, &second.stdout, Some("exists"));

    let provisioned = started.elapsed();
    let client = sqs::client(&endpoint).await;
    let mut queues = Vec::new();
    let mut dlqs = Vec::new();
    for service in &topology.services {
        queues.push(
            Queue::named(&client, &service.queue())
                .await
                .expect("queue"),
        );
        dlqs.push(Queue::named(&client, &service.dlq()).await.expect("dlq"));
    }
    for queue in queues.iter().chain(&dlqs) {
        queue.purge().await.expect("purge");
    }
    for queue in queues.iter().chain(&dlqs) {
        e2e::wait::until(
            &format!("{} empty after purging", queue.name),
            Duration::from_secs(10),
            || async {
                let depth = queue.depth().await?;
                Ok(if depth == (0, 0) {
                    Ok(())
                } else {
                    Err(format!("(visible, in flight) = {depth:?}"))
                })
            },
        )
        .await
        .expect("purged queues");
    }

    let purged = started.elapsed();
    let paths: Vec<_> = examples.iter().map(|e| e.path.as_path()).collect();
    let published = stack::publish(&endpoint, SIMULATOR_URL, &paths)
        .await
        .expect("local-stack publish");
    let publish_done = started.elapsed();

    // message id -> example
    let mut by_id: BTreeMap<String, (&ExampleMessage, &stack::Published)> = BTreeMap::new();
    for (example, published) in examples.iter().zip(&published) {
        assert_eq!(
            published.file,
            example.path.display().to_string(),
            "publish output out of order"
        );
        assert_eq!(
            published.event_type,
            example.event_type,
            "{}: published with another eventType",
            example.id()
        );
        by_id.insert(published.message_id.clone(), (example, published));
    }
    let expected_deliveries: usize = examples
        .iter()
        .map(|e| topology.queues_accepting(&e.event_type).len())
        .sum();

    // Drain every queue until all expected deliveries are in, then sweep once more for extras.
    let mut received: Vec<(String, String)> = Vec::new(); // (queue, body)
    let deadline = Instant::now() + DELIVERY_LIMIT;
    while received.len() < expected_deliveries && Instant::now() < deadline {
        let before = received.len();
        received.extend(take_from_all(&queues, 0).await);
        if received.len() == before {
            tokio::time::sleep(e2e::wait::INTERVAL).await;
        }
    }
    received.extend(take_from_all(&queues, 1).await);

    let mut problems = Vec::new();
    // (example id) -> queues it arrived on
    let mut arrived: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (queue, body) in &received {
        let envelope: Value = match serde_json::from_str(body) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("{queue}: a body that is not JSON ({e}): {body}"));
                continue;
            }
        };
        let message_id = envelope["MessageId"].as_str().unwrap_or_default();
        let Some((example, _)) = by_id.get(message_id) else {
            problems.push(format!(
                "{queue}: a message this test did not publish (is `make run` using the test emulator?): {body}"
            ));
            continue;
        };
        arrived.entry(example.id()).or_default().push(queue.clone());
        if let Some(problem) = check_envelope(example, &envelope) {
            problems.push(format!("{} on {queue}: {problem}", example.id()));
        }
    }

    let not_for_own: BTreeMap<&str, &str> = NOT_FOR_THEIR_OWN_QUEUE.iter().copied().collect();
    let mut fan_out = Vec::new();
    for (_, (example, published)) in by_id.iter() {
        let id = example.id();
        let mut expected = topology.queues_accepting(&example.event_type);
        expected.sort();
        let mut actual = arrived.get(&id).cloned().unwrap_or_default();
        actual.sort();
        let mut predicted = published.predicted_queues.clone();
        predicted.sort();
        if actual != expected {
            problems.push(format!(
                "{id} (eventType {}): arrived on {actual:?}, the filters accept it on {expected:?}",
                example.event_type
            ));
        }
        if predicted != expected {
            problems.push(format!(
                "{id}: `local-stack publish` said {predicted:?}, the filters accept it on {expected:?}"
            ));
        }
        let Some(own) = topology.service(&example.service).map(|s| s.queue()) else {
            problems.push(format!(
                "{id}: no service {} in the topology",
                example.service
            ));
            continue;
        };
        match (expected.contains(&own), not_for_own.get(id.as_str())) {
            (false, None) => problems.push(format!(
                "{id}: its own service's filter does not accept eventType {} (a topology bug, or \
                 add it to NOT_FOR_THEIR_OWN_QUEUE with the spec's reason)",
                example.event_type
            )),
            (true, Some(_)) => problems.push(format!(
                "{id} is listed in NOT_FOR_THEIR_OWN_QUEUE but {own} now accepts it: remove it from the list"
            )),
            _ => {}
        }
        if expected.len() > 1 {
            fan_out.push(format!(
                "  {id} ({}) -> {}",
                example.event_type,
                expected.join(", ")
            ));
        }
    }
    for listed in not_for_own.keys() {
        if !examples.iter().any(|e| e.id() == *listed) {
            problems.push(format!(
                "NOT_FOR_THEIR_OWN_QUEUE lists {listed}, which does not exist"
            ));
        }
    }
    for dlq in &dlqs {
        match dlq.depth().await {
            Ok((0, 0)) => {}
            Ok(depth) => problems.push(format!("{} holds messages: {depth:?}", dlq.name)),
            Err(e) => problems.push(format!("{}: {e:#}", dlq.name)),
        }
    }

    eprintln!(
        "routing: {} example messages, {} deliveries expected, {} received; provisioned after {:.1?}, purged after {:.1?}, published after {:.1?}, done in {:.1?}",
        examples.len(),
        expected_deliveries,
        received.len(),
        provisioned,
        purged,
        publish_done,
        started.elapsed()
    );
    eprintln!(
        "routing: messages that more than one service receives:\n{}",
        fan_out.join("\n")
    );
    assert!(
        problems.is_empty(),
        "{} routing problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert_eq!(received.len(), expected_deliveries);
}

/// Receives (and deletes) a batch from every queue at once: `(queue name, body)`.
async fn take_from_all(queues: &[Queue], wait_seconds: i32) -> Vec<(String, String)> {
    let batches = futures::future::join_all(queues.iter().map(|q| q.take(wait_seconds))).await;
    let mut out = Vec::new();
    for (queue, batch) in queues.iter().zip(batches) {
        for message in batch.unwrap_or_else(|e| panic!("receiving from {}: {e:#}", queue.name)) {
            out.push((queue.name.clone(), message.body.unwrap_or_default()));
        }
    }
    out
}

/// The SNS envelope a consumer gets (raw delivery off) carries the example's attribute and body.
fn check_envelope(example: &ExampleMessage, envelope: &Value) -> Option<String> {
    if envelope["Type"] != "Notification" {
        return Some(format!("not an SNS Notification envelope: {envelope}"));
    }
    let attribute = envelope
        .pointer("/MessageAttributes/eventType/Value")
        .and_then(Value::as_str);
    if attribute != Some(example.event_type.as_str()) {
        return Some(format!(
            "eventType attribute {attribute:?}, expected {:?}",
            example.event_type
        ));
    }
    let Some(message) = envelope["Message"].as_str() else {
        return Some("`Message` is not a string".to_owned());
    };
    if message.contains("wiremock.port") {
        return Some(format!("a port placeholder was not replaced: {message}"));
    }
    let body: Value = match serde_json::from_str(message) {
        Ok(v) => v,
        Err(e) => return Some(format!("`Message` is not JSON ({e}): {message}")),
    };
    let expected: Value = serde_json::from_str(&messages::substitute(
        &example.body.to_string(),
        SIMULATOR_URL,
    ))
    .expect("the substituted example is JSON");
    if body != expected {
        return Some(format!(
            "the domain event changed on the way:\n  sent     {expected}\n  received {body}"
        ));
    }
    if let Some(url) = body.get("detailUrl").and_then(Value::as_str) {
        if !url.starts_with(SIMULATOR_URL) {
            return Some(format!("detailUrl {url} does not point at the simulator"));
        }
    }
    None
}

/// Every service has a row; with `only`, every resource of every row says that (e.g. `exists`).
fn assert_provisioned(topology: &Topology, stdout: &str, only: Option<&str>) {
    assert!(
        stdout.contains(&format!("topic {}", topology.topic)),
        "no topic line:\n{stdout}"
    );
    for service in &topology.services {
        let row: Vec<&str> = stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(service.name.as_str()))
            .unwrap_or_else(|| panic!("no row for {} in:\n{stdout}", service.name))
            .split_whitespace()
            .collect();
        // service, queue, (change), dlq, (change), visibility, subscription change, filter...
        assert_eq!(row[1], service.queue(), "{stdout}");
        assert_eq!(row[3], service.dlq(), "{stdout}");
        if let Some(change) = only {
            let marker = format!("({change})");
            assert_eq!(
                (row[2], row[4], row[6]),
                (marker.as_str(), marker.as_str(), change),
                "provisioning again should change nothing for {}:\n{stdout}",
                service.name
            );
        }
    }
}
