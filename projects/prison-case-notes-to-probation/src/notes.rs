//! `CONTACT.NOTES`: the text practitioners read in the contact log. Never truncated, and never
//! shorter after an update than before.

use crate::model::{CaseNoteBody, UNKNOWN_ESTABLISHMENT};

/// Added when the prison is unknown, so practitioners know where to look instead.
pub const UNKNOWN_ESTABLISHMENT_SENTENCE: &str = "Establishment details were not available when this contact was created. Please refer to throughcare history for location details if required.";

/// `TYPE SUBTYPE`, the unknown-establishment sentence when the prison is `UNK`, the alert
/// sentence when there is one, then the content, each on its own line.
pub fn notes(body: &CaseNoteBody) -> String {
    let mut notes = format!("{} {}", body.note_type, body.sub_type);
    if body.establishment_code == UNKNOWN_ESTABLISHMENT {
        notes.push('\n');
        notes.push_str(UNKNOWN_ESTABLISHMENT_SENTENCE);
    }
    if !body.alert_description.trim().is_empty() {
        notes.push('\n');
        notes.push_str(&body.alert_description);
    }
    notes.push('\n');
    notes.push_str(&body.content);
    notes
}

/// New notes for an existing contact, right-padded with spaces to the length of the stored
/// notes: Delius users must never see a case note lose text (a shorter NOMIS text is padded,
/// not cut). Lengths are counted in characters.
pub fn padded_to(new_notes: String, existing: Option<&str>) -> String {
    let existing_len = existing.map_or(0, |e| e.chars().count());
    let new_len = new_notes.chars().count();
    if new_len >= existing_len {
        return new_notes;
    }
    let mut padded = new_notes;
    padded.extend(std::iter::repeat_n(' ', existing_len - new_len));
    padded
}

/// One amendment block appended to the case-note text:
/// `\n[{author} updated the case notes on {yyyy/MM/dd HH:mm:ss}]\n{text}`. An amendment without a
/// time (not expected from the API) keeps its text and leaves the time out.
pub fn amendment(author: &str, when: Option<&str>, text: &str) -> String {
    match when {
        Some(when) => format!("\n[{author} updated the case notes on {when}]\n{text}"),
        None => format!("\n[{author} updated the case notes]\n{text}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StaffName;
    use chrono::NaiveDateTime;

    fn body(
        note_type: &str,
        sub_type: &str,
        establishment: &str,
        alert: &str,
        content: &str,
    ) -> CaseNoteBody {
        let t = NaiveDateTime::parse_from_str("2022-07-20 12:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
        CaseNoteBody {
            note_type: note_type.into(),
            sub_type: sub_type.into(),
            content: content.into(),
            contact_time: t,
            system_time: t,
            staff_name: StaffName::new("A", "B"),
            establishment_code: establishment.into(),
            alert_description: alert.into(),
        }
    }

    #[test]
    fn case_note_notes_are_the_type_then_the_content() {
        assert_eq!(
            notes(&body("NEG", "IEP_WARN", "LEI", "", "note content")),
            "NEG IEP_WARN\nnote content"
        );
    }

    #[test]
    fn amendments_follow_the_text_in_the_delius_format() {
        let content = format!(
            "This is an existing case note{}",
            amendment(
                "Mickey Mouse",
                Some("2022/07/20 12:25:20"),
                "Some Additional Text"
            )
        );
        assert_eq!(
            notes(&body("NEG", "IEP_WARN", "LEI", "", &content)),
            "NEG IEP_WARN\nThis is an existing case note\n[Mickey Mouse updated the case notes on 2022/07/20 12:25:20]\nSome Additional Text"
        );
        assert_eq!(
            amendment("A B", None, "x"),
            "\n[A B updated the case notes]\nx"
        );
    }

    #[test]
    fn alert_notes_carry_the_alert_sentence() {
        assert_eq!(
            notes(&body(
                "ALERT",
                "ACTIVE",
                "LEI",
                "Alert Description of AT and Description of AST made active.",
                "User entered some text about the alert"
            )),
            "ALERT ACTIVE\nAlert Description of AT and Description of AST made active.\nUser entered some text about the alert"
        );
    }

    #[test]
    fn an_unknown_establishment_is_explained_before_the_content() {
        assert_eq!(
            notes(&body("GEN", "OSE", "UNK", "  ", "text")),
            format!("GEN OSE\n{UNKNOWN_ESTABLISHMENT_SENTENCE}\ntext")
        );
    }

    #[test]
    fn shorter_notes_are_padded_to_the_previous_length() {
        let previous = "NEG IEP_WARN\na much longer piece of text";
        let padded = padded_to("NEG IEP_WARN\nshort".into(), Some(previous));
        assert_eq!(padded.chars().count(), previous.chars().count());
        assert!(padded.starts_with("NEG IEP_WARN\nshort "));
        assert_eq!(padded.trim_end(), "NEG IEP_WARN\nshort");
        // Longer or first notes are left as they are; lengths count characters, not bytes.
        assert_eq!(padded_to("abc".into(), Some("ab")), "abc");
        assert_eq!(padded_to("abc".into(), None), "abc");
        assert_eq!(padded_to("é".into(), Some("éé")), "é ");
    }
}
