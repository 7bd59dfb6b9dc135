//! The emulator's request handling without a socket: method, path, query and JSON body through the router.
//! Every answer must be AWS-shaped (an x-amzn-errortype on every error status) and nothing may panic.
//! The store starts again from the demo fleet every 2 000 inputs, so what earlier inputs created cannot slow
//! the run down without bound (a crash reproduces from the input alone, on a fresh store, in most cases).
#![no_main]

use std::cell::RefCell;

use axum::body::Body;
use axum::http::{Method, Request};
use jobscope_emulator::{Account, AppState, Clock, Config, Store, app, demo};
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

const INPUTS_PER_STORE: u32 = 2_000;

fn fresh_router() -> axum::Router {
    let account = Account { account_id: "123456789012".into(), region: "us-east-1".into() };
    let store = Store::in_memory(account, Clock::default());
    demo::seed(&store).expect("demo");
    app(AppState::new(store, Config::default()))
}

thread_local! {
    static RUNTIME: tokio::runtime::Runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    static ROUTER: RefCell<(axum::Router, u32)> = RefCell::new((fresh_router(), 0));
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
    let router = ROUTER.with_borrow_mut(|(router, served)| {
        *served += 1;
        if *served > INPUTS_PER_STORE {
            *router = fresh_router();
            *served = 1;
        }
        router.clone()
    });
    let response = RUNTIME.with(|runtime| runtime.block_on(router.oneshot(request))).expect("infallible");
    if response.status().is_client_error() || response.status().is_server_error() {
        assert!(response.headers().contains_key("x-amzn-errortype"), "status {} without an AWS error type", response.status());
    }
});
