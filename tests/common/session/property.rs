//! Thousands of seeded random schedules: 1–8 instances on one store (lockless or locked), a few
//! expiry cycles, random callers per instance, random interleavings and latencies. Each run is
//! checked against the protocol's invariants; a failure names its seed (re-run one with
//! `SIM_SEED=… SIM_MODE=clean|faults|lost|sign_ins cargo test --test session print_trace -- --ignored
//! --nocapture`). The wasm runs (Node, Chromium, Firefox) use the same seeds: the whole engine
//! suite takes 6–13 s per runtime there (debug build), well inside the runner's 20 s per test.

use super::driver::{Faults, Sim, PERSISTED};
use super::sim::Rng;
use oauth_edge::core::error::ErrorCode;
use oauth_edge::core::oauth2::session::SessionConfig;
use std::collections::HashSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// No fault anywhere.
    Clean,
    /// 429, 503, failures before the provider, store load and save errors.
    Faults,
    /// Responses lost after the provider processed them (with or without a grace period).
    Lost,
    /// No fault; the user authorizes again (a new grant) during some cycles.
    SignIns,
}

/// Builds and runs the schedule of `seed`; returns the world and its number of cycles.
fn replay(seed: u64, mode: Mode) -> (Sim, u64) {
    replay_traced(seed, mode, false)
}

fn replay_traced(seed: u64, mode: Mode, trace: bool) -> (Sim, u64) {
    let mut rng = Rng::new(seed.wrapping_mul(0x9E37_79B9) ^ mode as u64);
    let n = 1 + rng.below(8) as usize;
    let lifetime_s = [60, 3_600][rng.below(2) as usize];
    let grace_ms = if mode == Mode::Lost && rng.chance(50) {
        10_000
    } else {
        0
    };
    let config = SessionConfig {
        lock: rng.chance(50),
        reuse_grace_ms: grace_ms,
        ..SessionConfig::default()
    };
    let mut sim = Sim::new(seed, n, config, lifetime_s);
    sim.provider.grace_ms = grace_ms;
    sim.latency_ms = [0, 5, 50, 400][rng.below(4) as usize];
    sim.max_steps = 50_000;
    sim.faults = match mode {
        Mode::Clean | Mode::SignIns => Faults::default(),
        Mode::Faults => Faults {
            too_many: rng.below(20),
            unavailable: rng.below(10),
            fail_before: rng.below(20),
            load_error: rng.below(8),
            save_error: rng.below(8),
            lock_error: rng.below(8),
            lose_response: 0,
        },
        Mode::Lost => Faults {
            lose_response: 5 + rng.below(25),
            ..Faults::default()
        },
    };
    if trace {
        sim.trace = Some(Vec::new());
    }
    sim.seed_store();
    let cycles = 2 + rng.below(3);
    // With 60 s tokens, callers come before expiry (a late one would be the next cycle's).
    let late_ms = if lifetime_s == 60 { 0 } else { 20_000 };
    for _ in 0..cycles {
        let mut counts: Vec<usize> = (0..n).map(|_| rng.below(4) as usize).collect();
        if counts.iter().all(|&c| c == 0) {
            counts[rng.below(n as u64) as usize] = 1;
        }
        let spread_ms = [1, 100, 5_000, u64::MAX][rng.below(4) as usize];
        let sign_ins: Vec<usize> = match mode {
            Mode::SignIns if rng.chance(60) => vec![rng.below(n as u64) as usize],
            _ => Vec::new(),
        };
        if mode == Mode::SignIns && rng.chance(30) {
            // The user withdrew the grant at the provider (the store still holds it).
            let rt = sim.store.refresh_token().expect("a refresh token");
            sim.provider.revoke_family(&rt);
        }
        sim.burst_cycle(&counts, late_ms, spread_ms, &sign_ins);
    }
    (sim, cycles)
}

