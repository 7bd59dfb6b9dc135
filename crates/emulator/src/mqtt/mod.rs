//! The device side over MQTT: MQTT 3.1.1 and 5 on TCP (`--mqtt-listen`), on TLS with a local CA
//! (`--mqtt-tls-listen`) and over WebSocket at `/mqtt` on the HTTP listener — one session layer behind all three.
//!
//! - [`framer`]: bytes → whole packets (remaining-length varint, maximum packet size), decoded by the
//!   `mqtt5-protocol` codec for the version the CONNECT named.
//! - [`session`]: one client's protocol state, sans-IO: bytes in, bytes out (plus "close" and "delay"); no socket,
//!   no task, no timer, so the fuzz target drives it directly.
//! - [`broker`]: who is connected, their subscriptions, routing of ordinary publishes, the connection limit, the
//!   store's `notify`/`notify-next` events turned into publishes, and the once-a-second timeout sweep.
//! - [`jobs`]: a publish on a Jobs request topic answered from the store, as the HTTP data plane would — every wire
//!   form written by the core (`jobscope::codec::mqtt`).
//! - [`connection`]: the async loop around a session — a byte stream or a WebSocket, the keep-alive timer,
//!   deliveries from the broker.
//! - [`listeners`] (TCP and TLS accept loops), [`websocket`] (the `/mqtt` upgrade, SigV4-presigned under
//!   `--auth sigv4`), [`tls`] (the local CA and the server's certificate, kept in the data directory).

pub mod broker;
pub mod connection;
pub mod framer;
pub mod jobs;
pub mod listeners;
pub mod session;
pub mod tls;
pub mod websocket;

use std::time::Duration;

pub use broker::Broker;
pub use listeners::serve;
pub use session::{Output, Session};
pub use tls::Pki;

/// Limits of the MQTT side (all transports share them).
#[derive(Debug, Clone)]
pub struct MqttLimits {
    /// MQTT connections at once, over TCP, TLS and WebSocket together. One more gets CONNACK "server busy"
    /// (v5 0x89, v3.1.1 return code 3) and is closed.
    pub max_connections: usize,
    /// The largest packet accepted (and advertised in a v5 CONNACK); bigger closes the connection (v5: DISCONNECT
    /// 0x95 first). AWS IoT's limit is 128 KiB.
    pub max_packet_bytes: usize,
    /// How long a new connection has to complete its TLS handshake and send CONNECT, and the longest a write to a
    /// client may block.
    pub connect_timeout: Duration,
    /// Subscriptions one connection may hold; more are refused in the SUBACK (v5 0x97, v3.1.1 0x80).
    pub max_subscriptions: usize,
    /// Messages queued for one subscriber; a subscriber that falls further behind is disconnected.
    pub queue: usize,
}

impl Default for MqttLimits {
    fn default() -> Self {
        MqttLimits {
            max_connections: 256,
            max_packet_bytes: 128 * 1024,
            connect_timeout: Duration::from_secs(10),
            max_subscriptions: 100,
            queue: 1024,
        }
    }
}

/// The longest keep-alive the emulator lets a client have, and what a client asking for none (0) gets: AWS IoT "maxes
/// out at (and defaults to) 1200 seconds" (aws-c-mqtt 0.4.27). A v5 client is told in CONNACK (Server Keep Alive).
pub const MAX_KEEP_ALIVE_SECS: u16 = 1200;
