//! Validated identifiers: `ThingName`, `JobId`, `JobTarget` (a job id or `$next`) and `ExecutionNumber`.
//!
//! Patterns are matched as whole strings, the anchored form of the Smithy model (`^[a-zA-Z0-9:_-]+$`), not the
//! unanchored botocore form, which would accept almost anything (REFERENCE §1.4).

use std::fmt;
use std::str::FromStr;

use crate::plane::Plane;
use crate::text::Quoted;
use crate::violation::{Violation, ViolationCode, Violations};

/// The most characters a thing name may have.
pub const THING_NAME_MAX: usize = 128;
/// The most characters a job id may have.
pub const JOB_ID_MAX: usize = 64;
/// The job id that asks the data plane for the next pending execution.
pub const NEXT: &str = "$next";

/// `[a-zA-Z0-9:_-]`: thing names and status-detail keys.
pub(crate) fn is_thing_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, ':' | '_' | '-')
}

/// `[a-zA-Z0-9_-]`: job ids.
pub(crate) fn is_job_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-')
}

/// Describes a character for a message: `' ' (U+0020)`.
pub(crate) fn describe_char(c: char) -> String {
    if c.is_control() || c.is_whitespace() && c != ' ' {
        format!("U+{:04X}", c as u32)
    } else {
        format!("'{c}' (U+{:04X})", c as u32)
    }
}

/// Checks a string against a length range and an allowed character set, pushing every violation found.
pub(crate) fn check_text(
    field: &'static str,
    value: &str,
    max: usize,
    allowed: fn(char) -> bool,
    allowed_text: &str,
    out: &mut Vec<Violation>,
) {
    let len = value.chars().count();
    if len == 0 {
        out.push(Violation::new(
            field,
            ViolationCode::TooShort,
            format_args!("must be 1 to {max} characters, got 0"),
        ));
        return;
    }
    if len > max {
        out.push(Violation::new(
            field,
            ViolationCode::TooLong,
            format_args!("must be at most {max} characters, got {len}"),
        ));
    }
    if let Some((index, c)) = value.chars().enumerate().find(|&(_, c)| !allowed(c)) {
        out.push(Violation::new(
            field,
            ViolationCode::Pattern,
            format_args!(
                "must contain only {allowed_text}; found {} at index {index}",
                describe_char(c)
            ),
        ));
    }
}

const THING_NAME_CHARS: &str = "letters, digits, ':', '_' and '-'";
const JOB_ID_CHARS: &str = "letters, digits, '_' and '-'";

/// A thing name: 1–128 characters of `a-z A-Z 0-9 : _ -`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ThingName(Box<str>);

impl ThingName {
    /// Validates a thing name, reporting every violation.
    ///
    /// ```
    /// use jobscope::ThingName;
    /// assert!(ThingName::parse("sensor:42").is_ok());
    /// let err = ThingName::parse("my thing").unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "thingName: must contain only letters, digits, ':', '_' and '-'; found ' ' (U+0020) at index 2"
    /// );
    /// ```
    pub fn parse(value: &str) -> Result<Self, Violations> {
        value.parse()
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for ThingName {
    type Err = Violations;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let mut out = Vec::new();
        check_text(
            "thingName",
            value,
            THING_NAME_MAX,
            is_thing_name_char,
            THING_NAME_CHARS,
            &mut out,
        );
        if out.is_empty() {
            Ok(ThingName(value.into()))
        } else {
            Err(Violations(out))
        }
    }
}

/// A job id: 1–64 characters of `a-z A-Z 0-9 _ -`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobId(Box<str>);

impl JobId {
    /// Validates a job id, reporting every violation.
    ///
    /// ```
    /// use jobscope::JobId;
    /// assert!(JobId::parse("firmware-2024_06").is_ok());
    /// assert_eq!(JobId::parse("").unwrap_err().to_string(), "jobId: must be 1 to 64 characters, got 0");
    /// ```
    pub fn parse(value: &str) -> Result<Self, Violations> {
        value.parse()
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for JobId {
    type Err = Violations;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let mut out = Vec::new();
        check_text(
            "jobId",
            value,
            JOB_ID_MAX,
            is_job_id_char,
            JOB_ID_CHARS,
            &mut out,
        );
        if out.is_empty() {
            Ok(JobId(value.into()))
        } else {
            Err(Violations(out))
        }
    }
}

/// The job a `DescribeJobExecution` asks about: a job id, or `$next` (data plane only).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum JobTarget {
    /// The next pending execution: IN_PROGRESS first, then QUEUED, oldest first.
    Next,
    /// One job, by id.
    Id(JobId),
}

impl JobTarget {
    /// Validates a job id for a plane: `$next` is accepted only on the data plane.
    ///
    /// ```
    /// use jobscope::{JobTarget, Plane};
    /// assert_eq!(JobTarget::parse("$next", Plane::Data).unwrap(), JobTarget::Next);
    /// let err = JobTarget::parse("$next", Plane::Control).unwrap_err();
    /// assert_eq!(err.as_slice()[0].code.as_str(), "not_supported");
    /// ```
    pub fn parse(value: &str, plane: Plane) -> Result<Self, Violations> {
        if value == NEXT {
            return match plane {
                Plane::Data => Ok(JobTarget::Next),
                Plane::Control => Err(Violations(vec![Violation::new(
                    "jobId",
                    ViolationCode::NotSupported,
                    "$next is only supported on the data plane (iot-jobs-data); the control plane needs a job id",
                )])),
            };
        }
        JobId::parse(value).map(JobTarget::Id)
    }

