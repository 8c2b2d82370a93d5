//! The service's own settings, read beside the platform's (see the README's configuration table).

use service_kit::Env;
use url::Url;

use crate::outcome::Flags;

/// Base URL of Prison API.
pub const PRISON_API_URL: &str = "INTEGRATIONS_PRISON_API_URL";
/// Feature flag `hdc-release-type` (default on): movement reason `HD` is an HDC release.
pub const HDC_RELEASE_TYPE: &str = "FEATURE_FLAG_HDC_RELEASE_TYPE";
/// Feature flag `MULTIPLE_EVENTS` (default off): process every active custodial event.
pub const MULTIPLE_EVENTS: &str = "FEATURE_FLAG_MULTIPLE_EVENTS";
/// Action-table flags (default on, see `actions::FeatureFlag`): off -> `FeatureFlagNotActive`
/// (ECSL: released as a plain licence instead).
pub const RELEASED_HOSPITAL: &str = "FEATURE_FLAG_MESSAGES_RELEASED_HOSPITAL";
pub const RELEASED_IRC: &str = "FEATURE_FLAG_MESSAGES_RELEASED_IRC";
pub const RELEASED_ECSL: &str = "FEATURE_FLAG_MESSAGES_RELEASED_ECSL";
pub const RELEASED_ABSCONDED: &str = "FEATURE_FLAG_MESSAGES_RELEASED_ABSCONDED";
/// Publish the `domain_event` rows (the licence-condition terminated events this service writes,
/// and any other service's) to `MESSAGING_PRODUCER_TOPIC` (default off: in production Delius's
/// own outbox publisher does this; see tech-docs/messaging.md, "The outbox").
pub const OUTBOX_ENABLED: &str = "OUTBOX_ENABLED";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub prison_api: Url,
    pub flags: Flags,
    pub outbox_enabled: bool,
}

impl Settings {
    pub fn read(env: &mut Env) -> Option<Self> {
        let prison_api: Option<Url> = env.required(PRISON_API_URL);
        let defaults = Flags::default();
        let flags = Flags {
            hdc_release_type: env.or(HDC_RELEASE_TYPE, defaults.hdc_release_type),
            multiple_events: env.or(MULTIPLE_EVENTS, defaults.multiple_events),
            released_hospital: env.or(RELEASED_HOSPITAL, defaults.released_hospital),
            released_irc: env.or(RELEASED_IRC, defaults.released_irc),
            released_ecsl: env.or(RELEASED_ECSL, defaults.released_ecsl),
            released_absconded: env.or(RELEASED_ABSCONDED, defaults.released_absconded),
        };
        let outbox_enabled = env.or(OUTBOX_ENABLED, false);
        Some(Self {
            prison_api: prison_api?,
            flags,
            outbox_enabled,
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
        assert!(!s.outbox_enabled, "publishing domain_event rows is opt-in");
        let mut env = Env::from_map([(PRISON_API_URL, "http://p"), (OUTBOX_ENABLED, "true")]);
        assert!(Settings::read(&mut env).unwrap().outbox_enabled);
        let mut env = Env::from_map([(PRISON_API_URL, "http://p"), (HDC_RELEASE_TYPE, "false")]);
        assert!(!Settings::read(&mut env).unwrap().flags.hdc_release_type);
    }

    #[test]
    fn multiple_events_defaults_off_and_the_action_table_flags_default_on() {
        let mut env = Env::from_map([(PRISON_API_URL, "http://p")]);
        let flags = Settings::read(&mut env).unwrap().flags;
        assert!(!flags.multiple_events);
        assert!(flags.released_hospital && flags.released_irc);
        assert!(flags.released_ecsl && flags.released_absconded);
        let mut env = Env::from_map([
            (PRISON_API_URL, "http://p"),
            (MULTIPLE_EVENTS, "true"),
            (RELEASED_HOSPITAL, "false"),
            (RELEASED_IRC, "false"),
            (RELEASED_ECSL, "false"),
            (RELEASED_ABSCONDED, "false"),
        ]);
        let flags = Settings::read(&mut env).unwrap().flags;
        assert!(flags.multiple_events);
        assert!(!flags.released_hospital && !flags.released_irc);
        assert!(!flags.released_ecsl && !flags.released_absconded);
    }
}
