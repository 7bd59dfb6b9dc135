//! The models' string constraints, in one place: the `\p{C}` class of their `[^\p{C}]+` patterns
//! ([`is_other_char`], which the response checks use too) and [`TextRule`]s for the request members a service
//! checks before it stores them (a job's description, a cancel's reason code and comment, thing attributes), so
//! that what it later returns fits the output shapes.

use super::request::RequestError;
use crate::names::describe_char;

/// `\p{C}` as far as Rust's standard library can tell: control (Cc), format (Cf), private use (Co) and the
/// noncharacters of Cn (U+FDD0–U+FDEF and every U+xFFFE/U+xFFFF). Other unassigned code points (the rest of Cn)
/// need the Unicode tables and are not detected; surrogates (Cs) cannot occur in a Rust string.
///
/// ```
/// use jobscope::codec::is_other_char;
/// assert!(is_other_char('\n') && is_other_char('\u{200B}') && is_other_char('\u{E000}') && is_other_char('\u{FFFF}'));
/// assert!(!is_other_char('é') && !is_other_char(' ') && !is_other_char('𝄞'));
/// ```
pub fn is_other_char(c: char) -> bool {
    let u = c as u32;
    c.is_control()
        || matches!(u,
            0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x890..=0x891 | 0x8E2 | 0x180E
            | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF
            | 0xFFF9..=0xFFFB | 0x110BD | 0x110CD | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F
            | 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD
            | 0xFDD0..=0xFDEF)
        || u & 0xFFFE == 0xFFFE
}

/// A string member's constraint from a model: a length range in characters and the characters its (whole-string)
/// pattern allows.
#[derive(Debug, Clone, Copy)]
pub struct TextRule {
    /// Fewest characters (0 for a `*` pattern).
    pub min: usize,
    /// Most characters.
    pub max: usize,
    /// Whether the pattern allows a character.
    pub allowed: fn(char) -> bool,
    /// The allowed characters, for messages.
    pub allowed_text: &'static str,
}

fn not_other(c: char) -> bool {
    !is_other_char(c)
}

const FREE_TEXT: &str = "characters other than control, format and private-use characters";

impl TextRule {
    /// `JobDescription`: 1–2028 characters of `[^\p{C}]`.
    pub const JOB_DESCRIPTION: TextRule = TextRule {
        min: 1,
        max: 2028,
        allowed: not_other,
        allowed_text: FREE_TEXT,
    };

    /// `Comment` (CancelJob): 1–2028 characters of `[^\p{C}]`.
    pub const COMMENT: TextRule = TextRule {
        min: 1,
        max: 2028,
        allowed: not_other,
        allowed_text: FREE_TEXT,
    };

    /// `ReasonCode` (CancelJob): 1–128 characters of `[\p{Upper}\p{Digit}_]` (Java's POSIX classes: ASCII).
    pub const REASON_CODE: TextRule = TextRule {
        min: 1,
        max: 128,
        allowed: |c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_',
        allowed_text: "upper-case letters A-Z, digits and '_'",
    };

    /// `AttributeName`: 1–128 characters of `[a-zA-Z0-9_.,@/:#-]`.
    pub const ATTRIBUTE_NAME: TextRule = TextRule {
        min: 1,
        max: 128,
        allowed: |c| c.is_ascii_alphanumeric() || "_.,@/:#-".contains(c),
        allowed_text: "letters, digits and _ . , @ / : # -",
    };

    /// `AttributeValue`: 0–800 characters of `[a-zA-Z0-9_.,@/:#=\[\]-]`.
    pub const ATTRIBUTE_VALUE: TextRule = TextRule {
        min: 0,
        max: 800,
        allowed: |c| c.is_ascii_alphanumeric() || "_.,@/:#=[]-".contains(c),
        allowed_text: "letters, digits and _ . , @ / : # = [ ] -",
    };

    /// Checks `value` of the request member `field`; the error names the member and the first problem.
    ///
    /// ```
    /// use jobscope::codec::TextRule;
    /// assert!(TextRule::REASON_CODE.check("reasonCode", "ROLLED_BACK_2").is_ok());
    /// assert_eq!(
    ///     TextRule::REASON_CODE.check("reasonCode", "rolled back").unwrap_err().to_string(),
    ///     "reasonCode: must contain only upper-case letters A-Z, digits and '_'; found 'r' (U+0072) at index 0"
    /// );
    /// assert_eq!(
    ///     TextRule::JOB_DESCRIPTION.check("description", "").unwrap_err().to_string(),
    ///     "description: must be 1 to 2028 characters, got 0"
    /// );
    /// assert!(TextRule::ATTRIBUTE_VALUE.check("attributes.a", "").is_ok());
    /// ```
    pub fn check(&self, field: &str, value: &str) -> Result<(), RequestError> {
        let len = value.chars().count();
        if len < self.min || len > self.max {
            let range = if self.min == 0 {
                format!("at most {}", self.max)
            } else {
                format!("{} to {}", self.min, self.max)
            };
            return Err(RequestError::BadBody(format!(
                "{field}: must be {range} characters, got {len}"
            )));
        }
        match value.chars().enumerate().find(|&(_, c)| !(self.allowed)(c)) {
            Some((index, c)) => Err(RequestError::BadBody(format!(
                "{field}: must contain only {}; found {} at index {index}",
                self.allowed_text,
                describe_char(c)
            ))),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_text_refuses_what_the_models_other_class_holds() {
        for (value, ok) in [
            ("héllo ✓ 𝄞", true),
            ("tab\there", false),
            ("line 1\nline 2", false),
            ("zero\u{200B}width", false),
            ("private\u{E000}", false),
            ("nonchar\u{FFFF}", false),
            ("nonchar\u{FDD0}", false),
            ("", false),
        ] {
            assert_eq!(
                TextRule::JOB_DESCRIPTION
                    .check("description", value)
                    .is_ok(),
                ok,
                "{value:?}"
            );
        }
        let long = "d".repeat(2029);
        assert_eq!(
            TextRule::JOB_DESCRIPTION
                .check("description", &long)
                .unwrap_err()
                .to_string(),
            "description: must be 1 to 2028 characters, got 2029"
        );
    }

    #[test]
    fn attribute_rules() {
        assert!(
            TextRule::ATTRIBUTE_NAME
                .check("k", "a.b,c@d/e:f#g-h_1")
                .is_ok()
        );
        assert!(TextRule::ATTRIBUTE_NAME.check("k", "a b").is_err());
        assert!(TextRule::ATTRIBUTE_VALUE.check("v", "x=[1]").is_ok());
        assert!(
            TextRule::ATTRIBUTE_VALUE
                .check("v", &"v".repeat(801))
                .is_err()
        );
        assert_eq!(
            TextRule::ATTRIBUTE_VALUE
                .check("v", &"v".repeat(801))
                .unwrap_err()
                .to_string(),
            "v: must be at most 800 characters, got 801"
        );
    }
}
