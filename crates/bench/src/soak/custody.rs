//! prison-custody-status-to-delius: `prisoner.released` (NCS), one per person in custody; each
//! writes the release, status, location, contacts and history (`LocationUpdated`).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use messaging::{Notification, NotificationHandler, Telemetry};
use prison_custody_status_to_delius::{CustodyStatusHandler, Flags, PrisonApi};
use serde_json::json;
use test_support::auth::FakeHmppsAuth;
use test_support::fixtures::load_people;
use test_support::TestDatabase;

use crate::workload::{count, noms, RowCount, Workload};
use crate::POOL_SIZE;

const FIRST_ID: i64 = 800_000;
const SERVICE_USER_ID: i64 = 5;
const SUFFIX: &str = "CS";

pub struct Custody {
    handler: Arc<CustodyStatusHandler>,
    pool: delius_data::DbPool,
    _auth: FakeHmppsAuth,
    _database: TestDatabase,
}

impl Custody {
    /// `people`: one per message, each a custodial case at WSI (status D) with its managers.
    pub async fn start(people: usize) -> anyhow::Result<Self> {
        let database = TestDatabase::new().await?;
        let pool = delius_data::build_pool(database.url(), POOL_SIZE, Duration::from_secs(10))?;
        load_people(
            &pool,
            include_str!(
                "../../../../projects/prison-custody-status-to-delius/tests/fixtures/people.sql"
            ),
            FIRST_ID,
            people,
        )
        .await?;
        let auth = FakeHmppsAuth::start().await;
        // Releases of people in custody need nothing from the Prison API.
        let api = PrisonApi::new(auth.authorised_client(), url::Url::parse(&auth.base_url())?);
        let handler = Arc::new(CustodyStatusHandler::new(
            pool.clone(),
            api,
            SERVICE_USER_ID,
            Flags::default(),
            Telemetry::new(),
        ));
        Ok(Self {
            handler,
            pool,
            _auth: auth,
            _database: database,
        })
    }
}

#[async_trait]
impl Workload for Custody {
    fn name(&self) -> &'static str {
        "custody-status"
    }

    fn handler(&self) -> Arc<dyn NotificationHandler> {
        self.handler.clone()
    }

    fn expected_outcomes(&self) -> &'static [&'static str] {
        &["LocationUpdated"]
    }

    fn message(&self, i: usize) -> String {
        let event_type = "prison-offender-events.prisoner.released";
        let event = json!({
            "eventType": event_type, "version": 1, "occurredAt": "2024-05-04T07:03:50+01:00",
            "additionalInformation": {"reason": "RELEASED", "nomisMovementReasonCode": "NCS", "prisonId": "WSI",
                                      "details": "Movement reason code NCS"},
            "personReference": {"identifiers": [{"type": "NOMS", "value": noms(i, SUFFIX)}]}
        });
        Notification::new(event.to_string())
            .with_attribute("eventType", event_type)
            .to_envelope()
    }

    async fn rows(&self, count_: usize) -> anyhow::Result<Vec<RowCount>> {
        let found = count(
            &self.pool,
            &format!("SELECT count(*) AS n FROM release WHERE custody_id >= {FIRST_ID}"),
        )
        .await?;
        Ok(vec![RowCount::new("release", count_, found)])
    }
}
