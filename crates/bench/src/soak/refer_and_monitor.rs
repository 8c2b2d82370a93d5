//! refer-and-monitor-and-delius: `intervention.referral.ended`, one per person, each fetching the
//! sent referral from a stub and completing the person's referral NSI (status history, three
//! contacts; `ReferralEnded`). People come from the service's load fixture.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use audit_iaps::Auditor;
use axum::extract::Path;
use axum::routing::get;
use axum::{Json, Router};
use messaging::detail::DetailUrlPolicy;
use messaging::{Notification, NotificationHandler, Telemetry};
use refer_and_monitor_and_delius::{Context, ReferAndMonitorHandler};
use serde_json::{json, Value};
use test_support::auth::FakeHmppsAuth;
use test_support::fixtures::load_people;
use test_support::TestDatabase;

use crate::workload::{count, RowCount, Stub, Workload};
use crate::POOL_SIZE;

const FIRST_ID: i64 = 600_000;

pub struct ReferAndMonitor {
    handler: Arc<ReferAndMonitorHandler>,
    stub: Stub,
    pool: delius_data::DbPool,
    _auth: FakeHmppsAuth,
    _database: TestDatabase,
}

/// The referral of person `i`, as the people fixture names it in the NSI's external reference.
fn referral(i: usize) -> String {
    format!("5eed0000-0000-4000-8000-{i:012x}")
}

impl ReferAndMonitor {
    pub async fn start(people: usize) -> anyhow::Result<Self> {
        let database = TestDatabase::new().await?;
        let pool = delius_data::build_pool(database.url(), POOL_SIZE, Duration::from_secs(10))?;
        load_people(
            &pool,
            include_str!(
                "../../../../projects/refer-and-monitor-and-delius/tests/fixtures/people.sql"
            ),
            FIRST_ID,
            people,
        )
        .await?;
        let auth = FakeHmppsAuth::start().await;
        let stub =
            Stub::serve(Router::new().route("/sent-referral/{id}", get(sent_referral))).await?;
        let context = Context {
            pool: pool.clone(),
            auditor: Auditor::connect(pool.clone(), "ReferAndMonitorAndDelius").await?,
            client: auth.authorised_client(),
            detail_urls: DetailUrlPolicy::allow(std::slice::from_ref(&stub.base_url))?,
            telemetry: Telemetry::new(),
            withdrawal_reason: false,
            directory: Arc::new(delius_ldap::StaticDirectory::default()),
        };
        Ok(Self {
            handler: Arc::new(ReferAndMonitorHandler::new(context)),
            stub,
            pool,
            _auth: auth,
            _database: database,
        })
    }
}

async fn sent_referral(Path(id): Path<String>) -> Json<Value> {
    Json(json!({
        "id": id, "referenceNumber": "SOAK1", "relevantSentenceId": 1,
        "sentAt": "2023-02-14T11:31:49.503Z",
        "referral": {"id": id, "serviceProvider": {"name": "Soak Provider"}, "contractTypeName": "Accommodation"},
        "concludedAt": "2023-02-23T15:29:54.197Z",
        "endOfServiceReport": {"submittedAt": "2023-02-23T15:29:54.197Z"}
    }))
}

#[async_trait]
impl Workload for ReferAndMonitor {
    fn name(&self) -> &'static str {
        "refer-and-monitor"
    }

    fn handler(&self) -> Arc<dyn NotificationHandler> {
        self.handler.clone()
    }

    fn expected_outcomes(&self) -> &'static [&'static str] {
        &["ReferralEnded"]
    }

    fn message(&self, i: usize) -> String {
        let event_type = "intervention.referral.ended";
        let event = json!({
            "eventType": event_type, "version": 1, "occurredAt": "2023-02-23T15:55:21Z",
            "detailUrl": format!("{}/sent-referral/{}", self.stub.base_url, referral(i)),
            "additionalInformation": {
                "deliveryState": "PREMATURELY_ENDED", "referralId": referral(i),
                "referralURN": format!("urn:hmpps:interventions-referral:{}", referral(i)),
                "referralProbationUserURL": "https://ui/referral"
            },
            "personReference": {"identifiers": [{"type": "CRN", "value": format!("R{i:06}")}]}
        });
        Notification::new(event.to_string())
            .with_attribute("eventType", event_type)
            .to_envelope()
    }

    async fn rows(&self, count_: usize) -> anyhow::Result<Vec<RowCount>> {
        let found = count(
            &self.pool,
            &format!("SELECT count(*) AS n FROM nsi_status_history WHERE nsi_id >= {FIRST_ID}"),
        )
        .await?;
        Ok(vec![RowCount::new(
            "nsi_status_history (completed)",
            count_,
            found,
        )])
    }
}
