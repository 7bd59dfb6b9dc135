//! Requests on the HTTP wire, read back: URI labels by name, the DescribeJobExecution request from method + raw
//! path + query (the inverse of [`DescribeJobExecutionRequest::to_http`]), and the paths of the list operations.
//! Every failure is a [`RequestError`], which a server answers as an AWS-shaped `InvalidRequestException`.

use std::fmt;

use super::percent::{Query, decode_label, encode_label};
use crate::error::{ErrorCode, ServiceError};
use crate::names::{ExecutionNumber, JobId, JobTarget, ThingName};
use crate::plane::Plane;
use crate::request::{DescribeJobExecutionInput, DescribeJobExecutionRequest, LooseNumber};
use crate::violation::Violations;

/// Why a request could not be read. `Display` is the message a server sends.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestError {
    /// A label or query parameter that is not UTF-8 once percent-decoded.
    NotUtf8 {
        /// The label or parameter name.
        field: String,
        /// `label` or `query parameter`.
        what: &'static str,
    },
    /// A URI label the route does not have (a server bug, not a client's).
    MissingLabel(String),
    /// A query parameter of the wrong form.
    BadQuery {
        /// The parameter.
        name: String,
        /// The whole message, starting with the name.
        message: String,
    },
    /// A JSON request body that is not an object, not JSON, or has a member of the wrong type or range.
    BadBody(String),
    /// Values that break the documented constraints, all of them.
    Invalid(Violations),
    /// No operation has this method and path.
    NoOperation {
        /// The HTTP method.
        method: String,
        /// The path as sent.
        path: String,
    },
}

impl RequestError {
    pub(crate) fn bad_query(name: &str, value: &str, expected: &str) -> Self {
        RequestError::BadQuery {
            name: name.to_owned(),
            message: format!("{name}: must be {expected}, got {value:?}"),
        }
    }

    /// The error type a service answers with: `UnknownOperationException` for [`RequestError::NoOperation`],
    /// `InvalidRequestException` for everything else.
    pub fn code(&self) -> ErrorCode {
        match self {
            RequestError::NoOperation { .. } => ErrorCode::UnknownOperationException,
            _ => ErrorCode::InvalidRequestException,
        }
    }

    /// The AWS-shaped error a service on `plane` answers with.
    ///
    /// ```
    /// use jobscope::{Plane, codec::Labels};
    /// let error = Labels::decode([("thingName", "")]).unwrap().thing_name().unwrap_err();
    /// let aws = error.to_service_error(Plane::Data);
    /// assert_eq!(aws.code.as_str(), "InvalidRequestException");
    /// assert_eq!(aws.http_status, 400);
    /// ```
    pub fn to_service_error(&self, plane: Plane) -> ServiceError {
        ServiceError::service(self.code(), plane, self.to_string())
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::NotUtf8 { field, what } => {
                write!(
                    f,
                    "{field}: the {what} is not valid UTF-8 once percent-decoded"
                )
            }
            RequestError::MissingLabel(name) => write!(f, "{name}: the path has no such label"),
            RequestError::BadQuery { message, .. } | RequestError::BadBody(message) => {
                f.write_str(message)
            }
            RequestError::Invalid(violations) => violations.fmt(f),
            RequestError::NoOperation { method, path } => {
                write!(f, "No operation matches {method} {path}")
            }
        }
    }
}

impl std::error::Error for RequestError {}

impl From<Violations> for RequestError {
    fn from(violations: Violations) -> Self {
        RequestError::Invalid(violations)
    }
}

/// The decoded URI labels of a request, read by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels(Vec<(String, String)>);

impl Labels {
    /// Decodes raw labels (`name`, percent-encoded value), as a router hands them over.
    pub fn decode<'a>(
        raw: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Labels, RequestError> {
        raw.into_iter()
            .map(|(name, value)| Ok((name.to_owned(), decode_label(name, value)?)))
            .collect::<Result<_, _>>()
            .map(Labels)
    }

    /// A label's decoded value.
    pub fn get(&self, name: &str) -> Result<&str, RequestError> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| RequestError::MissingLabel(name.to_owned()))
    }

    /// `thingName`, checked.
    pub fn thing_name(&self) -> Result<ThingName, RequestError> {
        Ok(ThingName::parse(self.get("thingName")?)?)
    }

    /// `jobId`, checked (no `$next`).
    pub fn job_id(&self) -> Result<JobId, RequestError> {
        Ok(JobId::parse(self.get("jobId")?)?)
    }

    /// `jobId` as a target: `$next` is allowed on the data plane.
    pub fn job_target(&self, plane: Plane) -> Result<JobTarget, RequestError> {
        Ok(JobTarget::parse(self.get("jobId")?, plane)?)
    }

    /// `executionNumber` (a path label in DeleteJobExecution).
    pub fn execution_number(&self) -> Result<ExecutionNumber, RequestError> {
        self.get("executionNumber")?
            .parse::<ExecutionNumber>()
            .map_err(|v| RequestError::Invalid(Violations(vec![v])))
    }
}

