//! Typed extraction of requests: path labels by name into the core's value types, the query, JSON bodies, and
//! the DescribeJobExecution request — all read by the core's codec (`Labels`, `Query`, `JsonBody`,
//! `DescribeJobExecutionRequest::from_http`), every failure an [`ApiError`] that the envelope answers as an
//! AWS-shaped InvalidRequestException (never axum's plain-text rejections).

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::request::Parts;
use jobscope::codec::{
    JsonBody, Labels, Query, RequestError, StartNextPendingJobExecutionInput,
    UpdateJobExecutionInput,
};
use jobscope::{
    DescribeJobExecutionRequest, ExecutionNumber, JobId, JobTarget, Plane, ThingName, Violations,
};

use crate::error::ApiError;
use crate::plane::OnPlane;

/// The path's labels, decoded by name.
async fn labels<S: Send + Sync>(parts: &mut Parts, state: &S) -> Result<Labels, ApiError> {
    let raw = RawPathParams::from_request_parts(parts, state)
        .await
        .map_err(|rejection| ApiError::invalid(rejection.body_text()))?;
    Ok(Labels::decode(&raw)?)
}

/// Both results, or every violation of both (a request's problems are reported at once).
fn both<A, B>(
    a: Result<A, RequestError>,
    b: Result<B, RequestError>,
) -> Result<(A, B), RequestError> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(RequestError::Invalid(a)), Err(RequestError::Invalid(b))) => Err(
            RequestError::Invalid(Violations(a.into_iter().chain(b).collect())),
        ),
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

/// `/things/{thingName}`.
#[derive(Debug, Clone)]
pub struct ThingPath {
    pub thing: ThingName,
}

impl<S: Send + Sync> FromRequestParts<S> for ThingPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let thing = labels(parts, state).await?.thing_name()?;
        Ok(ThingPath { thing })
    }
}

/// `/jobs/{jobId}`.
#[derive(Debug, Clone)]
pub struct JobPath {
    pub job: JobId,
}

impl<S: Send + Sync> FromRequestParts<S> for JobPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let job = labels(parts, state).await?.job_id()?;
        Ok(JobPath { job })
    }
}

/// `/things/{thingName}/jobs/{jobId}` where `jobId` names a job (not `$next`).
#[derive(Debug, Clone)]
pub struct ThingJobPath {
    pub thing: ThingName,
    pub job: JobId,
}

impl<S: Send + Sync> FromRequestParts<S> for ThingJobPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let labels = labels(parts, state).await?;
        let (thing, job) = both(labels.thing_name(), labels.job_id())?;
        Ok(ThingJobPath { thing, job })
    }
}

/// `PUT /things/{thingName}/jobs/$next` (StartNextPendingJobExecution): any other `jobId` is no operation.
#[derive(Debug, Clone)]
pub struct NextPath {
    pub thing: ThingName,
}

impl<S: Send + Sync> FromRequestParts<S> for NextPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let labels = labels(parts, state).await?;
        if !matches!(labels.job_target(Plane::Data), Ok(JobTarget::Next)) {
            return Err(RequestError::NoOperation {
                method: parts.method.to_string(),
                path: "/things/{thingName}/jobs/{jobId}".into(),
            }
            .into());
        }
        Ok(NextPath {
            thing: labels.thing_name()?,
        })
    }
}

/// `/things/{thingName}/jobs/{jobId}/executionNumber/{executionNumber}`.
#[derive(Debug, Clone)]
pub struct ExecutionPath {
    pub thing: ThingName,
    pub job: JobId,
    pub number: ExecutionNumber,
}

impl<S: Send + Sync> FromRequestParts<S> for ExecutionPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let labels = labels(parts, state).await?;
        let ((thing, job), number) = both(
            both(labels.thing_name(), labels.job_id()),
            labels.execution_number(),
        )?;
        Ok(ExecutionPath { thing, job, number })
    }
}

/// The decoded query string.
#[derive(Debug, Clone)]
pub struct QueryParams(pub Query);

