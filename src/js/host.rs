//! Everything taken from the host: the clock, randomness, `fetch`, and the one conversion pair
//! between the core's `http::Request`/`Response` and the host's `fetch` arguments/`Response`
//! (the shape of workers-rs `http/request.rs`, with typed errors instead of strings).
//!
//! Options objects are read with `Reflect` (`get` below; the value readers and `js_options!` in
//! options.rs), not with serde-wasm-bindgen into a `#[derive(Deserialize)]` struct. Measured
//! (issue 13) by replacing TokenSession's options reader (every option but `store`; functions as
//! `JsValue` fields through `serde_wasm_bindgen::preserve`): the full entry's brotli bundle grew
//! from 178,277 B to 185,193 B (+6,916 B) with `serde_path_to_error` naming the bad option in the
//! message and in `invalidParams` as `invalid_option` does, and to 182,167 B (+3,890 B) with
//! `serde_wasm_bindgen::from_value` alone, whose errors name no option at all; the allowance was
//! 1 KB. (Records in `store.rs` cross as JSON text through `JSON.parse` / `JSON.stringify`: measured
//! 3,407 B smaller than serde-wasm-bindgen, which is no longer a dependency.)

use super::error::{invalid_argument, invalid_option, to_js};
use super::options;
use crate::core::error::{Error, ErrorCode};
use crate::core::http;
use crate::core::text::concat;
use js_sys::{Function, Reflect, Uint8Array};
use std::future::Future;
use std::pin::Pin;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/js/marshal.js")]
extern "C" {
    #[cfg(feature = "oauth2")]
    #[wasm_bindgen(js_name = readResponse)]
    fn read_response_js(response: &JsValue, max_bytes: f64) -> js_sys::Promise;
    #[cfg(feature = "oauth2")]
    #[wasm_bindgen(js_name = requestInit)]
    fn request_init_js(
        method: &str,
        headers: Vec<String>,
        body: &JsValue,
        signal: &JsValue,
        timeout_ms: f64,
    ) -> JsValue;
    fn exchange(
        fetch: &Function,
        this: &JsValue,
        method: &str,
        url: &str,
        headers: Vec<String>,
        body: &JsValue,
        signal: &JsValue,
        max_bytes: f64,
        timeout_ms: f64,
    ) -> js_sys::Promise;
    #[wasm_bindgen(js_name = sendSigned)]
    #[allow(clippy::too_many_arguments)]
    fn send_signed(
        fetch: &Function,
        this: &JsValue,
        init: &JsValue,
        parts: &JsValue,
        method: &str,
        url: &str,
        headers: Vec<String>,
        body: &JsValue,
        manual_redirect: bool,
    ) -> js_sys::Promise;
}

#[wasm_bindgen]
extern "C" {
    /// `globalThis`: works in pages, workers, Workers, Deno and Node (never `window`).
    #[wasm_bindgen(thread_local_v2, js_name = globalThis)]
    static GLOBAL_THIS: JsValue;
}

/// Seconds since the epoch from the host clock (`Date.now()`); `SystemTime` panics on wasm32.
pub fn now_seconds() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

/// Milliseconds since the epoch from the host clock.
#[cfg(feature = "oauth2")]
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// The clock of a client or session: the `now` option (ms since the epoch; tests move it),
/// else the host's `Date.now()`.
#[cfg(feature = "oauth2")]
#[derive(Clone)]
pub struct Clock(Option<Function>);

#[cfg(feature = "oauth2")]
impl Clock {
    /// From an options object's `now` field.
    pub fn from_options(options: &JsValue) -> Result<Option<Clock>, JsValue> {
        Ok(options::function(options, "now")?.map(Clock::of))
    }

    /// A `now` option: a function returning ms since the epoch.
    pub fn of(now: Function) -> Clock {
        Clock(Some(now))
    }

    /// The host clock.
    pub fn host() -> Clock {
        Clock(None)
    }

    /// Now, in ms since the epoch (a `now` that throws or returns a non-number falls back to
    /// the host clock rather than to 0).
    pub fn now_ms(&self) -> u64 {
        match &self.0 {
            Some(f) => f
                .call0(&JsValue::UNDEFINED)
                .ok()
                .and_then(|v| v.as_f64())
                .filter(|v| v.is_finite())
                .map_or_else(now_ms, |v| v.max(0.0) as u64),
            None => now_ms(),
        }
    }
}

/// Bytes from one `crypto.getRandomValues` call, handed out `N` at a time: Node's
/// getRandomValues costs about 7 µs a call whatever the size (webcrypto's argument checks and
/// randomFillSync), which was 43 % of a fresh-nonce HMAC-SHA1 signature. A byte handed out is
/// zeroed in the pool, so no past nonce or PKCE verifier stays behind in it.
struct RandomPool {
    bytes: [u8; 1024],
    /// The bytes before `next` have been handed out (and zeroed).
    next: usize,
}

