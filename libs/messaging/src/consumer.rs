//! The queue consumer: receives messages, runs the handler with in-process retries, and decides
//! what happens to each message:
//! - processed or ignored: deleted, in batches of up to ten (see [`crate::deleter`]);
//! - failed: left on the queue, so SQS redelivers it and, after `maxReceiveCount`, the redrive
//!   policy moves it to the dead-letter queue.
//!
//! A malformed body is a failure like any other: it cannot crash or stall the consumer.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use tokio::sync::{mpsc, Semaphore};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use crate::deleter::{Deleter, Report, Settled};
use crate::envelope::Notification;
use crate::event::HmppsDomainEvent;
use crate::outcome::{find_ignored, Outcome, Properties};
use crate::queue::{Queue, ReceivedMessage, MAX_BATCH};
use crate::retry::{RetryPolicy, TransientClassifier};
use crate::telemetry::Telemetry;
use crate::trace_context;

/// A service's message handler: one per service, dispatching on the event type.
#[async_trait]
pub trait NotificationHandler: Send + Sync + 'static {
    /// Handles one notification. Return [`Outcome::Ignored`] (or an error carrying
    /// [`crate::Ignored`]) to delete the message without acting; any other error fails it.
    async fn handle(&self, notification: &Notification) -> anyhow::Result<Outcome>;
}

#[derive(Debug, Clone)]
pub struct ConsumerConfig {
    /// Messages handled at once.
    pub concurrency: usize,
    /// Most messages asked for per receive call (SQS allows at most 10). Each receive asks for
    /// `min(batch_size, free handler slots)`, so the consumer never holds a message it has no
    /// slot for (it would sit invisible, ageing towards its visibility timeout).
    pub batch_size: usize,
    /// Most handled messages deleted per call: 10 uses `DeleteMessageBatch`; 1 deletes each
    /// message on its own (`DeleteMessage`), as the consumer did before batching.
    pub delete_batch_size: usize,
    /// The longest a handled message waits for its batch to fill before it is deleted anyway.
    /// A batch also goes as soon as nothing else is being handled, and at shutdown.
    pub delete_batch_window: Duration,
    /// Long-poll wait per receive call.
    pub wait_time: Duration,
    /// The queue's visibility timeout; a slow handler's message is extended by this much every
    /// half of it, so no other consumer picks it up meanwhile.
    pub visibility_timeout: Duration,
    /// In-process attempts for transient errors.
    pub retry: RetryPolicy,
    /// After a final failure, make the message visible again after this long (`None` leaves the
    /// queue's visibility timeout to expire, as production does).
    pub failed_message_visibility: Option<Duration>,
    /// How long in-flight messages may run after shutdown is requested.
    pub shutdown_grace: Duration,
    /// Pause after a failed receive call before trying again.
    pub receive_error_backoff: Duration,
}

impl Default for ConsumerConfig {
    fn default() -> Self {
        Self {
            concurrency: 10,
            batch_size: 10,
            delete_batch_size: 10,
            delete_batch_window: Duration::from_millis(50),
            wait_time: Duration::from_secs(10),
            visibility_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            failed_message_visibility: None,
            shutdown_grace: Duration::from_secs(20),
            receive_error_backoff: Duration::from_secs(1),
        }
    }
}

/// How handling one message ended.
#[derive(Debug)]
enum Handled {
    Done(Outcome),
    Failed(anyhow::Error),
}

pub struct Consumer {
    queue: Arc<dyn Queue>,
    handler: Arc<dyn NotificationHandler>,
    config: ConsumerConfig,
    telemetry: Telemetry,
    classifier: TransientClassifier,
}

impl Consumer {
    pub fn new(
        queue: Arc<dyn Queue>,
        handler: Arc<dyn NotificationHandler>,
        config: ConsumerConfig,
        telemetry: Telemetry,
        classifier: TransientClassifier,
    ) -> Self {
        Self {
            queue,
            handler,
            config,
            telemetry,
            classifier,
        }
    }

