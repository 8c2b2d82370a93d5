//! `GET /case-records/{crn}/risks/rosh` (spec 2.3): the level of the latest live RoSH
//! registration.

use chrono::NaiveDate;
use diesel_async::AsyncPgConnection;
use serde::Serialize;

use super::errors::ApiError;
use super::identifier::Identifier;
use super::person::{person_exists, person_not_found};
use super::registrations::latest_rosh;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rosh {
    pub start_date: NaiveDate,
    pub level: RoshLevel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RoshLevel {
    Low,
    Medium,
    High,
}

impl RoshLevel {
    /// From the register type code. `RVH` gives `LOW`, not `VERY_HIGH`: the reference
    /// implementation maps both LOW and VERY_HIGH to `RVH` and the first match (LOW) wins, and
    /// callers rely on what it returns. The reference's `VERY_HIGH` is never produced, so it has
    /// no variant here.
    pub fn from_register_type(code: &str) -> Option<Self> {
        match code {
            "RVH" => Some(Self::Low),
            "RMRH" => Some(Self::Medium),
            "RHRH" => Some(Self::High),
            _ => None,
        }
    }
}

/// 404 `Person with crn of X not found` for an unknown person and 404
/// `RoSH registration with crn of X not found` when they have no live RoSH registration (the
/// reference implementation answers 500 for both). A RoSH register type this API has no level
/// for is a 500 naming the code, as in the reference implementation.
pub async fn rosh(conn: &mut AsyncPgConnection, crn: &str) -> Result<Rosh, ApiError> {
    let Some(registration) = latest_rosh(conn, crn).await? else {
        let crn = Identifier::Crn(crn);
        return Err(if person_exists(conn, crn.value()).await? {
            ApiError::not_found("RoSH registration", crn)
        } else {
            person_not_found(crn)
        });
    };
    let level =
        RoshLevel::from_register_type(&registration.register_type_code).ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!(
                "RoSH register type {} of {crn} has no RoSH level",
                registration.register_type_code
            ))
        })?;
    Ok(Rosh {
        start_date: registration.start_date,
        level,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_2_3_register_type_codes_map_to_levels_with_rvh_as_low() {
        assert_eq!(RoshLevel::from_register_type("RHRH"), Some(RoshLevel::High));
        assert_eq!(
            RoshLevel::from_register_type("RMRH"),
            Some(RoshLevel::Medium)
        );
        assert_eq!(RoshLevel::from_register_type("RVH"), Some(RoshLevel::Low));
        assert_eq!(RoshLevel::from_register_type("RLRH"), None);
        assert_eq!(RoshLevel::from_register_type("MAPP"), None);
    }

    #[test]
    fn spec_2_3_levels_serialise_as_enum_names() {
        let body = Rosh {
            start_date: NaiveDate::from_ymd_opt(2024, 2, 29).unwrap_or_default(),
            level: RoshLevel::Low,
        };
        assert_eq!(
            serde_json::to_value(body).ok(),
            Some(serde_json::json!({"startDate": "2024-02-29", "level": "LOW"}))
        );
        assert_eq!(
            serde_json::to_value(RoshLevel::Medium).ok(),
            Some(serde_json::json!("MEDIUM"))
        );
    }
}
