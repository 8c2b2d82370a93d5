//! The allocation detail at `detailUrl` (spec 2.4). Its kind comes from the shape of the JSON,
//! checked in the order crn -> requirementId -> licenceConditionId -> event (rule 1), never from
//! the message's `eventType`.

use anyhow::Context as _;
use chrono::{DateTime, FixedOffset, NaiveDateTime};
use serde::Deserialize;
use serde_json::Value;

use crate::reason::AllocationReason;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Person,
    Event,
    Requirement,
    LicenceCondition,
}

impl Kind {
    pub const ALL: [Self; 4] = [
        Self::Person,
        Self::Event,
        Self::Requirement,
        Self::LicenceCondition,
    ];

    /// The success telemetry name, also the `type` of `AllocationFailed` (spec 4.8).
    pub fn telemetry_name(self) -> &'static str {
        match self {
            Self::Person => "PersonAllocation",
            Self::Event => "EventAllocation",
            Self::Requirement => "RequirementAllocation",
            Self::LicenceCondition => "LicenceConditionAllocation",
        }
    }

    /// Which field's presence selects this kind; the event kind is what is left.
    fn marker(self) -> Option<&'static str> {
        match self {
            Self::Person => Some("crn"),
            Self::Requirement => Some("requirementId"),
            Self::LicenceCondition => Some("licenceConditionId"),
            Self::Event => None,
        }
    }

    /// Rule 1: the first marker field present (and not null) decides.
    pub fn of(detail: &Value) -> Self {
        [Self::Person, Self::Requirement, Self::LicenceCondition]
            .into_iter()
            .find(|kind| {
                kind.marker()
                    .and_then(|field| detail.get(field))
                    .is_some_and(|value| !value.is_null())
            })
            .unwrap_or(Self::Event)
    }
}

/// Who is allocated and when: the fields every kind carries.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Allocation {
    /// Upstream allocation id; logged only.
    #[serde(default)]
    pub id: Option<String>,
    pub staff_code: String,
    pub team_code: String,
    pub created_date: DateTime<FixedOffset>,
    #[serde(default = "initial_allocation")]
    pub allocation_reason: AllocationReason,
}

fn initial_allocation() -> AllocationReason {
    AllocationReason::InitialAllocation
}

