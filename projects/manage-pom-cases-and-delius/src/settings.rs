//! The service's own settings, read beside the platform's (see the README's configuration table).

use std::collections::HashMap;

use delius_ldap::LdapSettings;
use service_kit::Env;
use url::Url;

/// Base URL of Manage POM Cases (`mpc.handover.url` on the platform).
pub const MANAGE_POM_CASES_URL: &str = "INTEGRATIONS_MANAGE_POM_CASES_URL";
/// Run the bulk handover re-sync instead of serving, then exit (spec 3.4).
pub const BULK_UPDATE_ENABLED: &str = "BULK_UPDATE_ENABLED";
/// Whether the bulk re-sync messages ask for a dry run (default true).
pub const BULK_UPDATE_DRY_RUN: &str = "BULK_UPDATE_DRY_RUN";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkUpdate {
    pub enabled: bool,
    pub dry_run: bool,
}

/// The LDAP directory's settings (`LDAP_URL`, `LDAP_USERNAME`, `LDAP_PASSWORD`, `LDAP_BASE`).
pub const LDAP_VARIABLES: [&str; 4] = ["LDAP_URL", "LDAP_USERNAME", "LDAP_PASSWORD", "LDAP_BASE"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub manage_pom_cases: Url,
    pub bulk_update: BulkUpdate,
    /// Where staff e-mail addresses are looked up for the API.
    pub ldap: LdapSettings,
}

impl Settings {
    pub fn read(env: &mut Env) -> Option<Self> {
        let manage_pom_cases: Option<Url> = env.required(MANAGE_POM_CASES_URL);
        let enabled = env.or(BULK_UPDATE_ENABLED, false);
        let dry_run = env.or(BULK_UPDATE_DRY_RUN, true);
        let ldap = read_ldap(env);
        Some(Self {
            manage_pom_cases: manage_pom_cases?,
            bulk_update: BulkUpdate { enabled, dry_run },
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
    fn manage_pom_cases_url_is_required_and_bulk_update_defaults_to_off_and_dry_run() {
        let mut env = Env::from_map([("LDAP_URL", "ldap://ldap:389")]);
        assert_eq!(Settings::read(&mut env), None);
        let mut env = Env::from_map([
            (MANAGE_POM_CASES_URL, "http://mpc"),
            ("LDAP_URL", "ldap://ldap:389"),
        ]);
        let settings = Settings::read(&mut env).expect("settings");
        assert_eq!(
            settings.bulk_update,
            BulkUpdate {
                enabled: false,
                dry_run: true
            }
        );
        let mut env = Env::from_map([
            (MANAGE_POM_CASES_URL, "http://mpc"),
            ("LDAP_URL", "ldap://ldap:389"),
            (BULK_UPDATE_ENABLED, "true"),
            (BULK_UPDATE_DRY_RUN, "false"),
        ]);
        let settings = Settings::read(&mut env).expect("settings");
        assert!(settings.bulk_update.enabled && !settings.bulk_update.dry_run);
    }

    #[test]
    fn ldap_url_is_required_and_its_problems_are_reported_with_the_rest() {
        let mut env = Env::from_map([(MANAGE_POM_CASES_URL, "http://mpc")]);
        assert_eq!(Settings::read(&mut env), None);
        let problems = env.finish().expect_err("missing LDAP_URL").problems;
        assert_eq!(problems, ["LDAP_URL is not set"]);

        let mut env = Env::from_map([
            (MANAGE_POM_CASES_URL, "http://mpc"),
            ("LDAP_URL", "ldaps://ldap:636"),
            ("LDAP_USERNAME", "cn=admin,dc=moj,dc=com"),
            ("LDAP_PASSWORD", "secret"),
        ]);
        let ldap = Settings::read(&mut env).expect("settings").ldap;
        assert_eq!(ldap.url, "ldaps://ldap:636");
        assert_eq!(ldap.base_dn, "dc=moj,dc=com");
    }
}
