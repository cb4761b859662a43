//! Engine tests (native): every scenario runs under `cargo test` against a simulated store,
//! clock and provider, driven the way `TokenSession` drives the engine.
//!
//! - `sim`: the world — a clock, a seeded RNG, a compare-and-set store (with a FIFO lock and
//!   fault knobs), an RFC 6749 token endpoint with strict refresh-token rotation and reuse
//!   detection, and an RFC 6750 resource server.
//! - `driver`: instances (a `Session` plus its host driver and callers) and the scheduler,
//!   which completes any pending operation of any instance in a seeded random order.
//! - `scenarios`: the protocol's named cases.
//! - `property`: thousands of random schedules checked against the protocol's invariants.
//!
//! Expected values follow from the rules (RFC 6749 §5–§6, RFC 6750 §3, the module doc of
//! `session`), never from a run of the engine.

mod driver;
mod property;
mod scenarios;
mod sim;
