//! Times for people: local date-time and "4 min ago".

use jobscope::EpochTime;

/// The time in the browser's locale and time zone.
pub fn local(time: EpochTime) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(time.as_f64() * 1000.0));
    String::from(date.to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED))
}

/// "42 s ago", "4 min ago", "3 h ago", "2 d ago", or "in 5 min".
pub fn relative(seconds: f64, now_seconds: f64) -> String {
    let delta = now_seconds - seconds;
    let (amount, suffix) = if delta >= 0.0 {
        (delta, " ago")
    } else {
        (-delta, "")
    };
    let prefix = if delta >= 0.0 { "" } else { "in " };
    let text = if amount < 60.0 {
        format!("{} s", amount.round() as i64)
    } else if amount < 3600.0 {
        format!("{} min", (amount / 60.0).round() as i64)
    } else if amount < 86_400.0 {
        format!("{} h", (amount / 3600.0).round() as i64)
    } else {
        format!("{} d", (amount / 86_400.0).round() as i64)
    };
    format!("{prefix}{text}{suffix}")
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
        assert_eq!(relative(1000.0, 1042.0), "42 s ago");
        assert_eq!(relative(1000.0, 1000.0 + 240.0), "4 min ago");
        assert_eq!(relative(1000.0 + 300.0, 1000.0), "in 5 min");
        assert_eq!(relative(0.0, 3.0 * 86_400.0), "3 d ago");
        assert_eq!(countdown(3500), "58 min 20 s");
        assert_eq!(countdown(42), "42 s");
        assert_eq!(countdown(7300), "2 h 1 min");
        assert_eq!(countdown(-5), "0 s");
    }
}
