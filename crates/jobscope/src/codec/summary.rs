//! `JobExecutionSummary` and the list shapes built of it, both directions: what the emulator serves and the viewer
//! reads. Data plane: GetPendingJobExecutions. Control plane: ListJobExecutionsForThing and ListJobExecutionsForJob.

use serde::Serialize;

use super::json::{FromJson, JsonError, Reader};

use crate::error::{ErrorCode, ServiceError};
use crate::execution::{JobExecution, JobExecutionStatus};
use crate::plane::Plane;
use crate::time::EpochTime;

/// A short form of an execution. The planes' models differ: the data plane's has `jobId` and `versionNumber`; the
/// control plane's has `status` and `retryAttempt`. [`JobExecution::summary`] picks the members of its plane;
/// decoding accepts either.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobExecutionSummary {
    /// Data plane only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
    /// Control plane only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<JobExecutionStatus>,
    /// When queued.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queued_at: Option<EpochTime>,
    /// When started.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at: Option<EpochTime>,
    /// When last updated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_updated_at: Option<EpochTime>,
    /// Data plane only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_number: Option<i64>,
    /// The execution number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub execution_number: Option<i64>,
    /// Control plane only: which retry this execution is (absent for the first attempt).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_attempt: Option<i64>,
}

impl JobExecution {
    /// The summary of this execution in its plane's form (times as the execution has them).
    ///
    /// ```
    /// use jobscope::{JobExecution, JobExecutionStatus, Plane};
    /// let execution = JobExecution {
    ///     plane: Plane::Control,
    ///     job_id: Some("j".into()),
    ///     status: Some(JobExecutionStatus::Queued),
    ///     version_number: Some(1),
    ///     execution_number: Some(1),
    ///     ..Default::default()
    /// };
    /// assert_eq!(
    ///     serde_json::to_string(&execution.summary()).unwrap(),
    ///     r#"{"status":"QUEUED","executionNumber":1}"#
    /// );
    /// ```
    pub fn summary(&self) -> JobExecutionSummary {
        let data = self.plane == Plane::Data;
        JobExecutionSummary {
            job_id: if data { self.job_id.clone() } else { None },
            status: if data { None } else { self.status.clone() },
            queued_at: self.queued_at,
            started_at: self.started_at,
            last_updated_at: self.last_updated_at,
            version_number: if data { self.version_number } else { None },
            execution_number: self.execution_number,
            retry_attempt: None,
        }
    }
}

/// GetPendingJobExecutions' answer (data plane).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingJobExecutions {
    /// IN_PROGRESS executions.
    pub in_progress_jobs: Vec<JobExecutionSummary>,
    /// QUEUED executions.
    pub queued_jobs: Vec<JobExecutionSummary>,
}

/// One item of ListJobExecutionsForThing.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobExecutionSummaryForThing {
    /// The job.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
    /// Its execution on the thing.
    pub job_execution_summary: JobExecutionSummary,
}

/// One item of ListJobExecutionsForJob.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobExecutionSummaryForJob {
    /// The thing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thing_arn: Option<String>,
    /// The job's execution on it.
    pub job_execution_summary: JobExecutionSummary,
}

/// A page of a control-plane list: `{"executionSummaries": […], "nextToken": …}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionSummaries<T> {
    /// The items.
    pub execution_summaries: Vec<T>,
    /// Where the next page starts, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// ListJobExecutionsForThing's answer.
pub type ListJobExecutionsForThing = ExecutionSummaries<JobExecutionSummaryForThing>;
/// ListJobExecutionsForJob's answer.
pub type ListJobExecutionsForJob = ExecutionSummaries<JobExecutionSummaryForJob>;

/// A list answer's body, both directions.
pub trait ListBody: Serialize + FromJson {
    /// The operation's name, for messages.
    const OPERATION: &'static str;

    /// The JSON body a service sends.
    fn to_json(&self) -> String {
        serde_json::to_string(self).expect("list bodies always serialize")
    }

    /// Reads an answer: a 2xx body of this shape, or the service's error (as [`ServiceError::from_http`]); a 2xx
    /// body of another shape is `MalformedResponse`, saying what was wrong.
    fn decode<H: AsRef<str>>(
        status: u16,
        headers: &[(H, H)],
        body: &[u8],
    ) -> Result<Self, ServiceError> {
        if !(200..300).contains(&status) {
            return Err(ServiceError::from_http(status, headers, body));
        }
        let text = std::str::from_utf8(body).map_err(|e| {
            format!(
                "the body is not valid UTF-8 (first bad byte at offset {})",
                e.valid_up_to()
            )
        });
        text.and_then(|text| Self::from_json(text).map_err(|e| e.to_string()))
            .map_err(|e| {
                let mut error = ServiceError::new(
                    ErrorCode::MalformedResponse,
                    status,
                    format!("not a {} result: {e}", Self::OPERATION),
                );
                error.request_id = super::error::request_id(headers).map(str::to_owned);
                error
            })
    }
}

impl ListBody for PendingJobExecutions {
    const OPERATION: &'static str = "GetPendingJobExecutions";
}

impl ListBody for ListJobExecutionsForThing {
    const OPERATION: &'static str = "ListJobExecutionsForThing";
}

impl ListBody for ListJobExecutionsForJob {
    const OPERATION: &'static str = "ListJobExecutionsForJob";
}

