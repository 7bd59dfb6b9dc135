//! The Jobs device API over MQTT: a publish on `$aws/things/{thing}/jobs/…` answered from the same store the HTTP
//! data plane uses, on `…/accepted` or `…/rejected`, and the store's events as `notify` and `notify-next`.
//!
//! Topics, request payloads, accepted, rejected and notification payloads are all the core's
//! (`jobscope::codec::mqtt`); the store's refusals become rejection codes in one place,
//! [`ApiError::to_mqtt_rejection`](crate::ApiError::to_mqtt_rejection).

use jobscope::codec::PendingJobExecutions;
use jobscope::codec::mqtt::{
    JobsOperation, JobsRequest, JobsTopic, Rejection, TopicError, TopicKind, client_token,
    execution_accepted, notify, notify_next, pending_accepted, update_accepted,
};
use jobscope::{EpochTime, ErrorCode, JobTarget, Plane, ThingName};

use crate::AppState;
use crate::data_plane::{execution_view, update_answer};
use crate::error::ApiError;
use crate::faults;
use crate::model::{Execution, ViewContext};
use crate::store::ThingEvent;

/// A message the service sends the publisher of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub topic: String,
    pub payload: String,
}

/// What a publish is, as far as the Jobs API is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Not under `$aws/things/{thing}/jobs/`: ordinary publish/subscribe.
    Ordinary,
    /// A topic the service publishes on (`…/accepted`, `…/rejected`, `notify`, `notify-next`): not the client's to
    /// publish to (v5 PUBACK "not authorized"; dropped).
    Reserved,
    /// A request (or a Jobs topic that maps to no operation, or names a bad thing or job): the reply for the
    /// publisher only.
    Answered(Reply),
}

/// Epoch seconds, as every MQTT `timestamp` and time is written.
fn seconds(ms: i64) -> i64 {
    EpochTime::from_millis(Plane::Data, ms).whole_seconds()
}

/// Routes a publish on `topic`; a Jobs request is answered from the store.
pub fn route(app: &AppState, topic: &str, payload: &[u8]) -> Route {
    match JobsTopic::parse(topic) {
        Ok(None) => Route::Ordinary,
        Ok(Some(
            request @ JobsTopic::Operation {
                kind: TopicKind::Request,
                ..
            },
        )) => Route::Answered(answer(app, &request, payload)),
        Ok(Some(_)) => Route::Reserved,
        Err(error) => Route::Answered(refuse_topic(app, topic, &error, payload)),
    }
}

/// A topic under `$aws/things/{thing}/jobs/` that is not a request: `InvalidTopic` (no such operation) or
/// `InvalidRequest` (a bad thing name or job id), on `{topic}/rejected`.
fn refuse_topic(app: &AppState, topic: &str, error: &TopicError, payload: &[u8]) -> Reply {
    let rejection = Rejection::new(error.code(), error.to_string(), client_token(payload));
    Reply {
        topic: format!("{topic}/rejected"),
        payload: rejection.to_payload(seconds(app.store.clock.now_ms())),
    }
}

/// The reply to a request published on `request`'s topic.
fn answer(app: &AppState, request: &JobsTopic, payload: &[u8]) -> Reply {
    let result = match request {
        JobsTopic::Operation {
            thing, operation, ..
        } => run(app, thing, operation, payload),
        JobsTopic::Notify { .. } | JobsTopic::NotifyNext { .. } => Err(Rejection::new(
            ErrorCode::InvalidTopic,
            format!("{request} is published by the service, not to it"),
            client_token(payload),
        )),
    };
    let now = seconds(app.store.clock.now_ms());
    let (kind, payload) = match result {
        Ok(payload) => (TopicKind::Accepted, payload),
        Err(rejection) => (TopicKind::Rejected, rejection.to_payload(now)),
    };
    Reply {
        topic: request
            .with_kind(kind)
            .map_or_else(String::new, |t| t.to_string()),
        payload,
    }
}

