//! The wasm suite (tests/common/wasm/: OAuth 1.0a vectors, token responses, ZapEvent bodies, the
//! session engine's tests) compiled to wasm32 and run in a headless browser: `wasm-pack test
//! --headless --chrome --chromedriver /usr/bin/chromedriver` or `wasm-pack test --headless
//! --firefox --geckodriver ~/.cargo/bin/geckodriver`. The same suite runs in Node from
//! tests/wasm_node.rs; the browser runs skip that binary.
#![cfg(target_arch = "wasm32")]

mod common;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
