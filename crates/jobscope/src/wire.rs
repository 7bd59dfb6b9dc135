//! Streaming decode of a 2xx `DescribeJobExecution` body into loosely typed wire values.
//!
//! The body is read once, without building a `serde_json::Value`. Every value keeps enough of its wire form for
//! the checks in `response.rs` to warn precisely: numbers stay exact (never through `f64` unless the wire had a
//! fraction), duplicate keys and unknown fields are recorded, and a field of the wrong JSON type names itself.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

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
        impl Visitor<'_> for NumberVisitor {
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
                    _ => Err(E::invalid_type(de::Unexpected::Str(v), &self)),
                }
            }
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
        Ok(match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::String(text) => WireDocument {
                text,
                was_json_value: false,
            },
            other => WireDocument {
                text: other.to_string(),
                was_json_value: true,
            },
        })
    }
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
                StringOrMap::Map(_) => {
                    return Err(de::Error::invalid_type(
                        de::Unexpected::Map,
                        &"a string value",
                    ));
                }
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
}

impl<'de> de::Deserialize<'de> for WireDetails {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(DetailsVisitor)
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
        }
        deserializer.deserialize_any(V)
    }
}

/// Every `JobExecution` member of either plane, as sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct WireExecution {
    pub job_id: Option<String>,
    pub thing_name: Option<String>,
    pub thing_arn: Option<String>,
    pub status: Option<String>,
    pub force_canceled: Option<bool>,
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
                    if let Some(kind) = map.next_value::<Option<serde_json::Value>>()? {
                        body.embedded_error = Some(value_text(&kind));
                    }
                }
                "Output" => {
                    let output = map.next_value::<serde_json::Value>()?;
                    if let Some(kind) = output.get("__type").or_else(|| output.get("code")) {
                        body.embedded_error = Some(value_text(kind));
                    }
                }
                "timestamp" | "clientToken" | "message" | "Message" | "Version" => {
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
}

fn value_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
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
            .deserialize_map(ExecutionVisitor(self.0))
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
        macro_rules! field {
            ($slot:expr, $name:literal, $ty:ty) => {{
                path.set(Some($name));
                let value = map.next_value::<Option<$ty>>()?;
                if $slot.is_some() {
                    e.duplicate_fields.push($name);
                }
                if value.is_some() {
                    $slot = value;
                }
                path.set(Some("execution"));
            }};
        }
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match &*key {
                "jobId" => field!(e.job_id, "jobId", String),
                "thingName" => field!(e.thing_name, "thingName", String),
                "thingArn" => field!(e.thing_arn, "thingArn", String),
                "status" => field!(e.status, "status", String),
                "forceCanceled" => field!(e.force_canceled, "forceCanceled", bool),
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
