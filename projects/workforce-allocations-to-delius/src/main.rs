//! Wiring only: settings, the audit user, the HMPPS Workload client, the handler, then serve.

use std::sync::Arc;

use messaging::detail::{DetailFetcher, DetailUrlPolicy};
use service_kit::{Platform, ServiceInfo};
use workforce_allocations_to_delius::{AllocationsHandler, Context, Settings};

const INFO: ServiceInfo = ServiceInfo {
    name: env!("CARGO_PKG_NAME"),
    version: env!("CARGO_PKG_VERSION"),
    default_delius_username: "workforce-allocations-to-delius",
};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let (platform, settings) = Platform::start(INFO, Settings::read).await?;
    let auditor = platform.auditor().await?;
    let mut allowed = platform.detail_urls();
    allowed.push(settings.workload.to_string());
    let context = Context {
        pool: platform.pool.clone(),
        auditor,
        fetcher: DetailFetcher::new(
            platform.authorised_client()?,
            DetailUrlPolicy::allow(&allowed)?,
        ),
        produce_spod03_contact: settings.produce_spod03_contact,
        reference: Default::default(),
    };
    let handler = Arc::new(AllocationsHandler::new(context));
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
