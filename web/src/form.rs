//! The lookup form's state, its validation through the core crate, and its place in the page URL (the core's query
//! codec both ways).

use jobscope::codec::{Query, encode_query};
use jobscope::sigv4::{Credentials, presign_mqtt_url};
use jobscope::{
    DescribeJobExecutionInput, DescribeJobExecutionRequest, Endpoint, LooseNumber, Plane,
    Violation, ViolationCode,
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

/// How a lookup travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// HTTP(S): the emulator, a custom base URL, or an AWS endpoint through a forwarding proxy.
    Http,
    /// MQTT over WebSocket: the data plane's Jobs MQTT API (the emulator's `/mqtt`, or an account's `iot:Data-ATS`
    /// endpoint with a SigV4-presigned URL, which a page may open from any origin).
    Mqtt,
}

impl Transport {
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Http => "http",
            Transport::Mqtt => "mqtt",
        }
    }
}

/// Where a valid lookup goes.
#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    /// The endpoint the request is for (and, in AWS mode, signed for), and where the browser sends it: the
    /// endpoint, or in AWS mode a same-origin forwarding proxy.
    Http {
        endpoint: Endpoint,
        send_to: Endpoint,
    },
    /// The WebSocket endpoint (`ws(s)://host[:port]/mqtt`, or an AWS host), presigned per attempt in AWS mode, and
    /// whether to offer subprotocol `mqtt` (AWS IoT wants it; Trunk's WebSocket proxy to the local emulator drops
    /// the server's answer to it, and the emulator does not need it).
    Mqtt { endpoint: String, subprotocol: bool },
}

/// How long one attempt may take when the form does not say.
pub const DEFAULT_TIMEOUT_MS: u32 = 10_000;
/// The range of the timeout setting, in milliseconds.
const TIMEOUT_RANGE_MS: std::ops::RangeInclusive<u32> = 100..=600_000;

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
    /// Seconds one attempt may take (decimals allowed); empty is [`DEFAULT_TIMEOUT_MS`].
    pub timeout: String,
    /// The transport picked; `None` is the mode's default (see [`Form::transport`]).
    pub transport: Option<Transport>,
}

/// A valid form: the request, where it goes, and how long an attempt may take.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub request: DescribeJobExecutionRequest,
    pub route: Route,
    pub timeout_ms: u32,
}

