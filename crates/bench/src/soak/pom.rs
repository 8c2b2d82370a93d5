//! manage-pom-cases-and-delius: `handover.changed` (even messages: POM1 + POM2 key dates,
//! `KeyDateCreated`) and `allocation.changed` (odd: a POM and its contact, `PomAllocated`), one
//! per person.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use axum::extract::Path;
use axum::routing::get;
use axum::{Json, Router};
use diesel_async::RunQueryDsl;
use manage_pom_cases_and_delius::{Context, PomCasesHandler};
use messaging::detail::DetailUrlPolicy;
use messaging::{Notification, NotificationHandler};
use serde_json::{json, Value};
use test_support::auth::FakeHmppsAuth;
use test_support::TestDatabase;

use crate::workload::{count, noms, noms_sql, RowCount, Stub, Workload};
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
        let n = people.max(1) as i64 - 1;
        let noms = noms_sql("i", SUFFIX);
        let mut conn = pool.get().await?;
        for sql in [
            format!("INSERT INTO offender (offender_id, crn, noms_number, first_name, surname, current_tier, created_by_user_id, last_updated_user_id, created_datetime, last_updated_datetime)
                     SELECT {FIRST_ID} + i, 'P' || lpad(i::text, 6, '0'), {noms}, 'Soak', 'Person', 10101, 1, 1, now(), now() FROM generate_series(0, {n}) i"),
            format!("INSERT INTO event (event_id, offender_id, event_number, active_flag, soft_deleted, row_version)
                     SELECT {FIRST_ID} + i, {FIRST_ID} + i, '1', 1, 0, 0 FROM generate_series(0, {n}) i"),
            format!("INSERT INTO disposal (disposal_id, event_id, disposal_type_id, disposal_date, active_flag, soft_deleted)
                     SELECT {FIRST_ID} + i, {FIRST_ID} + i, 101, DATE '2020-01-01', 1, 0 FROM generate_series(0, {n}) i"),
            format!("INSERT INTO custody (custody_id, disposal_id, custodial_status_id, institution_id, prisoner_number, soft_deleted, row_version)
                     SELECT {FIRST_ID} + i, {FIRST_ID} + i, 10904, 113, {noms}, 0, 0 FROM generate_series(0, {n}) i"),
            format!("INSERT INTO offender_manager (offender_manager_id, offender_id, allocation_staff_id, team_id, probation_area_id, trust_provider_flag, partition_area_id, active_flag, soft_deleted, row_version)
                     SELECT {FIRST_ID} + i, {FIRST_ID} + i, 1031, 1031, 103, 0, 0, 1, 0, 0 FROM generate_series(0, {n}) i"),
            format!("INSERT INTO registration (registration_id, offender_id, register_type_id, register_level_id, register_category_id, registration_date, deregistered, soft_deleted)
                     SELECT {FIRST_ID} + i, {FIRST_ID} + i, 101, 12403, 12503, DATE '2023-01-01', 0, 0 FROM generate_series(0, {n}) i"),
            format!("INSERT INTO case_allocation (case_allocation_id, offender_id, event_id, allocation_decision_id, allocation_decision_date)
                     SELECT {FIRST_ID} + i, {FIRST_ID} + i, {FIRST_ID} + i, 12702, TIMESTAMP '2023-01-01 12:00:00' FROM generate_series(0, {n}) i"),
            "INSERT INTO user_ (user_id, distinguished_name, forename, surname, staff_id) VALUES (930001, 'DefaultStaff', 'Default', 'Staff', 1031) ON CONFLICT DO NOTHING".to_owned(),
            "ANALYZE".to_owned(),
        ] {
            diesel::sql_query(sql).execute(&mut conn).await?;
        }
        drop(conn);
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
