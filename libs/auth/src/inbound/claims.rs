//! The claims we read from an HMPPS Auth access token.

use serde::{Deserialize, Deserializer, Serialize};

/// Claims of a validated HMPPS Auth token, inserted into the request extensions by the layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The subject: the client id for client-credentials tokens, the username for user tokens.
    pub sub: String,
    #[serde(default)]
    pub client_id: Option<String>,
    #[serde(default)]
    pub user_name: Option<String>,
    /// Granted authorities, already `ROLE_`-prefixed by HMPPS Auth.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub authorities: Vec<String>,
}

impl Claims {
    /// Whether the token carries exactly this authority (no role hierarchy; see `RolePolicy`).
    pub fn has_authority(&self, authority: &str) -> bool {
        self.authorities.iter().any(|a| a == authority)
    }
}

// Some issuers write `"authorities": null` for a client without roles; treat it as no roles
// rather than rejecting the token as malformed.
fn null_as_empty<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    Ok(Option::<Vec<String>>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn optional_claims_default() {
        let claims: Claims = serde_json::from_value(json!({"sub": "a", "authorities": null}))
            .expect("claims should parse");
        assert_eq!(claims.client_id, None);
        assert_eq!(claims.user_name, None);
        assert!(claims.authorities.is_empty());
    }

    #[test]
    fn reads_hmpps_auth_claims() {
        let claims: Claims = serde_json::from_value(json!({
            "sub": "probation-integration-dev",
            "client_id": "probation-integration-dev",
            "authorities": ["ROLE_A", "ROLE_B"],
            "scope": ["read"],
            "aud": "oauth2-resource"
        }))
        .expect("claims should parse");
        assert_eq!(
            claims.client_id.as_deref(),
            Some("probation-integration-dev")
        );
        assert!(claims.has_authority("ROLE_B"));
        assert!(!claims.has_authority("ROLE_C"));
    }
}
