//! The OAuth 1.0a vector harness shared by the native tests (tests/oauth1_vectors.rs) and the
//! wasm tests in Node and Chromium (tests/wasm_node.rs, tests/wasm_browser.rs). Expected values
//! come from the RFC text, the seed documents and an independent implementation (oauthlib; see
//! tests/vectors/README.md), never from this crate. Files are embedded so wasm needs no fs.

use oauth_edge::core::oauth1::{Placement, RequestBody, SignableRequest, SignatureMethod, Signer};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
pub struct VectorFile {
    source: String,
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    name: String,
    source: String,
    method: String,
    url: String,
    body: Option<String>,
    body_is_form: bool,
    body_hash: bool,
    consumer_key: String,
    consumer_secret: String,
    token: Option<String>,
    token_secret: Option<String>,
    signature_method: String,
    nonce: Option<String>,
    timestamp: Option<String>,
    callback: Option<String>,
    verifier: Option<String>,
    realm: Option<String>,
    version: bool,
    #[serde(default)]
    rfc_printed_base_string: Option<String>,
    expected: Expected,
}

#[derive(Deserialize)]
struct Expected {
    base_string: String,
    signature: String,
    oauth_params: BTreeMap<String, String>,
}

pub const RFC5849: (&str, &str) = ("rfc5849.json", include_str!("../vectors/rfc5849.json"));
pub const ZAPEVENT: (&str, &str) = ("zapevent.json", include_str!("../vectors/zapevent.json"));
pub const GENERATED: (&str, &str) = ("generated.json", include_str!("../vectors/generated.json"));

/// Checks every vector of one file; panics listing all failures. Returns the vector count.
pub fn run_file((name, text): (&str, &str)) -> usize {
    let file: VectorFile = serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(!file.source.is_empty());
    let mut failures = Vec::new();
    for v in &file.vectors {
        if let Err(why) = check(v) {
            failures.push(format!("{} ({}): {why}", v.name, v.source));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors in {name} failed:\n{}",
        failures.len(),
        file.vectors.len(),
        failures.join("\n")
    );
    file.vectors.len()
}

fn check(v: &Vector) -> Result<(), String> {
    let mut signer = Signer::new(v.consumer_key.clone(), v.consumer_secret.as_str());
    if let Some(token) = &v.token {
        signer = signer.with_token(token.clone(), v.token_secret.clone().unwrap_or_default());
    }
    signer.signature_method =
        SignatureMethod::parse(&v.signature_method).map_err(|e| e.to_string())?;
    signer.realm = v.realm.clone();
    signer.include_version = v.version;
    signer.allow_insecure = true; // the RFC examples use http://
    let body = match (&v.body, v.body_is_form) {
        (None, _) => RequestBody::Empty,
        (Some(b), true) => RequestBody::Form(b.as_bytes()),
        (Some(b), false) => RequestBody::Other(b.as_bytes()),
    };
    let timestamp = v
        .timestamp
        .as_deref()
        .map(|t| t.parse::<u64>().map_err(|e| e.to_string()))
        .transpose()?;
    let req = SignableRequest {
        method: &v.method,
        url: &v.url,
        body,
        callback: v.callback.as_deref(),
        verifier: v.verifier.as_deref(),
        body_hash: v.body_hash,
    };
    for placement in [Placement::Header, Placement::Query] {
        signer.placement = placement;
        let signed = signer
            .sign(&req, v.nonce.as_deref(), timestamp)
            .map_err(|e| e.to_string())?;
        // PLAINTEXT signs no base string (RFC 5849 §3.4.4): the vector's is not computed.
        let plaintext = signer.signature_method == SignatureMethod::Plaintext;
        match (&signed.base_string, plaintext) {
            (None, true) => {}
            (Some(ours), false) => {
                if ours != &v.expected.base_string {
                    return Err(format!(
                        "base string\n  ours:     {ours}\n  expected: {}",
                        v.expected.base_string
                    ));
                }
                if let Some(printed) = &v.rfc_printed_base_string {
                    if ours != printed {
                        return Err("base string differs from the RFC's printed text".into());
                    }
                }
            }
            (ours, _) => {
                return Err(format!(
                    "base string {ours:?} for {:?}",
                    signer.signature_method
                ))
            }
        }
        if signed.signature.expose() != v.expected.signature {
            return Err(format!(
                "signature: ours {} expected {}",
                signed.signature.expose(),
                v.expected.signature
            ));
        }
        let sent = sent_oauth_params(&signed.request, placement)?;
        if sent != v.expected.oauth_params {
            return Err(format!(
                "protocol parameters ({placement:?}):\n  ours:     {sent:?}\n  expected: {:?}",
                v.expected.oauth_params
            ));
        }
    }
    Ok(())
}

/// Reads the protocol parameters back out of the signed request the way a server would.
fn sent_oauth_params(
    req: &oauth_edge::core::http::Request,
    placement: Placement,
) -> Result<BTreeMap<String, String>, String> {
    let decode = |s: &str| -> Result<String, String> {
        let bytes = oauth_edge::core::form::decode_component(s.replace('+', "%2B").as_bytes())
            .map_err(|e| e.to_string())?;
        String::from_utf8(bytes).map_err(|e| e.to_string())
    };
    let mut out = BTreeMap::new();
    match placement {
        Placement::Header => {
            let h = req
                .header("authorization")
                .ok_or("no Authorization header")?;
            let rest = h
                .strip_prefix("OAuth ")
                .ok_or("header does not start with 'OAuth '")?;
            for part in rest.split(", ") {
                let (k, v) = part.split_once('=').ok_or("bad header param")?;
                let v = v
                    .strip_prefix('"')
                    .and_then(|v| v.strip_suffix('"'))
                    .ok_or("unquoted header value")?;
                if k != "realm" {
                    out.insert(decode(k)?, decode(v)?);
                }
            }
        }
        _ => {
            let query = req.url.split_once('?').map(|(_, q)| q).unwrap_or_default();
            for part in query.split('&').filter(|p| p.starts_with("oauth_")) {
                let (k, v) = part.split_once('=').unwrap_or((part, ""));
                out.insert(decode(k)?, decode(v)?);
            }
        }
    }
    Ok(out)
}
