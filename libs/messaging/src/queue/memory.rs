//! An in-memory queue for tests and the embedded dev mode. It keeps SQS's delivery semantics so
//! the consumer is exercised the same way: received messages are invisible until deleted or their
//! visibility timeout passes; a message received `max_receive_count` times moves to the DLQ on its
//! next receive.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::Notify;
use tokio::time::Instant;

use super::{DeleteFailure, Queue, QueueError, ReceivedMessage};
use crate::envelope::Notification;

/// Where a message ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    Deleted,
    DeadLettered,
}

#[derive(Debug, Clone)]
struct StoredMessage {
    id: String,
    body: String,
    receive_count: u32,
}

#[derive(Debug, Default)]
struct State {
    ready: VecDeque<StoredMessage>,
    in_flight: HashMap<String, (StoredMessage, Instant)>,
    dead_letters: Vec<StoredMessage>,
    finished: HashMap<String, Disposition>,
    /// Ids in `finished`, oldest first, so the record stays bounded in long-running dev use.
    finished_order: VecDeque<String>,
}

/// How many finished message ids are remembered for `wait_for`.
const FINISHED_MEMORY: usize = 65_536;

impl State {
    fn finish(&mut self, id: String, disposition: Disposition) {
        if self.finished.insert(id.clone(), disposition).is_none() {
            self.finished_order.push_back(id);
        }
        while self.finished_order.len() > FINISHED_MEMORY {
            if let Some(oldest) = self.finished_order.pop_front() {
                self.finished.remove(&oldest);
            }
        }
    }
}

#[derive(Debug)]
struct Inner {
    name: String,
    visibility_timeout: Duration,
    max_receive_count: u32,
    state: Mutex<State>,
    changed: Notify,
}

/// Cheap to clone; clones share the same queue.
#[derive(Debug, Clone)]
pub struct InMemoryQueue {
    inner: Arc<Inner>,
}

#[derive(Debug, thiserror::Error)]
pub enum WaitError {
    #[error("message {0} was not consumed within {1:?}")]
    TimedOut(String, Duration),
    #[error(transparent)]
    Queue(#[from] QueueError),
}

impl InMemoryQueue {
    /// A queue with SQS's defaults: 30 s visibility, DLQ after 3 receives.
    pub fn new(name: &str) -> Self {
        Self::with_settings(name, Duration::from_secs(30), 3)
    }

