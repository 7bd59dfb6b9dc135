//! Sans-IO decoding of a `DescribeJobExecution` response: `(status, headers, body)` → outcome, warnings or error.

use crate::codec::is_other_char;
use crate::error::{ErrorCode, ServiceError};
use crate::execution::{JobExecution, JobExecutionStatus, StatusDetails};
use crate::names::{self, JobTarget};
use crate::plane::Plane;
use crate::request::{DescribeJobExecutionRequest, MAX_SAFE_INTEGER};
use crate::text::{Quoted, excerpt};
use crate::time::EpochTime;
use crate::time::format_utc;
use crate::warning::{Warning, WarningCode};
use crate::wire::{self, WireDetails, WireExecution, WireNumber};

/// The most characters a job document may have (`JobDocument` max).
pub const JOB_DOCUMENT_MAX: usize = 32_768;
/// The most characters a status-detail value may have, per the developer guide (the model sets no maximum).
pub const DETAILS_VALUE_MAX: usize = 1_024;
/// Times above this (year 5138 in seconds) are read as probably milliseconds.
pub const MILLISECONDS_THRESHOLD: i64 = 100_000_000_000;

/// A successful `DescribeJobExecution`.
#[derive(Debug, Clone, PartialEq)]
// One outcome per call, matched by value: boxing the execution would only add an allocation.
#[allow(clippy::large_enum_variant)]
pub enum DescribeOutcome {
    /// The execution, with every warning its checks raised.
    Execution {
        /// The decoded execution.
        execution: JobExecution,
        /// Problems found; the data is still shown.
        warnings: Vec<Warning>,
    },
    /// A 200 without `execution`: `$next` with nothing pending.
    NothingPending {
        /// Problems found (e.g. an empty result for a request that named a job).
        warnings: Vec<Warning>,
    },
}

impl DescribeOutcome {
    /// The warnings of either kind of outcome.
    pub fn warnings(&self) -> &[Warning] {
        match self {
            DescribeOutcome::Execution { warnings, .. }
            | DescribeOutcome::NothingPending { warnings } => warnings,
        }
    }

    /// The execution, when there is one.
    pub fn execution(&self) -> Option<&JobExecution> {
        match self {
            DescribeOutcome::Execution { execution, .. } => Some(execution),
            DescribeOutcome::NothingPending { .. } => None,
        }
    }
}

/// Decodes a response received for `request` (its plane, and checks that the answer matches what was asked).
impl DescribeJobExecutionRequest {
    /// Decodes and checks the response to this request.
    ///
    /// ```
    /// use jobscope::{DescribeJobExecutionInput, DescribeOutcome};
    /// let request = DescribeJobExecutionInput {
    ///     thing_name: Some("sensor-1".into()),
    ///     job_id: Some("$next".into()),
    ///     ..Default::default()
    /// }
    /// .validate()?;
    /// let body = br#"{"execution":{"jobId":"fw-1","thingName":"sensor-1","status":"QUEUED",
    ///                 "queuedAt":1718463600,"lastUpdatedAt":1718463600,"versionNumber":1,"executionNumber":1}}"#;
    /// let outcome = request.decode_response(200, &[("content-type", "application/json")], body).unwrap();
    /// let DescribeOutcome::Execution { execution, warnings } = outcome else { panic!() };
    /// assert_eq!(execution.job_id.as_deref(), Some("fw-1"));
    /// assert!(warnings.is_empty());
    /// # Ok::<(), jobscope::Violations>(())
    /// ```
    pub fn decode_response<H: AsRef<str>>(
        &self,
        status: u16,
        headers: &[(H, H)],
        body: &[u8],
    ) -> Result<DescribeOutcome, ServiceError> {
        decode_response(self.plane(), Some(self), status, headers, body)
    }
}

