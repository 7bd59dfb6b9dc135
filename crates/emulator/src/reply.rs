//! Successful answers: a JSON body (written by the core's codec, or a typed body serialized here) with its
//! content type.

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue};
use axum::response::Response;
use jobscope::codec::headers;
use serde::Serialize;

/// `200` with a JSON body.
pub fn json(body: String) -> Response {
    let mut response = Response::new(Body::from(body));
    response.headers_mut().insert(
        HeaderName::from_static(headers::CONTENT_TYPE),
        HeaderValue::from_static(headers::JSON),
    );
    response
}

/// `200` with `value` as JSON.
pub fn serialized<T: Serialize>(value: &T) -> Response {
    json(serde_json::to_string(value).expect("answer bodies always serialize"))
}

/// `200` with `{}`: the answer of operations without output members (DeleteThing, CancelJobExecution,
/// DeleteJobExecution).
pub fn empty() -> Response {
    json("{}".to_owned())
}
