//! `person.case-note.created|updated` (the reference's `PersonCaseNote`): fetch the case note
//! from `detailUrl`, drop what probation must not see, merge the rest.

use anyhow::Context;
use messaging::{HmppsDomainEvent, Notification, Outcome};

use crate::handler::CaseNotesHandler;
use crate::merge::{is_person_not_found, DataCleanse};
use crate::prison_case_note::PrisonCaseNote;

pub const CASE_NOTE_NOT_FOUND: &str = "CaseNoteNotFound";
pub const CASE_NOTE_IGNORED: &str = "CaseNoteIgnored";
pub const CASE_NOTE_MERGED: &str = "CaseNoteMerged";
pub const CASE_NOTE_MERGE_FAILED: &str = "CaseNoteMergeFailed";

impl CaseNotesHandler {
    pub(crate) async fn person_case_note(
        &self,
        notification: &Notification,
    ) -> anyhow::Result<Outcome> {
        let event: HmppsDomainEvent = notification
            .payload()
            .context("case-note event is not an HMPPS domain event")?;
        let detail_url = event
            .detail_url
            .as_deref()
            .context("case-note event has no detailUrl")?;
        let Some(case_note) = self.upstreams.case_note(detail_url).await? else {
            return Ok(Outcome::ignored(CASE_NOTE_NOT_FOUND).with("detailUrl", detail_url));
        };
        self.merge_case_note(&case_note, event.noms_number()).await
    }

    /// Filters and merges a fetched case note (domain events and legacy events alike).
    ///
    /// - filtered: `CaseNoteIgnored` with the reason;
    /// - merged (including the out-of-sequence no-op): `CaseNoteMerged`;
    /// - person not found: `CaseNoteMergeFailed`, and the message is done (not retried);
    /// - any other failure: `CaseNoteMergeFailed`, then the error (retried, then dead-lettered).
    pub(crate) async fn merge_case_note(
        &self,
        case_note: &PrisonCaseNote,
        fallback_noms: Option<&str>,
    ) -> anyhow::Result<Outcome> {
        let properties = case_note.telemetry_properties();
        if let Some(reason) = case_note.ignore_reason() {
            return Ok(Outcome::ignored(CASE_NOTE_IGNORED)
                .with_all(&properties)
                .with("reason", reason));
        }
        let merged = async {
            let delius = case_note.to_delius(fallback_noms)?;
            self.merger.merge(&delius, DataCleanse::WithMove).await
        }
        .await;
        match merged {
            Ok(result) => Ok(Outcome::processed(CASE_NOTE_MERGED)
                .with_all(&properties)
                .with_all(&result.properties())),
            Err(error) if is_person_not_found(&error) => {
                Ok(Outcome::ignored(CASE_NOTE_MERGE_FAILED)
                    .with_all(&properties)
                    .with("exception", &error))
            }
            Err(error) => {
                let mut failed = properties;
                failed.insert("exception".into(), format!("{error:#}"));
                self.telemetry.track(CASE_NOTE_MERGE_FAILED, &failed);
                Err(error)
            }
        }
    }
}
