//! The one file that touches the network: GET with a timeout and cancellation, transport failures as the core's
//! error codes, and the retry schedule.

use gloo_net::http::Request;
use jobscope::{ErrorCode, ServiceError};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// A response as received. The body stays bytes, so the core sees invalid UTF-8 as sent (a browser's `text()`
/// would quietly turn it into U+FFFD).
#[derive(Clone, Debug, PartialEq)]
pub struct Fetched {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub elapsed_ms: f64,
}

/// How long one attempt may take.
pub const TIMEOUT_MS: i32 = 10_000;
/// Attempts per lookup, the first included.
pub const MAX_ATTEMPTS: u32 = 4;

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Sleeps without blocking (a JS timer).
pub async fn sleep(ms: f64) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ =
                window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Exponential backoff with full jitter: a random wait in [0, min(4 s, 400 ms × 2^(attempt-1))], at least 100 ms.
pub fn backoff_ms(attempt: u32) -> f64 {
    let cap = (400.0 * 2f64.powi(attempt.saturating_sub(1) as i32)).min(4_000.0);
    (js_sys::Math::random() * cap).max(100.0)
}

/// GETs `url`, aborting after [`TIMEOUT_MS`] or when `controller` is aborted.
///
/// A failure before any response is a transport error: `Timeout`, `Aborted`, or — since a browser does not tell a
/// CORS block from a network failure — `CorsBlocked` for another origin and `NetworkError` for the page's own.
pub async fn get(
    url: &str,
    extra_headers: &[(String, String)],
    controller: &web_sys::AbortController,
) -> Result<Fetched, ServiceError> {
    let started = now_ms();
    let timed_out = std::rc::Rc::new(std::cell::Cell::new(false));
    let timer = {
        let controller = controller.clone();
        let timed_out = timed_out.clone();
        let abort = Closure::once_into_js(move || {
            timed_out.set(true);
            controller.abort();
        });
        web_sys::window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(
                abort.unchecked_ref(),
                TIMEOUT_MS,
            )
            .ok()
        })
    };
    let signal = controller.signal();
    let mut request = Request::get(url).header("accept", "application/json");
    for (name, value) in extra_headers {
        request = request.header(name, value);
    }
    // The timer covers the body too: a server that sends headers and then stalls still times out.
    let exchange = async {
        let response = request.abort_signal(Some(&signal)).send().await?;
        let status = response.status();
        let headers: Vec<(String, String)> = response.headers().entries().collect();
        let body = response.binary().await?;
        Ok::<_, gloo_net::Error>((status, headers, body))
    }
    .await;
    if let (Some(window), Some(id)) = (web_sys::window(), timer) {
        window.clear_timeout_with_handle(id);
    }
    let (status, headers, body) = exchange.map_err(|error| {
        transport_error(url, &error.to_string(), timed_out.get(), signal.aborted())
    })?;
    Ok(Fetched {
        status,
        headers,
        body,
        elapsed_ms: now_ms() - started,
    })
}

fn transport_error(url: &str, detail: &str, timed_out: bool, aborted: bool) -> ServiceError {
    if timed_out {
        return ServiceError::transport(
            ErrorCode::Timeout,
            format!("no response within {} s", TIMEOUT_MS / 1000),
        );
    }
    if aborted {
        return ServiceError::transport(ErrorCode::Aborted, "canceled");
    }
    let page_origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let cross_origin = url.starts_with("http") && !url.starts_with(&page_origin);
    if cross_origin {
        ServiceError::transport(
            ErrorCode::CorsBlocked,
            format!(
                "the browser could not read a response from {url} (a CORS block or a network failure): {detail}"
            ),
        )
    } else {
        ServiceError::transport(
            ErrorCode::NetworkError,
            format!("no response from {url}: {detail}"),
        )
    }
}
