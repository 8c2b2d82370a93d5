//! A case note from the Offender Case Notes API (`PrisonCaseNote`) and how it maps to the internal
//! model.

use anyhow::Context;
use chrono::{DateTime, FixedOffset, NaiveDateTime};
use delius_data::time::from_london;
use messaging::Properties;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use uuid::Uuid;

use crate::dates::{self, date_time, london, optional_date_time};
use crate::filters;
use crate::model::{
    CaseNoteBody, CaseNoteHeader, CaseNoteKind, DeliusCaseNote, StaffName, UNKNOWN_ESTABLISHMENT,
};
use crate::notes;

/// A case-note id as the API sends it: a DPS UUID, or (from the legacy API) the NOMIS number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseNoteId {
    Uuid(Uuid),
    Nomis(i64),
}

impl std::fmt::Display for CaseNoteId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Uuid(u) => write!(f, "{u}"),
            Self::Nomis(n) => write!(f, "{n}"),
        }
    }
}

fn optional_case_note_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<CaseNoteId>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(|n| Some(CaseNoteId::Nomis(n)))
            .ok_or_else(|| serde::de::Error::custom(format!("case note id {n} is not an integer"))),
        Some(Value::String(s)) => {
            if let Ok(uuid) = Uuid::parse_str(s.trim()) {
                Ok(Some(CaseNoteId::Uuid(uuid)))
            } else if let Ok(n) = s.trim().parse::<i64>() {
                Ok(Some(CaseNoteId::Nomis(n)))
            } else {
                Err(serde::de::Error::custom(format!(
                    "case note id {s:?} is neither a UUID nor a number"
                )))
            }
        }
        Some(other) => Err(serde::de::Error::custom(format!(
            "case note id {other} is neither a UUID nor a number"
        ))),
    }
}

/// `eventId` arrives as a number, occasionally as a numeric string.
fn optional_long<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("{n} is not an integer"))),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| serde::de::Error::custom(format!("{s:?} is not an integer"))),
        Some(other) => Err(serde::de::Error::custom(format!(
            "{other} is not an integer"
        ))),
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Amendment {
    #[serde(default, deserialize_with = "optional_date_time")]
    pub creation_date_time: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    pub author_name: Option<String>,
    #[serde(default)]
    pub additional_note_text: Option<String>,
}

/// The fields this service reads; anything else in the body is ignored.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrisonCaseNote {
    #[serde(default, deserialize_with = "optional_case_note_id")]
    pub case_note_id: Option<CaseNoteId>,
    /// The newer API's name for the same id; `caseNoteId` wins when both are sent.
    #[serde(default, deserialize_with = "optional_case_note_id")]
    pub id: Option<CaseNoteId>,
    /// The NOMIS id (`CONTACT.NOMIS_CASE_NOTE_ID` of contacts written before URNs).
    #[serde(default, deserialize_with = "optional_long")]
    pub event_id: Option<i64>,
    #[serde(default, deserialize_with = "optional_long")]
    pub legacy_id: Option<i64>,
    #[serde(default)]
    pub offender_identifier: Option<String>,
    #[serde(rename = "type")]
    pub note_type: String,
    pub sub_type: String,
    #[serde(deserialize_with = "date_time")]
    pub creation_date_time: DateTime<FixedOffset>,
    #[serde(deserialize_with = "date_time")]
    pub occurrence_date_time: DateTime<FixedOffset>,
    #[serde(default)]
    pub author_name: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub location_id: Option<String>,
    #[serde(default)]
    pub amendments: Vec<Amendment>,
}

impl PrisonCaseNote {
    pub fn id(&self) -> Option<&CaseNoteId> {
        self.case_note_id.as_ref().or(self.id.as_ref())
    }

    pub fn uuid(&self) -> Option<Uuid> {
        match self.id() {
            Some(CaseNoteId::Uuid(u)) => Some(*u),
            _ => None,
        }
    }

