//! Calendar dates and timestamps as history stores them (RFC 3339, UTC), without a date
//! library: the proleptic Gregorian calendar, days counted from 1970-01-01.

use serde::{Deserialize, Serialize};
use std::fmt;

const MS_PER_DAY: i64 = 86_400_000;

/// A calendar day (UTC), as the date filters and the dashboard use it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    /// Days since 1970-01-01.
    days: i64,
}

impl Date {
    /// `YYYY-MM-DD`, a real calendar day between years 1970 and 9999.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<i64> {
            let part = &text[range];
            part.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| part.parse().ok())
                .flatten()
        };
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        Date::from_ymd(year, month, day)
    }

    /// The day with this year, month (1-12) and day of month, if it exists.
    pub fn from_ymd(year: i64, month: i64, day: i64) -> Option<Date> {
        if !(1970..=9999).contains(&year)
            || !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
        {
            return None;
        }
        Some(Date {
            days: days_from_civil(year, month, day),
        })
    }

    /// The day a timestamp (milliseconds since the epoch) falls on.
    pub fn from_epoch_ms(ms: i64) -> Date {
        Date {
            days: ms.div_euclid(MS_PER_DAY),
        }
    }

    /// (year, month, day).
    pub fn ymd(self) -> (i64, i64, i64) {
        civil_from_days(self.days)
    }

    /// The day `n` days later (earlier when negative).
    pub fn add_days(self, n: i64) -> Date {
        Date {
            days: self.days + n,
        }
    }

    /// Days from `self` to `other` (positive when `other` is later).
    pub fn days_until(self, other: Date) -> i64 {
        other.days - self.days
    }

    /// Midnight at the start of the day, as history stores times: `2026-11-26T00:00:00.000Z`.
    /// Stored times compare correctly with it as strings.
    pub fn start_rfc3339(self) -> String {
        format!("{self}T00:00:00.000Z")
    }

    /// Milliseconds since the epoch at midnight starting the day.
    pub fn start_epoch_ms(self) -> i64 {
        self.days * MS_PER_DAY
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
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

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        _ => 28,
    }
}

// Howard Hinnant's algorithms (http://howardhinnant.github.io/date_algorithms.html).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Milliseconds since the epoch of an RFC 3339 timestamp: `2026-11-26T04:50:12Z`, with an
/// optional fraction (`.345`, any number of digits) and `Z` or an offset (`+01:00`).
/// A space instead of `T` is accepted (SQLite's own format).
pub fn parse_timestamp_ms(text: &str) -> Option<i64> {
    let text = text.trim();
    if text.len() < 20 || !text.is_char_boundary(10) {
        return None;
    }
    let date = Date::parse(&text[..10])?;
    let rest = text[10..].strip_prefix(['T', 't', ' '])?;
    let bytes = rest.as_bytes();
    if bytes.len() < 9 || bytes[2] != b':' || bytes[5] != b':' {
        return None;
    }
    let two = |at: usize| -> Option<i64> {
        let part = rest.get(at..at + 2)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (hour, minute, second) = (two(0)?, two(3)?, two(6)?);
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &rest[8..];
    let mut millis = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let first3 = format!("{:0<3}", &fraction[..digits.min(3)]);
        millis = first3.parse::<i64>().ok()?;
        rest = &fraction[digits..];
    }
    let offset_minutes = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let offset = &rest[1..];
            if offset.len() != 5 || offset.as_bytes()[2] != b':' {
                return None;
            }
            let (h, m) = (
                offset[..2].parse::<i64>().ok()?,
                offset[3..].parse::<i64>().ok()?,
            );
            if h > 23 || m > 59 {
                return None;
            }
            sign * (h * 60 + m)
        }
    };
    Some(
        date.start_epoch_ms()
            + ((hour * 60 + minute - offset_minutes) * 60 + second) * 1000
            + millis,
    )
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