thread_local! {
    static RANDOM_POOL: std::cell::RefCell<RandomPool> =
        const { std::cell::RefCell::new(RandomPool { bytes: [0; 1024], next: 1024 }) };
}

/// `N` random bytes from `crypto.getRandomValues` (through the pool above).
pub fn random_bytes<const N: usize>() -> Result<[u8; N], JsValue> {
    const { assert!(N <= 1024) };
    RANDOM_POOL.with_borrow_mut(|pool| {
        if pool.next + N > pool.bytes.len() {
            getrandom::fill(&mut pool.bytes).map_err(|_| {
                to_js(crate::core::Error::new(
                    crate::core::ErrorCode::Internal,
                    "crypto.getRandomValues is not available in this host",
                ))
            })?;
            pool.next = 0;
        }
        let taken = &mut pool.bytes[pool.next..pool.next + N];
        let mut out = [0u8; N];
        out.copy_from_slice(taken);
        taken.fill(0);
        pool.next += N;
        Ok(out)
    })
}

/// A random `u32` (backoff jitter).
#[cfg(feature = "oauth2")]
pub fn random_u32() -> u32 {
    random_bytes::<4>().map(u32::from_le_bytes).unwrap_or(0)
}

/// 32 hex characters from `crypto.getRandomValues`: an ASCII nonce (RFC 5849 §3.3).
pub fn random_nonce() -> Result<String, JsValue> {
    Ok(crate::core::oauth1::nonce_from_random(
        &random_bytes::<16>()?
    ))
}

/// Reads `obj[key]`; a non-object `obj` is an `INVALID_ARGUMENT`.
pub fn get(obj: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    if !obj.is_object() {
        return Err(invalid_argument("expected an options object"));
    }
    Reflect::get(obj, &JsValue::from_str(key)).map_err(|_| invalid_argument("unreadable option"))
}

pub use super::options::{boolean as opt_bool, string as opt_string};

/// A required string option.
pub fn req_string(obj: &JsValue, key: &str) -> Result<String, JsValue> {
    opt_string(obj, key)?.ok_or_else(|| options::is_required(key))
}

/// A URL option given as a string or a `URL` object, normalized by the host's WHATWG `URL`
/// parser: what gets signed is exactly what `fetch` will put on the wire (IDNA, path escaping,
/// dot segments, default ports).
pub fn url_string(v: &JsValue, what: &str) -> Result<String, JsValue> {
    let text = if let Some(s) = v.as_string() {
        s
    } else if let Some(u) = v.dyn_ref::<web_sys::Url>() {
        u.href()
    } else {
        return Err(invalid_option(
            what,
            &concat(&[what, " must be a string or a URL"]),
        ));
    };
    web_sys::Url::new(&text)
        .map(|u| u.href())
        .map_err(|_| invalid_option(what, &concat(&[what, " is not an absolute URL"])))
}

/// The `fetch` to send with: the user's `fetch` option, else `globalThis.fetch`.
#[derive(Clone)]
pub struct Fetcher {
    func: Function,
    this: JsValue,
    /// `maxResponseBytes`: bodies over it are refused before parsing (RESPONSE_TOO_LARGE).
    max_bytes: f64,
    /// `timeoutMs`: a request the SDK sends and reads itself is aborted (NETWORK) when its whole
    /// response has not arrived by then.
    timeout_ms: f64,
}

/// The default `maxResponseBytes`: 64 MiB, far above any page a provider sends (the largest
/// measured: the ORC roster of 10,000 attendees, 2.75 MB) and far below what hurts a Worker.
const DEFAULT_MAX_RESPONSE_BYTES: f64 = 64.0 * 1024.0 * 1024.0;

/// The default `timeoutMs`: 30 s, as oauth4webapi's default `AbortSignal.timeout(30000)`; far
/// above a 250-record page from any provider here, far below a hung connection.
const DEFAULT_TIMEOUT_MS: f64 = 30_000.0;

impl Fetcher {
    /// From an options object's `fetch`, `maxResponseBytes` and `timeoutMs` fields.
    pub fn from_options(options: &JsValue) -> Result<Fetcher, JsValue> {
        Fetcher::new(
            options::function(options, "fetch")?,
            options::positive(options, "maxResponseBytes")?,
            options::positive(options, "timeoutMs")?,
        )
    }

