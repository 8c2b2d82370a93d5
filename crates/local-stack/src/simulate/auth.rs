//! A stand-in for HMPPS Auth: RS256 tokens signed with a dev key, and the matching JWKS.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context, Result};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

pub const TOKEN_LIFETIME_SECONDS: u64 = 3600;
pub const KEY_ID: &str = "local-stack-dev";

pub struct Signer {
    key: EncodingKey,
    jwk: Value,
    pub issuer: String,
}

impl Signer {
    pub fn from_pem_file(path: &Path, issuer: String) -> Result<Self> {
        let pem = std::fs::read_to_string(path)
            .with_context(|| format!("reading signing key {}", path.display()))?;
        Self::from_pem(&pem, issuer)
            .with_context(|| format!("loading signing key {}", path.display()))
    }

    pub fn from_pem(pem: &str, issuer: String) -> Result<Self> {
        let key =
            EncodingKey::from_rsa_pem(pem.as_bytes()).context("not an RSA private key PEM")?;
        let (n, e) = rsa_public_components(pem)?;
        let jwk = json!({
            "kty": "RSA",
            "use": "sig",
            "alg": "RS256",
            "kid": KEY_ID,
            "n": URL_SAFE_NO_PAD.encode(n),
            "e": URL_SAFE_NO_PAD.encode(e),
        });
        Ok(Signer { key, jwk, issuer })
    }

    pub fn jwks(&self) -> Value {
        json!({ "keys": [self.jwk] })
    }

    /// Mints an HMPPS-Auth-shaped access token. Returns the token and its claims.
    pub fn token(&self, subject: &str, authorities: &[String]) -> Result<(String, Value)> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .context("system clock before 1970")?
            .as_secs();
        let claims = json!({
            "sub": subject,
            "user_name": subject,
            "client_id": subject,
            "grant_type": "client_credentials",
            "scope": ["read", "write"],
            "auth_source": "none",
            "authorities": authorities,
            "iss": self.issuer,
            "iat": now,
            "exp": now + TOKEN_LIFETIME_SECONDS,
            "jti": uuid::Uuid::new_v4().to_string(),
        });
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(KEY_ID.to_string());
        let token = jsonwebtoken::encode(&header, &claims, &self.key).context("signing token")?;
        Ok((token, claims))
    }
}

/// The modulus and public exponent (big-endian, no leading zeros) of an RSA private key in PKCS#8
/// (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`) PEM.
fn rsa_public_components(pem: &str) -> Result<(Vec<u8>, Vec<u8>)> {
    let (label, der) = pem_body(pem)?;
    let pkcs1 = match label.as_str() {
        "RSA PRIVATE KEY" => der,
        "PRIVATE KEY" => {
            // PrivateKeyInfo ::= SEQUENCE { version INTEGER, algorithm SEQUENCE, privateKey OCTET STRING }
            let mut info = Der::new(&der).sequence()?;
            info.expect(0x02)?;
            info.expect(0x30)?;
            info.expect(0x04)?.to_vec()
        }
        other => bail!("unsupported PEM block {other}: expected an RSA private key"),
    };
    // RSAPrivateKey ::= SEQUENCE { version, modulus, publicExponent, ... }
    let mut key = Der::new(&pkcs1).sequence()?;
    key.expect(0x02)?;
    let n = strip_leading_zeros(key.expect(0x02)?);
    let e = strip_leading_zeros(key.expect(0x02)?);
    Ok((n.to_vec(), e.to_vec()))
}

fn pem_body(pem: &str) -> Result<(String, Vec<u8>)> {
    let mut label = None;
    let mut body = String::new();
    for line in pem.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("-----BEGIN ") {
            label = Some(rest.trim_end_matches('-').to_string());
        } else if line.starts_with("-----END ") {
            break;
        } else if label.is_some() {
            body.push_str(line);
        }
    }
    let label = label.context("no PEM BEGIN line")?;
    let der = STANDARD.decode(body).context("PEM body is not base64")?;
    Ok((label, der))
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    &bytes[first..]
}

/// Just enough DER reading for RSA keys.
struct Der<'a> {
    data: &'a [u8],
}

impl<'a> Der<'a> {
    fn new(data: &'a [u8]) -> Self {
        Der { data }
    }

    /// Reads one element with the given tag and returns its contents.
    fn expect(&mut self, tag: u8) -> Result<&'a [u8]> {
        let (&actual, rest) = self.data.split_first().context("truncated DER")?;
        if actual != tag {
            bail!("unexpected DER tag {actual:#04x}, expected {tag:#04x}");
        }
        let (&first, mut rest) = rest.split_first().context("truncated DER length")?;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            let count = usize::from(first & 0x7f);
            if count == 0 || count > 4 || rest.len() < count {
                bail!("unsupported DER length");
            }
            let (len_bytes, after) = rest.split_at(count);
            rest = after;
            len_bytes
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b))
        };
        if rest.len() < len {
            bail!("truncated DER contents");
        }
        let (contents, after) = rest.split_at(len);
        self.data = after;
        Ok(contents)
    }

    fn sequence(mut self) -> Result<Der<'a>> {
        Ok(Der::new(self.expect(0x30)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{DecodingKey, Validation};

    fn dev_key() -> String {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("keys/dev-private.pem");
        std::fs::read_to_string(path).expect("bundled dev key")
    }

    #[test]
    fn tokens_verify_against_the_published_jwks() {
        let signer = Signer::from_pem(&dev_key(), "http://localhost:8090/auth/issuer".into())
            .expect("signer");
        let (token, claims) = signer
            .token("probation-integration-dev", &["ROLE_A".to_string()])
            .expect("token");
        assert_eq!(claims["authorities"], json!(["ROLE_A"]));

        let jwks = signer.jwks();
        let jwk = &jwks["keys"][0];
        assert_eq!(jwk["kid"], KEY_ID);
        assert_eq!(jwk["e"], "AQAB");
        let n = jwk["n"].as_str().expect("n");
        let e = jwk["e"].as_str().expect("e");
        let key = DecodingKey::from_rsa_components(n, e).expect("decoding key");
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&["http://localhost:8090/auth/issuer"]);
        let decoded = jsonwebtoken::decode::<Value>(&token, &key, &validation).expect("verifies");
        assert_eq!(decoded.claims["sub"], "probation-integration-dev");
        assert_eq!(decoded.header.kid.as_deref(), Some(KEY_ID));
    }

    #[test]
    fn rejects_non_rsa_pem() {
        let pem = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
        assert!(Signer::from_pem(pem, "x".into()).is_err());
        assert!(rsa_public_components("garbage").is_err());
    }
}
