//! Errors a `DescribeJobExecution` call can end in: the service's, the usual AWS auth/endpoint failures, and the
//! transport failures a client meets (network, CORS, timeout, a body that is not what the protocol says).

use std::fmt;

use crate::explain::Explanation;

macro_rules! error_codes {
    ($($variant:ident => $name:literal,)*) => {
        /// An error type. Service types use their AWS names; transport failures use jobscope's own names.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $(
                #[doc = concat!("`", $name, "`")]
                $variant,
            )*
            /// A type the catalogue does not know, kept as sent (after sanitising).
            Unknown(String),
        }

        impl ErrorCode {
            /// Every code the catalogue explains.
            pub const KNOWN: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The code's name, as on the wire for service errors.
            pub fn as_str(&self) -> &str {
                match self {
                    $(ErrorCode::$variant => $name,)*
                    ErrorCode::Unknown(other) => other,
                }
            }

            /// Looks up a sanitised name; unknown names become `Unknown`.
            pub fn from_name(name: &str) -> ErrorCode {
                match name {
                    $($name => ErrorCode::$variant,)*
                    other => ErrorCode::Unknown(other.to_owned()),
                }
            }
        }
    };
}

error_codes! {
    InvalidRequestException => "InvalidRequestException",
    ResourceNotFoundException => "ResourceNotFoundException",
    ThrottlingException => "ThrottlingException",
    ServiceUnavailableException => "ServiceUnavailableException",
    CertificateValidationException => "CertificateValidationException",
    TerminalStateException => "TerminalStateException",
    InternalServerException => "InternalServerException",
    InternalFailureException => "InternalFailureException",
    ConflictException => "ConflictException",
    InvalidStateTransitionException => "InvalidStateTransitionException",
    ServiceQuotaExceededException => "ServiceQuotaExceededException",
    ValidationException => "ValidationException",
    LimitExceededException => "LimitExceededException",
    UnauthorizedException => "UnauthorizedException",
    VersionConflictException => "VersionConflictException",
    ResourceAlreadyExistsException => "ResourceAlreadyExistsException",
    UnrecognizedClientException => "UnrecognizedClientException",
    InvalidSignatureException => "InvalidSignatureException",
    IncompleteSignatureException => "IncompleteSignatureException",
    MissingAuthenticationTokenException => "MissingAuthenticationTokenException",
    AccessDeniedException => "AccessDeniedException",
    ExpiredTokenException => "ExpiredTokenException",
    UnknownOperationException => "UnknownOperationException",
    RequestTimeoutException => "RequestTimeoutException",
    RequestEntityTooLargeException => "RequestEntityTooLargeException",
    HttpError => "HttpError",
    NonJsonResponse => "NonJsonResponse",
    MalformedResponse => "MalformedResponse",
    NetworkError => "NetworkError",
    CorsBlocked => "CorsBlocked",
    ConnectionRefused => "ConnectionRefused",
    SubscribeRefused => "SubscribeRefused",
    Timeout => "Timeout",
    Aborted => "Aborted",
    InvalidTopic => "InvalidTopic",
    InvalidJson => "InvalidJson",
    InvalidRequest => "InvalidRequest",
    InvalidStateTransition => "InvalidStateTransition",
    ResourceNotFound => "ResourceNotFound",
    VersionMismatch => "VersionMismatch",
    InternalError => "InternalError",
    RequestThrottled => "RequestThrottled",
    TerminalStateReached => "TerminalStateReached",
}

impl ErrorCode {
    /// Reads an error type as restJson1 clients must: the part before the first `:`, then the part after `#`.
    ///
    /// ```
    /// use jobscope::ErrorCode;
    /// assert_eq!(ErrorCode::sanitize("TerminalStateException:http://internal.amazon.com/coral/"),
    ///            ErrorCode::TerminalStateException);
    /// assert_eq!(ErrorCode::sanitize("com.amazonaws.iot#ResourceNotFoundException"),
    ///            ErrorCode::ResourceNotFoundException);
    /// ```
    pub fn sanitize(raw: &str) -> ErrorCode {
        let before_colon = raw.split(':').next().unwrap_or(raw);
        let name = before_colon
            .split_once('#')
            .map_or(before_colon, |(_, after)| after);
        ErrorCode::from_name(name.trim())
    }

