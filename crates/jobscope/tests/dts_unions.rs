//! The npm package's TypeScript types (`npm/types.d.ts`, appended to the generated `jobscope.d.ts`) against the
//! Rust they describe:
//! - every string union (`ErrorCode`, `WarningCode`, `ViolationCode`, `JobExecutionStatus`, `Plane`,
//!   `SigningName`) against its enum, both ways: a value missing from the `.d.ts` and a value the enum does not
//!   have both fail, and so does a string union that no check here covers;
//! - the interfaces of the public types the package returns (`JobExecution`, `Warning`, `Violation`, `Explanation`,
//!   `MqttRequest`, `ServiceError`, `JobExecutionState`, `JobExecutionSummary`, and parseMqttMessage's
//!   `MqttPendingResult` and `MqttUpdatedResult`) against the keys their serde form writes, which is what the package
//!   returns (`src/js.rs` turns that JSON into the JS value): member names and which members are optional;
//! - the `kind`s of `ParseResult` and `MqttParseResult` against the outcomes the core decodes (`DescribeOutcome`,
//!   `MqttMessage`, and the error), and against the kinds `fixtures/mqtt.json` expects.

use std::collections::{BTreeMap, BTreeSet};

use jobscope::codec::mqtt::MqttMessage;
use jobscope::codec::{
    JobExecutionState, JobExecutionSummary, PendingJobExecutions, UpdateJobExecutionResponse,
};
use jobscope::{
    DescribeJobExecutionInput, DescribeOutcome, EpochTime, ErrorCode, JobExecution,
    JobExecutionStatus, Plane, ServiceError, StatusDetails, ViolationCode, WarningCode,
    explain_name,
};

fn dts() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/npm/types.d.ts");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    strip_comments(&text)
}

/// The text without `/* … */` and `// …` comments (none of the types' string literals contain them).
fn strip_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("/*") {
            rest = after.split_once("*/").map_or("", |(_, tail)| tail);
        } else if let Some(after) = rest.strip_prefix("//") {
            rest = after.split_once('\n').map_or("", |(_, tail)| tail);
            out.push('\n');
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Splits at `separator` outside `{}`, `()`, `<>`, `[]` and quotes.
fn split_top(text: &str, separators: &[char]) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut depth = 0i32;
    let mut quote = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '{' | '(' | '<' | '[') => depth += 1,
            (None, '}' | ')' | '>' | ']') => depth -= 1,
            (None, _) if depth == 0 && separators.contains(&c) => {
                parts.push(String::new());
                continue;
            }
            _ => {}
        }
        parts.last_mut().unwrap().push(c);
    }
    parts
        .into_iter()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

/// A string union: its literals, and whether it is open (`| (string & {})`: any other string is allowed too).
#[derive(Debug)]
struct Union {
    values: Vec<String>,
    open: bool,
}

/// Every `export type Name = 'a' | 'b' …;` whose members are all string literals (or `(string & {})`).
fn string_unions(dts: &str) -> BTreeMap<String, Union> {
    let mut unions = BTreeMap::new();
    for (start, keyword) in dts.match_indices("export type ") {
        let Some((name, body)) = dts[start + keyword.len()..].split_once('=') else {
            continue;
        };
        let body = &body[..body.find(';').expect("a type alias ends with ;")];
        let mut union = Union {
            values: Vec::new(),
            open: false,
        };
        let mut all_strings = true;
        for member in split_top(body, &['|']) {
            if member.replace(' ', "") == "(string&{})" {
                union.open = true;
            } else if let Some(literal) =
                member.strip_prefix('\'').and_then(|m| m.strip_suffix('\''))
            {
                union.values.push(literal.to_owned());
            } else {
                all_strings = false;
            }
        }
        if all_strings && !union.values.is_empty() {
            let name = name.trim().to_owned();
            assert!(
                unions.insert(name.clone(), union).is_none(),
                "{name} declared twice"
            );
        }
    }
    unions
}

/// `export interface Name { a: T; b?: U }`: member name → (optional, type text).
fn interface_members(dts: &str, name: &str) -> BTreeMap<String, (bool, String)> {
    let start = dts
        .find(&format!("export interface {name} "))
        .unwrap_or_else(|| panic!("the .d.ts has no interface {name}"));
    let open = start + dts[start..].find('{').unwrap();
    let end = open + closing_brace(&dts[open..]);
    split_top(&dts[open + 1..end], &[';', '\n'])
        .into_iter()
        .map(|member| {
            let (key, ty) = member
                .split_once(':')
                .unwrap_or_else(|| panic!("{name}: cannot read member {member:?}"));
            let (key, ty) = (key.trim(), ty.trim().to_owned());
            match key.strip_suffix('?') {
                Some(key) => (key.to_owned(), (true, ty)),
                None => (key.to_owned(), (false, ty)),
            }
        })
        .collect()
}