    /// The NOMIS id: `eventId`, else `legacyId`, else a numeric case-note id.
    pub fn nomis_id(&self) -> Option<i64> {
        self.event_id.or(self.legacy_id).or(match self.id() {
            Some(CaseNoteId::Nomis(n)) => Some(*n),
            _ => None,
        })
    }

    pub fn text(&self) -> &str {
        self.text.as_deref().unwrap_or_default()
    }

    /// `locationId` as given, or `UNK` when it is absent (spec §3.1 and §4.2: the field defaults
    /// to `UNK`). A blank value is not absent: it stays blank, so the merge fails as an invalid
    /// establishment code and the message is retried, as in the reference.
    pub fn establishment_code(&self) -> &str {
        self.location_id.as_deref().unwrap_or(UNKNOWN_ESTABLISHMENT)
    }

    /// Why probation must not get this case note, if it must not (`CaseNoteIgnored.reason`).
    pub fn ignore_reason(&self) -> Option<&'static str> {
        filters::case_note_ignore_reason(self.text(), self.location_id.as_deref())
    }

    /// The case-note telemetry properties: caseNoteId, type, subType, eventId, created,
    /// occurrence, location.
    pub fn telemetry_properties(&self) -> Properties {
        let mut p = Properties::new();
        if let Some(id) = self.id() {
            p.insert("caseNoteId".into(), id.to_string());
        }
        p.insert("type".into(), self.note_type.clone());
        p.insert("subType".into(), self.sub_type.clone());
        if let Some(event_id) = self.nomis_id() {
            p.insert("eventId".into(), event_id.to_string());
        }
        p.insert(
            "created".into(),
            dates::format_date_time(&self.creation_date_time),
        );
        p.insert(
            "occurrence".into(),
            dates::format_date_time(&self.occurrence_date_time),
        );
        p.insert("location".into(), self.establishment_code().to_owned());
        p
    }

    /// Maps the case note to the internal model. `fallback_noms` (the event's NOMS number) is
    /// used only when the body has no `offenderIdentifier`.
    pub fn to_delius(&self, fallback_noms: Option<&str>) -> anyhow::Result<DeliusCaseNote> {
        let noms_number = self
            .offender_identifier
            .as_deref()
            .or(fallback_noms)
            .map(|n| n.trim().to_ascii_uppercase())
            .filter(|n| !n.is_empty())
            .context("case note has no offenderIdentifier")?;
        let uuid = self.uuid();
        let legacy_id = self.nomis_id();
        anyhow::ensure!(
            uuid.is_some() || legacy_id.is_some(),
            "case note has neither a UUID nor a NOMIS id, so it could not be found again"
        );
        let author = self.author_name.as_deref().unwrap_or_default();
        let staff_name = StaffName::from_author_name(author)
            .with_context(|| format!("case note {} has no author name", self.reference()))?;
        Ok(DeliusCaseNote {
            header: CaseNoteHeader {
                noms_number,
                legacy_id,
                uuid,
                kind: CaseNoteKind::CaseNote,
            },
            body: CaseNoteBody {
                note_type: self.note_type.clone(),
                sub_type: self.sub_type.clone(),
                content: self.content(),
                contact_time: self.contact_time(),
                system_time: london(&self.system_timestamp()),
                staff_name,
                establishment_code: self.establishment_code().to_owned(),
                alert_description: self.alert_description(),
            },
        })
    }

    fn reference(&self) -> String {
        self.id()
            .map(ToString::to_string)
            .or_else(|| self.nomis_id().map(|n| n.to_string()))
            .unwrap_or_default()
    }

    /// The text followed by every amendment, in the order the API lists them.
    pub fn content(&self) -> String {
        let mut content = self.text().to_owned();
        for a in &self.amendments {
            let when = a.creation_date_time.as_ref().map(dates::format_date_time);
            content.push_str(&notes::amendment(
                a.author_name.as_deref().unwrap_or_default(),
                when.as_deref(),
                a.additional_note_text.as_deref().unwrap_or_default(),
            ));
        }
        content
    }

    /// Legacy NOMIS `ALERT` case notes: the occurrence's date with the creation's time of day, each
    /// read in its own offset and taken as Europe/London (NOMIS recorded the alert date without a
    /// time). Everything else: the occurrence instant in Europe/London.
    pub fn contact_time(&self) -> NaiveDateTime {
        if self.note_type == "ALERT" {
            let local = NaiveDateTime::new(
                self.occurrence_date_time.date_naive(),
                self.creation_date_time.time(),
            );
            // Round-trip through the zone so a time in the skipped spring hour becomes a real one.
            london(&from_london(local).fixed_offset())
        } else {
            london(&self.occurrence_date_time)
        }
    }

    /// The latest amendment time, else the creation time: when the case note last changed.
    pub fn system_timestamp(&self) -> DateTime<FixedOffset> {
        self.amendments
            .iter()
            .filter_map(|a| a.creation_date_time)
            .max()
            .unwrap_or(self.creation_date_time)
    }

    /// The first line of a legacy NOMIS ALERT case note is its alert sentence.
    fn alert_description(&self) -> String {
        if self.note_type == "ALERT" {
            self.text().lines().next().unwrap_or_default().to_owned()
        } else {
            String::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn parse(json: &str) -> PrisonCaseNote {
        serde_json::from_str(json).unwrap()
    }

    const EXISTS: &str =
        include_str!("../tests/fixtures/simulations/get-case-note-body-exists-in-delius.json");
    const NUMERIC: &str = include_str!(
        "../tests/fixtures/simulations/get-case-note-body-resettlement-passport-new.json"
    );

    fn at(date: &str, time: &str) -> NaiveDateTime {
        NaiveDateTime::new(
            NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
            chrono::NaiveTime::parse_from_str(time, "%H:%M:%S").unwrap(),
        )
    }

    #[test]
    fn maps_a_case_note_with_an_amendment() {
        let cn = parse(EXISTS);
        let d = cn.to_delius(None).unwrap();
        assert_eq!(d.header.noms_number, "AA0001A");
        assert_eq!(d.header.legacy_id, Some(11111));
        assert_eq!(
            d.header.urn().unwrap(),
            "urn:uk:gov:hmpps:prison-case-note:0ec15f8b-6b57-471f-b02a-c89169a6a3e5"
        );
        assert_eq!(
            d.body.content,
            "This is an existing case note\n[Mickey Mouse updated the case notes on 2022/07/20 12:25:20]\nSome Additional Text"
        );
        assert_eq!(
            crate::notes::notes(&d.body),
            "NEG IEP_WARN\nThis is an existing case note\n[Mickey Mouse updated the case notes on 2022/07/20 12:25:20]\nSome Additional Text"
        );
        // The occurrence (11:22:35 UTC in July) in London; the system time is the amendment's.
        assert_eq!(d.body.contact_time, at("2022-07-20", "12:22:35"));
        assert_eq!(d.body.system_time, at("2022-07-20", "12:25:20"));
        assert_eq!(d.body.staff_name, StaffName::new("Some", "Name"));
        assert_eq!(d.body.establishment_code, "LEI");
        assert_eq!(d.body.alert_description, "");
    }

    #[test]
    fn system_timestamp_is_the_latest_amendment_else_creation() {
        let mut cn = parse(EXISTS);
        cn.amendments.push(Amendment {
            creation_date_time: Some(dates::parse_date_time("2022-07-21T09:00:00+01:00").unwrap()),
            author_name: Some("B".into()),
            additional_note_text: Some("later".into()),
        });
        cn.amendments.push(Amendment {
            creation_date_time: None,
            author_name: Some("C".into()),
            additional_note_text: Some("no time".into()),
        });
        assert_eq!(london(&cn.system_timestamp()), at("2022-07-21", "09:00:00"));
        cn.amendments.clear();
        assert_eq!(london(&cn.system_timestamp()), at("2022-07-20", "12:22:35"));
    }

    #[test]
    fn legacy_alert_case_notes_take_the_occurrence_date_and_creation_time() {
        let mut cn = parse(EXISTS);
        cn.note_type = "ALERT".into();
        cn.sub_type = "ACTIVE".into();
        cn.text = Some("Alert Security made active.\nmore text".into());
        // Each keeps its own offset's local fields: no conversion first.
        cn.occurrence_date_time = dates::parse_date_time("2025-01-11T23:30:00+00:00").unwrap();
        cn.creation_date_time = dates::parse_date_time("2025-01-12T10:11:22+05:00").unwrap();
        cn.amendments.clear();
        let d = cn.to_delius(None).unwrap();
        assert_eq!(d.body.contact_time, at("2025-01-11", "10:11:22"));
        assert_eq!(d.body.alert_description, "Alert Security made active.");
        assert!(d.is_alert_type());
    }

    #[test]
    fn a_missing_location_is_the_unknown_establishment() {
        let mut cn = parse(EXISTS);
        cn.location_id = None;
        assert_eq!(cn.to_delius(None).unwrap().body.establishment_code, "UNK");
        assert_eq!(cn.telemetry_properties()["location"], "UNK");
    }

    #[test]
    fn a_blank_location_is_kept_not_defaulted_to_unk() {
        for blank in ["", "  "] {
            let mut cn = parse(EXISTS);
            cn.location_id = Some(blank.into());
            assert_eq!(cn.to_delius(None).unwrap().body.establishment_code, blank);
            assert_eq!(cn.telemetry_properties()["location"], blank);
        }
    }

    #[test]
    fn numeric_ids_from_the_legacy_api_key_by_the_nomis_id() {
        let cn = parse(NUMERIC);
        assert_eq!(cn.id(), Some(&CaseNoteId::Nomis(5767)));
        let d = cn.to_delius(None).unwrap();
        assert_eq!(d.header.uuid, None);
        assert_eq!(d.header.legacy_id, Some(576777));
        assert_eq!(d.header.urn(), None);
    }

    #[test]
    fn the_newer_id_field_is_read_too() {
        let cn = parse(
            r#"{"id":"0ec15f8b-6b57-471f-b02a-c89169a6a3e5","legacyId":"42","type":"GEN","subType":"OSE",
            "creationDateTime":"2022-07-20T11:22:35Z","occurrenceDateTime":"2022-07-20T11:22:35Z","authorName":"A B","text":"t"}"#,
        );
        assert!(cn.uuid().is_some());
        assert_eq!(cn.nomis_id(), Some(42));
        let d = cn.to_delius(Some("a1234bc")).unwrap();
        assert_eq!(d.header.noms_number, "A1234BC");
    }

    #[test]
    fn telemetry_properties_name_the_case_note() {
        let p = parse(EXISTS).telemetry_properties();
        assert_eq!(p["caseNoteId"], "0ec15f8b-6b57-471f-b02a-c89169a6a3e5");
        assert_eq!(p["type"], "NEG");
        assert_eq!(p["subType"], "IEP_WARN");
        assert_eq!(p["eventId"], "11111");
        assert_eq!(p["created"], "2022/07/20 12:22:35");
        assert_eq!(p["occurrence"], "2022/07/20 12:22:35");
        assert_eq!(p["location"], "LEI");
    }

    #[test]
    fn case_notes_without_an_author_or_identity_are_errors() {
        let mut cn = parse(EXISTS);
        cn.author_name = Some(" ".into());
        assert!(cn.to_delius(None).is_err());
        let mut cn = parse(EXISTS);
        cn.case_note_id = None;
        cn.event_id = None;
        assert!(cn.to_delius(None).is_err());
        let mut cn = parse(EXISTS);
        cn.offender_identifier = None;
        assert!(cn.to_delius(None).is_err());
    }
}
