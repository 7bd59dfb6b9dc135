//! Request validation failures.

use std::fmt;

/// Why a request field was rejected. The string forms (`required`, `too_long`, …) are stable API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ViolationCode {
    /// The field is missing.
    Required,
    /// The value is shorter than the model's minimum length.
    TooShort,
    /// The value is longer than the model's maximum length.
    TooLong,
    /// The value contains a character outside the allowed set.
    Pattern,
    /// A number field is not a whole number.
    NotInteger,
    /// A whole number outside the allowed range.
    OutOfRange,
    /// The field or value does not exist on the request's plane.
    NotSupported,
}

impl ViolationCode {
    /// The stable snake_case code.
    pub const fn as_str(self) -> &'static str {
        match self {
            ViolationCode::Required => "required",
            ViolationCode::TooShort => "too_short",
            ViolationCode::TooLong => "too_long",
            ViolationCode::Pattern => "pattern",
            ViolationCode::NotInteger => "not_integer",
            ViolationCode::OutOfRange => "out_of_range",
            ViolationCode::NotSupported => "not_supported",
        }
    }
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
