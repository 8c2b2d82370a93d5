//! The same contract against a real SQS/SNS API: filter policies, redrive to the DLQ, deletes,
//! attributes, shutdown. Every scenario takes the API's endpoint and runs on two backends (see
//! `scenarios!` at the end): moto, which `make infra` starts (`moto::<scenario>`), and LocalStack in
//! Docker through testcontainers (`localstack::every_scenario`), which is skipped, with the reason
//! printed, where no Docker engine answers.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use messaging::{
    Consumer, ConsumerConfig, Notification, NotificationHandler, Outcome, Publisher, Queue,
    SnsPublisher, Telemetry, TransientClassifier,
};
use opentelemetry::trace::{TraceContextExt, TracerProvider as _};
use test_support::sqs::SqsTestStack;
use tokio_util::sync::CancellationToken;
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::layer::SubscriberExt;

use crate::handlers::ScriptedHandler;
use crate::recording::RecordingQueue;

/// The test settings with long polls of a second, as SQS allows whole seconds only.
fn fast_config() -> ConsumerConfig {
    ConsumerConfig {
        wait_time: Duration::from_secs(1),
        visibility_timeout: Duration::from_secs(2),
        ..test_support::messaging::fast_config()
    }
}

struct Running {
    telemetry: Telemetry,
    shutdown: CancellationToken,
    task: tokio::task::JoinHandle<()>,
}

async fn run(stack: &SqsTestStack, handler: Arc<dyn NotificationHandler>) -> Running {
    let queue: Arc<dyn Queue> = Arc::new(stack.queue().await.unwrap());
    let telemetry = Telemetry::recording();
    let shutdown = CancellationToken::new();
    let consumer = Consumer::new(
        queue,
        handler,
        fast_config(),
        telemetry.clone(),
        TransientClassifier::default(),
    );
    let task = tokio::spawn(consumer.run(shutdown.clone()));
    Running {
        telemetry,
        shutdown,
        task,
    }
}

impl Running {
    async fn stop(self) {
        self.shutdown.cancel();
        self.task.await.unwrap();
    }

