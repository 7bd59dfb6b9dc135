//! The operator-side API (`iot`): the thing registry and job management.

use std::collections::BTreeMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::AppState;
use crate::error::ApiError;
use crate::model::{Execution, RetryCriteria};
use crate::request::Ctx;
use crate::store::NewJob;

/// Control-plane timestamps: epoch seconds, fractional when the milliseconds are not zero.
fn seconds(ms: i64) -> Value {
    if ms % 1000 == 0 {
        json!(ms / 1000)
    } else {
        json!(ms as f64 / 1000.0)
    }
}

fn page<T: Clone>(items: &[T], max: usize, start: usize) -> (Vec<T>, Option<String>) {
    let end = (start + max).min(items.len());
    let slice = items.get(start..end).unwrap_or_default().to_vec();
    let next = (end < items.len()).then(|| end.to_string());
    (slice, next)
}

fn with_next(mut body: Value, next: Option<String>) -> Value {
    if let Some(token) = next {
        body["nextToken"] = Value::String(token);
    }
    body
}

fn summary(e: &Execution) -> Value {
    let mut s = json!({
        "status": e.status,
        "queuedAt": seconds(e.queued_at_ms),
        "lastUpdatedAt": seconds(e.last_updated_at_ms),
        "executionNumber": e.number,
    });
    if let Some(started) = e.started_at_ms {
        s["startedAt"] = seconds(started);
    }
    if e.retry_attempt > 0 {
        s["retryAttempt"] = json!(e.retry_attempt);
    }
    s
}

