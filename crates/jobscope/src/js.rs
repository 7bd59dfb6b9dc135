//! The JS API of the npm package `jobscope` (feature `js`): plain functions over plain objects, no classes to free.
//!
//! Inputs are read field by field so a wrong type is a clear `TypeError`, never a wasm panic. Outputs are built
//! field by field as plain objects (no serde on this path, which keeps the wasm small); every 64-bit integer goes
//! through [`long`]: a `number` when JavaScript holds it exactly (|v| ≤ 2^53 − 1), an exact `bigint` otherwise.

use js_sys::{Array, BigInt, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::text::Quoted;
use crate::{
    DescribeJobExecutionInput, DescribeJobExecutionRequest, DescribeOutcome, Endpoint, EpochTime,
    Explanation, JobExecution, LooseNumber, MAX_SAFE_INTEGER, Plane, ServiceError, Violation,
    Violations, Warning, explain_name,
};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** Which API: the device-side data plane (`iot-jobs-data`) or the operator-side control plane (`iot`). */
export type Plane = 'data' | 'control';

/**
 * A 64-bit integer: a `number` when JavaScript holds it exactly (|v| ≤ Number.MAX_SAFE_INTEGER),
 * otherwise an exact `bigint`. Never rounded.
 */
export type Long = number | bigint;

export interface DescribeJobExecutionInput {
  /** Default `'data'`. */
  plane?: Plane;
  thingName: string;
  /** A job id, or `'$next'` on the data plane. */
  jobId: string;
  /** A whole number 0..9223372036854775807. Above 2^53 pass a string or bigint: a JS number may already be rounded. */
  executionNumber?: number | bigint | string;
  /** Data plane only. */
  includeJobDocument?: boolean;
}

export type ViolationCode =
  | 'required' | 'too_short' | 'too_long' | 'pattern' | 'not_integer' | 'out_of_range' | 'not_supported';

export interface Violation {
  /** The wire name: thingName, jobId, executionNumber, includeJobDocument or endpoint. */
  field: string;
  code: ViolationCode;
  /** e.g. "thingName: must be at most 128 characters, got 131". */
  message: string;
}

export interface ValidationResult { valid: boolean; violations: Violation[] }

/** Thrown by buildRequest (and parseResponse's `request`) for an invalid input. */
export interface ValidationError extends Error { name: 'ValidationError'; violations: Violation[] }

export interface BuildOptions {
  /** Base URL, with or without a path prefix or trailing slash. Without it `url` is relative. */
  endpoint?: string;
}

export interface MqttRequest {
  /** `$aws/things/{thingName}/jobs/{jobId}/get` */
  topic: string;
  /** e.g. `{"executionNumber":5,"includeJobDocument":false}` */
  payload: string;
  acceptedTopic: string;
  rejectedTopic: string;
}

export interface BuiltRequest {
  /** The plane the request was built for (signRequest uses its signing name). */
  plane: Plane;
  method: 'GET';
  /** Labels percent-encoded: `/things/my%3Athing/jobs/%24next`. */
  path: string;
  /** Without `?`; empty when no parameter is set. */
  query: string;
  url: string;
  headers: Record<string, string>;
  curl: string;
  awsCli: string;
  /** Data plane only. */
  mqtt?: MqttRequest;
}

export type JobExecutionStatus =
  | 'QUEUED' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'REJECTED' | 'REMOVED' | 'CANCELED'
  | (string & {});

/** A job execution with the wire names; `statusDetails` is flat on both planes. Absent fields are absent. */
export interface JobExecution {
  jobId?: string;
  /** Data plane. */
  thingName?: string;
  /** Control plane. */
  thingArn?: string;
  status?: JobExecutionStatus;
  /** Control plane. */
  forceCanceled?: boolean;
  statusDetails?: Record<string, string>;
  /** Epoch seconds; may have a fraction on the control plane. */
  queuedAt?: Long;
  startedAt?: Long;
  lastUpdatedAt?: Long;
  approximateSecondsBeforeTimedOut?: Long;
  versionNumber?: Long;
  executionNumber?: Long;
  /** Data plane; the raw document text. */
  jobDocument?: string;
}

export type WarningCode =
  | 'unknown_status' | 'time_order' | 'started_while_queued' | 'timeout_on_terminal' | 'status_details_key'
  | 'status_details_value' | 'document_too_long' | 'milliseconds' | 'request_mismatch' | 'precision' | 'fractional'
  | 'string_number' | 'out_of_range' | 'plane_mismatch' | 'unknown_field' | 'duplicate_key' | 'invalid_value'
  | 'inconsistent' | 'empty_body' | 'byte_order_mark';

export interface Warning { field: string; code: WarningCode; message: string }

export interface Explanation {
  title: string;
  /** What the error means for this DescribeJobExecution call. */
  meaning: string;
  causes: string[];
  actions: string[];
  retryable: boolean;
}

export interface ServiceError {
  /** The AWS error type (`ResourceNotFoundException`, …) or a transport code (`HttpError`, `NonJsonResponse`, `MalformedResponse`, …). */
  code: string;
  /** 0 when no HTTP response arrived. */
  httpStatus: number;
  message?: string;
  requestId?: string;
  /** ThrottlingException's `payload`, base64-decoded. */
  payload?: string;
  retryable: boolean;
  explanation: Explanation;
}

export interface HttpResponseInput {
  status: number;
  /** Names are matched case-insensitively. A fetch `Headers` object works too. */
  headers?: Record<string, string> | Iterable<[string, string]>;
  body: string | Uint8Array | ArrayBuffer;
}

export interface ParseOptions {
  /** Default: the request's plane, else `'data'`. */
  plane?: Plane;
  /** The request that was sent: the answer is checked against it. */
  request?: DescribeJobExecutionInput;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** For temporary credentials; sent as x-amz-security-token. */
  sessionToken?: string;
}

export interface SignOptions {
  /** The endpoint's region, e.g. 'us-east-1'. */
  region: string;
  /** The signing time: a Date or epoch milliseconds. Default: now. */
  time?: Date | number;
  /** The signing name; default from the request's plane: 'iot-jobs-data' (data) or 'iot' (control). */
  service?: 'iot-jobs-data' | 'iot';
}

/** Headers to add to the request: authorization, x-amz-date and, with a session token, x-amz-security-token. */
export type SignedHeaders = Record<string, string>;

export type ParseResult =
  | { kind: 'execution'; execution: JobExecution; warnings: Warning[] }
  | { kind: 'none'; warnings: Warning[] }
  | { kind: 'error'; error: ServiceError };
"#;

/// Validates a request, returning every violation at once.
#[wasm_bindgen(js_name = validateRequest, unchecked_return_type = "ValidationResult")]
pub fn validate_request(
    #[wasm_bindgen(unchecked_param_type = "DescribeJobExecutionInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    let violations = match read_input(&input, "input")?.validate() {
        Ok(_) => Vec::new(),
        Err(violations) => violations.0,
    };
    let result = Object::new();
    set(&result, "valid", &JsValue::from_bool(violations.is_empty()));
    set(&result, "violations", &violation_list(&violations));
    Ok(result.into())
}

