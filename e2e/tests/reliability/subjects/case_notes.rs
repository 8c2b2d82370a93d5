//! prison-case-notes-to-probation: `person.case-note.created`, a new case note per person, each
//! fetched from the case notes API and merged into one contact.

use serde_json::json;
use wiremock::{Request, ResponseTemplate};

use crate::faults::{envelope, last_segment, noms, Subject};

const NOMS_SUFFIX: &str = "CN";

pub struct CaseNotes;

impl Subject for CaseNotes {
    fn service(&self) -> &'static str {
        "prison-case-notes-to-probation"
    }

    fn upstream_env(&self) -> &'static [&'static str] {
        &[
            "INTEGRATIONS_OFFENDER_CASE_NOTES_URL",
            "INTEGRATIONS_ALERTS_URL",
        ]
    }

    /// `/case-notes/{noms}/{caseNoteId}`
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let segments: Vec<&str> = request.url.path().split('/').collect();
        let noms = segments.get(2).copied().unwrap_or_default();
        ResponseTemplate::new(200).set_body_json(json!({
            "caseNoteId": last_segment(request), "eventId": 1, "offenderIdentifier": noms,
            "type": "GEN", "subType": "OSE",
            "creationDateTime": "2025-01-12T11:22:33+00:00",
            "occurrenceDateTime": "2025-01-11T10:11:22+00:00",
            "authorName": "Fault Author", "locationId": "LEI", "amendments": [],
            "text": "Key work session held in the wing office."
        }))
    }

    fn message(&self, n: i64, upstream: &str) -> String {
        let noms = noms(n, NOMS_SUFFIX);
        let event_type = "person.case-note.created";
        let event = json!({
            "eventType": event_type, "version": 1, "occurredAt": "2025-01-12T11:22:33Z",
            "detailUrl": format!("{upstream}/case-notes/{noms}/00000000-0000-4000-8000-{n:012}"),
            "personReference": {"identifiers": [{"type": "NOMS", "value": noms}]}
        });
        envelope(
            n,
            event_type,
            &event.to_string(),
            &[("type", "GEN"), ("subType", "OSE")],
        )
    }

    fn rows_sql(&self, first: i64, last: i64) -> String {
        format!("SELECT count(*) AS n FROM contact WHERE offender_id BETWEEN {first} AND {last}")
    }
}
