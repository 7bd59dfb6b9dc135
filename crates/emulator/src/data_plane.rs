//! The device-side Jobs API (`iot-jobs-data`): DescribeJobExecution (on both planes), GetPendingJobExecutions,
//! StartNextPendingJobExecution, UpdateJobExecution. Every body is written by the core's codec.

use axum::extract::State;
use axum::response::Response;
use jobscope::codec::{
    ListBody, PendingJobExecutions, StartNextPendingJobExecutionInput, UpdateJobExecutionInput,
    UpdateJobExecutionResponse, encode_describe_body,
};
use jobscope::{JobExecution, Plane};

use crate::AppState;
use crate::control_plane;
use crate::error::ApiError;
use crate::extract::{Describe, Input, NextPath, QueryParams, ThingJobPath, ThingPath};
use crate::model::{Execution, ViewContext};
use crate::plane::OnPlane;
use crate::reply;

/// An execution as `plane` returns it (the job document with it when asked, on the data plane).
pub fn execution_view(
    app: &AppState,
    execution: &Execution,
    plane: Plane,
    include_document: bool,
) -> JobExecution {
    let context = ViewContext {
        thing_arn: match plane {
            Plane::Control => app.store.account.thing_arn(&execution.thing),
            Plane::Data => String::new(),
        },
        job_document: (include_document && plane == Plane::Data)
            .then(|| app.store.job_document(&execution.job_id))
            .flatten(),
        now_ms: app.store.clock.now_ms(),
    };
    execution.to_job_execution(plane, context)
}

/// UpdateJobExecution's answer: the execution's state and the job document, as the input asks.
pub fn update_answer(
    app: &AppState,
    execution: &Execution,
    input: &UpdateJobExecutionInput,
) -> UpdateJobExecutionResponse {
    UpdateJobExecutionResponse {
        execution_state: input.include_job_execution_state.then(|| execution.state()),
        job_document: input
            .include_job_document
            .then(|| app.store.job_document(&execution.job_id))
            .flatten(),
    }
}

/// `{"execution": …}` in `plane`'s wire form (written by the core), or `{}` for nothing.
fn describe_body(
    app: &AppState,
    execution: Option<&Execution>,
    plane: Plane,
    include_document: bool,
) -> String {
    let view = execution.map(|e| execution_view(app, e, plane, include_document));
    encode_describe_body(view.as_ref())
}

/// `GET /things/{thingName}/jobs/{jobId}`, both planes. The request is read and checked by the core, with the
/// same validation a client runs (`DescribeJobExecutionRequest::from_http`).
pub async fn describe_job_execution(
    State(app): State<AppState>,
    Describe(request): Describe,
) -> Result<Response, ApiError> {
    let plane = request.plane();
    let found = app.store.describe_execution(
        request.thing_name().as_str(),
        request.job(),
        request.execution_number().map(|n| n.get()),
        plane == Plane::Data,
    )?;
    let include_document = request.include_job_document().unwrap_or(true);
    Ok(reply::json(describe_body(
        &app,
        found.as_ref(),
        plane,
        include_document,
    )))
}

/// `GET /things/{thingName}/jobs`: GetPendingJobExecutions (data) or ListJobExecutionsForThing (control).
pub async fn thing_jobs(
    State(app): State<AppState>,
    OnPlane(plane): OnPlane,
    path: ThingPath,
    QueryParams(query): QueryParams,
) -> Result<Response, ApiError> {
    if plane == Plane::Control {
        return control_plane::list_job_executions_for_thing(&app, path, &query).await;
    }
    let (in_progress, queued) = app.store.pending(path.thing.as_str())?;
    let summaries = |list: Vec<Execution>| list.iter().map(|e| e.summary(Plane::Data)).collect();
    let body = PendingJobExecutions {
        in_progress_jobs: summaries(in_progress),
        queued_jobs: summaries(queued),
    };
    Ok(reply::json(body.to_json()))
}

/// `PUT /things/{thingName}/jobs/$next`: StartNextPendingJobExecution.
pub async fn start_next(
    State(app): State<AppState>,
    NextPath { thing }: NextPath,
    Input(input): Input<StartNextPendingJobExecutionInput>,
) -> Result<Response, ApiError> {
    let started = app.store.start_next(thing.as_str(), input)?;
    Ok(reply::json(describe_body(
        &app,
        started.as_ref(),
        Plane::Data,
        true,
    )))
}

/// `POST /things/{thingName}/jobs/{jobId}`: UpdateJobExecution.
pub async fn update_job_execution(
    State(app): State<AppState>,
    ThingJobPath { thing, job }: ThingJobPath,
    Input(input): Input<UpdateJobExecutionInput>,
) -> Result<Response, ApiError> {
    let execution = app
        .store
        .update_execution(thing.as_str(), job.as_str(), &input)?;
    let answer = update_answer(&app, &execution, &input);
    Ok(reply::json(answer.to_json()))
}
