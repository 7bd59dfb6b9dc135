//! The one file that touches a WebSocket: a DescribeJobExecution over MQTT, run by the core's sans-IO
//! [`MqttLookup`] on a browser WebSocket (subprotocol `mqtt`), with a timeout over the whole exchange. One connection
//! per lookup: opened, used and closed (with DISCONNECT) by the lookup, and closed when the future is dropped
//! (Cancel), so no session outlives what it was opened for and no signed URL is kept.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::time::Duration;

use jobscope::codec::mqtt::{LookupStep, MqttLookup, MqttMessage};
use jobscope::{DescribeJobExecutionRequest, ErrorCode, ServiceError};
use leptos::prelude::{TimeoutHandle, set_timeout_with_handle};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;

/// What the socket reported.
enum Event {
    Open,
    Bytes(Vec<u8>),
    /// Closed, with the close code the browser gives (1006 for a refused upgrade).
    Closed(u16),
    TimedOut,
}

/// Events waiting to be read, and the promise resolver of a reader waiting for one.
#[derive(Default)]
struct Inbox {
    events: VecDeque<Event>,
    waiting: Option<js_sys::Function>,
}

impl Inbox {
    fn push(inbox: &Rc<RefCell<Inbox>>, event: Event) {
        let waiting = {
            let mut inbox = inbox.borrow_mut();
            inbox.events.push_back(event);
            inbox.waiting.take()
        };
        if let Some(resolve) = waiting {
            let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
        }
    }

    async fn next(inbox: &Rc<RefCell<Inbox>>) -> Event {
        loop {
            if let Some(event) = inbox.borrow_mut().events.pop_front() {
                return event;
            }
            let promise = js_sys::Promise::new(&mut |resolve, _| {
                inbox.borrow_mut().waiting = Some(resolve);
            });
            let _ = JsFuture::from(promise).await;
        }
    }
}

/// The socket, its handlers and the timer: all released when the lookup ends or its future is dropped.
struct Connection {
    socket: web_sys::WebSocket,
    timer: Option<TimeoutHandle>,
    _handlers: Vec<Closure<dyn FnMut(web_sys::Event)>>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        if let Some(timer) = self.timer.take() {
            timer.clear();
        }
        self.socket.set_onopen(None);
        self.socket.set_onmessage(None);
        self.socket.set_onclose(None);
        self.socket.set_onerror(None);
        let _ = self.socket.close();
    }
}

/// A random hex string for client ids and tokens (unique per lookup, as AWS IoT wants client ids).
pub fn random_token(prefix: &str) -> String {
    let mut token = String::from(prefix);
    for _ in 0..4 {
        let part = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
        token.push_str(&format!("{part:08x}"));
    }
    token
}

/// Runs one lookup over MQTT on a WebSocket to `url` (a presigned `wss://…/mqtt?X-Amz-…` URL, or the emulator's
/// `ws://…/mqtt`), offering subprotocol `mqtt` when `subprotocol` is set, giving up after `timeout_ms`. Returns the decoded reply, or the transport's error: a refused or
/// failed connection (`ConnectionRefused`), a refused subscription, a timeout, or a connection lost while waiting.
pub async fn describe(
    url: &str,
    subprotocol: bool,
    request: &DescribeJobExecutionRequest,
    client_token: &str,
    timeout_ms: u32,
) -> Result<MqttMessage, ServiceError> {
    let client_id = random_token("jobscope-viewer-");
    let (mut lookup, connect) =
        MqttLookup::new(request, &client_id, client_token).ok_or_else(|| {
            ServiceError::transport(
                ErrorCode::InvalidRequestException,
                "the MQTT API is the data plane's; the control plane is reached over HTTPS",
            )
        })?;
    let socket = if subprotocol {
        web_sys::WebSocket::new_with_str(url, "mqtt")
    } else {
        web_sys::WebSocket::new(url)
    };
    let socket = socket.map_err(|_| {
        ServiceError::transport(
            ErrorCode::ConnectionRefused,
            "the browser refused to open a WebSocket to that endpoint (the URL is not ws:// or wss://, or the page's policy forbids it)",
        )
    })?;
    socket.set_binary_type(web_sys::BinaryType::Arraybuffer);
    let inbox = Rc::new(RefCell::new(Inbox::default()));
    let mut connection = Connection {
        socket: socket.clone(),
        timer: None,
        _handlers: Vec::new(),
    };
    let handler = |inbox: &Rc<RefCell<Inbox>>, read: fn(web_sys::Event) -> Option<Event>| {
        let inbox = inbox.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            if let Some(event) = read(event) {
                Inbox::push(&inbox, event);
            }
        })
    };
    let on_open = handler(&inbox, |_| Some(Event::Open));
    let on_message = handler(&inbox, |event| {
        let data = event.dyn_into::<web_sys::MessageEvent>().ok()?.data();
        Some(Event::Bytes(js_sys::Uint8Array::new(&data).to_vec()))
    });
    let on_close = handler(&inbox, |event| {
        let code = event
            .dyn_into::<web_sys::CloseEvent>()
            .map_or(1006, |close| close.code());
        Some(Event::Closed(code))
    });
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    connection._handlers = vec![on_open, on_message, on_close];
    connection.timer = {
        let inbox = inbox.clone();
        set_timeout_with_handle(
            move || Inbox::push(&inbox, Event::TimedOut),
            Duration::from_millis(u64::from(timeout_ms)),
        )
        .ok()
    };
    let send = |bytes: &[u8]| {
        let _ = socket.send_with_u8_array(bytes);
    };
    loop {
        match Inbox::next(&inbox).await {
            Event::Open => send(&connect),
            Event::Bytes(bytes) => {
                for step in lookup.receive(&bytes) {
                    match step {
                        LookupStep::Send(bytes) => send(&bytes),
                        LookupStep::Done(answer) => return answer,
                    }
                }
            }
            Event::Closed(code) => {
                let mut error = lookup.closed().unwrap_or_else(|| {
                    ServiceError::transport(ErrorCode::NetworkError, "the connection closed")
                });
                if let Some(message) = &mut error.message {
                    message.push_str(&format!(" (WebSocket close code {code})"));
                }
                return Err(error);
            }
            Event::TimedOut => {
                return Err(ServiceError::transport(
                    ErrorCode::Timeout,
                    format!(
                        "no reply on {} within {} s",
                        lookup.request().accepted_topic,
                        crate::api::seconds(timeout_ms)
                    ),
                ));
            }
        }
    }
}
