//! A fake HMPPS Auth for tests: JWKS and token endpoints on a wiremock server, and a builder for
//! tokens signed with the committed test keys.
//!
//! ```no_run
//! # use std::sync::Arc;
//! # use auth::inbound::JwtValidator;
//! # use test_support::auth::FakeHmppsAuth;
//! # async fn example() {
//! let fake = FakeHmppsAuth::start().await;
//! let validator = Arc::new(JwtValidator::new(fake.jwt_settings(reqwest::Client::new())));
//! let token = fake.token().roles(["ROLE_EXAMPLE"]).build();
//! # }
//! ```
//!
//! The keys in `keys/` are test-only RSA-2048 pairs, committed on purpose; `*-jwk.json` hold the
//! public halves as JWKs (without `kid`, which is added per use). Regenerate with
//! `openssl genrsa -out NAME-private.pem 2048 && openssl rsa -in NAME-private.pem -pubout -out NAME-public.pem`
//! and recompute `n`/`e` (base64url, unpadded) from `openssl rsa -pubin -in NAME-public.pem -noout -text`.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Map, Value};
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The `kid` of the main test key in the default JWKS.
pub const TEST_KID: &str = "test-key";
/// Subject and client id of default tokens (the Kotlin dev `TokenHelper`'s subject).
pub const DEV_CLIENT_ID: &str = "probation-integration-dev";
/// Client secret the fake accepts (it accepts any).
pub const DEV_CLIENT_SECRET: &str = "probation-integration-dev-secret";
pub const JWKS_PATH: &str = "/auth/.well-known/jwks.json";
pub const TOKEN_PATH: &str = "/auth/oauth/token";
pub const ISSUER_PATH: &str = "/auth/issuer";
/// `expires_in` of tokens from the fake token endpoint.
pub const TOKEN_EXPIRES_IN_SECONDS: u64 = 3600;

pub const TEST_PRIVATE_KEY_PEM: &str = include_str!("../keys/test-private.pem");
pub const TEST_PUBLIC_KEY_PEM: &str = include_str!("../keys/test-public.pem");
pub const OTHER_PRIVATE_KEY_PEM: &str = include_str!("../keys/other-private.pem");
pub const OTHER_PUBLIC_KEY_PEM: &str = include_str!("../keys/other-public.pem");
const TEST_JWK: &str = include_str!("../keys/test-jwk.json");
const OTHER_JWK: &str = include_str!("../keys/other-jwk.json");

/// Which committed key pair signs a token or appears in a JWKS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestKey {
    /// The key published by the fake's JWKS under [`TEST_KID`].
    Main,
    /// A key the fake does not publish: for bad-signature and key-rotation tests.
    Other,
}

impl TestKey {
    pub fn private_pem(self) -> &'static str {
        match self {
            Self::Main => TEST_PRIVATE_KEY_PEM,
            Self::Other => OTHER_PRIVATE_KEY_PEM,
        }
    }

    pub fn public_pem(self) -> &'static str {
        match self {
            Self::Main => TEST_PUBLIC_KEY_PEM,
            Self::Other => OTHER_PUBLIC_KEY_PEM,
        }
    }

    /// The public key as a JWK with the given `kid`.
    pub fn jwk(self, kid: &str) -> Value {
        let source = match self {
            Self::Main => TEST_JWK,
            Self::Other => OTHER_JWK,
        };
        let mut jwk: Value = serde_json::from_str(source).expect("committed JWK is valid JSON");
        jwk["kid"] = Value::String(kid.to_owned());
        jwk
    }

    fn encoding_key(self) -> EncodingKey {
        EncodingKey::from_rsa_pem(self.private_pem().as_bytes())
            .expect("committed private key is a valid RSA PEM")
    }
}

/// A JWKS document publishing the given keys under the given `kid`s.
pub fn jwks(keys: &[(TestKey, &str)]) -> Value {
    json!({ "keys": keys.iter().map(|(key, kid)| key.jwk(kid)).collect::<Vec<_>>() })
}

/// The JWKS the fake serves at start: the main key as [`TEST_KID`].
pub fn default_jwks() -> Value {
    jwks(&[(TestKey::Main, TEST_KID)])
}

