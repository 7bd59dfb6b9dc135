//! The encode fixtures (`fixtures/encode.json`, read by the core's own tests too) against the EMULATOR: each
//! execution and summary value is stored in an emulator, fetched through its real routes, and the body must be the
//! fixture's wire form byte for byte; each error case is produced through requests and must have the fixture's
//! status and headers, with a body the core's decoder reads as that error.
//!
//! Executions: DescribeJobExecution on the fixture's plane (`$next` for the "nothing pending" case). Summaries:
//! GetPendingJobExecutions (data plane); ListJobExecutionsForThing and ListJobExecutionsForJob (control plane).
//! The clock is manual, so `approximateSecondsBeforeTimedOut` is exact, and the account is the one the fixtures'
//! ARNs name (the emulator's default, `--account-id 123456789012 --region us-east-1`).

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use jobscope::codec::headers;
use jobscope::{ErrorCode, JobExecutionStatus, ServiceError};
use jobscope_emulator::{
    Account, AppState, Clock, Config, Execution, Faults, Job, Store, Thing, app,
};
use serde_json::Value;

mod support;
use support::{Reply, Stalled, send};

const ENCODE: &str = include_str!("../../../fixtures/encode.json");

fn cases(kind: &str) -> Vec<Value> {
    let doc: Value = serde_json::from_str(ENCODE).expect("fixture file is JSON");
    let cases: Vec<Value> = doc["cases"]
        .as_array()
        .expect("cases array")
        .iter()
        .filter(|c| c["kind"] == kind)
        .cloned()
        .collect();
    assert!(!cases.is_empty(), "no {kind} cases");
    cases
}

/// The account the fixtures' ARNs name; also `jobscope-emulator`'s default.
fn account() -> Account {
    Account {
        account_id: "123456789012".into(),
        region: "us-east-1".into(),
    }
}

impl Reply {
    fn text(&self) -> &str {
        std::str::from_utf8(&self.body).expect("UTF-8 body")
    }
}

async fn call(app: &Router, method: &str, uri: &str, body: Option<&str>) -> Reply {
    let mut request = Request::builder().method(method).uri(uri);
    if body.is_some() {
        request = request.header(headers::CONTENT_TYPE, headers::JSON);
    }
    let body = body.map_or(Body::empty(), |b| Body::from(b.to_owned()));
    send(app, request.body(body).unwrap()).await
}

fn string(value: &Value, key: &str) -> Option<String> {
    value[key].as_str().map(str::to_owned)
}

/// The thing a fixture value names: `thingName`, or the name in its `thingArn` (which must be this account's).
fn thing_of(value: &Value) -> String {
    if let Some(name) = string(value, "thingName") {
        return name;
    }
    let arn = value["thingArn"].as_str().expect("thingName or thingArn");
    account()
        .thing_of_arn(arn)
        .unwrap_or_else(|| panic!("{arn} is not an ARN of the emulator's account"))
        .to_owned()
}

/// The fixture's value as the emulator stores it (times in epoch milliseconds), with its thing and job; the
/// execution's timer runs out `approximateSecondsBeforeTimedOut` seconds after `now_ms`.
fn records(value: &Value, now_ms: i64) -> (Thing, Job, Execution) {
    let thing = thing_of(value);
    let job_id = string(value, "jobId").expect("jobId");
    let ms = |key: &str| value[key].as_i64();
    let mut execution = Execution::queued(
        &thing,
        &job_id,
        ms("executionNumber").expect("executionNumber"),
        ms("queuedAtMs").expect("queuedAtMs"),
        value["retryAttempt"].as_i64().unwrap_or(0),
    );
    execution.status = JobExecutionStatus::from(value["status"].as_str().expect("status"));
    execution.force_canceled = value["forceCanceled"].as_bool().unwrap_or(false);
    execution.status_details = value["statusDetails"]
        .as_array()
        .map(|pairs| {
            pairs
                .iter()
                .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
                .collect()
        })
        .unwrap_or_default();
    execution.started_at_ms = ms("startedAtMs");
    execution.last_updated_at_ms = ms("lastUpdatedAtMs").expect("lastUpdatedAtMs");
    execution.version = ms("versionNumber").expect("versionNumber");
    execution.in_progress_deadline_ms = value["approximateSecondsBeforeTimedOut"]
        .as_i64()
        .map(|seconds| now_ms + seconds * 1000);
    let job = Job {
        document: string(value, "jobDocument"),
        targets: vec![account().thing_arn(&thing)],
        ..Job::in_progress(&job_id, execution.queued_at_ms)
    };
    let thing = Thing {
        name: thing.clone(),
        thing_id: format!("id-{thing}"),
        attributes: Default::default(),
        version: 1,
    };
    (thing, job, execution)
}

