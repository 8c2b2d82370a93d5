//! `local-stack simulate`: the upstream APIs behind the example messages' `detailUrl`s, and the
//! built-in HMPPS Auth, checked with the validator the services use.

use std::collections::BTreeMap;
use std::time::Duration;

use auth::inbound::{JwtSettings, JwtValidator, TokenError};
use e2e::messages;
use e2e::stack::Simulator;
use serde_json::Value;

/// `detailUrl`s the simulator answers with something other than 200, and why (from the specs).
const NOT_200: &[(&str, u16, &str)] = &[
    (
        "manage-pom-cases-and-delius/handover-not-found.json",
        404,
        "MPC has no handover for A0003AA: the 404 path (spec manage-pom-cases-and-delius §3.1)",
    ),
    (
        "manage-pom-cases-and-delius/deallocation.json",
        404,
        "/api/pom-allocation/A0123BY/3 -> 404 \"Not allocated\" (spec manage-pom-cases-and-delius §5)",
    ),
    (
        "manage-pom-cases-and-delius/not-yet-allocation.json",
        404,
        "/api/pom-allocation/A0123BY/0 -> 404 \"Not ready for allocation\" (spec manage-pom-cases-and-delius §5)",
    ),
    (
        "prison-case-notes-to-probation/case-note-not-found.json",
        404,
        "the case notes API returns 404 for note da82e1df (spec prison-case-notes-to-probation, scenario 3)",
    ),
    (
        "refer-and-monitor-and-delius/action-plan-approved.json",
        404,
        "action-plan events never fetch their detailUrl (spec refer-and-monitor-and-delius §3.0): no simulation",
    ),
    (
        "refer-and-monitor-and-delius/action-plan-submitted.json",
        404,
        "action-plan events never fetch their detailUrl (spec refer-and-monitor-and-delius §3.0): no simulation",
    ),
];

/// Files named `*not-found*` whose `detailUrl` answers 200: what is not found is in Delius.
const NOT_FOUND_IN_DELIUS: &[(&str, &str)] = &[(
    "refer-and-monitor-and-delius/session-appointment-feedback-submitted-not-found.json",
    "R&M returns the appointment; Delius has no appointment 999, so the service rejects it with \
     \"Appointment Not Found\" (spec refer-and-monitor-and-delius §3.6)",
)];

#[tokio::test]
async fn every_detail_url_in_the_examples_answers_as_the_specs_expect() {
    let simulator = Simulator::start().await.expect("simulator");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("http client");
    let not_200: BTreeMap<&str, (u16, &str)> =
        NOT_200.iter().map(|(f, s, why)| (*f, (*s, *why))).collect();
    let in_delius: BTreeMap<&str, &str> = NOT_FOUND_IN_DELIUS.iter().copied().collect();

    let examples = messages::all();
    let mut problems = Vec::new();
    let mut fetched = 0;
    for example in &examples {
        let id = example.id();
        let Some(raw) = example.detail_url() else {
            continue;
        };
        fetched += 1;
        if example.file_name.contains("not-found")
            && !not_200.contains_key(id.as_str())
            && !in_delius.contains_key(id.as_str())
        {
            problems.push(format!(
                "{id}: named not-found but in neither NOT_200 nor NOT_FOUND_IN_DELIUS: say which"
            ));
        }
        let url = messages::substitute(raw, &simulator.base_url());
        if !url.starts_with(&simulator.base_url()) {
            problems.push(format!(
                "{id}: detailUrl {raw} has no simulator placeholder"
            ));
            continue;
        }
        let expected = not_200.get(id.as_str()).map_or(200, |(status, _)| *status);
        let response = match http.get(&url).send().await {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("{id}: GET {url}: {e}"));
                continue;
            }
        };
        let status = response.status().as_u16();
        let body = response.text().await.unwrap_or_default();
        if status != expected {
            let why = not_200.get(id.as_str()).map_or("", |(_, why)| why);
            problems.push(format!(
                "{id}: GET {url} -> {status}, expected {expected} {why}\n    {body}"
            ));
            continue;
        }
        match serde_json::from_str::<Value>(&body) {
            Ok(Value::Object(o)) if !o.is_empty() => {}
            Ok(Value::Array(_)) => {}
            Ok(other) => problems.push(format!("{id}: GET {url} -> an empty JSON body {other}")),
            Err(e) => problems.push(format!("{id}: GET {url} -> not JSON ({e}): {body}")),
        }
    }
    for listed in not_200.keys().chain(in_delius.keys()) {
        if !examples
            .iter()
            .any(|e| e.id() == *listed && e.detail_url().is_some())
        {
            problems.push(format!(
                "{listed} is listed but is not an example with a detailUrl"
            ));
        }
    }
    assert!(
        fetched > 40,
        "expected the examples' detailUrls, fetched {fetched}"
    );
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}\n{}",
        problems.len(),
        problems.join("\n"),
        simulator.log_tail()
    );
}

