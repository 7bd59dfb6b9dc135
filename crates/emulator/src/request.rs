//! Reading requests: the plane, URI labels, query parameters and JSON bodies, each failure an AWS-shaped
//! InvalidRequestException. Field checks go through the core crate.

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use jobscope::{ExecutionNumber, JobId, Plane, ThingName};
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::plane::{self, ForcedPlane};

/// The plane, the decoded URI labels (in path order) and the query of a request.
pub struct Ctx {
    pub plane: Plane,
    pub labels: Vec<String>,
    pub query: Vec<(String, String)>,
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let forced = parts.extensions.get::<ForcedPlane>().copied();
        let plane = plane::detect(forced, &parts.headers);
        let mut labels = Vec::new();
        if let Ok(params) = RawPathParams::from_request_parts(parts, state).await {
            for (name, raw) in &params {
                let value = percent_decode_str(raw).decode_utf8().map_err(|_| {
                    ApiError::invalid(format!(
                        "{name}: the label is not valid UTF-8 once percent-decoded"
                    ))
                    .on(plane)
                })?;
                labels.push(value.into_owned());
            }
        }
        let query = parts.uri.query().map(parse_query).unwrap_or_default();
        Ok(Ctx {
            plane,
            labels,
            query,
        })
    }
}

fn parse_query(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(key), decode(value))
        })
        .collect()
}

impl Ctx {
    pub fn label(&self, index: usize) -> &str {
        self.labels.get(index).map_or("", String::as_str)
    }

    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn invalid(&self, message: impl Into<String>) -> ApiError {
        ApiError::invalid(message).on(self.plane)
    }

    pub fn thing_name(&self, index: usize) -> Result<ThingName, ApiError> {
        ThingName::parse(self.label(index)).map_err(|v| self.invalid(v.to_string()))
    }

    pub fn job_id(&self, index: usize) -> Result<JobId, ApiError> {
        JobId::parse(self.label(index)).map_err(|v| self.invalid(v.to_string()))
    }

    pub fn bool_query(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.query(name) {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(other) => {
                Err(self.invalid(format!("{name}: must be true or false, got {other:?}")))
            }
        }
    }

    pub fn number_query(&self, name: &str) -> Result<Option<i64>, ApiError> {
        self.query(name)
            .map(|text| {
                text.parse::<ExecutionNumber>()
                    .map(ExecutionNumber::get)
                    .map_err(|v| self.invalid(v.message.replacen("executionNumber", name, 1)))
            })
            .transpose()
    }

    /// `maxResults` (1–250) and `nextToken` (an offset this emulator issued).
    pub fn page(&self) -> Result<(usize, usize), ApiError> {
        let max = match self.query("maxResults") {
            None => 250,
            Some(text) => match text.parse::<usize>() {
                Ok(n @ 1..=250) => n,
                _ => {
                    return Err(self.invalid(format!("maxResults: must be 1 to 250, got {text:?}")));
                }
            },
        };
        let start = match self.query("nextToken") {
            None | Some("") => 0,
            Some(token) => token.parse::<usize>().map_err(|_| {
                self.invalid(format!(
                    "nextToken: {token:?} was not issued by this service"
                ))
            })?,
        };
        Ok((max, start))
    }

    /// Parses a JSON object body (an empty body is an empty object).
    pub fn body(&self, bytes: &[u8]) -> Result<Body, ApiError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Body {
                map: Map::new(),
                plane: self.plane,
            });
        }
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(map)) => Ok(Body {
                map,
                plane: self.plane,
            }),
            Ok(_) => Err(self.invalid("the request body must be a JSON object")),
            Err(e) => Err(self.invalid(format!("the request body is not valid JSON: {e}"))),
        }
    }
}

/// A JSON request body with typed accessors that fail with InvalidRequestException.
pub struct Body {
    map: Map<String, Value>,
    plane: Plane,
}

impl Body {
    fn wrong(&self, field: &str, expected: &str) -> ApiError {
        ApiError::invalid(format!("{field}: must be {expected}")).on(self.plane)
    }

    fn get(&self, field: &str) -> Option<&Value> {
        self.map.get(field).filter(|v| !v.is_null())
    }

    pub fn string(&self, field: &str) -> Result<Option<String>, ApiError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.wrong(field, "a string")),
        }
    }

    pub fn long(&self, field: &str) -> Result<Option<i64>, ApiError> {
        match self.get(field) {
            None => Ok(None),
            Some(value) => value
                .as_i64()
                .map(Some)
                .ok_or_else(|| self.wrong(field, "a whole number")),
        }
    }

    pub fn bool(&self, field: &str) -> Result<Option<bool>, ApiError> {
        match self.get(field) {
            None => Ok(None),
            Some(value) => value
                .as_bool()
                .map(Some)
                .ok_or_else(|| self.wrong(field, "true or false")),
        }
    }

    pub fn object(&self, field: &str) -> Result<Option<&Map<String, Value>>, ApiError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(map)),
            Some(_) => Err(self.wrong(field, "an object")),
        }
    }

    pub fn array(&self, field: &str) -> Result<Option<&Vec<Value>>, ApiError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::Array(items)) => Ok(Some(items)),
            Some(_) => Err(self.wrong(field, "an array")),
        }
    }

    /// `statusDetails`, checked with the core's constraints.
    pub fn status_details(&self) -> Result<Option<Vec<(String, String)>>, ApiError> {
        let Some(map) = self.object("statusDetails")? else {
            return Ok(None);
        };
        let mut entries = Vec::with_capacity(map.len());
        for (key, value) in map {
            let Value::String(value) = value else {
                return Err(self.wrong(&format!("statusDetails.{key}"), "a string"));
            };
            entries.push((key.clone(), value.clone()));
        }
        let problems =
            jobscope::check_status_details(entries.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        if !problems.is_empty() {
            let text: Vec<_> = problems.iter().map(|w| w.message.as_str()).collect();
            return Err(ApiError::invalid(text.join("; ")).on(self.plane));
        }
        Ok(Some(entries))
    }

    /// A timeout in minutes: 1 to 10080 (7 days).
    pub fn minutes(&self, field: &str) -> Result<Option<i64>, ApiError> {
        match self.long(field)? {
            Some(m) if !(1..=10_080).contains(&m) => Err(self.wrong(field, "1 to 10080 minutes")),
            other => Ok(other),
        }
    }
}
