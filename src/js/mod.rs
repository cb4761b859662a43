//! The `#[wasm_bindgen]` layer: JS classes, TypeScript types, errors, `fetch`, host clock and
//! randomness. No OAuth logic lives here; it only converts and calls into `crate::core`.

mod error;
mod host;
mod oauth1_flow;
mod oauth1_signer;
mod oauth2_client;
mod providers;
mod store;
mod token_session;
mod types;
