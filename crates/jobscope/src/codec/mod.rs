//! The wire codec: every rule of the HTTP wire beside its inverse, pure and sans-IO. Servers (the emulator) encode
//! with it and clients (the viewer, the npm package) decode with it, so the two cannot drift.
//!
//! | rule | encode | decode |
//! |---|---|---|
//! | percent-encoding | [`encode_label`], [`encode_query`] | [`decode_label`], [`Query::parse`] |
//! | DescribeJobExecution request | [`DescribeJobExecutionRequest::to_http`](crate::DescribeJobExecutionRequest::to_http) | [`DescribeJobExecutionRequest::from_http`](crate::DescribeJobExecutionRequest::from_http), [`Labels`] |
//! | request bodies | — (SDKs write them) | [`JsonBody`], [`UpdateJobExecutionInput`], [`StartNextPendingJobExecutionInput`] |
//! | execution | [`JobExecution::wire_form`](crate::JobExecution::wire_form), [`encode_describe_body`] | [`decode_response`](crate::decode_response) |
//! | summaries, lists | [`JobExecution::summary`](crate::JobExecution::summary), [`ListBody::to_json`] | [`ListBody::decode`] |
//! | UpdateJobExecution answer | [`UpdateJobExecutionResponse::to_json`] | serde `Deserialize` |
//! | errors | [`ServiceError::to_http`](crate::ServiceError::to_http) | [`ServiceError::from_http`](crate::ServiceError::from_http) |
//! | header names | [`headers`] | [`headers::find`] |
//! | headers as text lines | [`encode_header_lines`] | [`decode_header_lines`] |
//! | time | [`EpochTime::from_millis`](crate::EpochTime::from_millis) | [`EpochTime::to_millis`](crate::EpochTime::to_millis) |
//! | job values | [`JobStatus`], [`RetryableFailureType`] (serde, as their wire strings) | the same, lenient; `try_parse` strict |
//! | model string constraints | — | [`TextRule`], [`is_other_char`] (`\p{C}`) |

mod body;
mod error;
mod execution;
mod header_lines;
pub mod headers;
mod job;
pub mod json;
pub mod mqtt;
mod percent;
mod request;
mod summary;
mod text;
mod update;

pub use body::JsonBody;
pub use error::{HttpResponse, request_id};
pub use execution::{WireForm, encode_describe_body};
pub use header_lines::{decode_header_lines, encode_header_lines};
pub use job::{JobStatus, RetryableFailureType};
pub use percent::{
    Query, UNRESERVED, decode_bytes, decode_label, encode_bytes, encode_label, encode_query,
};
pub use request::{Labels, RequestError, thing_jobs_path};
pub use summary::{
    ExecutionSummaries, JobExecutionSummary, JobExecutionSummaryForJob,
    JobExecutionSummaryForThing, ListBody, ListJobExecutionsForJob, ListJobExecutionsForThing,
    PendingJobExecutions,
};
pub use text::{TextRule, is_other_char};
pub use update::{
    JobExecutionState, StartNextPendingJobExecutionInput, UpdateJobExecutionInput,
    UpdateJobExecutionResponse,
};
