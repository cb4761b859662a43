//! RFC 6749 token requests (§4.1.3 authorization code, §6 refresh, §4.3.2 password, §4.4.2
//! client credentials) as plain [`Request`] values, with §2.3 client authentication applied.

use super::authorization::AuthorizationCode;
use super::client::{ClientAuth, ClientConfig};
use super::scope::validate_scope;
use crate::core::error::{Error, Result};
use crate::core::form;
use crate::core::http::Request;
use crate::core::secret::{ClientSecret, CodeVerifier, Password, RefreshToken, Secret};
use crate::core::text::concat;

/// A grant to exchange at the token endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Grant {
    /// §4.1.3 (+ RFC 7636 §4.5 `code_verifier`).
    AuthorizationCode {
        /// The code from the callback.
        code: Secret,
        /// REQUIRED when the authorization request carried one, and then identical.
        redirect_uri: Option<String>,
        /// The PKCE verifier.
        code_verifier: Option<CodeVerifier>,
    },
    /// §6.
    RefreshToken {
        /// The refresh token.
        refresh_token: RefreshToken,
        /// A narrower scope, if wanted (§6: MUST NOT exceed the original grant's).
        scope: Option<String>,
    },
    /// §4.3.2 resource owner password credentials (OmniFund).
    Password {
        /// The resource owner's username.
        username: String,
        /// The resource owner's password.
        password: Password,
        /// Requested scope.
        scope: Option<String>,
    },
    /// §4.4.2 (confidential clients only).
    ClientCredentials {
        /// Requested scope.
        scope: Option<String>,
    },
}

impl Grant {
    /// The `grant_type` value.
    pub fn grant_type(&self) -> &'static str {
        match self {
            Grant::AuthorizationCode { .. } => "authorization_code",
            Grant::RefreshToken { .. } => "refresh_token",
            Grant::Password { .. } => "password",
            Grant::ClientCredentials { .. } => "client_credentials",
        }
    }
}

impl From<AuthorizationCode> for Grant {
    fn from(code: AuthorizationCode) -> Self {
        Grant::AuthorizationCode {
            code: code.code,
            redirect_uri: Some(code.redirect_uri),
            code_verifier: code.code_verifier,
        }
    }
}

/// The token request for `grant`: `POST token_url`, `Content-Type:
/// application/x-www-form-urlencoded`, `Accept: application/json`, then `Authorization: Basic …`
/// (client_secret_basic), then the client's extra headers. The body is `grant_type`, the
/// grant's parameters, `client_id` (+ `client_secret` for client_secret_post; nothing for
/// Basic, §2.3.1 "MUST NOT use more than one authentication method"), then the client's extra
/// parameters whose names the request does not already carry.
pub fn token_request(client: &ClientConfig, grant: &Grant) -> Result<Request> {
    client.validate()?;
    let url = client.token_endpoint()?;
    let mut params: Vec<(&str, &str)> = vec![("grant_type", grant.grant_type())];
    match grant {
        Grant::AuthorizationCode {
            code,
            redirect_uri,
            code_verifier,
        } => {
            non_empty(code.expose(), "the authorization code")?;
            params.push(("code", code.expose()));
            if let Some(uri) = redirect_uri {
                non_empty(uri, "redirect_uri")?;
                params.push(("redirect_uri", uri));
            }
            if let Some(v) = code_verifier {
                params.push(("code_verifier", v.expose()));
            }
        }
        Grant::RefreshToken {
            refresh_token,
            scope,
        } => {
            non_empty(refresh_token.expose(), "the refresh token")?;
            params.push(("refresh_token", refresh_token.expose()));
            push_scope(&mut params, scope.as_deref())?;
        }
        Grant::Password {
            username,
            password,
            scope,
        } => {
            non_empty(username, "username")?;
            params.push(("username", username));
            params.push(("password", password.expose()));
            push_scope(&mut params, scope.as_deref())?;
        }
        Grant::ClientCredentials { scope } => {
            if client.auth == ClientAuth::None {
                // §4.4: "MUST only be used by confidential clients".
                return Err(Error::invalid_argument(
                    "the client_credentials grant needs client authentication (basic or post)",
                ));
            }
            push_scope(&mut params, scope.as_deref())?;
        }
    }
    let secret = client.client_secret.as_ref().map(ClientSecret::expose);
    match (client.auth, secret) {
        (ClientAuth::Post, Some(secret)) => {
            params.push(("client_id", &client.client_id));
            params.push(("client_secret", secret));
        }
        // §4.1.3 / §3.2.1: a public client identifies itself with client_id.
        (ClientAuth::None, _) => params.push(("client_id", &client.client_id)),
        _ => {}
    }
    for (name, value) in &client.extra_token_params {
        if !params.iter().any(|(n, _)| n == name) {
            params.push((name, value));
        }
    }
    let mut headers = vec![
        (
            "Content-Type".to_owned(),
            "application/x-www-form-urlencoded".to_owned(),
        ),
        ("Accept".to_owned(), "application/json".to_owned()),
    ];
    if let Some(basic) = client.basic_authorization() {
        headers.push(("Authorization".to_owned(), basic.expose().to_owned()));
    }
    headers.extend(client.extra_headers.iter().cloned());
    Ok(Request {
        method: "POST".to_owned(),
        url: url.with_extra_query(""),
        headers,
        body: Some(form::serialize(params).into_bytes()),
    })
}

