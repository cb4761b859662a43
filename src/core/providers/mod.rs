//! Provider presets: one file per provider, each a small function returning the
//! [`ClientConfig`](crate::core::oauth2::ClientConfig) its documentation calls for, with the
//! quirks written down next to the setting that absorbs them.
//!
//! Every preset takes the base URL as an argument (the production one is a `BASE_URL`
//! constant), so tests can point it at the local simulator: `http://127.0.0.1:PORT/orc` and the
//! like pass the HTTPS rule because they are loopback.

pub mod classlink;
pub mod omnifund;
pub mod oneroster;
pub mod orc;
pub mod priava;
pub mod zapevent;

use crate::core::error::{Error, Result};
use crate::core::text::concat;
use crate::core::url::Url;

/// `base_url` (no query, no fragment; a trailing `/` is dropped) followed by `path`, checked
/// against the HTTPS rule.
pub(crate) fn endpoint(base_url: &str, path: &str, allow_insecure: bool) -> Result<String> {
    if base_url.contains(['?', '#']) {
        return Err(Error::invalid_argument(
            "the provider base URL must not have a query or a fragment",
        ));
    }
    let joined = concat(&[base_url.trim_end_matches('/'), path]);
    Url::parse(&joined)?.require_secure(allow_insecure)?;
    Ok(joined)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ErrorCode;

    #[test]
    fn endpoint_joins_and_checks() {
        assert_eq!(
            endpoint("https://a.example/", "/token/", false).unwrap(),
            "https://a.example/token/"
        );
        assert_eq!(
            endpoint("http://127.0.0.1:8787/orc", "/token/", false).unwrap(),
            "http://127.0.0.1:8787/orc/token/"
        );
        assert_eq!(
            endpoint("http://a.example", "/t", false).unwrap_err().code,
            ErrorCode::InsecureUrl
        );
        assert!(endpoint("http://a.example", "/t", true).is_ok());
        assert!(endpoint("https://a.example?x=1", "/t", false).is_err());
        assert!(endpoint("not a url", "/t", false).is_err());
    }
}
