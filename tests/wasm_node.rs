//! The wasm suite (tests/common/wasm/: OAuth 1.0a vectors, token responses, ZapEvent bodies, the
//! session engine's tests) compiled to wasm32 and run in Node: `wasm-pack test --node`. The same
//! suite runs in headless browsers from tests/wasm_browser.rs; `wasm-pack test --node` skips that
//! binary.
#![cfg(target_arch = "wasm32")]

mod common;
