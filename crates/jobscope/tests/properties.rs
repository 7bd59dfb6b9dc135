//! Property tests: every valid input is accepted and round-trips; every kind of invalid input gets its code.
#![cfg(not(target_arch = "wasm32"))]

use jobscope::{
    DescribeJobExecutionInput, DescribeOutcome, EpochTime, JobExecution, JobExecutionStatus,
    LooseNumber, Plane, StatusDetails, ViolationCode, decode_response,
};
use proptest::prelude::*;

fn codes(input: &DescribeJobExecutionInput, field: &str) -> Vec<ViolationCode> {
    match input.validate() {
        Ok(_) => Vec::new(),
        Err(v) => v.for_field(field).map(|v| v.code).collect(),
    }
}

fn input(thing: &str, job: &str) -> DescribeJobExecutionInput {
    DescribeJobExecutionInput {
        thing_name: Some(thing.into()),
        job_id: Some(job.into()),
        ..Default::default()
    }
}

fn percent_decode(text: &str) -> String {
    jobscope::codec::decode_label("label", text).unwrap()
}

proptest! {
    #[test]
    fn valid_requests_pass_and_build_exact_urls(
        thing in "[a-zA-Z0-9:_-]{1,128}",
        job in "[a-zA-Z0-9_-]{1,64}|\\$next",
        number in proptest::option::of(0..=i64::MAX),
        as_text in any::<bool>(),
        include in proptest::option::of(any::<bool>()),
    ) {
        let mut request = input(&thing, &job);
        request.execution_number = number.map(|n| if as_text { LooseNumber::Text(n.to_string()) } else { n.into() });
        request.include_job_document = include;
        let valid = request.validate().unwrap();
        let http = valid.to_http(None);
        let segments: Vec<_> = http.path.split('/').collect();
        prop_assert_eq!(segments.len(), 5);
        prop_assert_eq!(percent_decode(segments[2]), thing.clone());
        prop_assert_eq!(percent_decode(segments[4]), job.clone());
        prop_assert!(http.path.bytes().all(|b| b.is_ascii_alphanumeric() || b"/%-_.~".contains(&b)));
        let mut expected_query = Vec::new();
        if let Some(n) = number { expected_query.push(format!("executionNumber={n}")); }
        if let Some(b) = include { expected_query.push(format!("includeJobDocument={b}")); }
        prop_assert_eq!(&http.query, &expected_query.join("&"));
        let mqtt = valid.to_mqtt().unwrap();
        let payload: serde_json::Value = serde_json::from_str(&mqtt.payload).unwrap();
        prop_assert_eq!(payload.get("executionNumber").and_then(|v| v.as_i64()), number);
        // The server side reads the same request back from method, path and query.
        let back = jobscope::DescribeJobExecutionRequest::from_http(Plane::Data, http.method, &http.path, &http.query);
        prop_assert_eq!(back, Ok(valid));
    }

    #[test]
    fn any_label_and_query_value_round_trips(text in "\\PC*", name in "[a-zA-Z]{1,12}") {
        let encoded = jobscope::encode_label(&text);
        prop_assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"%-_.~".contains(&b)));
        prop_assert_eq!(jobscope::codec::decode_label("x", &encoded).unwrap(), text.clone());
        let query = jobscope::codec::Query::parse(&jobscope::codec::encode_query([(name.as_str(), text.as_str())])).unwrap();
        prop_assert_eq!(query.get(&name), Some(text.as_str()));
    }

    #[test]
    fn control_plane_rejects_next_and_include(thing in "[a-zA-Z0-9:_-]{1,128}", include in any::<bool>()) {
        let mut request = input(&thing, "$next");
        request.plane = Plane::Control;
        request.include_job_document = Some(include);
        prop_assert_eq!(codes(&request, "jobId"), vec![ViolationCode::NotSupported]);
        prop_assert_eq!(codes(&request, "includeJobDocument"), vec![ViolationCode::NotSupported]);
        prop_assert!(codes(&request, "thingName").is_empty());
    }

    #[test]
    fn long_names_are_too_long(thing in "[a-z]{129,300}", job in "[a-z]{65,200}") {
        let request = input(&thing, &job);
        prop_assert_eq!(codes(&request, "thingName"), vec![ViolationCode::TooLong]);
        prop_assert_eq!(codes(&request, "jobId"), vec![ViolationCode::TooLong]);
    }

    #[test]
    fn one_bad_character_is_found_at_its_index(
        prefix in "[a-z]{0,40}",
        bad in any::<char>().prop_filter("outside the thing-name set", |c| !(c.is_ascii_alphanumeric() || ":_-".contains(*c))),
        suffix in "[a-z]{0,40}",
    ) {
        let thing = format!("{prefix}{bad}{suffix}");
        let violations = input(&thing, "j").validate().unwrap_err();
        let pattern: Vec<_> = violations.for_field("thingName").filter(|v| v.code == ViolationCode::Pattern).collect();
        prop_assert_eq!(pattern.len(), 1);
        let suffix_text = format!("at index {}", prefix.chars().count());
        prop_assert!(pattern[0].message.ends_with(&suffix_text), "{}", pattern[0].message);
    }

    #[test]
    fn execution_number_text_and_numbers(n in any::<i64>(), junk in "[0-9]{0,5}[^0-9][ -~]{0,5}") {
        let mut request = input("t", "j");
        request.execution_number = Some(LooseNumber::Text(n.to_string()));
        let expected = if n < 0 { vec![ViolationCode::OutOfRange] } else { vec![] };
        prop_assert_eq!(codes(&request, "executionNumber"), expected.clone());
        request.execution_number = Some(n.into());
        prop_assert_eq!(codes(&request, "executionNumber"), expected);
        request.execution_number = Some(LooseNumber::Text(junk));
        prop_assert_eq!(codes(&request, "executionNumber"), vec![ViolationCode::NotInteger]);
    }

    #[test]
    fn fractional_floats_are_not_integers(whole in 0i64..1_000_000, frac in 0.01f64..0.99) {
        let mut request = input("t", "j");
        request.execution_number = Some(LooseNumber::Float(whole as f64 + frac));
        prop_assert_eq!(codes(&request, "executionNumber"), vec![ViolationCode::NotInteger]);
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics(status in 100u16..600, body in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = decode_response(Plane::Data, None, status, &[("x-amzn-errortype", "X")], &body);
        let _ = decode_response::<&str>(Plane::Control, None, status, &[], &body);
    }

    #[test]
    fn wire_json_round_trips(
        control in any::<bool>(),
        job in "[a-zA-Z0-9_-]{1,64}",
        status in 0usize..8,
        details in proptest::collection::vec(("[a-zA-Z0-9:_-]{1,20}", "[a-zA-Z0-9 .]{1,30}"), 0..6),
        queued in 1_000_000_000i64..2_000_000_000,
        millis in proptest::option::of(1u32..1000),
        version in 1i64..1_000_000,
        number in 1i64..i64::MAX,
    ) {
        let plane = if control { Plane::Control } else { Plane::Data };
        let mut seen = std::collections::HashSet::new();
        let details: Vec<_> = details.into_iter().filter(|(k, _)| seen.insert(k.clone())).collect();
        let queued_at = match millis {
            Some(ms) if control => EpochTime::Fractional(queued as f64 + f64::from(ms) / 1000.0),
            _ => EpochTime::Seconds(queued),
        };
        let execution = JobExecution {
            plane,
            job_id: Some(job),
            thing_name: (!control).then(|| "t".to_owned()),
            thing_arn: control.then(|| "arn:aws:iot:us-east-1:123456789012:thing/t".to_owned()),
            status: Some(JobExecutionStatus::KNOWN[status].clone()),
            status_details: Some(StatusDetails(details)),
            queued_at: Some(queued_at),
            version_number: Some(version),
            execution_number: Some(number),
            ..Default::default()
        };
        let body = serde_json::to_vec(&serde_json::json!({ "execution": execution.wire_form() })).unwrap();
        let decoded = decode_response::<&str>(plane, None, 200, &[], &body).unwrap();
        let DescribeOutcome::Execution { execution: back, warnings } = decoded else { panic!("no execution") };
        // json! builds a serde_json::Map, which sorts keys: compare the details as sets.
        let mut want = execution.clone();
        let mut got = back.clone();
        want.status_details.as_mut().unwrap().0.sort();
        got.status_details.as_mut().unwrap().0.sort();
        prop_assert_eq!(got, want);
        let direct = serde_json::to_vec(&execution.wire_form()).unwrap();
        let direct = format!("{{\"execution\":{}}}", String::from_utf8(direct).unwrap());
        let DescribeOutcome::Execution { execution: in_order, .. } =
            decode_response::<&str>(plane, None, 200, &[], direct.as_bytes()).unwrap() else { panic!() };
        prop_assert_eq!(in_order, execution);
        let precision_ok = warnings.iter().all(|w| w.code == jobscope::WarningCode::Precision);
        prop_assert!(precision_ok, "{:?}", warnings);
    }
}