    pub fn with_settings(name: &str, visibility_timeout: Duration, max_receive_count: u32) -> Self {
        Self {
            inner: Arc::new(Inner {
                name: name.to_owned(),
                visibility_timeout,
                max_receive_count,
                state: Mutex::default(),
                changed: Notify::new(),
            }),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding this lock cannot leave State inconsistent (every update is a
        // single move between collections), so a poisoned lock is safe to keep using.
        self.inner
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Publishes a notification as its SNS envelope and waits until the consumer has deleted it
    /// or it has been dead-lettered.
    pub async fn publish_and_wait(
        &self,
        notification: &Notification,
        timeout: Duration,
    ) -> Result<Disposition, WaitError> {
        let id = self.send(&notification.to_envelope()).await?;
        self.wait_for(&id, timeout).await
    }

    /// Waits until message `id` is deleted or dead-lettered.
    pub async fn wait_for(&self, id: &str, timeout: Duration) -> Result<Disposition, WaitError> {
        let deadline = Instant::now() + timeout;
        loop {
            let notified = self.inner.changed.notified();
            if let Some(done) = self.state().finished.get(id) {
                return Ok(*done);
            }
            // Expired in-flight messages only move when someone receives; nudge so a message
            // past its last delivery still reaches the DLQ while the consumer idles.
            self.redrive_expired();
            if Instant::now() >= deadline {
                return Err(WaitError::TimedOut(id.to_owned(), timeout));
            }
            let wake_at = self.next_expiry().map_or(deadline, |e| e.min(deadline));
            let _ = tokio::time::timeout_at(wake_at, notified).await;
        }
    }

    /// Bodies currently in the dead-letter queue.
    pub fn dead_letters(&self) -> Vec<String> {
        self.state()
            .dead_letters
            .iter()
            .map(|m| m.body.clone())
            .collect()
    }

    /// Messages waiting or in flight.
    pub fn pending(&self) -> usize {
        let state = self.state();
        state.ready.len() + state.in_flight.len()
    }

    fn redrive_expired(&self) {
        let now = Instant::now();
        let mut state = self.state();
        let expired: Vec<String> = state
            .in_flight
            .iter()
            .filter(|(_, (_, until))| *until <= now)
            .map(|(receipt, _)| receipt.clone())
            .collect();
        let mut moved = false;
        for receipt in expired {
            if let Some((message, _)) = state.in_flight.remove(&receipt) {
                if message.receive_count >= self.inner.max_receive_count {
                    state
                        .finished
                        .insert(message.id.clone(), Disposition::DeadLettered);
                    state.dead_letters.push(message);
                } else {
                    state.ready.push_back(message);
                }
                moved = true;
            }
        }
        drop(state);
        if moved {
            self.inner.changed.notify_waiters();
        }
    }

    fn take_ready(&self, max: usize) -> Vec<ReceivedMessage> {
        let deadline = Instant::now() + self.inner.visibility_timeout;
        let mut state = self.state();
        let mut taken = Vec::new();
        while taken.len() < max {
            let Some(mut message) = state.ready.pop_front() else {
                break;
            };
            message.receive_count += 1;
            let receipt = uuid::Uuid::new_v4().to_string();
            taken.push(ReceivedMessage {
                message_id: message.id.clone(),
                body: message.body.clone(),
                receipt: receipt.clone(),
                receive_count: message.receive_count,
            });
            state.in_flight.insert(receipt, (message, deadline));
        }
        taken
    }

    fn next_expiry(&self) -> Option<Instant> {
        self.state()
            .in_flight
            .values()
            .map(|(_, until)| *until)
            .min()
    }
}

#[async_trait]
impl Queue for InMemoryQueue {
    fn name(&self) -> &str {
        &self.inner.name
    }

    async fn receive(
        &self,
        max: usize,
        wait: Duration,
    ) -> Result<Vec<ReceivedMessage>, QueueError> {
        let deadline = Instant::now() + wait;
        loop {
            let notified = self.inner.changed.notified();
            self.redrive_expired();
            let taken = self.take_ready(max);
            if !taken.is_empty() {
                return Ok(taken);
            }
            let wake_at = self.next_expiry().map_or(deadline, |e| e.min(deadline));
            if Instant::now() >= deadline {
                return Ok(Vec::new());
            }
            let _ = tokio::time::timeout_at(wake_at, notified).await;
        }
    }

    async fn delete(&self, receipt: &str) -> Result<(), QueueError> {
        let mut state = self.state();
        if let Some((message, _)) = state.in_flight.remove(receipt) {
            state.finish(message.id, Disposition::Deleted);
        }
        drop(state);
        self.inner.changed.notify_waiters();
        Ok(())
    }

    /// Like SQS, an unknown or stale receipt is not an error: the message is already gone or
    /// belongs to a later delivery, which keeps it.
    async fn delete_batch(&self, receipts: &[String]) -> Result<Vec<DeleteFailure>, QueueError> {
        let mut state = self.state();
        for receipt in receipts {
            if let Some((message, _)) = state.in_flight.remove(receipt) {
                state.finish(message.id, Disposition::Deleted);
            }
        }
        drop(state);
        self.inner.changed.notify_waiters();
        Ok(Vec::new())
    }

    async fn change_visibility(&self, receipt: &str, timeout: Duration) -> Result<(), QueueError> {
        let mut state = self.state();
        if let Some((_, until)) = state.in_flight.get_mut(receipt) {
            *until = Instant::now() + timeout;
        }
        drop(state);
        self.inner.changed.notify_waiters();
        Ok(())
    }

    async fn send(&self, body: &str) -> Result<String, QueueError> {
        let id = uuid::Uuid::new_v4().to_string();
        self.state().ready.push_back(StoredMessage {
            id: id.clone(),
            body: body.to_owned(),
            receive_count: 0,
        });
        self.inner.changed.notify_waiters();
        Ok(id)
    }

    fn receive_is_cancel_safe(&self) -> bool {
        true
    }

    async fn check(&self) -> Result<(), QueueError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hidden_while_in_flight_and_deleted_for_good() {
        let q = InMemoryQueue::with_settings("q", Duration::from_secs(5), 3);
        let id = q.send("a").await.unwrap();
        let got = q.receive(10, Duration::ZERO).await.unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].receive_count, 1);
        assert!(q.receive(10, Duration::ZERO).await.unwrap().is_empty());
        q.delete(&got[0].receipt).await.unwrap();
        assert_eq!(
            q.wait_for(&id, Duration::from_millis(10)).await.unwrap(),
            Disposition::Deleted
        );
        assert_eq!(q.pending(), 0);
    }

    #[tokio::test]
    async fn redelivers_then_dead_letters_after_max_receives() {
        let q = InMemoryQueue::with_settings("q", Duration::from_millis(10), 3);
        let id = q.send("poison").await.unwrap();
        for expected in 1..=3 {
            let got = q.receive(1, Duration::from_secs(1)).await.unwrap();
            assert_eq!(got[0].receive_count, expected);
        }
        assert_eq!(
            q.wait_for(&id, Duration::from_secs(1)).await.unwrap(),
            Disposition::DeadLettered
        );
        assert_eq!(q.dead_letters(), ["poison"]);
    }

    #[tokio::test]
    async fn change_visibility_zero_makes_message_visible_again() {
        let q = InMemoryQueue::with_settings("q", Duration::from_secs(30), 3);
        q.send("a").await.unwrap();
        let got = q.receive(1, Duration::ZERO).await.unwrap();
        q.change_visibility(&got[0].receipt, Duration::ZERO)
            .await
            .unwrap();
        let again = q.receive(1, Duration::from_millis(50)).await.unwrap();
        assert_eq!(again[0].receive_count, 2);
    }
}
