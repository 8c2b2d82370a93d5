//! workforce-allocations-to-delius: `person.community.manager.allocated`, one per person, each
//! ending the current community manager and inserting the new one (`PersonAllocation`). People
//! come from the service's own seed and load fixture.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use axum::extract::Path;
use axum::routing::get;
use axum::{Json, Router};
use diesel_async::SimpleAsyncConnection;
use messaging::detail::{DetailFetcher, DetailUrlPolicy};
use messaging::{Notification, NotificationHandler};
use serde_json::{json, Value};
use test_support::auth::FakeHmppsAuth;
use test_support::fixtures::load_people;
use test_support::TestDatabase;
use workforce_allocations_to_delius::{AllocationsHandler, Context};

use crate::workload::{count, RowCount, Stub, Workload};
use crate::POOL_SIZE;

const FIRST_ID: i64 = 800_000;

pub struct Workforce {
    handler: Arc<AllocationsHandler>,
    stub: Stub,
    pool: delius_data::DbPool,
    _auth: FakeHmppsAuth,
    _database: TestDatabase,
}

fn crn(i: usize) -> String {
    format!("B{i:06}")
}

impl Workforce {
    pub async fn start(people: usize) -> anyhow::Result<Self> {
        let database = TestDatabase::new().await?;
        let pool = delius_data::build_pool(database.url(), POOL_SIZE, Duration::from_secs(10))?;
        let mut conn = pool.get().await?;
        conn.batch_execute(include_str!(
            "../../../../projects/workforce-allocations-to-delius/dev-seed.sql"
        ))
        .await?;
        drop(conn);
        load_people(
            &pool,
            include_str!(
                "../../../../projects/workforce-allocations-to-delius/tests/fixtures/people.sql"
            ),
            FIRST_ID,
            people,
        )
        .await?;
        let auth = FakeHmppsAuth::start().await;
        let stub =
            Stub::serve(Router::new().route("/allocation/person/{id}", get(allocation))).await?;
        let context = Context {
            pool: pool.clone(),
            auditor: audit_iaps::Auditor::connect(pool.clone(), "workforce-allocations-to-delius")
                .await?,
            fetcher: DetailFetcher::new(
                auth.authorised_client(),
                DetailUrlPolicy::allow(std::slice::from_ref(&stub.base_url))?,
            ),
            produce_spod03_contact: false,
            reference: Default::default(),
        };
        Ok(Self {
            handler: Arc::new(AllocationsHandler::new(context)),
            stub,
            pool,
            _auth: auth,
            _database: database,
        })
    }
}

/// HMPPS Workload: every person allocated to N02ABS1 of N02ABS.
async fn allocation(Path(id): Path<i64>) -> Json<Value> {
    let i = usize::try_from(id - FIRST_ID).unwrap_or_default();
    Json(
        json!({"id": format!("soak-{id}"), "staffCode": "N02ABS1", "teamCode": "N02ABS",
                "createdDate": "2022-07-28T10:30:54.023+01:00", "crn": crn(i)}),
    )
}

#[async_trait]
impl Workload for Workforce {
    fn name(&self) -> &'static str {
        "workforce-allocations"
    }

    fn handler(&self) -> Arc<dyn NotificationHandler> {
        self.handler.clone()
    }

    fn expected_outcomes(&self) -> &'static [&'static str] {
        &["PersonAllocation"]
    }

    fn message(&self, i: usize) -> String {
        let event_type = "person.community.manager.allocated";
        let event = json!({
            "eventType": event_type, "version": 1,
            "detailUrl": format!("{}/allocation/person/{}", self.stub.base_url, FIRST_ID + i as i64),
            "personReference": {"identifiers": [{"type": "CRN", "value": crn(i)}]}
        });
        Notification::new(event.to_string())
            .with_attribute("eventType", event_type)
            .to_envelope()
    }

    async fn rows(&self, count_: usize) -> anyhow::Result<Vec<RowCount>> {
        let last = FIRST_ID + count_ as i64 - 1;
        let range = format!("offender_id BETWEEN {FIRST_ID} AND {last}");
        let open = count(
            &self.pool,
            &format!(
                "SELECT count(*) AS n FROM offender_manager WHERE {range} AND end_date IS NULL"
            ),
        )
        .await?;
        let all = count(
            &self.pool,
            &format!("SELECT count(*) AS n FROM offender_manager WHERE {range}"),
        )
        .await?;
        Ok(vec![
            RowCount::new("offender_manager, current", count_, open),
            RowCount::new("offender_manager, all (ended + new)", 2 * count_, all),
        ])
    }
}
