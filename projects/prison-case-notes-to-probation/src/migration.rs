//! `probation-case.prison-identifier.added` (the reference's `PrisonIdentifierAdded`): a NOMS
//! number was linked to a probation case, so bring over the person's case notes of interest and
//! active alerts. Each record is merged on its own; one failure does not stop the others.

use std::collections::BTreeSet;

use anyhow::Context;
use messaging::{HmppsDomainEvent, Notification, Outcome, Properties};

use crate::handler::CaseNotesHandler;
use crate::merge::{is_person_not_found, DataCleanse, MergeAction, MergeResult};

pub const CASE_NOTES_MIGRATED: &str = "CaseNotesMigrated";
pub const DATA_CLEANSE_NOTIFICATION_FAILURE: &str = "DataCleanseNotificationFailure";

/// How the records of one kind (case notes or alerts) went.
#[derive(Debug, Default)]
struct Tally {
    created: usize,
    updated: usize,
    moved: usize,
}

impl Tally {
    fn count(&mut self, action: &MergeAction) {
        match action {
            MergeAction::Created => self.created += 1,
            MergeAction::Updated => self.updated += 1,
            MergeAction::Moved { .. } => self.moved += 1,
        }
    }

    /// `{prefix}Created` etc., only for the counts that are not zero.
    fn add_to(&self, prefix: &str, properties: &mut Properties) {
        for (name, n) in [
            ("Created", self.created),
            ("Updated", self.updated),
            ("Moved", self.moved),
        ] {
            if n > 0 {
                properties.insert(format!("{prefix}{name}"), n.to_string());
            }
        }
    }
}

impl CaseNotesHandler {
    pub(crate) async fn migrate(&self, notification: &Notification) -> anyhow::Result<Outcome> {
        let event: HmppsDomainEvent = notification
            .payload()
            .context("prison-identifier event is not an HMPPS domain event")?;
        let noms_number = event
            .noms_number()
            .map(|n| n.trim().to_ascii_uppercase())
            .filter(|n| !n.is_empty())
            .with_context(|| format!("NomsNumber not found for {}", event.event_type))?;

        let case_notes = self.upstreams.search_case_notes(&noms_number).await?;
        let alerts = self.upstreams.alerts(&noms_number).await?;

        let mut saved: Vec<MergeResult> = Vec::new();
        let mut case_note_tally = Tally::default();
        let mut alert_tally = Tally::default();
        let mut failures: Vec<anyhow::Error> = Vec::new();

        for case_note in case_notes.iter().filter(|c| c.ignore_reason().is_none()) {
            let merged = async {
                let delius = case_note.to_delius(Some(&noms_number))?;
                self.merger.merge(&delius, DataCleanse::Deferred).await
            }
            .await;
            match merged {
                Ok(result) => {
                    if let MergeResult::Saved(m) = &result {
                        case_note_tally.count(&m.action);
                    }
                    saved.push(result);
                }
                Err(error) => failures.push(error),
            }
        }
        for alert in alerts.iter().filter(|a| !a.is_ocg_nominal()) {
            let merged = async {
                let delius = alert.to_delius()?;
                self.merger.merge(&delius, DataCleanse::Deferred).await
            }
            .await;
            match merged {
                Ok(result) => {
                    if let MergeResult::Saved(m) = &result {
                        alert_tally.count(&m.action);
                    }
                    saved.push(result);
                }
                Err(error) => failures.push(error),
            }
        }

        // One data-cleanse contact per person records were moved from, however many moved.
        let moved_from: BTreeSet<&str> = saved
            .iter()
            .filter_map(|r| match r {
                MergeResult::Saved(m) => match &m.action {
                    MergeAction::Moved { from_crn, .. } => Some(from_crn.as_str()),
                    _ => None,
                },
                MergeResult::Unchanged => None,
            })
            .collect();
        for crn in moved_from {
            if let Err(error) = self.merger.data_cleanse(crn).await {
                self.telemetry.track(
                    DATA_CLEANSE_NOTIFICATION_FAILURE,
                    &Properties::from([("reason".to_owned(), format!("{error:#}"))]),
                );
            }
        }

        let mut properties = Properties::from([
            ("nomsId".to_owned(), noms_number.clone()),
            ("cause".to_owned(), event.event_type.clone()),
        ]);
        let first_crn = saved.iter().find_map(|r| match r {
            MergeResult::Saved(m) => Some(m.crn.clone()),
            MergeResult::Unchanged => None,
        });
        if let Some(crn) = first_crn {
            properties.insert("crn".to_owned(), crn);
        }
        case_note_tally.add_to("caseNotes", &mut properties);
        alert_tally.add_to("alerts", &mut properties);

        // Redelivery retries the lot: records already merged then update or do nothing.
        match failures.into_iter().find(|e| !is_person_not_found(e)) {
            Some(error) => {
                self.telemetry.track(CASE_NOTES_MIGRATED, &properties);
                Err(error.context(format!(
                    "migrating the case notes and alerts of {noms_number}"
                )))
            }
            None => Ok(Outcome::processed(CASE_NOTES_MIGRATED).with_all(&properties)),
        }
    }
}
