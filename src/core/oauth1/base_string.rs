//! RFC 5849 §3.4.1: the signature base string.
//!
//! `METHOD & enc(base string URI) & enc(normalized parameters)`, where the parameters are the
//! query (§3.4.1.3.1), a form-urlencoded body and the `oauth_*` protocol parameters minus
//! `realm` and `oauth_signature`, each name and value RFC 3986-encoded, sorted by encoded name
//! then encoded value (§3.4.1.3.2), duplicates kept.

use crate::core::error::{Error, Result};
use crate::core::form::{self, ascii_string, rfc3986_encode_bytes, rfc3986_encode_twice};
use crate::core::sort::heap_sort;
use crate::core::url::Url;
use std::ops::Range;

/// Builds the signature base string.
///
/// `method` must be an HTTP token; it is upper-cased (§3.4.1.1). `query` and `form_body` are
/// raw urlencoded strings; `protocol_params` are the decoded `oauth_*` pairs to be sent.
pub fn signature_base_string(
    method: &str,
    url: &Url,
    form_body: Option<&[u8]>,
    protocol_params: &[(&str, &str)],
) -> Result<String> {
    let method = normalize_method(method)?;
    let params = EncodedParameters::collect(url.query(), form_body, protocol_params, true)?;
    // Sized up front (the parameters are already in their final form), so the appends below
    // never reallocate.
    let mut out =
        Vec::with_capacity(method.len() + params.arena.len() + 6 * params.pairs.len() + 3 * 256);
    out.extend_from_slice(method.as_bytes());
    out.push(b'&');
    rfc3986_encode_bytes(&mut out, url.base_string_uri().as_bytes());
    out.push(b'&');
    params.write_normalized(&mut out);
    Ok(ascii_string(out))
}

/// §3.4.1.1: the method, upper-cased; it must be an RFC 9110 token.
pub fn normalize_method(method: &str) -> Result<String> {
    let is_tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if method.is_empty() || !method.bytes().all(is_tchar) {
        return Err(Error::invalid_argument(
            "method must be an HTTP method token such as GET",
        ));
    }
    Ok(method.to_ascii_uppercase())
}

/// §3.4.1.3.2: the normalized parameter string (before its final encoding).
pub fn normalized_parameters(
    query: Option<&str>,
    form_body: Option<&[u8]>,
    protocol_params: &[(&str, &str)],
) -> Result<String> {
    let params = EncodedParameters::collect(query, form_body, protocol_params, false)?;
    let mut out = Vec::with_capacity(params.arena.len() + 16);
    params.write_normalized(&mut out);
    Ok(ascii_string(out))
}

/// Every parameter, RFC 3986-encoded into one buffer (no allocation per parameter), with
/// `(name, value)` ranges to sort. With `twice`, each is encoded once more as the base string
/// needs (§3.4.1.1 step 5): only `%` changes (→ `%25`), which keeps the §3.4.1.3.2 order (a
/// `%` compares against the same byte either way), so the parts are sorted and written as they
/// are.
struct EncodedParameters {
    arena: Vec<u8>,
    pairs: Vec<(Range<usize>, Range<usize>)>,
    twice: bool,
}

impl EncodedParameters {
    fn collect(
        query: Option<&str>,
        form_body: Option<&[u8]>,
        protocol_params: &[(&str, &str)],
        twice: bool,
    ) -> Result<Self> {
        let input_len = query.map_or(0, str::len) + form_body.map_or(0, <[u8]>::len);
        let mut this = EncodedParameters {
            arena: Vec::with_capacity(5 * input_len + 512),
            pairs: Vec::with_capacity(16),
            twice,
        };
        let mut scratch = Vec::new();
        // §3.4.1.3.1: query and form body are decoded as application/x-www-form-urlencoded ...
        for source in [query.map(str::as_bytes), form_body].into_iter().flatten() {
            for segment in source.split(|b| *b == b'&').filter(|s| !s.is_empty()) {
                let (name, value) = match segment.iter().position(|b| *b == b'=') {
                    Some(eq) => (&segment[..eq], &segment[eq + 1..]),
                    None => (segment, &segment[segment.len()..]),
                };
                let n = this.push_decoded(name, &mut scratch)?;
                let v = this.push_decoded(value, &mut scratch)?;
                this.pairs.push((n, v));
            }
        }
        // ... and the protocol parameters are taken as sent, minus realm and oauth_signature.
        for (name, value) in protocol_params {
            if *name != "realm" && *name != "oauth_signature" {
                let n = this.push_encoded(name.as_bytes());
                let v = this.push_encoded(value.as_bytes());
                this.pairs.push((n, v));
            }
        }
        // §3.4.1.3.2 step 2: sort by encoded name, then encoded value, in byte order.
        heap_sort(&mut this.pairs, |a, b| {
            compare_pairs(&this.arena, a, b).is_lt()
        });
        Ok(this)
    }

    fn push_encoded(&mut self, raw: &[u8]) -> Range<usize> {
        let start = self.arena.len();
        if self.twice {
            rfc3986_encode_twice(&mut self.arena, raw);
        } else {
            rfc3986_encode_bytes(&mut self.arena, raw);
        }
        start..self.arena.len()
    }

    fn push_decoded(&mut self, component: &[u8], scratch: &mut Vec<u8>) -> Result<Range<usize>> {
        // Most query and form components need no decoding at all: encode them as they are.
        if !component.iter().any(|b| *b == b'%' || *b == b'+') {
            return Ok(self.push_encoded(component));
        }
        scratch.clear();
        form::decode_component_into(scratch, component)?;
        Ok(self.push_encoded(scratch))
    }

    /// `name=value&…`, with `=` and `&` encoded too when `twice` (the parts already are).
    fn write_normalized(&self, out: &mut Vec<u8>) {
        let (eq, amp): (&[u8], &[u8]) = if self.twice {
            (b"%3D", b"%26")
        } else {
            (b"=", b"&")
        };
        for (i, (name, value)) in self.pairs.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(amp);
            }
            out.extend_from_slice(&self.arena[name.clone()]);
            out.extend_from_slice(eq);
            out.extend_from_slice(&self.arena[value.clone()]);
        }
    }
}

#[inline(always)]
fn compare_pairs(
    arena: &[u8],
    a: &(Range<usize>, Range<usize>),
    b: &(Range<usize>, Range<usize>),
) -> std::cmp::Ordering {
    let name = |r: &Range<usize>| arena.get(r.start..r.end).unwrap_or_default();
    name(&a.0)
        .cmp(name(&b.0))
        .then_with(|| name(&a.1).cmp(name(&b.1)))
}
