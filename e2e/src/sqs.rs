//! SQS (and SNS) on the emulator, for looking at what reached the queues. (Publishing goes through
//! `local-stack publish`, as a person would do it.)

use std::time::Duration;

use anyhow::Context;
use aws_config::{retry::RetryConfig, timeout::TimeoutConfig, BehaviorVersion, Region};
use aws_credential_types::Credentials;
use aws_sdk_sqs::types::{
    DeleteMessageBatchRequestEntry, Message, QueueAttributeName, SendMessageBatchRequestEntry,
};
use aws_smithy_http_client::tls;

/// Where tests find the emulator; `make test` starts it and sets this.
pub const ENDPOINT_VARIABLE: &str = "PI_TEST_SQS_ENDPOINT";
const DEFAULT_ENDPOINT: &str = "http://127.0.0.1:4566";

pub fn endpoint() -> String {
    std::env::var(ENDPOINT_VARIABLE)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned())
}

/// An SQS client for `endpoint` (dummy credentials, region eu-west-2 like the topology).
pub async fn client(endpoint: &str) -> aws_sdk_sqs::Client {
    aws_sdk_sqs::Client::new(&config(endpoint).await)
}

/// An SNS client for `endpoint`, configured as [`client`].
pub async fn sns_client(endpoint: &str) -> aws_sdk_sns::Client {
    aws_sdk_sns::Client::new(&config(endpoint).await)
}

async fn config(endpoint: &str) -> aws_config::SdkConfig {
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    aws_config::defaults(BehaviorVersion::latest())
        .http_client(http)
        .region(Region::new("eu-west-2"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("test", "test", None, None, "e2e"))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(2))
                .operation_attempt_timeout(Duration::from_secs(10))
                .build(),
        )
        .retry_config(RetryConfig::standard().with_max_attempts(2))
        .load()
        .await
}

/// One queue by name.
#[derive(Clone)]
pub struct Queue {
    pub name: String,
    pub url: String,
    sqs: aws_sdk_sqs::Client,
}

impl Queue {
    pub async fn named(sqs: &aws_sdk_sqs::Client, name: &str) -> anyhow::Result<Self> {
        let url = sqs
            .get_queue_url()
            .queue_name(name)
            .send()
            .await
            .map_err(|e| anyhow::anyhow!(aws_sdk_sqs::error::DisplayErrorContext(e).to_string()))
            .with_context(|| format!("queue {name} (was `local-stack provision` run?)"))?
            .queue_url
            .context("no queue url")?;
        Ok(Self {
            name: name.to_owned(),
            url,
            sqs: sqs.clone(),
        })
    }

    /// Deletes every message, in flight or not.
    pub async fn purge(&self) -> anyhow::Result<()> {
        self.sqs
            .purge_queue()
            .queue_url(&self.url)
            .send()
            .await
            .map_err(|e| anyhow::anyhow!(aws_sdk_sqs::error::DisplayErrorContext(e).to_string()))
            .with_context(|| format!("purging {}", self.name))?;
        Ok(())
    }

    /// Sends `body` as it is (an SNS envelope, as the topic would deliver it, or anything else).
    pub async fn send(&self, body: &str) -> anyhow::Result<()> {
        self.sqs
            .send_message()
            .queue_url(&self.url)
            .message_body(body)
            .send()
            .await
            .map_err(|e| anyhow::anyhow!(aws_sdk_sqs::error::DisplayErrorContext(e).to_string()))
            .with_context(|| format!("sending to {}", self.name))?;
        Ok(())
    }

