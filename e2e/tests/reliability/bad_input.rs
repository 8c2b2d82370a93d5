//! Bad input to every service (issue 11): malformed JSON, an unknown event type, an event with
//! its fields missing, an oversized body and a body that is not an SNS envelope at all. Each must
//! end on the dead-letter queue or be ignored (deleted), never crash or stall the consumer, and
//! nothing may be written to Delius but failure audit rows. The service must still stop cleanly.

use std::collections::BTreeMap;
use std::time::Duration;

use e2e::db;
use e2e::service_stack::ServiceStack;
use e2e::sqs::{self, Queue};
use e2e::topology::{EventTypeFilter, Topology};
use serde_json::json;
use tokio::time::Instant;

use crate::faults::envelope;
use crate::report::{print_and_check, CaseResult};

const VISIBILITY_SECONDS: u32 = 1;
const LIMIT: Duration = Duration::from_secs(60);
/// Written on failure by design (the audit trail of the failed attempts).
const AUDIT_TABLE: &str = "audited_interaction";

/// The bad messages' `MessageId` number.
const BAD: i64 = 0xbad0;

/// A body just under SQS's 256 KiB limit.
const OVERSIZED: usize = 200 * 1024;

/// The bad messages, named, for a service that consumes `event_type`, with the dead letters
/// each must give where the answer is the same for every service (`None`: dead-lettered or
/// ignored, as that service's spec says).
fn bad_messages(event_type: &str) -> Vec<(&'static str, String, Option<u64>)> {
    let missing_fields = json!({"eventType": event_type, "version": 1}).to_string();
    let oversized = json!({"eventType": event_type, "version": 1,
                           "description": "x".repeat(OVERSIZED)})
    .to_string();
    vec![
        (
            "malformed JSON",
            envelope(BAD, event_type, "{\"eventType\": \"unterminated", &[]),
            Some(1),
        ),
        (
            "unknown eventType",
            envelope(
                BAD,
                "unknown.event.type",
                &json!({"eventType": "unknown.event.type", "version": 1}).to_string(),
                &[],
            ),
            None,
        ),
        (
            "missing fields",
            envelope(BAD, event_type, &missing_fields, &[]),
            None,
        ),
        (
            "oversized body",
            envelope(BAD, event_type, &oversized, &[]),
            None,
        ),
        ("not an SNS envelope", "plain text".to_owned(), Some(1)),
    ]
}

async fn row_counts(stack: &ServiceStack) -> BTreeMap<String, i64> {
    let mut conn = stack.database.connect().await.expect("connect");
    let mut counts = db::row_counts(&mut conn).await.expect("row counts");
    counts.remove(AUDIT_TABLE);
    counts
}

/// Rows added anywhere but the audit trail.
fn rows_written(before: &BTreeMap<String, i64>, after: &BTreeMap<String, i64>) -> i64 {
    after
        .iter()
        .map(|(table, n)| n - before.get(table).copied().unwrap_or(0))
        .sum()
}

async fn one_at_a_time(
    stack: &ServiceStack,
    (queue, dlq): (&Queue, &Queue),
    (case, body, dead_letters): (&str, &str, Option<u64>),
) -> CaseResult {
    let before = row_counts(stack).await;
    let started = Instant::now();
    let mut problems = Vec::new();
    if let Err(e) = queue.send(body).await {
        problems.push(format!("send: {e:#}"));
    }
    // Done when the message has left the queue (deleted, or moved to the DLQ) and the DLQ holds
    // what it should, each by two reads that agree: moto's counts can be caught mid-move.
    let deadline = Instant::now() + LIMIT;
    let (mut left_queue, mut dlq_found) = (false, None);
    while Instant::now() < deadline {
        left_queue = matches!(queue.steady_total().await, Ok(0));
        dlq_found = dlq.steady_total().await.ok();
        let dlq_as_expected = match (dead_letters, dlq_found) {
            (Some(expected), Some(found)) => found == expected,
            (None, found) => found.is_some(),
            (Some(_), None) => false,
        };
        if left_queue && dlq_as_expected {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let seconds = started.elapsed().as_secs_f64();
    if !left_queue {
        let depth = queue.depth().await;
        problems.push(format!(
            "still on the queue after {LIMIT:?} ({depth:?}); log tail:\n{}",
            stack.service.log_tail()
        ));
    }
    let dlq_found = dlq_found.unwrap_or(u64::MAX);
    let _ = dlq.purge().await;
    if dlq_found > 1 {
        problems.push("more than one dead letter for one message".to_owned());
    }
    CaseResult {
        case: format!("{}: {case}", stack.service.name),
        sent: 1,
        rows_expected: 0,
        rows_found: rows_written(&before, &row_counts(stack).await),
        // Where either is right, the table shows which happened.
        dlq_expected: dead_letters.unwrap_or(dlq_found.min(1)),
        dlq_found,
        seconds,
        problems,
    }
}

#[tokio::test]
async fn bad_input_to_every_service_is_dead_lettered_or_ignored_and_writes_nothing() {
    let topology = Topology::load();
    let mut results = Vec::new();
    for service in &topology.services {
        if !e2e::workspace_root()
            .join(format!("projects/{}/Cargo.toml", service.name))
            .exists()
        {
            continue;
        }
        let event_type = service
            .event_types
            .iter()
            .find_map(|filter| match filter {
                EventTypeFilter::Exact(name) => Some(name.clone()),
                _ => None,
            })
            .expect("an exact event type");
        let mut stack =
            ServiceStack::start_with_visibility(&service.name, Some(VISIBILITY_SECONDS))
                .await
                .expect("stack");
        let client = sqs::client(&stack.endpoint).await;
        let queue = Queue::named(&client, &service.queue())
            .await
            .expect("queue");
        let dlq = Queue::named(&client, &service.dlq()).await.expect("dlq");
        dlq.purge().await.expect("purge");
        for (case, body, dead_letters) in bad_messages(&event_type) {
            results.push(one_at_a_time(&stack, (&queue, &dlq), (case, &body, dead_letters)).await);
        }
        let mut problems = Vec::new();
        match stack.service.stop() {
            Some(status) if status.success() => {}
            other => problems.push(format!("exit status after SIGTERM: {other:?}")),
        }
        results.push(CaseResult {
            case: format!("{}: SIGTERM after bad input", service.name),
            sent: 0,
            rows_expected: 0,
            rows_found: 0,
            dlq_expected: 0,
            dlq_found: 0,
            seconds: 0.0,
            problems,
        });
        let _ = queue.set_visibility_timeout(30).await;
    }
    print_and_check("bad input, every service", &results);
}
