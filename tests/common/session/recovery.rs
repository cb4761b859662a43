//! Recovery on the simulated store, clock and provider: lost refresh answers (with and without
//! a reuse grace period), `invalid_grant` (RFC 6749 §5.2) after another instance's rotation or
//! for a dead grant, sign-ins elsewhere, store errors and broken compare-and-set, 429/503 on
//! the refresh (RFC 9110 §10.2.3 `Retry-After`) and a lease owner that crashed.

use super::driver::{Sim, PERSISTED};
use super::provider::Fault;
use super::sim::T0;
use super::{code, config, result, sending, world, EXP, HOUR_S};
use oauth_edge::core::error::ErrorCode;
use oauth_edge::core::oauth2::session::{SessionConfig, SessionState};

fn lost_response(grace_ms: u64) -> Sim {
    let cfg = SessionConfig {
        reuse_grace_ms: grace_ms,
        ..config(false)
    };
    let mut sim = Sim::new(9, 1, cfg, HOUR_S);
    sim.seed_store();
    sim.provider.grace_ms = grace_ms;
    sim.provider.faults.push_back(Fault::LoseResponse);
    sim.add_caller(0, EXP + 1);
    sim.run();
    sim
}

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn lost_refresh_response_without_grace_needs_reauth_naming_the_lost_answer() {
    let sim = lost_response(0);
    let error = result(&sim, 0).unwrap_err();
    assert_eq!(error.code, ErrorCode::NeedsReauth);
    assert!(error.message.contains("never arrived"), "{}", error.message);
    // The retry presented the rotated-away rt-1: reuse, the family is revoked.
    assert_eq!((sim.provider.reuses, sim.provider.presented.len()), (1, 2));
    assert!(sim.provider.family_revoked("rt-1"));
}

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn lost_refresh_response_with_grace_succeeds_without_revocation() {
    let sim = lost_response(10_000);
    assert_eq!(result(&sim, 0), Ok(200));
    assert_eq!((sim.provider.reuses, sim.provider.grace_replays), (0, 1));
    assert!(!sim.provider.family_revoked("rt-1"));
    assert_eq!(sim.store.refresh_token().as_deref(), Some("rt-2"));
    assert_eq!(sim.store.refresh_token(), sim.provider.live_refresh_token());
}

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn invalid_grant_then_reload_finds_another_instances_rotation() {
    // i0's request is slower than its lease: i1 takes over and rotates rt-1 first; i0's late
    // rt-1 gets invalid_grant (a provider without reuse detection) and i0 re-loads rt-2.
    let mut sim = world(10, 2, false, HOUR_S);
    sim.provider.reuse_revokes_family = false;
    sim.instances[0].send_delay_ms = sim.config.lease_ms + 1_000;
    let a = sim.add_caller(0, EXP + 1);
    sim.run_until(|s| sending(s, 0));
    let b = sim.add_caller(1, EXP + 1_000);
    sim.run();
    assert_eq!((result(&sim, a), result(&sim, b)), (Ok(200), Ok(200)));
    assert_eq!((sim.provider.grants, sim.provider.invalid_grants), (1, 1));
    assert_eq!(sim.store.refresh_token().as_deref(), Some("rt-2"));
    assert!(sim.callers[a].done_at > sim.callers[b].done_at);
}

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn invalid_grant_with_the_same_stored_token_needs_reauth_until_a_sign_in_elsewhere() {
    let mut sim = world(11, 2, false, HOUR_S);
    sim.provider.revoke_family("rt-1");
    sim.add_caller(0, EXP + 1);
    sim.run();
    let error = result(&sim, 0).unwrap_err();
    assert_eq!(
        (error.code, error.status),
        (ErrorCode::NeedsReauth, Some(400))
    );
    assert_eq!(error.provider_code.as_deref(), Some("invalid_grant"));
    assert!(
        !error.message.contains("never arrived"),
        "{}",
        error.message
    );
    let session = &sim.instances[0].session;
    assert_eq!(session.state(sim.now()), SessionState::NeedsReauth);
    assert_eq!(session.next_refresh_at(), None);
    // Later calls fail fast: no request reaches the provider.
    let requests = sim.provider.requests;
    let later: Vec<usize> = (0..3).map(|_| sim.add_caller(0, EXP + 5_000)).collect();
    sim.run();
    assert!(later
        .iter()
        .all(|&c| code(&sim, c) == ErrorCode::NeedsReauth));
    assert_eq!(sim.provider.requests, requests);
    // The user authorizes again through instance 1: instance 0's next call recovers.
    let tokens = sim.provider.authorize(sim.now());
    let s = sim.add_sign_in(1, tokens);
    sim.run();
    assert_eq!(result(&sim, s), Ok(PERSISTED));
    let c = sim.add_caller(0, sim.now() + 1);
    sim.run();
    assert_eq!(result(&sim, c), Ok(200));
    assert_eq!((sim.provider.grants, sim.provider.requests), (0, requests));
}

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn needs_reauth_in_one_instance_does_not_hold_the_others_for_the_lease() {
    // A refresh that ended in NEEDS_REAUTH must not leave its lease behind (refresh.rs
    // `release`: "the lease is released so that other instances need not wait for it").
    let mut sim = world(12, 2, false, HOUR_S);
    sim.provider.revoke_family("rt-1");
    sim.add_caller(0, EXP + 1);
    sim.run();
    let at = sim.now();
    let b = sim.add_caller(1, at);
    sim.run();
    assert_eq!(code(&sim, b), ErrorCode::NeedsReauth);
    let waited = sim.callers[b].done_at.unwrap() - at;
    assert!(
        waited < sim.config.lease_ms,
        "waited {waited} ms for a dead lease"
    );
}

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn sign_in_on_another_instance_reaches_an_instance_that_saw_an_empty_store() {
    let mut sim = Sim::new(13, 2, config(false), HOUR_S);
    let c = sim.add_caller(0, T0);
    sim.run();
    assert_eq!(code(&sim, c), ErrorCode::NeedsReauth);
    assert_eq!(sim.instances[0].session.state(T0), SessionState::Empty);
    let tokens = sim.provider.authorize(T0);
    sim.add_sign_in(1, tokens);
    sim.run();
    let c = sim.add_caller(0, T0 + 1_000);
    sim.run();
    assert_eq!(
        result(&sim, c),
        Ok(200),
        "instance 0 never re-reads the store"
    );
}

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn failed_save_fails_that_round_and_the_next_call_saves_the_kept_tokens() {
    let mut sim = world(14, 1, false, HOUR_S);
    sim.store.fail_token_saves = 1;
    let round: Vec<usize> = (0..3).map(|_| sim.add_caller(0, EXP + 1)).collect();
    sim.run();
    assert!(round
        .iter()
        .all(|&c| code(&sim, c) == ErrorCode::StoreError));
    assert_eq!((sim.provider.grants, sim.api.requests), (1, 0));
    // The kept tokens are saved again after the backoff, without waiting for a caller.
    assert_eq!(sim.store.refresh_token().as_deref(), Some("rt-2"));
    let c = sim.add_caller(0, EXP + 2_000);
    sim.run();
    assert_eq!(result(&sim, c), Ok(200));
    assert_eq!((sim.provider.grants, sim.api.unsaved), (1, 0));
    assert_eq!(sim.store.refresh_token().as_deref(), Some("rt-2"));
    assert_eq!(sim.store.refresh_token(), sim.provider.live_refresh_token());
}

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn broken_compare_and_set_surfaces_store_conflict() {
    // The lease can never be claimed: no grant may go out.
    let mut sim = world(15, 1, false, HOUR_S);
    sim.store.broken_cas = true;
    let c = sim.add_caller(0, EXP + 1);
    sim.run();
    assert_eq!(code(&sim, c), ErrorCode::StoreConflict);
    assert_eq!(sim.provider.requests, 0);
    // The CAS breaks after the claim: the new tokens are kept, then saved once it works.
    let mut sim = world(16, 1, false, HOUR_S);
    let c = sim.add_caller(0, EXP + 1);
    sim.run_until(|s| sending(s, 0));
    sim.store.broken_cas = true;
    sim.run();
    assert_eq!(code(&sim, c), ErrorCode::StoreConflict);
    assert_eq!(sim.api.requests, 0);
    sim.store.broken_cas = false;
    let c = sim.add_caller(0, EXP + 2_000);
    sim.run();
    assert_eq!(result(&sim, c), Ok(200));
    assert_eq!(sim.provider.grants, 1);
    assert_eq!(sim.store.refresh_token().as_deref(), Some("rt-2"));
}

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn rate_limited_refresh_backs_off_then_succeeds_or_reports_retry_after() {
    for first in [Fault::TooMany(1), Fault::Unavailable, Fault::FailBefore] {
        let mut sim = world(17, 1, false, HOUR_S);
        sim.provider.faults.push_back(first);
        let c = sim.add_caller(0, EXP + 1);
        sim.run();
        assert_eq!(result(&sim, c), Ok(200), "{first:?}");
        assert_eq!(sim.provider.grants, 1);
        if first == Fault::TooMany(1) {
            assert!(
                sim.callers[c].done_at.unwrap() > EXP + 1_000,
                "Retry-After: 1 honoured"
            );
        }
    }
    // Every attempt (RetryPolicy default: 3) answered 429 Retry-After: 1.
    let mut sim = world(18, 1, false, HOUR_S);
    sim.provider.faults.extend([Fault::TooMany(1); 3]);
    let c = sim.add_caller(0, EXP + 1);
    sim.run();
    let error = result(&sim, c).unwrap_err();
    assert_eq!(
        (error.code, error.status),
        (ErrorCode::RateLimited, Some(429))
    );
    assert_eq!(error.retry_after, Some(1.0));
    assert_eq!((sim.provider.requests, sim.provider.grants), (3, 0));
    let c = sim.add_caller(0, sim.now() + 1_000);
    sim.run();
    assert_eq!(result(&sim, c), Ok(200));
}

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn crashed_lease_owner_blocks_the_others_only_until_the_lease_ends() {
    let mut sim = world(21, 2, false, HOUR_S);
    sim.instances[0].crash_on_send = true;
    sim.add_caller(0, EXP + 1);
    sim.run_until(|s| s.instances[0].crashed);
    let claimed = sim.now();
    let lease = sim.store.record().unwrap().lease.expect("i0's lease");
    assert_eq!(
        (&*lease.owner, lease.until_ms),
        ("i0", claimed + sim.config.lease_ms)
    );
    let b = sim.add_caller(1, claimed);
    sim.run();
    assert_eq!(result(&sim, b), Ok(200));
    let done = sim.callers[b].done_at.unwrap();
    let poll = sim.config.lease_poll_ms;
    assert!(
        (lease.until_ms..=lease.until_ms + poll).contains(&done),
        "{done}"
    );
    assert_eq!((sim.provider.requests, sim.provider.grants), (1, 1));
}

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn failed_save_reaches_the_store_before_another_instance_presents_the_old_token() {
    // i0 rotates rt-1 → rt-2 inside the skew window, the save fails, its caller still gets the
    // good at-1, and i0 sees no further caller. Once i0's lease and at-1 are over, i1 must not
    // present rt-1 again (reuse: the provider revokes the whole family).
    let mut sim = world(23, 2, false, HOUR_S);
    sim.store.fail_token_saves = 1;
    let a = sim.add_caller(0, EXP - 10_000);
    sim.run();
    assert_eq!((result(&sim, a), sim.provider.grants), (Ok(200), 1));
    let b = sim.add_caller(1, EXP + sim.config.lease_ms);
    sim.run();
    assert_eq!(sim.provider.reuses, 0, "rt-1 presented after its rotation");
    assert_eq!(result(&sim, b), Ok(200));
    assert_eq!(sim.store.refresh_token(), sim.provider.live_refresh_token());
}

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_sign_in_is_not_overwritten_by_a_refresh_of_the_previous_grant() {
    // i0 refreshes the old grant (slow answer); meanwhile the user authorizes again through i1.
    // "A sign-in always wins (the user just authorized)": the store keeps the new grant.
    let mut sim = world(24, 2, false, HOUR_S);
    sim.instances[0].send_delay_ms = 1_000;
    let a = sim.add_caller(0, EXP + 1);
    sim.run_until(|s| sending(s, 0));
    let tokens = sim.provider.authorize(sim.now());
    let s = sim.add_sign_in(1, tokens);
    sim.run();
    assert_eq!(result(&sim, s), Ok(PERSISTED));
    assert_eq!(result(&sim, a), Ok(200));
    assert_eq!(
        sim.store.refresh_token().as_deref(),
        Some("rt-2"),
        "the new grant's"
    );
}
