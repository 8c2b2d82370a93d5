//! Client-credentials access tokens from HMPPS Auth, cached until shortly before they expire.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;
use url::form_urlencoded::byte_serialize;
use url::Url;

/// Refresh at most this long before expiry...
const MAX_REFRESH_MARGIN: Duration = Duration::from_secs(60);
/// ...and cache for at most this long, whatever `expires_in` says. Bounds the clock arithmetic
/// (HMPPS Auth has been seen to send `expires_in: 9999999999`) and picks up revoked clients.
const MAX_CACHE_LIFETIME: Duration = Duration::from_secs(12 * 60 * 60);

/// The service's HMPPS Auth client registration.
#[derive(Clone)]
pub struct ClientCredentials {
    /// `{HMPPS_AUTH_URL}/auth/oauth/token`
    pub token_url: Url,
    pub client_id: String,
    pub client_secret: String,
}

// Hand-written so the secret never reaches a log line through `{:?}`.
impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url.as_str())
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("Unable to retrieve access token: request to {url} failed")]
    Request {
        url: Url,
        #[source]
        source: reqwest::Error,
    },
    #[error("Unable to retrieve access token: {url} returned {status}")]
    Status { url: Url, status: http::StatusCode },
    #[error("Unable to retrieve access token: the token response is not valid JSON")]
    Decode(#[source] serde_json::Error),
    #[error("Unable to retrieve access token")]
    MissingToken,
}

impl AuthError {
    /// Whether trying again later may succeed (HMPPS Auth unreachable or failing, not refusing).
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Request { .. } => true,
            Self::Status { status, .. } => {
                status.is_server_error() || *status == http::StatusCode::TOO_MANY_REQUESTS
            }
            Self::Decode(_) | Self::MissingToken => false,
        }
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
}

struct CachedToken {
    value: String,
    refresh_at: Instant,
}

/// Fetches and caches the service's client-credentials token. Share one per process (`Arc`).
pub struct TokenProvider {
    credentials: ClientCredentials,
    http: reqwest::Client,
    // Held across the refresh so concurrent callers wait for one token request, not one each.
    cache: Mutex<Option<CachedToken>>,
}

impl TokenProvider {
    pub fn new(credentials: ClientCredentials, http: reqwest::Client) -> Self {
        Self {
            credentials,
            http,
            cache: Mutex::new(None),
        }
    }

    /// A valid access token, from the cache or freshly requested.
    pub async fn token(&self) -> Result<String, AuthError> {
        let mut cache = self.cache.lock().await;
        if let Some(cached) = cache.as_ref() {
            if Instant::now() < cached.refresh_at {
                return Ok(cached.value.clone());
            }
        }
        let fresh = self.request().await?;
        let value = fresh.value.clone();
        *cache = Some(fresh);
        Ok(value)
    }

    /// Forget the cached token, e.g. after an upstream answered 401 to it.
    pub async fn invalidate(&self) {
        *self.cache.lock().await = None;
    }

    async fn request(&self) -> Result<CachedToken, AuthError> {
        let url = self.credentials.token_url.clone();
        tracing::debug!(%url, client_id = %self.credentials.client_id, "requesting access token");
        let requested_at = Instant::now();
        // RFC 6749 §2.3.1: the client id and secret are form-encoded before Basic encoding
        // (as Spring Security does), so secrets with reserved characters survive.
        let response = self
            .http
            .post(url.clone())
            .basic_auth(
                form_encode(&self.credentials.client_id),
                Some(form_encode(&self.credentials.client_secret)),
            )
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .map_err(|source| AuthError::Request {
                url: url.clone(),
                source,
            })?;
        let status = response.status();
        if !status.is_success() {
            return Err(AuthError::Status { url, status });
        }
        let body = response
            .bytes()
            .await
            .map_err(|source| AuthError::Request { url, source })?;
        let parsed: TokenResponse = serde_json::from_slice(&body).map_err(AuthError::Decode)?;
        let value = parsed
            .access_token
            .filter(|token| !token.trim().is_empty())
            .ok_or(AuthError::MissingToken)?;
        Ok(CachedToken {
            value,
            refresh_at: requested_at + cache_lifetime(parsed.expires_in),
        })
    }
}

/// How long a token may be used: its lifetime less min(60 s, 10 % of it), capped. A missing
/// `expires_in` means "do not cache", as Spring treats it.
fn cache_lifetime(expires_in: Option<u64>) -> Duration {
    let lifetime = Duration::from_secs(expires_in.unwrap_or(0));
    let margin = MAX_REFRESH_MARGIN.min(lifetime / 10);
    lifetime.saturating_sub(margin).min(MAX_CACHE_LIFETIME)
}

fn form_encode(value: &str) -> String {
    byte_serialize(value.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetime_leaves_a_margin_before_expiry() {
        assert_eq!(cache_lifetime(Some(3600)), Duration::from_secs(3540));
        assert_eq!(cache_lifetime(Some(100)), Duration::from_secs(90));
        assert_eq!(cache_lifetime(Some(1)), Duration::from_millis(900));
        assert_eq!(cache_lifetime(Some(0)), Duration::ZERO);
        assert_eq!(cache_lifetime(None), Duration::ZERO);
    }

    #[test]
    fn huge_expiry_is_capped_without_overflow() {
        assert_eq!(cache_lifetime(Some(9_999_999_999)), MAX_CACHE_LIFETIME);
        assert_eq!(cache_lifetime(Some(u64::MAX)), MAX_CACHE_LIFETIME);
    }

    #[test]
    fn debug_hides_the_secret() {
        let credentials = ClientCredentials {
            token_url: Url::parse("http://localhost/auth/oauth/token").expect("valid url"),
            client_id: "id".into(),
            client_secret: "s3cret".into(),
        };
        assert!(!format!("{credentials:?}").contains("s3cret"));
    }

    #[test]
    fn form_encodes_reserved_characters() {
        assert_eq!(form_encode("a b:c&d"), "a+b%3Ac%26d");
        assert_eq!(form_encode("plain-id"), "plain-id");
    }
}
