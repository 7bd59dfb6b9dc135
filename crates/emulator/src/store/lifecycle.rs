//! The lifecycle of jobs and job executions: which moves are allowed, what each one changes, and what is refused
//! (as a [`StoreError`]). Pure functions of records and the time; the store looks records up, calls these, and
//! commits what they return.
//!
//! Executions: QUEUED → IN_PROGRESS → SUCCEEDED / FAILED / REJECTED (a device may also end a QUEUED execution
//! directly); CANCELED by an operator (`forceCanceled` when forced from IN_PROGRESS); TIMED_OUT when the
//! in-progress or step timer runs out. Every change adds 1 to `versionNumber`. A FAILED or TIMED_OUT execution
//! whose job's retry criteria allow it gets a new QUEUED execution with the next number.

use jobscope::codec::{JobStatus, UpdateJobExecutionInput};
use jobscope::{JobExecutionStatus, StatusDetails};

use super::error::{Resource, StoreError};
use crate::model::{Execution, Job};

/// The statuses a device may set with UpdateJobExecution.
pub const DEVICE_SETTABLE: [JobExecutionStatus; 4] = [
    JobExecutionStatus::InProgress,
    JobExecutionStatus::Succeeded,
    JobExecutionStatus::Failed,
    JobExecutionStatus::Rejected,
];

/// `now` plus `minutes`, saturating.
fn after_minutes(now_ms: i64, minutes: i64) -> i64 {
    now_ms.saturating_add(minutes.saturating_mul(60_000))
}

fn resource(e: &Execution, number: bool) -> Resource {
    Resource::execution(&e.thing, &e.job_id, number.then_some(e.number))
}

/// Refuses `expected` when it is given and is not `actual`.
pub fn check_version(what: Resource, expected: Option<i64>, actual: i64) -> Result<(), StoreError> {
    match expected {
        Some(expected) if expected != actual => Err(StoreError::VersionMismatch {
            what,
            expected,
            actual,
        }),
        _ => Ok(()),
    }
}

/// Refuses a status a device cannot set (checked before anything is looked up).
pub fn check_settable(status: &JobExecutionStatus) -> Result<(), StoreError> {
    if DEVICE_SETTABLE.contains(status) {
        Ok(())
    } else {
        Err(StoreError::NotSettable(status.clone()))
    }
}

/// Marks every change: the time, and one more version.
fn touch(e: &mut Execution, now_ms: i64) {
    e.last_updated_at_ms = now_ms;
    e.version = e.version.saturating_add(1);
}

/// QUEUED → IN_PROGRESS: the start time and the in-progress timer of the job (`job_timeout` minutes).
fn start_timers(e: &mut Execution, job_timeout: Option<i64>, now_ms: i64) {
    e.started_at_ms = Some(now_ms);
    e.in_progress_deadline_ms = job_timeout.map(|m| after_minutes(now_ms, m));
}

/// StartNextPendingJobExecution on a QUEUED execution: IN_PROGRESS, with the given details and step timer.
pub fn start(
    current: &Execution,
    status_details: Option<StatusDetails>,
    step_timeout_minutes: Option<i64>,
    job_timeout: Option<i64>,
    now_ms: i64,
) -> Execution {
    let mut e = current.clone();
    e.status = JobExecutionStatus::InProgress;
    start_timers(&mut e, job_timeout, now_ms);
    if let Some(details) = status_details {
        e.status_details = details.0;
    }
    e.step_deadline_ms = step_timeout_minutes.map(|m| after_minutes(now_ms, m));
    touch(&mut e, now_ms);
    e
}

/// UpdateJobExecution: the version must match, the execution must not have ended, and the status must be one a
/// device sets ([`check_settable`], which the store checks first).
pub fn update(
    current: &Execution,
    input: &UpdateJobExecutionInput,
    job_timeout: Option<i64>,
    now_ms: i64,
) -> Result<Execution, StoreError> {
    check_settable(&input.status)?;
    check_version(
        resource(current, false),
        input.expected_version,
        current.version,
    )?;
    if !current.is_pending() {
        return Err(StoreError::InvalidTransition {
            execution: resource(current, false),
            from: current.status.clone(),
            to: input.status.clone(),
        });
    }
    let mut e = current.clone();
    if e.status == JobExecutionStatus::Queued && input.status == JobExecutionStatus::InProgress {
        start_timers(&mut e, job_timeout, now_ms);
    }
    e.status = input.status.clone();
    if let Some(details) = &input.status_details {
        e.status_details = details.0.clone();
    }
    if let Some(minutes) = input.step_timeout_in_minutes {
        e.step_deadline_ms = Some(after_minutes(now_ms, minutes));
    }
    touch(&mut e, now_ms);
    Ok(e)
}

