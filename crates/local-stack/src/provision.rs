//! `provision`: idempotently creates the topic, the queues + DLQs and the filtered subscriptions.

use std::collections::HashMap;

use anyhow::{Context, Result};
use aws_sdk_sqs::types::QueueAttributeName;
use serde_json::{json, Value};

use crate::aws::{sdk_error, Clients};
use crate::table::Table;
use crate::topology::{Service, Topology};

/// What provisioning did to one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Created,
    Updated,
    Unchanged,
}

impl Change {
    fn label(self) -> &'static str {
        match self {
            Change::Created => "created",
            Change::Updated => "updated",
            Change::Unchanged => "exists",
        }
    }
}

pub async fn provision(clients: &Clients, topology: &Topology, exact_only: bool) -> Result<()> {
    let topic_arn = ensure_topic(clients, &topology.topic).await?;
    println!("topic {} ({topic_arn})", topology.topic);
    if exact_only {
        println!("note: prefix filters left out (--exact-only); prefix-matched event types will not be delivered");
    }

    let mut table = Table::new(&[
        "service",
        "queue",
        "dlq",
        "visibility",
        "subscription",
        "filter (eventType)",
    ]);
    for service in &topology.services {
        let (dlq_url, dlq_change) = ensure_queue(clients, &service.dlq_name(), HashMap::new())
            .await
            .with_context(|| format!("dead-letter queue of {}", service.name))?;
        let dlq_arn = queue_arn(clients, &dlq_url).await?;

        let queue_name = service.queue_name();
        // Same account and region as the DLQ; needed before the queue exists, for its policy.
        let queue_arn_expected = dlq_arn
            .rsplit_once(':')
            .map(|(head, _)| format!("{head}:{queue_name}"))
            .unwrap_or_default();
        let mut attributes = HashMap::new();
        attributes.insert(
            QueueAttributeName::VisibilityTimeout,
            service.visibility_timeout_seconds.to_string(),
        );
        attributes.insert(
            QueueAttributeName::RedrivePolicy,
            json!({ "deadLetterTargetArn": dlq_arn, "maxReceiveCount": topology.max_receive_count })
                .to_string(),
        );
        attributes.insert(
            QueueAttributeName::Policy,
            sns_send_policy(&queue_arn_expected, &topic_arn),
        );
        let (queue_url, queue_change) = ensure_queue(clients, &queue_name, attributes)
            .await
            .with_context(|| format!("queue of {}", service.name))?;
        let queue_arn = queue_arn(clients, &queue_url).await?;

        let policy = service.filter_policy(exact_only);
        let sub_change = ensure_subscription(clients, &topic_arn, &queue_arn, &policy)
            .await
            .with_context(|| format!("subscription of {}", service.name))?;

        table.row(vec![
            service.name.clone(),
            format!("{queue_name} ({})", queue_change.label()),
            format!("{} ({})", service.dlq_name(), dlq_change.label()),
            format!("{}s", service.visibility_timeout_seconds),
            sub_change.label().to_string(),
            filter_summary(service, exact_only),
        ]);
    }
    print!("{table}");
    println!(
        "redrive: maxReceiveCount {} -> <service>-dlq; raw message delivery off (SNS envelope)",
        topology.max_receive_count
    );
    Ok(())
}

fn filter_summary(service: &Service, exact_only: bool) -> String {
    let policy = service.filter_policy(exact_only);
    policy
        .get("eventType")
        .and_then(Value::as_array)
        .map(|values| {
            values
                .iter()
                .map(|v| match v {
                    Value::String(s) => s.clone(),
                    Value::Object(o) => o
                        .get("prefix")
                        .and_then(Value::as_str)
                        .map(|p| format!("{p}*"))
                        .unwrap_or_else(|| v.to_string()),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// The queue policy real SQS needs so the topic may deliver (emulators do not enforce it).
fn sns_send_policy(queue_arn: &str, topic_arn: &str) -> String {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "hmpps-domain-events",
            "Effect": "Allow",
            "Principal": { "Service": "sns.amazonaws.com" },
            "Action": "sqs:SendMessage",
            "Resource": queue_arn,
            "Condition": { "ArnEquals": { "aws:SourceArn": topic_arn } }
        }]
    })
    .to_string()
}

pub async fn ensure_topic(clients: &Clients, name: &str) -> Result<String> {
    // CreateTopic is idempotent: it returns the existing topic's ARN.
    let out = clients
        .sns
        .create_topic()
        .name(name)
        .send()
        .await
        .map_err(|e| sdk_error(e, &clients.endpoint))
        .with_context(|| format!("creating SNS topic {name}"))?;
    out.topic_arn()
        .map(str::to_string)
        .with_context(|| format!("CreateTopic {name} returned no TopicArn"))
}

/// Finds a topic's ARN without creating it.
pub async fn find_topic(clients: &Clients, name: &str) -> Result<Option<String>> {
    let mut pages = clients.sns.list_topics().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page
            .map_err(|e| sdk_error(e, &clients.endpoint))
            .context("listing SNS topics")?;
        for topic in page.topics() {
            if let Some(arn) = topic.topic_arn() {
                if arn.rsplit(':').next() == Some(name) {
                    return Ok(Some(arn.to_string()));
                }
            }
        }
    }
    Ok(None)
}

