//! Reading what arrives on a Jobs topic, with the same outcomes as HTTP: the execution with the same checks (a
//! JSON-object `jobDocument` is normal here; a `clientToken` that is not the request's is a warning), "nothing
//! pending", the pending lists, an update's state, or the rejection as a [`ServiceError`] with its explanation.

use super::topic::{JobsOperation, JobsTopic, TopicKind};
use crate::codec::json::{FromJson, JsonError, Reader};
use crate::codec::summary::PendingJobExecutions;
use crate::codec::update::{JobExecutionState, UpdateJobExecutionResponse};
use crate::error::{ErrorCode, ServiceError};
use crate::plane::Plane;
use crate::request::DescribeJobExecutionRequest;
use crate::response::{DescribeOutcome, Transport, decode_success};
use crate::warning::{Warning, WarningCode};
use crate::wire::WireDocument;

/// A decoded Jobs message.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum MqttMessage {
    /// DescribeJobExecution or StartNextPendingJobExecution accepted, or `notify-next`: the execution or nothing
    /// pending, with the checks' warnings.
    Execution(DescribeOutcome),
    /// GetPendingJobExecutions accepted, or `notify`: the thing's pending executions.
    Pending {
        /// The lists.
        pending: PendingJobExecutions,
        /// Problems found.
        warnings: Vec<Warning>,
    },
    /// UpdateJobExecution accepted.
    Updated {
        /// `executionState` and `jobDocument`, as requested.
        answer: UpdateJobExecutionResponse,
        /// Problems found.
        warnings: Vec<Warning>,
    },
}

impl MqttMessage {
    /// The warnings of any kind of message.
    pub fn warnings(&self) -> &[Warning] {
        match self {
            MqttMessage::Execution(outcome) => outcome.warnings(),
            MqttMessage::Pending { warnings, .. } | MqttMessage::Updated { warnings, .. } => {
                warnings
            }
        }
    }
}

fn malformed(message: impl Into<String>) -> ServiceError {
    ServiceError::new(ErrorCode::MalformedResponse, 0, message)
}

/// A rejection: `code`, `message` and (VersionMismatch, InvalidStateTransition) `executionState`.
#[derive(Default)]
struct RejectedPayload {
    code: Option<String>,
    message: Option<String>,
    execution_state: Option<JobExecutionState>,
}

