//! Epoch-seconds to calendar text, without a clock or a time zone database (wasm has neither).

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
    fn known_dates() {
        assert_eq!(format_utc(951_782_400).unwrap(), "2000-02-29T00:00:00Z");
        assert_eq!(format_utc(-1).unwrap(), "1969-12-31T23:59:59Z");
        assert_eq!(format_utc(253_402_300_799).unwrap(), "9999-12-31T23:59:59Z");
        assert_eq!(format_utc(253_402_300_800), None);
        assert_eq!(format_utc(i64::MIN), None);
    }
}