impl<S: Send + Sync> FromRequestParts<S> for QueryParams {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        Ok(QueryParams(Query::parse(parts.uri.query().unwrap_or(""))?))
    }
}

/// A page of a list: `maxResults` (1 to 250, the models' range) and `nextToken`, which this emulator issues as the
/// offset of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub max: usize,
    pub start: usize,
}

impl Page {
    pub fn of(query: &Query) -> Result<Page, ApiError> {
        let max = query.max_results(250)?;
        let start = match query.get("nextToken") {
            None | Some("") => 0,
            Some(token) => token.parse::<usize>().map_err(|_| RequestError::BadQuery {
                name: "nextToken".into(),
                message: format!("nextToken: {token:?} was not issued by this service"),
            })?,
        };
        Ok(Page { max, start })
    }

    /// This page of `items`, and the token of the next page when there is one.
    pub fn take<T>(self, items: Vec<T>) -> (Vec<T>, Option<String>) {
        let total = items.len();
        let end = self.start.saturating_add(self.max).min(total);
        let page: Vec<T> = items
            .into_iter()
            .skip(self.start)
            .take(end.saturating_sub(self.start))
            .collect();
        let next = (end < total).then(|| end.to_string());
        (page, next)
    }
}

/// A request body read by the core's codec.
pub trait FromBody: Sized {
    fn from_body(bytes: &[u8]) -> Result<Self, RequestError>;
}

impl FromBody for JsonBody {
    fn from_body(bytes: &[u8]) -> Result<Self, RequestError> {
        JsonBody::parse(bytes)
    }
}

impl FromBody for UpdateJobExecutionInput {
    fn from_body(bytes: &[u8]) -> Result<Self, RequestError> {
        UpdateJobExecutionInput::from_json(bytes)
    }
}

impl FromBody for StartNextPendingJobExecutionInput {
    fn from_body(bytes: &[u8]) -> Result<Self, RequestError> {
        StartNextPendingJobExecutionInput::from_json(bytes)
    }
}

/// A JSON request body (an empty body reads as `{}`).
#[derive(Debug, Clone)]
pub struct Input<T>(pub T);

impl<S: Send + Sync, T: FromBody> FromRequest<S> for Input<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        // The envelope has read the body already (within the size and time limits), so this cannot fail on them.
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| ApiError::invalid(rejection.body_text()))?;
        Ok(Input(T::from_body(&bytes)?))
    }
}

/// A DescribeJobExecution request, read by the core from method, path and query for the request's plane.
#[derive(Debug, Clone)]
pub struct Describe(pub DescribeJobExecutionRequest);

impl<S: Send + Sync> FromRequestParts<S> for Describe {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Ok(OnPlane(plane)) = OnPlane::from_request_parts(parts, state).await;
        let request = DescribeJobExecutionRequest::from_http(
            plane,
            parts.method.as_str(),
            parts.uri.path(),
            parts.uri.query().unwrap_or(""),
        )?;
        Ok(Describe(request))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages() {
        let page = |max, start| Page { max, start };
        assert_eq!(
            page(2, 0).take(vec![1, 2, 3]),
            (vec![1, 2], Some("2".into()))
        );
        assert_eq!(page(2, 2).take(vec![1, 2, 3]), (vec![3], None));
        assert_eq!(page(2, 9).take(vec![1, 2, 3]), (vec![], None));
        assert_eq!(page(250, usize::MAX).take(vec![1]), (vec![], None));
        let query = Query::parse("maxResults=2&nextToken=x").unwrap();
        assert_eq!(
            Page::of(&query).unwrap_err().to_string(),
            "nextToken: \"x\" was not issued by this service"
        );
    }

    #[test]
    fn both_gathers_every_violation() {
        let labels = Labels::decode([("thingName", "bad name"), ("jobId", "bad.id")]).unwrap();
        let error = both(labels.thing_name(), labels.job_id()).unwrap_err();
        let text = error.to_string();
        assert!(
            text.starts_with("thingName: ") && text.contains("; jobId: "),
            "{text}"
        );
    }
}
