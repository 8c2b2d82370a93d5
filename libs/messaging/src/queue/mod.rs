//! The queue a consumer reads from: real SQS or an in-memory stand-in with the same semantics
//! (visibility timeout, receive count, redrive to a dead-letter queue after `max_receive_count`).

pub mod memory;
pub mod sqs;

use std::time::Duration;

use async_trait::async_trait;

/// One delivery of a message. `receipt` identifies this delivery for delete / visibility calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMessage {
    pub message_id: String,
    pub body: String,
    pub receipt: String,
    /// How many times the message has been received, this delivery included.
    pub receive_count: u32,
}

/// One receipt a batch delete could not remove, and why (as the backend put it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteFailure {
    pub receipt: String,
    pub reason: String,
}

/// The most messages one receive or batch-delete call may name (SQS's limit).
pub const MAX_BATCH: usize = 10;

#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("queue {queue} not found")]
    NotFound { queue: String },
    #[error("queue operation {operation} failed: {message}")]
    Backend {
        operation: &'static str,
        message: String,
    },
}

#[async_trait]
pub trait Queue: Send + Sync + 'static {
    /// A name for logs and metrics.
    fn name(&self) -> &str;

    /// Up to `max` messages, waiting up to `wait` for the first one (long polling).
    async fn receive(&self, max: usize, wait: Duration)
        -> Result<Vec<ReceivedMessage>, QueueError>;

    /// Removes a message for good (processed or ignored).
    async fn delete(&self, receipt: &str) -> Result<(), QueueError>;

    /// Removes up to [`MAX_BATCH`] messages in one call (SQS `DeleteMessageBatch`). The call can
    /// succeed while single entries fail; those come back, the rest are gone. An `Err` means the
    /// call itself failed and nothing is known to be deleted.
    ///
    /// The default deletes one at a time, so wrappers and test queues keep working unchanged.
    async fn delete_batch(&self, receipts: &[String]) -> Result<Vec<DeleteFailure>, QueueError> {
        let mut failures = Vec::new();
        for receipt in receipts {
            if let Err(error) = self.delete(receipt).await {
                failures.push(DeleteFailure {
                    receipt: receipt.clone(),
                    reason: error.to_string(),
                });
            }
        }
        Ok(failures)
    }

    /// Keeps a message hidden from other consumers for `timeout` from now (0 = visible again now).
    async fn change_visibility(&self, receipt: &str, timeout: Duration) -> Result<(), QueueError>;

    /// Puts a message on the queue (used by tests and local tooling; services publish to the topic).
    async fn send(&self, body: &str) -> Result<String, QueueError>;

    /// Whether dropping a pending `receive` loses nothing. False for SQS, where an abandoned
    /// long poll can still take a message and hide it for the visibility timeout.
    fn receive_is_cancel_safe(&self) -> bool {
        false
    }

    /// Succeeds when the queue is reachable (readiness check).
    async fn check(&self) -> Result<(), QueueError>;
}
