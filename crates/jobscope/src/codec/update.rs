//! The device's writes, both directions: UpdateJobExecution and StartNextPendingJobExecution inputs (read from their
//! JSON bodies) and UpdateJobExecution's answer (`executionState`, `jobDocument`).

use serde::Serialize;

use super::body::JsonBody;
use super::json::{FromJson, JsonError, Reader};
use super::request::RequestError;
use crate::execution::{JobExecutionStatus, StatusDetails};

/// UpdateJobExecution's body.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateJobExecutionInput {
    /// The new status (one of the model's eight; which moves are allowed is the service's lifecycle).
    pub status: JobExecutionStatus,
    /// Replaces the stored details when given.
    pub status_details: Option<StatusDetails>,
    /// Restarts the step timer when given.
    pub step_timeout_in_minutes: Option<i64>,
    /// The update applies only at this version.
    pub expected_version: Option<i64>,
    /// Which execution (the latest when absent).
    pub execution_number: Option<i64>,
    /// Answer with `executionState`.
    pub include_job_execution_state: bool,
    /// Answer with `jobDocument`.
    pub include_job_document: bool,
}

impl UpdateJobExecutionInput {
    /// Reads the JSON body.
    ///
    /// ```
    /// use jobscope::codec::UpdateJobExecutionInput;
    /// let input = UpdateJobExecutionInput::from_json(br#"{"status":"SUCCEEDED","expectedVersion":2}"#).unwrap();
    /// assert_eq!(input.expected_version, Some(2));
    /// assert_eq!(
    ///     UpdateJobExecutionInput::from_json(br#"{"status":"DONE"}"#).unwrap_err().to_string(),
    ///     "status: must be one of QUEUED, IN_PROGRESS, SUCCEEDED, FAILED, TIMED_OUT, REJECTED, REMOVED, CANCELED, got \"DONE\""
    /// );
    /// ```
    pub fn from_json(bytes: &[u8]) -> Result<Self, RequestError> {
        let body = JsonBody::parse(bytes)?;
        let status = body.required_string("status")?;
        let status = parse_status("status", &status).map_err(RequestError::BadBody)?;
        Ok(UpdateJobExecutionInput {
            status,
            status_details: body.status_details()?,
            step_timeout_in_minutes: body.minutes("stepTimeoutInMinutes")?,
            expected_version: body.long("expectedVersion")?,
            execution_number: body.long("executionNumber")?,
            include_job_execution_state: body.bool("includeJobExecutionState")?.unwrap_or(false),
            include_job_document: body.bool("includeJobDocument")?.unwrap_or(false),
        })
    }
}

/// A `JobExecutionStatus` in a request, read strictly: one of the model's eight values, else a message that lists
/// them.
pub(crate) fn parse_status(field: &str, text: &str) -> Result<JobExecutionStatus, String> {
    JobExecutionStatus::try_parse(text).ok_or_else(|| {
        let known: Vec<_> = JobExecutionStatus::KNOWN
            .iter()
            .map(|s| s.as_str())
            .collect();
        format!("{field}: must be one of {}, got {text:?}", known.join(", "))
    })
}

/// StartNextPendingJobExecution's body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StartNextPendingJobExecutionInput {
    /// Details to store on the started execution.
    pub status_details: Option<StatusDetails>,
    /// Starts the step timer when given.
    pub step_timeout_in_minutes: Option<i64>,
}

impl StartNextPendingJobExecutionInput {
    /// Reads the JSON body (an empty body is no fields).
    pub fn from_json(bytes: &[u8]) -> Result<Self, RequestError> {
        let body = JsonBody::parse(bytes)?;
        Ok(StartNextPendingJobExecutionInput {
            status_details: body.status_details()?,
            step_timeout_in_minutes: body.minutes("stepTimeoutInMinutes")?,
        })
    }
}

/// `executionState` in UpdateJobExecution's answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobExecutionState {
    /// The status after the update.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<JobExecutionStatus>,
    /// The details after the update (flat: this is a data-plane shape).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_details: Option<StatusDetails>,
    /// The version after the update.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_number: Option<i64>,
}

/// UpdateJobExecution's answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateJobExecutionResponse {
    /// When `includeJobExecutionState` was set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub execution_state: Option<JobExecutionState>,
    /// When `includeJobDocument` was set (and the job has one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_document: Option<String>,
}

impl UpdateJobExecutionResponse {
    /// The JSON body a service sends.
    ///
    /// ```
    /// use jobscope::{JobExecutionStatus, StatusDetails};
    /// use jobscope::codec::{JobExecutionState, UpdateJobExecutionResponse};
    /// use jobscope::codec::json::FromJson;
    /// let answer = UpdateJobExecutionResponse {
    ///     execution_state: Some(JobExecutionState {
    ///         status: Some(JobExecutionStatus::Succeeded),
    ///         status_details: Some(StatusDetails(vec![("k".into(), "v".into())])),
    ///         version_number: Some(3),
    ///     }),
    ///     job_document: None,
    /// };
    /// let json = answer.to_json();
    /// assert_eq!(json, r#"{"executionState":{"status":"SUCCEEDED","statusDetails":{"k":"v"},"versionNumber":3}}"#);
    /// assert_eq!(UpdateJobExecutionResponse::from_json(&json).unwrap(), answer);
    /// ```
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("an update answer always serializes")
    }
}

/// Missing members are absent; unknown members are skipped.
impl FromJson for JobExecutionState {
    fn read(json: &mut Reader<'_>) -> Result<Self, JsonError> {
        let mut state = JobExecutionState::default();
        json.members("struct JobExecutionState", |json, key| {
            match key {
                "status" => state.status = FromJson::read(json)?,
                "statusDetails" => state.status_details = FromJson::read(json)?,
                "versionNumber" => state.version_number = FromJson::read(json)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(state)
    }
}

/// Missing members are absent; unknown members are skipped.
impl FromJson for UpdateJobExecutionResponse {
    fn read(json: &mut Reader<'_>) -> Result<Self, JsonError> {
        let mut answer = UpdateJobExecutionResponse::default();
        json.members("struct UpdateJobExecutionResponse", |json, key| {
            match key {
                "executionState" => answer.execution_state = FromJson::read(json)?,
                "jobDocument" => answer.job_document = FromJson::read(json)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(answer)
    }
}
