//! prison-case-notes-to-probation as a black box: the built binary on the local stack, driven only
//! through the topic, checked only in the database.

use e2e::service_stack::ServiceStack;

#[tokio::test]
async fn example_messages_published_to_the_topic_become_contacts_and_the_service_stops_cleanly() {
    let mut stack = ServiceStack::start("prison-case-notes-to-probation")
        .await
        .expect("stack");
    stack
        .publish(&["casenote.json", "alert-created.json"])
        .await
        .expect("publish");
    // casenote.json: the legacy KA-KE event for GA52214 (fetched by NOMIS id);
    // alert-created.json: an active alert for AA0001A.
    stack
        .wait_for_count(
            "SELECT count(*) AS n FROM contact c JOIN offender o USING (offender_id) \
             WHERE (o.noms_number = 'GA52214' AND c.nomis_case_note_id IS NOT NULL) \
                OR (o.noms_number = 'AA0001A' AND c.external_reference LIKE 'urn:%alert%')",
            2,
        )
        .await
        .expect("two contacts");
    let audits = stack
        .count(
            "SELECT count(*) AS n FROM audited_interaction a JOIN business_interaction b USING (business_interaction_id) \
             WHERE b.business_interaction_code = 'APIBI001' AND a.outcome = 'P'",
        )
        .await
        .expect("audit rows");
    assert!(audits >= 2, "{audits} APIBI001 success rows");

    let status = stack
        .service
        .stop()
        .expect("the service exits after SIGTERM");
    assert!(
        status.success(),
        "exit status {status}\n{}",
        stack.service.log_tail()
    );
}
