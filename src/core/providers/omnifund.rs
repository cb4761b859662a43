//! OmniFund (seed 004): resource owner password grant and rotating refresh, client
//! credentials in the body, `"scope": null` and `"token_type": "bearer"` in responses.
//!
//! Quirks, each absorbed by a setting of [`client`]:
//! - `client_id` and `client_secret` are form fields of every token request →
//!   [`ClientAuth::Post`].
//! - Tokens come from `grant_type=password` (`username`, `password`) → [`password_grant`];
//!   "a new access and refresh token will be generated" on refresh (rotation).
//! - `"scope": null`, lower-case `"bearer"`, `expires_in` 3600 seconds: parsed as is.
//! - The token endpoint path `/oauth/v2/token` is not in the seed (it shows `http POST` without
//!   a URL); it is the FOSOAuthServerBundle path the simulator uses, and the host the seed
//!   omits must be passed as `base_url`.

use super::endpoint;
use crate::core::error::Result;
use crate::core::oauth2::{ClientAuth, ClientConfig, Grant};
use crate::core::parse::typed::Records;
use crate::core::parse::{Map, Value};

/// Provider name on errors.
pub const PROVIDER: &str = "omnifund";

/// The OmniFund client: token endpoint `{base_url}/oauth/v2/token`.
pub fn client(
    base_url: &str,
    client_id: impl Into<String>,
    client_secret: impl Into<crate::core::secret::ClientSecret>,
) -> Result<ClientConfig> {
    let mut c = ClientConfig::new(client_id, endpoint(base_url, "/oauth/v2/token", false)?)
        .with_secret(client_secret)
        .with_auth(ClientAuth::Post);
    c.provider = Some(PROVIDER.into());
    c.validate()?;
    Ok(c)
}

/// The password grant of "Obtaining an Access Token".
pub fn password_grant(
    username: impl Into<String>,
    password: impl Into<crate::core::secret::Password>,
) -> Grant {
    Grant::Password {
        username: username.into(),
        password: password.into(),
        scope: None,
    }
}

/// The "Token Login" request: a POST with the session's Bearer token (attached by the
/// session) to the login endpoint, which the document does not name: the caller gives it.
pub fn token_login_request(url: &str, allow_insecure: bool) -> Result<crate::core::http::Request> {
    crate::core::url::Url::parse(url)?.require_secure(allow_insecure)?;
    Ok(crate::core::http::Request {
        method: "POST".into(),
        url: url.to_owned(),
        headers: vec![("Accept".into(), "application/json".into())],
        body: None,
    })
}

/// The Token Login answer as JSON text: `{"loggedIn":true,"status":200,"data":…}` with the
/// body kept under `data` (the document shows only `HTTP/1.1 200 OK`: a JSON body is kept as
/// is, any other body as text, none as `null`). A refusal is a typed error.
pub fn parse_token_login(response: &crate::core::http::Response) -> Result<Records> {
    use crate::core::error::{Error, ErrorCode};
    use crate::core::text::{concat, decimal};
    if !response.is_success() {
        let code = match response.status {
            401 => ErrorCode::InvalidCredentials,
            403 => ErrorCode::PermissionDenied,
            _ => ErrorCode::HttpStatus,
        };
        return Err(Error::new(
            code,
            concat(&[
                "OmniFund refused the token login [status ",
                &decimal(response.status as u64),
                "]",
            ]),
        )
        .with_status(response.status)
        .with_provider(PROVIDER));
    }
    let body = response
        .body
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&response.body);
    let data = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Null
    } else {
        crate::core::parse::json::parse(body)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(body).into_owned()))
    };
    let mut result = Map::new();
    result.insert("loggedIn".to_owned(), Value::Bool(true));
    result.insert("status".to_owned(), Value::from(u64::from(response.status)));
    result.insert("data".to_owned(), data);
    let mut out = Records::default();
    out.push_value(&Value::Object(result));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::http::Response;
    use crate::core::oauth2::{parse_token_response, token_request};

    const ID: &str = "1_3bcbxd9e24g0gk4swg0kwgcwg4o8k8g4g888kwc44gcc0gwwk4";
    const SECRET: &str = "4ok2x70rlfokc8g0wws8c8kwcokw80k44sg48goc0ok4w0so0k";

    #[test]
    fn password_and_refresh_requests() {
        let c = client("http://127.0.0.1:8787/omnifund", ID, SECRET).unwrap();
        let req = token_request(&c, &password_grant("omnifund_user", "p@ss word")).unwrap();
        assert_eq!(req.url, "http://127.0.0.1:8787/omnifund/oauth/v2/token");
        assert_eq!(req.header("authorization"), None);
        assert_eq!(
            String::from_utf8(req.body.unwrap()).unwrap(),
            format!(
                "grant_type=password&username=omnifund_user&password=p%40ss+word\
                 &client_id={ID}&client_secret={SECRET}"
            )
        );
        let req = token_request(
            &c,
            &Grant::RefreshToken {
                refresh_token: "ZjYy".into(),
                scope: None,
            },
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(req.body.unwrap()).unwrap(),
            format!(
                "grant_type=refresh_token&refresh_token=ZjYy&client_id={ID}&client_secret={SECRET}"
            )
        );
    }

    #[test]
    fn token_login_results_are_typed() {
        let ok = |status, body: &str| Response {
            status,
            headers: vec![],
            body: body.as_bytes().to_vec(),
        };
        assert_eq!(
            parse_token_login(&ok(200, "")).unwrap().to_json(),
            r#"[{"data":null,"loggedIn":true,"status":200}]"#
        );
        assert_eq!(
            parse_token_login(&ok(200, r#"{"user":{"id":1}}"#))
                .unwrap()
                .to_json(),
            r#"[{"data":{"user":{"id":1}},"loggedIn":true,"status":200}]"#
        );
        assert_eq!(
            parse_token_login(&ok(200, "OK")).unwrap().to_json(),
            r#"[{"data":"OK","loggedIn":true,"status":200}]"#
        );
        let e = parse_token_login(&ok(401, "{}")).unwrap_err();
        assert_eq!(
            (e.code, e.status),
            (crate::core::ErrorCode::InvalidCredentials, Some(401))
        );
        assert!(token_login_request("http://omnifund.example/login", false).is_err());
        assert_eq!(
            token_login_request("https://omnifund.example/login", false)
                .unwrap()
                .method,
            "POST"
        );
    }

    #[test]
    fn seed_response() {
        let c = client("https://omnifund.example", ID, SECRET).unwrap();
        let body = br#"{
    "access_token": "MDFjZGI1MTg4MTk3YmEwOWJmMzA4NmRiMTgxNTM0ZDc1MGI3NDgzYjIwNmI3NGQ0NGE0YTQ5YTVhNmNlNDZhZQ",
    "expires_in": 3600,
    "refresh_token": "ZjYyOWY5Yzg3MTg0MDU4NWJhYzIwZWI4MDQzZTg4NWJjYzEyNzAwODUwYmQ4NjlhMDE3OGY4ZDk4N2U5OGU2Ng",
    "scope": null,
    "token_type": "bearer"
}"#;
        let t = parse_token_response(
            &c,
            &Response {
                status: 200,
                headers: vec![],
                body: body.to_vec(),
            },
            1_000,
        )
        .unwrap();
        assert_eq!(t.expires_at_ms, Some(3_601_000));
        assert_eq!(t.scope, None);
        assert!(t.is_bearer());
        assert!(t.refresh_token.is_some());
    }
}
