//! The browser's clock, as the core's epoch types want it (the core reads no clock).

use jobscope::{EpochTime, Plane};

/// Epoch milliseconds now.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Whole epoch seconds now (SigV4's `x-amz-date` has no fraction): the core's conversion, as the data plane
/// writes times.
pub fn now_seconds() -> i64 {
    EpochTime::from_millis(Plane::Data, now_ms()).whole_seconds()
}
