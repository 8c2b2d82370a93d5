use audit_iaps::auditor::MAX_WRITE_ATTEMPTS;
use audit_iaps::{AuditError, AuditOutcome, AuditParameters, Auditor};
use chrono::{NaiveDate, SubsecRound, TimeDelta};
use delius_data::schema::{audited_interaction, business_interaction};
use delius_data::time::now_london;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use test_support::TestDatabase;

use crate::support::{audit_rows, pcn_auditor, AuditRow, APIBI001_ID, CLBI003_ID, PCN_USER_ID};

#[tokio::test]
async fn a_success_row_holds_p_the_interaction_the_user_and_the_parameters() -> anyhow::Result<()> {
    let db = TestDatabase::new().await?;
    let auditor = pcn_auditor(&db).await?;
    let params = AuditParameters::new()
        .with("crn", "A000001")
        .with("contactId", 123);

    let before = now_london().trunc_subsecs(6);
    auditor
        .record("CLBI003", AuditOutcome::Success, &params)
        .await?;
    let after = now_london();

    let rows = audit_rows(&mut *db.conn().await?).await?;
    assert_eq!(rows.len(), 1, "{rows:?}");
    let row = &rows[0];
    assert_eq!(row.outcome, "P");
    assert_eq!(row.business_interaction_id, CLBI003_ID);
    assert_eq!(row.user_id, PCN_USER_ID);
    assert_eq!(
        row.interaction_parameters.as_deref(),
        Some("crn='A000001',contactId='123'")
    );
    assert!(
        before <= row.date_time && row.date_time <= after,
        "{} not within {before}..{after}",
        row.date_time
    );
    Ok(())
}

#[tokio::test]
async fn a_failure_row_holds_f() -> anyhow::Result<()> {
    let db = TestDatabase::new().await?;
    let auditor = pcn_auditor(&db).await?;
    auditor
        .record(
            "APIBI001",
            AuditOutcome::Failure,
            &AuditParameters::new().with("nomisId", "A1234BC"),
        )
        .await?;
    let rows = audit_rows(&mut *db.conn().await?).await?;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].outcome, "F");
    assert_eq!(rows[0].business_interaction_id, APIBI001_ID);
    assert_eq!(
        rows[0].interaction_parameters.as_deref(),
        Some("nomisId='A1234BC'")
    );
    Ok(())
}

#[tokio::test]
async fn no_parameters_are_stored_as_null_and_long_ones_cut_to_the_column() -> anyhow::Result<()> {
    let db = TestDatabase::new().await?;
    let auditor = pcn_auditor(&db).await?;
    auditor
        .record("CLBI003", AuditOutcome::Success, &AuditParameters::new())
        .await?;
    let long = AuditParameters::new().with("notes", "ü".repeat(600));
    auditor
        .record("CLBI007", AuditOutcome::Success, &long)
        .await?;

    let rows = audit_rows(&mut *db.conn().await?).await?;
    assert_eq!(rows.len(), 2);
    let empty = rows
        .iter()
        .find(|r| r.business_interaction_id == CLBI003_ID);
    assert_eq!(empty.map(|r| r.interaction_parameters.clone()), Some(None));
    let cut = rows
        .iter()
        .find(|r| r.business_interaction_id == 107)
        .and_then(|r| r.interaction_parameters.clone())
        .unwrap_or_default();
    assert_eq!(cut.chars().count(), 500);
    assert!(cut.starts_with("notes='üü"));
    Ok(())
}

#[tokio::test]
async fn two_records_in_quick_succession_both_persist() -> anyhow::Result<()> {
    let db = TestDatabase::new().await?;
    let auditor = pcn_auditor(&db).await?;
    let params = AuditParameters::new().with("crn", "A000001");
    auditor
        .record("CLBI003", AuditOutcome::Success, &params)
        .await?;
    auditor
        .record("CLBI003", AuditOutcome::Failure, &params)
        .await?;

    let rows = audit_rows(&mut *db.conn().await?).await?;
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0].outcome, "P");
    assert_eq!(rows[1].outcome, "F");
    assert!(rows[0].date_time < rows[1].date_time);
    Ok(())
}

#[tokio::test]
async fn the_same_microsecond_moves_on_one_microsecond_per_collision() -> anyhow::Result<()> {
    let db = TestDatabase::new().await?;
    let auditor = pcn_auditor(&db).await?;
    // Nanoseconds PostgreSQL would drop: the first row is stored at .123456.
    let at = NaiveDate::from_ymd_opt(2024, 6, 1)
        .and_then(|d| d.and_hms_nano_opt(10, 0, 0, 123_456_789))
        .ok_or_else(|| anyhow::anyhow!("bad test time"))?;
    let stored = at.trunc_subsecs(6);
    let params = AuditParameters::new().with("crn", "A000001");

    let mut written = Vec::new();
    for outcome in [
        AuditOutcome::Success,
        AuditOutcome::Failure,
        AuditOutcome::Success,
    ] {
        written.push(auditor.record_at("CLBI003", outcome, &params, at).await?);
    }
    let micro = TimeDelta::microseconds(1);
    assert_eq!(written, vec![stored, stored + micro, stored + micro * 2]);

    let rows = audit_rows(&mut *db.conn().await?).await?;
    let expected: Vec<AuditRow> = written
        .iter()
        .zip(["P", "F", "P"])
        .map(|(t, outcome)| AuditRow {
            date_time: *t,
            business_interaction_id: CLBI003_ID,
            user_id: PCN_USER_ID,
            outcome: outcome.to_owned(),
            interaction_parameters: Some("crn='A000001'".to_owned()),
        })
        .collect();
    assert_eq!(rows, expected);
    Ok(())
}