/// The form's checks: the core's for the request and endpoint, plus the page's own settings (proxy, timeout).
pub type Validation = Result<Target, Vec<Violation>>;

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

    /// The base URL for `plane`, given the page's origin: the local emulator's mount for that plane, or the typed
    /// endpoint.
    pub fn endpoint_for(&self, plane: Plane, origin: &str) -> Result<Endpoint, Violation> {
        match self.endpoint_mode {
            EndpointMode::Local => Endpoint::parse(&format!("{origin}/emulator/{plane}")),
            EndpointMode::Custom | EndpointMode::Aws => Endpoint::parse(self.endpoint.trim()),
        }
    }

    /// Where the browser sends requests for `endpoint`: in AWS mode with a proxy, that proxy on this origin.
    fn send_to(&self, endpoint: &Endpoint, origin: &str) -> Result<Endpoint, Violation> {
        let via = self.via.trim();
        if self.endpoint_mode != EndpointMode::Aws || via.is_empty() {
            return Ok(endpoint.clone());
        }
        via.starts_with('/')
            .then(|| Endpoint::parse(&format!("{origin}{via}")).ok())
            .flatten()
            .ok_or_else(|| Violation {
                field: "via",
                code: ViolationCode::Pattern,
                message: "via: must be a path on this server starting with /, such as /aws-jobs"
                    .into(),
            })
    }

    /// The transport a lookup takes: the control plane and custom URLs are HTTP only; otherwise what was picked, by
    /// default MQTT over WebSocket for an AWS account's data plane (no proxy needed) and HTTP for the emulator.
    pub fn transport(&self) -> Transport {
        match (self.plane, self.endpoint_mode, self.transport) {
            (Plane::Control, _, _) | (_, EndpointMode::Custom, _) => Transport::Http,
            (_, _, Some(picked)) => picked,
            (_, EndpointMode::Aws, None) => Transport::Mqtt,
            (_, EndpointMode::Local, None) => Transport::Http,
        }
    }

    /// The route of an MQTT lookup: the emulator's `/mqtt` through this server's proxy, or the typed endpoint,
    /// checked by the core's URL presigner.
    fn mqtt_route(&self, origin: &str) -> Result<Route, Violation> {
        if self.endpoint_mode == EndpointMode::Local {
            let ws = origin.replacen("http", "ws", 1);
            return Ok(Route::Mqtt {
                endpoint: format!("{ws}/emulator-mqtt"),
                subprotocol: false,
            });
        }
        let endpoint = self.endpoint.trim();
        let probe = Credentials {
            access_key_id: "AKIDPROBE".into(),
            secret_access_key: "probe".into(),
            session_token: None,
        };
        presign_mqtt_url(endpoint, &probe, "us-east-1", 0)
            .map(|_| Route::Mqtt {
                endpoint: endpoint.to_owned(),
                subprotocol: true,
            })
            .map_err(|error| Violation {
                field: "endpoint",
                code: ViolationCode::Pattern,
                message: format!(
                    "endpoint: for MQTT, the account's iot:Data-ATS endpoint (wss://<prefix>-ats.iot.<region>.amazonaws.com/mqtt or its host): {}",
                    error.0
                ),
            })
    }

    /// The timeout of one attempt in milliseconds.
    pub fn timeout_ms(&self) -> Result<u32, Violation> {
        let text = self.timeout.trim();
        if text.is_empty() {
            return Ok(DEFAULT_TIMEOUT_MS);
        }
        milliseconds(text)
            .filter(|ms| TIMEOUT_RANGE_MS.contains(ms))
            .ok_or_else(|| Violation {
                field: "timeout",
                code: ViolationCode::OutOfRange,
                message: format!(
                    "timeout: must be a number of seconds from 0.1 to 600, got {text:?}"
                ),
            })
    }

    /// The validated target, or every violation (endpoint and settings ones included).
    pub fn validate(&self, origin: &str) -> Validation {
        let request = self.input().validate();
        let route = match self.transport() {
            Transport::Mqtt => self.mqtt_route(origin).map_err(|v| vec![v]),
            Transport::Http => {
                let endpoint = self.endpoint_for(self.plane, origin);
                let send_to = endpoint
                    .as_ref()
                    .map_or(Ok(None), |e| self.send_to(e, origin).map(Some));
                match (endpoint, send_to) {
                    (Ok(endpoint), Ok(Some(send_to))) => Ok(Route::Http { endpoint, send_to }),
                    (endpoint, send_to) => {
                        Err(endpoint.err().into_iter().chain(send_to.err()).collect())
                    }
                }
            }
        };
        let timeout_ms = self.timeout_ms();
        match (request, route, timeout_ms) {
            (Ok(request), Ok(route), Ok(timeout_ms)) => Ok(Target {
                request,
                route,
                timeout_ms,
            }),
            (request, route, timeout_ms) => {
                let mut all = request.err().map(|v| v.0).unwrap_or_default();
                all.extend(route.err().unwrap_or_default());
                all.extend(timeout_ms.err());
                Err(all)
            }
        }
    }

    /// The form as a query string (`plane=data&thing=…&job=…`), for shareable URLs. Never holds credentials.
    pub fn to_query(&self) -> String {
        let mut pairs = vec![("plane", self.plane.as_str())];
        match self.endpoint_mode {
            EndpointMode::Local => {}
            EndpointMode::Custom => pairs.push(("endpoint", &self.endpoint)),
            EndpointMode::Aws => {
                pairs.extend([
                    ("mode", "aws"),
                    ("endpoint", &self.endpoint),
                    ("region", &self.region),
                ]);
                if !self.via.is_empty() {
                    pairs.push(("via", &self.via));
                }
            }
        }
        for (key, value) in [
            ("thing", &self.thing_name),
            ("job", &self.job_id),
            ("n", &self.execution_number),
            ("timeout", &self.timeout),
        ] {
            if !value.is_empty() {
                pairs.push((key, value));
            }
        }
        if let Some(include) = self.include_job_document {
            pairs.push(("doc", if include { "true" } else { "false" }));
        }
        if let Some(transport) = self.transport {
            pairs.push(("transport", transport.as_str()));
        }
        encode_query(pairs)
    }

    /// Reads a form back from a query string (with or without `?`); unknown keys are ignored, and a query that is
    /// not UTF-8 once decoded gives the empty form.
    pub fn from_query(query: &str) -> Form {
        let Ok(query) = Query::parse(query) else {
            return Form::default();
        };
        let text = |name: &str| query.get(name).unwrap_or_default().to_owned();
        let endpoint_mode = match (query.get("mode"), query.get("endpoint")) {
            (Some("aws"), _) => EndpointMode::Aws,
            (_, Some(_)) => EndpointMode::Custom,
            _ => EndpointMode::Local,
        };
        Form {
            plane: query
                .get("plane")
                .and_then(|p| p.parse().ok())
                .unwrap_or_default(),
            endpoint_mode,
            endpoint: text("endpoint"),
            thing_name: text("thing"),
            job_id: text("job"),
            execution_number: text("n"),
            include_job_document: query.bool("doc").ok().flatten(),
            region: text("region"),
            via: text("via"),
            timeout: text("timeout"),
            transport: match query.get("transport") {
                Some("mqtt") => Some(Transport::Mqtt),
                Some("http") => Some(Transport::Http),
                _ => None,
            },
        }
    }

    /// Whether the form names something to look up.
    pub fn is_complete(&self) -> bool {
        !self.thing_name.is_empty() && !self.job_id.is_empty()
    }

    /// A text field by the name its violations carry (`thingName`, `jobId`, `executionNumber`, `endpoint`, `region`,
    /// `via`, `timeout`), for the fields that show and edit it.
    pub fn text(&self, field: &str) -> &str {
        match field {
            "thingName" => &self.thing_name,
            "jobId" => &self.job_id,
            "executionNumber" => &self.execution_number,
            "endpoint" => &self.endpoint,
            "region" => &self.region,
            "via" => &self.via,
            _ => &self.timeout,
        }
    }

    /// [`Form::text`], to edit.
    pub fn text_mut(&mut self, field: &str) -> &mut String {
        match field {
            "thingName" => &mut self.thing_name,
            "jobId" => &mut self.job_id,
            "executionNumber" => &mut self.execution_number,
            "endpoint" => &mut self.endpoint,
            "region" => &mut self.region,
            "via" => &mut self.via,
            _ => &mut self.timeout,
        }
    }

    /// Whether `field` was started: it holds something (the endpoint: it can be typed). Its problems show from then
    /// on, as they do once it was left or Describe was pressed.
    pub fn started(&self, field: &str) -> bool {
        match field {
            "endpoint" => self.endpoint_mode != EndpointMode::Local,
            _ => !self.text(field).is_empty(),
        }
    }
}

