//! manage-pom-cases-and-delius: `handover.changed` (even messages: POM1 + POM2 key dates,
//! `KeyDateCreated`) and `allocation.changed` (odd: a POM and its contact, `PomAllocated`), one
//! per person.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use axum::extract::Path;
use axum::routing::get;
use axum::{Json, Router};
use manage_pom_cases_and_delius::{Context, PomCasesHandler};
use messaging::detail::DetailUrlPolicy;
use messaging::{Notification, NotificationHandler};
use serde_json::{json, Value};
use test_support::auth::FakeHmppsAuth;
use test_support::fixtures::load_people;
use test_support::TestDatabase;

use crate::workload::{count, noms, RowCount, Stub, Workload};
use crate::POOL_SIZE;

const FIRST_ID: i64 = 700_000;
const SERVICE_USER_ID: i64 = 4;
const SUFFIX: &str = "PM";

pub struct Pom {
    handler: Arc<PomCasesHandler>,
    stub: Stub,
    pool: delius_data::DbPool,
    _auth: FakeHmppsAuth,
    _database: TestDatabase,
}

impl Pom {
    /// `people`: one per message, each like the spec's DEFAULT person (community manager, tier,
    /// MAPPA registration, one custodial sentence).
    pub async fn start(people: usize) -> anyhow::Result<Self> {
        let database = TestDatabase::new().await?;
        let pool = delius_data::build_pool(database.url(), POOL_SIZE, Duration::from_secs(10))?;
        load_people(
            &pool,
            include_str!(
                "../../../../projects/manage-pom-cases-and-delius/tests/fixtures/people.sql"
            ),
            FIRST_ID,
            people,
        )
        .await?;
        let auth = FakeHmppsAuth::start().await;
        let stub = Stub::serve(
            Router::new()
                .route("/api/handovers/{noms}", get(handover))
                .route("/api/allocation/{noms}/primary_pom", get(allocation)),
        )
        .await?;
        let context = Context {
            pool: pool.clone(),
            client: auth.authorised_client(),
            detail_urls: DetailUrlPolicy::allow(std::slice::from_ref(&stub.base_url))?,
            mpc_base: stub.base_url.parse()?,
            user_id: SERVICE_USER_ID,
        };
        Ok(Self {
            handler: Arc::new(PomCasesHandler::new(context)),
            stub,
            pool,
            _auth: auth,
            _database: database,
        })
    }
}

async fn handover(Path(noms): Path<String>) -> Json<Value> {
    Json(
        json!({"nomsNumber": noms, "handoverDate": "2025-05-09", "handoverStartDate": "2025-05-04",
                "responsibility": "COM"}),
    )
}

async fn allocation(Path(_noms): Path<String>) -> Json<Value> {
    Json(
        json!({"manager": {"forename": "Soak", "surname": "Pom", "email": "soak.pom@justice.gov.uk"},
                "prison": {"code": "SWI"}}),
    )
}

fn handovers(count: usize) -> usize {
    count.div_ceil(2)
}

#[async_trait]
impl Workload for Pom {
    fn name(&self) -> &'static str {
        "manage-pom-cases"
    }

    fn handler(&self) -> Arc<dyn NotificationHandler> {
        self.handler.clone()
    }

    fn expected_outcomes(&self) -> &'static [&'static str] {
        &["KeyDateCreated", "PomAllocated"]
    }

    fn message(&self, i: usize) -> String {
        let noms = noms(i, SUFFIX);
        let (event_type, detail_url) = if i.is_multiple_of(2) {
            (
                "offender-management.handover.changed",
                format!("{}/api/handovers/{noms}", self.stub.base_url),
            )
        } else {
            (
                "offender-management.allocation.changed",
                format!("{}/api/allocation/{noms}/primary_pom", self.stub.base_url),
            )
        };
        let event = json!({
            "eventType": event_type, "version": 1, "occurredAt": "2025-05-01T10:00:00+01:00",
            "detailUrl": detail_url,
            "personReference": {"identifiers": [{"type": "NOMS", "value": noms}]}
        });
        Notification::new(event.to_string())
            .with_attribute("eventType", event_type)
            .to_envelope()
    }

    async fn rows(&self, count_: usize) -> anyhow::Result<Vec<RowCount>> {
        let key_dates = count(
            &self.pool,
            &format!("SELECT count(*) AS n FROM key_date WHERE custody_id >= {FIRST_ID}"),
        )
        .await?;
        let poms = count(
            &self.pool,
            &format!(
                "SELECT count(*) AS n FROM prison_offender_manager WHERE offender_id >= {FIRST_ID}"
            ),
        )
        .await?;
        Ok(vec![
            RowCount::new(
                "key_date (POM1 + POM2 per handover)",
                2 * handovers(count_),
                key_dates,
            ),
            RowCount::new(
                "prison_offender_manager (per allocation)",
                count_ - handovers(count_),
                poms,
            ),
        ])
    }
}