/// Reads a struct's members with `member` (which returns false for a key it does not know); missing members keep
/// their defaults, as the shapes' `default`s say.
fn read_struct<T: Default>(
    json: &mut Reader<'_>,
    expected: &str,
    mut member: impl FnMut(&mut T, &mut Reader<'_>, &str) -> Result<bool, JsonError>,
) -> Result<T, JsonError> {
    let mut value = T::default();
    json.members(expected, |json, key| member(&mut value, json, key))?;
    Ok(value)
}

impl FromJson for JobExecutionSummary {
    fn read(json: &mut Reader<'_>) -> Result<Self, JsonError> {
        read_struct(
            json,
            "struct JobExecutionSummary",
            |s: &mut Self, json, key| {
                match key {
                    "jobId" => s.job_id = FromJson::read(json)?,
                    "status" => s.status = FromJson::read(json)?,
                    "queuedAt" => s.queued_at = FromJson::read(json)?,
                    "startedAt" => s.started_at = FromJson::read(json)?,
                    "lastUpdatedAt" => s.last_updated_at = FromJson::read(json)?,
                    "versionNumber" => s.version_number = FromJson::read(json)?,
                    "executionNumber" => s.execution_number = FromJson::read(json)?,
                    "retryAttempt" => s.retry_attempt = FromJson::read(json)?,
                    _ => return Ok(false),
                }
                Ok(true)
            },
        )
    }
}

impl FromJson for PendingJobExecutions {
    fn read(json: &mut Reader<'_>) -> Result<Self, JsonError> {
        read_struct(
            json,
            "struct PendingJobExecutions",
            |s: &mut Self, json, key| {
                match key {
                    "inProgressJobs" => s.in_progress_jobs = FromJson::read(json)?,
                    "queuedJobs" => s.queued_jobs = FromJson::read(json)?,
                    _ => return Ok(false),
                }
                Ok(true)
            },
        )
    }
}

impl FromJson for JobExecutionSummaryForThing {
    fn read(json: &mut Reader<'_>) -> Result<Self, JsonError> {
        read_struct(
            json,
            "struct JobExecutionSummaryForThing",
            |s: &mut Self, json, key| {
                match key {
                    "jobId" => s.job_id = FromJson::read(json)?,
                    "jobExecutionSummary" => s.job_execution_summary = FromJson::read(json)?,
                    _ => return Ok(false),
                }
                Ok(true)
            },
        )
    }
}

impl FromJson for JobExecutionSummaryForJob {
    fn read(json: &mut Reader<'_>) -> Result<Self, JsonError> {
        read_struct(
            json,
            "struct JobExecutionSummaryForJob",
            |s: &mut Self, json, key| {
                match key {
                    "thingArn" => s.thing_arn = FromJson::read(json)?,
                    "jobExecutionSummary" => s.job_execution_summary = FromJson::read(json)?,
                    _ => return Ok(false),
                }
                Ok(true)
            },
        )
    }
}

impl<T: FromJson + Default> FromJson for ExecutionSummaries<T> {
    fn read(json: &mut Reader<'_>) -> Result<Self, JsonError> {
        read_struct(
            json,
            "struct ExecutionSummaries",
            |s: &mut Self, json, key| {
                match key {
                    "executionSummaries" => s.execution_summaries = FromJson::read(json)?,
                    "nextToken" => s.next_token = FromJson::read(json)?,
                    _ => return Ok(false),
                }
                Ok(true)
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn for_thing_round_trips_and_reads_the_documented_example() {
        let list = ListJobExecutionsForThing {
            execution_summaries: vec![JobExecutionSummaryForThing {
                job_id: Some("j".into()),
                job_execution_summary: JobExecutionSummary {
                    status: Some(JobExecutionStatus::Succeeded),
                    queued_at: Some(EpochTime::Fractional(1.5)),
                    execution_number: Some(2),
                    retry_attempt: Some(1),
                    ..Default::default()
                },
            }],
            next_token: Some("5".into()),
        };
        let json = list.to_json();
        assert_eq!(
            json,
            r#"{"executionSummaries":[{"jobId":"j","jobExecutionSummary":{"status":"SUCCEEDED","queuedAt":1.5,"executionNumber":2,"retryAttempt":1}}],"nextToken":"5"}"#
        );
        assert_eq!(
            ListJobExecutionsForThing::decode::<&str>(200, &[], json.as_bytes()).unwrap(),
            list
        );
    }

    #[test]
    fn wrong_shapes_and_errors() {
        let error =
            ListJobExecutionsForThing::decode::<&str>(200, &[], br#"{"executionSummaries":5}"#)
                .unwrap_err();
        assert_eq!(error.code, ErrorCode::MalformedResponse);
        assert!(
            error
                .message
                .unwrap()
                .starts_with("not a ListJobExecutionsForThing result: invalid type")
        );
        let error = PendingJobExecutions::decode(
            404,
            &[("x-amzn-ErrorType", "ResourceNotFoundException")],
            br#"{"message":"no thing"}"#,
        )
        .unwrap_err();
        assert_eq!(error.code, ErrorCode::ResourceNotFoundException);
        let status = ListJobExecutionsForThing::decode::<&str>(
            200,
            &[],
            br#"{"executionSummaries":[{"jobId":"j","jobExecutionSummary":{"status":"PAUSED"}}]}"#,
        )
        .unwrap();
        assert_eq!(
            status.execution_summaries[0].job_execution_summary.status,
            Some(JobExecutionStatus::Unknown("PAUSED".into()))
        );
    }
}
