//! The consumer's contract on the in-memory queue (same semantics as SQS: visibility, receive
//! count, redrive to the DLQ after 3 receives).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use messaging::queue::memory::Disposition;
use messaging::{
    ConsumerConfig, Notification, NotificationHandler, Outcome, Queue, TransientClassifier,
};
use test_support::TestConsumer;

use crate::handlers::{scripted, FlakyHandler, ScriptedHandler};

fn start(handler: Arc<dyn NotificationHandler>) -> TestConsumer {
    TestConsumer::start(handler, TransientClassifier::default())
}

#[tokio::test]
async fn processed_message_is_deleted_and_tracked() {
    let handler = ScriptedHandler::new();
    let consumer = start(handler.clone());
    let disposition = consumer
        .publish_and_wait(&scripted("a.b", "process"))
        .await
        .unwrap();
    assert_eq!(disposition, Disposition::Deleted);
    assert_eq!(handler.calls(), 1);
    let received = consumer.telemetry.named("NotificationReceived");
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].properties["eventType"], "a.b");
    let done = consumer.telemetry.named("ThingDone");
    assert_eq!(done[0].properties["action"], "process");
    assert!(consumer.telemetry.named("MessageFailed").is_empty());
    consumer.stop().await;
}

#[tokio::test]
async fn ignored_message_is_deleted_with_its_reason() {
    let handler = ScriptedHandler::new();
    let consumer = start(handler.clone());
    assert_eq!(
        consumer
            .publish_and_wait(&scripted("a.b", "ignore"))
            .await
            .unwrap(),
        Disposition::Deleted
    );
    assert_eq!(
        consumer.telemetry.named("NothingToDo")[0].properties["why"],
        "test"
    );
    assert_eq!(handler.calls(), 1, "ignored messages are not retried");
    consumer.stop().await;
}

#[tokio::test]
async fn ignored_error_raised_deep_in_a_handler_deletes_the_message() {
    let handler = ScriptedHandler::new();
    let consumer = start(handler.clone());
    assert_eq!(
        consumer
            .publish_and_wait(&scripted("a.b", "ignore-deep"))
            .await
            .unwrap(),
        Disposition::Deleted
    );
    let ignored = consumer.telemetry.named("PersonNotFound");
    assert_eq!(ignored.len(), 1);
    assert_eq!(ignored[0].properties["noms"], "A1");
    assert_eq!(handler.calls(), 1);
    consumer.stop().await;
}

#[tokio::test]
async fn transient_failure_is_retried_three_times_per_delivery_then_dead_lettered_after_three_deliveries(
) {
    let handler = ScriptedHandler::new();
    let consumer = start(handler.clone());
    let n = scripted("a.b", "transient");
    assert_eq!(
        consumer.publish_and_wait(&n).await.unwrap(),
        Disposition::DeadLettered
    );
    assert_eq!(handler.calls(), 9, "3 in-process attempts x 3 deliveries");
    let dead = consumer.queue.dead_letters();
    assert_eq!(dead.len(), 1);
    assert_eq!(Notification::parse(&dead[0]).unwrap().message, n.message);
    let failures = consumer.telemetry.named("MessageFailed");
    assert_eq!(failures.len(), 3);
    assert_eq!(failures[2].properties["receiveCount"], "3");
    assert!(failures[0].properties["error"].contains("lock conflict"));
    consumer.stop().await;
}

#[tokio::test]
async fn transient_failure_that_clears_is_processed_on_the_same_delivery() {
    let handler = Arc::new(FlakyHandler {
        failures: 2,
        calls: AtomicUsize::new(0),
    });
    let consumer = start(handler.clone());
    assert_eq!(
        consumer
            .publish_and_wait(&scripted("a.b", "x"))
            .await
            .unwrap(),
        Disposition::Deleted
    );
    assert_eq!(handler.calls.load(Ordering::SeqCst), 3);
    assert_eq!(consumer.telemetry.named("RecoveredAfterRetry").len(), 1);
    assert!(consumer.telemetry.named("MessageFailed").is_empty());
    consumer.stop().await;
}

#[tokio::test]
async fn permanent_failure_is_not_retried_in_process_but_redelivered_then_dead_lettered() {
    let handler = ScriptedHandler::new();
    let consumer = start(handler.clone());
    assert_eq!(
        consumer
            .publish_and_wait(&scripted("a.b", "permanent"))
            .await
            .unwrap(),
        Disposition::DeadLettered
    );
    assert_eq!(handler.calls(), 3, "one attempt per delivery");
    consumer.stop().await;
}

