//! RFC 4648 base64, encoding only: §4 with padding (HMAC signatures, `oauth_body_hash`, Basic
//! credentials) and §5 base64url without padding (PKCE, `state`).
//!
//! Written out because the `base64` crate's general-purpose engine was 1.9 KB of the module for
//! what is a table lookup per six bits here (CHANGELOG, issue 10).

use crate::core::form::ascii_string;

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// RFC 4648 §4: base64 with `=` padding.
pub fn encode(bytes: &[u8]) -> String {
    encode_with(bytes, STANDARD, true)
}

/// RFC 4648 §5: base64url, no padding (RFC 7636 §4.2 and appendix A).
pub fn encode_url_no_pad(bytes: &[u8]) -> String {
    encode_with(bytes, URL_SAFE, false)
}

fn encode_with(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = Vec::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        // The chunk's bytes as the top of a 24-bit group, missing ones zero (§4); one byte
        // gives two digits, two bytes three, `=` filling the four.
        let group = chunk
            .iter()
            .enumerate()
            .fold(0u32, |g, (i, &b)| g | u32::from(b) << (16 - 8 * i));
        let digits = chunk.len() + 1;
        for i in 0..4 {
            if i < digits {
                out.push(alphabet[(group >> (18 - 6 * i)) as usize & 63]);
            } else if pad {
                out.push(b'=');
            }
        }
    }
    ascii_string(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4648 §10's test vectors.
    #[test]
    fn rfc4648_section_10() {
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (input, expected) in vectors {
            assert_eq!(encode(input.as_bytes()), expected, "{input:?}");
            assert_eq!(
                encode_url_no_pad(input.as_bytes()),
                expected.trim_end_matches('='),
                "{input:?}"
            );
        }
    }

    /// RFC 7636 appendix B: the verifier's 32 octets encode to the published verifier.
    #[test]
    fn rfc7636_appendix_b_verifier() {
        let octets = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212,
            37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
        ];
        assert_eq!(
            encode_url_no_pad(&octets),
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        );
    }

    /// The `+`/`/` and `-`/`_` positions (62, 63) and every remainder length, against the
    /// `base64` crate (a dev-dependency kept as the oracle).
    #[test]
    fn agrees_with_the_base64_crate() {
        use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
        use base64::Engine as _;
        let bytes: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
        for start in 0..8 {
            for len in 0..bytes.len() - start {
                let input = &bytes[start..start + len];
                assert_eq!(encode(input), STANDARD.encode(input));
                assert_eq!(encode_url_no_pad(input), URL_SAFE_NO_PAD.encode(input));
            }
        }
    }
}