#[tokio::test]
async fn a_different_interaction_in_the_same_microsecond_does_not_collide() -> anyhow::Result<()> {
    let db = TestDatabase::new().await?;
    let auditor = pcn_auditor(&db).await?;
    let at = NaiveDate::from_ymd_opt(2024, 6, 1)
        .and_then(|d| d.and_hms_micro_opt(10, 0, 0, 1))
        .ok_or_else(|| anyhow::anyhow!("bad test time"))?;
    let params = AuditParameters::new();
    let first = auditor
        .record_at("CLBI003", AuditOutcome::Success, &params, at)
        .await?;
    let second = auditor
        .record_at("CLBI007", AuditOutcome::Success, &params, at)
        .await?;
    assert_eq!((first, second), (at, at));
    Ok(())
}

#[tokio::test]
async fn gives_up_with_an_error_when_every_slot_is_taken() -> anyhow::Result<()> {
    let db = TestDatabase::new().await?;
    let auditor = pcn_auditor(&db).await?;
    let at = NaiveDate::from_ymd_opt(2024, 6, 1)
        .and_then(|d| d.and_hms_micro_opt(10, 0, 0, 0))
        .ok_or_else(|| anyhow::anyhow!("bad test time"))?;
    let mut conn = db.conn().await?;
    for step in 0..i64::from(MAX_WRITE_ATTEMPTS) {
        diesel::insert_into(audited_interaction::table)
            .values((
                audited_interaction::date_time.eq(at + TimeDelta::microseconds(step)),
                audited_interaction::business_interaction_id.eq(CLBI003_ID),
                audited_interaction::user_id.eq(PCN_USER_ID),
                audited_interaction::outcome.eq("P"),
            ))
            .execute(&mut conn)
            .await?;
    }

    let error = auditor
        .record_at(
            "CLBI003",
            AuditOutcome::Failure,
            &AuditParameters::new(),
            at,
        )
        .await
        .expect_err("every slot is taken");
    assert!(
        matches!(&error, AuditError::TimestampCollision { code, attempts } if code == "CLBI003" && *attempts == MAX_WRITE_ATTEMPTS),
        "{error:?}"
    );
    let rows = audit_rows(&mut conn).await?;
    assert_eq!(rows.len(), MAX_WRITE_ATTEMPTS as usize);
    assert!(rows.iter().all(|r| r.outcome == "P"), "no F row was added");
    Ok(())
}

#[tokio::test]
async fn concurrent_records_of_one_interaction_all_persist() -> anyhow::Result<()> {
    let db = TestDatabase::new().await?;
    let auditor = pcn_auditor(&db).await?;
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..20 {
        let auditor = auditor.clone();
        tasks.spawn(async move {
            auditor
                .record(
                    "APIBI001",
                    AuditOutcome::Success,
                    &AuditParameters::new().with("n", n),
                )
                .await
        });
    }
    while let Some(joined) = tasks.join_next().await {
        joined??;
    }
    let rows = audit_rows(&mut *db.conn().await?).await?;
    let mut ns: Vec<String> = rows
        .iter()
        .filter_map(|r| r.interaction_parameters.clone())
        .collect();
    ns.sort();
    let mut expected: Vec<String> = (0..20).map(|n| format!("n='{n}'")).collect();
    expected.sort();
    assert_eq!(ns, expected);
    Ok(())
}

#[tokio::test]
async fn an_unknown_code_writes_nothing_and_names_the_code() -> anyhow::Result<()> {
    let db = TestDatabase::new().await?;
    let auditor = pcn_auditor(&db).await?;
    let error = auditor
        .record("NOPE001", AuditOutcome::Success, &AuditParameters::new())
        .await
        .expect_err("unknown code");
    assert!(matches!(&error, AuditError::BusinessInteractionNotFound(code) if code == "NOPE001"));
    assert!(audit_rows(&mut *db.conn().await?).await?.is_empty());
    Ok(())
}

#[tokio::test]
async fn interaction_ids_are_cached_per_auditor_and_shared_by_clones() -> anyhow::Result<()> {
    let db = TestDatabase::new().await?;
    let auditor = pcn_auditor(&db).await?;
    let params = AuditParameters::new();
    auditor
        .record("NIBI009", AuditOutcome::Success, &params)
        .await?;

    // Renaming the code makes a database lookup fail; only the cache can still resolve it.
    diesel::update(
        business_interaction::table
            .filter(business_interaction::business_interaction_code.eq("NIBI009")),
    )
    .set(business_interaction::business_interaction_code.eq("RENAMED"))
    .execute(&mut *db.conn().await?)
    .await?;

    auditor
        .clone()
        .record("NIBI009", AuditOutcome::Failure, &params)
        .await?;
    let fresh = Auditor::new(db.pool(), auditor.user().clone());
    let uncached = fresh
        .record("NIBI009", AuditOutcome::Failure, &params)
        .await;
    assert!(matches!(
        uncached,
        Err(AuditError::BusinessInteractionNotFound(_))
    ));

    let rows = audit_rows(&mut *db.conn().await?).await?;
    let summary: Vec<(i64, &str)> = rows
        .iter()
        .map(|r| (r.business_interaction_id, r.outcome.as_str()))
        .collect();
    assert_eq!(summary, vec![(105, "P"), (105, "F")]);
    Ok(())
}
