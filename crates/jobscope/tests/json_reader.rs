//! The JSON pull reader (`jobscope::codec::json::Reader`) held to serde_json as the oracle: what it accepts, how it
//! classifies and words what it refuses (line and column included), what `compact` writes, and what the typed
//! readers return or say.
//!
//! The oracle for acceptance and messages is serde_json reading the text into a `serde_json::Value`: that path
//! parses strings, numbers, maps and sequences with the same code as the typed deserialization the decoders used
//! (`String`, `u64`, `f64`, structs, `Vec`). `compact` (which, like a `Value`, stops at serde_json's recursion limit)
//! is held to it everywhere; `skip` (which, like serde_json's `IgnoredAny`, skips nesting of any depth) everywhere
//! but past that limit. `IgnoredAny` itself is a looser, separate code path — it lets lone surrogates, out-of-range
//! numbers and bad `\u` escapes after a leading surrogate through, and words some errors differently (`[1,]` is
//! "expected value" there, "trailing comma" for a `Value`; `1.` is "invalid number" there, "EOF while parsing a
//! value" for a `Value`) — so against it `skip` is held to accepting exactly the same texts but for those.
#![cfg(not(target_arch = "wasm32"))]

use std::borrow::Cow;
use std::collections::BTreeMap;

use jobscope::codec::json::{FromJson, JsonError, JsonErrorKind, JsonKind, Number, Reader};
use proptest::prelude::*;
use proptest::sample::Index;
use serde::de::IgnoredAny;
use serde_json::Value;

// ---------------------------------------------------------------------------------------------------------------
// Running both sides
// ---------------------------------------------------------------------------------------------------------------

/// `cases` cases, and no regressions file: failures print their shrunk input.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// The reader's `skip` + `finish` over a whole text.
fn skip_all(text: &str) -> Result<(), JsonError> {
    let mut json = Reader::new(text);
    json.skip()?;
    json.finish()
}

/// The reader's `compact` + `finish` over a whole text.
fn compact_all(text: &str) -> Result<String, JsonError> {
    let mut json = Reader::new(text);
    let mut out = String::new();
    json.compact(&mut out)?;
    json.finish()?;
    Ok(out)
}

/// What became of a text: accepted, or refused as one of the three kinds of error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Accepted,
    Eof,
    Syntax,
    Data,
}

fn ours<T>(result: &Result<T, JsonError>) -> Verdict {
    match result {
        Ok(_) => Verdict::Accepted,
        Err(error) => {
            // The ways of asking agree with each other.
            assert_eq!(error.is_eof(), error.kind() == JsonErrorKind::Eof);
            assert_eq!(error.is_syntax(), error.kind() == JsonErrorKind::Syntax);
            assert_eq!(error.is_data(), error.kind() == JsonErrorKind::Data);
            match error.kind() {
                JsonErrorKind::Eof => Verdict::Eof,
                JsonErrorKind::Syntax => Verdict::Syntax,
                JsonErrorKind::Data => Verdict::Data,
            }
        }
    }
}

fn theirs<T>(result: &Result<T, serde_json::Error>) -> Verdict {
    use serde_json::error::Category;
    match result {
        Ok(_) => Verdict::Accepted,
        Err(error) => match error.classify() {
            // (is_eof, is_syntax and is_data are classify's three cases.)
            Category::Eof => Verdict::Eof,
            Category::Syntax => Verdict::Syntax,
            Category::Data => Verdict::Data,
            Category::Io => unreachable!("no I/O reading a &str"),
        },
    }
}

/// An error's full text (message, line, column), or "accepted".
fn message<T, E: std::fmt::Display>(result: &Result<T, E>) -> String {
    match result {
        Ok(_) => "accepted".to_owned(),
        Err(error) => error.to_string(),
    }
}

/// serde_json's message without its ` at line L column C`.
fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// The ways `IgnoredAny` (serde_json's skipping) is more lenient than reading a `Value`; the reader's `skip`
/// refuses these the way a `Value` (or a `String`, a number) does.
fn stricter_than_ignored_any(error: &JsonError) -> bool {
    [
        "lone leading surrogate in hex escape",
        "unexpected end of hex escape",
        "number out of range",
    ]
    .contains(&error.message())
}

/// serde_json refused a `Value` only for nesting too deep — which `skip`, like `IgnoredAny`, does not refuse.
fn too_deep(value: &Result<Value, serde_json::Error>) -> bool {
    value
        .as_ref()
        .is_err_and(|error| without_position(error) == "recursion limit exceeded")
}

/// serde_json (without its `float_roundtrip` feature) multiplies by powers of ten, so right at the overflow
/// threshold it can round either way: it calls `1.7976931348623158e308` (`f64::MAX`, correctly rounded) out of
/// range and reads `1.79769313486231581e308` (past the threshold: infinite, correctly rounded) as `f64::MAX`; the
/// reader rounds correctly. Numbers whose first 16 digits are `f64::MAX`'s are the one place the two legitimately
/// disagree on what to accept.
fn near_overflow(number: &str) -> bool {
    let unsigned = number.trim_start_matches('-');
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(e) => (
            &unsigned[..e],
            unsigned[e + 1..].parse::<i64>().unwrap_or(0),
        ),
        None => (unsigned, 0),
    };
    let (int, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{int}{fraction}");
    let significant = digits.trim_start_matches('0');
    // The value is 0.<significant> × 10^scale.
    let scale =
        (int.len() as i64 - (digits.len() - significant.len()) as i64).saturating_add(exponent);
    scale == 309 && significant.starts_with("1797693134862315")
}

/// Some run of number characters in the text is `near_overflow`.
fn mentions_near_overflow(text: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c)))
        .any(near_overflow)
}

/// The reader's `compact` and `skip` over a text accept it exactly when serde_json does (see the top of the file
/// for which serde_json), refuse it as the same kind of error, and — when `exact` — with the same message.
fn check_against_serde_json(text: &str, exact: bool) -> Result<(), TestCaseError> {
    if mentions_near_overflow(text) {
        return Ok(());
    }
    let value = serde_json::from_str::<Value>(text);
    let compact = compact_all(text);
    prop_assert_eq!(
        ours(&compact),
        theirs(&value),
        "compact and serde_json differ on {:?}: reader {:?}, serde_json {:?}",
        text,
        message(&compact),
        message(&value)
    );
    if exact {
        prop_assert_eq!(
            message(&compact),
            message(&value),
            "compact's message on {:?}",
            text
        );
    }
    if let (Ok(compact), Ok(value)) = (&compact, &value) {
        prop_assert_eq!(
            &serde_json::from_str::<Value>(compact).unwrap(),
            value,
            "{:?}",
            text
        );
    }

    let skip = skip_all(text);
    if too_deep(&value) {
        // Past the recursion limit skip reads on, as IgnoredAny does.
        let ignored = serde_json::from_str::<IgnoredAny>(text);
        prop_assert!(
            skip.is_ok() == ignored.is_ok() || skip.as_ref().is_err_and(stricter_than_ignored_any),
            "skip and IgnoredAny differ on deep {:?}: reader {:?}, serde_json {:?}",
            text,
            message(&skip),
            message(&ignored)
        );
    } else {
        prop_assert_eq!(ours(&skip), ours(&compact), "skip vs compact on {:?}", text);
        prop_assert_eq!(
            message(&skip),
            message(&compact),
            "skip vs compact on {:?}",
            text
        );
    }

    // Against serde_json's own skipping: the same texts, but for what a Value refuses and IgnoredAny lets through.
    let ignored = serde_json::from_str::<IgnoredAny>(text);
    match (&skip, &ignored) {
        (Ok(()), Err(error)) => {
            prop_assert!(
                false,
                "skip accepts {text:?}, IgnoredAny refuses it: {error}"
            )
        }
        (Err(error), Ok(_)) => prop_assert!(
            stricter_than_ignored_any(error),
            "IgnoredAny accepts {text:?}, skip refuses it: {error}"
        ),
        _ => {}
    }
    Ok(())
}

