//! AWS Signature Version 4 for these requests: canonical request, string to sign, signature, Authorization header.
//!
//! Both planes sign with SigV4: `iot-jobs-data` (data plane) and `iot` (control plane). The canonical path is the
//! already percent-encoded path encoded once more (`my%3Athing` → `my%253Athing`), as every non-S3 service
//! expects. The caller gives the time: the core reads no clock (wasm has none). Verified against the official
//! `aws-signing-test-suite/v4` cases (`fixtures/sigv4`). Secrets never appear in errors or `Debug` output.

use std::fmt;
use std::fmt::Write as _;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::endpoint::Endpoint;
use crate::plane::Plane;
use crate::request::DescribeJobExecutionRequest;
use crate::time::{amz_date, parse_amz_date};

/// The SHA-256 of an empty payload.
pub const EMPTY_PAYLOAD_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// AWS credentials. `Debug` shows the access key id only.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The access key id (`AKIA…`/`ASIA…`).
    pub access_key_id: String,
    /// The secret access key; used only to derive the signing key.
    pub secret_access_key: String,
    /// The session token of temporary credentials (sent as `x-amz-security-token`).
    pub session_token: Option<String>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// What to sign: an HTTP request as it will be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignableRequest<'a> {
    /// The HTTP method.
    pub method: &'a str,
    /// The path as sent (already percent-encoded).
    pub path: &'a str,
    /// The query as sent, without `?`.
    pub query: &'a str,
    /// Headers to sign (`host` included).
    pub headers: Vec<(String, String)>,
    /// Hex SHA-256 of the body.
    pub payload_sha256: String,
    /// Remove `.`/`..` segments and repeated slashes from the path first (every service but S3).
    pub normalize_path: bool,
    /// Encode the already-encoded path once more (`%3A` → `%253A`), as every service but S3 expects. When false,
    /// existing `%XX` escapes are kept and only other characters are encoded.
    pub double_encode_path: bool,
}

/// The signing scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope<'a> {
    /// The region of the endpoint (`us-east-1`).
    pub region: &'a str,
    /// The signing name: `iot-jobs-data` or `iot`.
    pub service: &'a str,
    /// Epoch seconds.
    pub time: i64,
}

/// Why signing could not be done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningError(pub String);

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SigningError {}

/// The canonical request and the intermediate values of a signature (for tests, debugging and verifiers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The canonical request.
    pub canonical_request: String,
    /// The signed header names, `;`-separated.
    pub signed_headers: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The hex signature.
    pub signature: String,
    /// `x-amz-date`: `20150830T123600Z`.
    pub amz_date: String,
    /// `date/region/service/aws4_request`.
    pub credential_scope: String,
}

impl Signature {
    /// The `Authorization` header value.
    pub fn authorization(&self, access_key_id: &str) -> String {
        format!(
            "AWS4-HMAC-SHA256 Credential={access_key_id}/{}, SignedHeaders={}, Signature={}",
            self.credential_scope, self.signed_headers, self.signature
        )
    }
}

use crate::codec::{decode_bytes, encode_bytes as uri_encode};

/// RFC 3986 remove_dot_segments, then repeated slashes collapsed.
fn normalize_path(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    let trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    let mut normalized = format!("/{}", out.join("/"));
    if trailing && normalized != "/" {
        normalized.push('/');
    }
    normalized
}

/// The canonical URI: the path (normalized if asked) with every byte but unreserved ones and `/` encoded again
/// (`double`), or with only the characters not already escaped encoded (single).
pub fn canonical_uri(path: &str, normalize: bool, double: bool) -> String {
    let path = if path.is_empty() { "/" } else { path };
    let path = if normalize {
        normalize_path(path)
    } else {
        path.to_owned()
    };
    let encode_segment = |segment: &str| {
        if double {
            return uri_encode(segment.as_bytes());
        }
        // Keep `%XX` escapes; encode everything else outside the unreserved set.
        let bytes = segment.as_bytes();
        let mut out = String::new();
        let mut i = 0;
        while i < bytes.len() {
            let escaped = bytes[i] == b'%'
                && i + 2 < bytes.len()
                && bytes[i + 1].is_ascii_hexdigit()
                && bytes[i + 2].is_ascii_hexdigit();
            if escaped {
                out.push_str(&segment[i..i + 3]);
                i += 3;
            } else {
                out.push_str(&uri_encode(&bytes[i..=i]));
                i += 1;
            }
        }
        out
    };
    path.split('/')
        .map(encode_segment)
        .collect::<Vec<_>>()
        .join("/")
}

