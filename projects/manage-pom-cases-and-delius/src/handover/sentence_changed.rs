//! `SENTENCE_CHANGED` (spec 3.5): re-read the handover dates of a CRN with exactly one active
//! custodial sentence. Here a 404 from Manage POM Cases is ignored, not retried (rule 8).

use messaging::Outcome;

use super::fetch::{self, handover_url, Fetched};
use super::single_custody::{noms_with_single_custody, Scope};
use super::telemetry::{
    no_handover_data, NO_SINGLE_CUSTODIAL_SENTENCE_FOR_CRN, SENTENCE_CHANGED_NOT_FOUND,
};
use crate::context::Context;

pub async fn sentence_changed(context: &Context, crn: &str) -> anyhow::Result<Outcome> {
    let noms = {
        let mut conn = context.pool.get().await?;
        noms_with_single_custody(&mut conn, Scope::Crn(crn))
            .await?
            .into_iter()
            .next()
    };
    // The reference implementation silently does nothing here; an explicit reason keeps the
    // "every message has an outcome" rule and says why nothing happened.
    let Some(noms) = noms else {
        return Ok(Outcome::ignored(NO_SINGLE_CUSTODIAL_SENTENCE_FOR_CRN).with("crn", crn));
    };
    let detail_url = handover_url(&context.mpc_base, &noms)?;
    let detail_url = detail_url.as_str();
    match fetch::handover_dates(context, detail_url).await? {
        Fetched::Dates(dates) => super::merge_dates(context, Some(&noms), &dates, false).await,
        Fetched::NoData => Ok(no_handover_data(Some(&noms), Some(detail_url))),
        Fetched::NotFound => {
            Ok(Outcome::ignored(SENTENCE_CHANGED_NOT_FOUND).with("detailUrl", detail_url))
        }
    }
}
