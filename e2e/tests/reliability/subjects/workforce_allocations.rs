//! workforce-allocations-to-delius: `event.manager.allocated`, a new order manager (N02ABS1)
//! per person, details from HMPPS Workload.

use serde_json::json;
use wiremock::{Request, ResponseTemplate};

use crate::faults::{envelope, Subject};

/// N02ABS1, the staff every allocation here names.
const ALLOCATED_STAFF: i64 = 1021;

pub struct WorkforceAllocations;

impl Subject for WorkforceAllocations {
    fn service(&self) -> &'static str {
        "workforce-allocations-to-delius"
    }

    fn upstream_env(&self) -> &'static [&'static str] {
        &["INTEGRATIONS_WORKLOAD_URL"]
    }

    fn respond(&self, request: &Request) -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_json(
            json!({"id": request.url.path(), "staffCode": "N02ABS1", "teamCode": "N02ABS",
                   "createdDate": "2022-07-28T10:30:54.023+01:00", "eventNumber": 1}),
        )
    }

    fn message(&self, n: i64, upstream: &str) -> String {
        let event_type = "event.manager.allocated";
        let event = json!({
            "eventType": event_type, "version": 1,
            "detailUrl": format!("{upstream}/allocation/event/{n}"),
            "personReference": {"identifiers": [{"type": "CRN", "value": format!("B{n:06}")}]}
        });
        envelope(n, event_type, &event.to_string(), &[])
    }

    fn rows_sql(&self, first: i64, last: i64) -> String {
        format!(
            "SELECT count(*) AS n FROM order_manager WHERE event_id BETWEEN {first} AND {last} \
             AND allocation_staff_id = {ALLOCATED_STAFF}"
        )
    }
}
