//! Oneshot tests per route, the lifecycle, errors (decoded with the core crate, as a client would), durability
//! across a restart, racing updates, and one real-socket round trip.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use jobscope::{
    DescribeJobExecutionInput, DescribeOutcome, ErrorCode, JobExecutionStatus, Plane,
    decode_response,
};
use jobscope_emulator::{Account, AppState, Clock, Config, Store, app, demo};
use serde_json::{Value, json};
use tower::ServiceExt;

mod support;
use support::{Reply, send};

fn account() -> Account {
    Account {
        account_id: "123456789012".into(),
        region: "eu-west-1".into(),
    }
}

fn arn(thing: &str) -> String {
    format!("arn:aws:iot:eu-west-1:123456789012:thing/{thing}")
}

/// 2023-11-14T22:13:20Z: every test's clock starts here and moves only when a test moves it.
const START_MS: i64 = 1_700_000_000_000;

fn emulator() -> (Router, Clock) {
    let clock = Clock::manual(START_MS);
    let store = Store::in_memory(account(), clock.clone());
    (app(AppState::new(store, Config::default())), clock)
}

impl Reply {
    fn json(&self) -> Value {
        if self.body.is_empty() {
            json!({})
        } else {
            serde_json::from_slice(&self.body).unwrap()
        }
    }

    fn error_type(&self) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == "x-amzn-errortype")
            .map(|(_, v)| v.as_str())
    }

    /// Decodes a DescribeJobExecution reply with the core crate, as jobscope clients do.
    fn decode(&self, plane: Plane) -> Result<DescribeOutcome, jobscope::ServiceError> {
        decode_response(plane, None, self.status, &self.headers, &self.body)
    }
}

async fn call(app: &Router, method: &str, uri: &str, body: Option<Value>) -> Reply {
    let mut request = Request::builder().method(method).uri(uri);
    if body.is_some() {
        request = request.header("content-type", "application/json");
    }
    let body = body.map_or(Body::empty(), |b| Body::from(b.to_string()));
    send(app, request.body(body).unwrap()).await
}

async fn setup(app: &Router, things: &[&str], job: &str, extra: Value) {
    for thing in things {
        assert_eq!(
            call(
                app,
                "POST",
                &format!("/things/{}", encode(thing)),
                Some(json!({}))
            )
            .await
            .status,
            200
        );
    }
    let mut body = json!({ "targets": things.iter().map(|t| arn(t)).collect::<Vec<_>>(), "document": "{\"op\":\"x\"}" });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let reply = call(app, "PUT", &format!("/jobs/{job}"), Some(body)).await;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
}

fn encode(label: &str) -> String {
    jobscope::encode_label(label)
}

#[tokio::test]
async fn registry_routes() {
    let (app, _) = emulator();
    let created = call(
        &app,
        "POST",
        "/things/my%3Athing",
        Some(json!({"attributePayload": {"attributes": {"a": "1"}}})),
    )
    .await;
    assert_eq!(created.status, 200);
    assert_eq!(created.json()["thingArn"], arn("my:thing"));
    let again = call(
        &app,
        "POST",
        "/things/my%3Athing",
        Some(json!({"attributePayload": {"attributes": {"a": "2"}}})),
    )
    .await;
    assert_eq!(again.error_type(), Some("ResourceAlreadyExistsException"));
    assert_eq!(again.status, 409);
    let described = call(&app, "GET", "/things/my%3Athing", None).await.json();
    assert_eq!(described["thingName"], "my:thing");
    assert_eq!(described["attributes"], json!({"a": "1"}));
    assert_eq!(described["thingId"], created.json()["thingId"]);
    for i in 0..3 {
        call(&app, "POST", &format!("/things/t{i}"), None).await;
    }
    let page = call(&app, "GET", "/things?maxResults=2", None).await.json();
    assert_eq!(page["things"].as_array().unwrap().len(), 2);
    let rest = call(
        &app,
        "GET",
        &format!(
            "/things?maxResults=2&nextToken={}",
            page["nextToken"].as_str().unwrap()
        ),
        None,
    )
    .await
    .json();
    assert_eq!(rest["things"].as_array().unwrap().len(), 2);
    assert!(rest.get("nextToken").is_none());
    assert_eq!(call(&app, "DELETE", "/things/t0", None).await.status, 200);
    assert_eq!(
        call(&app, "GET", "/things/t0", None).await.error_type(),
        Some("ResourceNotFoundException")
    );
    assert_eq!(
        call(&app, "GET", "/things?maxResults=0", None)
            .await
            .error_type(),
        Some("InvalidRequestException")
    );
}

