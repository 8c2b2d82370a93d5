//! Rows for the outbox to publish, and publishers that record or fail.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use delius_data::schema::{domain_event, r_standard_reference_list};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use messaging::publisher::PublishError;
use messaging::{Notification, Publisher};
use serde_json::json;

/// The event type the reference data has a `DOMAIN EVENT TYPE` row for.
pub const EVENT_TYPE: &str = "probation-case.licence-condition.terminated";

/// Inserts a domain event about `crn`, numbered `seq`, as a service would; returns its id.
pub async fn insert_event(conn: &mut AsyncPgConnection, crn: &str, seq: usize) -> i64 {
    insert_row(
        conn,
        &body(crn, seq),
        &json!({ "eventType": EVENT_TYPE }).to_string(),
    )
    .await
}

pub fn body(crn: &str, seq: usize) -> String {
    json!({
        "eventType": EVENT_TYPE,
        "version": 1,
        "additionalInformation": { "seq": seq },
        "personReference": { "identifiers": [{ "type": "CRN", "value": crn }] },
    })
    .to_string()
}

pub async fn insert_row(conn: &mut AsyncPgConnection, body: &str, attributes: &str) -> i64 {
    let type_id: i64 = r_standard_reference_list::table
        .filter(r_standard_reference_list::code_value.eq(EVENT_TYPE))
        .select(r_standard_reference_list::standard_reference_list_id)
        .first(conn)
        .await
        .expect("the DOMAIN EVENT TYPE reference row");
    let id: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "nextval('domain_event_id_seq')",
    ))
    .get_result(conn)
    .await
    .unwrap();
    let now = delius_data::time::now_london();
    diesel::insert_into(domain_event::table)
        .values((
            domain_event::domain_event_id.eq(id),
            domain_event::domain_event_type_id.eq(type_id),
            domain_event::message_body.eq(body),
            domain_event::message_attributes.eq(attributes),
            domain_event::created_datetime.eq(now),
        ))
        .execute(conn)
        .await
        .unwrap();
    id
}

pub async fn remaining(conn: &mut AsyncPgConnection) -> Vec<i64> {
    domain_event::table
        .select(domain_event::domain_event_id)
        .order(domain_event::domain_event_id)
        .load(conn)
        .await
        .unwrap()
}

/// (CRN, seq) of a published body.
pub fn crn_and_seq(notification: &Notification) -> (String, u64) {
    let event: serde_json::Value = serde_json::from_str(&notification.message).unwrap();
    (
        outbox::crn(&notification.message).unwrap(),
        event["additionalInformation"]["seq"].as_u64().unwrap(),
    )
}

/// Keeps what it is given, in the order the publishes returned; fails every call after the
/// first `succeed_first` when that is set.
#[derive(Default)]
pub struct RecordingPublisher {
    pub published: Mutex<Vec<Notification>>,
    calls: AtomicUsize,
    succeed_first: Option<usize>,
    /// Per publish, so two outboxes' polls overlap.
    delay: Duration,
}

impl RecordingPublisher {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn failing_after(successes: usize) -> Self {
        Self {
            succeed_first: Some(successes),
            ..Self::default()
        }
    }

    pub fn slow(delay: Duration) -> Self {
        Self {
            delay,
            ..Self::default()
        }
    }

    pub fn published(&self) -> Vec<Notification> {
        self.published.lock().unwrap().clone()
    }

    pub fn seqs(&self) -> Vec<u64> {
        self.published().iter().map(|n| crn_and_seq(n).1).collect()
    }
}

#[async_trait]
impl Publisher for RecordingPublisher {
    async fn publish(&self, notification: Notification) -> Result<(), PublishError> {
        let call = self.calls.fetch_add(1, Ordering::SeqCst);
        if self.succeed_first.is_some_and(|n| call >= n) {
            return Err(PublishError::Backend {
                topic: "test-topic".to_owned(),
                message: "injected failure".to_owned(),
            });
        }
        if !self.delay.is_zero() {
            tokio::time::sleep(self.delay).await;
        }
        self.published.lock().unwrap().push(notification);
        Ok(())
    }
}

/// Waits (up to 30 s) until `done` holds.
pub async fn wait_until<F, Fut>(what: &str, mut done: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !done().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
