//! Routing: one handler for the service's queue, dispatching on the SNS `eventType` attribute
//! (never on the body) to the workflow modules.

use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use audit_iaps::Auditor;
use delius_data::DbPool;
use messaging::{Notification, NotificationHandler, Outcome, Telemetry};

use crate::clients::Upstreams;
use crate::filters::{is_of_interest, is_prison_offender_event};
use crate::merge::Merger;
use crate::migration::DEFAULT_MIGRATION_BUDGET;

pub const PRISON_IDENTIFIER_ADDED: &str = "probation-case.prison-identifier.added";
pub const CASE_NOTE_CREATED: &str = "person.case-note.created";
pub const CASE_NOTE_UPDATED: &str = "person.case-note.updated";
pub const ALERT_CREATED: &str = "person.alert.created";
pub const ALERT_UPDATED: &str = "person.alert.updated";
pub const ALERT_INACTIVE: &str = "person.alert.inactive";

/// Ignore reason (no telemetry of the handler's own in the reference) for an event type this
/// service does not handle, e.g. `person.case-note.deleted` or `prison.case-note.published`.
pub const EVENT_TYPE_NOT_HANDLED: &str = "EventTypeNotHandled";
/// Ignore reason for a case-note event whose `type`/`subType` attributes are not of interest.
pub const CASE_NOTE_NOT_OF_INTEREST: &str = "CaseNoteTypeNotOfInterest";

pub struct CaseNotesHandler {
    pub(crate) merger: Merger,
    pub(crate) upstreams: Upstreams,
    /// For the events the consumer cannot record from the outcome: failures that are rethrown
    /// (`CaseNoteMergeFailed`, `AlertMergeFailed`, `CaseNotesMigrated`) and
    /// `DataCleanseNotificationFailure`.
    pub(crate) telemetry: Telemetry,
    /// How long one delivery of a migration may keep merging (see [`crate::migration`]).
    pub(crate) migration_budget: Duration,
}

impl CaseNotesHandler {
    pub fn new(pool: DbPool, auditor: Auditor, upstreams: Upstreams, telemetry: Telemetry) -> Self {
        Self {
            merger: Merger::new(pool, auditor),
            upstreams,
            telemetry,
            migration_budget: DEFAULT_MIGRATION_BUDGET,
        }
    }

    /// Bounds the work of one migration delivery; keep it well inside the queue's visibility
    /// timeout (`main` uses half of it). A delivery always saves at least one record.
    pub fn with_migration_budget(mut self, budget: Duration) -> Self {
        self.migration_budget = budget;
        self
    }
}

#[async_trait]
impl NotificationHandler for CaseNotesHandler {
    async fn handle(&self, notification: &Notification) -> anyhow::Result<Outcome> {
        let Some(event_type) = notification.event_type() else {
            return Ok(Outcome::ignored(EVENT_TYPE_NOT_HANDLED));
        };
        match event_type {
            PRISON_IDENTIFIER_ADDED => self.migrate(notification).await,
            CASE_NOTE_CREATED | CASE_NOTE_UPDATED => {
                // As in the reference, a case-note event without these attributes is an error
                // (retried, then dead-lettered where someone will look), not silently dropped.
                let note_type = notification
                    .attribute("type")
                    .with_context(|| format!("{event_type} has no type attribute"))?;
                let sub_type = notification
                    .attribute("subType")
                    .with_context(|| format!("{event_type} has no subType attribute"))?;
                if is_of_interest(note_type, sub_type) {
                    self.person_case_note(notification).await
                } else {
                    Ok(Outcome::ignored(CASE_NOTE_NOT_OF_INTEREST)
                        .with("type", note_type)
                        .with("subType", sub_type))
                }
            }
            ALERT_CREATED | ALERT_UPDATED | ALERT_INACTIVE => {
                self.prisoner_alert(notification).await
            }
            legacy if is_prison_offender_event(legacy) => {
                self.prison_offender_event(notification).await
            }
            other => Ok(Outcome::ignored(EVENT_TYPE_NOT_HANDLED).with("eventType", other)),
        }
    }
}
