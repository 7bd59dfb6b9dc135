//! The device-side Jobs API (`iot-jobs-data`): DescribeJobExecution, GetPendingJobExecutions,
//! StartNextPendingJobExecution, UpdateJobExecution.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use jobscope::{DescribeJobExecutionInput, JobTarget, LooseNumber, Plane};
use serde_json::{Value, json};

use crate::AppState;
use crate::control_plane;
use crate::error::ApiError;
use crate::model::Execution;
use crate::request::Ctx;
use crate::store::Update;

/// `GET /things/{thingName}/jobs/{jobId}`, both planes.
pub async fn describe_job_execution(
    State(app): State<AppState>,
    ctx: Ctx,
) -> Result<Response, ApiError> {
    // The same validation a client runs: the core's DescribeJobExecutionInput.
    let input = DescribeJobExecutionInput {
        plane: ctx.plane,
        thing_name: Some(ctx.label(0).to_owned()),
        job_id: Some(ctx.label(1).to_owned()),
        execution_number: ctx
            .query("executionNumber")
            .map(|t| LooseNumber::Text(t.to_owned())),
        include_job_document: ctx.bool_query("includeJobDocument")?,
    };
    let request = input.validate().map_err(|v| ctx.invalid(v.to_string()))?;
    let thing = request.thing_name().as_str();
    let job_id = match request.job() {
        JobTarget::Next => None,
        JobTarget::Id(id) => Some(id.as_str()),
    };
    let number = request.execution_number().map(|n| n.get());
    let found = app
        .store
        .describe_execution(ctx.plane, thing, job_id, number)
        .map_err(|e| e.on(ctx.plane))?;
    let Some(execution) = found else {
        return Ok(Json(json!({})).into_response());
    };
    let include_document = request.include_job_document().unwrap_or(true);
    Ok(execution_response(
        &app,
        &execution,
        ctx.plane,
        include_document,
    ))
}

/// `{"execution": …}` in the plane's wire form, through the core crate's `JobExecution` (statusDetails in order).
pub fn execution_response(
    app: &AppState,
    execution: &Execution,
    plane: Plane,
    include_document: bool,
) -> Response {
    #[derive(serde::Serialize)]
    struct Body<'a> {
        execution: jobscope::WireForm<'a>,
    }
    let document = if include_document && plane == Plane::Data {
        app.store.job_document(&execution.job_id)
    } else {
        None
    };
    let thing_arn = if plane == Plane::Control {
        app.store.account.thing_arn(&execution.thing)
    } else {
        String::new()
    };
    let model = execution.to_job_execution(plane, document, &thing_arn, app.store.clock.now_ms());
    Json(Body {
        execution: model.wire_form(),
    })
    .into_response()
}

/// `GET /things/{thingName}/jobs`: GetPendingJobExecutions (data) or ListJobExecutionsForThing (control).
pub async fn thing_jobs(state: State<AppState>, ctx: Ctx) -> Result<Response, ApiError> {
    if ctx.plane == Plane::Control {
        return control_plane::list_job_executions_for_thing(state, ctx).await;
    }
    let State(app) = state;
    let thing = ctx.thing_name(0)?;
    let (in_progress, queued) = app
        .store
        .pending(thing.as_str())
        .map_err(|e| e.on(ctx.plane))?;
    let summary = |e: &Execution| {
        let mut s = json!({
            "jobId": e.job_id,
            "queuedAt": e.queued_at_ms.div_euclid(1000),
            "lastUpdatedAt": e.last_updated_at_ms.div_euclid(1000),
            "versionNumber": e.version,
            "executionNumber": e.number,
        });
        if let Some(started) = e.started_at_ms {
            s["startedAt"] = json!(started.div_euclid(1000));
        }
        s
    };
    Ok(Json(json!({
        "inProgressJobs": in_progress.iter().map(summary).collect::<Vec<_>>(),
        "queuedJobs": queued.iter().map(summary).collect::<Vec<_>>(),
    }))
    .into_response())
}

/// `PUT /things/{thingName}/jobs/$next`: StartNextPendingJobExecution.
pub async fn start_next(
    State(app): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Response, ApiError> {
    if ctx.label(1) != jobscope::NEXT {
        return Err(unknown_operation("PUT", "/things/{thingName}/jobs/{jobId}").on(ctx.plane));
    }
    let thing = ctx.thing_name(0)?;
    let body = ctx.body(&body)?;
    let details = body.status_details()?;
    let step = body.minutes("stepTimeoutInMinutes")?;
    let started = app
        .store
        .start_next(thing.as_str(), details, step)
        .map_err(|e| e.on(ctx.plane))?;
    Ok(match started {
        Some(execution) => execution_response(&app, &execution, Plane::Data, true),
        None => Json(json!({})).into_response(),
    })
}

/// `POST /things/{thingName}/jobs/{jobId}`: UpdateJobExecution.
pub async fn update_job_execution(
    State(app): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Response, ApiError> {
    let thing = ctx.thing_name(0)?;
    let job_id = ctx.job_id(1)?;
    let body = ctx.body(&body)?;
    let status = body
        .string("status")?
        .ok_or_else(|| ctx.invalid("status: is required"))?;
    let update = Update {
        status,
        status_details: body.status_details()?,
        step_timeout_minutes: body.minutes("stepTimeoutInMinutes")?,
        expected_version: body.long("expectedVersion")?,
        execution_number: body.long("executionNumber")?,
    };
    let include_state = body.bool("includeJobExecutionState")?.unwrap_or(false);
    let include_document = body.bool("includeJobDocument")?.unwrap_or(false);
    let execution = app
        .store
        .update_execution(thing.as_str(), job_id.as_str(), update)
        .map_err(|e| e.on(ctx.plane))?;
    let mut out = json!({});
    if include_state {
        let details: serde_json::Map<String, Value> = execution
            .status_details
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        out["executionState"] = json!({
            "status": execution.status,
            "statusDetails": details,
            "versionNumber": execution.version,
        });
    }
    if include_document
        && let Some(document) = app.store.job(job_id.as_str()).and_then(|j| j.document)
    {
        out["jobDocument"] = Value::String(document);
    }
    Ok(Json(out).into_response())
}

pub fn unknown_operation(method: &str, path: &str) -> ApiError {
    ApiError::new(
        jobscope::ErrorCode::UnknownOperationException,
        format!("No operation matches {method} {path}"),
    )
}
