//! The wasm test suite, written once and compiled into two test binaries that differ only in
//! where wasm-bindgen-test runs them: tests/wasm_node.rs (Node) and tests/wasm_browser.rs
//! (`run_in_browser`: headless Chromium and Firefox). `wasm-pack test --node` runs the first
//! and skips the second, `--chrome` / `--firefox` the reverse (wasm-pack sets
//! `WASM_BINDGEN_TEST_ONLY_NODE` / `WASM_BINDGEN_TEST_ONLY_WEB` for wasm-bindgen-test-runner).
//!
//! Expected values come from the RFC texts, the provider seed documents and the recorded bodies
//! in tests/vectors/ (see the READMEs there), never from this crate's output. Every input is
//! embedded with `include_str!` / `include_bytes!`: wasm has no file system. The session
//! engine's tests (../session/) are the native tests/session.rs ones, compiled in here too.

mod oauth1;
// Both need the OAuth 2 half of the crate (the default `oauth2` feature).
#[cfg(feature = "oauth2")]
mod token_response;
#[cfg(feature = "oauth2")]
mod zapevent;
// The session engine's scenarios and property tests, shared with the native tests/session.rs.
#[cfg(feature = "oauth2")]
#[path = "../session/mod.rs"]
mod session;
