//! Authorization callback URLs, as a redirect delivers them: the OAuth 2 authorization
//! response (src/core/oauth2/authorization.rs, `PendingAuthorization::handle_callback`: state,
//! code, error, RFC 9207 `iss`, duplicates) and the OAuth 1.0a callback (src/core/oauth1/
//! flow.rs, `AuthorizationStep::handle_callback`: `oauth_token`, `oauth_verifier`).
//!
//! Input: 1 option byte, the fields state, code_verifier, redirect_uri, issuer, then the
//! callback URL (the body).
#![no_main]

use libfuzzer_sys::fuzz_target;
use oauth_edge::core::oauth1::flow::{AuthorizationStep, TemporaryCredentialsStep};
use oauth_edge::core::oauth2::authorization::PendingAuthorization;
use oauth_edge::core::oauth2::client::ClientConfig;
use oauth_edge::core::ErrorCode;
use oauth_edge_fuzz::Input;

fuzz_target!(|data: &[u8]| {
    let ([o], mut input) = Input::new::<1>(data);
    let state = input.field();
    let verifier = input.field();
    let redirect_uri = input.field();
    let issuer = input.field();
    let callback = String::from_utf8_lossy(input.body());

    let mut client = ClientConfig::new("client", "https://as.example/token");
    if o & 1 != 0 {
        client.issuer = Some(issuer.clone().into_owned());
    }
    if o & 2 != 0 {
        client.provider = Some("provider".into());
    }
    // A valid verifier and redirect URI unless the input says otherwise, so that most inputs
    // reach the callback itself.
    let verifier = if o & 4 != 0 {
        verifier.into_owned()
    } else {
        "v".repeat(43)
    };
    let redirect_uri = if o & 8 != 0 {
        redirect_uri.into_owned()
    } else {
        "https://app.example/cb".into()
    };
    if let Ok(pending) = PendingAuthorization::resume(&*state, verifier, &*redirect_uri) {
        let kept = pending.clone();
        match pending.handle_callback(&client, &callback) {
            Ok(code) => {
                assert!(!code.code.expose().is_empty());
                assert_eq!(code.redirect_uri, kept.redirect_uri());
                assert_eq!(code.code_verifier.as_ref(), Some(kept.code_verifier()));
                // A code is only ever accepted with our state in the query.
                assert!(callback.contains('?'), "{callback:?}");
            }
            Err(e) => assert_ne!(e.code, ErrorCode::Internal, "{e:?}"),
        }
    }

    // OAuth 1.0a: the temporary token kept across the redirect is the state field.
    match AuthorizationStep::resume(&*state, "secret").handle_callback(&callback) {
        Ok(step) => {
            let _ = step;
            assert!(callback.contains("oauth_verifier"), "{callback:?}");
        }
        Err(e) => assert_ne!(e.code, ErrorCode::Internal, "{e:?}"),
    }
    let _ = TemporaryCredentialsStep::new(&*callback);
    let _ = AuthorizationStep::resume(&*state, "secret").authorization_url(&callback);
});
