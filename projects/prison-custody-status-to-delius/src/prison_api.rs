//! Prison API: the current booking and latest movement, for the prison-identifier events (spec 2.4).

use auth::outbound::{AuthorisedClient, UpstreamError};
use chrono::{NaiveDate, NaiveTime};
use http::HeaderMap;
use serde::Deserialize;
use url::Url;

use crate::movement::{Direction, MovementType, PrisonerMovement, HOSPITAL_REASONS};

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Booking {
    pub booking_id: Option<i64>,
    #[serde(default)]
    pub active_flag: bool,
    pub offender_no: String,
    pub agency_id: Option<String>,
    pub last_movement_type_code: Option<String>,
    pub last_movement_reason_code: Option<String>,
    pub in_out_status: Option<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Movement {
    pub from_agency: Option<String>,
    pub to_agency: Option<String>,
    pub movement_type: Option<String>,
    pub movement_reason_code: Option<String>,
    pub movement_reason: Option<String>,
    pub movement_date: NaiveDate,
    pub movement_time: NaiveTime,
}

#[derive(Clone)]
pub struct PrisonApi {
    client: AuthorisedClient,
    base: Url,
}

impl PrisonApi {
    pub fn new(client: AuthorisedClient, base: Url) -> Self {
        Self { client, base }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base.as_str().trim_end_matches('/'), path)
    }

    /// `None` on 404 (`BookingNotFound`).
    pub async fn booking(&self, noms: &str) -> Result<Option<Booking>, UpstreamError> {
        self.client
            .get_json(&self.url(&format!(
                "/api/bookings/offenderNo/{noms}?basicInfo=false&extraInfo=true"
            )))
            .await
    }

    pub async fn latest_movement(&self, noms: &str) -> Result<Option<Movement>, UpstreamError> {
        let list: Option<Vec<Movement>> = self
            .client
            .post_json(
                &self.url("/api/movements/offenders?latestOnly=true"),
                &[noms],
                &HeaderMap::new(),
            )
            .await?;
        Ok(list.and_then(|l| l.into_iter().next()))
    }
}

/// Movement type from the booking (spec 2.4.3); `None` -> `UnableToCalculateMovementType`.
pub fn movement_type(booking: &Booking) -> Option<(Direction, MovementType)> {
    let in_out = booking.in_out_status.as_deref()?;
    let direction = match in_out {
        "IN" => Direction::Received,
        "OUT" => Direction::Released,
        _ => return None,
    };
    let reason = booking
        .last_movement_reason_code
        .as_deref()
        .unwrap_or_default();
    let t = match (booking.last_movement_type_code.as_deref()?, direction) {
        ("CRT", Direction::Received) => MovementType::ReturnFromCourt,
        ("CRT", Direction::Released) => MovementType::SentToCourt,
        ("TAP", Direction::Received) => MovementType::TemporaryAbsenceReturn,
        ("TAP", Direction::Released) => MovementType::TemporaryAbsenceRelease,
        ("ADM", _) if ["INT", "TRNCRT", "TRNTAP"].contains(&reason) => MovementType::Transferred,
        ("ADM", Direction::Received) => MovementType::Admission,
        ("REL", Direction::Released) if HOSPITAL_REASONS.contains(&reason) => {
            MovementType::ReleasedToHospital
        }
        ("REL", Direction::Released) => MovementType::Released,
        _ => return None,
    };
    Some((direction, t))
}

pub fn to_prisoner_movement(
    booking: &Booking,
    movement: &Movement,
    direction: Direction,
    movement_type: MovementType,
) -> PrisonerMovement {
    PrisonerMovement {
        noms_number: booking.offender_no.clone(),
        direction,
        movement_type,
        // The code; without it the booking's last movement reason (the same movement: the dev
        // simulation has only the description); the description only as a last resort.
        reason: movement
            .movement_reason_code
            .clone()
            .or_else(|| booking.last_movement_reason_code.clone())
            .or_else(|| movement.movement_reason.clone())
            .unwrap_or_default(),
        reason_override: None,
        from_prison_id: movement.from_agency.clone(),
        to_prison_id: movement.to_agency.clone(),
        occurred_at: movement.movement_date.and_time(movement.movement_time),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn booking(t: &str, r: &str, io: &str) -> Booking {
        Booking {
            booking_id: Some(1),
            active_flag: true,
            offender_no: "A".into(),
            agency_id: None,
            last_movement_type_code: Some(t.into()),
            last_movement_reason_code: Some(r.into()),
            in_out_status: Some(io.into()),
        }
    }

    #[test]
    fn movement_type_table() {
        use MovementType as T;
        assert_eq!(
            movement_type(&booking("CRT", "X", "IN")).map(|m| m.1),
            Some(T::ReturnFromCourt)
        );
        assert_eq!(
            movement_type(&booking("CRT", "X", "OUT")).map(|m| m.1),
            Some(T::SentToCourt)
        );
        assert_eq!(
            movement_type(&booking("TAP", "X", "IN")).map(|m| m.1),
            Some(T::TemporaryAbsenceReturn)
        );
        assert_eq!(
            movement_type(&booking("ADM", "INT", "IN")).map(|m| m.1),
            Some(T::Transferred)
        );
        assert_eq!(
            movement_type(&booking("ADM", "TRNCRT", "OUT")).map(|m| m.1),
            Some(T::Transferred)
        );
        assert_eq!(
            movement_type(&booking("ADM", "N", "IN")).map(|m| m.1),
            Some(T::Admission)
        );
        assert_eq!(movement_type(&booking("ADM", "N", "OUT")), None);
        assert_eq!(
            movement_type(&booking("REL", "HP", "OUT")).map(|m| m.1),
            Some(T::ReleasedToHospital)
        );
        assert_eq!(
            movement_type(&booking("REL", "NCS", "OUT")).map(|m| m.1),
            Some(T::Released)
        );
        assert_eq!(movement_type(&booking("REL", "NCS", "IN")), None);
        assert_eq!(movement_type(&booking("ADM", "N", "TRN")), None);
        assert_eq!(movement_type(&booking("SEC", "N", "IN")), None);
    }

    #[test]
    fn movement_reason_code_wins_over_the_description() {
        let m: Movement = serde_json::from_str(
            r#"{"fromAgency":"MDI","toAgency":"SWI","movementType":"ADM","movementDate":"2023-07-20","movementTime":"13:24:21","movementReason":"Transferred","movementReasonCode":"INT"}"#,
        )
        .unwrap();
        let p = to_prisoner_movement(
            &booking("ADM", "INT", "IN"),
            &m,
            Direction::Received,
            MovementType::Transferred,
        );
        assert_eq!(p.reason, "INT");
        assert_eq!(p.occurred_at.to_string(), "2023-07-20 13:24:21");
        let without_code = Movement {
            movement_reason_code: None,
            ..m.clone()
        };
        let p = to_prisoner_movement(
            &booking("ADM", "INT", "IN"),
            &without_code,
            Direction::Received,
            MovementType::Transferred,
        );
        assert_eq!(
            p.reason, "INT",
            "the booking's reason code before the description"
        );
    }
}
