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

/// fuzz target `oneroster`: a `Link: <>; rel="next"` (an empty URI-reference, valid in RFC
/// 8288) becomes `next: Some("")`, and the pager then hands out a resume cursor,
/// `pg1.2.1.1.`, that `Cursor::decode` refuses ("cursor is not one this SDK produced").
#[test]
fn a_cursor_after_an_empty_next_link_reads_back() {
    use oauth_edge::core::paging::{fingerprint, Cursor, Pager, Scheme};
    use oauth_edge::core::providers::oneroster::{wire, Collection, PROVIDER};

    let response = Response {
        status: 200,
        headers: vec![("Link".into(), r#"<>; rel="next""#.into())],
        body: br#"{"users":[{"sourcedId":"u1"}]}"#.to_vec(),
    };
    let page = wire::parse_list(Collection::Users, &response, PROVIDER).unwrap();
    let mut pager = Pager::new(Scheme::OffsetLimit, 100, None, None);
    let items = page.records.len() as u64;
    pager
        .handle_page(&page.meta, items, fingerprint(&page.records.sample()))
        .unwrap();
    if let Some(cursor) = pager.cursor() {
        let text = cursor.encode();
        assert_eq!(Cursor::decode(&text).as_ref(), Ok(cursor), "{text:?}");
    }
}

/// fuzz target `www_authenticate`: the Bearer challenge's `error` is read by splitting on
/// commas and trimming quotes, not as an RFC 7235 auth-param list, so a quoted-pair is not
/// unescaped and a comma inside a quoted string starts a new parameter. Both flip whether a
/// 401 is retried with a new token (RFC 6750 §3.1: not for `insufficient_scope`).
#[test]
fn bearer_error_is_read_as_rfc7235_auth_params() {
    use oauth_edge::core::oauth2::session::{ApiCall, ApiResponse, ApiStep};

    let answer = |header: &str| {
        let config = SessionConfig::default();
        let client = ClientConfig::new("client", "https://as.example/token").with_secret("s");
        let mut session = Session::new(config, client, "me");
        let mut tokens = TokenSet::bearer("a");
        tokens.refresh_token = Some(RefreshToken::new("r"));
        session.want_token();
        assert_eq!(session.poll(NOW), Action::Load);
        let record = TokenRecord::new(tokens, NOW);
        let stored = Stored {
            record,
            version: "1".into(),
        };
        session.handle_loaded(Ok(Some(stored)), NOW);
        let response = ApiResponse {
            status: 401,
            www_authenticate: Some(header),
            retry_after: None,
            used_access_token: "a",
        };
        ApiCall::new().on_response(&mut session, &response, 0, NOW)
    };
    // The fuzzer's input: `\s` is a quoted-pair for `s`, so the error is insufficient_scope.
    assert_eq!(
        answer(r#"Bearer error="in\sufficient_scope",e=a"#),
        ApiStep::Done
    );
    // The error is invalid_token; "error=insufficient_scope" is inside error_description.
    assert_eq!(
        answer(r#"Bearer error_description="a, error=insufficient_scope", error="invalid_token""#),
        ApiStep::RetryWithNewToken
    );
}

/// fuzz target `zapevent`, on the crate's own XML reader (2026-12-04): a document type
/// declaration with a character beyond ASCII in it (a billion-laughs DTD with `ë`) panicked, the
/// DTD's end being searched by slicing the text at every byte. The DTD is skipped, never read.
#[test]
fn a_dtd_with_characters_beyond_ascii_is_skipped() {
    use oauth_edge::core::parse::xml;
    let body = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lolë\">\n \
                <!ENTITY lol2 \"&lol;&lol;\">\n]>\n<lolz>&amp;ë</lolz>";
    let doc = xml::parse(body.as_bytes()).unwrap();
    assert_eq!(
        (doc.root.as_str(), doc.value.as_str()),
        ("lolz", Some("&ë"))
    );
    // Its entities are never expanded: a reference to one is an error.
    assert!(xml::parse(body.replace("&amp;", "&lol2;").as_bytes()).is_err());
}
