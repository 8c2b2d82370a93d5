//! The internal model every input is mapped to before it is merged into Delius (the reference's
//! `DeliusCaseNote`): a case note, or one state (active or inactive) of a prisoner alert.

use chrono::NaiveDateTime;
use uuid::Uuid;

/// What the contact records. Active and inactive alerts are separate contacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseNoteKind {
    CaseNote,
    ActiveAlert,
    InactiveAlert,
}

/// Who the record is about and how Delius finds it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseNoteHeader {
    /// The NOMS number the contact belongs to (upper case).
    pub noms_number: String,
    /// The NOMIS case-note id (`CONTACT.NOMIS_CASE_NOTE_ID`), for contacts written before URNs.
    pub legacy_id: Option<i64>,
    /// The DPS case-note id or alert uuid. `None` only for a legacy case note fetched by its NOMIS id
    /// that came back without a UUID: such a contact is found and keyed by `legacy_id`.
    pub uuid: Option<Uuid>,
    pub kind: CaseNoteKind,
}

impl CaseNoteHeader {
    /// `CONTACT.EXTERNAL_REFERENCE`.
    pub fn urn(&self) -> Option<String> {
        let uuid = self.uuid?;
        Some(match self.kind {
            CaseNoteKind::CaseNote => format!("urn:uk:gov:hmpps:prison-case-note:{uuid}"),
            CaseNoteKind::ActiveAlert => format!("urn:uk:gov:hmpps:prisoner-alert:active:{uuid}"),
            CaseNoteKind::InactiveAlert => {
                format!("urn:uk:gov:hmpps:prisoner-alert:inactive:{uuid}")
            }
        })
    }

    /// How the record is named in audit rows and logs: the uuid, else the NOMIS id.
    pub fn reference(&self) -> String {
        match (self.uuid, self.legacy_id) {
            (Some(uuid), _) => uuid.to_string(),
            (None, Some(id)) => id.to_string(),
            (None, None) => String::new(),
        }
    }
}

/// A staff member's name as it is matched against `STAFF.FORENAME`/`SURNAME`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffName {
    pub forename: String,
    pub surname: String,
}

/// `STAFF.FORENAME` and `SURNAME` are `varchar(35)`: a longer name is cut so the staff row can
/// be written (and found again by the same cut name).
pub const STAFF_NAME_MAX_CHARS: usize = 35;

impl StaffName {
    pub fn new(forename: &str, surname: &str) -> Self {
        Self {
            forename: forename.chars().take(STAFF_NAME_MAX_CHARS).collect(),
            surname: surname.chars().take(STAFF_NAME_MAX_CHARS).collect(),
        }
    }

    /// Case notes: the first and last whitespace-separated words ("Bob J Smith" is Bob Smith); a
    /// single word is both forename and surname. `None` for a blank name.
    pub fn from_author_name(author: &str) -> Option<Self> {
        let mut words = author.split_whitespace();
        let first = words.next()?;
        let last = words.last().unwrap_or(first);
        Some(Self::new(first, last))
    }

