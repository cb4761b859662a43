//! RFC 6749 §4.1.1–§4.1.2: the authorization request URL (with RFC 7636 PKCE and a `state`
//! from host randomness) and the callback, including §4.1.2.1 errors and RFC 9207 `iss`.
//!
//! [`start`] → redirect the user → keep [`PendingAuthorization`] (or its `state`, verifier and
//! redirect URI, to [`PendingAuthorization::resume`]) → [`PendingAuthorization::handle_callback`]
//! consumes it and yields the [`AuthorizationCode`] to exchange (see `grants`).

use super::client::ClientConfig;
use super::pkce::{Pkce, CODE_CHALLENGE_METHOD};
use super::scope::validate_scope;
use super::token_response::{oauth_error, with_provider};
use crate::core::crypto::base64;
use crate::core::error::{Error, ErrorCode, Result};
use crate::core::form;
use crate::core::secret::constant_time_eq;
use crate::core::secret::{CodeVerifier, Secret};
use crate::core::text::concat;

/// Random bytes accepted for `state`: at least 128 bits (RFC 6749 §10.10 wants it
/// unguessable), at most 64 bytes.
pub const STATE_RANDOM_BYTES: std::ops::RangeInclusive<usize> = 16..=64;

/// What the application asks for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuthorizationParams {
    /// `redirect_uri` (§3.1.2: absolute, no fragment).
    pub redirect_uri: String,
    /// `scope` (§3.3).
    pub scope: Option<String>,
    /// More query parameters (`prompt`, `login_hint`, `resource`, …), added unless the core
    /// already sets that name.
    pub extra: Vec<(String, String)>,
}

/// The authorization URL to send the user to, and what must be kept until the callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationStart {
    /// The full authorization request URL.
    pub url: String,
    /// The state to keep (e.g. in a cookie or `sessionStorage`) until the callback.
    pub pending: PendingAuthorization,
}

/// Builds the authorization request URL (§4.1.1): `response_type=code`, `client_id`,
/// `redirect_uri`, `scope`, `state`, `code_challenge`, `code_challenge_method=S256`, then the
/// extra parameters, appended to the endpoint's own query (§3.1: it MUST be retained).
pub fn start(
    client: &ClientConfig,
    params: &AuthorizationParams,
    state_random: &[u8],
    pkce_random: &[u8],
) -> Result<AuthorizationStart> {
    client.validate()?;
    let endpoint = client.authorize_endpoint()?;
    validate_redirect_uri(&params.redirect_uri)?;
    if !STATE_RANDOM_BYTES.contains(&state_random.len()) {
        return Err(Error::invalid_argument("state needs 16 to 64 random bytes"));
    }
    let pending = PendingAuthorization {
        state: base64::encode_url_no_pad(state_random),
        pkce: Pkce::from_random(pkce_random)?,
        redirect_uri: params.redirect_uri.clone(),
    };
    let mut query: Vec<(&str, &str)> = vec![
        ("response_type", "code"),
        ("client_id", &client.client_id),
        ("redirect_uri", &params.redirect_uri),
    ];
    if let Some(scope) = &params.scope {
        validate_scope(scope)?;
        query.push(("scope", scope));
    }
    query.push(("state", &pending.state));
    query.push(("code_challenge", pending.pkce.challenge()));
    query.push(("code_challenge_method", CODE_CHALLENGE_METHOD));
    for (name, value) in &params.extra {
        if name.is_empty() {
            return Err(Error::invalid_argument(
                "authorization parameter names must not be empty",
            ));
        }
        if !query.iter().any(|(n, _)| n == name) {
            query.push((name, value));
        }
    }
    for (alias, rfc_name) in &client.authorize_param_aliases {
        let value = query.iter().find(|(n, _)| n == rfc_name).map(|(_, v)| *v);
        if let Some(value) = value {
            if !query.iter().any(|(n, _)| n == alias) {
                query.push((alias, value));
            }
        }
    }
    let url = endpoint.with_extra_query(&form::serialize(query));
    Ok(AuthorizationStart { url, pending })
}

/// An authorization request in flight: the `state` sent, the PKCE verifier, the redirect URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingAuthorization {
    state: String,
    pkce: Pkce,
    redirect_uri: String,
}

