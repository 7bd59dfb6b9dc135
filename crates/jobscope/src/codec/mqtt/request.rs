//! Request payloads of the Jobs MQTT API, both directions: what a device publishes ([`JobsRequest::to_payload`]) and
//! what the service reads from it ([`JobsRequest::parse`]), with the rejection each bad payload gets.

use serde_json::Value;

use super::reply::Rejection;
use super::topic::JobsOperation;
use crate::codec::body::JsonBody;
use crate::codec::json::push_string;
use crate::codec::update::{StartNextPendingJobExecutionInput, UpdateJobExecutionInput};
use crate::error::ErrorCode;

/// A device's request, as its payload says.
#[derive(Debug, Clone, PartialEq)]
pub enum JobsRequest {
    /// GetPendingJobExecutions: no fields.
    GetPending,
    /// StartNextPendingJobExecution.
    StartNext(StartNextPendingJobExecutionInput),
    /// DescribeJobExecution.
    Describe {
        /// Which execution (the latest when absent).
        execution_number: Option<i64>,
        /// Whether to include the job document (default true).
        include_job_document: Option<bool>,
    },
    /// UpdateJobExecution.
    Update(UpdateJobExecutionInput),
}

impl JobsRequest {
    /// Reads the payload published to `operation`'s request topic. The `clientToken` comes back with the request,
    /// and with the rejection too whenever the payload was JSON enough to carry one.
    ///
    /// ```
    /// use jobscope::codec::mqtt::{JobsOperation, JobsRequest};
    /// use jobscope::JobTarget;
    /// let op = JobsOperation::Describe(JobTarget::Next);
    /// let (token, request) = JobsRequest::parse(&op, br#"{"clientToken":"c-1","includeJobDocument":false}"#).unwrap();
    /// assert_eq!(token.as_deref(), Some("c-1"));
    /// assert_eq!(request, JobsRequest::Describe { execution_number: None, include_job_document: Some(false) });
    /// let rejection = JobsRequest::parse(&op, b"{not json").unwrap_err();
    /// assert_eq!(rejection.code.as_str(), "InvalidJson");
    /// ```
    pub fn parse(
        operation: &JobsOperation,
        payload: &[u8],
    ) -> Result<(Option<String>, JobsRequest), Rejection> {
        let value: Value = match std::str::from_utf8(payload)
            .ok()
            .and_then(|text| serde_json::from_str(text).ok())
        {
            Some(value) => value,
            // An empty payload is no fields, as the SDKs send `{}` or nothing for GetPending.
            None if payload.iter().all(u8::is_ascii_whitespace) => {
                Value::Object(Default::default())
            }
            None => {
                return Err(Rejection::new(
                    ErrorCode::InvalidJson,
                    "the payload could not be read as UTF-8 JSON",
                    None,
                ));
            }
        };
        let Value::Object(map) = &value else {
            return Err(Rejection::new(
                ErrorCode::InvalidRequest,
                "the payload must be a JSON object",
                None,
            ));
        };
        let token = match map.get("clientToken") {
            None | Some(Value::Null) => None,
            Some(Value::String(token)) => Some(token.clone()),
            Some(_) => {
                return Err(Rejection::new(
                    ErrorCode::InvalidRequest,
                    "clientToken: must be a string",
                    None,
                ));
            }
        };
        let invalid = |e: crate::codec::RequestError| {
            Rejection::new(ErrorCode::InvalidRequest, e.to_string(), token.clone())
        };
        let bytes = payload;
        let request = match operation {
            JobsOperation::GetPending => JobsRequest::GetPending,
            JobsOperation::StartNext => JobsRequest::StartNext(
                StartNextPendingJobExecutionInput::from_json(bytes).map_err(invalid)?,
            ),
            JobsOperation::Describe(_) => {
                let body = JsonBody::parse(bytes).map_err(invalid)?;
                JobsRequest::Describe {
                    execution_number: body.long("executionNumber").map_err(invalid)?,
                    include_job_document: body.bool("includeJobDocument").map_err(invalid)?,
                }
            }
            JobsOperation::Update(_) => {
                JobsRequest::Update(UpdateJobExecutionInput::from_json(bytes).map_err(invalid)?)
            }
        };
        Ok((token, request))
    }
}

