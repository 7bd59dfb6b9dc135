//! Endpoint base URLs: `https://host[:port][/prefix]`.

use std::fmt;
use std::str::FromStr;

use crate::text::Quoted;
use crate::violation::{Violation, ViolationCode};

/// A base URL requests are sent to, with an optional path prefix (a proxy mount such as `/api`).
///
/// ```
/// use jobscope::Endpoint;
/// let endpoint = Endpoint::parse("http://127.0.0.1:8080/api/")?;
/// assert_eq!(endpoint.authority(), "127.0.0.1:8080");
/// assert_eq!(endpoint.to_string(), "http://127.0.0.1:8080/api");
/// let aws = Endpoint::parse("https://abc123.jobs.iot.eu-west-1.amazonaws.com")?;
/// assert_eq!(aws.aws_region(), Some("eu-west-1"));
/// # Ok::<(), jobscope::Violation>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Endpoint {
    scheme: &'static str,
    authority: Box<str>,
    prefix: Box<str>,
}

impl Endpoint {
    /// Parses a base URL; a trailing slash is dropped.
    pub fn parse(text: &str) -> Result<Self, Violation> {
        text.parse()
    }

    /// `http` or `https`.
    pub fn scheme(&self) -> &str {
        self.scheme
    }

    /// `host[:port]`, as sent in the `Host` header.
    pub fn authority(&self) -> &str {
        &self.authority
    }

    /// The host without the port.
    pub fn host(&self) -> &str {
        let authority = &*self.authority;
        if authority.starts_with('[') {
            return authority
                .split_once(']')
                .map_or(authority, |(host, _)| &authority[..host.len() + 1]);
        }
        authority.rsplit_once(':').map_or(authority, |(h, _)| h)
    }

    /// The path prefix without a trailing slash (empty when none).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The AWS region named by an `*.amazonaws.com` host, e.g. `us-east-1` for `iot.us-east-1.amazonaws.com`.
    pub fn aws_region(&self) -> Option<&str> {
        let host = self.host();
        let rest = host
            .strip_suffix(".amazonaws.com")
            .or_else(|| host.strip_suffix(".amazonaws.com.cn"))?;
        let region = rest.rsplit('.').next()?;
        let looks_like_region =
            region.split('-').count() >= 3 && crate::sigv4::is_region_name(region);
        looks_like_region.then_some(region)
    }
}

fn invalid(detail: impl fmt::Display) -> Violation {
    Violation::new("endpoint", ViolationCode::Pattern, detail)
}

impl FromStr for Endpoint {
    type Err = Violation;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.is_empty() {
            return Err(Violation::new(
                "endpoint",
                ViolationCode::Required,
                "is required",
            ));
        }
        let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
        let (scheme, rest) = if lower.starts_with("https://") {
            ("https", &text[8..])
        } else if lower.starts_with("http://") {
            ("http", &text[7..])
        } else {
            return Err(invalid(format_args!(
                "must start with http:// or https://, got {}",
                Quoted(text)
            )));
        };
        if let Some((index, c)) = text
            .chars()
            .enumerate()
            .find(|&(_, c)| c.is_whitespace() || c.is_control())
        {
            return Err(invalid(format_args!(
                "must not contain {} at index {index}",
                crate::names::describe_char(c)
            )));
        }
        if text.contains(['?', '#']) {
            return Err(invalid(
                "must be a base URL without a query string or fragment",
            ));
        }
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if authority.is_empty() {
            return Err(invalid(format_args!("has no host: {}", Quoted(text))));
        }
        if authority.contains('@') {
            return Err(invalid(
                "must not contain user information (credentials never go in a URL)",
            ));
        }
        if let Some((_, port)) = authority
            .rsplit_once(':')
            .filter(|_| !authority.ends_with(']'))
            && (port.is_empty() || port.parse::<u16>().is_err())
        {
            return Err(invalid(format_args!(
                "has an invalid port {}: must be a number from 0 to 65535",
                Quoted(port)
            )));
        }
        check_host(authority)?;
        Ok(Endpoint {
            scheme,
            authority: authority.to_ascii_lowercase().into(),
            prefix: path.trim_end_matches('/').into(),
        })
    }
}

