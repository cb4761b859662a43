//! OAuth 1.0a (RFC 5849): request signing and the three-legged flow.
//!
//! - `base_string`: §3.4.1, the signature base string.
//! - `signature`: §3.4.2–§3.4.4, HMAC-SHA1, HMAC-SHA256 and PLAINTEXT.
//! - `authorization`: §3.5, the [`Signer`] and where the protocol parameters go.
//! - `flow`: §2, temporary credentials → authorization → token credentials.
//! - `timestamp`: §3.3, the clock offset learnt from a server that refused our timestamp.

pub mod authorization;
pub mod base_string;
pub mod flow;
pub mod signature;
pub mod timestamp;

pub use authorization::{Placement, RequestBody, SignableRequest, SignedRequest, Signer};
pub use signature::SignatureMethod;

/// An ASCII-only nonce from host randomness: lower-case hex of the bytes given.
///
/// ZapEvent accepts "only ASCII values" for `oauth_nonce`; hex is also safe in every placement.
pub fn nonce_from_random(random: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    // Written by index: `String::push` is a call per character in the size-optimized build.
    let mut out = vec![0u8; random.len() * 2];
    for (pair, b) in out.chunks_exact_mut(2).zip(random) {
        pair[0] = HEX[(b >> 4) as usize];
        pair[1] = HEX[(b & 15) as usize];
    }
    crate::core::form::ascii_string(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn nonce_is_lower_case_hex_of_the_bytes() {
        assert_eq!(
            super::nonce_from_random(&[0x00, 0x0f, 0xab, 0xff]),
            "000fabff"
        );
        assert_eq!(super::nonce_from_random(&[]), "");
    }
}
