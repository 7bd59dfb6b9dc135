//! The emulator's own routes, for tests and tools: `GET /_emulator/health`, `POST /_emulator/clock`, and with
//! `--mqtt-tls-listen` the local CA and a device certificate and key (`GET /_emulator/ca.pem`, `device.pem`,
//! `device.key`). They are never faulted and need no signature.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use jobscope::ErrorCode;
use jobscope::codec::{JsonBody, RequestError};
use serde::Serialize;

use crate::AppState;
use crate::error::ApiError;
use crate::extract::Input;
use crate::reply;

/// `GET /_emulator/health`'s answer (and `POST /_emulator/clock`'s).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Health {
    status: &'static str,
    executions: usize,
    now_ms: i64,
}

/// `GET /_emulator/health`.
pub async fn health(State(app): State<AppState>) -> Response {
    reply::serialized(&Health {
        status: "ok",
        executions: app.store.execution_count(),
        now_ms: app.store.clock.now_ms(),
    })
}

/// `POST /_emulator/clock {"advanceSeconds": N}`: moves the emulator's clock forward (timeouts, countdowns).
/// `N` is a whole number from 0 to the seconds left until the clock's end, 9999-12-31T23:59:59Z
/// ([`Clock::MAX_MS`](crate::Clock::MAX_MS)); anything else is refused with a 400 that gives the range, and the clock does not move.
pub async fn advance_clock(
    State(app): State<AppState>,
    Input(body): Input<JsonBody>,
) -> Result<Response, ApiError> {
    let max = app.store.clock.headroom_ms() / 1000;
    let range = format!(
        "advanceSeconds: must be a whole number of seconds from 0 to {max} (the emulator's clock ends at \
         9999-12-31T23:59:59Z)"
    );
    let seconds = body
        .long("advanceSeconds")
        .map_err(|_| RequestError::BadBody(range.clone()))?
        .ok_or_else(|| RequestError::BadBody(format!("{range}; it is required")))?;
    if !(0..=max).contains(&seconds) {
        return Err(RequestError::BadBody(format!("{range}, got {seconds}")).into());
    }
    // `seconds` ≤ MAX_MS / 1000, so the product fits; the clock saturates anyway.
    app.store.clock.advance_ms(seconds.saturating_mul(1000));
    Ok(health(State(app)).await)
}

/// A PEM file of the MQTT TLS certificates, or 404 when TLS is off.
fn pem(app: &AppState, pick: impl Fn(&crate::mqtt::Pki) -> &str) -> Response {
    match &app.config.mqtt_pki {
        Some(pki) => {
            let mut response = pick(pki).to_owned().into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/x-pem-file"),
            );
            response
        }
        None => ApiError::service(
            ErrorCode::ResourceNotFoundException,
            "MQTT over TLS is off: start the emulator with --mqtt-tls-listen ADDR to get a local CA",
        )
        .into_response(),
    }
}

/// `GET /_emulator/ca.pem`: the local CA the MQTT TLS listener's certificate chains to.
pub async fn ca_pem(State(app): State<AppState>) -> Response {
    pem(&app, |pki| &pki.ca_pem)
}

/// `GET /_emulator/device.pem`: a client certificate the local CA signed (optional for TLS clients).
pub async fn device_pem(State(app): State<AppState>) -> Response {
    pem(&app, |pki| &pki.device_pem)
}

/// `GET /_emulator/device.key`: that certificate's private key (a local, throwaway key, for samples and tests).
pub async fn device_key(State(app): State<AppState>) -> Response {
    pem(&app, |pki| pki.device_key_pem())
}
