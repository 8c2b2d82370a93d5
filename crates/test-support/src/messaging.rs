//! Runs a service's handler behind a real consumer on an in-memory queue, so tests publish a
//! message and wait until it is consumed, then assert on rows and telemetry.

use std::sync::Arc;
use std::time::Duration;

use messaging::queue::memory::{Disposition, InMemoryQueue, WaitError};
use messaging::{
    Consumer, ConsumerConfig, Notification, NotificationHandler, Telemetry, TelemetryEvent,
    TransientClassifier,
};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// How long `publish_and_wait` waits, as on the platform.
pub const PUBLISH_AND_WAIT_TIMEOUT: Duration = Duration::from_secs(20);

/// Consumer settings for tests: failed messages come back at once (DLQ after 3 receives),
/// retries wait milliseconds, and long polls are short so shutdown is quick.
pub fn fast_config() -> ConsumerConfig {
    ConsumerConfig {
        wait_time: Duration::from_millis(200),
        visibility_timeout: Duration::from_secs(5),
        failed_message_visibility: Some(Duration::ZERO),
        retry: messaging::retry::RetryPolicy {
            attempts: 3,
            base_delay: Duration::from_millis(5),
        },
        shutdown_grace: Duration::from_secs(5),
        ..ConsumerConfig::default()
    }
}

pub struct TestConsumer {
    pub queue: InMemoryQueue,
    pub telemetry: Telemetry,
    shutdown: CancellationToken,
    task: Option<JoinHandle<()>>,
}

impl TestConsumer {
    /// A consumer with [`fast_config`]: failure paths finish in milliseconds.
    pub fn start(handler: Arc<dyn NotificationHandler>, classifier: TransientClassifier) -> Self {
        Self::start_with(handler, classifier, fast_config())
    }

    pub fn start_with(
        handler: Arc<dyn NotificationHandler>,
        classifier: TransientClassifier,
        config: ConsumerConfig,
    ) -> Self {
        Self::start_recording_into(handler, classifier, config, Telemetry::recording())
    }

    /// As [`TestConsumer::start_with`], recording into `telemetry`: pass the same recording
    /// `Telemetry` the handler holds, so events the handler tracks itself are asserted too.
    pub fn start_recording_into(
        handler: Arc<dyn NotificationHandler>,
        classifier: TransientClassifier,
        config: ConsumerConfig,
        telemetry: Telemetry,
    ) -> Self {
        let queue = InMemoryQueue::with_settings("test-queue", config.visibility_timeout, 3);
        let shutdown = CancellationToken::new();
        let consumer = Consumer::new(
            Arc::new(queue.clone()),
            handler,
            config,
            telemetry.clone(),
            classifier,
        );
        let task = tokio::spawn(consumer.run(shutdown.clone()));
        Self {
            queue,
            telemetry,
            shutdown,
            task: Some(task),
        }
    }

    /// Publishes and waits until the message is deleted or dead-lettered.
    pub async fn publish_and_wait(
        &self,
        notification: &Notification,
    ) -> Result<Disposition, WaitError> {
        self.queue
            .publish_and_wait(notification, PUBLISH_AND_WAIT_TIMEOUT)
            .await
    }

    /// Stops receiving and waits for in-flight messages.
    pub async fn stop(mut self) {
        self.shutdown.cancel();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for TestConsumer {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// Assertions on recorded telemetry that every service's tests make.
pub trait RecordedTelemetry {
    /// The one event named `name`; fails naming everything recorded when there is not exactly one.
    fn one(&self, name: &str) -> TelemetryEvent;
    /// The `error` of the last `MessageFailed` event: why a message failed ("" when none did).
    fn last_failure(&self) -> String;
}

impl RecordedTelemetry for Telemetry {
    fn one(&self, name: &str) -> TelemetryEvent {
        let mut events = self.named(name);
        assert_eq!(
            events.len(),
            1,
            "expected one {name}, got {:?}",
            self.events()
        );
        events.remove(0)
    }

    fn last_failure(&self) -> String {
        self.named("MessageFailed")
            .pop()
            .and_then(|event| event.properties.get("error").cloned())
            .unwrap_or_default()
    }
}
