//! The service's own settings, read beside the platform's (see the README's configuration table).

use service_kit::Env;
use url::Url;

/// Base URL of Refer and Monitor (`integrations.refer-and-monitor.url` on the platform); its
/// origin is allowed for `detailUrl`s besides `MESSAGING_CONSUMER_DETAIL_URLS`.
pub const REFER_AND_MONITOR_URL: &str = "INTEGRATIONS_REFER_AND_MONITOR_URL";
/// The `referral-withdrawal-reason` feature flag: use R&M's withdrawal code as the NSI outcome
/// when a referral ends (spec 3.5). Off unless set, as when the flag service is unavailable.
pub const REFERRAL_WITHDRAWAL_REASON: &str = "FEATURE_REFERRAL_WITHDRAWAL_REASON";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub refer_and_monitor: Url,
    pub withdrawal_reason: bool,
}

impl Settings {
    pub fn read(env: &mut Env) -> Option<Self> {
        let refer_and_monitor = env.required(REFER_AND_MONITOR_URL);
        let withdrawal_reason = env.or(REFERRAL_WITHDRAWAL_REASON, false);
        Some(Self {
            refer_and_monitor: refer_and_monitor?,
            withdrawal_reason,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refer_and_monitor_url_is_required_and_the_flag_defaults_to_off() {
        let mut env = Env::from_map([("X", "y")]);
        assert_eq!(Settings::read(&mut env), None);
        let problems = env.finish().expect_err("missing url").problems;
        assert_eq!(
            problems,
            [format!("{REFER_AND_MONITOR_URL} is required but not set")]
        );

        let mut env = Env::from_map([(REFER_AND_MONITOR_URL, "http://ram")]);
        let settings = Settings::read(&mut env).expect("settings");
        assert!(!settings.withdrawal_reason);
        assert_eq!(settings.refer_and_monitor.as_str(), "http://ram/");

        let mut env = Env::from_map([
            (REFER_AND_MONITOR_URL, "http://ram"),
            (REFERRAL_WITHDRAWAL_REASON, "true"),
        ]);
        assert!(
            Settings::read(&mut env)
                .expect("settings")
                .withdrawal_reason
        );
    }
}
