//! jobscope: the AWS IoT Jobs `DescribeJobExecution` call and the `JobExecution` it returns, for both planes.
//!
//! - **Validate** a request against every documented constraint, reporting all violations at once
//!   ([`DescribeJobExecutionInput::validate`]).
//! - **Build** the exact HTTP request, plus `curl`, AWS CLI and MQTT equivalents ([`DescribeJobExecutionRequest::to_http`]).
//! - **Decode and check** a response from `(status, headers, body)`, sans-IO ([`decode_response`]): the execution with
//!   warnings, "nothing pending" for an empty `$next`, or a [`ServiceError`] with an [`Explanation`].
//!
//! The data plane (`iot-jobs-data`) and the control plane (`iot`) share one model, [`JobExecution`]; a request and a
//! decoded execution know their [`Plane`].
//!
//! ```
//! use jobscope::{DescribeJobExecutionInput, DescribeOutcome, Endpoint, ErrorCode, Plane};
//!
//! let request = DescribeJobExecutionInput {
//!     plane: Plane::Data,
//!     thing_name: Some("sensor-1".into()),
//!     job_id: Some("$next".into()),
//!     ..Default::default()
//! }
//! .validate()?;
//! let endpoint = Endpoint::parse("https://abc123.jobs.iot.us-east-1.amazonaws.com").unwrap();
//! assert_eq!(
//!     request.to_http(Some(&endpoint)).url,
//!     "https://abc123.jobs.iot.us-east-1.amazonaws.com/things/sensor-1/jobs/%24next"
//! );
//!
//! // Nothing pending: a 200 without `execution`.
//! let outcome = request.decode_response::<&str>(200, &[], b"{}").unwrap();
//! assert!(matches!(outcome, DescribeOutcome::NothingPending { .. }));
//!
//! // A service error, explained.
//! let error = request
//!     .decode_response(410, &[("x-amzn-ErrorType", "TerminalStateException")], br#"{"message":"ended"}"#)
//!     .unwrap_err();
//! assert_eq!(error.code, ErrorCode::TerminalStateException);
//! println!("{}: {}", error.explanation().title, error.explanation().meaning);
//! # Ok::<(), jobscope::Violations>(())
//! ```
//!
//! ## Where the sources disagree
//! - `jobId` length: the data-plane model's `DescribeJobExecutionJobId` has no length limit; the API reference and the
//!   `JobId` shape say 1–64. jobscope enforces 1–64 (plus `$next` on the data plane).
//! - Patterns are whole-string matches (the Smithy model's anchored form), not botocore's unanchored form.
//! - Data-plane times are `long` seconds in the model; fractional values (the AWS CLI example) are accepted with a
//!   `fractional` warning and kept. Control-plane times are epoch seconds that may be fractional.
//! - `ThrottlingException` is 429 in the data-plane model and 400 in the document and the control plane; the type
//!   decides, not the status.
//! - `statusDetails` values: the model sets no maximum; the developer guide says 1024 characters, which is checked
//!   as a warning.
//! - Over MQTT `jobDocument` is a JSON object; over HTTP a string. Both are accepted; the object is kept as its JSON
//!   text with a warning.
#![warn(missing_docs)]

pub mod codec;
mod endpoint;
mod error;
mod execution;
mod explain;
mod http_request;
#[cfg(any(feature = "js", feature = "js-sign"))]
mod js;
mod names;
mod plane;
mod request;
mod response;
pub mod sigv4;
mod text;
mod time;
mod violation;
mod warning;
mod wire;

pub use codec::{WireForm, encode_label};
pub use endpoint::Endpoint;
pub use error::{ErrorCode, ServiceError};
pub use execution::{JobExecution, JobExecutionStatus, StatusDetails};
pub use explain::{Explanation, explain, explain_error, explain_name};
pub use http_request::{HttpRequest, MqttRequest};
pub use names::{ExecutionNumber, JOB_ID_MAX, JobId, JobTarget, NEXT, THING_NAME_MAX, ThingName};
pub use plane::{Plane, UnknownPlane};
pub use request::{
    DescribeJobExecutionInput, DescribeJobExecutionRequest, LooseNumber, MAX_SAFE_INTEGER,
};
pub use response::{
    DETAILS_VALUE_MAX, DescribeOutcome, JOB_DOCUMENT_MAX, MILLISECONDS_THRESHOLD,
    check_status_details, decode_response,
};
pub use time::{EpochTime, format_utc, seconds_until};
pub use violation::{Violation, ViolationCode, Violations};
pub use warning::{Warning, WarningCode};