/// Looks a queue up by name: `Ok(None)` when it does not exist.
pub async fn queue_url(clients: &Clients, name: &str) -> Result<Option<String>> {
    match clients.sqs.get_queue_url().queue_name(name).send().await {
        Ok(out) => Ok(out.queue_url().map(str::to_string)),
        Err(err) => {
            let missing = err
                .as_service_error()
                .map(|e| {
                    e.is_queue_does_not_exist()
                        || e.meta()
                            .code()
                            .is_some_and(|c| c.contains("NonExistentQueue"))
                })
                .unwrap_or(false);
            if missing {
                Ok(None)
            } else {
                Err(sdk_error(err, &clients.endpoint))
                    .with_context(|| format!("looking up queue {name}"))
            }
        }
    }
}

async fn ensure_queue(
    clients: &Clients,
    name: &str,
    wanted: HashMap<QueueAttributeName, String>,
) -> Result<(String, Change)> {
    if let Some(url) = queue_url(clients, name).await? {
        if wanted.is_empty() {
            return Ok((url, Change::Unchanged));
        }
        let current = clients
            .sqs
            .get_queue_attributes()
            .queue_url(&url)
            .attribute_names(QueueAttributeName::All)
            .send()
            .await
            .map_err(|e| sdk_error(e, &clients.endpoint))
            .with_context(|| format!("reading attributes of queue {name}"))?;
        let current = current.attributes().cloned().unwrap_or_default();
        let differs = wanted
            .iter()
            .any(|(k, v)| !attribute_equal(current.get(k).map(String::as_str), v));
        if !differs {
            return Ok((url, Change::Unchanged));
        }
        clients
            .sqs
            .set_queue_attributes()
            .queue_url(&url)
            .set_attributes(Some(wanted))
            .send()
            .await
            .map_err(|e| sdk_error(e, &clients.endpoint))
            .with_context(|| format!("updating attributes of queue {name}"))?;
        return Ok((url, Change::Updated));
    }
    let out = clients
        .sqs
        .create_queue()
        .queue_name(name)
        .set_attributes((!wanted.is_empty()).then_some(wanted))
        .send()
        .await
        .map_err(|e| sdk_error(e, &clients.endpoint))
        .with_context(|| format!("creating queue {name}"))?;
    let url = out
        .queue_url()
        .map(str::to_string)
        .with_context(|| format!("CreateQueue {name} returned no QueueUrl"))?;
    Ok((url, Change::Created))
}

/// Compares attribute values, treating JSON values (policies) structurally.
fn attribute_equal(current: Option<&str>, wanted: &str) -> bool {
    let Some(current) = current else {
        return false;
    };
    if current == wanted {
        return true;
    }
    match (
        serde_json::from_str::<Value>(current),
        serde_json::from_str::<Value>(wanted),
    ) {
        (Ok(a), Ok(b)) if a.is_object() => normalise_json(&a) == normalise_json(&b),
        _ => false,
    }
}