/// A wiremock server answering like HMPPS Auth:
/// `GET /auth/.well-known/jwks.json` (changeable with [`set_jwks`](Self::set_jwks)) and
/// `POST /auth/oauth/token` (any client credentials; a fresh default token each time).
pub struct FakeHmppsAuth {
    server: MockServer,
    jwks: Arc<Mutex<JwksAnswer>>,
}

#[derive(Clone)]
enum JwksAnswer {
    Keys(Value),
    Status(u16),
}

struct JwksResponder(Arc<Mutex<JwksAnswer>>);

impl Respond for JwksResponder {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        match self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
        {
            JwksAnswer::Keys(keys) => ResponseTemplate::new(200).set_body_json(keys),
            JwksAnswer::Status(status) => ResponseTemplate::new(status),
        }
    }
}

struct TokenResponder {
    issuer: String,
}

impl Respond for TokenResponder {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        let token = TokenBuilder::new(self.issuer.clone()).build();
        ResponseTemplate::new(200).set_body_json(json!({
            "access_token": token,
            "token_type": "bearer",
            "expires_in": TOKEN_EXPIRES_IN_SECONDS,
            "scope": "read write",
        }))
    }
}

impl FakeHmppsAuth {
    pub async fn start() -> Self {
        let server = MockServer::start().await;
        let jwks = Arc::new(Mutex::new(JwksAnswer::Keys(default_jwks())));
        Mock::given(method("GET"))
            .and(path(JWKS_PATH))
            .respond_with(JwksResponder(Arc::clone(&jwks)))
            .named("HMPPS Auth JWKS")
            .mount(&server)
            .await;
        let issuer = format!("{}{ISSUER_PATH}", server.uri());
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .and(body_string_contains("grant_type=client_credentials"))
            .respond_with(TokenResponder { issuer })
            .named("HMPPS Auth token")
            .mount(&server)
            .await;
        Self { server, jwks }
    }

    /// The underlying server, e.g. to mount extra stubs or inspect requests.
    pub fn server(&self) -> &MockServer {
        &self.server
    }

    /// `HMPPS_AUTH_URL`: the server root, e.g. `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        self.server.uri()
    }

    pub fn jwk_set_uri(&self) -> String {
        format!("{}{JWKS_PATH}", self.server.uri())
    }

    pub fn token_url(&self) -> String {
        format!("{}{TOKEN_PATH}", self.server.uri())
    }

    /// The issuer stamped on tokens by default (and on the token endpoint's tokens).
    pub fn issuer(&self) -> String {
        format!("{}{ISSUER_PATH}", self.server.uri())
    }

    /// A builder for a token this fake would issue: valid for an hour, main key, no roles.
    pub fn token(&self) -> TokenBuilder {
        TokenBuilder::new(self.issuer())
    }

    /// Validator settings pointing at this fake.
    pub fn jwt_settings(&self, http: reqwest::Client) -> auth::inbound::JwtSettings {
        auth::inbound::JwtSettings {
            jwk_set_uri: self
                .jwk_set_uri()
                .parse()
                .expect("wiremock URI is a valid URL"),
            issuer: self.issuer(),
            http,
        }
    }

    /// Client credentials for this fake's token endpoint.
    pub fn client_credentials(&self) -> auth::outbound::ClientCredentials {
        auth::outbound::ClientCredentials {
            token_url: self
                .token_url()
                .parse()
                .expect("wiremock URI is a valid URL"),
            client_id: DEV_CLIENT_ID.to_owned(),
            client_secret: DEV_CLIENT_SECRET.to_owned(),
        }
    }

    /// A client that calls upstreams with tokens from this fake, as `Platform::authorised_client`
    /// builds one for a service.
    pub fn authorised_client(&self) -> auth::outbound::AuthorisedClient {
        let http = auth::outbound::http_client().expect("http client");
        let tokens = std::sync::Arc::new(auth::outbound::TokenProvider::new(
            self.client_credentials(),
            http.clone(),
        ));
        auth::outbound::AuthorisedClient::new(http, tokens)
    }

    /// Serve `jwks` from now on, e.g. `jwks(&[(TestKey::Main, TEST_KID), (TestKey::Other, "new")])`
    /// to simulate key rotation.
    pub fn set_jwks(&self, jwks: Value) {
        *self.jwks.lock().unwrap_or_else(PoisonError::into_inner) = JwksAnswer::Keys(jwks);
    }

    /// Answer the JWKS endpoint with this status (and no body) from now on.
    pub fn fail_jwks(&self, status: u16) {
        *self.jwks.lock().unwrap_or_else(PoisonError::into_inner) = JwksAnswer::Status(status);
    }

    /// How many times the JWKS endpoint has been called.
    pub async fn jwks_requests(&self) -> usize {
        self.requests_to(JWKS_PATH).await
    }

    /// How many times the token endpoint has been called.
    pub async fn token_requests(&self) -> usize {
        self.requests_to(TOKEN_PATH).await
    }

    async fn requests_to(&self, request_path: &str) -> usize {
        self.server
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .filter(|request| request.url.path() == request_path)
            .count()
    }
}

