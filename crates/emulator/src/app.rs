//! The router: every operation of both planes, the `/data` and `/control` mounts, and the middleware — the envelope
//! (the request's plane, errors encoded for it, request id, head and body limits, deadlines), authentication,
//! faults, CORS and tracing.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, post, put};
use http_body_util::BodyExt;
use jobscope::codec::headers;
use jobscope::{ErrorCode, Plane};
use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer};
use tower_http::trace::TraceLayer;

use crate::error::{self, ApiError};
use crate::faults::{self, Dice, Faults};
use crate::mqtt::{Broker, MqttLimits, Pki};
use crate::plane::{self, OnPlane};
use crate::store::Store;
use crate::{admin, control_plane as control, data_plane as data};

/// Settings of a running emulator.
#[derive(Debug, Clone)]
pub struct Config {
    pub faults: Faults,
    /// Origins allowed by CORS; `*` allows any.
    pub cors_origins: Vec<String>,
    /// Longest a request may take: its body must arrive within it (else 408), and the handler must answer
    /// within it (else 503).
    pub request_timeout: Duration,
    pub body_limit: usize,
    /// Longest request head (request line and headers) answered normally; longer ones get an AWS-shaped 400 InvalidRequestException.
    pub max_header_bytes: usize,
    /// With `--auth sigv4`: the accepted access keys; every API request must be signed by one of them (and the
    /// MQTT WebSocket URL presigned by one).
    pub access_keys: Option<crate::auth::AccessKeys>,
    /// The MQTT side's limits (every transport).
    pub mqtt: MqttLimits,
    /// With `--mqtt-tls-listen`: the local CA and certificates (served at `/_emulator/ca.pem`, `device.pem`,
    /// `device.key`).
    pub mqtt_pki: Option<Arc<Pki>>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            faults: Faults::default(),
            cors_origins: vec![
                "http://127.0.0.1:8080".into(),
                "http://localhost:8080".into(),
            ],
            request_timeout: Duration::from_secs(10),
            body_limit: 256 * 1024,
            max_header_bytes: 16 * 1024,
            access_keys: None,
            mqtt: MqttLimits::default(),
            mqtt_pki: None,
        }
    }
}

/// Shared by every handler: one `Arc`, so the per-request clones of the middleware stack cost one atomic add.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// What [`AppState`] holds.
pub struct Shared {
    pub store: Store,
    pub config: Config,
    pub dice: Dice,
    /// The MQTT broker: told of the store's changes (`notify`, `notify-next`), serving every MQTT transport.
    pub mqtt: Arc<Broker>,
    requests: AtomicU64,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    pub fn new(store: Store, config: Config) -> AppState {
        let seed = store.clock.now_ms() as u64;
        let mqtt = Arc::new(Broker::new(config.mqtt.clone()));
        store.watch(mqtt.clone());
        AppState(Arc::new(Shared {
            store,
            config,
            dice: Dice::new(seed),
            mqtt,
            requests: AtomicU64::new(0),
        }))
    }
}

/// Every operation's route. An operation of one plane is answered on that plane whatever the request names
/// ([`plane::only`]); the shared paths (DescribeJobExecution, `GET /things/{thingName}/jobs`) on the plane the
/// request names.
fn api_routes() -> Router<AppState> {
    let on = |plane: Plane| {
        move |route: MethodRouter<AppState>| {
            route.route_layer(middleware::from_fn_with_state(plane, plane::only))
        }
    };
    let (control_only, data_only) = (on(Plane::Control), on(Plane::Data));
    Router::new()
        .route("/things", control_only(get(control::list_things)))
        .route(
            "/things/{thingName}",
            control_only(
                post(control::create_thing)
                    .get(control::describe_thing)
                    .delete(control::delete_thing),
            ),
        )
        .route("/things/{thingName}/jobs", get(data::thing_jobs))
        .route(
            "/things/{thingName}/jobs/{jobId}",
            get(data::describe_job_execution).merge(data_only(
                post(data::update_job_execution).put(data::start_next),
            )),
        )
        .route(
            "/things/{thingName}/jobs/{jobId}/cancel",
            control_only(put(control::cancel_job_execution)),
        )
        .route(
            "/things/{thingName}/jobs/{jobId}/executionNumber/{executionNumber}",
            control_only(delete(control::delete_job_execution)),
        )
        .route(
            "/jobs/{jobId}",
            control_only(put(control::create_job).get(control::describe_job)),
        )
        .route(
            "/jobs/{jobId}/cancel",
            control_only(put(control::cancel_job)),
        )
        .route(
            "/jobs/{jobId}/things",
            control_only(get(control::list_job_executions_for_job)),
        )
}

