//! Token endpoint responses through the public `parse_token_response` / `token_error`: the
//! RFC 6749 (§4.1.4, §4.4.3, §5.1, §5.2) and RFC 6750 §4 examples as printed, and the token
//! shapes of the provider seeds through the provider presets (Priava seed 003, OmniFund seed
//! 004, ORC seed 000; quoted in src/core/providers/*.rs and docs/providers/).

use oauth_edge::core::http::Response;
use oauth_edge::core::oauth2::{parse_token_response, token_error, ClientConfig, TokenSet};
use oauth_edge::core::providers::{omnifund, orc, priava};
use oauth_edge::core::{Error, ErrorCode};
use wasm_bindgen_test::wasm_bindgen_test;

const NOW: u64 = 1_700_000_000_000;
const HOUR_MS: u64 = 3_600_000;

/// The client of RFC 6749's examples (§2.3.1).
fn rfc_client() -> ClientConfig {
    ClientConfig::new("s6BhdRkqt3", "https://server.example.com/token")
        .with_secret("7Fjfp0ZBr1KtDRbnfVdmIw")
}

/// A response with the headers RFC 6749 §5.1 / §5.2 print.
fn response(status: u16, body: &str) -> Response {
    Response {
        status,
        headers: vec![
            (
                "Content-Type".into(),
                "application/json;charset=UTF-8".into(),
            ),
            ("Cache-Control".into(), "no-store".into()),
            ("Pragma".into(), "no-cache".into()),
        ],
        body: body.as_bytes().to_vec(),
    }
}

fn ok(client: &ClientConfig, body: &str) -> TokenSet {
    parse_token_response(client, &response(200, body), NOW)
        .unwrap_or_else(|e| panic!("{e:?}\n{body}"))
}

fn err(client: &ClientConfig, status: u16, body: &str) -> Error {
    match parse_token_response(client, &response(status, body), NOW) {
        Ok(t) => panic!("accepted: {t:?}\n{body}"),
        Err(e) => e,
    }
}

/// RFC 6749 §5.1, repeated in §4.1.4 (authorization code) and §4.3.3 (password).
const RFC6749_5_1: &str = r#"{
  "access_token":"2YotnFZFEjr1zCsicMWpAA",
  "token_type":"example",
  "expires_in":3600,
  "refresh_token":"tGzv3JOkF0XG5Qx2TlKWIA",
  "example_parameter":"example_value"
}"#;

/// RFC 6749 §4.4.3 (client credentials: "A refresh token SHOULD NOT be included").
const RFC6749_4_4_3: &str = r#"{
  "access_token":"2YotnFZFEjr1zCsicMWpAA",
  "token_type":"example",
  "expires_in":3600,
  "example_parameter":"example_value"
}"#;

/// RFC 6750 §4, the Bearer token response.
const RFC6750_4: &str = r#"{
  "access_token":"mF_9.B5f-4.1JqM",
  "token_type":"Bearer",
  "expires_in":3600,
  "refresh_token":"tGzv3JOkF0XG5Qx2TlKWIA"
}"#;

#[wasm_bindgen_test]
fn rfc6749_successful_response() {
    let t = ok(&rfc_client(), RFC6749_5_1);
    assert_eq!(t.access_token.expose(), "2YotnFZFEjr1zCsicMWpAA");
    assert_eq!(t.token_type, "example");
    assert!(!t.is_bearer());
    // §5.1: expires_in is "the lifetime in seconds of the access token".
    assert_eq!(t.expires_at_ms, Some(NOW + HOUR_MS));
    assert_eq!(
        t.refresh_token.as_ref().map(|s| s.expose()),
        Some("tGzv3JOkF0XG5Qx2TlKWIA")
    );
    assert_eq!(t.scope, None);
    assert!(t.id_token.is_none());
    // "example_parameter": §5.1's "other parameters", kept as received.
    assert_eq!(t.extra.len(), 1);
    assert_eq!(t.extra["example_parameter"].as_str(), Some("example_value"));
}

#[wasm_bindgen_test]
fn rfc6749_client_credentials_response_has_no_refresh_token() {
    let t = ok(&rfc_client(), RFC6749_4_4_3);
    assert_eq!(t.access_token.expose(), "2YotnFZFEjr1zCsicMWpAA");
    assert_eq!(t.refresh_token, None);
    assert_eq!(t.expires_at_ms, Some(NOW + HOUR_MS));
    assert_eq!(t.extra["example_parameter"].as_str(), Some("example_value"));
}

#[wasm_bindgen_test]
fn rfc6750_bearer_response() {
    let t = ok(&rfc_client(), RFC6750_4);
    assert_eq!(t.access_token.expose(), "mF_9.B5f-4.1JqM");
    assert_eq!(t.token_type, "Bearer");
    assert!(t.is_bearer());
    assert_eq!(t.expires_at_ms, Some(NOW + HOUR_MS));
    assert_eq!(
        t.refresh_token.as_ref().map(|s| s.expose()),
        Some("tGzv3JOkF0XG5Qx2TlKWIA")
    );
    assert!(t.extra.is_empty());
}

#[wasm_bindgen_test]
fn rfc6749_scope_and_omitted_expiry() {
    // §3.3: scope is a space-delimited string; §5.1: expires_in is RECOMMENDED, not required.
    let t = ok(
        &rfc_client(),
        r#"{"access_token":"2YotnFZFEjr1zCsicMWpAA","token_type":"Bearer","scope":"read write"}"#,
    );
    assert_eq!(t.scope.as_deref(), Some("read write"));
    assert_eq!(t.expires_at_ms, None);
}

