//! The shared wire cases in `fixtures/`, run natively and (under wasm-bindgen-test) in headless Chromium.

use jobscope::{DescribeJobExecutionInput, DescribeOutcome, Endpoint, Plane, decode_response};
use serde_json::{Value, json};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const REQUESTS: &str = include_str!("../../../fixtures/requests.json");
const RESPONSES: &str = include_str!("../../../fixtures/responses.json");

fn cases(text: &str) -> Vec<Value> {
    let doc: Value = serde_json::from_str(text).expect("fixture file is JSON");
    doc["cases"].as_array().expect("cases array").clone()
}

fn input(value: &Value) -> DescribeJobExecutionInput {
    serde_json::from_value(value.clone()).expect("fixture input deserializes")
}

#[test]
fn request_fixtures() {
    let cases = cases(REQUESTS);
    assert!(cases.len() >= 40);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let expect = &case["expect"];
        let result = input(&case["input"]).validate();
        if expect["valid"] == json!(false) {
            let violations = result.expect_err(name);
            assert_eq!(
                serde_json::to_value(&violations).unwrap(),
                expect["violations"],
                "{name}"
            );
            continue;
        }
        let request = result.unwrap_or_else(|v| panic!("{name}: {v}"));
        let endpoint = case["endpoint"]
            .as_str()
            .map(|e| Endpoint::parse(e).unwrap());
        let http = request.to_http(endpoint.as_ref());
        assert_eq!(http.method, "GET");
        assert_eq!(http.path, expect["path"], "{name}: path");
        assert_eq!(http.query, expect["query"], "{name}: query");
        if let Some(url) = expect.get("url") {
            assert_eq!(&http.url, url, "{name}: url");
        }
        if let Some(curl) = expect.get("curl") {
            assert_eq!(&request.to_curl(endpoint.as_ref()), curl, "{name}: curl");
        }
        if let Some(cli) = expect.get("awsCli") {
            assert_eq!(
                &request.to_aws_cli(endpoint.as_ref()),
                cli,
                "{name}: awsCli"
            );
        }
        if let Some(mqtt) = expect.get("mqtt") {
            let actual = request.to_mqtt().map(|m| serde_json::to_value(m).unwrap());
            let actual = actual.unwrap_or(Value::Null);
            if mqtt.is_null() {
                assert!(
                    actual.is_null(),
                    "{name}: no MQTT form on the control plane"
                );
            } else {
                for (key, value) in mqtt.as_object().unwrap() {
                    assert_eq!(&actual[key], value, "{name}: mqtt.{key}");
                }
            }
        }
        // A valid request's own input validates back to it.
        assert_eq!(
            request.to_input().validate().as_ref(),
            Ok(&request),
            "{name}"
        );
    }
}

fn body_of(case: &Value) -> Vec<u8> {
    use base64::Engine as _;
    match case.get("bodyBase64") {
        Some(encoded) => base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().unwrap())
            .unwrap(),
        None => case["body"].as_str().unwrap().as_bytes().to_vec(),
    }
}

fn warning_list(warnings: &[jobscope::Warning]) -> Value {
    warnings
        .iter()
        .map(|w| Value::String(format!("{} {}", w.code, w.field)))
        .collect()
}

#[test]
fn response_fixtures() {
    let cases = cases(RESPONSES);
    assert!(cases.len() >= 80);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let plane: Plane = case["plane"].as_str().unwrap().parse().unwrap();
        let headers: Vec<(String, String)> = case["headers"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect();
        let request = case
            .get("request")
            .map(|r| input(r).validate().expect("fixture request is valid"));
        let status = case["status"].as_u64().unwrap() as u16;
        let body = body_of(&case);
        let outcome = decode_response(plane, request.as_ref(), status, &headers, &body);
        let expect = &case["expect"];
        match (expect["kind"].as_str().unwrap(), outcome) {
            (
                "execution",
                Ok(DescribeOutcome::Execution {
                    execution,
                    warnings,
                }),
            ) => {
                assert_eq!(execution.plane, plane, "{name}");
                assert_eq!(
                    serde_json::to_value(&execution).unwrap(),
                    expect["execution"],
                    "{name}: execution"
                );
                assert_eq!(
                    warning_list(&warnings),
                    expect["warnings"],
                    "{name}: warnings"
                );
                for warning in &warnings {
                    assert!(
                        warning.message.starts_with(&format!("{}: ", warning.field)),
                        "{name}"
                    );
                }
            }
            ("none", Ok(DescribeOutcome::NothingPending { warnings })) => {
                assert_eq!(
                    warning_list(&warnings),
                    expect["warnings"],
                    "{name}: warnings"
                );
            }
            ("error", Err(error)) => {
                let want = &expect["error"];
                assert_eq!(error.code.as_str(), want["code"], "{name}: code");
                assert_eq!(error.http_status, want["httpStatus"], "{name}: httpStatus");
                assert_eq!(error.retryable(), want["retryable"], "{name}: retryable");
                let message = error.message.clone().unwrap_or_default();
                if let Some(m) = want.get("message") {
                    assert_eq!(&message, m, "{name}: message");
                }
                if let Some(prefix) = want.get("messageStartsWith") {
                    assert!(
                        message.starts_with(prefix.as_str().unwrap()),
                        "{name}: message {message:?}"
                    );
                }
                if let Some(id) = want.get("requestId") {
                    assert_eq!(
                        error.request_id.as_deref(),
                        id.as_str(),
                        "{name}: requestId"
                    );
                }
                if let Some(payload) = want.get("payload") {
                    assert_eq!(
                        error.payload.as_deref(),
                        payload.as_str(),
                        "{name}: payload"
                    );
                }
                if let Some(title) = want.get("explanationTitle") {
                    assert_eq!(error.explanation().title, title, "{name}: explanation");
                }
                assert!(!error.explanation().actions.is_empty(), "{name}");
            }
            (kind, outcome) => panic!("{name}: expected {kind}, got {outcome:?}"),
        }
    }
}
