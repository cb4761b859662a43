//! `application/x-www-form-urlencoded` and RFC 3986 percent-encoding, at the byte level.
//!
//! Parsing follows the WHATWG URL standard's urlencoded parser (`+` is a space, empty segments
//! are skipped, a bare `name` has an empty value) except that a malformed `%` escape is an error
//! instead of being passed through: a signature over a guessed value would only fail later.
//!
//! Why our own encoder and not the `percent-encoding` crate (issue 13, measured with an AsciiSet
//! equal to RFC 3986 unreserved and the WHATWG form set, identical output, `cargo test` and the
//! OAuth 1.0a vectors green): HMAC-SHA1 signing, CPU time per signature in one process against
//! the build without it, was 13–17 % slower with the crate at opt-level z, and still 3–6 %
//! slower (+4.5 % on average over three interleaved runs, full and oauth1 entries; noise floor
//! of the same build against itself ±3 %) with `opt-level = 3` for the crate, over the 3 %
//! allowed: its iterator hands out one chunk at a time and each becomes an `extend_from_slice`
//! call, where ours counts once, sizes once and writes by index. Brotli bundle sizes: full entry
//! +407 B (+77 B at opt-level 3), oauth1 entry +100 B (+151 B). Decoding would stay ours in any
//! case: `percent_decode` passes a malformed escape through and knows no `+`.

use crate::core::error::{Error, Result};

/// Percent-encodes per RFC 3986 (RFC 5849 §3.6): unreserved characters as-is, the rest `%XX`.
pub fn rfc3986_encode(bytes: &[u8]) -> String {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 2);
    rfc3986_encode_bytes(&mut out, bytes);
    ascii_string(out)
}

/// Appends the RFC 3986 encoding of `bytes` to `out`.
pub fn rfc3986_encode_into(out: &mut String, bytes: &[u8]) {
    let mut buf = std::mem::take(out).into_bytes();
    rfc3986_encode_bytes(&mut buf, bytes);
    *out = ascii_string(buf);
}

/// RFC 3986 §2.3 unreserved characters, as a table (the encoder's hot test).
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'-' || c == b'.' || c == b'_' || c == b'~';
        b += 1;
    }
    table
};

/// True for RFC 3986 §2.3 unreserved characters.
#[inline(always)]
pub fn is_unreserved(b: u8) -> bool {
    UNRESERVED[b as usize]
}

/// Appends the RFC 3986 encoding of `bytes` to a byte buffer. This is the hot loop of every
/// OAuth 1.0a signature: most names and values need no escaping and are copied in one go; the
/// rest is sized once and written by index in plain `while` loops, because the size-optimized
/// (opt-level z) wasm build inlines neither iterator closures nor `Vec::push`.
pub fn rfc3986_encode_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    encode_with_escape(out, bytes, b"%");
}

/// The RFC 3986 encoding of the RFC 3986 encoding of `bytes`, in one pass: an escaped byte
/// becomes `%25XX`, the rest is unreserved and stays. The signature base string encodes its
/// already-encoded parameters once more (RFC 5849 §3.4.1.1).
pub fn rfc3986_encode_twice(out: &mut Vec<u8>, bytes: &[u8]) {
    encode_with_escape(out, bytes, b"%25");
}

fn encode_with_escape(out: &mut Vec<u8>, bytes: &[u8], escape: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut reserved = 0;
    let mut i = 0;
    while i < bytes.len() {
        reserved += !is_unreserved(bytes[i]) as usize;
        i += 1;
    }
    if reserved == 0 {
        out.extend_from_slice(bytes);
        return;
    }
    let start = out.len();
    let wide = escape.len() + 2;
    out.resize(start + bytes.len() + (wide - 1) * reserved, 0);
    let dst = &mut out[start..];
    let (mut i, mut j) = (0, 0);
    while i < bytes.len() && j < dst.len() {
        let b = bytes[i];
        if is_unreserved(b) {
            dst[j] = b;
            j += 1;
        } else {
            let mut k = 0;
            while k < escape.len() {
                dst[j + k] = escape[k];
                k += 1;
            }
            dst[j + k] = HEX[(b >> 4) as usize];
            dst[j + k + 1] = HEX[(b & 15) as usize];
            j += wide;
        }
        i += 1;
    }
}

/// `%XX` with upper-case hex (RFC 3986 §2.1).
pub fn percent_triplet(b: u8) -> [u8; 3] {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    [b'%', HEX[(b >> 4) as usize], HEX[(b & 15) as usize]]
}

/// A buffer known to hold only ASCII as a `String` (never fails for such input; no panic path).
pub fn ascii_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_default()
}

/// Form-encodes one name or value (WHATWG urlencoded serializer: `*-._` and alphanumerics as
/// they are, space → `+`, everything else `%XX`).
pub fn form_encode(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len() * 3);
    for &b in text.as_bytes() {
        match b {
            b' ' => out.push(b'+'),
            b'*' | b'-' | b'.' | b'_' => out.push(b),
            b if b.is_ascii_alphanumeric() => out.push(b),
            b => out.extend_from_slice(&percent_triplet(b)),
        }
    }
    ascii_string(out)
}