/// CancelJobExecution: a QUEUED execution is canceled; an IN_PROGRESS one only with `force` (then
/// `forceCanceled`); an ended one not at all.
pub fn cancel(
    current: &Execution,
    force: bool,
    expected_version: Option<i64>,
    status_details: Option<StatusDetails>,
    now_ms: i64,
) -> Result<Execution, StoreError> {
    check_version(resource(current, false), expected_version, current.version)?;
    let forced = match current.status {
        JobExecutionStatus::Queued => false,
        JobExecutionStatus::InProgress if force => true,
        JobExecutionStatus::InProgress => {
            return Err(StoreError::ForceRequired {
                execution: resource(current, false),
                status: current.status.clone(),
                action: "cancel",
            });
        }
        _ => {
            return Err(StoreError::InvalidTransition {
                execution: resource(current, false),
                from: current.status.clone(),
                to: JobExecutionStatus::Canceled,
            });
        }
    };
    let mut e = current.clone();
    e.status = JobExecutionStatus::Canceled;
    e.force_canceled = forced;
    if let Some(details) = status_details {
        e.status_details = details.0;
    }
    touch(&mut e, now_ms);
    Ok(e)
}

/// DeleteJobExecution: an ended execution, or a pending one with `force`.
pub fn check_deletable(current: &Execution, force: bool) -> Result<(), StoreError> {
    if current.is_pending() && !force {
        return Err(StoreError::ForceRequired {
            execution: resource(current, true),
            status: current.status.clone(),
            action: "delete",
        });
    }
    Ok(())
}

/// An IN_PROGRESS execution whose timer ran out by `now_ms`: TIMED_OUT, updated at the deadline.
pub fn time_out(e: &Execution, now_ms: i64) -> Option<Execution> {
    let deadline = e.deadline_ms().filter(|d| *d <= now_ms)?;
    let mut e = e.clone();
    e.status = JobExecutionStatus::TimedOut;
    touch(&mut e, deadline);
    Some(e)
}

/// Whether an ended execution gets a retry: FAILED or TIMED_OUT, covered by one of the job's criteria, with
/// retries left.
pub fn wants_retry(e: &Execution, job: &Job) -> bool {
    job.retry
        .iter()
        .filter(|c| c.failure_type.covers(&e.status))
        .map(|c| c.number_of_retries)
        .max()
        .is_some_and(|allowed| e.retry_attempt < allowed)
}

/// The retry of `e`: a new QUEUED execution numbered `number`.
pub fn retry(e: &Execution, number: i64, now_ms: i64) -> Execution {
    Execution::queued(
        &e.thing,
        &e.job_id,
        number,
        now_ms,
        e.retry_attempt.saturating_add(1),
    )
}

/// CancelJob: CANCELED (and `forceCanceled` when forced), with the reason and comment. Canceling again changes
/// nothing (`None`), unless it adds force to a job canceled without it.
pub fn cancel_job(
    job: &Job,
    force: bool,
    reason_code: Option<String>,
    comment: Option<String>,
    now_ms: i64,
) -> Option<Job> {
    if job.status == JobStatus::Canceled && (!force || job.force_canceled) {
        return None;
    }
    let mut job = job.clone();
    job.status = JobStatus::Canceled;
    job.force_canceled |= force;
    job.reason_code = reason_code.or(job.reason_code);
    job.comment = comment.or(job.comment);
    job.last_updated_at_ms = now_ms;
    job.completed_at_ms = Some(now_ms);
    Some(job)
}

/// What CancelJob does to one of the job's executions: QUEUED ones are canceled, IN_PROGRESS ones with force.
pub fn cancel_for_job(e: &Execution, force: bool, now_ms: i64) -> Option<Execution> {
    let forced = match e.status {
        JobExecutionStatus::Queued => false,
        JobExecutionStatus::InProgress if force => true,
        _ => return None,
    };
    let mut e = e.clone();
    e.status = JobExecutionStatus::Canceled;
    e.force_canceled = forced;
    touch(&mut e, now_ms);
    Some(e)
}