#[wasm_bindgen_test]
fn rfc6749_error_response() {
    // §5.2's example, as printed.
    let e = err(&rfc_client(), 400, "{\n  \"error\":\"invalid_request\"\n}");
    assert_eq!(e.code, ErrorCode::OAuthInvalidRequest);
    assert_eq!(e.status, Some(400));
    assert_eq!(e.provider_code.as_deref(), Some("invalid_request"));
    assert_eq!(e.provider_description, None);
}

#[wasm_bindgen_test]
fn rfc6749_every_error_code_and_its_description() {
    // §5.2's six error values; invalid_client may come with 401 ("the authorization server MAY
    // return an HTTP 401"). error_description and error_uri are its optional parameters.
    for (status, error, code) in [
        (400, "invalid_request", ErrorCode::OAuthInvalidRequest),
        (401, "invalid_client", ErrorCode::OAuthInvalidClient),
        (400, "invalid_grant", ErrorCode::OAuthInvalidGrant),
        (
            400,
            "unauthorized_client",
            ErrorCode::OAuthUnauthorizedClient,
        ),
        (
            400,
            "unsupported_grant_type",
            ErrorCode::OAuthUnsupportedGrantType,
        ),
        (400, "invalid_scope", ErrorCode::OAuthInvalidScope),
        // §8.5: extension error values; the SDK has no specific code for them.
        (400, "example_extension_error", ErrorCode::ProviderError),
    ] {
        let body = format!(
            r#"{{"error":"{error}","error_description":"Human-readable ASCII text","error_uri":"https://server.example.com/errors/{error}"}}"#
        );
        let e = err(&rfc_client(), status, &body);
        assert_eq!(e.code, code, "{error}");
        assert_eq!(e.status, Some(status), "{error}");
        assert_eq!(e.provider_code.as_deref(), Some(error));
        assert_eq!(
            e.provider_description.as_deref(),
            Some("Human-readable ASCII text")
        );
        assert!(e.message.contains(error), "{}", e.message);
    }
}

#[wasm_bindgen_test]
fn non_oauth_error_bodies_are_http_errors() {
    let e = err(&rfc_client(), 502, "<html><body>Bad Gateway</body></html>");
    assert_eq!((e.code, e.status), (ErrorCode::HttpStatus, Some(502)));
    assert_eq!(e.provider_code, None);
    // RFC 6585 §4 / RFC 9110 §10.2.3: 429 with Retry-After in seconds.
    let mut limited = response(429, r#"{"error":"slow_down"}"#);
    limited.headers.push(("Retry-After".into(), "120".into()));
    let e = token_error(&limited, None, NOW);
    assert_eq!(e.code, ErrorCode::RateLimited);
    assert_eq!(e.retry_after, Some(120.0));
}

#[wasm_bindgen_test]
fn priava_seed_upper_case_bearer_six_hours() {
    let client = priava::client(
        "https://tenant.priava.example",
        priava::TenantRegion::Apac,
        "priava-client",
        "priava-secret",
        "https://app.example/callback",
    )
    .unwrap();
    let t = ok(
        &client,
        r#"{ "access_token": "priava-at", "refresh_token": "priava-rt", "token_type" : "BEARER", "expires_in": 21600 }"#,
    );
    assert_eq!(t.token_type, "BEARER");
    assert!(t.is_bearer(), "§5.1: token_type is case insensitive");
    assert_eq!(t.expires_at_ms, Some(NOW + 6 * HOUR_MS));
    assert_eq!(
        t.refresh_token.as_ref().map(|s| s.expose()),
        Some("priava-rt")
    );
    // The seed's 400 {"error","error_description"}, named after the provider.
    let e = err(
        &client,
        400,
        r#"{"error":"invalid_grant","error_description":"Invalid authorization code"}"#,
    );
    assert_eq!(e.code, ErrorCode::OAuthInvalidGrant);
    assert_eq!(e.provider.as_deref(), Some(priava::PROVIDER));
    assert_eq!(
        e.provider_description.as_deref(),
        Some("Invalid authorization code")
    );
}

#[wasm_bindgen_test]
fn omnifund_seed_null_scope_lower_case_bearer() {
    let client = omnifund::client("https://omnifund.example", "of-client", "of-secret").unwrap();
    let t = ok(
        &client,
        r#"{"access_token":"of-at","expires_in":3600,"token_type":"bearer","scope":null,"refresh_token":"of-rt"}"#,
    );
    assert!(t.is_bearer());
    assert_eq!(t.scope, None);
    assert_eq!(t.expires_at_ms, Some(NOW + HOUR_MS));
    assert_eq!(t.refresh_token.as_ref().map(|s| s.expose()), Some("of-rt"));
    assert!(t.extra.is_empty());
}

#[wasm_bindgen_test]
fn orc_seed_refresh_token_renamed_and_hours() {
    let client = orc::client(orc::BASE_URL, "orc-client", "orc-secret").unwrap();
    // The seed's refresh answer: no token_type, the refresh token as access_refresh_token,
    // expires_in "(in hours)".
    let t = ok(
        &client,
        r#"{"access_token":"orc-at","access_refresh_token":"orc-rt","expires_in":24}"#,
    );
    assert_eq!(t.access_token.expose(), "orc-at");
    assert_eq!(t.refresh_token.as_ref().map(|s| s.expose()), Some("orc-rt"));
    assert_eq!(t.expires_at_ms, Some(NOW + 24 * HOUR_MS));
    assert!(t.is_bearer());
    assert!(t.extra.is_empty());
}