/// The whole service. Tests drive it with `tower::ServiceExt::oneshot`; `main` serves it.
pub fn app(state: AppState) -> Router {
    // `/data/…` and `/control/…` name the plane by path; the envelope reads the prefix.
    let api = api_routes()
        .nest("/data", api_routes())
        .nest("/control", api_routes())
        .fallback(unknown_route)
        .method_not_allowed_fallback(unknown_route);
    let api = if state.config.faults.is_active() {
        api.layer(middleware::from_fn_with_state(
            state.clone(),
            faults::inject,
        ))
    } else {
        api
    };
    // Authentication runs before fault injection, as the real service authenticates first.
    let api = if state.config.access_keys.is_some() {
        api.layer(middleware::from_fn_with_state(
            state.clone(),
            crate::auth::require_sigv4,
        ))
    } else {
        api
    };
    let admin = Router::new()
        .route("/_emulator/health", get(admin::health))
        .route("/_emulator/clock", post(admin::advance_clock))
        .route("/_emulator/ca.pem", get(admin::ca_pem))
        .route("/_emulator/device.pem", get(admin::device_pem))
        .route("/_emulator/device.key", get(admin::device_key))
        // MQTT over WebSocket (SigV4-presigned under --auth sigv4, checked by the handler).
        .route("/mqtt", get(crate::mqtt::websocket::upgrade));
    let cors = cors(&state.config.cors_origins);
    Router::new()
        .merge(admin)
        .merge(api)
        .layer(DefaultBodyLimit::max(state.config.body_limit))
        .layer(middleware::from_fn_with_state(state.clone(), envelope))
        .layer(cors)
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

fn cors(origins: &[String]) -> CorsLayer {
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()))
    };
    CorsLayer::new()
        .allow_origin(allow)
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers([
            error::header_name(headers::ERROR_TYPE),
            error::header_name(headers::REQUEST_ID),
        ])
        .max_age(Duration::from_secs(600))
}

/// No route: UnknownOperationException.
async fn unknown_route(request: Request) -> ApiError {
    jobscope::codec::RequestError::NoOperation {
        method: request.method().to_string(),
        path: request.uri().path().to_owned(),
    }
    .into()
}

/// The request with its body read in full, or why it is refused before any handler runs.
async fn admit(config: &Config, request: Request) -> Result<Request, ApiError> {
    let head = head_bytes(&request);
    if head > config.max_header_bytes {
        // The model's InvalidRequestException, at its status (400).
        return Err(ApiError::invalid(format!(
            "the request line and headers are {head} bytes; the limit is {}",
            config.max_header_bytes
        )));
    }
    let (parts, body) = request.into_parts();
    let too_large = || {
        ApiError::service(
            ErrorCode::RequestEntityTooLargeException,
            format!(
                "the request body is larger than {} bytes",
                config.body_limit
            ),
        )
    };
    let declared = parts
        .headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > config.body_limit as u64) {
        return Err(too_large());
    }
    // Most requests (every GET) have no body: nothing to wait for.
    if axum::body::HttpBody::size_hint(&body).exact() == Some(0) {
        return Ok(Request::from_parts(parts, body));
    }
    let read = http_body_util::Limited::new(body, config.body_limit).collect();
    match tokio::time::timeout(config.request_timeout, read).await {
        Ok(Ok(collected)) => Ok(Request::from_parts(parts, Body::from(collected.to_bytes()))),
        Ok(Err(error)) if error.is::<http_body_util::LengthLimitError>() => Err(too_large()),
        Ok(Err(error)) => Err(ApiError::invalid(format!(
            "the request body could not be read: {error}"
        ))),
        Err(_) => Err(ApiError::service(
            ErrorCode::RequestTimeoutException,
            format!(
                "the request body did not arrive within {} ms",
                config.request_timeout.as_millis()
            ),
        )),
    }
}

/// Bytes of the request line and headers as sent (name, `: `, value, CRLF each).
fn head_bytes(request: &Request) -> usize {
    let uri = request.uri();
    let target = uri.path_and_query().map_or(1, |p| p.as_str().len())
        + uri.authority().map_or(0, |a| a.as_str().len() + 3)
        + uri.scheme_str().map_or(0, str::len);
    let line = request.method().as_str().len() + target + 11;
    request.headers().iter().fold(line, |sum, (name, value)| {
        sum + name.as_str().len() + value.len() + 4
    })
}

/// Runs the handler under the request deadline; an axum rejection for size becomes AWS-shaped.
async fn finish(config: &Config, handler: impl Future<Output = Response>) -> Response {
    match tokio::time::timeout(config.request_timeout, handler).await {
        Ok(response)
            if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !error::is_aws(&response) =>
        {
            ApiError::service(
                ErrorCode::RequestEntityTooLargeException,
                "the request body is too large",
            )
            .into_response()
        }
        Ok(response) => response,
        Err(_) => ApiError::service(
            ErrorCode::ServiceUnavailableException,
            format!(
                "the request did not complete within {} ms",
                config.request_timeout.as_millis()
            ),
        )
        .into_response(),
    }
}

/// Every response: a request id, the request's plane settled (and errors encoded for it), and AWS-shaped errors for
/// what no handler should see — an oversized head (400), a body that is too large (413) or too slow (408), a
/// handler that does not finish in time (503).
async fn envelope(State(app): State<AppState>, mut request: Request, next: Next) -> Response {
    let n = app.requests.fetch_add(1, Ordering::Relaxed);
    let detected = plane::detect(request.uri().path(), request.headers());
    request.extensions_mut().insert(OnPlane(detected));
    let response = match admit(&app.config, request).await {
        Ok(request) => finish(&app.config, next.run(request)).await,
        Err(error) => error.into_response(),
    };
    // A single-plane operation's route marks the plane it ran on; everything else is answered on the detected one.
    let plane = response
        .extensions()
        .get::<OnPlane>()
        .map_or(detected, |on| on.0);
    let mut response = error::answer(response, plane);
    let now = app.store.clock.now_ms() as u64;
    let id = format!(
        "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
        (now >> 16) as u32,
        now & 0xffff,
        (n >> 12) & 0xfff,
        n & 0xfff,
        n.wrapping_mul(0x9e37_79b9_7f4a_7c15) & 0xffff_ffff_ffff
    );
    if let Ok(value) = HeaderValue::from_str(&id) {
        response
            .headers_mut()
            .insert(error::header_name(headers::REQUEST_ID), value);
    }
    response
}
