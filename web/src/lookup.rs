//! One lookup from start to finish: sign (AWS mode), send, decode with the core, retry what is retryable with
//! backoff, and report progress. Run by the page's describe task, which cancels it by dropping it.

use jobscope::codec::mqtt::MqttMessage;
use jobscope::codec::{PendingJobExecutions, UpdateJobExecutionResponse};
use jobscope::sigv4::{Credentials, SigningError, presign_mqtt_url};
use jobscope::{DescribeOutcome, ErrorCode, Plane, ServiceError, Warning};
use leptos::prelude::*;

use crate::api::{self, Fetched};
use crate::clock;
use crate::form::{Route, Target};
use crate::mqtt;

/// Where a shown result came from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    Network,
    /// Looked up over MQTT: the topic the request was published to.
    Mqtt {
        topic: String,
    },
    Pasted,
    /// A pasted MQTT message, and the topic it arrived on.
    PastedMqtt {
        topic: String,
    },
}

/// What a lookup came to.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// What came back, decoded by the core: the execution, nothing pending, or an error (the service's, or the
    /// transport's when nothing came back).
    Decoded(Result<DescribeOutcome, ServiceError>),
    /// An MQTT pending list (`notify`, GetPendingJobExecutions accepted), with the core's warnings.
    Pending {
        pending: PendingJobExecutions,
        warnings: Vec<Warning>,
    },
    /// An MQTT UpdateJobExecution accepted: the execution's state after the update, with the core's warnings.
    Updated {
        answer: UpdateJobExecutionResponse,
        warnings: Vec<Warning>,
    },
    /// A problem in this page: nothing was sent, or nothing could be checked.
    Local(LocalError),
}

impl Outcome {
    /// A decoded MQTT message: an execution or "nothing pending" (or a rejection) reads as an HTTP answer does.
    pub fn from_mqtt(message: Result<MqttMessage, ServiceError>) -> Outcome {
        match message {
            Ok(MqttMessage::Execution(outcome)) => Outcome::Decoded(Ok(outcome)),
            Ok(MqttMessage::Pending { pending, warnings }) => {
                Outcome::Pending { pending, warnings }
            }
            Ok(MqttMessage::Updated { answer, warnings }) => Outcome::Updated { answer, warnings },
            Err(error) => Outcome::Decoded(Err(error)),
        }
    }
}

/// A problem in this page, not an answer from a service.
#[derive(Clone, Debug, PartialEq)]
pub enum LocalError {
    /// The core's signer refused the signing input (region, credentials), so nothing was sent. Not AWS's
    /// InvalidSignatureException, which is the service refusing a signature it received.
    NotSigned(SigningError),
    /// A pasted status that is not an HTTP status (as typed).
    NotAStatus(String),
}

impl LocalError {
    pub fn title(&self) -> &'static str {
        match self {
            LocalError::NotSigned(_) => "Not sent: the request could not be signed",
            LocalError::NotAStatus(_) => "Not checked: that is not an HTTP status",
        }
    }

    pub fn message(&self) -> String {
        match self {
            LocalError::NotSigned(error) => error.to_string(),
            LocalError::NotAStatus(text) => format!("{text:?} is not a number from 100 to 599"),
        }
    }

    pub fn advice(&self) -> &'static str {
        match self {
            LocalError::NotSigned(_) => {
                "The SigV4 signer in this page refused the signing input, so nothing left the browser and no \
                 service answered: this is not an AWS error. Enter the endpoint's region (e.g. eu-west-1), an access \
                 key id and a secret access key, then describe again."
            }
            LocalError::NotAStatus(_) => {
                "Enter the status code the response came with, e.g. 200 or 404; then check it again."
            }
        }
    }
}

/// One finished lookup (or checked paste).
#[derive(Clone, Debug, PartialEq)]
pub struct Lookup {
    pub plane: Plane,
    pub url: String,
    pub outcome: Outcome,
    pub raw: Option<Fetched>,
    /// Epoch milliseconds when it arrived (the timeout countdown runs from here).
    pub received_at_ms: i64,
    pub attempts: u32,
    pub source: Source,
}

impl Lookup {
    pub fn pasted(plane: Plane, outcome: Outcome, raw: Option<Fetched>) -> Lookup {
        Lookup {
            plane,
            url: String::new(),
            outcome,
            raw,
            received_at_ms: clock::now_ms(),
            attempts: 1,
            source: Source::Pasted,
        }
    }

    /// A pasted MQTT message on `topic`, as the core read it (MQTT is the data plane's).
    pub fn pasted_mqtt(topic: String, message: Result<MqttMessage, ServiceError>) -> Lookup {
        Lookup {
            source: Source::PastedMqtt { topic },
            ..Lookup::pasted(Plane::Data, Outcome::from_mqtt(message), None)
        }
    }

    pub fn job_id(&self) -> Option<String> {
        match &self.outcome {
            Outcome::Decoded(Ok(DescribeOutcome::Execution { execution, .. })) => {
                execution.job_id.clone()
            }
            _ => None,
        }
    }
}

/// What a running lookup is doing.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    Idle,
    Loading {
        attempt: u32,
    },
    Waiting {
        next_attempt: u32,
        wait_ms: u32,
        reason: String,
    },
}

/// AWS mode: what the request is signed with. Lives only as long as the lookup.
#[derive(Clone, Debug, PartialEq)]
pub struct Signing {
    pub credentials: Credentials,
    pub region: String,
}

/// A lookup to run: the validated form, and in AWS mode how to sign it.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub target: Target,
    pub signing: Option<Signing>,
}