/// A job as DescribeJob reads it: an IN_PROGRESS job whose executions have all ended is COMPLETED, at the last
/// execution's update.
pub fn job_as_read<'a>(job: &Job, executions: impl IntoIterator<Item = &'a Execution>) -> Job {
    let mut job = job.clone();
    if job.status != JobStatus::InProgress {
        return job;
    }
    let mut last = None;
    for e in executions {
        if e.is_pending() {
            return job;
        }
        last = last.max(Some(e.last_updated_at_ms));
    }
    if let Some(at) = last {
        job.status = JobStatus::Completed;
        job.completed_at_ms = Some(at);
    }
    job
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RetryCriteria;
    use jobscope::codec::RetryableFailureType;

    fn input(status: JobExecutionStatus, expected: Option<i64>) -> UpdateJobExecutionInput {
        UpdateJobExecutionInput {
            status,
            status_details: None,
            step_timeout_in_minutes: None,
            expected_version: expected,
            execution_number: None,
            include_job_execution_state: false,
            include_job_document: false,
        }
    }

    #[test]
    fn update_checks_version_then_state() {
        let queued = Execution::queued("t", "j", 1, 1_000, 0);
        let started = update(
            &queued,
            &input(JobExecutionStatus::InProgress, Some(1)),
            Some(10),
            2_000,
        )
        .unwrap();
        assert_eq!((started.version, started.started_at_ms), (2, Some(2_000)));
        assert_eq!(started.in_progress_deadline_ms, Some(602_000));
        assert!(matches!(
            update(
                &started,
                &input(JobExecutionStatus::Succeeded, Some(1)),
                None,
                3_000
            ),
            Err(StoreError::VersionMismatch {
                expected: 1,
                actual: 2,
                ..
            })
        ));
        let done = update(
            &started,
            &input(JobExecutionStatus::Succeeded, None),
            None,
            3_000,
        )
        .unwrap();
        assert!(matches!(
            update(
                &done,
                &input(JobExecutionStatus::InProgress, None),
                None,
                4_000
            ),
            Err(StoreError::InvalidTransition {
                from: JobExecutionStatus::Succeeded,
                to: JobExecutionStatus::InProgress,
                ..
            })
        ));
        assert_eq!(
            check_settable(&JobExecutionStatus::Canceled),
            Err(StoreError::NotSettable(JobExecutionStatus::Canceled))
        );
    }

    #[test]
    fn timers_and_retries() {
        let mut e = start(
            &Execution::queued("t", "j", 1, 0, 0),
            None,
            Some(1),
            Some(i64::MAX),
            1_000,
        );
        assert_eq!(e.deadline_ms(), Some(61_000), "the earlier timer");
        assert_eq!(e.in_progress_deadline_ms, Some(i64::MAX), "saturated");
        assert!(time_out(&e, 60_999).is_none());
        let timed_out = time_out(&e, 70_000).unwrap();
        assert_eq!(
            (timed_out.status.clone(), timed_out.last_updated_at_ms),
            (JobExecutionStatus::TimedOut, 61_000)
        );
        let mut job = Job::in_progress("j", 0);
        assert!(!wants_retry(&timed_out, &job));
        job.retry = vec![RetryCriteria {
            failure_type: RetryableFailureType::Failed,
            number_of_retries: 1,
        }];
        assert!(!wants_retry(&timed_out, &job), "FAILED only");
        job.retry[0].failure_type = RetryableFailureType::All;
        assert!(wants_retry(&timed_out, &job));
        e.retry_attempt = 1;
        e.status = JobExecutionStatus::Failed;
        assert!(!wants_retry(&e, &job), "no retries left");
    }

    #[test]
    fn a_job_completes_when_every_execution_has_ended() {
        let job = Job::in_progress("j", 0);
        let mut a = Execution::queued("a", "j", 1, 0, 0);
        let mut b = Execution::queued("b", "j", 1, 0, 0);
        assert_eq!(job_as_read(&job, [&a, &b]).status, JobStatus::InProgress);
        a.status = JobExecutionStatus::Succeeded;
        a.last_updated_at_ms = 5;
        b.status = JobExecutionStatus::Rejected;
        b.last_updated_at_ms = 9;
        let read = job_as_read(&job, [&a, &b]);
        assert_eq!(
            (read.status, read.completed_at_ms),
            (JobStatus::Completed, Some(9))
        );
        assert_eq!(
            job_as_read(&job, []).status,
            JobStatus::InProgress,
            "no executions"
        );
    }
}
