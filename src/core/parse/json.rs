//! JSON bodies (RFC 8259) through serde_json, whose recursion limit (128) and error type keep
//! hostile input from overflowing the stack or panicking.

use super::Value;
use crate::core::error::{Error, Result};

/// Parses a JSON body (a UTF-8 byte-order mark is skipped).
pub fn parse(body: &[u8]) -> Result<Value> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    serde_json::from_slice(body).map_err(|_| Error::parse("the body is not valid JSON"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_with_and_without_bom() {
        assert_eq!(parse(b"{\"a\":1}").unwrap()["a"], 1);
        assert_eq!(parse(b"\xEF\xBB\xBF[true]").unwrap()[0], true);
    }

    #[test]
    fn rejects_garbage_and_deep_nesting() {
        assert!(parse(b"{\"a\":").is_err());
        assert!(parse(b"\xff").is_err());
        let deep = "[".repeat(10_000);
        assert!(parse(deep.as_bytes()).is_err());
    }
}