fn assert_agrees(text: &str) -> Result<(), TestCaseError> {
    check_against_serde_json(text, false)
}

fn assert_same_message(text: &str) -> Result<(), TestCaseError> {
    check_against_serde_json(text, true)
}

/// Reads one value through the typed API (peek, then the matching reader) into a `serde_json::Value`.
fn read_value(json: &mut Reader<'_>) -> Result<Value, JsonError> {
    Ok(match json.peek()? {
        JsonKind::Null => {
            assert!(json.null()?);
            Value::Null
        }
        JsonKind::Bool => Value::Bool(json.bool("a boolean")?),
        JsonKind::Number => {
            let number = json.number("a number")?;
            Value::Number(serde_json::from_str(number.text()).expect("a number serde_json reads"))
        }
        JsonKind::String => Value::String(json.string("a string")?.into_owned()),
        JsonKind::Array => {
            let mut elements = json.array("an array")?;
            let mut values = Vec::new();
            while elements.next(json)? {
                values.push(read_value(json)?);
            }
            Value::Array(values)
        }
        JsonKind::Object => {
            let mut members = json.object("an object")?;
            let mut map = serde_json::Map::new();
            while let Some(key) = members.next(json)? {
                let value = read_value(json)?;
                map.insert(key.into_owned(), value);
            }
            Value::Object(map)
        }
    })
}

// ---------------------------------------------------------------------------------------------------------------
// Generating JSON texts
// ---------------------------------------------------------------------------------------------------------------

/// A JSON value as it will be written: numbers as text, strings as characters each with how to write it.
#[derive(Debug, Clone)]
enum Json {
    Null,
    Bool(bool),
    Number(String),
    String(Vec<(char, u8)>),
    Array(Vec<Json>),
    Object(Vec<(Vec<(char, u8)>, Json)>),
}

const WHITESPACE: [&str; 8] = ["", "", "", " ", "\n", "\t", "\r\n", "  \n    "];

/// The whitespace to write at each place it may go, in turn (cycling).
struct Spaces {
    picks: Vec<usize>,
    next: usize,
}

impl Spaces {
    fn new(picks: Vec<usize>) -> Self {
        Spaces { picks, next: 0 }
    }
    fn none() -> Self {
        Spaces::new(vec![0])
    }
    fn push(&mut self, out: &mut String) {
        if self.picks.is_empty() {
            return;
        }
        out.push_str(WHITESPACE[self.picks[self.next % self.picks.len()] % WHITESPACE.len()]);
        self.next += 1;
    }
}

fn push_unit(out: &mut String, unit: u32, upper: bool) {
    if upper {
        out.push_str(&format!("\\u{unit:04X}"));
    } else {
        out.push_str(&format!("\\u{unit:04x}"));
    }
}

/// Writes a string, each character raw or escaped as its style byte says (characters that must be escaped always
/// are; astral characters escape as surrogate pairs).
fn render_string(chars: &[(char, u8)], out: &mut String) {
    out.push('"');
    for &(c, style) in chars {
        let must = c == '"' || c == '\\' || (c as u32) < 0x20;
        if !must && style % 3 != 0 {
            out.push(c);
            continue;
        }
        let short = match c {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '/' => Some("\\/"),
            '\u{8}' => Some("\\b"),
            '\u{c}' => Some("\\f"),
            '\n' => Some("\\n"),
            '\r' => Some("\\r"),
            '\t' => Some("\\t"),
            _ => None,
        };
        let upper = style & 4 != 0;
        match short {
            Some(short) if style & 8 == 0 => out.push_str(short),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    push_unit(out, u32::from(*unit), upper);
                }
            }
        }
    }
    out.push('"');
}

fn render(json: &Json, spaces: &mut Spaces, out: &mut String) {
    match json {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(text) => out.push_str(text),
        Json::String(chars) => render_string(chars, out),
        Json::Array(items) => {
            out.push('[');
            spaces.push(out);
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                    spaces.push(out);
                }
                render(item, spaces, out);
                spaces.push(out);
            }
            out.push(']');
        }
        Json::Object(members) => {
            out.push('{');
            spaces.push(out);
            for (i, (key, value)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                    spaces.push(out);
                }
                render_string(key, out);
                spaces.push(out);
                out.push(':');
                spaces.push(out);
                render(value, spaces, out);
                spaces.push(out);
            }
            out.push('}');
        }
    }
}

fn render_document(json: &Json, spaces: &mut Spaces) -> String {
    let mut out = String::new();
    spaces.push(&mut out);
    render(json, spaces, &mut out);
    spaces.push(&mut out);
    out
}

/// Characters for strings: plain ASCII, the ones with short escapes, every control character, and assorted
/// non-ASCII (two-, three- and four-byte, line separators, the BOM, private use, the last code points).
fn any_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => proptest::char::range(' ', '~'),
        2 => proptest::sample::select(vec!['"', '\\', '/', '\u{8}', '\u{c}', '\n', '\r', '\t']),
        1 => proptest::char::range('\0', '\u{1f}'),
        2 => proptest::sample::select(vec![
            '\u{7f}', 'é', 'ß', '中', '\u{2028}', '\u{2029}', '\u{feff}', '\u{e000}', '\u{fffd}', '\u{ffff}',
            '😹', '\u{10000}', '\u{10ffff}', '\u{d7ff}',
        ]),
        1 => any::<char>(),
    ]
}

fn string_chars() -> impl Strategy<Value = Vec<(char, u8)>> {
    prop::collection::vec((any_char(), any::<u8>()), 0..10)
}

/// Number texts serde_json accepts: integers at and around the i64/u64 limits, arbitrary integers and floats in
/// several spellings, and grammar-generated numbers that stay in range.
fn valid_number() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => proptest::sample::select(vec![
            "0", "-0", "1", "-1", "0.0", "-0.0", "9223372036854775807", "-9223372036854775808",
            "9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616",
            "1e308", "-1.7976931348623157e308", "5e-324", "1e-400", "0e0", "1E+2", "1e-2", "0.5e-0",
            "123456789012345678901234567890", "0.000000000000000000000000001",
        ])
        .prop_map(str::to_owned),
        2 => any::<i64>().prop_map(|n| n.to_string()),
        1 => any::<u64>().prop_map(|n| n.to_string()),
        2 => any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| serde_json::to_string(&f).unwrap()),
        1 => any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| format!("{f:e}")),
        1 => any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| format!("{f}")),
        2 => "-?(0|[1-9][0-9]{0,22})(\\.[0-9]{1,20})?([eE][+-]?[0-9]{1,2})?",
    ]
    .prop_filter("serde_json reads it", |text| serde_json::from_str::<Value>(text).is_ok())
}