impl PendingAuthorization {
    /// Rebuilds the pending request from what the application kept across the redirect.
    pub fn resume(
        state: impl Into<String>,
        code_verifier: impl Into<String>,
        redirect_uri: impl Into<String>,
    ) -> Result<Self> {
        let state = state.into();
        if state.is_empty() {
            return Err(Error::invalid_argument("state must not be empty"));
        }
        let redirect_uri = redirect_uri.into();
        validate_redirect_uri(&redirect_uri)?;
        Ok(PendingAuthorization {
            state,
            pkce: Pkce::from_verifier(code_verifier)?,
            redirect_uri,
        })
    }

    /// The `state` sent.
    pub fn state(&self) -> &str {
        &self.state
    }

    /// The PKCE `code_verifier` to keep and send with the code exchange.
    pub fn code_verifier(&self) -> &CodeVerifier {
        self.pkce.verifier()
    }

    /// The `redirect_uri` sent.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// Takes the URL the authorization server redirected to (§4.1.2), in this order:
    ///
    /// 1. a parameter given twice (§3.1 forbids it) → `INVALID_ARGUMENT`;
    /// 2. RFC 9207: when the client has an `issuer`, `iss` must be present and equal (§2.4,
    ///    simple string comparison) → else `STATE_MISMATCH`;
    /// 3. `error` (§4.1.2.1) → `OAUTH_ACCESS_DENIED`, `OAUTH_INVALID_REQUEST`, … or
    ///    `PROVIDER_ERROR`, with `error_description` (a `state` present on it must still
    ///    match: a forged error is not reported as the provider's);
    /// 4. `state`, compared in constant time → else `STATE_MISMATCH`;
    /// 5. `code` → else `INVALID_ARGUMENT`.
    pub fn handle_callback(
        self,
        client: &ClientConfig,
        callback_url: &str,
    ) -> Result<AuthorizationCode> {
        let provider = client.provider.as_deref();
        let without_fragment = callback_url.split('#').next().unwrap_or_default();
        let query = without_fragment
            .split_once('?')
            .map(|(_, q)| q)
            .unwrap_or_default();
        let params = form::parse_utf8(query.as_bytes())?;
        let get = |name: &str| -> Result<Option<&str>> {
            let mut found = params.iter().filter(|(k, _)| k == name);
            let first = found.next().map(|(_, v)| v.as_str());
            if found.next().is_some() {
                return Err(Error::invalid_argument(concat(&[
                    "the callback carries ",
                    name,
                    " more than once",
                ])));
            }
            Ok(first)
        };
        let (code, state, error, iss) = (get("code")?, get("state")?, get("error")?, get("iss")?);
        let state_ok = state.is_some_and(|s| constant_time_eq(s.as_bytes(), self.state.as_bytes()));
        if let Some(expected) = client.issuer.as_deref() {
            if iss != Some(expected) {
                return Err(with_provider(
                    Error::new(
                        ErrorCode::StateMismatch,
                        "the callback's iss is not the expected issuer (RFC 9207)",
                    ),
                    provider,
                ));
            }
        }
        if let Some(error) = error {
            if state.is_none() || state_ok {
                let description = get("error_description")?.map(str::to_owned);
                let mut err = oauth_error("authorization server", error, description);
                if let Some(uri) = get("error_uri")? {
                    if crate::core::url::Url::parse(uri).is_ok() {
                        err.message = concat(&[&err.message, " (see ", uri, ")"]);
                    }
                }
                return Err(with_provider(err, provider));
            }
        }
        if !state_ok {
            return Err(with_provider(
                Error::new(
                    ErrorCode::StateMismatch,
                    "the callback's state is not the one this authorization request sent",
                ),
                provider,
            ));
        }
        let code = code
            .filter(|c| !c.is_empty())
            .ok_or_else(|| Error::invalid_argument("the callback URL carries no code"))?;
        Ok(AuthorizationCode {
            code: Secret::new(code),
            redirect_uri: self.redirect_uri,
            code_verifier: Some(self.pkce.verifier().clone()),
        })
    }
}

