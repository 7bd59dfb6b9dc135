//! Jobs topics, both directions: every device operation's request topic, its `/accepted` and `/rejected` replies,
//! and the `notify` and `notify-next` events (developer guide `jobs-mqtt-api`; MQTT.md §1–2).

use std::fmt;

use crate::names::{JobId, JobTarget, ThingName};
use crate::plane::Plane;
use crate::violation::Violations;

/// The prefix every Jobs topic of a thing shares: `$aws/things/{thingName}/jobs/`.
pub const THINGS_PREFIX: &str = "$aws/things/";

/// A device operation of the Jobs MQTT API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobsOperation {
    /// GetPendingJobExecutions: `…/jobs/get`.
    GetPending,
    /// StartNextPendingJobExecution: `…/jobs/start-next`.
    StartNext,
    /// DescribeJobExecution: `…/jobs/{jobId}/get` (`$next` allowed).
    Describe(JobTarget),
    /// UpdateJobExecution: `…/jobs/{jobId}/update`.
    Update(JobId),
}

/// Which message of an operation a topic carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicKind {
    /// The device's request.
    Request,
    /// The service's answer: `…/accepted`.
    Accepted,
    /// The service's refusal: `…/rejected`.
    Rejected,
}

/// A topic of the Jobs MQTT API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobsTopic {
    /// An operation's request, accepted or rejected topic.
    Operation {
        /// The thing in the topic.
        thing: ThingName,
        /// The operation.
        operation: JobsOperation,
        /// Which of its messages.
        kind: TopicKind,
    },
    /// `…/jobs/notify`: the thing's pending list changed.
    Notify {
        /// The thing in the topic.
        thing: ThingName,
    },
    /// `…/jobs/notify-next`: the head of the thing's queue changed.
    NotifyNext {
        /// The thing in the topic.
        thing: ThingName,
    },
}

/// Why a topic under `$aws/things/{thingName}/jobs/` is not a Jobs topic. `Display` is the rejection message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TopicError {
    /// The topic maps to no operation: rejected with `InvalidTopic`.
    NoOperation(String),
    /// The thing name or job id in the topic breaks its constraints: rejected with `InvalidRequest`.
    Invalid(Violations),
}

impl fmt::Display for TopicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TopicError::NoOperation(topic) => {
                write!(
                    f,
                    "the topic {topic} does not map to any Jobs API operation"
                )
            }
            TopicError::Invalid(violations) => violations.fmt(f),
        }
    }
}

impl std::error::Error for TopicError {}

impl TopicError {
    /// The rejection code the service answers with.
    pub fn code(&self) -> crate::ErrorCode {
        match self {
            TopicError::NoOperation(_) => crate::ErrorCode::InvalidTopic,
            TopicError::Invalid(_) => crate::ErrorCode::InvalidRequest,
        }
    }
}

impl JobsTopic {
    /// Reads a topic. `Ok(None)`: not under `$aws/things/{thing}/jobs/` (an ordinary topic); `Err`: under it but
    /// not a Jobs topic, or with a thing name or job id that breaks its constraints.
    ///
    /// ```
    /// use jobscope::codec::mqtt::{JobsOperation, JobsTopic, TopicKind};
    /// use jobscope::JobTarget;
    /// let topic = JobsTopic::parse("$aws/things/sensor-1/jobs/$next/get/accepted").unwrap().unwrap();
    /// assert!(matches!(
    ///     &topic,
    ///     JobsTopic::Operation { operation: JobsOperation::Describe(JobTarget::Next), kind: TopicKind::Accepted, .. }
    /// ));
    /// assert_eq!(topic.to_string(), "$aws/things/sensor-1/jobs/$next/get/accepted");
    /// assert_eq!(JobsTopic::parse("sensors/temperature").unwrap(), None);
    /// assert_eq!(
    ///     JobsTopic::parse("$aws/things/sensor-1/jobs/j1/describe").unwrap_err().to_string(),
    ///     "the topic $aws/things/sensor-1/jobs/j1/describe does not map to any Jobs API operation"
    /// );
    /// ```
    pub fn parse(topic: &str) -> Result<Option<JobsTopic>, TopicError> {
        let Some(rest) = topic.strip_prefix(THINGS_PREFIX) else {
            return Ok(None);
        };
        let Some((thing, rest)) = rest.split_once('/') else {
            return Ok(None);
        };
        let Some(rest) = rest.strip_prefix("jobs/") else {
            return Ok(None);
        };
        let no_operation = || TopicError::NoOperation(topic.to_owned());
        let segments: Vec<&str> = rest.split('/').collect();
        let reply = |segment: &str| match segment {
            "accepted" => Some(TopicKind::Accepted),
            "rejected" => Some(TopicKind::Rejected),
            _ => None,
        };
        // (operation name, job id, kind)
        let (name, job, kind) = match segments.as_slice() {
            [op @ ("get" | "start-next" | "notify" | "notify-next")] => {
                (*op, None, TopicKind::Request)
            }
            // `{jobId}/get` before `get/{kind}`: a job may be called "get".
            [job, op @ ("get" | "update")] => (*op, Some(*job), TopicKind::Request),
            [op @ ("get" | "start-next"), r] => (*op, None, reply(r).ok_or_else(no_operation)?),
            [job, op @ ("get" | "update"), r] => {
                (*op, Some(*job), reply(r).ok_or_else(no_operation)?)
            }
            _ => return Err(no_operation()),
        };
        let thing = ThingName::parse(thing).map_err(TopicError::Invalid)?;
        let operation = match (name, job) {
            ("notify", None) => return Ok(Some(JobsTopic::Notify { thing })),
            ("notify-next", None) => return Ok(Some(JobsTopic::NotifyNext { thing })),
            ("get", None) => JobsOperation::GetPending,
            ("start-next", None) => JobsOperation::StartNext,
            ("get", Some(job)) => JobsOperation::Describe(
                JobTarget::parse(job, Plane::Data).map_err(TopicError::Invalid)?,
            ),
            (_, Some(job)) => {
                JobsOperation::Update(JobId::parse(job).map_err(TopicError::Invalid)?)
            }
            _ => return Err(no_operation()),
        };
        Ok(Some(JobsTopic::Operation {
            thing,
            operation,
            kind,
        }))
    }