fn json_value() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        1 => Just(Json::Null),
        1 => any::<bool>().prop_map(Json::Bool),
        3 => valid_number().prop_map(Json::Number),
        3 => string_chars().prop_map(Json::String),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Json::Array),
            prop::collection::vec((string_chars(), inner), 0..6).prop_map(Json::Object),
        ]
    })
}

fn spaces() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0..WHITESPACE.len(), 0..24)
}

fn json_text() -> impl Strategy<Value = String> {
    (json_value(), spaces())
        .prop_map(|(json, picks)| render_document(&json, &mut Spaces::new(picks)))
}

/// One change to a JSON text (positions are taken modulo its length in characters).
#[derive(Debug, Clone)]
enum Mutation {
    Truncate(Index),
    Insert(Index, char),
    InsertText(Index, &'static str),
    Remove(Index),
    /// Removes one of the text's quotes, commas, colons or brackets.
    RemoveStructural(Index),
    Replace(Index, char),
    /// Copies a slice of the text to another place.
    Duplicate(Index, Index, Index),
}

fn interesting_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => proptest::sample::select(vec![
            '"', ',', ':', '[', ']', '{', '}', '\\', '/', 'u', '0', '1', '9', '-', '+', '.', 'e', 'E', 'n', 't', 'f',
            'a', 'd', 'D', '8', ' ', '\n', '\r', '\t', '\0', '\u{1}', '\u{1f}', 'x', 'é', '😹', '\u{feff}',
        ]),
        1 => any::<char>(),
    ]
}

fn interesting_text() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(vec![
        "\\u",
        "\\ud800",
        "\\udc00",
        "\\uDBFF\\uDFFF",
        "\\ud83d\\ude39",
        "\\u00",
        "\\u12x4",
        "1e400",
        "-1e309",
        "1.7976931348623159e308",
        "-0",
        "true",
        "nul",
        "fals",
        "\"\"",
        "[]",
        "{}",
        ",",
        "\"a\":",
        "[[[[[[[[",
        "\"\\",
        "00",
        "1.",
        "1e+",
        "-",
    ])
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        2 => any::<Index>().prop_map(Mutation::Truncate),
        3 => (any::<Index>(), interesting_char()).prop_map(|(at, c)| Mutation::Insert(at, c)),
        2 => (any::<Index>(), interesting_text()).prop_map(|(at, s)| Mutation::InsertText(at, s)),
        2 => any::<Index>().prop_map(Mutation::Remove),
        3 => any::<Index>().prop_map(Mutation::RemoveStructural),
        2 => (any::<Index>(), interesting_char()).prop_map(|(at, c)| Mutation::Replace(at, c)),
        1 => (any::<Index>(), any::<Index>(), any::<Index>()).prop_map(|(a, b, c)| Mutation::Duplicate(a, b, c)),
    ]
}

fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for mutation in mutations {
        let len = chars.len();
        match mutation {
            Mutation::Truncate(at) => chars.truncate(at.index(len + 1)),
            Mutation::Insert(at, c) => chars.insert(at.index(len + 1), *c),
            Mutation::InsertText(at, s) => {
                let at = at.index(len + 1);
                chars.splice(at..at, s.chars());
            }
            Mutation::Remove(at) if len > 0 => {
                chars.remove(at.index(len));
            }
            Mutation::RemoveStructural(at) => {
                let places: Vec<usize> = (0..len)
                    .filter(|&i| "\",:[]{}".contains(chars[i]))
                    .collect();
                if !places.is_empty() {
                    chars.remove(places[at.index(places.len())]);
                }
            }
            Mutation::Replace(at, c) if len > 0 => chars[at.index(len)] = *c,
            Mutation::Duplicate(from, span, to) if len > 0 => {
                let from = from.index(len);
                let end = from + span.index(len - from) + 1;
                let piece: Vec<char> = chars[from..end].to_vec();
                let to = to.index(len + 1);
                chars.splice(to..to, piece);
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

fn mutated_text() -> impl Strategy<Value = String> {
    (json_text(), prop::collection::vec(mutation(), 1..4))
        .prop_map(|(text, mutations)| mutate(&text, &mutations))
}

/// A number in the JSON grammar, in range or not (exponents up to four digits, long mantissas, values near the
/// overflow threshold).
fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "-?(0|[1-9][0-9]{0,30})(\\.[0-9]{1,30})?([eE][+-]?[0-9]{1,4})?",
        1 => "-?1\\.797693134862315[0-9]{0,8}e308",
        1 => "-?17976931348623157[0-9]{0,4}e29[0-9]",
        1 => "-?[0-9]\\.[0-9]{1,20}e-3[0-3][0-9]",
        1 => "-?[1-9][0-9]{300,320}(\\.[0-9]{0,3})?",
    ]
}

// ---------------------------------------------------------------------------------------------------------------
// Valid JSON: compact, skip, the typed API
// ---------------------------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(512))]

    /// Any valid text with any whitespace: compact gives the same value (numbers as written, so the very same
    /// numbers), compacts to itself, and skip + finish accept it as serde_json does.
    #[test]
    fn compact_keeps_the_value(json in json_value(), picks in spaces()) {
        let text = render_document(&json, &mut Spaces::new(picks));
        let expected = serde_json::from_str::<Value>(&text);
        prop_assert!(expected.is_ok(), "the generator wrote invalid JSON {:?}: {:?}", text, expected);
        let expected = expected.unwrap();

        let compact = compact_all(&text);
        prop_assert!(compact.is_ok(), "compact refuses {:?}: {}", text, message(&compact));
        let compact = compact.unwrap();
        prop_assert_eq!(&serde_json::from_str::<Value>(&compact).unwrap(), &expected, "{:?} -> {:?}", text, compact);
        prop_assert_eq!(compact_all(&compact).unwrap(), compact.clone());
        // Compact means compact: written the same without whitespace, it is the same text.
        let tight = render_document(&json, &mut Spaces::none());
        prop_assert_eq!(compact_all(&tight).unwrap(), compact);

        prop_assert!(skip_all(&text).is_ok());
        prop_assert!(serde_json::from_str::<IgnoredAny>(&text).is_ok());

        // The typed API reads the same value.
        let mut reader = Reader::new(&text);
        let read = read_value(&mut reader).and_then(|value| reader.finish().map(|()| value));
        prop_assert_eq!(read.unwrap(), expected);
    }

    /// Compacting serde_json's pretty output gives serde_json's compact output, byte for byte.
    #[test]
    fn compact_of_pretty_is_serde_jsons_compact(json in json_value()) {
        let text = render_document(&json, &mut Spaces::none());
        let value: Value = serde_json::from_str(&text).unwrap();
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        prop_assert_eq!(compact_all(&pretty).unwrap(), serde_json::to_string(&value).unwrap());
    }

    /// Every prefix of a valid text: refused as the end of the text (or accepted, for a bare number cut short)
    /// exactly as serde_json does, with the same message.
    #[test]
    fn every_truncation_agrees(text in json_text()) {
        for (at, _) in text.char_indices() {
            assert_same_message(&text[..at])?;
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Broken JSON: acceptance, classification, messages
// ---------------------------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(2048))]

    /// Mutated JSON: the reader accepts exactly what serde_json accepts, and refuses the rest as the same kind of
    /// error (end of text vs syntax).
    #[test]
    fn mutations_accept_and_classify_as_serde_json(text in mutated_text()) {
        assert_agrees(&text)?;
    }

    /// ... and with the very same message, line and column.
    #[test]
    fn mutations_word_errors_as_serde_json(text in mutated_text()) {
        assert_same_message(&text)?;
    }

    /// Numbers of every shape, in range and out: the same verdict and message, and `Number`'s accessors.
    #[test]
    fn numbers_agree_with_serde_json(text in number_text(), before in 0..3usize, after in 0..3usize) {
        let padded = format!("{}{text}{}", " ".repeat(before), "\n".repeat(after));
        assert_same_message(&padded)?;
        let mut json = Reader::new(&padded);
        if let Ok(number) = json.number("a number") {
            prop_assert_eq!(number.text(), text.as_str());
            check_number(&number)?;
        }
    }
}

/// `Number`'s accessors against the standard library's parsers (which round correctly) and serde_json's `Value`.
fn check_number(number: &Number<'_>) -> Result<(), TestCaseError> {
    let text = number.text();
    let whole = !text.contains(['.', 'e', 'E']);
    prop_assert_eq!(number.is_whole(), whole, "is_whole of {}", text);
    prop_assert_eq!(
        number.to_i64(),
        if whole { text.parse().ok() } else { None },
        "to_i64 of {}",
        text
    );
    prop_assert_eq!(
        number.to_u64(),
        if whole { text.parse().ok() } else { None },
        "to_u64 of {}",
        text
    );
    let f = number.to_f64();
    prop_assert!(f.is_finite(), "to_f64 of {} is {}", text, f);
    prop_assert_eq!(
        f.to_bits(),
        text.parse::<f64>().unwrap().to_bits(),
        "to_f64 of {}",
        text
    );
    // serde_json agrees on the integers (it reads `-0` as the float -0.0, the reader as a whole number).
    if let Ok(Value::Number(theirs)) = serde_json::from_str::<Value>(text)
        && text != "-0"
    {
        prop_assert_eq!(number.to_i64(), theirs.as_i64(), "to_i64 of {}", text);
        prop_assert_eq!(number.to_u64(), theirs.as_u64(), "to_u64 of {}", text);
    }
    Ok(())
}

/// Hand-written cases: the reader's message is serde_json's, word for word, with the same line and column.
#[test]
fn messages_match_serde_json() {
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    let deep_objects = |n: usize| format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
    let cases: Vec<String> = [
        // Nothing, or not JSON at all.
        "",
        " ",
        "\n\n",
        "<html>",
        "<html><body>502 Bad Gateway</body></html>",
        "\u{feff}{}",
        "\u{1}",
        "]",
        "}",
        ":",
        ",",
        "'a'",
        "NaN",
        "Infinity",
        "-Infinity",
        "undefined",
        "None",
        // Objects.
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{1:2}",
        "{\"a\":1 \"b\":2}",
        "{\"a\":1,\"b\"}",
        "{,}",
        "{\"a\"}",
        "{\"a\":}",
        "{\"a\"::1}",
        "{\"a\":1}}",
        "{\"a\":1]",
        "{'a':1}",
        "{a:1}",
        "{",
        "{\"a\":",
        "{\"a\"",
        "{\"a",
        "{\"a\":1",
        "{\"a\":1,",
        "{\"a\":1, ",
        "{\"a\":1,\n",
        "{\"a\":1,\"",
        "{\"a\":{\"b\":[1,{\"c\":",
        // Arrays.
        "[1,]",
        "[1 2]",
        "[,]",
        "[1,,2]",
        "[1}",
        "[",
        "[1",
        "[1,",
        "[1, ",
        "[1,\n",
        "[[]",
        "[[],",
        "[1]]",
        // Strings.
        "\"abc",
        "\"\\x\"",
        "\"\\ud800\"",
        "\"\\ud800\\u0041\"",
        "\"\\udc00\"",
        "\"\\udfff\"",
        "\"\\ud800\\ud800\"",
        "\"\\ud800\\ud800\\udc00\"",
        "\"\\ud800x\"",
        "\"\\ud800\\n\"",
        "\"\\ud800\\\"\"",
        "\"\\ud800\\",
        "\"\\ud800\\u",
        "\"\\ud800\\udc0",
        "\"\\ud800 \"",
        "\"\\ud800x",
        "[\"\\ud800\"]",
        "\"\\u12\"",
        "\"\\u12x4\"",
        "\"\\uZ\"",
        "\"\\u12",
        "\"\\u",
        "\"\\",
        "\"a\u{1}b\"",
        "\"\u{0}\"",
        "\"\u{1f}\"",
        "\"tab\there\"",
        "\"line\nbreak\"",
        "\"\\u00e9\"",
        "\"\\uD83D\\uDE00\"",
        "\"a\\/b\"",
        // Numbers.
        "01",
        "-01",
        "00",
        "-",
        "-x",
        "- 1",
        "+1",
        ".5",
        "1.",
        "1.x",
        "1.e3",
        "1e",
        "1e+",
        "1e-",
        "1ex",
        "1e+x",
        "1E400",
        "1e400",
        "-1e400",
        "1e309",
        "1e-400",
        "0x10",
        "1_000",
        "[-]",
        "[1.]",
        "[1e]",
        "[-",
        "[1.",
        "[1e",
        "[1e+",
        "1e9223372036854775807",
        "1e4009223372036854775807",
        "0e4009223372036854775807",
        "1e-4009223372036854775807",
        "-0.1e2147483648",
        "12345678901234567890123456789",
        "-12345678901234567890123456789",
        // Literals.
        "tru",
        "nul",
        "fals",
        "t",
        "n",
        "f",
        "trux",
        "nulx",
        "True",
        "NULL",
        "true false",
        "truefalse",
        // Trailing text and whitespace.
        "1 2",
        "1 \n\t ",
        "\r\n  \n x",
        "[1]x",
        "{} {}",
        "\"a\" \"b\"",
        "null,",
        "1\u{0}",
        // Lines and columns.
        "{\n  \"a\": 1,\n  \"b\": [1, 2,]\n}",
        "[\n1,\n2\n",
        "{\n\"a\"\n:\n}",
        "\n\n\n   x",
        "[\r\n 1 2]",
        "{\n  \"key\": \"value with é and 😹\" x\n}",
        "[\"é\", \"😹\" 1]",
    ]
    .into_iter()
    .map(str::to_owned)
    .chain([
        deep(127),
        deep(128),
        deep(129),
        deep(1000),
        "[".repeat(128),
        "[".repeat(129),
        format!("{}1,]{}", "[".repeat(200), "]".repeat(199)),
        deep_objects(127),
        deep_objects(128),
    ])
    .collect();
    let mut wrong = Vec::new();
    for text in &cases {
        let value = serde_json::from_str::<Value>(text);
        let theirs = message(&value);
        let compact = message(&compact_all(text));
        let skip = message(&skip_all(text));
        // skip goes past the recursion limit, as IgnoredAny does.
        // (IgnoredAny words some errors its own way, so there only acceptance counts.)
        let (skip, theirs_skip) = if too_deep(&value) {
            let verdict = |accepted: bool| if accepted { "accepted" } else { "refused" }.to_owned();
            (
                verdict(skip == "accepted"),
                verdict(serde_json::from_str::<IgnoredAny>(text).is_ok()),
            )
        } else {
            (skip, theirs.clone())
        };
        if compact != theirs || skip != theirs_skip {
            let shown = if text.len() > 60 {
                format!("{:?}…", &text[..60])
            } else {
                format!("{text:?}")
            };
            let mut lines = format!("{shown}\n    compact:    {compact}\n    serde_json: {theirs}");
            if skip != theirs_skip {
                lines.push_str(&format!(
                    "\n    skip:       {skip}\n    serde_json: {theirs_skip}"
                ));
            }
            wrong.push(lines);
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} messages differ:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

/// Errors carry their line and column (1-based lines, byte columns as serde_json counts them), and their kind.
#[test]
fn positions_and_kinds() {
    let text = "{\n  \"a\": [1, 2],\n  \"b\": tru";
    let error = skip_all(text).unwrap_err();
    let serde = serde_json::from_str::<Value>(text).unwrap_err();
    assert_eq!(error.position(), (serde.line(), serde.column()));
    assert_eq!(error.position(), (3, 10));
    assert_eq!(error.message(), "EOF while parsing a value");
    assert_eq!(error.kind(), JsonErrorKind::Eof);
    assert!(error.is_eof() && !error.is_syntax() && !error.is_data());
    assert!(serde.is_eof() && !serde.is_syntax() && !serde.is_data());

    let text = "[\n  1,\n  2 3\n]";
    let error = skip_all(text).unwrap_err();
    assert_eq!(error.to_string(), "expected `,` or `]` at line 3 column 5");
    assert_eq!(error.kind(), JsonErrorKind::Syntax);
    assert!(!error.is_eof() && error.is_syntax() && !error.is_data());

    // Columns count bytes, as serde_json's do.
    let text = "[\"é😹\" x]";
    let error = skip_all(text).unwrap_err();
    let serde = serde_json::from_str::<Value>(text).unwrap_err();
    assert_eq!(error.position(), (serde.line(), serde.column()));
    assert_eq!(error.position(), (1, 11));

    let mut json = Reader::new("{\n  \"a\":\n    5\n}");
    json.object("a map").unwrap().next(&mut json).unwrap();
    let error = json.string("a string").unwrap_err();
    assert_eq!(error.kind(), JsonErrorKind::Data);
    assert!(!error.is_eof() && !error.is_syntax() && error.is_data());
    assert_eq!(
        error.to_string(),
        "invalid type: integer `5`, expected a string at line 3 column 5"
    );
}

/// A decoder over a multi-line body reports a wrong type where serde_json's derived deserializer does.
#[test]
fn typed_errors_in_a_multi_line_body_are_where_serde_json_puts_them() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Body {
        #[serde(default)]
        a: Option<String>,
        #[serde(default)]
        b: Option<bool>,
        #[serde(default)]
        c: Option<u64>,
    }
    for text in [
        "{\n  \"a\": 5\n}",
        "{\n  \"a\": \"x\",\n  \"b\":\n    \"yes\"\n}",
        "{\n\n  \"c\": 1.5 }",
        "{\r\n  \"b\": null,\r\n  \"a\": false\r\n}",
        "{\"a\": \"é\",\n \"b\": \"😹\"}",
    ] {
        let theirs = serde_json::from_str::<Body>(text).unwrap_err();
        let mut json = Reader::new(text);
        let mut members = json.object("struct Body").unwrap();
        let ours = loop {
            let key = members
                .next(&mut json)
                .unwrap()
                .expect("an error before the end");
            let result = match json.null() {
                Ok(true) => Ok(()),
                Err(error) => Err(error),
                Ok(false) => match &*key {
                    "a" => json.string("a string").map(drop),
                    "b" => json.bool("a boolean").map(drop),
                    "c" => json.number("u64").and_then(|n| {
                        n.to_u64().map(drop).ok_or_else(|| {
                            json.data_error(format!(
                                "invalid type: floating point `{}`, expected u64",
                                n.text()
                            ))
                        })
                    }),
                    _ => unreachable!(),
                },
            };
            if let Err(error) = result {
                break error;
            }
        };
        assert_eq!(ours.to_string(), theirs.to_string(), "{text:?}");
        assert_eq!(
            ours.position(),
            (theirs.line(), theirs.column()),
            "{text:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The typed readers
// ---------------------------------------------------------------------------------------------------------------

/// Which typed reader, with the `expected` serde_json's deserializer of the matching Rust type names.
#[derive(Debug, Clone, Copy)]
enum Typed {
    String,
    Number,
    Bool,
    Object,
    Array,
}

const TYPED: [Typed; 5] = [
    Typed::String,
    Typed::Number,
    Typed::Bool,
    Typed::Object,
    Typed::Array,
];

/// The reader's result (the value as text, for comparing) and serde_json's for the same expected type. Scalars are
/// read as a whole text (then `finish`), containers only opened.
fn typed(
    text: &str,
    which: Typed,
) -> (Result<String, JsonError>, Result<String, serde_json::Error>) {
    let mut json = Reader::new(text);
    let whole = |json: &mut Reader<'_>, value: Result<String, JsonError>| {
        let value = value?;
        json.finish()?;
        Ok(value)
    };
    match which {
        Typed::String => (
            {
                let value = json.string("a string").map(|s| s.into_owned());
                whole(&mut json, value)
            },
            serde_json::from_str::<String>(text),
        ),
        Typed::Number => (
            {
                let value = json.number("f64").map(|n| n.to_f64().to_string());
                whole(&mut json, value)
            },
            serde_json::from_str::<f64>(text).map(|f| f.to_string()),
        ),
        Typed::Bool => (
            {
                let value = json.bool("a boolean").map(|b| b.to_string());
                whole(&mut json, value)
            },
            serde_json::from_str::<bool>(text).map(|b| b.to_string()),
        ),
        Typed::Object => (
            json.object("a map").map(|_| "{".to_owned()),
            serde_json::from_str::<BTreeMap<String, IgnoredAny>>(text).map(|_| "{".to_owned()),
        ),
        Typed::Array => (
            json.array("a sequence").map(|_| "[".to_owned()),
            serde_json::from_str::<Vec<IgnoredAny>>(text).map(|_| "[".to_owned()),
        ),
    }
}

/// Each typed reader on each JSON type: the value, or serde's `invalid type: <got>, expected <what>`.
#[test]
fn typed_readers_on_each_type() {
    let wording = [
        ("5", "integer `5`"),
        ("-5", "integer `-5`"),
        ("1.5", "floating point `1.5`"),
        ("-0.25", "floating point `-0.25`"),
        ("true", "boolean `true`"),
        ("false", "boolean `false`"),
        ("\"x\"", "string \"x\""),
        ("\"\"", "string \"\""),
        (
            "\"a \\\"b\\\" \\\\ \\n\\t\\r \\u0001 é😹\"",
            "string \"a \\\"b\\\" \\\\ \\n\\t\\r \\u{1} é😹\"",
        ),
        ("null", "null"),
        ("[1]", "sequence"),
        ("[]", "sequence"),
        ("{\"a\":1}", "map"),
        ("{}", "map"),
    ];
    for (text, got) in wording {
        for which in TYPED {
            let (ours, theirs) = typed(text, which);
            match (&ours, &theirs) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{which:?} of {text}"),
                (Err(ours), Err(theirs)) => {
                    assert_eq!(
                        ours.kind(),
                        JsonErrorKind::Data,
                        "{which:?} of {text}: {ours}"
                    );
                    assert_eq!(
                        ours.message(),
                        without_position(theirs),
                        "{which:?} of {text}"
                    );
                    assert!(
                        ours.message()
                            .starts_with(&format!("invalid type: {got}, expected ")),
                        "{ours}"
                    );
                }
                _ => panic!(
                    "{which:?} of {text}: reader {:?}, serde_json {:?}",
                    message(&ours),
                    message(&theirs)
                ),
            }
        }
    }
    // The exact wording, once per shape.
    let error = |text: &str, which| typed(text, which).0.unwrap_err().to_string();
    assert_eq!(
        error("5", Typed::String),
        "invalid type: integer `5`, expected a string at line 1 column 1"
    );
    assert_eq!(
        error("1.5", Typed::Bool),
        "invalid type: floating point `1.5`, expected a boolean at line 1 column 3"
    );
    assert_eq!(
        error("true", Typed::Number),
        "invalid type: boolean `true`, expected f64 at line 1 column 4"
    );
    assert_eq!(
        error("\"x\"", Typed::Array),
        "invalid type: string \"x\", expected a sequence at line 1 column 3"
    );
    assert_eq!(
        error("null", Typed::Object),
        "invalid type: null, expected a map at line 1 column 4"
    );
    assert!(
        error("[1]", Typed::String)
            .starts_with("invalid type: sequence, expected a string at line 1 column ")
    );
    assert!(
        error("{}", Typed::Number).starts_with("invalid type: map, expected f64 at line 1 column ")
    );

    // Values.
    let mut json = Reader::new(" [\"x\", 7, -1.5e3, true, false, null, {\"k\": []}] ");
    let mut elements = json.array("a sequence").unwrap();
    assert!(elements.next(&mut json).unwrap());
    assert_eq!(json.string("a string").unwrap(), "x");
    assert!(elements.next(&mut json).unwrap());
    assert_eq!(json.number("a number").unwrap().to_u64(), Some(7));
    assert!(elements.next(&mut json).unwrap());
    assert_eq!(json.number("a number").unwrap().to_f64(), -1500.0);
    assert!(elements.next(&mut json).unwrap());
    assert!(json.bool("a boolean").unwrap());
    assert!(elements.next(&mut json).unwrap());
    assert!(!json.bool("a boolean").unwrap());
    assert!(elements.next(&mut json).unwrap());
    assert_eq!(json.peek().unwrap(), JsonKind::Null);
    assert!(json.null().unwrap());
    assert!(elements.next(&mut json).unwrap());
    let mut members = json.object("a map").unwrap();
    assert_eq!(members.next(&mut json).unwrap().as_deref(), Some("k"));
    let mut inner = json.array("a sequence").unwrap();
    assert!(!inner.next(&mut json).unwrap());
    assert_eq!(members.next(&mut json).unwrap(), None);
    assert!(!elements.next(&mut json).unwrap());
    json.finish().unwrap();
}

/// `null` reads a null and says so; on anything else it reads nothing and says no.
#[test]
fn null_reads_only_null() {
    for text in ["5", "1.5", "true", "\"x\"", "[1]", "{}"] {
        let mut json = Reader::new(text);
        assert_eq!(json.null(), Ok(false), "{text}");
        json.skip().unwrap();
        json.finish().unwrap();
    }
    let mut json = Reader::new("  null ");
    assert_eq!(json.null(), Ok(true));
    json.finish().unwrap();
    // Its syntax errors are serde_json's for `()`.
    for text in ["nul", "nulL", "", "  "] {
        let ours = Reader::new(text).null().unwrap_err();
        let theirs = serde_json::from_str::<()>(text).unwrap_err();
        assert_eq!(ours.to_string(), theirs.to_string(), "{text:?}");
    }
}

/// A wrong type where a container was expected, nested in an object: the position serde_json gives.
#[test]
fn invalid_type_positions_match_serde_json() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Body {
        a: String,
    }
    for value in [
        "5",
        "1.5",
        "true",
        "null",
        "[1, 2]",
        "{\"b\": 1}",
        "[]",
        "{}",
    ] {
        let text = format!("{{\n  \"a\": {value}\n}}");
        let theirs = serde_json::from_str::<Body>(&text).unwrap_err();
        let mut json = Reader::new(&text);
        json.object("struct Body").unwrap().next(&mut json).unwrap();
        let ours = json.string("a string").unwrap_err();
        assert_eq!(ours.to_string(), theirs.to_string(), "{text:?}");
    }
}

/// Strings in the wording test stay to characters whose `Debug` (serde's `string "…"`) the reader's quoting
/// matches: everything but NUL and the characters `Debug` escapes as not printable or combining.
fn worded_char() -> impl Strategy<Value = char> {
    prop_oneof![
        6 => proptest::char::range(' ', '~'),
        2 => proptest::char::range('\u{1}', '\u{1f}'),
        2 => proptest::sample::select(vec!['"', '\\', '\u{7f}', 'é', 'ß', '中', '€', '😹', '\u{10000}']),
    ]
}

/// Plain decimals with a fraction, as serde_json writes them, and short enough that it reads them back exactly
/// (its float parsing is not correctly rounded for long ones: `999694087324534.5` reads as `…534.4`).
fn plain_float() -> impl Strategy<Value = String> {
    (any::<bool>(), 0..1_000_000u32, 1..10_000u32)
        .prop_filter("no trailing zero", |(_, _, fraction)| fraction % 10 != 0)
        .prop_map(|(negative, int, fraction)| {
            format!("{}{int}.{fraction}", if negative { "-" } else { "" })
        })
}

/// Values whose `<got>` serde_json and the reader word alike: integers in range, plain floats, strings of
/// `worded_char`s, and the rest.
fn worded_value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        plain_float(),
        prop::collection::vec((worded_char(), any::<u8>()), 0..8).prop_map(|chars| {
            let mut out = String::new();
            render_string(&chars, &mut out);
            out
        }),
        any::<bool>().prop_map(|b| b.to_string()),
        Just("null".to_owned()),
    ]
}

proptest! {
    #![proptest_config(config(512))]

    /// Each typed reader on any scalar: the same value, or serde_json's message word for word, position included.
    #[test]
    fn typed_readers_agree_with_serde_json(value in worded_value(), before in 0..3usize) {
        let text = format!("{}{value}", "\n ".repeat(before));
        for which in TYPED {
            let (reader, serde) = typed(&text, which);
            prop_assert_eq!(message(&reader), message(&serde), "{:?} of {:?}", which, text);
            if let (Ok(a), Ok(b)) = (&reader, &serde) {
                prop_assert_eq!(a, b);
            }
            prop_assert_eq!(ours(&reader), theirs(&serde));
        }
    }

    /// Typed readers on broken text: the syntax error serde_json gives for the same expected type.
    #[test]
    fn typed_readers_on_broken_text(text in mutated_text()) {
        for which in [Typed::String, Typed::Number, Typed::Bool] {
            let (ours, theirs) = typed(&text, which);
            // Only the first value counts here, as a decoder reads one field: compare when serde_json stopped in
            // it (a syntax error, or a type error for a scalar; `finish` is not called).
            if let Err(theirs) = &theirs
                && (theirs.is_syntax() || theirs.is_eof())
            {
                prop_assert_eq!(message(&ours), theirs.to_string(), "{:?} of {:?}", which, text);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Numbers and strings
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn number_accessors_on_edge_values() {
    #[allow(clippy::type_complexity)]
    let cases: [(&str, bool, Option<i64>, Option<u64>, f64); 24] = [
        ("0", true, Some(0), Some(0), 0.0),
        ("-0", true, Some(0), None, -0.0),
        ("1", true, Some(1), Some(1), 1.0),
        ("-1", true, Some(-1), None, -1.0),
        (
            "9223372036854775807",
            true,
            Some(i64::MAX),
            Some(i64::MAX as u64),
            9.223372036854776e18,
        ),
        (
            "-9223372036854775808",
            true,
            Some(i64::MIN),
            None,
            -9.223372036854776e18,
        ),
        (
            "9223372036854775808",
            true,
            None,
            Some(1 << 63),
            9.223372036854776e18,
        ),
        (
            "-9223372036854775809",
            true,
            None,
            None,
            -9.223372036854776e18,
        ),
        (
            "18446744073709551615",
            true,
            None,
            Some(u64::MAX),
            1.8446744073709552e19,
        ),
        (
            "18446744073709551616",
            true,
            None,
            None,
            1.8446744073709552e19,
        ),
        (
            "123456789012345678901234567890",
            true,
            None,
            None,
            1.2345678901234568e29,
        ),
        ("1.0", false, None, None, 1.0),
        ("-0.0", false, None, None, -0.0),
        ("1e0", false, None, None, 1.0),
        ("1E+2", false, None, None, 100.0),
        ("1e-2", false, None, None, 0.01),
        ("0.1", false, None, None, 0.1),
        ("1567701875.743", false, None, None, 1567701875.743),
        ("1.7976931348623157e308", false, None, None, f64::MAX),
        ("-1.7976931348623157e308", false, None, None, f64::MIN),
        ("5e-324", false, None, None, 5e-324),
        (
            "2.2250738585072014e-308",
            false,
            None,
            None,
            f64::MIN_POSITIVE,
        ),
        ("1e-400", false, None, None, 0.0),
        ("-1e-400", false, None, None, -0.0),
    ];
    for (text, whole, i, u, f) in cases {
        let wrapped = format!("[{text}]");
        let mut json = Reader::new(&wrapped);
        let mut elements = json.array("a sequence").unwrap();
        assert!(elements.next(&mut json).unwrap());
        let number = json.number("a number").unwrap();
        assert_eq!(number.text(), text);
        assert_eq!(number.is_whole(), whole, "is_whole {text}");
        assert_eq!(number.to_i64(), i, "to_i64 {text}");
        assert_eq!(number.to_u64(), u, "to_u64 {text}");
        assert_eq!(number.to_f64().to_bits(), f.to_bits(), "to_f64 {text}");
        assert!(!elements.next(&mut json).unwrap());
        json.finish().unwrap();
        check_number(&number).unwrap();
    }
}

/// Strings (and keys) without escapes are borrowed from the text; with escapes, owned and unescaped.
#[test]
fn strings_borrow_when_they_can() {
    let text = r#"{"plain": "héllo 😹", "esc\u00e9": "a\"b\\c\/d\n\u0041\ud83d\ude39", "": ""}"#;
    let mut json = Reader::new(text);
    let mut members = json.object("a map").unwrap();

    let key = members.next(&mut json).unwrap().unwrap();
    assert!(matches!(key, Cow::Borrowed("plain")), "{key:?}");
    let value = json.string("a string").unwrap();
    assert!(matches!(value, Cow::Borrowed("héllo 😹")), "{value:?}");
    // Borrowed from the text itself, not copied.
    let Cow::Borrowed(borrowed) = value else {
        unreachable!()
    };
    assert!(text.as_bytes().as_ptr_range().contains(&borrowed.as_ptr()));

    let key = members.next(&mut json).unwrap().unwrap();
    assert!(matches!(&key, Cow::Owned(key) if key == "escé"), "{key:?}");
    let value = json.string("a string").unwrap();
    assert!(
        matches!(&value, Cow::Owned(value) if value == "a\"b\\c/d\nA😹"),
        "{value:?}"
    );

    let key = members.next(&mut json).unwrap().unwrap();
    assert!(matches!(key, Cow::Borrowed("")));
    assert!(matches!(
        json.string("a string").unwrap(),
        Cow::Borrowed("")
    ));
    assert_eq!(members.next(&mut json).unwrap(), None);
    json.finish().unwrap();
}

proptest! {
    #![proptest_config(config(512))]

    /// Any string, written any way: the reader's value is serde_json's, borrowed exactly when written without
    /// escapes.
    #[test]
    fn strings_read_as_serde_json_reads_them(chars in string_chars()) {
        let mut text = String::new();
        render_string(&chars, &mut text);
        let theirs: String = serde_json::from_str(&text).unwrap();
        let ours = Reader::new(&text).string("a string").unwrap();
        prop_assert_eq!(&*ours, theirs.as_str());
        prop_assert_eq!(matches!(ours, Cow::Borrowed(_)), !text.contains('\\'), "{:?}", text);
    }
}

/// A string cut off at the end of the text, among escapes: the pieces a truncated `\u` escape is made of.
fn escape_tail() -> impl Strategy<Value = String> {
    let piece = proptest::sample::select(vec![
        "\\", "u", "d", "8", "0", "D", "c", "f", "F", "A", "4", "1", "\"", "x", "n", " ", "é", "]",
        "\\u", "\\ud800", "\\udc00",
    ]);
    (prop::collection::vec(piece, 0..7), any::<bool>()).prop_map(|(pieces, in_array)| {
        let text = format!("\"{}", pieces.concat());
        if in_array { format!("[{text}") } else { text }
    })
}

proptest! {
    #![proptest_config(config(1024))]

    /// Escapes at the end of the text: accepted and refused as serde_json does, as the same kind of error.
    #[test]
    fn escape_tails_accept_and_classify_as_serde_json(text in escape_tail()) {
        assert_agrees(&text)?;
    }

    /// `i64` (and `FromJson for i64`): the value serde_json reads, or its message, for integers in range and
    /// plain floats.
    #[test]
    fn i64_agrees_with_serde_json(text in prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        plain_float(),
    ]) {
        let ours = i64::from_json(&text);
        let theirs = serde_json::from_str::<i64>(&text);
        prop_assert_eq!(message(&ours), message(&theirs));
        prop_assert_eq!(ours.ok(), theirs.ok());
    }
}

#[test]
fn i64_on_edge_values() {
    for text in [
        "0",
        "-1",
        "9223372036854775807",
        "-9223372036854775808",
        "9223372036854775808",
        "1.5",
        "true",
    ] {
        let ours = Reader::new(text).i64();
        let theirs = serde_json::from_str::<i64>(text);
        assert_eq!(message(&ours), message(&theirs), "{text}");
    }
    assert_eq!(
        i64::from_json("9223372036854775808")
            .unwrap_err()
            .to_string(),
        "invalid value: integer `9223372036854775808`, expected i64 at line 1 column 19"
    );
}

/// `FromJson` for the standard shapes reads what serde_json reads, and refuses with its messages.
#[test]
fn from_json_agrees_with_serde_json() {
    for text in [
        "null",
        "\"a\"",
        "[]",
        "[\"a\", \"b\"]",
        "[\"a\", 1]",
        "[\"a\",]",
        "[\"a\"",
        "5",
        "{}",
        "[null, \"a\"]",
        " [ \"a\" ] ",
        "[\"a\"] x",
        "[[\"a\"]]",
    ] {
        let ours = Vec::<String>::from_json(text);
        let theirs = serde_json::from_str::<Vec<String>>(text);
        assert_eq!(message(&ours), message(&theirs), "Vec<String> of {text}");
        assert_eq!(ours.ok(), theirs.ok());

        let ours = Option::<Vec<Option<String>>>::from_json(text);
        let theirs = serde_json::from_str::<Option<Vec<Option<String>>>>(text);
        assert_eq!(
            message(&ours),
            message(&theirs),
            "Option<Vec<Option<String>>> of {text}"
        );
        assert_eq!(ours.ok(), theirs.ok());
    }
}

/// `members` hands each key to the closure, which reads the values it knows; the rest are skipped.
#[test]
fn members_reads_known_keys_and_skips_the_rest() {
    let text = r#"{"a": "x", "skip": {"deep": [1, {"b": 2}]}, "b": 7, "a": "y", "c": [true]}"#;
    let mut json = Reader::new(text);
    let mut seen = Vec::new();
    json.members("a map", |json, key| {
        Ok(match key {
            "a" => {
                seen.push(json.string("a string")?.into_owned());
                true
            }
            "b" => {
                seen.push(json.i64()?.to_string());
                true
            }
            _ => false,
        })
    })
    .unwrap();
    json.finish().unwrap();
    assert_eq!(seen, ["x", "7", "y"]);

    let mut json = Reader::new(r#"{"a": 1, "b": [1,], "c": 2}"#);
    let error = json.members("a map", |_, _| Ok(false)).unwrap_err();
    assert_eq!(error.to_string(), "trailing comma at line 1 column 18");

    let mut json = Reader::new("[1, 2, 3]");
    assert_eq!(json.list("a sequence", Reader::i64).unwrap(), [1, 2, 3]);
    let error = Reader::new("[1, \"2\"]")
        .list("a sequence", Reader::i64)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        serde_json::from_str::<Vec<i64>>("[1, \"2\"]")
            .unwrap_err()
            .to_string()
    );
}

/// Where the reader words a value differently from serde_json — on purpose: it shows a number as it was written
/// (serde_json formats the `f64` it parsed, and reads `-0` and integers beyond `u64`/`i64` as floats), and quotes
/// a string with its own small escaper (serde_json uses `Debug`, which writes NUL as `\0` and escapes characters it
/// deems unprintable or combining). Only the value shown may differ: the rest of the message and the position agree.
#[test]
fn wording_differences_are_only_in_how_values_are_shown() {
    let cases = [
        // (text, reader's `<got>`, serde_json's `<got>`)
        ("1e3", "floating point `1e3`", "floating point `1000.0`"),
        ("1E2", "floating point `1E2`", "floating point `100.0`"),
        ("1.50", "floating point `1.50`", "floating point `1.5`"),
        ("0e0", "floating point `0e0`", "floating point `0.0`"),
        ("1e-400", "floating point `1e-400`", "floating point `0.0`"),
        ("-0", "integer `-0`", "floating point `-0.0`"),
        (
            "18446744073709551616",
            "integer `18446744073709551616`",
            "floating point `1.8446744073709552e+19`",
        ),
        (
            "-9223372036854775809",
            "integer `-9223372036854775809`",
            "floating point `-9.223372036854776e+18`",
        ),
        ("\"\\u0000\"", "string \"\\u{0}\"", "string \"\\0\""),
        ("\"\\u00ad\"", "string \"\u{ad}\"", "string \"\\u{ad}\""),
        (
            "\"\\u0301a\"",
            "string \"\u{301}a\"",
            "string \"\\u{301}a\"",
        ),
        ("\"\\u200b\"", "string \"\u{200b}\"", "string \"\\u{200b}\""),
    ];
    for (text, ours_got, theirs_got) in cases {
        let expected = if text.starts_with('"') {
            "a boolean"
        } else {
            "a string"
        };
        let mut json = Reader::new(text);
        let ours = if text.starts_with('"') {
            json.bool(expected).map(drop)
        } else {
            json.string(expected).map(drop)
        };
        let ours = ours.unwrap_err();
        let theirs = if text.starts_with('"') {
            serde_json::from_str::<bool>(text).map(drop)
        } else {
            serde_json::from_str::<String>(text).map(drop)
        }
        .unwrap_err();
        assert_eq!(ours.position(), (theirs.line(), theirs.column()), "{text}");
        assert_eq!(ours.kind(), JsonErrorKind::Data);
        assert!(theirs.is_data());
        let with = |got: &str| format!("invalid type: {got}, expected {expected}");
        assert_eq!(
            without_position(&theirs),
            with(theirs_got),
            "serde_json on {text}"
        );
        assert!(
            [with(ours_got), with(theirs_got)].contains(&ours.message().to_owned()),
            "reader on {text}: {ours}"
        );
    }
    // The same policy makes `i64` read `-0` (serde_json: `invalid type: floating point `-0.0`, expected i64`), and
    // call an integer beyond `i64` an invalid value rather than a float.
    assert_eq!(Reader::new("-0").i64(), Ok(0));
    assert_eq!(
        serde_json::from_str::<i64>("-0").unwrap_err().to_string(),
        "invalid type: floating point `-0.0`, expected i64 at line 1 column 2"
    );
    assert_eq!(
        serde_json::from_str::<i64>("-9223372036854775809")
            .unwrap_err()
            .to_string(),
        "invalid type: floating point `-9.223372036854776e+18`, expected i64 at line 1 column 20"
    );
    let ours = Reader::new("-9223372036854775809").i64().unwrap_err();
    assert_eq!(ours.position(), (1, 20));
}
