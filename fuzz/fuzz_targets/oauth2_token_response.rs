//! OAuth 2 token endpoint responses (src/core/oauth2/token_response.rs): `parse_token_response`
//! (JSON or form bodies, every tolerated shape of `expires_in`, `token_type`, `scope`, refresh
//! token field names) and `token_error` (RFC 6749 §5.2 bodies, 429/503 with `Retry-After`).
//! A token set that parses must survive the way to a store and back (`to_json`/`from_json`,
//! `TokenRecord::to_persisted`/`from_persisted`) unchanged.
//!
//! Input: 1 status byte, 1 option byte, 4 clock bytes, the `Retry-After` field, the
//! `Content-Type` field, then the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oauth_edge::core::oauth2::client::{ClientConfig, ExpiresInUnit};
use oauth_edge::core::oauth2::session::{BearerToken, TokenRecord};
use oauth_edge::core::oauth2::token_response::{
    parse_token_response, token_error, TokenSet, MAX_LIFETIME_MS,
};
use oauth_edge_fuzz::{now_ms, response, status, Input};

fuzz_target!(|data: &[u8]| {
    let ([s, o, c0, c1, c2, c3], mut input) = Input::new::<6>(data);
    let now = now_ms([c0, c1, c2, c3]);
    let retry_after = input.field();
    let content_type = input.field();
    let response = response(
        status(s),
        &[
            ("Retry-After", &retry_after),
            ("Content-Type", &content_type),
        ],
        input.body(),
    );
    let mut client = ClientConfig::new("client", "https://as.example/token").with_secret("s");
    if o & 1 != 0 {
        client.expires_in_unit = ExpiresInUnit::Hours;
    }
    if o & 2 != 0 {
        // The Online Registration Center's name first, as its preset sets it.
        client.refresh_token_field_names =
            vec!["access_refresh_token".into(), "refresh_token".into()];
    }
    if o & 4 != 0 {
        client.provider = Some("provider".into());
    }

    match parse_token_response(&client, &response, now) {
        Ok(tokens) => {
            assert!(response.is_success());
            let access = tokens.access_token.expose();
            assert!(!access.is_empty() && access.bytes().all(|b| (0x21..0x7f).contains(&b)));
            if let Some(at) = tokens.expires_at_ms {
                assert!(at >= now && at - now <= MAX_LIFETIME_MS, "{at} at {now}");
            }
            assert!(!tokens.token_type.is_empty());
            let header = BearerToken::new(tokens.access_token.clone()).authorization();
            assert_eq!(header.expose(), format!("Bearer {access}"));
            // To the store and back.
            let back = TokenSet::from_json(tokens.to_json());
            assert!(
                back.as_ref() == Ok(&tokens),
                "to_json/from_json changed the token set"
            );
            let record = TokenRecord::new(tokens, now);
            let back = TokenRecord::from_persisted(record.to_persisted());
            assert!(
                back.as_ref() == Ok(&record),
                "to_persisted/from_persisted changed the record"
            );
        }
        Err(e) => {
            if let Some(r) = e.retry_after {
                assert!(r.is_finite() && r >= 0.0, "retry_after {r}");
            }
        }
    }
    let e = token_error(&response, client.provider.as_deref(), now);
    assert_eq!(e.status, Some(response.status));
    if let Some(r) = e.retry_after {
        assert!(r.is_finite() && r >= 0.0, "retry_after {r}");
    }
});
