//! The transactional outbox: services write the HMPPS domain events they raise to Delius's
//! `domain_event` table in the same transaction as the change they describe; this publishes
//! those rows to the SNS topic and removes them.
//!
//! Properties (see `tech-docs/messaging.md`, "The outbox"):
//! - **At least once.** A row is deleted only in the transaction that claimed it, and that
//!   transaction commits only after the row was published. A crash, lost connection or failed
//!   commit after a publish leaves the row, so it is published again: subscribers must be
//!   idempotent, as they are for every SQS message.
//! - **Survives restarts.** The rows are the state; a new process (or a new [`Outbox`]) carries
//!   on with whatever is left.
//! - **Shared by replicas.** Each poll claims the oldest rows with `FOR UPDATE SKIP LOCKED`, so
//!   replicas work on different rows instead of waiting for each other.
//! - **In order per CRN.** Rows are published in `domain_event_id` order within a claim, and a
//!   claimed row is held back while an older row for the same CRN still exists outside this
//!   claim (locked by another replica, or committed after our claim). So a row is published only
//!   after every older row for its CRN has been published and deleted.
//! - **Stops at the first failed publish.** What was published before it is deleted and
//!   committed; the failed row and everything after it stay for the next poll, in order.

mod message;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use delius_data::schema::{domain_event, r_standard_reference_list};
use delius_data::DbPool;
use diesel::prelude::*;
use diesel_async::scoped_futures::ScopedFutureExt;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use messaging::Publisher;
use tokio_util::sync::CancellationToken;

pub use message::{crn, notification};

#[derive(Debug, Clone)]
pub struct OutboxConfig {
    /// Rows claimed (and held locked) per poll.
    pub batch_size: i64,
    /// Pause between polls when the last one found less than a full batch to publish.
    pub poll_interval: Duration,
    /// Pause after a failed poll (database unreachable, a publish failed).
    pub error_backoff: Duration,
}

