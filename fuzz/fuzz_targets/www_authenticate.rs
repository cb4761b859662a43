//! `WWW-Authenticate` and `Retry-After` on API answers, through `ApiCall::on_response` with a
//! live session (src/core/oauth2/session/api.rs; its `bearer_error` is private). A 401 retries
//! once with a new token unless the Bearer challenge's `error` says a refresh cannot help
//! (RFC 6750 §3.1: `insufficient_scope`, `invalid_request`), checked against an RFC 7235
//! challenge parser; 429/503 retry within the policy's bounds.
//!
//! Input: 1 status byte, 1 option byte, 4 random bytes, 4 clock bytes, the fields
//! WWW-Authenticate, Retry-After, then the access token the request carried (the rest).
#![no_main]

use libfuzzer_sys::fuzz_target;
use oauth_edge::core::oauth2::client::ClientConfig;
use oauth_edge::core::oauth2::retry::RetryPolicy;
use oauth_edge::core::oauth2::session::{
    Action, ApiCall, ApiResponse, ApiStep, Session, SessionConfig, Stored, TokenRecord,
};
use oauth_edge::core::oauth2::token_response::TokenSet;
use oauth_edge::core::secret::RefreshToken;
use oauth_edge_fuzz::{now_ms, status, Input};

const POLICIES: [RetryPolicy; 4] = [
    RetryPolicy {
        max_attempts: 3,
        base_ms: 250,
        max_ms: 10_000,
    },
    RetryPolicy {
        max_attempts: 20,
        base_ms: 0,
        max_ms: 0,
    },
    RetryPolicy {
        max_attempts: 20,
        base_ms: u64::MAX,
        max_ms: u64::MAX,
    },
    RetryPolicy {
        max_attempts: 1,
        base_ms: 1,
        max_ms: 1,
    },
];

fuzz_target!(|data: &[u8]| {
    let ([s, o, r0, r1, r2, r3, c0, c1, c2, c3], mut input) = Input::new::<10>(data);
    let now = now_ms([c0, c1, c2, c3]);
    let random = u32::from_le_bytes([r0, r1, r2, r3]);
    let www_authenticate = input.field();
    let retry_after = input.field();
    let used = String::from_utf8_lossy(input.body());
    let status = if o & 1 != 0 { 401 } else { status(s) };
    let policy = POLICIES[(o >> 1 & 3) as usize];

    // A session that knows a record with access token "a" (and a refresh token unless bit 3).
    let config = SessionConfig {
        retry: policy,
        ..SessionConfig::default()
    };
    let client = ClientConfig::new("client", "https://as.example/token").with_secret("s");
    let mut session = Session::new(config, client, "me");
    let mut tokens = TokenSet::bearer("a");
    if o & 8 == 0 {
        tokens.refresh_token = Some(RefreshToken::new("r"));
    }
    session.want_token();
    assert_eq!(session.poll(now), Action::Load);
    let record = TokenRecord::new(tokens, now);
    session.handle_loaded(
        Ok(Some(Stored {
            record,
            version: "1".into(),
        })),
        now,
    );

    let answer = ApiResponse {
        status,
        www_authenticate: (o & 16 == 0).then_some(&*www_authenticate),
        retry_after: (o & 32 == 0).then_some(&*retry_after),
        used_access_token: if o & 64 == 0 { "a" } else { &used },
    };
    let mut call = ApiCall::new();
    let first = call.on_response(&mut session, &answer, random, now);
    match &first {
        ApiStep::Retry { delay_ms } => {
            assert!(status == 429 || status == 503);
            assert!(*delay_ms <= policy.max_ms, "{delay_ms} > {}", policy.max_ms);
        }
        ApiStep::RetryWithNewToken => assert_eq!(status, 401),
        ApiStep::Fail(e) => {
            assert!(status == 429 || status == 503);
            assert!(e.retry_after.is_none_or(|r| r.is_finite() && r >= 0.0));
        }
        _ => {}
    }
    if status == 401 && o & 8 == 0 && answer.used_access_token == "a" {
        let expected_hopeless = answer.www_authenticate.and_then(reference_hopeless);
        if let Some(hopeless) = expected_hopeless {
            let expected = if hopeless {
                ApiStep::Done
            } else {
                ApiStep::RetryWithNewToken
            };
            assert_eq!(first, expected, "challenge {:?}", answer.www_authenticate);
        }
    }
    // One 401 retry per call, whatever comes next.
    let second = call.on_response(&mut session, &answer, random, now);
    if status == 401 {
        assert_eq!(second, ApiStep::Done);
    }
    let _ = (
        session.poll(now),
        session.state(now),
        session.next_refresh_at(),
    );
});

/// For a header that is exactly one well-formed RFC 7235 challenge (`Bearer` then
/// comma-separated `name=token` or `name="quoted-string"` auth-params): whether its `error`
/// is one a refresh cannot fix. `None` for anything else (not compared).
fn reference_hopeless(header: &str) -> Option<bool> {
    let is_tchar = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    let ows = |s: &str| s.trim_start_matches([' ', '\t']).len();
    let h = header.trim_matches([' ', '\t']);
    let scheme_len = h.find(|c| !is_tchar(c)).unwrap_or(h.len());
    let (scheme, mut rest) = h.split_at(scheme_len);
    if !scheme.eq_ignore_ascii_case("bearer") {
        // Another scheme alone says nothing about Bearer (several challenges: not compared).
        return Some(false).filter(|_| !scheme.is_empty() && rest.is_empty());
    }
    if rest.is_empty() {
        return Some(false);
    }
    if !rest.starts_with(' ') {
        return None;
    }
    let mut error = None;
    loop {
        rest = &rest[rest.len() - ows(rest)..];
        let name_len = rest.find(|c| !is_tchar(c)).unwrap_or(rest.len());
        if name_len == 0 {
            return None;
        }
        let (name, after) = rest.split_at(name_len);
        let after = &after[after.len() - ows(after)..];
        let after = after.strip_prefix('=')?;
        let after = &after[after.len() - ows(after)..];
        let (value, after) = if let Some(q) = after.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = q.char_indices();
            let end = loop {
                match chars.next()? {
                    (i, '"') => break i,
                    (_, '\\') => value.push(chars.next()?.1),
                    (_, c) if c == '\t' || (' '..='~').contains(&c) || !c.is_ascii() => {
                        value.push(c)
                    }
                    _ => return None,
                }
            };
            (value, &q[end + 1..])
        } else {
            let len = after.find(|c| !is_tchar(c)).unwrap_or(after.len());
            if len == 0 {
                return None;
            }
            (after[..len].to_owned(), &after[len..])
        };
        if name.eq_ignore_ascii_case("error") {
            if error.is_some() {
                return None; // a parameter given twice: not compared
            }
            error = Some(value);
        }
        let after = &after[after.len() - ows(after)..];
        if after.is_empty() {
            break;
        }
        rest = after.strip_prefix(',')?;
        if rest.trim_matches([' ', '\t']).is_empty() {
            return None;
        }
    }
    Some(error.is_some_and(|e| {
        e.eq_ignore_ascii_case("insufficient_scope") || e.eq_ignore_ascii_case("invalid_request")
    }))
}
