//! MQTT over WebSocket: `GET /mqtt` on the HTTP listener, upgraded with subprotocol `mqtt` (echoed when offered),
//! binary frames carrying the MQTT byte stream. Under `--auth sigv4` the URL must be SigV4-presigned for service
//! `iotdevicegateway` by a configured key (MQTT.md §3), checked by the core's verifier; a refused upgrade gets the
//! same AWS error an unsigned HTTP request would (403 and its type).
//!
//! The upgraded socket leaves hyper's connection (and its limit and timers): the MQTT connection limit and
//! keep-alive govern it from then on.

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Request, State};
use axum::http::header::HOST;
use axum::response::{IntoResponse, Response};
use jobscope::sigv4::verify_presigned_mqtt_url;
use jobscope::{EpochTime, ErrorCode, Plane};

use super::broker::Admission;
use super::connection::{self, WebSocketLink};
use super::session::Session;
use crate::AppState;
use crate::auth;
use crate::error::ApiError;

/// `GET /mqtt`.
pub async fn upgrade(State(app): State<AppState>, request: Request) -> Response {
    let (mut parts, _) = request.into_parts();
    if let Some(keys) = &app.config.access_keys {
        let host = parts
            .headers
            .get(HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let now = EpochTime::from_millis(Plane::Data, app.store.clock.now_ms()).whole_seconds();
        let verified = verify_presigned_mqtt_url(
            host,
            parts.uri.path(),
            parts.uri.query().unwrap_or(""),
            now,
            |id| keys.0.get(id).map(String::as_str),
        );
        if let Err(error) = verified {
            return auth::refusal(error).into_response();
        }
    }
    let upgrade =
        match <WebSocketUpgrade as axum::extract::FromRequestParts<AppState>>::from_request_parts(
            &mut parts, &app,
        )
        .await
        {
            Ok(upgrade) => upgrade,
            Err(rejection) => {
                return ApiError::invalid(format!(
                    "GET /mqtt is MQTT over WebSocket (subprotocol mqtt): {rejection}"
                ))
                .into_response();
            }
        };
    let admission = app.mqtt.admit();
    if matches!(admission, Admission::Drop) {
        return ApiError::service(
            ErrorCode::ServiceUnavailableException,
            "too many MQTT connections",
        )
        .into_response();
    }
    let limits = app.mqtt.limits().clone();
    upgrade
        .protocols(["mqtt"])
        // Frames are a byte stream (a packet may span frames, a frame hold several): the framer enforces the packet
        // limit; this bounds one frame's buffer.
        .max_message_size(limits.max_packet_bytes * 2)
        .max_frame_size(limits.max_packet_bytes * 2)
        .on_upgrade(move |socket| async move {
            let (session, deliveries) = Session::new(app, admission);
            connection::run(
                WebSocketLink(socket),
                session,
                deliveries,
                limits.connect_timeout,
            )
            .await;
        })
}
