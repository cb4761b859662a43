//! Response bodies → plain values, whatever the wire format: JSON (RFC 8259) and XML (XML 1.0),
//! both read by the crate's own readers, and CSV (csv-core). No provider knowledge here: providers turn these values into records.
//!
//! Every parser takes untrusted bytes and returns a typed `PARSE` error, never a panic; nesting
//! is bounded ([`MAX_DEPTH`]); no error message quotes the body (it may hold a secret, such as
//! ZapEvent's `tmp_secret`).

pub mod csv;
pub mod date;
pub mod json;
pub mod typed;
mod value;
// XML bodies are ZapEvent's: the OAuth 1.0a-only build has no provider clients.
#[cfg(feature = "oauth2")]
pub mod xml;

pub use value::{Map, Number, Value};

/// Deepest element / object nesting accepted. Provider records nest three or four levels;
/// anything near this is hostile.
pub const MAX_DEPTH: usize = 64;

/// The body as UTF-8 without a leading byte-order mark.
pub(crate) fn utf8_without_bom(body: &[u8]) -> Option<&str> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    std::str::from_utf8(body).ok()
}
