//! RFC 4648 base64: §4 (standard alphabet, padded) for HMAC signatures and Basic credentials,
//! §5 (URL-safe, unpadded) for PKCE and `state`. Encoding only, which is all OAuth needs here;
//! thirty lines instead of the `base64` crate's engine keep the wasm ~1 KB smaller (brotli).

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn encode_with(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = Vec::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let symbols = chunk.len() + 1; // 1 byte → 2 symbols, 2 → 3, 3 → 4
        for i in 0..4 {
            if i < symbols {
                out.push(alphabet[((n >> (18 - 6 * i)) & 63) as usize]);
            } else if pad {
                out.push(b'=');
            }
        }
    }
    crate::core::form::ascii_string(out)
}

/// RFC 4648 §4: standard alphabet with `=` padding.
pub fn encode(bytes: impl AsRef<[u8]>) -> String {
    encode_with(bytes.as_ref(), STANDARD, true)
}

/// RFC 4648 §5: URL- and filename-safe alphabet, no padding (RFC 7636 `BASE64URL`).
pub fn encode_url_safe_no_pad(bytes: impl AsRef<[u8]>) -> String {
    encode_with(bytes.as_ref(), URL_SAFE, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_section_10_vectors() {
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
            assert_eq!(encode(input.as_bytes()), expected);
            assert_eq!(
                encode_url_safe_no_pad(input.as_bytes()),
                expected.trim_end_matches('=')
            );
        }
    }

    #[test]
    fn url_safe_alphabet() {
        // 0xfb 0xff → "+/8=" in §4, "-_8" in §5.
        assert_eq!(encode([0xfb, 0xff]), "+/8=");
        assert_eq!(encode_url_safe_no_pad([0xfb, 0xff]), "-_8");
    }
}
