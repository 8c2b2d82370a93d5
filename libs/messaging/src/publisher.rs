//! Publishing HMPPS domain events to the `hmpps-domain-events` topic.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use aws_sdk_sns::types::MessageAttributeValue;
use aws_sdk_sns::Client;

use crate::envelope::{MessageAttribute, Notification};
use crate::event::HmppsDomainEvent;
use crate::queue::{Queue, QueueError};
use crate::trace_context;
use tracing::Instrument;

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("could not serialise the event: {0}")]
    Serialise(#[from] serde_json::Error),
    #[error("publish to {topic} failed: {message}")]
    Backend { topic: String, message: String },
    #[error(transparent)]
    Queue(#[from] QueueError),
}

#[async_trait]
pub trait Publisher: Send + Sync + 'static {
    /// Publishes `notification` (payload + attributes). Implementations add the current W3C
    /// trace context to the attributes.
    async fn publish(&self, notification: Notification) -> Result<(), PublishError>;

    /// Publishes a domain event with its `eventType` attribute.
    async fn publish_event(&self, event: &HmppsDomainEvent) -> Result<(), PublishError> {
        self.publish(Notification::for_event(&event.event_type, event)?)
            .await
    }
}

/// Publishes to an SNS topic.
#[derive(Debug, Clone)]
pub struct SnsPublisher {
    client: Client,
    topic_arn: String,
}

impl SnsPublisher {
    pub fn new(client: Client, topic_arn: impl Into<String>) -> Self {
        Self {
            client,
            topic_arn: topic_arn.into(),
        }
    }
}

fn to_sns_attributes(
    attributes: &BTreeMap<String, MessageAttribute>,
) -> Result<std::collections::HashMap<String, MessageAttributeValue>, String> {
    attributes
        .iter()
        .map(|(name, a)| {
            MessageAttributeValue::builder()
                .data_type(&a.data_type)
                .string_value(&a.value)
                .build()
                .map(|v| (name.clone(), v))
                .map_err(|e| e.to_string())
        })
        .collect()
}

#[async_trait]
impl Publisher for SnsPublisher {
    async fn publish(&self, mut notification: Notification) -> Result<(), PublishError> {
        let event_type = notification.event_type().unwrap_or("unknown").to_owned();
        let span = tracing::info_span!("publish", otel.name = %format!("PUBLISH {event_type}"), otel.kind = "producer", topic = %self.topic_arn);
        async {
            trace_context::inject_current(&mut notification.attributes);
            let failure = |message: String| PublishError::Backend {
                topic: self.topic_arn.clone(),
                message,
            };
            let attributes = to_sns_attributes(&notification.attributes).map_err(failure)?;
            self.client
                .publish()
                .topic_arn(&self.topic_arn)
                .message(&notification.message)
                .set_message_attributes(Some(attributes))
                .send()
                .await
                .map_err(|e| failure(aws_sdk_sns::error::DisplayErrorContext(&e).to_string()))?;
            Ok(())
        }
        .instrument(span)
        .await
    }
}

/// A topic in memory: keeps what was published (for assertions) and fans it out to subscribed
/// in-memory queues whose event-type filter accepts it, as SNS would.
#[derive(Clone, Default)]
pub struct InMemoryTopic {
    published: Arc<Mutex<Vec<Notification>>>,
    subscriptions: Arc<Mutex<Vec<Subscription>>>,
}

#[derive(Clone)]
struct Subscription {
    queue: Arc<dyn Queue>,
    accepts: Arc<dyn Fn(&str) -> bool + Send + Sync>,
}

impl InMemoryTopic {
    pub fn new() -> Self {
        Self::default()
    }

    /// Delivers every notification whose `eventType` passes `accepts` to `queue`.
    pub fn subscribe(
        &self,
        queue: Arc<dyn Queue>,
        accepts: impl Fn(&str) -> bool + Send + Sync + 'static,
    ) {
        if let Ok(mut subs) = self.subscriptions.lock() {
            subs.push(Subscription {
                queue,
                accepts: Arc::new(accepts),
            });
        }
    }

    /// Everything published so far.
    pub fn published(&self) -> Vec<Notification> {
        self.published.lock().map(|p| p.clone()).unwrap_or_default()
    }
}

#[async_trait]
impl Publisher for InMemoryTopic {
    async fn publish(&self, mut notification: Notification) -> Result<(), PublishError> {
        trace_context::inject_current(&mut notification.attributes);
        let targets: Vec<Subscription> = self
            .subscriptions
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default();
        let event_type = notification.event_type().unwrap_or_default().to_owned();
        for sub in targets.iter().filter(|s| (s.accepts)(&event_type)) {
            sub.queue.send(&notification.to_envelope()).await?;
        }
        if let Ok(mut published) = self.published.lock() {
            published.push(notification);
        }
        Ok(())
    }
}
