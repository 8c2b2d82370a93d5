//! Routing and the movement of each event type (spec 2.2): `prisoner.released|received` carry the
//! movement in the message; the prison-identifier events look it up in Prison API.

use anyhow::{anyhow, Context};
use async_trait::async_trait;
use delius_data::DbPool;
use messaging::{
    HmppsDomainEvent, Notification, NotificationHandler, Outcome, Properties, Telemetry,
};

use crate::actions::actions_for;
use crate::movement::{london, Direction, MovementType, PrisonerMovement, OUT};
use crate::outcome::{names, Flags};
use crate::prison_api::{self, PrisonApi};
use crate::processor::{self, Report};

pub const PRISONER_RELEASED: &str = "prison-offender-events.prisoner.released";
pub const PRISONER_RECEIVED: &str = "prison-offender-events.prisoner.received";
pub const IDENTIFIER_ADDED: &str = "probation-case.prison-identifier.added";
pub const IDENTIFIER_UPDATED: &str = "probation-case.prison-identifier.updated";
/// Keys of an optional "released to" institution (hospital, IRC) in `additionalInformation`.
pub const RELEASED_TO_KEYS: [&str; 2] = ["toPrisonId", "releasedTo"];

pub struct CustodyStatusHandler {
    pool: DbPool,
    prison_api: PrisonApi,
    user_id: i64,
    flags: Flags,
    /// Every result but the last (which is the message's outcome) is tracked here.
    telemetry: Telemetry,
}

impl CustodyStatusHandler {
    pub fn new(
        pool: DbPool,
        prison_api: PrisonApi,
        user_id: i64,
        flags: Flags,
        telemetry: Telemetry,
    ) -> Self {
        Self {
            pool,
            prison_api,
            user_id,
            flags,
            telemetry,
        }
    }

    async fn movement(
        &self,
        event_type: &str,
        event: &HmppsDomainEvent,
        noms: &str,
        message: &Properties,
    ) -> anyhow::Result<Result<PrisonerMovement, Report>> {
        match event_type {
            PRISONER_RELEASED | PRISONER_RECEIVED => {
                Ok(movement_from_message(event_type, event, noms))
            }
            _ => {
                let Some(booking) = self.prison_api.booking(noms).await? else {
                    return Ok(Err(Report::ignored(
                        names::BOOKING_NOT_FOUND,
                        message.clone(),
                    )));
                };
                let mut props = Properties::new();
                props.insert("nomsNumber".into(), noms.to_owned());
                if !booking.active_flag && booking.last_movement_type_code.as_deref() != Some("REL")
                {
                    return Ok(Err(Report::ignored(names::BOOKING_INACTIVE, props)));
                }
                let Some(latest) = self.prison_api.latest_movement(noms).await? else {
                    return Ok(Err(Report::ignored(names::NO_MOVEMENT_IN_NOMIS, props)));
                };
                let Some((direction, t)) = prison_api::movement_type(&booking) else {
                    props.insert(
                        "movementType".into(),
                        booking.last_movement_type_code.clone().unwrap_or_default(),
                    );
                    props.insert(
                        "movementReason".into(),
                        booking
                            .last_movement_reason_code
                            .clone()
                            .unwrap_or_default(),
                    );
                    props.insert(
                        "inOutStatus".into(),
                        booking.in_out_status.clone().unwrap_or_default(),
                    );
                    props.insert(
                        "prisonId".into(),
                        booking.agency_id.clone().unwrap_or_default(),
                    );
                    return Ok(Err(Report::ignored(
                        names::UNABLE_TO_CALCULATE_MOVEMENT_TYPE,
                        props,
                    )));
                };
                Ok(Ok(prison_api::to_prisoner_movement(
                    &booking, &latest, direction, t,
                )))
            }
        }
    }
}

