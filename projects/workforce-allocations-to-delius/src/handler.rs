//! One message (spec 4.0): read the domain event, fetch its `detailUrl`, pick the kind from the
//! detail's shape (never from `eventType`, rule 1) and apply it; then the kind's telemetry.

use anyhow::Context as _;
use async_trait::async_trait;
use messaging::detail::DetailError;
use messaging::{HmppsDomainEvent, Notification, NotificationHandler, Outcome};
use serde_json::Value;

use crate::allocation::{component, event, person, AllocationError, Applied};
use crate::context::Context;
use crate::detail::AllocationDetail;

/// Ignore reason when Workforce no longer has the allocation the message names.
pub const ALLOCATION_NOT_FOUND: &str = "AllocationDetailNotFound";

pub struct AllocationsHandler {
    context: Context,
}

impl AllocationsHandler {
    pub fn new(context: Context) -> Self {
        Self { context }
    }
}

#[async_trait]
impl NotificationHandler for AllocationsHandler {
    async fn handle(&self, notification: &Notification) -> anyhow::Result<Outcome> {
        let event: HmppsDomainEvent = notification
            .payload()
            .context("message body is not an HMPPS domain event")?;
        // Spec 2.3: required; without it the message fails and is redelivered.
        let detail_url = event
            .detail_url
            .as_deref()
            .context("allocation message has no detailUrl")?;
        let envelope_crn = event.crn();
        let detail: Value = match self.context.fetcher.fetch(detail_url).await {
            Ok(detail) => detail,
            Err(DetailError::NotFound { .. }) => {
                return Ok(Outcome::ignored(ALLOCATION_NOT_FOUND)
                    .with("crn", envelope_crn.unwrap_or_default())
                    .with("detailUrl", detail_url));
            }
            Err(error) => return Err(error.into()),
        };
        let detail = AllocationDetail::from_json(detail)?;
        let kind = detail.kind();
        let crn = match &detail {
            // The person is found by the detail's CRN; telemetry names the message's when it
            // has one, and the detail's otherwise rather than failing an applied allocation.
            AllocationDetail::Person(person) => envelope_crn.unwrap_or(&person.crn),
            _ => envelope_crn.ok_or(AllocationError::NoCrn)?,
        };
        tracing::info!(
            kind = kind.telemetry_name(),
            crn,
            allocation_id = detail.allocation().id.as_deref().unwrap_or_default(),
            "applying allocation"
        );
        let applied = match &detail {
            AllocationDetail::Person(d) => person::allocate(&self.context, d, crn).await?,
            AllocationDetail::Event(d) => event::allocate(&self.context, d, crn).await?,
            AllocationDetail::Requirement(d) => {
                component::allocate_requirement(&self.context, d, crn).await?
            }
            AllocationDetail::LicenceCondition(d) => {
                component::allocate_licence_condition(&self.context, d, crn).await?
            }
        };
        if applied == Applied::Duplicate {
            tracing::info!(crn, detail_url, "allocation already in Delius");
        }
        Ok(Outcome::processed(kind.telemetry_name())
            .with("crn", crn)
            .with("detailUrl", detail_url))
    }
}
