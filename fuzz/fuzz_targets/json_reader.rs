//! The JSON pull reader on arbitrary text, with serde_json as the oracle. `compact` accepts exactly what
//! serde_json reads into a `Value`, and refuses the rest with serde_json's message (same kind, words, line and
//! column); `skip` too, except that it reads past serde_json's recursion limit (as serde_json's `IgnoredAny` does).
//! What `compact` writes reads back as the same value and compacts to itself.
#![no_main]

use jobscope::codec::json::{JsonError, JsonErrorKind, Reader};
use libfuzzer_sys::fuzz_target;
use serde::de::IgnoredAny;
use serde_json::Value;
use serde_json::error::Category;

fn compact_all(text: &str) -> Result<String, JsonError> {
    let mut json = Reader::new(text);
    let mut out = String::new();
    json.compact(&mut out)?;
    json.finish()?;
    Ok(out)
}

fn skip_all(text: &str) -> Result<(), JsonError> {
    let mut json = Reader::new(text);
    json.skip()?;
    json.finish()
}

/// Accepted, or the kind of error: the reader's and serde_json's, comparable.
fn ours<T>(result: &Result<T, JsonError>) -> Option<Category> {
    match result {
        Ok(_) => None,
        Err(error) => Some(match error.kind() {
            JsonErrorKind::Eof => Category::Eof,
            JsonErrorKind::Syntax => Category::Syntax,
            JsonErrorKind::Data => Category::Data,
        }),
    }
}

fn theirs<T>(result: &Result<T, serde_json::Error>) -> Option<Category> {
    result.as_ref().err().map(serde_json::Error::classify)
}

/// serde_json (without `float_roundtrip`) rounds numbers right at the overflow threshold either way (it calls
/// `1.7976931348623158e308`, which is `f64::MAX`, out of range); the reader rounds correctly. Numbers whose first
/// 16 significant digits are `f64::MAX`'s, at its scale, are left out of the comparison.
fn near_overflow(number: &str) -> bool {
    let unsigned = number.trim_start_matches(['-', '+']);
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
    let scale =
        (int.len() as i64 - (digits.len() - significant.len()) as i64).saturating_add(exponent);
    scale == 309 && significant.starts_with("1797693134862315")
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = &*text;
    let value = serde_json::from_str::<Value>(text);
    let compact = compact_all(text);
    let skip = skip_all(text);

    let comparable = !text
        .split(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c)))
        .any(near_overflow);
    if comparable {
        if let (Err(ours), Err(theirs)) = (&compact, &value) {
            assert_eq!(ours.to_string(), theirs.to_string(), "message on {text:?}");
        }
        assert_eq!(
            ours(&compact),
            theirs(&value),
            "compact vs serde_json on {text:?}: {compact:?} vs {value:?}"
        );
        let too_deep = value
            .as_ref()
            .is_err_and(|error| error.to_string().starts_with("recursion limit exceeded"));
        if too_deep {
            // Past the recursion limit skip reads on, as IgnoredAny does; IgnoredAny lets lone surrogates and
            // numbers out of range through, skip does not.
            let ignored = serde_json::from_str::<IgnoredAny>(text);
            if skip.is_ok() {
                assert!(
                    ignored.is_ok(),
                    "skip accepts {text:?}, IgnoredAny does not: {ignored:?}"
                );
            }
        } else {
            assert_eq!(ours(&skip), ours(&compact), "skip vs compact on {text:?}");
            if let (Err(skip), Err(compact)) = (&skip, &compact) {
                assert_eq!(
                    skip.to_string(),
                    compact.to_string(),
                    "skip vs compact on {text:?}"
                );
            }
        }
    }

    if let Ok(compact) = compact {
        let again = compact_all(&compact).unwrap_or_else(|error| {
            panic!("compact output {compact:?} of {text:?} refused: {error}")
        });
        assert_eq!(again, compact, "compact of compact of {text:?}");
        if let Ok(value) = value {
            let back: Value =
                serde_json::from_str(&compact).expect("serde_json reads compact output");
            assert_eq!(back, value, "compact of {text:?}");
        }
    }
});
