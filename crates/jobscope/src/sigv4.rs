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
}
