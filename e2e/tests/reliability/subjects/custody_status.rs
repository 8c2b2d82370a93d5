//! prison-custody-status-to-delius: `probation-case.prison-identifier.added` (spec scenario 3),
//! whose booking and latest movement come from the Prison API: each person in custody at WSI
//! is moved to MOVHMP, leaving one custody history row (and a contact).

use serde_json::json;
use wiremock::{Request, ResponseTemplate};

use crate::faults::{envelope, last_segment, noms, Subject};

const NOMS_SUFFIX: &str = "CS";

pub struct CustodyStatus;

impl Subject for CustodyStatus {
    fn service(&self) -> &'static str {
        "prison-custody-status-to-delius"
    }

    fn upstream_env(&self) -> &'static [&'static str] {
        &["INTEGRATIONS_PRISON_API_URL"]
    }

    /// `GET /api/bookings/offenderNo/{noms}` and `POST /api/movements/offenders` (body: the
    /// NOMS numbers).
    fn respond(&self, request: &Request) -> ResponseTemplate {
        if request.url.path().starts_with("/api/movements") {
            let asked: Vec<String> = serde_json::from_slice(&request.body).unwrap_or_default();
            let movements: Vec<_> = asked
                .iter()
                .map(|noms| {
                    json!({"offenderNo": noms, "fromAgency": "WSI", "toAgency": "MOV",
                           "movementType": "ADM", "movementDate": "2023-07-20",
                           "movementTime": "13:24:21", "movementReason": "Transferred",
                           "movementReasonCode": "INT"})
                })
                .collect();
            return ResponseTemplate::new(200).set_body_json(movements);
        }
        ResponseTemplate::new(200).set_body_json(json!({
            "offenderNo": last_segment(request), "bookingId": 1, "bookingNo": "1A",
            "activeFlag": true, "agencyId": "MOV", "inOutStatus": "IN",
            "lastMovementTypeCode": "ADM", "lastMovementReasonCode": "INT"
        }))
    }

    fn message(&self, n: i64, _upstream: &str) -> String {
        let event_type = "probation-case.prison-identifier.added";
        let event = json!({
            "eventType": event_type, "version": 1, "occurredAt": "2023-07-31T09:26:39+01:00",
            "personReference": {"identifiers": [{"type": "NOMS", "value": noms(n, NOMS_SUFFIX)}]}
        });
        envelope(n, event_type, &event.to_string(), &[])
    }

    fn runs_outbox(&self) -> bool {
        true
    }

    fn rows_sql(&self, first: i64, last: i64) -> String {
        format!(
            "SELECT count(*) AS n FROM custody_history WHERE offender_id BETWEEN {first} AND {last}"
        )
    }
}
