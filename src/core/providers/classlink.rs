//! ClassLink OneRoster proxy (seed 002): a static Bearer token from the developer console
//! ("Your access token does not expire") for `{base}/{appId}/ims/oneroster/v1p1/…`.
//!
//! There is no token endpoint and nothing to refresh: [`static_tokens`] is a [`TokenSet`]
//! without expiry or refresh token, which a session hands out as is (a 401 goes to the caller:
//! "refresh it from the console"). The proxy signs the upstream OAuth 1.0a requests itself.

use super::endpoint;
use crate::core::error::{Error, Result};
use crate::core::form::rfc3986_encode;
use crate::core::oauth2::TokenSet;
use crate::core::text::concat;

/// Provider name on errors.
pub const PROVIDER: &str = "classlink";
/// Production base URL of the proxy.
pub const BASE_URL: &str = "https://oneroster-proxy.classlink.io";

/// The console's access token as a non-expiring, non-refreshable Bearer token set.
pub fn static_tokens(access_token: impl Into<crate::core::secret::AccessToken>) -> TokenSet {
    TokenSet::bearer(access_token)
}

/// The OneRoster v1.1 base URL of an application: `{base_url}/{appId}/ims/oneroster/v1p1/`
/// (the application id percent-encoded as one path segment).
pub fn oneroster_base_url(base_url: &str, app_id: &str) -> Result<String> {
    if app_id.is_empty() {
        return Err(Error::invalid_argument(
            "the ClassLink appId must not be empty",
        ));
    }
    endpoint(
        base_url,
        &concat(&[
            "/",
            &rfc3986_encode(app_id.as_bytes()),
            "/ims/oneroster/v1p1/",
        ]),
        false,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::oauth2::{Action, ClientConfig, Session, SessionConfig, Stored, TokenRecord};

    #[test]
    fn urls() {
        assert_eq!(
            oneroster_base_url(BASE_URL, "abc123").unwrap(),
            "https://oneroster-proxy.classlink.io/abc123/ims/oneroster/v1p1/"
        );
        assert_eq!(
            oneroster_base_url("http://127.0.0.1:8787/classlink-proxy/", "a/b c").unwrap(),
            "http://127.0.0.1:8787/classlink-proxy/a%2Fb%20c/ims/oneroster/v1p1/"
        );
        assert!(oneroster_base_url(BASE_URL, "").is_err());
        assert!(oneroster_base_url("http://proxy.example", "a").is_err());
    }

    #[test]
    fn static_token_never_expires() {
        let t = static_tokens("console-token");
        assert_eq!(t.expires_at_ms, None);
        assert_eq!(t.refresh_token, None);
        let client = ClientConfig::new("c", "https://as.example/token");
        let mut s = Session::new(SessionConfig::default(), client, "me");
        s.want_token();
        assert_eq!(s.poll(0), Action::Load);
        let stored = Stored {
            record: TokenRecord::new(t, 0),
            version: "1".into(),
        };
        s.handle_loaded(Ok(Some(stored)), 0);
        // Even at the end of time: a token without expiry is used, never refreshed.
        let Action::Deliver(b) = s.poll(u64::MAX) else {
            panic!()
        };
        assert_eq!(b.authorization().expose(), "Bearer console-token");
        assert_eq!(s.next_refresh_at(), None);
    }
}
