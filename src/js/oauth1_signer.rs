//! `OAuth1Signer`: signs requests (RFC 5849) and optionally sends them through `fetch`.

use super::error::{invalid_argument, to_js};
use super::host::{self, get, opt_bool, opt_string, req_string, Fetcher};
use super::options;
use crate::core::oauth1::{Placement, RequestBody, SignableRequest, SignatureMethod, Signer};
use js_sys::{Reflect, Uint8Array};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/js/marshal.js")]
extern "C" {
    #[wasm_bindgen(js_name = bodyParts)]
    fn body_parts(form: &JsValue, body: &JsValue, content_type: Option<&str>) -> js_sys::Array;
    #[wasm_bindgen(js_name = requestParts)]
    fn request_parts(input: &JsValue, init: &JsValue) -> js_sys::Promise;
    #[wasm_bindgen(js_name = signedRequest)]
    fn signed_request(
        method: Option<&str>,
        url: Option<&str>,
        authorization: Option<&str>,
        content_type: Option<&str>,
        body: &JsValue,
        request_independent: bool,
    ) -> JsValue;
}

/// Reads the signing options shared by `OAuth1Signer` and `OAuth1Flow`.
pub fn signer_from_options(options: &JsValue, with_token: bool) -> Result<Signer, JsValue> {
    let mut signer = Signer::new(
        req_string(options, "consumerKey")?,
        req_string(options, "consumerSecret")?,
    );
    if with_token {
        if let Some(token) = opt_string(options, "token")? {
            signer = signer.with_token(
                token,
                opt_string(options, "tokenSecret")?.unwrap_or_default(),
            );
        } else if opt_string(options, "tokenSecret")?.is_some() {
            return Err(invalid_argument("option 'tokenSecret' needs 'token'"));
        }
    }
    if let Some(m) = opt_string(options, "signatureMethod")? {
        signer.signature_method = SignatureMethod::parse(&m)
            .map_err(|e| to_js(super::error::named(e, "signatureMethod")))?;
    }
    if let Some(p) = opt_string(options, "placement")? {
        signer.placement =
            Placement::parse(&p).map_err(|e| to_js(super::error::named(e, "placement")))?;
    }
    signer.realm = opt_string(options, "realm")?;
    signer.include_version = opt_bool(options, "includeVersion")?.unwrap_or(true);
    signer.allow_insecure = opt_bool(options, "allowInsecureRequests")?.unwrap_or(false);
    Ok(signer)
}

struct State {
    signer: Signer,
    /// Derived once: each signature then hashes only its base string.
    key: crate::core::oauth1::signature::SigningKey,
    fetcher: Option<Fetcher>,
    fetch_error: Option<JsValue>,
}

/// Signs OAuth 1.0a requests. Immutable after construction, so overlapping calls are safe.
#[wasm_bindgen]
pub struct OAuth1Signer {
    state: Rc<State>,
}

/// The body of a request as the caller gave it.
enum Body {
    None,
    Form(String),
    Text(String),
    Bytes(Vec<u8>),
}

impl Body {
    fn as_core(&self) -> RequestBody<'_> {
        match self {
            Body::None => RequestBody::Empty,
            Body::Form(f) => RequestBody::Form(f.as_bytes()),
            Body::Text(t) => RequestBody::Other(t.as_bytes()),
            Body::Bytes(b) => RequestBody::Other(b),
        }
    }
}

