//! The JWKS key cache: signing keys fetched from HMPPS Auth, keyed by `kid`.
//!
//! Keys are fetched on first use, re-fetched once they are older than [`MAX_AGE`] (so revoked keys
//! drop out), and re-fetched when a token names an unknown `kid` (key rotation). Fetches are
//! serialised, and rate-limited so a flood of tokens with made-up `kid`s, or an HMPPS Auth outage,
//! cannot turn every request into a JWKS call.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use jsonwebtoken::jwk::{AlgorithmParameters, Jwk};
use jsonwebtoken::DecodingKey;
use serde::Deserialize;
use tokio::sync::{Mutex, RwLock};
use tokio::time::Instant;
use url::Url;

/// Keys older than this are re-fetched before use (stale keys are still used if that fails).
pub(crate) const MAX_AGE: Duration = Duration::from_secs(300);

/// Default minimum time between two refreshes for unknown `kid`s, and the back-off after a failure.
pub(crate) const DEFAULT_MIN_REFRESH_INTERVAL: Duration = Duration::from_secs(10);

/// Why the JWKS could not be used.
#[derive(Debug, thiserror::Error)]
pub enum JwksError {
    #[error("JWKS request to {url} failed")]
    Request {
        url: Url,
        #[source]
        source: reqwest::Error,
    },
    #[error("JWKS request to {url} returned {status}")]
    Status { url: Url, status: http::StatusCode },
    #[error("JWKS from {url} is not a JSON key set")]
    Decode {
        url: Url,
        #[source]
        source: reqwest::Error,
    },
    #[error("JWKS fetch skipped: the previous attempt failed less than {0:?} ago")]
    BackingOff(Duration),
}

/// Outcome of a key lookup that found no key.
#[derive(Debug)]
pub(crate) enum KeyLookupError {
    /// The key set was fetched (or a refresh was rate-limited) and has no such `kid`.
    UnknownKid,
    /// No key set could be fetched.
    Unavailable(JwksError),
}

#[derive(Default)]
struct KeySet {
    keys: HashMap<String, Arc<DecodingKey>>,
    fetched_at: Option<Instant>,
}

impl KeySet {
    fn get(&self, kid: &str) -> Option<Arc<DecodingKey>> {
        self.keys.get(kid).cloned()
    }

    fn is_fresh(&self) -> bool {
        self.fetched_at.is_some_and(|at| at.elapsed() < MAX_AGE)
    }
}

#[derive(Default)]
struct RefreshState {
    last_unknown_kid_refresh: Option<Instant>,
    last_failure: Option<Instant>,
}

pub(crate) struct KeyStore {
    http: reqwest::Client,
    uri: Url,
    min_refresh_interval: Duration,
    keys: RwLock<Arc<KeySet>>,
    // Held for the whole fetch so concurrent requests wait for one fetch instead of each making one.
    refresh: Mutex<RefreshState>,
}

impl KeyStore {
    pub(crate) fn new(http: reqwest::Client, uri: Url) -> Self {
        Self {
            http,
            uri,
            min_refresh_interval: DEFAULT_MIN_REFRESH_INTERVAL,
            keys: RwLock::default(),
            refresh: Mutex::default(),
        }
    }

    pub(crate) fn set_min_refresh_interval(&mut self, interval: Duration) {
        self.min_refresh_interval = interval;
    }

