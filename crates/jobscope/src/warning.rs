//! Problems found in a response whose data is still shown.

use std::fmt;

// One list gives the enum, its string forms and `KNOWN` (which tests/dts_unions.rs holds to the npm package's
// `WarningCode` union), so none can miss a variant.
macro_rules! warning_codes {
    ($($(#[doc = $doc:literal])* $variant:ident => $name:literal,)*) => {
        /// What a warning is about. The string forms are stable API.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum WarningCode {
            $($(#[doc = $doc])* $variant,)*
        }

        impl WarningCode {
            /// Every code, in declaration order.
            pub const KNOWN: &'static [WarningCode] = &[$(WarningCode::$variant,)*];

            /// The stable snake_case code.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(WarningCode::$variant => $name,)*
                }
            }
        }
    };
}

warning_codes! {
    /// `status` is not one of the 8 documented values.
    UnknownStatus => "unknown_status",
    /// queuedAt ≤ startedAt ≤ lastUpdatedAt does not hold.
    TimeOrder => "time_order",
    /// A QUEUED execution has `startedAt`.
    StartedWhileQueued => "started_while_queued",
    /// A terminal execution still has `approximateSecondsBeforeTimedOut`.
    TimeoutOnTerminal => "timeout_on_terminal",
    /// A `statusDetails` key breaks its constraints (1–128 chars of `a-zA-Z0-9:_-`).
    StatusDetailsKey => "status_details_key",
    /// A `statusDetails` value breaks its constraints (non-empty, ≤ 1024 chars, no control characters).
    StatusDetailsValue => "status_details_value",
    /// `jobDocument` is longer than 32768 characters.
    DocumentTooLong => "document_too_long",
    /// A time looks like epoch milliseconds rather than seconds.
    Milliseconds => "milliseconds",
    /// The response names a different job, thing or execution than the request asked for.
    RequestMismatch => "request_mismatch",
    /// A number above 2^53, which JavaScript numbers cannot hold exactly.
    Precision => "precision",
    /// A `long` field carried a fraction.
    Fractional => "fractional",
    /// A number arrived as a JSON string.
    StringNumber => "string_number",
    /// A number outside its sensible range (negative versions, …).
    OutOfRange => "out_of_range",
    /// A field or form that belongs to the other plane.
    PlaneMismatch => "plane_mismatch",
    /// A field the model does not define.
    UnknownField => "unknown_field",
    /// The same key appeared twice; the last value was kept.
    DuplicateKey => "duplicate_key",
    /// A field whose value breaks the model's constraints (e.g. a thingName with a space).
    InvalidValue => "invalid_value",
    /// Fields that contradict each other (forceCanceled on a non-canceled execution).
    Inconsistent => "inconsistent",
    /// A 200 with an empty body, read as "nothing pending".
    EmptyBody => "empty_body",
    /// The body started with a byte-order mark, which was skipped.
    ByteOrderMark => "byte_order_mark",
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
