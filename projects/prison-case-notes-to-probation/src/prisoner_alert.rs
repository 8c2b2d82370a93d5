//! A prisoner alert from the HMPPS Alerts API and how each of its states maps to the internal
//! model.

use anyhow::Context;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use delius_data::time::{from_london, to_london};
use messaging::Properties;
use serde::Deserialize;
use uuid::Uuid;

use crate::dates::{self, date_time, london, optional_date_time};
use crate::filters::OCG_NOMINAL_ALERT_CODE;
use crate::model::{CaseNoteBody, CaseNoteHeader, CaseNoteKind, DeliusCaseNote, StaffName};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertCode {
    pub alert_type_code: String,
    pub alert_type_description: String,
    pub code: String,
    pub description: String,
}

/// The fields this service reads. Date-times without an offset are Europe/London local times.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    pub alert_uuid: Uuid,
    pub prison_number: String,
    pub alert_code: AlertCode,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub active_from: Option<NaiveDate>,
    #[serde(default)]
    pub active_to: Option<NaiveDate>,
    pub is_active: bool,
    #[serde(deserialize_with = "date_time")]
    pub created_at: DateTime<FixedOffset>,
    #[serde(default)]
    pub created_by_display_name: Option<String>,
    #[serde(default, deserialize_with = "optional_date_time")]
    pub last_modified_at: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    pub last_modified_by_display_name: Option<String>,
    #[serde(default, deserialize_with = "optional_date_time")]
    pub active_to_last_set_at: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    pub prison_code_when_created: Option<String>,
}

/// `{"content": [...]}` of the person's alerts (migration).
#[derive(Debug, Clone, Deserialize)]
pub struct AlertPage {
    #[serde(default)]
    pub content: Vec<Alert>,
}

impl Alert {
    /// "Security alert – OCG Nominal – Do not share": never shared with probation.
    pub fn is_ocg_nominal(&self) -> bool {
        self.alert_code.code == OCG_NOMINAL_ALERT_CODE
    }

    /// alertUuid, type, subType, created, activeFrom and (when set) activeTo.
    pub fn telemetry_properties(&self) -> Properties {
        let mut p = Properties::new();
        p.insert("alertUuid".into(), self.alert_uuid.to_string());
        p.insert("type".into(), self.alert_code.alert_type_code.clone());
        p.insert("subType".into(), self.alert_code.code.clone());
        p.insert("created".into(), dates::format_date_time(&self.created_at));
        if let Some(from) = &self.active_from {
            p.insert("activeFrom".into(), dates::format_date(from));
        }
        if let Some(to) = &self.active_to {
            p.insert("activeTo".into(), dates::format_date(to));
        }
        p
    }

    /// Maps the alert's current state (active or inactive) to the internal model. An inactive
    /// alert without `activeTo`, or an alert without `prisonCodeWhenCreated`, cannot be placed
    /// and fails (the message is retried, then dead-lettered).
    pub fn to_delius(&self) -> anyhow::Result<DeliusCaseNote> {
        let (kind, sub_type, date) = if self.is_active {
            let from = self
                .active_from
                .with_context(|| format!("active alert {} has no activeFrom", self.alert_uuid))?;
            (CaseNoteKind::ActiveAlert, "ACTIVE", from)
        } else {
            let to = self
                .active_to
                .with_context(|| format!("inactive alert {} has no activeTo", self.alert_uuid))?;
            (CaseNoteKind::InactiveAlert, "INACTIVE", to)
        };
        let establishment_code = self
            .prison_code_when_created
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .context("Unable to verify establishment for alert")?
            .to_owned();
        let display_name = self
            .last_modified_by_display_name
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .or(self.created_by_display_name.as_deref())
            .unwrap_or_default();
        let staff_name = StaffName::from_display_name(display_name)
            .with_context(|| format!("alert {} has no author display name", self.alert_uuid))?;
        let state = if self.is_active { "active" } else { "inactive" };
        Ok(DeliusCaseNote {
            header: CaseNoteHeader {
                noms_number: self.prison_number.trim().to_ascii_uppercase(),
                legacy_id: None,
                uuid: Some(self.alert_uuid),
                kind,
            },
            body: CaseNoteBody {
                note_type: "ALERT".to_owned(),
                sub_type: sub_type.to_owned(),
                content: self.description.clone().unwrap_or_default(),
                contact_time: self.contact_time(date),
                system_time: london(&self.last_modified_at.unwrap_or(self.created_at)),
                staff_name,
                establishment_code,
                alert_description: format!(
                    "Alert {} and {} made {state}.",
                    self.alert_code.alert_type_description, self.alert_code.description
                ),
            },
        })
    }

