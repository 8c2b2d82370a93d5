//! The service's own settings, read beside the platform's (see the README's configuration table).

use std::collections::HashMap;

use delius_ldap::LdapSettings;
use service_kit::Env;
use url::Url;

/// Base URL of Refer and Monitor (`integrations.refer-and-monitor.url` on the platform); its
/// origin is allowed for `detailUrl`s besides `MESSAGING_CONSUMER_DETAIL_URLS`.
pub const REFER_AND_MONITOR_URL: &str = "INTEGRATIONS_REFER_AND_MONITOR_URL";
/// The `referral-withdrawal-reason` feature flag: use R&M's withdrawal code as the NSI outcome
/// when a referral ends (spec 3.5). Off unless set, as when the flag service is unavailable.
pub const REFERRAL_WITHDRAWAL_REASON: &str = "FEATURE_REFERRAL_WITHDRAWAL_REASON";

/// The LDAP directory's settings (`LDAP_URL`, `LDAP_USERNAME`, `LDAP_PASSWORD`, `LDAP_BASE`): staff
/// e-mail and telephone for `/responsible-officer`, user names for `/users/{username}/details`.
pub const LDAP_VARIABLES: [&str; 4] = ["LDAP_URL", "LDAP_USERNAME", "LDAP_PASSWORD", "LDAP_BASE"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub refer_and_monitor: Url,
    pub withdrawal_reason: bool,
    pub ldap: LdapSettings,
}

impl Settings {
    pub fn read(env: &mut Env) -> Option<Self> {
        let refer_and_monitor = env.required(REFER_AND_MONITOR_URL);
        let withdrawal_reason = env.or(REFERRAL_WITHDRAWAL_REASON, false);
        let ldap = read_ldap(env);
        Some(Self {
            refer_and_monitor: refer_and_monitor?,
            withdrawal_reason,
            ldap: ldap?,
        })
    }
}

/// Problems are reported with the rest of the configuration's.
fn read_ldap(env: &mut Env) -> Option<LdapSettings> {
    let values: HashMap<&str, String> = LDAP_VARIABLES
        .into_iter()
        .filter_map(|name| Some((name, env.optional::<String>(name)?)))
        .collect();
    match LdapSettings::from_lookup(|name| values.get(name).cloned()) {
        Ok(settings) => Some(settings),
        Err(problem) => {
            env.problem(problem.to_string());
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refer_and_monitor_and_ldap_urls_are_required_and_the_flag_defaults_to_off() {
        let mut env = Env::from_map([("X", "y")]);
        assert_eq!(Settings::read(&mut env), None);
        let problems = env.finish().expect_err("missing url").problems;
        assert_eq!(
            problems,
            [
                format!("{REFER_AND_MONITOR_URL} is required but not set"),
                "LDAP_URL is not set".to_owned()
            ]
        );

        let mut env = Env::from_map([
            (REFER_AND_MONITOR_URL, "http://ram"),
            ("LDAP_URL", "ldap://ldap:389"),
        ]);
        let settings = Settings::read(&mut env).expect("settings");
        assert!(!settings.withdrawal_reason);
        assert_eq!(settings.refer_and_monitor.as_str(), "http://ram/");

        let mut env = Env::from_map([
            (REFER_AND_MONITOR_URL, "http://ram"),
            ("LDAP_URL", "ldap://ldap:389"),
            (REFERRAL_WITHDRAWAL_REASON, "true"),
        ]);
        assert!(
            Settings::read(&mut env)
                .expect("settings")
                .withdrawal_reason
        );
    }
}
