//! OAuth 1.0a token endpoint responses (src/core/oauth1/flow.rs): the form-encoded temporary
//! and token credentials, and the error forms (OAuth Problem Reporting in the body or in
//! `WWW-Authenticate`, ZapEvent's `<error_code>` XML, a bare status).
//!
//! Input: 1 status byte, the `WWW-Authenticate` field, then the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oauth_edge::core::oauth1::flow::{
    parse_credentials, response_error, AuthorizationStep, TemporaryCredentialsStep,
};
use oauth_edge_fuzz::{response, status, Input};

fuzz_target!(|data: &[u8]| {
    let ([s], mut input) = Input::new::<1>(data);
    let www_authenticate = input.field();
    let response = response(
        status(s),
        &[("WWW-Authenticate", &www_authenticate)],
        input.body(),
    );

    let parsed = parse_credentials(&response);
    if let Ok(creds) = &parsed {
        assert!(response.is_success());
        assert!(!creds.token.is_empty());
    }
    let _ = response_error(&response);
    // Step 1's answer must confirm the callback; step 3's is the same parse.
    if let Ok(step) = TemporaryCredentialsStep::new("oob").and_then(|s| s.handle(&response)) {
        let temporary = step.temporary_credentials();
        assert_eq!(Some(temporary), parsed.as_ref().ok());
        assert!(temporary
            .extra
            .iter()
            .any(|(k, v)| k == "oauth_callback_confirmed" && v == "true"));
        let _ = step.authorization_url("https://provider.example/authorize?x=1");
    }
    let token = AuthorizationStep::resume("t", "s")
        .with_verifier("v")
        .handle(&response);
    assert_eq!(token.ok(), parsed.ok());
});
