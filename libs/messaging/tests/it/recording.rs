//! A queue wrapper that records every call the consumer makes, so tests can assert on how many
//! messages each receive asked for and got, and how deletes were batched.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use messaging::{DeleteFailure, Queue, QueueError, ReceivedMessage};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Receive {
    pub asked: usize,
    pub got: usize,
}

#[derive(Default)]
struct Log {
    receives: Vec<Receive>,
    /// Sizes of the batch-delete calls, in order.
    batches: Vec<usize>,
    single_deletes: usize,
    /// Message id per receipt handed out, to name what was deleted.
    ids: HashMap<String, String>,
    deleted_ids: Vec<String>,
}

pub struct RecordingQueue {
    inner: Arc<dyn Queue>,
    log: Mutex<Log>,
    /// When set, the first entry of the next batch delete is reported as failed (and not deleted).
    fail_next_batch_entry: AtomicBool,
}

impl RecordingQueue {
    pub fn new(inner: Arc<dyn Queue>) -> Arc<Self> {
        Arc::new(Self {
            inner,
            log: Mutex::default(),
            fail_next_batch_entry: AtomicBool::new(false),
        })
    }

    pub fn fail_first_entry_of_next_batch(&self) {
        self.fail_next_batch_entry.store(true, Ordering::SeqCst);
    }

    pub fn receives(&self) -> Vec<Receive> {
        self.log.lock().unwrap().receives.clone()
    }

    pub fn batches(&self) -> Vec<usize> {
        self.log.lock().unwrap().batches.clone()
    }

    pub fn single_deletes(&self) -> usize {
        self.log.lock().unwrap().single_deletes
    }

    /// Ids of the messages deleted, singly or in a batch, in order.
    pub fn deleted_ids(&self) -> Vec<String> {
        self.log.lock().unwrap().deleted_ids.clone()
    }

    fn record_deleted(&self, receipts: &[String]) {
        let mut log = self.log.lock().unwrap();
        for receipt in receipts {
            let id = log
                .ids
                .get(receipt)
                .cloned()
                .unwrap_or_else(|| format!("unknown receipt {receipt}"));
            log.deleted_ids.push(id);
        }
    }
}

#[async_trait]
impl Queue for RecordingQueue {
    fn name(&self) -> &str {
        self.inner.name()
    }

    async fn receive(
        &self,
        max: usize,
        wait: Duration,
    ) -> Result<Vec<ReceivedMessage>, QueueError> {
        let messages = self.inner.receive(max, wait).await?;
        let mut log = self.log.lock().unwrap();
        log.receives.push(Receive {
            asked: max,
            got: messages.len(),
        });
        for m in &messages {
            log.ids.insert(m.receipt.clone(), m.message_id.clone());
        }
        Ok(messages)
    }

    async fn delete(&self, receipt: &str) -> Result<(), QueueError> {
        self.inner.delete(receipt).await?;
        self.log.lock().unwrap().single_deletes += 1;
        self.record_deleted(&[receipt.to_owned()]);
        Ok(())
    }

    async fn delete_batch(&self, receipts: &[String]) -> Result<Vec<DeleteFailure>, QueueError> {
        self.log.lock().unwrap().batches.push(receipts.len());
        let (failed, rest) = if self.fail_next_batch_entry.swap(false, Ordering::SeqCst) {
            receipts.split_at(1)
        } else {
            receipts.split_at(0)
        };
        let mut failures = self.inner.delete_batch(rest).await?;
        let not_deleted: Vec<&String> = failures.iter().map(|f| &f.receipt).collect();
        let deleted: Vec<String> = rest
            .iter()
            .filter(|r| !not_deleted.contains(r))
            .cloned()
            .collect();
        self.record_deleted(&deleted);
        failures.extend(failed.iter().map(|receipt| DeleteFailure {
            receipt: receipt.clone(),
            reason: "InternalError: injected by the test".to_owned(),
        }));
        Ok(failures)
    }

    async fn change_visibility(&self, receipt: &str, timeout: Duration) -> Result<(), QueueError> {
        self.inner.change_visibility(receipt, timeout).await
    }

    async fn send(&self, body: &str) -> Result<String, QueueError> {
        self.inner.send(body).await
    }

    fn receive_is_cancel_safe(&self) -> bool {
        self.inner.receive_is_cancel_safe()
    }

    async fn check(&self) -> Result<(), QueueError> {
        self.inner.check().await
    }
}
