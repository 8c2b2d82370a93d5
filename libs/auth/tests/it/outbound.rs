use std::sync::Arc;
use std::time::{Duration, Instant};

use auth::outbound::{
    http_client, AuthError, AuthorisedClient, ClientCredentials, RetryPolicy, TokenProvider,
    UpstreamError, TRACEPARENT,
};
use http::{HeaderMap, HeaderValue, StatusCode};
use serde::Deserialize;
use serde_json::json;
use test_support::auth::FakeHmppsAuth;
use wiremock::matchers::{basic_auth, bearer_token, body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_ID: &str = "example-client";
const CLIENT_SECRET: &str = "example-secret";
const TOKEN: &str = "upstream-token";

#[derive(Debug, Deserialize, PartialEq)]
struct Detail {
    crn: String,
}

fn credentials(server: &MockServer) -> ClientCredentials {
    ClientCredentials {
        token_url: format!("{}/auth/oauth/token", server.uri())
            .parse()
            .expect("valid URL"),
        client_id: CLIENT_ID.to_owned(),
        client_secret: CLIENT_SECRET.to_owned(),
    }
}

fn token_endpoint(body: serde_json::Value) -> Mock {
    Mock::given(method("POST"))
        .and(path("/auth/oauth/token"))
        .and(basic_auth(CLIENT_ID, CLIENT_SECRET))
        .and(body_string_contains("grant_type=client_credentials"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
}

fn provider(server: &MockServer) -> TokenProvider {
    TokenProvider::new(credentials(server), http())
}

fn http() -> reqwest::Client {
    http_client().expect("client should build")
}

/// A server answering the token endpoint with [`TOKEN`], plus a client authorised by it.
async fn upstream() -> (MockServer, AuthorisedClient) {
    let server = MockServer::start().await;
    token_endpoint(json!({"access_token": TOKEN, "expires_in": 3600}))
        .mount(&server)
        .await;
    let client = AuthorisedClient::new(http(), Arc::new(provider(&server)));
    (server, client)
}

// --- TokenProvider ---

#[tokio::test]
async fn token_is_requested_once_and_cached() {
    let server = MockServer::start().await;
    token_endpoint(json!({"access_token": TOKEN, "token_type": "bearer", "expires_in": 3600}))
        .expect(1)
        .mount(&server)
        .await;
    let tokens = provider(&server);
    assert_eq!(tokens.token().await.ok().as_deref(), Some(TOKEN));
    assert_eq!(tokens.token().await.ok().as_deref(), Some(TOKEN));
    server.verify().await;
}

#[tokio::test]
async fn concurrent_callers_share_one_token_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": TOKEN, "expires_in": 3600}))
                .set_delay(Duration::from_millis(200)),
        )
        .expect(1)
        .mount(&server)
        .await;
    let tokens = provider(&server);
    let (a, b, c) = tokio::join!(tokens.token(), tokens.token(), tokens.token());
    for token in [a, b, c] {
        assert_eq!(token.ok().as_deref(), Some(TOKEN));
    }
    server.verify().await;
}

#[tokio::test]
async fn token_is_refreshed_once_expired() {
    let server = MockServer::start().await;
    token_endpoint(json!({"access_token": TOKEN, "expires_in": 1}))
        .expect(2)
        .mount(&server)
        .await;
    let tokens = provider(&server);
    assert!(tokens.token().await.is_ok());
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert!(tokens.token().await.is_ok());
    server.verify().await;
}

#[tokio::test]
async fn huge_expires_in_is_cached_without_overflow() {
    let server = MockServer::start().await;
    token_endpoint(json!({"access_token": TOKEN, "expires_in": 9_999_999_999_u64}))
        .expect(1)
        .mount(&server)
        .await;
    let tokens = provider(&server);
    assert_eq!(tokens.token().await.ok().as_deref(), Some(TOKEN));
    assert_eq!(tokens.token().await.ok().as_deref(), Some(TOKEN));
    server.verify().await;
}

#[tokio::test]
async fn missing_or_empty_token_is_an_error() {
    for body in [
        json!({"expires_in": 3600}),
        json!({"access_token": "", "expires_in": 3600}),
    ] {
        let server = MockServer::start().await;
        token_endpoint(body).mount(&server).await;
        let error = provider(&server).token().await.expect_err("no token");
        assert!(matches!(error, AuthError::MissingToken), "{error:?}");
        assert_eq!(error.to_string(), "Unable to retrieve access token");
        assert!(!error.is_transient());
    }
}

#[tokio::test]
async fn token_endpoint_errors_are_reported() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let error = provider(&server).token().await.expect_err("401");
    assert!(
        matches!(
            error,
            AuthError::Status {
                status: StatusCode::UNAUTHORIZED,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(!error.is_transient());
}

#[tokio::test]
async fn fake_hmpps_auth_issues_tokens_to_the_provider() {
    let fake = FakeHmppsAuth::start().await;
    let tokens = TokenProvider::new(fake.client_credentials(), http());
    let token = tokens.token().await.expect("token from the fake");
    assert_eq!(token.split('.').count(), 3, "a JWT");
    assert!(tokens.token().await.is_ok());
    assert_eq!(fake.token_requests().await, 1);
}

// --- AuthorisedClient ---

#[tokio::test]
async fn get_json_sends_the_bearer_token_and_decodes_the_body() {
    let (server, client) = upstream().await;
    Mock::given(method("GET"))
        .and(path("/detail/1"))
        .and(bearer_token(TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"crn": "X123456"})))
        .expect(1)
        .mount(&server)
        .await;
    let detail: Option<Detail> = client
        .get_json(&format!("{}/detail/1", server.uri()))
        .await
        .expect("200");
    assert_eq!(
        detail,
        Some(Detail {
            crn: "X123456".into()
        })
    );
}

#[tokio::test]
async fn get_json_propagates_traceparent() {
    let (server, client) = upstream().await;
    let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    Mock::given(method("GET"))
        .and(path("/detail/1"))
        .and(header(TRACEPARENT, traceparent))
        .and(bearer_token(TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"crn": "X1"})))
        .expect(1)
        .mount(&server)
        .await;
    let mut headers = HeaderMap::new();
    headers.insert(TRACEPARENT, HeaderValue::from_static(traceparent));
    // A caller-supplied Authorization header must not replace the service's token.
    headers.insert(
        http::header::AUTHORIZATION,
        HeaderValue::from_static("Bearer other"),
    );
    let detail: Option<Detail> = client
        .get_json_with_headers(&format!("{}/detail/1", server.uri()), &headers)
        .await
        .expect("200");
    assert_eq!(detail, Some(Detail { crn: "X1".into() }));
}

