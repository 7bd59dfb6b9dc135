//! Turning a valid request into the exact HTTP request, plus its `curl`, AWS CLI and MQTT equivalents.

use std::fmt::Write as _;

use crate::codec::{encode_label, encode_query, headers};
use crate::endpoint::Endpoint;
use crate::plane::Plane;
use crate::request::DescribeJobExecutionRequest;

/// The HTTP request for one `DescribeJobExecution` call.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HttpRequest {
    /// Always `GET`.
    pub method: &'static str,
    /// The operation path, labels encoded: `/things/my%3Athing/jobs/%24next`.
    pub path: String,
    /// The query string without `?`: `executionNumber=5&includeJobDocument=false`, or empty.
    pub query: String,
    /// The full URL: endpoint (with its prefix) + path + `?query`. Relative when no endpoint is given.
    pub url: String,
    /// Headers to send (the `Host` header is the URL's authority).
    pub headers: Vec<(String, String)>,
}

/// The MQTT form of the same request (data plane only).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MqttRequest {
    /// `$aws/things/{thingName}/jobs/{jobId}/get`.
    pub topic: String,
    /// The JSON payload: `{"executionNumber":5,"includeJobDocument":false}` with only the fields set.
    pub payload: String,
    /// Where the answer arrives: `…/get/accepted`.
    pub accepted_topic: String,
    /// Where a rejection arrives: `…/get/rejected`.
    pub rejected_topic: String,
}

impl DescribeJobExecutionRequest {
    /// The operation path with labels percent-encoded.
    pub fn path(&self) -> String {
        format!(
            "/things/{}/jobs/{}",
            encode_label(self.thing_name().as_str()),
            encode_label(self.job().as_str())
        )
    }

    /// The query string (without `?`): `executionNumber` then `includeJobDocument`, each only when set.
    pub fn query(&self) -> String {
        let number = self.execution_number().map(|n| n.to_string());
        let include = self
            .include_job_document()
            .map(|b| if b { "true" } else { "false" });
        encode_query(
            [
                ("executionNumber", number.as_deref()),
                ("includeJobDocument", include),
            ]
            .into_iter()
            .filter_map(|(name, value)| Some((name, value?))),
        )
    }