/// The canonical query: pairs decoded, re-encoded with the unreserved set, sorted by key then value.
pub fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = decode_bytes;
            (uri_encode(&decode(key)), uri_encode(&decode(value)))
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Lowercased names, trimmed values with inner whitespace runs collapsed, duplicates joined with `,`, sorted.
fn canonical_headers(headers: &[(String, String)]) -> (String, String) {
    let mut merged: Vec<(String, String)> = Vec::new();
    for (name, value) in headers {
        let name = name.trim().to_ascii_lowercase();
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        match merged.iter_mut().find(|(n, _)| *n == name) {
            Some((_, existing)) => {
                existing.push(',');
                existing.push_str(&value);
            }
            None => merged.push((name, value)),
        }
    }
    merged.sort_by(|a, b| a.0.cmp(&b.0));
    let canonical = merged.iter().fold(String::new(), |mut out, (n, v)| {
        let _ = writeln!(out, "{n}:{v}");
        out
    });
    let signed = merged
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(";");
    (canonical, signed)
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// Hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// The derived signing key for a day, region and service. The last one is kept (per thread), as the SDKs do: it
/// changes once a day, and deriving it costs four HMACs per request otherwise.
fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> Vec<u8> {
    /// (secret, date, region, service) and the key derived from them.
    type Derived = (String, String, String, String, Vec<u8>);
    thread_local! {
        static LAST: std::cell::RefCell<Option<Derived>> = const { std::cell::RefCell::new(None) };
    }
    LAST.with(|last| {
        if let Some((s, d, r, v, key)) = &*last.borrow()
            && s == secret
            && d == date
            && r == region
            && v == service
        {
            return key.clone();
        }
        let key = [date, region, service, "aws4_request"]
            .iter()
            .fold(format!("AWS4{secret}").into_bytes(), |key, part| {
                hmac(&key, part.as_bytes())
            });
        *last.borrow_mut() = Some((
            secret.to_owned(),
            date.to_owned(),
            region.to_owned(),
            service.to_owned(),
            key.clone(),
        ));
        key
    })
}

/// Computes the signature of a request (the request must already carry `x-amz-date` and, with session
/// credentials, `x-amz-security-token` among its headers).
pub fn compute(
    request: &SignableRequest<'_>,
    secret_access_key: &str,
    scope: &Scope<'_>,
) -> Result<Signature, SigningError> {
    let amz_date = amz_date(scope.time)
        .ok_or_else(|| SigningError(format!("time {} is out of range", scope.time)))?;
    let date = &amz_date[..8];
    let (headers, signed_headers) = canonical_headers(&request.headers);
    let canonical_request = format!(
        "{}\n{}\n{}\n{headers}\n{signed_headers}\n{}",
        request.method,
        canonical_uri(
            request.path,
            request.normalize_path,
            request.double_encode_path
        ),
        canonical_query(request.query),
        request.payload_sha256
    );
    let credential_scope = format!("{date}/{}/{}/aws4_request", scope.region, scope.service);
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{credential_scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    let key = signing_key(secret_access_key, date, scope.region, scope.service);
    let signature = hex(&hmac(&key, string_to_sign.as_bytes()));
    Ok(Signature {
        canonical_request,
        signed_headers,
        string_to_sign,
        signature,
        amz_date,
        credential_scope,
    })
}

/// The headers that make a signed request: `authorization`, `x-amz-date`, and `x-amz-security-token` with
/// session credentials. `host` is signed too; send the request to that host (or through a proxy that keeps it).
#[derive(Clone, PartialEq, Eq)]
pub struct SignedHeaders {
    /// The headers, lowercase names.
    pub headers: Vec<(String, String)>,
}

impl fmt::Debug for SignedHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("SignedHeaders")
            .field("names", &names)
            .finish()
    }
}