#[tokio::test]
async fn jobs_target_existing_things_only() {
    let (app, _) = emulator();
    let missing = call(
        &app,
        "PUT",
        "/jobs/j1",
        Some(json!({"targets": [arn("ghost")]})),
    )
    .await;
    assert_eq!(
        (missing.status, missing.error_type()),
        (404, Some("ResourceNotFoundException"))
    );
    let foreign = call(
        &app,
        "PUT",
        "/jobs/j1",
        Some(json!({"targets": ["arn:aws:iot:us-east-1:999999999999:thing/x"]})),
    )
    .await;
    assert_eq!(foreign.error_type(), Some("InvalidRequestException"));
    let empty = call(&app, "PUT", "/jobs/j1", Some(json!({"targets": []}))).await;
    assert_eq!(empty.error_type(), Some("InvalidRequestException"));
    setup(&app, &["t"], "j1", json!({"description": "d"})).await;
    let dup = call(
        &app,
        "PUT",
        "/jobs/j1",
        Some(json!({"targets": [arn("t")]})),
    )
    .await;
    assert_eq!(
        (dup.status, dup.error_type()),
        (409, Some("ResourceAlreadyExistsException"))
    );
    let job = call(&app, "GET", "/jobs/j1", None).await.json();
    assert_eq!(
        job["job"]["jobArn"],
        "arn:aws:iot:eu-west-1:123456789012:job/j1"
    );
    assert_eq!(job["job"]["jobProcessDetails"]["numberOfQueuedThings"], 1);
    assert_eq!(job["job"]["status"], "IN_PROGRESS");
}

