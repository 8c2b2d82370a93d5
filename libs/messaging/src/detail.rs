//! Fetching a domain event's `detailUrl`, restricted to an allow-list of upstream base URLs so a
//! crafted message cannot make the service call an arbitrary host with its credentials.

use std::time::Duration;

use serde::de::DeserializeOwned;
use url::Url;

use auth::outbound::{AuthorisedClient, UpstreamError};

#[derive(Debug, thiserror::Error)]
pub enum DetailError {
    #[error("detailUrl {0:?} is not a valid URL")]
    InvalidUrl(String),
    #[error("detailUrl {url} is not in the allow-list of upstream base URLs")]
    NotAllowed { url: String },
    #[error("detailUrl {url} returned 404 Not Found")]
    NotFound { url: String },
    #[error(transparent)]
    Upstream(#[from] UpstreamError),
}

impl DetailError {
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Upstream(e) if e.is_transient())
    }
}

/// `scheme://host:port` of each allowed upstream. An empty list allows any URL, as the
/// platform does when no list is configured; services configure one in every environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DetailUrlPolicy {
    allowed_origins: Vec<url::Origin>,
}

impl DetailUrlPolicy {
    pub fn allow(base_urls: &[String]) -> Result<Self, DetailError> {
        let allowed_origins = base_urls
            .iter()
            .map(|u| {
                Url::parse(u)
                    .map(|u| u.origin())
                    .map_err(|_| DetailError::InvalidUrl(u.clone()))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { allowed_origins })
    }

    pub fn check(&self, url: &str) -> Result<Url, DetailError> {
        let parsed = Url::parse(url).map_err(|_| DetailError::InvalidUrl(url.to_owned()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(DetailError::NotAllowed {
                url: url.to_owned(),
            });
        }
        if self.allowed_origins.is_empty() || self.allowed_origins.contains(&parsed.origin()) {
            Ok(parsed)
        } else {
            Err(DetailError::NotAllowed {
                url: url.to_owned(),
            })
        }
    }
}

/// Fetches `detailUrl`s with the service's client-credentials token.
#[derive(Clone)]
pub struct DetailFetcher {
    client: AuthorisedClient,
    policy: DetailUrlPolicy,
    attempts: u32,
    base_delay: Duration,
}

impl DetailFetcher {
    pub fn new(client: AuthorisedClient, policy: DetailUrlPolicy) -> Self {
        Self {
            client,
            policy,
            attempts: 3,
            base_delay: Duration::from_millis(100),
        }
    }

    /// GETs the URL as JSON, passing on the current trace context. A 404 is retried (3 attempts,
    /// 100 ms × n²) because an upstream can briefly lag behind the event that names its record;
    /// other failures return at once, and the consumer retries the transient ones (5xx, I/O) so
    /// the two retry layers do not multiply.
    pub async fn fetch<T: DeserializeOwned>(&self, detail_url: &str) -> Result<T, DetailError> {
        let url = self.policy.check(detail_url)?;
        let headers = trace_headers();
        let mut attempt = 1;
        loop {
            match self
                .client
                .get_json_with_headers::<T>(url.as_str(), &headers)
                .await?
            {
                Some(body) => return Ok(body),
                None if attempt < self.attempts => {
                    tracing::debug!(detail_url, attempt, "detailUrl not found yet; retrying");
                    tokio::time::sleep(self.base_delay * attempt * attempt).await;
                    attempt += 1;
                }
                None => {
                    return Err(DetailError::NotFound {
                        url: detail_url.to_owned(),
                    })
                }
            }
        }
    }
}

/// The current trace context as HTTP headers (`traceparent`...), for upstream calls made while a
/// message is handled, so they join its trace.
pub fn trace_headers() -> http::HeaderMap {
    crate::trace_context::current_headers()
        .into_iter()
        .filter_map(|(name, value)| {
            Some((
                http::HeaderName::from_bytes(name.as_bytes()).ok()?,
                http::HeaderValue::from_str(&value).ok()?,
            ))
        })
        .collect()
}

/// A 2xx body that carries nothing to act on: empty, only whitespace, or JSON `null`. Upstreams
/// answer that way for "no such record" as often as with a 404.
pub fn is_no_data(body: &[u8]) -> bool {
    let trimmed = body.trim_ascii();
    trimmed.is_empty() || trimmed == b"null"
}

/// Transient-error check for upstream calls: I/O after retries, 5xx and 429 are worth retrying.
pub fn is_transient_upstream(error: &anyhow::Error) -> bool {
    error.chain().any(|e| {
        e.downcast_ref::<UpstreamError>()
            .is_some_and(UpstreamError::is_transient)
            || e.downcast_ref::<DetailError>()
                .is_some_and(DetailError::is_transient)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_and_null_bodies_have_no_data() {
        for body in [&b""[..], b" ", b"\n", b" \r\n\t ", b"null", b" null\n"] {
            assert!(is_no_data(body), "{:?}", String::from_utf8_lossy(body));
        }
        for body in [&b"{}"[..], b"nul", b"\"null\"", b"[]", b"{\"a\":null}"] {
            assert!(!is_no_data(body), "{:?}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn allow_list_compares_scheme_host_and_port() {
        let p = DetailUrlPolicy::allow(&["http://workload:8080/base".to_owned()]).unwrap();
        assert!(p.check("http://workload:8080/allocation/1").is_ok());
        assert!(matches!(
            p.check("http://workload:9090/x"),
            Err(DetailError::NotAllowed { .. })
        ));
        assert!(matches!(
            p.check("https://workload:8080/x"),
            Err(DetailError::NotAllowed { .. })
        ));
        assert!(matches!(
            p.check("http://evil/x"),
            Err(DetailError::NotAllowed { .. })
        ));
        assert!(matches!(
            p.check("file:///etc/passwd"),
            Err(DetailError::NotAllowed { .. })
        ));
        assert!(matches!(
            p.check("not a url"),
            Err(DetailError::InvalidUrl(_))
        ));
    }

    #[test]
    fn empty_allow_list_allows_http_urls() {
        assert!(DetailUrlPolicy::default()
            .check("http://anything/x")
            .is_ok());
    }
}
