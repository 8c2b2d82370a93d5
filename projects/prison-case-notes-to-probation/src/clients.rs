//! The upstream APIs: Offender Case Notes (detail, legacy fetch by NOMIS id, search) and HMPPS
//! Alerts (detail, a person's alerts), all with the service's client-credentials token.

use std::sync::Arc;

use anyhow::Context;
use auth::outbound::{AuthorisedClient, ClientCredentials, TokenProvider, UpstreamError};
use messaging::detail::{DetailError, DetailFetcher, DetailUrlPolicy};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::filters::{search_type_sub_types, TypeSubTypes};
use crate::prison_case_note::PrisonCaseNote;
use crate::prisoner_alert::{Alert, AlertPage};

/// Base URLs of the upstreams (`INTEGRATIONS_OFFENDER_CASE_NOTES_URL`, `INTEGRATIONS_ALERTS_URL`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamUrls {
    pub case_notes: Url,
    pub alerts: Url,
}

/// Every upstream call the service makes. Cheap to clone; clones share the connection pool and
/// the cached token.
#[derive(Clone)]
pub struct Upstreams {
    details: DetailFetcher,
    client: AuthorisedClient,
    urls: UpstreamUrls,
}

/// `POST /search/case-notes/{noms}`: every case note of interest, sensitive ones included, in one
/// page (nulls are left out of the body, as the reference sends it).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct CaseNoteSearch {
    type_sub_types: Vec<TypeSubTypes>,
    include_sensitive: bool,
    page: i32,
    size: i32,
    sort: &'static str,
}

#[derive(Debug, Deserialize)]
struct CaseNotePage {
    #[serde(default)]
    content: Vec<PrisonCaseNote>,
}

impl Upstreams {
    /// `allowed_detail_urls` restricts which hosts a message's `detailUrl` may name; when empty,
    /// the two upstream base URLs are the allow-list (never "any host").
    pub fn new(
        credentials: ClientCredentials,
        urls: UpstreamUrls,
        allowed_detail_urls: &[String],
    ) -> anyhow::Result<Self> {
        let http = auth::outbound::http_client().context("building the HTTP client")?;
        let tokens = Arc::new(TokenProvider::new(credentials, http.clone()));
        let client = AuthorisedClient::new(http, tokens);
        let allowed = if allowed_detail_urls.is_empty() {
            vec![urls.case_notes.to_string(), urls.alerts.to_string()]
        } else {
            allowed_detail_urls.to_vec()
        };
        let details = DetailFetcher::new(client.clone(), DetailUrlPolicy::allow(&allowed)?);
        Ok(Self {
            details,
            client,
            urls,
        })
    }

    /// A case note by the event's `detailUrl`; `None` on 404.
    pub async fn case_note(&self, detail_url: &str) -> Result<Option<PrisonCaseNote>, DetailError> {
        not_found_as_none(self.details.fetch(detail_url).await)
    }

    /// `{case notes}/case-notes/{noms}/{caseNoteId}`: how legacy prison offender events name a case
    /// note.
    pub fn legacy_case_note_url(&self, noms_number: &str, case_note_id: &str) -> Url {
        with_segments(
            &self.urls.case_notes,
            &["case-notes", noms_number, case_note_id],
        )
    }

    pub async fn legacy_case_note(
        &self,
        url: &Url,
    ) -> Result<Option<PrisonCaseNote>, UpstreamError> {
        self.client.get_json(url.as_str()).await
    }

    /// An alert by the event's `detailUrl`; `None` on 404.
    pub async fn alert(&self, detail_url: &str) -> Result<Option<Alert>, DetailError> {
        not_found_as_none(self.details.fetch(detail_url).await)
    }

    /// `GET {alerts}/prisoners/{noms}/alerts`: the person's alerts (the API's default: active
    /// ones). A 404 means the prison knows no such person: no alerts.
    pub async fn alerts(&self, noms_number: &str) -> Result<Vec<Alert>, UpstreamError> {
        let url = with_segments(&self.urls.alerts, &["prisoners", noms_number, "alerts"]);
        Ok(self
            .client
            .get_json::<AlertPage>(url.as_str())
            .await?
            .map(|page| page.content)
            .unwrap_or_default())
    }

    /// `POST {case notes}/search/case-notes/{noms}`: every case note of interest for the person.
    /// A 404 means the prison knows no such person: no case notes.
    pub async fn search_case_notes(
        &self,
        noms_number: &str,
    ) -> Result<Vec<PrisonCaseNote>, UpstreamError> {
        let url = with_segments(
            &self.urls.case_notes,
            &["search", "case-notes", noms_number],
        );
        let body = CaseNoteSearch {
            type_sub_types: search_type_sub_types(),
            include_sensitive: true,
            page: 1,
            size: i32::MAX,
            sort: "occurredAt,desc",
        };
        Ok(self
            .client
            .post_json::<_, CaseNotePage>(url.as_str(), &body, &reqwest::header::HeaderMap::new())
            .await?
            .map(|page| page.content)
            .unwrap_or_default())
    }
}

fn not_found_as_none<T>(result: Result<T, DetailError>) -> Result<Option<T>, DetailError> {
    match result {
        Ok(body) => Ok(Some(body)),
        Err(DetailError::NotFound { .. }) => Ok(None),
        Err(error) => Err(error),
    }
}

/// `base` with path segments appended (percent-encoded), keeping any path the base has.
fn with_segments(base: &Url, segments: &[&str]) -> Url {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_appended_to_the_base_path_and_encoded() {
        let base = Url::parse("http://127.0.0.1:8090/prison-case-notes").unwrap();
        assert_eq!(
            with_segments(&base, &["case-notes", "GA52214", "1111"]).as_str(),
            "http://127.0.0.1:8090/prison-case-notes/case-notes/GA52214/1111"
        );
        let root = Url::parse("https://api.example/").unwrap();
        assert_eq!(
            with_segments(&root, &["case-notes", "A/B", "1 2"]).as_str(),
            "https://api.example/case-notes/A%2FB/1%202"
        );
    }

    #[test]
    fn the_search_body_matches_the_reference() {
        let body = CaseNoteSearch {
            type_sub_types: search_type_sub_types(),
            include_sensitive: true,
            page: 1,
            size: i32::MAX,
            sort: "occurredAt,desc",
        };
        let json = serde_json::to_value(body).unwrap();
        assert_eq!(json["includeSensitive"], true);
        assert_eq!(json["page"], 1);
        assert_eq!(json["size"], 2147483647);
        assert_eq!(json["sort"], "occurredAt,desc");
        assert_eq!(json["typeSubTypes"].as_array().unwrap().len(), 8);
        assert!(json.get("occurredFrom").is_none());
    }
}
