//! Streaming decode of a 2xx `DescribeJobExecution` body into loosely typed wire values.
//!
//! The body is read once with the codec's [`Reader`], without building a tree. Every value keeps enough of its wire
//! form for the checks in `response.rs` to warn precisely: numbers stay exact (a number with a fraction keeps its
//! text), duplicate keys and unknown fields are recorded, and a field of the wrong JSON type names itself.

use crate::codec::json::{JsonError, JsonKind, Reader};
use crate::text::Quoted;

/// A JSON string.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WireString(pub String);

/// A JSON boolean.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct WireBool(pub bool);

/// A JSON number (or digit string) as sent.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum WireNumber {
    /// Fits an `i64`.
    Int(i64),
    /// A whole number above `i64::MAX` (only `u64` range reaches here exactly).
    TooBig(u64),
    /// Has a fraction or exponent, or is whole beyond `u64`: its value and its text as sent.
    Float(f64, String),
    /// A JSON string of ASCII digits, parsed exactly.
    Text(i64),
}

impl WireNumber {
    /// Reads a number, or a string of ASCII digits.
    pub(crate) fn read(json: &mut Reader<'_>) -> Result<WireNumber, JsonError> {
        if json.peek()? == JsonKind::String {
            let text = json.string("a number")?;
            let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
            return match text.parse::<i64>() {
                Ok(n) if digits => Ok(WireNumber::Text(n)),
                _ => Err(json.data_error(format!(
                    "invalid type: string {}, expected a number",
                    Quoted(&text)
                ))),
            };
        }
        let number = json.number("a number")?;
        Ok(match (number.to_i64(), number.to_u64()) {
            (Some(n), _) => WireNumber::Int(n),
            (None, Some(n)) => WireNumber::TooBig(n),
            (None, None) => WireNumber::Float(number.to_f64(), number.text().to_owned()),
        })
    }
}

/// `jobDocument`: a string over HTTP; a JSON object over MQTT (kept as its compact JSON text, members in wire
/// order).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WireDocument {
    pub text: String,
    pub was_json_value: bool,
}

impl WireDocument {
    /// Reads any value: a string as its text, anything else as compact JSON.
    pub(crate) fn read(json: &mut Reader<'_>) -> Result<WireDocument, JsonError> {
        if json.peek()? == JsonKind::String {
            return Ok(WireDocument {
                text: json.string("a string")?.into_owned(),
                was_json_value: false,
            });
        }
        let mut text = String::new();
        json.compact(&mut text)?;
        Ok(WireDocument {
            text,
            was_json_value: true,
        })
    }
}

/// Reads any JSON value, keeping only a string; everything else reads as `None`.
pub(crate) fn lenient(json: &mut Reader<'_>) -> Result<Option<String>, JsonError> {
    if json.peek()? == JsonKind::String {
        return Ok(Some(json.string("a string")?.into_owned()));
    }
    json.skip()?;
    Ok(None)
}

/// Reads `null` as `None`, anything else with `read`.
pub(crate) fn optional<'a, T>(
    json: &mut Reader<'a>,
    read: impl FnOnce(&mut Reader<'a>) -> Result<T, JsonError>,
) -> Result<Option<T>, JsonError> {
    if json.null()? {
        Ok(None)
    } else {
        read(json).map(Some)
    }
}

/// The members of an error body that restJson1 clients read; other members are skipped.
#[derive(Default)]
pub(crate) struct ErrorBody {
    /// `code`, `Code` or `__type`, in that order of preference.
    pub error_type: Option<String>,
    /// `message`, `Message` or `errorMessage`.
    pub message: Option<String>,
    /// ThrottlingException's base64 `payload`.
    pub payload: Option<String>,
}

impl ErrorBody {
    /// Reads an error object; any other JSON value is an error body without members.
    fn read(json: &mut Reader<'_>) -> Result<ErrorBody, JsonError> {
        let mut body = ErrorBody::default();
        if json.peek()? != JsonKind::Object {
            json.skip()?;
            return Ok(body);
        }
        // Lower rank wins: code < Code < __type; message < Message < errorMessage.
        let mut kind: Option<(u8, String)> = None;
        let mut message: Option<(u8, String)> = None;
        let keep = |slot: &mut Option<(u8, String)>, rank: u8, value: Option<String>| {
            if let Some(value) = value
                && slot.as_ref().is_none_or(|(r, _)| rank <= *r)
            {
                *slot = Some((rank, value));
            }
        };
        let mut members = json.object("an error object")?;
        while let Some(key) = members.next(json)? {
            let rank = match &*key {
                "code" | "message" => 0,
                "Code" | "Message" => 1,
                "__type" | "errorMessage" => 2,
                "payload" => 3,
                _ => {
                    json.skip()?;
                    continue;
                }
            };
            let value = lenient(json)?;
            match &*key {
                "code" | "Code" | "__type" => keep(&mut kind, rank, value),
                "payload" => body.payload = value.or(body.payload),
                _ => keep(&mut message, rank, value),
            }
        }
        body.error_type = kind.map(|(_, v)| v);
        body.message = message.map(|(_, v)| v);
        Ok(body)
    }
}