/// `POST /things/{thingName}`: CreateThing.
pub async fn create_thing(
    State(app): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Response, ApiError> {
    let name = ctx.thing_name(0)?;
    let body = ctx.body(&body)?;
    let mut attributes = BTreeMap::new();
    if let Some(payload) = body.object("attributePayload")?
        && let Some(Value::Object(map)) = payload.get("attributes")
    {
        for (key, value) in map {
            let Value::String(value) = value else {
                return Err(ctx.invalid(format!(
                    "attributePayload.attributes.{key}: must be a string"
                )));
            };
            attributes.insert(key.clone(), value.clone());
        }
    }
    let thing = app
        .store
        .create_thing(name.as_str(), attributes)
        .map_err(|e| e.on(ctx.plane))?;
    Ok(Json(json!({
        "thingName": thing.name,
        "thingArn": app.store.account.thing_arn(&thing.name),
        "thingId": thing.thing_id,
    }))
    .into_response())
}

/// `GET /things/{thingName}`: DescribeThing.
pub async fn describe_thing(State(app): State<AppState>, ctx: Ctx) -> Result<Response, ApiError> {
    let name = ctx.thing_name(0)?;
    let thing = app
        .store
        .describe_thing(name.as_str())
        .map_err(|e| e.on(ctx.plane))?;
    Ok(Json(json!({
        "defaultClientId": thing.name,
        "thingName": thing.name,
        "thingId": thing.thing_id,
        "thingArn": app.store.account.thing_arn(&thing.name),
        "attributes": thing.attributes,
        "version": thing.version,
    }))
    .into_response())
}

/// `GET /things`: ListThings.
pub async fn list_things(State(app): State<AppState>, ctx: Ctx) -> Result<Response, ApiError> {
    let (max, start) = ctx.page()?;
    let things: Vec<Value> = app
        .store
        .list_things()
        .into_iter()
        .map(|t| {
            json!({
                "thingName": t.name,
                "thingArn": app.store.account.thing_arn(&t.name),
                "attributes": t.attributes,
                "version": t.version,
            })
        })
        .collect();
    let (things, next) = page(&things, max, start);
    Ok(Json(with_next(json!({ "things": things }), next)).into_response())
}

/// `DELETE /things/{thingName}`: DeleteThing.
pub async fn delete_thing(State(app): State<AppState>, ctx: Ctx) -> Result<Response, ApiError> {
    let name = ctx.thing_name(0)?;
    let expected = ctx.number_query("expectedVersion")?;
    app.store
        .delete_thing(name.as_str(), expected)
        .map_err(|e| e.on(ctx.plane))?;
    Ok(Json(json!({})).into_response())
}

/// `PUT /jobs/{jobId}`: CreateJob.
pub async fn create_job(
    State(app): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Response, ApiError> {
    let job_id = ctx.job_id(0)?;
    let body = ctx.body(&body)?;
    let targets: Vec<String> = match body.array("targets")? {
        Some(items) if !items.is_empty() => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| ctx.invalid("targets: must be an array of thing ARNs"))
            })
            .collect::<Result<_, _>>()?,
        _ => return Err(ctx.invalid("targets: is required and must list at least one thing ARN")),
    };
    if body.string("documentSource")?.is_some() {
        return Err(ctx.invalid(
            "documentSource: S3 job documents are not supported by the emulator; pass document",
        ));
    }
    let document = body.string("document")?;
    if let Some(len) = document
        .as_ref()
        .map(|d| d.chars().count())
        .filter(|len| *len > jobscope::JOB_DOCUMENT_MAX)
    {
        return Err(ctx.invalid(format!(
            "document: must be at most {} characters, got {len}",
            jobscope::JOB_DOCUMENT_MAX
        )));
    }
    let description = body.string("description")?;
    if let Some(len) = description
        .as_ref()
        .map(|d| d.chars().count())
        .filter(|len| *len > 2028)
    {
        return Err(ctx.invalid(format!(
            "description: must be at most 2028 characters, got {len}"
        )));
    }
    let in_progress_timeout_minutes = match body.object("timeoutConfig")? {
        Some(config) => match config.get("inProgressTimeoutInMinutes") {
            None | Some(Value::Null) => None,
            Some(value) => match value.as_i64() {
                Some(m @ 1..=10_080) => Some(m),
                _ => {
                    return Err(ctx.invalid(
                        "timeoutConfig.inProgressTimeoutInMinutes: must be 1 to 10080 minutes",
                    ));
                }
            },
        },
        None => None,
    };
    let mut retry = Vec::new();
    if let Some(config) = body.object("jobExecutionsRetryConfig")?
        && let Some(Value::Array(criteria)) = config.get("criteriaList")
    {
        for c in criteria {
            let failure_type = c
                .get("failureType")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let number_of_retries = c
                .get("numberOfRetries")
                .and_then(Value::as_i64)
                .unwrap_or(-1);
            if !matches!(failure_type, "FAILED" | "TIMED_OUT" | "ALL")
                || !(0..=10).contains(&number_of_retries)
            {
                return Err(ctx.invalid(
                    "jobExecutionsRetryConfig.criteriaList: each needs failureType FAILED, TIMED_OUT or ALL and numberOfRetries 0 to 10",
                ));
            }
            retry.push(RetryCriteria {
                failure_type: failure_type.to_owned(),
                number_of_retries,
            });
        }
    }
    let job = app
        .store
        .create_job(NewJob {
            job_id: job_id.to_string(),
            targets,
            document,
            description,
            in_progress_timeout_minutes,
            retry,
        })
        .map_err(|e| e.on(ctx.plane))?;
    let mut out = json!({ "jobArn": app.store.account.job_arn(&job.job_id), "jobId": job.job_id });
    if let Some(description) = job.description {
        out["description"] = Value::String(description);
    }
    Ok(Json(out).into_response())
}

/// `GET /jobs/{jobId}`: DescribeJob.
pub async fn describe_job(State(app): State<AppState>, ctx: Ctx) -> Result<Response, ApiError> {
    let job_id = ctx.job_id(0)?;
    let (job, counts) = app
        .store
        .describe_job(job_id.as_str())
        .map_err(|e| e.on(ctx.plane))?;
    let count = |status: &str| counts.per_status.get(status).copied().unwrap_or(0);
    let mut out = json!({
        "jobArn": app.store.account.job_arn(&job.job_id),
        "jobId": job.job_id,
        "targetSelection": "SNAPSHOT",
        "status": job.status,
        "forceCanceled": job.force_canceled,
        "targets": job.targets,
        "createdAt": seconds(job.created_at_ms),
        "lastUpdatedAt": seconds(job.last_updated_at_ms),
        "jobProcessDetails": {
            "numberOfCanceledThings": count("CANCELED"),
            "numberOfSucceededThings": count("SUCCEEDED"),
            "numberOfFailedThings": count("FAILED"),
            "numberOfRejectedThings": count("REJECTED"),
            "numberOfQueuedThings": count("QUEUED"),
            "numberOfInProgressThings": count("IN_PROGRESS"),
            "numberOfRemovedThings": count("REMOVED"),
            "numberOfTimedOutThings": count("TIMED_OUT"),
        },
        "isConcurrent": false,
    });
    if let Some(description) = &job.description {
        out["description"] = json!(description);
    }
    if let Some(completed) = job.completed_at_ms {
        out["completedAt"] = seconds(completed);
    }
    if let Some(minutes) = job.in_progress_timeout_minutes {
        out["timeoutConfig"] = json!({ "inProgressTimeoutInMinutes": minutes });
    }
    if let Some(reason) = &job.reason_code {
        out["reasonCode"] = json!(reason);
    }
    if let Some(comment) = &job.comment {
        out["comment"] = json!(comment);
    }
    Ok(Json(json!({ "job": out })).into_response())
}

