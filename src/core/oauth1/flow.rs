//! RFC 5849 §2: the three-legged flow as states that consume themselves (as rustls does), so
//! a step cannot be skipped or repeated:
//!
//! [`TemporaryCredentialsStep`] —response→ [`AuthorizationStep`] —callback→
//! [`TokenCredentialsStep`] —response→ [`TokenCredentials`].
//!
//! Between the authorization redirect and the callback the application must keep the
//! temporary credentials itself (a cookie, a KV entry): [`AuthorizationStep::resume`] rebuilds
//! the state from them.

use super::authorization::{RequestBody, SignableRequest, Signer};
use crate::core::error::{Error, ErrorCode, Result};
use crate::core::form;
use crate::core::http::{Request, Response};
use crate::core::secret::TokenSecret;
use crate::core::text::{concat, decimal, find};
use crate::core::url::Url;

/// Credentials returned by a token endpoint (§2.1 temporary, §2.3 token credentials).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenCredentials {
    /// `oauth_token`.
    pub token: String,
    /// `oauth_token_secret`.
    pub secret: TokenSecret,
    /// Every other parameter of the response (e.g. `user_id`), in order.
    pub extra: Vec<(String, String)>,
}

/// Step 1 (§2.1): ask for temporary credentials with a callback URI.
#[derive(Debug, Clone)]
pub struct TemporaryCredentialsStep {
    callback: String,
}

impl TemporaryCredentialsStep {
    /// `callback` is an absolute URI or `oob` (§2.1).
    pub fn new(callback: impl Into<String>) -> Result<Self> {
        let callback = callback.into();
        if callback != "oob" {
            Url::parse(&callback)?;
        }
        Ok(TemporaryCredentialsStep { callback })
    }

    /// The signed temporary credentials request (POST, `oauth_callback` signed).
    pub fn request(
        &self,
        consumer: &Signer,
        endpoint: &str,
        nonce: Option<&str>,
        timestamp: Option<u64>,
    ) -> Result<Request> {
        let req = SignableRequest {
            method: "POST",
            url: endpoint,
            callback: Some(&self.callback),
            ..Default::default()
        };
        without_token(consumer)
            .sign(&req, nonce, timestamp)
            .map(|s| s.request)
    }

    /// Parses the response; `oauth_callback_confirmed` MUST be `true` (§2.1).
    pub fn handle(self, response: &Response) -> Result<AuthorizationStep> {
        let creds = parse_credentials(response)?;
        let confirmed = creds
            .extra
            .iter()
            .any(|(k, v)| k == "oauth_callback_confirmed" && v == "true");
        if !confirmed {
            return Err(Error::new(
                ErrorCode::CallbackNotConfirmed,
                "the server did not confirm the callback (oauth_callback_confirmed=true missing)",
            ));
        }
        Ok(AuthorizationStep { temporary: creds })
    }
}

/// Step 2 (§2.2): send the resource owner to the authorization endpoint, then take the callback.
#[derive(Debug, Clone)]
pub struct AuthorizationStep {
    temporary: TokenCredentials,
}

impl AuthorizationStep {
    /// Rebuilds this step from the temporary credentials the application kept.
    pub fn resume(token: impl Into<String>, secret: impl Into<TokenSecret>) -> Self {
        AuthorizationStep {
            temporary: TokenCredentials {
                token: token.into(),
                secret: secret.into(),
                extra: Vec::new(),
            },
        }
    }

    /// The temporary credentials (to be kept by the application until the callback).
    pub fn temporary_credentials(&self) -> &TokenCredentials {
        &self.temporary
    }

    /// The resource owner authorization URI: `endpoint` with `oauth_token` added (§2.2).
    pub fn authorization_url(&self, endpoint: &str) -> Result<String> {
        let url = Url::parse(endpoint)?;
        Ok(url.with_extra_query(&form::serialize([(
            "oauth_token",
            self.temporary.token.as_str(),
        )])))
    }

