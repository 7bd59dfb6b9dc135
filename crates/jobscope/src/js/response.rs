//! `parseResponse`, and the result shape it shares with `parseMqttMessage`.

use serde::Serialize;
use wasm_bindgen::JsValue;

use super::args::{Strings, with_input};
use super::explanations::ServiceErrorOut;
use super::input::{FastInput, plane_code, read_input, read_plane};
use super::out::{self, EXPLAINED, Thrown, type_error};
use super::read::{
    describe, get, is_absent, optional_object, read_bytes, read_headers, required_object,
};
use crate::codec::{PendingJobExecutions, UpdateJobExecutionResponse};
use crate::{
    DescribeJobExecutionRequest, DescribeOutcome, JobExecution, ServiceError, Warning,
    decode_response,
};

/// `ParseResult` (parseResponse: the first three kinds) and `MqttParseResult` (parseMqttMessage: all five), tagged
/// by `kind`. The lists and the update's answer are the core's serde forms, flat beside `kind` and `warnings`.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub(crate) enum ParseResult<'a> {
    Execution {
        execution: &'a JobExecution,
        warnings: &'a [Warning],
    },
    None {
        warnings: &'a [Warning],
    },
    Error {
        error: ServiceErrorOut<'a>,
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
    pub(crate) fn described(outcome: &'a DescribeOutcome) -> Self {
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

    /// Writes the result as the output (flagged [`EXPLAINED`] when it is an error).
    pub(crate) fn write(&self) -> u32 {
        let flags = match self {
            ParseResult::Error { .. } => EXPLAINED,
            _ => 0,
        };
        out::write(self, flags)
    }
}

/// Writes the outcome of a decode as the output.
fn write_outcome(outcome: &Result<DescribeOutcome, ServiceError>) -> u32 {
    match outcome {
        Ok(outcome) => ParseResult::described(outcome).write(),
        Err(error) => ParseResult::Error {
            error: ServiceErrorOut::new(error),
        }
        .write(),
    }
}

pub(crate) fn parse_full(response: &JsValue, options: &JsValue) -> Result<u32, Thrown> {
    let response = required_object(response, "response")?;
    let status = get(&response, "status")?;
    let status = status
        .as_f64()
        .filter(|s| s.fract() == 0.0 && (100.0..=599.0).contains(s))
        .ok_or_else(|| {
            type_error(format!(
                "response.status must be an HTTP status from 100 to 599, got {}",
                describe(&status)
            ))
        })? as u16;
    let headers = read_headers(&get(&response, "headers")?)?;
    let body = read_bytes(&get(&response, "body")?, "response.body")?;

    let mut plane = None;
    let mut request: Option<DescribeJobExecutionRequest> = None;
    if let Some(options) = optional_object(options, "options")? {
        plane = read_plane(&options, "options")?;
        let raw = get(&options, "request")?;
        if !is_absent(&raw) {
            let mut input = read_input(&raw, "options.request")?;
            if let Some(plane) = plane {
                if !is_absent(&get(&raw, "plane")?) && input.plane != plane {
                    return Err(type_error(format!(
                        "options.plane is '{plane}' but options.request.plane is '{}'",
                        input.plane
                    )));
                }
                input.plane = plane;
            }
            request = Some(input.validate().map_err(|v| Thrown::Validation(v.0))?);
        }
    }
    let plane = plane
        .or(request.as_ref().map(DescribeJobExecutionRequest::plane))
        .unwrap_or_default();
    Ok(write_outcome(&decode_response(
        plane,
        request.as_ref(),
        status,
        &headers,
        &body,
    )))
}

/// The fast path of `parseResponse`. `plane` is `options.plane` (0 absent, 1 data, 2 control); with `request` 1,
/// `fields` is `options.request` (whose plane, when both are given, the JS has checked to be the same). The call's
/// strings are the request's, then the headers: `header_count` name/value pairs joined by NUL, `headers` UTF-16
/// units long; `strings` is their UTF-8 length, and the body's `body` bytes follow them. Returns 1 with the output,
/// or 0 for the full path (an invalid request, a NUL inside a header name or value).
#[allow(clippy::too_many_arguments)] // one argument per input field, to cross the boundary once
#[unsafe(no_mangle)]
pub extern "C" fn jobscope_response(
    status: u32,
    plane: u32,
    request: u32,
    request_plane: u32,
    thing_name: i32,
    job_id: i32,
    number_kind: u32,
    number_text: i32,
    number: f64,
    include: u32,
    header_count: u32,
    headers: i32,
    strings: u32,
    body: u32,
) -> u32 {
    let fields = FastInput {
        plane: request_plane,
        thing_name,
        job_id,
        number_kind,
        number_text,
        number,
        include,
    };
    with_input(strings.saturating_add(body), |input| {
        let (text, body) = input.split_at(strings as usize);
        let mut text = Strings::new(text)?;
        let plane = plane_code(plane)?;
        let request = match request {
            0 => None,
            _ => {
                let mut input = fields.read(&mut text)?;
                if let Some(plane) = plane {
                    input.plane = plane;
                }
                Some(input.validate().ok()?)
            }
        };
        let joined = text.take(headers)?.unwrap_or_default();
        if !text.done() {
            return None;
        }
        let mut parts = joined.split('\0');
        let headers: Vec<(&str, &str)> = (0..header_count)
            .map(|_| Some((parts.next()?, parts.next()?)))
            .collect::<Option<_>>()?;
        if parts
            .next()
            .is_some_and(|rest| header_count > 0 || !rest.is_empty())
        {
            return None;
        }
        let status = u16::try_from(status)
            .ok()
            .filter(|s| (100..=599).contains(s))?;
        let plane = plane
            .or(request.as_ref().map(DescribeJobExecutionRequest::plane))
            .unwrap_or_default();
        Some(write_outcome(&decode_response(
            plane,
            request.as_ref(),
            status,
            &headers,
            body,
        )))
    })
    .unwrap_or(0)
}
