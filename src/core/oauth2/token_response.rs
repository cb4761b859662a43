//! RFC 6749 §5.1 successful and §5.2 error token responses, parsed tolerantly (providers bend
//! the RFC) into a [`TokenSet`] with an absolute expiry, or into a typed [`Error`].

use super::client::{ClientConfig, ExpiresInUnit};
use crate::core::error::{Error, ErrorCode, Result};
use crate::core::form;
use crate::core::http::{parse_retry_after, Response};
use crate::core::parse::{Map, Value};
use crate::core::secret::{AccessToken, RefreshToken, Secret};
use crate::core::text::{concat, decimal, decimal_number};
use std::fmt;

/// An `expires_in` beyond this (100 years) is not a deadline anyone means: it is treated as
/// "does not expire" instead of overflowing or pinning a date in the far future.
pub const MAX_LIFETIME_MS: u64 = 100 * 365 * 24 * 3_600_000;

/// The tokens of one grant, with `expires_in` turned into an absolute time.
///
/// Leaves the core only through the explicit [`TokenSet::to_json`] (and comes back through
/// [`TokenSet::from_json`]): the stable camelCase shape JS stores persist,
/// `{"accessToken","refreshToken","tokenType","expiresAt","scope"}` (the five keys always
/// present, `null` when absent; `expiresAt` in ms since the epoch), plus `"idToken"` and
/// `"extra"` only when present. No `Serialize`: a token set cannot reach a log or an error
/// through serde by accident. `Debug` prints no token.
#[derive(Clone, PartialEq)]
pub struct TokenSet {
    /// `access_token`.
    pub access_token: AccessToken,
    /// The refresh token, under whichever configured field name it came.
    pub refresh_token: Option<RefreshToken>,
    /// `token_type` as received (`BEARER`, `bearer`, …); `Bearer` when the provider omits it
    /// (the Online Registration Center does). Compare with [`TokenSet::is_bearer`].
    pub token_type: String,
    /// Absolute expiry, ms since the epoch; `None` when unknown or non-expiring.
    pub expires_at_ms: Option<u64>,
    /// `scope` (§5.1: omitted when identical to the requested scope; `null` tolerated).
    pub scope: Option<String>,
    /// OpenID Connect `id_token`, if any.
    pub id_token: Option<Secret>,
    /// Every other member of the response (e.g. `user_id`), as received.
    pub extra: Map,
}

impl TokenSet {
    /// A token set holding only an access token: Bearer, no expiry, no refresh token (e.g. the
    /// ClassLink OneRoster proxy's static console token).
    pub fn bearer(access_token: impl Into<AccessToken>) -> TokenSet {
        TokenSet {
            access_token: access_token.into(),
            refresh_token: None,
            token_type: "Bearer".to_owned(),
            expires_at_ms: None,
            scope: None,
            id_token: None,
            extra: Map::new(),
        }
    }

    /// True when `token_type` is `Bearer` in any case (RFC 6749 §5.1: case-insensitive).
    pub fn is_bearer(&self) -> bool {
        self.token_type.eq_ignore_ascii_case("bearer")
    }

    /// The persisted shape (see the type's doc): the one way tokens leave the core.
    pub fn to_json(&self) -> Value {
        // Built by hand rather than serialized (a serde_json value serializer less in the module).
        let text = |s: Option<&str>| s.map_or(Value::Null, |s| Value::String(s.to_owned()));
        let mut json = Map::new();
        let mut put = |key: &str, value: Value| json.insert(key.to_owned(), value);
        put("accessToken", text(Some(self.access_token.expose())));
        put(
            "refreshToken",
            text(self.refresh_token.as_ref().map(|t| t.expose())),
        );
        put("tokenType", text(Some(&self.token_type)));
        put(
            "expiresAt",
            self.expires_at_ms.map_or(Value::Null, Value::from),
        );
        put("scope", text(self.scope.as_deref()));
        if let Some(id_token) = &self.id_token {
            put("idToken", text(Some(id_token.expose())));
        }
        if !self.extra.is_empty() {
            put("extra", Value::Object(self.extra.clone()));
        }
        Value::Object(json)
    }

