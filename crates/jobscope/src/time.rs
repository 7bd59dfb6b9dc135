//! Time on the wire, in one place: [`EpochTime`] (epoch seconds as each plane sends them), conversions from the
//! epoch milliseconds servers keep, and calendar text — without a clock or a time zone database (wasm has neither).

use std::fmt;

use crate::plane::Plane;

/// A point in time as epoch seconds, kept as sent: whole (`long` on the data plane) or fractional (the control
/// plane's `timestamp`, e.g. `1560787023.636`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EpochTime {
    /// Whole seconds, exact.
    Seconds(i64),
    /// Seconds with a fraction.
    Fractional(f64),
}

impl EpochTime {
    /// The value as a float (what JS `Date` wants, times 1000).
    pub fn as_f64(self) -> f64 {
        match self {
            EpochTime::Seconds(s) => s as f64,
            EpochTime::Fractional(f) => f,
        }
    }

    /// Whole seconds, rounded toward negative infinity.
    pub fn whole_seconds(self) -> i64 {
        match self {
            EpochTime::Seconds(s) => s,
            EpochTime::Fractional(f) => f.floor() as i64,
        }
    }
}

impl PartialOrd for EpochTime {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        match (self, other) {
            (EpochTime::Seconds(a), EpochTime::Seconds(b)) => a.partial_cmp(b),
            _ => self.as_f64().partial_cmp(&other.as_f64()),
        }
    }
}

impl fmt::Display for EpochTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EpochTime::Seconds(s) => s.fmt(f),
            EpochTime::Fractional(x) => crate::text::Float(*x).fmt(f),
        }
    }
}

impl serde::Serialize for EpochTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            EpochTime::Seconds(s) => serializer.serialize_i64(*s),
            EpochTime::Fractional(x) => serializer.serialize_f64(*x),
        }
    }
}

impl EpochTime {
    /// The wire time of an instant kept in epoch milliseconds: whole seconds (rounded down) on the data plane,
    /// where the model says `long`; on the control plane, whole seconds when the milliseconds are zero, else
    /// fractional seconds (`1560787023.636`).
    ///
    /// ```
    /// use jobscope::{EpochTime, Plane};
    /// assert_eq!(EpochTime::from_millis(Plane::Data, 1_560_787_023_636), EpochTime::Seconds(1_560_787_023));
    /// assert_eq!(EpochTime::from_millis(Plane::Control, 1_560_787_023_636), EpochTime::Fractional(1_560_787_023.636));
    /// assert_eq!(EpochTime::from_millis(Plane::Control, 1_560_787_023_000), EpochTime::Seconds(1_560_787_023));
    /// assert_eq!(EpochTime::from_millis(Plane::Data, -1), EpochTime::Seconds(-1));
    /// ```
    pub fn from_millis(plane: Plane, ms: i64) -> EpochTime {
        match plane {
            Plane::Control if ms % 1000 != 0 => EpochTime::Fractional(ms as f64 / 1000.0),
            _ => EpochTime::Seconds(ms.div_euclid(1000)),
        }
    }

    /// Epoch milliseconds (fractions rounded to the nearest millisecond); `None` outside `i64`.
    pub fn to_millis(self) -> Option<i64> {
        match self {
            EpochTime::Seconds(s) => s.checked_mul(1000),
            EpochTime::Fractional(f) => {
                let ms = (f * 1000.0).round();
                (ms.is_finite() && ms >= i64::MIN as f64 && ms < i64::MAX as f64)
                    .then_some(ms as i64)
            }
        }
    }
}

impl crate::codec::json::FromJson for EpochTime {
    /// Epoch seconds: whole seconds exactly, or seconds with a fraction.
    fn read(
        json: &mut crate::codec::json::Reader<'_>,
    ) -> Result<Self, crate::codec::json::JsonError> {
        let number = json.number("epoch seconds")?;
        match number.to_i64() {
            Some(seconds) => Ok(EpochTime::Seconds(seconds)),
            None if number.is_whole() => {
                Err(json.data_error("epoch seconds out of range".to_owned()))
            }
            None => Ok(EpochTime::Fractional(number.to_f64())),
        }
    }
}

/// Whole seconds from `now_ms` until `deadline_ms`, rounded up, never negative
/// (`approximateSecondsBeforeTimedOut`).
///
/// ```
/// assert_eq!(jobscope::seconds_until(10_001, 0), 11);
/// assert_eq!(jobscope::seconds_until(0, 5_000), 0);
/// ```
pub fn seconds_until(deadline_ms: i64, now_ms: i64) -> i64 {
    let left = deadline_ms.saturating_sub(now_ms).max(0);
    left / 1000 + i64::from(left % 1000 != 0)
}

/// Formats epoch seconds as UTC ISO 8601: `2024-06-15T16:00:00Z`. `None` outside years 0000–9999.
///
/// ```
/// assert_eq!(jobscope::format_utc(1718467200).as_deref(), Some("2024-06-15T16:00:00Z"));
/// assert_eq!(jobscope::format_utc(0).as_deref(), Some("1970-01-01T00:00:00Z"));
/// ```
pub fn format_utc(seconds: i64) -> Option<String> {
    const MIN: i64 = -62_167_219_200; // 0000-01-01T00:00:00Z
    const MAX: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z
    if !(MIN..=MAX).contains(&seconds) {
        return None;
    }
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    ))
}

/// Formats epoch seconds as the SigV4 `x-amz-date` form, `20150830T123600Z`. `None` outside years 0000–9999.
pub(crate) fn amz_date(seconds: i64) -> Option<String> {
    format_utc(seconds).map(|iso| iso.replace(['-', ':'], ""))
}

/// Parses `20150830T123600Z` back to epoch seconds.
pub(crate) fn parse_amz_date(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
    let (year, month, day) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (hour, minute, second) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    Some(
        days_from_civil(year, month as u32, day as u32) * 86_400
            + hour * 3600
            + minute * 60
            + second,
    )
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Howard Hinnant's `civil_from_days`: days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amz_dates_round_trip() {
        assert_eq!(amz_date(1_440_938_160).as_deref(), Some("20150830T123600Z"));
        assert_eq!(parse_amz_date("20150830T123600Z"), Some(1_440_938_160));
        assert_eq!(parse_amz_date("20000229T000000Z"), Some(951_782_400));
        for bad in [
            "2015-08-30T12:36:00Z",
            "20151330T123600Z",
            "20150830T123600",
            "",
        ] {
            assert_eq!(parse_amz_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn known_dates() {
        assert_eq!(format_utc(951_782_400).unwrap(), "2000-02-29T00:00:00Z");
        assert_eq!(format_utc(-1).unwrap(), "1969-12-31T23:59:59Z");
        assert_eq!(format_utc(253_402_300_799).unwrap(), "9999-12-31T23:59:59Z");
        assert_eq!(format_utc(253_402_300_800), None);
        assert_eq!(format_utc(i64::MIN), None);
    }
}
