//! A pull reader over JSON text: the decoder asks for the value it expects next and gets it, or an error that names
//! what was there instead.

use std::borrow::Cow;

use super::error::{JsonError, JsonErrorKind};
use super::write::push_string;
use crate::text::Quoted;

/// How deep arrays and objects may nest (serde_json's limit).
const MAX_DEPTH: u32 = 127;

/// The JSON type of the next value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    /// `null`
    Null,
    /// `true` or `false`
    Bool,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

/// A JSON number as it was written: its text, and whether it has a fraction or exponent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Number<'a> {
    text: &'a str,
    whole: bool,
}

impl<'a> Number<'a> {
    /// The number's text, exactly as sent (`1718467200`, `1567701875.743`, `1e3`).
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// No fraction and no exponent.
    pub fn is_whole(&self) -> bool {
        self.whole
    }

    /// The value when it is whole and fits an `i64`.
    pub fn to_i64(&self) -> Option<i64> {
        if self.whole {
            self.text.parse().ok()
        } else {
            None
        }
    }

    /// The value when it is whole and fits a `u64`.
    pub fn to_u64(&self) -> Option<u64> {
        if self.whole {
            self.text.parse().ok()
        } else {
            None
        }
    }

    /// The nearest `f64` (finite: the reader refused numbers beyond its range).
    pub fn to_f64(&self) -> f64 {
        self.text.parse().unwrap_or(f64::NAN)
    }
}