    /// The HTTP status the service models give this error on a plane (what the emulator sends).
    ///
    /// The data-plane model gives ThrottlingException 429; the source document and the control plane say 400.
    /// Transport codes, which no server sends, map to 0; unknown codes to 400.
    ///
    /// ```
    /// use jobscope::{ErrorCode, Plane};
    /// assert_eq!(ErrorCode::ThrottlingException.http_status(Plane::Data), 429);
    /// assert_eq!(ErrorCode::ThrottlingException.http_status(Plane::Control), 400);
    /// assert_eq!(ErrorCode::TerminalStateException.http_status(Plane::Data), 410);
    /// ```
    pub fn http_status(&self, plane: crate::Plane) -> u16 {
        use ErrorCode::*;
        match self {
            ThrottlingException if plane == crate::Plane::Data => 429,
            InvalidRequestException
            | CertificateValidationException
            | ValidationException
            | IncompleteSignatureException
            | ThrottlingException => 400,
            UnauthorizedException => 401,
            ServiceQuotaExceededException => 402,
            UnrecognizedClientException
            | InvalidSignatureException
            | MissingAuthenticationTokenException
            | AccessDeniedException
            | ExpiredTokenException => 403,
            ResourceNotFoundException | UnknownOperationException => 404,
            RequestTimeoutException => 408,
            RequestEntityTooLargeException => 413,
            ConflictException
            | InvalidStateTransitionException
            | VersionConflictException
            | ResourceAlreadyExistsException => 409,
            TerminalStateException | LimitExceededException => 410,
            InternalServerException | InternalFailureException => 500,
            ServiceUnavailableException => 503,
            HttpError | NonJsonResponse | MalformedResponse | NetworkError | CorsBlocked
            | ConnectionRefused | SubscribeRefused | Timeout | Aborted => 0,
            InvalidTopic
            | InvalidJson
            | InvalidRequest
            | InvalidStateTransition
            | ResourceNotFound
            | VersionMismatch
            | InternalError
            | RequestThrottled
            | TerminalStateReached => 0,
            Unknown(_) => 400,
        }
    }

    /// The codes of the Jobs MQTT API's `…/rejected` messages (`ErrorResponse.code`), which have no HTTP status.
    pub const MQTT_REJECTED: &'static [ErrorCode] = &[
        ErrorCode::InvalidTopic,
        ErrorCode::InvalidJson,
        ErrorCode::InvalidRequest,
        ErrorCode::InvalidStateTransition,
        ErrorCode::ResourceNotFound,
        ErrorCode::VersionMismatch,
        ErrorCode::InternalError,
        ErrorCode::RequestThrottled,
        ErrorCode::TerminalStateReached,
    ];

    /// The MQTT rejection a service error becomes on the Jobs MQTT API (REFERENCE §4's table of analogues);
    /// `InternalError` for what has no closer code.
    ///
    /// ```
    /// use jobscope::ErrorCode;
    /// assert_eq!(ErrorCode::TerminalStateException.mqtt_rejection(), ErrorCode::TerminalStateReached);
    /// assert_eq!(ErrorCode::ThrottlingException.mqtt_rejection(), ErrorCode::RequestThrottled);
    /// ```
    pub fn mqtt_rejection(&self) -> ErrorCode {
        use ErrorCode::*;
        match self {
            code if Self::MQTT_REJECTED.contains(code) => code.clone(),
            InvalidRequestException | ValidationException => InvalidRequest,
            ResourceNotFoundException => ResourceNotFound,
            ThrottlingException | LimitExceededException => RequestThrottled,
            TerminalStateException => TerminalStateReached,
            InvalidStateTransitionException => InvalidStateTransition,
            ConflictException | VersionConflictException => VersionMismatch,
            _ => InternalError,
        }
    }

    /// Whether the catalogue knows this code.
    pub fn is_known(&self) -> bool {
        !matches!(self, ErrorCode::Unknown(_))
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A failed call: what the server (or the transport) said, and what it means.
///
/// `Display`: `TerminalStateException (HTTP 410): Job execution is in a terminal state`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceError {
    /// The error type.
    pub code: ErrorCode,
    /// The HTTP status (0 when no response arrived).
    pub http_status: u16,
    /// The server's message, or jobscope's description for transport and malformed-body failures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `x-amzn-RequestId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// ThrottlingException's `payload`, base64-decoded (lossy UTF-8).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
    /// An MQTT rejection's `executionState` (InvalidStateTransition, VersionMismatch): where the execution is now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub execution_state: Option<Box<crate::codec::JobExecutionState>>,
}

impl ServiceError {
    /// An error with a code, status and message.
    pub fn new(code: ErrorCode, http_status: u16, message: impl Into<String>) -> Self {
        ServiceError {
            code,
            http_status,
            message: Some(message.into()),
            request_id: None,
            payload: None,
            execution_state: None,
        }
    }

    /// A transport failure (no HTTP response): network, CORS, timeout or abort.
    pub fn transport(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::new(code, 0, message)
    }

    /// Whether retrying the same call may succeed: throttling, unavailable/internal errors, network failures,
    /// timeouts, and untyped 5xx/429 answers.
    pub fn retryable(&self) -> bool {
        match self.code {
            ErrorCode::HttpError | ErrorCode::NonJsonResponse | ErrorCode::Unknown(_) => {
                self.http_status >= 500 || self.http_status == 429
            }
            ref code => crate::explain::explain(code).retryable,
        }
    }

    /// The catalogue's explanation, refined by the message where it tells more (AccessDenied "Invalid endpoint").
    pub fn explanation(&self) -> &'static Explanation {
        crate::explain::explain_error(&self.code, self.message.as_deref())
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code.as_str())?;
        if self.http_status != 0 {
            write!(f, " (HTTP {})", self.http_status)?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ServiceError {}
