//! Test code shared by the native and the wasm test binaries.
pub mod vectors;
/// The wasm suite, written once: tests/wasm_node.rs runs it in Node, tests/wasm_browser.rs in
/// headless Chromium and Firefox.
#[cfg(target_arch = "wasm32")]
pub mod wasm;
