//! `person.alert.created|updated|inactive` (the reference's `PrisonerAlert`): fetch the alert,
//! drop OCG nominal alerts, merge its current state (active and inactive are separate contacts).

use anyhow::Context;
use messaging::{HmppsDomainEvent, Notification, Outcome};

use crate::handler::CaseNotesHandler;
use crate::merge::{is_person_not_found, DataCleanse};

pub const ALERT_NOT_FOUND: &str = "AlertNotFound";
pub const ALERT_MERGED: &str = "AlertMerged";
pub const ALERT_MERGE_FAILED: &str = "AlertMergeFailed";
/// Ignore reason for OCG nominal alerts (silently dropped in the reference).
pub const OCG_NOMINAL_ALERT: &str = "OcgNominalAlertNotShared";

impl CaseNotesHandler {
    pub(crate) async fn prisoner_alert(
        &self,
        notification: &Notification,
    ) -> anyhow::Result<Outcome> {
        let event: HmppsDomainEvent = notification
            .payload()
            .context("alert event is not an HMPPS domain event")?;
        let detail_url = event
            .detail_url
            .as_deref()
            .context("alert event has no detailUrl")?;
        let Some(alert) = self.upstreams.alert(detail_url).await? else {
            return Ok(Outcome::ignored(ALERT_NOT_FOUND).with("detailUrl", detail_url));
        };
        if alert.is_ocg_nominal() {
            return Ok(Outcome::ignored(OCG_NOMINAL_ALERT).with("alertUuid", alert.alert_uuid));
        }
        let properties = alert.telemetry_properties();
        let merged = async {
            let delius = alert.to_delius()?;
            self.merger.merge(&delius, DataCleanse::WithMove).await
        }
        .await;
        match merged {
            Ok(result) => Ok(Outcome::processed(ALERT_MERGED)
                .with_all(&properties)
                .with_all(&result.properties())),
            Err(error) if is_person_not_found(&error) => Ok(Outcome::ignored(ALERT_MERGE_FAILED)
                .with_all(&properties)
                .with("exception", &error)),
            Err(error) => {
                let mut failed = properties;
                failed.insert("exception".into(), format!("{error:#}"));
                self.telemetry.track(ALERT_MERGE_FAILED, &failed);
                Err(error)
            }
        }
    }
}
