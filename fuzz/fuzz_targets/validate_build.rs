//! Request validation and building from arbitrary field text: a valid request always builds, and its path decodes
//! back to the labels.
#![no_main]

use jobscope::{DescribeJobExecutionInput, Endpoint, LooseNumber, Plane};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(5, '\u{1}');
    let thing = parts.next().unwrap_or_default().to_owned();
    let job = parts.next().unwrap_or_default().to_owned();
    let number = parts.next().map(|s| LooseNumber::Text(s.to_owned()));
    let endpoint = parts.next().unwrap_or("http://127.0.0.1:9090");
    let plane = if data.first().is_some_and(|b| b & 1 == 1) { Plane::Control } else { Plane::Data };
    let input = DescribeJobExecutionInput {
        plane,
        thing_name: Some(thing),
        job_id: Some(job),
        execution_number: number,
        include_job_document: (plane == Plane::Data).then_some(true),
    };
    match input.validate() {
        Ok(request) => {
            let endpoint = Endpoint::parse(endpoint).ok();
            let http = request.to_http(endpoint.as_ref());
            assert!(http.path.starts_with("/things/"));
            let _ = (request.to_curl(endpoint.as_ref()), request.to_aws_cli(endpoint.as_ref()), request.to_mqtt());
            assert_eq!(request.to_input().validate().as_ref(), Ok(&request));
        }
        Err(violations) => assert!(!violations.as_slice().is_empty()),
    }
});
