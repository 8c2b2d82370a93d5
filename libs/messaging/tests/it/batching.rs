//! Receive and delete batching on the in-memory queue: each receive asks for up to ten messages
//! but never more than there are free handler slots, handled messages are deleted in batches,
//! failed ones never are, and nothing handled is left undeleted when the consumer stops.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use messaging::queue::memory::Disposition;
use messaging::{
    Consumer, ConsumerConfig, InMemoryQueue, Notification, NotificationHandler, Outcome, Queue,
    Telemetry, TransientClassifier,
};
use tokio::sync::Semaphore;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::handlers::scripted;
use crate::recording::{Receive, RecordingQueue};

/// Holds every message until the test lets it through; `permanent` payloads then fail.
struct GateHandler {
    gate: Semaphore,
    started: AtomicUsize,
}

impl GateHandler {
    fn closed() -> Arc<Self> {
        Arc::new(Self {
            gate: Semaphore::new(0),
            started: AtomicUsize::new(0),
        })
    }

    fn let_through(&self, n: usize) {
        self.gate.add_permits(n);
    }

    async fn wait_started(&self, n: usize) {
        wait_until(|| self.started.load(Ordering::SeqCst) >= n, "handler calls").await;
    }
}

#[async_trait]
impl NotificationHandler for GateHandler {
    async fn handle(&self, notification: &Notification) -> anyhow::Result<Outcome> {
        self.started.fetch_add(1, Ordering::SeqCst);
        self.gate.acquire().await?.forget();
        let payload: serde_json::Value = notification.payload()?;
        if payload["action"] == "permanent" {
            anyhow::bail!("no such contact type");
        }
        Ok(Outcome::processed("ThingDone"))
    }
}

async fn wait_until(mut done: impl FnMut() -> bool, what: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

fn config(concurrency: usize) -> ConsumerConfig {
    ConsumerConfig {
        concurrency,
        wait_time: Duration::from_millis(50),
        visibility_timeout: Duration::from_secs(30),
        // Long, so a batch goes only because it is full, the consumer is idle or stopping.
        delete_batch_window: Duration::from_secs(30),
        ..test_support::messaging::fast_config()
    }
}

struct Running {
    shutdown: CancellationToken,
    task: JoinHandle<()>,
}

impl Running {
    fn start(
        queue: Arc<RecordingQueue>,
        handler: Arc<dyn NotificationHandler>,
        config: ConsumerConfig,
    ) -> Self {
        let shutdown = CancellationToken::new();
        let consumer = Consumer::new(
            queue,
            handler,
            config,
            Telemetry::recording(),
            TransientClassifier::default(),
        );
        let task = tokio::spawn(consumer.run(shutdown.clone()));
        Self { shutdown, task }
    }

    async fn stop(self) {
        self.shutdown.cancel();
        self.task.await.unwrap();
    }
}

async fn fill(queue: &InMemoryQueue, actions: &[&str]) -> Vec<String> {
    let mut ids = Vec::new();
    for action in actions {
        ids.push(
            queue
                .send(&scripted("a.b", action).to_envelope())
                .await
                .unwrap(),
        );
    }
    ids
}

async fn wait_deleted(queue: &InMemoryQueue, ids: &[String]) {
    for id in ids {
        assert_eq!(
            queue.wait_for(id, Duration::from_secs(10)).await.unwrap(),
            Disposition::Deleted
        );
    }
}

#[tokio::test]
async fn a_receive_asks_for_no_more_messages_than_there_are_free_slots() {
    let memory = InMemoryQueue::new("q");
    let ids = fill(&memory, &["process"; 10]).await;
    let queue = RecordingQueue::new(Arc::new(memory.clone()));
    let handler = GateHandler::closed();
    let running = Running::start(queue.clone(), handler.clone(), config(4));

    handler.wait_started(4).await;
    // All four slots are taken, so the consumer cannot have asked again.
    assert_eq!(queue.receives(), [Receive { asked: 4, got: 4 }]);

    handler.let_through(1);
    handler.wait_started(5).await;
    assert_eq!(
        queue.receives()[1],
        Receive { asked: 1, got: 1 },
        "one slot came free, so one message was asked for"
    );

    handler.let_through(100);
    wait_deleted(&memory, &ids).await;
    running.stop().await;
    let receives = queue.receives();
    assert!(
        receives.iter().all(|r| r.asked <= 4 && r.got <= r.asked),
        "{receives:?}"
    );
    assert_eq!(receives.iter().map(|r| r.got).sum::<usize>(), 10);
}

#[tokio::test]
async fn a_receive_asks_for_at_most_ten_messages_however_many_slots_are_free() {
    let memory = InMemoryQueue::new("q");
    let ids = fill(&memory, &["process"; 45]).await;
    let queue = RecordingQueue::new(Arc::new(memory.clone()));
    let handler = GateHandler::closed();
    let running = Running::start(queue.clone(), handler.clone(), config(25));

    handler.wait_started(25).await;
    assert_eq!(
        queue.receives(),
        [
            Receive { asked: 10, got: 10 },
            Receive { asked: 10, got: 10 },
            Receive { asked: 5, got: 5 }
        ]
    );
    handler.let_through(1000);
    wait_deleted(&memory, &ids).await;
    running.stop().await;
    assert!(queue.receives().iter().all(|r| r.asked <= 10));
}

#[tokio::test]
async fn handled_messages_are_deleted_ten_to_a_call() {
    let memory = InMemoryQueue::new("q");
    let ids = fill(&memory, &["process"; 20]).await;
    let queue = RecordingQueue::new(Arc::new(memory.clone()));
    let handler = GateHandler::closed();
    let running = Running::start(queue.clone(), handler.clone(), config(10));

    handler.wait_started(10).await;
    handler.let_through(10);
    handler.wait_started(20).await;
    handler.let_through(10);
    wait_deleted(&memory, &ids).await;
    running.stop().await;

    assert_eq!(queue.batches(), [10, 10]);
    assert_eq!(queue.single_deletes(), 0);
    let mut deleted = queue.deleted_ids();
    deleted.sort();
    let mut expected = ids.clone();
    expected.sort();
    assert_eq!(deleted, expected);
    assert_eq!(memory.pending(), 0);
}

#[tokio::test]
async fn a_failed_message_is_never_deleted() {
    let memory = InMemoryQueue::new("q");
    let ids = fill(
        &memory,
        &["process", "process", "permanent", "process", "process"],
    )
    .await;
    let queue = RecordingQueue::new(Arc::new(memory.clone()));
    let handler = GateHandler::closed();
    // The failed message stays invisible (as on SQS until the visibility timeout), so it is
    // handled once in this test.
    let config = ConsumerConfig {
        failed_message_visibility: None,
        ..config(10)
    };
    let running = Running::start(queue.clone(), handler.clone(), config);
    handler.wait_started(5).await;
    handler.let_through(5);
    let processed: Vec<String> = ids
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 2)
        .map(|(_, id)| id.clone())
        .collect();
    wait_deleted(&memory, &processed).await;
    running.stop().await;

    assert!(
        !queue.deleted_ids().contains(&ids[2]),
        "the failed message was deleted"
    );
    assert_eq!(queue.deleted_ids().len(), 4);
    assert_eq!(
        queue.batches(),
        [4],
        "the four handled together went together"
    );
    assert_eq!(
        memory.pending(),
        1,
        "the failed message is still on the queue"
    );
}

