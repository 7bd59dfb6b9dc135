//! The lookup form's state, its validation through the core crate, and its place in the page URL.

use jobscope::{
    DescribeJobExecutionInput, DescribeJobExecutionRequest, Endpoint, LooseNumber, Plane, Violation,
};

/// Where requests go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum EndpointMode {
    /// The local emulator through the dev server's proxy: `{origin}/emulator/{plane}`.
    #[default]
    Local,
    /// Any base URL.
    Custom,
    /// An AWS account's endpoint, with SigV4-signed requests (credentials live in memory only, never here).
    Aws,
}

/// Everything the form holds, as text (what the user typed).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Form {
    pub plane: Plane,
    pub endpoint_mode: EndpointMode,
    pub endpoint: String,
    pub thing_name: String,
    pub job_id: String,
    pub execution_number: String,
    /// `None`: not sent (the service's default, true).
    pub include_job_document: Option<bool>,
    /// AWS mode: the endpoint's region.
    pub region: String,
    /// AWS mode: a same-origin forwarding proxy prefix (e.g. `/aws-jobs`) the browser sends to instead of the
    /// endpoint, which the CORS rules of the Jobs endpoints require; empty sends directly.
    pub via: String,
}

impl Form {
    /// The loose input the core validates. Empty fields are "not given".
    pub fn input(&self) -> DescribeJobExecutionInput {
        let text = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        DescribeJobExecutionInput {
            plane: self.plane,
            thing_name: text(&self.thing_name),
            job_id: text(&self.job_id),
            execution_number: text(self.execution_number.trim()).map(LooseNumber::Text),
            include_job_document: if self.plane == Plane::Data {
                self.include_job_document
            } else {
                None
            },
        }
    }

    /// The base URL for this form, given the page's origin.
    pub fn endpoint(&self, origin: &str) -> Result<Endpoint, Violation> {
        match self.endpoint_mode {
            EndpointMode::Local => Endpoint::parse(&format!("{origin}/emulator/{}", self.plane)),
            EndpointMode::Custom | EndpointMode::Aws => Endpoint::parse(self.endpoint.trim()),
        }
    }

    /// The validated request and endpoint, or every violation (endpoint ones included).
    pub fn validate(
        &self,
        origin: &str,
    ) -> Result<(DescribeJobExecutionRequest, Endpoint), Vec<Violation>> {
        let request = self.input().validate();
        let endpoint = self.endpoint(origin);
        match (request, endpoint) {
            (Ok(request), Ok(endpoint)) => Ok((request, endpoint)),
            (request, endpoint) => {
                let mut all = request.err().map(|v| v.0).unwrap_or_default();
                all.extend(endpoint.err());
                Err(all)
            }
        }
    }

    /// The form as a query string (`plane=data&thing=…&job=…`), for shareable URLs. Never holds credentials.
    pub fn to_query(&self) -> String {
        let mut pairs = vec![("plane", self.plane.as_str().to_owned())];
        match self.endpoint_mode {
            EndpointMode::Local => {}
            EndpointMode::Custom => pairs.push(("endpoint", self.endpoint.clone())),
            EndpointMode::Aws => {
                pairs.push(("mode", "aws".to_owned()));
                pairs.push(("endpoint", self.endpoint.clone()));
                pairs.push(("region", self.region.clone()));
                if !self.via.is_empty() {
                    pairs.push(("via", self.via.clone()));
                }
            }
        }
        for (key, value) in [
            ("thing", &self.thing_name),
            ("job", &self.job_id),
            ("n", &self.execution_number),
        ] {
            if !value.is_empty() {
                pairs.push((key, value.clone()));
            }
        }
        if let Some(include) = self.include_job_document {
            pairs.push(("doc", include.to_string()));
        }
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", jobscope::encode_label(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Reads a form back from a query string (with or without `?`); unknown keys are ignored.
    pub fn from_query(query: &str) -> Form {
        let mut form = Form::default();
        for pair in query
            .trim_start_matches('?')
            .split('&')
            .filter(|p| !p.is_empty())
        {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_decode(value);
            match key {
                "plane" => form.plane = value.parse().unwrap_or_default(),
                "endpoint" => {
                    if form.endpoint_mode == EndpointMode::Local {
                        form.endpoint_mode = EndpointMode::Custom;
                    }
                    form.endpoint = value;
                }
                "mode" if value == "aws" => form.endpoint_mode = EndpointMode::Aws,
                "region" => form.region = value,
                "via" => form.via = value,
                "thing" => form.thing_name = value,
                "job" => form.job_id = value,
                "n" => form.execution_number = value,
                "doc" => form.include_job_document = value.parse().ok(),
                _ => {}
            }
        }
        form
    }

    /// Whether the form names something to look up.
    pub fn is_complete(&self) -> bool {
        !self.thing_name.is_empty() && !self.job_id.is_empty()
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_round_trip() {
        let form = Form {
            plane: Plane::Control,
            endpoint_mode: EndpointMode::Custom,
            endpoint: "https://iot.eu-west-1.amazonaws.com".into(),
            thing_name: "my:thing".into(),
            job_id: "job 1".into(),
            execution_number: "9007199254740993".into(),
            include_job_document: Some(false),
            ..Form::default()
        };
        assert_eq!(Form::from_query(&form.to_query()), form);
        let aws = Form {
            endpoint_mode: EndpointMode::Aws,
            endpoint: "https://abc.jobs.iot.eu-west-1.amazonaws.com".into(),
            region: "eu-west-1".into(),
            via: "/aws-jobs".into(),
            thing_name: "t".into(),
            job_id: "j".into(),
            ..Form::default()
        };
        assert_eq!(Form::from_query(&aws.to_query()), aws);
        assert_eq!(
            Form::from_query("?thing=a%3Ab&job=%24next&zzz=1").job_id,
            "$next"
        );
        assert_eq!(Form::from_query("thing=%E2%9C%93").thing_name, "✓");
        assert_eq!(Form::from_query("thing=50%").thing_name, "50%");
    }

    #[test]
    fn validation_collects_endpoint_problems_too() {
        let form = Form {
            endpoint_mode: EndpointMode::Custom,
            endpoint: "ftp://x".into(),
            ..Form::default()
        };
        let fields: Vec<_> = form
            .validate("http://127.0.0.1:8080")
            .unwrap_err()
            .iter()
            .map(|v| v.field)
            .collect();
        assert_eq!(fields, ["thingName", "jobId", "endpoint"]);
        let local = Form {
            thing_name: "t".into(),
            job_id: "$next".into(),
            ..Form::default()
        };
        let (request, endpoint) = local.validate("http://127.0.0.1:8080").unwrap();
        assert_eq!(
            request.to_http(Some(&endpoint)).url,
            "http://127.0.0.1:8080/emulator/data/things/t/jobs/%24next"
        );
    }
}
