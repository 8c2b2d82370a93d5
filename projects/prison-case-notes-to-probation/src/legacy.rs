//! Legacy (v1) prison offender events: `GEN-OSE`, `KA-KE`, `ALERT-ACTIVE`... with `caseNoteId`
//! and `offenderIdDisplay` in a flat message. The case note is fetched from the case-notes API
//! by its NOMIS id and merged exactly like a domain event's.

use anyhow::Context;
use messaging::{Notification, Outcome, PrisonOffenderEvent};

use crate::case_note::CASE_NOTE_NOT_FOUND;
use crate::handler::CaseNotesHandler;

/// Ignore reasons for a legacy event that does not say which case note it is about.
pub const MISSING_CASE_NOTE_ID: &str = "MissingCaseNoteId";
pub const MISSING_NOMS_NUMBER: &str = "MissingNomsNumber";

impl CaseNotesHandler {
    pub(crate) async fn prison_offender_event(
        &self,
        notification: &Notification,
    ) -> anyhow::Result<Outcome> {
        let event_type = notification.event_type().unwrap_or_default();
        let event: PrisonOffenderEvent = notification
            .payload()
            .context("legacy case-note event is not a prison offender event")?;
        let noms_number = event
            .offender_id_display
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty());
        let case_note_id = event
            .case_note_id
            .as_deref()
            .map(str::trim)
            .filter(|id| !id.is_empty());
        let Some(case_note_id) = case_note_id else {
            let outcome = Outcome::ignored(MISSING_CASE_NOTE_ID).with("eventType", event_type);
            return Ok(match noms_number {
                Some(noms) => outcome.with("nomsNumber", noms),
                None => outcome,
            });
        };
        let Some(noms_number) = noms_number else {
            return Ok(Outcome::ignored(MISSING_NOMS_NUMBER)
                .with("eventType", event_type)
                .with("caseNoteId", case_note_id));
        };
        let url = self
            .upstreams
            .legacy_case_note_url(noms_number, case_note_id);
        let Some(mut case_note) = self.upstreams.legacy_case_note(&url).await? else {
            return Ok(Outcome::ignored(CASE_NOTE_NOT_FOUND).with("detailUrl", url));
        };
        // The message's id is the NOMIS id: it keys the contact if the body names no id at all.
        if case_note.nomis_id().is_none() {
            case_note.legacy_id = case_note_id.parse().ok();
        }
        self.merge_case_note(&case_note, Some(noms_number)).await
    }
}
