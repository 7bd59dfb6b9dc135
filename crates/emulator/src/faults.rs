//! Fault injection for testing clients: a share of requests answered with ThrottlingException or
//! ServiceUnavailableException, and added latency.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jobscope::ErrorCode;

use crate::AppState;
use crate::error::ApiError;

/// What to inject. Rates are shares of requests, 0.0 to 1.0.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    pub throttle_rate: f64,
    pub unavailable_rate: f64,
    pub latency: Duration,
}

impl Faults {
    pub fn is_active(&self) -> bool {
        self.throttle_rate > 0.0 || self.unavailable_rate > 0.0 || !self.latency.is_zero()
    }
}

/// A small xorshift generator: fault decisions need no cryptographic quality.
pub struct Dice(AtomicU64);

impl Dice {
    pub fn new(seed: u64) -> Dice {
        Dice(AtomicU64::new(seed | 1))
    }

    /// A uniform value in [0, 1).
    pub fn roll(&self) -> f64 {
        let mut x = self.0.load(Ordering::Relaxed);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0.store(x, Ordering::Relaxed);
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Answers a share of API requests with ThrottlingException or ServiceUnavailableException (for the plane the
/// request names), after the configured latency.
pub async fn inject(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let faults = &app.config.faults;
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    match roll(&app) {
        Some(error) => error.into_response(),
        None => next.run(request).await,
    }
}

/// Whether this request fails, and how: the one fault decision for HTTP and MQTT (where the error becomes the
/// `RequestThrottled` or `InternalError` rejection).
pub fn roll(app: &AppState) -> Option<ApiError> {
    let faults = &app.config.faults;
    if !faults.is_active() {
        return None;
    }
    let roll = app.dice.roll();
    if roll < faults.throttle_rate {
        // The data-plane model's ThrottlingException carries a `payload` blob; the core base64-encodes it and
        // leaves it out on the control plane, whose model has no such member.
        return Some(
            ApiError::service(
                ErrorCode::ThrottlingException,
                "Rate exceeded (injected by jobscope-emulator)",
            )
            .with_payload(INJECTED_PAYLOAD),
        );
    }
    if roll < faults.throttle_rate + faults.unavailable_rate {
        return Some(ApiError::service(
            ErrorCode::ServiceUnavailableException,
            "Service unavailable (injected by jobscope-emulator)",
        ));
    }
    None
}

/// ThrottlingException's `payload` when injected.
pub const INJECTED_PAYLOAD: &str = "{\"reason\":\"injected\"}";
