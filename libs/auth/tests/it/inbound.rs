use auth::inbound::ADMIN_ROLE;
use http::StatusCode;
use serde_json::json;
use test_support::auth::{jwks, TestKey, DEV_CLIENT_ID, TEST_KID};

use crate::helpers::{TestApp, TestResponse, SERVICE_ROLE};

fn assert_error(response: &TestResponse, status: StatusCode, message: &str) {
    assert_eq!(response.status, status, "body: {}", response.body);
    assert_eq!(
        response.body,
        json!({"status": status.as_u16(), "message": message})
    );
    assert_eq!(
        response
            .headers
            .get(http::header::CONTENT_TYPE)
            .map(|v| v.as_bytes()),
        Some(b"application/json".as_slice())
    );
}

fn assert_invalid_token(response: &TestResponse) {
    assert_error(response, StatusCode::UNAUTHORIZED, "Invalid token");
    assert_eq!(
        response
            .headers
            .get(http::header::WWW_AUTHENTICATE)
            .map(|v| v.as_bytes()),
        Some(br#"Bearer error="invalid_token""#.as_slice())
    );
}

#[tokio::test]
async fn no_token_is_401() {
    let app = TestApp::start().await;
    let response = app.get("/declared", None).await;
    assert_error(
        &response,
        StatusCode::UNAUTHORIZED,
        "Authentication required",
    );
    assert_eq!(
        response
            .headers
            .get(http::header::WWW_AUTHENTICATE)
            .map(|v| v.as_bytes()),
        Some(b"Bearer".as_slice())
    );
}

#[tokio::test]
async fn malformed_authorization_header_is_401() {
    let app = TestApp::start().await;
    let valid = app.fake.token().roles([SERVICE_ROLE]).build();
    for header in [
        format!("Basic {valid}"),
        format!("Bearer{valid}"),
        "Bearer ".to_owned(),
        "Bearer not-a-jwt".to_owned(),
        "Bearer a.b.c".to_owned(),
    ] {
        let response = app.get("/declared", Some(&header)).await;
        assert_invalid_token(&response);
    }
}

#[tokio::test]
async fn bad_signature_is_401() {
    let app = TestApp::start().await;
    let token = app
        .fake
        .token()
        .roles([SERVICE_ROLE])
        .signed_with_other_key()
        .build();
    assert_invalid_token(&app.get_protected(&token).await);
}

#[tokio::test]
async fn expired_token_is_401() {
    let app = TestApp::start().await;
    let token = app.fake.token().roles([SERVICE_ROLE]).expired().build();
    let response = app.get_protected(&token).await;
    assert_error(&response, StatusCode::UNAUTHORIZED, "Token expired");
}

#[tokio::test]
async fn wrong_issuer_is_401() {
    let app = TestApp::start().await;
    let token = app
        .fake
        .token()
        .roles([SERVICE_ROLE])
        .issuer("https://sign-in.example.com/auth/issuer")
        .build();
    assert_invalid_token(&app.get_protected(&token).await);
}

#[tokio::test]
async fn token_without_issuer_is_401() {
    let app = TestApp::start().await;
    let token = app
        .fake
        .token()
        .roles([SERVICE_ROLE])
        .claim("iss", serde_json::Value::Null)
        .build();
    assert_invalid_token(&app.get_protected(&token).await);
}

#[tokio::test]
async fn token_without_kid_is_401() {
    let app = TestApp::start().await;
    let token = app.fake.token().roles([SERVICE_ROLE]).without_kid().build();
    assert_invalid_token(&app.get_protected(&token).await);
}

#[tokio::test]
async fn non_rs256_token_is_401() {
    let app = TestApp::start().await;
    // An HS256 token "signed" with the public key: the classic algorithm-confusion attack.
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    header.kid = Some(TEST_KID.to_owned());
    let claims = json!({
        "sub": DEV_CLIENT_ID,
        "iss": app.fake.issuer(),
        "exp": unix_now() + 3600,
        "authorities": [SERVICE_ROLE],
    });
    let key = jsonwebtoken::EncodingKey::from_secret(TestKey::Main.public_pem().as_bytes());
    let token = jsonwebtoken::encode(&header, &claims, &key).expect("HS256 token should encode");
    assert_invalid_token(&app.get_protected(&token).await);
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

#[tokio::test]
async fn unknown_kid_refreshes_the_jwks_once() {
    let app = TestApp::start().await;
    // Keys are loaded on first use.
    let first = app.fake.token().roles([SERVICE_ROLE]).build();
    assert_eq!(app.get_protected(&first).await.status, StatusCode::OK);
    assert_eq!(app.fake.jwks_requests().await, 1);

    // HMPPS Auth rotates in a new key: the validator has not seen its kid yet.
    app.fake.set_jwks(jwks(&[
        (TestKey::Main, TEST_KID),
        (TestKey::Other, "rotated-key"),
    ]));
    let rotated = app
        .fake
        .token()
        .roles([SERVICE_ROLE])
        .signed_with_other_key()
        .kid("rotated-key")
        .build();
    let response = app.get_protected(&rotated).await;
    assert_eq!(response.status, StatusCode::OK, "body: {}", response.body);
    assert_eq!(app.fake.jwks_requests().await, 2);

    // Both keys are now cached: no further fetches.
    assert_eq!(app.get_protected(&rotated).await.status, StatusCode::OK);
    assert_eq!(app.get_protected(&first).await.status, StatusCode::OK);
    assert_eq!(app.fake.jwks_requests().await, 2);
}

#[tokio::test]
async fn unknown_kid_after_refresh_is_401_and_refreshes_are_rate_limited() {
    let app = TestApp::start().await;
    let valid = app.fake.token().roles([SERVICE_ROLE]).build();
    assert_eq!(app.get_protected(&valid).await.status, StatusCode::OK);

    let unknown = app
        .fake
        .token()
        .roles([SERVICE_ROLE])
        .signed_with_other_key()
        .kid("never-published")
        .build();
    assert_invalid_token(&app.get_protected(&unknown).await);
    assert_eq!(
        app.fake.jwks_requests().await,
        2,
        "one refresh for the unknown kid"
    );

    // A second unknown kid within the interval does not trigger another fetch.
    let another = app.fake.token().kid("also-unknown").build();
    assert_invalid_token(&app.get_protected(&another).await);
    assert_eq!(app.fake.jwks_requests().await, 2, "refresh is rate-limited");
}

#[tokio::test]
async fn unreachable_jwks_is_503_and_backs_off() {
    let app = TestApp::start().await;
    app.fake.fail_jwks(500);
    let token = app.fake.token().roles([SERVICE_ROLE]).build();
    let response = app.get_protected(&token).await;
    assert_error(
        &response,
        StatusCode::SERVICE_UNAVAILABLE,
        "Unable to verify token",
    );
    assert_eq!(app.fake.jwks_requests().await, 1);

    // Within the back-off the fetch is not retried.
    let response = app.get_protected(&token).await;
    assert_eq!(response.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(app.fake.jwks_requests().await, 1);
}

#[tokio::test]
async fn missing_role_is_403() {
    let app = TestApp::start().await;
    let token = app.fake.token().roles(["ROLE_OTHER"]).build();
    let response = app.get_protected(&token).await;
    assert_error(&response, StatusCode::FORBIDDEN, "Access denied");
    assert!(response
        .headers
        .get(http::header::WWW_AUTHENTICATE)
        .is_none());
}

#[tokio::test]
async fn right_role_is_200_with_claims_for_the_handler() {
    let app = TestApp::start().await;
    let token = app
        .fake
        .token()
        .roles(["ROLE_OTHER", SERVICE_ROLE])
        .user_name("AUSER_GEN")
        .build();
    let response = app.get_protected(&token).await;
    assert_eq!(response.status, StatusCode::OK, "body: {}", response.body);
    assert_eq!(
        response.body,
        json!({
            "sub": DEV_CLIENT_ID,
            "client_id": DEV_CLIENT_ID,
            "user_name": "AUSER_GEN",
            "authorities": ["ROLE_OTHER", SERVICE_ROLE],
        })
    );
}

#[tokio::test]
async fn admin_role_is_200_for_a_declared_service_role() {
    let app = TestApp::start().await;
    let token = app.fake.token().roles([ADMIN_ROLE]).build();
    let response = app.get_protected(&token).await;
    assert_eq!(response.status, StatusCode::OK, "body: {}", response.body);
    assert_eq!(response.body["authorities"], json!([ADMIN_ROLE]));
}

#[tokio::test]
async fn admin_role_is_403_for_a_role_the_service_did_not_declare() {
    let app = TestApp::start().await;
    let token = app.fake.token().roles([ADMIN_ROLE]).build();
    let response = app
        .get("/undeclared", Some(&format!("Bearer {token}")))
        .await;
    assert_error(&response, StatusCode::FORBIDDEN, "Access denied");
}

#[tokio::test]
async fn authenticated_route_accepts_a_valid_token_without_roles() {
    let app = TestApp::start().await;
    let token = app.fake.token().build();
    let response = app
        .get("/authenticated", Some(&format!("Bearer {token}")))
        .await;
    assert_eq!(response.status, StatusCode::OK, "body: {}", response.body);
    assert_eq!(response.body["authorities"], json!([]));

    let expired = app.fake.token().expired().build();
    let response = app
        .get("/authenticated", Some(&format!("Bearer {expired}")))
        .await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn public_route_needs_no_token() {
    let app = TestApp::start().await;
    let response = app.get("/health", None).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.body, json!("UP"));
    assert_eq!(app.fake.jwks_requests().await, 0);
}

#[tokio::test]
async fn unknown_path_is_404_not_401() {
    let app = TestApp::start().await;
    let response = app.get("/nowhere", None).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn extractor_without_the_layer_is_500() {
    let app = TestApp::start().await;
    let token = app.fake.token().roles([SERVICE_ROLE]).build();
    let response = app
        .get("/unprotected-whoami", Some(&format!("Bearer {token}")))
        .await;
    assert_error(
        &response,
        StatusCode::INTERNAL_SERVER_ERROR,
        "Internal server error",
    );
}

#[tokio::test]
async fn tokens_near_expiry_within_leeway_are_accepted() {
    let app = TestApp::start().await;
    // Expired 30 s ago: inside the 60 s clock-skew leeway.
    let token = app
        .fake
        .token()
        .roles([SERVICE_ROLE])
        .claim("exp", json!(unix_now() - 30))
        .build();
    assert_eq!(app.get_protected(&token).await.status, StatusCode::OK);
}