/// Mints HMPPS Auth-shaped access tokens (RS256, `authorities` claim).
#[derive(Debug, Clone)]
pub struct TokenBuilder {
    issuer: String,
    subject: String,
    client_id: Option<String>,
    user_name: Option<String>,
    roles: Vec<String>,
    expires_in_seconds: i64,
    key: TestKey,
    kid: Option<String>,
    extra: Map<String, Value>,
}

impl TokenBuilder {
    /// Defaults: subject and client id [`DEV_CLIENT_ID`], no roles, valid for an hour, signed by
    /// the main key with kid [`TEST_KID`].
    pub fn new(issuer: impl Into<String>) -> Self {
        Self {
            issuer: issuer.into(),
            subject: DEV_CLIENT_ID.to_owned(),
            client_id: Some(DEV_CLIENT_ID.to_owned()),
            user_name: None,
            roles: Vec::new(),
            expires_in_seconds: 3600,
            key: TestKey::Main,
            kid: Some(TEST_KID.to_owned()),
            extra: Map::new(),
        }
    }

    pub fn roles<I, R>(mut self, roles: I) -> Self
    where
        I: IntoIterator<Item = R>,
        R: Into<String>,
    {
        self.roles = roles.into_iter().map(Into::into).collect();
        self
    }

    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = subject.into();
        self
    }

    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    pub fn without_client_id(mut self) -> Self {
        self.client_id = None;
        self
    }

    pub fn user_name(mut self, user_name: impl Into<String>) -> Self {
        self.user_name = Some(user_name.into());
        self
    }

    /// Expires this long from now.
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.expires_in_seconds = i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX / 2);
        self
    }

    /// Expired ten minutes ago: beyond any clock-skew leeway.
    pub fn expired(mut self) -> Self {
        self.expires_in_seconds = -600;
        self
    }

    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = issuer.into();
        self
    }

    /// Sign with [`TestKey::Other`] while keeping the kid: a bad signature for the fake's JWKS.
    pub fn signed_with_other_key(self) -> Self {
        self.signed_with(TestKey::Other)
    }

    pub fn signed_with(mut self, key: TestKey) -> Self {
        self.key = key;
        self
    }

    pub fn kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    pub fn without_kid(mut self) -> Self {
        self.kid = None;
        self
    }

    /// Any other claim, e.g. `("exp", json!(...))` to override a standard one.
    pub fn claim(mut self, name: impl Into<String>, value: Value) -> Self {
        self.extra.insert(name.into(), value);
        self
    }

    pub fn build(self) -> String {
        let now = chrono::Utc::now().timestamp();
        let mut claims = json!({
            "sub": self.subject,
            "iss": self.issuer,
            "iat": now,
            "exp": now.saturating_add(self.expires_in_seconds),
            "jti": uuid::Uuid::new_v4().to_string(),
            "aud": "oauth2-resource",
            "authorities": self.roles,
            "scope": ["read", "write"],
            "grant_type": "client_credentials",
            "auth_source": "none",
        });
        if let Some(client_id) = self.client_id {
            claims["client_id"] = Value::String(client_id);
        }
        if let Some(user_name) = self.user_name {
            claims["user_name"] = Value::String(user_name);
        }
        for (name, value) in self.extra {
            claims[name] = value;
        }
        let mut header = Header::new(Algorithm::RS256);
        header.kid = self.kid;
        jsonwebtoken::encode(&header, &claims, &self.key.encoding_key())
            .expect("test token should encode")
    }

    /// `Bearer <token>`, for an `Authorization` header.
    pub fn bearer(self) -> String {
        format!("Bearer {}", self.build())
    }
}
