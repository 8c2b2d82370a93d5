//! refer-and-monitor-and-delius: `intervention.referral.ended`, each person's sent referral
//! fetched from Refer and Monitor and their referral NSI completed.

use serde_json::json;
use wiremock::{Request, ResponseTemplate};

use crate::faults::{envelope, last_segment, ApiCall, Subject};

pub struct ReferAndMonitor;

/// The referral of person `n`, as the people fixture names it in the NSI's external reference.
fn referral(n: i64) -> String {
    format!("5eed0000-0000-4000-8000-{n:012x}")
}

impl Subject for ReferAndMonitor {
    fn service(&self) -> &'static str {
        "refer-and-monitor-and-delius"
    }

    fn upstream_env(&self) -> &'static [&'static str] {
        &["INTEGRATIONS_REFER_AND_MONITOR_URL"]
    }

    /// `/sent-referral/{id}`
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let id = last_segment(request);
        ResponseTemplate::new(200).set_body_json(json!({
            "id": id, "referenceNumber": "FAULT1", "relevantSentenceId": 1,
            "sentAt": "2023-02-14T11:31:49.503Z",
            "referral": {"id": id, "serviceProvider": {"name": "Fault Provider"},
                         "contractTypeName": "Accommodation"},
            "concludedAt": "2023-02-23T15:29:54.197Z",
            "endOfServiceReport": {"submittedAt": "2023-02-23T15:29:54.197Z"}
        }))
    }

    fn message(&self, n: i64, upstream: &str) -> String {
        let event_type = "intervention.referral.ended";
        let event = json!({
            "eventType": event_type, "version": 1, "occurredAt": "2023-02-23T15:55:21Z",
            "detailUrl": format!("{upstream}/sent-referral/{}", referral(n)),
            "additionalInformation": {
                "deliveryState": "PREMATURELY_ENDED", "referralId": referral(n),
                "referralURN": format!("urn:hmpps:interventions-referral:{}", referral(n)),
                "referralProbationUserURL": "https://ui/referral"
            },
            "personReference": {"identifiers": [{"type": "CRN", "value": format!("R{n:06}")}]}
        });
        envelope(n, event_type, &event.to_string(), &[])
    }

    fn rows_sql(&self, first: i64, last: i64) -> String {
        format!("SELECT count(*) AS n FROM contact WHERE nsi_id BETWEEN {first} AND {last}")
    }

    /// The completed-status contact, the termination contact and the end-of-service-report note.
    fn rows_per_message(&self) -> i64 {
        3
    }

    /// A read of a fixture person, and the start of a referral for the seed's person without
    /// one (SENTENCED_WITHOUT_NSI, `dev-seed.sql`), as e2e's black-box test makes it.
    fn api_calls(&self) -> Vec<ApiCall> {
        let referral = "fa017000-0000-4000-8000-000000000001";
        vec![
            ApiCall {
                role: "ROLE_CRS_REFERRAL",
                path: "/probation-case/R000000/identifiers".to_owned(),
                put: None,
                written: None,
            },
            ApiCall {
                role: "ROLE_PROBATION_API__REFER_AND_MONITOR__CASE_DETAIL__RW",
                path: "/probation-case/T140225/referrals".to_owned(),
                put: Some(
                    json!({"referralId": referral, "startedAt": "2024-05-01T10:00:00.000Z",
                                 "contractType": "ACC", "sentenceId": 950003,
                                 "notes": "Started through a database outage"}),
                ),
                written: Some((
                    format!(
                        "SELECT count(*) AS n FROM nsi WHERE external_reference = \
                         'urn:hmpps:interventions-referral:{referral}'"
                    ),
                    1,
                )),
            },
        ]
    }
}
