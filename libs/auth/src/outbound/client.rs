//! `AuthorisedClient`: GET JSON from another HMPPS service with the service's bearer token.

use std::sync::Arc;

use axum::body::Bytes;
use http::header::AUTHORIZATION;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;

use super::retry::RetryPolicy;
use super::token::{AuthError, TokenProvider};

/// W3C trace-context header, for `get_json_with_headers`.
pub const TRACEPARENT: &str = "traceparent";

#[derive(Debug, thiserror::Error)]
pub enum UpstreamError {
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error("invalid upstream URL {url:?}")]
    InvalidUrl {
        url: String,
        #[source]
        source: url::ParseError,
    },
    #[error("GET {url} failed after {attempts} attempt(s)")]
    Io {
        url: Url,
        attempts: u32,
        #[source]
        source: reqwest::Error,
    },
    #[error("GET {url} returned {status}")]
    Status { status: StatusCode, url: Url },
    #[error("GET {url} returned a body that is not the expected JSON")]
    Decode {
        url: Url,
        #[source]
        source: serde_json::Error,
    },
}

impl UpstreamError {
    /// Whether the message should be retried later: I/O failures (after our own retries), 5xx and
    /// 429. Other 4xx, bad URLs and unexpected bodies will fail the same way again.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Auth(error) => error.is_transient(),
            Self::Io { .. } => true,
            Self::Status { status, .. } => {
                status.is_server_error() || *status == StatusCode::TOO_MANY_REQUESTS
            }
            Self::InvalidUrl { .. } | Self::Decode { .. } => false,
        }
    }
}

/// An HTTP client that authenticates with the service's client-credentials token.
#[derive(Clone)]
pub struct AuthorisedClient {
    http: reqwest::Client,
    tokens: Arc<TokenProvider>,
    retry: RetryPolicy,
}

/// What one attempt produced, before it is turned into the caller's result.
enum Outcome {
    NotFound,
    Status(StatusCode),
    Body(Bytes),
}

impl AuthorisedClient {
    pub fn new(http: reqwest::Client, tokens: Arc<TokenProvider>) -> Self {
        Self {
            http,
            tokens,
            retry: RetryPolicy::default(),
        }
    }

    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// GET `url` as JSON: `Ok(None)` on 404, an error on any other non-2xx status.
    pub async fn get_json<T: DeserializeOwned>(
        &self,
        url: &str,
    ) -> Result<Option<T>, UpstreamError> {
        self.get_json_with_headers(url, &HeaderMap::new()).await
    }

    /// As [`get_json`](Self::get_json), sending `headers` too, e.g. [`TRACEPARENT`] to continue
    /// the trace of the message being handled. An `Authorization` header in `headers` is ignored.
    pub async fn get_json_with_headers<T: DeserializeOwned>(
        &self,
        url: &str,
        headers: &HeaderMap,
    ) -> Result<Option<T>, UpstreamError> {
        let url = Url::parse(url).map_err(|source| UpstreamError::InvalidUrl {
            url: url.to_owned(),
            source,
        })?;
        let mut headers = headers.clone();
        headers.remove(AUTHORIZATION);

        let outcome = self.get_with_retries(&url, headers).await?;
        match outcome {
            Outcome::NotFound => Ok(None),
            Outcome::Status(status) => {
                if status == StatusCode::UNAUTHORIZED {
                    // The token may have been revoked early; make the next call fetch a new one.
                    self.tokens.invalidate().await;
                }
                Err(UpstreamError::Status { status, url })
            }
            Outcome::Body(body) => serde_json::from_slice(&body)
                .map(Some)
                .map_err(|source| UpstreamError::Decode { url, source }),
        }
    }

    // Retries only I/O failures: an HTTP status is an answer, and retrying it is the caller's call.
    async fn get_with_retries(
        &self,
        url: &Url,
        headers: HeaderMap,
    ) -> Result<Outcome, UpstreamError> {
        let attempts = self.retry.attempts.max(1);
        let mut attempt = 1;
        loop {
            let token = self.tokens.token().await?;
            match self.attempt(url, &token, headers.clone()).await {
                Ok(outcome) => return Ok(outcome),
                Err(source) if attempt < attempts && !source.is_builder() => {
                    let wait = self.retry.backoff(attempt);
                    tracing::debug!(%url, attempt, error = %source, ?wait, "GET failed; retrying");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                Err(source) => {
                    return Err(UpstreamError::Io {
                        url: url.clone(),
                        attempts: attempt,
                        source,
                    })
                }
            }
        }
    }

    async fn attempt(
        &self,
        url: &Url,
        token: &str,
        headers: HeaderMap,
    ) -> Result<Outcome, reqwest::Error> {
        let response = self
            .http
            .get(url.clone())
            .headers(headers)
            .bearer_auth(token)
            .send()
            .await?;
        let status = response.status();
        if status == StatusCode::NOT_FOUND {
            return Ok(Outcome::NotFound);
        }
        if !status.is_success() {
            return Ok(Outcome::Status(status));
        }
        // Reading the body is part of the attempt: a connection dropped mid-body is retried too.
        Ok(Outcome::Body(response.bytes().await?))
    }
}