/// Decodes and checks a response for a plane, optionally against the request that was sent.
///
/// Errors: the service's own (type from `x-amzn-ErrorType`, else body `code`, else `__type`), untyped statuses
/// (`HttpError`), non-JSON error bodies (`NonJsonResponse`), and 2xx bodies that are not a result
/// (`MalformedResponse`).
///
/// ```
/// use jobscope::{decode_response, ErrorCode, Plane};
/// let headers = [("X-Amzn-ErrorType", "ThrottlingException"), ("x-amzn-RequestId", "r-1")];
/// let body = br#"{"message":"Rate exceeded","payload":"aGVsbG8="}"#;
/// let error = decode_response(Plane::Data, None, 429, &headers, body).unwrap_err();
/// assert_eq!(error.code, ErrorCode::ThrottlingException);
/// assert_eq!(error.payload.as_deref(), Some("hello"));
/// assert_eq!(error.request_id.as_deref(), Some("r-1"));
/// assert!(error.retryable());
/// ```
pub fn decode_response<H: AsRef<str>>(
    plane: Plane,
    request: Option<&DescribeJobExecutionRequest>,
    status: u16,
    headers: &[(H, H)],
    body: &[u8],
) -> Result<DescribeOutcome, ServiceError> {
    if !(200..300).contains(&status) {
        return Err(ServiceError::from_http(status, headers, body));
    }
    decode_success(plane, request, status, body, Transport::Http).map_err(|mut error| {
        error.request_id = crate::codec::request_id(headers).map(str::to_owned);
        error
    })
}

fn malformed(status: u16, message: impl Into<String>) -> ServiceError {
    ServiceError::new(ErrorCode::MalformedResponse, status, message)
}

/// The wire a body came over: HTTP, or an MQTT accepted/notify message (with the `clientToken` the request sent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transport<'a> {
    Http,
    Mqtt { client_token: Option<&'a str> },
}

pub(crate) fn decode_success(
    plane: Plane,
    request: Option<&DescribeJobExecutionRequest>,
    status: u16,
    body: &[u8],
    transport: Transport<'_>,
) -> Result<DescribeOutcome, ServiceError> {
    let mut warnings = Vec::new();
    let body = match body.strip_prefix("\u{feff}".as_bytes()) {
        Some(rest) => {
            warnings.push(Warning::new(
                "body",
                WarningCode::ByteOrderMark,
                "starts with a byte-order mark (U+FEFF), which JSON does not allow; it was skipped",
            ));
            rest
        }
        None => body,
    };
    let body = match std::str::from_utf8(body) {
        Ok(text) => text,
        Err(e) => {
            return Err(malformed(
                status,
                format!(
                    "the body is not valid UTF-8 (first bad byte at offset {})",
                    e.valid_up_to()
                ),
            ));
        }
    };
    if body.bytes().all(|b| b.is_ascii_whitespace()) {
        warnings.push(Warning::new(
            "body",
            WarningCode::EmptyBody,
            format_args!("HTTP {status} with an empty body; read as a result without an execution"),
        ));
        check_nothing_pending(request, &mut warnings);
        return Ok(DescribeOutcome::NothingPending { warnings });
    }
    let parsed = wire::parse_body(body).map_err(|(error, field)| {
        let message = match field {
            _ if error.is_eof() => format!("the body is not valid JSON: {error}"),
            Some("execution") if error.is_syntax() => {
                format!("the body is not valid JSON: {error}")
            }
            Some("execution") => format!("execution: {error}"),
            Some(field) => format!("execution.{field}: {error}"),
            None if error.is_syntax() || error.is_eof() => {
                format!("the body is not valid JSON: {error}")
            }
            None => format!("the body is not a DescribeJobExecution result: {error}"),
        };
        malformed(status, message)
    })?;
    if let Some(kind) = parsed.embedded_error {
        return Err(malformed(
            status,
            format!(
                "HTTP {status} carried an error ({kind}) instead of a result, so the call had no effect"
            ),
        ));
    }
    if let Transport::Mqtt {
        client_token: Some(sent),
    } = transport
        && parsed.client_token.as_deref() != Some(sent)
    {
        let got = match &parsed.client_token {
            Some(got) => format!("{}", Quoted(got)),
            None => "none".to_owned(),
        };
        warnings.push(Warning::new(
            "clientToken",
            WarningCode::RequestMismatch,
            format_args!(
                "is {got}, but the request sent {}: this reply may answer another request",
                Quoted(sent)
            ),
        ));
    }
    for field in parsed.unknown_fields {
        warnings.push(Warning::new(
            field,
            WarningCode::UnknownField,
            "is not a member of DescribeJobExecutionResponse; ignored",
        ));
    }
    match parsed.execution {
        None => {
            check_nothing_pending(request, &mut warnings);
            Ok(DescribeOutcome::NothingPending { warnings })
        }
        Some(wire) => {
            let execution = convert(plane, wire, status, transport, &mut warnings)?;
            check(&execution, request, &mut warnings);
            Ok(DescribeOutcome::Execution {
                execution,
                warnings,
            })
        }
    }
}

