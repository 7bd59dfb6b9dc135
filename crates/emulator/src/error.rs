//! Errors, from whatever refused a request to the AWS error a client reads — mapped in ONE place,
//! [`ApiError::to_service_error`], for the plane the request is answered on, and encoded by the core
//! ([`ServiceError::to_http`]: status, `x-amzn-ErrorType`, `{"message", "payload"}`).
//!
//! Handlers, extractors and middleware return an [`ApiError`] without knowing the plane: its `IntoResponse` leaves
//! the error unanswered in the response, and the router's envelope ([`answer`]) encodes it for the plane the
//! request was settled on (see `crate::plane`).

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use jobscope::codec::mqtt::Rejection;
use jobscope::codec::{HttpResponse, RequestError, headers};
use jobscope::{ErrorCode, Plane, ServiceError};

use crate::store::StoreError;

/// Why a request failed, before it is put in a plane's terms.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The request could not be read: a label, query parameter or body that breaks the model, or no operation.
    Request(RequestError),
    /// The store refused the operation.
    Store(StoreError),
    /// What the router itself answers (oversized or slow requests, a failed signature check, injected faults): an
    /// AWS error type and a message, with the status the model gives the type on the plane unless `status`
    /// overrides it, and ThrottlingException's `payload` text (the core base64-encodes it).
    Service {
        code: ErrorCode,
        message: String,
        status: Option<u16>,
        payload: Option<String>,
    },
}

impl ApiError {
    pub fn service(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError::Service {
            code,
            message: message.into(),
            status: None,
            payload: None,
        }
    }

    /// An InvalidRequestException the router answers (the request as a whole, not one of its members).
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::service(ErrorCode::InvalidRequestException, message)
    }

    /// Sets ThrottlingException's `payload` (plain text; it goes out base64-encoded).
    pub fn with_payload(mut self, text: impl Into<String>) -> Self {
        if let ApiError::Service { payload, .. } = &mut self {
            *payload = Some(text.into());
        }
        self
    }

    /// The AWS error this is on `plane`: the one mapping of domain errors to the models' errors.
    ///
    /// - A stale `expectedVersion` is the model's error for the operation: the data plane's UpdateJobExecution lists
    ///   InvalidStateTransitionException (409) and not ConflictException; the control plane's CancelJobExecution
    ///   and DeleteThing list VersionConflictException (409).
    /// - The device API's refusal to describe an ended execution is TerminalStateException (410).
    pub fn to_service_error(&self, plane: Plane) -> ServiceError {
        match self {
            ApiError::Request(error) => error.to_service_error(plane),
            ApiError::Store(error) => {
                let code = match (error, plane) {
                    (StoreError::NotFound(_), _) => ErrorCode::ResourceNotFoundException,
                    (StoreError::AlreadyExists(_), _) => ErrorCode::ResourceAlreadyExistsException,
                    (StoreError::VersionMismatch { .. }, Plane::Data) => {
                        ErrorCode::InvalidStateTransitionException
                    }
                    (StoreError::VersionMismatch { .. }, Plane::Control) => {
                        ErrorCode::VersionConflictException
                    }
                    (StoreError::Terminal { .. }, Plane::Data) => ErrorCode::TerminalStateException,
                    (
                        StoreError::InvalidTransition { .. }
                        | StoreError::ForceRequired { .. }
                        | StoreError::Terminal { .. },
                        _,
                    ) => ErrorCode::InvalidStateTransitionException,
                    (StoreError::NotSettable(_) | StoreError::ForeignTarget { .. }, _) => {
                        ErrorCode::InvalidRequestException
                    }
                    (StoreError::Storage(_), _) => ErrorCode::InternalFailureException,
                };
                ServiceError::service(code, plane, error.to_string())
            }
            ApiError::Service {
                code,
                message,
                status,
                payload,
            } => {
                let mut error = ServiceError::service(code.clone(), plane, message.clone());
                if let Some(status) = status {
                    error.http_status = *status;
                }
                match payload {
                    Some(payload) => error.with_payload(plane, payload.clone()),
                    None => error,
                }
            }
        }
    }

    /// The rejection this is over MQTT (`…/rejected`): the data plane's AWS error put in the Jobs MQTT API's code
    /// ([`ErrorCode::mqtt_rejection`], REFERENCE §4's analogues), but for a stale `expectedVersion`, which MQTT names
    /// `VersionMismatch` (the HTTP data plane has no such error and answers InvalidStateTransitionException).
    /// `executionState` is the caller's to add: the store's errors do not carry the execution.
    pub fn to_mqtt_rejection(&self, client_token: Option<String>) -> Rejection {
        let error = self.to_service_error(Plane::Data);
        let code = match self {
            ApiError::Store(StoreError::VersionMismatch { .. }) => ErrorCode::VersionMismatch,
            _ => error.code.mqtt_rejection(),
        };
        Rejection::new(code, error.message.unwrap_or_default(), client_token)
    }

    /// The response for `plane`.
    pub fn respond(&self, plane: Plane) -> Response {
        to_response(self.to_service_error(plane).to_http())
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Request(error) => error.fmt(f),
            ApiError::Store(error) => error.fmt(f),
            ApiError::Service { code, message, .. } => write!(f, "{code}: {message}"),
        }
    }
}

