use audit_iaps::{resolve_service_user, AuditError, Auditor, ServiceUser};
use test_support::TestDatabase;

use crate::support::{PCN_USERNAME, PCN_USER_ID};

#[tokio::test]
async fn finds_the_seeded_service_user_by_distinguished_name() -> anyhow::Result<()> {
    let db = TestDatabase::new().await?;
    let user = resolve_service_user(&db.pool(), PCN_USERNAME).await?;
    assert_eq!(
        user,
        ServiceUser {
            id: PCN_USER_ID,
            username: PCN_USERNAME.to_owned()
        }
    );
    Ok(())
}

#[tokio::test]
async fn a_missing_service_user_is_a_clear_start_up_error() -> anyhow::Result<()> {
    let db = TestDatabase::new().await?;
    let error = resolve_service_user(&db.pool(), "NoSuchService")
        .await
        .expect_err("an unknown user must not resolve");
    assert!(matches!(&error, AuditError::ServiceUserNotFound(name) if name == "NoSuchService"));
    assert_eq!(
        error.to_string(),
        "DB Username Not Found: no user_ row with distinguished_name 'NoSuchService' — the service's Delius audit user must exist before it starts"
    );
    Ok(())
}

#[tokio::test]
async fn matching_is_exact_so_a_differently_cased_name_is_not_found() -> anyhow::Result<()> {
    let db = TestDatabase::new().await?;
    let error = resolve_service_user(&db.pool(), "prisoncasenotestoprobation")
        .await
        .expect_err("the audit user name is matched exactly");
    assert!(matches!(error, AuditError::ServiceUserNotFound(_)));
    Ok(())
}

#[tokio::test]
async fn connect_builds_an_auditor_for_the_resolved_user() -> anyhow::Result<()> {
    let db = TestDatabase::new().await?;
    let auditor = Auditor::connect(db.pool(), PCN_USERNAME).await?;
    assert_eq!(auditor.user().id, PCN_USER_ID);
    let missing = Auditor::connect(db.pool(), "Nobody").await;
    assert!(matches!(missing, Err(AuditError::ServiceUserNotFound(name)) if name == "Nobody"));
    Ok(())
}
