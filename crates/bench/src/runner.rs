//! Runs the real `Consumer` over a pre-filled queue and times it until every message is deleted.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use aws_sdk_sqs::types::SendMessageBatchRequestEntry;
use messaging::{
    Consumer, ConsumerConfig, HmppsDomainEvent, InMemoryQueue, Notification, Queue, Telemetry,
    TransientClassifier,
};
use test_support::sqs::SqsTestStack;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::handler::{BenchHandler, CountingQueue, Work};
use crate::stats::LatencySummary;

pub const EVENT_TYPE: &str = "bench.contact-requested";

/// The longest a consumer scenario may run before it is reported as failed.
const SCENARIO_TIMEOUT: Duration = Duration::from_secs(600);

/// What one consumer run measured.
#[derive(Debug, Clone)]
pub struct ConsumerRun {
    pub elapsed: Duration,
    pub handler_calls: usize,
    pub receive_calls: u64,
    pub messages_received: u64,
    /// Messages asked for, summed over the receive calls.
    pub messages_asked: u64,
    /// DeleteMessage and DeleteMessageBatch calls.
    pub delete_calls: u64,
    pub latency: Option<LatencySummary>,
}

/// The consumer settings of the in-memory runs: the platform's defaults with a short long-poll.
pub fn memory_config() -> ConsumerConfig {
    ConsumerConfig {
        wait_time: Duration::from_millis(20),
        ..ConsumerConfig::default()
    }
}

/// The consumer settings of the SQS runs: 1 s long-poll, batches of 10, 10 at once.
pub fn sqs_config() -> ConsumerConfig {
    ConsumerConfig {
        wait_time: Duration::from_secs(1),
        batch_size: 10,
        concurrency: 10,
        ..ConsumerConfig::default()
    }
}

/// Classifies as the services do: database errors are transient too.
pub fn classifier() -> TransientClassifier {
    TransientClassifier::any_of(vec![delius_data::is_transient])
}

/// The SNS envelope of message `i`: a domain event with a CRN, as SQS would deliver it.
pub fn envelope(i: usize) -> anyhow::Result<String> {
    let event = HmppsDomainEvent::new(EVENT_TYPE).with_identifier("CRN", format!("X{i:06}"));
    let notification =
        Notification::for_event(EVENT_TYPE, &event).context("serialising a bench event")?;
    Ok(notification.to_envelope())
}

/// Where a run counts what is left.
enum Remaining<'a> {
    Memory(&'a InMemoryQueue),
    Sqs(&'a SqsTestStack),
}

impl Remaining<'_> {
    async fn count(&self) -> anyhow::Result<u64> {
        match self {
            Self::Memory(queue) => Ok(queue.pending() as u64),
            Self::Sqs(stack) => {
                let (visible, in_flight) = stack
                    .depth(&stack.queue_url)
                    .await
                    .context("reading the bench queue's depth")?;
                Ok(visible + in_flight)
            }
        }
    }

    fn poll_interval(&self) -> Duration {
        match self {
            Self::Memory(_) => Duration::from_millis(1),
            Self::Sqs(_) => Duration::from_millis(20),
        }
    }
}

/// Starts the clock, starts the consumer, waits until the handler has seen `expected` messages
/// and the queue is empty (every message deleted), stops the clock and then the consumer.
async fn time_consumer(
    queue: Arc<dyn Queue>,
    remaining: Remaining<'_>,
    work: Work,
    expected: usize,
    config: ConsumerConfig,
) -> anyhow::Result<ConsumerRun> {
    let handler = Arc::new(BenchHandler::new(work, expected));
    let counting = Arc::new(CountingQueue::new(queue));
    let consumer = Consumer::new(
        counting.clone(),
        handler.clone(),
        config,
        Telemetry::new(),
        classifier(),
    );
    let shutdown = CancellationToken::new();
    let deadline = Instant::now() + SCENARIO_TIMEOUT;

    let started = Instant::now();
    let task = tokio::spawn(consumer.run(shutdown.clone()));
    let finished = async {
        handler.wait_all_called(deadline).await?;
        loop {
            let left = remaining.count().await?;
            if left == 0 {
                return anyhow::Ok(());
            }
            if Instant::now() >= deadline {
                anyhow::bail!("{left} messages were still on the queue after {SCENARIO_TIMEOUT:?}");
            }
            tokio::time::sleep(remaining.poll_interval()).await;
        }
    }
    .await;
    let elapsed = started.elapsed();

    shutdown.cancel();
    task.await.context("the consumer task panicked")?;
    finished?;
    let (receive_calls, messages_received) = counting.counts();
    Ok(ConsumerRun {
        elapsed,
        handler_calls: handler.calls(),
        receive_calls,
        messages_received,
        messages_asked: counting.asked(),
        delete_calls: counting.delete_calls(),
        latency: handler.latencies.summary(),
    })
}

/// `messages` envelopes on an in-memory queue with SQS's defaults, then the consumer.
pub async fn memory(messages: usize, work: Work) -> anyhow::Result<ConsumerRun> {
    let queue = InMemoryQueue::new("bench-queue");
    for i in 0..messages {
        queue
            .send(&envelope(i)?)
            .await
            .context("filling the in-memory queue")?;
    }
    time_consumer(
        Arc::new(queue.clone()),
        Remaining::Memory(&queue),
        work,
        messages,
        memory_config(),
    )
    .await
}

/// The SQS settings with receives and deletes of `batch` messages a call: 1 is the consumer
/// without batching (one ReceiveMessage per free slot, one DeleteMessage per message).
pub fn sqs_batch_config(batch: usize) -> ConsumerConfig {
    ConsumerConfig {
        batch_size: batch,
        delete_batch_size: batch,
        ..sqs_config()
    }
}

