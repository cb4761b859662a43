//! OAuth 1.0a signing of arbitrary URLs, parameters and bodies (src/core/oauth1/): URL parsing,
//! the signature base string (checked against a plain reference implementation of RFC 5849
//! §3.4.1), every signature method and placement, and the form codec's round trip.
//!
//! Input: 2 option bytes, then the fields method, url, callback, verifier, realm, nonce,
//! timestamp, consumer_key, consumer_secret, token, token_secret, then the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oauth_edge::core::form;
use oauth_edge::core::oauth1::base_string::{normalized_parameters, signature_base_string};
use oauth_edge::core::oauth1::{Placement, RequestBody, SignableRequest, SignatureMethod, Signer};
use oauth_edge::core::url::Url;
use oauth_edge_fuzz::Input;

fuzz_target!(|data: &[u8]| {
    let ([o, p], mut input) = Input::new::<2>(data);
    let method = input.field();
    let url = input.field();
    let callback = input.field();
    let verifier = input.field();
    let realm = input.field();
    let nonce = input.field();
    let timestamp = input.field();
    let consumer_key = input.field();
    let consumer_secret = input.field();
    let token = input.field();
    let token_secret = input.field();
    let body = input.body();

    let mut signer = Signer::new(&*consumer_key, &*consumer_secret);
    if p & 16 != 0 {
        signer = signer.with_token(&*token, &*token_secret);
    }
    signer.signature_method = [
        SignatureMethod::HmacSha1,
        SignatureMethod::HmacSha256,
        SignatureMethod::Plaintext,
    ][(o & 3) as usize % 3];
    signer.placement =
        [Placement::Header, Placement::Body, Placement::Query][(o >> 2 & 3) as usize % 3];
    signer.include_version = o & 128 != 0;
    signer.allow_insecure = p & 1 != 0;
    signer.realm = (p & 8 != 0).then(|| realm.clone().into_owned());
    let body_kind = [
        RequestBody::Empty,
        RequestBody::Form(body),
        RequestBody::Other(body),
    ][(o >> 4 & 3) as usize % 3];
    let req = SignableRequest {
        method: &method,
        url: &url,
        body: body_kind,
        callback: (p & 2 != 0).then_some(&*callback),
        verifier: (p & 4 != 0).then_some(&*verifier),
        body_hash: o & 64 != 0,
    };
    let nonce_text = nonce.clone();
    let nonce = (p & 32 != 0).then_some(&*nonce_text);
    let timestamp = (p & 64 != 0).then(|| timestamp.parse::<u64>().unwrap_or(u64::MAX));

    let signed = signer.sign(&req, nonce, timestamp);
    // A key derived once signs exactly like `sign` (the long-lived signers' path).
    let again = signer.sign_with_key(&signer.signing_key(), &req, nonce, timestamp);
    assert_eq!(
        signed
            .as_ref()
            .map(|s| (&s.base_string, s.signature.expose(), &s.request))
            .ok(),
        again
            .as_ref()
            .map(|s| (&s.base_string, s.signature.expose(), &s.request))
            .ok(),
        "sign and sign_with_key disagree"
    );
    if let Ok(signed) = &signed {
        // PLAINTEXT signs no base string (RFC 5849 §3.4.4); every HMAC signature has one.
        let plaintext = signer.signature_method == SignatureMethod::Plaintext;
        assert_eq!(signed.base_string.is_none(), plaintext);
        if let Some(base_string) = &signed.base_string {
            assert!(base_string.is_ascii());
            let upper = method.to_ascii_uppercase();
            let rest = base_string
                .strip_prefix(&format!("{upper}&"))
                .expect("the base string starts with the method");
            assert_eq!(rest.matches('&').count(), 1, "{base_string:?}");
        }
        for (name, value) in &signed.request.headers {
            assert!(
                !value.contains(['\r', '\n', '\0']) && !name.contains(['\r', '\n', ':']),
                "header injection: {name:?}: {value:?}"
            );
        }
        assert!(!signed.request.url.contains(['\r', '\n']));
        if signer.signature_method == SignatureMethod::Plaintext {
            // §3.4.4: enc(consumer secret) & enc(token secret).
            let expected = format!(
                "{}&{}",
                form::rfc3986_encode(signer.consumer_secret.expose().as_bytes()),
                form::rfc3986_encode(signer.token_secret.expose().as_bytes())
            );
            assert_eq!(signed.signature.expose(), expected);
        }
    }

    // The base string on its own, with the URL's query, the body as a form and the string
    // fields as protocol parameters, against the reference.
    if let Ok(parsed) = Url::parse(&url) {
        let _ = (
            parsed.origin(),
            parsed.is_loopback(),
            parsed.require_secure(false),
        );
        let _ = parsed.with_extra_query(&String::from_utf8_lossy(body));
        let protocol = [
            ("oauth_callback", &*callback),
            ("realm", &*realm),
            (&*verifier, &*nonce_text),
            ("oauth_signature", &*token),
        ];
        let core = signature_base_string(&method, &parsed, Some(body), &protocol);
        let reference = reference_base_string(&method, &parsed, body, &protocol);
        assert_eq!(
            core.ok(),
            reference,
            "base string differs from the reference"
        );
        let _ = normalized_parameters(parsed.query(), Some(body), &protocol);
    }

    // The form codec: what serialize writes, parse reads back; decode undoes rfc3986_encode.
    if let Ok(pairs) = form::parse_utf8(body) {
        let text = form::serialize(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        assert_eq!(form::parse_utf8(text.as_bytes()).ok(), Some(pairs));
    }
    let encoded = form::rfc3986_encode(body);
    assert!(encoded.bytes().all(|b| form::is_unreserved(b) || b == b'%'));
    assert_eq!(
        form::decode_component(encoded.as_bytes()).ok().as_deref(),
        Some(body)
    );
});

/// RFC 5849 §3.4.1 written plainly: decode the query and form pairs (`+` is a space, a bad `%`
/// escape fails), encode every name and value, sort, join, encode again.
fn reference_base_string(
    method: &str,
    url: &Url,
    form_body: &[u8],
    protocol: &[(&str, &str)],
) -> Option<String> {
    let tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if method.is_empty() || !method.bytes().all(tchar) {
        return None;
    }
    let mut pairs: Vec<(String, String)> = Vec::new();
    for source in [url.query().unwrap_or("").as_bytes(), form_body] {
        for segment in source.split(|b| *b == b'&').filter(|s| !s.is_empty()) {
            let (n, v) = match segment.iter().position(|b| *b == b'=') {
                Some(i) => (&segment[..i], &segment[i + 1..]),
                None => (segment, &[][..]),
            };
            pairs.push((enc(&decode(n)?), enc(&decode(v)?)));
        }
    }
    for (n, v) in protocol {
        if *n != "realm" && *n != "oauth_signature" {
            pairs.push((enc(n.as_bytes()), enc(v.as_bytes())));
        }
    }
    pairs.sort();
    let normalized: Vec<String> = pairs.iter().map(|(n, v)| format!("{n}={v}")).collect();
    Some(format!(
        "{}&{}&{}",
        method.to_ascii_uppercase(),
        enc(url.base_string_uri().as_bytes()),
        enc(normalized.join("&").as_bytes())
    ))
}

fn enc(bytes: &[u8]) -> String {
    let mut out = String::new();
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = std::str::from_utf8(s.get(i + 1..i + 3)?).ok()?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    Some(out)
}