    /// Consumes until `shutdown` is cancelled, then stops receiving and lets in-flight messages
    /// finish within the grace period. Messages still running after it are abandoned to SQS
    /// redelivery.
    pub async fn run(self, shutdown: CancellationToken) {
        let this = Arc::new(self);
        let permits = Arc::new(Semaphore::new(this.config.concurrency.max(1)));
        let batch_size = this.config.batch_size.clamp(1, MAX_BATCH);
        let mut in_flight = JoinSet::new();
        let handling = Arc::new(AtomicUsize::new(0));
        let (settled, settled_rx) = mpsc::unbounded_channel();
        let deleter = tokio::spawn(
            Deleter::new(
                this.queue.clone(),
                this.config.delete_batch_size,
                this.config.delete_batch_window,
                handling.clone(),
            )
            .run(settled_rx),
        );
        tracing::info!(
            queue = this.queue.name(),
            concurrency = this.config.concurrency,
            batch_size,
            delete_batch_size = this.config.delete_batch_size.clamp(1, MAX_BATCH),
            "consumer started"
        );
        loop {
            let first = tokio::select! {
                _ = shutdown.cancelled() => break,
                permit = permits.clone().acquire_owned() => match permit {
                    Ok(p) => p,
                    Err(_) => break,
                },
            };
            // Handlers finishing at the same moment release their slots a moment apart; one
            // yield lets them, so the receive asks for the capacity that is really free rather
            // than for one or two (measured with `make bench`: 5 -> 9.6 asked per receive).
            if permits.available_permits() + 1 < batch_size {
                tokio::task::yield_now().await;
            }
            let mut batch_permits = vec![first];
            while batch_permits.len() < batch_size {
                match permits.clone().try_acquire_owned() {
                    Ok(p) => batch_permits.push(p),
                    Err(_) => break,
                }
            }
            metrics::counter!("queue_receive_calls_total", "queue" => this.queue.name().to_owned())
                .increment(1);
            tracing::debug!(asked = batch_permits.len(), "receiving");
            let receive = this
                .queue
                .receive(batch_permits.len(), this.config.wait_time);
            tokio::pin!(receive);
            let received = tokio::select! {
                r = &mut receive => r,
                _ = shutdown.cancelled() => {
                    // The long poll is already at the queue: abandoning it would not stop SQS
                    // handing it a message, which would then stay hidden for the visibility
                    // timeout. Let it finish and hand back anything it brings.
                    if this.queue.receive_is_cancel_safe() {
                        break;
                    }
                    if let Ok(late) = receive.await {
                        for message in late {
                            if let Err(error) = this.queue.change_visibility(&message.receipt, Duration::ZERO).await {
                                tracing::warn!(%error, "could not return a message received during shutdown");
                            }
                        }
                    }
                    break;
                }
            };
            let messages = match received {
                Ok(m) => {
                    tracing::debug!(received = m.len(), "received");
                    m
                }
                Err(error) => {
                    tracing::warn!(queue = this.queue.name(), %error, "receive failed; backing off");
                    tokio::select! {
                        _ = shutdown.cancelled() => break,
                        _ = tokio::time::sleep(this.config.receive_error_backoff) => continue,
                    }
                }
            };
            // Counted for the whole batch before any task starts, so the deleter cannot see the
            // consumer idle between two spawns and send a batch of one.
            handling.fetch_add(messages.len().min(batch_permits.len()), Ordering::SeqCst);
            for message in messages {
                let Some(permit) = batch_permits.pop() else {
                    // More than asked for: not ours to handle. Never expected of a real queue.
                    tracing::error!(queue = this.queue.name(), "receive returned more messages than asked for; leaving the extra for redelivery");
                    break;
                };
                let worker = this.clone();
                let report = Report::new(settled.clone());
                in_flight.spawn(async move {
                    let outcome = worker.process(message).await;
                    // The slot is free once the message is settled; its delete goes with the next
                    // batch and does not hold up the next receive.
                    report.send(outcome);
                    drop(permit);
                });
            }
            // Reap finished tasks so the set does not grow without bound.
            while in_flight.try_join_next().is_some() {}
        }
        tracing::info!(
            queue = this.queue.name(),
            in_flight = in_flight.len(),
            "consumer stopping; draining in-flight messages"
        );
        let drained = tokio::time::timeout(this.config.shutdown_grace, async {
            while in_flight.join_next().await.is_some() {}
        })
        .await;
        if drained.is_err() {
            tracing::warn!(
                queue = this.queue.name(),
                abandoned = in_flight.len(),
                "grace period over; abandoning messages to redelivery"
            );
            in_flight.abort_all();
            // Aborted tasks drop their senders only once they have ended.
            while in_flight.join_next().await.is_some() {}
        }
        // With every sender gone the deleter sends what is pending and ends, so no handled
        // message is left undeleted when `run` returns.
        drop(settled);
        if let Err(error) = deleter.await {
            tracing::error!(%error, "the deleter task failed; handled messages may be redelivered");
        }
        tracing::info!(queue = this.queue.name(), "consumer stopped");
    }

    /// Handles one message; returns what to do with it (the deleter does the deleting).
    async fn process(&self, message: ReceivedMessage) -> Settled {
        let started = Instant::now();
        let span = tracing::info_span!(
            "message",
            otel.kind = "consumer",
            queue = self.queue.name(),
            message_id = %message.message_id,
            receive_count = message.receive_count,
            event_type = tracing::field::Empty,
        );
        let (event_type, handled) = self
            .handle_with_heartbeat(&message, &span)
            .instrument(span.clone())
            .await;
        let (label, settled) = self
            .settle(&message, &event_type, handled)
            .instrument(span)
            .await;
        metrics::counter!("messages_total", "queue" => self.queue.name().to_owned(), "event_type" => event_type.clone(), "outcome" => label).increment(1);
        metrics::histogram!("message_handling_seconds", "queue" => self.queue.name().to_owned(), "event_type" => event_type).record(started.elapsed().as_secs_f64());
        settled
    }

