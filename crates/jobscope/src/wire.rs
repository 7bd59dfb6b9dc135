//! Streaming decode of a 2xx `DescribeJobExecution` body into loosely typed wire values.
//!
//! The body is read once, without building a `serde_json::Value`. Every value keeps enough of its wire form for
//! the checks in `response.rs` to warn precisely: numbers stay exact (never through `f64` unless the wire had a
//! fraction), duplicate keys and unknown fields are recorded, and a field of the wrong JSON type names itself.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use crate::text::{Float, Quoted};

/// An "invalid type" error built without serde's `Unexpected`, whose float formatting would add about 15 KB to the
/// wasm build. Every visitor here reads through `deserialize_any` and rejects the other JSON types with this.
fn invalid<E: de::Error>(got: impl fmt::Display, expected: &dyn de::Expected) -> E {
    E::custom(format_args!("invalid type: {got}, expected {expected}"))
}

/// Generates the `visit_*` methods a visitor rejects.
macro_rules! reject {
    ($lt:lifetime; $($kind:ident)*) => { $(reject!(@one $lt $kind);)* };
    (@one $lt:lifetime bool) => {
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Err(invalid(format_args!("boolean `{v}`"), &self))
        }
    };
    (@one $lt:lifetime i64) => {
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Err(invalid(format_args!("integer `{v}`"), &self))
        }
    };
    (@one $lt:lifetime u64) => {
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Err(invalid(format_args!("integer `{v}`"), &self))
        }
    };
    (@one $lt:lifetime f64) => {
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Err(invalid(format_args!("floating point `{}`", Float(v)), &self))
        }
    };
    (@one $lt:lifetime str) => {
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Err(invalid(format_args!("string {}", Quoted(v)), &self))
        }
    };
    (@one $lt:lifetime unit) => {
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Err(invalid("null", &self))
        }
    };
    (@one $lt:lifetime seq) => {
        fn visit_seq<A: de::SeqAccess<$lt>>(self, _: A) -> Result<Self::Value, A::Error> {
            Err(invalid("sequence", &self))
        }
    };
    (@one $lt:lifetime map) => {
        fn visit_map<A: MapAccess<$lt>>(self, _: A) -> Result<Self::Value, A::Error> {
            Err(invalid("map", &self))
        }
    };
}

/// A JSON string.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WireString(pub String);

impl<'de> de::Deserialize<'de> for WireString {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = WireString;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E>(self, v: &str) -> Result<WireString, E> {
                Ok(WireString(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<WireString, E> {
                Ok(WireString(v))
            }
            reject!('de; bool i64 u64 f64 unit seq map);
        }
        deserializer.deserialize_any(V)
    }
}

/// A JSON boolean.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct WireBool(pub bool);

impl<'de> de::Deserialize<'de> for WireBool {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = WireBool;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean")
            }
            fn visit_bool<E>(self, v: bool) -> Result<WireBool, E> {
                Ok(WireBool(v))
            }
            reject!('de; i64 u64 f64 str unit seq map);
        }
        deserializer.deserialize_any(V)
    }
}

/// A JSON number (or digit string) as sent.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum WireNumber {
    /// Fits an `i64`.
    Int(i64),
    /// A whole number above `i64::MAX` (only `u64` range reaches here exactly).
    TooBig(u64),
    /// Has a fraction or exponent.
    Float(f64),
    /// A JSON string of ASCII digits, parsed exactly.
    Text(i64),
}

