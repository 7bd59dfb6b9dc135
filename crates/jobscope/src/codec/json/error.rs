//! What went wrong while reading JSON, and where.

use std::fmt;

/// Which kind of problem a [`JsonError`] is, as serde_json classifies them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonErrorKind {
    /// Not JSON: a character that cannot be there.
    Syntax,
    /// Not JSON: the text ends inside a value.
    Eof,
    /// Valid JSON of the wrong shape: a type or value the decoder does not accept.
    Data,
}

/// A JSON problem at a line and column (1-based; the column counts bytes, as serde_json's does). Displayed as
/// serde_json displays its errors — `expected value at line 1 column 1` — so messages keep their wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    kind: JsonErrorKind,
    message: String,
    line: usize,
    column: usize,
}

impl JsonError {
    /// An error of `kind` at byte `offset` of `text`.
    pub(super) fn at(kind: JsonErrorKind, message: String, text: &str, offset: usize) -> Self {
        let before = &text.as_bytes()[..offset.min(text.len())];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let column = before.len()
            - before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
        JsonError {
            kind,
            message,
            line,
            column,
        }
    }

    /// Syntax, end of text, or data.
    pub fn kind(&self) -> JsonErrorKind {
        self.kind
    }

    /// The text ended inside a value.
    pub fn is_eof(&self) -> bool {
        self.kind == JsonErrorKind::Eof
    }

    /// A character that JSON does not allow there.
    pub fn is_syntax(&self) -> bool {
        self.kind == JsonErrorKind::Syntax
    }

    /// Valid JSON of the wrong shape.
    pub fn is_data(&self) -> bool {
        self.kind == JsonErrorKind::Data
    }

    /// The message without its position.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Line and column, 1-based.
    pub fn position(&self) -> (usize, usize) {
        (self.line, self.column)
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.message, self.line, self.column
        )
    }
}

impl std::error::Error for JsonError {}
