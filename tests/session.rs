//! Native run of the session engine's tests (tests/common/session/: simulated store, clock and
//! provider; the protocol's scenarios and the property tests). The same tests run in wasm from
//! tests/wasm_node.rs and tests/wasm_browser.rs.
#![cfg(all(not(target_arch = "wasm32"), feature = "oauth2"))]

#[path = "common/session/mod.rs"]
mod session;
