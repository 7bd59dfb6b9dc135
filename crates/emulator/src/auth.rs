//! `--auth sigv4`: every API request must carry a valid SigV4 signature of a configured access key, verified with
//! the core crate's verifier (the same canonicalization the signer uses). Failures answer as AWS does.

use std::collections::HashMap;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jobscope::codec::headers;
use jobscope::sigv4::{VerifyError, sha256_hex, verify};
use jobscope::{EpochTime, ErrorCode, Plane};

use crate::AppState;
use crate::error::ApiError;

/// Access key id → secret access key.
#[derive(Debug, Clone, Default)]
pub struct AccessKeys(pub HashMap<String, String>);

impl AccessKeys {
    /// Parses `AKID:SECRET`.
    pub fn add(&mut self, pair: &str) -> Result<(), String> {
        match pair.split_once(':') {
            Some((id, secret)) if !id.is_empty() && !secret.is_empty() => {
                self.0.insert(id.to_owned(), secret.to_owned());
                Ok(())
            }
            _ => Err("--access-key must be ACCESS_KEY_ID:SECRET_ACCESS_KEY".into()),
        }
    }
}

/// The AWS error a failed signature check answers (HTTP requests, and the MQTT WebSocket upgrade).
pub fn refusal(error: VerifyError) -> ApiError {
    let (code, message) = match error {
        VerifyError::Missing => (
            ErrorCode::MissingAuthenticationTokenException,
            "Missing Authentication Token".to_owned(),
        ),
        VerifyError::Incomplete(detail) => (ErrorCode::IncompleteSignatureException, detail),
        VerifyError::UnknownKey => (
            ErrorCode::UnrecognizedClientException,
            "The security token included in the request is invalid.".to_owned(),
        ),
        VerifyError::Mismatch(detail) => (ErrorCode::InvalidSignatureException, detail),
    };
    ApiError::service(code, message)
}

/// Lets a request through only with a valid signature of a configured key; otherwise answers as AWS does.
pub async fn require_sigv4(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let Some(keys) = app.config.access_keys.as_ref() else {
        return next.run(request).await;
    };
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, app.config.body_limit).await else {
        return ApiError::service(
            ErrorCode::RequestEntityTooLargeException,
            "the request body is too large",
        )
        .into_response();
    };
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let payload = parts
        .headers
        .get(headers::CONTENT_SHA256)
        .and_then(|v| v.to_str().ok())
        .map_or_else(|| sha256_hex(&bytes), str::to_owned);
    // Whole epoch seconds (x-amz-date has no fraction), converted by the core as the data plane's times are.
    let now = EpochTime::from_millis(Plane::Data, app.store.clock.now_ms()).whole_seconds();
    let result = verify(
        parts.method.as_str(),
        parts.uri.path(),
        parts.uri.query().unwrap_or(""),
        &headers,
        &payload,
        now,
        |id| keys.0.get(id).map(String::as_str),
    );
    if let Err(error) = result {
        return refusal(error).into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}
