//! Routing and the movement of each event type (spec 2.2): `prisoner.released|received` carry the
//! movement in the message; the prison-identifier events look it up in Prison API.

use anyhow::{anyhow, Context};
use async_trait::async_trait;
use delius_data::DbPool;
use messaging::{
    HmppsDomainEvent, Notification, NotificationHandler, Outcome, Properties, Telemetry,
};

use crate::actions::{config_for, Config};
use crate::movement::{Direction, MovementType, PrisonerMovement, OUT};
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
    let occurred_at = event
        .occurred_at
        .as_ref()
        .map(delius_data::time::to_london)
        .unwrap_or_default();
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

/// The feature-flag rule of the action table (spec 2.5): a row whose flag is off stops with
/// `FeatureFlagNotActive` (movement properties + `featureFlag`), unless the row has a reason
/// override, which then replaces the NOMIS reason for the actions (ECSL -> a plain licence).
pub fn apply_feature_flag(
    config: &Config,
    flags: Flags,
    movement: &mut PrisonerMovement,
) -> Option<Report> {
    let flag = config.feature_flag?;
    if flags.enabled(flag) {
        return None;
    }
    match config.reason_override {
        Some(reason) => {
            movement.reason_override = Some(reason.to_owned());
            None
        }
        None => {
            let mut p = movement.properties();
            p.insert("featureFlag".into(), flag.name().into());
            Some(Report::ignored(names::FEATURE_FLAG_NOT_ACTIVE, p))
        }
    }
}

/// The ignores decided before the actions (booking, movement, config) carry the message-level
/// properties plus their own, which win on a clash (spec 5.1.4; the reference adds the
/// exception's properties to the message's).
pub fn with_message_properties(mut report: Report, message: &Properties) -> Report {
    let own = std::mem::replace(&mut report.properties, message.clone());
    report.properties.extend(own);
    report
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
            Err(report) => vec![with_message_properties(report, &message)],
            Ok(mut movement) => match config_for(movement.movement_type, &movement.reason) {
                None => {
                    let mut p = Properties::new();
                    p.insert("nomsNumber".into(), noms.clone());
                    p.insert("movementType".into(), movement.movement_type.name().into());
                    p.insert("movementReason".into(), movement.reason.clone());
                    let report = Report::ignored(names::NO_CONFIG_FOR_MOVEMENT, p);
                    vec![with_message_properties(report, &message)]
                }
                Some(config) => {
                    if let Some(report) = apply_feature_flag(&config, self.flags, &mut movement) {
                        vec![report]
                    } else if config.actions.is_empty() {
                        vec![Report::ignored(names::NO_ACTIONS, movement.properties())]
                    } else {
                        processor::process(
                            &self.pool,
                            &movement,
                            config.actions,
                            &message,
                            self.user_id,
                            self.flags,
                        )
                        .await?
                    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custody::tests::movement;

    fn released(reason: &str) -> PrisonerMovement {
        movement(Direction::Released, MovementType::Released, reason)
    }

    fn config(reason: &str) -> Config {
        config_for(MovementType::Released, reason).expect("configured")
    }

    #[test]
    fn rule_2_5_a_flag_that_is_off_stops_with_feature_flag_not_active() {
        let flags = Flags {
            released_hospital: false,
            ..Flags::default()
        };
        let mut m = released("HO");
        let report = apply_feature_flag(&config("HO"), flags, &mut m).expect("ignored");
        assert_eq!(report.name, "FeatureFlagNotActive");
        assert!(report.ignored);
        assert_eq!(
            report.properties["featureFlag"],
            "messages_released_hospital"
        );
        assert_eq!(report.properties["movementReason"], "HO");
        assert_eq!(report.properties["reason"], "RELEASED");
        // Another flag being off does not stop this row.
        let irc_off = Flags {
            released_irc: false,
            ..Flags::default()
        };
        assert_eq!(apply_feature_flag(&config("HO"), irc_off, &mut m), None);
    }

    #[test]
    fn rule_2_5_flags_on_and_unflagged_rows_carry_on() {
        for reason in ["HO", "DE", "ECSL", "UAL", "NCS", "HD"] {
            let mut m = released(reason);
            assert_eq!(
                apply_feature_flag(&config(reason), Flags::default(), &mut m),
                None,
                "{reason}"
            );
            assert_eq!(m.reason_override, None);
        }
    }

    #[test]
    fn rule_2_5_a_flag_that_is_off_with_a_reason_override_sets_it_and_carries_on() {
        let flags = Flags {
            released_ecsl: false,
            ..Flags::default()
        };
        let mut m = released("ECSL");
        assert_eq!(apply_feature_flag(&config("ECSL"), flags, &mut m), None);
        assert_eq!(m.reason_override.as_deref(), Some("RO"));
        assert_eq!(m.effective_reason(), "RO");
        assert_eq!(m.reason, "ECSL", "the NOMIS reason is still recorded");
    }

    #[test]
    fn rule_5_1_4_handler_ignores_add_their_properties_to_the_message_ones() {
        let mut message = Properties::new();
        message.insert("occurredAt".into(), "2022-05-04T07:03:50+01:00".into());
        message.insert("nomsNumber".into(), "A0001AA".into());
        message.insert("institution".into(), "WSI".into());
        let mut own = Properties::new();
        own.insert("nomsNumber".into(), "A0001AB".into());
        own.insert("movementType".into(), "TRANSFERRED".into());
        let r = with_message_properties(Report::ignored("NoConfigForMovement", own), &message);
        assert_eq!(r.properties["occurredAt"], "2022-05-04T07:03:50+01:00");
        assert_eq!(r.properties["institution"], "WSI");
        assert_eq!(r.properties["movementType"], "TRANSFERRED");
        assert_eq!(
            r.properties["nomsNumber"], "A0001AB",
            "the ignore's own value wins"
        );
    }
}
