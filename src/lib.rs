//! oauth-edge: OAuth 1.0a and OAuth 2 for web dashboards, Cloudflare Workers, Deno and Node.
//!
//! The crate has two layers (see `DESIGN.md` in the repository):
//! - [`core`]: pure Rust. It builds requests and parses responses; it never performs I/O, never
//!   reads a clock and never draws randomness: `now` and random bytes are arguments.
//! - `js` (wasm32 only): the `#[wasm_bindgen]` surface that sends the core's requests through the
//!   host's `fetch`, takes time and randomness from the host and turns errors into JS `Error`s.
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod core;

#[cfg(target_arch = "wasm32")]
mod js;