    /// The alert's date with the Europe/London time of day of the latest of activeToLastSetAt,
    /// lastModifiedAt and createdAt: the API gives dates only, and the time the alert was last
    /// touched is the best estimate of when on that day it happened.
    fn contact_time(&self, date: NaiveDate) -> NaiveDateTime {
        let latest = [
            self.active_to_last_set_at,
            self.last_modified_at,
            Some(self.created_at),
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(self.created_at);
        let local = NaiveDateTime::new(date, to_london(&latest).time());
        london(&from_london(local).fixed_offset())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    const CREATED: &str = include_str!("../tests/fixtures/simulations/get-created-alert.json");
    const UPDATED: &str = include_str!("../tests/fixtures/simulations/get-updated-alert.json");
    const INACTIVE: &str = include_str!("../tests/fixtures/simulations/get-inactive-alert.json");

    fn at(date: &str, time: &str) -> NaiveDateTime {
        NaiveDateTime::new(
            NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
            NaiveTime::parse_from_str(time, "%H:%M:%S").unwrap(),
        )
    }

    fn parse(json: &str) -> Alert {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn an_active_alert_is_dated_from_active_from_at_the_creation_time() {
        let d = parse(CREATED).to_delius().unwrap();
        assert_eq!(d.header.kind, CaseNoteKind::ActiveAlert);
        assert_eq!(
            d.header.urn().unwrap(),
            "urn:uk:gov:hmpps:prisoner-alert:active:01954cfe-9f5a-7ea3-837b-a1770b389c5b"
        );
        assert_eq!(d.body.contact_time, at("2025-02-27", "14:38:30"));
        assert_eq!(d.body.system_time, at("2025-02-28", "14:38:30"));
        assert_eq!(d.body.staff_name, StaffName::new("John", "Smith"));
        assert_eq!(d.body.establishment_code, "LEI");
        assert_eq!(
            crate::notes::notes(&d.body),
            "ALERT ACTIVE\nAlert Description of AT and Description of AST made active.\nUser entered some text about the alert"
        );
        assert!(d.is_alert_type());
    }

    #[test]
    fn an_updated_alert_prefers_the_last_modification() {
        let d = parse(UPDATED).to_delius().unwrap();
        assert_eq!(d.header.kind, CaseNoteKind::InactiveAlert);
        assert_eq!(d.body.contact_time, at("2025-02-28", "15:28:02"));
        assert_eq!(d.body.system_time, at("2025-02-28", "15:28:02"));
        assert_eq!(d.body.staff_name, StaffName::new("Jane", "Smith"));
        assert_eq!(
            d.body.alert_description,
            "Alert Description of AT and Description of AST made inactive."
        );
    }

    #[test]
    fn an_inactive_alert_without_modification_uses_the_creator() {
        let d = parse(INACTIVE).to_delius().unwrap();
        assert_eq!(d.body.contact_time, at("2025-02-28", "14:38:30"));
        assert_eq!(d.body.staff_name.forename, "John");
    }

    #[test]
    fn times_without_an_offset_are_london_time_in_summer_too() {
        let mut a = parse(CREATED);
        a.created_at = dates::parse_date_time("2024-07-01T09:15:00").unwrap();
        a.active_from = NaiveDate::from_ymd_opt(2024, 6, 30);
        let d = a.to_delius().unwrap();
        assert_eq!(d.body.contact_time, at("2024-06-30", "09:15:00"));
        assert_eq!(d.body.system_time, at("2024-07-01", "09:15:00"));
        // With an offset, the instant is converted first: 08:15Z is 09:15 in London in July.
        a.active_to_last_set_at = Some(dates::parse_date_time("2024-07-02T08:15:30Z").unwrap());
        assert_eq!(
            a.to_delius().unwrap().body.contact_time,
            at("2024-06-30", "09:15:30")
        );
    }

    #[test]
    fn inactive_without_active_to_or_without_a_prison_fails() {
        let mut a = parse(INACTIVE);
        a.active_to = None;
        assert!(a.to_delius().is_err());
        let mut a = parse(CREATED);
        a.prison_code_when_created = None;
        let error = a.to_delius().unwrap_err();
        assert_eq!(
            error.to_string(),
            "Unable to verify establishment for alert"
        );
    }

    #[test]
    fn ocg_nominal_alerts_are_recognised() {
        let mut a = parse(CREATED);
        assert!(!a.is_ocg_nominal());
        a.alert_code.code = "DOCGM".into();
        assert!(a.is_ocg_nominal());
    }

    #[test]
    fn telemetry_properties_name_the_alert() {
        let p = parse(UPDATED).telemetry_properties();
        assert_eq!(p["alertUuid"], "01954cfe-9f5a-7ea3-837b-a1770b389c5b");
        assert_eq!(p["type"], "AT");
        assert_eq!(p["subType"], "AST");
        assert_eq!(p["created"], "2025/02/28 14:38:30");
        assert_eq!(p["activeFrom"], "2025/02/27");
        assert_eq!(p["activeTo"], "2025/02/28");
        assert!(!parse(CREATED)
            .telemetry_properties()
            .contains_key("activeTo"));
    }
}
