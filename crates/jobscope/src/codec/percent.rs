//! Percent-encoding, both directions: URI labels, query strings and SigV4's canonical forms all use this one set.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use super::request::RequestError;

/// RFC 3986 unreserved characters stay; everything else is percent-encoded (Smithy httpLabel/httpQuery rules, and
/// SigV4's `UriEncode`).
pub const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a URI label or query value: everything but `A-Za-z0-9-._~`.
///
/// ```
/// assert_eq!(jobscope::encode_label("my:thing"), "my%3Athing");
/// assert_eq!(jobscope::encode_label("$next"), "%24next");
/// ```
pub fn encode_label(value: &str) -> String {
    utf8_percent_encode(value, UNRESERVED).to_string()
}

/// Percent-encodes raw bytes with the same set (SigV4 canonical forms).
pub fn encode_bytes(bytes: &[u8]) -> String {
    percent_encoding::percent_encode(bytes, UNRESERVED).to_string()
}

/// Decodes `%XX` escapes to bytes; a `%` not followed by two hex digits stays as it is.
pub fn decode_bytes(text: &str) -> Vec<u8> {
    percent_decode_str(text).collect()
}

/// Decodes a URI label (the inverse of [`encode_label`]); the result must be UTF-8.
///
/// ```
/// use jobscope::codec::decode_label;
/// assert_eq!(decode_label("thingName", "my%3Athing").unwrap(), "my:thing");
/// assert_eq!(
///     decode_label("thingName", "%FF").unwrap_err().to_string(),
///     "thingName: the label is not valid UTF-8 once percent-decoded"
/// );
/// ```
pub fn decode_label(field: &str, raw: &str) -> Result<String, RequestError> {
    percent_decode_str(raw)
        .decode_utf8()
        .map(|text| text.into_owned())
        .map_err(|_| RequestError::NotUtf8 {
            field: field.to_owned(),
            what: "label",
        })
}

/// Builds a query string (without `?`) from pairs, each name and value encoded with [`UNRESERVED`].
///
/// ```
/// use jobscope::codec::encode_query;
/// assert_eq!(encode_query([("thing", "a b"), ("n", "5")]), "thing=a%20b&n=5");
/// ```
pub fn encode_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&encode_label(name));
        out.push('=');
        out.push_str(&encode_label(value));
    }
    out
}

/// A decoded query string: pairs in order. `+` reads as a space (form encoding, which browsers and some clients
/// send); a parameter given twice reads as its last value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query(Vec<(String, String)>);

impl Query {
    /// Parses a query string, with or without its leading `?`. A name or value that is not UTF-8 once decoded
    /// is an error naming the parameter.
    ///
    /// ```
    /// use jobscope::codec::Query;
    /// let query = Query::parse("?executionNumber=5&includeJobDocument=false&x=a+b%21").unwrap();
    /// assert_eq!(query.long("executionNumber").unwrap(), Some(5));
    /// assert_eq!(query.bool("includeJobDocument").unwrap(), Some(false));
    /// assert_eq!(query.get("x"), Some("a b!"));
    /// assert_eq!(
    ///     Query::parse("n=yes").unwrap().bool("n").unwrap_err().to_string(),
    ///     "n: must be true or false, got \"yes\""
    /// );
    /// ```
    pub fn parse(raw: &str) -> Result<Query, RequestError> {
        let raw = raw.strip_prefix('?').unwrap_or(raw);
        let mut pairs = Vec::new();
        for pair in raw.split('&').filter(|pair| !pair.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |text: &str, field: &str| {
                percent_decode_str(&text.replace('+', " "))
                    .decode_utf8()
                    .map(|text| text.into_owned())
                    .map_err(|_| RequestError::NotUtf8 {
                        field: field.to_owned(),
                        what: "query parameter",
                    })
            };
            let name = decode(name, "query")?;
            let value = decode(value, &name)?;
            pairs.push((name, value));
        }
        Ok(Query(pairs))
    }

    /// The pairs, in order.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The value of a parameter (its last one when given twice).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A boolean parameter: `true` or `false`.
    pub fn bool(&self, name: &str) -> Result<Option<bool>, RequestError> {
        match self.get(name) {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(other) => Err(RequestError::bad_query(name, other, "true or false")),
        }
    }

    /// A `long` parameter, read exactly with the same rules as `executionNumber` (digits, 64-bit).
    pub fn long(&self, name: &str) -> Result<Option<i64>, RequestError> {
        self.get(name)
            .map(|text| {
                text.parse::<crate::ExecutionNumber>()
                    .map(crate::ExecutionNumber::get)
                    .map_err(|v| RequestError::BadQuery {
                        name: name.to_owned(),
                        message: v.message.replacen("executionNumber", name, 1),
                    })
            })
            .transpose()
    }

    /// A `JobExecutionStatus` parameter (the list operations' `status` filter), read strictly.
    ///
    /// ```
    /// use jobscope::{JobExecutionStatus, codec::Query};
    /// let query = Query::parse("status=QUEUED&other=DONE").unwrap();
    /// assert_eq!(query.job_execution_status("status").unwrap(), Some(JobExecutionStatus::Queued));
    /// assert!(query.job_execution_status("other").unwrap_err().to_string().starts_with("other: must be one of QUEUED, "));
    /// ```
    pub fn job_execution_status(
        &self,
        name: &str,
    ) -> Result<Option<crate::JobExecutionStatus>, RequestError> {
        self.get(name)
            .map(|text| {
                super::update::parse_status(name, text).map_err(|message| RequestError::BadQuery {
                    name: name.to_owned(),
                    message,
                })
            })
            .transpose()
    }

    /// `maxResults`: 1 to `max` (the models' range for list operations), `max` when absent.
    pub fn max_results(&self, max: usize) -> Result<usize, RequestError> {
        match self.get("maxResults") {
            None => Ok(max),
            Some(text) => match text.parse::<usize>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(RequestError::bad_query(
                    "maxResults",
                    text,
                    &format!("1 to {max}"),
                )),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smithy_label_escaping_vector() {
        // RestJsonHttpRequestLabelEscaping (smithy-aws-protocol-tests, http-labels.smithy).
        let raw = " %:/?#[]@!$&'()*+,;=😹";
        let encoded = "%20%25%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%F0%9F%98%B9";
        assert_eq!(encode_label(raw), encoded);
        assert_eq!(decode_label("x", encoded).unwrap(), raw);
        assert_eq!(encode_label("a-._~Z9"), "a-._~Z9");
    }

    #[test]
    fn query_round_trip() {
        let pairs = [("thing", "my:thing +1"), ("job", "$next"), ("empty", "")];
        let encoded = encode_query(pairs);
        let query = Query::parse(&encoded).unwrap();
        assert_eq!(query.pairs().collect::<Vec<_>>(), pairs);
    }

    #[test]
    fn query_errors_name_the_parameter() {
        assert_eq!(
            Query::parse("a=%FF").unwrap_err().to_string(),
            "a: the query parameter is not valid UTF-8 once percent-decoded"
        );
        let query = Query::parse("maxResults=0&n=-1&n=x").unwrap();
        assert_eq!(
            query.max_results(250).unwrap_err().to_string(),
            "maxResults: must be 1 to 250, got \"0\""
        );
        assert!(query.long("n").unwrap_err().to_string().starts_with("n: "));
        assert_eq!(query.get("n"), Some("x"));
    }
}
