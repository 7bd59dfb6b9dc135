//! The emulator's request handling without a socket: method, path, query and JSON body through the router.
//! Every answer must be AWS-shaped (an x-amzn-errortype on every error status) and nothing may panic.
#![no_main]

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Method, Request};
use jobscope_emulator::{Account, AppState, Clock, Config, Store, app, demo};
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

fn router() -> &'static (axum::Router, tokio::runtime::Runtime) {
    static ROUTER: OnceLock<(axum::Router, tokio::runtime::Runtime)> = OnceLock::new();
    ROUTER.get_or_init(|| {
        let store = Store::in_memory(Account { account_id: "123456789012".into(), region: "us-east-1".into() }, Clock::default());
        demo::seed(&store).expect("demo");
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        (app(AppState::new(store, Config::default())), runtime)
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\n');
    let first = parts.next().unwrap_or_default();
    let path = parts.next().unwrap_or("/");
    let body = parts.next().unwrap_or_default().to_owned();
    let method = match first.bytes().next().unwrap_or(0) % 5 {
        0 => Method::GET,
        1 => Method::POST,
        2 => Method::PUT,
        3 => Method::DELETE,
        _ => Method::PATCH,
    };
    let uri = if path.starts_with('/') { path.to_owned() } else { format!("/{path}") };
    let Ok(request) = Request::builder().method(method).uri(uri).body(Body::from(body)) else {
        return;
    };
    let (router, runtime) = router();
    let response = runtime.block_on(router.clone().oneshot(request)).expect("infallible");
    if response.status().is_client_error() || response.status().is_server_error() {
        assert!(response.headers().contains_key("x-amzn-errortype"), "status {} without an AWS error type", response.status());
    }
});
