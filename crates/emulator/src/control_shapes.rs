//! The request and answer shapes of the registry and job operations (CreateThing, DescribeThing, ListThings,
//! CreateJob, DescribeJob, CancelJob, CancelJobExecution). No client of this project reads them (the viewer and
//! the npm package read executions, summaries and lists, whose shapes are the core's), so they stay here: inputs
//! read with the core's `JsonBody` and checked with the models' constraints (the core's `TextRule`s), answers as
//! typed serde bodies whose times are the core's `EpochTime`.

use std::collections::BTreeMap;

use jobscope::codec::{JobStatus, JsonBody, RequestError, RetryableFailureType, TextRule};
use jobscope::{EpochTime, JOB_DOCUMENT_MAX, JobExecutionStatus, Plane};
use serde::Serialize;

use crate::account::Account;
use crate::model::{Job, RetryCriteria, Thing};
use crate::store::{CancelExecution, CancelJob, NewJob, ProcessCounts};

// ----- inputs -----

/// CreateThing's `attributePayload.attributes`, each name and value checked (`AttributeName`, `AttributeValue`).
pub fn thing_attributes(body: &JsonBody) -> Result<BTreeMap<String, String>, RequestError> {
    let Some(payload) = body.nested("attributePayload")? else {
        return Ok(BTreeMap::new());
    };
    let Some(attributes) = payload.string_map("attributes")? else {
        return Ok(BTreeMap::new());
    };
    for (name, value) in &attributes {
        let field = format!("attributePayload.attributes.{name}");
        TextRule::ATTRIBUTE_NAME.check(&format!("{field} (its name)"), name)?;
        TextRule::ATTRIBUTE_VALUE.check(&field, value)?;
    }
    Ok(attributes.into_iter().collect())
}

/// The most retry criteria a job takes (`RetryCriteriaList`: 1 to 2).
const RETRY_CRITERIA_MAX: usize = 2;

/// CreateJob's body.
pub fn new_job(job_id: String, body: &JsonBody) -> Result<NewJob, RequestError> {
    let targets = match body.strings("targets")? {
        Some(targets) if !targets.is_empty() => targets,
        _ => {
            return Err(RequestError::BadBody(
                "targets: is required and must list at least one thing ARN".into(),
            ));
        }
    };
    if body.string("documentSource")?.is_some() {
        return Err(RequestError::BadBody(
            "documentSource: S3 job documents are not supported by the emulator; pass document"
                .into(),
        ));
    }
    let document = body.string("document")?;
    if let Some(len) = document
        .as_ref()
        .map(|d| d.chars().count())
        .filter(|len| *len > JOB_DOCUMENT_MAX)
    {
        return Err(RequestError::BadBody(format!(
            "document: must be at most {JOB_DOCUMENT_MAX} characters, got {len}"
        )));
    }
    let description = body.string("description")?;
    if let Some(description) = &description {
        TextRule::JOB_DESCRIPTION.check("description", description)?;
    }
    let in_progress_timeout_minutes = match body.nested("timeoutConfig")? {
        Some(config) => config.minutes("inProgressTimeoutInMinutes")?,
        None => None,
    };
    let mut retry = Vec::new();
    if let Some(config) = body.nested("jobExecutionsRetryConfig")? {
        let criteria = config
            .objects("criteriaList")?
            .ok_or_else(|| config.missing("criteriaList"))?;
        if criteria.is_empty() || criteria.len() > RETRY_CRITERIA_MAX {
            return Err(RequestError::BadBody(format!(
                "jobExecutionsRetryConfig.criteriaList: must list 1 to {RETRY_CRITERIA_MAX} criteria, got {}",
                criteria.len()
            )));
        }
        for criterion in criteria {
            let failure_type = criterion.required_string("failureType")?;
            let failure_type = RetryableFailureType::try_parse(&failure_type).ok_or_else(|| {
                RequestError::BadBody(format!(
                    "jobExecutionsRetryConfig.criteriaList: failureType must be FAILED, TIMED_OUT or ALL, got {failure_type:?}"
                ))
            })?;
            let number_of_retries = criterion
                .long("numberOfRetries")?
                .ok_or_else(|| criterion.missing("numberOfRetries"))?;
            if !(0..=10).contains(&number_of_retries) {
                return Err(RequestError::BadBody(format!(
                    "jobExecutionsRetryConfig.criteriaList: numberOfRetries must be 0 to 10, got {number_of_retries}"
                )));
            }
            retry.push(RetryCriteria {
                failure_type,
                number_of_retries,
            });
        }
    }
    Ok(NewJob {
        job_id,
        targets,
        document,
        description,
        in_progress_timeout_minutes,
        retry,
    })
}

