//! The TCP accept loops: `--mqtt-listen` (plain) and `--mqtt-tls-listen` (TLS with the local CA). Each connection
//! gets a place under the MQTT connection limit (or is refused, see [`Admission`]), a TLS handshake bounded by the
//! connect timeout, and a session run by [`connection::run`].

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use super::broker::Admission;
use super::connection::{self, StreamLink};
use super::session::Session;
use crate::AppState;

/// Serves MQTT on `listener` (over TLS with `tls`) until `shutdown` resolves; then tells connected v5 clients the
/// server is shutting down.
pub async fn serve(
    listener: TcpListener,
    app: AppState,
    tls: Option<Arc<rustls::ServerConfig>>,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let acceptor = tls.map(TlsAcceptor::from);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    tracing::warn!("MQTT accept failed: {error}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let admission = app.mqtt.admit();
        if matches!(admission, Admission::Drop) {
            continue;
        }
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            let connect_timeout = app.mqtt.limits().connect_timeout;
            let (session, deliveries) = Session::new(app, admission);
            match acceptor {
                None => {
                    connection::run(
                        StreamLink::new(stream),
                        session,
                        deliveries,
                        connect_timeout,
                    )
                    .await;
                }
                Some(acceptor) => {
                    match tokio::time::timeout(connect_timeout, acceptor.accept(stream)).await {
                        Ok(Ok(stream)) => {
                            connection::run(
                                StreamLink::new(stream),
                                session,
                                deliveries,
                                connect_timeout,
                            )
                            .await;
                        }
                        Ok(Err(error)) => {
                            tracing::debug!("MQTT TLS handshake with {peer} failed: {error}");
                        }
                        Err(_) => tracing::debug!("MQTT TLS handshake with {peer} timed out"),
                    }
                }
            }
        });
    }
    app.mqtt.shutdown();
    Ok(())
}