impl FromJson for RejectedPayload {
    fn read(json: &mut Reader<'_>) -> Result<Self, JsonError> {
        let mut rejected = RejectedPayload::default();
        json.members("struct RejectedPayload", |json, key| {
            match key {
                "code" => rejected.code = FromJson::read(json)?,
                "message" => rejected.message = FromJson::read(json)?,
                "executionState" => rejected.execution_state = FromJson::read(json)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(rejected)
    }
}

/// A payload's `clientToken` as sent: a string, or any other value as its JSON text.
fn client_token_of(payload: &str) -> Option<WireDocument> {
    let mut token = None;
    let mut json = Reader::new(payload);
    json.members("an object", |json, key| {
        if key != "clientToken" {
            return Ok(false);
        }
        token = if json.null()? {
            None
        } else {
            Some(WireDocument::read(json)?)
        };
        Ok(true)
    })
    .ok()?;
    token
}

/// `notify`: `{"jobs": {"IN_PROGRESS": […], "QUEUED": […]}}`, either list or `jobs` itself may be absent.
fn read_notify(json: &mut Reader<'_>) -> Result<PendingJobExecutions, JsonError> {
    let mut pending = PendingJobExecutions::default();
    json.members("struct NotifyPayload", |json, key| {
        if key != "jobs" {
            return Ok(false);
        }
        if json.null()? {
            return Ok(true);
        }
        json.members("struct NotifyJobs", |json, key| {
            match key {
                "IN_PROGRESS" => pending.in_progress_jobs = FromJson::read(json)?,
                "QUEUED" => pending.queued_jobs = FromJson::read(json)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(true)
    })?;
    Ok(pending)
}

/// UpdateJobExecution accepted: `executionState` and a `jobDocument` that may be an object.
fn read_update(json: &mut Reader<'_>) -> Result<UpdateJobExecutionResponse, JsonError> {
    let mut answer = UpdateJobExecutionResponse::default();
    json.members("struct UpdatePayload", |json, key| {
        match key {
            "executionState" => answer.execution_state = FromJson::read(json)?,
            "jobDocument" => {
                answer.job_document = if json.null()? {
                    None
                } else {
                    Some(WireDocument::read(json)?.text)
                };
            }
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(answer)
}

/// Reads a whole payload with `read`.
fn whole<T>(
    payload: &str,
    read: impl FnOnce(&mut Reader<'_>) -> Result<T, JsonError>,
) -> Result<T, JsonError> {
    let mut json = Reader::new(payload);
    let value = read(&mut json)?;
    json.finish()?;
    Ok(value)
}

/// Reads a message that arrived on `topic`. `request` (a DescribeJobExecution, when that is what was sent) and
/// `client_token` (the one sent) drive the same checks as over HTTP.
///
/// ```
/// use jobscope::codec::mqtt::{MqttMessage, decode_message};
/// use jobscope::{DescribeOutcome, ErrorCode};
/// let topic = "$aws/things/t/jobs/$next/get/accepted";
/// let message = decode_message(topic, br#"{"clientToken":"c-1","timestamp":1700000000}"#, None, Some("c-1")).unwrap();
/// assert!(matches!(message, MqttMessage::Execution(DescribeOutcome::NothingPending { .. })));
///
/// let rejected = br#"{"code":"TerminalStateReached","message":"ended","clientToken":"c-1","timestamp":1}"#;
/// let error = decode_message("$aws/things/t/jobs/j/get/rejected", rejected, None, Some("c-1")).unwrap_err();
/// assert_eq!(error.code, ErrorCode::TerminalStateReached);
/// assert_eq!(error.explanation().title, "The execution has already ended");
/// ```
pub fn decode_message(
    topic: &str,
    payload: &[u8],
    request: Option<&DescribeJobExecutionRequest>,
    client_token: Option<&str>,
) -> Result<MqttMessage, ServiceError> {
    let parsed = JobsTopic::parse(topic)
        .map_err(|e| malformed(format!("topic: {e}")))?
        .ok_or_else(|| {
            malformed(format!(
                "topic: {topic} is not a Jobs topic ($aws/things/{{thingName}}/jobs/…)"
            ))
        })?;
    let mut topic_warnings = Vec::new();
    if let Some(request) = request
        && parsed.thing() != request.thing_name()
    {
        topic_warnings.push(Warning::new(
            "topic",
            WarningCode::RequestMismatch,
            format_args!(
                "names thing {}, but the request was for {}: this message is not the answer",
                parsed.thing(),
                request.thing_name()
            ),
        ));
    }
    let text = std::str::from_utf8(payload).map_err(|e| {
        malformed(format!(
            "the payload is not valid UTF-8 (first bad byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    if text.trim().is_empty() {
        return Err(malformed(
            "the payload is empty; a Jobs reply is a JSON object",
        ));
    }
    // Valid JSON of the wrong shape says so; only a syntax error is "not valid JSON".
    let unreadable = |what: &str, e: JsonError| {
        if e.is_data() {
            malformed(format!("the payload is not a {what}: {e}"))
        } else {
            malformed(format!("the payload is not valid JSON: {e}"))
        }
    };
    let token_warning = |warnings: &mut Vec<Warning>| {
        let Some(sent) = client_token else { return };
        let got = client_token_of(text);
        let got_string = got.as_ref().filter(|v| !v.was_json_value);
        if got_string.map(|v| v.text.as_str()) != Some(sent) {
            warnings.push(Warning::new(
                "clientToken",
                WarningCode::RequestMismatch,
                format_args!(
                    "is {}, but the request sent {}: this reply may answer another request",
                    got.map_or_else(|| "none".to_owned(), json_text),
                    crate::text::Quoted(sent)
                ),
            ));
        }
    };
    let (operation, kind) = match &parsed {
        JobsTopic::Notify { .. } => {
            let pending = whole(text, read_notify).map_err(|e| unreadable("notify message", e))?;
            return Ok(MqttMessage::Pending {
                pending,
                warnings: topic_warnings,
            });
        }
        JobsTopic::NotifyNext { .. } => {
            let outcome = decode_success(
                Plane::Data,
                None,
                0,
                payload,
                Transport::Mqtt { client_token: None },
            )?;
            return Ok(MqttMessage::Execution(with_warnings(
                outcome,
                topic_warnings,
            )));
        }
        JobsTopic::Operation {
            operation, kind, ..
        } => (operation, *kind),
    };
    match kind {
        TopicKind::Request => Err(malformed(format!(
            "topic: {topic} is a request topic; replies arrive on …/accepted and …/rejected"
        ))),
        TopicKind::Rejected => {
            let rejected = RejectedPayload::from_json(text)
                .map_err(|e| unreadable("rejection (ErrorResponse)", e))?;
            let code = rejected
                .code
                .as_deref()
                .map_or(ErrorCode::HttpError, ErrorCode::from_name);
            let mut error = ServiceError::new(
                code,
                0,
                rejected
                    .message
                    .unwrap_or_else(|| "rejected without a message".to_owned()),
            );
            if error.code == ErrorCode::HttpError {
                error.code = ErrorCode::MalformedResponse;
                error.message = Some("a rejection without a code".to_owned());
            }
            error.execution_state = rejected.execution_state.map(Box::new);
            Err(error)
        }
        TopicKind::Accepted => match operation {
            JobsOperation::Describe(_) | JobsOperation::StartNext => {
                let describe = matches!(operation, JobsOperation::Describe(_))
                    .then_some(request)
                    .flatten();
                let outcome = decode_success(
                    Plane::Data,
                    describe,
                    0,
                    payload,
                    Transport::Mqtt { client_token },
                )?;
                Ok(MqttMessage::Execution(with_warnings(
                    outcome,
                    topic_warnings,
                )))
            }
            JobsOperation::GetPending => {
                let mut warnings = topic_warnings;
                token_warning(&mut warnings);
                let pending = PendingJobExecutions::from_json(text)
                    .map_err(|e| malformed(format!("not a GetPendingJobExecutions reply: {e}")))?;
                Ok(MqttMessage::Pending { pending, warnings })
            }
            JobsOperation::Update(_) => {
                let mut warnings = topic_warnings;
                token_warning(&mut warnings);
                let answer = whole(text, read_update)
                    .map_err(|e| malformed(format!("not an UpdateJobExecution reply: {e}")))?;
                Ok(MqttMessage::Updated { answer, warnings })
            }
        },
    }
}

/// A member as JSON text: a string quoted, any other value as it was.
fn json_text(member: WireDocument) -> String {
    if member.was_json_value {
        return member.text;
    }
    let mut quoted = String::new();
    crate::codec::json::push_string(&mut quoted, &member.text);
    quoted
}

fn with_warnings(outcome: DescribeOutcome, mut extra: Vec<Warning>) -> DescribeOutcome {
    if extra.is_empty() {
        return outcome;
    }
    match outcome {
        DescribeOutcome::Execution {
            execution,
            mut warnings,
        } => {
            extra.append(&mut warnings);
            DescribeOutcome::Execution {
                execution,
                warnings: extra,
            }
        }
        DescribeOutcome::NothingPending { mut warnings } => {
            extra.append(&mut warnings);
            DescribeOutcome::NothingPending { warnings: extra }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An update's `jobDocument` is the same text as a describe's for the same document: in wire order.
    #[test]
    fn an_update_document_reads_as_a_describe_document() {
        let document = r#"{"z":1,"a":[true,null,1.5,"s\"q"],"m":{"y":{},"b":[]}}"#;
        let topic = "$aws/things/t/jobs/j/";
        let described = decode_message(
            &format!("{topic}get/accepted"),
            format!(r#"{{"execution":{{"jobId":"j","jobDocument":{document}}}}}"#).as_bytes(),
            None,
            None,
        );
        let Ok(MqttMessage::Execution(DescribeOutcome::Execution { execution, .. })) = described
        else {
            panic!("{described:?}")
        };
        assert_eq!(execution.job_document.as_deref(), Some(document));
        let updated = decode_message(
            &format!("{topic}update/accepted"),
            format!(r#"{{"jobDocument":{document}}}"#).as_bytes(),
            None,
            None,
        );
        let Ok(MqttMessage::Updated { answer, .. }) = updated else {
            panic!("{updated:?}")
        };
        assert_eq!(answer.job_document.as_deref(), Some(document));
    }

    /// A `clientToken` that is not the one sent is shown as its JSON text, whatever its type.
    #[test]
    fn another_client_token_is_shown_as_json() {
        for (token, shown) in [
            (r#""c-2""#, r#""c-2""#),
            (r#""a\"b""#, r#""a\"b""#),
            ("5", "5"),
            (r#"{"k":["c"]}"#, r#"{"k":["c"]}"#),
        ] {
            let payload =
                format!(r#"{{"clientToken":{token},"inProgressJobs":[],"queuedJobs":[]}}"#);
            let message = decode_message(
                "$aws/things/t/jobs/get/accepted",
                payload.as_bytes(),
                None,
                Some("c"),
            )
            .unwrap();
            let warnings = message.warnings();
            assert_eq!(warnings.len(), 1, "{token}");
            assert_eq!(warnings[0].field, "clientToken");
            assert!(
                warnings[0]
                    .message
                    .starts_with(&format!("clientToken: is {shown}, but the request sent ")),
                "{token}: {}",
                warnings[0].message
            );
        }
        let same = decode_message(
            "$aws/things/t/jobs/get/accepted",
            br#"{"clientToken":"c","inProgressJobs":[],"queuedJobs":[]}"#,
            None,
            Some("c"),
        )
        .unwrap();
        assert!(same.warnings().is_empty());
    }
}