/// CancelJob's body (`reasonCode`, `comment`) and `force`.
pub fn cancel_job(body: &JsonBody, force: bool) -> Result<CancelJob, RequestError> {
    let reason_code = body.string("reasonCode")?;
    if let Some(code) = &reason_code {
        TextRule::REASON_CODE.check("reasonCode", code)?;
    }
    let comment = body.string("comment")?;
    if let Some(comment) = &comment {
        TextRule::COMMENT.check("comment", comment)?;
    }
    Ok(CancelJob {
        force,
        reason_code,
        comment,
    })
}

/// CancelJobExecution's body (`expectedVersion`, `statusDetails`) and `force`.
pub fn cancel_execution(body: &JsonBody, force: bool) -> Result<CancelExecution, RequestError> {
    Ok(CancelExecution {
        force,
        expected_version: body.long("expectedVersion")?,
        status_details: body.status_details()?,
    })
}

// ----- answers -----

/// CreateThing's answer.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateThingResponse {
    pub thing_name: String,
    pub thing_arn: String,
    pub thing_id: String,
}

impl CreateThingResponse {
    pub fn new(thing: Thing, account: &Account) -> Self {
        CreateThingResponse {
            thing_arn: account.thing_arn(&thing.name),
            thing_name: thing.name,
            thing_id: thing.thing_id,
        }
    }
}

/// DescribeThing's answer.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeThingResponse {
    pub default_client_id: String,
    pub thing_name: String,
    pub thing_id: String,
    pub thing_arn: String,
    pub attributes: BTreeMap<String, String>,
    pub version: i64,
}

impl DescribeThingResponse {
    pub fn new(thing: Thing, account: &Account) -> Self {
        DescribeThingResponse {
            default_client_id: thing.name.clone(),
            thing_arn: account.thing_arn(&thing.name),
            thing_name: thing.name,
            thing_id: thing.thing_id,
            attributes: thing.attributes,
            version: thing.version,
        }
    }
}

/// One thing in ListThings.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ThingAttribute {
    pub thing_name: String,
    pub thing_arn: String,
    pub attributes: BTreeMap<String, String>,
    pub version: i64,
}

impl ThingAttribute {
    pub fn new(thing: Thing, account: &Account) -> Self {
        ThingAttribute {
            thing_arn: account.thing_arn(&thing.name),
            thing_name: thing.name,
            attributes: thing.attributes,
            version: thing.version,
        }
    }
}

/// ListThings' answer.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListThingsResponse {
    pub things: Vec<ThingAttribute>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// CreateJob's and CancelJob's answer.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobSummaryResponse {
    pub job_arn: String,
    pub job_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl JobSummaryResponse {
    pub fn new(job: Job, account: &Account) -> Self {
        JobSummaryResponse {
            job_arn: account.job_arn(&job.job_id),
            job_id: job.job_id,
            description: job.description,
        }
    }
}

/// DescribeJob's answer.
#[derive(Debug, Serialize)]
pub struct DescribeJobResponse {
    pub job: JobDescription,
}

/// DescribeJob's `job`: times as control-plane epoch seconds.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobDescription {
    pub job_arn: String,
    pub job_id: String,
    /// Jobs here are SNAPSHOT jobs: their targets are fixed when created.
    pub target_selection: &'static str,
    pub status: JobStatus,
    pub force_canceled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    pub targets: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub created_at: EpochTime,
    pub last_updated_at: EpochTime,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<EpochTime>,
    pub job_process_details: JobProcessDetails,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_config: Option<TimeoutConfig>,
    pub is_concurrent: bool,
}

/// How many of a job's executions are in each status.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobProcessDetails {
    pub number_of_canceled_things: i64,
    pub number_of_succeeded_things: i64,
    pub number_of_failed_things: i64,
    pub number_of_rejected_things: i64,
    pub number_of_queued_things: i64,
    pub number_of_in_progress_things: i64,
    pub number_of_removed_things: i64,
    pub number_of_timed_out_things: i64,
}

/// A job's `timeoutConfig`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TimeoutConfig {
    pub in_progress_timeout_in_minutes: i64,
}