    /// Reads the persisted shape back; `Err` names what is wrong (without any value).
    ///
    /// Read by hand from the tree rather than through a serde derive: serde_json's typed
    /// deserialization brings its error messages, which format floats (core's float printing,
    /// ~7 KB brotli in the module). The rules are the derive's: unknown keys are ignored, `null`
    /// is "absent" for the optional fields (not for `extra`, a map), and serde's positional form of a struct (an array in
    /// field order) is accepted too.
    pub fn from_json(value: Value) -> std::result::Result<TokenSet, String> {
        const FIELDS: [&str; 7] = [
            "accessToken",
            "refreshToken",
            "tokenType",
            "expiresAt",
            "scope",
            "idToken",
            "extra",
        ];
        let wrong = || "a field has the wrong type".to_owned();
        let mut object = match value {
            Value::Object(object) => object,
            Value::Array(items) if items.len() <= FIELDS.len() => {
                // A loop, not `collect()`: collecting a map sorts its pairs first, and that
                // sort was 2.5 KB of the module.
                let mut object = Map::new();
                for (k, v) in FIELDS.iter().zip(items) {
                    object.insert((*k).to_owned(), v);
                }
                object
            }
            _ => return Err(wrong()),
        };
        let mut text = |key: &str| match object.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(wrong()),
        };
        let json = TokenSetJson {
            access_token: text("accessToken")?.ok_or_else(wrong)?,
            refresh_token: text("refreshToken")?,
            token_type: text("tokenType")?,
            scope: text("scope")?,
            id_token: text("idToken")?,
            // `expiresAt` written by JS may be a float (`Date.now() + x * 1000.5`) or `null`.
            expires_at: match object.remove("expiresAt") {
                None | Some(Value::Null) => None,
                Some(Value::Number(n)) => match n.as_f64() {
                    Some(v) if (0.0..9.0e15).contains(&v) => Some(v as u64),
                    _ => return Err("expiresAt must be a non-negative number of ms".to_owned()),
                },
                Some(_) => return Err(wrong()),
            },
            extra: match object.remove("extra") {
                None => Map::new(),
                Some(Value::Object(extra)) => extra,
                Some(_) => return Err(wrong()),
            },
        };
        TokenSet::try_from(json)
    }

    /// The result of a refresh, completed from the tokens it replaces: a response without a
    /// refresh token keeps the previous one (RFC 6749 §6: the server MAY issue a new one), and
    /// one without `scope` keeps the previous scope (§5.1: omitted means unchanged).
    pub fn merge_refresh(mut self, previous: &TokenSet) -> TokenSet {
        if self.refresh_token.is_none() {
            self.refresh_token = previous.refresh_token.clone();
        }
        if self.scope.is_none() {
            self.scope = previous.scope.clone();
        }
        self
    }
}

impl fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `extra` may hold provider secrets under names we do not know: keys only.
        f.debug_struct("TokenSet")
            .field("access_token", &self.access_token)
            .field("refresh_token", &self.refresh_token)
            .field("token_type", &self.token_type)
            .field("expires_at_ms", &self.expires_at_ms)
            .field("scope", &self.scope)
            .field("id_token", &self.id_token)
            .field("extra", &self.extra.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The fields of the persisted shape, read by [`TokenSet::from_json`].
struct TokenSetJson {
    access_token: String,
    refresh_token: Option<String>,
    token_type: Option<String>,
    expires_at: Option<u64>,
    scope: Option<String>,
    id_token: Option<String>,
    extra: Map,
}

impl TryFrom<TokenSetJson> for TokenSet {
    type Error = String;
    fn try_from(j: TokenSetJson) -> std::result::Result<Self, String> {
        if j.access_token.is_empty() {
            return Err("accessToken must not be empty".to_owned());
        }
        Ok(TokenSet {
            access_token: AccessToken::new(j.access_token),
            refresh_token: j
                .refresh_token
                .filter(|s| !s.is_empty())
                .map(RefreshToken::new),
            token_type: j
                .token_type
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "Bearer".to_owned()),
            expires_at_ms: j.expires_at,
            scope: j.scope,
            id_token: j.id_token.map(Secret::new),
            extra: j.extra,
        })
    }
}

