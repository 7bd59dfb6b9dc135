//! Explanations, written once. An error result's `explanation` is ~1 KB of text — parsing it on every call cost more
//! than the whole error body — and there are a few dozen of them, all `&'static`. So an output carries an
//! explanation's index in a registry here (in the order they were first met), and the JS keeps one frozen object
//! per index, fetched once with [`jobscope_explanation`] and shared by every result and `explainError` call.

use std::cell::Cell;

use serde::Serialize;
use wasm_bindgen::JsValue;

use super::args::with_input;
use super::out::{self, Thrown, type_error};
use super::read::describe;
use crate::{Explanation, ServiceError, explain_name};

thread_local! {
    /// The explanations met so far; an index is stable for the module's life.
    static SEEN: Cell<Vec<&'static Explanation>> = const { Cell::new(Vec::new()) };
}

/// The registry index of an explanation.
fn index_of(explanation: &'static Explanation) -> u32 {
    let mut seen = SEEN.take();
    let index = match seen.iter().position(|e| std::ptr::eq(*e, explanation)) {
        Some(index) => index,
        None => {
            seen.push(explanation);
            seen.len() - 1
        }
    };
    SEEN.set(seen);
    index as u32
}

/// Writes the explanation at `index` as the output (1), or nothing (0) when there is none.
#[unsafe(no_mangle)]
pub extern "C" fn jobscope_explanation(index: u32) -> u32 {
    let seen = SEEN.take();
    let explanation = seen.get(index as usize).copied();
    SEEN.set(seen);
    explanation.map_or(0, |e| out::write(e, 0))
}

/// `ServiceError`: the core's [`ServiceError`] (with an MQTT rejection's `executionState`), `retryable`, and its
/// explanation's index (the JS puts the explanation itself there).
#[derive(Serialize)]
pub(crate) struct ServiceErrorOut<'a> {
    #[serde(flatten)]
    error: &'a ServiceError,
    retryable: bool,
    explanation: u32,
}

impl<'a> ServiceErrorOut<'a> {
    pub(crate) fn new(error: &'a ServiceError) -> Self {
        ServiceErrorOut {
            error,
            retryable: error.retryable(),
            explanation: index_of(error.explanation()),
        }
    }
}

/// The fast path of `explainError`: the code is the call's one string, `bytes` long. Returns the explanation's
/// index (the JS fetches it with [`jobscope_explanation`] the first time), or `u32::MAX` for the full path.
#[unsafe(no_mangle)]
pub extern "C" fn jobscope_explain(bytes: u32) -> u32 {
    with_input(bytes, |input| {
        let code = std::str::from_utf8(input).ok()?;
        Some(index_of(explain_name(code)))
    })
    .unwrap_or(u32::MAX)
}

/// The full path of `explainError`: a code that is not a string is a `TypeError`; a string is answered with its
/// explanation's index, as a number.
pub(crate) fn explain_full(code: &JsValue) -> Result<u32, Thrown> {
    let code = code
        .as_string()
        .ok_or_else(|| type_error(format!("code must be a string, got {}", describe(code))))?;
    Ok(out::write(&index_of(explain_name(&code)), 0))
}
