//! The audit row and the business transaction: `F` rows outlive the rollback, `P` rows follow the
//! commit, and audit-write failures never replace the work's own result.

use audit_iaps::{flag_iaps_offender, AuditError, AuditOutcome, AuditParameters};
use delius_data::schema::{iaps_offender, offender};
use diesel::prelude::*;
use diesel_async::scoped_futures::ScopedFutureExt;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use test_support::{PersonBuilder, TestDatabase};

use crate::support::{audit_rows, pcn_auditor, CLBI003_ID, PCN_USER_ID};

const CRN: &str = "A000001";

#[derive(Debug, thiserror::Error)]
#[error("contact type XYZ not found")]
struct BusinessFailure;

async fn offender_ids(conn: &mut AsyncPgConnection) -> QueryResult<Vec<i64>> {
    offender::table
        .filter(offender::crn.eq(CRN))
        .select(offender::offender_id)
        .load(conn)
        .await
}

async fn iaps_offender_count(conn: &mut AsyncPgConnection) -> QueryResult<i64> {
    iaps_offender::table.count().get_result(conn).await
}

/// `crn='A000001',offenderId='<id>'` → id
fn offender_id_in(parameters: &str) -> Option<i64> {
    parameters
        .strip_prefix("crn='A000001',offenderId='")?
        .strip_suffix('\'')?
        .parse()
        .ok()
}

#[tokio::test]
async fn the_fail_row_persists_after_the_business_transaction_rolls_back() -> anyhow::Result<()> {
    let db = TestDatabase::new().await?;
    let auditor = pcn_auditor(&db).await?;
    let pool = db.pool();
    let pool = &pool;

    let result: anyhow::Result<i64> = auditor
        .audited(
            "CLBI003",
            AuditParameters::new().with("crn", CRN),
            |params| {
                async move {
                    let mut conn = pool.get().await?;
                    conn.transaction::<i64, anyhow::Error, _>(|tx| {
                        async move {
                            let person = PersonBuilder::default().crn(CRN).insert(tx).await?;
                            flag_iaps_offender(tx, person.id).await?;
                            params.set("offenderId", person.id);
                            Err(BusinessFailure.into())
                        }
                        .scope_boxed()
                    })
                    .await
                }
                .scope_boxed()
            },
        )
        .await;

    let error = result.expect_err("the work failed");
    assert!(
        error.is::<BusinessFailure>(),
        "original error returned: {error:?}"
    );

    let mut conn = db.conn().await?;
    assert_eq!(
        offender_ids(&mut conn).await?,
        Vec::<i64>::new(),
        "person rolled back"
    );
    assert_eq!(
        iaps_offender_count(&mut conn).await?,
        0,
        "IAPS flag rolled back"
    );
    let rows = audit_rows(&mut conn).await?;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].outcome, "F");
    assert_eq!(rows[0].business_interaction_id, CLBI003_ID);
    assert_eq!(rows[0].user_id, PCN_USER_ID);
    let parameters = rows[0].interaction_parameters.clone().unwrap_or_default();
    let rolled_back_id = offender_id_in(&parameters);
    assert!(
        rolled_back_id.is_some(),
        "parameters set inside the transaction kept: {parameters}"
    );
    Ok(())
}

#[tokio::test]
async fn a_fail_row_written_while_the_transaction_is_open_survives_its_rollback(
) -> anyhow::Result<()> {
    let db = TestDatabase::new().await?;
    let auditor = pcn_auditor(&db).await?;
    let auditor = &auditor;
    let mut conn = db.conn().await?;

    let result = conn
        .transaction::<(), anyhow::Error, _>(|tx| {
            async move {
                let person = PersonBuilder::default().crn(CRN).insert(tx).await?;
                flag_iaps_offender(tx, person.id).await?;
                let params = AuditParameters::new()
                    .with("crn", CRN)
                    .with("offenderId", person.id);
                // Written and committed on the auditor's own connection, before this one rolls back.
                auditor
                    .record("CLBI003", AuditOutcome::Failure, &params)
                    .await?;
                Err(BusinessFailure.into())
            }
            .scope_boxed()
        })
        .await;
    assert!(result.expect_err("rolled back").is::<BusinessFailure>());

    assert!(offender_ids(&mut conn).await?.is_empty());
    assert_eq!(iaps_offender_count(&mut conn).await?, 0);
    let rows = audit_rows(&mut conn).await?;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].outcome, "F");
    let parameters = rows[0].interaction_parameters.clone().unwrap_or_default();
    assert!(offender_id_in(&parameters).is_some(), "{parameters}");
    Ok(())
}