/// Parses a token endpoint response: 2xx with an `access_token` → [`TokenSet`]; anything else
/// → the typed error of [`token_error`]. `now_ms` anchors `expires_in`.
///
/// Tolerated: `expires_in` as a number, a float or a numeric string, in the client's unit;
/// `token_type` in any case or missing; the refresh token under any configured name; `scope`
/// `null` or a JSON array of strings; a form-encoded body instead of JSON; a 2xx body that is
/// really an §5.2 error. Decided: `expires_in` of `0` and lifetimes over [`MAX_LIFETIME_MS`]
/// mean "no known expiry" (`expires_at_ms: None`: treating 0 as "already expired" would
/// refresh on every call); a negative or non-numeric `expires_in` is a [`ErrorCode::Parse`]
/// error, as is an access token a header cannot carry.
pub fn parse_token_response(
    client: &ClientConfig,
    response: &Response,
    now_ms: u64,
) -> Result<TokenSet> {
    if !response.is_success() {
        return Err(token_error(response, client.provider.as_deref(), now_ms));
    }
    let mut fields = parse_body(&response.body).ok_or_else(|| {
        with_provider(
            Error::parse("the token response is not a JSON object").with_status(response.status),
            client.provider.as_deref(),
        )
    })?;
    let no_access_token = !matches!(fields.get("access_token"), Some(Value::String(_)));
    if no_access_token && matches!(fields.get("error"), Some(Value::String(_))) {
        // Some servers answer 200 with an §5.2 body.
        return Err(token_error(response, client.provider.as_deref(), now_ms));
    }
    token_set_from_fields(client, &mut fields, now_ms)
        .map_err(|e| with_provider(e.with_status(response.status), client.provider.as_deref()))
}

fn token_set_from_fields(client: &ClientConfig, fields: &mut Map, now_ms: u64) -> Result<TokenSet> {
    let access_token = match fields.remove("access_token") {
        Some(Value::String(s)) if !s.is_empty() => s,
        _ => return Err(Error::parse("the token response has no access_token")),
    };
    // It goes into an Authorization header: no spaces, controls or non-ASCII (RFC 6750 §2.1
    // b64token is stricter; real tokens use `|` and such, so only what breaks a header fails).
    if !access_token.bytes().all(|b| (0x21..0x7f).contains(&b)) {
        return Err(Error::parse(
            "the access_token contains characters an HTTP header cannot carry",
        ));
    }
    let token_type = match fields.remove("token_type") {
        None | Some(Value::Null) => "Bearer".to_owned(),
        Some(Value::String(s)) if s.trim().is_empty() => "Bearer".to_owned(),
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(_) => return Err(Error::parse("token_type is not a string")),
    };
    let expires_at_ms = expires_at(
        fields.remove("expires_in").as_ref(),
        client.expires_in_unit,
        now_ms,
    )?;
    let mut refresh_token = None;
    for name in &client.refresh_token_field_names {
        match fields.remove(name) {
            Some(Value::String(s)) if !s.is_empty() && refresh_token.is_none() => {
                refresh_token = Some(RefreshToken::new(s))
            }
            Some(Value::String(_)) | Some(Value::Null) | None => {}
            Some(_) => return Err(Error::parse("the refresh token is not a string")),
        }
    }
    let scope = match fields.remove("scope") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|v| v.as_str().ok_or(()))
                .collect::<std::result::Result<Vec<_>, ()>>()
                .map_err(|_| Error::parse("scope is not a string"))?
                .join(" "),
        ),
        Some(_) => return Err(Error::parse("scope is not a string")),
    };
    let id_token = match fields.remove("id_token") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(Secret::new(s)),
        Some(_) => return Err(Error::parse("id_token is not a string")),
    };
    Ok(TokenSet {
        access_token: AccessToken::new(access_token),
        refresh_token,
        token_type,
        expires_at_ms,
        scope,
        id_token,
        extra: std::mem::take(fields),
    })
}

/// `expires_in` → absolute ms. See [`parse_token_response`] for the decisions.
fn expires_at(value: Option<&Value>, unit: ExpiresInUnit, now_ms: u64) -> Result<Option<u64>> {
    let bad = || Error::parse("expires_in is not a non-negative number");
    let lifetime = match value {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n.as_f64().ok_or_else(bad)?,
        Some(Value::String(s)) => {
            let s = s.trim();
            // Rust's f64 parser also takes "inf" and "NaN": digits only (and decimal_number reads
            // no more).
            if s.is_empty()
                || !s
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
            {
                return Err(bad());
            }
            decimal_number(s).ok_or_else(bad)?
        }
        Some(_) => return Err(bad()),
    };
    if !lifetime.is_finite() || lifetime < 0.0 {
        return Err(bad());
    }
    let ms = lifetime * unit.millis();
    if lifetime == 0.0 || ms > MAX_LIFETIME_MS as f64 {
        return Ok(None);
    }
    Ok(Some(now_ms.saturating_add(ms as u64)))
}

