//! manage-pom-cases-and-delius: `offender-management.handover.changed`, the handover dates from
//! Manage POM Cases written as the POM1 and POM2 key dates of each person's custody.

use serde_json::json;
use wiremock::{Request, ResponseTemplate};

use crate::faults::{envelope, last_segment, noms, ApiCall, Subject};

const NOMS_SUFFIX: &str = "PM";

pub struct ManagePomCases;

impl Subject for ManagePomCases {
    fn service(&self) -> &'static str {
        "manage-pom-cases-and-delius"
    }

    fn upstream_env(&self) -> &'static [&'static str] {
        &["INTEGRATIONS_MANAGE_POM_CASES_URL"]
    }

    /// `/api/handovers/{noms}`
    fn respond(&self, request: &Request) -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_json(json!({
            "nomsNumber": last_segment(request), "handoverDate": "2025-05-09",
            "handoverStartDate": "2025-05-04", "responsibility": "COM"
        }))
    }

    fn message(&self, n: i64, upstream: &str) -> String {
        let noms = noms(n, NOMS_SUFFIX);
        let event_type = "offender-management.handover.changed";
        let event = json!({
            "eventType": event_type, "version": 1, "occurredAt": "2025-05-01T10:00:00+01:00",
            "detailUrl": format!("{upstream}/api/handovers/{noms}"),
            "personReference": {"identifiers": [{"type": "NOMS", "value": noms}]}
        });
        envelope(n, event_type, &event.to_string(), &[])
    }

    fn rows_sql(&self, first: i64, last: i64) -> String {
        format!("SELECT count(*) AS n FROM key_date WHERE custody_id BETWEEN {first} AND {last}")
    }

    /// POM1 (handover start) and POM2 (handover).
    fn rows_per_message(&self) -> i64 {
        2
    }

    fn api_calls(&self) -> Vec<ApiCall> {
        vec![ApiCall {
            role: "ROLE_PROBATION_API__MANAGE_POM_CASES__CASE_DETAIL",
            path: "/case-records/P000000".to_owned(),
            put: None,
            written: None,
        }]
    }
}