fn check_nothing_pending(
    request: Option<&DescribeJobExecutionRequest>,
    warnings: &mut Vec<Warning>,
) {
    if let Some(JobTarget::Id(job)) = request.map(DescribeJobExecutionRequest::job) {
        warnings.push(Warning::new(
            "execution",
            WarningCode::RequestMismatch,
            format_args!(
                "is missing, but the request named job {}; only a $next request should come back without an execution",
                Quoted(job.as_str())
            ),
        ));
    }
}

/// Reads a `long` member exactly; a fraction is truncated toward zero with a warning.
fn long(
    field: &'static str,
    number: WireNumber,
    status: u16,
    warnings: &mut Vec<Warning>,
) -> Result<i64, ServiceError> {
    let value = match number {
        WireNumber::Int(value) => value,
        WireNumber::Text(value) => {
            warnings.push(Warning::new(
                field,
                WarningCode::StringNumber,
                format_args!(
                    "arrived as the string \"{value}\"; the model says a number. Read as {value}"
                ),
            ));
            value
        }
        WireNumber::TooBig(value) => {
            return Err(malformed(
                status,
                format!("execution.{field}: {value} does not fit a 64-bit signed integer (long)"),
            ));
        }
        WireNumber::Float(value, text) => {
            if !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&value) {
                return Err(malformed(
                    status,
                    format!(
                        "execution.{field}: {text} does not fit a 64-bit signed integer (long)"
                    ),
                ));
            }
            let whole = value.trunc() as i64;
            if value.fract() != 0.0 {
                warnings.push(Warning::new(
                    field,
                    WarningCode::Fractional,
                    format_args!("{text} has a fraction, but the model says a whole number (long); read as {whole}"),
                ));
            }
            whole
        }
    };
    if value.unsigned_abs() > MAX_SAFE_INTEGER as u64 {
        warnings.push(Warning::new(
            field,
            WarningCode::Precision,
            format_args!(
                "{value} is above 2^53: a JavaScript number cannot hold it exactly (JSON.parse would change it); jobscope keeps it exact"
            ),
        ));
    }
    Ok(value)
}

/// Reads a time member: whole seconds exactly, fractional seconds kept (a warning on the data plane, where the
/// model says `long`).
fn time(
    field: &'static str,
    number: WireNumber,
    plane: Plane,
    status: u16,
    warnings: &mut Vec<Warning>,
) -> Result<EpochTime, ServiceError> {
    let value = match number {
        WireNumber::Float(value, ref text)
            if value.is_finite() && value.fract() != 0.0 && value.abs() < 9.0e15 =>
        {
            if plane == Plane::Data {
                warnings.push(Warning::new(
                    field,
                    WarningCode::Fractional,
                    format_args!(
                        "{text} has a fraction, but the data-plane model says whole seconds (long); the fraction is kept"
                    ),
                ));
            }
            EpochTime::Fractional(value)
        }
        other => EpochTime::Seconds(long(field, other, status, warnings)?),
    };
    let whole = value.whole_seconds();
    if whole >= MILLISECONDS_THRESHOLD {
        let as_millis =
            format_utc(whole / 1000).map_or_else(String::new, |date| format!(" ({date})"));
        warnings.push(Warning::new(
            field,
            WarningCode::Milliseconds,
            format_args!("{value} looks like milliseconds since the epoch{as_millis}, not seconds"),
        ));
    } else if whole < 0 {
        warnings.push(Warning::new(
            field,
            WarningCode::OutOfRange,
            format_args!("{value} is before 1970"),
        ));
    }
    Ok(value)
}

