use audit_iaps::{business_interaction, AuditError, BusinessInteraction};
use test_support::TestDatabase;

#[tokio::test]
async fn finds_a_seeded_code() -> anyhow::Result<()> {
    let db = TestDatabase::new().await?;
    let mut conn = db.conn().await?;
    let found = business_interaction(&mut conn, "CLBI007").await?;
    assert_eq!(
        found,
        BusinessInteraction {
            id: 107,
            code: "CLBI007".to_owned()
        }
    );
    Ok(())
}

#[tokio::test]
async fn an_unknown_code_is_an_error_naming_it() -> anyhow::Result<()> {
    let db = TestDatabase::new().await?;
    let mut conn = db.conn().await?;
    let error = business_interaction(&mut conn, "NOPE001")
        .await
        .expect_err("an unknown code must not resolve");
    assert!(matches!(&error, AuditError::BusinessInteractionNotFound(code) if code == "NOPE001"));
    assert!(error.to_string().contains("'NOPE001'"), "{error}");
    Ok(())
}
