//! JSON request bodies, read with typed accessors whose failures are [`RequestError`]s naming the member.

use serde_json::{Map, Value};

use super::request::RequestError;
use crate::execution::StatusDetails;

/// A JSON object request body (or an object member of one, see [`JsonBody::nested`]). An empty (or
/// all-whitespace) body reads as `{}`; a `null` member as absent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JsonBody {
    map: Map<String, Value>,
    /// Where this object is in the body (`timeoutConfig.`), for messages; empty at the top.
    path: String,
}

impl JsonBody {
    /// Parses a body.
    ///
    /// ```
    /// use jobscope::codec::JsonBody;
    /// let body = JsonBody::parse(br#"{"expectedVersion": 3, "status": null}"#).unwrap();
    /// assert_eq!(body.long("expectedVersion").unwrap(), Some(3));
    /// assert_eq!(body.string("status").unwrap(), None);
    /// assert_eq!(
    ///     body.bool("expectedVersion").unwrap_err().to_string(),
    ///     "expectedVersion: must be true or false"
    /// );
    /// assert_eq!(JsonBody::parse(b"[]").unwrap_err().to_string(), "the request body must be a JSON object");
    /// ```
    pub fn parse(bytes: &[u8]) -> Result<JsonBody, RequestError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(JsonBody::default());
        }
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(map)) => Ok(JsonBody {
                map,
                path: String::new(),
            }),
            Ok(_) => Err(RequestError::BadBody(
                "the request body must be a JSON object".into(),
            )),
            Err(e) => Err(RequestError::BadBody(format!(
                "the request body is not valid JSON: {e}"
            ))),
        }
    }

    /// A member's name as a message gives it: with the path of this object in the body.
    fn name(&self, field: &str) -> String {
        format!("{}{field}", self.path)
    }

    fn wrong(&self, field: &str, expected: &str) -> RequestError {
        RequestError::BadBody(format!("{}: must be {expected}", self.name(field)))
    }

    fn get(&self, field: &str) -> Option<&Value> {
        self.map.get(field).filter(|v| !v.is_null())
    }

    /// A string member.
    pub fn string(&self, field: &str) -> Result<Option<String>, RequestError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.wrong(field, "a string")),
        }
    }

    /// A string member that must be there.
    pub fn required_string(&self, field: &str) -> Result<String, RequestError> {
        self.string(field)?.ok_or_else(|| self.missing(field))
    }

    /// The error for a required member that is absent: `field: is required`.
    pub fn missing(&self, field: &str) -> RequestError {
        RequestError::BadBody(format!("{}: is required", self.name(field)))
    }

    /// A `long` member (a whole JSON number in `i64`).
    pub fn long(&self, field: &str) -> Result<Option<i64>, RequestError> {
        match self.get(field) {
            None => Ok(None),
            Some(value) => value
                .as_i64()
                .map(Some)
                .ok_or_else(|| self.wrong(field, "a whole number")),
        }
    }

    /// A boolean member.
    pub fn bool(&self, field: &str) -> Result<Option<bool>, RequestError> {
        match self.get(field) {
            None => Ok(None),
            Some(value) => value
                .as_bool()
                .map(Some)
                .ok_or_else(|| self.wrong(field, "true or false")),
        }
    }

    /// An object member.
    pub fn object(&self, field: &str) -> Result<Option<&Map<String, Value>>, RequestError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(map)),
            Some(_) => Err(self.wrong(field, "an object")),
        }
    }

    /// An array member.
    pub fn array(&self, field: &str) -> Result<Option<&Vec<Value>>, RequestError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::Array(items)) => Ok(Some(items)),
            Some(_) => Err(self.wrong(field, "an array")),
        }
    }

    /// An object member, read with the same accessors; its members' messages name their whole path
    /// (`timeoutConfig.inProgressTimeoutInMinutes: …`).
    ///
    /// ```
    /// use jobscope::codec::JsonBody;
    /// let body = JsonBody::parse(br#"{"timeoutConfig": {"inProgressTimeoutInMinutes": 0}}"#).unwrap();
    /// let config = body.nested("timeoutConfig").unwrap().unwrap();
    /// assert_eq!(
    ///     config.minutes("inProgressTimeoutInMinutes").unwrap_err().to_string(),
    ///     "timeoutConfig.inProgressTimeoutInMinutes: must be 1 to 10080 minutes"
    /// );
    /// ```
    pub fn nested(&self, field: &str) -> Result<Option<JsonBody>, RequestError> {
        Ok(self.object(field)?.map(|map| JsonBody {
            map: map.clone(),
            path: format!("{}.", self.name(field)),
        }))
    }

    /// Reads every item of an array member with `read`; the first it refuses names its index.
    fn each<T>(
        &self,
        field: &str,
        items: &[Value],
        expected: &str,
        read: impl Fn(usize, &Value) -> Option<T>,
    ) -> Result<Option<Vec<T>>, RequestError> {
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                read(i, item).ok_or_else(|| self.wrong(&format!("{field}[{i}]"), expected))
            })
            .collect::<Result<_, _>>()
            .map(Some)
    }

    /// An array member of objects, each read as a [`JsonBody`] named `field[i]`.
    ///
    /// ```
    /// use jobscope::codec::JsonBody;
    /// let body = JsonBody::parse(br#"{"list": [{"n": 1}, {"n": "x"}]}"#).unwrap();
    /// let items = body.objects("list").unwrap().unwrap();
    /// assert_eq!(items[0].long("n").unwrap(), Some(1));
    /// assert_eq!(items[1].long("n").unwrap_err().to_string(), "list[1].n: must be a whole number");
    /// assert_eq!(
    ///     JsonBody::parse(br#"{"list": [5]}"#).unwrap().objects("list").unwrap_err().to_string(),
    ///     "list[0]: must be an object"
    /// );
    /// ```
    pub fn objects(&self, field: &str) -> Result<Option<Vec<JsonBody>>, RequestError> {
        let Some(items) = self.array(field)? else {
            return Ok(None);
        };
        self.each(field, items, "an object", |i, item| match item {
            Value::Object(map) => Some(JsonBody {
                map: map.clone(),
                path: format!("{}[{i}].", self.name(field)),
            }),
            _ => None,
        })
    }

    /// An array member of strings.
    ///
    /// ```
    /// use jobscope::codec::JsonBody;
    /// let body = JsonBody::parse(br#"{"targets": ["a", 1]}"#).unwrap();
    /// assert_eq!(body.strings("targets").unwrap_err().to_string(), "targets[1]: must be a string");
    /// ```
    pub fn strings(&self, field: &str) -> Result<Option<Vec<String>>, RequestError> {
        let Some(items) = self.array(field)? else {
            return Ok(None);
        };
        self.each(field, items, "a string", |_, item| match item {
            Value::String(text) => Some(text.clone()),
            _ => None,
        })
    }

    /// A map of strings (`attributes`, `statusDetails`), in the order sent.
    pub fn string_map(&self, field: &str) -> Result<Option<Vec<(String, String)>>, RequestError> {
        let Some(map) = self.object(field)? else {
            return Ok(None);
        };
        map.iter()
            .map(|(key, value)| match value {
                Value::String(value) => Ok((key.clone(), value.clone())),
                _ => Err(self.wrong(&format!("{field}.{key}"), "a string")),
            })
            .collect::<Result<_, _>>()
            .map(Some)
    }

    /// `statusDetails`, checked with the same constraints the decoder warns about (key pattern, lengths).
    pub fn status_details(&self) -> Result<Option<StatusDetails>, RequestError> {
        let Some(entries) = self.string_map("statusDetails")? else {
            return Ok(None);
        };
        let problems =
            crate::check_status_details(entries.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        if !problems.is_empty() {
            let text: Vec<_> = problems.iter().map(|w| w.message.as_str()).collect();
            return Err(RequestError::BadBody(text.join("; ")));
        }
        Ok(Some(StatusDetails(entries)))
    }

    /// A timeout in minutes: 1 to 10080 (7 days), as `stepTimeoutInMinutes` and the job timeouts take.
    pub fn minutes(&self, field: &str) -> Result<Option<i64>, RequestError> {
        match self.long(field)? {
            Some(m) if !(1..=10_080).contains(&m) => Err(self.wrong(field, "1 to 10080 minutes")),
            other => Ok(other),
        }
    }
}
