//! The service's own settings, read beside the platform's (see the README's configuration table).

use service_kit::Env;
use url::Url;

/// Base URL of HMPPS Workload (Manage a Workforce); `detailUrl`s must point at it.
pub const WORKLOAD_URL: &str = "INTEGRATIONS_WORKLOAD_URL";
/// Feature flag `produce-spod03-contact` (default off): the decision evidence of an event
/// allocation is written as an SPO oversight contact instead of a CADE contact (spec 4.3 step 12).
pub const PRODUCE_SPOD03_CONTACT: &str = "FEATURE_FLAG_PRODUCE_SPOD03_CONTACT";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub workload: Url,
    pub produce_spod03_contact: bool,
}

impl Settings {
    pub fn read(env: &mut Env) -> Option<Self> {
        let workload: Option<Url> = env.required(WORKLOAD_URL);
        let produce_spod03_contact = env.or(PRODUCE_SPOD03_CONTACT, false);
        Some(Self {
            workload: workload?,
            produce_spod03_contact,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workload_url_is_required_and_the_spod03_flag_defaults_off() {
        let mut env = Env::from_map([("X", "y")]);
        assert_eq!(Settings::read(&mut env), None);
        let problems = env.finish().expect_err("missing URL").problems;
        assert_eq!(
            problems,
            [format!("{WORKLOAD_URL} is required but not set")]
        );

        let mut env = Env::from_map([(WORKLOAD_URL, "http://workload")]);
        let settings = Settings::read(&mut env).expect("settings");
        assert!(!settings.produce_spod03_contact);

        let mut env = Env::from_map([
            (WORKLOAD_URL, "http://workload"),
            (PRODUCE_SPOD03_CONTACT, "true"),
        ]);
        assert!(
            Settings::read(&mut env)
                .expect("settings")
                .produce_spod03_contact
        );
    }
}