/// Whether `region` has the shape of an AWS region name (`us-east-1`, `cn-north-1`): lowercase letters, digits
/// and `-`, not empty.
///
/// ```
/// use jobscope::sigv4::is_region_name;
/// assert!(is_region_name("eu-west-1"));
/// assert!(!is_region_name("EU-WEST-1"));
/// assert!(!is_region_name("eu west 1"));
/// assert!(!is_region_name(""));
/// ```
pub fn is_region_name(region: &str) -> bool {
    !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// What every signer needs before it starts: both parts of the credentials and a region name.
fn check_signing_input(credentials: &Credentials, region: &str) -> Result<(), SigningError> {
    if credentials.access_key_id.trim().is_empty() || credentials.secret_access_key.is_empty() {
        return Err(SigningError(
            "credentials need an access key id and a secret access key".into(),
        ));
    }
    if !is_region_name(region) {
        return Err(SigningError(format!(
            "region {region:?} is not a region name such as us-east-1"
        )));
    }
    Ok(())
}

/// Signs a GET of `url` (`https://host[:port]/path?query`) for `service` in `region` at `time` (epoch seconds).
///
/// ```
/// use jobscope::sigv4::{sign_url, Credentials};
/// let credentials = Credentials {
///     access_key_id: "AKIDEXAMPLE".into(),
///     secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
///     session_token: None,
/// };
/// let url = "https://abc.jobs.iot.us-east-1.amazonaws.com/things/my%3Athing/jobs/%24next";
/// let signed = sign_url("GET", url, &credentials, "us-east-1", "iot-jobs-data", 1_440_938_160).unwrap();
/// let authorization = &signed.headers.iter().find(|(n, _)| n == "authorization").unwrap().1;
/// assert!(authorization.starts_with(
///     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iot-jobs-data/aws4_request, SignedHeaders=host;x-amz-date, Signature="
/// ));
/// ```
pub fn sign_url(
    method: &str,
    url: &str,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: i64,
) -> Result<SignedHeaders, SigningError> {
    check_signing_input(credentials, region)?;
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| SigningError("the URL must start with http:// or https://".into()))?;
    let (authority, path_and_query) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if authority.is_empty() {
        return Err(SigningError("the URL has no host".into()));
    }
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let amz_date =
        amz_date(time).ok_or_else(|| SigningError(format!("time {time} is out of range")))?;
    let mut headers = vec![
        ("host".to_owned(), authority.to_ascii_lowercase()),
        ("x-amz-date".to_owned(), amz_date),
    ];
    if let Some(token) = &credentials.session_token {
        headers.push(("x-amz-security-token".to_owned(), token.clone()));
    }
    let request = SignableRequest {
        method,
        path,
        query,
        headers: headers.clone(),
        payload_sha256: EMPTY_PAYLOAD_SHA256.to_owned(),
        normalize_path: true,
        double_encode_path: true,
    };
    let signature = compute(
        &request,
        &credentials.secret_access_key,
        &Scope {
            region,
            service,
            time,
        },
    )?;
    let mut out = vec![(
        "authorization".to_owned(),
        signature.authorization(&credentials.access_key_id),
    )];
    out.extend(headers.into_iter().filter(|(n, _)| n != "host"));
    Ok(SignedHeaders { headers: out })
}

impl DescribeJobExecutionRequest {
    /// Signs this request for `endpoint` (the real service endpoint the signature must verify at) with the plane's
    /// signing name.
    pub fn sign(
        &self,
        endpoint: &Endpoint,
        credentials: &Credentials,
        region: &str,
        time: i64,
    ) -> Result<SignedHeaders, SigningError> {
        let url = self.to_http(Some(endpoint)).url;
        sign_url(
            "GET",
            &url,
            credentials,
            region,
            self.plane().service_name(),
            time,
        )
    }
}

/// A parsed `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization<'a> {
    /// The access key id (`AKIA…`/`ASIA…`).
    pub access_key_id: &'a str,
    /// The scope date, `yyyyMMdd`.
    pub date: &'a str,
    /// The region of the endpoint (`us-east-1`).
    pub region: &'a str,
    /// The signing name: `iot-jobs-data` or `iot`.
    pub service: &'a str,
    /// The signed header names, `;`-separated.
    pub signed_headers: Vec<&'a str>,
    /// The hex signature.
    pub signature: &'a str,
}

impl<'a> Authorization<'a> {
    /// Parses the header; `None` when a part is missing.
    pub fn parse(value: &'a str) -> Option<Authorization<'a>> {
        let rest = value.strip_prefix("AWS4-HMAC-SHA256")?.trim_start();
        let mut credential = None;
        let mut signed = None;
        let mut signature = None;
        for part in rest.split(',') {
            let (key, val) = part.trim().split_once('=')?;
            match key {
                "Credential" => credential = Some(val),
                "SignedHeaders" => signed = Some(val),
                "Signature" => signature = Some(val),
                _ => {}
            }
        }
        let mut scope = credential?.split('/');
        let auth = Authorization {
            access_key_id: scope.next()?,
            date: scope.next()?,
            region: scope.next()?,
            service: scope.next()?,
            signed_headers: signed?.split(';').collect(),
            signature: signature?,
        };
        (scope.next()? == "aws4_request" && !auth.access_key_id.is_empty()).then_some(auth)
    }
}

/// Why a verifier rejected a request, with the AWS error it answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyError {
    /// No Authorization header: MissingAuthenticationTokenException.
    Missing,
    /// An Authorization header without all its parts, or no x-amz-date: IncompleteSignatureException.
    Incomplete(String),
    /// An access key the verifier does not know: UnrecognizedClientException.
    UnknownKey,
    /// The signature differs, or the time is off by more than 5 minutes: InvalidSignatureException.
    Mismatch(String),
}

