//! Reading a POM allocation from Manage POM Cases (spec 3.2 step 1, 3.3). A 404 is an answer
//! here, not a failure: its body says whether the person was deallocated or is not ready yet.

use anyhow::Context as _;
use auth::outbound::{AuthorisedClient, UpstreamError};
use http::StatusCode;
use serde::Deserialize;
use url::Url;

use crate::upstream;

/// The 200 body of `/api/allocation/{noms}/primary_pom`. Unknown fields (`manager.code`) are
/// ignored.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PomAllocation {
    pub manager: PomManager,
    pub prison: Prison,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PomManager {
    pub forename: String,
    pub surname: String,
    #[serde(default)]
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Prison {
    /// NOMIS prison code, e.g. `SWI`.
    pub code: String,
}

/// What Manage POM Cases said about the person's POM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllocationDetail {
    Allocated(PomAllocation),
    /// 404 `{"message": "Not allocated"}`: the POM was taken away.
    Deallocated,
    /// Any other 404 (e.g. "Not ready for allocation", or no readable body).
    NotReady,
}

/// The message MPC sends with a 404.
#[derive(Deserialize)]
struct NotFoundBody {
    #[serde(default)]
    message: Option<String>,
}

const NOT_ALLOCATED: &str = "Not allocated";

/// The allocation at `url`, or `None` for a 2xx with no data (blank or `null`).
pub async fn fetch(
    client: &AuthorisedClient,
    url: &Url,
) -> anyhow::Result<Option<AllocationDetail>> {
    let (status, body) = upstream::get(client, url)
        .await
        .with_context(|| format!("fetching the POM allocation {url}"))?;
    Ok(interpret(url, status, &body)?)
}

/// Turns a response into a detail; any status other than 2xx and 404 is an error the consumer
/// retries when it is transient (5xx, 429).
pub fn interpret(
    url: &Url,
    status: StatusCode,
    body: &[u8],
) -> Result<Option<AllocationDetail>, UpstreamError> {
    if status == StatusCode::NOT_FOUND {
        let message = serde_json::from_slice::<NotFoundBody>(body)
            .ok()
            .and_then(|b| b.message);
        return Ok(Some(if message.as_deref() == Some(NOT_ALLOCATED) {
            AllocationDetail::Deallocated
        } else {
            AllocationDetail::NotReady
        }));
    }
    Ok(upstream::decode_success(url, status, body)?.map(AllocationDetail::Allocated))
}

/// `{base}/api/allocation/{noms}/primary_pom` under the Manage POM Cases base URL.
pub fn primary_pom_url(base: &Url, noms: &str) -> anyhow::Result<Url> {
    upstream::url_under(base, &["api", "allocation", noms, "primary_pom"])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url() -> Url {
        Url::parse("http://mpc/api/allocation/A0123BY/primary_pom").unwrap()
    }

    #[test]
    fn rule_8_not_found_with_not_allocated_means_deallocate() {
        let body = br#"{"status":"error","message":"Not allocated"}"#;
        assert_eq!(
            interpret(&url(), StatusCode::NOT_FOUND, body).unwrap(),
            Some(AllocationDetail::Deallocated)
        );
    }

    #[test]
    fn rule_8_any_other_not_found_means_not_ready() {
        for body in [
            &br#"{"status":"error","message":"Not ready for allocation"}"#[..],
            br#"{"status":"error"}"#,
            br#"{"message":"not allocated"}"#,
            b"",
            b"<html>not found</html>",
        ] {
            assert_eq!(
                interpret(&url(), StatusCode::NOT_FOUND, body).unwrap(),
                Some(AllocationDetail::NotReady),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn success_reads_the_manager_and_prison() {
        let body = br#"{"manager":{"code":123,"forename":"John","surname":"Smith","email":"john.smith@justice.gov.uk"},"prison":{"code":"SWI"}}"#;
        let Some(AllocationDetail::Allocated(allocation)) =
            interpret(&url(), StatusCode::OK, body).unwrap()
        else {
            panic!("expected an allocation");
        };
        assert_eq!(allocation.manager.forename, "John");
        assert_eq!(allocation.manager.surname, "Smith");
        assert_eq!(
            allocation.manager.email.as_deref(),
            Some("john.smith@justice.gov.uk")
        );
        assert_eq!(allocation.prison.code, "SWI");
    }

    #[test]
    fn blank_or_null_success_is_no_data_and_bad_json_is_a_decode_error() {
        for body in [&b""[..], b" \n", b"null"] {
            assert_eq!(
                interpret(&url(), StatusCode::OK, body).unwrap(),
                None,
                "{:?}",
                String::from_utf8_lossy(body)
            );
        }
        assert!(matches!(
            interpret(&url(), StatusCode::OK, b"{\"manager\":{}}"),
            Err(UpstreamError::Decode { .. })
        ));
    }

    #[test]
    fn other_statuses_are_errors_and_server_errors_are_transient() {
        let error = interpret(&url(), StatusCode::INTERNAL_SERVER_ERROR, b"").unwrap_err();
        assert!(error.is_transient());
        let error = interpret(&url(), StatusCode::FORBIDDEN, b"").unwrap_err();
        assert!(!error.is_transient());
    }

    #[test]
    fn primary_pom_url_keeps_the_base_path() {
        for base in [
            "http://mpc:8080",
            "http://mpc:8080/",
            "http://mpc/moic",
            "http://mpc/moic/",
            "http://mpc/moic/?q=1#f",
        ] {
            let url = primary_pom_url(&Url::parse(base).unwrap(), "A0123BY").unwrap();
            let expected_path = if base.contains("moic") {
                "/moic/api/allocation/A0123BY/primary_pom"
            } else {
                "/api/allocation/A0123BY/primary_pom"
            };
            assert_eq!(url.path(), expected_path, "{base}");
            assert_eq!((url.query(), url.fragment()), (None, None), "{base}");
        }
    }
}
