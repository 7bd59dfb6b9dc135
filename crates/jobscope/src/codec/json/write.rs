//! Writing JSON strings: the one escaper every hand-written JSON output uses.

/// Appends `text` as a JSON string literal (RFC 8259: `"` and `\` escaped, control characters as short escapes or
/// `\u00XX`).
///
/// ```
/// let mut out = String::new();
/// jobscope::codec::json::push_string(&mut out, "a\"b\\c\n\u{1}");
/// assert_eq!(out, r#""a\"b\\c\n\u0001""#);
/// ```
pub fn push_string(out: &mut String, text: &str) {
    out.reserve(text.len() + 2);
    out.push('"');
    let mut start = 0;
    for (i, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[usize::from(byte >> 4)] as char);
            out.push(HEX[usize::from(byte & 0xf)] as char);
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&text[start..]);
    out.push('"');
}

/// `text` as a JSON string literal.
pub fn string(text: &str) -> String {
    let mut out = String::new();
    push_string(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_serde_json_for_every_control_and_special_character() {
        let mut text: String = (0u8..0x20).map(char::from).collect();
        text.push_str("\"\\/é😹\u{7f}\u{2028}");
        let ours = string(&text);
        assert_eq!(serde_json::from_str::<String>(&ours).unwrap(), text);
        assert_eq!(ours, serde_json::to_string(&text).unwrap());
    }
}
