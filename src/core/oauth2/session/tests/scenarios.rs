//! The protocol's named cases, each on the simulated store, clock and provider. Expected values
//! follow from the rules: RFC 6749 §5–§6 (rotation, `invalid_grant`), RFC 6750 §3 (401 once),
//! RFC 9110 §10.2.3 (`Retry-After`) and the session's single-flight and save-first rules.

use super::driver::{Op, Sim, PERSISTED};
use super::sim::{Fault, T0};
use crate::core::error::{Error, ErrorCode};
use crate::core::oauth2::client::ClientAuth;
use crate::core::oauth2::session::{SessionConfig, SessionState};
use crate::core::oauth2::TokenSet;

const HOUR_S: u64 = 3_600;
/// When the first token of a one-hour world expires.
const EXP: u64 = T0 + HOUR_S * 1000;

fn config(lock: bool) -> SessionConfig {
    SessionConfig {
        lock,
        ..SessionConfig::default()
    }
}

/// A world of `n` instances whose store holds `at-1`/`rt-1`, obtained at `T0`.
fn world(seed: u64, n: usize, lock: bool, lifetime_s: u64) -> Sim {
    let mut sim = Sim::new(seed, n, config(lock), lifetime_s);
    sim.seed_store();
    sim
}

fn result(sim: &Sim, c: usize) -> Result<u16, Error> {
    sim.callers[c].result().cloned().expect("resolved")
}

fn code(sim: &Sim, c: usize) -> ErrorCode {
    result(sim, c).expect_err("an error").code
}

fn sending(sim: &Sim, i: usize) -> bool {
    matches!(sim.instances[i].op, Some((Op::Send(_), _)))
}

/// The clean-run invariants: no protocol violation, no reuse, nothing used unsaved, every
/// caller got 200, the store holds the provider's live refresh token.
fn assert_clean(sim: &Sim) {
    let p = &sim.provider;
    assert!(p.bad_requests.is_empty(), "{:?}", p.bad_requests);
    assert_eq!((p.invalid_grants, p.reuses, sim.api.unsaved), (0, 0, 0));
    assert!(
        sim.results().iter().all(|r| r == &Ok(200)),
        "{:?}",
        sim.results()
    );
    assert_eq!(sim.store.refresh_token(), p.live_refresh_token());
}

#[test]
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
fn two_instances_lockless_store_one_grant_per_expiry_cycle() {
    one_grant_per_cycle(2, 2, false, ClientAuth::Basic);
}

#[test]
fn four_instances_lockless_store_one_grant_per_expiry_cycle() {
    one_grant_per_cycle(3, 4, false, ClientAuth::Post);
}

#[test]
fn two_instances_locked_store_one_grant_per_expiry_cycle() {
    one_grant_per_cycle(4, 2, true, ClientAuth::Basic);
}

#[test]
fn four_instances_locked_store_one_grant_per_expiry_cycle() {
    one_grant_per_cycle(5, 4, true, ClientAuth::Post);
}

#[test]
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
fn lost_refresh_response_with_grace_succeeds_without_revocation() {
    let sim = lost_response(10_000);
    assert_eq!(result(&sim, 0), Ok(200));
    assert_eq!((sim.provider.reuses, sim.provider.grace_replays), (0, 1));
    assert!(!sim.provider.family_revoked("rt-1"));
    assert_eq!(sim.store.refresh_token().as_deref(), Some("rt-2"));
    assert_eq!(sim.store.refresh_token(), sim.provider.live_refresh_token());
}

#[test]
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
fn failed_save_fails_that_round_and_the_next_call_saves_the_kept_tokens() {
    let mut sim = world(14, 1, false, HOUR_S);
    sim.store.fail_token_saves = 1;
    let round: Vec<usize> = (0..3).map(|_| sim.add_caller(0, EXP + 1)).collect();
    sim.run();
    assert!(round
        .iter()
        .all(|&c| code(&sim, c) == ErrorCode::StoreError));
    assert_eq!((sim.provider.grants, sim.api.requests), (1, 0));
    assert_eq!(sim.store.refresh_token().as_deref(), Some("rt-1"));
    let c = sim.add_caller(0, EXP + 2_000);
    sim.run();
    assert_eq!(result(&sim, c), Ok(200));
    assert_eq!((sim.provider.grants, sim.api.unsaved), (1, 0));
    assert_eq!(sim.store.refresh_token().as_deref(), Some("rt-2"));
    assert_eq!(sim.store.refresh_token(), sim.provider.live_refresh_token());
}

#[test]
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
fn api_401_refreshes_once_and_retries_once_never_loops() {
    let mut sim = world(20, 1, false, HOUR_S);
    sim.api.always_401 = true;
    let c = sim.add_caller(0, T0);
    sim.run();
    assert_eq!(result(&sim, c), Ok(401));
    assert_eq!((sim.callers[c].api_requests, sim.provider.grants), (2, 1));
}

#[test]
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