/// Builds the HTTP request and its curl, AWS CLI and MQTT forms. Throws a `ValidationError` when invalid.
#[wasm_bindgen(js_name = buildRequest, unchecked_return_type = "BuiltRequest")]
pub fn build_request(
    #[wasm_bindgen(unchecked_param_type = "DescribeJobExecutionInput")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "BuildOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let input = read_input(&input, "input")?;
    let options = optional_object(&options, "options")?;
    let endpoint = match options
        .as_ref()
        .map(|o| string_field(o, "options", "endpoint"))
        .transpose()?
    {
        Some(Some(text)) => Some(Endpoint::parse(&text).map_err(|v| validation_error(vec![v]))?),
        _ => None,
    };
    let request = input.validate().map_err(|v| validation_error(v.0))?;
    js_sys::JSON::parse(&built_json(&request, endpoint.as_ref()))
}

// The fast path behind the package's `validateRequest` and `buildRequest` (npm/fast.js): when the input is plain
// — strings, a number/bigint/string executionNumber, a boolean — its JS side passes the fields as arguments and gets
// one JSON string back, instead of ~40 property reads and writes across the wasm boundary. Anything else (a wrong
// type, an unknown key, an invalid request) goes to the functions above, which own every error message.
// tests/npm/fastpath.test.mjs holds both paths to the same results.

/// The fast path of `validateRequest` (`build` false) and `buildRequest` (`build` true), one field per argument.
/// `number_kind`: 0 absent, 1 text, 2 number, 3 bigint (as decimal text); `include_job_document`: 0 absent,
/// 1 false, 2 true. Validating returns "" when valid, else the violations as JSON; building returns the built
/// request as JSON. "?" sends the caller to the full path (an invalid request or endpoint when building).
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
) -> String {
    const FULL_PATH: &str = "?";
    let plane = match plane.as_deref().map(str::parse) {
        None => Plane::default(),
        Some(Ok(plane)) => plane,
        Some(Err(_)) => return FULL_PATH.into(),
    };
    let execution_number = match (number_kind, number_text) {
        (0, _) => None,
        (1, Some(text)) => Some(LooseNumber::Text(text)),
        (2, _) => Some(number_from_f64(number)),
        (3, Some(text)) => Some(number_from_bigint_text(text)),
        _ => return FULL_PATH.into(),
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
        return match validated {
            Ok(_) => String::new(),
            Err(violations) => violations_json(&violations.0),
        };
    }
    let endpoint = match endpoint.as_deref().map(Endpoint::parse) {
        None => None,
        Some(Ok(endpoint)) => Some(endpoint),
        Some(Err(_)) => return FULL_PATH.into(),
    };
    match validated {
        Ok(request) => built_json(&request, endpoint.as_ref()),
        Err(_) => FULL_PATH.into(),
    }
}

