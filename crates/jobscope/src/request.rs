//! `DescribeJobExecutionRequest`: the loose input a form or a JS caller gives, and the validated request.

use crate::names::{ExecutionNumber, JobTarget, ThingName};
use crate::plane::Plane;
use crate::violation::{Violation, ViolationCode, Violations};

/// An execution number as a caller may give it: a whole number, a float from JSON or JS, or text.
#[derive(Debug, Clone, PartialEq)]
pub enum LooseNumber {
    /// An exact integer (JS `bigint`, a safe JS integer, a Rust integer).
    Integer(i128),
    /// A floating-point value: accepted only when whole and exactly representable.
    Float(f64),
    /// Text, which must be ASCII digits.
    Text(String),
}

impl From<i64> for LooseNumber {
    fn from(value: i64) -> Self {
        LooseNumber::Integer(value.into())
    }
}

impl From<u64> for LooseNumber {
    fn from(value: u64) -> Self {
        LooseNumber::Integer(value.into())
    }
}

impl From<&str> for LooseNumber {
    fn from(value: &str) -> Self {
        LooseNumber::Text(value.to_owned())
    }
}

impl From<String> for LooseNumber {
    fn from(value: String) -> Self {
        LooseNumber::Text(value)
    }
}

impl<'de> serde::Deserialize<'de> for LooseNumber {
    /// Accepts a JSON number (integer or float) or a string; the string is checked later, by validation.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LooseVisitor;
        impl serde::de::Visitor<'_> for LooseVisitor {
            type Value = LooseNumber;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number or a string of digits")
            }
            fn visit_i64<E>(self, v: i64) -> Result<LooseNumber, E> {
                Ok(LooseNumber::Integer(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<LooseNumber, E> {
                Ok(LooseNumber::Integer(v.into()))
            }
            fn visit_i128<E>(self, v: i128) -> Result<LooseNumber, E> {
                Ok(LooseNumber::Integer(v))
            }
            fn visit_u128<E>(self, v: u128) -> Result<LooseNumber, E> {
                Ok(LooseNumber::Integer(i128::try_from(v).unwrap_or(i128::MAX)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<LooseNumber, E> {
                Ok(LooseNumber::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<LooseNumber, E> {
                Ok(LooseNumber::Text(v.to_owned()))
            }
        }
        deserializer.deserialize_any(LooseVisitor)
    }
}

/// The largest integer a JS `number` holds exactly (2^53 − 1).
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

impl LooseNumber {
    fn to_execution_number(&self) -> Result<ExecutionNumber, Violation> {
        match self {
            LooseNumber::Integer(value) => match i64::try_from(*value) {
                Ok(value) => ExecutionNumber::new(value),
                Err(_) => value.to_string().parse(),
            },
            LooseNumber::Text(text) => text.parse(),
            LooseNumber::Float(value) => {
                if !value.is_finite() || value.fract() != 0.0 {
                    Err(Violation::new(
                        "executionNumber",
                        ViolationCode::NotInteger,
                        format_args!("must be a whole number, got {}", crate::text::Float(*value)),
                    ))
                } else if value.abs() > MAX_SAFE_INTEGER as f64 {
                    Err(Violation::new(
                        "executionNumber",
                        ViolationCode::OutOfRange,
                        format_args!(
                            "{} is above 2^53 and may already have been rounded; pass it as a string or bigint",
                            crate::text::Float(*value)
                        ),
                    ))
                } else {
                    ExecutionNumber::new(*value as i64)
                }
            }
        }
    }
}

/// What a caller asks for, before validation. Every field may be missing or wrong.
///
/// ```
/// use jobscope::{DescribeJobExecutionInput, Plane};
/// let input = DescribeJobExecutionInput {
///     plane: Plane::Control,
///     thing_name: Some("my thing".into()),
///     job_id: Some("$next".into()),
///     include_job_document: Some(true),
///     ..Default::default()
/// };
/// let violations = input.validate().unwrap_err();
/// let codes: Vec<_> = violations.as_slice().iter().map(|v| (v.field, v.code.as_str())).collect();
/// assert_eq!(codes, [
///     ("thingName", "pattern"),
///     ("jobId", "not_supported"),
///     ("includeJobDocument", "not_supported"),
/// ]);
/// ```
///
/// It deserializes from the JS API's camelCase object (`{"plane":"data","thingName":…,"jobId":…,
/// "executionNumber":…,"includeJobDocument":…}`); unknown keys are rejected so a misspelt key is not silently
/// dropped.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct DescribeJobExecutionInput {
    /// The plane to call; the data plane by default.
    pub plane: Plane,
    /// `thingName` (URI label).
    pub thing_name: Option<String>,
    /// `jobId` (URI label); `$next` on the data plane.
    pub job_id: Option<String>,
    /// `executionNumber` (query).
    pub execution_number: Option<LooseNumber>,
    /// `includeJobDocument` (query, data plane only).
    pub include_job_document: Option<bool>,
}

impl DescribeJobExecutionInput {
    /// Validates every field, returning the request or all violations at once.
    pub fn validate(&self) -> Result<DescribeJobExecutionRequest, Violations> {
        let mut violations = Vec::new();
        let thing_name = match &self.thing_name {
            None => {
                violations.push(required("thingName"));
                None
            }
            Some(text) => ThingName::parse(text)
                .map_err(|v| violations.extend(v))
                .ok(),
        };
        let job = match &self.job_id {
            None => {
                violations.push(required("jobId"));
                None
            }
            Some(text) => JobTarget::parse(text, self.plane)
                .map_err(|v| violations.extend(v))
                .ok(),
        };
        let execution_number = match &self.execution_number {
            None => None,
            Some(number) => number
                .to_execution_number()
                .map_err(|v| violations.push(v))
                .ok(),
        };
        if self.plane == Plane::Control && self.include_job_document.is_some() {
            violations.push(Violation::new(
                "includeJobDocument",
                ViolationCode::NotSupported,
                "is only supported on the data plane (iot-jobs-data); the control plane never returns the job document",
            ));
        }
        match (thing_name, job) {
            (Some(thing_name), Some(job)) if violations.is_empty() => {
                Ok(DescribeJobExecutionRequest {
                    plane: self.plane,
                    thing_name,
                    job,
                    execution_number,
                    include_job_document: self.include_job_document,
                })
            }
            _ => Err(Violations(violations)),
        }
    }
}

fn required(field: &'static str) -> Violation {
    Violation::new(field, ViolationCode::Required, "is required")
}

/// A valid `DescribeJobExecution` request for one plane.
///
/// ```
/// use jobscope::{DescribeJobExecutionRequest, JobTarget, ThingName};
/// let request = DescribeJobExecutionRequest::data(ThingName::parse("sensor-1")?, JobTarget::Next)
///     .with_include_job_document(false);
/// assert_eq!(request.job().as_str(), "$next");
/// # Ok::<(), jobscope::Violations>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescribeJobExecutionRequest {
    plane: Plane,
    thing_name: ThingName,
    job: JobTarget,
    execution_number: Option<ExecutionNumber>,
    include_job_document: Option<bool>,
}

impl DescribeJobExecutionRequest {
    /// A data-plane request (`iot-jobs-data`); the job may be `$next`.
    pub fn data(thing_name: ThingName, job: JobTarget) -> Self {
        DescribeJobExecutionRequest {
            plane: Plane::Data,
            thing_name,
            job,
            execution_number: None,
            include_job_document: None,
        }
    }

    /// A control-plane request (`iot`), which always names a job.
    pub fn control(thing_name: ThingName, job_id: crate::JobId) -> Self {
        DescribeJobExecutionRequest {
            plane: Plane::Control,
            thing_name,
            job: JobTarget::Id(job_id),
            execution_number: None,
            include_job_document: None,
        }
    }

    /// Asks for one execution of the job rather than the latest.
    pub fn with_execution_number(mut self, number: ExecutionNumber) -> Self {
        self.execution_number = Some(number);
        self
    }

    /// Sets `includeJobDocument`. Ignored (never sent) on the control plane, which has no such parameter.
    pub fn with_include_job_document(mut self, include: bool) -> Self {
        if self.plane == Plane::Data {
            self.include_job_document = Some(include);
        }
        self
    }

    /// The plane this request is for.
    pub fn plane(&self) -> Plane {
        self.plane
    }

    /// `thingName`.
    pub fn thing_name(&self) -> &ThingName {
        &self.thing_name
    }

    /// `jobId`.
    pub fn job(&self) -> &JobTarget {
        &self.job
    }

    /// `executionNumber`, when set.
    pub fn execution_number(&self) -> Option<ExecutionNumber> {
        self.execution_number
    }

    /// `includeJobDocument`, when set (data plane only).
    pub fn include_job_document(&self) -> Option<bool> {
        self.include_job_document
    }

    /// The loose input that validates back to this request.
    pub fn to_input(&self) -> DescribeJobExecutionInput {
        DescribeJobExecutionInput {
            plane: self.plane,
            thing_name: Some(self.thing_name.to_string()),
            job_id: Some(self.job.to_string()),
            execution_number: self
                .execution_number
                .map(|n| LooseNumber::Integer(n.get().into())),
            include_job_document: self.include_job_document,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(thing: &str, job: &str) -> DescribeJobExecutionInput {
        DescribeJobExecutionInput {
            thing_name: Some(thing.into()),
            job_id: Some(job.into()),
            ..Default::default()
        }
    }

    #[test]
    fn missing_fields_are_required() {
        let err = DescribeJobExecutionInput::default().validate().unwrap_err();
        let messages: Vec<_> = err.as_slice().iter().map(|v| v.message.as_str()).collect();
        assert_eq!(messages, ["thingName: is required", "jobId: is required"]);
    }

    #[test]
    fn floats_must_be_whole_and_safe() {
        let mut request = input("t", "j");
        request.execution_number = Some(LooseNumber::Float(1.5));
        assert_eq!(
            request.validate().unwrap_err().to_string(),
            "executionNumber: must be a whole number, got 1.5"
        );
        request.execution_number = Some(LooseNumber::Float(9007199254740992.0));
        assert_eq!(
            request.validate().unwrap_err().as_slice()[0].code,
            ViolationCode::OutOfRange
        );
        request.execution_number = Some(LooseNumber::Float(f64::NAN));
        assert_eq!(
            request.validate().unwrap_err().as_slice()[0].code,
            ViolationCode::NotInteger
        );
        request.execution_number = Some(LooseNumber::Float(42.0));
        assert_eq!(
            request
                .validate()
                .unwrap()
                .execution_number()
                .unwrap()
                .get(),
            42
        );
    }

    #[test]
    fn integers_beyond_i64_are_out_of_range() {
        let mut request = input("t", "j");
        request.execution_number = Some(LooseNumber::Integer(i64::MAX as i128 + 1));
        assert_eq!(
            request.validate().unwrap_err().to_string(),
            "executionNumber: must be between 0 and 9223372036854775807, got 9223372036854775808"
        );
    }

    #[test]
    fn round_trips_through_input() {
        let mut original = input("a:b", "$next");
        original.execution_number = Some("9007199254740993".into());
        original.include_job_document = Some(false);
        let request = original.validate().unwrap();
        assert_eq!(request.to_input().validate().unwrap(), request);
    }
}