/// Runs a request: its payload read by the core, the faults rolled, the store asked.
fn run(
    app: &AppState,
    thing: &ThingName,
    operation: &JobsOperation,
    payload: &[u8],
) -> Result<String, Rejection> {
    let (token, request) = JobsRequest::parse(operation, payload)?;
    if let Some(fault) = faults::roll(app) {
        return Err(fault.to_mqtt_rejection(token));
    }
    let thing = thing.as_str();
    let now = || seconds(app.store.clock.now_ms());
    let view = |e: &Execution, include_document: bool| {
        execution_view(app, e, Plane::Data, include_document)
    };
    let refuse = |error: ApiError, token: Option<String>| error.to_mqtt_rejection(token);
    match (request, operation) {
        (JobsRequest::GetPending, _) => {
            let (in_progress, queued) = app
                .store
                .pending(thing)
                .map_err(|e| refuse(e.into(), token.clone()))?;
            let summaries =
                |list: Vec<Execution>| list.iter().map(|e| e.summary(Plane::Data)).collect();
            let pending = PendingJobExecutions {
                in_progress_jobs: summaries(in_progress),
                queued_jobs: summaries(queued),
            };
            Ok(pending_accepted(token.as_deref(), now(), &pending))
        }
        (JobsRequest::StartNext(input), _) => {
            let started = app
                .store
                .start_next(thing, input)
                .map_err(|e| refuse(e.into(), token.clone()))?;
            let execution = started.as_ref().map(|e| view(e, true));
            Ok(execution_accepted(
                token.as_deref(),
                now(),
                execution.as_ref(),
            ))
        }
        (
            JobsRequest::Describe {
                execution_number,
                include_job_document,
            },
            JobsOperation::Describe(target),
        ) => {
            let found = app
                .store
                .describe_execution(thing, target, execution_number, true)
                .map_err(|e| refuse(e.into(), token.clone()))?;
            let execution = found
                .as_ref()
                .map(|e| view(e, include_job_document.unwrap_or(true)));
            Ok(execution_accepted(
                token.as_deref(),
                now(),
                execution.as_ref(),
            ))
        }
        (JobsRequest::Update(input), JobsOperation::Update(job)) => {
            match app.store.update_execution(thing, job.as_str(), &input) {
                Ok(updated) => Ok(update_accepted(
                    token.as_deref(),
                    now(),
                    &update_answer(app, &updated, &input),
                )),
                Err(error) => {
                    let mut rejection = refuse(error.into(), token);
                    // InvalidStateTransition and VersionMismatch carry where the execution is now.
                    if matches!(
                        rejection.code,
                        ErrorCode::InvalidStateTransition | ErrorCode::VersionMismatch
                    ) && let Ok(Some(current)) = app.store.describe_execution(
                        thing,
                        &JobTarget::Id(job.clone()),
                        input.execution_number,
                        false,
                    ) {
                        rejection.execution_state = Some(Box::new(current.state()));
                    }
                    Err(rejection)
                }
            }
        }
        // The core reads each operation's payload into that operation's request.
        (JobsRequest::Describe { .. } | JobsRequest::Update(_), _) => Err(Rejection::new(
            ErrorCode::InternalError,
            "the request does not match its topic's operation",
            token,
        )),
    }
}

/// A store event as the message the service publishes: `notify` with the pending lists, or `notify-next` with the
/// execution `$next` names now (and its job document). `None` for a thing name no topic can carry.
pub fn notification(event: &ThingEvent) -> Option<(String, String)> {
    match event {
        ThingEvent::Pending {
            thing,
            in_progress,
            queued,
            at_ms,
        } => {
            let topic = JobsTopic::Notify {
                thing: ThingName::parse(thing).ok()?,
            };
            let summaries =
                |list: &[Execution]| list.iter().map(|e| e.summary(Plane::Data)).collect();
            let pending = PendingJobExecutions {
                in_progress_jobs: summaries(in_progress),
                queued_jobs: summaries(queued),
            };
            Some((topic.to_string(), notify(seconds(*at_ms), &pending)))
        }
        ThingEvent::Next {
            thing,
            next,
            document,
            at_ms,
        } => {
            let topic = JobsTopic::NotifyNext {
                thing: ThingName::parse(thing).ok()?,
            };
            let execution = next.as_ref().map(|e| {
                e.to_job_execution(
                    Plane::Data,
                    ViewContext {
                        thing_arn: String::new(),
                        job_document: document.clone(),
                        now_ms: *at_ms,
                    },
                )
            });
            Some((
                topic.to_string(),
                notify_next(seconds(*at_ms), execution.as_ref()),
            ))
        }
    }
}