/// `export interface Name { a: T; b?: U }`: member name → optional.
fn interface(dts: &str, name: &str) -> BTreeMap<String, bool> {
    interface_members(dts, name)
        .into_iter()
        .map(|(key, (optional, _))| (key, optional))
        .collect()
}

/// The offset of the `}` that closes the `{` `text` starts with.
fn closing_brace(text: &str) -> usize {
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            return i;
        }
    }
    panic!("unclosed {{ in {text:?}")
}

/// The `kind` literals of a result type: `export type Name = A | { kind: 'x'; … } | …`, following the members that
/// name another alias or an interface (whose `kind` member is a literal).
fn kinds(dts: &str, name: &str) -> Vec<String> {
    let alias = format!("export type {name} =");
    if let Some(start) = dts.find(&alias) {
        // The alias ends at the first `;` outside braces.
        let body = split_top(&dts[start + alias.len()..], &[';']).swap_remove(0);
        return split_top(&body, &['|'])
            .into_iter()
            .flat_map(|member| match member.strip_prefix('{') {
                Some(_) => {
                    let inner = &member[1..closing_brace(&member)];
                    let kind = split_top(inner, &[';', '\n'])
                        .into_iter()
                        .find_map(|m| m.strip_prefix("kind:").map(|k| k.trim().to_owned()))
                        .unwrap_or_else(|| panic!("{name}: a member without kind: {member}"));
                    vec![literal(name, &kind)]
                }
                None => kinds(dts, &member),
            })
            .collect();
    }
    let members = interface_members(dts, name);
    let (optional, kind) = members
        .get("kind")
        .unwrap_or_else(|| panic!("interface {name} has no kind"));
    assert!(!optional, "interface {name}: kind is required");
    vec![literal(name, kind)]
}

fn literal(owner: &str, text: &str) -> String {
    text.strip_prefix('\'')
        .and_then(|t| t.strip_suffix('\''))
        .unwrap_or_else(|| panic!("{owner}: kind is not one string literal: {text}"))
        .to_owned()
}

/// Both directions, with the names that differ.
fn assert_same(what: &str, dts: &[String], rust: &[&str]) {
    let in_dts: BTreeSet<&str> = dts.iter().map(String::as_str).collect();
    let in_rust: BTreeSet<&str> = rust.iter().copied().collect();
    assert_eq!(
        in_dts.len(),
        dts.len(),
        "{what}: a value is listed twice in the .d.ts"
    );
    assert_eq!(
        in_rust.len(),
        rust.len(),
        "{what}: a value is listed twice in Rust"
    );
    let missing: Vec<_> = in_rust.difference(&in_dts).collect();
    let extra: Vec<_> = in_dts.difference(&in_rust).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{what}: missing in npm/types.d.ts: {missing:?}; in npm/types.d.ts but not in Rust: {extra:?}"
    );
}

/// Every plane; the match fails to compile when a plane is added, until it is listed here.
fn planes() -> [Plane; 2] {
    let planes = [Plane::Data, Plane::Control];
    for plane in planes {
        match plane {
            Plane::Data | Plane::Control => {}
        }
    }
    planes
}

#[test]
fn every_string_union_matches_its_rust_enum() {
    let unions = string_unions(&dts());
    // (union, Rust values, open: the enum keeps values it does not know as `Unknown`)
    let expected: Vec<(&str, Vec<&str>, bool)> = vec![
        ("Plane", planes().map(Plane::as_str).to_vec(), false),
        (
            "SigningName",
            planes().map(Plane::service_name).to_vec(),
            false,
        ),
        (
            "ViolationCode",
            ViolationCode::KNOWN.iter().map(|c| c.as_str()).collect(),
            false,
        ),
        (
            "WarningCode",
            WarningCode::KNOWN.iter().map(|c| c.as_str()).collect(),
            false,
        ),
        (
            "JobExecutionStatus",
            JobExecutionStatus::KNOWN
                .iter()
                .map(|s| s.as_str())
                .collect(),
            true,
        ),
        (
            "ErrorCode",
            ErrorCode::KNOWN.iter().map(|c| c.as_str()).collect(),
            true,
        ),
    ];
    for (name, rust, open) in &expected {
        let union = unions
            .get(*name)
            .unwrap_or_else(|| panic!("npm/types.d.ts has no string union {name}"));
        assert_same(name, &union.values, rust);
        assert_eq!(
            union.open, *open,
            "{name}: `| (string & {{}})` should be there exactly when the Rust enum keeps unknown values"
        );
    }
    let unchecked: Vec<_> = unions
        .keys()
        .filter(|name| !expected.iter().any(|(known, _, _)| known == name))
        .collect();
    assert!(
        unchecked.is_empty(),
        "string unions with no Rust enum checked here: {unchecked:?}; add them to this test"
    );
}

