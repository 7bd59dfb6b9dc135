//! The encode fixtures (`fixtures/encode.json`): each value encodes to its exact wire form, and the wire form decodes
//! back to the value — executions and summaries per plane, and service errors. Run natively and under
//! wasm-bindgen-test in headless Chromium; the emulator's tests read the same file.

use jobscope::codec::json::FromJson;
use jobscope::codec::{JobExecutionSummary, encode_describe_body};
use jobscope::{
    DescribeOutcome, EpochTime, ErrorCode, JobExecution, JobExecutionStatus, Plane, ServiceError,
    StatusDetails, WarningCode, decode_response,
};
use serde_json::Value;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

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

fn plane(case: &Value) -> Plane {
    case["plane"].as_str().unwrap().parse().unwrap()
}

fn string(value: &Value, key: &str) -> Option<String> {
    value[key].as_str().map(str::to_owned)
}

fn time(plane: Plane, value: &Value, key: &str) -> Option<EpochTime> {
    value[key]
        .as_i64()
        .map(|ms| EpochTime::from_millis(plane, ms))
}

/// The fixture's value as the core's model (times given in epoch milliseconds).
fn execution(plane: Plane, value: &Value) -> JobExecution {
    JobExecution {
        plane,
        job_id: string(value, "jobId"),
        thing_name: string(value, "thingName"),
        thing_arn: string(value, "thingArn"),
        status: value["status"].as_str().map(JobExecutionStatus::from),
        force_canceled: value["forceCanceled"].as_bool(),
        status_details: value["statusDetails"].as_array().map(|pairs| {
            StatusDetails(
                pairs
                    .iter()
                    .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
                    .collect(),
            )
        }),
        queued_at: time(plane, value, "queuedAtMs"),
        started_at: time(plane, value, "startedAtMs"),
        last_updated_at: time(plane, value, "lastUpdatedAtMs"),
        approximate_seconds_before_timed_out: value["approximateSecondsBeforeTimedOut"].as_i64(),
        version_number: value["versionNumber"].as_i64(),
        execution_number: value["executionNumber"].as_i64(),
        job_document: string(value, "jobDocument"),
    }
}

#[test]
fn executions_encode_to_the_fixture_and_decode_back() {
    for case in cases("execution") {
        let name = case["name"].as_str().unwrap();
        let plane = plane(&case);
        let wire = case["wire"].as_str().unwrap();
        let value = (!case["value"].is_null()).then(|| execution(plane, &case["value"]));
        assert_eq!(encode_describe_body(value.as_ref()), wire, "{name}");
        match (
            decode_response::<&str>(plane, None, 200, &[], wire.as_bytes()),
            value,
        ) {
            (
                Ok(DescribeOutcome::Execution {
                    execution,
                    warnings,
                }),
                Some(value),
            ) => {
                assert_eq!(execution, value, "{name}");
                // Only what the value itself calls for: a long above 2^53 is flagged for JavaScript readers.
                assert!(
                    warnings.iter().all(|w| w.code == WarningCode::Precision),
                    "{name}: {warnings:?}"
                );
            }
            (Ok(DescribeOutcome::NothingPending { .. }), None) => {}
            (other, _) => panic!("{name}: {other:?}"),
        }
    }
}

#[test]
fn summaries_encode_to_the_fixture_and_decode_back() {
    for case in cases("summary") {
        let name = case["name"].as_str().unwrap();
        let plane = plane(&case);
        let mut summary = execution(plane, &case["value"]).summary();
        summary.retry_attempt = case["value"]["retryAttempt"].as_i64();
        let wire = case["wire"].as_str().unwrap();
        assert_eq!(serde_json::to_string(&summary).unwrap(), wire, "{name}");
        assert_eq!(
            JobExecutionSummary::from_json(wire).unwrap(),
            summary,
            "{name}"
        );
    }
}

#[test]
fn errors_encode_to_the_fixture_and_decode_back() {
    for case in cases("error") {
        let name = case["name"].as_str().unwrap();
        let value = &case["value"];
        let wire = &case["wire"];
        let mut error = ServiceError::service(
            ErrorCode::from_name(value["code"].as_str().unwrap()),
            plane(&case),
            value["message"].as_str().unwrap(),
        );
        error.payload = string(value, "payload");
        error.request_id = string(value, "requestId");
        let http = error.to_http();
        assert_eq!(
            u64::from(http.status),
            wire["status"].as_u64().unwrap(),
            "{name}"
        );
        let headers: serde_json::Map<String, Value> = http
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        assert_eq!(Value::Object(headers), wire["headers"], "{name}");
        assert_eq!(http.body, wire["body"].as_str().unwrap(), "{name}");

        let headers: Vec<(String, String)> = wire["headers"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect();
        let status = wire["status"].as_u64().unwrap() as u16;
        let body = wire["body"].as_str().unwrap().as_bytes();
        assert_eq!(
            ServiceError::from_http(status, &headers, body),
            error,
            "{name}"
        );
    }
}