/// A host name: at most 253 characters in labels of 1–63 letters, digits, `-` or `_`; or an IPv6 literal in brackets.
fn check_host(authority: &str) -> Result<(), Violation> {
    if let Some(inside) = authority.strip_prefix('[') {
        let literal = inside
            .split_once(']')
            .map_or(inside, |(literal, _)| literal);
        let valid = !literal.is_empty()
            && literal.len() <= 45
            && literal.contains(':')
            && literal
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
        return if valid && inside.contains(']') {
            Ok(())
        } else {
            Err(invalid(format_args!(
                "has an invalid IPv6 address {}",
                Quoted(authority)
            )))
        };
    }
    let host = authority
        .rsplit_once(':')
        .map_or(authority, |(host, _)| host);
    if let Some((index, c)) = host
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(invalid(format_args!(
            "has {} at index {index} of its host; a host has only letters, digits, '-', '_' and '.' (internationalised names in punycode)",
            crate::names::describe_char(c)
        )));
    }
    if host.len() > 253 {
        return Err(invalid(format_args!(
            "has a host of {} characters; a host name is at most 253",
            host.len()
        )));
    }
    let labels = host.strip_suffix('.').unwrap_or(host);
    if let Some(label) = labels.split('.').find(|l| l.is_empty() || l.len() > 63) {
        return Err(invalid(if label.is_empty() {
            format!("has an empty label in its host {}", Quoted(host))
        } else {
            format!(
                "has a host label of {} characters ({}); each label is at most 63",
                label.len(),
                Quoted(label)
            )
        }));
    }
    Ok(())
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}{}", self.scheme, self.authority, self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_forms() {
        let e = Endpoint::parse("HTTPS://Example.com:8443/a/b//").unwrap();
        assert_eq!(
            (e.scheme(), e.authority(), e.host(), e.prefix()),
            ("https", "example.com:8443", "example.com", "/a/b")
        );
        assert_eq!(
            Endpoint::parse("http://[::1]:9090").unwrap().host(),
            "[::1]"
        );
        assert_eq!(
            Endpoint::parse("https://iot.us-east-1.amazonaws.com")
                .unwrap()
                .aws_region(),
            Some("us-east-1")
        );
        assert_eq!(
            Endpoint::parse("http://localhost").unwrap().aws_region(),
            None
        );
    }

    #[test]
    fn rejects_bad_urls() {
        for (text, message) in [
            ("", "endpoint: is required"),
            (
                "ftp://x",
                "endpoint: must start with http:// or https://, got \"ftp://x\"",
            ),
            ("http://", "endpoint: has no host: \"http://\""),
            (
                "http://h/x?y=1",
                "endpoint: must be a base URL without a query string or fragment",
            ),
            (
                "http://u:p@h",
                "endpoint: must not contain user information (credentials never go in a URL)",
            ),
            (
                "http://h:99999",
                "endpoint: has an invalid port \"99999\": must be a number from 0 to 65535",
            ),
            (
                "http://h /x",
                "endpoint: must not contain ' ' (U+0020) at index 8",
            ),
            (
                "http://a<b>.com",
                "endpoint: has '<' (U+003C) at index 1 of its host; a host has only letters, digits, '-', '_' and '.' (internationalised names in punycode)",
            ),
            (
                "http://a..b",
                "endpoint: has an empty label in its host \"a..b\"",
            ),
            (
                "http://[zz]:1",
                "endpoint: has an invalid IPv6 address \"[zz]:1\"",
            ),
        ] {
            assert_eq!(
                Endpoint::parse(text).unwrap_err().message,
                message,
                "{text}"
            );
        }
        let label = "l".repeat(64);
        let message = Endpoint::parse(&format!("https://{label}.example.com"))
            .unwrap_err()
            .message;
        assert!(
            message.starts_with("endpoint: has a host label of 64 characters"),
            "{message}"
        );
        let host = "a.".repeat(500_000);
        let message = Endpoint::parse(&format!("https://{host}"))
            .unwrap_err()
            .message;
        assert_eq!(
            message,
            "endpoint: has a host of 1000000 characters; a host name is at most 253"
        );
        assert!(
            Endpoint::parse(&format!(
                "https://{}.{}.com",
                "l".repeat(63),
                "m".repeat(63)
            ))
            .is_ok()
        );
        assert!(Endpoint::parse("http://my_service:9090").is_ok());
        assert!(Endpoint::parse("http://[::ffff:127.0.0.1]:9090").is_ok());
    }
}