/// The keys a value's serde form writes.
fn keys<T: serde::Serialize>(value: &T) -> BTreeSet<String> {
    match serde_json::to_value(value).unwrap() {
        serde_json::Value::Object(map) => map.keys().cloned().collect(),
        other => panic!("not an object: {other}"),
    }
}

/// `full` has every field set, `minimal` only the required ones: the interface must declare exactly `full`'s keys
/// (plus `added`, which the JS layer puts beside them), optional exactly where `minimal` lacks them.
fn assert_interface<T: serde::Serialize>(name: &str, full: &T, minimal: &T, added: &[&str]) {
    let members = interface(&dts(), name);
    for key in added {
        assert!(
            members.contains_key(*key),
            "interface {name} has no `{key}`"
        );
    }
    let all = keys(full);
    let required = keys(minimal);
    let declared: Vec<String> = members
        .keys()
        .filter(|key| !added.contains(&key.as_str()))
        .cloned()
        .collect();
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    assert_same(&format!("interface {name}"), &declared, &all);
    for key in &all {
        assert_eq!(
            members[*key],
            !required.contains(*key),
            "interface {name}: `{key}` should be {} (the Rust field is {})",
            if required.contains(*key) {
                "required"
            } else {
                "optional (`?`)"
            },
            if required.contains(*key) {
                "always written"
            } else {
                "skipped when absent"
            },
        );
    }
}

#[test]
fn job_execution_interface_matches_its_serde_form() {
    let full = JobExecution {
        plane: Plane::Data,
        job_id: Some("j".into()),
        thing_name: Some("t".into()),
        thing_arn: Some("arn:aws:iot:us-east-1:1:thing/t".into()),
        status: Some(JobExecutionStatus::InProgress),
        force_canceled: Some(false),
        status_details: Some(StatusDetails(vec![("k".into(), "v".into())])),
        queued_at: Some(EpochTime::Seconds(1)),
        started_at: Some(EpochTime::Seconds(2)),
        last_updated_at: Some(EpochTime::Fractional(3.5)),
        approximate_seconds_before_timed_out: Some(4),
        version_number: Some(5),
        execution_number: Some(6),
        job_document: Some("{}".into()),
    };
    assert_interface("JobExecution", &full, &JobExecution::default(), &[]);
}