    /// The `fetch` option (else `globalThis.fetch`) with `maxResponseBytes` (else 64 MiB) and
    /// `timeoutMs` (else 30 s).
    pub fn new(
        fetch: Option<Function>,
        max_bytes: Option<f64>,
        timeout_ms: Option<f64>,
    ) -> Result<Fetcher, JsValue> {
        let max_bytes = max_bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES);
        let timeout_ms = timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS);
        if let Some(func) = fetch {
            return Ok(Fetcher {
                func,
                this: JsValue::UNDEFINED,
                max_bytes,
                timeout_ms,
            });
        }
        let global = GLOBAL_THIS.with(JsValue::clone);
        let func = Reflect::get(&global, &JsValue::from_str("fetch"))
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
            .ok_or_else(|| {
                invalid_argument("this host has no global fetch; pass the 'fetch' option")
            })?;
        // Workers throw "Illegal invocation" unless fetch is called with globalThis as `this`.
        Ok(Fetcher {
            func,
            this: global,
            max_bytes,
            timeout_ms,
        })
    }

    /// This fetcher with the given `fetch`, `maxResponseBytes` and `timeoutMs` in place of its
    /// own (a `TokenSession`'s options over its client's).
    #[cfg(feature = "oauth2")]
    pub fn overridden(
        &self,
        fetch: Option<Function>,
        max_bytes: Option<f64>,
        timeout_ms: Option<f64>,
    ) -> Fetcher {
        let mut f = self.clone();
        if let Some(func) = fetch {
            f.func = func;
            f.this = JsValue::UNDEFINED;
        }
        f.max_bytes = max_bytes.unwrap_or(f.max_bytes);
        f.timeout_ms = timeout_ms.unwrap_or(f.timeout_ms);
        f
    }

    /// The function and its `this`.
    #[cfg(feature = "oauth2")]
    pub fn parts(&self) -> (&Function, &JsValue) {
        (&self.func, &self.this)
    }

    /// Reads a host `Response` whole into a core response, within `maxResponseBytes` (`url`:
    /// the request's, which decides whether the host's error may be kept as `cause`).
    #[cfg(feature = "oauth2")]
    pub async fn read(&self, response: &JsValue, url: &str) -> Result<http::Response, JsValue> {
        let result = JsFuture::from(read_response_js(response, self.max_bytes))
            .await
            .map_err(|e| {
                let (error, cause) = exchange_failure(e, url);
                super::error::with_cause(error, cause)
            })?;
        Ok(core_response(&result))
    }

    /// The `fetch` init of a core request: method, headers, body, and `signal` (unless
    /// undefined) joined with this fetcher's `timeoutMs` deadline.
    #[cfg(feature = "oauth2")]
    pub fn request_init(&self, req: &http::Request, signal: &JsValue) -> JsValue {
        let (flat, body) = wire_parts(req);
        request_init_js(&req.method, flat, &body, signal, self.timeout_ms)
    }

    /// Sends a core request and reads the whole response back into a core response (the
    /// exchange itself is `marshal.js`'s `exchange`: one boundary crossing each way).
    ///
    /// Boxed as a `dyn Future` on purpose: every flow step awaits it, and one shared poll
    /// function instead of a copy inlined into each caller's state machine keeps the wasm small.
    pub fn send<'a>(
        &'a self,
        req: &'a http::Request,
    ) -> Pin<Box<dyn Future<Output = Result<http::Response, JsValue>> + 'a>> {
        Box::pin(self.send_inner(req, JsValue::UNDEFINED))
    }

    /// [`Fetcher::send`] with an `AbortSignal` (or `undefined`) handed to `fetch`.
    #[cfg(feature = "oauth2")]
    pub fn send_with_signal<'a>(
        &'a self,
        req: &'a http::Request,
        signal: JsValue,
    ) -> Pin<Box<dyn Future<Output = Result<http::Response, JsValue>> + 'a>> {
        Box::pin(self.send_inner(req, signal))
    }

    /// [`Fetcher::send`] with the failure as a core error and the host's error apart.
    #[cfg(feature = "oauth2")]
    pub async fn send_split(
        &self,
        req: &http::Request,
    ) -> Result<http::Response, (Error, JsValue)> {
        self.exchange(req, JsValue::UNDEFINED).await
    }

    async fn send_inner(
        &self,
        req: &http::Request,
        signal: JsValue,
    ) -> Result<http::Response, JsValue> {
        self.exchange(req, signal)
            .await
            .map_err(|(error, cause)| super::error::with_cause(error, cause))
    }

    async fn exchange(
        &self,
        req: &http::Request,
        signal: JsValue,
    ) -> Result<http::Response, (Error, JsValue)> {
        let (flat, body) = wire_parts(req);
        let result = JsFuture::from(exchange(
            &self.func,
            &self.this,
            &req.method,
            &req.url,
            flat,
            &body,
            &signal,
            self.max_bytes,
            self.timeout_ms,
        ))
        .await
        .map_err(|e| exchange_failure(e, &req.url))?;
        Ok(core_response(&result))
    }

    /// Sends a signed `OAuth1Signer.fetch` request through `marshal.js`'s `sendSigned`
    /// (`manual_redirect`: unless `init.redirect` says otherwise).
    pub fn send_signed(
        &self,
        init: &JsValue,
        parts: &JsValue,
        req: &http::Request,
        manual_redirect: bool,
    ) -> js_sys::Promise {
        let (flat, body) = wire_parts(req);
        send_signed(
            &self.func,
            &self.this,
            init,
            parts,
            &req.method,
            &req.url,
            flat,
            &body,
            manual_redirect,
        )
    }
}

