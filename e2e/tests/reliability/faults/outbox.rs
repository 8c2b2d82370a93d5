//! The outbox publisher under faults (for a service that runs it): rows written to
//! `domain_event` are published to the topic through a PostgreSQL restart and a SIGTERM while
//! publishing. Every row must reach a queue subscribed to the topic at least once (a row
//! published in a poll that could not commit is published again: at-least-once) and the table
//! must end empty.

use std::collections::HashSet;
use std::time::Duration;

use diesel_async::SimpleAsyncConnection;
use e2e::db;
use e2e::sqs::{self, Queue};
use e2e::stack::ServiceProcess;
use e2e::topology::Topology;
use tokio::time::Instant;

use super::{Stack, CASE_LIMIT};
use crate::report::CaseResult;

/// A type the reference data has a DOMAIN EVENT TYPE row for.
const EVENT_TYPE: &str = "probation-case.licence-condition.terminated";
/// Enough that publishing them takes seconds (moto publishes 10-20 a second here), so each fault
/// lands while rows are left.
const ROWS: i64 = 400;
const CAPTURE_QUEUE: &str = "e2e-reliability-outbox-capture";

impl Stack {
    pub(super) async fn outbox_under_faults(&mut self) -> CaseResult {
        let started = Instant::now();
        let mut problems = Vec::new();
        let published = match self.run_outbox_case(&mut problems).await {
            Ok(published) => published,
            Err(e) => {
                problems.push(format!("{e:#}"));
                Published::default()
            }
        };
        let duplicates = published.received.saturating_sub(published.distinct.len());
        CaseResult {
            case: format!(
                "{}: outbox publishing through a PostgreSQL restart and SIGTERM \
                 ({duplicates} published twice, as at-least-once allows)",
                self.subject.service()
            ),
            sent: ROWS as usize,
            rows_expected: ROWS,
            rows_found: published.distinct.len() as i64,
            dlq_expected: 0,
            dlq_found: 0,
            seconds: started.elapsed().as_secs_f64(),
            problems,
        }
    }

    async fn run_outbox_case(&mut self, problems: &mut Vec<String>) -> anyhow::Result<Published> {
        let capture = self.capture_queue().await?;
        self.insert_domain_events().await?;
        // The rows are waiting; a service with the outbox switched on starts publishing them.
        self.extra_env.push(("OUTBOX_ENABLED", "true".to_owned()));
        if let Some(service) = self.service.as_mut() {
            service.stop();
        }
        self.start_service().await?;

        self.wait_for_outbox_progress(ROWS - 100).await?;
        self.cluster.stop()?;
        tokio::time::sleep(Duration::from_secs(2)).await;
        self.cluster.restart()?;

        let left = self.unpublished().await?;
        self.wait_for_outbox_progress(left - 100).await?;
        match self.service.as_mut().and_then(ServiceProcess::stop) {
            Some(status) if status.success() => {}
            other => problems.push(format!("exit status after SIGTERM: {other:?}")),
        }
        self.start_service().await?;

        let deadline = Instant::now() + CASE_LIMIT;
        while self.unpublished().await? > 0 {
            anyhow::ensure!(
                Instant::now() < deadline,
                "rows still unpublished after {CASE_LIMIT:?}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        drain(&capture).await
    }

    /// A queue subscribed to the topic for [`EVENT_TYPE`], emptied.
    async fn capture_queue(&self) -> anyhow::Result<Queue> {
        let sqs_client = sqs::client(&self.endpoint).await;
        let url = sqs_client
            .create_queue()
            .queue_name(CAPTURE_QUEUE)
            .send()
            .await?
            .queue_url
            .unwrap_or_default();
        let arn = sqs_client
            .get_queue_attributes()
            .queue_url(&url)
            .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
            .send()
            .await?
            .attributes
            .and_then(|a| {
                a.get(&aws_sdk_sqs::types::QueueAttributeName::QueueArn)
                    .cloned()
            })
            .unwrap_or_default();
        let topology = Topology::load();
        let topic = format!("arn:aws:sns:eu-west-2:123456789012:{}", topology.topic);
        sqs::sns_client(&self.endpoint)
            .await
            .subscribe()
            .topic_arn(topic)
            .protocol("sqs")
            .endpoint(arn)
            .attributes(
                "FilterPolicy",
                serde_json::json!({ "eventType": [EVENT_TYPE] }).to_string(),
            )
            .send()
            .await?;
        let queue = Queue::named(&sqs_client, CAPTURE_QUEUE).await?;
        queue.purge().await?;
        Ok(queue)
    }

    /// [`ROWS`] events, numbered by `seq`, about 50 people (ordering is kept per CRN).
    async fn insert_domain_events(&self) -> anyhow::Result<()> {
        let sql = format!(
            "INSERT INTO domain_event (domain_event_id, domain_event_type_id, message_body, \
             message_attributes, created_datetime) \
             SELECT nextval('domain_event_id_seq'), \
                    (SELECT standard_reference_list_id FROM r_standard_reference_list \
                     WHERE code_value = '{EVENT_TYPE}' LIMIT 1), \
                    json_build_object('eventType', '{EVENT_TYPE}', 'version', 1, \
                        'additionalInformation', json_build_object('seq', i), \
                        'personReference', json_build_object('identifiers', json_build_array( \
                            json_build_object('type', 'CRN', 'value', 'C' || lpad((i % 50)::text, 6, '0')))))::text, \
                    '{{\"eventType\": \"{EVENT_TYPE}\"}}', now() \
             FROM generate_series(1, {ROWS}) i"
        );
        db::connect(&self.cluster.url())
            .await?
            .batch_execute(&sql)
            .await?;
        Ok(())
    }

    async fn unpublished(&self) -> anyhow::Result<i64> {
        db::count(
            &mut db::connect(&self.cluster.url()).await?,
            "SELECT count(*) AS n FROM domain_event",
        )
        .await
    }

    /// Waits until at most `left` rows are unpublished, and fails if none are (the fault would
    /// come too late to prove anything).
    async fn wait_for_outbox_progress(&self, left: i64) -> anyhow::Result<()> {
        let deadline = Instant::now() + CASE_LIMIT;
        loop {
            let unpublished = self.unpublished().await?;
            if unpublished <= left {
                anyhow::ensure!(
                    unpublished > 0,
                    "every row was published before the fault could land"
                );
                return Ok(());
            }
            anyhow::ensure!(Instant::now() < deadline, "the outbox made no progress");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

#[derive(Debug, Default)]
struct Published {
    received: usize,
    distinct: HashSet<u64>,
}

/// Takes every message off the capture queue: the `seq` of each event published.
async fn drain(capture: &Queue) -> anyhow::Result<Published> {
    let mut published = Published::default();
    let mut empty_takes = 0;
    while empty_takes < 3 {
        let messages = capture.take(1).await?;
        if messages.is_empty() {
            empty_takes += 1;
        }
        for message in messages {
            let envelope: serde_json::Value =
                serde_json::from_str(message.body().unwrap_or_default())?;
            let event: serde_json::Value =
                serde_json::from_str(envelope["Message"].as_str().unwrap_or_default())?;
            let seq = event["additionalInformation"]["seq"]
                .as_u64()
                .ok_or_else(|| anyhow::anyhow!("a published event without seq: {event}"))?;
            published.received += 1;
            published.distinct.insert(seq);
        }
    }
    Ok(published)
}