/// A JSON object body (a UTF-8 BOM tolerated), or a form-encoded one carrying `access_token`
/// or `error` (servers that ignore `Accept: application/json`).
fn parse_body(body: &[u8]) -> Option<Map> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    match crate::core::parse::json::parse(body) {
        Ok(Value::Object(map)) => return Some(map),
        Ok(_) => return None,
        Err(_) => {}
    }
    let text = std::str::from_utf8(body).ok()?.trim();
    let pairs = form::parse_utf8(text.as_bytes()).ok()?;
    if !pairs
        .iter()
        .any(|(k, _)| k == "access_token" || k == "error")
    {
        return None;
    }
    // A repeated parameter: its first value.
    let members = pairs.into_iter().map(|(k, v)| (k, Value::String(v)));
    Some(Map::from_members(members.collect(), &mut |_, _| {}))
}

/// The [`ErrorCode`] of an RFC 6749 §5.2 / §4.1.2.1 `error` value.
pub fn oauth_error_code(error: &str) -> ErrorCode {
    match error {
        "invalid_request" => ErrorCode::OAuthInvalidRequest,
        "invalid_client" => ErrorCode::OAuthInvalidClient,
        "invalid_grant" => ErrorCode::OAuthInvalidGrant,
        "unauthorized_client" => ErrorCode::OAuthUnauthorizedClient,
        "unsupported_grant_type" => ErrorCode::OAuthUnsupportedGrantType,
        "invalid_scope" => ErrorCode::OAuthInvalidScope,
        "access_denied" => ErrorCode::OAuthAccessDenied,
        _ => ErrorCode::ProviderError,
    }
}

/// An error for an RFC 6749 `error` value (`who` names the endpoint in the message). The
/// value goes into the message only when it has §5.2's syntax and a sane length.
pub(crate) fn oauth_error(who: &str, error: &str, description: Option<String>) -> Error {
    let printable = error.len() <= 64
        && !error.is_empty()
        && error
            .bytes()
            .all(|b| matches!(b, 0x20..=0x21 | 0x23..=0x5b | 0x5d..=0x7e));
    let message = if printable {
        concat(&["the ", who, " answered ", error])
    } else {
        concat(&["the ", who, " answered an error"])
    };
    Error::new(oauth_error_code(error), message)
        .with_provider_error(Some(error.to_owned()), description)
}

/// The typed error of a failed token request (RFC 6749 §5.2): a JSON `error` maps to its
/// code (`invalid_grant` → [`ErrorCode::OAuthInvalidGrant`], …, unknown → `ProviderError`),
/// carrying `error` and `error_description`; 429 and 503 are [`ErrorCode::RateLimited`] with
/// `retry_after` from `Retry-After`; any other body is [`ErrorCode::HttpStatus`].
pub fn token_error(response: &Response, provider: Option<&str>, now_ms: u64) -> Error {
    let status = response.status;
    let fields = parse_body(&response.body);
    let oauth = fields.as_ref().and_then(|f| match f.get("error") {
        Some(Value::String(e)) => Some((
            e.clone(),
            f.get("error_description")
                .and_then(Value::as_str)
                .map(str::to_owned),
        )),
        _ => None,
    });
    let retry_after = response
        .header("retry-after")
        .and_then(|v| parse_retry_after(v, now_ms))
        .map(|ms| ms as f64 / 1000.0);
    let mut err = match oauth {
        Some((error, description)) => oauth_error("token endpoint", &error, description),
        None => Error::new(
            ErrorCode::HttpStatus,
            concat(&["the token endpoint answered HTTP ", &decimal(status.into())]),
        ),
    };
    if super::retry::is_retryable_status(status) {
        err.code = ErrorCode::RateLimited;
        err.message = concat(&[
            "the token endpoint is rate limiting (HTTP ",
            &decimal(status.into()),
            ")",
        ]);
    }
    with_provider(
        err.with_status(status).with_retry_after(retry_after),
        provider,
    )
}

