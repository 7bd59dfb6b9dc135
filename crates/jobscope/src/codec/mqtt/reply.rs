//! What the service publishes back, encoded: `…/accepted` payloads per operation, `…/rejected` payloads
//! (`ErrorResponse`), and the MQTT form of an execution (data-plane members, `jobDocument` as a JSON object).
//! [`super::decode_message`] reads all of them back.

use serde::Serialize;

use crate::codec::json::push_string;
use crate::codec::summary::{JobExecutionSummary, PendingJobExecutions};
use crate::codec::update::{JobExecutionState, UpdateJobExecutionResponse};
use crate::error::ErrorCode;
use crate::execution::JobExecution;

/// A refusal published on `…/rejected`: `{code, message, clientToken, timestamp, executionState?}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// One of [`ErrorCode::MQTT_REJECTED`].
    pub code: ErrorCode,
    /// What was wrong.
    pub message: String,
    /// The request's `clientToken`, echoed.
    pub client_token: Option<String>,
    /// Where the execution is now (InvalidStateTransition and VersionMismatch only).
    pub execution_state: Option<Box<JobExecutionState>>,
}

impl Rejection {
    /// A rejection without `executionState`.
    pub fn new(code: ErrorCode, message: impl Into<String>, client_token: Option<String>) -> Self {
        Rejection {
            code,
            message: message.into(),
            client_token,
            execution_state: None,
        }
    }

    /// The payload, stamped with `timestamp` (epoch seconds).
    ///
    /// ```
    /// use jobscope::ErrorCode;
    /// use jobscope::codec::mqtt::Rejection;
    /// let rejection = Rejection::new(ErrorCode::ResourceNotFound, "no such job", Some("c-1".into()));
    /// assert_eq!(
    ///     rejection.to_payload(1700000000),
    ///     r#"{"code":"ResourceNotFound","message":"no such job","clientToken":"c-1","timestamp":1700000000}"#
    /// );
    /// ```
    pub fn to_payload(&self, timestamp: i64) -> String {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Payload<'a> {
            code: &'a str,
            message: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            client_token: Option<&'a str>,
            timestamp: i64,
            #[serde(skip_serializing_if = "Option::is_none")]
            execution_state: Option<&'a JobExecutionState>,
        }
        serde_json::to_string(&Payload {
            code: self.code.as_str(),
            message: &self.message,
            client_token: self.client_token.as_deref(),
            timestamp,
            execution_state: self.execution_state.as_deref(),
        })
        .expect("a rejection always serializes")
    }
}

/// Whether a job document is a JSON object, which MQTT sends as an object (anything else goes as a string).
fn is_json_object(text: &str) -> bool {
    text.trim_start().starts_with('{')
        && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
}

/// Appends `"jobDocument":…` — the document's own JSON text when it is an object, else a string.
fn push_document(out: &mut String, document: &str) {
    out.push_str("\"jobDocument\":");
    if is_json_object(document) {
        out.push_str(document.trim());
    } else {
        push_string(out, document);
    }
}

/// The MQTT form of an execution: the data plane's members, `jobDocument` as a JSON object (its text kept as is).
///
/// ```
/// use jobscope::{JobExecution, Plane};
/// let execution = JobExecution {
///     plane: Plane::Data,
///     job_id: Some("j".into()),
///     job_document: Some(r#"{"op": "reboot"}"#.into()),
///     ..Default::default()
/// };
/// assert_eq!(
///     jobscope::codec::mqtt::execution_json(&execution),
///     r#"{"jobId":"j","jobDocument":{"op": "reboot"}}"#
/// );
/// ```
pub fn execution_json(execution: &JobExecution) -> String {
    let without_document = JobExecution {
        job_document: None,
        ..execution.clone()
    };
    let mut json = serde_json::to_string(&without_document.wire_form())
        .expect("an execution always serializes");
    if let Some(document) = &execution.job_document {
        json.pop();
        if json.len() > 1 {
            json.push(',');
        }
        push_document(&mut json, document);
        json.push('}');
    }
    json
}

