//! Regression tests for what the cargo-fuzz targets (fuzz/, fuzz/README.md) found, each reduced
//! to the shortest call sequence through the public API that shows it.
#![cfg(all(not(target_arch = "wasm32"), feature = "oauth2"))]

use oauth_edge::core::http::Response;
use oauth_edge::core::oauth2::client::ClientConfig;
use oauth_edge::core::oauth2::session::{
    Action, Saved, Session, SessionConfig, Stored, TokenRecord,
};
use oauth_edge::core::oauth2::token_response::TokenSet;
use oauth_edge::core::secret::RefreshToken;

const NOW: u64 = 1_700_000_000_000;

/// fuzz target `session`: with a store lock (`lock: true`), `poll` hands out `Unlock` again
/// when it is called before `handle_unlocked` came back, although the engine promises never to
/// repeat an action whose outcome has not come back (it answers `Idle` for every other one):
/// a host polling meanwhile would release the lock twice.
#[test]
fn poll_does_not_repeat_unlock_before_handle_unlocked() {
    let mut session = refreshed_under_lock();
    assert_eq!(session.poll(NOW), Action::Unlock);
    // The lock's release is out: nothing new until `handle_unlocked`.
    assert_eq!(session.poll(NOW), Action::Idle, "Unlock handed out twice");
    session.handle_unlocked();
    assert!(matches!(session.poll(NOW), Action::Deliver(_)));
}

/// fuzz target `session`, the same gap seen from a sign-in: while the lock's release is out,
/// a sign-in makes `poll` hand out its `Save`, a second action out at once.
#[test]
fn no_save_while_unlock_is_out() {
    let mut session = refreshed_under_lock();
    assert_eq!(session.poll(NOW), Action::Unlock);
    session.sign_in(TokenSet::bearer("signed-in"), NOW);
    assert_eq!(
        session.poll(NOW),
        Action::Idle,
        "Save handed out while Unlock is out"
    );
}

/// A session with `lock: true` that refreshed under the lock and saved the new tokens: its next
/// `poll` releases the lock.
fn refreshed_under_lock() -> Session {
    let config = SessionConfig {
        lock: true,
        ..SessionConfig::default()
    };
    let client = ClientConfig::new("client", "https://as.example/token").with_secret("s");
    let mut session = Session::new(config, client, "me");
    let mut tokens = TokenSet::bearer("old");
    tokens.refresh_token = Some(RefreshToken::new("r1"));
    tokens.expires_at_ms = Some(NOW - 1);
    let stored = Stored {
        record: TokenRecord::new(tokens, NOW - 3_600_000),
        version: "1".into(),
    };
    session.want_token();
    let mut version = 1;
    loop {
        match session.poll(NOW) {
            Action::Load => session.handle_loaded(Ok(Some(stored.clone())), NOW),
            Action::Lock => session.handle_locked(Ok(()), NOW),
            Action::Save { .. } => {
                version += 1;
                session.handle_saved(Ok(Saved::Version(version.to_string())), NOW);
                if version == 3 {
                    return session; // the lease claim, then the new tokens
                }
            }
            Action::Send(_) => {
                let body = br#"{"access_token":"new","refresh_token":"r2","expires_in":3600}"#;
                let response = Response {
                    status: 200,
                    headers: vec![],
                    body: body.to_vec(),
                };
                session.handle_response(Ok(response), 0, NOW);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