impl DescribeJobResponse {
    pub fn new(job: Job, counts: &ProcessCounts, account: &Account) -> Self {
        let time = |ms: i64| EpochTime::from_millis(Plane::Control, ms);
        let count = |status: JobExecutionStatus| counts.of(&status);
        DescribeJobResponse {
            job: JobDescription {
                job_arn: account.job_arn(&job.job_id),
                job_id: job.job_id,
                target_selection: "SNAPSHOT",
                status: job.status,
                force_canceled: job.force_canceled,
                reason_code: job.reason_code,
                comment: job.comment,
                targets: job.targets,
                description: job.description,
                created_at: time(job.created_at_ms),
                last_updated_at: time(job.last_updated_at_ms),
                completed_at: job.completed_at_ms.map(time),
                job_process_details: JobProcessDetails {
                    number_of_canceled_things: count(JobExecutionStatus::Canceled),
                    number_of_succeeded_things: count(JobExecutionStatus::Succeeded),
                    number_of_failed_things: count(JobExecutionStatus::Failed),
                    number_of_rejected_things: count(JobExecutionStatus::Rejected),
                    number_of_queued_things: count(JobExecutionStatus::Queued),
                    number_of_in_progress_things: count(JobExecutionStatus::InProgress),
                    number_of_removed_things: count(JobExecutionStatus::Removed),
                    number_of_timed_out_things: count(JobExecutionStatus::TimedOut),
                },
                timeout_config: job
                    .in_progress_timeout_minutes
                    .map(|minutes| TimeoutConfig {
                        in_progress_timeout_in_minutes: minutes,
                    }),
                is_concurrent: false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(json: &str) -> JsonBody {
        JsonBody::parse(json.as_bytes()).unwrap()
    }

    #[test]
    fn create_job_reads_and_checks_every_member() {
        let job = new_job(
            "j".into(),
            &body(
                r#"{"targets":["arn:x"],"description":"d","timeoutConfig":{"inProgressTimeoutInMinutes":5},
                    "jobExecutionsRetryConfig":{"criteriaList":[{"failureType":"TIMED_OUT","numberOfRetries":2}]}}"#,
            ),
        )
        .unwrap();
        assert_eq!(job.in_progress_timeout_minutes, Some(5));
        assert_eq!(
            job.retry,
            [RetryCriteria {
                failure_type: RetryableFailureType::TimedOut,
                number_of_retries: 2
            }]
        );
        let refused = |json: &str| new_job("j".into(), &body(json)).unwrap_err().to_string();
        assert_eq!(
            refused(r#"{"targets":[]}"#),
            "targets: is required and must list at least one thing ARN"
        );
        assert_eq!(
            refused(r#"{"targets":["a"],"timeoutConfig":{"inProgressTimeoutInMinutes":0}}"#),
            "timeoutConfig.inProgressTimeoutInMinutes: must be 1 to 10080 minutes"
        );
        assert_eq!(
            refused(r#"{"targets":["a"],"jobExecutionsRetryConfig":{}}"#),
            "jobExecutionsRetryConfig.criteriaList: is required"
        );
        assert!(
            refused(r#"{"targets":["a"],"description":"line 1\nline 2"}"#)
                .starts_with("description: must contain only characters other than control")
        );
        assert!(
            refused(
                r#"{"targets":["a"],"jobExecutionsRetryConfig":{"criteriaList":[{"failureType":"REJECTED","numberOfRetries":1}]}}"#
            )
            .contains("failureType must be FAILED, TIMED_OUT or ALL")
        );
    }

    #[test]
    fn attributes_and_cancel_reasons_follow_the_model() {
        assert!(
            thing_attributes(&body(r#"{"attributePayload":{"attributes":{"a b":"x"}}}"#))
                .unwrap_err()
                .to_string()
                .starts_with("attributePayload.attributes.a b (its name): must contain only")
        );
        assert_eq!(
            thing_attributes(&body(
                r#"{"attributePayload":{"attributes":{"k":"v=[1]"}}}"#
            ))
            .unwrap()
            .get("k")
            .map(String::as_str),
            Some("v=[1]")
        );
        assert!(cancel_job(&body(r#"{"reasonCode":"rolled back"}"#), false).is_err());
        assert!(cancel_job(&body(r#"{"comment":"tab\there"}"#), false).is_err());
        assert!(
            cancel_job(
                &body(r#"{"reasonCode":"ROLLED_BACK_2","comment":"ok"}"#),
                true
            )
            .is_ok()
        );
    }
}
