//! `probation-case.prison-identifier.added` (the reference's `PrisonIdentifierAdded`): a NOMS
//! number was linked to a probation case, so bring over the person's case notes of interest and
//! active alerts. Each record is merged on its own; one failure does not stop the others.
//!
//! One delivery works for at most its time budget (half the visibility timeout by default): a
//! person with more records than fit in it gets the rest on the message's redelivery, where the
//! records already merged are no-ops (see [`MigrationIncomplete`]).

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use anyhow::Context;
use messaging::{HmppsDomainEvent, Notification, Outcome, Properties};

use crate::handler::CaseNotesHandler;
use crate::merge::{is_person_not_found, DataCleanse, MergeAction, MergeResult};
use crate::prison_case_note::PrisonCaseNote;
use crate::prisoner_alert::Alert;

pub const CASE_NOTES_MIGRATED: &str = "CaseNotesMigrated";
pub const DATA_CLEANSE_NOTIFICATION_FAILURE: &str = "DataCleanseNotificationFailure";

/// How long one delivery of a migration may keep merging when `CaseNotesHandler` is not told
/// otherwise: half the platform's default 30 s visibility timeout.
pub const DEFAULT_MIGRATION_BUDGET: Duration = Duration::from_secs(15);

/// The delivery ran out of its time budget before every record was merged. Not transient: the
/// message is not retried in-process (which would run past the visibility timeout) but
/// redelivered by SQS, and the redelivery carries on where this one stopped (merged records are
/// unchanged no-ops).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "migration of {noms_number} stopped after its time budget of {budget:?} with {remaining} of \
     {total} records still to merge; the redelivery carries on"
)]
pub struct MigrationIncomplete {
    pub noms_number: String,
    pub budget: Duration,
    pub remaining: usize,
    pub total: usize,
}

/// One record to migrate, in the reference's order: case notes, then alerts.
enum Record<'a> {
    CaseNote(&'a PrisonCaseNote),
    Alert(&'a Alert),
}

/// When a delivery must stop merging. It stops only once it has saved something, so every
/// delivery makes progress however small the budget, and records already merged (unchanged
/// no-ops) never use up a delivery on their own.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Budget {
    started: Instant,
    limit: Duration,
}

impl Budget {
    pub(crate) fn start(limit: Duration) -> Self {
        Self {
            started: Instant::now(),
            limit,
        }
    }

    pub(crate) fn exhausted(&self, saved_any: bool) -> bool {
        saved_any && self.started.elapsed() >= self.limit
    }
}

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
        let budget = Budget::start(self.migration_budget);
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
        let records: Vec<Record<'_>> = case_notes
            .iter()
            .filter(|c| c.ignore_reason().is_none())
            .map(Record::CaseNote)
            .chain(
                alerts
                    .iter()
                    .filter(|a| !a.is_ocg_nominal())
                    .map(Record::Alert),
            )
            .collect();

        let mut saved: Vec<MergeResult> = Vec::new();
        let mut case_note_tally = Tally::default();
        let mut alert_tally = Tally::default();
        let mut failures: Vec<anyhow::Error> = Vec::new();
        let mut remaining = 0;
        let mut saved_any = false;

        for (i, record) in records.iter().enumerate() {
            if budget.exhausted(saved_any) {
                remaining = records.len() - i;
                break;
            }
            let (merged, tally) = match record {
                Record::CaseNote(case_note) => {
                    let merged = async {
                        let delius = case_note.to_delius(Some(&noms_number))?;
                        self.merger.merge(&delius, DataCleanse::Deferred).await
                    }
                    .await;
                    (merged, &mut case_note_tally)
                }
                Record::Alert(alert) => {
                    let merged = async {
                        let delius = alert.to_delius()?;
                        self.merger.merge(&delius, DataCleanse::Deferred).await
                    }
                    .await;
                    (merged, &mut alert_tally)
                }
            };
            match merged {
                Ok(result) => {
                    if let MergeResult::Saved(m) = &result {
                        tally.count(&m.action);
                        saved_any = true;
                    }
                    saved.push(result);
                }
                Err(error) => failures.push(error),
            }
        }

        // One data-cleanse contact per person records were moved from, however many moved. Also
        // when the budget ran out: a redelivery sees the moved records as updates, not moves.
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
        if remaining > 0 {
            properties.insert("remaining".to_owned(), remaining.to_string());
        }

        // Redelivery retries the lot: records already merged then update or do nothing. The
        // error is never transient (a record's own error is kept as text only), so the
        // consumer does not run the whole migration again in-process past the budget.
        let failure = failures.into_iter().find(|e| !is_person_not_found(e));
        if failure.is_none() && remaining == 0 {
            return Ok(Outcome::processed(CASE_NOTES_MIGRATED).with_all(&properties));
        }
        self.telemetry.track(CASE_NOTES_MIGRATED, &properties);
        let context = format!("migrating the case notes and alerts of {noms_number}");
        Err(match failure {
            Some(error) => anyhow::anyhow!("{context}: {error:#}"),
            None => anyhow::Error::new(MigrationIncomplete {
                noms_number: noms_number.clone(),
                budget: self.migration_budget,
                remaining,
                total: records.len(),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delivery_stops_only_after_saving_something_once_its_budget_is_spent() {
        let spent = Budget::start(Duration::ZERO);
        assert!(!spent.exhausted(false), "nothing saved yet: carry on");
        assert!(spent.exhausted(true));
        let ample = Budget::start(Duration::from_secs(3600));
        assert!(!ample.exhausted(true));
    }

    #[test]
    fn an_incomplete_migration_is_not_transient() {
        let error = anyhow::Error::new(MigrationIncomplete {
            noms_number: "A4578BX".into(),
            budget: Duration::from_secs(15),
            remaining: 2,
            total: 5,
        });
        assert!(!service_kit::Platform::classifier(vec![]).is_transient(&error));
        assert!(error.to_string().contains("2 of 5 records still to merge"));
    }
}
