//! The JS API of the npm package `jobscope` (feature `js`): plain functions over plain objects, no classes to free.
//!
//! Inputs are read field by field so a wrong type is a clear `TypeError`, never a wasm panic.
//!
//! Outputs take one path: each shape is a serde `Serialize` type (the core's types, and the few JS-only shapes
//! below that assemble them), written as JSON by one serializer ([`JsJson`]) and parsed once by the JS engine
//! ([`to_js`]). The 64-bit story lives in that serializer: a `long` is a `number` when JavaScript holds it exactly
//! (|v| ≤ 2^53 − 1) and an exact `bigint` otherwise. The TypeScript types are
//! `npm/types.d.ts`; `tests/dts_unions.rs` holds its string unions to the Rust enums.

use std::fmt::{self, Write as _};

use js_sys::{Array, BigInt, Object, Reflect, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::codec::json::push_string;
use crate::codec::mqtt::{MqttMessage, decode_message};
use crate::codec::{PendingJobExecutions, UpdateJobExecutionResponse};
use crate::text::{Float, Quoted};
use crate::{
    DescribeJobExecutionInput, DescribeJobExecutionRequest, DescribeOutcome, Endpoint, Explanation,
    JobExecution, LooseNumber, MAX_SAFE_INTEGER, MqttRequest, Plane, ServiceError, Violation,
    Violations, Warning, explain_name,
};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("../npm/types.d.ts");

// ---- Outputs: the JS-only shapes, and the one way a Rust value becomes a JS value ----

/// `ValidationResult`.
#[derive(Serialize)]
struct ValidationResult<'a> {
    valid: bool,
    violations: &'a [Violation],
}

impl<'a> ValidationResult<'a> {
    fn of(violations: &'a [Violation]) -> Self {
        ValidationResult {
            valid: violations.is_empty(),
            violations,
        }
    }
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

/// Name/value pairs as a JS record (`{name: value}`): `BuiltRequest.headers` and `SignedHeaders`.
struct Record(Vec<(String, String)>);

impl Serialize for Record {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(name, value)| (name, value)))
    }
}

/// `ParseResult` (parseResponse: the first three kinds) and `MqttParseResult` (parseMqttMessage: all five), tagged
/// by `kind`. The lists and the update's answer are the core's serde forms, flat beside `kind` and `warnings`.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum ParseResult<'a> {
    Execution {
        execution: &'a JobExecution,
        warnings: &'a [Warning],
    },
    None {
        warnings: &'a [Warning],
    },
    Error {
        error: ServiceErrorWithExplanation<'a>,
    },
    /// `MqttPendingResult`: GetPendingJobExecutions accepted, or `notify`.
    Pending {
        #[serde(flatten)]
        pending: &'a PendingJobExecutions,
        warnings: &'a [Warning],
    },
    /// `MqttUpdatedResult`: UpdateJobExecution accepted.
    Updated {
        #[serde(flatten)]
        answer: &'a UpdateJobExecutionResponse,
        warnings: &'a [Warning],
    },
}

impl<'a> ParseResult<'a> {
    fn of(outcome: &'a Result<DescribeOutcome, ServiceError>) -> Self {
        match outcome {
            Ok(outcome) => Self::described(outcome),
            Err(error) => Self::error(error),
        }
    }

    fn of_mqtt(message: &'a Result<MqttMessage, ServiceError>) -> Self {
        match message {
            Ok(MqttMessage::Execution(outcome)) => Self::described(outcome),
            Ok(MqttMessage::Pending { pending, warnings }) => {
                ParseResult::Pending { pending, warnings }
            }
            Ok(MqttMessage::Updated { answer, warnings }) => {
                ParseResult::Updated { answer, warnings }
            }
            Err(error) => Self::error(error),
        }
    }

    fn described(outcome: &'a DescribeOutcome) -> Self {
        match outcome {
            DescribeOutcome::Execution {
                execution,
                warnings,
            } => ParseResult::Execution {
                execution,
                warnings,
            },
            DescribeOutcome::NothingPending { warnings } => ParseResult::None { warnings },
        }
    }

    fn error(error: &'a ServiceError) -> Self {
        ParseResult::Error {
            error: ServiceErrorWithExplanation::new(error),
        }
    }
}