    /// Takes the callback URL the server redirected to (§2.2): its `oauth_token` must be ours
    /// (compared in constant time) and it must carry `oauth_verifier`.
    pub fn handle_callback(self, callback_url: &str) -> Result<TokenCredentialsStep> {
        let url = Url::parse(callback_url)?;
        let params = form::parse_utf8(url.query().unwrap_or_default().as_bytes())?;
        let get = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        if let Some(problem) = get("oauth_problem").or(get("error")) {
            return Err(Error::new(
                ErrorCode::OAuthAccessDenied,
                "the resource owner did not authorize the request",
            )
            .with_provider_error(Some(problem.to_owned()), None));
        }
        let token = get("oauth_token").unwrap_or_default();
        if !crate::core::secret::constant_time_eq(token.as_bytes(), self.temporary.token.as_bytes())
        {
            return Err(Error::new(
                ErrorCode::StateMismatch,
                "the callback's oauth_token is not the one this flow started with",
            ));
        }
        let verifier = get("oauth_verifier")
            .filter(|v| !v.is_empty())
            .ok_or_else(|| Error::invalid_argument("the callback URL carries no oauth_verifier"))?;
        Ok(self.with_verifier(verifier))
    }

    /// Continues with a verifier the user typed in (out-of-band callback, §2.1 `oob`).
    pub fn with_verifier(self, verifier: &str) -> TokenCredentialsStep {
        TokenCredentialsStep {
            temporary: self.temporary,
            verifier: verifier.to_owned(),
        }
    }
}

/// Step 3 (§2.3): exchange temporary credentials and verifier for token credentials.
#[derive(Debug, Clone)]
pub struct TokenCredentialsStep {
    temporary: TokenCredentials,
    verifier: String,
}

impl TokenCredentialsStep {
    /// The signed token request, signed with the temporary credentials.
    pub fn request(
        &self,
        consumer: &Signer,
        endpoint: &str,
        nonce: Option<&str>,
        timestamp: Option<u64>,
    ) -> Result<Request> {
        let signer = without_token(consumer)
            .with_token(self.temporary.token.clone(), self.temporary.secret.clone());
        let req = SignableRequest {
            method: "POST",
            url: endpoint,
            body: RequestBody::Empty,
            verifier: Some(&self.verifier),
            ..Default::default()
        };
        signer.sign(&req, nonce, timestamp).map(|s| s.request)
    }

    /// Parses the token credentials.
    pub fn handle(self, response: &Response) -> Result<TokenCredentials> {
        parse_credentials(response)
    }
}

fn without_token(consumer: &Signer) -> Signer {
    let mut s = consumer.clone();
    s.token = None;
    s.token_secret = TokenSecret::default();
    s
}

/// Parses a form-encoded credentials response (§2.1, §2.3) or turns an error response into a
/// typed error. Whitespace around pairs is tolerated: ZapEvent's documented response has a line
/// break before `oauth_callback_confirmed`.
pub fn parse_credentials(response: &Response) -> Result<TokenCredentials> {
    if !response.is_success() {
        return Err(response_error(response));
    }
    let mut token = None;
    let mut secret = None;
    let mut extra = Vec::new();
    let malformed =
        || Error::parse("token response is not application/x-www-form-urlencoded UTF-8");
    for segment in response.body.split(|b| *b == b'&') {
        let segment = segment.trim_ascii();
        if segment.is_empty() {
            continue;
        }
        let (k, v) = match segment.iter().position(|b| *b == b'=') {
            Some(eq) => (&segment[..eq], &segment[eq + 1..]),
            None => (segment, &segment[segment.len()..]),
        };
        let k = String::from_utf8(form::decode_component(k)?).map_err(|_| malformed())?;
        let v = String::from_utf8(form::decode_component(v)?).map_err(|_| malformed())?;
        match k.as_str() {
            "oauth_token" if token.is_none() => token = Some(v),
            "oauth_token_secret" if secret.is_none() => secret = Some(TokenSecret::new(v)),
            _ => extra.push((k, v)),
        }
    }
    match (token, secret) {
        (Some(token), Some(secret)) if !token.is_empty() => Ok(TokenCredentials {
            token,
            secret,
            extra,
        }),
        _ => Err(Error::parse(
            "token response lacks oauth_token or oauth_token_secret",
        )),
    }
}

