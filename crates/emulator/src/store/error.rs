//! What the store refuses, in the domain's terms. Which AWS error each becomes on which plane is decided in one
//! place, `crate::error::ApiError::to_service_error`.

use std::fmt;

use jobscope::JobExecutionStatus;

/// A stored thing, job or execution, named in an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    Thing(String),
    Job(String),
    /// An execution: the given number, or (`None`) the latest of the job on the thing.
    Execution {
        thing: String,
        job_id: String,
        number: Option<i64>,
    },
}

impl Resource {
    pub fn execution(thing: &str, job_id: &str, number: Option<i64>) -> Resource {
        Resource::Execution {
            thing: thing.to_owned(),
            job_id: job_id.to_owned(),
            number,
        }
    }
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Resource::Thing(name) => write!(f, "Thing {name}"),
            Resource::Job(id) => write!(f, "Job {id}"),
            Resource::Execution {
                thing,
                job_id,
                number: Some(n),
            } => write!(
                f,
                "Job execution {job_id} (executionNumber {n}) for thing {thing}"
            ),
            Resource::Execution {
                thing,
                job_id,
                number: None,
            } => write!(f, "Job execution {job_id} for thing {thing}"),
        }
    }
}

/// Why the store refused an operation. `Display` is the message the service sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// No such thing, job or execution.
    NotFound(Resource),
    /// A thing with other attributes, or a job, already has that name.
    AlreadyExists(Resource),
    /// `expectedVersion` is not the stored version.
    VersionMismatch {
        what: Resource,
        expected: i64,
        actual: i64,
    },
    /// The lifecycle has no move from `from` to `to` (an ended execution changes no more).
    InvalidTransition {
        execution: Resource,
        from: JobExecutionStatus,
        to: JobExecutionStatus,
    },
    /// The move is allowed only with `force=true` (canceling an IN_PROGRESS execution, deleting a pending one).
    ForceRequired {
        execution: Resource,
        status: JobExecutionStatus,
        action: &'static str,
    },
    /// The device API describes only QUEUED and IN_PROGRESS executions.
    Terminal {
        execution: Resource,
        status: JobExecutionStatus,
    },
    /// A status a device cannot set with UpdateJobExecution.
    NotSettable(JobExecutionStatus),
    /// A CreateJob target that is not a thing ARN of this account and region.
    ForeignTarget {
        arn: String,
        /// `arn:aws:iot:{region}:{account}:thing/`.
        expected_prefix: String,
    },
    /// The durable store failed (I/O, a corrupt file).
    Storage(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::NotFound(what @ Resource::Execution { .. }) => {
                write!(f, "{what} does not exist.")
            }
            StoreError::NotFound(what) => write!(f, "{what} cannot be found."),
            StoreError::AlreadyExists(what @ Resource::Thing(_)) => write!(
                f,
                "{what} already exists in account with different attributes"
            ),
            StoreError::AlreadyExists(what) => write!(f, "{what} already exists."),
            StoreError::VersionMismatch {
                what: Resource::Thing(name),
                ..
            } => write!(
                f,
                "The version for thing {name} does not match the expected version."
            ),
            StoreError::VersionMismatch {
                what,
                expected,
                actual,
            } => write!(
                f,
                "expectedVersion {expected} does not match the current version {actual} of {}.",
                lowercase_first(&what.to_string())
            ),
            StoreError::InvalidTransition {
                execution,
                from,
                to,
            } if from.is_terminal() => write!(
                f,
                "{execution} is in a terminal state ({from}) and cannot change to {to}."
            ),
            StoreError::InvalidTransition {
                execution,
                from,
                to,
            } => write!(f, "{execution} is {from} and cannot change to {to}."),
            StoreError::ForceRequired {
                execution,
                status,
                action,
            } => write!(f, "{execution} is {status}; {action} it with force=true."),
            StoreError::Terminal { execution, status } => write!(
                f,
                "{execution} is in a terminal state ({status}). The device API describes only QUEUED and \
                 IN_PROGRESS executions; the control plane still describes it."
            ),
            StoreError::NotSettable(status) => write!(
                f,
                "status {status} cannot be set by UpdateJobExecution; use IN_PROGRESS, SUCCEEDED, FAILED or REJECTED."
            ),
            StoreError::ForeignTarget {
                arn,
                expected_prefix,
            } => write!(
                f,
                "Target {arn} is not a thing ARN of this account and region ({expected_prefix}<name>)."
            ),
            StoreError::Storage(detail) => write!(f, "store: {detail}"),
        }
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

impl std::error::Error for StoreError {}

/// Why the store could not open.
#[derive(Debug)]
pub struct OpenError(pub String);

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OpenError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages() {
        let e = |n| Resource::execution("t", "j", n);
        assert_eq!(
            StoreError::NotFound(e(Some(2))).to_string(),
            "Job execution j (executionNumber 2) for thing t does not exist."
        );
        assert_eq!(
            StoreError::NotFound(Resource::Thing("t".into())).to_string(),
            "Thing t cannot be found."
        );
        assert_eq!(
            StoreError::VersionMismatch {
                what: e(None),
                expected: 1,
                actual: 2
            }
            .to_string(),
            "expectedVersion 1 does not match the current version 2 of job execution j for thing t."
        );
        assert_eq!(
            StoreError::InvalidTransition {
                execution: e(None),
                from: JobExecutionStatus::Succeeded,
                to: JobExecutionStatus::InProgress
            }
            .to_string(),
            "Job execution j for thing t is in a terminal state (SUCCEEDED) and cannot change to IN_PROGRESS."
        );
        assert_eq!(
            StoreError::ForceRequired {
                execution: e(None),
                status: JobExecutionStatus::InProgress,
                action: "cancel"
            }
            .to_string(),
            "Job execution j for thing t is IN_PROGRESS; cancel it with force=true."
        );
    }
}