/// `ServiceError`: the core's [`ServiceError`] (with an MQTT rejection's `executionState`) plus what it means.
#[derive(Serialize)]
struct ServiceErrorWithExplanation<'a> {
    #[serde(flatten)]
    error: &'a ServiceError,
    retryable: bool,
    explanation: &'static Explanation,
}

impl<'a> ServiceErrorWithExplanation<'a> {
    fn new(error: &'a ServiceError) -> Self {
        ServiceErrorWithExplanation {
            error,
            retryable: error.retryable(),
            explanation: error.explanation(),
        }
    }
}

#[wasm_bindgen(inline_js = r#"
const bigints = (key, value) => (typeof value === 'string' && value.charCodeAt(0) === 0xd800 ? BigInt(value.slice(1)) : value);
export function fromJson(text, hasBigints) { return hasBigints ? JSON.parse(text, bigints) : JSON.parse(text); }
"#)]
extern "C" {
    /// `JSON.parse`, turning the strings [`JsJson`] wrote for integers beyond 2^53 into `bigint`s.
    #[wasm_bindgen(js_name = fromJson)]
    fn from_json(json: &str, has_bigints: bool) -> JsValue;
}

/// Every output's way into JavaScript: written as JSON by [`JsJson`], then one `JSON.parse` in the engine (one
/// string across the boundary instead of a property write per field).
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let mut writer = JsJson {
        json: String::with_capacity(2048),
        bigints: false,
        in_key: false,
    };
    value
        .serialize(&mut writer)
        .map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))?;
    Ok(from_json(&writer.json, writer.bigints))
}

/// The one serializer configuration for every output: compact JSON, strings through the core's escaper
/// ([`push_string`]), and the package's rule for 64-bit integers — beyond ±(2^53 − 1), where a JS number would
/// round, the value is written as a JSON string of U+D800 and its digits, which [`from_json`] turns into a `bigint`.
/// A lone surrogate cannot occur in a Rust string, so no text from a response can look like one.
struct JsJson {
    json: String,
    /// Set when an integer was written as a bigint (only then does `JSON.parse` need its reviver).
    bigints: bool,
    /// Writing an object key, where an integer stays plain digits.
    in_key: bool,
}

impl JsJson {
    fn integer(&mut self, negative: bool, magnitude: u64) {
        let big = !self.in_key && magnitude > MAX_SAFE_INTEGER as u64;
        if big {
            self.bigints = true;
            self.json.push_str("\"\\ud800");
        }
        if negative {
            self.json.push('-');
        }
        let _ = write!(self.json, "{magnitude}");
        if big {
            self.json.push('"');
        }
    }
}

/// A value [`JsJson`] does not write (bytes, enum variants with data, a key that is not a string or number): none
/// of the package's shapes has one.
#[derive(Debug)]
struct Unsupported;

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("jobscope: an output holds a value the JS serializer does not write")
    }
}

impl std::error::Error for Unsupported {}

impl serde::ser::Error for Unsupported {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Unsupported
    }
}

type Never = serde::ser::Impossible<(), Unsupported>;

impl<'a> serde::Serializer for &'a mut JsJson {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Never;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Never;

