//! A throwaway SNS topic + SQS queue + DLQ on the local emulator (moto or LocalStack), wired as
//! production is: the queue subscribes to the topic with an `eventType` filter policy and
//! redrives to its DLQ after 3 receives. Names are unique per test.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::Context;
use aws_sdk_sns::types::MessageAttributeValue;
use aws_sdk_sqs::types::QueueAttributeName;
use messaging::aws::{sdk_config, AwsSettings};
use messaging::{MessageAttribute, SqsQueue};

/// Where tests find the emulator; `make test` starts it and sets this.
pub const ENDPOINT_VARIABLE: &str = "PI_TEST_SQS_ENDPOINT";
const DEFAULT_ENDPOINT: &str = "http://127.0.0.1:4566";

pub fn endpoint() -> String {
    std::env::var(ENDPOINT_VARIABLE).unwrap_or_else(|_| DEFAULT_ENDPOINT.to_owned())
}

pub struct SqsTestStack {
    pub sqs: aws_sdk_sqs::Client,
    pub sns: aws_sdk_sns::Client,
    pub topic_arn: String,
    pub queue_url: String,
    pub dlq_url: String,
    pub queue_name: String,
}

impl SqsTestStack {
    /// `event_types`: the filter policy; `visibility_timeout`: the queue's, kept short so
    /// redelivery tests finish quickly.
    pub async fn create(
        event_types: &[&str],
        visibility_timeout: Duration,
    ) -> anyhow::Result<Self> {
        Self::create_at(&endpoint(), event_types, visibility_timeout).await
    }

    /// The same on the SQS/SNS API at `endpoint`, e.g. a LocalStack container's.
    pub async fn create_at(
        endpoint: &str,
        event_types: &[&str],
        visibility_timeout: Duration,
    ) -> anyhow::Result<Self> {
        let config = sdk_config(&AwsSettings {
            region: Some("eu-west-2".to_owned()),
            endpoint_url: Some(endpoint.to_owned()),
        })
        .await;
        let sqs = aws_sdk_sqs::Client::new(&config);
        let sns = aws_sdk_sns::Client::new(&config);
        let suffix = uuid::Uuid::new_v4().simple().to_string();
        let queue_name = format!("test-{}-queue", &suffix[..12]);
        let dlq_name = format!("test-{}-dlq", &suffix[..12]);

        let dlq_url = sqs
            .create_queue()
            .queue_name(&dlq_name)
            .send()
            .await
            .with_context(|| format!("the SQS emulator at {endpoint} is not reachable — run `make test`, or `scripts/sqs-emulator.sh start`"))?
            .queue_url
            .context("no DLQ url")?;
        let dlq_arn = sqs
            .get_queue_attributes()
            .queue_url(&dlq_url)
            .attribute_names(QueueAttributeName::QueueArn)
            .send()
            .await?
            .attributes
            .and_then(|a| a.get(&QueueAttributeName::QueueArn).cloned())
            .context("no DLQ arn")?;
        let redrive =
            serde_json::json!({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "3"}).to_string();
        let queue_url = sqs
            .create_queue()
            .queue_name(&queue_name)
            .attributes(QueueAttributeName::RedrivePolicy, redrive)
            .attributes(
                QueueAttributeName::VisibilityTimeout,
                visibility_timeout.as_secs().to_string(),
            )
            .send()
            .await?
            .queue_url
            .context("no queue url")?;
        let queue_arn = sqs
            .get_queue_attributes()
            .queue_url(&queue_url)
            .attribute_names(QueueAttributeName::QueueArn)
            .send()
            .await?
            .attributes
            .and_then(|a| a.get(&QueueAttributeName::QueueArn).cloned())
            .context("no queue arn")?;

        let topic_arn = sns
            .create_topic()
            .name(format!("test-{}-topic", &suffix[..12]))
            .send()
            .await?
            .topic_arn
            .context("no topic arn")?;
        let filter = serde_json::json!({ "eventType": event_types }).to_string();
        sns.subscribe()
            .topic_arn(&topic_arn)
            .protocol("sqs")
            .endpoint(&queue_arn)
            .attributes("FilterPolicy", filter)
            .return_subscription_arn(true)
            .send()
            .await?;
        Ok(Self {
            sqs,
            sns,
            topic_arn,
            queue_url,
            dlq_url,
            queue_name,
        })
    }