fn convert(
    plane: Plane,
    wire: WireExecution,
    status: u16,
    transport: Transport<'_>,
    warnings: &mut Vec<Warning>,
) -> Result<JobExecution, ServiceError> {
    for field in &wire.duplicate_fields {
        warnings.push(Warning::new(
            *field,
            WarningCode::DuplicateKey,
            "appears more than once; the last value was kept",
        ));
    }
    for field in &wire.unknown_fields {
        warnings.push(Warning::new(
            field.as_str(),
            WarningCode::UnknownField,
            "is not a member of JobExecution on either plane; ignored",
        ));
    }
    let mut longs = |field, number: Option<WireNumber>| {
        number.map(|n| long(field, n, status, warnings)).transpose()
    };
    let approximate_seconds_before_timed_out = longs(
        "approximateSecondsBeforeTimedOut",
        wire.approximate_seconds_before_timed_out,
    )?;
    let version_number = longs("versionNumber", wire.version_number)?;
    let execution_number = longs("executionNumber", wire.execution_number)?;
    let mut times = |field, number: Option<WireNumber>| {
        number
            .map(|n| time(field, n, plane, status, warnings))
            .transpose()
    };
    let queued_at = times("queuedAt", wire.queued_at)?;
    let started_at = times("startedAt", wire.started_at)?;
    let last_updated_at = times("lastUpdatedAt", wire.last_updated_at)?;
    let status_details = wire
        .status_details
        .map(|details| convert_details(plane, details, warnings));
    let job_document = wire.job_document.map(|document| {
        // A JSON object is the MQTT form; over HTTP the document is a string.
        if document.was_json_value && transport == Transport::Http {
            warnings.push(Warning::new(
                "jobDocument",
                WarningCode::PlaneMismatch,
                "arrived as a JSON value (the MQTT form); over HTTP it is a string. Kept as its JSON text",
            ));
        }
        document.text
    });
    Ok(JobExecution {
        plane,
        job_id: wire.job_id.map(|s| s.0),
        thing_name: wire.thing_name.map(|s| s.0),
        thing_arn: wire.thing_arn.map(|s| s.0),
        status: wire.status.map(|s| JobExecutionStatus::from(s.0.as_str())),
        force_canceled: wire.force_canceled.map(|b| b.0),
        status_details,
        queued_at,
        started_at,
        last_updated_at,
        approximate_seconds_before_timed_out,
        version_number,
        execution_number,
        job_document,
    })
}

fn convert_details(
    plane: Plane,
    details: WireDetails,
    warnings: &mut Vec<Warning>,
) -> StatusDetails {
    match (plane, details.wrapped) {
        (Plane::Data, true) => warnings.push(Warning::new(
            "statusDetails",
            WarningCode::PlaneMismatch,
            "is wrapped as {\"detailsMap\": {…}} (the control-plane form) in a data-plane response; read as its entries",
        )),
        (Plane::Control, false) if !details.entries.is_empty() => warnings.push(Warning::new(
            "statusDetails",
            WarningCode::PlaneMismatch,
            "is a flat map (the data-plane form); the control plane wraps it as {\"detailsMap\": {…}}. Read as its entries",
        )),
        _ => {}
    }
    for key in &details.duplicates {
        warnings.push(Warning::new(
            format!("statusDetails.{key}"),
            WarningCode::DuplicateKey,
            "appears more than once; the last value was kept",
        ));
    }
    for (key, value) in &details.entries {
        check_details_entry(key, value, warnings);
    }
    StatusDetails(details.entries)
}

/// Checks `statusDetails` entries against their constraints (key 1–128 of `a-zA-Z0-9:_-`; value non-empty, at most
/// 1024 characters, no control or format characters). Used on responses (as warnings) and by the emulator on
/// requests (as errors).
///
/// ```
/// let problems = jobscope::check_status_details([("bad key", "ok"), ("k", "")]);
/// let fields: Vec<_> = problems.iter().map(|w| w.field.as_str()).collect();
/// assert_eq!(fields, ["statusDetails.bad key", "statusDetails.k"]);
/// ```
pub fn check_status_details<'a>(
    entries: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for (key, value) in entries {
        check_details_entry(key, value, &mut warnings);
    }
    warnings
}

/// Length in characters (bytes, when all ASCII).
fn char_count(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    }
}