fn violations_json(violations: &[Violation]) -> String {
    let mut json = String::from("[");
    for (i, v) in violations.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str("{\"field\":");
        push_json_str(&mut json, v.field);
        json.push_str(",\"code\":");
        push_json_str(&mut json, v.code.as_str());
        json.push_str(",\"message\":");
        push_json_str(&mut json, &v.message);
        json.push('}');
    }
    json.push(']');
    json
}

/// A built request as the JSON of a `BuiltRequest`: one string across the boundary, parsed by the JS engine.
fn built_json(request: &DescribeJobExecutionRequest, endpoint: Option<&Endpoint>) -> String {
    let http = request.to_http(endpoint);
    let mut json = String::with_capacity(1024);
    let field = |json: &mut String, key: &str, value: &str| {
        json.push('"');
        json.push_str(key);
        json.push_str("\":");
        push_json_str(json, value);
        json.push(',');
    };
    json.push('{');
    field(&mut json, "plane", request.plane().as_str());
    field(&mut json, "method", http.method);
    field(&mut json, "path", &http.path);
    field(&mut json, "query", &http.query);
    field(&mut json, "url", &http.url);
    json.push_str("\"headers\":{");
    for (name, value) in &http.headers {
        field(&mut json, name, value);
    }
    if json.ends_with(',') {
        json.pop();
    }
    json.push_str("},");
    field(&mut json, "curl", &request.to_curl(endpoint));
    field(&mut json, "awsCli", &request.to_aws_cli(endpoint));
    if let Some(mqtt) = request.to_mqtt() {
        json.push_str("\"mqtt\":{");
        field(&mut json, "topic", &mqtt.topic);
        field(&mut json, "payload", &mqtt.payload);
        field(&mut json, "acceptedTopic", &mqtt.accepted_topic);
        field(&mut json, "rejectedTopic", &mqtt.rejected_topic);
        json.pop();
        json.push_str("},");
    }
    json.pop();
    json.push('}');
    json
}

/// Appends `text` as a JSON string literal, copying runs that need no escape in one go.
fn push_json_str(json: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    json.push('"');
    let mut start = 0;
    for (i, &byte) in text.as_bytes().iter().enumerate() {
        let escaped = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0..=0x1f => "",
            _ => continue,
        };
        // ASCII bytes are always char boundaries.
        json.push_str(&text[start..i]);
        if escaped.is_empty() {
            json.push_str("\\u00");
            json.push(HEX[usize::from(byte >> 4)] as char);
            json.push(HEX[usize::from(byte & 0xf)] as char);
        } else {
            json.push_str(escaped);
        }
        start = i + 1;
    }
    json.push_str(&text[start..]);
    json.push('"');
}

/// Decodes and checks a response. Service and protocol errors are returned as `{kind: 'error'}`, not thrown.
#[wasm_bindgen(js_name = parseResponse, unchecked_return_type = "ParseResult")]
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
    let body = read_body(&Reflect::get(&response, &"body".into())?)?;

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
    let out = Object::new();
    match crate::decode_response(plane, request.as_ref(), status, &headers, &body) {
        Ok(DescribeOutcome::Execution {
            execution,
            warnings,
        }) => {
            set(&out, "kind", &"execution".into());
            set(&out, "execution", &execution_object(&execution));
            set(&out, "warnings", &warning_list(&warnings));
        }
        Ok(DescribeOutcome::NothingPending { warnings }) => {
            set(&out, "kind", &"none".into());
            set(&out, "warnings", &warning_list(&warnings));
        }
        Err(error) => {
            set(&out, "kind", &"error".into());
            set(&out, "error", &service_error(&error));
        }
    }
    Ok(out.into())
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
    let out = Object::new();
    for (name, value) in &signed.headers {
        set(&out, name, &value.as_str().into());
    }
    Ok(out.into())
}

/// Explains an error code (`ResourceNotFoundException`, `com.amazonaws.iot#ThrottlingException`, `NetworkError`, …).
#[wasm_bindgen(js_name = explainError, unchecked_return_type = "Explanation")]
pub fn explain_error(
    #[wasm_bindgen(unchecked_param_type = "string")] code: JsValue,
) -> Result<JsValue, JsValue> {
    let code = code
        .as_string()
        .ok_or_else(|| type_error(format!("code must be a string, got {}", describe(&code))))?;
    Ok(explanation_object(explain_name(&code)).into())
}

