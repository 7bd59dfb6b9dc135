//! Response decoding: status, headers and body from the fuzzer's bytes; both planes, with and without a request.
#![no_main]

use jobscope::{DescribeJobExecutionInput, Plane, decode_response};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let status = 100 + u16::from_le_bytes([data[0], data[1]]) % 500;
    let plane = if data[2] & 1 == 0 { Plane::Data } else { Plane::Control };
    let rest = &data[3..];
    // The first line (up to a newline) is one header value; the rest is the body.
    let (header, body) = match rest.iter().position(|b| *b == b'\n') {
        Some(i) => (String::from_utf8_lossy(&rest[..i]).into_owned(), &rest[i + 1..]),
        None => (String::new(), rest),
    };
    let headers = [("x-amzn-errortype", header.as_str()), ("x-amzn-requestid", "fuzz")];
    let _ = decode_response(plane, None, status, &headers, body);
    let request = DescribeJobExecutionInput {
        plane,
        thing_name: Some("thing".into()),
        job_id: Some(if plane == Plane::Data { "$next" } else { "job" }.into()),
        execution_number: Some("1".into()),
        ..Default::default()
    }
    .validate()
    .expect("a valid request");
    if let Ok(outcome) = request.decode_response(status, &headers, body) {
        for warning in outcome.warnings() {
            assert!(warning.message.starts_with(&warning.field));
        }
    }
});
