//! The one file that touches the network: GET with a timeout, canceled when dropped; transport failures as the
//! core's error codes; and the retry schedule.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;

use futures_util::future::{AbortHandle, Abortable};
use jobscope::{ErrorCode, ServiceError};
use leptos::prelude::{RwSignal, Set, SetValue, StoredValue, UpdateValue, set_timeout_with_handle};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// A response as received. The body stays bytes, so the core sees invalid UTF-8 as sent (a browser's `text()`
/// would quietly turn it into U+FFFD).
#[derive(Clone, Debug, PartialEq)]
pub struct Fetched {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub elapsed_ms: u32,
}

/// One job at a time, its last result in a signal: a new run or [`Task::cancel`] drops the running one, which aborts
/// its request (see [`get`]). The page's lookups and the thing's execution list are such tasks.
pub struct Task<T: Send + Sync + 'static> {
    /// The last finished run's result (kept while the next one runs).
    pub value: RwSignal<Option<T>>,
    /// A run is under way.
    pub busy: RwSignal<bool>,
    running: StoredValue<Option<AbortHandle>>,
}

impl<T: Send + Sync + 'static> Clone for Task<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Task<T> {}

impl<T: Send + Sync + 'static> Task<T> {
    pub fn new() -> Self {
        Task {
            value: RwSignal::new(None),
            busy: RwSignal::new(false),
            running: StoredValue::new(None),
        }
    }

    /// Runs `job` in place of any running one.
    pub fn run(self, job: impl Future<Output = T> + 'static) {
        self.cancel();
        let (handle, registration) = AbortHandle::new_pair();
        self.running.set_value(Some(handle));
        self.busy.set(true);
        leptos::task::spawn_local(async move {
            if let Ok(value) = Abortable::new(job, registration).await {
                self.running.set_value(None);
                self.value.set(Some(value));
                self.busy.set(false);
            }
        });
    }

    /// Drops the running job, if any; the last result stays.
    pub fn cancel(self) {
        if let Some(handle) = self.running.try_update_value(Option::take).flatten() {
            handle.abort();
            self.busy.set(false);
        }
    }
}

/// Attempts per lookup, the first included.
pub const MAX_ATTEMPTS: u32 = 4;

/// Sleeps without blocking (a JS timer).
pub async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ =
                window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Exponential backoff with full jitter: a random wait in [0, min(4 s, 400 ms × 2^(attempt-1))], at least 100 ms.
pub fn backoff_ms(attempt: u32) -> u32 {
    let cap = 400u32
        .saturating_mul(1 << attempt.saturating_sub(1).min(16))
        .min(4_000);
    ((js_sys::Math::random() * f64::from(cap)) as u32).max(100)
}

/// Milliseconds as seconds with one decimal, rounded: `1.6`, `0.1`, `4.0`.
pub fn tenths(ms: u32) -> String {
    let tenths = ms.saturating_add(50) / 100;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// Milliseconds as seconds people read: `10`, `0.25`. Integers only here and in [`tenths`]: float formatting
/// would add about 8 KB (gzip) to the page.
pub fn seconds(ms: u32) -> String {
    match (ms / 1000, ms % 1000) {
        (whole, 0) => whole.to_string(),
        (whole, fraction) => {
            let fraction = format!("{fraction:03}");
            format!("{whole}.{}", fraction.trim_end_matches('0'))
        }
    }
}

/// Aborts the request and stops its timer when the exchange ends or its future is dropped (a canceled lookup).
struct Exchange {
    controller: web_sys::AbortController,
    timer: Option<leptos::prelude::TimeoutHandle>,
}

impl Drop for Exchange {
    fn drop(&mut self) {
        if let Some(timer) = self.timer.take() {
            timer.clear();
        }
        self.controller.abort();
    }
}

/// GETs `url` with `headers`, aborting after `timeout_ms` — which covers the body too, so a server that sends
/// headers and then stalls still times out. Dropping the future cancels the request.
///
/// A failure before the whole response arrived is a transport error: `Timeout`, or — since a browser does not tell
/// a CORS block from a network failure — `CorsBlocked` for another origin and `NetworkError` for the page's own.
///
/// Boxed, so the lookup and the list share one copy of the exchange's state machine instead of each inlining it.
pub fn get<'a>(
    url: &'a str,
    headers: &'a [(String, String)],
    timeout_ms: u32,
) -> Pin<Box<dyn Future<Output = Result<Fetched, ServiceError>> + 'a>> {
    Box::pin(exchange(url, headers, timeout_ms))
}

