//! Time rules of the spec: the "has changed" comparison (2.2.2), the clash check's time strings
//! (2.2.1) and the `endDate` telemetry format (3.5).

use chrono::{DateTime, FixedOffset, NaiveDateTime, NaiveTime, Offset as _, SubsecRound, Timelike};
use delius_data::time::{from_london, to_london, EUROPE_LONDON};

/// Two optional instants differ if exactly one is missing, or both are there and are different
/// instants once cut to whole seconds (offsets do not matter).
pub fn has_changed(a: Option<DateTime<FixedOffset>>, b: Option<DateTime<FixedOffset>>) -> bool {
    match (a, b) {
        (None, None) => false,
        (Some(a), Some(b)) => a.trunc_subsecs(0) != b.trunc_subsecs(0),
        _ => true,
    }
}

/// A stored Delius (Europe/London) wall-clock time as an instant.
pub fn stored_instant(stored: NaiveDateTime) -> DateTime<FixedOffset> {
    from_london(stored).fixed_offset()
}

/// Java's ISO local time: `HH:mm:ss`, plus 3, 6 or 9 fraction digits when there is a fraction.
/// The clash query compares it as a string with `HH24:MI` (spec 2.2.1).
pub fn iso_local_time(time: NaiveTime) -> String {
    let seconds = format!(
        "{:02}:{:02}:{:02}",
        time.hour(),
        time.minute(),
        time.second()
    );
    let nanos = time.nanosecond() % 1_000_000_000;
    if nanos == 0 {
        seconds
    } else if nanos.is_multiple_of(1_000_000) {
        format!("{seconds}.{:03}", nanos / 1_000_000)
    } else if nanos.is_multiple_of(1_000) {
        format!("{seconds}.{:06}", nanos / 1_000)
    } else {
        format!("{seconds}.{nanos:09}")
    }
}

/// The time of `instant` on a Europe/London clock, as the clash query formats it.
pub fn london_time_string(instant: &DateTime<FixedOffset>) -> String {
    iso_local_time(to_london(instant).time())
}

/// `2023-02-23T15:29:54.197Z[Europe/London]`: Java's `ZonedDateTime.toString()` of the instant
/// in Europe/London (the offset is `Z` in winter, `+01:00` in summer).
pub fn java_zoned_london(instant: &DateTime<FixedOffset>) -> String {
    let london = instant.with_timezone(&EUROPE_LONDON);
    let local = london.naive_local();
    let mut text = local.format("%Y-%m-%dT%H:%M").to_string();
    if local.second() != 0 || local.nanosecond() != 0 {
        text.push_str(&format!(":{:02}", local.second()));
        let nanos = local.nanosecond();
        if nanos != 0 {
            let fraction =
                iso_local_time(NaiveTime::from_hms_nano_opt(0, 0, 0, nanos).unwrap_or_default());
            text.push_str(fraction.trim_start_matches("00:00:00"));
        }
    }
    let offset = london.offset().fix().local_minus_utc();
    if offset == 0 {
        text.push('Z');
    } else {
        let sign = if offset < 0 { '-' } else { '+' };
        let offset = offset.abs();
        text.push_str(&format!(
            "{sign}{:02}:{:02}",
            offset / 3600,
            (offset % 3600) / 60
        ));
    }
    text.push_str("[Europe/London]");
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn spec_2_2_2_has_changed_truth_table() {
        let a = Some(at("2023-02-14T15:00:00.400Z"));
        assert!(!has_changed(None, None));
        assert!(has_changed(a, None));
        assert!(has_changed(None, a));
        assert!(!has_changed(a, Some(at("2023-02-14T15:00:00.900Z"))));
        assert!(!has_changed(a, Some(at("2023-02-14T16:00:00+01:00"))));
        assert!(has_changed(a, Some(at("2023-02-14T15:00:01Z"))));
    }

    #[test]
    fn spec_2_2_1_times_are_java_iso_local_times() {
        let t = |h, m, s, n| NaiveTime::from_hms_nano_opt(h, m, s, n).unwrap();
        assert_eq!(iso_local_time(t(10, 30, 0, 0)), "10:30:00");
        assert_eq!(iso_local_time(t(9, 5, 7, 120_000_000)), "09:05:07.120");
        assert_eq!(iso_local_time(t(9, 5, 7, 1_000)), "09:05:07.000001");
        assert_eq!(iso_local_time(t(9, 5, 7, 1)), "09:05:07.000000001");
        assert_eq!(london_time_string(&at("2023-06-01T09:30:00Z")), "10:30:00");
        // The string comparison the clash rule relies on: a prefix sorts first.
        assert!("10:30" < "10:30:00");
    }

    #[test]
    fn spec_3_5_end_date_is_the_java_zoned_date_time_in_london() {
        assert_eq!(
            java_zoned_london(&at("2023-02-23T15:29:54.197Z")),
            "2023-02-23T15:29:54.197Z[Europe/London]"
        );
        assert_eq!(
            java_zoned_london(&at("2023-06-23T15:29:00Z")),
            "2023-06-23T16:29+01:00[Europe/London]"
        );
    }
}
