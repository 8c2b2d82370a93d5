//! Handover telemetry (spec 3.1 step 8, 3.8): event names and how their properties are written.

use chrono::NaiveDate;
use messaging::{Outcome, Properties};

use crate::telemetry::NOT_PROVIDED;

pub const NO_HANDOVER_DATA: &str = "No handover data available";
pub const NO_ACTIVE_CUSTODIAL_SENTENCE: &str = "NoActiveCustodialSentence";
pub const MULTIPLE_ACTIVE_CUSTODIAL_SENTENCES: &str = "MultipleActiveCustodialSentences";
pub const SENTENCE_CHANGED_NOT_FOUND: &str =
    "Handovers api returned not found for sentence changed event";
/// Our own reason for a SENTENCE_CHANGED whose CRN has no single custodial sentence: the
/// reference implementation records nothing, but every message here ends in an outcome.
pub const NO_SINGLE_CUSTODIAL_SENTENCE_FOR_CRN: &str = "NoSingleCustodialSentenceForCrn";

/// `yyyy-MM-dd`, or the literal `"null"` the reference implementation writes for a missing date.
pub fn date_property(date: Option<NaiveDate>) -> String {
    date.map_or_else(|| "null".to_owned(), |d| d.format("%Y-%m-%d").to_string())
}

/// `{nomsId, handoverDate, handoverStartDate}`: all three keys, always.
pub fn handover_properties(
    noms_id: &str,
    handover_date: Option<NaiveDate>,
    handover_start_date: Option<NaiveDate>,
) -> Properties {
    Properties::from([
        ("nomsId".to_owned(), noms_id.to_owned()),
        ("handoverDate".to_owned(), date_property(handover_date)),
        (
            "handoverStartDate".to_owned(),
            date_property(handover_start_date),
        ),
    ])
}

/// `No handover data available` with the event's NOMS number and detailUrl, or "Not Provided".
pub fn no_handover_data(noms_id: Option<&str>, detail_url: Option<&str>) -> Outcome {
    Outcome::ignored(NO_HANDOVER_DATA)
        .with("nomsId", noms_id.unwrap_or(NOT_PROVIDED))
        .with("detailUrl", detail_url.unwrap_or(NOT_PROVIDED))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_10_absent_handover_dates_are_written_as_the_string_null() {
        let date = NaiveDate::from_ymd_opt(2023, 5, 9);
        assert_eq!(
            handover_properties("A1024BY", date, None),
            Properties::from([
                ("nomsId".to_owned(), "A1024BY".to_owned()),
                ("handoverDate".to_owned(), "2023-05-09".to_owned()),
                ("handoverStartDate".to_owned(), "null".to_owned()),
            ])
        );
    }

    #[test]
    fn spec_3_1_missing_noms_and_detail_url_are_not_provided() {
        let outcome = no_handover_data(None, None);
        assert!(outcome.is_ignored());
        assert_eq!(outcome.name(), NO_HANDOVER_DATA);
        assert_eq!(outcome.properties()["nomsId"], "Not Provided");
        assert_eq!(outcome.properties()["detailUrl"], "Not Provided");
    }
}
