//! Small `Display` helpers for messages, lighter than `{:?}` and float `{}` (which pull large formatting tables into
//! the wasm build).

use std::fmt::{self, Write as _};

/// A string in double quotes, with `"`, `\` and control characters escaped: `"my thing"`.
pub(crate) struct Quoted<'a>(pub &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('"')?;
        for c in self.0.chars() {
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                '\t' => f.write_str("\\t")?,
                '\r' => f.write_str("\\r")?,
                c if c.is_control() => write!(f, "\\u{{{:x}}}", c as u32)?,
                c => f.write_char(c)?,
            }
        }
        f.write_char('"')
    }
}

/// A float in its shortest round-trip form (`1567701875.743`, `5.0`), via serde_json's formatter.
pub(crate) struct Float(pub f64);

impl fmt::Display for Float {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match serde_json::Number::from_f64(self.0) {
            Some(number) => fmt::Display::fmt(&number, f),
            None if self.0.is_nan() => f.write_str("NaN"),
            None if self.0 > 0.0 => f.write_str("Infinity"),
            None => f.write_str("-Infinity"),
        }
    }
}

/// At most `max` characters of a text, marking a cut with `…`.
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_and_floats() {
        assert_eq!(
            Quoted("a \"b\"\\\n\u{1}").to_string(),
            r#""a \"b\"\\\n\u{1}""#
        );
        assert_eq!(Float(1567701875.743).to_string(), "1567701875.743");
        assert_eq!(Float(1.5).to_string(), "1.5");
        assert_eq!(Float(f64::NAN).to_string(), "NaN");
        assert_eq!(Float(f64::NEG_INFINITY).to_string(), "-Infinity");
    }
}
