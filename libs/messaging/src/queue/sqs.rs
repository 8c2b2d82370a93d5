//! The SQS backend (aws-sdk-sqs; point it at LocalStack or moto with an endpoint override).

use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_sqs::types::{DeleteMessageBatchRequestEntry, MessageSystemAttributeName};
use aws_sdk_sqs::Client;

use super::{DeleteFailure, Queue, QueueError, ReceivedMessage, MAX_BATCH};

#[derive(Debug, Clone)]
pub struct SqsQueue {
    client: Client,
    name: String,
    url: String,
}

/// The SDK's own Display is terse ("service error"); DisplayErrorContext includes the causes.
fn backend(operation: &'static str, error: impl std::error::Error) -> QueueError {
    QueueError::Backend {
        operation,
        message: aws_sdk_sqs::error::DisplayErrorContext(&error).to_string(),
    }
}

impl SqsQueue {
    /// Resolves `name_or_url` (a queue name, or a full queue URL as Kubernetes secrets may hold).
    pub async fn connect(client: Client, name_or_url: &str) -> Result<Self, QueueError> {
        let (name, url) =
            if name_or_url.starts_with("http://") || name_or_url.starts_with("https://") {
                let name = name_or_url.rsplit('/').next().unwrap_or(name_or_url);
                (name.to_owned(), name_or_url.to_owned())
            } else {
                let url = client
                    .get_queue_url()
                    .queue_name(name_or_url)
                    .send()
                    .await
                    .map_err(|e| match e.as_service_error() {
                        Some(s) if s.is_queue_does_not_exist() => QueueError::NotFound {
                            queue: name_or_url.to_owned(),
                        },
                        _ => backend("GetQueueUrl", e),
                    })?
                    .queue_url
                    .ok_or_else(|| QueueError::NotFound {
                        queue: name_or_url.to_owned(),
                    })?;
                (name_or_url.to_owned(), url)
            };
        Ok(Self { client, name, url })
    }

    pub fn url(&self) -> &str {
        &self.url
    }
}

fn seconds(d: Duration) -> i32 {
    i32::try_from(d.as_secs()).unwrap_or(i32::MAX)
}

#[async_trait]
impl Queue for SqsQueue {
    fn name(&self) -> &str {
        &self.name
    }

    async fn receive(
        &self,
        max: usize,
        wait: Duration,
    ) -> Result<Vec<ReceivedMessage>, QueueError> {
        // SQS allows 1..=10 messages and at most 20 s of long polling per call.
        let max = i32::try_from(max.clamp(1, 10)).unwrap_or(10);
        let output = self
            .client
            .receive_message()
            .queue_url(&self.url)
            .max_number_of_messages(max)
            .wait_time_seconds(seconds(wait).min(20))
            .message_system_attribute_names(MessageSystemAttributeName::ApproximateReceiveCount)
            .send()
            .await
            .map_err(|e| backend("ReceiveMessage", e))?;
        Ok(output
            .messages
            .unwrap_or_default()
            .into_iter()
            .filter_map(|m| {
                let receive_count = m
                    .attributes
                    .as_ref()
                    .and_then(|a| a.get(&MessageSystemAttributeName::ApproximateReceiveCount))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1);
                Some(ReceivedMessage {
                    message_id: m.message_id.unwrap_or_default(),
                    body: m.body.unwrap_or_default(),
                    receipt: m.receipt_handle?,
                    receive_count,
                })
            })
            .collect())
    }

    async fn delete(&self, receipt: &str) -> Result<(), QueueError> {
        self.client
            .delete_message()
            .queue_url(&self.url)
            .receipt_handle(receipt)
            .send()
            .await
            .map_err(|e| backend("DeleteMessage", e))?;
        Ok(())
    }

    async fn delete_batch(&self, receipts: &[String]) -> Result<Vec<DeleteFailure>, QueueError> {
        if receipts.is_empty() {
            return Ok(Vec::new());
        }
        if receipts.len() > MAX_BATCH {
            return Err(QueueError::Backend {
                operation: "DeleteMessageBatch",
                message: format!(
                    "{} receipts in one call; SQS allows at most {MAX_BATCH}",
                    receipts.len()
                ),
            });
        }
        // Entry ids only have to be unique within the call; the index maps failures back.
        let entries = receipts
            .iter()
            .enumerate()
            .map(|(i, receipt)| {
                DeleteMessageBatchRequestEntry::builder()
                    .id(i.to_string())
                    .receipt_handle(receipt)
                    .build()
                    .map_err(|e| backend("DeleteMessageBatch", e))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let output = self
            .client
            .delete_message_batch()
            .queue_url(&self.url)
            .set_entries(Some(entries))
            .send()
            .await
            .map_err(|e| backend("DeleteMessageBatch", e))?;
        Ok(output
            .failed
            .into_iter()
            .map(|failed| {
                let receipt = failed
                    .id
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| receipts.get(i))
                    .cloned()
                    .unwrap_or_else(|| format!("<unknown entry id {}>", failed.id));
                DeleteFailure {
                    receipt,
                    reason: format!(
                        "{}{}: {}",
                        failed.code,
                        if failed.sender_fault {
                            " (sender fault)"
                        } else {
                            ""
                        },
                        failed.message.unwrap_or_default()
                    ),
                }
            })
            .collect())
    }

    async fn change_visibility(&self, receipt: &str, timeout: Duration) -> Result<(), QueueError> {
        self.client
            .change_message_visibility()
            .queue_url(&self.url)
            .receipt_handle(receipt)
            .visibility_timeout(seconds(timeout).min(43_200))
            .send()
            .await
            .map_err(|e| backend("ChangeMessageVisibility", e))?;
        Ok(())
    }

    async fn send(&self, body: &str) -> Result<String, QueueError> {
        let output = self
            .client
            .send_message()
            .queue_url(&self.url)
            .message_body(body)
            .send()
            .await
            .map_err(|e| backend("SendMessage", e))?;
        Ok(output.message_id.unwrap_or_default())
    }

    async fn check(&self) -> Result<(), QueueError> {
        self.client
            .get_queue_attributes()
            .queue_url(&self.url)
            .send()
            .await
            .map_err(|e| backend("GetQueueAttributes", e))?;
        Ok(())
    }
}
