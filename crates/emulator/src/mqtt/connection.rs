//! The loop around a [`Session`]: read bytes (a TCP or TLS stream, or WebSocket binary frames — a byte stream
//! either way, a packet may span frames), take the broker's deliveries, enforce the keep-alive (1.5 × the client's,
//! restarted by every whole packet, not by stray bytes) and, before CONNECT, the connect timeout, and write what
//! the session says. Every timer is tokio's, so tests move it with a paused clock.

use std::future::Future;
use std::io;
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket};
use bytes::Bytes;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until, timeout};

use super::broker::Outbound;
use super::session::{Output, Session};

/// A transport a session runs over.
pub trait Link: Send {
    /// The next bytes from the client; `None` once it has closed. Must be cancel-safe.
    fn recv(&mut self) -> impl Future<Output = io::Result<Option<Bytes>>> + Send;
    /// Sends bytes to the client.
    fn send(&mut self, bytes: Bytes) -> impl Future<Output = io::Result<()>> + Send;
}

/// A byte stream: TCP, or TLS over it.
pub struct StreamLink<S> {
    io: S,
    buffer: Vec<u8>,
}

impl<S> StreamLink<S> {
    pub fn new(io: S) -> Self {
        StreamLink {
            io,
            buffer: vec![0; 16 * 1024],
        }
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin + Send> Link for StreamLink<S> {
    async fn recv(&mut self) -> io::Result<Option<Bytes>> {
        match self.io.read(&mut self.buffer).await? {
            0 => Ok(None),
            n => Ok(Some(Bytes::copy_from_slice(&self.buffer[..n]))),
        }
    }

    async fn send(&mut self, bytes: Bytes) -> io::Result<()> {
        self.io.write_all(&bytes).await?;
        self.io.flush().await
    }
}

/// MQTT over WebSocket: binary frames carry the bytes ([MQTT-6.0.0-1]); a text frame ends the connection.
pub struct WebSocketLink(pub WebSocket);

impl Link for WebSocketLink {
    async fn recv(&mut self) -> io::Result<Option<Bytes>> {
        loop {
            match self.0.recv().await {
                None | Some(Ok(Message::Close(_))) => return Ok(None),
                Some(Ok(Message::Binary(bytes))) => return Ok(Some(bytes)),
                Some(Ok(Message::Text(_))) => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "MQTT over WebSocket is carried in binary frames",
                    ));
                }
                // Pings are answered by the WebSocket layer.
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                Some(Err(error)) => return Err(io::Error::other(error)),
            }
        }
    }

    async fn send(&mut self, bytes: Bytes) -> io::Result<()> {
        self.0
            .send(Message::Binary(bytes))
            .await
            .map_err(io::Error::other)
    }
}

/// Runs a session over `link` until either side ends it. `connect_timeout` bounds the wait for CONNECT and every
/// write (a client that stops reading cannot hold its connection forever).
pub async fn run<L: Link>(
    mut link: L,
    mut session: Session,
    mut deliveries: mpsc::Receiver<Outbound>,
    connect_timeout: Duration,
) {
    let mut seen = session.packets();
    let mut deadline = Instant::now() + connect_timeout;
    loop {
        let mut out = Output::default();
        tokio::select! {
            read = link.recv() => match read {
                Ok(Some(bytes)) => session.receive(&bytes, &mut out),
                Ok(None) => break,
                Err(error) => {
                    tracing::debug!("MQTT connection read failed: {error}");
                    break;
                }
            },
            delivery = deliveries.recv() => match delivery {
                Some(message) => session.deliver(message, &mut out),
                // The broker dropped this connection (too far behind): end it.
                None => break,
            },
            () = sleep_until(deadline) => session.expire(&mut out),
        }
        if session.packets() != seen {
            seen = session.packets();
            deadline = Instant::now() + session.keep_alive().unwrap_or(connect_timeout);
        }
        if !out.delay.is_zero() {
            tokio::time::sleep(out.delay).await;
        }
        if !out.bytes.is_empty() {
            match timeout(connect_timeout, link.send(out.bytes.freeze())).await {
                Ok(Ok(())) => {}
                Ok(Err(error)) => {
                    tracing::debug!("MQTT connection write failed: {error}");
                    break;
                }
                Err(_) => {
                    tracing::debug!("MQTT client stopped reading; closing");
                    break;
                }
            }
        }
        if out.close {
            break;
        }
    }
    // The session (and its connection slot) goes before the socket closes: a client that sees the close can
    // connect again at once.
    drop(session);
    drop(link);
}