/// A throwaway topic + queue + DLQ on the emulator, `messages` envelopes sent straight to the
/// queue (SendMessageBatch, 10 a call) before the clock starts, then the consumer.
pub async fn sqs(messages: usize, work: Work) -> anyhow::Result<ConsumerRun> {
    sqs_with(messages, work, sqs_config()).await
}

/// As [`sqs`], with the given consumer settings.
pub async fn sqs_with(
    messages: usize,
    work: Work,
    config: ConsumerConfig,
) -> anyhow::Result<ConsumerRun> {
    let stack = SqsTestStack::create(&[EVENT_TYPE], Duration::from_secs(30))
        .await
        .context("creating the bench queue on the SQS emulator")?;
    let run = async {
        fill_sqs(&stack, messages).await?;
        let queue = stack
            .queue()
            .await
            .context("connecting to the bench queue")?;
        time_consumer(
            Arc::new(queue),
            Remaining::Sqs(&stack),
            work,
            messages,
            config,
        )
        .await
    }
    .await;
    stack.delete().await;
    run
}

/// The emulator floor: the same `SqsQueue` calls the consumer makes on a busy queue (receive up
/// to 10, then one batch delete of what came) in a plain sequential loop, without a consumer or
/// handler.
pub async fn sqs_floor(messages: usize) -> anyhow::Result<ConsumerRun> {
    let stack = SqsTestStack::create(&[EVENT_TYPE], Duration::from_secs(30))
        .await
        .context("creating the bench queue on the SQS emulator")?;
    let run = async {
        fill_sqs(&stack, messages).await?;
        let queue = stack
            .queue()
            .await
            .context("connecting to the bench queue")?;
        let deadline = Instant::now() + SCENARIO_TIMEOUT;
        let (mut receive_calls, mut delete_calls, mut deleted) = (0_u64, 0_u64, 0_usize);
        let started = Instant::now();
        while deleted < messages {
            if Instant::now() >= deadline {
                anyhow::bail!(
                    "only {deleted} of {messages} messages deleted in {SCENARIO_TIMEOUT:?}"
                );
            }
            let received = queue
                .receive(10, Duration::from_secs(1))
                .await
                .context("receiving from the bench queue")?;
            receive_calls += 1;
            if received.is_empty() {
                continue;
            }
            let receipts: Vec<String> = received.into_iter().map(|m| m.receipt).collect();
            let failed = queue
                .delete_batch(&receipts)
                .await
                .context("deleting from the bench queue")?;
            delete_calls += 1;
            if let Some(failure) = failed.first() {
                anyhow::bail!(
                    "the emulator rejected a batch delete entry: {}",
                    failure.reason
                );
            }
            deleted += receipts.len();
        }
        Ok(ConsumerRun {
            elapsed: started.elapsed(),
            handler_calls: deleted,
            receive_calls,
            messages_received: deleted as u64,
            messages_asked: receive_calls * 10,
            delete_calls,
            latency: None,
        })
    }
    .await;
    stack.delete().await;
    run
}

async fn fill_sqs(stack: &SqsTestStack, messages: usize) -> anyhow::Result<()> {
    let bodies = (0..messages)
        .map(envelope)
        .collect::<anyhow::Result<Vec<_>>>()?;
    for (batch_number, batch) in bodies.chunks(10).enumerate() {
        let entries = batch
            .iter()
            .enumerate()
            .map(|(i, body)| {
                SendMessageBatchRequestEntry::builder()
                    .id(format!("m{i}"))
                    .message_body(body)
                    .build()
                    .context("building a SendMessageBatch entry")
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let output = stack
            .sqs
            .send_message_batch()
            .queue_url(&stack.queue_url)
            .set_entries(Some(entries))
            .send()
            .await
            .with_context(|| format!("SendMessageBatch number {batch_number} failed"))?;
        if let Some(failed) = output.failed.first() {
            anyhow::bail!(
                "SendMessageBatch number {batch_number} rejected entry {}: {} {}",
                failed.id,
                failed.code,
                failed.message.as_deref().unwrap_or("")
            );
        }
    }
    // Start the clock only once the emulator reports every message visible.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (visible, _) = stack
            .depth(&stack.queue_url)
            .await
            .context("reading the bench queue's depth")?;
        if visible as usize >= messages {
            return Ok(());
        }
        if Instant::now() >= deadline {
            anyhow::bail!("only {visible} of {messages} sent messages became visible within 30 s");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// An error and its sources on one line, without repeats (the SDK's own Debug output is long).
fn causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(error);
    while let Some(e) = next {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = e.source();
    }
    parts.join(": ")
}

/// Fails with a readable reason when the emulator does not answer.
pub async fn probe_emulator() -> Result<(), String> {
    let endpoint = test_support::sqs::endpoint();
    let config = messaging::aws::sdk_config(&messaging::aws::AwsSettings {
        region: Some("eu-west-2".to_owned()),
        endpoint_url: Some(endpoint.clone()),
    })
    .await;
    let client = aws_sdk_sqs::Client::new(&config);
    let answer = tokio::time::timeout(
        Duration::from_secs(10),
        client.list_queues().max_results(1).send(),
    )
    .await;
    match answer {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(error)) => Err(format!(
            "the SQS emulator at {endpoint} is not reachable ({}); start it with `make infra` or set {}",
            causes(&error),
            test_support::sqs::ENDPOINT_VARIABLE
        )),
        Err(_) => Err(format!(
            "the SQS emulator at {endpoint} did not answer within 10 s; start it with `make infra` or set {}",
            test_support::sqs::ENDPOINT_VARIABLE
        )),
    }
}
