//! The accept loop: HTTP/1.1 on hyper with bounds a slow or hostile client cannot lift — a cap on open
//! connections, a deadline for each request head (slowloris, idle keep-alive), and a hard cap on head size.
//! Everything past the head (oversized or slow bodies, long headers under the hard cap) is answered AWS-shaped
//! by the router's envelope.
//!
//! Every deadline here (and in the router) is a tokio timer — hyper's through [`TokioTimer`] — so it runs on
//! tokio's clock: under a paused clock (`tokio::time::pause`, moved with `tokio::time::advance`) nothing times
//! out until the clock is moved. `tests/abuse.rs` serves that way, so it asserts what happens at each deadline
//! without measuring wall time.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// Connection-level limits.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Connections served at once; further clients wait in the listen backlog.
    pub max_connections: usize,
    /// How long a client has to send a complete request head, counted from when the connection starts waiting
    /// for one: when it is accepted, or when the previous response has been written (so an idle keep-alive
    /// connection is closed after it, too). Bytes trickling in do not extend it.
    pub head_timeout: Duration,
    /// A request head (request line and headers) longer than this is refused by hyper with a bare 431 and the
    /// connection is closed: the bytes never become a request the router could answer. Heads between the
    /// router's `max_header_bytes` and this cap get an AWS-shaped 400 InvalidRequestException.
    pub head_hard_cap: usize,
    /// How long in-flight requests may take to finish after shutdown is asked for.
    pub drain: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 256,
            head_timeout: Duration::from_secs(10),
            head_hard_cap: 1024 * 1024,
            drain: Duration::from_secs(5),
        }
    }
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets open requests finish (up to `limits.drain`).
///
/// Connections may be upgraded (MQTT over WebSocket at `/mqtt`): an upgraded socket leaves hyper — and this
/// connection cap and its timers — for the MQTT layer's own limit and keep-alive. hyper-util's `GracefulShutdown`
/// does not take an upgradeable connection, so each connection watches the shutdown signal itself.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let capacity = limits.max_connections.max(1);
    let slots = Arc::new(Semaphore::new(capacity));
    let (stopping, stop) = tokio::sync::watch::channel(false);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.head_timeout)
        .max_header_size(limits.head_hard_cap)
        // hyper's read buffer must hold the largest head it accepts.
        .max_buf_size(limits.head_hard_cap.max(8192) + 8192);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = slots.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: back off instead of spinning.
                Err(error) => {
                    tracing::warn!("accept failed: {error}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(
            app.clone()
                .map_request(|request: Request<Incoming>| request.map(Body::new)),
        );
        let connection = http
            .serve_connection(TokioIo::new(stream), service)
            .with_upgrades();
        let mut stop = stop.clone();
        tokio::spawn(async move {
            let mut connection = std::pin::pin!(connection);
            let ended = tokio::select! {
                ended = connection.as_mut() => ended,
                () = async { let _ = stop.wait_for(|stopping| *stopping).await; } => {
                    // Finish the request in flight (if any), then close.
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(error) = ended {
                tracing::debug!("connection ended: {error}");
            }
            drop(permit);
        });
    }
    drop(listener);
    let _ = stopping.send(true);
    // Every connection holds a slot until it ends: all slots back means all connections closed.
    let all_closed = slots.acquire_many(u32::try_from(capacity).unwrap_or(u32::MAX));
    if tokio::time::timeout(limits.drain, all_closed)
        .await
        .is_err()
    {
        tracing::warn!(
            "requests still open after {} ms; stopping anyway",
            limits.drain.as_millis()
        );
    }
    Ok(())
}