fn non_empty(value: &str, what: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid_argument(concat(&[
            what,
            " must not be empty",
        ])));
    }
    Ok(())
}

fn push_scope<'a>(params: &mut Vec<(&'a str, &'a str)>, scope: Option<&'a str>) -> Result<()> {
    if let Some(scope) = scope {
        validate_scope(scope)?;
        params.push(("scope", scope));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    //! Every expected header and body below is derived by hand from the RFC text: the form
    //! encoding from RFC 6749 Appendix B (space → `+`, other reserved octets → `%XX`), the
    //! Basic values as base64 of the hand-written `id:secret` strings (computed with coreutils
    //! `base64`, not with this crate).
    use super::*;
    use crate::core::oauth2::client::BasicEncoding;
    use crate::core::ErrorCode;

    const URL: &str = "https://server.example.com/token";
    const ID: &str = "s6BhdRkqt3";
    /// A secret holding every character the two Basic encodings disagree on.
    const WEIRD: &str = "p:a+s/s=w%o rd";
    /// WEIRD form-encoded (Appendix B).
    const WEIRD_FORM: &str = "p%3Aa%2Bs%2Fs%3Dw%25o+rd";
    /// base64("s6BhdRkqt3:p%3Aa%2Bs%2Fs%3Dw%25o+rd")
    const BASIC_RFC: &str = "Basic czZCaGRSa3F0MzpwJTNBYSUyQnMlMkZzJTNEdyUyNW8rcmQ=";
    /// base64("s6BhdRkqt3:p:a+s/s=w%o rd")
    const BASIC_RAW: &str = "Basic czZCaGRSa3F0MzpwOmErcy9zPXclbyByZA==";

    #[derive(Clone, Copy, Debug)]
    enum Mode {
        BasicRfc,
        BasicRaw,
        Post,
        None,
    }

    fn client(mode: Mode) -> ClientConfig {
        let mut c = ClientConfig::new(ID, URL).with_secret(WEIRD);
        match mode {
            Mode::BasicRfc => {}
            Mode::BasicRaw => c.basic_encoding = BasicEncoding::Raw,
            Mode::Post => c.auth = ClientAuth::Post,
            Mode::None => {
                c.auth = ClientAuth::None;
                c.client_secret = None;
            }
        }
        c
    }

    fn headers(authorization: Option<&str>) -> Vec<(String, String)> {
        let mut h = vec![
            (
                "Content-Type".to_owned(),
                "application/x-www-form-urlencoded".to_owned(),
            ),
            ("Accept".to_owned(), "application/json".to_owned()),
        ];
        if let Some(a) = authorization {
            h.push(("Authorization".to_owned(), a.to_owned()));
        }
        h
    }

    fn assert_request(req: &Request, authorization: Option<&str>, body: &str) {
        assert_eq!(req.method, "POST");
        assert_eq!(req.url, URL);
        assert_eq!(req.headers, headers(authorization));
        assert_eq!(
            std::str::from_utf8(req.body.as_deref().unwrap()).unwrap(),
            body
        );
    }

    /// For each auth mode: the expected Authorization header and the body suffix it adds.
    fn auth_expectations(mode: Mode) -> (Option<String>, String) {
        match mode {
            Mode::BasicRfc => (Some(BASIC_RFC.to_owned()), String::new()),
            Mode::BasicRaw => (Some(BASIC_RAW.to_owned()), String::new()),
            Mode::Post => (
                None,
                format!("&client_id=s6BhdRkqt3&client_secret={WEIRD_FORM}"),
            ),
            Mode::None => (None, "&client_id=s6BhdRkqt3".to_owned()),
        }
    }

    const MODES: [Mode; 4] = [Mode::BasicRfc, Mode::BasicRaw, Mode::Post, Mode::None];

    #[test]
    fn authorization_code_in_every_auth_mode() {
        // RFC 6749 §4.1.3 example values + RFC 7636 Appendix B verifier.
        let grant = Grant::AuthorizationCode {
            code: "SplxlOBeZQQYbYS6WxSbIA".into(),
            redirect_uri: Some("https://client.example.com/cb".into()),
            code_verifier: Some("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into()),
        };
        for mode in MODES {
            let (auth, suffix) = auth_expectations(mode);
            let req = token_request(&client(mode), &grant).unwrap();
            assert_request(
                &req,
                auth.as_deref(),
                &format!(
                    "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA\
                     &redirect_uri=https%3A%2F%2Fclient.example.com%2Fcb\
                     &code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk{suffix}"
                ),
            );
        }
    }

    #[test]
    fn refresh_token_in_every_auth_mode() {
        // RFC 6749 §6 example.
        let grant = Grant::RefreshToken {
            refresh_token: "tGzv3JOkF0XG5Qx2TlKWIA".into(),
            scope: Some("read write".into()),
        };
        for mode in MODES {
            let (auth, suffix) = auth_expectations(mode);
            let req = token_request(&client(mode), &grant).unwrap();
            assert_request(
                &req,
                auth.as_deref(),
                &format!(
                    "grant_type=refresh_token&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA\
                     &scope=read+write{suffix}"
                ),
            );
        }
    }

    #[test]
    fn password_in_every_auth_mode() {
        // RFC 6749 §4.3.2 example, with a password that needs encoding.
        let grant = Grant::Password {
            username: "johndoe".into(),
            password: "A3ddj3w &=+".into(),
            scope: None,
        };
        for mode in MODES {
            let (auth, suffix) = auth_expectations(mode);
            let req = token_request(&client(mode), &grant).unwrap();
            assert_request(
                &req,
                auth.as_deref(),
                &format!("grant_type=password&username=johndoe&password=A3ddj3w+%26%3D%2B{suffix}"),
            );
        }
    }

    #[test]
    fn client_credentials_in_confidential_modes_only() {
        // RFC 6749 §4.4.2 example.
        let grant = Grant::ClientCredentials { scope: None };
        for mode in [Mode::BasicRfc, Mode::BasicRaw, Mode::Post] {
            let (auth, suffix) = auth_expectations(mode);
            let req = token_request(&client(mode), &grant).unwrap();
            assert_request(
                &req,
                auth.as_deref(),
                &format!("grant_type=client_credentials{suffix}"),
            );
        }
        let err = token_request(&client(Mode::None), &grant).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidArgument);
    }

    #[test]
    fn rfc6749_basic_example_header() {
        // RFC 6749 §4.1.3: "Authorization: Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW" for
        // s6BhdRkqt3 / gX1fBat3bV; plain characters encode the same both ways.
        for encoding in [BasicEncoding::Rfc6749, BasicEncoding::Raw] {
            let mut c = ClientConfig::new(ID, URL).with_secret("gX1fBat3bV");
            c.basic_encoding = encoding;
            let req = token_request(
                &c,
                &Grant::RefreshToken {
                    refresh_token: "tGzv3JOkF0XG5Qx2TlKWIA".into(),
                    scope: None,
                },
            )
            .unwrap();
            assert_eq!(
                req.header("authorization"),
                Some("Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW")
            );
            assert_eq!(
                req.body.as_deref(),
                Some(&b"grant_type=refresh_token&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA"[..])
            );
        }
    }

    #[test]
    fn extra_headers_and_params_priava_style() {
        let mut c = client(Mode::Post);
        c.extra_headers = vec![("TenantRegion".into(), "EU".into())];
        c.extra_token_params = vec![(
            "redirect_uri".into(),
            "https://my.app.com/oauth2callback".into(),
        )];
        let refresh = token_request(
            &c,
            &Grant::RefreshToken {
                refresh_token: "zzzzzzzz".into(),
                scope: None,
            },
        )
        .unwrap();
        let mut expected_headers = headers(None);
        expected_headers.push(("TenantRegion".into(), "EU".into()));
        assert_eq!(refresh.headers, expected_headers);
        assert_eq!(
            refresh.body.as_deref(),
            Some(
                format!(
                    "grant_type=refresh_token&refresh_token=zzzzzzzz&client_id=s6BhdRkqt3\
                     &client_secret={WEIRD_FORM}&redirect_uri=https%3A%2F%2Fmy.app.com%2Foauth2callback"
                )
                .as_bytes()
            )
        );
        // The code exchange already carries redirect_uri: the extra one is not repeated.
        let code = token_request(
            &c,
            &Grant::AuthorizationCode {
                code: "zzzzzzzz".into(),
                redirect_uri: Some("https://my.app.com/oauth2callback".into()),
                code_verifier: None,
            },
        )
        .unwrap();
        assert_eq!(
            code.body.as_deref(),
            Some(
                format!(
                    "grant_type=authorization_code&code=zzzzzzzz\
                     &redirect_uri=https%3A%2F%2Fmy.app.com%2Foauth2callback\
                     &client_id=s6BhdRkqt3&client_secret={WEIRD_FORM}"
                )
                .as_bytes()
            )
        );
    }

    #[test]
    fn bad_input_is_an_error() {
        let c = client(Mode::BasicRfc);
        let refresh = |rt: &str, scope: Option<&str>| Grant::RefreshToken {
            refresh_token: rt.into(),
            scope: scope.map(str::to_owned),
        };
        assert!(token_request(&c, &refresh("", None)).is_err());
        for scope in ["", "a  b", " a", "a\"b", "a\\b", "é", "a\tb"] {
            assert!(
                token_request(&c, &refresh("rt", Some(scope))).is_err(),
                "{scope:?}"
            );
        }
        assert!(token_request(
            &c,
            &Grant::Password {
                username: String::new(),
                password: "p".into(),
                scope: None
            }
        )
        .is_err());
        let mut insecure = c.clone();
        insecure.token_url = "http://server.example.com/token".into();
        assert_eq!(
            token_request(&insecure, &refresh("rt", None))
                .unwrap_err()
                .code,
            ErrorCode::InsecureUrl
        );
        let mut loopback = c;
        loopback.token_url = "http://127.0.0.1:8787/oauth2/token".into();
        assert_eq!(
            token_request(&loopback, &refresh("rt", None)).unwrap().url,
            "http://127.0.0.1:8787/oauth2/token"
        );
    }
}