/// A 64-bit integer for JS: a `number` when exact, else a `bigint`.
fn long(value: i64) -> JsValue {
    if value.unsigned_abs() <= MAX_SAFE_INTEGER as u64 {
        JsValue::from_f64(value as f64)
    } else {
        BigInt::from(value).into()
    }
}

fn set_opt(object: &Object, key: &str, value: Option<JsValue>) {
    if let Some(value) = value {
        set(object, key, &value);
    }
}

fn strings(items: &[&str]) -> Array {
    items.iter().map(|s| JsValue::from_str(s)).collect()
}

fn violation_list(violations: &[Violation]) -> Array {
    violations
        .iter()
        .map(|v| {
            let o = Object::new();
            set(&o, "field", &v.field.into());
            set(&o, "code", &v.code.as_str().into());
            set(&o, "message", &v.message.as_str().into());
            JsValue::from(o)
        })
        .collect()
}

fn warning_list(warnings: &[Warning]) -> Array {
    warnings
        .iter()
        .map(|w| {
            let o = Object::new();
            set(&o, "field", &w.field.as_str().into());
            set(&o, "code", &w.code.as_str().into());
            set(&o, "message", &w.message.as_str().into());
            JsValue::from(o)
        })
        .collect()
}

fn execution_object(e: &JobExecution) -> Object {
    let text = |v: &Option<String>| v.as_deref().map(JsValue::from_str);
    let time = |t: &Option<EpochTime>| {
        t.map(|t| match t {
            EpochTime::Seconds(s) => long(s),
            EpochTime::Fractional(f) => JsValue::from_f64(f),
        })
    };
    let o = Object::new();
    set_opt(&o, "jobId", text(&e.job_id));
    set_opt(&o, "thingName", text(&e.thing_name));
    set_opt(&o, "thingArn", text(&e.thing_arn));
    set_opt(&o, "status", e.status.as_ref().map(|s| s.as_str().into()));
    set_opt(
        &o,
        "forceCanceled",
        e.force_canceled.map(JsValue::from_bool),
    );
    set_opt(
        &o,
        "statusDetails",
        e.status_details.as_ref().map(|details| {
            let map = Object::new();
            for (key, value) in details.iter() {
                set(&map, key, &value.into());
            }
            map.into()
        }),
    );
    set_opt(&o, "queuedAt", time(&e.queued_at));
    set_opt(&o, "startedAt", time(&e.started_at));
    set_opt(&o, "lastUpdatedAt", time(&e.last_updated_at));
    set_opt(
        &o,
        "approximateSecondsBeforeTimedOut",
        e.approximate_seconds_before_timed_out.map(long),
    );
    set_opt(&o, "versionNumber", e.version_number.map(long));
    set_opt(&o, "executionNumber", e.execution_number.map(long));
    set_opt(&o, "jobDocument", text(&e.job_document));
    o
}

fn explanation_object(e: &Explanation) -> Object {
    let o = Object::new();
    set(&o, "title", &e.title.into());
    set(&o, "meaning", &e.meaning.into());
    set(&o, "causes", &strings(e.causes));
    set(&o, "actions", &strings(e.actions));
    set(&o, "retryable", &JsValue::from_bool(e.retryable));
    o
}

fn service_error(error: &ServiceError) -> JsValue {
    let o = Object::new();
    set(&o, "code", &error.code.as_str().into());
    set(
        &o,
        "httpStatus",
        &JsValue::from_f64(f64::from(error.http_status)),
    );
    set_opt(
        &o,
        "message",
        error.message.as_deref().map(JsValue::from_str),
    );
    set_opt(
        &o,
        "requestId",
        error.request_id.as_deref().map(JsValue::from_str),
    );
    set_opt(
        &o,
        "payload",
        error.payload.as_deref().map(JsValue::from_str),
    );
    set(&o, "retryable", &JsValue::from_bool(error.retryable()));
    set(&o, "explanation", &explanation_object(error.explanation()));
    o.into()
}

fn set(object: &Object, key: &str, value: &JsValue) {
    // Reflect.set on a fresh plain object cannot fail.
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

fn type_error(message: String) -> JsValue {
    js_sys::TypeError::new(&message).into()
}

fn validation_error(violations: Vec<Violation>) -> JsValue {
    let violations = Violations(violations);
    let error = js_sys::Error::new(&violations.to_string());
    error.set_name("ValidationError");
    set(&error, "violations", &violation_list(&violations.0));
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

fn read_body(value: &JsValue) -> Result<Vec<u8>, JsValue> {
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
        "response.body must be a string, Uint8Array or ArrayBuffer, got {}",
        describe(value)
    )))
}