#[test]
fn violation_and_warning_interfaces_match_their_serde_form() {
    let violations = DescribeJobExecutionInput::default().validate().unwrap_err();
    let violation = &violations.as_slice()[0];
    assert_interface("Violation", violation, violation, &[]);

    let request = DescribeJobExecutionInput {
        thing_name: Some("t".into()),
        job_id: Some("j".into()),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let outcome = request
        .decode_response::<&str>(200, &[], br#"{"execution":{"jobId":"other"}}"#)
        .unwrap();
    let warning = &outcome.warnings()[0];
    assert_interface("Warning", warning, warning, &[]);

    let mqtt = request.to_mqtt().unwrap();
    assert_interface("MqttRequest", &mqtt, &mqtt, &[]);
}

#[test]
fn explanation_and_service_error_interfaces_match_their_serde_form() {
    let explanation = explain_name("ThrottlingException");
    assert_interface("Explanation", explanation, explanation, &[]);

    let full = ServiceError {
        request_id: Some("r".into()),
        payload: Some("p".into()),
        execution_state: Some(Box::new(JobExecutionState::default())),
        ..ServiceError::new(ErrorCode::ThrottlingException, 429, "slow down")
    };
    let minimal = ServiceError {
        message: None,
        ..ServiceError::transport(ErrorCode::NetworkError, "")
    };
    // js.rs adds what the error means beside the core's fields.
    assert_interface(
        "ServiceError",
        &full,
        &minimal,
        &["retryable", "explanation"],
    );
}

#[test]
fn mqtt_interfaces_match_their_serde_form() {
    let state = JobExecutionState {
        status: Some(JobExecutionStatus::Succeeded),
        status_details: Some(StatusDetails(vec![("k".into(), "v".into())])),
        version_number: Some(2),
    };
    assert_interface(
        "JobExecutionState",
        &state,
        &JobExecutionState::default(),
        &[],
    );

    let summary = JobExecutionSummary {
        job_id: Some("j".into()),
        status: Some(JobExecutionStatus::Queued),
        queued_at: Some(EpochTime::Seconds(1)),
        started_at: Some(EpochTime::Seconds(2)),
        last_updated_at: Some(EpochTime::Seconds(3)),
        version_number: Some(4),
        execution_number: Some(5),
        retry_attempt: Some(6),
    };
    assert_interface(
        "JobExecutionSummary",
        &summary,
        &JobExecutionSummary::default(),
        &[],
    );

    // js.rs writes the lists and the update's answer flat beside `kind` and `warnings`.
    let pending = PendingJobExecutions {
        in_progress_jobs: vec![summary.clone()],
        queued_jobs: vec![summary],
    };
    assert_interface(
        "MqttPendingResult",
        &pending,
        &PendingJobExecutions::default(),
        &["kind", "warnings"],
    );
    let answer = UpdateJobExecutionResponse {
        execution_state: Some(state),
        job_document: Some("{}".into()),
    };
    assert_interface(
        "MqttUpdatedResult",
        &answer,
        &UpdateJobExecutionResponse::default(),
        &["kind", "warnings"],
    );
    let dts = dts();
    for (name, member, ty) in [
        ("MqttPendingResult", "warnings", "Warning[]"),
        (
            "MqttPendingResult",
            "inProgressJobs",
            "JobExecutionSummary[]",
        ),
        ("MqttPendingResult", "queuedJobs", "JobExecutionSummary[]"),
        ("MqttUpdatedResult", "warnings", "Warning[]"),
        ("MqttUpdatedResult", "executionState", "JobExecutionState"),
        ("ServiceError", "executionState", "JobExecutionState"),
    ] {
        assert_eq!(
            interface_members(&dts, name)[member].1,
            ty,
            "{name}.{member}"
        );
    }
}

/// The `kind` js.rs writes for each outcome (its `ParseResult` variants, lowercased). The matches fail to compile
/// when the core gains an outcome, until it is listed here and typed in the .d.ts.
fn outcome_kind(outcome: &DescribeOutcome) -> &'static str {
    match outcome {
        DescribeOutcome::Execution { .. } => "execution",
        DescribeOutcome::NothingPending { .. } => "none",
    }
}

fn mqtt_kind(message: &MqttMessage) -> &'static str {
    match message {
        MqttMessage::Execution(outcome) => outcome_kind(outcome),
        MqttMessage::Pending { .. } => "pending",
        MqttMessage::Updated { .. } => "updated",
    }
}

#[test]
fn result_kinds_match_the_core_outcomes_and_the_fixtures() {
    let outcomes = [
        DescribeOutcome::Execution {
            execution: JobExecution::default(),
            warnings: vec![],
        },
        DescribeOutcome::NothingPending { warnings: vec![] },
    ];
    let mut http: Vec<&str> = outcomes.iter().map(outcome_kind).collect();
    http.push("error");
    let dts = dts();
    assert_same("ParseResult kinds", &kinds(&dts, "ParseResult"), &http);

    let messages = outcomes.into_iter().map(MqttMessage::Execution).chain([
        MqttMessage::Pending {
            pending: PendingJobExecutions::default(),
            warnings: vec![],
        },
        MqttMessage::Updated {
            answer: UpdateJobExecutionResponse::default(),
            warnings: vec![],
        },
    ]);
    let mut mqtt: Vec<&str> = messages.map(|m| mqtt_kind(&m)).collect();
    mqtt.push("error");
    let declared = kinds(&dts, "MqttParseResult");
    assert_same("MqttParseResult kinds", &declared, &mqtt);

    // The Node test checks parseMqttMessage on every fixture: together they cover every kind.
    let fixtures: serde_json::Value =
        serde_json::from_str(include_str!("../../../fixtures/mqtt.json")).unwrap();
    let expected: BTreeSet<String> = fixtures["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|case| case["expect"]["kind"].as_str().unwrap().to_owned())
        .collect();
    let expected: Vec<String> = expected.into_iter().collect();
    assert_same("the kinds fixtures/mqtt.json expects", &expected, &mqtt);
}

#[test]
fn the_package_readme_lists_every_violation_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/npm/README.md");
    let readme = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let marker = "Codes (the `ViolationCode` type):";
    let start = readme
        .find(marker)
        .expect("the README lists the violation codes")
        + marker.len();
    let sentence = &readme[start..start + readme[start..].find(".\n").unwrap()];
    let listed: Vec<String> = sentence
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    let rust: Vec<&str> = ViolationCode::KNOWN.iter().map(|c| c.as_str()).collect();
    assert_same("npm/README.md's violation codes", &listed, &rust);
}
