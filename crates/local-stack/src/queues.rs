//! `queues`: message counts per service queue and its DLQ.

use anyhow::{Context, Result};
use aws_sdk_sqs::types::QueueAttributeName;

use crate::aws::{sdk_error, Clients};
use crate::provision::queue_url;
use crate::table::Table;
use crate::topology::Topology;

struct Counts {
    visible: String,
    in_flight: String,
    delayed: String,
}

async fn counts(clients: &Clients, name: &str) -> Result<Option<Counts>> {
    let Some(url) = queue_url(clients, name).await? else {
        return Ok(None);
    };
    let out = clients
        .sqs
        .get_queue_attributes()
        .queue_url(&url)
        .attribute_names(QueueAttributeName::ApproximateNumberOfMessages)
        .attribute_names(QueueAttributeName::ApproximateNumberOfMessagesNotVisible)
        .attribute_names(QueueAttributeName::ApproximateNumberOfMessagesDelayed)
        .send()
        .await
        .map_err(|e| sdk_error(e, &clients.endpoint))
        .with_context(|| format!("reading message counts of {name}"))?;
    let attributes = out.attributes().cloned().unwrap_or_default();
    let get = |k: QueueAttributeName| attributes.get(&k).cloned().unwrap_or_else(|| "?".into());
    Ok(Some(Counts {
        visible: get(QueueAttributeName::ApproximateNumberOfMessages),
        in_flight: get(QueueAttributeName::ApproximateNumberOfMessagesNotVisible),
        delayed: get(QueueAttributeName::ApproximateNumberOfMessagesDelayed),
    }))
}

pub async fn queues(clients: &Clients, topology: &Topology) -> Result<()> {
    let mut table = Table::new(&["queue", "visible", "in-flight", "delayed", "dlq"]);
    let mut missing = false;
    for service in &topology.services {
        let queue = service.queue_name();
        let main = counts(clients, &queue).await?;
        let dlq = counts(clients, &service.dlq_name()).await?;
        let (visible, in_flight, delayed) = match main {
            Some(c) => (c.visible, c.in_flight, c.delayed),
            None => {
                missing = true;
                ("missing".into(), "-".into(), "-".into())
            }
        };
        let dlq = match dlq {
            Some(c) => c.visible,
            None => {
                missing = true;
                "missing".into()
            }
        };
        table.row(vec![queue, visible, in_flight, delayed, dlq]);
    }
    print!("{table}");
    if missing {
        println!("some queues are missing: run `local-stack provision`");
    }
    Ok(())
}