    pub(crate) async fn get(&self, kid: &str) -> Result<Arc<DecodingKey>, KeyLookupError> {
        let snapshot = self.snapshot().await;
        if snapshot.is_fresh() {
            if let Some(key) = snapshot.get(kid) {
                return Ok(key);
            }
        }

        let mut state = self.refresh.lock().await;
        // Another request may have refreshed while we waited for the lock.
        let snapshot = self.snapshot().await;
        let fresh = snapshot.is_fresh();
        if fresh {
            if let Some(key) = snapshot.get(kid) {
                return Ok(key);
            }
        }

        let within_interval =
            |at: Option<Instant>| at.is_some_and(|at| at.elapsed() < self.min_refresh_interval);
        if within_interval(state.last_failure) {
            tracing::debug!("JWKS fetch skipped: backing off after a failure");
            return snapshot.get(kid).ok_or_else(|| {
                if snapshot.fetched_at.is_some() {
                    KeyLookupError::UnknownKid
                } else {
                    KeyLookupError::Unavailable(JwksError::BackingOff(self.min_refresh_interval))
                }
            });
        }
        if fresh {
            // The key set is current, so this fetch is only for an unknown kid: rate-limit it.
            if within_interval(state.last_unknown_kid_refresh) {
                tracing::debug!("JWKS refresh for unknown kid skipped: rate-limited");
                return Err(KeyLookupError::UnknownKid);
            }
            state.last_unknown_kid_refresh = Some(Instant::now());
        }

        match self.fetch().await {
            Ok(keys) => {
                state.last_failure = None;
                let fetched = Arc::new(KeySet {
                    keys,
                    fetched_at: Some(Instant::now()),
                });
                *self.keys.write().await = Arc::clone(&fetched);
                fetched.get(kid).ok_or(KeyLookupError::UnknownKid)
            }
            Err(error) => {
                state.last_failure = Some(Instant::now());
                // A stale key set is better than none while HMPPS Auth is unreachable.
                match snapshot.get(kid) {
                    Some(key) => {
                        tracing::warn!(error = %error, "JWKS refresh failed; using cached keys");
                        Ok(key)
                    }
                    None => Err(KeyLookupError::Unavailable(error)),
                }
            }
        }
    }

    async fn snapshot(&self) -> Arc<KeySet> {
        Arc::clone(&*self.keys.read().await)
    }

    async fn fetch(&self) -> Result<HashMap<String, Arc<DecodingKey>>, JwksError> {
        let url = self.uri.clone();
        tracing::debug!(%url, "fetching JWKS");
        let response =
            self.http
                .get(url.clone())
                .send()
                .await
                .map_err(|source| JwksError::Request {
                    url: url.clone(),
                    source,
                })?;
        let status = response.status();
        if !status.is_success() {
            return Err(JwksError::Status { url, status });
        }
        let set: RawJwkSet = response
            .json()
            .await
            .map_err(|source| JwksError::Decode { url, source })?;
        Ok(decoding_keys(set))
    }
}

// Parsed key by key, so one key of a type we do not understand does not hide the others.
#[derive(Deserialize)]
struct RawJwkSet {
    keys: Vec<serde_json::Value>,
}

fn decoding_keys(set: RawJwkSet) -> HashMap<String, Arc<DecodingKey>> {
    set.keys
        .into_iter()
        .filter_map(|raw| match serde_json::from_value::<Jwk>(raw) {
            Ok(jwk) => rsa_key(&jwk),
            Err(error) => {
                tracing::debug!(%error, "ignoring unreadable JWK");
                None
            }
        })
        .collect()
}

fn rsa_key(jwk: &Jwk) -> Option<(String, Arc<DecodingKey>)> {
    let kid = jwk.common.key_id.clone()?;
    if !matches!(jwk.algorithm, AlgorithmParameters::RSA(_)) {
        tracing::debug!(%kid, "ignoring non-RSA JWK");
        return None;
    }
    match DecodingKey::from_jwk(jwk) {
        Ok(key) => Some((kid, Arc::new(key))),
        Err(error) => {
            tracing::debug!(%kid, %error, "ignoring invalid JWK");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_rsa_keys_with_kid_and_skips_the_rest() {
        let set: RawJwkSet = serde_json::from_value(json!({"keys": [
            {"kty": "RSA", "kid": "rsa", "n": "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw", "e": "AQAB"},
            {"kty": "RSA", "n": "AQAB", "e": "AQAB"},
            {"kty": "EC", "kid": "ec", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"},
            {"kty": "unknown", "kid": "odd"}
        ]}))
        .expect("raw set should parse");
        let keys = decoding_keys(set);
        assert_eq!(keys.keys().collect::<Vec<_>>(), ["rsa"]);
    }
}