/// `PUT /jobs/{jobId}/cancel`: CancelJob.
pub async fn cancel_job(
    State(app): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Response, ApiError> {
    let job_id = ctx.job_id(0)?;
    let force = ctx.bool_query("force")?.unwrap_or(false);
    let body = ctx.body(&body)?;
    let job = app
        .store
        .cancel_job(
            job_id.as_str(),
            force,
            body.string("reasonCode")?,
            body.string("comment")?,
        )
        .map_err(|e| e.on(ctx.plane))?;
    let mut out = json!({ "jobArn": app.store.account.job_arn(&job.job_id), "jobId": job.job_id });
    if let Some(description) = job.description {
        out["description"] = Value::String(description);
    }
    Ok(Json(out).into_response())
}

/// `GET /things/{thingName}/jobs` on the control plane: ListJobExecutionsForThing.
pub async fn list_job_executions_for_thing(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Response, ApiError> {
    let thing = ctx.thing_name(0)?;
    let (max, start) = ctx.page()?;
    let status = ctx.query("status").map(str::to_owned);
    let job = ctx.query("jobId").map(str::to_owned);
    let items: Vec<Value> = app
        .store
        .executions_of_thing(thing.as_str())
        .map_err(|e| e.on(ctx.plane))?
        .iter()
        .filter(|e| status.as_ref().is_none_or(|s| *s == e.status))
        .filter(|e| job.as_ref().is_none_or(|j| *j == e.job_id))
        .map(|e| json!({ "jobId": e.job_id, "jobExecutionSummary": summary(e) }))
        .collect();
    let (items, next) = page(&items, max, start);
    Ok(Json(with_next(json!({ "executionSummaries": items }), next)).into_response())
}

/// `GET /jobs/{jobId}/things`: ListJobExecutionsForJob.
pub async fn list_job_executions_for_job(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Response, ApiError> {
    let job_id = ctx.job_id(0)?;
    let (max, start) = ctx.page()?;
    let status = ctx.query("status").map(str::to_owned);
    let items: Vec<Value> = app
        .store
        .executions_of_job(job_id.as_str())
        .map_err(|e| e.on(ctx.plane))?
        .iter()
        .filter(|e| status.as_ref().is_none_or(|s| *s == e.status))
        .map(|e| json!({ "thingArn": app.store.account.thing_arn(&e.thing), "jobExecutionSummary": summary(e) }))
        .collect();
    let (items, next) = page(&items, max, start);
    Ok(Json(with_next(json!({ "executionSummaries": items }), next)).into_response())
}

/// `PUT /things/{thingName}/jobs/{jobId}/cancel`: CancelJobExecution.
pub async fn cancel_job_execution(
    State(app): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Response, ApiError> {
    let thing = ctx.thing_name(0)?;
    let job_id = ctx.job_id(1)?;
    let force = ctx.bool_query("force")?.unwrap_or(false);
    let body = ctx.body(&body)?;
    app.store
        .cancel_execution(
            thing.as_str(),
            job_id.as_str(),
            force,
            body.long("expectedVersion")?,
            body.status_details()?,
        )
        .map_err(|e| e.on(ctx.plane))?;
    Ok(Json(json!({})).into_response())
}

/// `DELETE /things/{thingName}/jobs/{jobId}/executionNumber/{executionNumber}`: DeleteJobExecution.
pub async fn delete_job_execution(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Response, ApiError> {
    let thing = ctx.thing_name(0)?;
    let job_id = ctx.job_id(1)?;
    let number = ctx
        .label(2)
        .parse::<jobscope::ExecutionNumber>()
        .map_err(|v| ctx.invalid(v.message))?;
    let force = ctx.bool_query("force")?.unwrap_or(false);
    app.store
        .delete_execution(thing.as_str(), job_id.as_str(), number.get(), force)
        .map_err(|e| e.on(ctx.plane))?;
    Ok(Json(json!({})).into_response())
}
