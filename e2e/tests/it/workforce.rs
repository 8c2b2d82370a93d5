//! workforce-allocations-to-delius as a black box: example allocations published to the topic,
//! fetched from the simulator and written into the seeded database by the built binary.

use e2e::service_stack::ServiceStack;

#[tokio::test]
async fn example_allocations_published_to_the_topic_change_managers_and_the_service_stops_cleanly()
{
    let mut stack = ServiceStack::start("workforce-allocations-to-delius")
        .await
        .expect("stack");
    stack
        .publish(&[
            "new-event-allocation-message.json",
            "historic-person-allocation-message.json",
            "new-requirement-allocation-message.json",
            "new-licence-condition-allocation-message.json",
        ])
        .await
        .expect("publish");
    let to_staff_with_user = |table: &str, owner: &str| {
        format!(
            "SELECT count(*) AS n FROM {table} m JOIN staff s ON s.staff_id = m.allocation_staff_id \
             WHERE m.{owner} AND s.officer_code = 'N02ABS1' \
               AND m.allocation_date = TIMESTAMP '2022-07-28 10:30:54.023'"
        )
    };
    for (table, owner) in [
        ("order_manager", "event_id = 940002"),
        ("offender_manager", "offender_id = 940003"),
        ("rqmnt_manager", "rqmnt_id = 34"),
        ("lic_condition_manager", "lic_condition_id = 8001"),
    ] {
        stack
            .wait_for_count(&to_staff_with_user(table, owner), 1)
            .await
            .unwrap_or_else(|e| panic!("{table}: {e:#}"));
    }
    let audits = stack
        .count(
            "SELECT count(*) AS n FROM audited_interaction a JOIN business_interaction b USING (business_interaction_id) \
             WHERE b.business_interaction_code IN ('CABI041', 'CABI231', 'CABI038') AND a.outcome = 'P'",
        )
        .await
        .expect("audit rows");
    assert_eq!(audits, 4);

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
