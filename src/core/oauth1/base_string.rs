//! RFC 5849 §3.4.1: the signature base string.
//!
//! `METHOD & enc(base string URI) & enc(normalized parameters)`, where the parameters are the
//! query (§3.4.1.3.1), a form-urlencoded body and the `oauth_*` protocol parameters minus
//! `realm` and `oauth_signature`, each name and value RFC 3986-encoded, sorted by encoded name
//! then encoded value (§3.4.1.3.2), duplicates kept.

use crate::core::error::{Error, Result};
use crate::core::form::{self, rfc3986_encode, rfc3986_encode_into};
use crate::core::url::Url;

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
    let params = normalized_parameters(url.query(), form_body, protocol_params)?;
    let mut out = String::with_capacity(method.len() + params.len() * 3 + 64);
    out.push_str(&method);
    out.push('&');
    rfc3986_encode_into(&mut out, url.base_string_uri().as_bytes());
    out.push('&');
    rfc3986_encode_into(&mut out, params.as_bytes());
    Ok(out)
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
    let mut encoded: Vec<(String, String)> = Vec::with_capacity(protocol_params.len() + 8);
    // §3.4.1.3.1: query and form body are decoded as application/x-www-form-urlencoded ...
    for source in [query.map(str::as_bytes), form_body].into_iter().flatten() {
        for (name, value) in form::parse(source)? {
            encoded.push((rfc3986_encode(&name), rfc3986_encode(&value)));
        }
    }
    // ... and the protocol parameters are taken as sent, minus realm and oauth_signature.
    for (name, value) in protocol_params {
        if *name != "realm" && *name != "oauth_signature" {
            encoded.push((
                rfc3986_encode(name.as_bytes()),
                rfc3986_encode(value.as_bytes()),
            ));
        }
    }
    // §3.4.1.3.2 step 2: sort by name, then by value, by byte order of the encoded strings.
    encoded.sort_unstable();
    let mut out = String::new();
    for (i, (name, value)) in encoded.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
    Ok(out)
}