#[tokio::test]
async fn stopping_deletes_every_handled_message_before_run_returns() {
    let memory = InMemoryQueue::new("q");
    let ids = fill(&memory, &["process"; 4]).await;
    let queue = RecordingQueue::new(Arc::new(memory.clone()));
    let handler = GateHandler::closed();
    // The fourth message is still held when the grace period ends, so it is abandoned.
    let config = ConsumerConfig {
        shutdown_grace: Duration::from_millis(200),
        ..config(10)
    };
    let running = Running::start(queue.clone(), handler.clone(), config);
    handler.wait_started(4).await;
    handler.let_through(3);
    running.stop().await;

    // Which three got through the gate is up to the scheduler; each was deleted exactly once.
    let mut deleted = queue.deleted_ids();
    deleted.sort();
    deleted.dedup();
    assert_eq!(
        deleted.len(),
        3,
        "the three handled messages are deleted by the time run returns"
    );
    assert!(deleted.iter().all(|id| ids.contains(id)));
    assert_eq!(
        memory.pending(),
        1,
        "the abandoned message is left for redelivery"
    );
}

#[tokio::test]
async fn an_entry_a_batch_delete_rejects_is_deleted_on_its_own() {
    let memory = InMemoryQueue::new("q");
    let ids = fill(&memory, &["process"; 3]).await;
    let queue = RecordingQueue::new(Arc::new(memory.clone()));
    queue.fail_first_entry_of_next_batch();
    let handler = GateHandler::closed();
    let running = Running::start(queue.clone(), handler.clone(), config(10));
    handler.wait_started(3).await;
    handler.let_through(3);
    wait_deleted(&memory, &ids).await;
    running.stop().await;

    assert_eq!(queue.batches(), [3]);
    assert_eq!(
        queue.single_deletes(),
        1,
        "the rejected entry, retried alone"
    );
    assert_eq!(queue.deleted_ids().len(), 3);
}

#[tokio::test]
async fn with_a_delete_batch_size_of_one_each_message_is_deleted_on_its_own() {
    let memory = InMemoryQueue::new("q");
    let ids = fill(&memory, &["process"; 5]).await;
    let queue = RecordingQueue::new(Arc::new(memory.clone()));
    let handler = GateHandler::closed();
    let config = ConsumerConfig {
        delete_batch_size: 1,
        ..config(10)
    };
    let running = Running::start(queue.clone(), handler.clone(), config);
    handler.wait_started(5).await;
    handler.let_through(5);
    wait_deleted(&memory, &ids).await;
    running.stop().await;
    assert!(queue.batches().is_empty());
    assert_eq!(queue.single_deletes(), 5);
}

#[tokio::test]
async fn a_handled_message_is_deleted_within_the_window_while_others_are_still_handled() {
    let memory = InMemoryQueue::new("q");
    let ids = fill(&memory, &["process", "process"]).await;
    let queue = RecordingQueue::new(Arc::new(memory.clone()));
    let handler = GateHandler::closed();
    let config = ConsumerConfig {
        delete_batch_window: Duration::from_millis(20),
        ..config(10)
    };
    let running = Running::start(queue.clone(), handler.clone(), config);
    handler.wait_started(2).await;
    handler.let_through(1);
    // The second message is still held, so only the window can send the first one's delete.
    wait_until(|| queue.deleted_ids().len() == 1, "the first delete").await;
    assert_eq!(memory.pending(), 1);
    handler.let_through(1);
    wait_deleted(&memory, &ids).await;
    running.stop().await;
    assert_eq!(queue.single_deletes(), 2);
}