/// The messages for one field (empty when the form is valid or the field is fine).
pub fn field_messages(validation: &Validation, field: &str) -> Vec<String> {
    match validation {
        Ok(_) => Vec::new(),
        Err(violations) => violations
            .iter()
            .filter(|v| v.field == field)
            .map(|v| v.message.clone())
            .collect(),
    }
}

/// Decimal seconds (`10`, `0.2`, `.5`) as whole milliseconds, digits past the third decimal dropped; integers
/// only, so the page carries no float parser.
fn milliseconds(text: &str) -> Option<u32> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return None;
    }
    let whole: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let fraction = fraction.bytes().chain(std::iter::repeat(b'0')).take(3);
    let fraction = fraction.fold(0, |ms, digit| ms * 10 + u32::from(digit - b'0'));
    whole.checked_mul(1000)?.checked_add(fraction)
}

/// AWS credentials as typed. Held in a signal only: never in the URL, history or storage; gone on reload.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CredentialsInput {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
}

impl CredentialsInput {
    /// A credential by name (`accessKeyId`, `secretAccessKey`, `sessionToken`), for the field that shows it.
    pub fn text(&self, name: &str) -> &str {
        match name {
            "accessKeyId" => &self.access_key_id,
            "secretAccessKey" => &self.secret_access_key,
            _ => &self.session_token,
        }
    }