fn check_details_entry(key: &str, value: &str, warnings: &mut Vec<Warning>) {
    let field = || format!("statusDetails.{}", excerpt(key, 64));
    let key_len = char_count(key);
    if key_len == 0 || key_len > names::THING_NAME_MAX {
        warnings.push(Warning::new(
            field(),
            WarningCode::StatusDetailsKey,
            format_args!("key must be 1 to 128 characters, got {key_len}"),
        ));
    }
    let bad_key_char = if key.is_ascii() {
        (key.bytes().enumerate())
            .find(|&(_, b)| !names::is_thing_name_char(char::from(b)))
            .map(|(index, b)| (index, char::from(b)))
    } else {
        (key.chars().enumerate()).find(|&(_, c)| !names::is_thing_name_char(c))
    };
    if let Some((index, c)) = bad_key_char {
        warnings.push(Warning::new(
            field(),
            WarningCode::StatusDetailsKey,
            format_args!(
                "key must contain only letters, digits, ':', '_' and '-'; found {} at index {index}",
                names::describe_char(c)
            ),
        ));
    }
    let value_len = char_count(value);
    if value_len == 0 {
        warnings.push(Warning::new(
            field(),
            WarningCode::StatusDetailsValue,
            "value is empty; the model requires at least 1 character",
        ));
    } else if value_len > DETAILS_VALUE_MAX {
        warnings.push(Warning::new(
            field(),
            WarningCode::StatusDetailsValue,
            format_args!(
                "value must be at most 1024 characters (developer guide), got {value_len}"
            ),
        ));
    }
    let other = if value.is_ascii() {
        // The one ASCII test of `\p{C}`: C0 controls and DEL.
        (value.bytes().enumerate())
            .find(|&(_, b)| b < 0x20 || b == 0x7f)
            .map(|(index, b)| (index, char::from(b)))
    } else {
        value.chars().enumerate().find(|&(_, c)| is_other_char(c))
    };
    if let Some((index, c)) = other {
        warnings.push(Warning::new(
            field(),
            WarningCode::StatusDetailsValue,
            format_args!(
                "value must not contain control or format characters; found {} at index {index}",
                names::describe_char(c)
            ),
        ));
    }
}

fn check(
    execution: &JobExecution,
    request: Option<&DescribeJobExecutionRequest>,
    warnings: &mut Vec<Warning>,
) {
    let plane = execution.plane;
    let misplaced: &[(&str, bool)] = match plane {
        Plane::Data => &[
            ("thingArn", execution.thing_arn.is_some()),
            ("forceCanceled", execution.force_canceled.is_some()),
        ],
        Plane::Control => &[
            ("thingName", execution.thing_name.is_some()),
            ("jobDocument", execution.job_document.is_some()),
        ],
    };
    for (field, present) in misplaced {
        if *present {
            warnings.push(Warning::new(
                *field,
                WarningCode::PlaneMismatch,
                format_args!(
                    "belongs to the other plane's JobExecution, not the {plane} plane's; kept"
                ),
            ));
        }
    }
    if let Some(job_id) = &execution.job_id
        && let Err(violations) = names::JobId::parse(job_id)
    {
        for violation in violations {
            warnings.push(Warning::new(
                "jobId",
                WarningCode::InvalidValue,
                violation_detail(&violation),
            ));
        }
    }
    if let Some(thing_name) = &execution.thing_name
        && let Err(violations) = names::ThingName::parse(thing_name)
    {
        for violation in violations {
            warnings.push(Warning::new(
                "thingName",
                WarningCode::InvalidValue,
                violation_detail(&violation),
            ));
        }
    }
    if let Some(JobExecutionStatus::Unknown(value)) = &execution.status {
        warnings.push(Warning::new(
            "status",
            WarningCode::UnknownStatus,
            format_args!(
                "{} is not one of QUEUED, IN_PROGRESS, SUCCEEDED, FAILED, TIMED_OUT, REJECTED, REMOVED, CANCELED; shown as sent",
                Quoted(value)
            ),
        ));
    }
    check_times(execution, warnings);
    if let Some(status) = &execution.status {
        if *status == JobExecutionStatus::Queued && execution.started_at.is_some() {
            warnings.push(Warning::new(
                "startedAt",
                WarningCode::StartedWhileQueued,
                "is set, but the execution is QUEUED and has not started",
            ));
        }
        if status.is_terminal() && execution.approximate_seconds_before_timed_out.is_some() {
            warnings.push(Warning::new(
                "approximateSecondsBeforeTimedOut",
                WarningCode::TimeoutOnTerminal,
                format_args!("is set, but the execution is {status}; it is omitted once an execution is terminal"),
            ));
        }
        if execution.force_canceled == Some(true) && *status != JobExecutionStatus::Canceled {
            warnings.push(Warning::new(
                "forceCanceled",
                WarningCode::Inconsistent,
                format_args!("is true, but the status is {status}, not CANCELED"),
            ));
        }
    }
    for (field, value) in [
        ("versionNumber", execution.version_number),
        ("executionNumber", execution.execution_number),
        (
            "approximateSecondsBeforeTimedOut",
            execution.approximate_seconds_before_timed_out,
        ),
    ] {
        if let Some(value) = value.filter(|v| *v < 0) {
            warnings.push(Warning::new(
                field,
                WarningCode::OutOfRange,
                format_args!("{value} is negative"),
            ));
        }
    }
    if let Some(document) = &execution.job_document {
        let len = document.chars().count();
        if len > JOB_DOCUMENT_MAX {
            warnings.push(Warning::new(
                "jobDocument",
                WarningCode::DocumentTooLong,
                format_args!("must be at most 32768 characters, got {len}"),
            ));
        }
    }
    if let Some(request) = request {
        check_against_request(execution, request, warnings);
    }
}