#[tokio::test]
async fn device_lifecycle_on_both_planes() {
    let (app, clock) = emulator();
    setup(&app, &["dev-1"], "fw", json!({})).await;

    // Data plane: QUEUED, with the document by default.
    let queued = call(&app, "GET", "/things/dev-1/jobs/fw", None).await;
    let DescribeOutcome::Execution {
        execution,
        warnings,
    } = queued.decode(Plane::Data).unwrap()
    else {
        panic!()
    };
    assert_eq!(execution.status, Some(JobExecutionStatus::Queued));
    assert_eq!(execution.job_document.as_deref(), Some("{\"op\":\"x\"}"));
    assert_eq!(
        (execution.version_number, execution.execution_number),
        (Some(1), Some(1))
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    let no_doc = call(
        &app,
        "GET",
        "/things/dev-1/jobs/fw?includeJobDocument=false",
        None,
    )
    .await
    .json();
    assert!(no_doc["execution"].get("jobDocument").is_none());

    // GetPendingJobExecutions, StartNextPendingJobExecution.
    let pending = call(&app, "GET", "/things/dev-1/jobs", None).await.json();
    assert_eq!(pending["queuedJobs"][0]["jobId"], "fw");
    let started = call(
        &app,
        "PUT",
        "/things/dev-1/jobs/%24next",
        Some(json!({"statusDetails": {"step": "1"}, "stepTimeoutInMinutes": 5})),
    )
    .await;
    let started = started.json();
    assert_eq!(started["execution"]["status"], "IN_PROGRESS");
    assert_eq!(started["execution"]["versionNumber"], 2);
    assert_eq!(
        started["execution"]["approximateSecondsBeforeTimedOut"],
        300
    );
    // The countdown is whole seconds, rounded up: exact under the manual clock.
    clock.advance_ms(1_500);
    let running = call(&app, "GET", "/things/dev-1/jobs/fw", None)
        .await
        .json();
    assert_eq!(
        running["execution"]["approximateSecondsBeforeTimedOut"],
        299
    );
    assert_eq!(running["execution"]["startedAt"], START_MS / 1000);

    // UpdateJobExecution with expectedVersion; the state and document on request.
    let updated = call(&app, "POST", "/things/dev-1/jobs/fw", Some(json!({
        "status": "IN_PROGRESS", "statusDetails": {"step": "2", "progress": "50"}, "expectedVersion": 2,
        "includeJobExecutionState": true, "includeJobDocument": true,
    }))).await.json();
    assert_eq!(
        updated["executionState"],
        json!({"status": "IN_PROGRESS", "statusDetails": {"step": "2", "progress": "50"}, "versionNumber": 3})
    );
    assert_eq!(updated["jobDocument"], "{\"op\":\"x\"}");
    let stale = call(
        &app,
        "POST",
        "/things/dev-1/jobs/fw",
        Some(json!({"status": "SUCCEEDED", "expectedVersion": 2})),
    )
    .await;
    assert_eq!(
        (stale.status, stale.error_type()),
        (409, Some("InvalidStateTransitionException"))
    );

    // $next returns it first; the control plane has the ARN and the wrapped details.
    let next = call(&app, "GET", "/things/dev-1/jobs/%24next", None)
        .await
        .json();
    assert_eq!(
        next["execution"]["statusDetails"],
        json!({"step": "2", "progress": "50"})
    );
    let control = call(&app, "GET", "/control/things/dev-1/jobs/fw", None).await;
    let DescribeOutcome::Execution {
        execution,
        warnings,
    } = control.decode(Plane::Control).unwrap()
    else {
        panic!()
    };
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(execution.thing_arn.as_deref(), Some(arn("dev-1").as_str()));
    assert_eq!(execution.force_canceled, Some(false));
    assert_eq!(
        control.json()["execution"]["statusDetails"],
        json!({"detailsMap": {"step": "2", "progress": "50"}})
    );

    // Terminal: the data plane answers 410, the control plane still describes it.
    let done = call(
        &app,
        "POST",
        "/things/dev-1/jobs/fw",
        Some(json!({"status": "SUCCEEDED"})),
    )
    .await;
    assert_eq!(done.status, 200);
    let gone = call(&app, "GET", "/things/dev-1/jobs/fw", None).await;
    let error = gone.decode(Plane::Data).unwrap_err();
    assert_eq!(
        (error.code, error.http_status),
        (ErrorCode::TerminalStateException, 410)
    );
    assert!(error.request_id.is_some());
    let control = call(&app, "GET", "/control/things/dev-1/jobs/fw", None)
        .await
        .json();
    assert_eq!(control["execution"]["status"], "SUCCEEDED");
    assert!(
        control["execution"]
            .get("approximateSecondsBeforeTimedOut")
            .is_none()
    );
    let again = call(
        &app,
        "POST",
        "/things/dev-1/jobs/fw",
        Some(json!({"status": "IN_PROGRESS"})),
    )
    .await;
    assert_eq!(
        (again.status, again.error_type()),
        (409, Some("InvalidStateTransitionException"))
    );

    // Nothing pending any more.
    let none = call(&app, "GET", "/things/dev-1/jobs/%24next", None).await;
    assert!(matches!(
        none.decode(Plane::Data).unwrap(),
        DescribeOutcome::NothingPending { .. }
    ));
    assert_eq!(
        call(&app, "PUT", "/things/dev-1/jobs/%24next", None)
            .await
            .json(),
        json!({})
    );
    let job = call(&app, "GET", "/jobs/fw", None).await.json();
    assert_eq!(job["job"]["status"], "COMPLETED");
}

#[tokio::test]
async fn cancel_force_delete_and_timeouts() {
    let (app, clock) = emulator();
    setup(
        &app,
        &["a", "b", "c"],
        "j",
        json!({"timeoutConfig": {"inProgressTimeoutInMinutes": 10}}),
    )
    .await;
    for thing in ["a", "b", "c"] {
        call(&app, "PUT", &format!("/things/{thing}/jobs/%24next"), None).await;
    }
    // Without force an IN_PROGRESS execution cannot be canceled; with force it is forceCanceled.
    let refused = call(&app, "PUT", "/things/a/jobs/j/cancel", Some(json!({}))).await;
    assert_eq!(
        refused.error_type(),
        Some("InvalidStateTransitionException")
    );
    let conflict = call(
        &app,
        "PUT",
        "/things/a/jobs/j/cancel?force=true",
        Some(json!({"expectedVersion": 1})),
    )
    .await;
    assert_eq!(
        (conflict.status, conflict.error_type()),
        (409, Some("VersionConflictException"))
    );
    assert_eq!(
        call(
            &app,
            "PUT",
            "/things/a/jobs/j/cancel?force=true",
            Some(json!({"expectedVersion": 2}))
        )
        .await
        .status,
        200
    );
    let canceled = call(&app, "GET", "/control/things/a/jobs/j", None)
        .await
        .json();
    assert_eq!(
        (
            canceled["execution"]["status"].as_str(),
            canceled["execution"]["forceCanceled"].as_bool()
        ),
        (Some("CANCELED"), Some(true))
    );
    assert_eq!(canceled["execution"]["versionNumber"], 3);

    // The in-progress timer: the countdown, then TIMED_OUT.
    let running = call(&app, "GET", "/things/b/jobs/j", None).await.json();
    assert_eq!(
        running["execution"]["approximateSecondsBeforeTimedOut"],
        600
    );
    clock.advance_ms(601_000);
    let timed_out = call(&app, "GET", "/control/things/b/jobs/j", None)
        .await
        .json();
    assert_eq!(timed_out["execution"]["status"], "TIMED_OUT");
    assert!(
        timed_out["execution"]
            .get("approximateSecondsBeforeTimedOut")
            .is_none()
    );

    // DeleteJobExecution: only terminal ones without force.
    assert_eq!(
        call(&app, "DELETE", "/things/b/jobs/j/executionNumber/1", None)
            .await
            .status,
        200
    );
    assert_eq!(
        call(&app, "GET", "/control/things/b/jobs/j", None)
            .await
            .error_type(),
        Some("ResourceNotFoundException")
    );
    // c timed out too (same timer): force-delete is not needed, but an unknown number is 404.
    assert_eq!(
        call(&app, "DELETE", "/things/c/jobs/j/executionNumber/9", None)
            .await
            .status,
        404
    );

    // CancelJob with force cancels what is left.
    setup(&app, &["d", "e"], "k", json!({})).await;
    call(&app, "PUT", "/things/d/jobs/%24next", None).await;
    assert_eq!(
        call(
            &app,
            "PUT",
            "/jobs/k/cancel?force=true",
            Some(json!({"reasonCode": "ABORT", "comment": "stop"}))
        )
        .await
        .status,
        200
    );
    let list = call(&app, "GET", "/jobs/k/things", None).await.json();
    let statuses: Vec<_> = list["executionSummaries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["jobExecutionSummary"]["status"].clone())
        .collect();
    assert_eq!(statuses, [json!("CANCELED"), json!("CANCELED")]);
    let job = call(&app, "GET", "/jobs/k", None).await.json();
    assert_eq!(
        (
            job["job"]["status"].as_str(),
            job["job"]["forceCanceled"].as_bool()
        ),
        (Some("CANCELED"), Some(true))
    );
}

#[tokio::test]
async fn retries_create_new_execution_numbers() {
    let (app, _) = emulator();
    setup(&app, &["p"], "r", json!({"jobExecutionsRetryConfig": {"criteriaList": [{"failureType": "FAILED", "numberOfRetries": 1}]}})).await;
    call(
        &app,
        "POST",
        "/things/p/jobs/r",
        Some(json!({"status": "FAILED"})),
    )
    .await;
    let latest = call(&app, "GET", "/things/p/jobs/r", None).await.json();
    assert_eq!(
        (
            latest["execution"]["executionNumber"].as_i64(),
            latest["execution"]["status"].as_str()
        ),
        (Some(2), Some("QUEUED"))
    );
    let first = call(
        &app,
        "GET",
        "/control/things/p/jobs/r?executionNumber=1",
        None,
    )
    .await
    .json();
    assert_eq!(first["execution"]["status"], "FAILED");
    call(
        &app,
        "POST",
        "/things/p/jobs/r",
        Some(json!({"status": "FAILED"})),
    )
    .await;
    let list = call(&app, "GET", "/control/things/p/jobs", None)
        .await
        .json();
    assert_eq!(
        list["executionSummaries"].as_array().unwrap().len(),
        2,
        "only one retry allowed"
    );
}

#[tokio::test]
async fn validation_is_the_core_crates() {
    let (app, _) = emulator();
    let reply = call(
        &app,
        "GET",
        &format!(
            "/things/{}/jobs/%24next?executionNumber=1.5",
            "a".repeat(129)
        ),
        None,
    )
    .await;
    assert_eq!(
        (reply.status, reply.error_type()),
        (400, Some("InvalidRequestException"))
    );
    let expected = DescribeJobExecutionInput {
        thing_name: Some("a".repeat(129)),
        job_id: Some("$next".into()),
        execution_number: Some("1.5".into()),
        ..Default::default()
    }
    .validate()
    .unwrap_err()
    .to_string();
    assert_eq!(reply.json()["message"], expected);
    let next_on_control = call(&app, "GET", "/control/things/t/jobs/%24next", None).await;
    assert!(
        next_on_control.json()["message"]
            .as_str()
            .unwrap()
            .contains("$next is only supported on the data plane")
    );
    let bad_json = call(&app, "POST", "/things/t/jobs/j", None).await;
    assert_eq!(bad_json.json()["message"], "status: is required");
    let bad_details = call(
        &app,
        "POST",
        "/things/t/jobs/j",
        Some(json!({"status": "IN_PROGRESS", "statusDetails": {"bad key": ""}})),
    )
    .await;
    assert_eq!(bad_details.error_type(), Some("InvalidRequestException"));
    let bad_status = call(
        &app,
        "POST",
        "/things/t/jobs/j",
        Some(json!({"status": "CANCELED"})),
    )
    .await;
    assert!(
        bad_status.json()["message"]
            .as_str()
            .unwrap()
            .contains("cannot be set by UpdateJobExecution")
    );
    let unknown = call(&app, "GET", "/nope", None).await;
    assert_eq!(
        (unknown.status, unknown.error_type()),
        (404, Some("UnknownOperationException"))
    );
    for (method, path) in [
        ("PATCH", "/jobs/x"),
        ("PATCH", "/data/jobs/x"),
        ("PATCH", "/control/jobs/x"),
        ("DELETE", "/control/things/t/jobs/j"),
        ("PUT", "/things/t/jobs/j"),
    ] {
        let reply = call(&app, method, path, None).await;
        assert_eq!(
            (reply.status, reply.error_type()),
            (404, Some("UnknownOperationException")),
            "{method} {path}"
        );
    }
}

#[tokio::test]
async fn malformed_bodies_and_sizes_get_aws_shaped_errors() {
    let (app, _) = emulator();
    let request = Request::builder()
        .method("PUT")
        .uri("/jobs/j")
        .body(Body::from("{not json"))
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        response.headers()["x-amzn-errortype"],
        "InvalidRequestException"
    );
    let huge = "x".repeat(300 * 1024);
    let request = Request::builder()
        .method("PUT")
        .uri("/jobs/j")
        .body(Body::from(huge))
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        response.headers()["x-amzn-errortype"],
        "RequestEntityTooLargeException"
    );
    let bad_utf8 = call(&app, "GET", "/things/%FF/jobs/j", None).await;
    assert_eq!(bad_utf8.error_type(), Some("InvalidRequestException"));
}

