//! What the emulator stores: things, jobs and job executions, as persisted records, with the statuses as the core's
//! domain types. They serialize as the same strings earlier versions stored, so a store written by them still opens.
//!
//! An execution's wire views ([`Execution::to_job_execution`], [`Execution::summary`]) go through the core's model;
//! the core writes the JSON.

use std::collections::BTreeMap;

use jobscope::codec::{JobExecutionState, JobExecutionSummary, JobStatus, RetryableFailureType};
use jobscope::{EpochTime, JobExecution, JobExecutionStatus, Plane, StatusDetails, seconds_until};
use serde::{Deserialize, Serialize};

/// A registered thing (the minimal registry jobs target).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thing {
    pub name: String,
    pub thing_id: String,
    pub attributes: BTreeMap<String, String>,
    pub version: i64,
}

/// When a failed or timed-out execution is retried (CreateJob `jobExecutionsRetryConfig`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetryCriteria {
    pub failure_type: RetryableFailureType,
    pub number_of_retries: i64,
}

/// A job (SNAPSHOT target selection).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub job_id: String,
    pub description: Option<String>,
    pub document: Option<String>,
    /// Thing ARNs.
    pub targets: Vec<String>,
    /// IN_PROGRESS or CANCELED as stored; COMPLETED is derived on read (see `store::lifecycle::job_as_read`).
    pub status: JobStatus,
    pub force_canceled: bool,
    pub reason_code: Option<String>,
    pub comment: Option<String>,
    pub created_at_ms: i64,
    pub last_updated_at_ms: i64,
    pub completed_at_ms: Option<i64>,
    pub in_progress_timeout_minutes: Option<i64>,
    pub retry: Vec<RetryCriteria>,
}

impl Job {
    /// A new IN_PROGRESS job with no description, document, targets, timeout or retries, as CreateJob starts it.
    pub fn in_progress(job_id: &str, now_ms: i64) -> Job {
        Job {
            job_id: job_id.to_owned(),
            description: None,
            document: None,
            targets: Vec::new(),
            status: JobStatus::InProgress,
            force_canceled: false,
            reason_code: None,
            comment: None,
            created_at_ms: now_ms,
            last_updated_at_ms: now_ms,
            completed_at_ms: None,
            in_progress_timeout_minutes: None,
            retry: Vec::new(),
        }
    }
}

/// One execution of a job on a thing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Execution {
    pub thing: String,
    pub job_id: String,
    pub number: i64,
    pub status: JobExecutionStatus,
    pub force_canceled: bool,
    /// In the order they were set.
    pub status_details: Vec<(String, String)>,
    pub queued_at_ms: i64,
    pub started_at_ms: Option<i64>,
    pub last_updated_at_ms: i64,
    pub version: i64,
    /// When the in-progress timer (job timeoutConfig) runs out.
    pub in_progress_deadline_ms: Option<i64>,
    /// When the step timer (stepTimeoutInMinutes) runs out.
    pub step_deadline_ms: Option<i64>,
    pub retry_attempt: i64,
}

/// The key of an execution: (thing name, job id, execution number).
pub type ExecutionKey = (String, String, i64);

/// What an execution's wire view needs besides the execution: where it is, what its job says, and when.
#[derive(Debug, Clone, Default)]
pub struct ViewContext {
    /// The thing's ARN (control plane).
    pub thing_arn: String,
    /// The job document (data plane, when asked for).
    pub job_document: Option<String>,
    /// Now, for the timeout countdown.
    pub now_ms: i64,
}

impl Execution {
    /// A new QUEUED execution at version 1, as CreateJob and a retry make it.
    pub fn queued(
        thing: &str,
        job_id: &str,
        number: i64,
        now_ms: i64,
        retry_attempt: i64,
    ) -> Execution {
        Execution {
            thing: thing.to_owned(),
            job_id: job_id.to_owned(),
            number,
            status: JobExecutionStatus::Queued,
            force_canceled: false,
            status_details: Vec::new(),
            queued_at_ms: now_ms,
            started_at_ms: None,
            last_updated_at_ms: now_ms,
            version: 1,
            in_progress_deadline_ms: None,
            step_deadline_ms: None,
            retry_attempt,
        }
    }

    pub fn key(&self) -> ExecutionKey {
        (self.thing.clone(), self.job_id.clone(), self.number)
    }

    /// QUEUED or IN_PROGRESS: not ended yet.
    pub fn is_pending(&self) -> bool {
        matches!(
            self.status,
            JobExecutionStatus::Queued | JobExecutionStatus::InProgress
        )
    }

    /// The earlier of the two timers, while IN_PROGRESS.
    pub fn deadline_ms(&self) -> Option<i64> {
        if self.status != JobExecutionStatus::InProgress {
            return None;
        }
        match (self.in_progress_deadline_ms, self.step_deadline_ms) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The members both views share, with times in `plane`'s form.
    fn base_view(&self, plane: Plane) -> JobExecution {
        let time = |ms: i64| EpochTime::from_millis(plane, ms);
        JobExecution {
            plane,
            job_id: Some(self.job_id.clone()),
            status: Some(self.status.clone()),
            queued_at: Some(time(self.queued_at_ms)),
            started_at: self.started_at_ms.map(time),
            last_updated_at: Some(time(self.last_updated_at_ms)),
            version_number: Some(self.version),
            execution_number: Some(self.number),
            ..JobExecution::default()
        }
    }

    /// The execution as `plane` returns it, through the core crate's model (which writes each plane's members).
    pub fn to_job_execution(&self, plane: Plane, context: ViewContext) -> JobExecution {
        let data = plane == Plane::Data;
        JobExecution {
            thing_name: data.then(|| self.thing.clone()),
            thing_arn: (!data).then_some(context.thing_arn),
            force_canceled: (!data).then_some(self.force_canceled),
            status_details: Some(StatusDetails(self.status_details.clone())),
            approximate_seconds_before_timed_out: self
                .deadline_ms()
                .map(|deadline| seconds_until(deadline, context.now_ms)),
            job_document: if data { context.job_document } else { None },
            ..self.base_view(plane)
        }
    }

    /// Where the execution is: UpdateJobExecution's `executionState`, and an MQTT rejection's.
    pub fn state(&self) -> JobExecutionState {
        JobExecutionState {
            status: Some(self.status.clone()),
            status_details: Some(StatusDetails(self.status_details.clone())),
            version_number: Some(self.version),
        }
    }

    /// The execution's `JobExecutionSummary` on `plane` (control plane: with `retryAttempt` from the first retry on).
    pub fn summary(&self, plane: Plane) -> JobExecutionSummary {
        let mut summary = self.base_view(plane).summary();
        if plane == Plane::Control && self.retry_attempt > 0 {
            summary.retry_attempt = Some(self.retry_attempt);
        }
        summary
    }
}
