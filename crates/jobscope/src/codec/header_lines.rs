//! Header fields as text, one `name: value` a line (HTTP/1.1 field lines, RFC 9112 §5), both directions: how a
//! received response's headers are shown, and how headers a person pastes (copied from curl -i, a browser's
//! network panel or a log) are read back.

/// Writes headers one `name: value` a line, in order, joined with `\n` (no trailing newline).
///
/// ```
/// use jobscope::codec::encode_header_lines;
/// let headers = [("x-amzn-ErrorType", "ThrottlingException"), ("content-type", "application/json")];
/// assert_eq!(
///     encode_header_lines(&headers),
///     "x-amzn-ErrorType: ThrottlingException\ncontent-type: application/json"
/// );
/// ```
pub fn encode_header_lines<H: AsRef<str>>(headers: &[(H, H)]) -> String {
    let mut out = String::new();
    for (name, value) in headers {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(name.as_ref());
        out.push_str(": ");
        out.push_str(value.as_ref());
    }
    out
}

/// Reads `name: value` lines (the inverse of [`encode_header_lines`]): `\n` or `\r\n` line ends; the name is what
/// precedes the first `:`, the value what follows it, both without surrounding whitespace (a value may contain `:`).
/// Lines that are not header fields are skipped: those without a `:`, with an empty name, or with whitespace inside
/// the name (a status line such as `HTTP/1.1 502 Bad: Gateway`).
///
/// ```
/// use jobscope::codec::decode_header_lines;
/// let pasted = "HTTP/1.1 429 Too Many Requests\r\nx-amzn-ErrorType:  ThrottlingException \r\n\r\nDate: Mon, 01 Jan 2024 10:00:00 GMT";
/// assert_eq!(
///     decode_header_lines(pasted),
///     [
///         ("x-amzn-ErrorType".to_owned(), "ThrottlingException".to_owned()),
///         ("Date".to_owned(), "Mon, 01 Jan 2024 10:00:00 GMT".to_owned()),
///     ]
/// );
/// ```
pub fn decode_header_lines(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            let name = name.trim();
            let is_field_name = !name.is_empty() && !name.contains(char::is_whitespace);
            is_field_name.then(|| (name.to_owned(), value.trim().to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let headers = vec![
            ("x-amzn-RequestId".to_owned(), "a1b2".to_owned()),
            (
                "x-amzn-ErrorType".to_owned(),
                "ThrottlingException:http://internal.amazon.com/".to_owned(),
            ),
            ("content-type".to_owned(), "application/json".to_owned()),
            ("x-empty".to_owned(), String::new()),
        ];
        assert_eq!(decode_header_lines(&encode_header_lines(&headers)), headers);
        assert_eq!(encode_header_lines::<&str>(&[]), "");
        assert!(decode_header_lines("").is_empty());
    }

    #[test]
    fn skips_what_is_not_a_header_field() {
        assert_eq!(
            decode_header_lines("no colon here\n: no name\nHTTP/1.1 502 Bad: Gateway\n  a : b  "),
            [("a".to_owned(), "b".to_owned())]
        );
    }
}
