//! Secrets (client secrets, token secrets, tokens) as a newtype that never prints its value.
//!
//! `Debug` and `Display` both print `[redacted]`, so a secret cannot leak through an error
//! message, a log line or a panic message by accident; `expose()` is the one explicit way out.

use std::fmt;

/// A secret string. Its `Debug`/`Display` print `[redacted]`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value itself; call sites are the only places a secret is read.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when the secret is the empty string (RFC 5849 allows an empty token secret).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

/// Compares two byte strings in time independent of where they differ: the one comparison of
/// secrets with attacker-influenced input (OAuth 1 `oauth_token` and OAuth 2 `state` on
/// callbacks, an access token an API rejected).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_the_value() {
        let s = Secret::new("kd94hf93k423kf44");
        assert_eq!(format!("{s:?} {s}"), "[redacted] [redacted]");
        assert_eq!(s.expose(), "kd94hf93k423kf44");
    }
}
