//! Replicas sharing the table: `SKIP LOCKED` lets them work on different rows, and a row waits
//! while an older row for its CRN is claimed elsewhere.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use delius_data::schema::domain_event;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use outbox::{Outbox, OutboxConfig};
use test_support::TestDatabase;
use tokio_util::sync::CancellationToken;

use crate::helpers::{crn_and_seq, insert_event, remaining, wait_until, RecordingPublisher};

fn config(batch_size: i64) -> OutboxConfig {
    OutboxConfig {
        batch_size,
        poll_interval: Duration::from_millis(5),
        error_backoff: Duration::from_millis(5),
    }
}

#[tokio::test]
async fn a_row_waits_while_an_older_row_for_its_crn_is_claimed_by_another_replica() {
    let db = TestDatabase::new().await.unwrap();
    let mut conn = db.conn().await.unwrap();
    let x1 = insert_event(&mut conn, "X000001", 1).await;
    let y2 = insert_event(&mut conn, "Y000002", 2).await;
    let x3 = insert_event(&mut conn, "X000001", 3).await;

    // Another replica is in the middle of publishing X's first row: it holds the row's lock.
    let mut other = db.conn().await.unwrap();
    diesel::sql_query("BEGIN")
        .execute(&mut other)
        .await
        .unwrap();
    let locked: Vec<i64> = domain_event::table
        .select(domain_event::domain_event_id)
        .filter(domain_event::domain_event_id.eq(x1))
        .for_update()
        .load(&mut other)
        .await
        .unwrap();
    assert_eq!(locked, [x1]);

    let publisher = Arc::new(RecordingPublisher::new());
    let outbox = Outbox::new(db.pool(), publisher.clone(), config(10));
    let poll = outbox.publish_pending().await.unwrap();
    assert_eq!(poll.claimed, 2, "the locked row is skipped, not waited for");
    assert_eq!(poll.published, [y2], "Y has nothing older, so it goes");
    assert_eq!(poll.held_back, 1, "X's second row waits for its first");
    assert_eq!(remaining(&mut conn).await, [x1, x3]);

    // The other replica fails and rolls back: its row is free again, and both of X's rows go,
    // oldest first.
    diesel::sql_query("ROLLBACK")
        .execute(&mut other)
        .await
        .unwrap();
    let poll = outbox.publish_pending().await.unwrap();
    assert_eq!(poll.published, [x1, x3]);
    assert_eq!(publisher.seqs(), [2, 1, 3]);
    assert!(remaining(&mut conn).await.is_empty());
}

#[tokio::test]
async fn two_outboxes_at_once_publish_every_row_once_and_in_order_per_crn() {
    let db = TestDatabase::new().await.unwrap();
    let mut conn = db.conn().await.unwrap();
    let crns = ["A000001", "B000002", "C000003", "D000004"];
    let rows = 120;
    for seq in 0..rows {
        // Runs of the same CRN of different lengths, so claims split a CRN's rows often.
        let crn = crns[(seq / 3 + seq % 2) % crns.len()];
        insert_event(&mut conn, crn, seq).await;
    }
    let publisher = Arc::new(RecordingPublisher::slow(Duration::from_millis(2)));
    let shutdown = CancellationToken::new();
    let replicas: Vec<_> = [7, 5]
        .into_iter()
        .map(|batch| {
            tokio::spawn(
                Outbox::new(db.pool(), publisher.clone(), config(batch)).run(shutdown.clone()),
            )
        })
        .collect();
    let pool = db.pool();
    wait_until("every row published", || {
        let pool = pool.clone();
        async move {
            let mut conn = pool.get().await.unwrap();
            remaining(&mut conn).await.is_empty()
        }
    })
    .await;
    shutdown.cancel();
    for replica in replicas {
        replica.await.unwrap();
    }

    let published = publisher.published();
    let mut seqs: Vec<u64> = published.iter().map(|n| crn_and_seq(n).1).collect();
    assert_eq!(seqs.len(), rows, "each row published exactly once");
    seqs.sort_unstable();
    seqs.dedup();
    assert_eq!(seqs.len(), rows, "no row published twice");

    let mut last_per_crn: HashMap<String, u64> = HashMap::new();
    for notification in &published {
        let (crn, seq) = crn_and_seq(notification);
        if let Some(previous) = last_per_crn.insert(crn.clone(), seq) {
            assert!(
                previous < seq,
                "{crn}: row {seq} was published after row {previous}"
            );
        }
    }
}
