//! Engine tests: every scenario runs against a simulated store, clock and provider, driven the
//! way `TokenSession` drives the engine, through the engine's public interface only. Written
//! once: tests/session.rs runs them natively (`cargo test`), tests/common/wasm/ in Node and
//! headless browsers (`wasm-pack test`), so each test carries both `#[test]` and
//! `wasm_bindgen_test`. Nothing here reads a clock, a thread or a file: wasm32 has none.
//!
//! - `sim`: a clock, a seeded RNG, a compare-and-set store (FIFO lock, fault knobs, write
//!   history) and an RFC 6750 resource server.
//! - `provider`: an RFC 6749 token endpoint with strict refresh-token rotation, reuse detection
//!   (optionally a reuse grace period) and per-request faults.
//! - `driver`: instances (a `Session`, its driver and callers) and the scheduler, which completes
//!   any pending operation of any instance in a seeded random order; `host`: what the host does
//!   with each action and outcome.
//! - `scenarios` (single flight, state, API calls) and `recovery` (lost answers,
//!   `invalid_grant`, store failures, rate limits, crashes): the protocol's named cases.
//! - `property`: thousands of random schedules checked against the protocol's invariants.
//!
//! Expected values follow from the rules (RFC 6749 §5–§6, RFC 6750 §3, RFC 9110 §10.2.3, the
//! module doc of `session`), never from a run of the engine.

mod driver;
mod host;
mod property;
mod provider;
mod recovery;
mod scenarios;
mod sim;

use driver::{Op, Sim};
use oauth_edge::core::error::{Error, ErrorCode};
use oauth_edge::core::oauth2::session::SessionConfig;
use sim::T0;

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
