//! The bulk handover re-sync (spec 3.4): one `pom-handover-dates.internal.bulk-update` message
//! per person with a single custodial sentence in prison, sent to the service's own queue, so
//! every case's handover dates are re-read from Manage POM Cases by the normal handler (3.1).

use anyhow::Context as _;
use diesel_async::AsyncPgConnection;
use messaging::{HmppsDomainEvent, Notification, Queue};
use url::Url;

use crate::handler::BULK_HANDOVER_UPDATE;
use crate::handover::fetch::handover_url;
use crate::handover::single_custody::{noms_with_single_custody, Scope};

/// NOMS numbers with exactly one live custody in prison (a prisoner number, custodial status not
/// `P`) on an active event and disposal. Stricter than SENTENCE_CHANGED's lookup (rule 9).
pub async fn candidates(conn: &mut AsyncPgConnection) -> diesel::QueryResult<Vec<String>> {
    noms_with_single_custody(conn, Scope::BulkCandidates).await
}

/// The bulk-update message for one person, as the SNS notification the consumer parses.
pub fn bulk_update_message(
    manage_pom_cases: &Url,
    noms: &str,
    dry_run: bool,
) -> anyhow::Result<Notification> {
    let mut event = HmppsDomainEvent::new(BULK_HANDOVER_UPDATE)
        .with_info("dryRun", dry_run)
        .with_identifier("NOMS", noms);
    event.detail_url = Some(handover_url(manage_pom_cases, noms)?.to_string());
    Ok(Notification::for_event(BULK_HANDOVER_UPDATE, &event)?)
}

/// Sends one bulk-update message per candidate to `queue` and returns how many were sent.
pub async fn publish_bulk_update(
    conn: &mut AsyncPgConnection,
    queue: &dyn Queue,
    manage_pom_cases: &Url,
    dry_run: bool,
) -> anyhow::Result<usize> {
    let candidates = candidates(conn)
        .await
        .context("reading the bulk handover candidates")?;
    for (sent, noms) in candidates.iter().enumerate() {
        let message = bulk_update_message(manage_pom_cases, noms, dry_run)?;
        queue.send(&message.to_envelope()).await.with_context(|| {
            format!("sending the bulk handover update for {noms} ({sent} sent before it)")
        })?;
    }
    Ok(candidates.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn spec_3_4_bulk_message_is_a_versioned_domain_event_with_dry_run() {
        let base = Url::parse("https://moic.example/base").unwrap();
        let message = bulk_update_message(&base, "A1234BC", true).unwrap();
        assert_eq!(message.event_type(), Some(BULK_HANDOVER_UPDATE));
        let body: serde_json::Value = message.payload().unwrap();
        assert_eq!(body["eventType"], BULK_HANDOVER_UPDATE);
        assert_eq!(body["version"], 1);
        assert_eq!(
            body["detailUrl"],
            "https://moic.example/base/api/handovers/A1234BC"
        );
        assert_eq!(body["additionalInformation"], json!({"dryRun": true}));
        assert_eq!(
            body["personReference"],
            json!({"identifiers": [{"type": "NOMS", "value": "A1234BC"}]})
        );
        let parsed = Notification::parse(&message.to_envelope()).unwrap();
        assert_eq!(parsed.message, message.message);
        assert_eq!(parsed.event_type(), Some(BULK_HANDOVER_UPDATE));
    }
}
