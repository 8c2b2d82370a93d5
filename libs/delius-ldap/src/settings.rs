//! Where the directory is and how to bind to it.

use std::fmt;
use std::time::Duration;

/// The search base Delius users live under.
pub const DEFAULT_BASE_DN: &str = "dc=moj,dc=com";
/// How long connecting, binding or one search may take before the directory counts as unavailable.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);

/// Connection settings for [`crate::LdapDirectory`].
#[derive(Clone, PartialEq, Eq)]
pub struct LdapSettings {
    /// `ldap://host:port` or `ldaps://host:port`.
    pub url: String,
    /// DN to bind as; empty for an anonymous connection.
    pub bind_dn: String,
    pub password: String,
    pub base_dn: String,
    /// Bound on connecting, binding and each search.
    pub timeout: Duration,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LdapSettingsError {
    #[error("{0} is not set")]
    Missing(&'static str),
    #[error("LDAP_URL must start with ldap:// or ldaps:// (got {0:?})")]
    UnsupportedUrl(String),
    #[error("LDAP_USERNAME is set but LDAP_PASSWORD is not")]
    PasswordMissing,
}

impl LdapSettings {
    /// Settings with the default base (`dc=moj,dc=com`) and timeout (2 s).
    pub fn new(
        url: impl Into<String>,
        bind_dn: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        Self {
            url: url.into(),
            bind_dn: bind_dn.into(),
            password: password.into(),
            base_dn: DEFAULT_BASE_DN.to_owned(),
            timeout: DEFAULT_TIMEOUT,
        }
    }

    pub fn with_base_dn(mut self, base_dn: impl Into<String>) -> Self {
        self.base_dn = base_dn.into();
        self
    }

    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Reads `LDAP_URL` (required), `LDAP_USERNAME` and `LDAP_PASSWORD` (the bind; both or
    /// neither) and `LDAP_BASE` (default `dc=moj,dc=com`) through `lookup`, e.g.
    /// `|name| std::env::var(name).ok()`. Blank values count as unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, LdapSettingsError> {
        let read = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        let url = read("LDAP_URL").ok_or(LdapSettingsError::Missing("LDAP_URL"))?;
        if !(url.starts_with("ldap://") || url.starts_with("ldaps://")) {
            return Err(LdapSettingsError::UnsupportedUrl(url));
        }
        let bind_dn = read("LDAP_USERNAME").unwrap_or_default();
        let password = read("LDAP_PASSWORD").unwrap_or_default();
        if !bind_dn.is_empty() && password.is_empty() {
            return Err(LdapSettingsError::PasswordMissing);
        }
        let mut settings = Self::new(url, bind_dn, password);
        if let Some(base_dn) = read("LDAP_BASE") {
            settings.base_dn = base_dn;
        }
        Ok(settings)
    }
}

// The password stays out of logs and panic messages.
impl fmt::Debug for LdapSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LdapSettings")
            .field("url", &self.url)
            .field("bind_dn", &self.bind_dn)
            .field("password", &"<redacted>")
            .field("base_dn", &self.base_dn)
            .field("timeout", &self.timeout)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn reads_url_bind_and_base_from_the_environment_names() {
        let settings = LdapSettings::from_lookup(lookup(&[
            ("LDAP_URL", "ldaps://ldap.example:636"),
            ("LDAP_USERNAME", "cn=svc,dc=moj,dc=com"),
            ("LDAP_PASSWORD", "pw"),
            ("LDAP_BASE", "ou=Users,dc=moj,dc=com"),
        ]))
        .unwrap();
        assert_eq!(settings.url, "ldaps://ldap.example:636");
        assert_eq!(settings.bind_dn, "cn=svc,dc=moj,dc=com");
        assert_eq!(settings.password, "pw");
        assert_eq!(settings.base_dn, "ou=Users,dc=moj,dc=com");
        assert_eq!(settings.timeout, DEFAULT_TIMEOUT);
    }

    #[test]
    fn base_defaults_to_dc_moj_dc_com_and_the_bind_is_optional() {
        let settings =
            LdapSettings::from_lookup(lookup(&[("LDAP_URL", "ldap://127.0.0.1:3389")])).unwrap();
        assert_eq!(settings.base_dn, "dc=moj,dc=com");
        assert_eq!(settings.bind_dn, "");
        assert_eq!(settings.password, "");
    }

    #[test]
    fn a_missing_url_is_an_error_naming_the_variable() {
        let error = LdapSettings::from_lookup(lookup(&[("LDAP_URL", "  ")])).unwrap_err();
        assert_eq!(error, LdapSettingsError::Missing("LDAP_URL"));
        assert_eq!(error.to_string(), "LDAP_URL is not set");
    }

    #[test]
    fn a_url_that_is_not_ldap_is_rejected() {
        let error =
            LdapSettings::from_lookup(lookup(&[("LDAP_URL", "http://ldap:389")])).unwrap_err();
        assert_eq!(
            error,
            LdapSettingsError::UnsupportedUrl("http://ldap:389".into())
        );
    }

    #[test]
    fn a_username_without_a_password_is_rejected() {
        let error = LdapSettings::from_lookup(lookup(&[
            ("LDAP_URL", "ldap://127.0.0.1:3389"),
            ("LDAP_USERNAME", "cn=admin,dc=moj,dc=com"),
        ]))
        .unwrap_err();
        assert_eq!(error, LdapSettingsError::PasswordMissing);
    }

    #[test]
    fn debug_output_hides_the_password() {
        let settings = LdapSettings::new("ldap://h", "cn=a", "hunter2");
        let shown = format!("{settings:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }
}
