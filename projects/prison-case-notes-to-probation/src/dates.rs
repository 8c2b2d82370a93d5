//! Date-times from the upstream APIs, and the formats this service writes.
//!
//! Delius stores Europe/London wall-clock time. The case-notes API sends date-times with an offset;
//! the Alerts API sometimes sends them without one (`2025-02-28T14:38:30.22417`), and those are
//! Europe/London local times (deduced from the samples; see the README).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, SubsecRound};
use delius_data::time::{from_london, to_london};
use serde::{Deserialize, Deserializer};

/// The date-time format of case-note notes (amendment headers), data-cleanse notes and telemetry:
/// `yyyy/MM/dd HH:mm:ss`, Europe/London. It is not the platform's `dd/MM/yyyy` display format.
pub const CASE_NOTE_DATE_TIME_FORMAT: &str = "%Y/%m/%d %H:%M:%S";
/// The date format of telemetry dates (`activeFrom`, `activeTo`), `yyyy/MM/dd`.
pub const CASE_NOTE_DATE_FORMAT: &str = "%Y/%m/%d";

/// Parses an ISO-8601 date-time with an offset (`2022-07-20T11:25:20+00:00`, `...Z`) as that
/// instant, or one without an offset as Europe/London local time.
pub fn parse_date_time(text: &str) -> Result<DateTime<FixedOffset>, String> {
    let text = text.trim();
    if let Ok(with_offset) = DateTime::parse_from_rfc3339(text) {
        return Ok(with_offset);
    }
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M"))
        .map(|local| from_london(local).fixed_offset())
        .map_err(|_| format!("{text:?} is not an ISO-8601 date-time"))
}

/// `deserialize_with` for a required date-time (see [`parse_date_time`]).
pub fn date_time<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
    let text = String::deserialize(d)?;
    parse_date_time(&text).map_err(serde::de::Error::custom)
}

/// `deserialize_with` for an optional date-time: absent or null is `None`.
pub fn optional_date_time<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
    match Option::<String>::deserialize(d)? {
        Some(text) => parse_date_time(&text)
            .map(Some)
            .map_err(serde::de::Error::custom),
        None => Ok(None),
    }
}

/// The Europe/London wall-clock time Delius stores, cut to whole seconds (Delius `DATE`
/// precision, and the precision of the out-of-order check).
pub fn london(instant: &DateTime<FixedOffset>) -> NaiveDateTime {
    to_london(instant).trunc_subsecs(0)
}

/// `yyyy/MM/dd HH:mm:ss` in Europe/London.
pub fn format_date_time(instant: &DateTime<FixedOffset>) -> String {
    to_london(instant)
        .format(CASE_NOTE_DATE_TIME_FORMAT)
        .to_string()
}

/// `yyyy/MM/dd HH:mm:ss` of a stored (already Europe/London) wall-clock time.
pub fn format_london(stored: &NaiveDateTime) -> String {
    stored.format(CASE_NOTE_DATE_TIME_FORMAT).to_string()
}

pub fn format_date(date: &NaiveDate) -> String {
    date.format(CASE_NOTE_DATE_FORMAT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveTime, TimeZone, Utc};

    fn at(date: &str, time: &str) -> NaiveDateTime {
        NaiveDateTime::new(
            NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
            NaiveTime::parse_from_str(time, "%H:%M:%S").unwrap(),
        )
    }

    #[test]
    fn date_times_with_an_offset_are_that_instant() {
        let t = parse_date_time("2022-07-20T11:25:20+00:00").unwrap();
        assert_eq!(t, Utc.with_ymd_and_hms(2022, 7, 20, 11, 25, 20).unwrap());
        let z = parse_date_time("2025-02-28T14:38:30.224174387Z").unwrap();
        assert_eq!(london(&z), at("2025-02-28", "14:38:30"));
    }

    #[test]
    fn date_times_without_an_offset_are_london_local_time() {
        // Summer: London is UTC+1, so the instant is an hour earlier in UTC.
        let summer = parse_date_time("2024-07-01T12:00:00.5").unwrap();
        assert_eq!(
            summer,
            Utc.with_ymd_and_hms(2024, 7, 1, 11, 0, 0).unwrap()
                + chrono::Duration::milliseconds(500)
        );
        assert_eq!(london(&summer), at("2024-07-01", "12:00:00"));
        // Winter: London is UTC.
        let winter = parse_date_time("2025-02-28T14:38:30.22417").unwrap();
        assert_eq!(
            winter.with_timezone(&Utc),
            Utc.with_ymd_and_hms(2025, 2, 28, 14, 38, 30).unwrap()
                + chrono::Duration::microseconds(224170)
        );
    }

    #[test]
    fn stored_times_are_london_wall_clock_cut_to_seconds() {
        let t = parse_date_time("2022-10-18T08:19:19.451579+01:00").unwrap();
        assert_eq!(london(&t), at("2022-10-18", "08:19:19"));
        let foreign = parse_date_time("2024-07-01T12:00:00+02:00").unwrap();
        assert_eq!(london(&foreign), at("2024-07-01", "11:00:00"));
    }

    #[test]
    fn formats_are_year_first_in_london_time() {
        let t = parse_date_time("2022-07-20T11:25:20+00:00").unwrap();
        assert_eq!(format_date_time(&t), "2022/07/20 12:25:20");
        let winter = parse_date_time("2022-01-20T11:25:20+00:00").unwrap();
        assert_eq!(format_date_time(&winter), "2022/01/20 11:25:20");
        assert_eq!(
            format_london(&at("2024-03-05", "09:07:01")),
            "2024/03/05 09:07:01"
        );
        assert_eq!(
            format_date(&at("2025-02-27", "00:00:00").date()),
            "2025/02/27"
        );
    }

    #[test]
    fn rejects_text_that_is_not_a_date_time() {
        assert!(parse_date_time("yesterday").is_err());
        assert!(parse_date_time("2025-02-28").is_err());
    }
}
