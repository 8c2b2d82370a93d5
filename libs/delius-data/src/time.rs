//! Delius keeps local wall-clock time in Europe/London. Incoming zoned times are converted before
//! they are stored, and stored values are read back as Europe/London.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

pub const EUROPE_LONDON: Tz = chrono_tz::Europe::London;

/// Delius's display format for date-times, e.g. in contact notes: `dd/MM/yyyy HH:mm:ss`.
pub const DELIUS_DATE_TIME_FORMAT: &str = "%d/%m/%Y %H:%M:%S";
/// Delius's display format for dates: `dd/MM/yyyy`.
pub const DELIUS_DATE_FORMAT: &str = "%d/%m/%Y";

/// The Europe/London wall-clock time of an instant, as stored in a `timestamp` column.
pub fn to_london<Z: TimeZone>(instant: &DateTime<Z>) -> NaiveDateTime {
    instant.with_timezone(&EUROPE_LONDON).naive_local()
}

/// Now, as Europe/London wall-clock time.
pub fn now_london() -> NaiveDateTime {
    to_london(&Utc::now())
}

/// Today's date in Europe/London.
pub fn today_london() -> NaiveDate {
    now_london().date()
}

/// Reads a stored wall-clock time back as an instant. In the autumn hour that happens twice the
/// earlier instant is taken; a time in the skipped spring hour is moved forward by an hour.
pub fn from_london(stored: NaiveDateTime) -> DateTime<Tz> {
    match EUROPE_LONDON.from_local_datetime(&stored) {
        LocalResult::Single(t) => t,
        LocalResult::Ambiguous(earlier, _) => earlier,
        LocalResult::None => {
            let shifted = stored + chrono::Duration::hours(1);
            EUROPE_LONDON
                .from_local_datetime(&shifted)
                .earliest()
                .unwrap_or_else(|| EUROPE_LONDON.from_utc_datetime(&stored))
        }
    }
}

pub fn format_delius_date_time(stored: &NaiveDateTime) -> String {
    stored.format(DELIUS_DATE_TIME_FORMAT).to_string()
}

pub fn format_delius_date(date: &NaiveDate) -> String {
    date.format(DELIUS_DATE_FORMAT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, NaiveTime};

    fn at(d: &str, t: &str) -> NaiveDateTime {
        NaiveDateTime::new(
            NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap(),
            NaiveTime::parse_from_str(t, "%H:%M:%S").unwrap(),
        )
    }

    #[test]
    fn summer_instants_are_stored_an_hour_ahead_of_utc() {
        let utc = Utc.with_ymd_and_hms(2024, 7, 1, 12, 0, 0).unwrap();
        assert_eq!(to_london(&utc), at("2024-07-01", "13:00:00"));
    }

    #[test]
    fn winter_instants_are_stored_as_utc() {
        let utc = Utc.with_ymd_and_hms(2024, 1, 1, 12, 0, 0).unwrap();
        assert_eq!(to_london(&utc), at("2024-01-01", "12:00:00"));
    }

    #[test]
    fn offsets_are_converted_not_copied() {
        let plus_two = FixedOffset::east_opt(2 * 3600).unwrap();
        let t = plus_two.with_ymd_and_hms(2024, 7, 1, 12, 0, 0).unwrap();
        assert_eq!(to_london(&t), at("2024-07-01", "11:00:00"));
    }

    #[test]
    fn ambiguous_autumn_time_reads_back_as_the_earlier_instant() {
        let t = from_london(at("2024-10-27", "01:30:00"));
        assert_eq!(
            t.with_timezone(&Utc),
            Utc.with_ymd_and_hms(2024, 10, 27, 0, 30, 0).unwrap()
        );
    }

    #[test]
    fn skipped_spring_time_moves_forward() {
        let t = from_london(at("2024-03-31", "01:30:00"));
        assert_eq!(t.naive_local(), at("2024-03-31", "02:30:00"));
    }

    #[test]
    fn delius_formats() {
        assert_eq!(
            format_delius_date_time(&at("2024-03-05", "09:07:01")),
            "05/03/2024 09:07:01"
        );
        assert_eq!(
            format_delius_date(&at("2024-03-05", "09:07:01").date()),
            "05/03/2024"
        );
    }
}
