//! Online Registration Center (seed 000): refresh-only OAuth 2 with console-issued tokens, raw
//! Basic client auth, `access_refresh_token`, `expires_in` in hours, the token in the body.
//!
//! Quirks, each absorbed by a setting of [`client`]:
//! - Client auth is `"Basic " + base64_encode(CLIENT_ID + ":" + CLIENT_SECRET)`, raw, not the
//!   RFC 6749 §2.3.1 form-encoding → [`BasicEncoding::Raw`].
//! - The refresh response is `{"access_token","access_refresh_token","expires_in"}`: the
//!   refresh token under another name, no `token_type`, and `expires_in` "(in hours)" →
//!   `refresh_token_field_names` and [`ExpiresInUnit::Hours`].
//! - Every refresh rotates: "You must use the newly provided refresh_token" (the session
//!   persists it before releasing the access token).
//! - There is no authorization endpoint: the first access and refresh tokens come from the
//!   ORC console (`api_access_token`, `api_refresh_token`) → [`console_tokens`].
//! - API calls carry `access_token` as a form parameter next to the Basic client header, not a
//!   Bearer header → [`roster::roster_request`].

pub mod roster;

use super::endpoint;
use crate::core::error::Result;
use crate::core::oauth2::{BasicEncoding, ClientAuth, ClientConfig, ExpiresInUnit, TokenSet};

/// Provider name on errors.
pub const PROVIDER: &str = "orc";
/// Production base URL.
pub const BASE_URL: &str = "https://api.onlineregistrationcenter.com";

/// The ORC client: token endpoint `{base_url}/token/`.
pub fn client(
    base_url: &str,
    client_id: impl Into<String>,
    client_secret: impl Into<crate::core::secret::ClientSecret>,
) -> Result<ClientConfig> {
    let mut c = ClientConfig::new(client_id, endpoint(base_url, "/token/", false)?)
        .with_secret(client_secret)
        .with_auth(ClientAuth::Basic);
    c.basic_encoding = BasicEncoding::Raw;
    c.expires_in_unit = ExpiresInUnit::Hours;
    c.refresh_token_field_names = vec!["access_refresh_token".into(), "refresh_token".into()];
    c.provider = Some(PROVIDER.into());
    c.validate()?;
    Ok(c)
}

/// The tokens handed out by the ORC console. `expires_in_hours` is what the console said
/// (24 by the seed); `None` when unknown: the session then refreshes on the first 401.
pub fn console_tokens(
    api_access_token: impl Into<crate::core::secret::AccessToken>,
    api_refresh_token: impl Into<crate::core::secret::RefreshToken>,
    expires_in_hours: Option<u64>,
    now_ms: u64,
) -> TokenSet {
    TokenSet {
        refresh_token: Some(api_refresh_token.into()),
        expires_at_ms: expires_in_hours
            .filter(|h| *h > 0)
            .map(|h| now_ms.saturating_add(h.saturating_mul(3_600_000))),
        ..TokenSet::bearer(api_access_token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::http::Response;
    use crate::core::oauth2::{parse_token_response, token_request, Grant};

    const NOW: u64 = 1_700_000_000_000;

    #[test]
    fn refresh_request_is_raw_basic() {
        // A secret with '+', '/', '=' as the simulator's fixture has.
        let c = client("http://127.0.0.1:8787/orc/", "orc-client", "a+b/c=").unwrap();
        let req = token_request(
            &c,
            &Grant::RefreshToken {
                refresh_token: "rt".into(),
                scope: None,
            },
        )
        .unwrap();
        assert_eq!(req.url, "http://127.0.0.1:8787/orc/token/");
        // base64("orc-client:a+b/c=") by coreutils.
        assert_eq!(
            req.header("authorization"),
            Some("Basic b3JjLWNsaWVudDphK2IvYz0=")
        );
        assert_eq!(
            req.body.as_deref(),
            Some(&b"grant_type=refresh_token&refresh_token=rt"[..])
        );
        assert_eq!(
            client(BASE_URL, "id", "s").unwrap().token_url,
            "https://api.onlineregistrationcenter.com/token/"
        );
        assert!(client("http://orc.example", "id", "s").is_err());
    }

    #[test]
    fn refresh_response_in_hours_under_another_name() {
        let c = client(BASE_URL, "id", "s").unwrap();
        let resp = Response {
            status: 200,
            headers: vec![],
            body: br#"{"access_token":"a2","access_refresh_token":"r2","expires_in":24}"#.to_vec(),
        };
        let t = parse_token_response(&c, &resp, NOW).unwrap();
        assert!(t.is_bearer());
        assert_eq!(t.expires_at_ms, Some(NOW + 24 * 3_600_000));
        assert_eq!(t.refresh_token.unwrap().expose(), "r2");
    }

    #[test]
    fn console_tokens_and_roster() {
        let t = console_tokens("a", "r", Some(24), NOW);
        assert_eq!(t.expires_at_ms, Some(NOW + 86_400_000));
        assert_eq!(console_tokens("a", "r", None, NOW).expires_at_ms, None);
        let c = client(BASE_URL, "id", "s").unwrap();
        let req = roster::roster_request(&c, BASE_URL, &"tok en".into(), 4101, Some(77)).unwrap();
        assert_eq!(req.url, "https://api.onlineregistrationcenter.com/roster/");
        assert_eq!(req.header("authorization"), Some("Basic aWQ6cw=="));
        assert_eq!(
            req.body.as_deref(),
            Some(&b"module_id=4101&export_id=77&access_token=tok+en"[..])
        );
    }
}
