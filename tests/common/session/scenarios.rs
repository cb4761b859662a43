//! Single flight and the API-call rules on the simulated store, clock and provider: one grant
//! per expiry across callers and instances (with or without the store's lock), rotation, a
//! 401 refreshing once (RFC 6750 §3), 429 on API calls, and `state()` along the clock.

use super::driver::Sim;
use super::provider::Fault;
use super::sim::T0;
use super::{assert_clean, config, result, sending, world, EXP, HOUR_S};
use oauth_edge::core::error::ErrorCode;
use oauth_edge::core::oauth2::client::ClientAuth;
use oauth_edge::core::oauth2::session::SessionState;
use oauth_edge::core::oauth2::TokenSet;

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_thousand_callers_on_an_expired_token_share_one_grant() {
    let mut sim = world(1, 1, false, HOUR_S);
    let callers: Vec<usize> = (0..1000).map(|_| sim.add_caller(0, EXP + 1)).collect();
    sim.run();
    assert_eq!(sim.provider.grants, 1);
    assert_eq!(sim.results().len(), 1000);
    assert_clean(&sim);
    assert!(callers.iter().all(|&c| sim.callers[c].api_requests == 1));
    assert_eq!(sim.store.access_token().as_deref(), Some("at-2"));
}

fn one_grant_per_cycle(seed: u64, n: usize, lock: bool, auth: ClientAuth) {
    let mut sim = Sim::with_auth(seed, n, config(lock), HOUR_S, auth);
    sim.seed_store();
    sim.latency_ms = 5;
    for cycle in 0..50 {
        sim.expiry_cycle(&vec![3; n], 10_000);
        assert_eq!(sim.provider.grants, cycle + 1, "cycle {cycle}");
    }
    assert_clean(&sim);
}

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn two_instances_lockless_store_one_grant_per_expiry_cycle() {
    one_grant_per_cycle(2, 2, false, ClientAuth::Basic);
}

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn four_instances_lockless_store_one_grant_per_expiry_cycle() {
    one_grant_per_cycle(3, 4, false, ClientAuth::Post);
}

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn two_instances_locked_store_one_grant_per_expiry_cycle() {
    one_grant_per_cycle(4, 2, true, ClientAuth::Basic);
}

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn four_instances_locked_store_one_grant_per_expiry_cycle() {
    one_grant_per_cycle(5, 4, true, ClientAuth::Post);
}

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn access_token_rejected_server_side_in_four_instances_costs_one_grant() {
    let mut sim = world(6, 4, false, HOUR_S);
    (0..4).for_each(|i| _ = sim.add_caller(i, T0));
    sim.run();
    sim.provider.revoke_access_token("at-1");
    let second: Vec<usize> = (0..4).map(|i| sim.add_caller(i, T0 + 60_000)).collect();
    sim.run();
    assert_eq!(sim.provider.grants, 1);
    assert_clean(&sim);
    // Each second-round caller: one 401 with at-1, one retry with the new token.
    assert_eq!(sim.api.unauthorized, 4);
    assert!(second.iter().all(|&c| sim.callers[c].api_requests == 2));
}

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn lifetime_equal_to_skew_refreshes_once_per_expiry_across_four_instances() {
    for lock in [false, true] {
        let mut sim = world(7, 4, lock, 60);
        sim.latency_ms = 5;
        for cycle in 0..20 {
            sim.expiry_cycle(&[2; 4], 0);
            assert_eq!(sim.provider.grants, cycle + 1, "lock {lock} cycle {cycle}");
        }
        assert_clean(&sim);
    }
}

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn refresh_response_without_refresh_token_keeps_the_old_one() {
    let mut sim = world(8, 2, false, HOUR_S);
    sim.provider.rotate = false;
    for _ in 0..3 {
        sim.expiry_cycle(&[2, 2], 0);
    }
    assert_eq!(sim.provider.grants, 3);
    assert_eq!(sim.provider.presented, ["rt-1"; 3]);
    assert!(sim
        .store
        .history
        .iter()
        .all(|(_, rt)| rt.as_deref() == Some("rt-1")));
    assert_eq!(sim.store.access_token().as_deref(), Some("at-4"));
    assert_clean(&sim);
}

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn rate_limited_api_retries_then_reports() {
    let mut sim = world(19, 1, false, HOUR_S);
    sim.api.rate_limit_next = 1;
    let c = sim.add_caller(0, T0);
    sim.run();
    assert_eq!((result(&sim, c), sim.callers[c].api_requests), (Ok(200), 2));
    sim.api.rate_limit_next = 3;
    let c = sim.add_caller(0, T0 + 1);
    sim.run();
    let error = result(&sim, c).unwrap_err();
    assert_eq!(
        (error.code, error.status),
        (ErrorCode::RateLimited, Some(429))
    );
    assert_eq!(sim.callers[c].api_requests, 3);
}

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn api_401_refreshes_once_and_retries_once_never_loops() {
    let mut sim = world(20, 1, false, HOUR_S);
    sim.api.always_401 = true;
    let c = sim.add_caller(0, T0);
    sim.run();
    assert_eq!(result(&sim, c), Ok(401));
    assert_eq!((sim.callers[c].api_requests, sim.provider.grants), (2, 1));
}

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn api_401_that_a_refresh_cannot_fix_goes_to_the_caller() {
    // RFC 6750 §3.1: insufficient_scope / invalid_request are not cured by a new token.
    for challenge in [
        r#"Bearer error="insufficient_scope", scope="admin""#,
        "Bearer error=invalid_request",
    ] {
        let mut sim = world(25, 1, false, HOUR_S);
        sim.api.always_401 = true;
        sim.api.challenge = Some(challenge);
        let c = sim.add_caller(0, T0);
        sim.run();
        assert_eq!(result(&sim, c), Ok(401), "{challenge}");
        assert_eq!((sim.callers[c].api_requests, sim.provider.requests), (1, 0));
    }
    // A token without a refresh token (a static console token): the 401 goes to the caller,
    // and the session keeps handing the token out.
    let mut sim = Sim::new(26, 1, config(false), HOUR_S);
    sim.add_sign_in(0, TokenSet::bearer("static-token"));
    sim.run();
    sim.api.always_401 = true;
    let c = sim.add_caller(0, T0);
    sim.run();
    assert_eq!((result(&sim, c), sim.callers[c].api_requests), (Ok(401), 1));
    let s = &sim.instances[0].session;
    assert_eq!(
        s.usable_token(u64::MAX)
            .map(|t| t.token().expose().to_owned())
            .as_deref(),
        Some("static-token")
    );
    assert_eq!(
        (s.state(u64::MAX), s.next_refresh_at()),
        (SessionState::Valid, None)
    );
}

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn state_and_next_refresh_at_along_the_clock() {
    let mut sim = Sim::new(22, 1, config(false), HOUR_S);
    let s = &sim.instances[0].session;
    assert_eq!(
        (s.state(T0), s.next_refresh_at()),
        (SessionState::Empty, None)
    );
    sim.seed_store();
    sim.add_caller(0, T0);
    sim.run();
    let due = EXP - 60_000;
    let s = &sim.instances[0].session;
    assert_eq!(s.next_refresh_at(), Some(due));
    assert_eq!(s.state(due - 1), SessionState::Valid);
    assert_eq!(s.state(due), SessionState::Expiring);
    assert_eq!(s.state(EXP + 1), SessionState::Expiring);
    sim.add_caller(0, EXP + 1);
    sim.run_until(|s| sending(s, 0));
    let s = &sim.instances[0].session;
    assert_eq!(
        (s.state(sim.now()), s.next_refresh_at()),
        (SessionState::Refreshing, None)
    );
    sim.run();
    let (s, now) = (&sim.instances[0].session, sim.now());
    assert_eq!(
        (s.state(now), s.next_refresh_at()),
        (SessionState::Valid, Some(now + HOUR_S * 1000 - 60_000))
    );
    // Rate limited past expiry: no refresh before Retry-After has passed.
    sim.provider.faults.extend([Fault::TooMany(1); 3]);
    sim.add_caller(0, now + HOUR_S * 1000 + 1);
    sim.run();
    let (s, now) = (&sim.instances[0].session, sim.now());
    assert_eq!(
        (s.state(now), s.next_refresh_at()),
        (SessionState::Expiring, Some(now + 1_000))
    );
    // A revoked grant: needs_reauth, nothing planned.
    sim.provider.revoke_family("rt-2");
    sim.add_caller(0, now + 1_000);
    sim.run();
    let (s, now) = (&sim.instances[0].session, sim.now());
    assert_eq!(
        (s.state(now), s.next_refresh_at()),
        (SessionState::NeedsReauth, None)
    );
    // Tokens without a refresh token: valid, expiring in the window, needs_reauth at expiry.
    let exp = now + 600_000;
    let tokens = TokenSet {
        expires_at_ms: Some(exp),
        ..TokenSet::bearer("pre-issued")
    };
    sim.add_sign_in(0, tokens);
    sim.run();
    let s = &sim.instances[0].session;
    assert_eq!(s.next_refresh_at(), None);
    assert_eq!(s.state(exp - 60_001), SessionState::Valid);
    assert_eq!(s.state(exp - 1), SessionState::Expiring);
    assert_eq!(s.state(exp), SessionState::NeedsReauth);
}
