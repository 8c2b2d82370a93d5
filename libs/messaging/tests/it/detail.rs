//! detailUrl fetching: allow-list, token, 404, retries on status errors.

use auth::outbound::UpstreamError;
use messaging::detail::{DetailError, DetailFetcher, DetailUrlPolicy};
use test_support::auth::FakeHmppsAuth;
use wiremock::matchers::{header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn fetcher(auth: &FakeHmppsAuth, allowed: &[String]) -> DetailFetcher {
    DetailFetcher::new(
        auth.authorised_client(),
        DetailUrlPolicy::allow(allowed).unwrap(),
    )
}

#[tokio::test]
async fn allowed_detail_url_is_fetched_with_a_token() {
    let auth = FakeHmppsAuth::start().await;
    let upstream = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/allocation/1"))
        .and(header_exists("authorization"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"staffCode": "N02ABS1"})),
        )
        .expect(1)
        .mount(&upstream)
        .await;
    let f = fetcher(&auth, &[upstream.uri()]).await;
    let body: serde_json::Value = f
        .fetch(&format!("{}/allocation/1", upstream.uri()))
        .await
        .unwrap();
    assert_eq!(body["staffCode"], "N02ABS1");
}

#[tokio::test]
async fn url_outside_the_allow_list_is_refused_without_a_request() {
    let auth = FakeHmppsAuth::start().await;
    let upstream = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&upstream)
        .await;
    let f = fetcher(&auth, &["http://workload.example".to_owned()]).await;
    let result = f
        .fetch::<serde_json::Value>(&format!("{}/allocation/1", upstream.uri()))
        .await;
    assert!(
        matches!(result, Err(DetailError::NotAllowed { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn not_found_is_retried_then_reported_as_such() {
    let auth = FakeHmppsAuth::start().await;
    let upstream = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404))
        .expect(3)
        .mount(&upstream)
        .await;
    let f = fetcher(&auth, &[upstream.uri()]).await;
    let result = f
        .fetch::<serde_json::Value>(&format!("{}/x", upstream.uri()))
        .await;
    assert!(
        matches!(result, Err(DetailError::NotFound { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn server_errors_are_reported_at_once_as_transient_for_the_consumer_to_retry() {
    let auth = FakeHmppsAuth::start().await;
    let upstream = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&upstream)
        .await;
    let f = fetcher(&auth, &[upstream.uri()]).await;
    let error = f
        .fetch::<serde_json::Value>(&format!("{}/x", upstream.uri()))
        .await
        .unwrap_err();
    assert!(
        matches!(error, DetailError::Upstream(UpstreamError::Status { .. })),
        "{error:?}"
    );
    assert!(error.is_transient());
    assert!(messaging::detail::is_transient_upstream(
        &anyhow::Error::from(error)
    ));
}

#[tokio::test]
async fn a_record_that_appears_after_a_404_is_fetched() {
    let auth = FakeHmppsAuth::start().await;
    let upstream = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404))
        .up_to_n_times(1)
        .mount(&upstream)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true})))
        .mount(&upstream)
        .await;
    let f = fetcher(&auth, &[upstream.uri()]).await;
    let body: serde_json::Value = f.fetch(&format!("{}/x", upstream.uri())).await.unwrap();
    assert_eq!(body["ok"], true);
}