#[wasm_bindgen]
impl OAuth1Signer {
    /// Creates a signer. Throws `OAuthEdgeError` (`INVALID_ARGUMENT`) on bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "OAuth1SignerOptions")] options: JsValue,
    ) -> Result<OAuth1Signer, JsValue> {
        let signer = signer_from_options(&options, true)?;
        // A bad `fetch` option is the caller's mistake: throw now. A host without a global
        // fetch only matters to .fetch(); sign() must work there.
        let custom_fetch = get(&options, "fetch")?;
        // No `timeoutMs`: `fetch()` answers follow the caller's `init.signal`, as `fetch`.
        let fetcher = options::function(&options, "fetch")
            .and_then(|f| Fetcher::new(f, options::positive(&options, "maxResponseBytes")?, None));
        let (fetcher, fetch_error) = match fetcher {
            Ok(f) => (Some(f), None),
            Err(e) if custom_fetch.is_undefined() || custom_fetch.is_null() => (None, Some(e)),
            Err(e) => return Err(e),
        };
        Ok(OAuth1Signer {
            state: Rc::new(State {
                key: signer.signing_key(),
                signer,
                fetcher,
                fetch_error,
            }),
        })
    }

    /// The wasm half of `sign()`, whose JS half (pkg-template/oauth1_sign.js) reads and checks
    /// the input object: one call in with plain values, where reading the object from here took
    /// about thirty calls out (a getter, a type check, a copy and a release per property), most
    /// of a PLAINTEXT signature's cost. `body_kind` is `bodyParts`' (marshal.js): 0 none, 1 form
    /// (`body_text`), 2 other text (`body_text`), 3 bytes (`body_bytes`). The result is
    /// marshal.js `signedRequest`'s pair; its `method` and `url` are `undefined` when they are
    /// the ones given.
    #[wasm_bindgen(js_name = signParts, skip_typescript)]
    #[allow(clippy::too_many_arguments)] // one per field of OAuth1SignInput
    pub fn sign_parts(
        &self,
        method: &str,
        url: &str,
        body_kind: u8,
        body_text: Option<String>,
        body_bytes: Option<Vec<u8>>,
        callback: Option<String>,
        verifier: Option<String>,
        nonce: Option<String>,
        timestamp: Option<f64>,
        body_hash: bool,
    ) -> Result<JsValue, JsValue> {
        let body = match (body_kind, body_text, body_bytes) {
            (1, Some(text), _) => Body::Form(text),
            (2, Some(text), _) => Body::Text(text),
            (3, _, Some(bytes)) => Body::Bytes(bytes),
            _ => Body::None,
        };
        let req = SignableRequest {
            method,
            url,
            body: body.as_core(),
            callback: callback.as_deref(),
            verifier: verifier.as_deref(),
            body_hash,
        };
        // RFC 5849 §3.4.4: a PLAINTEXT signature signs nothing of the request, so with no nonce,
        // timestamp, callback, verifier or body hash (§3.1 lets PLAINTEXT omit the first two)
        // the Authorization header is the same for every request the core accepts.
        let request_independent = self.state.signer.signature_method == SignatureMethod::Plaintext
            && self.state.signer.placement == Placement::Header
            && matches!(body, Body::None)
            && (nonce.is_none() && timestamp.is_none() && !body_hash)
            && (callback.is_none() && verifier.is_none());
        // The JS half checked it: a non-negative integer of at most 2^53.
        let timestamp = timestamp.map(|t| t as u64);
        let signed = sign_with_host_entropy(&self.state, &req, nonce, timestamp)?.request;
        let body_out: JsValue = match (&body, &signed.body) {
            (_, None) => JsValue::UNDEFINED,
            (Body::Bytes(_), Some(b)) => Uint8Array::from(b.as_slice()).into(),
            (_, Some(b)) => std::str::from_utf8(b)
                .map(JsValue::from_str)
                .unwrap_or(JsValue::NULL),
        };
        Ok(signed_request(
            (signed.method != method).then_some(&signed.method),
            (signed.url != url).then_some(&signed.url),
            signed.header("authorization"),
            signed.header("content-type"),
            &body_out,
            request_independent,
        ))
    }

    /// Signs and sends a request through `fetch`, returning the host's `Response` untouched.
    /// `input` is a URL string, a `URL` or a `Request`; `init` is a `RequestInit` plus `form`
    /// and `bodyHash`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Response>")]
    pub fn fetch(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | URL | Request")] input: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "OAuth1FetchInit")] init: Option<JsValue>,
    ) -> js_sys::Promise {
        let state = self.state.clone();
        crate::js::promise(async move { fetch_signed(&state, input, init).await })
    }
}

