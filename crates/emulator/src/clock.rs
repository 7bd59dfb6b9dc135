//! The emulator's clock: a base (the system clock, or a fixed instant for tests) plus an offset that tests and
//! `POST /_emulator/clock` advance, so timeouts measured in minutes can be exercised in milliseconds.
//!
//! Every reading and every move saturates: the clock never runs backwards and never passes [`Clock::MAX_MS`]
//! (the last millisecond of the year 9999, the last instant a calendar date can be written for), whatever it is
//! asked to do.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Where the clock's time comes from before the offset is added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Base {
    /// The system clock.
    System,
    /// A fixed instant, in epoch milliseconds: time moves only when the clock is advanced.
    Manual(i64),
}

/// A shared clock: clones read and move the same time.
#[derive(Debug, Clone)]
pub struct Clock {
    base: Base,
    offset_ms: Arc<AtomicI64>,
}

impl Default for Clock {
    /// The system clock.
    fn default() -> Self {
        Clock::system()
    }
}

impl Clock {
    /// The latest time the clock shows: 9999-12-31T23:59:59.999Z, in epoch milliseconds.
    pub const MAX_MS: i64 = 253_402_300_799_999;

    /// The system clock (plus whatever it is advanced by).
    pub fn system() -> Clock {
        Clock {
            base: Base::System,
            offset_ms: Arc::default(),
        }
    }

    /// A clock that stands at `start_ms` (epoch milliseconds) until it is advanced: tests that need exact times.
    ///
    /// ```
    /// use jobscope_emulator::Clock;
    /// let clock = Clock::manual(1_700_000_000_000);
    /// assert_eq!(clock.now_ms(), 1_700_000_000_000);
    /// clock.advance_ms(1_500);
    /// assert_eq!(clock.now_ms(), 1_700_000_001_500);
    /// ```
    pub fn manual(start_ms: i64) -> Clock {
        Clock {
            base: Base::Manual(start_ms.clamp(0, Self::MAX_MS)),
            offset_ms: Arc::default(),
        }
    }

    /// Milliseconds since the epoch, with the offset applied; never above [`Clock::MAX_MS`].
    pub fn now_ms(&self) -> i64 {
        let base = match self.base {
            Base::System => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
            Base::Manual(start) => start,
        };
        base.saturating_add(self.offset_ms.load(Ordering::Relaxed))
            .min(Self::MAX_MS)
    }

    /// How far the clock can still move: milliseconds from now to [`Clock::MAX_MS`].
    pub fn headroom_ms(&self) -> i64 {
        Self::MAX_MS - self.now_ms()
    }

    /// Moves the clock forward by `ms` (a negative value moves nothing; the sum saturates, so the clock stops at
    /// [`Clock::MAX_MS`] instead of wrapping around). Returns the time after the move.
    ///
    /// ```
    /// use jobscope_emulator::Clock;
    /// let clock = Clock::manual(1_000);
    /// assert_eq!(clock.advance_ms(-5), 1_000);
    /// assert_eq!(clock.advance_ms(i64::MAX), Clock::MAX_MS);
    /// assert_eq!(clock.advance_ms(i64::MAX), Clock::MAX_MS, "still not wrapped");
    /// ```
    pub fn advance_ms(&self, ms: i64) -> i64 {
        let step = ms.max(0);
        // `fetch_update` with a closure that always returns `Some` cannot fail.
        let _ = self
            .offset_ms
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |offset| {
                Some(offset.saturating_add(step))
            });
        self.now_ms()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_system_clock_moves_forward_only() {
        let clock = Clock::system();
        let before = clock.now_ms();
        assert!(before > 1_600_000_000_000, "a plausible epoch time");
        let after = clock.advance_ms(60_000);
        assert!(after >= before + 60_000);
        clock.advance_ms(-60_000);
        assert!(clock.now_ms() >= after);
        // The overflowing advance of the old `POST /_emulator/clock` bug: it saturates instead of wrapping.
        assert_eq!(
            clock.advance_ms(9_223_372_036_854_775 * 1000),
            Clock::MAX_MS
        );
        assert_eq!(clock.advance_ms(i64::MAX), Clock::MAX_MS);
        assert_eq!(clock.headroom_ms(), 0);
    }

    #[test]
    fn clones_share_the_time() {
        let clock = Clock::manual(5_000);
        let other = clock.clone();
        other.advance_ms(2_000);
        assert_eq!(clock.now_ms(), 7_000);
        assert_eq!(Clock::manual(-1).now_ms(), 0);
    }
}