    /// Marks a handled message for deletion, or leaves a failed one for redelivery; returns the
    /// metrics label and what the deleter should do.
    async fn settle(
        &self,
        message: &ReceivedMessage,
        event_type: &str,
        handled: Handled,
    ) -> (&'static str, Settled) {
        match handled {
            Handled::Done(outcome) => {
                self.telemetry.track(outcome.name(), outcome.properties());
                (outcome.label(), Settled::Delete(message.receipt.clone()))
            }
            Handled::Failed(error) => {
                tracing::error!(
                    error = format!("{error:#}"),
                    receive_count = message.receive_count,
                    "message failed; leaving it for redelivery"
                );
                self.telemetry.track(
                    "MessageFailed",
                    &Properties::from([
                        ("eventType".to_owned(), event_type.to_owned()),
                        ("error".to_owned(), format!("{error:#}")),
                        ("receiveCount".to_owned(), message.receive_count.to_string()),
                    ]),
                );
                if let Some(delay) = self.config.failed_message_visibility {
                    if let Err(error) = self.queue.change_visibility(&message.receipt, delay).await
                    {
                        tracing::warn!(%error, "could not reset visibility of a failed message");
                    }
                }
                ("error", Settled::Kept)
            }
        }
    }

    /// Runs the handler while periodically extending the message's visibility.
    async fn handle_with_heartbeat(
        &self,
        message: &ReceivedMessage,
        span: &tracing::Span,
    ) -> (String, Handled) {
        let notification = match Notification::parse(&message.body) {
            Ok(n) => n,
            Err(error) => return ("malformed".to_owned(), Handled::Failed(error.into())),
        };
        trace_context::adopt_parent(span, &notification.attributes);
        let event_type = notification.event_type().unwrap_or("unknown").to_owned();
        span.record("event_type", event_type.as_str());
        self.telemetry.track(
            "NotificationReceived",
            &received_properties(&notification, &event_type),
        );

        let extend_every = (self.config.visibility_timeout / 2).max(Duration::from_millis(50));
        let handling = self.handle_with_retries(&notification);
        tokio::pin!(handling);
        let mut heartbeat =
            tokio::time::interval_at(tokio::time::Instant::now() + extend_every, extend_every);
        let handled = loop {
            tokio::select! {
                handled = &mut handling => break handled,
                _ = heartbeat.tick() => {
                    if let Err(error) = self.queue.change_visibility(&message.receipt, self.config.visibility_timeout).await {
                        tracing::warn!(%error, "could not extend visibility of a slow message");
                    }
                }
            }
        };
        (event_type, handled)
    }

    async fn handle_with_retries(&self, notification: &Notification) -> Handled {
        let mut attempt = 1;
        loop {
            let error = match self.handler.handle(notification).await {
                Ok(outcome) => return Handled::Done(outcome),
                Err(error) => error,
            };
            if let Some(ignored) = find_ignored(&error) {
                return Handled::Done(ignored.clone().into_outcome());
            }
            if attempt >= self.config.retry.attempts || !self.classifier.is_transient(&error) {
                return Handled::Failed(error);
            }
            tracing::warn!(
                attempt,
                error = format!("{error:#}"),
                "transient failure; retrying"
            );
            tokio::time::sleep(self.config.retry.delay_after(attempt)).await;
            attempt += 1;
        }
    }
}

/// `eventType`, `detailUrl` and one property per person identifier, as the platform records.
fn received_properties(notification: &Notification, event_type: &str) -> Properties {
    let mut properties = Properties::from([("eventType".to_owned(), event_type.to_owned())]);
    if let Ok(event) = notification.payload::<HmppsDomainEvent>() {
        if let Some(url) = &event.detail_url {
            properties.insert("detailUrl".to_owned(), url.clone());
        }
        for id in &event.person_reference.identifiers {
            properties.insert(id.kind.clone(), id.value.clone());
        }
    }
    properties
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn received_properties_name_identifiers() {
        let event = HmppsDomainEvent::new("a.b")
            .with_identifier("CRN", "X1")
            .with_identifier("NOMS", "A1");
        let mut event = event;
        event.detail_url = Some("http://x/y".into());
        let n = Notification::for_event("a.b", &event).unwrap();
        let p = received_properties(&n, "a.b");
        assert_eq!(p["CRN"], "X1");
        assert_eq!(p["NOMS"], "A1");
        assert_eq!(p["detailUrl"], "http://x/y");
        assert_eq!(p["eventType"], "a.b");
    }
}
