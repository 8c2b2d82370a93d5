//! Which prison records probation wants, and which it must not see.

use serde::Serialize;

/// Case-note types of interest: an exact match on the type; an empty sub-type list means any
/// sub-type (e.g. `KA` covers `KA KE`, `KA KS`). The same table builds the migration's search.
pub const TYPES_OF_INTEREST: [(&str, &[&str]); 8] = [
    ("PRISON", &["RELEASE"]),
    ("TRANSFER", &["FROMTOL"]),
    ("GEN", &["OSE"]),
    ("RESET", &["BCST"]),
    ("ALERT", &[]),
    ("OMIC", &[]),
    ("OMIC_OPD", &[]),
    ("KA", &[]),
];

/// Whether a `person.case-note.*` event's `type`/`subType` attributes are of interest.
pub fn is_of_interest(note_type: &str, sub_type: &str) -> bool {
    TYPES_OF_INTEREST
        .iter()
        .any(|(t, subs)| *t == note_type && (subs.is_empty() || subs.contains(&sub_type)))
}

/// Legacy prison offender event types (`eventType` attribute) the product brief names: the exact
/// types, and every type starting with `OMIC`, `OMIC_OPD` or `KA`.
pub fn is_prison_offender_event(event_type: &str) -> bool {
    const EXACT: [&str; 5] = [
        "PRISON-RELEASE",
        "TRANSFER-FROMTOL",
        "GEN-OSE",
        "ALERT-ACTIVE",
        "ALERT-INACTIVE",
    ];
    const PREFIXES: [&str; 3] = ["OMIC", "OMIC_OPD", "KA"];
    EXACT.contains(&event_type) || PREFIXES.iter().any(|p| event_type.starts_with(p))
}

/// `{"type": ..., "subTypes": [...]}` of the migration's case-note search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeSubTypes {
    #[serde(rename = "type")]
    pub note_type: &'static str,
    #[serde(rename = "subTypes")]
    pub sub_types: Vec<&'static str>,
}

pub fn search_type_sub_types() -> Vec<TypeSubTypes> {
    TYPES_OF_INTEREST
        .iter()
        .map(|(t, subs)| TypeSubTypes {
            note_type: t,
            sub_types: subs.to_vec(),
        })
        .collect()
}

/// Ignore reasons for a fetched case note (`CaseNoteIgnored.reason`), in the order they are
/// checked; the first match wins.
pub fn case_note_ignore_reason(text: &str, location_id: Option<&str>) -> Option<&'static str> {
    if text.trim().is_empty() {
        Some("case note text is empty")
    } else if location_id == Some("TRN") {
        Some("Prisoner being transferred")
    } else if location_id == Some("ZZGHI") {
        Some("Institution used for test purposes")
    } else if text.contains("Do not share with offender and OCG Nominal") {
        Some("Filtered due to data sharing restrictions")
    } else {
        None
    }
}

/// The Alerts API code of "Security alert – OCG Nominal – Do not share" (literal unconfirmed;
/// see the README). These alerts never reach Delius.
pub const OCG_NOMINAL_ALERT_CODE: &str = "DOCGM";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_of_interest_match_type_exactly_and_sub_types_when_listed() {
        assert!(is_of_interest("PRISON", "RELEASE"));
        assert!(!is_of_interest("PRISON", "OTHER"));
        assert!(is_of_interest("TRANSFER", "FROMTOL"));
        assert!(is_of_interest("GEN", "OSE"));
        assert!(is_of_interest("RESET", "BCST"));
        assert!(!is_of_interest("RESET", "GUIDINT"));
        assert!(is_of_interest("ALERT", "ANYTHING"));
        assert!(is_of_interest("KA", "KE"));
        assert!(is_of_interest("OMIC", "X"));
        assert!(is_of_interest("OMIC_OPD", "X"));
        assert!(!is_of_interest("KAX", "KE"));
        assert!(!is_of_interest("NEG", "IEP_WARN"));
        assert!(!is_of_interest("NOTOF", "INTEREST"));
    }

    #[test]
    fn legacy_event_types_match_exactly_or_by_prefix() {
        for t in [
            "PRISON-RELEASE",
            "TRANSFER-FROMTOL",
            "GEN-OSE",
            "ALERT-ACTIVE",
            "ALERT-INACTIVE",
            "KA-KE",
            "KA-KS",
            "OMIC-OPEN",
            "OMIC_OPD-X",
        ] {
            assert!(is_prison_offender_event(t), "{t}");
        }
        for t in [
            "NEG-IEP_WARN",
            "GEN-OTHER",
            "PRISON-RELEASED",
            "person.case-note.created",
            "prison.case-note.published",
        ] {
            assert!(!is_prison_offender_event(t), "{t}");
        }
    }

    #[test]
    fn search_body_lists_every_type_of_interest() {
        let json = serde_json::to_value(search_type_sub_types()).unwrap();
        assert_eq!(
            json,
            serde_json::json!([
                {"type":"PRISON","subTypes":["RELEASE"]}, {"type":"TRANSFER","subTypes":["FROMTOL"]},
                {"type":"GEN","subTypes":["OSE"]}, {"type":"RESET","subTypes":["BCST"]},
                {"type":"ALERT","subTypes":[]}, {"type":"OMIC","subTypes":[]},
                {"type":"OMIC_OPD","subTypes":[]}, {"type":"KA","subTypes":[]}
            ])
        );
    }

    #[test]
    fn ignore_reasons_in_order() {
        assert_eq!(
            case_note_ignore_reason(" \n ", Some("TRN")),
            Some("case note text is empty")
        );
        assert_eq!(
            case_note_ignore_reason("x", Some("TRN")),
            Some("Prisoner being transferred")
        );
        assert_eq!(
            case_note_ignore_reason("x", Some("ZZGHI")),
            Some("Institution used for test purposes")
        );
        assert_eq!(
            case_note_ignore_reason(
                "Alert Security. Do not share with offender and OCG Nominal - Do not share made active.",
                Some("LEI")
            ),
            Some("Filtered due to data sharing restrictions")
        );
        assert_eq!(
            case_note_ignore_reason(
                "Alert Security. Do not share with offender and OCG Nominal - Do not share made inactive.",
                None
            ),
            Some("Filtered due to data sharing restrictions")
        );
        assert_eq!(case_note_ignore_reason("x", None), None);
        assert_eq!(case_note_ignore_reason("x", Some("LEI")), None);
    }
}