/// Parses an error body; `None` when it is not JSON at all.
pub(crate) fn parse_error_body(body: &[u8]) -> Option<ErrorBody> {
    let mut json = Reader::new(std::str::from_utf8(body).ok()?);
    let parsed = ErrorBody::read(&mut json).ok()?;
    json.finish().ok()?;
    Some(parsed)
}

/// `statusDetails`: a flat map (data plane) or `{"detailsMap": {...}}` (control plane).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct WireDetails {
    pub entries: Vec<(String, String)>,
    pub wrapped: bool,
    pub duplicates: Vec<String>,
}

impl WireDetails {
    fn read(json: &mut Reader<'_>) -> Result<WireDetails, JsonError> {
        let mut details = WireDetails::default();
        // A hash per entry, so looking for a repeated key compares strings only when their hashes agree.
        let mut hashes: Vec<u32> = Vec::new();
        let mut members = json.object("an object of string values")?;
        while let Some(key) = members.next(json)? {
            match json.peek()? {
                JsonKind::Null => {
                    json.skip()?;
                }
                JsonKind::String => {
                    let value = json.string("a string value")?.into_owned();
                    let hash = fnv1a(&key);
                    let repeated = if hashes.contains(&hash) {
                        (hashes.iter().enumerate())
                            .filter(|&(_, &h)| h == hash)
                            .find(|&(i, _)| details.entries[i].0 == key)
                            .map(|(i, _)| i)
                    } else {
                        None
                    };
                    if let Some(i) = repeated {
                        details.duplicates.push(key.into_owned());
                        details.entries[i].1 = value;
                    } else {
                        hashes.push(hash);
                        details.entries.push((key.into_owned(), value));
                    }
                }
                JsonKind::Object if key == "detailsMap" && details.entries.is_empty() => {
                    let inner = WireDetails::read(json)?;
                    details.wrapped = true;
                    details.entries = inner.entries;
                    details.duplicates = inner.duplicates;
                }
                _ => return Err(json.unexpected("a string value")),
            }
        }
        Ok(details)
    }
}

/// FNV-1a, 32 bits: a cheap hash for telling keys apart.
fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

/// Every `JobExecution` member of either plane, as sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct WireExecution {
    pub job_id: Option<WireString>,
    pub thing_name: Option<WireString>,
    pub thing_arn: Option<WireString>,
    pub status: Option<WireString>,
    pub force_canceled: Option<WireBool>,
    pub status_details: Option<WireDetails>,
    pub queued_at: Option<WireNumber>,
    pub started_at: Option<WireNumber>,
    pub last_updated_at: Option<WireNumber>,
    pub approximate_seconds_before_timed_out: Option<WireNumber>,
    pub version_number: Option<WireNumber>,
    pub execution_number: Option<WireNumber>,
    pub job_document: Option<WireDocument>,
    pub unknown_fields: Vec<String>,
    pub duplicate_fields: Vec<&'static str>,
}

/// The members of a `JobExecution`, in the order the model lists them.
const EXECUTION_FIELDS: [&str; 13] = [
    "jobId",
    "thingName",
    "thingArn",
    "status",
    "forceCanceled",
    "statusDetails",
    "queuedAt",
    "startedAt",
    "lastUpdatedAt",
    "approximateSecondsBeforeTimedOut",
    "versionNumber",
    "executionNumber",
    "jobDocument",
];