impl std::error::Error for ApiError {}

impl From<RequestError> for ApiError {
    fn from(error: RequestError) -> Self {
        ApiError::Request(error)
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        ApiError::Store(error)
    }
}

/// An error waiting for its plane, carried in the response's extensions to the envelope.
#[derive(Debug, Clone)]
struct Unanswered(ApiError);

impl IntoResponse for ApiError {
    /// A placeholder the envelope replaces (via [`answer`]) with the error encoded for the request's plane.
    fn into_response(self) -> Response {
        let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
        response.extensions_mut().insert(Unanswered(self));
        response
    }
}

/// `response`, with an [`ApiError`] it carries encoded for `plane`.
pub fn answer(mut response: Response, plane: Plane) -> Response {
    match response.extensions_mut().remove::<Unanswered>() {
        Some(Unanswered(error)) => error.respond(plane),
        None => response,
    }
}

/// Whether a response is an AWS error already (encoded, or waiting for its plane).
pub fn is_aws(response: &Response) -> bool {
    response.extensions().get::<Unanswered>().is_some()
        || response
            .headers()
            .contains_key(header_name(headers::ERROR_TYPE))
}

/// A header name from the core's list ([`headers`]), as axum keeps it (lower case).
pub fn header_name(name: &str) -> HeaderName {
    HeaderName::try_from(name).expect("the core's header names are valid")
}

/// The core's encoded response as an axum one.
pub fn to_response(http: HttpResponse) -> Response {
    let mut response = Response::new(Body::from(http.body));
    *response.status_mut() =
        StatusCode::from_u16(http.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    for (name, value) in http.headers {
        if let Ok(value) = HeaderValue::try_from(value) {
            headers.insert(header_name(&name), value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Resource;

    #[test]
    fn a_stale_version_is_each_planes_modeled_error() {
        let stale = ApiError::Store(StoreError::VersionMismatch {
            what: Resource::execution("t", "j", None),
            expected: 1,
            actual: 2,
        });
        let data = stale.to_service_error(Plane::Data);
        assert_eq!(
            (data.code, data.http_status),
            (ErrorCode::InvalidStateTransitionException, 409)
        );
        let control = stale.to_service_error(Plane::Control);
        assert_eq!(
            (control.code, control.http_status),
            (ErrorCode::VersionConflictException, 409)
        );
    }

    #[test]
    fn store_errors_become_mqtt_rejection_codes() {
        let execution = || Resource::execution("t", "j", None);
        let cases = [
            (
                ApiError::Store(StoreError::VersionMismatch {
                    what: execution(),
                    expected: 1,
                    actual: 2,
                }),
                ErrorCode::VersionMismatch,
            ),
            (
                ApiError::Store(StoreError::InvalidTransition {
                    execution: execution(),
                    from: jobscope::JobExecutionStatus::Succeeded,
                    to: jobscope::JobExecutionStatus::InProgress,
                }),
                ErrorCode::InvalidStateTransition,
            ),
            (
                ApiError::Store(StoreError::Terminal {
                    execution: execution(),
                    status: jobscope::JobExecutionStatus::Succeeded,
                }),
                ErrorCode::TerminalStateReached,
            ),
            (
                ApiError::Store(StoreError::NotFound(execution())),
                ErrorCode::ResourceNotFound,
            ),
            (
                ApiError::Store(StoreError::NotSettable(
                    jobscope::JobExecutionStatus::Canceled,
                )),
                ErrorCode::InvalidRequest,
            ),
            (
                ApiError::service(ErrorCode::ThrottlingException, "slow down"),
                ErrorCode::RequestThrottled,
            ),
            (
                ApiError::service(ErrorCode::ServiceUnavailableException, "down"),
                ErrorCode::InternalError,
            ),
            (
                ApiError::Store(StoreError::Storage("disk".into())),
                ErrorCode::InternalError,
            ),
        ];
        for (error, code) in cases {
            let rejection = error.to_mqtt_rejection(Some("c".into()));
            assert_eq!(rejection.code, code, "{error}");
            assert_eq!(rejection.client_token.as_deref(), Some("c"));
            assert_eq!(
                rejection.message,
                error.to_service_error(Plane::Data).message.unwrap()
            );
        }
    }

    #[test]
    fn the_envelope_answers_for_the_plane() {
        let throttled = ApiError::service(ErrorCode::ThrottlingException, "slow down")
            .with_payload("{\"reason\":\"injected\"}");
        let data = answer(throttled.clone().into_response(), Plane::Data);
        assert_eq!(data.status(), 429);
        assert_eq!(data.headers()[headers::ERROR_TYPE], "ThrottlingException");
        let control = answer(throttled.into_response(), Plane::Control);
        assert_eq!(control.status(), 400);
        let untouched = answer(StatusCode::OK.into_response(), Plane::Data);
        assert_eq!(untouched.status(), 200);
    }
}
