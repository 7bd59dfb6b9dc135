//! Header names of the restJson1 wire, in one place, and a case-insensitive lookup.

/// The error type of a failed call (`x-amzn-ErrorType`), sent by the service, read before the body's `__type`.
pub const ERROR_TYPE: &str = "x-amzn-ErrorType";
/// The request id the service gives every call.
pub const REQUEST_ID: &str = "x-amzn-RequestId";
/// The request id some AWS front ends send instead.
pub const AMZ_REQUEST_ID: &str = "x-amz-request-id";
/// `Content-Type`.
pub const CONTENT_TYPE: &str = "content-type";
/// `Accept`.
pub const ACCEPT: &str = "accept";
/// The body type of every JSON request and response.
pub const JSON: &str = "application/json";
/// `Authorization`: the SigV4 signature, whose credential scope names the service (and so the plane).
pub const AUTHORIZATION: &str = "authorization";
/// `Host`: the endpoint's host name (`*.jobs.iot.*` is the data plane, `iot.*` the control plane).
pub const HOST: &str = "host";
/// The SHA-256 of the request body a SigV4 signer sent (`UNSIGNED-PAYLOAD` or hex).
pub const CONTENT_SHA256: &str = "x-amz-content-sha256";

/// A header's value, matched case-insensitively (the first one when repeated).
///
/// ```
/// use jobscope::codec::headers::{ERROR_TYPE, find};
/// let headers = [("X-AMZN-ERRORTYPE", "ThrottlingException")];
/// assert_eq!(find(&headers, ERROR_TYPE), Some("ThrottlingException"));
/// ```
pub fn find<'h, H: AsRef<str>>(headers: &'h [(H, H)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(k, _)| k.as_ref().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_ref())
}