impl DescribeJobExecutionRequest {
    /// Reads a DescribeJobExecution request from its HTTP form: `GET /things/{thingName}/jobs/{jobId}` with
    /// `executionNumber` and (data plane) `includeJobDocument` in the query. The inverse of
    /// [`DescribeJobExecutionRequest::to_http`]; values are checked as [`DescribeJobExecutionInput::validate`]
    /// checks them, every violation at once.
    ///
    /// ```
    /// use jobscope::{DescribeJobExecutionRequest, Plane};
    /// let request = DescribeJobExecutionRequest::from_http(
    ///     Plane::Data, "GET", "/things/my%3Athing/jobs/%24next", "includeJobDocument=false",
    /// ).unwrap();
    /// assert_eq!(request.thing_name().as_str(), "my:thing");
    /// assert_eq!(request.to_http(None).url, "/things/my%3Athing/jobs/%24next?includeJobDocument=false");
    /// ```
    pub fn from_http(
        plane: Plane,
        method: &str,
        path: &str,
        query: &str,
    ) -> Result<Self, RequestError> {
        let no_operation = || RequestError::NoOperation {
            method: method.to_owned(),
            path: path.to_owned(),
        };
        let mut segments = path.strip_prefix('/').ok_or_else(no_operation)?.split('/');
        let (Some("things"), Some(thing), Some("jobs"), Some(job), None) = (
            segments.next(),
            segments.next(),
            segments.next(),
            segments.next(),
            segments.next(),
        ) else {
            return Err(no_operation());
        };
        if method != "GET" {
            return Err(no_operation());
        }
        let labels = Labels::decode([("thingName", thing), ("jobId", job)])?;
        let query = Query::parse(query)?;
        let input = DescribeJobExecutionInput {
            plane,
            thing_name: Some(labels.get("thingName")?.to_owned()),
            job_id: Some(labels.get("jobId")?.to_owned()),
            execution_number: query
                .get("executionNumber")
                .map(|text| LooseNumber::Text(text.to_owned())),
            include_job_document: query.bool("includeJobDocument")?,
        };
        Ok(input.validate()?)
    }
}

/// The path of `GET /things/{thingName}/jobs`: GetPendingJobExecutions (data plane) and ListJobExecutionsForThing
/// (control plane).
///
/// ```
/// let thing = jobscope::ThingName::parse("my:thing").unwrap();
/// assert_eq!(jobscope::codec::thing_jobs_path(&thing), "/things/my%3Athing/jobs");
/// ```
pub fn thing_jobs_path(thing: &ThingName) -> String {
    format!("/things/{}/jobs", encode_label(thing.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_request_round_trips_through_http() {
        for (plane, thing, job, n, doc) in [
            (Plane::Data, "t", "$next", None, None),
            (
                Plane::Data,
                "a:b_c-1",
                "job_1",
                Some(9_007_199_254_740_993_i64),
                Some(false),
            ),
            (Plane::Control, "t", "j", Some(0_i64), None),
        ] {
            let input = DescribeJobExecutionInput {
                plane,
                thing_name: Some(thing.into()),
                job_id: Some(job.into()),
                execution_number: n.map(LooseNumber::from),
                include_job_document: doc,
            };
            let request = input.validate().unwrap_or_else(|v| panic!("{job}: {v}"));
            let http = request.to_http(None);
            let back =
                DescribeJobExecutionRequest::from_http(plane, http.method, &http.path, &http.query)
                    .unwrap();
            assert_eq!(back, request);
        }
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let read = |method: &str, path: &str, query: &str| {
            DescribeJobExecutionRequest::from_http(Plane::Data, method, path, query)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            read("GET", "/things/a/jobs", ""),
            "No operation matches GET /things/a/jobs"
        );
        assert_eq!(
            read("DELETE", "/things/a/jobs/j", ""),
            "No operation matches DELETE /things/a/jobs/j"
        );
        assert_eq!(
            read("GET", "/things/%C3%28/jobs/j", ""),
            "thingName: the label is not valid UTF-8 once percent-decoded"
        );
        assert_eq!(
            read("GET", "/things/a/jobs/j", "includeJobDocument=1"),
            "includeJobDocument: must be true or false, got \"1\""
        );
        assert!(read("GET", "/things//jobs/j", "").starts_with("thingName: "));
        assert_eq!(
            DescribeJobExecutionRequest::from_http(
                Plane::Control,
                "GET",
                "/things/a/jobs/%24next",
                ""
            )
            .unwrap_err()
            .code(),
            ErrorCode::InvalidRequestException
        );
    }
}