#[tokio::test]
async fn malformed_body_goes_to_the_dlq_while_the_next_good_message_is_processed() {
    let handler = ScriptedHandler::new();
    let consumer = start(handler.clone());
    let bad = consumer
        .queue
        .send("this is not an SNS notification")
        .await
        .unwrap();
    let good = consumer
        .publish_and_wait(&scripted("a.b", "process"))
        .await
        .unwrap();
    assert_eq!(good, Disposition::Deleted);
    let bad = consumer
        .queue
        .wait_for(&bad, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(bad, Disposition::DeadLettered);
    assert_eq!(
        consumer.queue.dead_letters(),
        ["this is not an SNS notification"]
    );
    assert_eq!(
        handler.handled(),
        ["process"],
        "the handler never saw the malformed body"
    );
    let failures = consumer.telemetry.named("MessageFailed");
    assert_eq!(failures[0].properties["eventType"], "malformed");
    consumer.stop().await;
}

#[tokio::test]
async fn payload_that_is_not_json_inside_a_valid_envelope_is_dead_lettered() {
    let handler = ScriptedHandler::new();
    let consumer = start(handler.clone());
    let id = consumer
        .queue
        .send(r#"{"Message":"{not json","MessageAttributes":{}}"#)
        .await
        .unwrap();
    assert_eq!(
        consumer
            .queue
            .wait_for(&id, Duration::from_secs(10))
            .await
            .unwrap(),
        Disposition::DeadLettered
    );
    assert_eq!(handler.calls(), 0);
    consumer.stop().await;
}

#[tokio::test]
async fn slow_handler_keeps_its_message_invisible_by_extending_visibility() {
    let handler = ScriptedHandler::new();
    let config = ConsumerConfig {
        visibility_timeout: Duration::from_secs(1),
        wait_time: Duration::from_millis(100),
        ..ConsumerConfig::default()
    };
    let consumer =
        TestConsumer::start_with(handler.clone(), TransientClassifier::default(), config);
    assert_eq!(
        consumer
            .publish_and_wait(&scripted("a.b", "slow"))
            .await
            .unwrap(),
        Disposition::Deleted
    );
    assert_eq!(
        handler.calls(),
        1,
        "a 2.5 s handler on a 1 s visibility timeout must not be redelivered"
    );
    consumer.stop().await;
}

/// Records how many messages were being handled at once.
#[derive(Default)]
struct ConcurrencyProbe {
    current: AtomicUsize,
    peak: AtomicUsize,
}

#[async_trait]
impl NotificationHandler for ConcurrencyProbe {
    async fn handle(&self, _: &Notification) -> anyhow::Result<Outcome> {
        let now = self.current.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(200)).await;
        self.current.fetch_sub(1, Ordering::SeqCst);
        Ok(Outcome::processed("Probed"))
    }
}

#[tokio::test]
async fn messages_are_handled_concurrently_up_to_the_configured_limit() {
    let probe = Arc::new(ConcurrencyProbe::default());
    let config = ConsumerConfig {
        concurrency: 4,
        wait_time: Duration::from_millis(50),
        ..ConsumerConfig::default()
    };
    let consumer = TestConsumer::start_with(probe.clone(), TransientClassifier::default(), config);
    let mut ids = Vec::new();
    for i in 0..12 {
        ids.push(
            consumer
                .queue
                .send(&scripted("a.b", &format!("p{i}")).to_envelope())
                .await
                .unwrap(),
        );
    }
    for id in ids {
        assert_eq!(
            consumer
                .queue
                .wait_for(&id, Duration::from_secs(10))
                .await
                .unwrap(),
            Disposition::Deleted
        );
    }
    let peak = probe.peak.load(Ordering::SeqCst);
    assert!(peak > 1, "messages were handled one at a time");
    assert!(peak <= 4, "more than the configured 4 at once: {peak}");
    consumer.stop().await;
}

#[tokio::test]
async fn shutdown_finishes_the_in_flight_message_and_receives_no_more() {
    let handler = ScriptedHandler::new();
    let consumer = start(handler.clone());
    let in_flight = consumer
        .queue
        .send(&scripted("a.b", "sleep-300ms").to_envelope())
        .await
        .unwrap();
    while handler.calls() == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let queue = consumer.queue.clone();
    consumer.stop().await;
    assert_eq!(
        queue
            .wait_for(&in_flight, Duration::from_millis(10))
            .await
            .unwrap(),
        Disposition::Deleted
    );
    queue
        .send(&scripted("a.b", "process").to_envelope())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        queue.pending(),
        1,
        "a stopped consumer must not take new messages"
    );
    assert_eq!(handler.calls(), 1);
}