    /// [`CredentialsInput::text`], to edit.
    pub fn text_mut(&mut self, name: &str) -> &mut String {
        match name {
            "accessKeyId" => &mut self.access_key_id,
            "secretAccessKey" => &mut self.secret_access_key,
            _ => &mut self.session_token,
        }
    }

    /// The core's credentials; whether they can sign is the signer's to say.
    pub fn to_credentials(&self) -> Credentials {
        Credentials {
            access_key_id: self.access_key_id.trim().to_owned(),
            secret_access_key: self.secret_access_key.clone(),
            session_token: (!self.session_token.trim().is_empty())
                .then(|| self.session_token.trim().to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "http://127.0.0.1:8080";

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
            timeout: "2.5".into(),
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
            aws.to_query(),
            "plane=data&mode=aws&endpoint=https%3A%2F%2Fabc.jobs.iot.eu-west-1.amazonaws.com&region=eu-west-1&via=%2Faws-jobs&thing=t&job=j"
        );
        assert_eq!(
            Form::from_query("?thing=a%3Ab&job=%24next&zzz=1").job_id,
            "$next"
        );
        assert_eq!(Form::from_query("thing=%E2%9C%93").thing_name, "✓");
        assert_eq!(Form::from_query("thing=50%").thing_name, "50%");
        assert_eq!(Form::from_query("thing=a+b").thing_name, "a b");
        // The mode does not depend on the order of the parameters.
        assert_eq!(
            Form::from_query("endpoint=http%3A%2F%2Fx&mode=aws").endpoint_mode,
            EndpointMode::Aws
        );
        assert_eq!(Form::from_query("thing=%FF&job=j"), Form::default());
    }

    #[test]
    fn validation_collects_endpoint_and_settings_problems_too() {
        let form = Form {
            endpoint_mode: EndpointMode::Custom,
            endpoint: "ftp://x".into(),
            timeout: "0".into(),
            ..Form::default()
        };
        let fields: Vec<_> = form
            .validate(ORIGIN)
            .unwrap_err()
            .iter()
            .map(|v| v.field)
            .collect();
        assert_eq!(fields, ["thingName", "jobId", "endpoint", "timeout"]);
        let local = Form {
            thing_name: "t".into(),
            job_id: "$next".into(),
            ..Form::default()
        };
        let target = local.validate(ORIGIN).unwrap();
        let Route::Http { send_to, .. } = &target.route else {
            panic!("HTTP by default for the emulator")
        };
        assert_eq!(
            target.request.to_http(Some(send_to)).url,
            "http://127.0.0.1:8080/emulator/data/things/t/jobs/%24next"
        );
        assert_eq!(target.timeout_ms, DEFAULT_TIMEOUT_MS);
        let mqtt = Form {
            transport: Some(Transport::Mqtt),
            ..local
        };
        assert_eq!(
            mqtt.validate(ORIGIN).unwrap().route,
            Route::Mqtt {
                endpoint: "ws://127.0.0.1:8080/emulator-mqtt".into(),
                subprotocol: false
            }
        );
    }

    #[test]
    fn aws_mode_sends_through_the_proxy_and_addresses_the_endpoint() {
        let form = Form {
            endpoint_mode: EndpointMode::Aws,
            endpoint: "https://abc.jobs.iot.eu-west-1.amazonaws.com".into(),
            via: "/aws-jobs/".into(),
            thing_name: "my:thing".into(),
            job_id: "j".into(),
            execution_number: "2".into(),
            transport: Some(Transport::Http),
            ..Form::default()
        };
        let target = form.validate(ORIGIN).unwrap();
        let Route::Http { endpoint, send_to } = &target.route else {
            panic!("HTTP as picked")
        };
        assert_eq!(
            target.request.to_http(Some(send_to)).url,
            "http://127.0.0.1:8080/aws-jobs/things/my%3Athing/jobs/j?executionNumber=2"
        );
        assert_eq!(endpoint.authority(), "abc.jobs.iot.eu-west-1.amazonaws.com");
        for bad in ["aws-jobs", "/a b", "/x?y", "/x#y"] {
            let form = Form {
                via: bad.into(),
                ..form.clone()
            };
            let errors = form.validate(ORIGIN).unwrap_err();
            assert_eq!(
                errors.iter().map(|v| v.field).collect::<Vec<_>>(),
                ["via"],
                "{bad}"
            );
        }
    }

    #[test]
    fn aws_data_plane_goes_over_mqtt_by_default_and_the_control_plane_over_https() {
        let form = Form {
            endpoint_mode: EndpointMode::Aws,
            endpoint: "wss://abc-ats.iot.eu-west-1.amazonaws.com/mqtt".into(),
            thing_name: "t".into(),
            job_id: "j".into(),
            ..Form::default()
        };
        assert_eq!(form.transport(), Transport::Mqtt);
        assert_eq!(
            form.validate(ORIGIN).unwrap().route,
            Route::Mqtt {
                endpoint: "wss://abc-ats.iot.eu-west-1.amazonaws.com/mqtt".into(),
                subprotocol: true
            }
        );
        let bad = Form {
            endpoint: "https://abc/x?y".into(),
            ..form.clone()
        };
        let errors = bad.validate(ORIGIN).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].message.starts_with("endpoint: for MQTT"),
            "{}",
            errors[0].message
        );
        let control = Form {
            plane: Plane::Control,
            transport: Some(Transport::Mqtt),
            ..form.clone()
        };
        assert_eq!(control.transport(), Transport::Http);
        assert_eq!(Form::from_query(&form.to_query()), form);
        let picked = Form {
            transport: Some(Transport::Http),
            ..form
        };
        assert!(picked.to_query().ends_with("&transport=http"));
        assert_eq!(Form::from_query(&picked.to_query()), picked);
    }

    #[test]
    fn timeout_setting() {
        let timeout = |text: &str| {
            Form {
                timeout: text.into(),
                ..Form::default()
            }
            .timeout_ms()
        };
        assert_eq!(timeout(""), Ok(DEFAULT_TIMEOUT_MS));
        assert_eq!(timeout(" 0.2 "), Ok(200));
        assert_eq!(timeout("600"), Ok(600_000));
        assert_eq!(timeout(".5"), Ok(500));
        assert_eq!(timeout("1."), Ok(1000));
        assert_eq!(timeout("1.23456"), Ok(1234));
        for bad in [
            "0",
            "0.05",
            "0.0999",
            "601",
            "-1",
            "NaN",
            "inf",
            "1e3",
            "ten",
            ".",
            "1.2.3",
            "99999999999",
        ] {
            assert_eq!(
                timeout(bad).unwrap_err().message,
                format!("timeout: must be a number of seconds from 0.1 to 600, got {bad:?}")
            );
        }
    }
}
