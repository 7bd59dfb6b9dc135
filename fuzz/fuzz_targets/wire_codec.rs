//! The wire codec's readers on arbitrary input: request paths and queries, JSON request bodies, error responses.
//! Whatever they accept must survive the round trip through the matching writer.
#![no_main]

use jobscope::codec::{JsonBody, Query, UpdateJobExecutionInput, encode_query};
use jobscope::{DescribeJobExecutionRequest, Plane, ServiceError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let plane = if data.first().is_some_and(|b| b & 1 == 1) { Plane::Control } else { Plane::Data };
    // Path, then query, separated by `?` as on a request line.
    let (path, query) = text.split_once('?').unwrap_or((&text, ""));
    if let Ok(request) = DescribeJobExecutionRequest::from_http(plane, "GET", path, query) {
        let http = request.to_http(None);
        let back = DescribeJobExecutionRequest::from_http(plane, http.method, &http.path, &http.query);
        assert_eq!(back.as_ref(), Ok(&request));
    }
    if let Ok(parsed) = Query::parse(&text) {
        let again = Query::parse(&encode_query(parsed.pairs())).expect("an encoded query parses");
        assert_eq!(again, parsed);
    }
    let _ = JsonBody::parse(data);
    let _ = UpdateJobExecutionInput::from_json(data);
    // An error response: the decoded error encodes to a response that decodes to the same error.
    let status = 400 + u16::from(data.first().copied().unwrap_or(0)) % 200;
    let error = ServiceError::from_http(status, &[("x-amzn-ErrorType", "ThrottlingException")], data);
    let http = error.to_http();
    let again = ServiceError::from_http(http.status, &http.headers, http.body.as_bytes());
    assert_eq!(again.code, error.code);
    assert_eq!(again.message, error.message);
});
