//! `GET /case-records/{crn}/risks/mappa` (spec 2.2) and the MAPPA code mappings shared with the
//! probation record's `mappaLevel` (2.1).

use chrono::NaiveDate;
use diesel_async::AsyncPgConnection;
use serde::Serialize;

use super::errors::ApiError;
use super::identifier::Identifier;
use super::person::{person_id, person_not_found};
use super::registrations::{latest_mappa, MappaRegistration};

/// The `MappaDetail` body; `None` fields are left out. The schema's `team`, `officer` and
/// `probationArea` are never filled in by the reference implementation, so they are not here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MappaDetail {
    pub level: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level_description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category_description: Option<String>,
    pub start_date: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review_date: Option<NaiveDate>,
}

/// MAPPA level code to number: `M1`..`M3` to 1..3; `M0` and any other code to 0.
pub fn mappa_level(code: &str) -> i32 {
    match code {
        "M1" => 1,
        "M2" => 2,
        "M3" => 3,
        _ => 0,
    }
}

/// MAPPA category code to number: `X9` to 0, `M1`..`M4` to 1..4, any other code to 0.
pub fn mappa_category(code: &str) -> i32 {
    match code {
        "M1" => 1,
        "M2" => 2,
        "M3" => 3,
        "M4" => 4,
        _ => 0,
    }
}

impl From<MappaRegistration> for MappaDetail {
    fn from(registration: MappaRegistration) -> Self {
        Self {
            level: mappa_level(&registration.level_code),
            level_description: registration.level_description,
            category: registration.category_code.as_deref().map(mappa_category),
            category_description: registration.category_description,
            start_date: registration.start_date,
            review_date: registration.review_date,
        }
    }
}

/// 404 `Person with crn of X not found` for an unknown (or deleted) person, 404
/// `MappaDetail with crn of X not found` when they have no live MAPPA registration with a level.
/// The path value is taken as a CRN whatever its format, as in the reference implementation.
pub async fn mappa_detail(
    conn: &mut AsyncPgConnection,
    crn: &str,
) -> Result<MappaDetail, ApiError> {
    let crn = Identifier::Crn(crn);
    let offender_id = person_id(conn, crn.value())
        .await?
        .ok_or_else(|| person_not_found(crn))?;
    latest_mappa(conn, offender_id)
        .await?
        .map(MappaDetail::from)
        .ok_or_else(|| ApiError::not_found("MappaDetail", crn))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_2_2_level_codes_m0_to_m3_map_to_0_to_3_anything_else_to_0() {
        assert_eq!(mappa_level("M0"), 0);
        assert_eq!(mappa_level("M1"), 1);
        assert_eq!(mappa_level("M2"), 2);
        assert_eq!(mappa_level("M3"), 3);
        assert_eq!(mappa_level("M4"), 0);
        assert_eq!(mappa_level("X9"), 0);
        assert_eq!(mappa_level(""), 0);
    }

    #[test]
    fn spec_2_2_category_codes_x9_and_m1_to_m4_map_to_0_to_4_anything_else_to_0() {
        assert_eq!(mappa_category("X9"), 0);
        assert_eq!(mappa_category("M1"), 1);
        assert_eq!(mappa_category("M2"), 2);
        assert_eq!(mappa_category("M3"), 3);
        assert_eq!(mappa_category("M4"), 4);
        assert_eq!(mappa_category("M0"), 0);
        assert_eq!(mappa_category("Z1"), 0);
    }

    #[test]
    fn spec_2_2_detail_leaves_out_category_and_review_date_when_absent() {
        let detail = MappaDetail::from(MappaRegistration {
            level_code: "M3".into(),
            level_description: Some("MAPPA Level 3".into()),
            category_code: None,
            category_description: None,
            start_date: NaiveDate::from_ymd_opt(2023, 1, 2).unwrap_or_default(),
            review_date: None,
        });
        assert_eq!(
            serde_json::to_value(detail).ok(),
            Some(serde_json::json!({
                "level": 3,
                "levelDescription": "MAPPA Level 3",
                "startDate": "2023-01-02"
            }))
        );
    }
}