    /// Alerts: everything before the last space is the forename, the rest the surname
    /// ("Mary Ann Jones" is "Mary Ann" Jones); without a space both are the whole name.
    pub fn from_display_name(display: &str) -> Option<Self> {
        let display = display.trim();
        if display.is_empty() {
            return None;
        }
        Some(match display.rsplit_once(' ') {
            Some((forename, surname)) => Self::new(forename.trim(), surname.trim()),
            None => Self::new(display, display),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseNoteBody {
    /// NOMIS case-note type and sub-type (`ALERT` / `ACTIVE` or `INACTIVE` for alerts).
    pub note_type: String,
    pub sub_type: String,
    /// The text, with amendments appended.
    pub content: String,
    /// `CONTACT_DATE` + `CONTACT_START_TIME`: Europe/London wall clock, whole seconds.
    pub contact_time: NaiveDateTime,
    /// When the upstream record last changed: `CREATED/LAST_UPDATED_DATETIME` and the ordering
    /// check. Europe/London wall clock, whole seconds.
    pub system_time: NaiveDateTime,
    pub staff_name: StaffName,
    /// NOMIS prison code; `UNK` when the case note has none.
    pub establishment_code: String,
    /// The alert sentence (`Alert ... made active.`), or the first line of a legacy ALERT case
    /// note; empty otherwise.
    pub alert_description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliusCaseNote {
    pub header: CaseNoteHeader,
    pub body: CaseNoteBody,
}

/// The establishment code used when a case note has none.
pub const UNKNOWN_ESTABLISHMENT: &str = "UNK";

impl DeliusCaseNote {
    /// The `R_CONTACT_TYPE_NOMIS_TYPE` / `R_NOMIS_TYPE_NSI_TYPE` key: `"{type} {subType}"`.
    pub fn type_key(&self) -> String {
        format!("{} {}", self.body.note_type, self.body.sub_type)
    }

    /// `ALERT ACTIVE` or `ALERT INACTIVE`, from the Alerts API or a legacy NOMIS alert case note.
    pub fn is_alert_type(&self) -> bool {
        self.body.note_type == "ALERT"
            && (self.body.sub_type == "ACTIVE" || self.body.sub_type == "INACTIVE")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(kind: CaseNoteKind) -> CaseNoteHeader {
        CaseNoteHeader {
            noms_number: "AA0001A".into(),
            legacy_id: Some(1),
            uuid: Some(Uuid::parse_str("01954cfe-9f5a-7ea3-837b-a1770b389c5b").unwrap()),
            kind,
        }
    }

    #[test]
    fn urns_name_the_case_note_or_alert_state() {
        assert_eq!(
            header(CaseNoteKind::CaseNote).urn().unwrap(),
            "urn:uk:gov:hmpps:prison-case-note:01954cfe-9f5a-7ea3-837b-a1770b389c5b"
        );
        assert_eq!(
            header(CaseNoteKind::ActiveAlert).urn().unwrap(),
            "urn:uk:gov:hmpps:prisoner-alert:active:01954cfe-9f5a-7ea3-837b-a1770b389c5b"
        );
        assert_eq!(
            header(CaseNoteKind::InactiveAlert).urn().unwrap(),
            "urn:uk:gov:hmpps:prisoner-alert:inactive:01954cfe-9f5a-7ea3-837b-a1770b389c5b"
        );
        let legacy = CaseNoteHeader {
            uuid: None,
            ..header(CaseNoteKind::CaseNote)
        };
        assert_eq!(legacy.urn(), None);
        assert_eq!(legacy.reference(), "1");
    }

    #[test]
    fn case_note_author_names_use_the_first_and_last_words() {
        let name = StaffName::from_author_name("  Bob   James Smith ").unwrap();
        assert_eq!(
            (name.forename.as_str(), name.surname.as_str()),
            ("Bob", "Smith")
        );
        let single = StaffName::from_author_name("Prince").unwrap();
        assert_eq!(
            (single.forename.as_str(), single.surname.as_str()),
            ("Prince", "Prince")
        );
        // The current rule does not read the old "Surname,Forename" form.
        let comma = StaffName::from_author_name("Smith,Bob").unwrap();
        assert_eq!(comma.forename, "Smith,Bob");
        assert_eq!(StaffName::from_author_name("   "), None);
    }

    #[test]
    fn alert_display_names_split_at_the_last_space() {
        let name = StaffName::from_display_name("Mary Ann Jones").unwrap();
        assert_eq!(
            (name.forename.as_str(), name.surname.as_str()),
            ("Mary Ann", "Jones")
        );
        let name = StaffName::from_display_name("John Smith").unwrap();
        assert_eq!(
            (name.forename.as_str(), name.surname.as_str()),
            ("John", "Smith")
        );
        let single = StaffName::from_display_name("Admin").unwrap();
        assert_eq!(
            (single.forename.as_str(), single.surname.as_str()),
            ("Admin", "Admin")
        );
        assert_eq!(StaffName::from_display_name(""), None);
    }

    #[test]
    fn long_names_are_cut_to_the_staff_columns() {
        let long = "A".repeat(50);
        let name = StaffName::from_author_name(&format!("{long} Smith")).unwrap();
        assert_eq!(name.forename.chars().count(), STAFF_NAME_MAX_CHARS);
    }
}
