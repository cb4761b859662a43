//! RFC 6749 §2: the client's registration as the core needs it (endpoints, credentials, how the
//! client authenticates, §2.3) plus the per-provider knobs that bend the RFC.

use crate::core::crypto::base64;
use crate::core::error::{Error, Result};
use crate::core::form;
use crate::core::secret::{ClientSecret, Secret};
use crate::core::text::concat;
use crate::core::url::Url;

/// How the client authenticates at the token endpoint (RFC 6749 §2.3, RFC 8414 names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ClientAuth {
    /// `client_secret_basic`: HTTP Basic (§2.3.1; every server MUST support it).
    #[default]
    Basic,
    /// `client_secret_post`: `client_id` and `client_secret` in the form body (§2.3.1, NOT
    /// RECOMMENDED by the RFC but the only method Priava and OmniFund document).
    Post,
    /// `none`: a public client; only `client_id` in the body (§2.1, §3.2.1).
    None,
}

impl ClientAuth {
    /// Parses `basic`, `post`, `none` or the RFC 8414 names `client_secret_basic`,
    /// `client_secret_post`.
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "basic" | "client_secret_basic" => Ok(ClientAuth::Basic),
            "post" | "client_secret_post" => Ok(ClientAuth::Post),
            "none" => Ok(ClientAuth::None),
            _ => Err(Error::invalid_argument(
                "clientAuth must be basic, post or none",
            )),
        }
    }
}

/// How `client_secret_basic` builds the Basic credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum BasicEncoding {
    /// RFC 6749 §2.3.1: id and secret are form-urlencoded (Appendix B) before
    /// `base64(id ":" secret)`, so a secret holding `: + / = %` or a space survives.
    #[default]
    Rfc6749,
    /// `base64(id ":" secret)` with the bytes as-is, as the Online Registration Center document
    /// shows (`base64_encode(CLIENT_ID + ":" + CLIENT_SECRET)`) and many servers expect.
    Raw,
}

impl BasicEncoding {
    /// Parses `rfc6749` or `raw`.
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "rfc6749" => Ok(BasicEncoding::Rfc6749),
            "raw" => Ok(BasicEncoding::Raw),
            _ => Err(Error::invalid_argument(
                "basicEncoding must be rfc6749 or raw",
            )),
        }
    }
}

/// The unit of `expires_in` in token responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ExpiresInUnit {
    /// RFC 6749 §5.1: seconds.
    #[default]
    Seconds,
    /// Online Registration Center: "expires after the amount of time set in the expires_in
    /// field (in hours)".
    Hours,
}

impl ExpiresInUnit {
    /// Milliseconds per unit.
    pub fn millis(self) -> f64 {
        match self {
            ExpiresInUnit::Seconds => 1_000.0,
            ExpiresInUnit::Hours => 3_600_000.0,
        }
    }
}

/// An OAuth 2 client registration plus the provider quirks the core must honour.
///
/// Build it with [`ClientConfig::new`] and set the public fields; every request builder calls
/// [`ClientConfig::validate`] first, so a bad value is an error at the first use, not a wrong
/// request on the wire.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientConfig {
    /// `client_id` (RFC 6749 §2.2).
    pub client_id: String,
    /// The client secret; required for [`ClientAuth::Basic`] and [`ClientAuth::Post`].
    pub client_secret: Option<ClientSecret>,
    /// Token endpoint (§3.2).
    pub token_url: String,
    /// Authorization endpoint (§3.1); only the authorization code flow needs it.
    pub authorize_url: Option<String>,
    /// Client authentication method at the token endpoint.
    pub auth: ClientAuth,
    /// How [`ClientAuth::Basic`] encodes the credentials.
    pub basic_encoding: BasicEncoding,
    /// Headers added to every token request, e.g. Priava's `TenantRegion: EU`. `Content-Type`,
    /// `Accept` and `Authorization` are the core's and may not be overridden.
    pub extra_headers: Vec<(String, String)>,
    /// Parameters added to every token request body unless the grant already sets that name,
    /// e.g. Priava's `redirect_uri`, which it requires on refresh too.
    pub extra_token_params: Vec<(String, String)>,
    /// Unit of `expires_in` in token responses.
    pub expires_in_unit: ExpiresInUnit,
    /// Fields a token response may carry the refresh token under, first match wins
    /// (default `["refresh_token"]`; ORC answers `access_refresh_token`).
    pub refresh_token_field_names: Vec<String>,
    /// The expected RFC 9207 `iss` of authorization responses; when set, a callback without it
    /// or with another value is refused (mix-up defence).
    pub issuer: Option<String>,
    /// Provider name put on errors (`"priava"`, …); `None` for a generic client.
    pub provider: Option<String>,
    /// Second names under which the authorization request repeats an RFC 6749 parameter,
    /// `(alias, rfc_name)`: ZapEvent documents `oauth_consumer_key`, `oauth_callback` and
    /// `responce_type` for `client_id`, `redirect_uri` and `response_type`.
    pub authorize_param_aliases: Vec<(&'static str, &'static str)>,
    /// Allows plain `http:` to non-loopback hosts. Loudly named on purpose: intranets and test
    /// rigs only.
    pub allow_insecure: bool,
}

