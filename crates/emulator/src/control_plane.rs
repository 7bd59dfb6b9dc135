//! The operator-side API (`iot`): the thing registry, job management, and the control plane's view of executions.

use axum::extract::State;
use axum::response::Response;
use jobscope::codec::{
    JobExecutionSummaryForJob, JobExecutionSummaryForThing, JsonBody, ListBody,
    ListJobExecutionsForJob, ListJobExecutionsForThing, Query,
};
use jobscope::{JobId, Plane};

use crate::AppState;
use crate::control_shapes::ThingAttribute;
use crate::control_shapes::{self as shapes, CreateThingResponse, DescribeJobResponse};
use crate::control_shapes::{DescribeThingResponse, JobSummaryResponse, ListThingsResponse};
use crate::error::ApiError;
use crate::extract::{ExecutionPath, Input, JobPath, Page, QueryParams, ThingJobPath, ThingPath};
use crate::reply;
use crate::store::Filter;

/// `force` (CancelJob, CancelJobExecution, DeleteJobExecution): false when absent.
fn force(query: &Query) -> Result<bool, ApiError> {
    Ok(query.bool("force")?.unwrap_or(false))
}

/// The list operations' filters: `status` (strictly one of the model's values) and, for a thing, `jobId`.
fn filter(query: &Query, with_job: bool) -> Result<Filter, ApiError> {
    let job_id = if with_job {
        query
            .get("jobId")
            .map(|id| JobId::parse(id).map(|id| id.as_str().to_owned()))
            .transpose()
            .map_err(jobscope::codec::RequestError::from)?
    } else {
        None
    };
    Ok(Filter {
        status: query.job_execution_status("status")?,
        job_id,
    })
}

/// `POST /things/{thingName}`: CreateThing.
pub async fn create_thing(
    State(app): State<AppState>,
    ThingPath { thing }: ThingPath,
    Input(body): Input<JsonBody>,
) -> Result<Response, ApiError> {
    let attributes = shapes::thing_attributes(&body)?;
    let thing = app.store.create_thing(thing.as_str(), attributes)?;
    Ok(reply::serialized(&CreateThingResponse::new(
        thing,
        &app.store.account,
    )))
}

/// `GET /things/{thingName}`: DescribeThing.
pub async fn describe_thing(
    State(app): State<AppState>,
    ThingPath { thing }: ThingPath,
) -> Result<Response, ApiError> {
    let thing = app.store.describe_thing(thing.as_str())?;
    Ok(reply::serialized(&DescribeThingResponse::new(
        thing,
        &app.store.account,
    )))
}

/// `GET /things`: ListThings.
pub async fn list_things(
    State(app): State<AppState>,
    QueryParams(query): QueryParams,
) -> Result<Response, ApiError> {
    let (things, next_token) = Page::of(&query)?.take(app.store.list_things());
    Ok(reply::serialized(&ListThingsResponse {
        things: things
            .into_iter()
            .map(|t| ThingAttribute::new(t, &app.store.account))
            .collect(),
        next_token,
    }))
}

/// `DELETE /things/{thingName}`: DeleteThing.
pub async fn delete_thing(
    State(app): State<AppState>,
    ThingPath { thing }: ThingPath,
    QueryParams(query): QueryParams,
) -> Result<Response, ApiError> {
    let expected = query.long("expectedVersion")?;
    app.store.delete_thing(thing.as_str(), expected)?;
    Ok(reply::empty())
}

/// `PUT /jobs/{jobId}`: CreateJob.
pub async fn create_job(
    State(app): State<AppState>,
    JobPath { job }: JobPath,
    Input(body): Input<JsonBody>,
) -> Result<Response, ApiError> {
    let new = shapes::new_job(job.as_str().to_owned(), &body)?;
    let job = app.store.create_job(new)?;
    Ok(reply::serialized(&JobSummaryResponse::new(
        job,
        &app.store.account,
    )))
}

/// `GET /jobs/{jobId}`: DescribeJob.
pub async fn describe_job(
    State(app): State<AppState>,
    JobPath { job }: JobPath,
) -> Result<Response, ApiError> {
    let (job, counts) = app.store.describe_job(job.as_str())?;
    Ok(reply::serialized(&DescribeJobResponse::new(
        job,
        &counts,
        &app.store.account,
    )))
}

/// `PUT /jobs/{jobId}/cancel`: CancelJob.
pub async fn cancel_job(
    State(app): State<AppState>,
    JobPath { job }: JobPath,
    QueryParams(query): QueryParams,
    Input(body): Input<JsonBody>,
) -> Result<Response, ApiError> {
    let cancel = shapes::cancel_job(&body, force(&query)?)?;
    let job = app.store.cancel_job(job.as_str(), cancel)?;
    Ok(reply::serialized(&JobSummaryResponse::new(
        job,
        &app.store.account,
    )))
}

/// `GET /things/{thingName}/jobs` on the control plane: ListJobExecutionsForThing.
pub async fn list_job_executions_for_thing(
    app: &AppState,
    ThingPath { thing }: ThingPath,
    query: &Query,
) -> Result<Response, ApiError> {
    let page = Page::of(query)?;
    let filter = filter(query, true)?;
    let executions = app.store.executions_of_thing(thing.as_str(), &filter)?;
    let (executions, next_token) = page.take(executions);
    let list = ListJobExecutionsForThing {
        execution_summaries: executions
            .iter()
            .map(|e| JobExecutionSummaryForThing {
                job_id: Some(e.job_id.clone()),
                job_execution_summary: e.summary(Plane::Control),
            })
            .collect(),
        next_token,
    };
    Ok(reply::json(list.to_json()))
}

/// `GET /jobs/{jobId}/things`: ListJobExecutionsForJob.
pub async fn list_job_executions_for_job(
    State(app): State<AppState>,
    JobPath { job }: JobPath,
    QueryParams(query): QueryParams,
) -> Result<Response, ApiError> {
    let page = Page::of(&query)?;
    let filter = filter(&query, false)?;
    let executions = app.store.executions_of_job(job.as_str(), &filter)?;
    let (executions, next_token) = page.take(executions);
    let list = ListJobExecutionsForJob {
        execution_summaries: executions
            .iter()
            .map(|e| JobExecutionSummaryForJob {
                thing_arn: Some(app.store.account.thing_arn(&e.thing)),
                job_execution_summary: e.summary(Plane::Control),
            })
            .collect(),
        next_token,
    };
    Ok(reply::json(list.to_json()))
}

/// `PUT /things/{thingName}/jobs/{jobId}/cancel`: CancelJobExecution.
pub async fn cancel_job_execution(
    State(app): State<AppState>,
    ThingJobPath { thing, job }: ThingJobPath,
    QueryParams(query): QueryParams,
    Input(body): Input<JsonBody>,
) -> Result<Response, ApiError> {
    let cancel = shapes::cancel_execution(&body, force(&query)?)?;
    app.store
        .cancel_execution(thing.as_str(), job.as_str(), cancel)?;
    Ok(reply::empty())
}

/// `DELETE /things/{thingName}/jobs/{jobId}/executionNumber/{executionNumber}`: DeleteJobExecution.
pub async fn delete_job_execution(
    State(app): State<AppState>,
    ExecutionPath { thing, job, number }: ExecutionPath,
    QueryParams(query): QueryParams,
) -> Result<Response, ApiError> {
    app.store
        .delete_execution(thing.as_str(), job.as_str(), number.get(), force(&query)?)?;
    Ok(reply::empty())
}