/// The movement of a `prisoner.released|received` message (specs README, Scope).
pub fn movement_from_message(
    event_type: &str,
    event: &HmppsDomainEvent,
    noms: &str,
) -> Result<PrisonerMovement, Report> {
    let reason_name = event.info_str("reason").unwrap_or_default();
    let reason = event
        .info_str("nomisMovementReasonCode")
        .unwrap_or_default()
        .to_owned();
    let prison = event.info_str("prisonId").map(str::to_owned);
    let occurred_at = event.occurred_at.as_ref().map(london).unwrap_or_default();
    let Some(movement_type) = MovementType::parse(reason_name) else {
        let mut p = Properties::new();
        p.insert("nomsNumber".into(), noms.to_owned());
        p.insert("movementType".into(), reason_name.to_owned());
        p.insert("movementReason".into(), reason);
        if let Some(prison) = prison {
            p.insert("prisonId".into(), prison);
        }
        return Err(Report::ignored(names::UNABLE_TO_CALCULATE_MOVEMENT_TYPE, p));
    };
    let (direction, from, to) = if event_type == PRISONER_RELEASED {
        let to = RELEASED_TO_KEYS
            .iter()
            .find_map(|k| event.info_str(k))
            .unwrap_or(OUT)
            .to_owned();
        (Direction::Released, prison, Some(to))
    } else {
        (Direction::Received, None, prison)
    };
    Ok(PrisonerMovement {
        noms_number: noms.to_owned(),
        direction,
        movement_type,
        reason,
        reason_override: None,
        from_prison_id: from,
        to_prison_id: to,
        occurred_at,
    })
}

/// Message-level telemetry properties (spec 5.4).
pub fn message_properties(event: &HmppsDomainEvent, noms: &str) -> Properties {
    let mut p = Properties::new();
    if let Some(at) = &event.occurred_at {
        p.insert("occurredAt".into(), at.to_rfc3339());
    }
    p.insert("nomsNumber".into(), noms.to_owned());
    if let Some(prison) = event.info_str("prisonId") {
        p.insert("institution".into(), prison.to_owned());
    }
    if let Some(details) = event.info_str("details") {
        p.insert("details".into(), details.to_owned());
    }
    p
}

#[async_trait]
impl NotificationHandler for CustodyStatusHandler {
    async fn handle(&self, notification: &Notification) -> anyhow::Result<Outcome> {
        let event_type = notification
            .event_type()
            .ok_or_else(|| anyhow!("message has no eventType attribute"))?;
        if ![
            PRISONER_RELEASED,
            PRISONER_RECEIVED,
            IDENTIFIER_ADDED,
            IDENTIFIER_UPDATED,
        ]
        .contains(&event_type)
        {
            return Err(anyhow!("Unknown event type {event_type}"));
        }
        let event: HmppsDomainEvent = notification
            .payload()
            .context("message is not an HMPPS domain event")?;
        let noms = event
            .noms_number()
            .ok_or_else(|| anyhow!("{event_type} has no NOMS identifier"))?
            .to_owned();
        if event.occurred_at.is_none()
            && [PRISONER_RELEASED, PRISONER_RECEIVED].contains(&event_type)
        {
            return Err(anyhow!("{event_type} has no occurredAt"));
        }
        let message = message_properties(&event, &noms);
        let reports = match self.movement(event_type, &event, &noms, &message).await? {
            Err(report) => vec![report],
            Ok(movement) => match actions_for(movement.movement_type, &movement.reason) {
                None => {
                    let mut p = Properties::new();
                    p.insert("nomsNumber".into(), noms.clone());
                    p.insert("movementType".into(), movement.movement_type.name().into());
                    p.insert("movementReason".into(), movement.reason.clone());
                    vec![Report::ignored(names::NO_CONFIG_FOR_MOVEMENT, p)]
                }
                Some([]) => vec![Report::ignored(names::NO_ACTIONS, movement.properties())],
                Some(actions) => {
                    processor::process(
                        &self.pool,
                        &movement,
                        actions,
                        &message,
                        self.user_id,
                        self.flags,
                    )
                    .await?
                }
            },
        };
        Ok(self.report(reports))
    }
}

impl CustodyStatusHandler {
    /// Tracks every report but the last; the last is the message's outcome (tracked by the consumer).
    fn report(&self, mut reports: Vec<Report>) -> Outcome {
        let last = reports.pop();
        for r in &reports {
            self.telemetry.track(&r.name, &r.properties);
        }
        match last {
            Some(r) if r.ignored => Outcome::ignored(r.name).with_all(&r.properties),
            Some(r) => Outcome::processed(r.name).with_all(&r.properties),
            None => Outcome::ignored(names::NO_ACTIONS),
        }
    }
}