impl<'de> de::Deserialize<'de> for WireNumber {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberVisitor;
        impl<'de> Visitor<'de> for NumberVisitor {
            type Value = WireNumber;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E>(self, v: i64) -> Result<WireNumber, E> {
                Ok(WireNumber::Int(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<WireNumber, E> {
                Ok(i64::try_from(v).map_or(WireNumber::TooBig(v), WireNumber::Int))
            }
            fn visit_f64<E>(self, v: f64) -> Result<WireNumber, E> {
                Ok(WireNumber::Float(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WireNumber, E> {
                let digits = !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
                match v.parse::<i64>() {
                    Ok(n) if digits => Ok(WireNumber::Text(n)),
                    _ => Err(invalid(format_args!("string {}", Quoted(v)), &self)),
                }
            }
            reject!('de; bool unit seq map);
        }
        deserializer.deserialize_any(NumberVisitor)
    }
}

/// `jobDocument`: a string over HTTP; a JSON object over MQTT (kept as its JSON text).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WireDocument {
    pub text: String,
    pub was_json_value: bool,
}

impl<'de> de::Deserialize<'de> for WireDocument {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = deserializer.deserialize_any(TextVisitor)?;
        Ok(WireDocument {
            was_json_value: value.was_json_value,
            text: value.text,
        })
    }
}

/// A JSON string as its text, or any other JSON value re-serialized as compact JSON.
struct JsonText {
    text: String,
    was_json_value: bool,
}

impl JsonText {
    fn value(text: String) -> Self {
        JsonText {
            text,
            was_json_value: true,
        }
    }
}

impl<'de> de::Deserialize<'de> for JsonText {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor)
    }
}

use crate::codec::json::push_string as push_json_string;

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = JsonText;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E>(self, v: &str) -> Result<JsonText, E> {
        Ok(JsonText {
            text: v.to_owned(),
            was_json_value: false,
        })
    }
    fn visit_string<E>(self, v: String) -> Result<JsonText, E> {
        Ok(JsonText {
            text: v,
            was_json_value: false,
        })
    }
    fn visit_bool<E>(self, v: bool) -> Result<JsonText, E> {
        Ok(JsonText::value(if v { "true" } else { "false" }.to_owned()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<JsonText, E> {
        Ok(JsonText::value(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<JsonText, E> {
        Ok(JsonText::value(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<JsonText, E> {
        Ok(JsonText::value(Float(v).to_string()))
    }
    fn visit_unit<E>(self) -> Result<JsonText, E> {
        Ok(JsonText::value("null".to_owned()))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<JsonText, A::Error> {
        let mut out = String::from("[");
        while let Some(item) = seq.next_element::<JsonText>()? {
            if out.len() > 1 {
                out.push(',');
            }
            push_item(&mut out, item);
        }
        out.push(']');
        Ok(JsonText::value(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonText, A::Error> {
        let mut out = String::from("{");
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            if out.len() > 1 {
                out.push(',');
            }
            push_json_string(&mut out, &key);
            out.push(':');
            push_item(&mut out, map.next_value::<JsonText>()?);
        }
        out.push('}');
        Ok(JsonText::value(out))
    }
}

fn push_item(out: &mut String, item: JsonText) {
    if item.was_json_value {
        out.push_str(&item.text);
    } else {
        push_json_string(out, &item.text);
    }
}

/// Any JSON value, keeping only a string; everything else (skipped without recursion) reads as `None`.
pub(crate) struct Lenient(pub Option<String>);

impl<'de> de::Deserialize<'de> for Lenient {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Lenient;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E>(self, v: &str) -> Result<Lenient, E> {
                Ok(Lenient(Some(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Lenient, E> {
                Ok(Lenient(Some(v)))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Lenient, E> {
                Ok(Lenient(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Lenient, E> {
                Ok(Lenient(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Lenient, E> {
                Ok(Lenient(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Lenient, E> {
                Ok(Lenient(None))
            }
            fn visit_unit<E>(self) -> Result<Lenient, E> {
                Ok(Lenient(None))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Lenient, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Lenient(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Lenient, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Lenient(None))
            }
        }
        deserializer.deserialize_any(V)
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

impl<'de> de::Deserialize<'de> for ErrorBody {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ErrorBody;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an error object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ErrorBody, A::Error> {
                // Lower rank wins: code < Code < __type; message < Message < errorMessage.
                let mut kind: Option<(u8, String)> = None;
                let mut message: Option<(u8, String)> = None;
                let mut body = ErrorBody::default();
                let keep = |slot: &mut Option<(u8, String)>, rank: u8, value: Option<String>| {
                    if let Some(value) = value
                        && slot.as_ref().is_none_or(|(r, _)| rank <= *r)
                    {
                        *slot = Some((rank, value));
                    }
                };
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    let rank = match &*key {
                        "code" | "message" => 0,
                        "Code" | "Message" => 1,
                        "__type" | "errorMessage" => 2,
                        "payload" => 3,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                            continue;
                        }
                    };
                    let value = map.next_value::<Lenient>()?.0;
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
            fn visit_str<E>(self, _: &str) -> Result<ErrorBody, E> {
                Ok(ErrorBody::default())
            }
            fn visit_bool<E>(self, _: bool) -> Result<ErrorBody, E> {
                Ok(ErrorBody::default())
            }
            fn visit_i64<E>(self, _: i64) -> Result<ErrorBody, E> {
                Ok(ErrorBody::default())
            }
            fn visit_u64<E>(self, _: u64) -> Result<ErrorBody, E> {
                Ok(ErrorBody::default())
            }
            fn visit_f64<E>(self, _: f64) -> Result<ErrorBody, E> {
                Ok(ErrorBody::default())
            }
            fn visit_unit<E>(self) -> Result<ErrorBody, E> {
                Ok(ErrorBody::default())
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<ErrorBody, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(ErrorBody::default())
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// Parses an error body; `None` when it is not JSON at all.
pub(crate) fn parse_error_body(body: &[u8]) -> Option<ErrorBody> {
    serde_json::from_slice(body).ok()
}

/// `statusDetails`: a flat map (data plane) or `{"detailsMap": {...}}` (control plane).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct WireDetails {
    pub entries: Vec<(String, String)>,
    pub wrapped: bool,
    pub duplicates: Vec<String>,
}

struct DetailsVisitor;

impl<'de> Visitor<'de> for DetailsVisitor {
    type Value = WireDetails;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of string values")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WireDetails, A::Error> {
        let mut details = WireDetails::default();
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            let value = map.next_value::<StringOrMap>()?;
            match value {
                StringOrMap::Map(inner) if key == "detailsMap" && details.entries.is_empty() => {
                    details.wrapped = true;
                    details.entries = inner.entries;
                    details.duplicates = inner.duplicates;
                }
                StringOrMap::Map(_) => return Err(invalid("map", &"a string value")),
                StringOrMap::Null => {}
                StringOrMap::Str(value) => {
                    if let Some(slot) = details.entries.iter_mut().find(|(k, _)| *k == key) {
                        details.duplicates.push(key.to_string());
                        slot.1 = value;
                    } else {
                        details.entries.push((key.into_owned(), value));
                    }
                }
            }
        }
        Ok(details)
    }

    reject!('de; bool i64 u64 f64 str unit seq);
}

impl<'de> de::Deserialize<'de> for WireDetails {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DetailsVisitor)
    }
}

enum StringOrMap {
    Str(String),
    Map(WireDetails),
    Null,
}

impl<'de> de::Deserialize<'de> for StringOrMap {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StringOrMap;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string value")
            }
            fn visit_str<E>(self, v: &str) -> Result<StringOrMap, E> {
                Ok(StringOrMap::Str(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<StringOrMap, E> {
                Ok(StringOrMap::Str(v))
            }
            fn visit_unit<E>(self) -> Result<StringOrMap, E> {
                Ok(StringOrMap::Null)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<StringOrMap, A::Error> {
                DetailsVisitor.visit_map(map).map(StringOrMap::Map)
            }
            reject!('de; bool i64 u64 f64 seq);
        }
        deserializer.deserialize_any(V)
    }
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

/// Where a decode error happened, so the message can name the field.
#[derive(Default)]
pub(crate) struct FailurePath(Cell<Option<&'static str>>);

impl FailurePath {
    pub fn get(&self) -> Option<&'static str> {
        self.0.get()
    }
}

pub(crate) struct BodySeed<'a>(pub &'a FailurePath);

impl<'de> DeserializeSeed<'de> for BodySeed<'_> {
    type Value = WireBody;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<WireBody, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for BodySeed<'_> {
    type Value = WireBody;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WireBody, A::Error> {
        let mut body = WireBody::default();
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match &*key {
                "execution" => {
                    self.0.0.set(Some("execution"));
                    body.execution = map.next_value_seed(OptionalExecution(self.0))?;
                    self.0.0.set(None);
                }
                "__type" | "code" | "Code" => {
                    if let Some(kind) = map.next_value::<Lenient>()?.0 {
                        body.embedded_error = Some(kind);
                    }
                }
                "Output" => {
                    if let Some(kind) = map.next_value::<ErrorBody>()?.error_type {
                        body.embedded_error = Some(kind);
                    }
                }
                "clientToken" => {
                    body.client_token = map.next_value::<Lenient>()?.0;
                }
                "timestamp" | "message" | "Message" | "Version" => {
                    map.next_value::<IgnoredAny>()?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    body.unknown_fields.push(key.into_owned());
                }
            }
        }
        Ok(body)
    }

    reject!('de; bool i64 u64 f64 str unit seq);
}

struct OptionalExecution<'a>(&'a FailurePath);

impl<'de> DeserializeSeed<'de> for OptionalExecution<'_> {
    type Value = Option<WireExecution>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for OptionalExecution<'_> {
    type Value = Option<WireExecution>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JobExecution object or null")
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer
            .deserialize_any(ExecutionVisitor(self.0))
            .map(Some)
    }
}

struct ExecutionVisitor<'a>(&'a FailurePath);

impl<'de> Visitor<'de> for ExecutionVisitor<'_> {
    type Value = WireExecution;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JobExecution object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WireExecution, A::Error> {
        let mut e = WireExecution::default();
        let path = &self.0.0;
        let mut seen: Vec<&'static str> = Vec::with_capacity(16);
        macro_rules! field {
            ($slot:expr, $name:literal, $ty:ty) => {{
                path.set(Some($name));
                let value = map.next_value::<Option<$ty>>()?;
                // A repeated member: the last one wins, `null` included, as JSON parsers read it.
                if seen.contains(&$name) {
                    if !e.duplicate_fields.contains(&$name) {
                        e.duplicate_fields.push($name);
                    }
                } else {
                    seen.push($name);
                }
                $slot = value;
                path.set(Some("execution"));
            }};
        }
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match &*key {
                "jobId" => field!(e.job_id, "jobId", WireString),
                "thingName" => field!(e.thing_name, "thingName", WireString),
                "thingArn" => field!(e.thing_arn, "thingArn", WireString),
                "status" => field!(e.status, "status", WireString),
                "forceCanceled" => field!(e.force_canceled, "forceCanceled", WireBool),
                "statusDetails" => field!(e.status_details, "statusDetails", WireDetails),
                "queuedAt" => field!(e.queued_at, "queuedAt", WireNumber),
                "startedAt" => field!(e.started_at, "startedAt", WireNumber),
                "lastUpdatedAt" => field!(e.last_updated_at, "lastUpdatedAt", WireNumber),
                "approximateSecondsBeforeTimedOut" => field!(
                    e.approximate_seconds_before_timed_out,
                    "approximateSecondsBeforeTimedOut",
                    WireNumber
                ),
                "versionNumber" => field!(e.version_number, "versionNumber", WireNumber),
                "executionNumber" => field!(e.execution_number, "executionNumber", WireNumber),
                "jobDocument" => field!(e.job_document, "jobDocument", WireDocument),
                _ => {
                    path.set(Some("execution"));
                    map.next_value::<IgnoredAny>()?;
                    e.unknown_fields.push(key.into_owned());
                }
            }
        }
        path.set(Some("execution"));
        Ok(e)
    }

    reject!('de; bool i64 u64 f64 str unit seq);
}

/// Parses a 2xx body. On failure, returns serde_json's message and the field being read.
pub(crate) fn parse_body(
    body: &[u8],
) -> Result<WireBody, (serde_json::Error, Option<&'static str>)> {
    let failure = FailurePath::default();
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let parsed = BodySeed(&failure)
        .deserialize(&mut deserializer)
        .and_then(|body| deserializer.end().map(|()| body));
    parsed.map_err(|e| (e, failure.get()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_stay_exact() {
        let body = parse_body(
            br#"{"execution":{"executionNumber":9007199254740993,"versionNumber":"12","queuedAt":1.5,"startedAt":9223372036854775808}}"#,
        )
        .unwrap();
        let e = body.execution.unwrap();
        assert_eq!(
            e.execution_number,
            Some(WireNumber::Int(9_007_199_254_740_993))
        );
        assert_eq!(e.version_number, Some(WireNumber::Text(12)));
        assert_eq!(e.queued_at, Some(WireNumber::Float(1.5)));
        assert_eq!(
            e.started_at,
            Some(WireNumber::TooBig(9_223_372_036_854_775_808))
        );
    }

    #[test]
    fn wrong_type_names_the_field() {
        let (error, field) = parse_body(br#"{"execution":{"jobId":"j","status":5}}"#).unwrap_err();
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
            parse_body(br#"{"execution":{"statusDetails":{"detailsMap":{"b":"1","a":"2"}}}}"#)
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
        assert_eq!(
            parse_body(br#"{"execution":null}"#).unwrap().execution,
            None
        );
        assert_eq!(parse_body(b"{}").unwrap().execution, None);
    }
}
