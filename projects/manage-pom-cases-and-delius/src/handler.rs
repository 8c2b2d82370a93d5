//! Routing (spec 3.0): the event type comes from the `eventType` message attribute; a body with a
//! top-level `crn` is a legacy probation offender event, anything else an HMPPS domain event.

use anyhow::{bail, Context as _};
use async_trait::async_trait;
use messaging::{HmppsDomainEvent, Notification, NotificationHandler, Outcome};
use serde_json::Value;

use crate::context::Context;
use crate::{allocation, handover};

pub const HANDOVER_CHANGED: &str = "offender-management.handover.changed";
pub const BULK_HANDOVER_UPDATE: &str = "pom-handover-dates.internal.bulk-update";
pub const ALLOCATION_CHANGED: &str = "offender-management.allocation.changed";
pub const IDENTIFIER_ADDED: &str = "probation-case.prison-identifier.added";
pub const IDENTIFIER_UPDATED: &str = "probation-case.prison-identifier.updated";
pub const SENTENCE_CHANGED: &str = "SENTENCE_CHANGED";

pub struct PomCasesHandler {
    context: Context,
}

impl PomCasesHandler {
    pub fn new(context: Context) -> Self {
        Self { context }
    }
}

#[async_trait]
impl NotificationHandler for PomCasesHandler {
    async fn handle(&self, notification: &Notification) -> anyhow::Result<Outcome> {
        let event_type = notification
            .event_type()
            .context("message has no eventType attribute")?;
        let body: Value =
            serde_json::from_str(&notification.message).context("message body is not JSON")?;
        if let Some(crn) = body.get("crn") {
            let crn = crn
                .as_str()
                .context("legacy offender event crn is not a string")?;
            return match event_type {
                SENTENCE_CHANGED => handover::sentence_changed(&self.context, crn).await,
                other => bail!("Unexpected offender event type: {other}"),
            };
        }
        let event: HmppsDomainEvent =
            serde_json::from_value(body).context("message body is not an HMPPS domain event")?;
        match event_type {
            HANDOVER_CHANGED | BULK_HANDOVER_UPDATE => {
                let dry_run = event
                    .additional_information
                    .get("dryRun")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                handover::handover_changed(&self.context, &event, dry_run).await
            }
            ALLOCATION_CHANGED => allocation::allocation_changed(&self.context, &event).await,
            IDENTIFIER_ADDED | IDENTIFIER_UPDATED => {
                allocation::prison_identifier_changed(&self.context, event_type, &event).await
            }
            other => bail!("Unhandled message type received: {other}"),
        }
    }
}
