//! What the Manage POM Cases calls share: building their URLs under the configured base, the GET
//! with the message's trace context, and what counts as a response with no data.

use auth::outbound::{AuthorisedClient, UpstreamError};
use axum::body::Bytes;
use http::StatusCode;
use serde::de::DeserializeOwned;
use url::Url;

/// `{base}/{segments...}`, keeping any path the base URL has (`http://mpc/base` gives
/// `http://mpc/base/api/...`), dropping its query and fragment, and escaping each segment so a
/// NOMS number cannot leave its own.
pub fn url_under(base: &Url, segments: &[&str]) -> anyhow::Result<Url> {
    let mut url = base.clone();
    url.set_query(None);
    url.set_fragment(None);
    url.path_segments_mut()
        .map_err(|()| anyhow::anyhow!("Manage POM Cases URL {base} cannot have a path"))?
        .pop_if_empty()
        .extend(segments);
    Ok(url)
}

/// GETs `url` with the service's token and the current trace headers, returning any status with
/// its body; only I/O and token failures are errors.
pub async fn get(
    client: &AuthorisedClient,
    url: &Url,
) -> Result<(StatusCode, Bytes), UpstreamError> {
    client
        .get_with_status(url.as_str(), &messaging::detail::trace_headers())
        .await
}

/// A 2xx body that carries nothing to act on: empty, only whitespace, or JSON `null`.
pub fn is_no_data(body: &[u8]) -> bool {
    let trimmed = body.trim_ascii();
    trimmed.is_empty() || trimmed == b"null"
}

/// A 2xx body as `T`, or `None` when [it has no data](is_no_data). Any other body that is not a
/// `T` is a decode error, and any other status an error (transient for 5xx and 429); callers
/// handle the 404s that mean something to them first.
pub fn decode_success<T: DeserializeOwned>(
    url: &Url,
    status: StatusCode,
    body: &[u8],
) -> Result<Option<T>, UpstreamError> {
    if !status.is_success() {
        return Err(UpstreamError::Status {
            status,
            url: url.clone(),
        });
    }
    if is_no_data(body) {
        return Ok(None);
    }
    serde_json::from_slice(body)
        .map(Some)
        .map_err(|source| UpstreamError::Decode {
            url: url.clone(),
            source,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn spec_3_1_blank_and_null_bodies_have_no_data() {
        for body in [&b""[..], b" ", b"\n", b" \r\n\t ", b"null", b" null\n"] {
            assert!(is_no_data(body), "{:?}", String::from_utf8_lossy(body));
        }
        for body in [
            &b"{}"[..],
            b"nul",
            b"\"null\"",
            b"[]",
            b"{\"a\":null}",
            b"x",
        ] {
            assert!(!is_no_data(body), "{:?}", String::from_utf8_lossy(body));
        }
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Body {
        a: i32,
    }

    #[test]
    fn no_data_decodes_to_none_and_other_bodies_must_decode() {
        let at = url("http://mpc/api/x");
        let ok = StatusCode::OK;
        assert_eq!(decode_success::<Body>(&at, ok, b" null ").unwrap(), None);
        assert_eq!(decode_success::<Body>(&at, ok, b"\n").unwrap(), None);
        assert_eq!(
            decode_success::<Body>(&at, StatusCode::NO_CONTENT, b"").unwrap(),
            None
        );
        assert_eq!(
            decode_success::<Body>(&at, ok, br#"{"a":1}"#).unwrap(),
            Some(Body { a: 1 })
        );
        for bad in [&b"{\"a\""[..], b"{}", b"[]"] {
            assert!(matches!(
                decode_success::<Body>(&at, ok, bad),
                Err(UpstreamError::Decode { .. })
            ));
        }
    }

    #[test]
    fn other_statuses_are_errors_and_server_errors_are_transient() {
        let at = url("http://mpc/api/x");
        let error = decode_success::<Body>(&at, StatusCode::BAD_GATEWAY, b"").unwrap_err();
        assert!(matches!(error, UpstreamError::Status { .. }) && error.is_transient());
        let error = decode_success::<Body>(&at, StatusCode::FORBIDDEN, b"{\"a\":1}").unwrap_err();
        assert!(!error.is_transient());
    }

    #[test]
    fn urls_are_built_under_the_base_path_without_its_query_or_fragment() {
        for (base, expected) in [
            ("http://mpc:8080", "http://mpc:8080/api/x/A1"),
            ("http://mpc:8080/", "http://mpc:8080/api/x/A1"),
            ("https://mpc/moic", "https://mpc/moic/api/x/A1"),
            ("https://mpc/moic/", "https://mpc/moic/api/x/A1"),
            ("https://mpc/moic/?a=1#f", "https://mpc/moic/api/x/A1"),
        ] {
            assert_eq!(
                url_under(&url(base), &["api", "x", "A1"]).unwrap().as_str(),
                expected
            );
        }
    }

    #[test]
    fn a_segment_cannot_escape_its_place_in_the_path() {
        assert_eq!(
            url_under(&url("http://mpc"), &["api", "../x?y#z"])
                .unwrap()
                .as_str(),
            "http://mpc/api/..%2Fx%3Fy%23z"
        );
    }
}