async fn exchange(
    url: &str,
    headers: &[(String, String)],
    timeout_ms: u32,
) -> Result<Fetched, ServiceError> {
    let started = crate::clock::now_ms();
    let controller = web_sys::AbortController::new().map_err(|_| {
        ServiceError::transport(
            ErrorCode::NetworkError,
            "the browser cannot make requests here",
        )
    })?;
    let timed_out = Rc::new(Cell::new(false));
    let mut guard = Exchange {
        controller: controller.clone(),
        timer: None,
    };
    guard.timer = {
        let timed_out = timed_out.clone();
        set_timeout_with_handle(
            move || {
                timed_out.set(true);
                controller.abort();
            },
            Duration::from_millis(u64::from(timeout_ms)),
        )
        .ok()
    };
    let received = fetch(url, headers, &guard.controller.signal()).await;
    drop(guard);
    let (status, headers, body) = received.map_err(|error| {
        let detail = error
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| error.as_string())
            .unwrap_or_default();
        transport_error(url, &detail, timed_out.get().then_some(timeout_ms))
    })?;
    Ok(Fetched {
        status,
        headers,
        body,
        elapsed_ms: u32::try_from(crate::clock::now_ms().saturating_sub(started))
            .unwrap_or(u32::MAX),
    })
}

/// One `fetch`: the status, the headers, and the whole body as bytes (a browser's `text()` would quietly turn
/// invalid UTF-8 into U+FFFD).
async fn fetch(
    url: &str,
    headers: &[(String, String)],
    signal: &web_sys::AbortSignal,
) -> Result<(u16, Vec<(String, String)>, Vec<u8>), JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let request_headers = web_sys::Headers::new()?;
    for (name, value) in headers {
        request_headers.append(name, value)?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    init.set_headers(&request_headers);
    init.set_signal(Some(signal));
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await?
        .unchecked_into();
    let status = response.status();
    let mut received = Vec::new();
    if let Some(entries) = js_sys::try_iter(&response.headers())? {
        for entry in entries {
            let entry: js_sys::Array = entry?.unchecked_into();
            if let (Some(name), Some(value)) = (entry.get(0).as_string(), entry.get(1).as_string())
            {
                received.push((name, value));
            }
        }
    }
    let body = JsFuture::from(response.array_buffer()?).await?;
    Ok((status, received, js_sys::Uint8Array::new(&body).to_vec()))
}

fn transport_error(url: &str, detail: &str, timed_out_after_ms: Option<u32>) -> ServiceError {
    if let Some(ms) = timed_out_after_ms {
        return ServiceError::transport(
            ErrorCode::Timeout,
            format!("no response within {} s", seconds(ms)),
        );
    }
    let page_origin = crate::page::origin();
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

#[cfg(test)]
mod tests {
    #[test]
    fn seconds_read_as_typed() {
        for (ms, text) in [
            (10_000, "10"),
            (200, "0.2"),
            (1_250, "1.25"),
            (5, "0.005"),
            (0, "0"),
        ] {
            assert_eq!(super::seconds(ms), text);
        }
        for (ms, text) in [
            (1_649, "1.6"),
            (1_650, "1.7"),
            (100, "0.1"),
            (4_000, "4.0"),
            (0, "0.0"),
        ] {
            assert_eq!(super::tenths(ms), text);
        }
    }
}