/// Invariants of every run, faults or not.
fn common(seed: u64, sim: &Sim) {
    let p = &sim.provider;
    assert!(
        p.bad_requests.is_empty(),
        "seed {seed}: {:?}",
        p.bad_requests
    );
    assert_eq!(
        sim.api.unsaved, 0,
        "seed {seed}: an API request carried unsaved tokens"
    );
    let versions: Vec<u64> = sim.store.history.iter().map(|(v, _)| *v).collect();
    assert!(
        versions.windows(2).all(|w| w[0] < w[1]),
        "seed {seed}: {versions:?}"
    );
    assert_eq!(
        sim.store.holder, None,
        "seed {seed}: the lock was never released"
    );
}

/// Without faults nobody waits for a lease whose owner is no longer refreshing: every caller is
/// answered well before a lease could end (`lease_ms`).
fn no_stale_lease_waits(seed: u64, sim: &Sim) {
    for (c, caller) in sim.callers.iter().enumerate() {
        let waited = caller.done_at.expect("resolved") - caller.arrive_at;
        assert!(
            waited < sim.config.lease_ms / 2,
            "seed {seed} caller {c} waited {waited} ms"
        );
    }
}

/// The rt-N numbers the store held, in write order.
fn rt_numbers(sim: &Sim) -> Vec<u64> {
    let number = |rt: &String| rt.trim_start_matches("rt-").parse::<u64>().unwrap();
    sim.store
        .history
        .iter()
        .filter_map(|(_, rt)| rt.as_ref().map(number))
        .collect()
}

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn random_schedules_without_faults_keep_every_invariant() {
    for seed in 0..3_000 {
        let (sim, cycles) = replay(seed, Mode::Clean);
        common(seed, &sim);
        let p = &sim.provider;
        let distinct: HashSet<&String> = p.presented.iter().collect();
        assert_eq!(
            distinct.len(),
            p.presented.len(),
            "seed {seed}: a refresh token presented twice"
        );
        assert_eq!((p.invalid_grants, p.reuses), (0, 0), "seed {seed}");
        // Single flight: exactly one grant per expiry cycle (each has a caller past its
        // refresh point), whatever the number of instances.
        assert_eq!(
            u64::from(p.grants),
            cycles,
            "seed {seed}: grants per {cycles} cycles"
        );
        let rts = rt_numbers(&sim);
        assert!(
            rts.windows(2).all(|w| w[0] <= w[1]),
            "seed {seed}: store went back {rts:?}"
        );
        assert_eq!(
            sim.store.refresh_token(),
            p.live_refresh_token(),
            "seed {seed}: rotation lost"
        );
        for (c, r) in sim.results().iter().enumerate() {
            assert_eq!(
                r.as_ref().map_err(|e| e.code),
                Ok(&200),
                "seed {seed} caller {c}"
            );
        }
        no_stale_lease_waits(seed, &sim);
    }
}

/// Weaker invariants under faults: no hang (the scheduler panics), every caller resolved with
/// a 200 or one of `allowed`, reuse only of a refresh token whose rotation's answer was lost —
/// or, with `excuse_unsaved`, whose rotated successor a failed save left in memory only.
fn faulty(seed: u64, mode: Mode, allowed: &[ErrorCode], excuse_unsaved: bool) {
    let (sim, _) = replay(seed, mode);
    common(seed, &sim);
    let p = &sim.provider;
    let unsaved = sim.store.unpersisted.iter().filter(|_| excuse_unsaved);
    let excused: HashSet<&String> = p.lost.iter().chain(unsaved).collect();
    for rt in &p.reused {
        assert!(
            excused.contains(rt),
            "seed {seed}: {rt} reused without a lost rotation"
        );
    }
    // A reuse revokes the family: from then on NEEDS_REAUTH (and 401s for its access tokens).
    let revoked = p.reuses > 0;
    for (c, r) in sim.results().iter().enumerate() {
        let fine = match r {
            Ok(200) => true,
            Ok(401) => revoked,
            Ok(_) => false,
            Err(e) if e.code == ErrorCode::NeedsReauth => revoked,
            Err(e) => allowed.contains(&e.code),
        };
        assert!(fine, "seed {seed} caller {c}: {r:?}");
    }
}

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn random_schedules_with_transport_and_store_faults_resolve_every_caller() {
    use ErrorCode::*;
    for seed in 0..1_500 {
        faulty(
            seed,
            Mode::Faults,
            &[RateLimited, Network, StoreError],
            true,
        );
    }
}

