//! The JS API of the npm package `jobscope`: plain functions over plain objects, no classes to free. Two wasm
//! modules are built from this crate: feature `js` is the main entry (`validateRequest`, `buildRequest`,
//! `parseResponse`, `parseMqttMessage`, `explainError`), feature `js-sign` is `jobscope/sign` (`signRequest`: SHA-256,
//! HMAC and the signer stay out of the main module).
//!
//! Every call crosses the boundary once. The package's JS (`npm/api.js`, `npm/sign-api.js`) checks that the input
//! is plain — the types it expects, no unknown keys — and passes the fields as numbers: strings are written as
//! UTF-8 straight into an input buffer here ([`args`]), a body or payload after them, as the `Uint8Array` or text it
//! came as. Anything unusual takes the full path instead: the same operation reading the JS values itself
//! ([`read`]), which owns every error message. Both paths end in the same code and the same output.
//!
//! Every output is written by one serde serializer as a tape — the text of its strings, `[tag, argument]` ops and
//! f64 numbers — in buffers reused between calls and described by a static header the JS reads ([`out`], [`tape`]);
//! the JS decodes the text once and builds the value from the ops, faster than `JSON.parse` of the same value. An
//! error result's `explanation` (~1 KB of text) is not written: its index in a registry is ([`explanations`]), and
//! the JS attaches one shared, deep-frozen object per explanation, fetched once.
//!
//! The TypeScript types are `npm/types.d.ts` (shared by both entries); `tests/dts_unions.rs` holds its string
//! unions and interfaces to the Rust types.

mod out;
mod read;
mod tape;

#[cfg(feature = "js")]
mod args;
#[cfg(feature = "js")]
mod explanations;
#[cfg(feature = "js")]
mod input;
#[cfg(feature = "js")]
mod mqtt;
#[cfg(feature = "js")]
mod request;
#[cfg(feature = "js")]
mod response;
#[cfg(feature = "js-sign")]
mod sign;

#[cfg(feature = "js")]
use wasm_bindgen::prelude::*;

/// The full path of the main entry, one export for the five functions (`op`: 0 validateRequest, 1 buildRequest,
/// 2 parseResponse, 3 parseMqttMessage, 4 explainError): reads the JS arguments itself, so it owns every error
/// message. Returns 1 with the output in the header ([`out`]); a JS exception raised while reading (a getter
/// that throws) is rethrown as it is.
#[cfg(feature = "js")]
#[wasm_bindgen]
pub fn full(
    op: u32,
    #[wasm_bindgen(unchecked_param_type = "unknown")] a: JsValue,
    #[wasm_bindgen(unchecked_param_type = "unknown")] b: JsValue,
) -> Result<u32, JsValue> {
    out::finish(match op {
        0 => request::validate_full(&a),
        1 => request::build_full(&a, &b),
        2 => response::parse_full(&a, &b),
        3 => mqtt::parse_full(&a, &b),
        _ => explanations::explain_full(&a),
    })
}