/// A violation's message without its `field: ` prefix.
fn violation_detail(violation: &crate::Violation) -> String {
    violation
        .message
        .split_once(": ")
        .map_or(violation.message.clone(), |(_, detail)| detail.to_owned())
}

fn check_times(execution: &JobExecution, warnings: &mut Vec<Warning>) {
    let pairs = [
        (
            "queuedAt",
            execution.queued_at,
            "startedAt",
            execution.started_at,
        ),
        (
            "startedAt",
            execution.started_at,
            "lastUpdatedAt",
            execution.last_updated_at,
        ),
    ];
    let mut ordered = true;
    for (earlier, a, later, b) in pairs {
        if let (Some(a), Some(b)) = (a, b)
            && a > b
        {
            ordered = false;
            warnings.push(Warning::new(
                later,
                WarningCode::TimeOrder,
                format_args!("{b} is before {earlier} ({a})"),
            ));
        }
    }
    if ordered
        && execution.started_at.is_none()
        && let (Some(a), Some(b)) = (execution.queued_at, execution.last_updated_at)
        && a > b
    {
        warnings.push(Warning::new(
            "lastUpdatedAt",
            WarningCode::TimeOrder,
            format_args!("{b} is before queuedAt ({a})"),
        ));
    }
}

fn check_against_request(
    execution: &JobExecution,
    request: &DescribeJobExecutionRequest,
    warnings: &mut Vec<Warning>,
) {
    let mut mismatch = |field: &'static str, detail: String| {
        warnings.push(Warning::new(field, WarningCode::RequestMismatch, detail));
    };
    if let (JobTarget::Id(asked), Some(got)) = (request.job(), &execution.job_id)
        && asked.as_str() != got
    {
        mismatch(
            "jobId",
            format!(
                "is {}, but the request asked for {}",
                Quoted(got),
                Quoted(asked.as_str())
            ),
        );
    }
    let asked_thing = request.thing_name().as_str();
    if let Some(got) = &execution.thing_name
        && got != asked_thing
    {
        mismatch(
            "thingName",
            format!(
                "is {}, but the request asked for {}",
                Quoted(got),
                Quoted(asked_thing)
            ),
        );
    }
    if let Some(arn) = &execution.thing_arn {
        match arn.rsplit_once(":thing/") {
            Some((_, name)) if name == asked_thing => {}
            _ => mismatch(
                "thingArn",
                format!(
                    "is {}, which does not name thing {}",
                    Quoted(arn),
                    Quoted(asked_thing)
                ),
            ),
        }
    }
    if let (Some(asked), Some(got)) = (request.execution_number(), execution.execution_number)
        && asked.get() != got
    {
        mismatch(
            "executionNumber",
            format!("is {got}, but the request asked for {asked}"),
        );
    }
    if request.include_job_document() == Some(false) && execution.job_document.is_some() {
        mismatch(
            "jobDocument",
            "is present, but the request set includeJobDocument=false".to_owned(),
        );
    }
}
