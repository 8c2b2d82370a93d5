//! `AuthorisedClient`: GET JSON from another HMPPS service with the service's bearer token.

use std::sync::Arc;

use axum::body::Bytes;
use http::header::{AUTHORIZATION, CONTENT_TYPE};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
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
    #[error("request to {url} failed after {attempts} attempt(s)")]
    Io {
        url: Url,
        attempts: u32,
        #[source]
        source: reqwest::Error,
    },
    #[error("{url} returned {status}")]
    Status { status: StatusCode, url: Url },
    #[error("could not encode the request body for {url}")]
    Encode {
        url: Url,
        #[source]
        source: serde_json::Error,
    },
    #[error("{url} returned a body that is not the expected JSON")]
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
            Self::InvalidUrl { .. } | Self::Encode { .. } | Self::Decode { .. } => false,
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

/// Which responses an attempt reads the body of.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ReadBody {
    /// 2xx only: other statuses come back with an empty body.
    OfSuccess,
    /// Every status, for [`AuthorisedClient::get_with_status`].
    Always,
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
        self.exchange(Method::GET, url, headers, None).await
    }

    /// GET `url` and return its status and body whatever the status, for upstreams whose error
    /// bodies carry meaning (a 404 that says why). Only I/O and token failures are errors; a 401
    /// still discards the cached token. I/O failures are retried as for [`get_json`](Self::get_json).
    pub async fn get_with_status(
        &self,
        url: &str,
        headers: &HeaderMap,
    ) -> Result<(StatusCode, Bytes), UpstreamError> {
        let (_, status, body) = self
            .send(Method::GET, url, headers, None, ReadBody::Always)
            .await?;
        Ok((status, body))
    }

    /// POST `body` as JSON to `url` and read a JSON answer (a search, say): `Ok(None)` on 404,
    /// an error on any other non-2xx status. I/O failures are retried like a GET's; use it only
    /// for requests that are safe to repeat.
    pub async fn post_json<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        url: &str,
        body: &B,
        headers: &HeaderMap,
    ) -> Result<Option<T>, UpstreamError> {
        let parsed = parse_url(url)?;
        let body = serde_json::to_vec(body).map_err(|source| UpstreamError::Encode {
            url: parsed,
            source,
        })?;
        self.exchange(Method::POST, url, headers, Some(Bytes::from(body)))
            .await
    }

    async fn exchange<T: DeserializeOwned>(
        &self,
        method: Method,
        url: &str,
        headers: &HeaderMap,
        body: Option<Bytes>,
    ) -> Result<Option<T>, UpstreamError> {
        let (url, status, body) = self
            .send(method, url, headers, body, ReadBody::OfSuccess)
            .await?;
        if status == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !status.is_success() {
            return Err(UpstreamError::Status { status, url });
        }
        serde_json::from_slice(&body)
            .map(Some)
            .map_err(|source| UpstreamError::Decode { url, source })
    }

    /// One request with the service's token (any `Authorization` in `headers` is dropped; a JSON
    /// body gets its content type). A 401 discards the cached token: it may have been revoked
    /// early, so the next call fetches a new one.
    async fn send(
        &self,
        method: Method,
        url: &str,
        headers: &HeaderMap,
        body: Option<Bytes>,
        read_body: ReadBody,
    ) -> Result<(Url, StatusCode, Bytes), UpstreamError> {
        let url = parse_url(url)?;
        let mut headers = headers.clone();
        headers.remove(AUTHORIZATION);
        if body.is_some() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        let (status, body) = self
            .send_with_retries(&method, &url, headers, body, read_body)
            .await?;
        if status == StatusCode::UNAUTHORIZED {
            self.tokens.invalidate().await;
        }
        Ok((url, status, body))
    }

    // Retries only I/O failures: an HTTP status is an answer, and retrying it is the caller's call.
    async fn send_with_retries(
        &self,
        method: &Method,
        url: &Url,
        headers: HeaderMap,
        body: Option<Bytes>,
        read_body: ReadBody,
    ) -> Result<(StatusCode, Bytes), UpstreamError> {
        let attempts = self.retry.attempts.max(1);
        let mut attempt = 1;
        loop {
            let token = self.tokens.token().await?;
            match self
                .attempt(
                    method,
                    url,
                    &token,
                    headers.clone(),
                    body.clone(),
                    read_body,
                )
                .await
            {
                Ok(answer) => return Ok(answer),
                Err(source) if attempt < attempts && !source.is_builder() => {
                    let wait = self.retry.backoff(attempt);
                    tracing::debug!(%method, %url, attempt, error = %source, ?wait, "request failed; retrying");
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
        method: &Method,
        url: &Url,
        token: &str,
        headers: HeaderMap,
        body: Option<Bytes>,
        read_body: ReadBody,
    ) -> Result<(StatusCode, Bytes), reqwest::Error> {
        let mut request = self
            .http
            .request(method.clone(), url.clone())
            .headers(headers)
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.body(body);
        }
        let response = request.send().await?;
        let status = response.status();
        if read_body == ReadBody::OfSuccess && !status.is_success() {
            return Ok((status, Bytes::new()));
        }
        // Reading the body is part of the attempt: a connection dropped mid-body is retried too.
        Ok((status, response.bytes().await?))
    }
}

fn parse_url(url: &str) -> Result<Url, UpstreamError> {
    Url::parse(url).map_err(|source| UpstreamError::InvalidUrl {
        url: url.to_owned(),
        source,
    })
}