#[tokio::test]
async fn the_scope_writes_f_after_a_rollback_and_returns_the_error() -> anyhow::Result<()> {
    let db = TestDatabase::new().await?;
    let auditor = pcn_auditor(&db).await?;
    let mut audit = auditor.begin("CLBI003", AuditParameters::new().with("crn", CRN));

    let mut conn = db.conn().await?;
    let result = conn
        .transaction::<i64, anyhow::Error, _>(|tx| {
            async move {
                let person = PersonBuilder::default().crn(CRN).insert(tx).await?;
                Err(anyhow::Error::from(BusinessFailure).context(format!("person {}", person.id)))
            }
            .scope_boxed()
        })
        .await;
    audit.param("stage", "contact");
    let result = audit.finish(result).await;

    let error = result.expect_err("still the work's error");
    assert!(error.to_string().starts_with("person "), "{error}");
    assert!(error.root_cause().is::<BusinessFailure>());
    assert!(offender_ids(&mut conn).await?.is_empty());
    let rows = audit_rows(&mut conn).await?;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].outcome, "F");
    assert_eq!(
        rows[0].interaction_parameters.as_deref(),
        Some("crn='A000001',stage='contact'")
    );
    Ok(())
}

#[tokio::test]
async fn success_commits_the_work_then_writes_p_with_parameters_it_added() -> anyhow::Result<()> {
    let db = TestDatabase::new().await?;
    let auditor = pcn_auditor(&db).await?;
    let pool = db.pool();

    let person_id = auditor
        .audited(
            "CLBI003",
            AuditParameters::new().with("crn", CRN),
            |params| {
                async move {
                    let mut conn = pool.get().await?;
                    let id = conn
                        .transaction::<i64, anyhow::Error, _>(|tx| {
                            async move {
                                let person = PersonBuilder::default().crn(CRN).insert(tx).await?;
                                flag_iaps_offender(tx, person.id).await?;
                                Ok(person.id)
                            }
                            .scope_boxed()
                        })
                        .await?;
                    params.set("offenderId", id);
                    Ok(id)
                }
                .scope_boxed()
            },
        )
        .await?;

    let mut conn = db.conn().await?;
    assert_eq!(offender_ids(&mut conn).await?, vec![person_id]);
    assert_eq!(iaps_offender_count(&mut conn).await?, 1);
    let rows = audit_rows(&mut conn).await?;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].outcome, "P");
    assert_eq!(rows[0].business_interaction_id, CLBI003_ID);
    assert_eq!(rows[0].user_id, PCN_USER_ID);
    assert_eq!(
        rows[0].interaction_parameters.as_deref(),
        Some(format!("crn='A000001',offenderId='{person_id}'").as_str())
    );
    Ok(())
}

#[tokio::test]
async fn an_audit_write_failure_never_replaces_the_work_result() -> anyhow::Result<()> {
    let db = TestDatabase::new().await?;
    let auditor = pcn_auditor(&db).await?;

    let failed: anyhow::Result<()> = auditor
        .audited("NOPE001", AuditParameters::new(), |_| {
            async { Err(BusinessFailure.into()) }.scope_boxed()
        })
        .await;
    let error = failed.expect_err("the work failed");
    assert!(
        error.is::<BusinessFailure>(),
        "not the audit error: {error:?}"
    );

    let succeeded = auditor
        .audited("NOPE001", AuditParameters::new(), |_| {
            async { Ok(7) }.scope_boxed()
        })
        .await?;
    assert_eq!(succeeded, 7);

    assert!(audit_rows(&mut *db.conn().await?).await?.is_empty());
    Ok(())
}

#[tokio::test]
async fn the_scope_reports_its_own_write_errors_when_asked_directly() -> anyhow::Result<()> {
    let db = TestDatabase::new().await?;
    let auditor = pcn_auditor(&db).await?;
    let error = auditor
        .begin("NOPE001", AuditParameters::new())
        .failure()
        .await
        .expect_err("unknown code");
    assert!(matches!(error, AuditError::BusinessInteractionNotFound(_)));

    auditor
        .begin("CLBI003", AuditParameters::new().with("crn", CRN))
        .success()
        .await?;
    // Dropped without an outcome: logged, nothing written.
    drop(auditor.begin("CLBI007", AuditParameters::new()));

    let rows = audit_rows(&mut *db.conn().await?).await?;
    let summary: Vec<(i64, &str)> = rows
        .iter()
        .map(|r| (r.business_interaction_id, r.outcome.as_str()))
        .collect();
    assert_eq!(summary, vec![(CLBI003_ID, "P")]);
    Ok(())
}

/// Services spawn their handlers, so the wrapper's future must be `Send`.
#[allow(dead_code)]
fn audited_future_is_send(auditor: &audit_iaps::Auditor) {
    fn assert_send<T: Send>(_: T) {}
    assert_send(auditor.audited("CLBI003", AuditParameters::new(), |_| {
        async { Ok(()) }.scope_boxed()
    }));
}
