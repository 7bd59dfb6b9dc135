//! The fast path's arguments. The JS writes the input's strings, concatenated, as UTF-8 straight into one buffer
//! here (`TextEncoder.encodeInto`), then the body or payload after them (as bytes, or encoded the same way), and
//! passes the strings' lengths in UTF-16 code units — what it knows without encoding them — with the other fields
//! as plain numbers. [`Strings`] cuts the text back into the pieces.

use std::cell::Cell;

use crate::{LooseNumber, MAX_SAFE_INTEGER};

thread_local! {
    /// The input buffer, kept between calls (the JS keeps its address and size, and asks for more when needed).
    static INPUT: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// Makes the input buffer at least `len` bytes long (keeping what is in it) and returns its address.
#[unsafe(no_mangle)]
pub extern "C" fn jobscope_reserve(len: u32) -> u32 {
    let mut input = INPUT.take();
    if input.len() < len as usize {
        input.resize(len as usize, 0);
    }
    let address = input.as_ptr() as u32;
    INPUT.set(input);
    address
}

/// Calls `f` with the first `len` bytes of the input buffer; `None` (take the full path) if it is shorter.
pub(crate) fn with_input<R>(len: u32, f: impl FnOnce(&[u8]) -> Option<R>) -> Option<R> {
    let input = INPUT.take();
    let result = input.get(..len as usize).and_then(f);
    INPUT.set(input);
    result
}

/// The strings of one call, concatenated.
pub(crate) struct Strings<'a> {
    rest: &'a str,
}

impl<'a> Strings<'a> {
    /// `None` when the bytes are not UTF-8 (they always are when written by `encodeInto`).
    pub(crate) fn new(bytes: &'a [u8]) -> Option<Self> {
        std::str::from_utf8(bytes).ok().map(|rest| Strings { rest })
    }

    /// The next string, `units` UTF-16 code units long; a negative length is an absent string (`Some(None)`).
    /// `None` when the length ends inside a character: two strings whose lone surrogates joined into one
    /// character when concatenated, which the full path then reads one by one.
    pub(crate) fn take(&mut self, units: i32) -> Option<Option<&'a str>> {
        let Ok(units) = usize::try_from(units) else {
            return Some(None);
        };
        let bytes = self.rest.as_bytes();
        let end = if bytes.len() >= units && bytes[..units].is_ascii() {
            units
        } else {
            let mut count = 0;
            let mut end = None;
            for (i, c) in self.rest.char_indices() {
                if count >= units {
                    end = Some(i);
                    break;
                }
                count += c.len_utf16();
            }
            match end {
                Some(end) if count == units => end,
                None if count == units => self.rest.len(),
                _ => return None,
            }
        };
        let (piece, rest) = self.rest.split_at(end);
        self.rest = rest;
        Some(Some(piece))
    }

    /// Whether every string was taken (the lengths added up).
    pub(crate) fn done(&self) -> bool {
        self.rest.is_empty()
    }
}

/// `executionNumber` from the fast path: `kind` 0 absent, 1 a string, 2 a number (`number`), 3 a bigint (its
/// decimal text). `None` when a text is missing.
pub(crate) fn loose_number(
    kind: u32,
    text: Option<&str>,
    number: f64,
) -> Option<Option<LooseNumber>> {
    Some(match (kind, text) {
        (0, _) => None,
        (1, Some(text)) => Some(LooseNumber::Text(text.to_owned())),
        (2, _) => Some(number_from_f64(number)),
        (3, Some(text)) => Some(number_from_bigint_text(text)),
        _ => return None,
    })
}

/// A JS number as the core's loose number: an exact integer when it is one, else the float (which validation
/// rejects with its reason).
pub(crate) fn number_from_f64(number: f64) -> LooseNumber {
    if number.fract() == 0.0 && number.abs() <= MAX_SAFE_INTEGER as f64 {
        LooseNumber::Integer(number as i128)
    } else {
        LooseNumber::Float(number)
    }
}

/// A JS bigint (its decimal text) as the core's loose number.
pub(crate) fn number_from_bigint_text(text: &str) -> LooseNumber {
    match text.parse::<i128>() {
        Ok(n) => LooseNumber::Integer(n),
        Err(_) => LooseNumber::Text(text.to_owned()),
    }
}