    fn serialize_bool(self, v: bool) -> Result<(), Unsupported> {
        self.json.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Unsupported> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Unsupported> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Unsupported> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Unsupported> {
        self.integer(v < 0, v.unsigned_abs());
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Unsupported> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Unsupported> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Unsupported> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Unsupported> {
        self.integer(false, v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Unsupported> {
        self.serialize_f64(v.into())
    }
    /// The shortest text that reads back as the same number; `null` for NaN and ±∞, as JSON has none.
    fn serialize_f64(self, v: f64) -> Result<(), Unsupported> {
        if v.is_finite() {
            let _ = write!(self.json, "{}", Float(v));
        } else {
            self.json.push_str("null");
        }
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Unsupported> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Unsupported> {
        push_string(&mut self.json, v);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_none(self) -> Result<(), Unsupported> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Unsupported> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Unsupported> {
        self.json.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unsupported> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Unsupported> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Unsupported> {
        Ok(Compound::open(self, '['))
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'a>, Unsupported> {
        Ok(Compound::open(self, '['))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Unsupported> {
        Ok(Compound::open(self, '['))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Never, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, Unsupported> {
        Ok(Compound::open(self, '{'))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Unsupported> {
        Ok(Compound::open(self, '{'))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Never, Unsupported> {
        Err(Unsupported)
    }
}

/// An array or object being written: commas between members, the closing bracket at the end.
struct Compound<'a> {
    writer: &'a mut JsJson,
    first: bool,
}

impl<'a> Compound<'a> {
    fn open(writer: &'a mut JsJson, bracket: char) -> Self {
        writer.json.push(bracket);
        Compound {
            writer,
            first: true,
        }
    }

    fn comma(&mut self) {
        if !self.first {
            self.writer.json.push(',');
        }
        self.first = false;
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.comma();
        value.serialize(&mut *self.writer)
    }

    /// A struct member's name and its colon.
    fn name(&mut self, name: &str) {
        self.comma();
        push_string(&mut self.writer.json, name);
        self.writer.json.push(':');
    }

    /// A map key: a string as it is, a number in quotes (as serde_json writes them); nothing else.
    fn key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unsupported> {
        self.comma();
        let start = self.writer.json.len();
        self.writer.in_key = true;
        let written = key.serialize(&mut *self.writer);
        self.writer.in_key = false;
        written?;
        match self.writer.json.as_bytes().get(start) {
            Some(b'"') => {}
            Some(b'-' | b'0'..=b'9') => {
                self.writer.json.insert(start, '"');
                self.writer.json.push('"');
            }
            _ => return Err(Unsupported),
        }
        self.writer.json.push(':');
        Ok(())
    }

    fn close(self, bracket: char) -> Result<(), Unsupported> {
        self.writer.json.push(bracket);
        Ok(())
    }
}

/// The three array-like serializer parts: each element written as it comes, closed with `]`.
macro_rules! array_like {
    ($($part:ident :: $element:ident),*) => {$(
        impl serde::ser::$part for Compound<'_> {
            type Ok = ();
            type Error = Unsupported;
            fn $element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
                self.element(value)
            }
            fn end(self) -> Result<(), Unsupported> {
                self.close(']')
            }
        }
    )*};
}

array_like!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

impl serde::ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unsupported> {
        self.key(key)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        value.serialize(&mut *self.writer)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.close('}')
    }
}

impl serde::ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        self.name(key);
        value.serialize(&mut *self.writer)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.close('}')
    }
}

// ---- The API ----

/// Validates a request, returning every violation at once.
#[wasm_bindgen(js_name = validateRequest, unchecked_return_type = "ValidationResult")]
pub fn validate_request(
    #[wasm_bindgen(unchecked_param_type = "DescribeJobExecutionInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    let violations = match read_input(&input, "input")?.validate() {
        Ok(_) => Vec::new(),
        Err(violations) => violations.0,
    };
    to_js(&ValidationResult::of(&violations))
}

/// Builds the HTTP request and its curl, AWS CLI and MQTT forms (`options.clientToken` goes into the MQTT payload).
/// Throws a `ValidationError` when invalid.
#[wasm_bindgen(js_name = buildRequest, skip_typescript)] // declared in types.d.ts (`options` is optional)
pub fn build_request(
    #[wasm_bindgen(unchecked_param_type = "DescribeJobExecutionInput")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "BuildOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let input = read_input(&input, "input")?;
    let (endpoint, client_token) = match optional_object(&options, "options")? {
        Some(options) => (
            string_field(&options, "options", "endpoint")?,
            string_field(&options, "options", "clientToken")?,
        ),
        None => (None, None),
    };
    let endpoint = endpoint
        .map(|text| Endpoint::parse(&text).map_err(|v| validation_error(vec![v])))
        .transpose()?;
    let request = input.validate().map_err(|v| validation_error(v.0))?;
    to_js(&BuiltRequest::new(
        &request,
        endpoint.as_ref(),
        client_token.as_deref(),
    ))
}

// The fast path behind the package's `validateRequest` and `buildRequest` (npm/fast.js): when the input is plain
// — strings, a number/bigint/string executionNumber, a boolean — its JS side passes the fields as arguments,
// instead of ~40 property reads across the wasm boundary. Anything else (a wrong type, an unknown key, an invalid
// request) goes to the functions above, which own every error message. The result takes the same way out as theirs
// (`to_js`). tests/npm/fastpath.test.mjs holds both paths to the same results.

/// The fast path of `validateRequest` (`build` false) and `buildRequest` (`build` true), one field per argument.
/// `number_kind`: 0 absent, 1 text, 2 number, 3 bigint (as decimal text); `include_job_document`: 0 absent,
/// 1 false, 2 true; `endpoint` and `client_token` are `BuildOptions`' (building only). Returns the
/// `ValidationResult` or the `BuiltRequest`, or `undefined` to send the caller to the full path (an invalid request
/// or endpoint when building).
#[allow(clippy::too_many_arguments)] // one argument per input field, to cross the boundary once
#[wasm_bindgen(js_name = plainRequest, skip_typescript)]
pub fn plain_request(
    build: bool,
    plane: Option<String>,
    thing_name: Option<String>,
    job_id: Option<String>,
    number_kind: u8,
    number_text: Option<String>,
    number: f64,
    include_job_document: u8,
    endpoint: Option<String>,
    client_token: Option<String>,
) -> Result<JsValue, JsValue> {
    const FULL_PATH: Result<JsValue, JsValue> = Ok(JsValue::UNDEFINED);
    let plane = match plane.as_deref().map(str::parse) {
        None => Plane::default(),
        Some(Ok(plane)) => plane,
        Some(Err(_)) => return FULL_PATH,
    };
    let execution_number = match (number_kind, number_text) {
        (0, _) => None,
        (1, Some(text)) => Some(LooseNumber::Text(text)),
        (2, _) => Some(number_from_f64(number)),
        (3, Some(text)) => Some(number_from_bigint_text(text)),
        _ => return FULL_PATH,
    };
    let input = DescribeJobExecutionInput {
        plane,
        thing_name,
        job_id,
        execution_number,
        include_job_document: match include_job_document {
            1 => Some(false),
            2 => Some(true),
            _ => None,
        },
    };
    let validated = input.validate();
    if !build {
        let violations = validated.err().map(|v| v.0).unwrap_or_default();
        return to_js(&ValidationResult::of(&violations));
    }
    let endpoint = match endpoint.as_deref().map(Endpoint::parse) {
        None => None,
        Some(Ok(endpoint)) => Some(endpoint),
        Some(Err(_)) => return FULL_PATH,
    };
    match validated {
        Ok(request) => to_js(&BuiltRequest::new(
            &request,
            endpoint.as_ref(),
            client_token.as_deref(),
        )),
        Err(_) => FULL_PATH,
    }
}

/// Decodes and checks a response. Service and protocol errors are returned as `{kind: 'error'}`, not thrown.
#[wasm_bindgen(js_name = parseResponse, skip_typescript)] // declared in types.d.ts (`options` is optional)
pub fn parse_response(
    #[wasm_bindgen(unchecked_param_type = "HttpResponseInput")] response: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ParseOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let response = required_object(&response, "response")?;
    let status = Reflect::get(&response, &"status".into())?;
    let status = status
        .as_f64()
        .filter(|s| s.fract() == 0.0 && (100.0..=599.0).contains(s))
        .ok_or_else(|| {
            type_error(format!(
                "response.status must be an HTTP status from 100 to 599, got {}",
                describe(&status)
            ))
        })? as u16;
    let headers = read_headers(&Reflect::get(&response, &"headers".into())?)?;
    let body = read_bytes(&Reflect::get(&response, &"body".into())?, "response.body")?;

    let options = optional_object(&options, "options")?;
    let mut plane = None;
    let mut request: Option<DescribeJobExecutionRequest> = None;
    if let Some(options) = &options {
        plane = string_field(options, "options", "plane")?
            .map(|p| {
                p.parse::<Plane>()
                    .map_err(|e| type_error(format!("options.{e}")))
            })
            .transpose()?;
        let raw = Reflect::get(options, &"request".into())?;
        if !raw.is_undefined() && !raw.is_null() {
            let mut input = read_input(&raw, "options.request")?;
            if let Some(plane) = plane {
                if raw_has(&raw, "plane") && input.plane != plane {
                    return Err(type_error(format!(
                        "options.plane is '{plane}' but options.request.plane is '{}'",
                        input.plane
                    )));
                }
                input.plane = plane;
            }
            request = Some(input.validate().map_err(|v| validation_error(v.0))?);
        }
    }
    let plane = plane
        .or(request.as_ref().map(DescribeJobExecutionRequest::plane))
        .unwrap_or_default();
    let outcome = crate::decode_response(plane, request.as_ref(), status, &headers, &body);
    to_js(&ParseResult::of(&outcome))
}

/// Decodes a message that arrived on a Jobs topic (an accepted or rejected reply, `notify` or `notify-next`), with
/// the same checks and result shape as `parseResponse`, plus the kinds `pending` and `updated`. Rejections and
/// malformed messages are returned as `{kind: 'error'}`, not thrown.
#[wasm_bindgen(js_name = parseMqttMessage, skip_typescript)] // declared in types.d.ts (`options` is optional)
pub fn parse_mqtt_message(
    #[wasm_bindgen(unchecked_param_type = "MqttMessageInput")] message: JsValue,
    #[wasm_bindgen(unchecked_param_type = "MqttParseOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let message = required_object(&message, "message")?;
    let topic = Reflect::get(&message, &"topic".into())?;
    let topic = topic.as_string().ok_or_else(|| {
        type_error(format!(
            "message.topic must be a string, got {}",
            describe(&topic)
        ))
    })?;
    let payload = read_bytes(
        &Reflect::get(&message, &"payload".into())?,
        "message.payload",
    )?;

    let mut request = None;
    let mut client_token = None;
    if let Some(options) = optional_object(&options, "options")? {
        client_token = string_field(&options, "options", "clientToken")?;
        let raw = Reflect::get(&options, &"request".into())?;
        if !raw.is_undefined() && !raw.is_null() {
            let input = read_input(&raw, "options.request")?;
            if input.plane != Plane::Data {
                return Err(type_error(format!(
                    "options.request.plane must be 'data': the MQTT API is the data plane's, got '{}'",
                    input.plane
                )));
            }
            request = Some(input.validate().map_err(|v| validation_error(v.0))?);
        }
    }
    let decoded = decode_message(&topic, &payload, request.as_ref(), client_token.as_deref());
    to_js(&ParseResult::of_mqtt(&decoded))
}

/// Signs a built request (SigV4) and returns the headers to send with it. The secret never leaves this call.
#[wasm_bindgen(js_name = signRequest, unchecked_return_type = "SignedHeaders")]
pub fn sign_request(
    #[wasm_bindgen(
        unchecked_param_type = "Pick<BuiltRequest, 'url'> & Partial<Pick<BuiltRequest, 'method' | 'plane'>>"
    )]
    request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Credentials")] credentials: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SignOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let request = required_object(&request, "request")?;
    let url = string_field(&request, "request", "url")?.ok_or_else(|| {
        type_error("request.url must be a string (an absolute http(s) URL)".into())
    })?;
    let method = string_field(&request, "request", "method")?.unwrap_or_else(|| "GET".into());
    let credentials_object = required_object(&credentials, "credentials")?;
    let access_key_id = string_field(&credentials_object, "credentials", "accessKeyId")?
        .ok_or_else(|| type_error("credentials.accessKeyId is required".into()))?;
    let secret_access_key = string_field(&credentials_object, "credentials", "secretAccessKey")?
        .ok_or_else(|| type_error("credentials.secretAccessKey is required".into()))?;
    let session_token = string_field(&credentials_object, "credentials", "sessionToken")?;
    let options = required_object(&options, "options")?;
    let region = string_field(&options, "options", "region")?
        .ok_or_else(|| type_error("options.region is required".into()))?;
    let service = match string_field(&options, "options", "service")? {
        Some(s) if s == "iot-jobs-data" || s == "iot" => s,
        Some(other) => {
            return Err(type_error(format!(
                "options.service must be 'iot-jobs-data' or 'iot', got {}",
                Quoted(&other)
            )));
        }
        None => match string_field(&request, "request", "plane")?.as_deref() {
            Some("control") => "iot".into(),
            Some("data") | None => "iot-jobs-data".into(),
            Some(other) => {
                return Err(type_error(format!(
                    "request.plane must be 'data' or 'control', got {}",
                    Quoted(other)
                )));
            }
        },
    };
    let time = Reflect::get(&options, &"time".into())?;
    let millis = if time.is_undefined() || time.is_null() {
        js_sys::Date::now()
    } else if let Some(ms) = time.as_f64() {
        ms
    } else if time.is_instance_of::<js_sys::Date>() {
        time.unchecked_ref::<js_sys::Date>().get_time()
    } else {
        return Err(type_error(format!(
            "options.time must be a Date or epoch milliseconds, got {}",
            describe(&time)
        )));
    };
    if !millis.is_finite() {
        return Err(type_error("options.time is not a valid time".into()));
    }
    let credentials = crate::sigv4::Credentials {
        access_key_id,
        secret_access_key,
        session_token,
    };
    let signed = crate::sigv4::sign_url(
        &method,
        &url,
        &credentials,
        &region,
        &service,
        (millis / 1000.0).floor() as i64,
    )
    .map_err(|e| js_sys::Error::new(&format!("signRequest: {e}")))?;
    to_js(&Record(signed.headers))
}

/// Explains an error code (`ResourceNotFoundException`, `com.amazonaws.iot#ThrottlingException`, `NetworkError`, …).
#[wasm_bindgen(js_name = explainError, unchecked_return_type = "Explanation")]
pub fn explain_error(
    #[wasm_bindgen(unchecked_param_type = "ErrorCode")] code: JsValue,
) -> Result<JsValue, JsValue> {
    let code = code
        .as_string()
        .ok_or_else(|| type_error(format!("code must be a string, got {}", describe(&code))))?;
    to_js(explain_name(&code))
}

// ---- Errors and input reading ----

fn type_error(message: String) -> JsValue {
    js_sys::TypeError::new(&message).into()
}

/// A `ValidationError`: an `Error` named so, with every violation in `violations`.
fn validation_error(violations: Vec<Violation>) -> JsValue {
    let violations = Violations(violations);
    let error = js_sys::Error::new(&violations.to_string());
    error.set_name("ValidationError");
    match to_js(&violations) {
        // Reflect.set on a fresh Error cannot fail.
        Ok(list) => drop(Reflect::set(&error, &"violations".into(), &list)),
        Err(e) => return e,
    }
    error.into()
}

/// A short description of a JS value for error messages: `a number (5)`, `null`, `an array`.
fn describe(value: &JsValue) -> String {
    if value.is_undefined() {
        "undefined".into()
    } else if value.is_null() {
        "null".into()
    } else if let Some(s) = value.as_string() {
        let shown: String = s.chars().take(40).collect();
        format!("a string ({})", Quoted(&shown))
    } else if let Some(n) = value.as_f64() {
        if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER as f64 {
            format!("a number ({})", n as i64)
        } else {
            format!("a number ({})", crate::text::Float(n))
        }
    } else if value.is_bigint() {
        "a bigint".into()
    } else if let Some(b) = value.as_bool() {
        format!("a boolean ({b})")
    } else if Array::is_array(value) {
        "an array".into()
    } else if value.is_function() {
        "a function".into()
    } else {
        "an object".into()
    }
}

fn is_plain_object(value: &JsValue) -> bool {
    value.is_object() && !Array::is_array(value) && !value.is_function()
}

fn required_object(value: &JsValue, name: &str) -> Result<Object, JsValue> {
    if is_plain_object(value) {
        Ok(value.clone().unchecked_into())
    } else {
        Err(type_error(format!(
            "{name} must be an object, got {}",
            describe(value)
        )))
    }
}

fn optional_object(value: &JsValue, name: &str) -> Result<Option<Object>, JsValue> {
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        required_object(value, name).map(Some)
    }
}

fn raw_has(object: &JsValue, key: &str) -> bool {
    Reflect::get(object, &key.into()).is_ok_and(|v| !v.is_undefined() && !v.is_null())
}

fn string_field(object: &Object, owner: &str, key: &str) -> Result<Option<String>, JsValue> {
    let value = Reflect::get(object, &key.into())?;
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value.as_string().map(Some).ok_or_else(|| {
        type_error(format!(
            "{owner}.{key} must be a string, got {}",
            describe(&value)
        ))
    })
}

const INPUT_KEYS: [&str; 5] = [
    "plane",
    "thingName",
    "jobId",
    "executionNumber",
    "includeJobDocument",
];

fn read_input(value: &JsValue, name: &str) -> Result<DescribeJobExecutionInput, JsValue> {
    let object = required_object(value, name)?;
    for key in Object::keys(&object).iter().filter_map(|k| k.as_string()) {
        if !INPUT_KEYS.contains(&key.as_str()) {
            let hint = INPUT_KEYS
                .iter()
                .find(|known| known.eq_ignore_ascii_case(&key))
                .map(|known| format!(" (did you mean {known}?)"))
                .unwrap_or_default();
            return Err(type_error(format!(
                "{name} has an unknown property {}{hint}; expected {}",
                Quoted(&key),
                INPUT_KEYS.join(", ")
            )));
        }
    }
    let plane = string_field(&object, name, "plane")?
        .map(|p| {
            p.parse::<Plane>()
                .map_err(|e| type_error(format!("{name}.{e}")))
        })
        .transpose()?
        .unwrap_or_default();
    let include = Reflect::get(&object, &"includeJobDocument".into())?;
    let include_job_document = if include.is_undefined() || include.is_null() {
        None
    } else {
        Some(include.as_bool().ok_or_else(|| {
            type_error(format!(
                "{name}.includeJobDocument must be a boolean, got {}",
                describe(&include)
            ))
        })?)
    };
    Ok(DescribeJobExecutionInput {
        plane,
        thing_name: string_field(&object, name, "thingName")?,
        job_id: string_field(&object, name, "jobId")?,
        execution_number: read_execution_number(
            &Reflect::get(&object, &"executionNumber".into())?,
            name,
        )?,
        include_job_document,
    })
}

fn read_execution_number(value: &JsValue, owner: &str) -> Result<Option<LooseNumber>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    if let Some(text) = value.as_string() {
        return Ok(Some(LooseNumber::Text(text)));
    }
    if let Some(number) = value.as_f64() {
        return Ok(Some(number_from_f64(number)));
    }
    if value.is_bigint() {
        let text: String = value
            .unchecked_ref::<BigInt>()
            .to_string(10)
            .map(String::from)
            .unwrap_or_default();
        return Ok(Some(number_from_bigint_text(text)));
    }
    Err(type_error(format!(
        "{owner}.executionNumber must be a number, bigint or string of digits, got {}",
        describe(value)
    )))
}