/// Reads one JSON text front to back. Every read skips the whitespace before its value; strings without escapes
/// are borrowed from the text.
///
/// ```
/// use jobscope::codec::json::Reader;
/// let mut json = Reader::new(r#"{"jobId":"j-1","versionNumber":7,"tags":[]}"#);
/// let mut members = json.object("an object").unwrap();
/// let mut seen = Vec::new();
/// while let Some(key) = members.next(&mut json).unwrap() {
///     match &*key {
///         "jobId" => seen.push(json.string("a string").unwrap().into_owned()),
///         "versionNumber" => seen.push(json.number("a number").unwrap().text().to_owned()),
///         _ => json.skip().unwrap(),
///     }
/// }
/// json.finish().unwrap();
/// assert_eq!(seen, ["j-1", "7"]);
///
/// let mut json = Reader::new(r#"{"jobId":5}"#);
/// let mut members = json.object("an object").unwrap();
/// members.next(&mut json).unwrap();
/// let error = json.string("a string").unwrap_err();
/// assert_eq!(error.to_string(), "invalid type: integer `5`, expected a string at line 1 column 10");
/// ```
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    text: &'a str,
    pos: usize,
    depth: u32,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `text`.
    pub fn new(text: &'a str) -> Self {
        Reader {
            text,
            pos: 0,
            depth: 0,
        }
    }

    fn byte(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.byte() {
            self.pos += 1;
        }
    }

    /// A syntax error at the current byte (counted as read, as serde_json does).
    fn syntax(&self, message: &str) -> JsonError {
        JsonError::at(
            JsonErrorKind::Syntax,
            message.to_owned(),
            self.text,
            self.pos + 1,
        )
    }

    /// The text ended: `EOF while parsing {what}`.
    fn eof(&self, what: &str) -> JsonError {
        let message = format!("EOF while parsing {what}");
        JsonError::at(JsonErrorKind::Eof, message, self.text, self.text.len())
    }

    /// A data error (valid JSON of the wrong shape) just after the value read last.
    pub fn data_error(&self, message: String) -> JsonError {
        JsonError::at(JsonErrorKind::Data, message, self.text, self.pos)
    }

    /// The next byte after whitespace, or the end-of-text error for `what`.
    fn next_byte(&mut self, what: &str) -> Result<u8, JsonError> {
        self.skip_whitespace();
        self.byte().ok_or_else(|| self.eof(what))
    }

    /// The type of the next value, without reading it.
    pub fn peek(&mut self) -> Result<JsonKind, JsonError> {
        Ok(match self.next_byte("a value")? {
            b'n' => JsonKind::Null,
            b't' | b'f' => JsonKind::Bool,
            b'-' | b'0'..=b'9' => JsonKind::Number,
            b'"' => JsonKind::String,
            b'[' => JsonKind::Array,
            b'{' => JsonKind::Object,
            _ => return Err(self.syntax("expected value")),
        })
    }

    /// Reads `null` when it is next; otherwise reads nothing.
    pub fn null(&mut self) -> Result<bool, JsonError> {
        if self.peek()? != JsonKind::Null {
            return Ok(false);
        }
        self.literal("null")?;
        Ok(true)
    }

    fn literal(&mut self, word: &str) -> Result<(), JsonError> {
        let rest = &self.text[self.pos..];
        if rest.starts_with(word) {
            self.pos += word.len();
            return Ok(());
        }
        let matched = rest
            .bytes()
            .zip(word.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        self.pos += matched;
        if self.pos == self.text.len() {
            Err(self.eof("a value"))
        } else {
            Err(self.syntax("expected ident"))
        }
    }

    /// Reads a boolean.
    pub fn bool(&mut self, expected: &str) -> Result<bool, JsonError> {
        match (self.peek()?, self.byte()) {
            (JsonKind::Bool, Some(b't')) => self.literal("true").map(|()| true),
            (JsonKind::Bool, _) => self.literal("false").map(|()| false),
            _ => Err(self.unexpected(expected)),
        }
    }

    /// Reads a string.
    pub fn string(&mut self, expected: &str) -> Result<Cow<'a, str>, JsonError> {
        if self.peek()? != JsonKind::String {
            return Err(self.unexpected(expected));
        }
        self.read_string()
    }

    /// Reads a number.
    pub fn number(&mut self, expected: &str) -> Result<Number<'a>, JsonError> {
        if self.peek()? != JsonKind::Number {
            return Err(self.unexpected(expected));
        }
        self.read_number()
    }

    /// Opens an object; read its members with [`Members::next`].
    pub fn object(&mut self, expected: &str) -> Result<Members, JsonError> {
        if self.peek()? != JsonKind::Object {
            return Err(self.unexpected(expected));
        }
        self.enter()?;
        Ok(Members { first: true })
    }

    /// Reads a whole object: `member` reads the value of each key it knows and returns true; the values of the
    /// keys it returns false for are skipped.
    pub fn members(
        &mut self,
        expected: &str,
        mut member: impl FnMut(&mut Self, &str) -> Result<bool, JsonError>,
    ) -> Result<(), JsonError> {
        let mut members = self.object(expected)?;
        while let Some(key) = members.next(self)? {
            if !member(self, &key)? {
                self.skip()?;
            }
        }
        Ok(())
    }

    /// Reads an array of `T`.
    pub fn list<T>(
        &mut self,
        expected: &str,
        mut element: impl FnMut(&mut Self) -> Result<T, JsonError>,
    ) -> Result<Vec<T>, JsonError> {
        let mut elements = self.array(expected)?;
        let mut list = Vec::new();
        while elements.next(self)? {
            list.push(element(self)?);
        }
        Ok(list)
    }

    /// Reads a whole number that fits an `i64` (serde's wording when it does not: `invalid value: integer
    /// `…`, expected i64`).
    pub fn i64(&mut self) -> Result<i64, JsonError> {
        let number = self.number("i64")?;
        match number.to_i64() {
            Some(value) => Ok(value),
            None if number.whole => Err(self.data_error(format!(
                "invalid value: integer `{}`, expected i64",
                number.text
            ))),
            None => Err(self.data_error(format!(
                "invalid type: floating point `{}`, expected i64",
                number.text
            ))),
        }
    }

    /// Opens an array; read its elements while [`Elements::next`] says there is one.
    pub fn array(&mut self, expected: &str) -> Result<Elements, JsonError> {
        if self.peek()? != JsonKind::Array {
            return Err(self.unexpected(expected));
        }
        self.enter()?;
        Ok(Elements { first: true })
    }

    fn enter(&mut self) -> Result<(), JsonError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.syntax("recursion limit exceeded"));
        }
        self.pos += 1;
        Ok(())
    }

    /// Reads past the next value, whatever it is, without recursion: nesting of any depth is skipped (as
    /// serde_json's `IgnoredAny` does), so a member nobody reads cannot exhaust the stack.
    pub fn skip(&mut self) -> Result<(), JsonError> {
        // The open containers, innermost last: true for an object.
        let mut open: Vec<bool> = Vec::new();
        loop {
            match self.peek()? {
                JsonKind::Null => self.literal("null")?,
                JsonKind::Bool if self.byte() == Some(b't') => self.literal("true")?,
                JsonKind::Bool => self.literal("false")?,
                JsonKind::Number => {
                    self.read_number()?;
                }
                JsonKind::String => {
                    self.read_string()?;
                }
                kind => {
                    let object = kind == JsonKind::Object;
                    self.pos += 1;
                    let close = if object { b'}' } else { b']' };
                    let what = if object { "an object" } else { "a list" };
                    if self.next_byte(what)? == close {
                        self.pos += 1;
                    } else {
                        if object {
                            self.key()?;
                        }
                        open.push(object);
                        continue;
                    }
                }
            }
            // After a value: close what ends here, or step to the next element or member.
            loop {
                let Some(&object) = open.last() else {
                    return Ok(());
                };
                let (close, what, expected) = if object {
                    (b'}', "an object", "expected `,` or `}`")
                } else {
                    (b']', "a list", "expected `,` or `]`")
                };
                let byte = self.next_byte(what)?;
                if byte == close {
                    self.pos += 1;
                    open.pop();
                    continue;
                }
                if byte != b',' {
                    return Err(self.syntax(expected));
                }
                self.pos += 1;
                if self.next_byte("a value")? == close {
                    return Err(self.syntax("trailing comma"));
                }
                if object {
                    self.key()?;
                }
                break;
            }
        }
    }

    /// Reads a member's key and its colon.
    fn key(&mut self) -> Result<Cow<'a, str>, JsonError> {
        if self.next_byte("an object")? != b'"' {
            return Err(self.syntax("key must be a string"));
        }
        let key = self.read_string()?;
        if self.next_byte("an object")? != b':' {
            return Err(self.syntax("expected `:`"));
        }
        self.pos += 1;
        Ok(key)
    }

    /// Reads the next value and appends it to `out` as compact JSON: strings re-escaped, numbers as written, members
    /// in their order. Nesting deeper than serde_json's recursion limit is an error.
    pub fn compact(&mut self, out: &mut String) -> Result<(), JsonError> {
        match self.peek()? {
            JsonKind::Null => self.copy_literal("null", out),
            JsonKind::Bool if self.byte() == Some(b't') => self.copy_literal("true", out),
            JsonKind::Bool => self.copy_literal("false", out),
            JsonKind::Number => {
                out.push_str(self.read_number()?.text);
                Ok(())
            }
            JsonKind::String => {
                let text = self.read_string()?;
                push_string(out, &text);
                Ok(())
            }
            JsonKind::Array => {
                let mut elements = self.array("an array")?;
                out.push('[');
                let mut count = 0;
                while elements.next(self)? {
                    if count > 0 {
                        out.push(',');
                    }
                    count += 1;
                    self.compact(out)?;
                }
                out.push(']');
                Ok(())
            }
            JsonKind::Object => {
                let mut members = self.object("an object")?;
                out.push('{');
                let mut count = 0;
                while let Some(key) = members.next(self)? {
                    if count > 0 {
                        out.push(',');
                    }
                    count += 1;
                    push_string(out, &key);
                    out.push(':');
                    self.compact(out)?;
                }
                out.push('}');
                Ok(())
            }
        }
    }

    fn copy_literal(&mut self, word: &str, out: &mut String) -> Result<(), JsonError> {
        self.literal(word)?;
        out.push_str(word);
        Ok(())
    }

    /// Reads the next value and returns the "invalid type" error for it (`invalid type: integer `5`, expected a
    /// string`), or the syntax error met while reading it.
    pub fn unexpected(&mut self, expected: &str) -> JsonError {
        let got = match self.describe_next() {
            Ok(got) => got,
            Err(error) => return error,
        };
        self.data_error(format!("invalid type: {got}, expected {expected}"))
    }

    /// Reads the next value and names it as serde does in its messages.
    fn describe_next(&mut self) -> Result<String, JsonError> {
        Ok(match self.peek()? {
            JsonKind::Null => {
                self.literal("null")?;
                "null".to_owned()
            }
            JsonKind::Bool => {
                let value = self.bool("a boolean")?;
                format!("boolean `{value}`")
            }
            JsonKind::Number => {
                let number = self.read_number()?;
                let kind = if number.whole {
                    "integer"
                } else {
                    "floating point"
                };
                format!("{kind} `{}`", number.text)
            }
            JsonKind::String => format!("string {}", Quoted(&self.read_string()?)),
            JsonKind::Array => "sequence".to_owned(),
            JsonKind::Object => "map".to_owned(),
        })
    }

    /// Ends the text: only whitespace may follow the value.
    pub fn finish(&mut self) -> Result<(), JsonError> {
        self.skip_whitespace();
        match self.byte() {
            None => Ok(()),
            Some(_) => Err(self.syntax("trailing characters")),
        }
    }

    /// Reads a string; the current byte is its opening quote.
    fn read_string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        let bytes = self.text.as_bytes();
        let start = self.pos + 1;
        let end = scan_string(bytes, start);
        match bytes.get(end) {
            None => {
                self.pos = end;
                return Err(self.eof("a string"));
            }
            Some(b'"') => {
                self.pos = end + 1;
                return Ok(Cow::Borrowed(&self.text[start..end]));
            }
            Some(b'\\') => {}
            Some(_) => {
                self.pos = end;
                return Err(self.control_character());
            }
        }
        let mut out = String::with_capacity(end - start + 16);
        out.push_str(&self.text[start..end]);
        self.pos = end;
        loop {
            let run = self.pos;
            self.pos = scan_string(bytes, run);
            out.push_str(&self.text[run..self.pos]);
            match self.byte() {
                None => return Err(self.eof("a string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => return Err(self.control_character()),
            }
        }
    }

    fn control_character(&self) -> JsonError {
        self.syntax("control character (\\u0000-\\u001F) found while parsing a string")
    }

    /// Reads one escape after its backslash.
    fn escape(&mut self, out: &mut String) -> Result<(), JsonError> {
        let Some(byte) = self.byte() else {
            return Err(self.eof("a string"));
        };
        let plain = match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                self.pos += 1;
                let unit = self.hex4()?;
                let code = match unit {
                    0xD800..=0xDBFF => {
                        for expected in [b'\\', b'u'] {
                            match self.byte() {
                                None => return Err(self.eof("a string")),
                                Some(byte) if byte == expected => self.pos += 1,
                                Some(_) => return Err(self.syntax("unexpected end of hex escape")),
                            }
                        }
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return Err(self.at_pos("lone leading surrogate in hex escape"));
                        }
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00)
                    }
                    0xDC00..=0xDFFF => {
                        return Err(self.at_pos("lone leading surrogate in hex escape"));
                    }
                    unit => u32::from(unit),
                };
                out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
                return Ok(());
            }
            _ => return Err(self.syntax("invalid escape")),
        };
        self.pos += 1;
        out.push(plain);
        Ok(())
    }

    /// Four hex digits of a `\u` escape.
    fn hex4(&mut self) -> Result<u16, JsonError> {
        let Some(four) = self.text.as_bytes().get(self.pos..self.pos + 4) else {
            self.pos = self.text.len();
            return Err(self.eof("a string"));
        };
        let mut unit = 0u16;
        let mut valid = true;
        for &byte in four {
            let digit = match byte {
                b'0'..=b'9' => byte - b'0',
                b'a'..=b'f' => byte - b'a' + 10,
                b'A'..=b'F' => byte - b'A' + 10,
                _ => {
                    valid = false;
                    0
                }
            };
            unit = unit << 4 | u16::from(digit);
        }
        self.pos += 4;
        if !valid {
            return Err(self.at_pos("invalid escape"));
        }
        Ok(unit)
    }

    fn at_pos(&self, message: &str) -> JsonError {
        JsonError::at(
            JsonErrorKind::Syntax,
            message.to_owned(),
            self.text,
            self.pos,
        )
    }

    /// Reads a number; the current byte is its first.
    fn read_number(&mut self) -> Result<Number<'a>, JsonError> {
        let start = self.pos;
        if self.byte() == Some(b'-') {
            self.pos += 1;
        }
        match self.byte() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.byte() {
                    return Err(self.syntax("invalid number"));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            Some(_) => return Err(self.syntax("invalid number")),
            None => return Err(self.eof("a value")),
        }
        let mut whole = true;
        if self.byte() == Some(b'.') {
            self.pos += 1;
            self.required_digits()?;
            whole = false;
        }
        if let Some(b'e' | b'E') = self.byte() {
            let mantissa = &self.text.as_bytes()[start..self.pos];
            let nonzero = mantissa.iter().any(|b| (b'1'..=b'9').contains(b));
            self.pos += 1;
            let positive = match self.byte() {
                Some(b'-') => {
                    self.pos += 1;
                    false
                }
                Some(b'+') => {
                    self.pos += 1;
                    true
                }
                _ => true,
            };
            let from = self.pos;
            self.required_digits()?;
            let end = self.pos;
            let mut exp: i64 = 0;
            for (i, &d) in self.text.as_bytes()[from..end].iter().enumerate() {
                exp = exp * 10 + i64::from(d - b'0');
                if exp > i64::from(i32::MAX) {
                    if nonzero && positive {
                        return Err(JsonError::at(
                            JsonErrorKind::Syntax,
                            "number out of range".to_owned(),
                            self.text,
                            from + i + 1,
                        ));
                    }
                    break;
                }
            }
            whole = false;
        }
        let number = Number {
            text: &self.text[start..self.pos],
            whole,
        };
        if !number.to_f64().is_finite() {
            return Err(JsonError::at(
                JsonErrorKind::Syntax,
                "number out of range".to_owned(),
                self.text,
                self.pos,
            ));
        }
        Ok(number)
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.byte() {
            self.pos += 1;
        }
    }

    fn required_digits(&mut self) -> Result<(), JsonError> {
        match self.byte() {
            Some(b'0'..=b'9') => {
                self.digits();
                Ok(())
            }
            Some(_) => Err(self.syntax("invalid number")),
            None => Err(self.eof("a value")),
        }
    }
}