impl Allocation {
    /// The allocation date as Delius stores it: Europe/London wall-clock time.
    pub fn date(&self) -> NaiveDateTime {
        delius_data::time::to_london(&self.created_date)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonAllocation {
    #[serde(flatten)]
    pub allocation: Allocation,
    /// The person is found by this CRN, not the message's.
    pub crn: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventAllocation {
    #[serde(flatten)]
    pub allocation: Allocation,
    pub event_number: i64,
    #[serde(default, alias = "notes")]
    pub allocation_justification_notes: Option<String>,
    #[serde(default, alias = "sensitive")]
    pub sensitive_notes: Option<bool>,
    #[serde(default)]
    pub spo_oversight_notes: Option<String>,
    #[serde(default)]
    pub sensitive_oversight_notes: Option<bool>,
    #[serde(default)]
    pub spo_staff_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequirementAllocation {
    #[serde(flatten)]
    pub allocation: Allocation,
    pub event_number: i64,
    pub requirement_id: i64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LicenceConditionAllocation {
    #[serde(flatten)]
    pub allocation: Allocation,
    pub event_number: i64,
    pub licence_condition_id: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AllocationDetail {
    Person(PersonAllocation),
    Event(EventAllocation),
    Requirement(RequirementAllocation),
    LicenceCondition(LicenceConditionAllocation),
}

impl AllocationDetail {
    /// Reads the detail as the kind its shape names; a detail missing a field that kind needs
    /// is an error (the message is retried and then dead-lettered, as spec 2.4 says).
    pub fn from_json(detail: Value) -> anyhow::Result<Self> {
        let kind = Kind::of(&detail);
        let context = || format!("allocation detail is not a valid {}", kind.telemetry_name());
        Ok(match kind {
            Kind::Person => Self::Person(serde_json::from_value(detail).with_context(context)?),
            Kind::Event => Self::Event(serde_json::from_value(detail).with_context(context)?),
            Kind::Requirement => {
                Self::Requirement(serde_json::from_value(detail).with_context(context)?)
            }
            Kind::LicenceCondition => {
                Self::LicenceCondition(serde_json::from_value(detail).with_context(context)?)
            }
        })
    }

    pub fn kind(&self) -> Kind {
        match self {
            Self::Person(_) => Kind::Person,
            Self::Event(_) => Kind::Event,
            Self::Requirement(_) => Kind::Requirement,
            Self::LicenceCondition(_) => Kind::LicenceCondition,
        }
    }

    pub fn allocation(&self) -> &Allocation {
        match self {
            Self::Person(d) => &d.allocation,
            Self::Event(d) => &d.allocation,
            Self::Requirement(d) => &d.allocation,
            Self::LicenceCondition(d) => &d.allocation,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use serde_json::json;

    fn base() -> Value {
        json!({"id": "a1", "staffCode": "N02ABS1", "teamCode": "N02ABS",
               "createdDate": "2022-07-28T10:30:54.023+01:00", "staffId": 1, "createdBy": "x"})
    }

    fn with(fields: Value) -> Value {
        let mut detail = base();
        for (k, v) in fields.as_object().expect("object") {
            detail[k] = v.clone();
        }
        detail
    }

    #[test]
    fn rule_1_kind_comes_from_the_body_shape_in_order() {
        let all = with(
            json!({"crn": "X1", "requirementId": 1, "licenceConditionId": 2, "eventNumber": 1}),
        );
        assert_eq!(Kind::of(&all), Kind::Person);
        let requirement =
            with(json!({"requirementId": 1, "licenceConditionId": 2, "eventNumber": 1}));
        assert_eq!(Kind::of(&requirement), Kind::Requirement);
        let lc = with(json!({"licenceConditionId": 2, "eventNumber": 1}));
        assert_eq!(Kind::of(&lc), Kind::LicenceCondition);
        assert_eq!(Kind::of(&with(json!({"eventNumber": 1}))), Kind::Event);
        assert_eq!(
            Kind::of(&with(json!({"crn": null, "eventNumber": 1}))),
            Kind::Event,
            "a null marker is no marker"
        );
    }

    #[test]
    fn event_detail_reads_notes_aliases_and_defaults() {
        let detail = AllocationDetail::from_json(with(json!({
            "eventNumber": 2, "notes": "n", "sensitive": true, "spoStaffCode": "N02ABSX"
        })))
        .expect("event");
        let AllocationDetail::Event(event) = detail else {
            panic!("not an event: {detail:?}")
        };
        assert_eq!(event.allocation_justification_notes.as_deref(), Some("n"));
        assert_eq!(event.sensitive_notes, Some(true));
        assert_eq!(event.spo_staff_code.as_deref(), Some("N02ABSX"));
        assert_eq!(event.sensitive_oversight_notes, None);
        assert_eq!(
            event.allocation.allocation_reason,
            AllocationReason::InitialAllocation
        );
    }

    #[test]
    fn spec_2_4_created_date_is_stored_as_london_wall_clock_time() {
        let detail = AllocationDetail::from_json(with(json!({"crn": "T123456"}))).expect("person");
        assert_eq!(
            detail.allocation().date(),
            NaiveDate::from_ymd_opt(2022, 7, 28)
                .and_then(|d| d.and_hms_milli_opt(10, 30, 54, 23))
                .expect("date")
        );
    }

    #[test]
    fn missing_fields_and_unknown_reasons_are_errors() {
        let no_staff = json!({"teamCode": "T", "createdDate": "2022-07-28T10:30:54Z", "crn": "X1"});
        assert!(AllocationDetail::from_json(no_staff).is_err());
        let no_event_number = base();
        assert!(AllocationDetail::from_json(no_event_number).is_err());
        let unknown = with(json!({"crn": "X1", "allocationReason": "MOVED_HOUSE"}));
        let error = AllocationDetail::from_json(unknown).expect_err("unknown reason");
        assert!(format!("{error:#}").contains("MOVED_HOUSE"), "{error:#}");
    }
}
