//! The MQTT fixtures (`fixtures/mqtt.json`): messages on Jobs topics decoded with the same outcomes, checks and
//! explanations as HTTP responses. Run natively and under wasm-bindgen-test in headless Chromium.

use jobscope::codec::mqtt::{MqttMessage, decode_message};
use jobscope::{DescribeJobExecutionInput, DescribeOutcome, Warning};
use serde_json::Value;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const MQTT: &str = include_str!("../../../fixtures/mqtt.json");

fn warning_list(warnings: &[Warning]) -> Value {
    warnings
        .iter()
        .map(|w| Value::String(format!("{} {}", w.code, w.field)))
        .collect()
}

#[test]
fn mqtt_fixtures() {
    let doc: Value = serde_json::from_str(MQTT).expect("fixture file is JSON");
    let cases = doc["cases"].as_array().expect("cases");
    assert!(cases.len() >= 25);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let request = case.get("request").map(|r| {
            serde_json::from_value::<DescribeJobExecutionInput>(r.clone())
                .unwrap()
                .validate()
                .expect("fixture request is valid")
        });
        let decoded = decode_message(
            case["topic"].as_str().unwrap(),
            case["payload"].as_str().unwrap().as_bytes(),
            request.as_ref(),
            case["clientToken"].as_str(),
        );
        let expect = &case["expect"];
        match (expect["kind"].as_str().unwrap(), decoded) {
            (
                "execution",
                Ok(MqttMessage::Execution(DescribeOutcome::Execution {
                    execution,
                    warnings,
                })),
            ) => {
                assert_eq!(
                    serde_json::to_value(&execution).unwrap(),
                    expect["execution"],
                    "{name}"
                );
                assert_eq!(warning_list(&warnings), expect["warnings"], "{name}");
            }
            ("none", Ok(MqttMessage::Execution(DescribeOutcome::NothingPending { warnings }))) => {
                assert_eq!(warning_list(&warnings), expect["warnings"], "{name}");
            }
            ("pending", Ok(MqttMessage::Pending { pending, warnings })) => {
                assert_eq!(
                    serde_json::to_value(&pending).unwrap(),
                    expect["pending"],
                    "{name}"
                );
                assert_eq!(warning_list(&warnings), expect["warnings"], "{name}");
            }
            ("updated", Ok(MqttMessage::Updated { answer, warnings })) => {
                assert_eq!(
                    serde_json::to_value(&answer).unwrap(),
                    expect["answer"],
                    "{name}"
                );
                assert_eq!(warning_list(&warnings), expect["warnings"], "{name}");
            }
            ("error", Err(error)) => {
                let want = &expect["error"];
                assert_eq!(error.code.as_str(), want["code"], "{name}");
                assert_eq!(error.http_status, want["httpStatus"], "{name}");
                assert_eq!(error.retryable(), want["retryable"], "{name}: retryable");
                let message = error.message.clone().unwrap_or_default();
                if let Some(m) = want.get("message") {
                    assert_eq!(&message, m, "{name}");
                }
                if let Some(prefix) = want.get("messageStartsWith") {
                    assert!(
                        message.starts_with(prefix.as_str().unwrap()),
                        "{name}: {message}"
                    );
                }
                if let Some(title) = want.get("explanationTitle") {
                    assert_eq!(error.explanation().title, title, "{name}");
                }
                match want.get("executionState") {
                    Some(state) => assert_eq!(
                        serde_json::to_value(error.execution_state.as_ref().unwrap()).unwrap(),
                        *state,
                        "{name}"
                    ),
                    None => assert_eq!(error.execution_state, None, "{name}"),
                }
                assert!(!error.explanation().actions.is_empty(), "{name}");
            }
            (kind, other) => panic!("{name}: expected {kind}, got {other:?}"),
        }
    }
}