/// Verifies a signed request as the service would: the same canonicalization from what arrived, the secret of the
/// access key, and a clock skew of at most 300 s. `lookup` maps an access key id to its secret.
pub fn verify<'s>(
    method: &str,
    path: &str,
    query: &str,
    headers: &[(String, String)],
    payload_sha256: &str,
    now: i64,
    lookup: impl Fn(&str) -> Option<&'s str>,
) -> Result<(), VerifyError> {
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let value = header("authorization").ok_or(VerifyError::Missing)?;
    let auth = Authorization::parse(value).ok_or_else(|| {
        VerifyError::Incomplete(
            "Authorization header requires Credential, SignedHeaders and Signature".into(),
        )
    })?;
    let date = header("x-amz-date")
        .ok_or_else(|| VerifyError::Incomplete("x-amz-date is required".into()))?;
    let time = parse_amz_date(date).ok_or_else(|| {
        VerifyError::Incomplete(format!("x-amz-date {date:?} is not yyyyMMddTHHmmssZ"))
    })?;
    let secret = lookup(auth.access_key_id).ok_or(VerifyError::UnknownKey)?;
    if (now - time).abs() > 300 {
        return Err(VerifyError::Mismatch(format!(
            "Signature expired or not yet valid: {date} is more than 5 minutes from the server time"
        )));
    }
    if !auth.signed_headers.contains(&"host") {
        return Err(VerifyError::Mismatch("host must be a signed header".into()));
    }
    let signed: Vec<(String, String)> = auth
        .signed_headers
        .iter()
        .map(|name| {
            (
                name.to_string(),
                header(name).unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let request = SignableRequest {
        method,
        path,
        query,
        headers: signed,
        payload_sha256: payload_sha256.to_owned(),
        normalize_path: true,
        double_encode_path: true,
    };
    let expected = compute(
        &request,
        secret,
        &Scope {
            region: auth.region,
            service: auth.service,
            time,
        },
    )
    .map_err(|e| VerifyError::Mismatch(e.0))?;
    if expected.credential_scope
        != format!(
            "{}/{}/{}/aws4_request",
            auth.date, auth.region, auth.service
        )
    {
        return Err(VerifyError::Mismatch(
            "the credential scope date does not match x-amz-date".into(),
        ));
    }
    if !constant_time_eq(expected.signature.as_bytes(), auth.signature.as_bytes()) {
        return Err(VerifyError::Mismatch(
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method."
                .into(),
        ));
    }
    Ok(())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The signing name of a plane.
pub fn service_of(plane: Plane) -> &'static str {
    plane.service_name()
}

/// The signing name of AWS IoT's device gateway: MQTT over WebSocket (MQTT.md §3).
pub const IOT_DEVICE_GATEWAY: &str = "iotdevicegateway";

/// The hostname of an authority (`host[:port]`): the port dropped, an IPv6 literal kept with its brackets. This is
/// what the official SDKs sign as `host` for MQTT over WebSocket, whatever port the URL names.
fn hostname(authority: &str) -> &str {
    if authority.starts_with('[') {
        return authority
            .find(']')
            .map_or(authority, |end| &authority[..=end]);
    }
    authority
        .split_once(':')
        .map_or(authority, |(host, _)| host)
}

/// The canonical request of an MQTT-over-WebSocket URL: `GET /mqtt`, the query without the signature (and without
/// the session token, which is appended after signing), `host` alone signed, the empty payload.
fn presigned_signature(
    hostname: &str,
    query: &str,
    secret_access_key: &str,
    region: &str,
    time: i64,
) -> Result<Signature, SigningError> {
    compute(
        &SignableRequest {
            method: "GET",
            path: "/mqtt",
            query,
            headers: vec![("host".to_owned(), hostname.to_ascii_lowercase())],
            payload_sha256: EMPTY_PAYLOAD_SHA256.to_owned(),
            normalize_path: true,
            double_encode_path: true,
        },
        secret_access_key,
        &Scope {
            region,
            service: IOT_DEVICE_GATEWAY,
            time,
        },
    )
}

/// A presigned URL for MQTT over WebSocket, as the official SDKs build it (aws-crt's browser `sign_url`; MQTT.md §3):
/// `wss://{endpoint_host}/mqtt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=…&X-Amz-Date=…&X-Amz-SignedHeaders=host&X-Amz-Signature=…`,
/// then `&X-Amz-Security-Token=…` (appended after signing: not part of the canonical query) with a session token.
///
/// `endpoint_host` is `host[:port]` (the account's `iot:Data-ATS` endpoint, or the local emulator); a `ws://` or
/// `wss://` prefix picks the scheme (default `wss`), and a `/mqtt` path after it is the one the URL has anyway. The `host` signed is the hostname without the port, as the
/// SDKs sign it. `time` is epoch seconds (the core reads no clock).
///
/// ```
/// use jobscope::sigv4::{presign_mqtt_url, Credentials};
/// let credentials = Credentials {
///     access_key_id: "AKIDEXAMPLE".into(),
///     secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
///     session_token: None,
/// };
/// let url = presign_mqtt_url("abc-ats.iot.us-east-1.amazonaws.com", &credentials, "us-east-1", 1_440_938_160).unwrap();
/// assert!(url.starts_with(
///     "wss://abc-ats.iot.us-east-1.amazonaws.com/mqtt?X-Amz-Algorithm=AWS4-HMAC-SHA256\
///      &X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fiotdevicegateway%2Faws4_request\
///      &X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Signature="
/// ));
/// let full = "wss://abc-ats.iot.us-east-1.amazonaws.com/mqtt";
/// assert_eq!(presign_mqtt_url(full, &credentials, "us-east-1", 1_440_938_160).unwrap(), url);
/// ```
pub fn presign_mqtt_url(
    endpoint_host: &str,
    credentials: &Credentials,
    region: &str,
    time: i64,
) -> Result<String, SigningError> {
    check_signing_input(credentials, region)?;
    let (scheme, authority) = if let Some(rest) = endpoint_host.strip_prefix("wss://") {
        ("wss", rest)
    } else if let Some(rest) = endpoint_host.strip_prefix("ws://") {
        ("ws", rest)
    } else {
        ("wss", endpoint_host)
    };
    let authority = (authority.strip_suffix("/mqtt"))
        .or_else(|| authority.strip_suffix('/'))
        .unwrap_or(authority);
    if authority.is_empty() || authority.contains(['/', '?', '#', '@', ' ']) {
        return Err(SigningError(format!(
            "the endpoint must be a host name with an optional port, got {endpoint_host:?}"
        )));
    }
    let amz_date =
        amz_date(time).ok_or_else(|| SigningError(format!("time {time} is out of range")))?;
    let credential = format!(
        "{}/{}/{region}/{IOT_DEVICE_GATEWAY}/aws4_request",
        credentials.access_key_id,
        &amz_date[..8]
    );
    let query = format!(
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={}&X-Amz-Date={amz_date}&X-Amz-SignedHeaders=host",
        uri_encode(credential.as_bytes())
    );
    let signature = presigned_signature(
        hostname(authority),
        &query,
        &credentials.secret_access_key,
        region,
        time,
    )?;
    let mut url = format!(
        "{scheme}://{authority}/mqtt?{query}&X-Amz-Signature={}",
        signature.signature
    );
    if let Some(token) = &credentials.session_token {
        url.push_str("&X-Amz-Security-Token=");
        url.push_str(&uri_encode(token.as_bytes()));
    }
    Ok(url)
}

/// Who a verified presigned MQTT URL was signed by. `Debug` leaves the session token out.
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedIdentity {
    /// The access key id that signed the URL.
    pub access_key_id: String,
    /// `X-Amz-Security-Token`, percent-decoded, when the URL carries one (it is not part of the signature).
    pub session_token: Option<String>,
}

impl fmt::Debug for PresignedIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PresignedIdentity")
            .field("access_key_id", &self.access_key_id)
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// Verifies a presigned MQTT-over-WebSocket URL as it arrived — the inverse of [`presign_mqtt_url`]: `host` is the
/// request's `Host` header (its port is dropped, as the SDKs sign the bare hostname), `path` and `query` the request
/// target's (the query as sent, without `?`). The canonical query is every parameter but `X-Amz-Signature` and
/// `X-Amz-Security-Token`; the scope's service must be `iotdevicegateway`, the time within 5 minutes of `now`
/// (epoch seconds). `lookup` maps an access key id to its secret. Errors name no secret.
///
/// ```
/// use jobscope::sigv4::{presign_mqtt_url, verify_presigned_mqtt_url, Credentials, VerifyError};
/// let credentials = Credentials { access_key_id: "AKID".into(), secret_access_key: "s3cr3t".into(), session_token: None };
/// let url = presign_mqtt_url("ws://127.0.0.1:9090", &credentials, "us-east-1", 1_700_000_000).unwrap();
/// let query = url.split_once('?').unwrap().1;
/// let verified = verify_presigned_mqtt_url("127.0.0.1:9090", "/mqtt", query, 1_700_000_060, |id| (id == "AKID").then_some("s3cr3t"));
/// assert_eq!(verified.unwrap().access_key_id, "AKID");
/// let wrong = verify_presigned_mqtt_url("127.0.0.1:9090", "/mqtt", query, 1_700_000_060, |_| Some("other"));
/// assert!(matches!(wrong, Err(VerifyError::Mismatch(_))));
/// ```
pub fn verify_presigned_mqtt_url<'s>(
    host: &str,
    path: &str,
    query: &str,
    now: i64,
    lookup: impl Fn(&str) -> Option<&'s str>,
) -> Result<PresignedIdentity, VerifyError> {
    const SIGNATURE: &str = "X-Amz-Signature";
    const TOKEN: &str = "X-Amz-Security-Token";
    // (decoded name, decoded value, the pair as sent)
    let mut params: Vec<(String, String, &str)> = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |text: &str| String::from_utf8_lossy(&decode_bytes(text)).into_owned();
        let name = decode(name);
        if name.starts_with("X-Amz-") && params.iter().any(|(n, _, _)| *n == name) {
            return Err(VerifyError::Incomplete(format!(
                "{name} appears more than once in the query"
            )));
        }
        params.push((name, decode(value), pair));
    }
    let param = |name: &str| {
        params
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, v, _)| v.as_str())
    };
    if !params.iter().any(|(n, _, _)| n.starts_with("X-Amz-")) {
        return Err(VerifyError::Missing);
    }
    let required = |name: &str| {
        param(name).ok_or_else(|| {
            VerifyError::Incomplete(format!("the presigned URL has no {name} parameter"))
        })
    };
    let algorithm = required("X-Amz-Algorithm")?;
    if algorithm != "AWS4-HMAC-SHA256" {
        return Err(VerifyError::Incomplete(format!(
            "X-Amz-Algorithm must be AWS4-HMAC-SHA256, got {algorithm:?}"
        )));
    }
    let credential = required("X-Amz-Credential")?;
    let date = required("X-Amz-Date")?;
    let signed_headers = required("X-Amz-SignedHeaders")?;
    let signature = required(SIGNATURE)?;
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key_id, scope_date, region, service, "aws4_request"] = scope.as_slice() else {
        return Err(VerifyError::Incomplete(
            "X-Amz-Credential must be ACCESS_KEY_ID/yyyyMMdd/region/service/aws4_request".into(),
        ));
    };
    if access_key_id.is_empty() {
        return Err(VerifyError::Incomplete(
            "X-Amz-Credential has no access key id".into(),
        ));
    }
    let time = parse_amz_date(date).ok_or_else(|| {
        VerifyError::Incomplete(format!("X-Amz-Date {date:?} is not yyyyMMddTHHmmssZ"))
    })?;
    let secret = lookup(access_key_id).ok_or(VerifyError::UnknownKey)?;
    if (now - time).abs() > 300 {
        return Err(VerifyError::Mismatch(format!(
            "Signature expired or not yet valid: {date} is more than 5 minutes from the server time"
        )));
    }
    if signed_headers != "host" {
        return Err(VerifyError::Mismatch(format!(
            "X-Amz-SignedHeaders must be host, got {signed_headers:?}"
        )));
    }
    if *service != IOT_DEVICE_GATEWAY {
        return Err(VerifyError::Mismatch(format!(
            "the credential scope names service {service:?}; MQTT over WebSocket is signed for {IOT_DEVICE_GATEWAY}"
        )));
    }
    if !date.starts_with(scope_date) || scope_date.len() != 8 {
        return Err(VerifyError::Mismatch(
            "the credential scope date does not match X-Amz-Date".into(),
        ));
    }
    if path != "/mqtt" {
        return Err(VerifyError::Mismatch(format!(
            "MQTT over WebSocket is signed for path /mqtt, got {path}"
        )));
    }
    let canonical: Vec<&str> = params
        .iter()
        .filter(|(n, _, _)| n != SIGNATURE && n != TOKEN)
        .map(|(_, _, pair)| *pair)
        .collect();
    let expected = presigned_signature(hostname(host), &canonical.join("&"), secret, region, time)
        .map_err(|e| VerifyError::Mismatch(e.0))?;
    if !constant_time_eq(expected.signature.as_bytes(), signature.as_bytes()) {
        return Err(VerifyError::Mismatch(
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method."
                .into(),
        ));
    }
    Ok(PresignedIdentity {
        access_key_id: (*access_key_id).to_owned(),
        session_token: param(TOKEN).map(str::to_owned),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_encoding_of_our_labels() {
        assert_eq!(
            canonical_uri("/things/my%3Athing/jobs/%24next", true, true),
            "/things/my%253Athing/jobs/%2524next"
        );
        assert_eq!(canonical_uri("/a%20b/c d", true, false), "/a%20b/c%20d");
        assert_eq!(
            canonical_query("includeJobDocument=false&executionNumber=5"),
            "executionNumber=5&includeJobDocument=false"
        );
    }

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let credentials = Credentials {
            access_key_id: "AKID".into(),
            secret_access_key: "very-secret".into(),
            session_token: Some("token-secret".into()),
        };
        let text = format!("{credentials:?}");
        assert!(
            text.contains("AKID")
                && !text.contains("very-secret")
                && !text.contains("token-secret")
        );
        let signed = sign_url("GET", "https://h/x", &credentials, "us-east-1", "iot", 0).unwrap();
        assert!(!format!("{signed:?}").contains("secret"));
        let error = sign_url("GET", "ftp://h", &credentials, "us-east-1", "iot", 0).unwrap_err();
        assert!(!error.to_string().contains("secret"));
    }

    #[test]
    fn verify_round_trip_and_failures() {
        let credentials = Credentials {
            access_key_id: "AKID".into(),
            secret_access_key: "s3cr3t".into(),
            session_token: None,
        };
        let now = 1_700_000_000;
        let url = "http://127.0.0.1:9090/things/t/jobs/j?executionNumber=2";
        let signed = sign_url("GET", url, &credentials, "eu-west-1", "iot", now).unwrap();
        let mut headers = signed.headers.clone();
        headers.push(("host".into(), "127.0.0.1:9090".into()));
        let lookup = |key: &str| (key == "AKID").then_some("s3cr3t");
        let check = |headers: &[(String, String)], now| {
            verify(
                "GET",
                "/things/t/jobs/j",
                "executionNumber=2",
                headers,
                EMPTY_PAYLOAD_SHA256,
                now,
                lookup,
            )
        };
        assert_eq!(check(&headers, now), Ok(()));
        assert_eq!(check(&headers, now + 299), Ok(()));
        assert!(matches!(
            check(&headers, now + 301),
            Err(VerifyError::Mismatch(_))
        ));
        assert!(matches!(
            verify(
                "GET",
                "/things/t/jobs/other",
                "executionNumber=2",
                &headers,
                EMPTY_PAYLOAD_SHA256,
                now,
                lookup
            ),
            Err(VerifyError::Mismatch(_))
        ));
        assert_eq!(check(&[], now), Err(VerifyError::Missing));
        let wrong_key = sign_url(
            "GET",
            url,
            &Credentials {
                access_key_id: "OTHER".into(),
                ..credentials.clone()
            },
            "eu-west-1",
            "iot",
            now,
        )
        .unwrap();
        let mut wrong = wrong_key.headers.clone();
        wrong.push(("host".into(), "127.0.0.1:9090".into()));
        assert_eq!(check(&wrong, now), Err(VerifyError::UnknownKey));
        let mut garbled = headers.clone();
        garbled[0].1 = "AWS4-HMAC-SHA256 Credential=AKID".into();
        assert!(matches!(
            check(&garbled, now),
            Err(VerifyError::Incomplete(_))
        ));
    }

    /// Expected URLs computed independently (Python hmac/hashlib, following aws-crt's browser `sign_url` step by step).
    #[test]
    fn presigned_mqtt_urls_match_the_sdk_algorithm() {
        let credentials = Credentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
            session_token: None,
        };
        assert_eq!(
            presign_mqtt_url(
                "abc123-ats.iot.us-east-1.amazonaws.com",
                &credentials,
                "us-east-1",
                1_440_938_160
            )
            .unwrap(),
            "wss://abc123-ats.iot.us-east-1.amazonaws.com/mqtt?X-Amz-Algorithm=AWS4-HMAC-SHA256\
             &X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fiotdevicegateway%2Faws4_request\
             &X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host\
             &X-Amz-Signature=6298b2262e4020b389c61403c0c7f8000463e0ea940ce29c96c5bf88c54a87f2"
        );
        // A port is kept in the URL and left out of the signed host; the session token is appended after signing.
        let session = Credentials {
            session_token: Some("AQoDYXdzEPT//////////wEXAMPLEtc764=".into()),
            ..credentials.clone()
        };
        let url = presign_mqtt_url("127.0.0.1:9090", &session, "eu-west-1", 1_700_000_000).unwrap();
        assert_eq!(
            url,
            "wss://127.0.0.1:9090/mqtt?X-Amz-Algorithm=AWS4-HMAC-SHA256\
             &X-Amz-Credential=AKIDEXAMPLE%2F20231114%2Feu-west-1%2Fiotdevicegateway%2Faws4_request\
             &X-Amz-Date=20231114T221320Z&X-Amz-SignedHeaders=host\
             &X-Amz-Signature=f8664fd445fc7553be60fe3e589649aa4e2888a8b19c26891e1ca25fd17feaeb\
             &X-Amz-Security-Token=AQoDYXdzEPT%2F%2F%2F%2F%2F%2F%2F%2F%2F%2FwEXAMPLEtc764%3D"
        );
        assert!(
            presign_mqtt_url("ws://localhost:1883", &credentials, "us-east-1", 0)
                .unwrap()
                .starts_with("ws://localhost:1883/mqtt?")
        );
        assert_eq!(
            hostname("[::1]:9090"),
            "[::1]",
            "an IPv6 literal keeps its brackets"
        );
        for (host, region) in [("", "us-east-1"), ("h/x", "us-east-1"), ("h", "US")] {
            assert!(presign_mqtt_url(host, &credentials, region, 0).is_err());
        }
    }

    #[test]
    fn presigned_mqtt_urls_verify_and_fail_as_the_service_does() {
        let session = Credentials {
            access_key_id: "AKID".into(),
            secret_access_key: "s3cr3t-value".into(),
            session_token: Some("tok/en+=".into()),
        };
        let now = 1_700_000_000;
        let url = presign_mqtt_url("ws://127.0.0.1:9090", &session, "us-east-1", now).unwrap();
        let query = url.split_once('?').unwrap().1;
        let lookup = |id: &str| (id == "AKID").then_some("s3cr3t-value");
        let check = |host: &str, path: &str, query: &str, now: i64| {
            verify_presigned_mqtt_url(host, path, query, now, lookup)
        };
        // The Host header carries the port; the signature was made over the bare hostname.
        let identity = check("127.0.0.1:9090", "/mqtt", query, now + 299).unwrap();
        assert_eq!(identity.access_key_id, "AKID");
        assert_eq!(identity.session_token.as_deref(), Some("tok/en+="));
        assert!(!format!("{identity:?}").contains("tok/en"));
        assert!(check("127.0.0.1", "/mqtt", query, now).is_ok());
        assert!(matches!(
            check("127.0.0.2:9090", "/mqtt", query, now),
            Err(VerifyError::Mismatch(_))
        ));
        assert!(matches!(
            check("127.0.0.1:9090", "/mqtt", query, now + 301),
            Err(VerifyError::Mismatch(_))
        ));
        assert!(matches!(
            check("127.0.0.1:9090", "/other", query, now),
            Err(VerifyError::Mismatch(_))
        ));
        // The token is outside the signature: another token still verifies (the emulator has no STS to check it).
        let other_token = query.replace("tok%2Fen", "xyz");
        assert!(check("127.0.0.1:9090", "/mqtt", &other_token, now).is_ok());
        // A wrong secret, an unknown key, a missing or a tampered part.
        let wrong = verify_presigned_mqtt_url("127.0.0.1:9090", "/mqtt", query, now, |_| {
            Some("not-the-secret")
        });
        let Err(VerifyError::Mismatch(message)) = wrong else {
            panic!("{wrong:?}")
        };
        assert!(!message.contains("s3cr3t") && !message.contains("not-the-secret"));
        assert_eq!(
            verify_presigned_mqtt_url("h", "/mqtt", query, now, |_| None),
            Err(VerifyError::UnknownKey)
        );
        assert_eq!(check("h", "/mqtt", "", now), Err(VerifyError::Missing));
        assert_eq!(
            check("h", "/mqtt", "clientId=x", now),
            Err(VerifyError::Missing)
        );
        let unsigned = query.split("&X-Amz-Signature").next().unwrap();
        assert!(matches!(
            check("127.0.0.1", "/mqtt", unsigned, now),
            Err(VerifyError::Incomplete(_))
        ));
        let twice = format!("{query}&X-Amz-Date=20231114T221320Z");
        assert!(matches!(
            check("127.0.0.1", "/mqtt", &twice, now),
            Err(VerifyError::Incomplete(_))
        ));
        let other_service = query.replace("iotdevicegateway", "iot");
        assert!(matches!(
            check("127.0.0.1", "/mqtt", &other_service, now),
            Err(VerifyError::Mismatch(_))
        ));
        let extra = format!("{query}&extra=1");
        assert!(
            matches!(
                check("127.0.0.1", "/mqtt", &extra, now),
                Err(VerifyError::Mismatch(_))
            ),
            "a parameter added after signing is part of the canonical query"
        );
    }
}