/// Starts an accepted payload: `{"clientToken":…,"timestamp":…` (no closing brace).
fn head(client_token: Option<&str>, timestamp: i64) -> String {
    let mut out = String::from("{");
    if let Some(token) = client_token {
        out.push_str("\"clientToken\":");
        push_string(&mut out, token);
        out.push(',');
    }
    out.push_str("\"timestamp\":");
    out.push_str(&timestamp.to_string());
    out
}

/// DescribeJobExecution's and StartNextPendingJobExecution's accepted payload: `{clientToken, timestamp,
/// execution}`, `execution` absent when nothing is pending.
///
/// ```
/// assert_eq!(jobscope::codec::mqtt::execution_accepted(Some("c"), 5, None), r#"{"clientToken":"c","timestamp":5}"#);
/// ```
pub fn execution_accepted(
    client_token: Option<&str>,
    timestamp: i64,
    execution: Option<&JobExecution>,
) -> String {
    let mut out = head(client_token, timestamp);
    if let Some(execution) = execution {
        out.push_str(",\"execution\":");
        out.push_str(&execution_json(execution));
    }
    out.push('}');
    out
}

fn push_summaries(out: &mut String, name: &str, summaries: &[JobExecutionSummary]) {
    out.push('"');
    out.push_str(name);
    out.push_str("\":");
    out.push_str(&serde_json::to_string(summaries).expect("summaries always serialize"));
}

/// GetPendingJobExecutions' accepted payload: `{clientToken, timestamp, inProgressJobs, queuedJobs}`.
pub fn pending_accepted(
    client_token: Option<&str>,
    timestamp: i64,
    pending: &PendingJobExecutions,
) -> String {
    let mut out = head(client_token, timestamp);
    out.push(',');
    push_summaries(&mut out, "inProgressJobs", &pending.in_progress_jobs);
    out.push(',');
    push_summaries(&mut out, "queuedJobs", &pending.queued_jobs);
    out.push('}');
    out
}

/// UpdateJobExecution's accepted payload: `{clientToken, timestamp, executionState?, jobDocument?}`, the document
/// as a JSON object.
pub fn update_accepted(
    client_token: Option<&str>,
    timestamp: i64,
    answer: &UpdateJobExecutionResponse,
) -> String {
    let mut out = head(client_token, timestamp);
    if let Some(state) = &answer.execution_state {
        out.push_str(",\"executionState\":");
        out.push_str(&serde_json::to_string(state).expect("a state always serializes"));
    }
    if let Some(document) = &answer.job_document {
        out.push(',');
        push_document(&mut out, document);
    }
    out.push('}');
    out
}

/// The most summaries a `notify` message lists (developer guide `jobs-comm-notifications`).
pub const NOTIFY_MAX: usize = 15;

/// `…/jobs/notify`: `{timestamp, jobs: {IN_PROGRESS: […], QUEUED: […]}}` — at most [`NOTIFY_MAX`] summaries,
/// IN_PROGRESS first; a status with none is left out (`"jobs":{}` when nothing is pending).
///
/// ```
/// use jobscope::codec::PendingJobExecutions;
/// assert_eq!(jobscope::codec::mqtt::notify(9, &PendingJobExecutions::default()), r#"{"timestamp":9,"jobs":{}}"#);
/// ```
pub fn notify(timestamp: i64, pending: &PendingJobExecutions) -> String {
    let in_progress = &pending.in_progress_jobs[..pending.in_progress_jobs.len().min(NOTIFY_MAX)];
    let room = NOTIFY_MAX - in_progress.len();
    let queued = &pending.queued_jobs[..pending.queued_jobs.len().min(room)];
    let mut out = head(None, timestamp);
    out.push_str(",\"jobs\":{");
    if !in_progress.is_empty() {
        push_summaries(&mut out, "IN_PROGRESS", in_progress);
    }
    if !queued.is_empty() {
        if !in_progress.is_empty() {
            out.push(',');
        }
        push_summaries(&mut out, "QUEUED", queued);
    }
    out.push_str("}}");
    out
}

/// `…/jobs/notify-next`: `{timestamp, execution?}`, `execution` absent when nothing is pending any more.
pub fn notify_next(timestamp: i64, execution: Option<&JobExecution>) -> String {
    execution_accepted(None, timestamp, execution)
}
