//! Times for people: local date-time, "4 min ago" and countdowns. Epoch values go through the core's conversions.

use jobscope::EpochTime;

/// The time in the browser's locale and time zone; the raw value when it is outside what a date can hold.
pub fn local(time: EpochTime) -> String {
    match time.to_millis() {
        Some(ms) => {
            let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
            String::from(date.to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED))
        }
        None => time.to_string(),
    }
}

/// "42 s ago", "4 min ago", "3 h ago", "2 d ago", or "in 5 min"; empty when the time is out of range.
pub fn relative(time: EpochTime, now_ms: i64) -> String {
    let Some(ms) = time.to_millis() else {
        return String::new();
    };
    let delta = now_ms.saturating_sub(ms);
    let amount = delta.unsigned_abs() as f64 / 1000.0;
    let text = if amount < 60.0 {
        format!("{} s", amount.round() as i64)
    } else if amount < 3600.0 {
        format!("{} min", (amount / 60.0).round() as i64)
    } else if amount < 86_400.0 {
        format!("{} h", (amount / 3600.0).round() as i64)
    } else {
        format!("{} d", (amount / 86_400.0).round() as i64)
    };
    if delta >= 0 {
        format!("{text} ago")
    } else {
        format!("in {text}")
    }
}

/// A countdown: "58 min 20 s", "42 s".
pub fn countdown(seconds: i64) -> String {
    let seconds = seconds.max(0);
    match (seconds / 3600, seconds % 3600 / 60, seconds % 60) {
        (0, 0, s) => format!("{s} s"),
        (0, m, s) => format!("{m} min {s} s"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_and_countdown() {
        let at = |s: i64| EpochTime::Seconds(s);
        assert_eq!(relative(at(1000), 1_042_000), "42 s ago");
        assert_eq!(relative(at(1000), (1000 + 240) * 1000), "4 min ago");
        assert_eq!(relative(at(1000 + 300), 1_000_000), "in 5 min");
        assert_eq!(relative(at(0), 3 * 86_400_000), "3 d ago");
        assert_eq!(relative(EpochTime::Fractional(1.5), 3_000), "2 s ago");
        assert_eq!(relative(at(i64::MAX), 0), "");
        assert_eq!(countdown(3500), "58 min 20 s");
        assert_eq!(countdown(42), "42 s");
        assert_eq!(countdown(7300), "2 h 1 min");
        assert_eq!(countdown(-5), "0 s");
    }
}