/// An authorization code ready for the §4.1.3 exchange (`Grant::from(code)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationCode {
    /// The code (a credential: redacted in `Debug`).
    pub code: Secret,
    /// The `redirect_uri` of the authorization request, repeated in the exchange.
    pub redirect_uri: String,
    /// The PKCE verifier.
    pub code_verifier: Option<CodeVerifier>,
}

/// §3.1.2: an absolute URI (any scheme: native apps use private-use schemes, RFC 8252 §7.1)
/// without a fragment, and nothing that could not travel in a query.
fn validate_redirect_uri(uri: &str) -> Result<()> {
    let scheme_end = uri.find(':').unwrap_or(0);
    let scheme = &uri[..scheme_end];
    let scheme_ok = scheme
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !scheme_ok || uri.len() == scheme_end + 1 {
        return Err(Error::invalid_argument(
            "redirect_uri must be an absolute URI",
        ));
    }
    if uri.contains('#') || uri.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Err(Error::invalid_argument(
            "redirect_uri must not contain a fragment, spaces or control characters",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATE_RANDOM: [u8; 16] = [0xAB; 16];
    /// base64url of 16 × 0xAB.
    const STATE: &str = "q6urq6urq6urq6urq6urqw";
    /// RFC 7636 Appendix B octets.
    const PKCE_RANDOM: [u8; 32] = [
        116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37,
        77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
    ];

    fn client() -> ClientConfig {
        let mut c = ClientConfig::new("s6BhdRkqt3", "https://server.example.com/token")
            .with_auth(super::super::client::ClientAuth::None);
        c.authorize_url = Some("https://server.example.com/authorize?tenant=a".into());
        c
    }

    fn params() -> AuthorizationParams {
        AuthorizationParams {
            redirect_uri: "https://client.example.com/cb".into(),
            scope: Some("read write".into()),
            extra: vec![
                ("prompt".into(), "consent".into()),
                ("state".into(), "ignored".into()),
            ],
        }
    }

    fn pending() -> PendingAuthorization {
        start(&client(), &params(), &STATE_RANDOM, &PKCE_RANDOM)
            .unwrap()
            .pending
    }

    #[test]
    fn authorization_url_is_exact() {
        let s = start(&client(), &params(), &STATE_RANDOM, &PKCE_RANDOM).unwrap();
        assert_eq!(
            s.url,
            "https://server.example.com/authorize?tenant=a&response_type=code\
             &client_id=s6BhdRkqt3&redirect_uri=https%3A%2F%2Fclient.example.com%2Fcb\
             &scope=read+write&state=q6urq6urq6urq6urq6urqw\
             &code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM\
             &code_challenge_method=S256&prompt=consent"
        );
        assert_eq!(s.pending.state(), STATE);
        assert_eq!(
            s.pending.code_verifier().expose(),
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        );
    }

    #[test]
    fn start_refuses_bad_input() {
        assert!(start(&client(), &params(), &[0; 15], &PKCE_RANDOM).is_err());
        assert!(start(&client(), &params(), &STATE_RANDOM, &[0; 8]).is_err());
        let mut no_endpoint = client();
        no_endpoint.authorize_url = None;
        assert!(start(&no_endpoint, &params(), &STATE_RANDOM, &PKCE_RANDOM).is_err());
        for uri in [
            "",
            "/cb",
            "cb",
            "https://x/cb#frag",
            "https://x/c b",
            ":x",
            "1a:/x",
        ] {
            let p = AuthorizationParams {
                redirect_uri: uri.into(),
                ..params()
            };
            assert!(
                start(&client(), &p, &STATE_RANDOM, &PKCE_RANDOM).is_err(),
                "{uri:?}"
            );
        }
        assert!(start(
            &client(),
            &AuthorizationParams {
                redirect_uri: "com.example.app:/oauth2redirect".into(),
                ..params()
            },
            &STATE_RANDOM,
            &PKCE_RANDOM
        )
        .is_ok());
    }

    #[test]
    fn callback_with_code() {
        let code = pending()
            .handle_callback(
                &client(),
                "https://client.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=q6urq6urq6urq6urq6urqw#_=_",
            )
            .unwrap();
        assert_eq!(code.code.expose(), "SplxlOBeZQQYbYS6WxSbIA");
        assert_eq!(code.redirect_uri, "https://client.example.com/cb");
        assert_eq!(
            code.code_verifier.unwrap().expose(),
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        );
    }

    #[test]
    fn callback_errors() {
        let cb = |q: &str| {
            pending()
                .handle_callback(&client(), &format!("https://client.example.com/cb?{q}"))
                .unwrap_err()
        };
        // RFC 6749 §4.1.2.1 example.
        let err = cb("error=access_denied&state=q6urq6urq6urq6urq6urqw");
        assert_eq!(err.code, ErrorCode::OAuthAccessDenied);
        assert_eq!(err.provider_code.as_deref(), Some("access_denied"));
        let err = cb(
            "error=invalid_scope&error_description=Unknown+scope+%22x%22\
                      &error_uri=https%3A%2F%2Fas.example%2Fe",
        );
        assert_eq!(err.code, ErrorCode::OAuthInvalidScope);
        assert_eq!(
            err.provider_description.as_deref(),
            Some("Unknown scope \"x\"")
        );
        assert!(
            err.message.ends_with("(see https://as.example/e)"),
            "{}",
            err.message
        );
        assert_eq!(cb("error=server_error").code, ErrorCode::ProviderError);
        assert_eq!(
            cb("error=temporarily_unavailable").code,
            ErrorCode::ProviderError
        );
        // A forged error with another state is a state mismatch.
        assert_eq!(
            cb("error=access_denied&state=forged").code,
            ErrorCode::StateMismatch
        );
        assert_eq!(cb("code=c&state=forged").code, ErrorCode::StateMismatch);
        assert_eq!(
            cb("code=c&state=q6urq6urq6urq6urq6urq").code,
            ErrorCode::StateMismatch
        );
        assert_eq!(cb("code=c").code, ErrorCode::StateMismatch);
        assert_eq!(
            cb("state=q6urq6urq6urq6urq6urqw").code,
            ErrorCode::InvalidArgument
        );
        assert_eq!(
            cb("code=&state=q6urq6urq6urq6urq6urqw").code,
            ErrorCode::InvalidArgument
        );
        assert_eq!(
            cb("code=a&code=b&state=q6urq6urq6urq6urq6urqw").code,
            ErrorCode::InvalidArgument
        );
        assert_eq!(cb("code=%zz&state=x").code, ErrorCode::InvalidArgument);
        let no_query = pending()
            .handle_callback(&client(), "https://client.example.com/cb")
            .unwrap_err();
        assert_eq!(no_query.code, ErrorCode::StateMismatch);
    }

    #[test]
    fn rfc9207_iss() {
        let mut c = client();
        c.issuer = Some("https://server.example.com".into());
        c.provider = Some("generic".into());
        let ok = "https://client.example.com/cb?code=c&state=q6urq6urq6urq6urq6urqw\
                  &iss=https%3A%2F%2Fserver.example.com";
        assert!(pending().handle_callback(&c, ok).is_ok());
        for bad in [
            "https://client.example.com/cb?code=c&state=q6urq6urq6urq6urq6urqw",
            "https://client.example.com/cb?code=c&state=q6urq6urq6urq6urq6urqw&iss=https%3A%2F%2Fevil.example",
            "https://client.example.com/cb?error=access_denied&iss=https%3A%2F%2Fevil.example",
        ] {
            let err = pending().handle_callback(&c, bad).unwrap_err();
            assert_eq!(err.code, ErrorCode::StateMismatch, "{bad}");
            assert_eq!(err.provider.as_deref(), Some("generic"));
        }
        // Without a configured issuer, iss is not checked.
        assert!(pending()
            .handle_callback(
                &client(),
                &ok.replace("server.example.com", "other.example")
            )
            .is_ok());
    }

    #[test]
    fn resume_round_trip() {
        let p = pending();
        let resumed =
            PendingAuthorization::resume(p.state(), p.code_verifier().expose(), p.redirect_uri())
                .unwrap();
        assert_eq!(resumed, p);
        assert!(
            PendingAuthorization::resume("", p.code_verifier().expose(), "https://x/").is_err()
        );
        assert!(PendingAuthorization::resume("s", "short", "https://x/").is_err());
        assert!(!format!("{p:?}").contains(p.code_verifier().expose()));
    }
}