    /// Sends every body, ten to a `SendMessageBatch` call and the calls at once, so a burst
    /// arrives faster than a consumer can take it.
    pub async fn send_burst(&self, bodies: &[String]) -> anyhow::Result<()> {
        let calls = bodies.chunks(10).map(|chunk| {
            let entries = chunk
                .iter()
                .enumerate()
                .map(|(i, body)| {
                    SendMessageBatchRequestEntry::builder()
                        .id(i.to_string())
                        .message_body(body)
                        .build()
                })
                .collect::<Result<Vec<_>, _>>();
            async move {
                let output = self
                    .sqs
                    .send_message_batch()
                    .queue_url(&self.url)
                    .set_entries(Some(entries?))
                    .send()
                    .await
                    .map_err(|e| {
                        anyhow::anyhow!(aws_sdk_sqs::error::DisplayErrorContext(e).to_string())
                    })?;
                anyhow::ensure!(
                    output.failed.is_empty(),
                    "{} of a batch not sent to {}",
                    output.failed.len(),
                    self.name
                );
                Ok(())
            }
        });
        futures::future::try_join_all(calls)
            .await
            .with_context(|| format!("sending a burst to {}", self.name))?;
        Ok(())
    }

    /// Sets the queue's visibility timeout: how soon a failed message is received again.
    pub async fn set_visibility_timeout(&self, seconds: u32) -> anyhow::Result<()> {
        self.sqs
            .set_queue_attributes()
            .queue_url(&self.url)
            .attributes(QueueAttributeName::VisibilityTimeout, seconds.to_string())
            .send()
            .await
            .map_err(|e| anyhow::anyhow!(aws_sdk_sqs::error::DisplayErrorContext(e).to_string()))
            .with_context(|| format!("setting the visibility timeout of {}", self.name))?;
        Ok(())
    }

    /// Visible plus in-flight messages.
    pub async fn total(&self) -> anyhow::Result<u64> {
        let (visible, in_flight) = self.depth().await?;
        Ok(visible + in_flight)
    }

    /// [`Queue::total`], once two reads 300 ms apart agree: moto's counts can be caught while a
    /// receive is moving a message to the dead-letter queue.
    pub async fn steady_total(&self) -> anyhow::Result<u64> {
        let first = self.total().await?;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let second = self.total().await?;
        anyhow::ensure!(
            first == second,
            "{} changed from {first} to {second}",
            self.name
        );
        Ok(first)
    }

    /// `(visible, in flight)`.
    pub async fn depth(&self) -> anyhow::Result<(u64, u64)> {
        let attributes = self
            .sqs
            .get_queue_attributes()
            .queue_url(&self.url)
            .attribute_names(QueueAttributeName::ApproximateNumberOfMessages)
            .attribute_names(QueueAttributeName::ApproximateNumberOfMessagesNotVisible)
            .send()
            .await
            .with_context(|| format!("message counts of {}", self.name))?
            .attributes
            .unwrap_or_default();
        let read = |name| {
            attributes
                .get(&name)
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        Ok((
            read(QueueAttributeName::ApproximateNumberOfMessages),
            read(QueueAttributeName::ApproximateNumberOfMessagesNotVisible),
        ))
    }

    /// Receives up to 10 messages (long-polling up to `wait_seconds`) and deletes them.
    pub async fn take(&self, wait_seconds: i32) -> anyhow::Result<Vec<Message>> {
        let messages = self
            .sqs
            .receive_message()
            .queue_url(&self.url)
            .max_number_of_messages(10)
            .wait_time_seconds(wait_seconds)
            .visibility_timeout(120)
            .send()
            .await
            .with_context(|| format!("receiving from {}", self.name))?
            .messages
            .unwrap_or_default();
        if !messages.is_empty() {
            let entries = messages
                .iter()
                .enumerate()
                .filter_map(|(i, m)| {
                    DeleteMessageBatchRequestEntry::builder()
                        .id(i.to_string())
                        .set_receipt_handle(m.receipt_handle.clone())
                        .build()
                        .ok()
                })
                .collect();
            self.sqs
                .delete_message_batch()
                .queue_url(&self.url)
                .set_entries(Some(entries))
                .send()
                .await
                .with_context(|| format!("deleting received messages from {}", self.name))?;
        }
        Ok(messages)
    }
}
