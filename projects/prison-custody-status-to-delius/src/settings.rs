//! The service's own settings, read beside the platform's (see the README's configuration table).

use service_kit::Env;
use url::Url;

use crate::outcome::Flags;

/// Base URL of Prison API.
pub const PRISON_API_URL: &str = "INTEGRATIONS_PRISON_API_URL";
/// Feature flag `hdc-release-type` (default on): movement reason `HD` is an HDC release.
pub const HDC_RELEASE_TYPE: &str = "FEATURE_FLAG_HDC_RELEASE_TYPE";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub prison_api: Url,
    pub flags: Flags,
}

impl Settings {
    pub fn read(env: &mut Env) -> Option<Self> {
        let prison_api: Option<Url> = env.required(PRISON_API_URL);
        let hdc = env.or(HDC_RELEASE_TYPE, true);
        Some(Self {
            prison_api: prison_api?,
            flags: Flags {
                hdc_release_type: hdc,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prison_api_url_is_required_and_hdc_defaults_on() {
        let mut env = Env::from_map([("X", "y")]);
        assert_eq!(Settings::read(&mut env), None);
        let mut env = Env::from_map([(PRISON_API_URL, "http://prison-api")]);
        let s = Settings::read(&mut env).unwrap();
        assert!(s.flags.hdc_release_type);
        let mut env = Env::from_map([(PRISON_API_URL, "http://p"), (HDC_RELEASE_TYPE, "false")]);
        assert!(!Settings::read(&mut env).unwrap().flags.hdc_release_type);
    }
}