/// Runs a lookup to its end, reporting progress in `progress` (`Idle` again when it ends). Each attempt is signed
/// afresh (a retry gets a new `x-amz-date`, or a newly presigned WebSocket URL): over HTTP for the endpoint the
/// request is addressed to, sent to `send_to` (the endpoint, or a same-origin forwarding proxy that keeps path, query
/// and signature headers); over MQTT on a WebSocket of its own, closed when the attempt ends.
pub async fn run(plan: Plan, progress: RwSignal<Phase>) -> Lookup {
    let Target {
        request,
        route,
        timeout_ms,
    } = plan.target;
    let plane = request.plane();
    // What the result names: the URL over HTTP; over MQTT the topic published to (never a signed URL).
    let shown = match &route {
        Route::Http { send_to, .. } => request.to_http(Some(send_to)).url,
        Route::Mqtt { .. } => request.to_mqtt().map(|m| m.topic).unwrap_or_default(),
    };
    let source = match &route {
        Route::Http { .. } => Source::Network,
        Route::Mqtt { .. } => Source::Mqtt {
            topic: shown.clone(),
        },
    };
    let finish = |outcome, raw, attempts| {
        progress.set(Phase::Idle);
        Lookup {
            plane,
            url: shown.clone(),
            outcome,
            raw,
            received_at_ms: clock::now_ms(),
            attempts,
            source: source.clone(),
        }
    };
    let mut attempt = 1;
    loop {
        progress.set(Phase::Loading { attempt });
        let (outcome, raw) = match &route {
            Route::Http { endpoint, send_to } => {
                let http = request.to_http(Some(send_to));
                let mut headers = http.headers.clone();
                if let Some(Signing {
                    credentials,
                    region,
                }) = &plan.signing
                {
                    match request.sign(endpoint, credentials, region, clock::now_seconds()) {
                        Ok(signed) => headers.extend(signed.headers),
                        Err(error) => {
                            return finish(
                                Outcome::Local(LocalError::NotSigned(error)),
                                None,
                                attempt,
                            );
                        }
                    }
                }
                match api::get(&http.url, &headers, timeout_ms).await {
                    Ok(fetched) => (
                        Outcome::Decoded(request.decode_response(
                            fetched.status,
                            &fetched.headers,
                            &fetched.body,
                        )),
                        Some(fetched),
                    ),
                    Err(error) => (Outcome::Decoded(Err(error)), None),
                }
            }
            Route::Mqtt {
                endpoint,
                subprotocol,
            } => {
                let url = match &plan.signing {
                    Some(Signing {
                        credentials,
                        region,
                    }) => {
                        match presign_mqtt_url(endpoint, credentials, region, clock::now_seconds())
                        {
                            Ok(url) => url,
                            Err(error) => {
                                return finish(
                                    Outcome::Local(LocalError::NotSigned(error)),
                                    None,
                                    attempt,
                                );
                            }
                        }
                    }
                    None => endpoint.clone(),
                };
                let token = mqtt::random_token("jobscope-");
                let answer = mqtt::describe(&url, *subprotocol, &request, &token, timeout_ms).await;
                (Outcome::from_mqtt(answer), None)
            }
        };
        let retry = match &outcome {
            Outcome::Decoded(Err(error)) if error.retryable() && attempt < api::MAX_ATTEMPTS => {
                error
            }
            _ => return finish(outcome, raw, attempt),
        };
        let wait = api::backoff_ms(attempt);
        let reason = if matches!(
            retry.code,
            ErrorCode::ThrottlingException | ErrorCode::RequestThrottled
        ) {
            "throttled".to_owned()
        } else {
            retry.explanation().title.to_ascii_lowercase()
        };
        attempt += 1;
        progress.set(Phase::Waiting {
            next_attempt: attempt,
            wait_ms: wait,
            reason,
        });
        api::sleep(wait).await;
    }
}

#[cfg(test)]
mod tests {
    use jobscope::codec::mqtt::decode_message;

    use super::*;

    fn read(topic: &str, payload: &str) -> Outcome {
        Outcome::from_mqtt(decode_message(topic, payload.as_bytes(), None, None))
    }

    #[test]
    fn mqtt_messages_read_as_http_answers_or_as_their_own_kinds() {
        let things = "$aws/things/t/jobs";
        assert!(matches!(
            read(
                &format!("{things}/j/get/accepted"),
                r#"{"execution":{"jobId":"j"}}"#
            ),
            Outcome::Decoded(Ok(DescribeOutcome::Execution { .. }))
        ));
        assert!(matches!(
            read(
                &format!("{things}/$next/get/accepted"),
                r#"{"timestamp":1}"#
            ),
            Outcome::Decoded(Ok(DescribeOutcome::NothingPending { .. }))
        ));
        let Outcome::Decoded(Err(error)) = read(
            &format!("{things}/j/update/rejected"),
            r#"{"code":"VersionMismatch","message":"no","executionState":{"versionNumber":5}}"#,
        ) else {
            panic!("a rejection is an error");
        };
        assert_eq!(error.code, ErrorCode::VersionMismatch);
        assert_eq!(
            error.execution_state.and_then(|s| s.version_number),
            Some(5)
        );
        let Outcome::Pending { pending, .. } = read(
            &format!("{things}/notify"),
            r#"{"jobs":{"QUEUED":[{"jobId":"a"}]}}"#,
        ) else {
            panic!("notify is a pending list");
        };
        assert_eq!(pending.queued_jobs[0].job_id.as_deref(), Some("a"));
        assert!(matches!(
            read(
                &format!("{things}/j/update/accepted"),
                r#"{"executionState":{"status":"SUCCEEDED"}}"#
            ),
            Outcome::Updated { .. }
        ));
    }
}
