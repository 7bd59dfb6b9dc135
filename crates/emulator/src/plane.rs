//! Which plane a request is for, as the real service is reached.
//!
//! 1. A path prefix `/data/…` or `/control/…` (the fallback for browsers behind a proxy, such as the viewer).
//! 2. The SigV4 credential scope's service name in `Authorization` (`…/iot-jobs-data/aws4_request` or `…/iot/…`),
//!    which every AWS SDK sends.
//! 3. The host name: `*.jobs.iot.*` is the data plane, `iot.*` the control plane.
//! 4. Otherwise the data plane, the device API.

use axum::http::HeaderMap;
use jobscope::Plane;

/// Set by the `/data` and `/control` mounts.
#[derive(Debug, Clone, Copy)]
pub struct ForcedPlane(pub Plane);

/// The plane a `/data/…` or `/control/…` path prefix names, for layers outside the mounts (which see the full path).
pub fn from_path_prefix(path: &str) -> Option<ForcedPlane> {
    if path.starts_with("/control/") {
        Some(ForcedPlane(Plane::Control))
    } else if path.starts_with("/data/") {
        Some(ForcedPlane(Plane::Data))
    } else {
        None
    }
}

pub fn detect(forced: Option<ForcedPlane>, headers: &HeaderMap) -> Plane {
    if let Some(ForcedPlane(plane)) = forced {
        return plane;
    }
    if let Some(service) = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(credential_service)
    {
        match service {
            "iot-jobs-data" => return Plane::Data,
            "iot" | "execute-api" => return Plane::Control,
            _ => {}
        }
    }
    if let Some(host) = headers.get("host").and_then(|v| v.to_str().ok()) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
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
        assert_eq!(
            detect(None, &headers(&[("authorization", &signed("iot"))])),
            Plane::Control
        );
        assert_eq!(
            detect(
                None,
                &headers(&[("authorization", &signed("iot-jobs-data"))])
            ),
            Plane::Data
        );
        assert_eq!(
            detect(
                None,
                &headers(&[("host", "abc.jobs.iot.us-east-1.amazonaws.com")])
            ),
            Plane::Data
        );
        assert_eq!(
            detect(None, &headers(&[("host", "iot.us-east-1.amazonaws.com")])),
            Plane::Control
        );
        assert_eq!(
            detect(None, &headers(&[("host", "127.0.0.1:9090")])),
            Plane::Data
        );
        assert_eq!(
            detect(
                Some(ForcedPlane(Plane::Control)),
                &headers(&[("authorization", &signed("iot-jobs-data"))])
            ),
            Plane::Control
        );
    }
}
