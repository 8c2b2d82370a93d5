//! prison-case-notes-to-probation as a black box: the built binary on the local stack, driven only
//! through the topic, checked only in the database.

use std::time::Duration;

use e2e::db::{self, ScratchDatabase};
use e2e::stack::{self, ServiceProcess, Simulator};
use e2e::{local_stack_path, process, sqs, wait};

const SERVICE: &str = "prison-case-notes-to-probation";
const LIMIT: Duration = Duration::from_secs(60);

#[tokio::test]
async fn example_messages_published_to_the_topic_become_contacts_and_the_service_stops_cleanly() {
    let _names = stack::fixed_names().await;
    let endpoint = sqs::endpoint();
    let simulator = Simulator::start().await.expect("simulator");
    let database = ScratchDatabase::create().await.expect("a scratch database");
    let seed = e2e::workspace_root().join("projects/prison-case-notes-to-probation/dev-seed.sql");
    for args in [
        vec!["migrate", "--database-url", &database.url],
        vec![
            "seed",
            "--database-url",
            &database.url,
            seed.to_str().expect("utf-8 path"),
        ],
    ] {
        process::run(process::local_stack().args(args), LIMIT)
            .await
            .expect("local-stack")
            .success()
            .expect("local-stack succeeds");
    }
    stack::provision(&endpoint).await.expect("provision");
    let client = sqs::client(&endpoint).await;
    sqs::Queue::named(&client, &format!("{SERVICE}-queue"))
        .await
        .expect("queue")
        .purge()
        .await
        .expect("purge");

    let mut service = ServiceProcess::start(SERVICE, &database.url, &endpoint, &simulator)
        .await
        .expect("service starts");
    let messages: Vec<_> = ["casenote.json", "alert-created.json"]
        .iter()
        .map(|m| local_stack_path(&format!("messages/{SERVICE}/{m}")))
        .collect();
    let files: Vec<&std::path::Path> = messages.iter().map(|p| p.as_path()).collect();
    stack::publish(&endpoint, &simulator.base_url(), &files)
        .await
        .expect("publish");

    let mut conn = database.connect().await.expect("connect");
    // casenote.json: the legacy KA-KE event for GA52214 (fetched by NOMIS id);
    // alert-created.json: an active alert for AA0001A.
    let contacts = "SELECT count(*) AS n FROM contact c JOIN offender o USING (offender_id) \
                    WHERE (o.noms_number = 'GA52214' AND c.nomis_case_note_id IS NOT NULL) \
                       OR (o.noms_number = 'AA0001A' AND c.external_reference LIKE 'urn:%alert%')";
    let deadline = tokio::time::Instant::now() + LIMIT;
    loop {
        let n = db::count(&mut conn, contacts)
            .await
            .expect("count contacts");
        if n == 2 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{n} of 2 contacts after {LIMIT:?}\n{}",
            service.log_tail()
        );
        tokio::time::sleep(wait::INTERVAL).await;
    }
    let audits = db::count(
        &mut conn,
        "SELECT count(*) AS n FROM audited_interaction a JOIN business_interaction b USING (business_interaction_id) \
         WHERE b.business_interaction_code = 'APIBI001' AND a.outcome = 'P'",
    )
    .await
    .expect("audit rows");
    assert!(audits >= 2, "{audits} APIBI001 success rows");

    let status = service.stop().expect("the service exits after SIGTERM");
    assert!(
        status.success(),
        "exit status {status}\n{}",
        service.log_tail()
    );
}
