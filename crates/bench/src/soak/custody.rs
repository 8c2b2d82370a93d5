//! prison-custody-status-to-delius: `prisoner.released` (NCS), one per person in custody; each
//! writes the release, status, location, contacts and history (`LocationUpdated`).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use diesel_async::RunQueryDsl;
use messaging::{Notification, NotificationHandler, Telemetry};
use prison_custody_status_to_delius::{CustodyStatusHandler, Flags, PrisonApi};
use serde_json::json;
use test_support::auth::FakeHmppsAuth;
use test_support::TestDatabase;

use crate::workload::{count, noms, noms_sql, RowCount, Workload};
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
        let n = people.max(1) as i64 - 1;
        let noms = noms_sql("i", SUFFIX);
        let mut conn = pool.get().await?;
        for sql in [
            format!("INSERT INTO offender (offender_id, crn, noms_number, first_name, surname, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
                     SELECT {FIRST_ID} + i, 'C' || lpad(i::text, 6, '0'), {noms}, 'Soak', 'Person', 1, 1, now(), now() FROM generate_series(0, {n}) i"),
            format!("INSERT INTO event (event_id, offender_id, event_number, active_flag, soft_deleted, row_version)
                     SELECT {FIRST_ID} + i, {FIRST_ID} + i, '1', 1, 0, 0 FROM generate_series(0, {n}) i"),
            format!("INSERT INTO disposal (disposal_id, event_id, disposal_type_id, disposal_date, active_flag, soft_deleted)
                     SELECT {FIRST_ID} + i, {FIRST_ID} + i, 101, DATE '2020-01-01', 1, 0 FROM generate_series(0, {n}) i"),
            format!("INSERT INTO custody (custody_id, disposal_id, custodial_status_id, institution_id, establishment, status_change_date, location_change_date, soft_deleted, row_version)
                     SELECT {FIRST_ID} + i, {FIRST_ID} + i, 10904, 114, 'Y', DATE '2021-01-01', DATE '2021-01-01', 0, 0 FROM generate_series(0, {n}) i"),
            format!("INSERT INTO order_manager (order_manager_id, event_id, allocation_staff_id, allocation_team_id, probation_area_id, trust_provider_flag, partition_area_id, active_flag, soft_deleted, row_version)
                     SELECT {FIRST_ID} + i, {FIRST_ID} + i, 1031, 1031, 103, 0, 0, 1, 0, 0 FROM generate_series(0, {n}) i"),
            format!("INSERT INTO offender_manager (offender_manager_id, offender_id, allocation_staff_id, team_id, probation_area_id, trust_provider_flag, partition_area_id, active_flag, soft_deleted, row_version)
                     SELECT {FIRST_ID} + i, {FIRST_ID} + i, 1031, 1031, 103, 0, 0, 1, 0, 0 FROM generate_series(0, {n}) i"),
            "ANALYZE".to_owned(),
        ] {
            diesel::sql_query(sql).execute(&mut conn).await?;
        }
        drop(conn);
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