#[tokio::test]
async fn plane_from_credential_scope_and_host() {
    let (app, _) = emulator();
    setup(&app, &["t"], "j", json!({})).await;
    let signed = |service: &str| {
        Request::builder()
            .uri("/things/t/jobs/j")
            .header("authorization", format!("AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/{service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=0"))
            .body(Body::empty())
            .unwrap()
    };
    let control = send(&app, signed("iot")).await.body;
    assert!(String::from_utf8_lossy(&control).contains("thingArn"));
    let data = send(&app, signed("iot-jobs-data")).await.body;
    assert!(String::from_utf8_lossy(&data).contains("thingName"));
    let by_host = Request::builder()
        .uri("/things/t/jobs/j")
        .header("host", "iot.eu-west-1.amazonaws.com")
        .body(Body::empty())
        .unwrap();
    let body = send(&app, by_host).await.body;
    assert!(String::from_utf8_lossy(&body).contains("thingArn"));
}

#[tokio::test]
async fn fault_injection() {
    let store = Store::in_memory(account(), Clock::default());
    let mut config = Config::default();
    config.faults.throttle_rate = 1.0;
    let app = app(AppState::new(store, config));
    let reply = call(&app, "GET", "/things/t/jobs/j", None).await;
    let error = reply.decode(Plane::Data).unwrap_err();
    assert_eq!(
        (error.code.clone(), error.http_status, error.retryable()),
        (ErrorCode::ThrottlingException, 429, true)
    );
    assert_eq!(error.payload.as_deref(), Some("{\"reason\":\"injected\"}"));
    let control = call(&app, "GET", "/control/things/t/jobs/j", None).await;
    assert_eq!(
        control.status, 400,
        "the control plane's model gives ThrottlingException 400"
    );
    assert_eq!(
        call(&app, "GET", "/_emulator/health", None).await.status,
        200,
        "admin routes are never faulted"
    );
}