    /// Builds the HTTP request against an endpoint (or a relative URL without one).
    ///
    /// ```
    /// use jobscope::{DescribeJobExecutionInput, Endpoint};
    /// let request = DescribeJobExecutionInput {
    ///     thing_name: Some("my:thing".into()),
    ///     job_id: Some("$next".into()),
    ///     execution_number: Some("9007199254740993".into()),
    ///     include_job_document: Some(false),
    ///     ..Default::default()
    /// }
    /// .validate()?;
    /// let endpoint = Endpoint::parse("http://127.0.0.1:9090/api/").unwrap();
    /// let http = request.to_http(Some(&endpoint));
    /// assert_eq!(
    ///     http.url,
    ///     "http://127.0.0.1:9090/api/things/my%3Athing/jobs/%24next?executionNumber=9007199254740993&includeJobDocument=false"
    /// );
    /// # Ok::<(), jobscope::Violations>(())
    /// ```
    pub fn to_http(&self, endpoint: Option<&Endpoint>) -> HttpRequest {
        let path = self.path();
        let query = self.query();
        let mut url = endpoint.map(Endpoint::to_string).unwrap_or_default();
        url.push_str(&path);
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query);
        }
        HttpRequest {
            method: "GET",
            path,
            query,
            url,
            headers: vec![(headers::ACCEPT.into(), headers::JSON.into())],
        }
    }

    /// The same request as a `curl` command.
    ///
    /// Against an `*.amazonaws.com` endpoint it adds curl's own SigV4 signing with the plane's signing name and
    /// credentials from the environment. Without an endpoint the URL starts with `$ENDPOINT`.
    pub fn to_curl(&self, endpoint: Option<&Endpoint>) -> String {
        let http = self.to_http(endpoint);
        let mut command = String::from("curl -sS -H 'accept: application/json'");
        if let Some(region) = endpoint.and_then(Endpoint::aws_region) {
            let _ = write!(
                command,
                " --aws-sigv4 {} --user \"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\"",
                shell_quote(&format!("aws:amz:{region}:{}", self.plane().service_name()))
            );
        }
        match endpoint {
            Some(_) => {
                command.push(' ');
                command.push_str(&shell_quote(&http.url));
            }
            None => {
                command.push_str(" \"$ENDPOINT\"");
                command.push_str(&shell_quote(&http.url));
            }
        }
        command
    }

    /// The same request as an AWS CLI command (`aws iot-jobs-data describe-job-execution …` or
    /// `aws iot describe-job-execution …`).
    ///
    /// The data plane always needs `--endpoint-url` (the account's `iot:Jobs` endpoint); without an endpoint it is
    /// written as `"$ENDPOINT"`. The control plane's default endpoint is right, so it is only added when given.
    pub fn to_aws_cli(&self, endpoint: Option<&Endpoint>) -> String {
        let mut command = format!(
            "aws {} describe-job-execution --thing-name {} --job-id {}",
            self.plane().service_name(),
            shell_quote(self.thing_name().as_str()),
            shell_quote(self.job().as_str())
        );
        if let Some(number) = self.execution_number() {
            let _ = write!(command, " --execution-number {number}");
        }
        match self.include_job_document() {
            Some(true) => command.push_str(" --include-job-document"),
            Some(false) => command.push_str(" --no-include-job-document"),
            None => {}
        }
        match endpoint {
            Some(endpoint) => {
                let _ = write!(
                    command,
                    " --endpoint-url {}",
                    shell_quote(&endpoint.to_string())
                );
                if let Some(region) = endpoint.aws_region() {
                    let _ = write!(command, " --region {region}");
                }
            }
            None if self.plane() == Plane::Data => {
                command.push_str(" --endpoint-url \"$ENDPOINT\"")
            }
            None => {}
        }
        command
    }

    /// The MQTT form of the request (data plane only; the control plane has no MQTT API).
    ///
    /// ```
    /// use jobscope::DescribeJobExecutionInput;
    /// let request = DescribeJobExecutionInput {
    ///     thing_name: Some("sensor-1".into()),
    ///     job_id: Some("$next".into()),
    ///     include_job_document: Some(false),
    ///     ..Default::default()
    /// }
    /// .validate()?;
    /// let mqtt = request.to_mqtt().unwrap();
    /// assert_eq!(mqtt.topic, "$aws/things/sensor-1/jobs/$next/get");
    /// assert_eq!(mqtt.payload, r#"{"includeJobDocument":false}"#);
    /// # Ok::<(), jobscope::Violations>(())
    /// ```
    pub fn to_mqtt(&self) -> Option<MqttRequest> {
        self.to_mqtt_with_token(None)
    }

    /// The MQTT form with a `clientToken` in the payload, which the reply echoes (how a client matches replies
    /// to requests on the shared `…/accepted` topic).
    ///
    /// ```
    /// use jobscope::DescribeJobExecutionInput;
    /// let request = DescribeJobExecutionInput {
    ///     thing_name: Some("sensor-1".into()),
    ///     job_id: Some("job-7".into()),
    ///     ..Default::default()
    /// }
    /// .validate()?;
    /// let mqtt = request.to_mqtt_with_token(Some("c-1")).unwrap();
    /// assert_eq!(mqtt.payload, r#"{"clientToken":"c-1"}"#);
    /// assert_eq!(mqtt.accepted_topic, "$aws/things/sensor-1/jobs/job-7/get/accepted");
    /// # Ok::<(), jobscope::Violations>(())
    /// ```
    pub fn to_mqtt_with_token(&self, client_token: Option<&str>) -> Option<MqttRequest> {
        use crate::codec::mqtt::{JobsOperation, JobsTopic, TopicKind, describe_payload};
        if self.plane() != Plane::Data {
            return None;
        }
        let topic = |kind| {
            JobsTopic::Operation {
                thing: self.thing_name().clone(),
                operation: JobsOperation::Describe(self.job().clone()),
                kind,
            }
            .to_string()
        };
        Some(MqttRequest {
            topic: topic(TopicKind::Request),
            payload: describe_payload(
                client_token,
                self.execution_number().map(|n| n.get()),
                self.include_job_document(),
            ),
            accepted_topic: topic(TopicKind::Accepted),
            rejected_topic: topic(TopicKind::Rejected),
        })
    }
}

/// Quotes a word for a POSIX shell, only when it needs it.
fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=@%+,".contains(&b));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_quoting() {
        assert_eq!(shell_quote("abc-1"), "abc-1");
        assert_eq!(shell_quote("$next"), "'$next'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote("http://h/x?a=1&b=2"), "'http://h/x?a=1&b=2'");
    }
}