/// A decode error and the field being read (`execution` for the object itself, `None` at the top level).
pub(crate) type Failure = (JsonError, Option<&'static str>);

impl WireExecution {
    /// Reads `execution`: `null` is absent.
    fn read_optional(json: &mut Reader<'_>) -> Result<Option<WireExecution>, Failure> {
        let at_execution = |e| (e, Some("execution"));
        if json.null().map_err(at_execution)? {
            return Ok(None);
        }
        let mut e = WireExecution::default();
        let mut seen: Vec<&'static str> = Vec::with_capacity(16);
        let mut members = json.object("a JobExecution object").map_err(at_execution)?;
        while let Some(key) = members.next(json).map_err(at_execution)? {
            let Some(&field) = EXECUTION_FIELDS.iter().find(|&&name| name == key) else {
                json.skip().map_err(at_execution)?;
                e.unknown_fields.push(key.into_owned());
                continue;
            };
            e.read_field(field, json)
                .map_err(|error| (error, Some(field)))?;
            // A repeated member: the last one wins, `null` included, as JSON parsers read it.
            if seen.contains(&field) {
                if !e.duplicate_fields.contains(&field) {
                    e.duplicate_fields.push(field);
                }
            } else {
                seen.push(field);
            }
        }
        Ok(Some(e))
    }

    fn read_field(&mut self, field: &str, json: &mut Reader<'_>) -> Result<(), JsonError> {
        let string = |json: &mut Reader<'_>| {
            optional(json, |json| {
                Ok(WireString(json.string("a string")?.into_owned()))
            })
        };
        let number = |json: &mut Reader<'_>| optional(json, WireNumber::read);
        match field {
            "jobId" => self.job_id = string(json)?,
            "thingName" => self.thing_name = string(json)?,
            "thingArn" => self.thing_arn = string(json)?,
            "status" => self.status = string(json)?,
            "forceCanceled" => {
                self.force_canceled = optional(json, |json| json.bool("a boolean").map(WireBool))?;
            }
            "statusDetails" => self.status_details = optional(json, WireDetails::read)?,
            "queuedAt" => self.queued_at = number(json)?,
            "startedAt" => self.started_at = number(json)?,
            "lastUpdatedAt" => self.last_updated_at = number(json)?,
            "approximateSecondsBeforeTimedOut" => {
                self.approximate_seconds_before_timed_out = number(json)?;
            }
            "versionNumber" => self.version_number = number(json)?,
            "executionNumber" => self.execution_number = number(json)?,
            _ => self.job_document = optional(json, WireDocument::read)?,
        }
        Ok(())
    }
}

/// The top level of a 2xx body.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct WireBody {
    /// `execution`: absent, null, or an object.
    pub execution: Option<WireExecution>,
    /// An error type found in a 2xx body: `__type`/`code` at the top or inside `Output`.
    pub embedded_error: Option<String>,
    /// Keys the response shape does not define (MQTT's `timestamp`/`clientToken` are not counted).
    pub unknown_fields: Vec<String>,
    /// MQTT's `clientToken`, when it is a string.
    pub client_token: Option<String>,
}

/// Parses a 2xx body. On failure, returns the reader's error and the field being read.
pub(crate) fn parse_body(body: &str) -> Result<WireBody, Failure> {
    let top = |e| (e, None);
    let mut json = Reader::new(body);
    let mut wire = WireBody::default();
    let mut members = json.object("a JSON object").map_err(top)?;
    while let Some(key) = members.next(&mut json).map_err(top)? {
        match &*key {
            "execution" => wire.execution = WireExecution::read_optional(&mut json)?,
            "__type" | "code" | "Code" => {
                if let Some(kind) = lenient(&mut json).map_err(top)? {
                    wire.embedded_error = Some(kind);
                }
            }
            "Output" => {
                if let Some(kind) = ErrorBody::read(&mut json).map_err(top)?.error_type {
                    wire.embedded_error = Some(kind);
                }
            }
            "clientToken" => wire.client_token = lenient(&mut json).map_err(top)?,
            "timestamp" | "message" | "Message" | "Version" => json.skip().map_err(top)?,
            _ => {
                json.skip().map_err(top)?;
                wire.unknown_fields.push(key.into_owned());
            }
        }
    }
    json.finish().map_err(top)?;
    Ok(wire)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_stay_exact() {
        let body = parse_body(
            r#"{"execution":{"executionNumber":9007199254740993,"versionNumber":"12","queuedAt":1.5,"startedAt":9223372036854775808}}"#,
        )
        .unwrap();
        let e = body.execution.unwrap();
        assert_eq!(
            e.execution_number,
            Some(WireNumber::Int(9_007_199_254_740_993))
        );
        assert_eq!(e.version_number, Some(WireNumber::Text(12)));
        assert_eq!(e.queued_at, Some(WireNumber::Float(1.5, "1.5".into())));
        assert_eq!(
            e.started_at,
            Some(WireNumber::TooBig(9_223_372_036_854_775_808))
        );
    }

    #[test]
    fn wrong_type_names_the_field() {
        let (error, field) = parse_body(r#"{"execution":{"jobId":"j","status":5}}"#).unwrap_err();
        assert_eq!(field, Some("status"));
        assert!(
            error
                .to_string()
                .starts_with("invalid type: integer `5`, expected a string")
        );
    }

    #[test]
    fn details_keep_order_and_unwrap() {
        let body =
            parse_body(r#"{"execution":{"statusDetails":{"detailsMap":{"b":"1","a":"2"}}}}"#)
                .unwrap();
        let details = body.execution.unwrap().status_details.unwrap();
        assert!(details.wrapped);
        assert_eq!(
            details.entries,
            [("b".into(), "1".into()), ("a".into(), "2".into())]
        );
    }

    #[test]
    fn null_execution_is_absent() {
        assert_eq!(parse_body(r#"{"execution":null}"#).unwrap().execution, None);
        assert_eq!(parse_body("{}").unwrap().execution, None);
    }
}