/// What the service publishes (the emulator's encoders) reads back as what was sent.
#[test]
fn encoders_round_trip_through_the_decoder() {
    use jobscope::codec::mqtt::{
        Rejection, execution_accepted, notify, notify_next, pending_accepted, update_accepted,
    };
    use jobscope::codec::{
        JobExecutionState, JobExecutionSummary, PendingJobExecutions, UpdateJobExecutionResponse,
    };
    use jobscope::{EpochTime, ErrorCode, JobExecution, JobExecutionStatus, Plane, StatusDetails};

    let execution = JobExecution {
        plane: Plane::Data,
        job_id: Some("job-1".into()),
        thing_name: Some("sensor-1".into()),
        status: Some(JobExecutionStatus::Queued),
        status_details: Some(StatusDetails(vec![("k".into(), "v".into())])),
        queued_at: Some(EpochTime::Seconds(1_700_000_000)),
        last_updated_at: Some(EpochTime::Seconds(1_700_000_000)),
        version_number: Some(1),
        execution_number: Some(1),
        job_document: Some(r#"{"a":[1,2,{"b":null}]}"#.into()),
        ..Default::default()
    };
    let t = "$aws/things/sensor-1/jobs/";
    for (topic, payload) in [
        (
            format!("{t}job-1/get/accepted"),
            execution_accepted(Some("c"), 5, Some(&execution)),
        ),
        (format!("{t}notify-next"), notify_next(5, Some(&execution))),
    ] {
        match decode_message(&topic, payload.as_bytes(), None, Some("c")) {
            Ok(MqttMessage::Execution(DescribeOutcome::Execution {
                execution: back,
                warnings,
            })) => {
                assert_eq!(back, execution, "{payload}");
                assert!(warnings.is_empty(), "{warnings:?}");
            }
            other => panic!("{payload}: {other:?}"),
        }
    }
    let summary = JobExecutionSummary {
        job_id: Some("job-1".into()),
        queued_at: Some(EpochTime::Seconds(1)),
        version_number: Some(1),
        execution_number: Some(1),
        ..Default::default()
    };
    let pending = PendingJobExecutions {
        in_progress_jobs: vec![],
        queued_jobs: vec![summary.clone(); 20],
    };
    match decode_message(
        &format!("{t}notify"),
        notify(5, &pending).as_bytes(),
        None,
        None,
    ) {
        Ok(MqttMessage::Pending { pending: back, .. }) => {
            assert_eq!(
                back.queued_jobs,
                vec![summary; 15],
                "notify lists at most 15"
            );
        }
        other => panic!("{other:?}"),
    }
    match decode_message(
        &format!("{t}get/accepted"),
        pending_accepted(Some("c"), 5, &pending).as_bytes(),
        None,
        Some("c"),
    ) {
        Ok(MqttMessage::Pending {
            pending: back,
            warnings,
        }) => {
            assert_eq!(back, pending);
            assert!(warnings.is_empty());
        }
        other => panic!("{other:?}"),
    }
    let state = JobExecutionState {
        status: Some(JobExecutionStatus::Succeeded),
        status_details: Some(StatusDetails(vec![])),
        version_number: Some(2),
    };
    let answer = UpdateJobExecutionResponse {
        execution_state: Some(state.clone()),
        job_document: Some(r#"{"a":1}"#.into()),
    };
    match decode_message(
        &format!("{t}job-1/update/accepted"),
        update_accepted(Some("c"), 5, &answer).as_bytes(),
        None,
        Some("c"),
    ) {
        Ok(MqttMessage::Updated {
            answer: back,
            warnings,
        }) => {
            assert_eq!(back, answer);
            assert!(warnings.is_empty());
        }
        other => panic!("{other:?}"),
    }
    for code in ErrorCode::MQTT_REJECTED {
        let mut rejection = Rejection::new(code.clone(), "why \"not\"", Some("c".into()));
        rejection.execution_state = Some(Box::new(state.clone()));
        let error = decode_message(
            &format!("{t}job-1/update/rejected"),
            rejection.to_payload(5).as_bytes(),
            None,
            Some("c"),
        )
        .unwrap_err();
        assert_eq!(&error.code, code);
        assert_eq!(error.message.as_deref(), Some("why \"not\""));
        assert_eq!(error.execution_state.as_deref(), Some(&state));
    }
}