/// Numbers written as strings (`"3"`) and as numbers (`3`) compare equal: emulators echo either.
fn normalise_json(v: &Value) -> Value {
    match v {
        Value::Number(n) => Value::String(n.to_string()),
        Value::Array(items) => Value::Array(items.iter().map(normalise_json).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), normalise_json(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

pub async fn queue_arn(clients: &Clients, url: &str) -> Result<String> {
    let out = clients
        .sqs
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(QueueAttributeName::QueueArn)
        .send()
        .await
        .map_err(|e| sdk_error(e, &clients.endpoint))
        .with_context(|| format!("reading QueueArn of {url}"))?;
    out.attributes()
        .and_then(|a| a.get(&QueueAttributeName::QueueArn))
        .cloned()
        .with_context(|| format!("queue {url} has no QueueArn attribute"))
}

/// SQS subscriptions of a topic: `(subscription ARN, queue ARN)`.
pub async fn sqs_subscriptions(
    clients: &Clients,
    topic_arn: &str,
) -> Result<Vec<(String, String)>> {
    let mut found = Vec::new();
    let mut pages = clients
        .sns
        .list_subscriptions_by_topic()
        .topic_arn(topic_arn)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page
            .map_err(|e| sdk_error(e, &clients.endpoint))
            .with_context(|| format!("listing subscriptions of {topic_arn}"))?;
        for sub in page.subscriptions() {
            if sub.protocol() == Some("sqs") {
                if let (Some(arn), Some(endpoint)) = (sub.subscription_arn(), sub.endpoint()) {
                    found.push((arn.to_string(), endpoint.to_string()));
                }
            }
        }
    }
    Ok(found)
}

pub async fn subscription_attributes(
    clients: &Clients,
    subscription_arn: &str,
) -> Result<HashMap<String, String>> {
    let out = clients
        .sns
        .get_subscription_attributes()
        .subscription_arn(subscription_arn)
        .send()
        .await
        .map_err(|e| sdk_error(e, &clients.endpoint))
        .with_context(|| format!("reading attributes of subscription {subscription_arn}"))?;
    Ok(out.attributes().cloned().unwrap_or_default())
}

async fn ensure_subscription(
    clients: &Clients,
    topic_arn: &str,
    queue_arn: &str,
    policy: &Value,
) -> Result<Change> {
    let policy_text = policy.to_string();
    let existing = sqs_subscriptions(clients, topic_arn)
        .await?
        .into_iter()
        .find(|(_, endpoint)| endpoint == queue_arn);

    let Some((subscription_arn, _)) = existing else {
        clients
            .sns
            .subscribe()
            .topic_arn(topic_arn)
            .protocol("sqs")
            .endpoint(queue_arn)
            .attributes("FilterPolicy", &policy_text)
            .attributes("RawMessageDelivery", "false")
            .return_subscription_arn(true)
            .send()
            .await
            .map_err(|e| sdk_error(e, &clients.endpoint))
            .with_context(|| format!("subscribing {queue_arn} to {topic_arn}"))?;
        return Ok(Change::Created);
    };

    let current = subscription_attributes(clients, &subscription_arn).await?;
    let mut change = Change::Unchanged;
    let filter_ok = current
        .get("FilterPolicy")
        .and_then(|p| serde_json::from_str::<Value>(p).ok())
        .is_some_and(|p| &p == policy);
    if !filter_ok {
        set_subscription_attribute(clients, &subscription_arn, "FilterPolicy", &policy_text)
            .await?;
        change = Change::Updated;
    }
    let raw = current
        .get("RawMessageDelivery")
        .map(|v| v.eq_ignore_ascii_case("true"))
        .unwrap_or(false);
    if raw {
        set_subscription_attribute(clients, &subscription_arn, "RawMessageDelivery", "false")
            .await?;
        change = Change::Updated;
    }
    Ok(change)
}

async fn set_subscription_attribute(
    clients: &Clients,
    subscription_arn: &str,
    name: &str,
    value: &str,
) -> Result<()> {
    clients
        .sns
        .set_subscription_attributes()
        .subscription_arn(subscription_arn)
        .attribute_name(name)
        .attribute_value(value)
        .send()
        .await
        .map_err(|e| sdk_error(e, &clients.endpoint))
        .with_context(|| format!("setting {name} on subscription {subscription_arn}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_comparison_is_structural_for_json() {
        assert!(attribute_equal(Some("30"), "30"));
        assert!(!attribute_equal(Some("60"), "30"));
        assert!(!attribute_equal(None, "30"));
        assert!(attribute_equal(
            Some(r#"{"maxReceiveCount": "3", "deadLetterTargetArn": "arn:x"}"#),
            r#"{"deadLetterTargetArn":"arn:x","maxReceiveCount":3}"#
        ));
    }
}
