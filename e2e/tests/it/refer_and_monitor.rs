//! refer-and-monitor-and-delius as a black box: the built binary on its own stack answers its API
//! with a dev token from the simulated HMPPS Auth, writes the referral's NSI, refuses a caller
//! without a token, and stops cleanly.

use e2e::service_stack::ServiceStack;
use serde_json::json;

const ROLE: &str = "ROLE_PROBATION_API__REFER_AND_MONITOR__CASE_DETAIL__RW";
/// The seed's SENTENCED_WITHOUT_NSI person and event (projects/refer-and-monitor-and-delius/dev-seed.sql).
const CRN: &str = "T140225";
const EVENT: i64 = 950003;
const REFERRAL_ID: &str = "2d8f7a5c-51a6-4b44-a4e3-5f3f8d2c1e10";

#[tokio::test]
async fn referral_start_with_a_dev_token_creates_the_nsi_and_no_token_is_refused() {
    let mut stack = ServiceStack::start("refer-and-monitor-and-delius")
        .await
        .expect("stack");
    let http = reqwest::Client::new();
    let token: serde_json::Value = http
        .post(
            stack
                .simulator
                .url(&format!("/auth/dev-token?roles={ROLE}")),
        )
        .send()
        .await
        .expect("a dev token")
        .json()
        .await
        .expect("token JSON");
    let token = token["access_token"].as_str().expect("access_token");
    let url = format!(
        "http://127.0.0.1:{}/probation-case/{CRN}/referrals",
        stack.service.port
    );
    let body = json!({"referralId": REFERRAL_ID, "startedAt": "2024-05-01T10:00:00.000Z",
                      "contractType": "ACC", "sentenceId": EVENT, "notes": "Started from e2e"});

    let refused = http.put(&url).json(&body).send().await.expect("PUT");
    assert_eq!(refused.status(), 401);

    for attempt in ["first", "repeated"] {
        let response = http
            .put(&url)
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("PUT");
        assert_eq!(
            response.status(),
            204,
            "{attempt}: {}",
            stack.service.log_tail()
        );
    }
    let nsis = stack
        .count(&format!(
            "SELECT count(*) AS n FROM nsi WHERE external_reference = \
             'urn:hmpps:interventions-referral:{REFERRAL_ID}' AND event_id = {EVENT}"
        ))
        .await
        .expect("NSI rows");
    assert_eq!(nsis, 1, "one NSI however often the referral is started");

    let status = stack
        .service
        .stop()
        .expect("the service exits after SIGTERM");
    assert!(
        status.success(),
        "exit status {status}\n{}",
        stack.service.log_tail()
    );
}
