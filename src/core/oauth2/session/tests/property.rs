//! Thousands of seeded random schedules: 1–8 instances on one store (lockless or locked), a few
//! expiry cycles, random callers per instance, random interleavings and latencies. Each run is
//! checked against the protocol's invariants; a failure names its seed (re-run one with
//! `replay(seed, mode)`).

use super::driver::{Faults, Sim};
use super::sim::Rng;
use crate::core::error::ErrorCode;
use crate::core::oauth2::session::SessionConfig;
use std::collections::HashSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// No fault anywhere.
    Clean,
    /// 429, 503, failures before the provider, store load and save errors.
    Faults,
    /// Responses lost after the provider processed them (with or without a grace period).
    Lost,
}

/// Builds and runs the schedule of `seed`; returns the world and its number of cycles.
fn replay(seed: u64, mode: Mode) -> (Sim, u64) {
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
        Mode::Clean => Faults::default(),
        Mode::Faults => Faults {
            too_many: rng.below(20),
            unavailable: rng.below(10),
            fail_before: rng.below(20),
            load_error: rng.below(8),
            save_error: rng.below(8),
            lose_response: 0,
        },
        Mode::Lost => Faults {
            lose_response: 5 + rng.below(25),
            ..Faults::default()
        },
    };
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
        sim.burst_cycle(&counts, late_ms, spread_ms);
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
fn random_schedules_without_faults_keep_every_invariant() {
    for seed in 0..2_000 {
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
    }
}

/// Weaker invariants under faults: no hang (the scheduler panics), every caller resolved with
/// a 200 or one of `allowed`, reuse only of a refresh token whose rotation got lost.
fn faulty(seed: u64, mode: Mode, allowed: &[ErrorCode]) {
    let (sim, _) = replay(seed, mode);
    common(seed, &sim);
    let p = &sim.provider;
    let excused: HashSet<&String> = p.lost.iter().chain(&sim.store.unpersisted).collect();
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
fn random_schedules_with_transport_and_store_faults_resolve_every_caller() {
    use ErrorCode::*;
    for seed in 0..1_000 {
        faulty(seed, Mode::Faults, &[RateLimited, Network, StoreError]);
    }
}

#[test]
fn random_schedules_with_lost_responses_resolve_every_caller() {
    use ErrorCode::*;
    for seed in 0..1_000 {
        faulty(seed, Mode::Lost, &[Network]);
    }
}

#[test]
#[ignore]
fn stats() {
    for mode in [Mode::Clean, Mode::Faults, Mode::Lost] {
        let (
            mut callers,
            mut errs,
            mut reuses,
            mut conflicts,
            mut loads,
            mut grants,
            mut steps,
            mut revoked,
        ) = (0, std::collections::BTreeMap::new(), 0, 0, 0, 0, 0, 0);
        let mut maxsteps = 0;
        for seed in 0..1000 {
            let (sim, _) = replay(seed, mode);
            callers += sim.callers.len();
            for r in sim.results() {
                *errs
                    .entry(format!("{:?}", r.map_err(|e| e.code)))
                    .or_insert(0) += 1;
            }
            reuses += sim.provider.reuses;
            conflicts += sim.store.conflicts;
            loads += sim.store.loads;
            grants += sim.provider.grants;
            steps += sim.steps;
            maxsteps = maxsteps.max(sim.steps);
            if sim.provider.reuses > 0 {
                revoked += 1;
            }
        }
        println!("{mode:?}: callers {callers} results {errs:?} reuses {reuses} runs-with-reuse {revoked} conflicts {conflicts} loads {loads} grants {grants} steps {steps} max {maxsteps}");
    }
}

#[test]
#[ignore]
fn find_reuse() {
    for seed in 0..1000 {
        let (sim, _) = replay(seed, Mode::Faults);
        if sim.provider.reuses > 0 {
            println!(
                "seed {seed}: n {} lock {} reused {:?} unpersisted {:?} lost {:?} history {:?}",
                sim.instances.len(),
                sim.config.lock,
                sim.provider.reused,
                sim.store.unpersisted,
                sim.provider.lost,
                sim.store.history
            );
        }
    }
}