    /// The thing in the topic.
    pub fn thing(&self) -> &ThingName {
        match self {
            JobsTopic::Operation { thing, .. }
            | JobsTopic::Notify { thing }
            | JobsTopic::NotifyNext { thing } => thing,
        }
    }

    /// The same operation's topic of another kind (the reply topics of a request).
    pub fn with_kind(&self, kind: TopicKind) -> Option<JobsTopic> {
        match self {
            JobsTopic::Operation {
                thing, operation, ..
            } => Some(JobsTopic::Operation {
                thing: thing.clone(),
                operation: operation.clone(),
                kind,
            }),
            _ => None,
        }
    }
}

impl fmt::Display for JobsTopic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{THINGS_PREFIX}{}/jobs/", self.thing())?;
        let (operation, kind) = match self {
            JobsTopic::Notify { .. } => return f.write_str("notify"),
            JobsTopic::NotifyNext { .. } => return f.write_str("notify-next"),
            JobsTopic::Operation {
                operation, kind, ..
            } => (operation, kind),
        };
        match operation {
            JobsOperation::GetPending => f.write_str("get")?,
            JobsOperation::StartNext => f.write_str("start-next")?,
            JobsOperation::Describe(job) => write!(f, "{}/get", job.as_str())?,
            JobsOperation::Update(job) => write!(f, "{}/update", job.as_str())?,
        }
        match kind {
            TopicKind::Request => Ok(()),
            TopicKind::Accepted => f.write_str("/accepted"),
            TopicKind::Rejected => f.write_str("/rejected"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_topic_round_trips() {
        for topic in [
            "$aws/things/t/jobs/get",
            "$aws/things/t/jobs/get/accepted",
            "$aws/things/t/jobs/get/rejected",
            "$aws/things/t/jobs/start-next",
            "$aws/things/t/jobs/start-next/accepted",
            "$aws/things/t/jobs/start-next/rejected",
            "$aws/things/a:b_c-1/jobs/$next/get",
            "$aws/things/t/jobs/job-1/get/accepted",
            "$aws/things/t/jobs/job-1/get/rejected",
            "$aws/things/t/jobs/job-1/update",
            "$aws/things/t/jobs/job-1/update/accepted",
            "$aws/things/t/jobs/job-1/update/rejected",
            "$aws/things/t/jobs/notify",
            "$aws/things/t/jobs/notify-next",
            // A job may be named like an operation.
            "$aws/things/t/jobs/get/get",
            "$aws/things/t/jobs/update/update/accepted",
        ] {
            let parsed = JobsTopic::parse(topic)
                .unwrap()
                .unwrap_or_else(|| panic!("{topic}"));
            assert_eq!(parsed.to_string(), topic);
        }
    }

    #[test]
    fn what_is_not_a_jobs_topic() {
        for ordinary in [
            "telemetry/t",
            "$aws/things/t/shadow/get",
            "$aws/things/t",
            "$aws/things/t/jobs",
        ] {
            assert_eq!(JobsTopic::parse(ordinary), Ok(None), "{ordinary}");
        }
        for bad in [
            "$aws/things/t/jobs/",
            "$aws/things/t/jobs/j/describe",
            "$aws/things/t/jobs/get/accepted/x",
            "$aws/things/t/jobs/notify/accepted",
            "$aws/things/t/jobs/j/get/maybe",
        ] {
            let error = JobsTopic::parse(bad).unwrap_err();
            assert_eq!(
                error.code(),
                crate::ErrorCode::InvalidTopic,
                "{bad}: {error}"
            );
        }
    }

    #[test]
    fn bad_names_in_topics_are_invalid_requests() {
        let error = JobsTopic::parse("$aws/things/my thing/jobs/j/get").unwrap_err();
        assert_eq!(error.code(), crate::ErrorCode::InvalidRequest);
        assert!(error.to_string().starts_with("thingName: "), "{error}");
        for topic in [
            "$aws/things/t/jobs/j!/update",
            "$aws/things/t/jobs/$next/update",
        ] {
            let error = JobsTopic::parse(topic).unwrap_err();
            assert_eq!(error.code(), crate::ErrorCode::InvalidRequest, "{topic}");
            assert!(error.to_string().starts_with("jobId: "), "{error}");
        }
    }
}
