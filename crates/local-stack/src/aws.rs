//! AWS SDK clients pointed at the local SQS/SNS emulator (moto or LocalStack).

use std::time::Duration;

use aws_config::{retry::RetryConfig, timeout::TimeoutConfig};
use messaging::aws::AwsSettings;

pub struct Clients {
    pub sqs: aws_sdk_sqs::Client,
    pub sns: aws_sdk_sns::Client,
    pub endpoint: String,
}

pub async fn clients(endpoint: &str, region: &str) -> Clients {
    let settings = AwsSettings {
        region: Some(region.to_string()),
        endpoint_url: Some(endpoint.to_string()),
    };
    // Short timeouts and one retry: a tool should say "emulator not running" quickly.
    let config = messaging::aws::loader(&settings)
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(2))
                .operation_attempt_timeout(Duration::from_secs(10))
                .build(),
        )
        .retry_config(RetryConfig::standard().with_max_attempts(2))
        .load()
        .await;
    Clients {
        sqs: aws_sdk_sqs::Client::new(&config),
        sns: aws_sdk_sns::Client::new(&config),
        endpoint: endpoint.to_string(),
    }
}

/// Turns an SDK error into an anyhow error that shows the whole cause chain (the SDK's own `Display` says
/// only "service error" or "dispatch failure"), with a hint when the emulator cannot be reached.
pub fn sdk_error<E>(err: E, endpoint: &str) -> anyhow::Error
where
    E: std::error::Error + Send + Sync + 'static,
{
    let text = aws_sdk_sqs::error::DisplayErrorContext(&err).to_string();
    if text.contains("dispatch failure") || text.contains("Connection refused") {
        anyhow::anyhow!(
            "{text}\n(is the SQS/SNS emulator running at {endpoint}? try `scripts/sqs-emulator.sh start`)"
        )
    } else {
        anyhow::anyhow!(text)
    }
}
