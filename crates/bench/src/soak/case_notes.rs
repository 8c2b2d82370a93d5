//! prison-case-notes-to-probation: `person.case-note.created`, a new case note per message over
//! 1,000 people; each becomes a contact (`CaseNoteMerged`).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use audit_iaps::Auditor;
use axum::extract::Path;
use axum::routing::get;
use axum::{Json, Router};
use messaging::{Notification, NotificationHandler, Telemetry};
use prison_case_notes_to_probation::{CaseNotesHandler, UpstreamUrls, Upstreams};
use serde_json::{json, Value};
use test_support::auth::FakeHmppsAuth;
use test_support::fixtures::load_people;
use test_support::TestDatabase;

use crate::workload::{count, noms, RowCount, Stub, Workload};
use crate::POOL_SIZE;

const PEOPLE: usize = 1000;
const FIRST_ID: i64 = 900_000;
const SUFFIX: &str = "CN";
/// Case-note ids of the soak; the warm-up uses another range so the row count is exact.
const SOAK_IDS: &str = "00000000-0000-4000-8000-";
const WARM_UP_IDS: &str = "00000000-0000-4000-9000-";

pub struct CaseNotes {
    handler: Arc<CaseNotesHandler>,
    stub: Stub,
    pool: delius_data::DbPool,
    _auth: FakeHmppsAuth,
    _database: TestDatabase,
}

impl CaseNotes {
    pub async fn start() -> anyhow::Result<Self> {
        let database = TestDatabase::new().await?;
        let pool = delius_data::build_pool(database.url(), POOL_SIZE, Duration::from_secs(10))?;
        load_people(
            &pool,
            include_str!(
                "../../../../projects/prison-case-notes-to-probation/tests/fixtures/people.sql"
            ),
            FIRST_ID,
            PEOPLE,
        )
        .await?;
        let auth = FakeHmppsAuth::start().await;
        let stub =
            Stub::serve(Router::new().route("/case-notes/{noms}/{id}", get(case_note))).await?;
        let base = url::Url::parse(&stub.base_url)?;
        let upstreams = Upstreams::new(
            auth.client_credentials(),
            UpstreamUrls {
                case_notes: base.clone(),
                alerts: base,
            },
            std::slice::from_ref(&stub.base_url),
        )?;
        let auditor = Auditor::connect(pool.clone(), "PrisonCaseNotesToProbation").await?;
        let handler = Arc::new(CaseNotesHandler::new(
            pool.clone(),
            auditor,
            upstreams,
            Telemetry::new(),
        ));
        let workload = Self {
            handler,
            stub,
            pool,
            _auth: auth,
            _database: database,
        };
        // The first message creates the author's staff record; later ones find it.
        let warm_up = Notification::parse(&workload.envelope(WARM_UP_IDS, 0))?;
        workload.handler.handle(&warm_up).await?;
        Ok(workload)
    }

    fn envelope(&self, ids: &str, i: usize) -> String {
        let id = format!("{ids}{i:012}");
        let noms = noms(i % PEOPLE, SUFFIX);
        let event_type = "person.case-note.created";
        let event = json!({
            "eventType": event_type, "version": 1, "occurredAt": "2025-01-12T11:22:33Z",
            "detailUrl": format!("{}/case-notes/{noms}/{id}", self.stub.base_url),
            "personReference": {"identifiers": [{"type": "NOMS", "value": noms}]}
        });
        Notification::new(event.to_string())
            .with_attribute("eventType", event_type)
            .with_attribute("type", "GEN")
            .with_attribute("subType", "OSE")
            .to_envelope()
    }
}

async fn case_note(Path((noms, id)): Path<(String, String)>) -> Json<Value> {
    Json(json!({
        "caseNoteId": id, "eventId": 1, "offenderIdentifier": noms, "type": "GEN", "subType": "OSE",
        "creationDateTime": "2025-01-12T11:22:33+00:00", "occurrenceDateTime": "2025-01-11T10:11:22+00:00",
        "authorName": "Soak Author", "locationId": "LEI", "amendments": [],
        "text": "Key work session held in the wing office. Discussed release plans, accommodation on release and \
                 contact with the community offender manager."
    }))
}

#[async_trait]
impl Workload for CaseNotes {
    fn name(&self) -> &'static str {
        "case-notes"
    }

    fn handler(&self) -> Arc<dyn NotificationHandler> {
        self.handler.clone()
    }

    fn expected_outcomes(&self) -> &'static [&'static str] {
        &["CaseNoteMerged"]
    }

    fn message(&self, i: usize) -> String {
        self.envelope(SOAK_IDS, i)
    }

    async fn rows(&self, count_: usize) -> anyhow::Result<Vec<RowCount>> {
        let found = count(
            &self.pool,
            &format!(
                "SELECT count(*) AS n FROM contact WHERE external_reference LIKE 'urn:uk:gov:hmpps:prison-case-note:{SOAK_IDS}%'"
            ),
        )
        .await?;
        Ok(vec![RowCount::new("contact (case note)", count_, found)])
    }
}
