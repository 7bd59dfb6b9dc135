//! `parseMqttMessage`.

use wasm_bindgen::JsValue;

use super::args::{Strings, with_input};
use super::explanations::ServiceErrorOut;
use super::input::{FastInput, read_input};
use super::out::{Thrown, type_error};
use super::read::{
    describe, get, is_absent, optional_object, read_bytes, required_object, string_field,
};
use super::response::ParseResult;
use crate::codec::mqtt::{MqttMessage, decode_message};
use crate::{DescribeJobExecutionRequest, Plane, ServiceError};

/// Writes a decoded message as the output.
fn write_message(message: &Result<MqttMessage, ServiceError>) -> u32 {
    match message {
        Ok(MqttMessage::Execution(outcome)) => ParseResult::described(outcome),
        Ok(MqttMessage::Pending { pending, warnings }) => {
            ParseResult::Pending { pending, warnings }
        }
        Ok(MqttMessage::Updated { answer, warnings }) => ParseResult::Updated { answer, warnings },
        Err(error) => ParseResult::Error {
            error: ServiceErrorOut::new(error),
        },
    }
    .write()
}

pub(crate) fn parse_full(message: &JsValue, options: &JsValue) -> Result<u32, Thrown> {
    let message = required_object(message, "message")?;
    let topic = get(&message, "topic")?;
    let topic = topic.as_string().ok_or_else(|| {
        type_error(format!(
            "message.topic must be a string, got {}",
            describe(&topic)
        ))
    })?;
    let payload = read_bytes(&get(&message, "payload")?, "message.payload")?;

    let mut request = None;
    let mut client_token = None;
    if let Some(options) = optional_object(options, "options")? {
        client_token = string_field(&options, "options", "clientToken")?;
        let raw = get(&options, "request")?;
        if !is_absent(&raw) {
            let input = read_input(&raw, "options.request")?;
            if input.plane != Plane::Data {
                return Err(type_error(format!(
                    "options.request.plane must be 'data': the MQTT API is the data plane's, got '{}'",
                    input.plane
                )));
            }
            request = Some(input.validate().map_err(|v| Thrown::Validation(v.0))?);
        }
    }
    Ok(write_message(&decode_message(
        &topic,
        &payload,
        request.as_ref(),
        client_token.as_deref(),
    )))
}

/// The fast path of `parseMqttMessage`. The call's strings are the topic, then (with `request` 1) the request's
/// fields, then `clientToken`; `strings` is their UTF-8 length, and the payload's `payload` bytes follow them.
/// Returns 1 with the output, or 0 for the full path (an invalid request, a control-plane one).
#[allow(clippy::too_many_arguments)] // one argument per input field, to cross the boundary once
#[unsafe(no_mangle)]
pub extern "C" fn jobscope_mqtt(
    topic: i32,
    request: u32,
    thing_name: i32,
    job_id: i32,
    number_kind: u32,
    number_text: i32,
    number: f64,
    include: u32,
    client_token: i32,
    strings: u32,
    payload: u32,
) -> u32 {
    let fields = FastInput {
        plane: 1,
        thing_name,
        job_id,
        number_kind,
        number_text,
        number,
        include,
    };
    with_input(strings.saturating_add(payload), |input| {
        let (text, payload) = input.split_at(strings as usize);
        let mut text = Strings::new(text)?;
        let topic = text.take(topic)??;
        let request: Option<DescribeJobExecutionRequest> = match request {
            0 => None,
            _ => Some(fields.read(&mut text)?.validate().ok()?),
        };
        let client_token = text.take(client_token)?;
        if !text.done() {
            return None;
        }
        Some(write_message(&decode_message(
            topic,
            payload,
            request.as_ref(),
            client_token,
        )))
    })
    .unwrap_or(0)
}
