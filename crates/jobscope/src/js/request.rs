//! `validateRequest` and `buildRequest`.

use serde::Serialize;
use wasm_bindgen::JsValue;

use super::args::{Strings, with_input};
use super::input::{FastInput, read_input};
use super::out::{self, Record, Thrown, VALID};
use super::read::{optional_object, string_field};
use crate::{
    DescribeJobExecutionInput, DescribeJobExecutionRequest, Endpoint, MqttRequest, Plane, Violation,
};

/// `ValidationResult` (only an invalid one is written: a valid one is the flag [`VALID`]).
#[derive(Serialize)]
struct ValidationResult<'a> {
    valid: bool,
    violations: &'a [Violation],
}

/// `BuiltRequest`: the HTTP request (headers as a record), its plane, and its curl, AWS CLI and MQTT forms (with
/// `BuildOptions.clientToken` in the MQTT payload).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BuiltRequest {
    plane: Plane,
    method: &'static str,
    path: String,
    query: String,
    url: String,
    headers: Record,
    curl: String,
    aws_cli: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    mqtt: Option<MqttRequest>,
}

impl BuiltRequest {
    fn new(
        request: &DescribeJobExecutionRequest,
        endpoint: Option<&Endpoint>,
        client_token: Option<&str>,
    ) -> Self {
        let http = request.to_http(endpoint);
        BuiltRequest {
            plane: request.plane(),
            method: http.method,
            path: http.path,
            query: http.query,
            url: http.url,
            headers: Record(http.headers),
            curl: request.to_curl(endpoint),
            aws_cli: request.to_aws_cli(endpoint),
            mqtt: request.to_mqtt_with_token(client_token),
        }
    }
}

/// The validation result as the output.
fn validated(input: DescribeJobExecutionInput) -> u32 {
    match input.validate() {
        Ok(_) => out::flag(VALID),
        Err(violations) => out::write(
            &ValidationResult {
                valid: false,
                violations: violations.as_slice(),
            },
            0,
        ),
    }
}

pub(crate) fn validate_full(input: &JsValue) -> Result<u32, Thrown> {
    Ok(validated(read_input(input, "input")?))
}

pub(crate) fn build_full(input: &JsValue, options: &JsValue) -> Result<u32, Thrown> {
    let input = read_input(input, "input")?;
    let (endpoint, client_token) = match optional_object(options, "options")? {
        Some(options) => (
            string_field(&options, "options", "endpoint")?,
            string_field(&options, "options", "clientToken")?,
        ),
        None => (None, None),
    };
    let endpoint = endpoint
        .map(|text| Endpoint::parse(&text).map_err(|v| Thrown::Validation(vec![v])))
        .transpose()?;
    let request = input.validate().map_err(|v| Thrown::Validation(v.0))?;
    Ok(out::write(
        &BuiltRequest::new(&request, endpoint.as_ref(), client_token.as_deref()),
        0,
    ))
}

/// The fast path of `validateRequest` (`build` 0) and `buildRequest` (`build` 1). The call's strings are, in order,
/// `thingName`, `jobId`, the number's text, `endpoint` and `clientToken` (UTF-16 lengths, negative when absent);
/// `bytes` is their UTF-8 length in the input buffer. Returns 1 with the output, or 0 to send the call to the full
/// path (which also owns the errors: an invalid request or endpoint when building).
#[allow(clippy::too_many_arguments)] // one argument per input field, to cross the boundary once
#[unsafe(no_mangle)]
pub extern "C" fn jobscope_request(
    build: u32,
    plane: u32,
    thing_name: i32,
    job_id: i32,
    number_kind: u32,
    number_text: i32,
    number: f64,
    include: u32,
    endpoint: i32,
    client_token: i32,
    bytes: u32,
) -> u32 {
    let fields = FastInput {
        plane,
        thing_name,
        job_id,
        number_kind,
        number_text,
        number,
        include,
    };
    with_input(bytes, |input| {
        let mut strings = Strings::new(input)?;
        let input = fields.read(&mut strings)?;
        let endpoint = strings.take(endpoint)?;
        let client_token = strings.take(client_token)?;
        if !strings.done() {
            return None;
        }
        if build == 0 {
            return Some(validated(input));
        }
        let endpoint = endpoint.map(Endpoint::parse).transpose().ok()?;
        let request = input.validate().ok()?;
        Some(out::write(
            &BuiltRequest::new(&request, endpoint.as_ref(), client_token),
            0,
        ))
    })
    .unwrap_or(0)
}
