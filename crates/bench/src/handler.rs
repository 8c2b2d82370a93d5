//! The handler under test and a queue wrapper that counts receive and delete calls.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use messaging::{
    DeleteFailure, HmppsDomainEvent, Notification, NotificationHandler, Outcome, Queue, QueueError,
    ReceivedMessage,
};
use tokio::sync::Notify;
use tokio::time::Instant;

use crate::contact::ContactWriter;
use crate::stats::Latencies;

/// What the handler does per message.
#[derive(Clone)]
pub enum Work {
    /// Nothing: measures the consumer and the queue alone.
    Noop,
    /// Parses the payload and inserts one contact in one transaction.
    InsertContact(ContactWriter),
}

/// Counts calls, times each one and wakes the bench once `expected` calls have returned.
pub struct BenchHandler {
    work: Work,
    expected: usize,
    calls: AtomicUsize,
    first_failure: Mutex<Option<String>>,
    all_called: Notify,
    pub latencies: Latencies,
}

impl BenchHandler {
    pub fn new(work: Work, expected: usize) -> Self {
        Self {
            work,
            expected,
            calls: AtomicUsize::new(0),
            first_failure: Mutex::new(None),
            all_called: Notify::new(),
            latencies: Latencies::with_capacity(expected),
        }
    }

    /// Successful calls so far (redeliveries included).
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    fn first_failure(&self) -> Option<String> {
        self.first_failure
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Waits until every expected message has been handled; fails at once if the handler failed
    /// (the consumer would leave that message for redelivery and the run could never finish).
    pub async fn wait_all_called(&self, deadline: Instant) -> anyhow::Result<()> {
        loop {
            if self.calls() >= self.expected {
                return Ok(());
            }
            if let Some(failure) = self.first_failure() {
                anyhow::bail!("the handler failed: {failure}");
            }
            if Instant::now() >= deadline {
                anyhow::bail!(
                    "only {} of {} messages were handled in time",
                    self.calls(),
                    self.expected
                );
            }
            // notify_one keeps a permit, so a wake-up between the check and this wait is not lost.
            let _ =
                tokio::time::timeout(Duration::from_millis(100), self.all_called.notified()).await;
        }
    }

    async fn work(&self, notification: &Notification) -> anyhow::Result<Outcome> {
        match &self.work {
            Work::Noop => Ok(Outcome::processed("BenchNoop")),
            Work::InsertContact(writer) => {
                let event: HmppsDomainEvent = notification.payload()?;
                let reference = notification
                    .message_id
                    .as_deref()
                    .unwrap_or(event.event_type.as_str());
                let id = writer.insert(reference).await?;
                Ok(Outcome::processed("BenchContactInserted").with("contactId", id))
            }
        }
    }
}

#[async_trait]
impl NotificationHandler for BenchHandler {
    async fn handle(&self, notification: &Notification) -> anyhow::Result<Outcome> {
        let started = Instant::now();
        let result = self.work(notification).await;
        match &result {
            Ok(_) => {
                self.latencies.record(started.elapsed());
                if self.calls.fetch_add(1, Ordering::SeqCst) + 1 == self.expected {
                    self.all_called.notify_one();
                }
            }
            Err(error) => {
                let mut first = self
                    .first_failure
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                first.get_or_insert_with(|| format!("{error:#}"));
            }
        }
        result
    }
}

/// Delegates to a queue, counting receive calls and the messages they returned, and delete
/// calls (a batch delete is one call), so the report can show how full the consumer's batches
/// were.
pub struct CountingQueue {
    inner: Arc<dyn Queue>,
    receives: AtomicU64,
    /// Messages asked for, summed over the receive calls.
    asked: AtomicU64,
    received: AtomicU64,
    deletes: AtomicU64,
}

impl CountingQueue {
    pub fn new(inner: Arc<dyn Queue>) -> Self {
        Self {
            inner,
            receives: AtomicU64::new(0),
            asked: AtomicU64::new(0),
            received: AtomicU64::new(0),
            deletes: AtomicU64::new(0),
        }
    }

    /// Messages asked for over all receive calls.
    pub fn asked(&self) -> u64 {
        self.asked.load(Ordering::Relaxed)
    }

    /// Delete calls, single or batch.
    pub fn delete_calls(&self) -> u64 {
        self.deletes.load(Ordering::Relaxed)
    }

    /// (receive calls, messages received).
    pub fn counts(&self) -> (u64, u64) {
        (
            self.receives.load(Ordering::Relaxed),
            self.received.load(Ordering::Relaxed),
        )
    }
}

#[async_trait]
impl Queue for CountingQueue {
    fn name(&self) -> &str {
        self.inner.name()
    }

    async fn receive(
        &self,
        max: usize,
        wait: Duration,
    ) -> Result<Vec<ReceivedMessage>, QueueError> {
        let messages = self.inner.receive(max, wait).await?;
        self.receives.fetch_add(1, Ordering::Relaxed);
        self.asked.fetch_add(max as u64, Ordering::Relaxed);
        self.received
            .fetch_add(messages.len() as u64, Ordering::Relaxed);
        Ok(messages)
    }

    async fn delete(&self, receipt: &str) -> Result<(), QueueError> {
        self.deletes.fetch_add(1, Ordering::Relaxed);
        self.inner.delete(receipt).await
    }

    async fn delete_batch(&self, receipts: &[String]) -> Result<Vec<DeleteFailure>, QueueError> {
        self.deletes.fetch_add(1, Ordering::Relaxed);
        self.inner.delete_batch(receipts).await
    }

    async fn change_visibility(&self, receipt: &str, timeout: Duration) -> Result<(), QueueError> {
        self.inner.change_visibility(receipt, timeout).await
    }

    async fn send(&self, body: &str) -> Result<String, QueueError> {
        self.inner.send(body).await
    }

    async fn check(&self) -> Result<(), QueueError> {
        self.inner.check().await
    }
}
