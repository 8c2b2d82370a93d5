//! The role matrix on both endpoints (spec 2.0, rule 1): no token and bad or expired tokens are
//! 401, `ROLE_CRS_REFERRAL` alone is 403, the RW role and the platform admin role get through.

use chrono::{Duration, SecondsFormat, Utc};
use http::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use refer_and_monitor_and_delius::api::{CASE_DETAIL_RW_ROLE, CRS_REFERRAL_ROLE};

use crate::harness::TestApp;

const ADMIN_ROLE: &str = "ROLE_PROBATION_INTEGRATION_ADMIN";

/// Each endpoint with a body it accepts.
fn endpoints() -> Vec<(String, Value, StatusCode)> {
    let start = (Utc::now() + Duration::days(20)).to_rfc3339_opts(SecondsFormat::Secs, true);
    vec![
        (
            "/probation-case/T140225/referrals".to_owned(),
            json!({"referralId": Uuid::new_v4(), "startedAt": Utc::now().to_rfc3339(), "contractType": "ACC", "sentenceId": 950003, "notes": "n"}),
            StatusCode::NO_CONTENT,
        ),
        (
            "/probation-case/T140224/referrals/09c62549-bcd3-49a9-8120-7811b76925e5/appointments"
                .to_owned(),
            json!({"id": Uuid::new_v4(), "referralId": "09c62549-bcd3-49a9-8120-7811b76925e5", "referralReference": "R", "start": start, "durationInMinutes": 30, "countsTowardsRar": false}),
            StatusCode::OK,
        ),
    ]
}

async fn status(
    app: &TestApp,
    path: &str,
    body: &Value,
    token: Option<String>,
) -> (StatusCode, Value) {
    app.send(Method::PUT, path, token, Some(body.to_string()))
        .await
}

#[tokio::test]
async fn spec_2_0_no_token_is_401() {
    let app = TestApp::start().await;
    for (path, body, _) in endpoints() {
        let (code, response) = status(&app, &path, &body, None).await;
        assert_eq!(code, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(response["status"], 401, "{path}: {response}");
    }
}

#[tokio::test]
async fn spec_2_0_bad_or_expired_token_is_401() {
    let app = TestApp::start().await;
    for (path, body, _) in endpoints() {
        for token in [
            app.auth
                .token()
                .roles([CASE_DETAIL_RW_ROLE])
                .signed_with_other_key()
                .bearer(),
            app.auth
                .token()
                .roles([CASE_DETAIL_RW_ROLE])
                .expired()
                .bearer(),
            app.auth
                .token()
                .roles([CASE_DETAIL_RW_ROLE])
                .issuer("https://elsewhere")
                .bearer(),
            "Bearer not-a-jwt".to_owned(),
        ] {
            assert_eq!(
                status(&app, &path, &body, Some(token)).await.0,
                StatusCode::UNAUTHORIZED,
                "{path}"
            );
        }
    }
}

#[tokio::test]
async fn rule_1_crs_referral_role_alone_is_403_on_both_puts() {
    let app = TestApp::start().await;
    for (path, body, _) in endpoints() {
        for roles in [vec![CRS_REFERRAL_ROLE], vec![], vec!["ROLE_SOMETHING_ELSE"]] {
            let token = app.auth.token().roles(roles).bearer();
            let (code, response) = status(&app, &path, &body, Some(token)).await;
            assert_eq!(code, StatusCode::FORBIDDEN, "{path}");
            assert_eq!(response["status"], 403, "{path}: {response}");
        }
    }
}

#[tokio::test]
async fn rule_1_case_detail_rw_role_is_allowed() {
    let app = TestApp::start().await;
    for (path, body, expected) in endpoints() {
        let token = app.auth.token().roles([CASE_DETAIL_RW_ROLE]).bearer();
        assert_eq!(
            status(&app, &path, &body, Some(token)).await.0,
            expected,
            "{path}"
        );
    }
}

#[tokio::test]
async fn platform_admin_role_implies_the_service_roles() {
    let app = TestApp::start().await;
    for (path, body, expected) in endpoints() {
        let token = app.auth.token().roles([ADMIN_ROLE]).bearer();
        assert_eq!(
            status(&app, &path, &body, Some(token)).await.0,
            expected,
            "{path}"
        );
    }
}

#[tokio::test]
async fn other_methods_are_checked_first_then_405_and_unknown_paths_404() {
    let app = TestApp::start().await;
    let (path, _, _) = endpoints().remove(0);
    assert_eq!(
        app.send(Method::GET, &path, None, None).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (code, body) = app.send(Method::GET, &path, Some(app.token()), None).await;
    assert_eq!(
        (code, body),
        (
            StatusCode::METHOD_NOT_ALLOWED,
            json!({"status": 405, "message": "Method not allowed"})
        )
    );
    let (code, body) = app
        .send(Method::GET, "/probation-case/InvalidCrn/detail", None, None)
        .await;
    assert_eq!(
        (code, body),
        (
            StatusCode::NOT_FOUND,
            json!({"status": 404, "message": "Not found"})
        )
    );
}
