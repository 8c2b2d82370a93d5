//! The service's own settings, read beside the platform's (see the README's configuration table).

use service_kit::Env;
use url::Url;

use crate::clients::UpstreamUrls;

/// Base URL of the Offender Case Notes API.
pub const CASE_NOTES_URL: &str = "INTEGRATIONS_OFFENDER_CASE_NOTES_URL";
/// Base URL of the HMPPS Alerts API.
pub const ALERTS_URL: &str = "INTEGRATIONS_ALERTS_URL";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub upstreams: UpstreamUrls,
}

impl Settings {
    /// Reads both URLs before giving up, so every missing one is reported at once.
    pub fn read(env: &mut Env) -> Option<Self> {
        let case_notes: Option<Url> = env.required(CASE_NOTES_URL);
        let alerts: Option<Url> = env.required(ALERTS_URL);
        Some(Self {
            upstreams: UpstreamUrls {
                case_notes: case_notes?,
                alerts: alerts?,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_upstream_urls_are_required() {
        let mut env = Env::from_map([(CASE_NOTES_URL, "http://notes:8080/base")]);
        assert_eq!(Settings::read(&mut env), None);
        let problems = env.finish().unwrap_err().problems;
        assert_eq!(problems, [format!("{ALERTS_URL} is required but not set")]);

        let mut env = Env::from_map([
            (CASE_NOTES_URL, "http://notes:8080/base"),
            (ALERTS_URL, "http://alerts"),
        ]);
        let settings = Settings::read(&mut env).unwrap();
        assert_eq!(
            settings.upstreams.case_notes.as_str(),
            "http://notes:8080/base"
        );
    }

    #[test]
    fn malformed_urls_are_reported() {
        let mut env = Env::from_map([(CASE_NOTES_URL, "not a url"), (ALERTS_URL, "http://alerts")]);
        assert_eq!(Settings::read(&mut env), None);
        assert!(env.finish().unwrap_err().problems[0].starts_with(CASE_NOTES_URL));
    }
}
