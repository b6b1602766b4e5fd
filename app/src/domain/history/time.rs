//! Calendar dates and timestamps as history stores them (RFC 3339, UTC), on the `time`
//! crate's calendar.

use serde::{Deserialize, Serialize};
use std::fmt;
use time::{
    format_description::well_known::Rfc3339, macros::format_description, Month, OffsetDateTime,
};

const MS_PER_DAY: i64 = 86_400_000;

/// The years a [`Date`] may have.
const YEARS: std::ops::RangeInclusive<i32> = 1970..=9999;

/// A calendar day (UTC), as the date filters and the dashboard use it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date(time::Date);

impl Date {
    /// `YYYY-MM-DD`, a real calendar day between years 1970 and 9999.
    pub fn parse(text: &str) -> Option<Date> {
        // Ten characters: `[year]` would also read a sign (`+2026-11-26`).
        if text.len() != 10 {
            return None;
        }
        time::Date::parse(text, format_description!("[year]-[month]-[day]"))
            .ok()
            .and_then(Date::within_years)
    }

    /// The day with this year, month (1-12) and day of month, if it exists.
    pub fn from_ymd(year: i64, month: i64, day: i64) -> Option<Date> {
        let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
        time::Date::from_calendar_date(year.try_into().ok()?, month, day.try_into().ok()?)
            .ok()
            .and_then(Date::within_years)
    }

    fn within_years(date: time::Date) -> Option<Date> {
        YEARS.contains(&date.year()).then_some(Date(date))
    }

    /// The day a timestamp (milliseconds since the epoch) falls on.
    pub fn from_epoch_ms(ms: i64) -> Date {
        let day = time::Duration::days(ms.div_euclid(MS_PER_DAY));
        Date(OffsetDateTime::UNIX_EPOCH.date().saturating_add(day))
    }

    /// (year, month, day).
    pub fn ymd(self) -> (i64, i64, i64) {
        let (year, month, day) = self.0.to_calendar_date();
        (i64::from(year), i64::from(u8::from(month)), i64::from(day))
    }

    /// The day `n` days later (earlier when negative).
    pub fn add_days(self, n: i64) -> Date {
        Date(self.0.saturating_add(time::Duration::days(n)))
    }

    /// Days from `self` to `other` (positive when `other` is later).
    pub fn days_until(self, other: Date) -> i64 {
        (other.0 - self.0).whole_days()
    }

    /// Midnight at the start of the day, as history stores times: `2026-11-26T00:00:00.000Z`.
    /// Stored times compare correctly with it as strings.
    pub fn start_rfc3339(self) -> String {
        format!("{self}T00:00:00.000Z")
    }

    /// Milliseconds since the epoch at midnight starting the day.
    pub fn start_epoch_ms(self) -> i64 {
        self.0.midnight().assume_utc().unix_timestamp() * 1000
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl TryFrom<String> for Date {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Date::parse(&value).ok_or_else(|| format!("{value} is not a date (YYYY-MM-DD)"))
    }
}

impl From<Date> for String {
    fn from(date: Date) -> String {
        date.to_string()
    }
}

/// Milliseconds since the epoch of an RFC 3339 timestamp: `2026-11-26T04:50:12Z`, with an
/// optional fraction (`.345`, any number of digits) and `Z` or an offset (`+01:00`).
/// A space instead of `T` is accepted (SQLite's own format).
pub fn parse_timestamp_ms(text: &str) -> Option<i64> {
    let text = text.trim();
    // `time` takes any separator; history writes `T`, SQLite a space.
    if !matches!(text.as_bytes().get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let at = OffsetDateTime::parse(text, &Rfc3339).ok()?;
    Date::within_years(at.date())?;
    i64::try_from(at.unix_timestamp_nanos().div_euclid(1_000_000)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_only_real_days() {
        assert_eq!(Date::parse("2026-11-26").unwrap().to_string(), "2026-11-26");
        assert_eq!(Date::parse("2024-02-29").unwrap().ymd(), (2024, 2, 29));
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-11-31",
            "26-11-26",
            "2026/11/26",
            "2026-1-26",
            "+026-11-26",
            "1969-12-31",
            "",
            "2026-11-2x",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn day_arithmetic_crosses_months_years_and_leap_days() {
        let d = Date::parse("2024-02-28").unwrap();
        assert_eq!(d.add_days(1).to_string(), "2024-02-29");
        assert_eq!(d.add_days(2).to_string(), "2024-03-01");
        assert_eq!(
            Date::parse("2026-12-31").unwrap().add_days(1).to_string(),
            "2027-01-01"
        );
        assert_eq!(Date::parse("1970-01-01").unwrap().start_epoch_ms(), 0);
        assert_eq!(
            Date::parse("2026-11-01")
                .unwrap()
                .days_until(Date::parse("2026-11-26").unwrap()),
            25
        );
        assert_eq!(
            Date::parse("2026-11-26").unwrap().start_rfc3339(),
            "2026-11-26T00:00:00.000Z"
        );
        // Every day of four years round-trips through (y, m, d).
        let start = Date::parse("2023-01-01").unwrap();
        for n in 0..(4 * 366) {
            let day = start.add_days(n);
            let (y, m, d) = day.ymd();
            assert_eq!(Date::from_ymd(y, m, d), Some(day));
        }
    }

    #[test]
    fn timestamps_parse_to_epoch_milliseconds() {
        assert_eq!(parse_timestamp_ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_timestamp_ms("1970-01-01T00:00:01.5Z"), Some(1500));
        assert_eq!(parse_timestamp_ms("1970-01-01T00:00:00.123456Z"), Some(123));
        assert_eq!(parse_timestamp_ms("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(parse_timestamp_ms("1970-01-01 00:01:00.000Z"), Some(60_000));
        let stored = parse_timestamp_ms("2026-11-26T04:50:12.345Z").unwrap();
        assert_eq!(Date::from_epoch_ms(stored).to_string(), "2026-11-26");
        assert_eq!(stored % 1000, 345);
        for bad in [
            "2026-11-26",
            "2026-11-26T25:00:00Z",
            "2026-11-26T04:50:12",
            "2026-11-26T04:50:12.Z",
            "2026-11-26T04:50:12+0100",
            "garbage garbage garbage",
        ] {
            assert_eq!(parse_timestamp_ms(bad), None, "{bad}");
        }
    }
}
