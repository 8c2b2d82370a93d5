//! Wiring only: settings, the audit user, the Manage POM Cases client, the LDAP directory, the
//! handler and the API, then serve (or run the bulk handover re-sync and exit).

use std::sync::Arc;

use anyhow::Context as _;
use manage_pom_cases_and_delius::api::{self, ApiState};
use manage_pom_cases_and_delius::{bulk, Context, PomCasesHandler, Settings};
use messaging::detail::DetailUrlPolicy;
use service_kit::{Platform, ServiceInfo};

const INFO: ServiceInfo = ServiceInfo {
    name: env!("CARGO_PKG_NAME"),
    version: env!("CARGO_PKG_VERSION"),
    default_delius_username: "ManagePomCasesAndDelius",
};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let (platform, settings) = Platform::start(INFO, Settings::read).await?;
    if settings.bulk_update.enabled {
        return run_bulk_update(&platform, &settings).await;
    }
    let auditor = platform.auditor().await?;
    let mut allowed = platform.detail_urls();
    allowed.push(settings.manage_pom_cases.to_string());
    let context = Context {
        pool: platform.pool.clone(),
        client: platform.authorised_client()?,
        detail_urls: DetailUrlPolicy::allow(&allowed)?,
        mpc_base: settings.manage_pom_cases.clone(),
        user_id: auditor.user().id,
    };
    let ldap = delius_ldap::LdapDirectory::new(settings.ldap.clone());
    // The API still answers without e-mail addresses while LDAP is down, so do not refuse to start.
    if let Err(error) = ldap.verify().await {
        tracing::warn!(%error, "LDAP directory not reachable at start-up");
    }
    let directory: Arc<dyn delius_ldap::Directory> = Arc::new(ldap);
    let api = api::router(
        ApiState {
            pool: platform.pool.clone(),
            directory,
        },
        platform.jwt_validator()?,
    );
    let handler = Arc::new(PomCasesHandler::new(context));
    let queue = platform.consumer_queue().await?;
    platform
        .serve(api, queue, handler, Platform::classifier(vec![]))
        .await
}

/// Spec 3.4: queue a handover re-sync for every candidate, log the count and end (exit code 0)
/// instead of serving; the consumers of the running service handle the messages.
async fn run_bulk_update(platform: &Platform, settings: &Settings) -> anyhow::Result<()> {
    let queue = platform.consumer_queue().await?.context(
        "the bulk handover update sends to the service's own queue: set MESSAGING_CONSUMER_QUEUE",
    )?;
    let mut conn = platform.pool.get().await?;
    let dry_run = settings.bulk_update.dry_run;
    let count = bulk::publish_bulk_update(
        &mut conn,
        queue.as_ref(),
        &settings.manage_pom_cases,
        dry_run,
    )
    .await?;
    tracing::info!(count, dry_run, "bulk handover update messages sent");
    Ok(())
}
