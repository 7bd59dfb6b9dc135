//! Adversarial inputs, each with its expected outcome: a typed error or a warning, never a panic, a stack overflow or
//! an unbounded wait. Run natively and (under wasm-bindgen-test) in headless Chromium, where a stack overflow or an
//! out-of-memory would be a wasm trap. Timing is not asserted; completing is.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use jobscope::{
    DescribeJobExecutionInput, DescribeOutcome, ErrorCode, Plane, WarningCode, decode_response,
};

fn decode(
    status: u16,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<DescribeOutcome, jobscope::ServiceError> {
    decode_response(Plane::Data, None, status, headers, body)
}

fn warnings(outcome: &DescribeOutcome) -> Vec<(String, WarningCode)> {
    outcome
        .warnings()
        .iter()
        .map(|w| (w.field.clone(), w.code))
        .collect()
}

fn malformed(body: &[u8]) -> String {
    let error = decode(200, &[], body).expect_err("a typed error");
    assert_eq!(error.code, ErrorCode::MalformedResponse);
    error.message.unwrap()
}

#[test]
fn nesting_100_000_levels() {
    let deep = |inner: &str| format!("{}{inner}{}", "[".repeat(100_000), "]".repeat(100_000));
    // In a member jobscope reads: the recursion limit answers, no stack overflow.
    let body = format!("{{\"execution\":{{\"jobDocument\":{}}}}}", deep(""));
    assert!(
        malformed(body.as_bytes()).starts_with("execution.jobDocument: recursion limit exceeded")
    );
    // In a member jobscope skips: skipped without recursion.
    let body = format!(
        "{{\"extra\":{},\"execution\":{{\"jobId\":\"j\"}}}}",
        deep("1")
    );
    let outcome = decode(200, &[], body.as_bytes()).unwrap();
    assert_eq!(
        warnings(&outcome),
        [("extra".to_owned(), WarningCode::UnknownField)]
    );
    // An error body nested that deep is still read as an error, not a crash.
    let error = decode(500, &[], deep("").as_bytes()).unwrap_err();
    assert_eq!(error.code, ErrorCode::HttpError);
}

#[test]
fn a_10_mb_body() {
    let document = "d".repeat(10 * 1024 * 1024);
    let body = format!("{{\"execution\":{{\"jobId\":\"j\",\"jobDocument\":\"{document}\"}}}}");
    let outcome = decode(200, &[], body.as_bytes()).unwrap();
    assert_eq!(
        warnings(&outcome),
        [("jobDocument".to_owned(), WarningCode::DocumentTooLong)]
    );
    assert_eq!(
        outcome
            .execution()
            .unwrap()
            .job_document
            .as_ref()
            .unwrap()
            .len(),
        document.len()
    );
    let garbage = vec![b'x'; 10 * 1024 * 1024];
    assert!(malformed(&garbage).starts_with("the body is not valid JSON"));
}

#[test]
fn invalid_utf8_lone_surrogates_and_bom() {
    assert_eq!(
        malformed(b"{\"execution\":{\"jobId\":\"\xc3\x28\"}}"),
        "the body is not valid UTF-8 (first bad byte at offset 23)"
    );
    assert!(malformed(br#"{"execution":{"jobId":"\udc00x"}}"#).starts_with("execution.jobId:"));
    let bom = decode(200, &[], "\u{feff}{}".as_bytes()).unwrap();
    assert_eq!(
        warnings(&bom),
        [("body".to_owned(), WarningCode::ByteOrderMark)]
    );
    let error = decode(
        404,
        &[],
        "\u{feff}{\"__type\":\"ResourceNotFoundException\"}".as_bytes(),
    )
    .unwrap_err();
    assert_eq!(error.code, ErrorCode::ResourceNotFoundException);
}

#[test]
fn numbers_at_the_edges() {
    assert!(malformed(br#"{"execution":{"versionNumber":1e400}}"#).contains("number out of range"));
    assert_eq!(
        malformed(br#"{"execution":{"executionNumber":9223372036854775808}}"#),
        "execution.executionNumber: 9223372036854775808 does not fit a 64-bit signed integer (long)"
    );
    assert!(malformed(br#"{"execution":{"queuedAt":-1e300}}"#).starts_with("execution.queuedAt:"));
    let zero = decode(
        200,
        &[],
        br#"{"execution":{"executionNumber":-0,"queuedAt":-0.0}}"#,
    )
    .unwrap();
    assert_eq!(zero.execution().unwrap().execution_number, Some(0));
    let min = decode(
        200,
        &[],
        br#"{"execution":{"versionNumber":-9223372036854775808}}"#,
    )
    .unwrap();
    assert!(warnings(&min).contains(&("versionNumber".to_owned(), WarningCode::OutOfRange)));
}

#[test]
fn duplicate_keys_and_10_000_status_details() {
    let entries: Vec<String> = (0..10_000).map(|i| format!("\"k{i}\":\"v{i}\"")).collect();
    let body = format!(
        "{{\"execution\":{{\"statusDetails\":{{{},\"k7\":\"again\"}}}}}}",
        entries.join(",")
    );
    let outcome = decode(200, &[], body.as_bytes()).unwrap();
    let details = outcome
        .execution()
        .unwrap()
        .status_details
        .as_ref()
        .unwrap();
    assert_eq!(details.len(), 10_000);
    assert_eq!(details.get("k7"), Some("again"));
    assert_eq!(
        warnings(&outcome),
        [("statusDetails.k7".to_owned(), WarningCode::DuplicateKey)]
    );
}

#[test]
fn nul_and_control_characters_in_every_string_field() {
    let nasty = "a\\u0000b\\u0007c\\u001bd";
    let body = format!(
        r#"{{"execution":{{"jobId":"{n}","thingName":"{n}","status":"{n}","statusDetails":{{"k":"{n}"}},"jobDocument":"{n}"}}}}"#,
        n = nasty
    );
    let outcome = decode(200, &[], body.as_bytes()).unwrap();
    let codes: Vec<_> = warnings(&outcome);
    for expected in [
        ("jobId".to_owned(), WarningCode::InvalidValue),
        ("thingName".to_owned(), WarningCode::InvalidValue),
        ("status".to_owned(), WarningCode::UnknownStatus),
        (
            "statusDetails.k".to_owned(),
            WarningCode::StatusDetailsValue,
        ),
    ] {
        assert!(codes.contains(&expected), "{expected:?} in {codes:?}");
    }
    assert_eq!(
        outcome.execution().unwrap().job_document.as_deref(),
        Some("a\0b\u{7}c\u{1b}d")
    );
}

#[test]
fn a_1_mb_header_value() {
    let huge = "E".repeat(1024 * 1024);
    let error = decode(
        400,
        &[("x-amzn-errortype", &huge), ("x-amzn-requestid", &huge)],
        b"{}",
    )
    .unwrap_err();
    assert_eq!(error.code.as_str().len(), huge.len());
    assert!(!error.retryable());
    assert_eq!(error.explanation().title, "Unrecognised error");
}

#[test]
fn a_32_kb_document_full_of_markup_is_kept_as_text() {
    let unit = "<img src=x onerror=alert(1)><script>alert(2)</script>";
    let markup = unit.repeat(32768 / unit.len());
    let body = serde_json::json!({ "execution": { "jobDocument": markup } }).to_string();
    let outcome = decode(200, &[], body.as_bytes()).unwrap();
    assert_eq!(
        outcome.execution().unwrap().job_document.as_deref(),
        Some(markup.as_str())
    );
    assert!(outcome.warnings().is_empty());
}

#[test]
fn hostile_request_inputs_get_violations() {
    let long = "a".repeat(1_000_000);
    let input = DescribeJobExecutionInput {
        thing_name: Some(format!("{long}\u{0}")),
        job_id: Some("\u{202e}evil".into()),
        execution_number: Some("9".repeat(10_000).into()),
        ..Default::default()
    };
    let codes: Vec<_> = input
        .validate()
        .unwrap_err()
        .into_iter()
        .map(|v| (v.field, v.code.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("thingName", "too_long"),
            ("thingName", "pattern"),
            ("jobId", "pattern"),
            ("executionNumber", "out_of_range"),
        ]
    );
}