impl ClientConfig {
    /// A client with RFC defaults: Basic (RFC 6749 encoding), `expires_in` in seconds, refresh
    /// token under `refresh_token`, HTTPS required.
    pub fn new(client_id: impl Into<String>, token_url: impl Into<String>) -> Self {
        ClientConfig {
            client_id: client_id.into(),
            client_secret: None,
            token_url: token_url.into(),
            authorize_url: None,
            auth: ClientAuth::Basic,
            basic_encoding: BasicEncoding::Rfc6749,
            extra_headers: Vec::new(),
            extra_token_params: Vec::new(),
            expires_in_unit: ExpiresInUnit::Seconds,
            refresh_token_field_names: vec!["refresh_token".to_owned()],
            issuer: None,
            provider: None,
            authorize_param_aliases: Vec::new(),
            allow_insecure: false,
        }
    }

    /// Sets the client secret.
    pub fn with_secret(mut self, secret: impl Into<ClientSecret>) -> Self {
        self.client_secret = Some(secret.into());
        self
    }

    /// Sets the authentication method.
    pub fn with_auth(mut self, auth: ClientAuth) -> Self {
        self.auth = auth;
        self
    }

    /// Checks everything a request builder relies on.
    pub fn validate(&self) -> Result<()> {
        if self.client_id.is_empty() {
            return Err(Error::invalid_argument("clientId must not be empty"));
        }
        self.token_endpoint()?;
        if self.authorize_url.is_some() {
            self.authorize_endpoint()?;
        }
        match self.auth {
            ClientAuth::Basic | ClientAuth::Post if self.client_secret.is_none() => {
                return Err(Error::invalid_argument(
                    "clientSecret is required for basic and post client authentication",
                ))
            }
            // RFC 7617 §2: the user-id of Basic cannot contain a colon; only the RFC 6749
            // encoding escapes it.
            ClientAuth::Basic
                if self.basic_encoding == BasicEncoding::Raw && self.client_id.contains(':') =>
            {
                return Err(Error::invalid_argument(
                    "a clientId containing ':' cannot be sent with raw Basic encoding",
                ))
            }
            _ => {}
        }
        for (name, value) in &self.extra_headers {
            validate_header(name, value)?;
        }
        if self.extra_token_params.iter().any(|(n, _)| n.is_empty()) {
            return Err(Error::invalid_argument(
                "extra token parameter names must not be empty",
            ));
        }
        if self.refresh_token_field_names.is_empty()
            || self.refresh_token_field_names.iter().any(String::is_empty)
        {
            return Err(Error::invalid_argument(
                "refreshTokenFieldNames must list at least one non-empty name",
            ));
        }
        Ok(())
    }

    /// The token endpoint, parsed and checked against the HTTPS rule.
    pub fn token_endpoint(&self) -> Result<Url> {
        let url = Url::parse(&self.token_url)?;
        url.require_secure(self.allow_insecure)?;
        Ok(url)
    }

    /// The authorization endpoint, parsed and checked against the HTTPS rule.
    pub fn authorize_endpoint(&self) -> Result<Url> {
        let raw = self
            .authorize_url
            .as_deref()
            .ok_or_else(|| Error::invalid_argument("authorizeUrl is not configured"))?;
        let url = Url::parse(raw)?;
        url.require_secure(self.allow_insecure)?;
        Ok(url)
    }