/// An emulator holding `value`'s records, its clock a second after the execution's last update.
fn emulator_with(value: Option<&Value>, config: Config) -> Router {
    let now_ms = value
        .and_then(|v| v["lastUpdatedAtMs"].as_i64())
        .map_or(1_700_000_000_000, |ms| ms + 1000);
    let store = Store::in_memory(account(), Clock::manual(now_ms));
    if let Some(value) = value {
        let (thing, job, execution) = records(value, now_ms);
        store.seed(vec![thing], vec![job], vec![execution]).unwrap();
    }
    app(AppState::new(store, config))
}

fn prefix(case: &Value) -> &'static str {
    match case["plane"].as_str().unwrap() {
        "data" => "/data",
        "control" => "/control",
        other => panic!("plane {other}"),
    }
}

#[tokio::test]
async fn describe_job_execution_answers_the_fixture_wire() {
    for case in cases("execution") {
        let name = case["name"].as_str().unwrap();
        let wire = case["wire"].as_str().unwrap();
        let value = (!case["value"].is_null()).then_some(&case["value"]);
        let app = emulator_with(value, Config::default());
        let uri = match value {
            Some(value) => format!(
                "{}/things/{}/jobs/{}?executionNumber={}",
                prefix(&case),
                jobscope::encode_label(&thing_of(value)),
                value["jobId"].as_str().unwrap(),
                value["executionNumber"]
            ),
            // Nothing pending: `$next` on a thing without executions.
            None => format!("{}/things/t/jobs/%24next", prefix(&case)),
        };
        let reply = call(&app, "GET", &uri, None).await;
        assert_eq!(reply.status, 200, "{name}: {}", reply.text());
        assert_eq!(reply.text(), wire, "{name}");
        assert_eq!(
            headers::find(&reply.headers, headers::CONTENT_TYPE),
            Some(headers::JSON),
            "{name}"
        );
    }
}

