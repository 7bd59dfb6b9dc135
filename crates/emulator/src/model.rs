//! What the emulator stores: things, jobs and job executions, as persisted records.

use std::collections::BTreeMap;

use jobscope::{EpochTime, JobExecution, JobExecutionStatus, Plane, StatusDetails};
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
    /// `FAILED`, `TIMED_OUT` or `ALL`.
    pub failure_type: String,
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
    /// `IN_PROGRESS`, `CANCELED` or `COMPLETED` (derived on read).
    pub status: String,
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
            status: "IN_PROGRESS".into(),
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
    pub status: String,
    pub force_canceled: bool,
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
            status: "QUEUED".into(),
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

    pub fn status(&self) -> JobExecutionStatus {
        JobExecutionStatus::from(self.status.as_str())
    }

    pub fn is_pending(&self) -> bool {
        matches!(self.status.as_str(), "QUEUED" | "IN_PROGRESS")
    }

    /// The earlier of the two timers, while IN_PROGRESS.
    pub fn deadline_ms(&self) -> Option<i64> {
        if self.status != "IN_PROGRESS" {
            return None;
        }
        match (self.in_progress_deadline_ms, self.step_deadline_ms) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The execution as `plane` returns it at `now_ms`, through the core crate's model.
    pub fn to_job_execution(
        &self,
        plane: Plane,
        job_document: Option<String>,
        thing_arn: &str,
        now_ms: i64,
    ) -> JobExecution {
        let time = |ms: i64| match plane {
            Plane::Data => EpochTime::Seconds(ms.div_euclid(1000)),
            Plane::Control if ms % 1000 == 0 => EpochTime::Seconds(ms / 1000),
            Plane::Control => EpochTime::Fractional(ms as f64 / 1000.0),
        };
        let data = plane == Plane::Data;
        JobExecution {
            plane,
            job_id: Some(self.job_id.clone()),
            thing_name: data.then(|| self.thing.clone()),
            thing_arn: (!data).then(|| thing_arn.to_owned()),
            status: Some(self.status()),
            force_canceled: (!data).then_some(self.force_canceled),
            status_details: Some(StatusDetails(self.status_details.clone())),
            queued_at: Some(time(self.queued_at_ms)),
            started_at: self.started_at_ms.map(time),
            last_updated_at: Some(time(self.last_updated_at_ms)),
            approximate_seconds_before_timed_out: self
                .deadline_ms()
                .map(|deadline| ((deadline - now_ms).max(0) + 999) / 1000),
            version_number: Some(self.version),
            execution_number: Some(self.number),
            job_document: if data { job_document } else { None },
        }
    }
}