#[tokio::test]
async fn tokens_validate_with_the_services_validator_and_carry_their_roles() {
    let mut simulator = Simulator::start().await.expect("simulator");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("http client");
    let validator = JwtValidator::new(JwtSettings {
        jwk_set_uri: simulator.jwks_url().parse().expect("url"),
        issuer: simulator.issuer(),
        http: http.clone(),
    });

    // Client credentials, as the services' outbound clients ask for them.
    let response = http
        .post(simulator.url("/auth/oauth/token"))
        .basic_auth("e2e-client", Some("e2e-secret"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("POST /auth/oauth/token");
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("a JSON token response");
    assert_eq!(body["token_type"], "bearer", "{body}");
    assert!(body["expires_in"].as_u64().unwrap_or(0) > 60, "{body}");
    let token = body["access_token"].as_str().expect("access_token");
    assert_eq!(token.split('.').count(), 3, "not a JWT: {token}");
    let claims = validator.validate(token).await.unwrap_or_else(|e| {
        panic!(
            "client-credentials token rejected: {e}\n{}",
            simulator.log_tail()
        )
    });
    assert_eq!(claims.sub, "e2e-client");
    assert_eq!(claims.client_id.as_deref(), Some("e2e-client"));

    // Only client credentials are simulated.
    let refused = http
        .post(simulator.url("/auth/oauth/token"))
        .form(&[("grant_type", "password")])
        .send()
        .await
        .expect("POST /auth/oauth/token");
    assert_eq!(refused.status(), 400);

    // A dev token for calling the services' APIs by hand; a missing ROLE_ prefix is added.
    let response = http
        .post(simulator.url("/auth/dev-token?roles=ROLE_E2E_CHECK,E2E_OTHER"))
        .send()
        .await
        .expect("POST /auth/dev-token");
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("a JSON token response");
    assert_eq!(body["iss"], simulator.issuer().as_str(), "{body}");
    let dev_token = body["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned();
    let claims = validator
        .validate(&dev_token)
        .await
        .expect("dev token accepted");
    assert!(claims.has_authority("ROLE_E2E_CHECK"), "{claims:?}");
    assert!(claims.has_authority("ROLE_E2E_OTHER"), "{claims:?}");
    assert!(
        !claims.has_authority("ROLE_PROBATION_INTEGRATION_ADMIN"),
        "{claims:?}"
    );

    // The validator really checks: another issuer, or an altered payload, is refused.
    let other_issuer = JwtValidator::new(JwtSettings {
        jwk_set_uri: simulator.jwks_url().parse().expect("url"),
        issuer: "https://sign-in.hmpps.service.justice.gov.uk/auth/issuer".to_owned(),
        http: http.clone(),
    });
    assert!(
        matches!(
            other_issuer.validate(&dev_token).await,
            Err(TokenError::InvalidIssuer)
        ),
        "a token for another issuer must be refused"
    );
    let mut parts: Vec<&str> = dev_token.split('.').collect();
    let (_, client_payload, _) = split_jwt(token);
    parts[1] = client_payload;
    let forged = parts.join(".");
    assert!(
        matches!(
            validator.validate(&forged).await,
            Err(TokenError::InvalidSignature)
        ),
        "a token with another token's payload must be refused"
    );

    // SIGTERM stops the simulator cleanly.
    let status = simulator.stop().expect("the simulator stopped");
    assert!(
        status.success(),
        "simulator exited with {status}\n{}",
        simulator.log_tail()
    );
}

fn split_jwt(token: &str) -> (&str, &str, &str) {
    let mut parts = token.splitn(3, '.');
    (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    )
}
