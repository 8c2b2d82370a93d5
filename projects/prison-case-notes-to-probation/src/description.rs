//! `CONTACT.DESCRIPTION`, set when a contact is created and never changed afterwards.

use crate::model::DeliusCaseNote;

/// The default contact type for NOMIS case-note types without a mapping.
pub const DEFAULT_CONTACT_TYPE: &str = "NOMISD";
/// `CONTACT.DESCRIPTION` is `VARCHAR2(200)`; Oracle counts bytes.
pub const MAX_DESCRIPTION_BYTES: usize = 200;

/// Resettlement-passport pathways: the keyword in "Case note summary from <keyword> ..." and
/// the text Delius users see.
const PATHWAYS: [(&str, &str); 7] = [
    ("accommodation", "Accommodation"),
    ("attitudes", "Attitudes, thinking and behaviour"),
    ("children", "Children, families and community"),
    ("drugs", "Drugs and alcohol"),
    ("education", "Education, skills and work"),
    ("finance", "Finance and ID"),
    ("health", "Health"),
];

/// The description of a new contact whose type resolved to `contact_type_code`:
/// - alerts: `NOMIS {alert sentence}`;
/// - resettlement passport (`RESET BCST`): `BCST case note for {pathway}` when the text names one;
/// - the default NOMISD type: `NOMIS Case Note - {type} - {subType}`;
/// - otherwise none (the mapped contact type says it all).
///
/// Every description is cut to fit 200 bytes.
pub fn description(case_note: &DeliusCaseNote, contact_type_code: &str) -> Option<String> {
    let body = &case_note.body;
    let text = if case_note.is_alert_type() {
        Some(format!("NOMIS {}", body.alert_description))
    } else if body.note_type == "RESET" && body.sub_type == "BCST" {
        pathway(&body.content).map(|p| format!("BCST case note for {p}"))
    } else if contact_type_code == DEFAULT_CONTACT_TYPE {
        Some(format!(
            "NOMIS Case Note - {} - {}",
            body.note_type, body.sub_type
        ))
    } else {
        None
    };
    text.map(truncate_to_column)
}

/// The pathway named by the first word after "Case note summary from" (compared ignoring case).
pub fn pathway(content: &str) -> Option<&'static str> {
    const MARKER: &str = "case note summary from";
    // ASCII lower-casing keeps byte offsets, so positions found in it index `content` too.
    let lower = content.to_ascii_lowercase();
    let start = lower.find(MARKER)? + MARKER.len();
    let rest = lower[start..].trim_start();
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    PATHWAYS
        .iter()
        .find(|(keyword, _)| *keyword == word)
        .map(|(_, text)| *text)
}

/// Over 200 UTF-8 bytes: keep characters while the running byte count stays below 199, then add
/// `" ~"` to show it was cut (as Delius does), so the result is at most 200 bytes.
pub fn truncate_to_column(text: String) -> String {
    if text.len() <= MAX_DESCRIPTION_BYTES {
        return text;
    }
    let mut kept = String::with_capacity(MAX_DESCRIPTION_BYTES);
    for c in text.chars() {
        if kept.len() + c.len_utf8() >= MAX_DESCRIPTION_BYTES - 1 {
            break;
        }
        kept.push(c);
    }
    kept.push_str(" ~");
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CaseNoteBody, CaseNoteHeader, CaseNoteKind, StaffName};
    use chrono::NaiveDateTime;

    fn case_note(note_type: &str, sub_type: &str, content: &str, alert: &str) -> DeliusCaseNote {
        let t = NaiveDateTime::parse_from_str("2022-07-20 12:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
        DeliusCaseNote {
            header: CaseNoteHeader {
                noms_number: "AA0001A".into(),
                legacy_id: None,
                uuid: None,
                kind: CaseNoteKind::CaseNote,
            },
            body: CaseNoteBody {
                note_type: note_type.into(),
                sub_type: sub_type.into(),
                content: content.into(),
                contact_time: t,
                system_time: t,
                staff_name: StaffName::new("A", "B"),
                establishment_code: "LEI".into(),
                alert_description: alert.into(),
            },
        }
    }

    #[test]
    fn unmapped_types_describe_the_nomis_type() {
        assert_eq!(
            description(&case_note("GEN", "OSE", "x", ""), "NOMISD").as_deref(),
            Some("NOMIS Case Note - GEN - OSE")
        );
    }

    #[test]
    fn mapped_types_have_no_description() {
        assert_eq!(
            description(&case_note("NEG", "IEP_WARN", "x", ""), "CNT1"),
            None
        );
    }

    #[test]
    fn alerts_describe_the_alert_whatever_the_type() {
        let alert = case_note("ALERT", "ACTIVE", "x", "Alert AT and AST made active.");
        assert_eq!(
            description(&alert, "CNT2").as_deref(),
            Some("NOMIS Alert AT and AST made active.")
        );
        assert_eq!(
            description(&alert, "NOMISD").as_deref(),
            Some("NOMIS Alert AT and AST made active.")
        );
    }

    #[test]
    fn long_alert_descriptions_are_cut_to_200_bytes_with_a_tilde() {
        let alert = case_note("ALERT", "INACTIVE", "x", &"X".repeat(200));
        let d = description(&alert, "NOMISD").unwrap();
        assert_eq!(d.chars().count(), 200);
        assert!(d.starts_with("NOMIS XXX"));
        assert!(d.ends_with("XXX ~"));
    }

    #[test]
    fn truncation_counts_bytes_not_characters() {
        // 'é' is 2 bytes: 150 of them are 300 bytes.
        let cut = truncate_to_column("é".repeat(150));
        assert!(cut.len() <= MAX_DESCRIPTION_BYTES);
        assert!(cut.ends_with(" ~"));
        assert_eq!(cut.chars().filter(|c| *c == 'é').count(), 99);
        // Exactly 200 bytes is left alone.
        assert_eq!(truncate_to_column("a".repeat(200)), "a".repeat(200));
    }

    #[test]
    fn resettlement_passport_pathways() {
        let cases = [
            (
                "Case note summary from Accommodation BCST2 report",
                "Accommodation",
            ),
            (
                "Case note summary from Attitudes, thinking and behaviour BCST2 report",
                "Attitudes, thinking and behaviour",
            ),
            (
                "Case note summary from Children, families and communities BCST2 report",
                "Children, families and community",
            ),
            (
                "Case note summary from Drugs and alcohol Pre-release report",
                "Drugs and alcohol",
            ),
            (
                "Case note summary from Education, skills and work BCST2 report",
                "Education, skills and work",
            ),
            (
                "Case note summary from Finance and ID BCST2 report",
                "Finance and ID",
            ),
            ("Case note summary from Health BCST2 report", "Health"),
        ];
        for (text, expected) in cases {
            assert_eq!(pathway(text), Some(expected), "{text}");
            assert_eq!(
                description(
                    &case_note("RESET", "BCST", &format!("Intro\n{text}\nmore"), ""),
                    "RESETBCST"
                ),
                Some(format!("BCST case note for {expected}"))
            );
        }
        assert_eq!(pathway("case note summary from HEALTH"), Some("Health"));
    }

    #[test]
    fn resettlement_passport_without_a_pathway_has_no_description() {
        assert_eq!(
            description(&case_note("RESET", "BCST", "note content", ""), "RESETBCST"),
            None
        );
        assert_eq!(pathway("Case note summary from Housing report"), None);
        // Even when it fell back to the default type, a BCST note is described by its pathway only.
        assert_eq!(
            description(&case_note("RESET", "BCST", "note content", ""), "NOMISD"),
            None
        );
    }
}