    async fn wait_for_event(&self, name: &str, count: usize) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        while self.telemetry.named(name).len() < count {
            assert!(
                tokio::time::Instant::now() < deadline,
                "no {name} event within 20 s: {:?}",
                self.telemetry.events()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

async fn wait_until_empty(stack: &SqsTestStack) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let depth = stack.depth(&stack.queue_url).await.unwrap();
        if depth == (0, 0) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "queue still holds {depth:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn filter_policy_delivers_only_subscribed_event_types(endpoint: &str) {
    let stack = SqsTestStack::create_at(endpoint, &["a.subscribed"], Duration::from_secs(30))
        .await
        .unwrap();
    stack
        .publish("some.other.type", r#"{"eventType":"some.other.type"}"#, &[])
        .await
        .unwrap();
    stack
        .publish("a.subscribed", r#"{"eventType":"a.subscribed"}"#, &[])
        .await
        .unwrap();
    let queue = stack.queue().await.unwrap();
    let mut received = Vec::new();
    for _ in 0..3 {
        received.extend(queue.receive(10, Duration::from_secs(1)).await.unwrap());
    }
    let types: Vec<_> = received
        .iter()
        .map(|m| {
            Notification::parse(&m.body)
                .unwrap()
                .event_type()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(types, ["a.subscribed"]);
    stack.delete().await;
}

async fn failing_message_is_received_three_times_then_lands_in_the_dlq(endpoint: &str) {
    let stack = SqsTestStack::create_at(endpoint, &["a.b"], Duration::from_secs(2))
        .await
        .unwrap();
    let handler = ScriptedHandler::new();
    let running = run(&stack, handler.clone()).await;
    stack
        .publish("a.b", r#"{"eventType":"a.b","action":"permanent"}"#, &[])
        .await
        .unwrap();
    let dead = stack
        .wait_for_dead_letters(1, Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(
        Notification::parse(&dead[0]).unwrap().event_type(),
        Some("a.b")
    );
    assert_eq!(handler.calls(), 3);
    let failures = running.telemetry.named("MessageFailed");
    assert_eq!(
        failures
            .iter()
            .map(|f| f.properties["receiveCount"].clone())
            .collect::<Vec<_>>(),
        ["1", "2", "3"]
    );
    running.stop().await;
    stack.delete().await;
}

async fn ignored_message_is_deleted(endpoint: &str) {
    let stack = SqsTestStack::create_at(endpoint, &["a.b"], Duration::from_secs(2))
        .await
        .unwrap();
    let handler = ScriptedHandler::new();
    let running = run(&stack, handler.clone()).await;
    stack
        .publish("a.b", r#"{"eventType":"a.b","action":"ignore"}"#, &[])
        .await
        .unwrap();
    running.wait_for_event("NothingToDo", 1).await;
    wait_until_empty(&stack).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(handler.calls(), 1, "an ignored message must not come back");
    assert_eq!(stack.depth(&stack.dlq_url).await.unwrap(), (0, 0));
    running.stop().await;
    stack.delete().await;
}

async fn malformed_body_goes_to_the_dlq_while_the_next_good_message_is_processed(endpoint: &str) {
    let stack = SqsTestStack::create_at(endpoint, &["a.b"], Duration::from_secs(2))
        .await
        .unwrap();
    let handler = ScriptedHandler::new();
    let running = run(&stack, handler.clone()).await;
    stack.send_raw("{definitely not json").await.unwrap();
    stack
        .publish("a.b", r#"{"eventType":"a.b","action":"process"}"#, &[])
        .await
        .unwrap();
    running.wait_for_event("ThingDone", 1).await;
    let dead = stack
        .wait_for_dead_letters(1, Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(dead, ["{definitely not json"]);
    assert_eq!(handler.handled(), ["process"]);
    running.stop().await;
    stack.delete().await;
}

/// Keeps every notification it is given.
#[derive(Default)]
struct Recorder(Mutex<Vec<Notification>>);

#[async_trait]
impl NotificationHandler for Recorder {
    async fn handle(&self, n: &Notification) -> anyhow::Result<Outcome> {
        self.0.lock().unwrap().push(n.clone());
        Ok(Outcome::processed("Recorded"))
    }
}

async fn event_type_and_traceparent_round_trip_through_the_topic(endpoint: &str) {
    let stack = SqsTestStack::create_at(endpoint, &["a.traced"], Duration::from_secs(30))
        .await
        .unwrap();
    let recorder = Arc::new(Recorder::default());
    let running = run(&stack, recorder.clone()).await;

    // An exporting tracer, so the publisher has a real span context to propagate.
    let provider = opentelemetry_sdk::trace::TracerProvider::builder().build();
    let subscriber = tracing_subscriber::registry()
        .with(tracing_opentelemetry::layer().with_tracer(provider.tracer("test")));
    let _default = tracing::subscriber::set_default(subscriber);
    let span = tracing::info_span!("publishing");
    let trace_id = span.context().span().span_context().trace_id().to_string();
    let publisher = SnsPublisher::new(stack.sns.clone(), stack.topic_arn.clone());
    {
        let _entered = span.enter();
        publisher
            .publish_event(
                &messaging::HmppsDomainEvent::new("a.traced").with_identifier("CRN", "X000001"),
            )
            .await
            .unwrap();
    }
    running.wait_for_event("Recorded", 1).await;
    let received = recorder.0.lock().unwrap()[0].clone();
    assert_eq!(received.event_type(), Some("a.traced"));
    let traceparent = received
        .attribute("traceparent")
        .expect("traceparent attribute");
    assert!(
        traceparent.contains(&trace_id),
        "{traceparent} does not carry trace {trace_id}"
    );
    let event: messaging::HmppsDomainEvent = received.payload().unwrap();
    assert_eq!(event.crn(), Some("X000001"));
    assert_eq!(
        running.telemetry.named("NotificationReceived")[0].properties["CRN"],
        "X000001"
    );
    running.stop().await;
    stack.delete().await;
}

async fn graceful_shutdown_finishes_the_in_flight_message(endpoint: &str) {
    let stack = SqsTestStack::create_at(endpoint, &["a.b"], Duration::from_secs(30))
        .await
        .unwrap();
    let handler = ScriptedHandler::new();
    let running = run(&stack, handler.clone()).await;
    stack
        .publish("a.b", r#"{"eventType":"a.b","action":"sleep-300ms"}"#, &[])
        .await
        .unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while handler.calls() == 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "message never arrived"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    running.stop().await;
    assert_eq!(handler.handled(), ["sleep-300ms"]);
    // Deleted, not merely hidden: with a 30 s visibility timeout an undeleted message would
    // still count as in flight.
    assert_eq!(stack.depth(&stack.queue_url).await.unwrap(), (0, 0));
    stack.delete().await;
}

async fn receives_up_to_ten_and_deletes_in_batches_but_never_a_failed_message(endpoint: &str) {
    let stack = SqsTestStack::create_at(endpoint, &["a.b"], Duration::from_secs(30))
        .await
        .unwrap();
    for i in 0..21 {
        let action = if i == 7 { "permanent" } else { "process" };
        stack
            .send_raw(&crate::handlers::scripted("a.b", action).to_envelope())
            .await
            .unwrap();
    }
    let queue = RecordingQueue::new(Arc::new(stack.queue().await.unwrap()));
    let handler = ScriptedHandler::new();
    let shutdown = CancellationToken::new();
    let config = ConsumerConfig {
        concurrency: 10,
        visibility_timeout: Duration::from_secs(30),
        // Left invisible, as in production, so it is handled once here.
        failed_message_visibility: None,
        ..fast_config()
    };
    let consumer = Consumer::new(
        queue.clone(),
        handler.clone(),
        config,
        Telemetry::recording(),
        TransientClassifier::default(),
    );
    let task = tokio::spawn(consumer.run(shutdown.clone()));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let depth = stack.depth(&stack.queue_url).await.unwrap();
        if handler.calls() == 21 && depth == (0, 1) {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "not drained: {} calls, depth {depth:?}",
            handler.calls()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    shutdown.cancel();
    task.await.unwrap();

    let receives = queue.receives();
    assert!(receives.iter().all(|r| r.asked <= 10 && r.got <= r.asked));
    assert_eq!(
        receives[0].asked, 10,
        "all ten slots were free at the start"
    );
    assert!(
        receives.iter().any(|r| r.got > 1),
        "no receive brought more than one message: {receives:?}"
    );
    let batches = queue.batches();
    let deleted = queue.deleted_ids();
    assert_eq!(deleted.len(), 20, "each handled message deleted once");
    assert_eq!(batches.iter().sum::<usize>() + queue.single_deletes(), 20);
    assert!(
        batches.len() + queue.single_deletes() < 20,
        "deletes were not batched: {batches:?}, {} single",
        queue.single_deletes()
    );
    assert_eq!(handler.handled().len(), 20);
    assert_eq!(
        stack.depth(&stack.queue_url).await.unwrap(),
        (0, 1),
        "the failed message is still on the queue, not deleted"
    );
    stack.delete().await;
}

async fn stopping_mid_batch_deletes_every_message_handled_before_run_returns(endpoint: &str) {
    let stack = SqsTestStack::create_at(endpoint, &["a.b"], Duration::from_secs(30))
        .await
        .unwrap();
    for _ in 0..10 {
        stack
            .send_raw(&crate::handlers::scripted("a.b", "sleep-300ms").to_envelope())
            .await
            .unwrap();
    }
    let queue = RecordingQueue::new(Arc::new(stack.queue().await.unwrap()));
    let handler = ScriptedHandler::new();
    let shutdown = CancellationToken::new();
    let config = ConsumerConfig {
        concurrency: 10,
        visibility_timeout: Duration::from_secs(30),
        // Long, so only a full batch, the consumer going idle or stopping can send the deletes.
        delete_batch_window: Duration::from_secs(30),
        ..fast_config()
    };
    let consumer = Consumer::new(
        queue.clone(),
        handler.clone(),
        config,
        Telemetry::recording(),
        TransientClassifier::default(),
    );
    let task = tokio::spawn(consumer.run(shutdown.clone()));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while handler.calls() < 10 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "only {} messages arrived",
            handler.calls()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // Every message is still being handled when the stop is requested.
    assert!(queue.deleted_ids().is_empty());
    shutdown.cancel();
    task.await.unwrap();

    assert_eq!(handler.handled().len(), 10);
    assert_eq!(queue.deleted_ids().len(), 10);
    assert_eq!(
        stack.depth(&stack.queue_url).await.unwrap(),
        (0, 0),
        "deleted, not merely hidden (the visibility timeout is 30 s)"
    );
    stack.delete().await;
}

/// Declares each scenario once per backend, so moto and LocalStack always run the same list.
macro_rules! scenarios {
    ($($scenario:ident),* $(,)?) => {
        /// On moto, at `PI_TEST_SQS_ENDPOINT` (`make infra` starts it).
        mod moto {
            $(
                #[tokio::test]
                async fn $scenario() {
                    super::$scenario(&test_support::sqs::endpoint()).await;
                }
            )*
        }

        /// On LocalStack. One container runs every scenario in turn: a container per scenario
        /// would start nine LocalStacks at once.
        mod localstack {
            #[tokio::test]
            async fn every_scenario() {
                let Some(localstack) = crate::localstack::LocalStack::start_or_skip().await else {
                    return;
                };
                $(
                    localstack.announce(stringify!($scenario));
                    super::$scenario(localstack.endpoint()).await;
                )*
            }
        }
    };
}

scenarios!(
    filter_policy_delivers_only_subscribed_event_types,
    failing_message_is_received_three_times_then_lands_in_the_dlq,
    ignored_message_is_deleted,
    malformed_body_goes_to_the_dlq_while_the_next_good_message_is_processed,
    event_type_and_traceparent_round_trip_through_the_topic,
    graceful_shutdown_finishes_the_in_flight_message,
    receives_up_to_ten_and_deletes_in_batches_but_never_a_failed_message,
    stopping_mid_batch_deletes_every_message_handled_before_run_returns,
);