/// The same schedules without the excuse: a rotation whose save failed must still reach the
/// store before any instance presents the rotated-away token (see
/// `recovery::failed_save_reaches_the_store_before_another_instance_presents_the_old_token`).
#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn random_schedules_with_store_faults_never_present_a_rotated_away_token() {
    use ErrorCode::*;
    for seed in 0..1_500 {
        faulty(
            seed,
            Mode::Faults,
            &[RateLimited, Network, StoreError],
            false,
        );
    }
}

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn random_schedules_with_lost_responses_resolve_every_caller() {
    use ErrorCode::*;
    for seed in 0..1_500 {
        faulty(seed, Mode::Lost, &[Network], false);
    }
}

#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn random_schedules_with_sign_ins_and_revocations_recover_everywhere() {
    for seed in 0..1_500 {
        let (mut sim, _) = replay(seed, Mode::SignIns);
        common(seed, &sim);
        let p = &sim.provider;
        assert_eq!(p.reuses, 0, "seed {seed}: a refresh token presented twice");
        // A withdrawn grant: NEEDS_REAUTH until someone signs in again, never another error.
        let revoked = p.invalid_grants > 0;
        for (c, r) in sim.results().iter().enumerate() {
            let reauth = r.as_ref().is_err_and(|e| e.code == ErrorCode::NeedsReauth);
            let fine = matches!(r, Ok(200) | Ok(PERSISTED)) || (revoked && reauth);
            assert!(fine, "seed {seed} caller {c}: {r:?}");
        }
        no_stale_lease_waits(seed, &sim);
        // After a final sign-in anywhere, every instance's next call succeeds.
        let tokens = sim.provider.authorize(sim.now());
        let s = sim.add_sign_in(0, tokens);
        sim.run();
        let at = sim.now() + 1;
        let sweep: Vec<usize> = (0..sim.instances.len())
            .map(|i| sim.add_caller(i, at))
            .collect();
        sim.run();
        assert_eq!(sim.callers[s].result(), Some(&Ok(PERSISTED)), "seed {seed}");
        for c in sweep {
            assert_eq!(
                sim.callers[c].result(),
                Some(&Ok(200)),
                "seed {seed} caller {c}"
            );
        }
        assert_eq!(sim.store.refresh_token(), sim.provider.live_refresh_token());
    }
}

/// The user's latest authorization supersedes every earlier grant: a refresh of an older
/// grant that finishes after a sign-in must not replace it (see
/// `recovery::a_sign_in_is_not_overwritten_by_a_refresh_of_the_previous_grant`).
#[test]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn random_schedules_with_sign_ins_keep_the_newest_grant() {
    for seed in 0..1_500 {
        let (sim, _) = replay(seed, Mode::SignIns);
        let p = &sim.provider;
        if p.live_refresh_token().is_some() {
            let stored = sim.store.refresh_token();
            assert_eq!(
                stored,
                p.live_refresh_token(),
                "seed {seed}: not the newest grant"
            );
        }
    }
}

/// Prints the action/outcome trace of one schedule (`SIM_SEED`, `SIM_MODE`). Native only: it
/// reads the environment.
#[cfg(not(target_arch = "wasm32"))]
#[test]
#[ignore = "a debugging aid: prints the trace of SIM_SEED in SIM_MODE"]
fn print_trace() {
    let seed = std::env::var("SIM_SEED").map_or(0, |s| s.parse().expect("SIM_SEED"));
    let mode = match std::env::var("SIM_MODE").as_deref() {
        Ok("faults") => Mode::Faults,
        Ok("lost") => Mode::Lost,
        Ok("sign_ins") => Mode::SignIns,
        _ => Mode::Clean,
    };
    let (sim, _) = replay_traced(seed, mode, true);
    for line in sim.trace.iter().flatten() {
        println!("{line}");
    }
    println!("{}", sim.dump());
}