#[tokio::test]
async fn not_found_is_none() {
    let (server, client) = upstream().await;
    Mock::given(method("GET"))
        .and(path("/detail/missing"))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&server)
        .await;
    let detail: Option<Detail> = client
        .get_json(&format!("{}/detail/missing", server.uri()))
        .await
        .expect("404 is not an error");
    assert_eq!(detail, None);
}

#[tokio::test]
async fn server_error_is_a_transient_status_error_and_not_retried() {
    let (server, client) = upstream().await;
    Mock::given(method("GET"))
        .and(path("/detail/1"))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    let url = format!("{}/detail/1", server.uri());
    let error = client.get_json::<Detail>(&url).await.expect_err("500");
    match &error {
        UpstreamError::Status {
            status,
            url: failed,
        } => {
            assert_eq!(*status, StatusCode::INTERNAL_SERVER_ERROR);
            assert_eq!(failed.as_str(), url);
        }
        other => panic!("expected a status error, got {other:?}"),
    }
    assert!(error.is_transient());
}

#[tokio::test]
async fn client_errors_are_not_transient() {
    let (server, client) = upstream().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(400))
        .mount(&server)
        .await;
    let error = client
        .get_json::<Detail>(&format!("{}/detail/1", server.uri()))
        .await
        .expect_err("400");
    assert!(
        matches!(
            error,
            UpstreamError::Status {
                status: StatusCode::BAD_REQUEST,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(!error.is_transient());
}

#[tokio::test]
async fn too_many_requests_is_transient() {
    let (server, client) = upstream().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429))
        .mount(&server)
        .await;
    let error = client
        .get_json::<Detail>(&format!("{}/detail/1", server.uri()))
        .await
        .expect_err("429");
    assert!(error.is_transient(), "{error:?}");
}

#[tokio::test]
async fn unauthorised_upstream_discards_the_cached_token() {
    let server = MockServer::start().await;
    token_endpoint(json!({"access_token": TOKEN, "expires_in": 3600}))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let client = AuthorisedClient::new(http(), Arc::new(provider(&server)));
    let url = format!("{}/detail/1", server.uri());
    for _ in 0..2 {
        let error = client.get_json::<Detail>(&url).await.expect_err("401");
        assert!(
            matches!(
                error,
                UpstreamError::Status {
                    status: StatusCode::UNAUTHORIZED,
                    ..
                }
            ),
            "{error:?}"
        );
    }
    server.verify().await;
}

#[tokio::test]
async fn unexpected_body_is_a_decode_error() {
    let (server, client) = upstream().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"unexpected": true})))
        .expect(1)
        .mount(&server)
        .await;
    let error = client
        .get_json::<Detail>(&format!("{}/detail/1", server.uri()))
        .await
        .expect_err("bad body");
    assert!(matches!(error, UpstreamError::Decode { .. }), "{error:?}");
    assert!(!error.is_transient());
}

#[tokio::test]
async fn invalid_url_is_rejected_without_a_request() {
    let (_server, client) = upstream().await;
    let error = client
        .get_json::<Detail>("not a url")
        .await
        .expect_err("invalid");
    assert!(
        matches!(error, UpstreamError::InvalidUrl { .. }),
        "{error:?}"
    );
    assert!(!error.is_transient());
}

