//! Request validation failures.

use std::fmt;

// One list gives the enum, its string forms and `KNOWN` (which tests/dts_unions.rs holds to the npm package's
// `ViolationCode` union), so none can miss a variant.
macro_rules! violation_codes {
    ($($(#[doc = $doc:literal])* $variant:ident => $name:literal,)*) => {
        /// Why a request field was rejected. The string forms (`required`, `too_long`, …) are stable API.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ViolationCode {
            $($(#[doc = $doc])* $variant,)*
        }

        impl ViolationCode {
            /// Every code, in declaration order.
            pub const KNOWN: &'static [ViolationCode] = &[$(ViolationCode::$variant,)*];

            /// The stable snake_case code.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ViolationCode::$variant => $name,)*
                }
            }
        }
    };
}

violation_codes! {
    /// The field is missing.
    Required => "required",
    /// The value is shorter than the model's minimum length.
    TooShort => "too_short",
    /// The value is longer than the model's maximum length.
    TooLong => "too_long",
    /// The value contains a character outside the allowed set.
    Pattern => "pattern",
    /// A number field is not a whole number.
    NotInteger => "not_integer",
    /// A whole number outside the allowed range.
    OutOfRange => "out_of_range",
    /// The field or value does not exist on the request's plane.
    NotSupported => "not_supported",
}

impl fmt::Display for ViolationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for ViolationCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One problem with one request field.
///
/// `Display` prints `field: message`, e.g. `thingName: must be at most 128 characters, got 131`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Violation {
    /// The field's wire name (`thingName`, `jobId`, `executionNumber`, `includeJobDocument`, `endpoint`).
    pub field: &'static str,
    /// The stable code.
    pub code: ViolationCode,
    /// A sentence a person understands, prefixed with the field name.
    pub message: String,
}

impl Violation {
    pub(crate) fn new(field: &'static str, code: ViolationCode, detail: impl fmt::Display) -> Self {
        Violation {
            field,
            code,
            message: format!("{field}: {detail}"),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Violation {}

/// Every violation of one request, in field order (thingName, jobId, executionNumber, includeJobDocument).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Violations(pub Vec<Violation>);

impl Violations {
    /// The violations as a slice.
    pub fn as_slice(&self) -> &[Violation] {
        &self.0
    }

    /// The violations of one field.
    pub fn for_field<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a Violation> + 'a {
        self.0.iter().filter(move |v| v.field == field)
    }
}

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, violation) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            f.write_str(&violation.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for Violations {}

impl IntoIterator for Violations {
    type Item = Violation;
    type IntoIter = std::vec::IntoIter<Violation>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}
