//! Issue 12 item 3: the Rust `Debug` output of every config and token type holding a secret
//! (what a `{:?}` in a log line, a panic message or a test failure would print) shows none of
//! them. Each secret is a distinct sentinel; each type is printed with every secret field set.
#![cfg(all(not(target_arch = "wasm32"), feature = "oauth2"))]

use oauth_edge::core::credentials::Credentials;
use oauth_edge::core::oauth1::Signer;
use oauth_edge::core::oauth2::client::ClientConfig;
use oauth_edge::core::oauth2::session::{Session, SessionConfig, TokenRecord};
use oauth_edge::core::oauth2::token_response::TokenSet;
use oauth_edge::core::secret::{AccessToken, RefreshToken, Secret};

const SENTINELS: [&str; 7] = [
    "SENTINEL-consumer-secret",
    "SENTINEL-token-secret",
    "SENTINEL-client-secret",
    "SENTINEL-access-token",
    "SENTINEL-refresh-token",
    "SENTINEL-id-token",
    "SENTINEL-tmp-secret",
];

fn assert_redacted(what: &str, printed: &str) {
    for s in SENTINELS {
        assert!(!printed.contains(s), "{what} Debug shows {s}: {printed}");
    }
    assert!(
        printed.contains("[redacted]"),
        "{what} Debug shows no [redacted] marker: {printed}"
    );
}

fn tokens() -> TokenSet {
    let mut t = TokenSet::bearer(AccessToken::new("SENTINEL-access-token"));
    t.refresh_token = Some(RefreshToken::new("SENTINEL-refresh-token"));
    t.id_token = Some(Secret::new("SENTINEL-id-token"));
    t.expires_at_ms = Some(1_700_000_000_000);
    t
}

#[test]
fn oauth1_signer_and_credentials() {
    let signer =
        Signer::new("ck", "SENTINEL-consumer-secret").with_token("tk", "SENTINEL-token-secret");
    assert_redacted("Signer", &format!("{signer:?}"));
    assert_redacted(
        "Credentials::OAuth1",
        &format!("{:?}", Credentials::oauth1(signer)),
    );
    let login = Credentials::QueryParams(vec![
        ("tmp_key", Secret::new("key")),
        ("tmp_secret", Secret::new("SENTINEL-tmp-secret")),
    ]);
    assert_redacted("Credentials::QueryParams", &format!("{login:?}"));
    let bearer = Credentials::Bearer(AccessToken::new("SENTINEL-access-token"));
    assert_redacted("Credentials::Bearer", &format!("{bearer:?}"));
}

#[test]
fn oauth2_config_tokens_record_and_session() {
    let client = ClientConfig::new("client", "https://as.example/token")
        .with_secret("SENTINEL-client-secret");
    assert_redacted("ClientConfig", &format!("{client:?}"));
    assert_redacted("TokenSet", &format!("{:?}", tokens()));
    assert_redacted(
        "TokenRecord",
        &format!("{:?}", TokenRecord::new(tokens(), 1_699_999_000_000)),
    );
    let mut session = Session::new(SessionConfig::default(), client, "owner");
    session.sign_in(tokens(), 1_699_999_000_000);
    assert_redacted("Session", &format!("{session:?}"));
}
