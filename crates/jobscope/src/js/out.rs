//! Every output's way out. A result is written as a tape ([`tape`](super::tape)): the text of its strings, an
//! array of ops (one `[tag, argument]` pair of u32 each) and an array of numbers (f64), all in buffers kept between
//! calls, which the package's JS reads after each call (`npm/output.js`) from a static header: `[text, text length,
//! flags, ops, ops length, numbers]`. One decode of the text, then the JS builds the value walking the ops — no
//! JSON text to write, escape, scan and parse.

use std::cell::Cell;
use std::sync::atomic::{AtomicU32, Ordering};

use serde::Serialize;
use wasm_bindgen::JsValue;

use super::tape::{Tape, TapeWriter};
#[cfg(feature = "js")]
use crate::{Violation, Violations};

/// The output is `{kind: 'error', error}` whose `error.explanation` is an explanation's index (see
/// `explanations.rs`): the JS puts the shared explanation there.
#[cfg(feature = "js")]
pub(crate) const EXPLAINED: u32 = 2;
/// Throw a `TypeError`; the output is its message.
pub(crate) const TYPE_ERROR: u32 = 4;
/// Throw an `Error` named `ValidationError`; the output is `{message, violations}`.
#[cfg(feature = "js")]
pub(crate) const VALIDATION_ERROR: u32 = 8;
/// validateRequest: the input is valid (no output: the JS returns `{valid: true, violations: []}`).
#[cfg(feature = "js")]
pub(crate) const VALID: u32 = 16;
/// Throw an `Error`; the output is its message.
pub(crate) const ERROR: u32 = 32;

/// `[text, text length, flags, ops, ops length (u32 words), numbers]` of the last output; its address is
/// [`jobscope_header`].
static HEADER: [AtomicU32; 6] = [const { AtomicU32::new(0) }; 6];

thread_local! {
    /// The output, kept between calls so its capacity is reused (and it stays where the header points until the
    /// next call).
    static OUT: Cell<Tape> = const { Cell::new(Tape::new()) };
}

/// The address of the output header (six little-endian u32), read once by the JS.
#[unsafe(no_mangle)]
pub extern "C" fn jobscope_header() -> u32 {
    HEADER.as_ptr() as u32
}

/// Writes `value` as the output, with `flags`. Returns 1, the status of "output ready".
pub(crate) fn write<T: Serialize + ?Sized>(value: &T, flags: u32) -> u32 {
    let mut writer = TapeWriter::new(OUT.take());
    let flags = match value.serialize(&mut writer) {
        Ok(()) => flags,
        Err(e) => {
            writer = TapeWriter::new(writer.into_tape());
            let _ = e.to_string().serialize(&mut writer);
            ERROR
        }
    };
    publish(writer.into_tape(), flags)
}

/// An output without a value (just flags).
#[cfg(feature = "js")]
pub(crate) fn flag(flags: u32) -> u32 {
    let mut tape = OUT.take();
    tape.clear();
    publish(tape, flags)
}

fn publish(tape: Tape, flags: u32) -> u32 {
    let words = [
        tape.text.as_ptr() as u32,
        tape.text.len() as u32,
        flags,
        tape.ops.as_ptr() as u32,
        tape.ops.len() as u32,
        tape.numbers.as_ptr() as u32,
    ];
    for (slot, word) in HEADER.iter().zip(words) {
        slot.store(word, Ordering::Relaxed);
    }
    OUT.set(tape);
    1
}

/// Name/value pairs as a JS record (`{name: value}`): `BuiltRequest.headers` and `SignedHeaders`.
pub(crate) struct Record(pub Vec<(String, String)>);

impl Serialize for Record {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(name, value)| (name, value)))
    }
}

/// Why a full-path call does not return a result: an error for the JS to throw (the message is ours), or a JS
/// exception raised while reading the arguments, rethrown as it is.
pub(crate) enum Thrown {
    Type(String),
    #[cfg(feature = "js")]
    Validation(Vec<Violation>),
    #[cfg(feature = "js-sign")]
    Error(String),
    Js(JsValue),
}

impl From<JsValue> for Thrown {
    fn from(value: JsValue) -> Self {
        Thrown::Js(value)
    }
}

pub(crate) fn type_error(message: String) -> Thrown {
    Thrown::Type(message)
}

/// `ValidationError`'s fields besides its name.
#[cfg(feature = "js")]
#[derive(Serialize)]
struct ValidationErrorOut<'a> {
    message: String,
    violations: &'a [Violation],
}

/// A full-path call's answer to the JS: the output status, with an error to throw written as the output.
pub(crate) fn finish(result: Result<u32, Thrown>) -> Result<u32, JsValue> {
    match result {
        Ok(status) => Ok(status),
        Err(Thrown::Js(exception)) => Err(exception),
        Err(Thrown::Type(message)) => Ok(write(&message, TYPE_ERROR)),
        #[cfg(feature = "js-sign")]
        Err(Thrown::Error(message)) => Ok(write(&message, ERROR)),
        #[cfg(feature = "js")]
        Err(Thrown::Validation(violations)) => {
            let violations = Violations(violations);
            let error = ValidationErrorOut {
                message: violations.to_string(),
                violations: violations.as_slice(),
            };
            Ok(write(&error, VALIDATION_ERROR))
        }
    }
}