/// Serializes name/value pairs as an `application/x-www-form-urlencoded` string.
pub fn serialize<'a, I>(pairs: I) -> String
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&form_encode(name));
        out.push('=');
        out.push_str(&form_encode(value));
    }
    out
}

/// Decodes one component: `+` → space, `%XX` → byte. A `%` not followed by two hex digits is
/// an [`ErrorCode::InvalidArgument`](crate::core::ErrorCode::InvalidArgument).
pub fn decode_component(input: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len());
    decode_component_into(&mut out, input)?;
    Ok(out)
}

/// [`decode_component`] appending to a caller's buffer.
pub fn decode_component_into(out: &mut Vec<u8>, input: &[u8]) -> Result<()> {
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = input.get(i + 1).and_then(|b| hex_value(*b));
                let lo = input.get(i + 2).and_then(|b| hex_value(*b));
                match (hi, lo) {
                    (Some(hi), Some(lo)) => out.push(hi << 4 | lo),
                    _ => {
                        return Err(Error::invalid_argument(
                            "malformed percent-encoding: '%' must be followed by two hex digits",
                        ))
                    }
                }
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    Ok(())
}

/// Parses an urlencoded string into decoded byte pairs, keeping order and duplicates.
pub fn parse(input: &[u8]) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
    let mut pairs = Vec::new();
    for segment in input.split(|b| *b == b'&') {
        if segment.is_empty() {
            continue;
        }
        let (name, value) = match segment.iter().position(|b| *b == b'=') {
            Some(eq) => (&segment[..eq], &segment[eq + 1..]),
            None => (segment, &segment[segment.len()..]),
        };
        pairs.push((decode_component(name)?, decode_component(value)?));
    }
    Ok(pairs)
}

/// Parses an urlencoded string whose values must be UTF-8 (token endpoint responses).
pub fn parse_utf8(input: &[u8]) -> Result<Vec<(String, String)>> {
    parse(input)?
        .into_iter()
        .map(
            |(n, v)| match (String::from_utf8(n), String::from_utf8(v)) {
                (Ok(n), Ok(v)) => Ok((n, v)),
                _ => Err(Error::parse("form-encoded response is not valid UTF-8")),
            },
        )
        .collect()
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Encoding twice in one pass is encoding the encoding, on every byte value and mixes of
    /// them; and it keeps the byte order of the once-encoded strings (the base string sorts
    /// the twice-encoded parameters, RFC 5849 §3.4.1.3.2 sorts the once-encoded ones).
    #[test]
    fn encoding_twice_is_encoding_the_encoding_and_keeps_the_order() {
        let mut inputs: Vec<Vec<u8>> = (0..=255u8).map(|b| vec![b]).collect();
        let mut seed = 5849u32;
        for len in 0..40 {
            inputs.push(
                (0..len)
                    .map(|_| {
                        seed = seed.wrapping_mul(1103515245).wrapping_add(12345);
                        b"a%-Z~ =&/\xc3\xa9+."[(seed >> 16) as usize % 13]
                    })
                    .collect(),
            );
        }
        let once = |b: &[u8]| {
            let mut v = Vec::new();
            rfc3986_encode_bytes(&mut v, b);
            v
        };
        let twice = |b: &[u8]| {
            let mut v = Vec::new();
            rfc3986_encode_twice(&mut v, b);
            v
        };
        for a in &inputs {
            assert_eq!(twice(a), once(&once(a)), "{a:?}");
            for b in &inputs {
                assert_eq!(
                    once(a).cmp(&once(b)),
                    twice(a).cmp(&twice(b)),
                    "{a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn rfc3986_keeps_only_unreserved() {
        // RFC 5849 §3.6: ALPHA, DIGIT, "-", ".", "_", "~" MUST NOT be encoded; all else MUST.
        assert_eq!(rfc3986_encode(b"Ab9-._~"), "Ab9-._~");
        assert_eq!(rfc3986_encode(b" +%*'!()"), "%20%2B%25%2A%27%21%28%29");
        assert_eq!(rfc3986_encode("é".as_bytes()), "%C3%A9");
    }

    #[test]
    fn parses_like_whatwg_but_rejects_bad_escapes() {
        let pairs = parse(b"c2&a3=2+q&&x=%3D%253D").unwrap();
        assert_eq!(
            pairs,
            vec![
                (b"c2".to_vec(), b"".to_vec()),
                (b"a3".to_vec(), b"2 q".to_vec()),
                (b"x".to_vec(), b"=%3D".to_vec()),
            ]
        );
        assert!(parse(b"a=%zz").is_err());
        assert!(parse(b"a=%4").is_err());
    }

    #[test]
    fn form_serializer_matches_url_search_params() {
        // new URLSearchParams([["a b", "c+d*é~"]]).toString() === "a+b=c%2Bd*%C3%A9%7E"
        assert_eq!(serialize([("a b", "c+d*é~")]), "a+b=c%2Bd*%C3%A9%7E");
    }
}
