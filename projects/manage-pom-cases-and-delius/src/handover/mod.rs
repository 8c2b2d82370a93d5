//! Handover key dates (spec 3.1, 3.5): Manage POM Cases' handover date (POM2) and handover start
//! date (POM1) merged into the KEY_DATE rows of the person's single active custodial sentence.
//!
//! - [`fetch`] reads the dates from Manage POM Cases;
//! - [`merge`] decides, per date, what to write and which result wins;
//! - [`key_dates`] finds the custody and writes the rows;
//! - [`sentence_changed`] maps a legacy SENTENCE_CHANGED event onto the same flow;
//! - [`single_custody`] finds the people with one custodial sentence (SENTENCE_CHANGED, bulk);
//! - [`telemetry`] names the outcomes and formats their properties.

pub mod fetch;
pub mod key_dates;
pub mod merge;
pub mod sentence_changed;
pub mod single_custody;
pub mod telemetry;

use anyhow::Context as _;
use messaging::{HmppsDomainEvent, Outcome};

use crate::context::Context;
use crate::telemetry::{NOT_PROVIDED, PERSON_NOT_FOUND};
use fetch::{Fetched, HandoverDates};
use telemetry::{
    handover_properties, no_handover_data, MULTIPLE_ACTIVE_CUSTODIAL_SENTENCES,
    NO_ACTIVE_CUSTODIAL_SENTENCE,
};

pub use sentence_changed::sentence_changed;

/// `offender-management.handover.changed` and `pom-handover-dates.internal.bulk-update`: a 404
/// from Manage POM Cases fails the message so it is retried (rule 8).
pub async fn handover_changed(
    context: &Context,
    event: &HmppsDomainEvent,
    dry_run: bool,
) -> anyhow::Result<Outcome> {
    let noms = event.noms_number();
    let Some(detail_url) = event.detail_url.as_deref() else {
        return Ok(no_handover_data(noms, None));
    };
    match fetch::handover_dates(context, detail_url).await? {
        Fetched::Dates(dates) => merge_dates(context, noms, &dates, dry_run).await,
        Fetched::NoData => Ok(no_handover_data(noms, Some(detail_url))),
        Fetched::NotFound => anyhow::bail!(
            "Manage POM Cases returned 404 Not Found for {detail_url}; the message is retried"
        ),
    }
}

/// Steps 3-8: the person by the response's NOMS number, their single active custody, the merge.
/// `event_noms` is only used for the custody outcomes, as in the reference implementation.
async fn merge_dates(
    context: &Context,
    event_noms: Option<&str>,
    dates: &HandoverDates,
    dry_run: bool,
) -> anyhow::Result<Outcome> {
    let properties = handover_properties(
        &dates.noms_number,
        dates.handover_date,
        dates.handover_start_date,
    );
    let mut conn = context.pool.get().await?;
    let people = delius_data::lookups::people_by_noms(&mut conn, &dates.noms_number).await?;
    let person = match people.as_slice() {
        [] => return Ok(Outcome::ignored(PERSON_NOT_FOUND).with_all(&properties)),
        [person] => person,
        _ => anyhow::bail!(
            "{} people have NOMS number {}: the record needs merging in Delius",
            people.len(),
            dates.noms_number
        ),
    };
    let custodies = key_dates::active_custodies(&mut conn, person.id).await?;
    let custody_id = match custodies.as_slice() {
        [custody_id] => *custody_id,
        [] => return Ok(custody_outcome(NO_ACTIVE_CUSTODIAL_SENTENCE, event_noms)),
        _ => {
            return Ok(custody_outcome(
                MULTIPLE_ACTIVE_CUSTODIAL_SENTENCES,
                event_noms,
            ))
        }
    };
    let result = key_dates::merge_handover_dates(
        &mut conn,
        custody_id,
        dates.handover_date,
        dates.handover_start_date,
        dry_run,
        context.user_id,
    )
    .await
    .with_context(|| format!("merging the handover dates of {}", dates.noms_number))?;
    Ok(Outcome::processed(result.name()).with_all(&properties))
}

fn custody_outcome(reason: &str, event_noms: Option<&str>) -> Outcome {
    Outcome::ignored(reason).with("nomsId", event_noms.unwrap_or(NOT_PROVIDED))
}