pub(crate) fn with_provider(mut err: Error, provider: Option<&str>) -> Error {
    if err.provider.is_none() {
        err.provider = provider.map(Into::into);
    }
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_700_000_000_000;

    fn client() -> ClientConfig {
        ClientConfig::new("c", "https://as.example/token").with_secret("s")
    }

    fn response(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    fn parse(body: &str) -> Result<TokenSet> {
        parse_token_response(&client(), &response(200, body), NOW)
    }

    #[test]
    fn rfc6749_section_5_1_example() {
        let t = parse(
            r#"{"access_token":"2YotnFZFEjr1zCsicMWpAA","token_type":"example",
                "expires_in":3600,"refresh_token":"tGzv3JOkF0XG5Qx2TlKWIA",
                "example_parameter":"example_value"}"#,
        )
        .unwrap();
        assert_eq!(t.access_token.expose(), "2YotnFZFEjr1zCsicMWpAA");
        assert_eq!(
            t.refresh_token.as_ref().map(RefreshToken::expose),
            Some("tGzv3JOkF0XG5Qx2TlKWIA")
        );
        assert_eq!(t.token_type, "example");
        assert_eq!(t.expires_at_ms, Some(NOW + 3_600_000));
        assert_eq!(t.extra["example_parameter"], "example_value");
        assert_eq!(t.extra.len(), 1);
    }

    #[test]
    fn provider_shapes() {
        // OmniFund seed: "scope": null, "token_type": "bearer".
        let t = parse(r#"{"access_token":"a","expires_in":3600,"refresh_token":"r","scope":null,"token_type":"bearer"}"#).unwrap();
        assert!(t.is_bearer());
        assert_eq!(t.scope, None);
        // Priava seed: "token_type" : "BEARER", expires_in 21600 seconds.
        let t = parse(r#"{ "access_token": "x", "refresh_token": "y", "token_type" : "BEARER", "expires_in": 21600 }"#).unwrap();
        assert!(t.is_bearer());
        assert_eq!(t.token_type, "BEARER");
        assert_eq!(t.expires_at_ms, Some(NOW + 21_600_000));
        // ORC seed: access_refresh_token, expires_in in hours, no token_type.
        let mut orc = client();
        orc.expires_in_unit = ExpiresInUnit::Hours;
        orc.refresh_token_field_names = vec!["refresh_token".into(), "access_refresh_token".into()];
        let t = parse_token_response(
            &orc,
            &response(
                200,
                r#"{"access_token":"a","access_refresh_token":"r2","expires_in":24}"#,
            ),
            NOW,
        )
        .unwrap();
        assert_eq!(t.refresh_token.unwrap().expose(), "r2");
        assert_eq!(t.expires_at_ms, Some(NOW + 24 * 3_600_000));
        assert_eq!(t.token_type, "Bearer");
        assert!(t.extra.is_empty());
    }

    #[test]
    fn expires_in_forms() {
        let at = |v: &str| parse(&format!(r#"{{"access_token":"a","expires_in":{v}}}"#));
        assert_eq!(at("\"3600\"").unwrap().expires_at_ms, Some(NOW + 3_600_000));
        assert_eq!(at("\" 60 \"").unwrap().expires_at_ms, Some(NOW + 60_000));
        assert_eq!(at("59.5").unwrap().expires_at_ms, Some(NOW + 59_500));
        assert_eq!(at("null").unwrap().expires_at_ms, None);
        assert_eq!(at("0").unwrap().expires_at_ms, None);
        assert_eq!(at("1e300").unwrap().expires_at_ms, None);
        assert_eq!(at("18446744073709551615").unwrap().expires_at_ms, None);
        assert_eq!(
            parse(r#"{"access_token":"a"}"#).unwrap().expires_at_ms,
            None
        );
        for bad in [
            "-1", "\"-5\"", "\"soon\"", "\"inf\"", "\"NaN\"", "\"\"", "true", "[1]",
        ] {
            assert_eq!(at(bad).unwrap_err().code, ErrorCode::Parse, "{bad}");
        }
        // Near the end of time: saturates instead of overflowing.
        let t = parse_token_response(
            &client(),
            &response(200, r#"{"access_token":"a","expires_in":10}"#),
            u64::MAX - 5,
        )
        .unwrap();
        assert_eq!(t.expires_at_ms, Some(u64::MAX));
    }

    #[test]
    fn tolerated_and_refused_shapes() {
        let t = parse(r#"{"access_token":"a","scope":["read","write"]}"#).unwrap();
        assert_eq!(t.scope.as_deref(), Some("read write"));
        let t = parse("\u{feff}{\"access_token\":\"a\",\"refresh_token\":\"\"}").unwrap();
        assert_eq!(t.refresh_token, None);
        let t = parse("access_token=a%2Bb&token_type=bearer&expires_in=60").unwrap();
        assert_eq!(t.access_token.expose(), "a+b");
        assert_eq!(t.expires_at_ms, Some(NOW + 60_000));
        for bad in [
            "",
            "not json",
            "[]",
            "{\"access_token\":\"a\"",
            r#"{"token_type":"bearer"}"#,
            r#"{"access_token":""}"#,
            r#"{"access_token":42}"#,
            r#"{"access_token":"a b"}"#,
            r#"{"access_token":"a\r\nX-Evil: 1"}"#,
            r#"{"access_token":"a","token_type":1}"#,
            r#"{"access_token":"a","scope":1}"#,
            r#"{"access_token":"a","refresh_token":{}}"#,
        ] {
            assert_eq!(parse(bad).unwrap_err().code, ErrorCode::Parse, "{bad}");
        }
    }

    #[test]
    fn error_bodies_map_to_codes() {
        for (error, code) in [
            ("invalid_request", ErrorCode::OAuthInvalidRequest),
            ("invalid_client", ErrorCode::OAuthInvalidClient),
            ("invalid_grant", ErrorCode::OAuthInvalidGrant),
            ("unauthorized_client", ErrorCode::OAuthUnauthorizedClient),
            (
                "unsupported_grant_type",
                ErrorCode::OAuthUnsupportedGrantType,
            ),
            ("invalid_scope", ErrorCode::OAuthInvalidScope),
            ("server_error", ErrorCode::ProviderError),
            ("error_code", ErrorCode::ProviderError),
        ] {
            let body = format!(
                r#"{{"error":"{error}","error_description":"A human readable error message"}}"#
            );
            let err = parse_token_response(&client(), &response(400, &body), NOW).unwrap_err();
            assert_eq!(err.code, code, "{error}");
            assert_eq!(err.status, Some(400));
            assert_eq!(err.provider_code.as_deref(), Some(error));
            assert_eq!(
                err.provider_description.as_deref(),
                Some("A human readable error message")
            );
        }
        let mut c = client();
        c.provider = Some("priava".into());
        let err = parse_token_response(&c, &response(401, r#"{"error":"invalid_client"}"#), NOW)
            .unwrap_err();
        assert_eq!(err.provider.as_deref(), Some("priava"));
        assert_eq!(err.status, Some(401));
        assert_eq!(err.provider_description, None);
        // 200 with an error body.
        let err = parse(r#"{"error":"invalid_grant"}"#).unwrap_err();
        assert_eq!(err.code, ErrorCode::OAuthInvalidGrant);
        assert_eq!(err.status, Some(200));
        // Non-JSON error.
        let err = parse_token_response(&client(), &response(502, "<html>Bad gateway</html>"), NOW)
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::HttpStatus);
        assert_eq!(err.status, Some(502));
        assert_eq!(err.provider_code, None);
    }

    #[test]
    fn rate_limits_carry_retry_after() {
        let mut r = response(
            429,
            r#"{"error":"rate_limited","error_description":"injected 429 fault","retry_after":"7"}"#,
        );
        r.headers.push(("Retry-After".into(), "7".into()));
        let err = parse_token_response(&client(), &r, NOW).unwrap_err();
        assert_eq!(err.code, ErrorCode::RateLimited);
        assert_eq!(err.retry_after, Some(7.0));
        assert_eq!(err.provider_code.as_deref(), Some("rate_limited"));
        let err = token_error(&response(503, ""), None, NOW);
        assert_eq!(err.code, ErrorCode::RateLimited);
        assert_eq!(err.retry_after, None);
    }

    #[test]
    fn odd_error_values_stay_out_of_the_message() {
        let err = token_error(&response(400, r#"{"error":"bad\"one\u0001"}"#), None, NOW);
        assert_eq!(err.message, "the token endpoint answered an error");
        assert_eq!(err.provider_code.as_deref(), Some("bad\"one\u{1}"));
        let err = token_error(&response(400, r#"{"error":"invalid_grant"}"#), None, NOW);
        assert_eq!(err.message, "the token endpoint answered invalid_grant");
    }

    #[test]
    fn merge_refresh_keeps_the_old_refresh_token_and_scope() {
        let old = parse(r#"{"access_token":"a1","refresh_token":"r1","scope":"read"}"#).unwrap();
        let new = parse(r#"{"access_token":"a2","expires_in":60}"#).unwrap();
        let merged = new.merge_refresh(&old);
        assert_eq!(merged.access_token.expose(), "a2");
        assert_eq!(merged.refresh_token.as_ref().unwrap().expose(), "r1");
        assert_eq!(merged.scope.as_deref(), Some("read"));
        let rotated = parse(r#"{"access_token":"a3","refresh_token":"r3","scope":"write"}"#)
            .unwrap()
            .merge_refresh(&old);
        assert_eq!(rotated.refresh_token.unwrap().expose(), "r3");
        assert_eq!(rotated.scope.as_deref(), Some("write"));
    }

    #[test]
    fn json_shape_is_stable_camel_case() {
        use serde_json::json;
        let t = parse(r#"{"access_token":"a","refresh_token":"r","token_type":"BEARER","expires_in":60,"scope":null}"#).unwrap();
        let json = t.to_json();
        assert_eq!(
            json,
            json!({"accessToken": "a", "refreshToken": "r", "tokenType": "BEARER",
                   "expiresAt": NOW + 60_000, "scope": null})
        );
        assert_eq!(TokenSet::from_json(json).unwrap(), t);
        assert_eq!(
            TokenSet::bearer("static").to_json(),
            json!({"accessToken": "static", "refreshToken": null, "tokenType": "Bearer",
                   "expiresAt": null, "scope": null})
        );
        let full = parse(r#"{"access_token":"a","id_token":"i","user_id":7}"#).unwrap();
        let json = full.to_json();
        assert_eq!(json["idToken"], "i");
        assert_eq!(json["extra"], json!({"user_id": 7}));
        assert_eq!(TokenSet::from_json(json).unwrap(), full);
    }

    #[test]
    fn json_input_is_read_leniently_but_not_blindly() {
        let t = TokenSet::from_json(
            crate::core::parse::json::parse(br#"{"accessToken":"a","expiresAt":1700000000000.7}"#)
                .unwrap(),
        )
        .unwrap();
        assert_eq!(t.expires_at_ms, Some(1_700_000_000_000));
        assert_eq!(t.token_type, "Bearer");
        assert_eq!(t.refresh_token, None);
        // serde's rules, as the derive this reading replaced had them: `null` is absent (but for
        // `extra`, a map), unknown
        // keys are ignored, the positional form of a struct is accepted.
        for (good, token_type, extra) in [
            (r#"{"accessToken":"a","other":1}"#, "Bearer", 0),
            (
                r#"{"accessToken":"a","tokenType":null,"extra":{"k":1}}"#,
                "Bearer",
                1,
            ),
            (r#"["a",null,"mac",5]"#, "mac", 0),
            (r#"["a","r","",5,"s","i",{"k":1}]"#, "Bearer", 1),
        ] {
            let t = TokenSet::from_json(crate::core::parse::json::parse(good.as_bytes()).unwrap())
                .expect(good);
            assert_eq!(
                (t.token_type.as_str(), t.extra.len()),
                (token_type, extra),
                "{good}"
            );
        }
        for bad in [
            r#"null"#,
            r#"[]"#,
            r#"["a",null,null,null,null,null,null,null]"#,
            r#""a""#,
            r#"{"accessToken":null}"#,
            r#"{"accessToken":"a","refreshToken":5}"#,
            r#"{"accessToken":"a","scope":["read"]}"#,
            r#"{"accessToken":"a","extra":[]}"#,
            r#"{"accessToken":"a","extra":null}"#,
            r#"{"accessToken":"a","expiresAt":9e15}"#,
            r#"{}"#,
            r#"{"accessToken":""}"#,
            r#"{"accessToken":"a","expiresAt":-1}"#,
            r#"{"accessToken":"a","expiresAt":"soon"}"#,
        ] {
            assert!(
                TokenSet::from_json(
                    crate::core::parse::json::parse(bad.as_bytes()).unwrap_or_default()
                )
                .is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn debug_prints_no_secret() {
        let t = parse(r#"{"access_token":"AT-SECRET","refresh_token":"RT-SECRET","id_token":"ID-SECRET","session_key":"SK-SECRET"}"#).unwrap();
        let dbg = format!("{t:?}");
        for s in ["AT-SECRET", "RT-SECRET", "ID-SECRET", "SK-SECRET"] {
            assert!(!dbg.contains(s), "{dbg}");
        }
        assert!(dbg.contains("session_key"));
    }
}
