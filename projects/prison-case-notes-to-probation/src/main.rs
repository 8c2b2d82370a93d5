//! Wiring only: settings, the audit user, the upstream clients, the handler, then serve.

use std::sync::Arc;

use prison_case_notes_to_probation::{CaseNotesHandler, Settings, Upstreams};
use service_kit::{Platform, ServiceInfo};

const INFO: ServiceInfo = ServiceInfo {
    name: env!("CARGO_PKG_NAME"),
    version: env!("CARGO_PKG_VERSION"),
    default_delius_username: "PrisonCaseNotesToProbation",
};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let (platform, settings) = Platform::start(INFO, Settings::read).await?;
    let auditor = platform.auditor().await?;

    let upstreams = Upstreams::new(
        platform.client_credentials()?,
        settings.upstreams,
        &platform.detail_urls(),
    )?;

    // A migration delivery stops merging after half the visibility timeout; its redelivery
    // carries on.
    let migration_budget = platform.consumer_config().visibility_timeout / 2;
    let handler = Arc::new(
        CaseNotesHandler::new(
            platform.pool.clone(),
            auditor,
            upstreams,
            platform.telemetry.clone(),
        )
        .with_migration_budget(migration_budget),
    );
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