/// The emulator's clock ends at 9999-12-31T23:59:59Z; the clock route refuses advances past it (and negative or
/// fractional ones) with a 400 that gives the range, and leaves the clock where it was. Before, an advance of
/// 9223372036854775 s overflowed the clock: it ran backwards in release builds and panicked in debug builds.
#[tokio::test]
async fn the_clock_route_refuses_advances_out_of_its_range() {
    let (app, clock) = emulator();
    setup(&app, &["t"], "j", json!({})).await;
    let max = (Clock::MAX_MS - START_MS) / 1000;
    assert_eq!(max, 251_702_300_799);
    let range = format!(
        "advanceSeconds: must be a whole number of seconds from 0 to {max} (the emulator's clock ends at 9999-12-31T23:59:59Z)"
    );
    for (body, message) in [
        (
            json!({"advanceSeconds": 9_223_372_036_854_775_i64}),
            format!("{range}, got 9223372036854775"),
        ),
        (
            json!({"advanceSeconds": max + 1}),
            format!("{range}, got {}", max + 1),
        ),
        (json!({"advanceSeconds": -1}), format!("{range}, got -1")),
        (json!({"advanceSeconds": 1.5}), range.clone()),
        (json!({"advanceSeconds": u64::MAX}), range.clone()),
        (json!({}), format!("{range}; it is required")),
    ] {
        let reply = call(&app, "POST", "/_emulator/clock", Some(body.clone())).await;
        assert_eq!(
            (reply.status, reply.error_type()),
            (400, Some("InvalidRequestException")),
            "{body}"
        );
        assert_eq!(reply.json()["message"], message.as_str(), "{body}");
        assert_eq!(clock.now_ms(), START_MS, "{body}: the clock did not move");
    }
    // The service keeps answering, at the same time.
    let described = call(&app, "GET", "/things/t/jobs/j", None).await.json();
    assert_eq!(described["execution"]["queuedAt"], START_MS / 1000);

    let moved = call(
        &app,
        "POST",
        "/_emulator/clock",
        Some(json!({"advanceSeconds": 90})),
    )
    .await;
    assert_eq!(moved.status, 200);
    assert_eq!(moved.json()["nowMs"], START_MS + 90_000);
    // The whole range is usable: the last second is accepted, and the clock then stands at its end.
    let last = call(
        &app,
        "POST",
        "/_emulator/clock",
        Some(json!({"advanceSeconds": max - 90})),
    )
    .await;
    assert_eq!(last.status, 200, "{}", String::from_utf8_lossy(&last.body));
    assert_eq!(last.json()["nowMs"], START_MS + max * 1000);
    assert_eq!(
        call(
            &app,
            "POST",
            "/_emulator/clock",
            Some(json!({"advanceSeconds": 1}))
        )
        .await
        .status,
        400,
        "nothing left"
    );
    assert_eq!(
        call(
            &app,
            "POST",
            "/_emulator/clock",
            Some(json!({"advanceSeconds": 0}))
        )
        .await
        .status,
        200
    );
    assert_eq!(
        call(&app, "GET", "/things/t/jobs/j", None).await.status,
        200
    );
}