fn number_from_f64(number: f64) -> LooseNumber {
    if number.fract() == 0.0 && number.abs() <= MAX_SAFE_INTEGER as f64 {
        LooseNumber::Integer(number as i128)
    } else {
        LooseNumber::Float(number)
    }
}

fn number_from_bigint_text(text: String) -> LooseNumber {
    match text.parse::<i128>() {
        Ok(n) => LooseNumber::Integer(n),
        Err(_) => LooseNumber::Text(text),
    }
}

fn read_headers(value: &JsValue) -> Result<Vec<(String, String)>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    let mut headers = Vec::new();
    let pair_error =
        || type_error("response.headers entries must be [name, value] string pairs".into());
    if let Some(iterator) = js_sys::try_iter(value)? {
        for entry in iterator {
            let entry = entry?;
            let pair = Array::from(&entry);
            let (Some(name), Some(val)) = (pair.get(0).as_string(), pair.get(1).as_string()) else {
                return Err(pair_error());
            };
            headers.push((name, val));
        }
        return Ok(headers);
    }
    let object = required_object(value, "response.headers")?;
    for entry in Object::entries(&object).iter() {
        let pair = Array::from(&entry);
        let name = pair.get(0).as_string().unwrap_or_default();
        let val = pair.get(1);
        let val = val.as_string().ok_or_else(|| {
            type_error(format!(
                "response.headers[{}] must be a string, got {}",
                Quoted(&name),
                describe(&val)
            ))
        })?;
        headers.push((name, val));
    }
    Ok(headers)
}

/// `response.body` or `message.payload`: text (as UTF-8), a `Uint8Array` (a Node `Buffer` is one) or an `ArrayBuffer`.
fn read_bytes(value: &JsValue, name: &str) -> Result<Vec<u8>, JsValue> {
    if let Some(text) = value.as_string() {
        return Ok(text.into_bytes());
    }
    if value.is_instance_of::<Uint8Array>() {
        return Ok(value.unchecked_ref::<Uint8Array>().to_vec());
    }
    if value.is_instance_of::<js_sys::ArrayBuffer>() {
        return Ok(Uint8Array::new(value).to_vec());
    }
    Err(type_error(format!(
        "{name} must be a string, Uint8Array or ArrayBuffer, got {}",
        describe(value)
    )))
}