    pub async fn queue(&self) -> anyhow::Result<SqsQueue> {
        Ok(SqsQueue::connect(self.sqs.clone(), &self.queue_name).await?)
    }

    /// Publishes `message` to the topic with an `eventType` attribute and any `extra` ones.
    pub async fn publish(
        &self,
        event_type: &str,
        message: &str,
        extra: &[(&str, &str)],
    ) -> anyhow::Result<()> {
        let mut attributes = HashMap::new();
        for (name, value) in std::iter::once(("eventType", event_type)).chain(extra.iter().copied())
        {
            attributes.insert(
                name.to_owned(),
                MessageAttributeValue::builder()
                    .data_type("String")
                    .string_value(value)
                    .build()?,
            );
        }
        self.sns
            .publish()
            .topic_arn(&self.topic_arn)
            .message(message)
            .set_message_attributes(Some(attributes))
            .send()
            .await?;
        Ok(())
    }

    /// Sends a raw body straight to the queue (e.g. a malformed one no SNS would produce).
    pub async fn send_raw(&self, body: &str) -> anyhow::Result<()> {
        self.sqs
            .send_message()
            .queue_url(&self.queue_url)
            .message_body(body)
            .send()
            .await?;
        Ok(())
    }

    /// Approximate visible + in-flight messages of a queue.
    pub async fn depth(&self, url: &str) -> anyhow::Result<(u64, u64)> {
        let attrs = self
            .sqs
            .get_queue_attributes()
            .queue_url(url)
            .attribute_names(QueueAttributeName::ApproximateNumberOfMessages)
            .attribute_names(QueueAttributeName::ApproximateNumberOfMessagesNotVisible)
            .send()
            .await?
            .attributes
            .unwrap_or_default();
        let read =
            |name: QueueAttributeName| attrs.get(&name).and_then(|v| v.parse().ok()).unwrap_or(0);
        Ok((
            read(QueueAttributeName::ApproximateNumberOfMessages),
            read(QueueAttributeName::ApproximateNumberOfMessagesNotVisible),
        ))
    }

    /// Bodies in the DLQ (received and left there), waiting up to `timeout` for `expected`.
    pub async fn wait_for_dead_letters(
        &self,
        expected: usize,
        timeout: Duration,
    ) -> anyhow::Result<Vec<String>> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let (visible, in_flight) = self.depth(&self.dlq_url).await?;
            if (visible + in_flight) as usize >= expected {
                let received = self
                    .sqs
                    .receive_message()
                    .queue_url(&self.dlq_url)
                    .max_number_of_messages(10)
                    .visibility_timeout(30)
                    .send()
                    .await?;
                return Ok(received
                    .messages
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|m| m.body)
                    .collect());
            }
            if tokio::time::Instant::now() >= deadline {
                anyhow::bail!(
                    "expected {expected} dead letters within {timeout:?}, found {}",
                    visible + in_flight
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn delete(&self) {
        let _ = self
            .sqs
            .delete_queue()
            .queue_url(&self.queue_url)
            .send()
            .await;
        let _ = self
            .sqs
            .delete_queue()
            .queue_url(&self.dlq_url)
            .send()
            .await;
        let _ = self
            .sns
            .delete_topic()
            .topic_arn(&self.topic_arn)
            .send()
            .await;
    }
}

/// The attribute map an SNS envelope would carry.
pub fn string_attribute(value: &str) -> MessageAttribute {
    MessageAttribute::string(value)
}
