//! The ceiling for the emulator's throughput: a bare axum hello-world on the same route shape.
//! `hello 127.0.0.1:PORT`

use axum::Router;
use axum::routing::get;

#[tokio::main]
async fn main() {
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:9191".into());
    let app = Router::new().route(
        "/things/{thing}/jobs/{job}",
        get(|| async { ([("content-type", "application/json")], "{\"execution\":{}}") }),
    );
    let listener = tokio::net::TcpListener::bind(&address).await.expect("bind");
    axum::serve(listener, app).await.expect("serve");
}
