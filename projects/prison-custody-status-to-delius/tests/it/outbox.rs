//! The built binary with `OUTBOX_ENABLED=true`: a `domain_event` row reaches the topic (and a
//! queue subscribed to it) and leaves the table, and SIGTERM stops the service with exit 0.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use delius_data::lookups::{next_id, Sequence};
use delius_data::schema::{domain_event, r_standard_reference_list};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use messaging::{Notification, Queue};
use serde_json::json;
use test_support::sqs::SqsTestStack;
use test_support::TestDatabase;

const TERMINATED: &str = "probation-case.licence-condition.terminated";

/// Kills the service if the test ends before it stopped.
struct Service(Child);

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn with_the_outbox_enabled_domain_event_rows_are_published_and_sigterm_stops_it() {
    let db = TestDatabase::new().await.unwrap();
    let stack = SqsTestStack::create(&[TERMINATED], Duration::from_secs(30))
        .await
        .unwrap();
    let mut conn = db.conn().await.unwrap();
    let type_id: i64 = r_standard_reference_list::table
        .filter(r_standard_reference_list::code_value.eq(TERMINATED))
        .select(r_standard_reference_list::standard_reference_list_id)
        .first(&mut conn)
        .await
        .unwrap();
    let id = next_id(&mut conn, Sequence::named("domain_event_id_seq"))
        .await
        .unwrap();
    let body = json!({
        "eventType": TERMINATED,
        "version": 1,
        "personReference": {"identifiers": [{"type": "CRN", "value": "X000001"}]},
    })
    .to_string();
    diesel::insert_into(domain_event::table)
        .values((
            domain_event::domain_event_id.eq(id),
            domain_event::domain_event_type_id.eq(type_id),
            domain_event::message_body.eq(&body),
            domain_event::message_attributes.eq(json!({"eventType": TERMINATED}).to_string()),
            domain_event::created_datetime.eq(delius_data::time::now_london()),
        ))
        .execute(&mut conn)
        .await
        .unwrap();

    let log = std::env::temp_dir().join(format!("pcs-outbox-{}.log", stack.queue_name));
    let service = Command::new(env!("CARGO_BIN_EXE_prison-custody-status-to-delius"))
        .env_clear()
        .env("PORT", "0")
        .env("DATABASE_URL", db.url())
        .env("MESSAGING_CONSUMER_ENABLED", "false")
        .env("MESSAGING_PRODUCER_TOPIC", &stack.topic_arn)
        .env("OUTBOX_ENABLED", "true")
        .env("AWS_REGION", "eu-west-2")
        .env("AWS_ENDPOINT_URL", test_support::sqs::endpoint())
        .env("INTEGRATIONS_PRISON_API_URL", "http://127.0.0.1:9")
        .env("HMPPS_AUTH_URL", "http://127.0.0.1:9")
        .env("OAUTH2_CLIENT_ID", "test")
        .env("OAUTH2_CLIENT_SECRET", "test")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let mut service = Service(service);

    let queue = stack.queue().await.unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let received = loop {
        let mut got = queue.receive(1, Duration::from_secs(1)).await.unwrap();
        if let Some(message) = got.pop() {
            break Notification::parse(&message.body).unwrap();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "nothing published within 30 s; service log: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        assert!(
            service.0.try_wait().unwrap().is_none(),
            "the service exited; log: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
    };
    assert_eq!(received.message, body);
    assert_eq!(received.event_type(), Some(TERMINATED));
    // The publish happens inside the claiming transaction, so the row goes at its commit,
    // a moment after the message may already be on the queue.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let left: i64 = domain_event::table
            .count()
            .get_result(&mut conn)
            .await
            .unwrap();
        if left == 0 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the published row was not deleted within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let stopped = Command::new("kill")
        .arg("-TERM")
        .arg(service.0.id().to_string())
        .status()
        .unwrap();
    assert!(stopped.success());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = service.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "still running 30 s after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(
        status.success(),
        "exit {status}; log: {}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    let _ = std::fs::remove_file(&log);
    stack.delete().await;
}