/// A rejection of `marshal.js`'s `exchange` / `readResponse` (`{phase, cause}`) as a typed error.
/// The same as a core error and the host's error to keep as its `cause` (the session engine
/// decides on the core error, the JS layer attaches the cause when it raises it): `NETWORK`,
/// or `INVALID_ARGUMENT` when `fetch` returned something other than a `Response`.
pub fn exchange_failure(e: JsValue, url: &str) -> (Error, JsValue) {
    let phase = Reflect::get(&e, &"phase".into())
        .ok()
        .and_then(|p| p.as_string());
    let cause = Reflect::get(&e, &"cause".into()).unwrap_or(JsValue::UNDEFINED);
    let network = |message: &str| Error::new(ErrorCode::Network, message);
    if super::error::is_timeout(&cause) {
        return (network(super::error::TIMED_OUT), JsValue::UNDEFINED);
    }
    match phase.as_deref() {
        Some("request") => (
            network("the request failed before a response arrived"),
            host_cause(cause, url),
        ),
        Some("body") => (
            network("the response body was cut off"),
            host_cause(cause, url),
        ),
        Some("response") => (
            Error::invalid_argument("the fetch function did not return a Response"),
            JsValue::UNDEFINED,
        ),
        Some("too-large") => (
            Error::new(
                ErrorCode::ResponseTooLarge,
                "the response body is larger than maxResponseBytes: refused before parsing",
            ),
            JsValue::UNDEFINED,
        ),
        _ => (network("the request failed"), host_cause(e, url)),
    }
}

/// The host's error, kept as `cause` unless the request carried credentials in its URL: some
/// hosts (Deno) quote the URL in their fetch errors, and no secret may reach an error
/// (ZapEvent's `tmp_secret`, an OAuth 1.0a signature or PLAINTEXT secrets in the query).
pub fn host_cause(cause: JsValue, url: &str) -> JsValue {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let secret = query.split('&').any(|pair| {
        let name = pair.split('=').next().unwrap_or_default();
        name.starts_with("oauth_")
            || name.eq_ignore_ascii_case("tmp_secret")
            || name.eq_ignore_ascii_case("tmp_key")
            || name.eq_ignore_ascii_case("access_token")
            || name.eq_ignore_ascii_case("password")
    });
    if secret {
        JsValue::UNDEFINED
    } else {
        cause
    }
}

/// `{status, headers: [name, value, …], body: Uint8Array}` (what `marshal.js` reads a
/// `Response` into) as a core response.
fn core_response(result: &JsValue) -> http::Response {
    let field = |k: &str| Reflect::get(result, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    let pairs = js_sys::Array::from(&field("headers"));
    let mut flat = pairs.iter().filter_map(|v| v.as_string());
    let mut headers = Vec::new();
    while let (Some(name), Some(value)) = (flat.next(), flat.next()) {
        headers.push((name, value));
    }
    http::Response {
        status: field("status").as_f64().unwrap_or(0.0) as u16,
        headers,
        body: bytes_of(&field("body")),
    }
}

/// The body's bytes, copied once into the module. Not through `new Uint8Array(x)`
/// (`Uint8Array::new`), which copies a typed array first (0.66 ms of 27 for 10,000 ZapEvent
/// participants as JSON); that stays the way for anything but a `Uint8Array` of this realm.
fn bytes_of(body: &JsValue) -> Vec<u8> {
    match body.dyn_ref::<Uint8Array>() {
        Some(bytes) => bytes.to_vec(),
        None => Uint8Array::new(body).to_vec(),
    }
}

/// A core request's headers as a flat `[name, value, …]` list and its body as a `Uint8Array`
/// (or `undefined`), the shapes `marshal.js` takes.
fn wire_parts(req: &http::Request) -> (Vec<String>, JsValue) {
    let flat = req
        .headers
        .iter()
        .flat_map(|(k, v)| [k.clone(), v.clone()])
        .collect();
    let body = match &req.body {
        Some(b) => Uint8Array::from(b.as_slice()).into(),
        None => JsValue::UNDEFINED,
    };
    (flat, body)
}