async fn fetch_signed(
    state: &State,
    input: JsValue,
    init: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let fetcher = match (&state.fetcher, &state.fetch_error) {
        (Some(f), _) => f,
        (None, Some(e)) => return Err(e.clone()),
        (None, None) => return Err(invalid_argument("no fetch available")),
    };
    let init = init
        .filter(|i| !i.is_undefined() && !i.is_null())
        .unwrap_or(JsValue::UNDEFINED);
    if !init.is_undefined() && !init.is_object() {
        return Err(invalid_argument("init must be an object"));
    }
    // A Request input gives method, URL, headers and body; init overrides them (marshal.js).
    let parts = JsFuture::from(request_parts(&input, &init))
        .await
        .map_err(|_| invalid_argument("init.headers is not a valid HeadersInit"))?;
    let part = |k: &str| Reflect::get(&parts, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    let method = part("method")
        .as_string()
        .ok_or_else(|| invalid_argument("method must be a string"))?;
    let url = host::url_string(&part("url"), "input")?;
    let content_type = part("contentType").as_string();
    let form = if init.is_undefined() {
        JsValue::UNDEFINED
    } else {
        get(&init, "form")?
    };
    let body = body_from(&form, &part("body"), content_type.as_deref())?;
    let body_hash = match if init.is_undefined() {
        JsValue::UNDEFINED
    } else {
        get(&init, "bodyHash")?
    } {
        v if v.is_undefined() => false,
        v => v
            .as_bool()
            .ok_or_else(|| invalid_argument("bodyHash must be a boolean"))?,
    };
    let req = SignableRequest {
        method: &method,
        url: &url,
        body: body.as_core(),
        body_hash,
        ..Default::default()
    };
    let signed = sign_with_host_entropy(state, &req, None, None)?;
    // Credentials in the body (RFC 5849 §3.5.2; with PLAINTEXT, both secrets): a 307/308 to
    // another origin would re-send them there, so such a request is not redirected unless the
    // caller asks (`init.redirect`). Header credentials need no such rule: every runtime drops
    // Authorization on a cross-origin redirect (README "Transport").
    let in_body = state.signer.placement == crate::core::oauth1::Placement::Body;
    JsFuture::from(fetcher.send_signed(&init, &parts, &signed.request, in_body))
        .await
        .map_err(|e| {
            let cause = host::host_cause(e, &signed.request.url);
            super::error::network("the request failed before a response arrived", cause)
        })
}

fn sign_with_host_entropy(
    state: &State,
    req: &SignableRequest<'_>,
    nonce: Option<String>,
    timestamp: Option<u64>,
) -> Result<crate::core::oauth1::SignedRequest, JsValue> {
    // RFC 5849 §3.1 lets PLAINTEXT omit nonce and timestamp; ZapEvent asks for that.
    let plaintext = state.signer.signature_method == SignatureMethod::Plaintext;
    let nonce = match nonce {
        Some(n) => Some(n),
        None if plaintext => None,
        None => Some(host::random_nonce()?),
    };
    let timestamp = match timestamp {
        Some(t) => Some(t),
        None if plaintext => None,
        None => Some(host::now_seconds()),
    };
    state
        .signer
        .sign_with_key(&state.key, req, nonce.as_deref(), timestamp)
        .map_err(to_js)
}

/// Turns `form` / `body` (and the Content-Type) into the body to sign (`marshal.js` sorts out
/// the JS types). A string body declared `application/x-www-form-urlencoded` is a form body,
/// whose parameters are signed.
fn body_from(
    form_value: &JsValue,
    body: &JsValue,
    content_type: Option<&str>,
) -> Result<Body, JsValue> {
    let parts = body_parts(form_value, body, content_type);
    let value = parts.get(1);
    let text = || value.as_string().unwrap_or_default();
    match parts.get(0).as_f64() {
        Some(0.0) => Ok(Body::None),
        Some(1.0) => Ok(Body::Form(text())),
        Some(2.0) => Ok(Body::Text(text())),
        Some(3.0) => Ok(Body::Bytes(Uint8Array::new(&value).to_vec())),
        _ => Err(invalid_argument(&text())),
    }
}
