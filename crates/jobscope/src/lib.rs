mod endpoint;
mod error;
mod execution;
mod explain;
mod http_request;
mod names;
mod plane;
mod request;
mod response;
mod time;
mod violation;
mod warning;
mod wire;

pub use endpoint::Endpoint;
pub use error::{ErrorCode, ServiceError};
pub use execution::{EpochTime, JobExecution, JobExecutionStatus, StatusDetails};
pub use explain::{Explanation, explain, explain_error, explain_name};
pub use http_request::{HttpRequest, MqttRequest, encode_label};
pub use names::{ExecutionNumber, JOB_ID_MAX, JobId, JobTarget, NEXT, THING_NAME_MAX, ThingName};
pub use plane::{Plane, UnknownPlane};
pub use request::{
    DescribeJobExecutionInput, DescribeJobExecutionRequest, LooseNumber, MAX_SAFE_INTEGER,
};
pub use response::{
    DETAILS_VALUE_MAX, DescribeOutcome, JOB_DOCUMENT_MAX, MILLISECONDS_THRESHOLD, decode_response,
};
pub use time::format_utc;
pub use violation::{Violation, ViolationCode, Violations};
pub use warning::{Warning, WarningCode};
