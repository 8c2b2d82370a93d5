//! Wiring only: settings, the service user, the Prison API client, the handler, then serve.

use std::sync::Arc;

use prison_custody_status_to_delius::{CustodyStatusHandler, PrisonApi, Settings};
use service_kit::{Platform, ServiceInfo};

const INFO: ServiceInfo = ServiceInfo {
    name: env!("CARGO_PKG_NAME"),
    version: env!("CARGO_PKG_VERSION"),
    default_delius_username: "PrisonCustodyStatusService",
};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let (platform, settings) = Platform::start(INFO, Settings::read).await?;
    let auditor = platform.auditor().await?;
    let prison_api = PrisonApi::new(platform.authorised_client()?, settings.prison_api);
    let handler = Arc::new(CustodyStatusHandler::new(
        platform.pool.clone(),
        prison_api,
        auditor.user().id,
        settings.flags,
        platform.telemetry.clone(),
    ));
    let queue = platform.consumer_queue().await?;
    platform
        .serve(
            axum::Router::new(),
            queue,
            handler,
            Platform::classifier(vec![]),
        )
        .await
}
