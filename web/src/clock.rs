//! The browser's clock, as the core's epoch types want it (the core reads no clock).

use std::time::Duration;

use jobscope::{EpochTime, Plane};
use leptos::prelude::{RwSignal, Set, on_cleanup, set_interval_with_handle};

/// Epoch milliseconds now.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Whole epoch seconds now (SigV4's `x-amz-date` has no fraction): the core's conversion, as the data plane
/// writes times.
pub fn now_seconds() -> i64 {
    EpochTime::from_millis(Plane::Data, now_ms()).whole_seconds()
}

/// [`now_ms`] as a signal that ticks every second while the calling component is mounted (relative times and
/// countdowns follow it).
pub fn ticking() -> RwSignal<i64> {
    let now = RwSignal::new(now_ms());
    if let Ok(tick) = set_interval_with_handle(move || now.set(now_ms()), Duration::from_secs(1)) {
        on_cleanup(move || tick.clear());
    }
    now
}