    /// The id as sent: the job id or `$next`.
    pub fn as_str(&self) -> &str {
        match self {
            JobTarget::Next => NEXT,
            JobTarget::Id(id) => id.as_str(),
        }
    }
}

/// An execution number: a whole number in `0..=9223372036854775807` (a non-negative `long`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExecutionNumber(i64);

impl ExecutionNumber {
    /// Wraps a number, rejecting negatives.
    ///
    /// ```
    /// use jobscope::ExecutionNumber;
    /// assert_eq!(ExecutionNumber::new(7).unwrap().get(), 7);
    /// assert!(ExecutionNumber::new(-1).is_err());
    /// ```
    pub fn new(value: i64) -> Result<Self, Violation> {
        if value < 0 {
            Err(out_of_range(&value.to_string()))
        } else {
            Ok(ExecutionNumber(value))
        }
    }

    /// The number.
    pub const fn get(self) -> i64 {
        self.0
    }
}

fn out_of_range(text: &str) -> Violation {
    Violation::new(
        "executionNumber",
        ViolationCode::OutOfRange,
        format_args!("must be between 0 and 9223372036854775807, got {text}"),
    )
}

impl fmt::Display for ExecutionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for ExecutionNumber {
    type Err = Violation;

    /// Parses decimal digits exactly (never through a float). A leading `-` is out of range; anything else that
    /// is not all ASCII digits is `not_integer`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let digits = text.strip_prefix('-').unwrap_or(text);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            let shown = if text.is_empty() {
                "an empty string".to_owned()
            } else {
                Quoted(text).to_string()
            };
            return Err(Violation::new(
                "executionNumber",
                ViolationCode::NotInteger,
                format_args!("must be a whole number written with the digits 0-9, got {shown}"),
            ));
        }
        if text.starts_with('-') && digits.bytes().any(|b| b != b'0') {
            return Err(out_of_range(text));
        }
        digits
            .parse::<i64>()
            .map(ExecutionNumber)
            .map_err(|_| out_of_range(text))
    }
}

impl From<ExecutionNumber> for i64 {
    fn from(value: ExecutionNumber) -> Self {
        value.0
    }
}

macro_rules! text_traits {
    ($($ty:ty),*) => {$(
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    )*};
}

text_traits!(ThingName, JobId, JobTarget);

impl<'de> serde::Deserialize<'de> for ThingName {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl<'de> serde::Deserialize<'de> for JobId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn execution_number_text_is_exact() {
        assert_eq!(
            "9007199254740993".parse::<ExecutionNumber>().unwrap().get(),
            9_007_199_254_740_993
        );
        assert_eq!(
            "9223372036854775807"
                .parse::<ExecutionNumber>()
                .unwrap()
                .get(),
            i64::MAX
        );
        assert_eq!("-0".parse::<ExecutionNumber>().unwrap().get(), 0);
    }

    #[test]
    fn execution_number_text_errors() {
        let err = "9223372036854775808"
            .parse::<ExecutionNumber>()
            .unwrap_err();
        assert_eq!(err.code, ViolationCode::OutOfRange);
        assert_eq!(
            err.message,
            "executionNumber: must be between 0 and 9223372036854775807, got 9223372036854775808"
        );
        assert_eq!(
            "-3".parse::<ExecutionNumber>().unwrap_err().code,
            ViolationCode::OutOfRange
        );
        for bad in ["", "1.5", "1e3", " 5", "+5", "0x10", "٣"] {
            assert_eq!(
                bad.parse::<ExecutionNumber>().unwrap_err().code,
                ViolationCode::NotInteger,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn pattern_message_names_char_and_index() {
        let err = ThingName::parse("ab/c").unwrap_err();
        assert_eq!(
            err.as_slice()[0].message,
            "thingName: must contain only letters, digits, ':', '_' and '-'; found '/' (U+002F) at index 2"
        );
        let err = ThingName::parse("é").unwrap_err();
        assert!(
            err.as_slice()[0]
                .message
                .ends_with("found 'é' (U+00E9) at index 0")
        );
        let err = ThingName::parse("a\tb").unwrap_err();
        assert!(
            err.as_slice()[0]
                .message
                .ends_with("found U+0009 at index 1")
        );
    }

    #[test]
    fn too_long_and_pattern_both_reported() {
        let value = format!("{} x", "a".repeat(130));
        let err = ThingName::parse(&value).unwrap_err();
        let codes: Vec<_> = err.as_slice().iter().map(|v| v.code).collect();
        assert_eq!(codes, [ViolationCode::TooLong, ViolationCode::Pattern]);
        assert_eq!(
            err.as_slice()[0].message,
            "thingName: must be at most 128 characters, got 132"
        );
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        assert!(ThingName::parse(&"a".repeat(128)).is_ok());
        assert_eq!(
            JobId::parse(&"é".repeat(64)).unwrap_err().as_slice()[0].code,
            ViolationCode::Pattern
        );
    }
}
