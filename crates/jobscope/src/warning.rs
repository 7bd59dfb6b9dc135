//! Problems found in a response whose data is still shown.

use std::fmt;

/// What a warning is about. The string forms are stable API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WarningCode {
    /// `status` is not one of the 8 documented values.
    UnknownStatus,
    /// queuedAt ≤ startedAt ≤ lastUpdatedAt does not hold.
    TimeOrder,
    /// A QUEUED execution has `startedAt`.
    StartedWhileQueued,
    /// A terminal execution still has `approximateSecondsBeforeTimedOut`.
    TimeoutOnTerminal,
    /// A `statusDetails` key breaks its constraints (1–128 chars of `a-zA-Z0-9:_-`).
    StatusDetailsKey,
    /// A `statusDetails` value breaks its constraints (non-empty, ≤ 1024 chars, no control characters).
    StatusDetailsValue,
    /// `jobDocument` is longer than 32768 characters.
    DocumentTooLong,
    /// A time looks like epoch milliseconds rather than seconds.
    Milliseconds,
    /// The response names a different job, thing or execution than the request asked for.
    RequestMismatch,
    /// A number above 2^53, which JavaScript numbers cannot hold exactly.
    Precision,
    /// A `long` field carried a fraction.
    Fractional,
    /// A number arrived as a JSON string.
    StringNumber,
    /// A number outside its sensible range (negative versions, …).
    OutOfRange,
    /// A field or form that belongs to the other plane.
    PlaneMismatch,
    /// A field the model does not define.
    UnknownField,
    /// The same key appeared twice; the last value was kept.
    DuplicateKey,
    /// A field whose value breaks the model's constraints (e.g. a thingName with a space).
    InvalidValue,
    /// Fields that contradict each other (forceCanceled on a non-canceled execution).
    Inconsistent,
    /// A 200 with an empty body, read as "nothing pending".
    EmptyBody,
    /// The body started with a byte-order mark, which was skipped.
    ByteOrderMark,
}

impl WarningCode {
    /// The stable snake_case code.
    pub const fn as_str(self) -> &'static str {
        match self {
            WarningCode::UnknownStatus => "unknown_status",
            WarningCode::TimeOrder => "time_order",
            WarningCode::StartedWhileQueued => "started_while_queued",
            WarningCode::TimeoutOnTerminal => "timeout_on_terminal",
            WarningCode::StatusDetailsKey => "status_details_key",
            WarningCode::StatusDetailsValue => "status_details_value",
            WarningCode::DocumentTooLong => "document_too_long",
            WarningCode::Milliseconds => "milliseconds",
            WarningCode::RequestMismatch => "request_mismatch",
            WarningCode::Precision => "precision",
            WarningCode::Fractional => "fractional",
            WarningCode::StringNumber => "string_number",
            WarningCode::OutOfRange => "out_of_range",
            WarningCode::PlaneMismatch => "plane_mismatch",
            WarningCode::UnknownField => "unknown_field",
            WarningCode::DuplicateKey => "duplicate_key",
            WarningCode::InvalidValue => "invalid_value",
            WarningCode::Inconsistent => "inconsistent",
            WarningCode::EmptyBody => "empty_body",
            WarningCode::ByteOrderMark => "byte_order_mark",
        }
    }
}

impl fmt::Display for WarningCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for WarningCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One problem in a decoded response.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    /// The wire name of the field (`queuedAt`, `statusDetails.progress`, or `body`).
    pub field: String,
    /// The stable code.
    pub code: WarningCode,
    /// A sentence a person understands, prefixed with the field.
    pub message: String,
}

impl Warning {
    pub(crate) fn new(
        field: impl Into<String>,
        code: WarningCode,
        detail: impl fmt::Display,
    ) -> Self {
        let field = field.into();
        let message = format!("{field}: {detail}");
        Warning {
            field,
            code,
            message,
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
