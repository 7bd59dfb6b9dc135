//! Service errors on the restJson1 wire, both directions: [`ServiceError::to_http`] writes what a service sends
//! (status, `x-amzn-ErrorType`, `x-amzn-RequestId`, `{"message", "payload"}`), [`ServiceError::from_http`] reads
//! it back as clients must.

use base64::Engine as _;

use super::headers;
use crate::error::{ErrorCode, ServiceError};
use crate::plane::Plane;
use crate::text::excerpt;

/// An HTTP response a service sends: status, headers, JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Header names (from [`headers`]) and values.
    pub headers: Vec<(String, String)>,
    /// The JSON body.
    pub body: String,
}

impl ServiceError {
    /// An error as the service answers it on `plane`: the status its model gives the code there.
    ///
    /// ```
    /// use jobscope::{ErrorCode, Plane, ServiceError};
    /// let error = ServiceError::service(ErrorCode::ThrottlingException, Plane::Data, "slow down");
    /// assert_eq!(error.http_status, 429);
    /// ```
    pub fn service(code: ErrorCode, plane: Plane, message: impl Into<String>) -> Self {
        let status = code.http_status(plane);
        Self::new(code, status, message)
    }

    /// Sets the `payload` blob where the plane's model has that member — ThrottlingException on the data plane —
    /// and leaves it out elsewhere (the control plane's ThrottlingException has only `message`).
    ///
    /// ```
    /// use jobscope::{ErrorCode, Plane, ServiceError};
    /// let data = ServiceError::service(ErrorCode::ThrottlingException, Plane::Data, "slow down")
    ///     .with_payload(Plane::Data, "hello");
    /// assert_eq!(data.payload.as_deref(), Some("hello"));
    /// let control = ServiceError::service(ErrorCode::ThrottlingException, Plane::Control, "slow down")
    ///     .with_payload(Plane::Control, "hello");
    /// assert_eq!(control.to_http().body, r#"{"message":"slow down"}"#);
    /// ```
    pub fn with_payload(mut self, plane: Plane, payload: impl Into<String>) -> Self {
        if self.code == ErrorCode::ThrottlingException && plane == Plane::Data {
            self.payload = Some(payload.into());
        }
        self
    }

    /// The response a service sends for this error. `payload` (ThrottlingException's blob) goes out base64-encoded;
    /// the request id, when set, as `x-amzn-RequestId`.
    ///
    /// ```
    /// use jobscope::{ErrorCode, Plane, ServiceError};
    /// let mut error = ServiceError::service(ErrorCode::ThrottlingException, Plane::Data, "slow down");
    /// error.payload = Some("hello".into());
    /// let http = error.to_http();
    /// assert_eq!(http.status, 429);
    /// assert_eq!(http.body, r#"{"message":"slow down","payload":"aGVsbG8="}"#);
    /// assert_eq!(ServiceError::from_http(http.status, &http.headers, http.body.as_bytes()), error);
    /// ```
    pub fn to_http(&self) -> HttpResponse {
        let mut body = String::from("{");
        if let Some(message) = &self.message {
            body.push_str("\"message\":");
            super::json::push_string(&mut body, message);
        }
        if let Some(payload) = &self.payload {
            if body.len() > 1 {
                body.push(',');
            }
            body.push_str("\"payload\":");
            let encoded = base64::engine::general_purpose::STANDARD.encode(payload.as_bytes());
            super::json::push_string(&mut body, &encoded);
        }
        body.push('}');
        let mut headers = vec![
            (
                headers::ERROR_TYPE.to_owned(),
                self.code.as_str().to_owned(),
            ),
            (headers::CONTENT_TYPE.to_owned(), headers::JSON.to_owned()),
        ];
        if let Some(id) = &self.request_id {
            headers.push((headers::REQUEST_ID.to_owned(), id.clone()));
        }
        HttpResponse {
            status: self.http_status,
            headers,
            body,
        }
    }

    /// Reads a non-2xx response as restJson1 clients must: the type from `x-amzn-ErrorType`, else the body's
    /// `code`/`__type` (sanitised: before `:`, after `#`); the message from `message`/`Message`/`errorMessage`;
    /// ThrottlingException's base64 `payload`; the request id header. A body that is not JSON is
    /// `NonJsonResponse`; no type at all is `HttpError`.
    pub fn from_http<H: AsRef<str>>(status: u16, headers: &[(H, H)], body: &[u8]) -> ServiceError {
        let mut error = decode_body(status, headers::find(headers, headers::ERROR_TYPE), body);
        error.request_id = request_id(headers).map(str::to_owned);
        error
    }
}

/// `x-amzn-RequestId` (or `x-amz-request-id`).
pub fn request_id<H: AsRef<str>>(headers: &[(H, H)]) -> Option<&str> {
    headers::find(headers, headers::REQUEST_ID)
        .or_else(|| headers::find(headers, headers::AMZ_REQUEST_ID))
}

fn decode_body(status: u16, header_type: Option<&str>, body: &[u8]) -> ServiceError {
    let body = body.strip_prefix("\u{feff}".as_bytes()).unwrap_or(body);
    let blank = body.iter().all(u8::is_ascii_whitespace);
    let parsed = if blank {
        None
    } else {
        crate::wire::parse_error_body(body)
    };
    let is_json = parsed.is_some();
    let parsed = parsed.unwrap_or_default();
    let code = match header_type
        .filter(|t| !t.trim().is_empty())
        .or(parsed.error_type.as_deref())
    {
        Some(raw) => ErrorCode::sanitize(raw),
        None if !blank && !is_json => ErrorCode::NonJsonResponse,
        None => ErrorCode::HttpError,
    };
    let message = match code {
        ErrorCode::NonJsonResponse => Some(format!(
            "HTTP {status} with a body that is not JSON: {}",
            excerpt(String::from_utf8_lossy(body).trim(), 200)
        )),
        _ => parsed.message,
    };
    let payload = parsed.payload.map(|encoded| {
        match base64::engine::general_purpose::STANDARD.decode(encoded.as_bytes()) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(_) => encoded,
        }
    });
    ServiceError {
        message: message.or_else(|| {
            (code == ErrorCode::HttpError).then(|| format!("HTTP {status} without an error type"))
        }),
        code,
        http_status: status,
        request_id: None,
        payload,
        execution_state: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_service_code_round_trips_on_both_planes() {
        for plane in [Plane::Data, Plane::Control] {
            for code in ErrorCode::KNOWN {
                if code.http_status(plane) == 0 {
                    continue; // transport failures: no server sends them
                }
                let mut error = ServiceError::service(code.clone(), plane, "it \"failed\"\n");
                error.request_id = Some("r-1".into());
                let http = error.to_http();
                assert_eq!(
                    ServiceError::from_http(http.status, &http.headers, http.body.as_bytes()),
                    error
                );
            }
        }
    }

    #[test]
    fn error_without_message_is_an_empty_object() {
        let error = ServiceError {
            message: None,
            ..ServiceError::service(ErrorCode::InternalFailureException, Plane::Data, "")
        };
        assert_eq!(error.to_http().body, "{}");
    }
}
