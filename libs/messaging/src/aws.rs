//! AWS SDK configuration shared by the SQS consumer and SNS publisher.

use std::time::Duration;

use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, ConfigLoader, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};

#[derive(Debug, Clone, Default)]
pub struct AwsSettings {
    /// e.g. `eu-west-2`; the SDK's own resolution applies when `None`.
    pub region: Option<String>,
    /// LocalStack / moto endpoint, e.g. `http://127.0.0.1:4566`.
    pub endpoint_url: Option<String>,
}

/// Loads the SDK configuration. With an endpoint override (local emulators) static dummy
/// credentials are used, as the emulators accept any; otherwise the SDK's default chain (IRSA,
/// environment) supplies them.
pub async fn sdk_config(settings: &AwsSettings) -> SdkConfig {
    loader(settings).load().await
}

/// Every SQS and SNS call is bounded. The SDK sets no attempt timeout of its own, so a connection
/// lost without a reset would leave a receive waiting forever and the consumer stalled. A long
/// poll asks for at most 20 s, so an attempt still unanswered after 30 s is abandoned and retried.
pub fn call_timeouts() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(3))
        .operation_attempt_timeout(Duration::from_secs(30))
        .operation_timeout(Duration::from_secs(90))
        .build()
}

/// The configuration loader behind [`sdk_config`], for callers that tune timeouts or retries.
pub fn loader(settings: &AwsSettings) -> ConfigLoader {
    // ring, not aws-lc: one crypto library in the build keeps compile times down.
    let http_client = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http_client)
        .timeout_config(call_timeouts());
    if let Some(region) = &settings.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(endpoint) = &settings.endpoint_url {
        loader = loader
            .endpoint_url(endpoint)
            .credentials_provider(Credentials::new(
                "test",
                "test",
                None,
                None,
                "local-emulator",
            ));
    }
    loader
}

#[cfg(test)]
mod call_timeout_tests {
    use super::*;

    #[test]
    fn an_attempt_outlasts_the_longest_long_poll_but_is_bounded() {
        let timeouts = call_timeouts();
        let attempt = timeouts
            .operation_attempt_timeout()
            .expect("an attempt timeout");
        // SQS long polls for at most 20 s; cutting one short would look like a lost connection.
        assert!(attempt > Duration::from_secs(20), "{attempt:?}");
        assert!(timeouts.operation_timeout().expect("an operation timeout") >= attempt);
        assert!(timeouts.connect_timeout().is_some());
    }
}
