//! RFC 6749 §3.3: the access token scope, checked before it goes into a request (its own module
//! so that the authorization request and the token grants can both use it without depending on
//! each other).

use crate::core::error::{Error, Result};

/// RFC 6749 §3.3: `scope-token *( SP scope-token )`, `scope-token = 1*( %x21 / %x23-5B /
/// %x5D-7E )`.
pub fn validate_scope(scope: &str) -> Result<()> {
    let ok = scope.split(' ').all(|token| {
        !token.is_empty()
            && token
                .bytes()
                .all(|b| matches!(b, 0x21 | 0x23..=0x5b | 0x5d..=0x7e))
    });
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_argument(
            "scope must be space-separated RFC 6749 §3.3 scope tokens",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::validate_scope;

    #[test]
    fn scope_tokens() {
        // §3.3: %x21 / %x23-5B / %x5D-7E, separated by single spaces.
        assert!(validate_scope("read write").is_ok());
        assert!(validate_scope(
            "https://purl.imsglobal.org/spec/or/v1p2/scope/roster-core.readonly"
        )
        .is_ok());
        for bad in ["", "a  b", " a", "a\"b", "a\\b", "caf\u{e9}"] {
            assert!(validate_scope(bad).is_err(), "{bad:?}");
        }
    }
}
