//! The pure core of oauth-edge: fully deterministic, no networking code, no clock, no RNG.
//!
//! Every flow has the same shape: the core builds an [`http::Request`], the caller sends it
//! however it likes, and hands the [`http::Response`] back to the core, which parses it and says
//! what comes next. The current time and random bytes are always passed in, so every signature,
//! every state transition and every error can be reproduced in a plain `cargo test`.
#![forbid(unsafe_code)]

pub mod credentials;
pub mod crypto;
pub mod error;
pub mod form;
pub mod http;
pub mod oauth1;
#[cfg(feature = "oauth2")]
pub mod oauth2;
pub mod paging;
pub mod parse;
#[cfg(feature = "oauth2")]
pub mod providers;
pub mod secret;
pub mod sort;
#[cfg(test)]
pub(crate) mod test_inputs;
pub mod text;
pub mod url;

pub use error::{Error, ErrorCode};