impl Default for OutboxConfig {
    fn default() -> Self {
        Self {
            batch_size: 50,
            poll_interval: Duration::from_secs(1),
            error_backoff: Duration::from_secs(5),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    #[error("could not get a database connection: {0}")]
    Pool(String),
    #[error("database error in the outbox: {0}")]
    Database(#[from] diesel::result::Error),
}

/// What one poll did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Poll {
    /// Rows this poll locked.
    pub claimed: usize,
    /// Ids published and deleted, in publish order.
    pub published: Vec<i64>,
    /// Rows left because an older row for the same CRN was not published yet.
    pub held_back: usize,
    /// The row whose publish failed, and why; it and the rest of the claim stay for the next
    /// poll.
    pub failed: Option<(i64, String)>,
}

/// Publishes `domain_event` rows to the topic behind `publisher`. Cheap to clone; every clone
/// (and every replica) can poll at once.
#[derive(Clone)]
pub struct Outbox {
    pool: DbPool,
    publisher: Arc<dyn Publisher>,
    config: OutboxConfig,
}

/// A claimed row.
struct Row {
    id: i64,
    type_id: i64,
    body: String,
    attributes: String,
    crn: Option<String>,
}

impl Outbox {
    pub fn new(pool: DbPool, publisher: Arc<dyn Publisher>, config: OutboxConfig) -> Self {
        Self {
            pool,
            publisher,
            config,
        }
    }

    /// Polls until `shutdown` is cancelled. A poll that is publishing finishes first (its rows
    /// stay locked until it commits), so stopping never loses or repeats a row by itself.
    pub async fn run(self, shutdown: CancellationToken) {
        tracing::info!(batch_size = self.config.batch_size, "outbox started");
        loop {
            if shutdown.is_cancelled() {
                break;
            }
            let pause = match self.publish_pending().await {
                Ok(poll) if poll.failed.is_some() => self.config.error_backoff,
                // A full batch published: there may be more waiting right now.
                Ok(poll) if poll.published.len() as i64 >= self.config.batch_size => Duration::ZERO,
                Ok(_) => self.config.poll_interval,
                Err(error) => {
                    tracing::error!(%error, "outbox poll failed; will retry");
                    self.config.error_backoff
                }
            };
            match self.oldest_pending_age().await {
                Ok(age) => metrics::gauge!("outbox_oldest_pending_seconds")
                    .set(age.unwrap_or_default().as_secs_f64()),
                Err(error) => tracing::warn!(%error, "could not read the outbox backlog's age"),
            }
            if pause > Duration::ZERO {
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    _ = tokio::time::sleep(pause) => {}
                }
            }
        }
        tracing::info!("outbox stopped");
    }

    /// How long the oldest row still in the table has waited (`None` when it is empty): the
    /// `outbox_oldest_pending_seconds` gauge, which an alert can watch.
    pub async fn oldest_pending_age(&self) -> Result<Option<Duration>, OutboxError> {
        let mut conn = self
            .pool
            .get()
            .await
            .map_err(|e| OutboxError::Pool(e.to_string()))?;
        // The lowest id is the oldest row (ids come from a sequence); its primary-key lookup is
        // cheap however long the table is.
        let oldest: Option<chrono::NaiveDateTime> = domain_event::table
            .select(domain_event::created_datetime)
            .order(domain_event::domain_event_id)
            .first(&mut conn)
            .await
            .optional()?;
        Ok(oldest.map(|created| {
            // Both are Europe/London wall-clock times, as Delius stores them.
            (delius_data::time::now_london() - created)
                .to_std()
                .unwrap_or_default()
        }))
    }

    /// One poll: in one transaction, claims up to `batch_size` of the oldest unclaimed rows,
    /// publishes them oldest first (holding back any whose CRN has an older row outside the
    /// claim), deletes what was published and commits.
    pub async fn publish_pending(&self) -> Result<Poll, OutboxError> {
        let mut conn = self
            .pool
            .get()
            .await
            .map_err(|e| OutboxError::Pool(e.to_string()))?;
        let poll = conn
            .transaction::<_, OutboxError, _>(|tx| self.claim_and_publish(tx).scope_boxed())
            .await?;
        metrics::counter!("outbox_published_total").increment(poll.published.len() as u64);
        if let Some((id, error)) = &poll.failed {
            metrics::counter!("outbox_publish_failures_total").increment(1);
            tracing::error!(
                domain_event_id = id,
                error,
                published = poll.published.len(),
                "publishing a domain event failed; it and the rows after it stay for the next poll"
            );
        } else if !poll.published.is_empty() || poll.held_back > 0 {
            tracing::debug!(
                published = poll.published.len(),
                held_back = poll.held_back,
                "outbox poll"
            );
        }
        Ok(poll)
    }

    async fn claim_and_publish(&self, tx: &mut AsyncPgConnection) -> Result<Poll, OutboxError> {
        let claimed: Vec<(i64, i64, String, String)> = domain_event::table
            .select((
                domain_event::domain_event_id,
                domain_event::domain_event_type_id,
                domain_event::message_body,
                domain_event::message_attributes,
            ))
            .order(domain_event::domain_event_id)
            .limit(self.config.batch_size.max(1))
            .for_update()
            .skip_locked()
            .load(tx)
            .await?;
        let mut poll = Poll {
            claimed: claimed.len(),
            ..Poll::default()
        };
        let Some(newest) = claimed.last().map(|row| row.0) else {
            return Ok(poll);
        };
        let rows: Vec<Row> = claimed
            .into_iter()
            .map(|(id, type_id, body, attributes)| Row {
                crn: message::crn(&body),
                id,
                type_id,
                body,
                attributes,
            })
            .collect();
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let held_elsewhere = oldest_held_elsewhere(tx, newest, &ids).await?;
        let type_codes = type_codes(tx, &rows).await?;

        for row in &rows {
            let waits_for_older = row
                .crn
                .as_ref()
                .is_some_and(|crn| held_elsewhere.get(crn).is_some_and(|&older| older < row.id));
            if waits_for_older {
                poll.held_back += 1;
                continue;
            }
            let notification = message::notification(
                &row.body,
                &row.attributes,
                type_codes.get(&row.type_id).map(String::as_str),
            );
            match self.publisher.publish(notification).await {
                Ok(()) => poll.published.push(row.id),
                Err(error) => {
                    poll.failed = Some((row.id, error.to_string()));
                    break;
                }
            }
        }
        if !poll.published.is_empty() {
            diesel::delete(
                domain_event::table.filter(domain_event::domain_event_id.eq_any(&poll.published)),
            )
            .execute(tx)
            .await?;
        }
        Ok(poll)
    }
}

/// For each CRN, the oldest row older than `newest` that is not in this claim. With `SKIP
/// LOCKED` and oldest-first claiming, such a row was locked by another poll (another replica)
/// when we claimed, or was committed since; either way it has not been published yet, so later
/// rows for its CRN must wait. Rows another poll deletes are gone from this (READ COMMITTED)
/// read as soon as it commits, so nothing waits longer than that poll.
async fn oldest_held_elsewhere(
    tx: &mut AsyncPgConnection,
    newest: i64,
    claimed: &[i64],
) -> Result<HashMap<String, i64>, OutboxError> {
    let others: Vec<(i64, String)> = domain_event::table
        .select((domain_event::domain_event_id, domain_event::message_body))
        .filter(domain_event::domain_event_id.lt(newest))
        .filter(domain_event::domain_event_id.ne_all(claimed))
        .order(domain_event::domain_event_id)
        .load(tx)
        .await?;
    let mut oldest = HashMap::new();
    for (id, body) in others {
        if let Some(crn) = message::crn(&body) {
            oldest.entry(crn).or_insert(id);
        }
    }
    Ok(oldest)
}

/// The event-type codes of the claimed rows' `domain_event_type_id`s (the fallback `eventType`).
async fn type_codes(
    tx: &mut AsyncPgConnection,
    rows: &[Row],
) -> Result<BTreeMap<i64, String>, OutboxError> {
    let mut type_ids: Vec<i64> = rows.iter().map(|r| r.type_id).collect();
    type_ids.sort_unstable();
    type_ids.dedup();
    let codes: Vec<(i64, String)> = r_standard_reference_list::table
        .select((
            r_standard_reference_list::standard_reference_list_id,
            r_standard_reference_list::code_value,
        ))
        .filter(r_standard_reference_list::standard_reference_list_id.eq_any(type_ids))
        .load(tx)
        .await?;
    Ok(codes.into_iter().collect())
}