#[tokio::test]
async fn list_operations_answer_the_fixture_summaries() {
    for case in cases("summary") {
        let name = case["name"].as_str().unwrap();
        let value = &case["value"];
        let wire = case["wire"].as_str().unwrap();
        let app = emulator_with(Some(value), Config::default());
        let thing = thing_of(value);
        let job = value["jobId"].as_str().unwrap();
        // Each list's body around the summary is the list shape of the model; the summary must be the fixture's,
        // byte for byte.
        let expected: Vec<(String, String)> = match case["plane"].as_str().unwrap() {
            "data" => {
                let list = match value["status"].as_str().unwrap() {
                    "IN_PROGRESS" => "inProgressJobs",
                    "QUEUED" => "queuedJobs",
                    other => panic!("{name}: a pending summary cannot be {other}"),
                };
                let other = if list == "queuedJobs" {
                    "inProgressJobs"
                } else {
                    "queuedJobs"
                };
                let body = if list == "inProgressJobs" {
                    format!(r#"{{"{list}":[{wire}],"{other}":[]}}"#)
                } else {
                    format!(r#"{{"{other}":[],"{list}":[{wire}]}}"#)
                };
                vec![(format!("/data/things/{thing}/jobs"), body)]
            }
            _ => vec![
                (
                    format!("/control/things/{thing}/jobs"),
                    format!(
                        r#"{{"executionSummaries":[{{"jobId":"{job}","jobExecutionSummary":{wire}}}]}}"#
                    ),
                ),
                (
                    format!("/control/jobs/{job}/things"),
                    format!(
                        r#"{{"executionSummaries":[{{"thingArn":"{}","jobExecutionSummary":{wire}}}]}}"#,
                        account().thing_arn(&thing)
                    ),
                ),
            ],
        };
        for (uri, body) in expected {
            let reply = call(&app, "GET", &uri, None).await;
            assert_eq!(reply.status, 200, "{name}: {uri}: {}", reply.text());
            assert_eq!(reply.text(), body, "{name}: {uri}");
        }
    }
}

/// Makes the emulator answer with the error `code` on the fixture case's plane, through requests.
async fn produce(case: &Value, code: &str) -> Reply {
    let on = prefix(case);
    let faulty = |faults: Faults| Config {
        faults,
        ..Config::default()
    };
    match code {
        "ThrottlingException" => {
            let app = emulator_with(
                None,
                faulty(Faults {
                    throttle_rate: 1.0,
                    ..Faults::default()
                }),
            );
            call(&app, "GET", &format!("{on}/things/t/jobs/j"), None).await
        }
        "ServiceUnavailableException" => {
            let app = emulator_with(
                None,
                faulty(Faults {
                    unavailable_rate: 1.0,
                    ..Faults::default()
                }),
            );
            call(&app, "GET", &format!("{on}/things/t/jobs/j"), None).await
        }
        "TerminalStateException" => {
            let app = emulator_with(None, Config::default());
            create(&app, "t", "j").await;
            let done = call(
                &app,
                "POST",
                "/data/things/t/jobs/j",
                Some(r#"{"status":"SUCCEEDED"}"#),
            )
            .await;
            assert_eq!(done.status, 200);
            call(&app, "GET", &format!("{on}/things/t/jobs/j"), None).await
        }
        "ResourceNotFoundException" => {
            let app = emulator_with(None, Config::default());
            call(&app, "GET", &format!("{on}/things/t/jobs/j"), None).await
        }
        "InvalidRequestException" => {
            let app = emulator_with(None, Config::default());
            call(&app, "GET", &format!("{on}/things/bad%20name/jobs/j"), None).await
        }
        "InvalidStateTransitionException" => {
            // A stale expectedVersion on UpdateJobExecution: the data-plane model's error for it.
            let app = emulator_with(None, Config::default());
            create(&app, "t", "j").await;
            call(
                &app,
                "POST",
                &format!("{on}/things/t/jobs/j"),
                Some(r#"{"status":"IN_PROGRESS","expectedVersion":2}"#),
            )
            .await
        }
        "VersionConflictException" => {
            // A stale expectedVersion on CancelJobExecution.
            let app = emulator_with(None, Config::default());
            create(&app, "t", "j").await;
            call(
                &app,
                "PUT",
                &format!("{on}/things/t/jobs/j/cancel"),
                Some(r#"{"expectedVersion":2}"#),
            )
            .await
        }
        "RequestTimeoutException" => {
            // A body that stalls past the request deadline (tokio's paused clock moves to it at once).
            let app = emulator_with(
                None,
                Config {
                    request_timeout: Duration::from_secs(10),
                    ..Config::default()
                },
            );
            let request = Request::builder()
                .method("POST")
                .uri(format!("{on}/things/t/jobs/j"))
                .header(headers::CONTENT_TYPE, headers::JSON)
                .body(Body::new(Stalled))
                .unwrap();
            send(&app, request).await
        }
        other => panic!("the emulator has no way to produce {other}; add one here"),
    }
}

/// A thing `thing` and a job `job` targeting it (one QUEUED execution, version 1), through the control plane.
async fn create(app: &Router, thing: &str, job: &str) {
    assert_eq!(
        call(app, "POST", &format!("/control/things/{thing}"), Some("{}"))
            .await
            .status,
        200
    );
    let body = format!(r#"{{"targets":["{}"]}}"#, account().thing_arn(thing));
    let reply = call(app, "PUT", &format!("/control/jobs/{job}"), Some(&body)).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
}

/// Every fixture error the emulator can produce, produced through requests.
///
/// The emulator's messages are its own (they name the thing, the job and the versions: "expectedVersion 2 does
/// not match the current version 1 of job execution j for thing t.", not the fixture's "version 2 expected, 3
/// stored"; the injected throttling payload is `{"reason":"injected"}`, not the fixture's `hello`; the request id
/// is the emulator's, not `r-1`). So the status and the headers are compared with the fixture's exactly, and the
/// body is checked with the core's decoder: it must read as the fixture's error type with a message, and be
/// exactly what the core encodes for that decoded error.
#[tokio::test(start_paused = true)]
async fn errors_answer_the_fixture_status_headers_and_shape() {
    for case in cases("error") {
        let name = case["name"].as_str().unwrap();
        let code = case["value"]["code"].as_str().unwrap();
        let wire = &case["wire"];
        let reply = produce(&case, code).await;

        assert_eq!(
            u64::from(reply.status),
            wire["status"].as_u64().unwrap(),
            "{name}: {}",
            reply.text()
        );
        for (header, value) in wire["headers"].as_object().unwrap() {
            let sent = headers::find(&reply.headers, header);
            if header.eq_ignore_ascii_case(headers::REQUEST_ID) {
                // Every answer carries the emulator's own request id.
                assert!(sent.is_some_and(|id| !id.is_empty()), "{name}: {header}");
            } else {
                assert_eq!(sent, value.as_str(), "{name}: {header}");
            }
        }
        assert!(
            headers::find(&reply.headers, headers::REQUEST_ID).is_some(),
            "{name}: a request id"
        );

        let decoded = ServiceError::from_http(reply.status, &reply.headers, &reply.body);
        assert_eq!(decoded.code, ErrorCode::from_name(code), "{name}");
        assert_eq!(
            u64::from(decoded.http_status),
            wire["status"].as_u64().unwrap()
        );
        assert!(
            decoded.message.as_deref().is_some_and(|m| !m.is_empty()),
            "{name}: a message"
        );
        assert_eq!(
            decoded.payload.is_some(),
            case["value"]["payload"].is_string(),
            "{name}: a payload exactly where the fixture has one"
        );
        if decoded.payload.is_some() {
            assert_eq!(decoded.payload.as_deref(), Some(r#"{"reason":"injected"}"#));
        }
        assert_eq!(
            reply.text(),
            decoded.to_http().body,
            "{name}: the core's encoding"
        );
    }
}
