//! Wiring only: settings, the audit user, the Refer and Monitor client, the LDAP directory, the
//! handler and the API.

use std::sync::Arc;

use messaging::detail::DetailUrlPolicy;
use refer_and_monitor_and_delius::{api, Context, ReferAndMonitorHandler, Settings};
use service_kit::{Platform, ServiceInfo};

const INFO: ServiceInfo = ServiceInfo {
    name: env!("CARGO_PKG_NAME"),
    version: env!("CARGO_PKG_VERSION"),
    default_delius_username: "ReferAndMonitorAndDelius",
};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let (platform, settings) = Platform::start(INFO, Settings::read).await?;
    let auditor = platform.auditor().await?;
    let mut allowed = platform.detail_urls();
    allowed.push(settings.refer_and_monitor.to_string());
    let ldap = delius_ldap::LdapDirectory::new(settings.ldap.clone());
    // The reads still answer without e-mail addresses while LDAP is down: do not refuse to start.
    if let Err(error) = ldap.verify().await {
        tracing::warn!(%error, "LDAP directory not reachable at start-up");
    }
    let context = Context {
        pool: platform.pool.clone(),
        auditor,
        client: platform.authorised_client()?,
        detail_urls: DetailUrlPolicy::allow(&allowed)?,
        telemetry: platform.telemetry.clone(),
        withdrawal_reason: settings.withdrawal_reason,
        directory: Arc::new(ldap),
    };
    let api = api::router(context.clone(), platform.jwt_validator()?);
    let handler = Arc::new(ReferAndMonitorHandler::new(context));
    let queue = platform.consumer_queue().await?;
    platform
        .serve(api, queue, handler, Platform::classifier(vec![]))
        .await
}
