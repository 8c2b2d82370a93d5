//! The handover dates of a case from Manage POM Cases (spec 3.1 step 2).

use auth::outbound::UpstreamError;
use chrono::NaiveDate;
use http::StatusCode;
use serde::Deserialize;
use url::Url;

use crate::context::Context;
use crate::upstream;

/// `GET /api/handovers/{nomsNumber}`; `responsibility` and unknown fields are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HandoverDates {
    pub noms_number: String,
    #[serde(default)]
    pub handover_date: Option<NaiveDate>,
    #[serde(default)]
    pub handover_start_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    Dates(HandoverDates),
    /// A body with no data (blank or `null`): the spec's "No handover data available".
    NoData,
    /// 404. Whether that fails the message depends on the caller (rule 8).
    NotFound,
}

/// GETs `detail_url` with the service's token once the allow-list has passed it. Other HTTP
/// errors, bodies that are not handover JSON and disallowed URLs are errors.
pub async fn handover_dates(context: &Context, detail_url: &str) -> anyhow::Result<Fetched> {
    let url = context.detail_urls.check(detail_url)?;
    let (status, body) = upstream::get(&context.client, &url).await?;
    Ok(interpret(&url, status, &body)?)
}

/// Turns a response into handover dates; see [`Fetched`].
pub fn interpret(url: &Url, status: StatusCode, body: &[u8]) -> Result<Fetched, UpstreamError> {
    if status == StatusCode::NOT_FOUND {
        return Ok(Fetched::NotFound);
    }
    Ok(upstream::decode_success(url, status, body)?.map_or(Fetched::NoData, Fetched::Dates))
}

/// `{base}/api/handovers/{noms}` under the Manage POM Cases base URL.
pub fn handover_url(base: &Url, noms: &str) -> anyhow::Result<Url> {
    upstream::url_under(base, &["api", "handovers", noms])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn spec_3_5_handover_url_is_built_under_the_base_path() {
        for (base, expected) in [
            ("http://mpc:8080", "http://mpc:8080/api/handovers/A4096DY"),
            ("http://mpc:8080/", "http://mpc:8080/api/handovers/A4096DY"),
            ("https://mpc/moic", "https://mpc/moic/api/handovers/A4096DY"),
            (
                "https://mpc/moic/",
                "https://mpc/moic/api/handovers/A4096DY",
            ),
        ] {
            assert_eq!(
                handover_url(&url(base), "A4096DY").unwrap().as_str(),
                expected
            );
        }
    }

    #[test]
    fn a_noms_number_cannot_escape_its_path_segment() {
        assert_eq!(
            handover_url(&url("http://mpc"), "../x?y").unwrap().as_str(),
            "http://mpc/api/handovers/..%2Fx%3Fy"
        );
    }

    #[test]
    fn spec_3_1_response_reads_dates_and_ignores_unknown_fields() {
        let dates: HandoverDates = serde_json::from_str(
            r#"{"nomsNumber":"A1024BY","handoverDate":"2023-05-09","responsibility":"COM","x":1}"#,
        )
        .unwrap();
        assert_eq!(dates.noms_number, "A1024BY");
        assert_eq!(dates.handover_date, NaiveDate::from_ymd_opt(2023, 5, 9));
        assert_eq!(dates.handover_start_date, None);
    }

    #[test]
    fn spec_3_1_blank_or_null_bodies_are_no_data_and_truncated_ones_fail() {
        let at = url("http://mpc/api/handovers/A1024BY");
        for body in [&b""[..], b"  \n", b"null"] {
            assert_eq!(
                interpret(&at, StatusCode::OK, body).unwrap(),
                Fetched::NoData,
                "{:?}",
                String::from_utf8_lossy(body)
            );
        }
        assert!(matches!(
            interpret(&at, StatusCode::OK, b"{\"nomsNumber\""),
            Err(UpstreamError::Decode { .. })
        ));
    }

    #[test]
    fn rule_8_a_404_is_not_found_whatever_its_body_and_other_errors_fail() {
        let at = url("http://mpc/api/handovers/A1024BY");
        assert_eq!(
            interpret(&at, StatusCode::NOT_FOUND, b"{\"message\":\"x\"}").unwrap(),
            Fetched::NotFound
        );
        let error = interpret(&at, StatusCode::INTERNAL_SERVER_ERROR, b"").unwrap_err();
        assert!(error.is_transient());
        assert!(error.to_string().contains("500"), "{error}");
    }
}