#[tokio::test]
async fn connection_refused_is_retried_then_a_transient_io_error() {
    let (_server, client) = upstream().await;
    // A port that was free a moment ago: nothing listens there now.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("free port");
    let started = Instant::now();
    let error = client
        .get_json::<Detail>(&format!("http://127.0.0.1:{port}/detail/1"))
        .await
        .expect_err("refused");
    assert!(
        matches!(error, UpstreamError::Io { attempts: 3, .. }),
        "{error:?}"
    );
    assert!(error.is_transient());
    // Back-off 200 ms after attempt 1 and 800 ms after attempt 2.
    assert!(
        started.elapsed() >= Duration::from_millis(1000),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn timeouts_are_retried_until_an_attempt_succeeds() {
    let server = MockServer::start().await;
    token_endpoint(json!({"access_token": TOKEN, "expires_in": 3600}))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/slow"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"crn": "late"}))
                .set_delay(Duration::from_secs(2)),
        )
        .up_to_n_times(2)
        .with_priority(1)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/slow"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"crn": "X1"})))
        .with_priority(2)
        .expect(1)
        .mount(&server)
        .await;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .expect("client");
    let tokens = Arc::new(TokenProvider::new(credentials(&server), http.clone()));
    let client = AuthorisedClient::new(http, tokens).with_retry(RetryPolicy {
        attempts: 3,
        base: Duration::from_millis(10),
    });
    let detail: Option<Detail> = client
        .get_json(&format!("{}/slow", server.uri()))
        .await
        .expect("third attempt succeeds");
    assert_eq!(detail, Some(Detail { crn: "X1".into() }));
    server.verify().await;
}

#[tokio::test]
async fn post_json_sends_the_body_with_a_token_and_reads_the_answer() {
    let (server, client) = upstream().await;
    Mock::given(method("POST"))
        .and(path("/search/case-notes/A1234BC"))
        .and(header("content-type", "application/json"))
        .and(wiremock::matchers::body_json(json!({"page": 1})))
        .and(wiremock::matchers::header_exists("authorization"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"content": [1, 2]})))
        .expect(1)
        .mount(&server)
        .await;
    let answer: Option<serde_json::Value> = client
        .post_json(
            &format!("{}/search/case-notes/A1234BC", server.uri()),
            &json!({"page": 1}),
            &HeaderMap::new(),
        )
        .await
        .unwrap();
    assert_eq!(answer, Some(json!({"content": [1, 2]})));
}

#[tokio::test]
async fn post_json_not_found_is_none_and_server_error_is_transient() {
    let (server, client) = upstream().await;
    Mock::given(method("POST"))
        .and(path("/missing"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/broken"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    let missing: Option<serde_json::Value> = client
        .post_json(
            &format!("{}/missing", server.uri()),
            &json!({}),
            &HeaderMap::new(),
        )
        .await
        .unwrap();
    assert_eq!(missing, None);
    let broken = client
        .post_json::<_, serde_json::Value>(
            &format!("{}/broken", server.uri()),
            &json!({}),
            &HeaderMap::new(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(broken, UpstreamError::Status { status, .. } if status == StatusCode::BAD_GATEWAY)
    );
    assert!(broken.is_transient());
}

// --- get_with_status ---

#[tokio::test]
async fn get_with_status_returns_a_not_found_body_with_the_token() {
    let (server, client) = upstream().await;
    Mock::given(method("GET"))
        .and(path("/allocation/A0123BY"))
        .and(bearer_token(TOKEN))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"status": "error", "message": "Not allocated"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let (status, body) = client
        .get_with_status(
            &format!("{}/allocation/A0123BY", server.uri()),
            &HeaderMap::new(),
        )
        .await
        .expect("a 404 is an answer, not an error");
    assert_eq!(status, StatusCode::NOT_FOUND);
    let body: serde_json::Value = serde_json::from_slice(&body).expect("json body");
    assert_eq!(body["message"], "Not allocated");
}

#[tokio::test]
async fn get_with_status_returns_success_and_server_error_bodies_unchanged() {
    let (server, client) = upstream().await;
    Mock::given(method("GET"))
        .and(path("/ok"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"crn\":\"X1\"}"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/broken"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .expect(1)
        .mount(&server)
        .await;
    let (status, body) = client
        .get_with_status(&format!("{}/ok", server.uri()), &HeaderMap::new())
        .await
        .expect("200");
    assert_eq!(
        (status, &body[..]),
        (StatusCode::OK, &b"{\"crn\":\"X1\"}"[..])
    );
    let (status, body) = client
        .get_with_status(&format!("{}/broken", server.uri()), &HeaderMap::new())
        .await
        .expect("a 500 is returned, not retried");
    assert_eq!(
        (status, &body[..]),
        (StatusCode::INTERNAL_SERVER_ERROR, &b"boom"[..])
    );
}

#[tokio::test]
async fn get_with_status_unauthorised_discards_the_cached_token() {
    let server = MockServer::start().await;
    token_endpoint(json!({"access_token": TOKEN, "expires_in": 3600}))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let client = AuthorisedClient::new(http(), Arc::new(provider(&server)));
    for _ in 0..2 {
        let (status, _) = client
            .get_with_status(&format!("{}/detail/1", server.uri()), &HeaderMap::new())
            .await
            .expect("401 is returned");
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    server.verify().await;
}