static DIRS: AtomicUsize = AtomicUsize::new(0);

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "jobscope-emulator-test-{}-{}",
        std::process::id(),
        DIRS.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[tokio::test]
async fn a_restart_loses_nothing_acknowledged() {
    let dir = temp_dir();
    {
        let store = Store::open(&dir, account(), Clock::default()).unwrap();
        let app = app(AppState::new(store, Config::default()));
        setup(&app, &["t1", "t2"], "job", json!({})).await;
        call(
            &app,
            "POST",
            "/things/t1/jobs/job",
            Some(json!({"status": "IN_PROGRESS", "statusDetails": {"z": "1", "a": "2"}})),
        )
        .await;
        call(
            &app,
            "POST",
            "/things/t2/jobs/job",
            Some(json!({"status": "SUCCEEDED"})),
        )
        .await;
    }
    let store = Store::open(&dir, account(), Clock::default()).unwrap();
    let app = app(AppState::new(store, Config::default()));
    let t1 = call(&app, "GET", "/things/t1/jobs/job", None).await;
    assert_eq!(
        String::from_utf8_lossy(&t1.body)
            .matches("\"z\":\"1\",\"a\":\"2\"")
            .count(),
        1,
        "details kept in order"
    );
    assert_eq!(t1.json()["execution"]["versionNumber"], 2);
    let t2 = call(&app, "GET", "/control/things/t2/jobs/job", None)
        .await
        .json();
    assert_eq!(t2["execution"]["status"], "SUCCEEDED");
    // Numbering continues after a restart.
    call(
        &app,
        "DELETE",
        "/things/t2/jobs/job/executionNumber/1",
        None,
    )
    .await;
    assert_eq!(call(&app, "GET", "/things/t2", None).await.status, 200);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn exactly_one_of_racing_updates_wins() {
    let dir = temp_dir();
    let store = Store::open(&dir, account(), Clock::default()).unwrap();
    let app = app(AppState::new(store, Config::default()));
    setup(&app, &["race"], "j", json!({})).await;
    let mut tasks = Vec::new();
    for i in 0..16 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            call(&app, "POST", "/things/race/jobs/j", Some(json!({"status": "IN_PROGRESS", "expectedVersion": 1, "statusDetails": {"winner": i.to_string()}}))).await.status
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 15);
    let state = call(&app, "GET", "/things/race/jobs/j", None).await.json();
    assert_eq!(state["execution"]["versionNumber"], 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn demo_fleet_covers_every_status() {
    let store = Store::in_memory(account(), Clock::default());
    assert!(demo::seed(&store).unwrap());
    assert!(
        !demo::seed(&store).unwrap(),
        "seeding twice changes nothing"
    );
    let app = app(AppState::new(store, Config::default()));
    let mut seen = std::collections::BTreeSet::new();
    let things = call(&app, "GET", "/things", None).await.json();
    for thing in things["things"].as_array().unwrap() {
        let name = thing["thingName"].as_str().unwrap();
        let list = call(
            &app,
            "GET",
            &format!("/control/things/{}/jobs", encode(name)),
            None,
        )
        .await
        .json();
        for summary in list["executionSummaries"].as_array().unwrap() {
            seen.insert(
                summary["jobExecutionSummary"]["status"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
        }
    }
    let all: std::collections::BTreeSet<String> = JobExecutionStatus::KNOWN
        .iter()
        .map(|s| s.as_str().to_owned())
        .collect();
    assert_eq!(seen, all);
    let gateway = call(
        &app,
        "GET",
        &format!("/things/{}/jobs/%24next", demo::DEMO_THING),
        None,
    )
    .await;
    let DescribeOutcome::Execution {
        execution,
        warnings,
    } = gateway.decode(Plane::Data).unwrap()
    else {
        panic!()
    };
    assert_eq!(execution.status, Some(JobExecutionStatus::InProgress));
    assert!(warnings.is_empty(), "{warnings:?}");
    let pump = call(
        &app,
        "GET",
        "/control/things/pump-station-7/jobs?jobId=firmware-update-2024-06-15-batch-017",
        None,
    )
    .await
    .json();
    assert_eq!(pump["executionSummaries"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn serves_a_real_socket() {
    let store = Store::in_memory(account(), Clock::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let app = app(AppState::new(store, Config::default()));
        jobscope_emulator::serve(listener, app, Default::default(), std::future::pending())
            .await
            .unwrap();
    });
    let text = tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        stream
            .write_all(
                b"GET /things/t/jobs/j HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n",
            )
            .unwrap();
        let mut text = String::new();
        stream.read_to_string(&mut text).unwrap();
        text
    })
    .await
    .unwrap();
    assert!(text.starts_with("HTTP/1.1 404"), "{text}");
    assert!(
        text.to_ascii_lowercase()
            .contains("x-amzn-errortype: resourcenotfoundexception")
    );
    server.abort();
}

#[tokio::test]
async fn sigv4_mode_accepts_our_signatures_and_rejects_bad_ones() {
    use jobscope::sigv4::{Credentials, sign_url};
    let clock = Clock::default();
    let store = Store::in_memory(account(), clock.clone());
    demo::seed(&store).unwrap();
    let mut keys = jobscope_emulator::AccessKeys::default();
    keys.add("AKIDJOBSCOPE:s3cr3t/key").unwrap();
    let config = Config {
        access_keys: Some(keys),
        ..Config::default()
    };
    let app = app(AppState::new(store, config));
    let path = format!(
        "/things/{}/jobs/%24next?includeJobDocument=false",
        demo::DEMO_THING
    );
    let send = |credentials: Option<Credentials>, service: &'static str, skew: i64| {
        let app = app.clone();
        let path = path.clone();
        let now = clock.now_ms() / 1000 + skew;
        async move {
            let mut request = Request::builder()
                .uri(path.as_str())
                .header("host", "127.0.0.1:9090");
            if let Some(credentials) = credentials {
                let url = format!("http://127.0.0.1:9090{path}");
                for (name, value) in sign_url("GET", &url, &credentials, "eu-west-1", service, now)
                    .unwrap()
                    .headers
                {
                    request = request.header(name, value);
                }
            }
            let response = app
                .oneshot(request.body(Body::empty()).unwrap())
                .await
                .unwrap();
            let status = response.status().as_u16();
            let kind = response
                .headers()
                .get("x-amzn-errortype")
                .map(|v| v.to_str().unwrap().to_owned());
            let body = response.into_body().collect().await.unwrap().to_bytes();
            (status, kind, String::from_utf8_lossy(&body).into_owned())
        }
    };
    let good = Credentials {
        access_key_id: "AKIDJOBSCOPE".into(),
        secret_access_key: "s3cr3t/key".into(),
        session_token: None,
    };
    let (status, _, body) = send(Some(good.clone()), "iot-jobs-data", 0).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("\"thingName\""),
        "the credential scope chose the data plane"
    );
    let (_, _, body) = send(Some(good.clone()), "iot", 0).await;
    assert!(
        body.contains("InvalidRequestException")
            || body.contains("only supported on the data plane"),
        "iot scope → control plane: {body}"
    );
    let wrong_secret = Credentials {
        secret_access_key: "wrong".into(),
        ..good.clone()
    };
    assert_eq!(
        send(Some(wrong_secret), "iot-jobs-data", 0)
            .await
            .1
            .as_deref(),
        Some("InvalidSignatureException")
    );
    let unknown = Credentials {
        access_key_id: "AKIDNOBODY".into(),
        ..good.clone()
    };
    let (status, kind, _) = send(Some(unknown), "iot-jobs-data", 0).await;
    assert_eq!(
        (status, kind.as_deref()),
        (403, Some("UnrecognizedClientException"))
    );
    let (status, kind, _) = send(None, "iot-jobs-data", 0).await;
    assert_eq!(
        (status, kind.as_deref()),
        (403, Some("MissingAuthenticationTokenException"))
    );
    let (_, kind, body) = send(Some(good.clone()), "iot-jobs-data", 301).await;
    assert_eq!(kind.as_deref(), Some("InvalidSignatureException"), "{body}");
    assert!(body.contains("5 minutes"));
    assert_eq!(
        send(Some(good), "iot-jobs-data", -290).await.0,
        200,
        "within the allowed skew"
    );
}

/// 50 clients × 200 acknowledged updates with expectedVersion on one shared execution: every acknowledged update
/// gets its own version, the versions are consecutive, and the final state has them all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrency_soak_versions_are_consecutive() {
    let (app, _) = emulator();
    setup(&app, &["shared"], "soak", json!({})).await;
    let mut clients = Vec::new();
    for client in 0..50 {
        let app = app.clone();
        clients.push(tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            while acknowledged.len() < 200 {
                let current = call(&app, "GET", "/control/things/shared/jobs/soak", None).await.json();
                let version = current["execution"]["versionNumber"].as_i64().unwrap();
                let reply = call(&app, "POST", "/things/shared/jobs/soak", Some(json!({
                    "status": "IN_PROGRESS", "expectedVersion": version, "includeJobExecutionState": true,
                    "statusDetails": {"client": client.to_string(), "n": acknowledged.len().to_string()},
                }))).await;
                match reply.status {
                    200 => {
                        let version = reply.json()["executionState"]["versionNumber"].as_i64().unwrap();
                        acknowledged.push((version, client, acknowledged.len()));
                    }
                    409 => assert_eq!(reply.error_type(), Some("InvalidStateTransitionException")),
                    other => panic!("unexpected status {other}"),
                }
            }
            acknowledged
        }));
    }
    let mut acknowledged = Vec::new();
    for client in clients {
        acknowledged.extend(client.await.unwrap());
    }
    acknowledged.sort_unstable();
    let versions: Vec<i64> = acknowledged
        .iter()
        .map(|&(version, _, _)| version)
        .collect();
    let expected: Vec<i64> = (2..=10_001).collect();
    assert_eq!(
        versions, expected,
        "10 000 acknowledged updates, versions 2..=10001, none lost or duplicated"
    );
    let last = call(&app, "GET", "/control/things/shared/jobs/soak", None)
        .await
        .json();
    assert_eq!(last["execution"]["versionNumber"], 10_001);
    // The stored state is the last acknowledged update's.
    let &(_, client, n) = acknowledged.last().unwrap();
    assert_eq!(
        last["execution"]["statusDetails"]["detailsMap"],
        json!({"client": client.to_string(), "n": n.to_string()})
    );
}
