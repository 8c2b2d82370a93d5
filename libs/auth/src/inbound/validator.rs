//! Validation of HMPPS Auth access tokens: RS256 signature against the JWKS, `exp` and `iss`.

use std::time::Duration;

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, Validation};
use url::Url;

use super::claims::Claims;
use super::keys::{JwksError, KeyLookupError, KeyStore};

/// Clock skew tolerated on `exp`.
const LEEWAY_SECONDS: u64 = 60;

/// Where to find HMPPS Auth's keys and which issuer to expect.
#[derive(Debug, Clone)]
pub struct JwtSettings {
    /// e.g. `http://hmpps-auth.../auth/.well-known/jwks.json`
    pub jwk_set_uri: Url,
    /// e.g. `https://sign-in.hmpps.service.justice.gov.uk/auth/issuer`; compared exactly.
    pub issuer: String,
    /// Client for the JWKS calls; `outbound::http_client()` gives the platform timeouts.
    pub http: reqwest::Client,
}

/// Why a token was rejected. Messages never contain the token itself.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("token is not a well-formed JWT: {0}")]
    Malformed(#[source] jsonwebtoken::errors::Error),
    #[error("token algorithm {0:?} is not RS256")]
    UnsupportedAlgorithm(Algorithm),
    #[error("token header has no kid")]
    MissingKid,
    #[error("no signing key with kid {0:?}, even after refreshing the JWKS")]
    UnknownKid(String),
    #[error("signing keys unavailable")]
    KeysUnavailable(#[source] JwksError),
    #[error("token signature is invalid")]
    InvalidSignature,
    #[error("token has expired")]
    Expired,
    #[error("token issuer is not the configured issuer")]
    InvalidIssuer,
    #[error("token claims are invalid: {0}")]
    InvalidClaims(#[source] jsonwebtoken::errors::Error),
}

/// Validates HMPPS Auth bearer tokens. Share one per process (`Arc`) so the key cache is shared.
pub struct JwtValidator {
    keys: KeyStore,
    validation: Validation,
}

impl JwtValidator {
    pub fn new(settings: JwtSettings) -> Self {
        let mut validation = Validation::new(Algorithm::RS256);
        validation.leeway = LEEWAY_SECONDS;
        validation.set_issuer(&[settings.issuer]);
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        // HMPPS Auth sets an `aud` we do not configure; Spring's resource server does not check
        // it either, and jsonwebtoken would reject any `aud` when no audience is configured.
        validation.validate_aud = false;
        Self {
            keys: KeyStore::new(settings.http, settings.jwk_set_uri),
            validation,
        }
    }

    /// Minimum time between JWKS refreshes caused by unknown `kid`s, and the back-off after a
    /// failed fetch. Default 10 s.
    pub fn with_min_refresh_interval(mut self, interval: Duration) -> Self {
        self.keys.set_min_refresh_interval(interval);
        self
    }

    pub async fn validate(&self, token: &str) -> Result<Claims, TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(TokenError::Malformed)?;
        // Checked before any key lookup so no other algorithm can reach the verifier.
        if header.alg != Algorithm::RS256 {
            return Err(TokenError::UnsupportedAlgorithm(header.alg));
        }
        let kid = header.kid.ok_or(TokenError::MissingKid)?;
        let key = self.keys.get(&kid).await.map_err(|error| match error {
            KeyLookupError::UnknownKid => TokenError::UnknownKid(kid),
            KeyLookupError::Unavailable(source) => TokenError::KeysUnavailable(source),
        })?;
        jsonwebtoken::decode::<Claims>(token, &key, &self.validation)
            .map(|data| data.claims)
            .map_err(classify)
    }
}

fn classify(error: jsonwebtoken::errors::Error) -> TokenError {
    match error.kind() {
        ErrorKind::InvalidSignature => TokenError::InvalidSignature,
        ErrorKind::ExpiredSignature => TokenError::Expired,
        ErrorKind::InvalidIssuer => TokenError::InvalidIssuer,
        ErrorKind::InvalidToken
        | ErrorKind::Base64(_)
        | ErrorKind::Json(_)
        | ErrorKind::Utf8(_) => TokenError::Malformed(error),
        _ => TokenError::InvalidClaims(error),
    }
}
