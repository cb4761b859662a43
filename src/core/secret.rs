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

/// One newtype per kind of secret, so that a refresh token cannot be passed where an access
/// token is expected (or logged as one): each wraps a [`Secret`] and prints `[redacted]`.
macro_rules! secret_kind {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Default, PartialEq, Eq)]
        pub struct $name(Secret);

        impl $name {
            /// Wraps a secret value.
            pub fn new(value: impl Into<String>) -> Self {
                $name(Secret::new(value))
            }

            /// The secret value itself; call sites are the only places it is read.
            pub fn expose(&self) -> &str {
                self.0.expose()
            }

            /// True for the empty string.
            pub fn is_empty(&self) -> bool {
                self.0.is_empty()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("[redacted]")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("[redacted]")
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                $name::new(value)
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                $name::new(value)
            }
        }
    )*};
}

secret_kind! {
    /// An OAuth 2 access token (RFC 6749 §1.4).
    AccessToken;
    /// An OAuth 2 refresh token (RFC 6749 §1.5).
    RefreshToken;
    /// An OAuth 2 client secret or an OAuth 1.0a consumer secret.
    ClientSecret;
    /// An OAuth 1.0a token secret (RFC 5849 §2.3).
    TokenSecret;
    /// A PKCE code verifier (RFC 7636 §4.1).
    CodeVerifier;
    /// A resource owner's password (RFC 6749 §4.3).
    Password;
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
    fn no_kind_prints_its_value() {
        let printed = format!(
            "{:?} {} {:?} {} {:?} {:?}",
            AccessToken::new("at-SECRET"),
            RefreshToken::new("rt-SECRET"),
            ClientSecret::new("cs-SECRET"),
            TokenSecret::new("ts-SECRET"),
            CodeVerifier::new("cv-SECRET"),
            Password::new("pw-SECRET"),
        );
        assert!(!printed.contains("SECRET"), "{printed}");
        assert_eq!(Password::new("p").expose(), "p");
    }

    #[test]
    fn never_prints_the_value() {
        let s = Secret::new("kd94hf93k423kf44");
        assert_eq!(format!("{s:?} {s}"), "[redacted] [redacted]");
        assert_eq!(s.expose(), "kd94hf93k423kf44");
    }
}
