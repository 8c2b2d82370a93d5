//! Publishing to the topic, failures and restarts.

use std::sync::Arc;
use std::time::Duration;

use delius_data::schema::domain_event;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use messaging::{Notification, Queue, SnsPublisher};
use outbox::{Outbox, OutboxConfig, Poll};
use test_support::sqs::SqsTestStack;
use test_support::TestDatabase;
use tokio_util::sync::CancellationToken;

use crate::helpers::{
    body, crn_and_seq, insert_event, insert_row, remaining, wait_until, RecordingPublisher,
    EVENT_TYPE,
};

fn config() -> OutboxConfig {
    OutboxConfig {
        batch_size: 10,
        poll_interval: Duration::from_millis(20),
        error_backoff: Duration::from_millis(20),
    }
}

#[tokio::test]
async fn rows_are_published_to_the_topic_with_their_attributes_and_deleted() {
    let db = TestDatabase::new().await.unwrap();
    let stack = SqsTestStack::create(&[EVENT_TYPE], Duration::from_secs(30))
        .await
        .unwrap();
    let mut conn = db.conn().await.unwrap();
    let first = body("X000001", 1);
    insert_row(
        &mut conn,
        &first,
        &serde_json::json!({ "eventType": EVENT_TYPE, "source": "delius" }).to_string(),
    )
    .await;
    // Attributes Delius could not write as JSON: the event type comes from the type code, so
    // the subscription's filter policy still lets it through.
    let second = body("X000002", 2);
    insert_row(&mut conn, &second, "not json").await;

    let publisher = Arc::new(SnsPublisher::new(
        stack.sns.clone(),
        stack.topic_arn.clone(),
    ));
    let outbox = Outbox::new(db.pool(), publisher, config());
    let poll = outbox.publish_pending().await.unwrap();
    assert_eq!(poll.published.len(), 2);
    assert_eq!(poll.failed, None);
    assert!(
        remaining(&mut conn).await.is_empty(),
        "published rows are deleted"
    );

    let queue = stack.queue().await.unwrap();
    let mut received: Vec<Notification> = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while received.len() < 2 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "only {} of 2 arrived",
            received.len()
        );
        for m in queue.receive(10, Duration::from_secs(1)).await.unwrap() {
            received.push(Notification::parse(&m.body).unwrap());
        }
    }
    received.sort_by_key(|n| crn_and_seq(n).1);
    assert_eq!(received[0].message, first);
    assert_eq!(received[0].event_type(), Some(EVENT_TYPE));
    assert_eq!(received[0].attribute("source"), Some("delius"));
    assert_eq!(received[1].message, second);
    assert_eq!(received[1].event_type(), Some(EVENT_TYPE));
    stack.delete().await;
}

#[tokio::test]
async fn a_failed_publish_leaves_that_row_and_the_later_ones_for_the_next_poll() {
    let db = TestDatabase::new().await.unwrap();
    let mut conn = db.conn().await.unwrap();
    let mut ids = Vec::new();
    for seq in 1..=5 {
        ids.push(insert_event(&mut conn, &format!("X00000{seq}"), seq).await);
    }
    let failing = Arc::new(RecordingPublisher::failing_after(2));
    let poll = Outbox::new(db.pool(), failing.clone(), config())
        .publish_pending()
        .await
        .unwrap();
    assert_eq!(poll.claimed, 5);
    assert_eq!(poll.published, ids[..2]);
    let (failed_id, reason) = poll.failed.clone().unwrap();
    assert_eq!(failed_id, ids[2]);
    assert!(reason.contains("injected failure"), "{reason}");
    assert_eq!(failing.seqs(), [1, 2]);
    assert_eq!(
        remaining(&mut conn).await,
        ids[2..],
        "what was published is deleted; the rest stays"
    );

    // The next poll (here a fresh outbox, as after a restart) publishes the rest in order.
    let working = Arc::new(RecordingPublisher::new());
    let poll = Outbox::new(db.pool(), working.clone(), config())
        .publish_pending()
        .await
        .unwrap();
    assert_eq!(
        poll,
        Poll {
            claimed: 3,
            published: ids[2..].to_vec(),
            held_back: 0,
            failed: None
        }
    );
    assert_eq!(working.seqs(), [3, 4, 5]);
    assert!(remaining(&mut conn).await.is_empty());
}

#[tokio::test]
async fn after_a_restart_a_new_outbox_carries_on_with_what_is_left() {
    let db = TestDatabase::new().await.unwrap();
    let mut conn = db.conn().await.unwrap();
    for seq in 1..=10 {
        insert_event(&mut conn, "X000001", seq).await;
    }
    // The first process publishes four, then its topic starts failing and it is stopped.
    let first = Arc::new(RecordingPublisher::failing_after(4));
    let shutdown = CancellationToken::new();
    let task = tokio::spawn(Outbox::new(db.pool(), first.clone(), config()).run(shutdown.clone()));
    let pool = db.pool();
    wait_until("four rows published", || {
        let pool = pool.clone();
        async move {
            let mut conn = pool.get().await.unwrap();
            remaining(&mut conn).await.len() == 6
        }
    })
    .await;
    shutdown.cancel();
    task.await.unwrap();
    assert_eq!(first.seqs(), [1, 2, 3, 4]);

    let second = Arc::new(RecordingPublisher::new());
    let shutdown = CancellationToken::new();
    let task = tokio::spawn(Outbox::new(db.pool(), second.clone(), config()).run(shutdown.clone()));
    wait_until("the rest published", || {
        let pool = pool.clone();
        async move {
            let mut conn = pool.get().await.unwrap();
            remaining(&mut conn).await.is_empty()
        }
    })
    .await;
    shutdown.cancel();
    task.await.unwrap();
    assert_eq!(
        second.seqs(),
        [5, 6, 7, 8, 9, 10],
        "nothing twice, nothing lost"
    );
}

#[tokio::test]
async fn an_empty_table_is_a_quiet_poll() {
    let db = TestDatabase::new().await.unwrap();
    let publisher = Arc::new(RecordingPublisher::new());
    let poll = Outbox::new(db.pool(), publisher.clone(), config())
        .publish_pending()
        .await
        .unwrap();
    assert_eq!(poll, Poll::default());
    assert!(publisher.published().is_empty());
}

#[tokio::test]
async fn the_backlog_age_is_that_of_the_oldest_row() {
    let db = TestDatabase::new().await.unwrap();
    let outbox = Outbox::new(db.pool(), Arc::new(RecordingPublisher::new()), config());
    assert_eq!(outbox.oldest_pending_age().await.unwrap(), None);

    let mut conn = db.conn().await.unwrap();
    let id = insert_event(&mut conn, "X000001", 1).await;
    insert_event(&mut conn, "X000001", 2).await;
    let ten_minutes_ago = delius_data::time::now_london() - chrono::Duration::minutes(10);
    diesel::update(domain_event::table.filter(domain_event::domain_event_id.eq(id)))
        .set(domain_event::created_datetime.eq(ten_minutes_ago))
        .execute(&mut conn)
        .await
        .unwrap();
    let age = outbox.oldest_pending_age().await.unwrap().unwrap();
    assert!(
        (Duration::from_secs(600)..Duration::from_secs(660)).contains(&age),
        "{age:?}"
    );
}
