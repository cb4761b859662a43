//! Test code shared by the native and the wasm test binaries.
pub mod vectors;
