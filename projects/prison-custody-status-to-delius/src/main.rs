//! Wiring only: settings, the service user, the Prison API client, the handler, the optional
//! outbox, then serve.

use std::sync::Arc;

use anyhow::Context;
use outbox::{Outbox, OutboxConfig};
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
    let outbox = if settings.outbox_enabled {
        let publisher = platform
            .publisher()
            .await
            .context("OUTBOX_ENABLED is true but MESSAGING_PRODUCER_TOPIC is not set")?;
        let outbox = Outbox::new(platform.pool.clone(), publisher, OutboxConfig::default());
        Some(tokio::spawn(outbox.run(platform.shutdown.clone())))
    } else {
        None
    };
    let queue = platform.consumer_queue().await?;
    platform
        .serve(
            axum::Router::new(),
            queue,
            handler,
            Platform::classifier(vec![]),
        )
        .await?;
    // serve returns once shutdown is signalled, which also stops the outbox after its current
    // poll has committed or rolled back.
    if let Some(task) = outbox {
        task.await.context("outbox task panicked")?;
    }
    Ok(())
}