    /// The `Authorization` header value for [`ClientAuth::Basic`], `None` for other methods.
    pub fn basic_authorization(&self) -> Option<Secret> {
        if self.auth != ClientAuth::Basic {
            return None;
        }
        let secret = self.client_secret.as_ref()?.expose();
        let credentials = match self.basic_encoding {
            // RFC 6749 §2.3.1: "The client identifier is encoded using the
            // application/x-www-form-urlencoded encoding algorithm per Appendix B, and the
            // encoded value is used as the username; the client password is encoded using the
            // same algorithm and used as the password."
            BasicEncoding::Rfc6749 => concat(&[
                &form::form_encode(&self.client_id),
                ":",
                &form::form_encode(secret),
            ]),
            BasicEncoding::Raw => concat(&[&self.client_id, ":", secret]),
        };
        Some(Secret::new(concat(&[
            "Basic ",
            &base64::encode(credentials.as_bytes()),
        ])))
    }
}

/// Header names the token request builder sets itself.
const RESERVED_HEADERS: [&str; 3] = ["content-type", "accept", "authorization"];

/// RFC 9110 §5.1 field-name (a token) and §5.5 field-value without CR, LF or NUL, so a
/// configured header can neither inject another one nor make the host's `Headers` throw.
pub(crate) fn validate_header(name: &str, value: &str) -> Result<()> {
    let tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() || !name.bytes().all(tchar) {
        return Err(Error::invalid_argument(
            "extra header names must be RFC 9110 tokens",
        ));
    }
    if RESERVED_HEADERS
        .iter()
        .any(|r| r.eq_ignore_ascii_case(name))
    {
        return Err(Error::invalid_argument(
            "Content-Type, Accept and Authorization of token requests cannot be overridden",
        ));
    }
    if value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
        return Err(Error::invalid_argument(
            "extra header values must not contain CR, LF or NUL",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ErrorCode;

    fn basic(id: &str, secret: &str, encoding: BasicEncoding) -> String {
        let mut c = ClientConfig::new(id, "https://as.example/token").with_secret(secret);
        c.basic_encoding = encoding;
        c.basic_authorization().unwrap().expose().to_owned()
    }

    #[test]
    fn basic_rfc6749_form_encodes_before_base64() {
        // RFC 6749 Appendix B: " %&+£€" is form-encoded as "+%25%26%2B%C2%A3%E2%82%AC".
        // base64("id:+%25%26%2B%C2%A3%E2%82%AC") computed independently with coreutils base64.
        assert_eq!(
            basic("id", " %&+£€", BasicEncoding::Rfc6749),
            "Basic aWQ6KyUyNSUyNiUyQiVDMiVBMyVFMiU4MiVBQw=="
        );
        // Raw: base64("id: %&+£€") (UTF-8 bytes as-is).
        assert_eq!(
            basic("id", " %&+£€", BasicEncoding::Raw),
            "Basic aWQ6ICUmK8Kj4oKs"
        );
    }

    #[test]
    fn validation() {
        let ok = ClientConfig::new("c", "https://as.example/token").with_secret("s");
        assert!(ok.validate().is_ok());
        assert!(ClientConfig::new("c", "https://as.example/token")
            .validate()
            .is_err());
        assert!(ClientConfig::new("c", "http://127.0.0.1:9/t")
            .with_auth(ClientAuth::None)
            .validate()
            .is_ok());
        let insecure =
            ClientConfig::new("c", "http://as.example/token").with_auth(ClientAuth::None);
        assert_eq!(
            insecure.validate().unwrap_err().code,
            ErrorCode::InsecureUrl
        );
        assert!(ClientConfig {
            allow_insecure: true,
            ..insecure
        }
        .validate()
        .is_ok());
        let mut raw = ok.clone();
        raw.basic_encoding = BasicEncoding::Raw;
        raw.client_id = "a:b".into();
        assert!(raw.validate().is_err());
        for (n, v) in [
            ("Tenant Region", "EU"),
            ("TenantRegion", "EU\r\nX: y"),
            ("authorization", "x"),
            ("", "x"),
        ] {
            let mut c = ok.clone();
            c.extra_headers = vec![(n.into(), v.into())];
            assert!(c.validate().is_err(), "{n:?}");
        }
        let mut c = ok.clone();
        c.refresh_token_field_names.clear();
        assert!(c.validate().is_err());
        let mut c = ok;
        c.authorize_url = Some("http://as.example/authorize".into());
        assert_eq!(c.validate().unwrap_err().code, ErrorCode::InsecureUrl);
    }

    #[test]
    fn debug_redacts_the_secret() {
        let c = ClientConfig::new("c", "https://as.example/token").with_secret("hunter2");
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
