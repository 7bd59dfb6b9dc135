//! Which plane a request is answered on, settled once per request.
//!
//! An operation that exists on one plane only (CreateJob, UpdateJobExecution, …) is answered as its plane's model
//! says, whatever plane the request names; its route fixes the plane ([`only`]). Where both planes have the same
//! path (DescribeJobExecution, `GET /things/{thingName}/jobs`), and for what the router answers before any route
//! (faults, signatures, oversized requests, unknown paths), the request's signals decide ([`detect`]):
//!
//! 1. A path prefix `/data/…` or `/control/…` (the fallback for browsers behind a proxy, such as the viewer).
//! 2. The SigV4 credential scope's service name in `Authorization` (`…/iot-jobs-data/aws4_request` or `…/iot/…`),
//!    which every AWS SDK sends.
//! 3. The host name: `*.jobs.iot.*` is the data plane, `iot.*` the control plane.
//! 4. Otherwise the data plane, the device API.
//!
//! The envelope detects the plane and stores it in the request as [`OnPlane`]; a single-plane route replaces it and
//! marks its response with it, so the envelope encodes errors for the plane the handler ran on.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use jobscope::Plane;
use jobscope::codec::headers;

/// The plane a request is answered on; handlers take it as an extractor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnPlane(pub Plane);

impl<S: Send + Sync> FromRequestParts<S> for OnPlane {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<OnPlane>()
            .copied()
            .unwrap_or_else(|| OnPlane(detect(parts.uri.path(), &parts.headers))))
    }
}

/// The plane a request's path, credential scope or host names (see the module documentation).
pub fn detect(path: &str, headers: &HeaderMap) -> Plane {
    if path.starts_with("/control/") {
        return Plane::Control;
    }
    if path.starts_with("/data/") {
        return Plane::Data;
    }
    if let Some(service) = headers
        .get(headers::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(credential_service)
    {
        match service {
            "iot-jobs-data" => return Plane::Data,
            "iot" | "execute-api" => return Plane::Control,
            _ => {}
        }
    }
    if let Some(host) = headers.get(headers::HOST).and_then(|v| v.to_str().ok()) {
        let host = host.to_ascii_lowercase();
        if host.contains(".jobs.iot.") {
            return Plane::Data;
        }
        if host.starts_with("iot.") {
            return Plane::Control;
        }
    }
    Plane::Data
}

/// The service of `Credential=AKID/20240101/us-east-1/<service>/aws4_request`, read by the core's parser of the
/// Authorization header (the same one the SigV4 verifier uses).
pub fn credential_service(authorization: &str) -> Option<&str> {
    jobscope::sigv4::Authorization::parse(authorization).map(|auth| auth.service)
}

/// Route layer of an operation that exists on `plane` only: the request is answered on `plane`.
pub async fn only(State(plane): State<Plane>, mut request: Request, next: Next) -> Response {
    request.extensions_mut().insert(OnPlane(plane));
    let mut response = next.run(request).await;
    response.extensions_mut().insert(OnPlane(plane));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header_map(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, v.parse().unwrap());
        }
        map
    }

    #[test]
    fn detection_order() {
        let signed = |service: &str| {
            format!(
                "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=00"
            )
        };
        let at = |pairs: &[(&'static str, &str)]| detect("/things/t/jobs/j", &header_map(pairs));
        assert_eq!(
            at(&[(headers::AUTHORIZATION, &signed("iot"))]),
            Plane::Control
        );
        assert_eq!(
            at(&[(headers::AUTHORIZATION, &signed("iot-jobs-data"))]),
            Plane::Data
        );
        assert_eq!(
            at(&[(headers::HOST, "abc.jobs.iot.us-east-1.amazonaws.com")]),
            Plane::Data
        );
        assert_eq!(
            at(&[(headers::HOST, "iot.us-east-1.amazonaws.com")]),
            Plane::Control
        );
        assert_eq!(at(&[(headers::HOST, "127.0.0.1:9090")]), Plane::Data);
        assert_eq!(
            detect(
                "/control/things/t/jobs/j",
                &header_map(&[(headers::AUTHORIZATION, &signed("iot-jobs-data"))])
            ),
            Plane::Control,
            "the path prefix first"
        );
        assert_eq!(detect("/data/things", &HeaderMap::new()), Plane::Data);
    }
}