/// A typed error for a failed OAuth 1.0a exchange: OAuth Problem Reporting (`oauth_problem` in
/// the body or `WWW-Authenticate`), a ZapEvent `<error_code>` body, or the bare status.
pub fn response_error(response: &Response) -> Error {
    let body = String::from_utf8_lossy(&response.body);
    let mut problem: Option<(String, Option<String>)> = None;
    if let Ok(pairs) = form::parse_utf8(body.trim().as_bytes()) {
        let get = |n: &str| pairs.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
        if let Some(p) = get("oauth_problem") {
            problem = Some((p, get("oauth_problem_advice")));
        }
    }
    if problem.is_none() {
        if let Some(p) = response
            .header("www-authenticate")
            .and_then(|h| auth_param(h, "oauth_problem"))
        {
            problem = Some((p, None));
        }
    }
    if problem.is_none() {
        // ZapEvent: <error><error_code>6</error_code><error_msg>Key authentication failed</error_msg></error>
        if let Some(code) = xml_text(&body, "error_code") {
            problem = Some((code, xml_text(&body, "error_msg")));
        }
    }
    match problem {
        Some((code, description)) => Error::new(
            ErrorCode::ProviderError,
            concat(&[
                "the server rejected the request (HTTP ",
                &decimal(response.status.into()),
                ", ",
                &code,
                ")",
            ]),
        )
        .with_status(response.status)
        .with_provider_error(Some(code), description),
        None => Error::new(
            ErrorCode::HttpStatus,
            concat(&["unexpected HTTP status ", &decimal(response.status.into())]),
        )
        .with_status(response.status),
    }
}

fn auth_param(header: &str, name: &str) -> Option<String> {
    let start = find(header, &concat(&[name, "=\""]))? + name.len() + 2;
    let end = header[start..].find('"')? + start;
    Some(header[start..end].to_owned())
}

/// Text of the first `<tag>…</tag>`; enough for the two fields of an error body.
fn xml_text(body: &str, tag: &str) -> Option<String> {
    let open = concat(&["<", tag, ">"]);
    let start = find(body, &open)? + open.len();
    let end = find(&body[start..], &concat(&["</", tag, ">"]))? + start;
    Some(body[start..end].trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(body: &str) -> Response {
        Response {
            status: 200,
            headers: Vec::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn zapevent_request_token_response_with_its_line_break() {
        // Verbatim from the ZapEvent seed (Step 1 response), line break included.
        let body = "oauth_token=b51d543ead3b43d69fae0ab35101eea6&oauth_token_secret=471B0501CF909941547B37F2F6C795059FAC26AF&\noauth_callback_confirmed=true";
        let step = TemporaryCredentialsStep::new("http://myapp.com:3005/zapevent/callback_process")
            .unwrap();
        let auth = step.handle(&ok(body)).unwrap();
        let temp = auth.temporary_credentials();
        assert_eq!(temp.token, "b51d543ead3b43d69fae0ab35101eea6");
        assert_eq!(
            temp.secret.expose(),
            "471B0501CF909941547B37F2F6C795059FAC26AF"
        );
        assert_eq!(
            auth.authorization_url("https://www.zapevent.com/api/oauth/authorize").unwrap(),
            "https://www.zapevent.com/api/oauth/authorize?oauth_token=b51d543ead3b43d69fae0ab35101eea6"
        );
    }

    #[test]
    fn callback_must_be_confirmed_and_callbacks_must_match() {
        let step = TemporaryCredentialsStep::new("oob").unwrap();
        let err = step
            .handle(&ok("oauth_token=a&oauth_token_secret=b"))
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::CallbackNotConfirmed);
        let pending = AuthorizationStep::resume("a", "b");
        let err = pending
            .clone()
            .handle_callback("https://app/cb?oauth_token=x&oauth_verifier=v")
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::StateMismatch);
        assert!(pending
            .handle_callback("https://app/cb?oauth_token=a&oauth_verifier=v")
            .is_ok());
    }

    #[test]
    fn zapevent_error_body_is_typed() {
        let r = Response {
            status: 401,
            headers: Vec::new(),
            body: b"<error> <error_code>6</error_code> <error_msg>Key authentication failed</error_msg> </error>".to_vec(),
        };
        let err = parse_credentials(&r).unwrap_err();
        assert_eq!(
            (err.code, err.status),
            (ErrorCode::ProviderError, Some(401))
        );
        assert_eq!(err.provider_code.as_deref(), Some("6"));
        assert_eq!(
            err.provider_description.as_deref(),
            Some("Key authentication failed")
        );
    }
}