/// The `clientToken` of a request payload, when it is a JSON object with a string `clientToken` — what a rejection
/// echoes when the topic itself is refused (`InvalidTopic`, a bad thing name), before any operation reads the payload.
///
/// ```
/// use jobscope::codec::mqtt::client_token;
/// assert_eq!(client_token(br#"{"clientToken":"c-1","x":1}"#).as_deref(), Some("c-1"));
/// assert_eq!(client_token(b"{not json"), None);
/// assert_eq!(client_token(br#"{"clientToken":5}"#), None);
/// ```
pub fn client_token(payload: &[u8]) -> Option<String> {
    let mut json = crate::codec::json::Reader::new(std::str::from_utf8(payload).ok()?);
    let mut token = None;
    json.members("an object", |json, key| {
        if key != "clientToken" {
            return Ok(false);
        }
        token = crate::wire::lenient(json)?;
        Ok(true)
    })
    .ok()?;
    json.finish().ok()?;
    token
}

/// A Describe request's payload: `{"clientToken":…,"executionNumber":…,"includeJobDocument":…}` with only the fields
/// set (the order the SDKs write them in).
///
/// ```
/// let payload = jobscope::codec::mqtt::describe_payload(Some("c-1"), Some(5), Some(false));
/// assert_eq!(payload, r#"{"clientToken":"c-1","executionNumber":5,"includeJobDocument":false}"#);
/// ```
pub fn describe_payload(
    client_token: Option<&str>,
    execution_number: Option<i64>,
    include_job_document: Option<bool>,
) -> String {
    let mut payload = String::from("{");
    let separate = |payload: &mut String| {
        if payload.len() > 1 {
            payload.push(',');
        }
    };
    if let Some(token) = client_token {
        separate(&mut payload);
        payload.push_str("\"clientToken\":");
        push_string(&mut payload, token);
    }
    if let Some(number) = execution_number {
        separate(&mut payload);
        payload.push_str("\"executionNumber\":");
        payload.push_str(&number.to_string());
    }
    if let Some(include) = include_job_document {
        separate(&mut payload);
        payload.push_str(if include {
            "\"includeJobDocument\":true"
        } else {
            "\"includeJobDocument\":false"
        });
    }
    payload.push('}');
    payload
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{JobId, JobTarget};

    #[test]
    fn payload_rejections_say_what_is_wrong() {
        let describe = JobsOperation::Describe(JobTarget::Next);
        let update = JobsOperation::Update(JobId::parse("j").unwrap());
        let cases: [(&JobsOperation, &[u8], &str, &str); 6] = [
            (
                &describe,
                b"\xff",
                "InvalidJson",
                "the payload could not be read as UTF-8 JSON",
            ),
            (
                &describe,
                b"[1]",
                "InvalidRequest",
                "the payload must be a JSON object",
            ),
            (
                &describe,
                br#"{"clientToken":5}"#,
                "InvalidRequest",
                "clientToken: must be a string",
            ),
            (
                &describe,
                br#"{"clientToken":"c","executionNumber":"5"}"#,
                "InvalidRequest",
                "executionNumber: must be a whole number",
            ),
            (
                &update,
                br#"{"clientToken":"c"}"#,
                "InvalidRequest",
                "status: is required",
            ),
            (
                &update,
                br#"{"clientToken":"c","status":"SUCCEEDED","statusDetails":{"k":""}}"#,
                "InvalidRequest",
                "statusDetails.k: ",
            ),
        ];
        for (operation, payload, code, message) in cases {
            let rejection = JobsRequest::parse(operation, payload).unwrap_err();
            assert_eq!(rejection.code.as_str(), code, "{message}");
            assert!(
                rejection.message.starts_with(message),
                "{}",
                rejection.message
            );
            if message.contains('"') || payload.starts_with(br#"{"clientToken":"c""#) {
                assert_eq!(rejection.client_token.as_deref(), Some("c"));
            }
        }
    }

    #[test]
    fn empty_payload_is_no_fields() {
        assert_eq!(
            JobsRequest::parse(&JobsOperation::GetPending, b"").unwrap(),
            (None, JobsRequest::GetPending)
        );
    }

    #[test]
    fn describe_payload_reads_back() {
        let payload = describe_payload(Some("tok\"en"), Some(9_007_199_254_740_993), None);
        let (token, request) = JobsRequest::parse(
            &JobsOperation::Describe(JobTarget::Next),
            payload.as_bytes(),
        )
        .unwrap();
        assert_eq!(token.as_deref(), Some("tok\"en"));
        assert_eq!(
            request,
            JobsRequest::Describe {
                execution_number: Some(9_007_199_254_740_993),
                include_job_document: None
            }
        );
    }
}