/// The index of the first byte at or after `from` that ends a string's plain run: `"`, `\` or a control
/// character (or the end). Eight bytes at a time, then one by one.
fn scan_string(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let stops = |byte: u8| byte == b'"' || byte == b'\\' || byte < 0x20;
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let quote = word ^ (ONES * u64::from(b'"'));
        let backslash = word ^ (ONES * u64::from(b'\\'));
        // The lowest byte flagged by the has-zero-byte (and has-byte-below-0x20) trick is exact.
        let zero = |x: u64| x.wrapping_sub(ONES) & !x;
        let found =
            (zero(quote) | zero(backslash) | (word.wrapping_sub(ONES * 0x20) & !word)) & HIGH;
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while bytes.get(i).is_some_and(|&byte| !stops(byte)) {
        i += 1;
    }
    i
}

/// The members of an object being read: each [`next`](Members::next) gives a key, and the caller reads its value.
#[derive(Debug)]
pub struct Members {
    first: bool,
}

impl Members {
    /// The next member's key (its value is next in the reader), or `None` after the closing brace.
    pub fn next<'a>(&mut self, json: &mut Reader<'a>) -> Result<Option<Cow<'a, str>>, JsonError> {
        let byte = json.next_byte("an object")?;
        if byte == b'}' {
            json.pos += 1;
            json.depth -= 1;
            return Ok(None);
        }
        if !self.first {
            if byte != b',' {
                return Err(json.syntax("expected `,` or `}`"));
            }
            json.pos += 1;
            if json.next_byte("a value")? == b'}' {
                return Err(json.syntax("trailing comma"));
            }
        }
        self.first = false;
        json.key().map(Some)
    }
}

/// The elements of an array being read: while [`next`](Elements::next) is true, the caller reads one element.
#[derive(Debug)]
pub struct Elements {
    first: bool,
}

impl Elements {
    /// Whether another element follows (the caller reads it); false after the closing bracket.
    pub fn next(&mut self, json: &mut Reader<'_>) -> Result<bool, JsonError> {
        let mut byte = json.next_byte("a list")?;
        if byte == b']' {
            json.pos += 1;
            json.depth -= 1;
            return Ok(false);
        }
        if !self.first {
            if byte != b',' {
                return Err(json.syntax("expected `,` or `]`"));
            }
            json.pos += 1;
            byte = json.next_byte("a value")?;
            if byte == b']' {
                return Err(json.syntax("trailing comma"));
            }
        }
        self.first = false;
        Ok(true)
    }
}
