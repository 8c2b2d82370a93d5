//! Deletes handled messages in batches of up to ten (SQS `DeleteMessageBatch`), so a busy consumer
//! makes one delete call per ten messages instead of one per message.
//!
//! A batch is sent as soon as any of these holds, so no delete waits long and none is lost:
//! - ten receipts are pending (a full batch);
//! - no message is being handled any more (nothing else can join the batch soon);
//! - the oldest pending receipt has waited `window` (default 50 ms, far below any visibility
//!   timeout, so a handled message is not redelivered because its delete was held back);
//! - the consumer is stopping (every sender has gone): whatever is pending is sent before the
//!   consumer's `run` returns.
//!
//! Entries a batch call reports as failed are retried one by one; a receipt that still cannot be
//! deleted is logged, and the message will be redelivered (handlers are idempotent).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::queue::{Queue, MAX_BATCH};

/// What a worker reports after settling a message.
#[derive(Debug)]
pub(crate) enum Settled {
    /// Handled (processed or ignored): delete it.
    Delete(String),
    /// Failed and left on the queue; sent only so the deleter notices the consumer went idle.
    Kept,
}

/// Reports a message as settled exactly once: with what the worker decided, or as kept when the
/// task ends without deciding (aborted after the grace period, or a handler panicked), so the
/// deleter's count of messages still being handled stays right.
pub(crate) struct Report {
    sender: Option<mpsc::UnboundedSender<Settled>>,
}

impl Report {
    pub(crate) fn new(sender: mpsc::UnboundedSender<Settled>) -> Self {
        Self {
            sender: Some(sender),
        }
    }

    pub(crate) fn send(mut self, settled: Settled) {
        if let Some(sender) = self.sender.take() {
            // Only fails once the deleter has ended, which it does after every sender is gone.
            let _ = sender.send(settled);
        }
    }
}

impl Drop for Report {
    fn drop(&mut self) {
        if let Some(sender) = self.sender.take() {
            let _ = sender.send(Settled::Kept);
        }
    }
}

pub(crate) struct Deleter {
    queue: Arc<dyn Queue>,
    max: usize,
    window: Duration,
    /// Messages received and not yet reported here. The consumer adds a received batch before
    /// its tasks start; the deleter takes one off per report, so 0 means no receipt is on its
    /// way and waiting for more would only delay the deletes.
    handling: Arc<AtomicUsize>,
}

impl Deleter {
    pub(crate) fn new(
        queue: Arc<dyn Queue>,
        max: usize,
        window: Duration,
        handling: Arc<AtomicUsize>,
    ) -> Self {
        Self {
            queue,
            max: max.clamp(1, MAX_BATCH),
            window,
            handling,
        }
    }

    /// Runs until every sender is dropped, then sends what is pending and returns.
    pub(crate) async fn run(self, mut settled: mpsc::UnboundedReceiver<Settled>) {
        let mut pending: Vec<String> = Vec::new();
        let mut flush_at: Option<Instant> = None;
        loop {
            let first = match flush_at {
                None => settled.recv().await,
                Some(at) => tokio::select! {
                    biased;
                    item = settled.recv() => item,
                    _ = tokio::time::sleep_until(at) => {
                        self.flush_all(&mut pending).await;
                        flush_at = None;
                        continue;
                    }
                },
            };
            let Some(first) = first else {
                self.flush_all(&mut pending).await;
                return;
            };
            self.take(first, &mut pending, &mut flush_at);
            // Whatever else is already waiting joins this batch.
            while let Ok(item) = settled.try_recv() {
                self.take(item, &mut pending, &mut flush_at);
            }
            while pending.len() >= self.max {
                let batch: Vec<String> = pending.drain(..self.max).collect();
                self.flush(batch).await;
            }
            if pending.is_empty() {
                flush_at = None;
            } else if self.handling.load(Ordering::SeqCst) == 0 {
                self.flush_all(&mut pending).await;
                flush_at = None;
            }
        }
    }

    fn take(&self, item: Settled, pending: &mut Vec<String>, flush_at: &mut Option<Instant>) {
        // Saturating: a report can never outnumber the messages counted in, but a miscount must
        // not wrap round and stop idle flushes for good.
        let _ = self
            .handling
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                Some(n.saturating_sub(1))
            });
        if let Settled::Delete(receipt) = item {
            if pending.is_empty() {
                *flush_at = Some(Instant::now() + self.window);
            }
            pending.push(receipt);
        }
    }

    async fn flush_all(&self, pending: &mut Vec<String>) {
        while !pending.is_empty() {
            let take = pending.len().min(self.max);
            let batch: Vec<String> = pending.drain(..take).collect();
            self.flush(batch).await;
        }
    }

    async fn flush(&self, batch: Vec<String>) {
        let queue = self.queue.name().to_owned();
        if let [receipt] = batch.as_slice() {
            metrics::counter!("queue_delete_calls_total", "queue" => queue, "call" => "single")
                .increment(1);
            if let Err(error) = self.queue.delete(receipt).await {
                // The message will be redelivered; handlers are idempotent, so that is safe.
                tracing::error!(%error, "could not delete a handled message");
            }
            return;
        }
        metrics::counter!("queue_delete_calls_total", "queue" => queue.clone(), "call" => "batch")
            .increment(1);
        let failures = match self.queue.delete_batch(&batch).await {
            Ok(failures) => failures
                .into_iter()
                .map(|f| (f.receipt, f.reason))
                .collect(),
            Err(error) => {
                tracing::warn!(%error, messages = batch.len(), "batch delete failed; deleting one by one");
                batch
                    .into_iter()
                    .map(|r| (r, error.to_string()))
                    .collect::<Vec<_>>()
            }
        };
        for (receipt, reason) in failures {
            metrics::counter!("queue_delete_calls_total", "queue" => queue.clone(), "call" => "single")
                .increment(1);
            if let Err(error) = self.queue.delete(&receipt).await {
                tracing::error!(
                    %error,
                    batch_reason = reason,
                    "could not delete a handled message; it will be redelivered"
                );
            }
        }
    }
}
