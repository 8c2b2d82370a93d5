//! The allocation date (spec 3.0, 3.2): the event's `occurredAt` as Europe/London wall-clock time,
//! which is how Delius stores it and how telemetry and notes show it.

use anyhow::Context as _;
use chrono::{NaiveDateTime, Timelike};
use delius_data::time::{format_delius_date_time, to_london};
use messaging::HmppsDomainEvent;

/// `occurredAt` converted to Europe/London, to the whole second as Delius's date-time columns
/// hold it; an event without one cannot be placed in time.
pub fn allocation_date(event: &HmppsDomainEvent) -> anyhow::Result<NaiveDateTime> {
    let occurred_at = event
        .occurred_at
        .as_ref()
        .context("allocation event has no occurredAt")?;
    let local = to_london(occurred_at);
    Ok(local.with_nanosecond(0).unwrap_or(local))
}

/// `dd/MM/yyyy HH:mm:ss`, the telemetry `allocationDate`.
pub fn telemetry_date(allocation_date: &NaiveDateTime) -> String {
    format_delius_date_time(allocation_date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn event_at(occurred_at: &str) -> HmppsDomainEvent {
        let mut event = HmppsDomainEvent::new("offender-management.allocation.changed");
        event.occurred_at = Some(DateTime::parse_from_rfc3339(occurred_at).unwrap());
        event
    }

    #[test]
    fn summer_utc_instants_become_london_time_in_telemetry() {
        let date = allocation_date(&event_at("2023-05-09T13:25:19.102Z")).unwrap();
        assert_eq!(telemetry_date(&date), "09/05/2023 14:25:19");
    }

    #[test]
    fn fractions_of_a_second_are_dropped() {
        let date = allocation_date(&event_at("2023-05-09T13:25:19.999Z")).unwrap();
        assert_eq!(date.to_string(), "2023-05-09 14:25:19");
    }

    #[test]
    fn london_offsets_are_kept() {
        let date = allocation_date(&event_at("2025-07-24T10:00:00+01:00")).unwrap();
        assert_eq!(telemetry_date(&date), "24/07/2025 10:00:00");
    }

    #[test]
    fn winter_instants_equal_utc() {
        let date = allocation_date(&event_at("2023-12-01T09:00:00Z")).unwrap();
        assert_eq!(telemetry_date(&date), "01/12/2023 09:00:00");
    }

    #[test]
    fn missing_occurred_at_is_an_error() {
        let mut event = event_at("2023-05-09T13:25:19Z");
        event.occurred_at = None;
        assert!(allocation_date(&event).is_err());
    }
}
