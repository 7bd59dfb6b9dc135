//! AWS-shaped errors, encoded with the core crate's error types: `x-amzn-ErrorType` + `{"message": …}`, the status
//! each model gives the error on the request's plane.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use jobscope::{ErrorCode, Plane};

/// An error a handler answers with; the plane decides the status (ThrottlingException: 429 data, 400 control).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// Overrides the model's status (413 for an oversized body).
    pub status: Option<u16>,
    /// ThrottlingException's `payload` blob (data plane), base64.
    pub payload: Option<String>,
    pub plane: Plane,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
            status: None,
            payload: None,
            plane: Plane::Data,
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidRequestException, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::ResourceNotFoundException, message)
    }

    pub fn transition(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidStateTransitionException, message)
    }

    /// Sets the plane the status is chosen for.
    pub fn on(mut self, plane: Plane) -> Self {
        self.plane = plane;
        self
    }

    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    pub fn status_code(&self) -> u16 {
        self.status
            .unwrap_or_else(|| self.code.http_status(self.plane))
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            self.code,
            self.status_code(),
            self.message
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status_code()).unwrap_or(StatusCode::BAD_REQUEST);
        let mut body = serde_json::Map::new();
        body.insert("message".into(), self.message.into());
        if let Some(payload) = self.payload {
            body.insert("payload".into(), payload.into());
        }
        let mut response = (status, axum::Json(serde_json::Value::Object(body))).into_response();
        if let Ok(value) = HeaderValue::from_str(self.code.as_str()) {
            response.headers_mut().insert("x-amzn-errortype", value);
        }
        response
    }
}
