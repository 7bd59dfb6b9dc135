//! JSON text re-indented for reading, keeping its key order and number text exactly (a display form, not a wire
//! one: nothing reads it back).

/// Re-indents JSON text, keeping its key order and number text exactly; `None` when it is not JSON.
pub fn pretty_json(text: &str) -> Option<String> {
    // The core's JSON reader, which every decoder uses: the page carries one JSON reader.
    let mut json = jobscope::codec::json::Reader::new(text);
    json.skip().ok()?;
    json.finish().ok()?;
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = text.trim().chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", depth));
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                while chars.peek().is_some_and(|n| n.is_whitespace()) {
                    chars.next();
                }
                if chars.peek() == Some(&close) {
                    out.push(chars.next().unwrap_or(close));
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::pretty_json;

    #[test]
    fn pretty_json_keeps_order_and_text() {
        assert_eq!(
            pretty_json(r#"{"z":1,"a":[1.50,{}],"s":"x,{y}:\"q\""}"#).unwrap(),
            "{\n  \"z\": 1,\n  \"a\": [\n    1.50,\n    {}\n  ],\n  \"s\": \"x,{y}:\\\"q\\\"\"\n}"
        );
        assert_eq!(pretty_json("[ ]").unwrap(), "[]");
        assert_eq!(pretty_json("not json"), None);
    }
}
