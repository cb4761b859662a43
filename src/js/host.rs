//! Everything taken from the host: the clock, randomness, `fetch`, and the one conversion pair
//! between the core's `http::Request`/`Response` and the host's `fetch` arguments/`Response`
//! (the shape of workers-rs `http/request.rs`, with typed errors instead of strings).

use super::error::{invalid_argument, network, to_js};
use crate::core::http;
use crate::core::text::concat;
use js_sys::{Function, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

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

/// `N` random bytes from `crypto.getRandomValues`.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], JsValue> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| {
        to_js(crate::core::Error::new(
            crate::core::ErrorCode::Internal,
            "crypto.getRandomValues is not available in this host",
        ))
    })?;
    Ok(bytes)
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

/// An optional string option: `undefined`/`null` → `None`, a string → `Some`, else an error.
pub fn opt_string(obj: &JsValue, key: &str) -> Result<Option<String>, JsValue> {
    let v = get(obj, key)?;
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_string()
        .map(Some)
        .ok_or_else(|| invalid_argument(&concat(&["option '", key, "' must be a string"])))
}

/// A required string option.
pub fn req_string(obj: &JsValue, key: &str) -> Result<String, JsValue> {
    opt_string(obj, key)?
        .ok_or_else(|| invalid_argument(&concat(&["option '", key, "' is required"])))
}

/// An optional boolean option.
pub fn opt_bool(obj: &JsValue, key: &str) -> Result<Option<bool>, JsValue> {
    let v = get(obj, key)?;
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_bool()
        .map(Some)
        .ok_or_else(|| invalid_argument(&concat(&["option '", key, "' must be a boolean"])))
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
        return Err(invalid_argument(&concat(&[
            what,
            " must be a string or a URL",
        ])));
    };
    web_sys::Url::new(&text)
        .map(|u| u.href())
        .map_err(|_| invalid_argument(&concat(&[what, " is not an absolute URL"])))
}

/// The `fetch` to send with: the user's `fetch` option, else `globalThis.fetch`.
#[derive(Clone)]
pub struct Fetcher {
    func: Function,
    this: JsValue,
}

impl Fetcher {
    /// From an options object's `fetch` field.
    pub fn from_options(options: &JsValue) -> Result<Fetcher, JsValue> {
        let custom = get(options, "fetch")?;
        if !custom.is_undefined() && !custom.is_null() {
            let func = custom
                .dyn_into::<Function>()
                .map_err(|_| invalid_argument("option 'fetch' must be a function"))?;
            return Ok(Fetcher {
                func,
                this: JsValue::UNDEFINED,
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
        Ok(Fetcher { func, this: global })
    }

    /// The function and its `this`.
    #[cfg(feature = "oauth2")]
    pub fn parts(&self) -> (&Function, &JsValue) {
        (&self.func, &self.this)
    }

    /// Calls fetch(url, init) and awaits the host `Response`. A rejected promise becomes a
    /// `NETWORK` error whose `cause` is the host's error.
    pub async fn call(&self, url: &str, init: &JsValue) -> Result<web_sys::Response, JsValue> {
        let promise = self
            .func
            .call2(&self.this, &JsValue::from_str(url), init)
            .map_err(|e| network("fetch threw", e))?;
        let value = JsFuture::from(js_sys::Promise::resolve(&promise))
            .await
            .map_err(|e| network("the request failed before a response arrived", e))?;
        value
            .dyn_into::<web_sys::Response>()
            .map_err(|_| invalid_argument("the fetch function did not return a Response"))
    }

    /// Sends a core request and reads the whole response back into a core response.
    pub async fn send(&self, req: &http::Request) -> Result<http::Response, JsValue> {
        let init = request_init(req, None)?;
        let response = self.call(&req.url, &init).await?;
        read_response(&response).await
    }
}

/// `{method, headers, body}` for fetch, on top of the caller's own init fields if given. Only
/// options every host accepts are set (Workers reject `mode`, `credentials`, `cache`).
pub fn request_init(req: &http::Request, base: Option<&JsValue>) -> Result<JsValue, JsValue> {
    let init = Object::new();
    if let Some(base) = base.filter(|b| b.is_object()) {
        Object::assign(&init, base.unchecked_ref());
    }
    let headers = web_sys::Headers::new().map_err(|_| invalid_argument("Headers unavailable"))?;
    if let Some(base) = base.filter(|b| b.is_object()) {
        let user = Reflect::get(base, &"headers".into()).unwrap_or(JsValue::UNDEFINED);
        if !user.is_undefined() && !user.is_null() {
            let user = headers_from(&user)?;
            copy_headers(&user, &headers)?;
        }
    }
    for (name, value) in &req.headers {
        headers
            .set(name, value)
            .map_err(|_| invalid_argument("a header value is not valid"))?;
    }
    let set = |k: &str, v: &JsValue| Reflect::set(&init, &JsValue::from_str(k), v);
    let ok = set("method", &JsValue::from_str(&req.method)).is_ok()
        && set("headers", &headers).is_ok()
        && match &req.body {
            Some(b) => set("body", &Uint8Array::from(b.as_slice())).is_ok(),
            None => Reflect::delete_property(&init, &"body".into()).is_ok(),
        };
    if !ok {
        return Err(invalid_argument("could not build the fetch init"));
    }
    Ok(init.into())
}

/// `new Headers(init)` for any `HeadersInit` (record, pairs or `Headers`).
pub fn headers_from(init: &JsValue) -> Result<web_sys::Headers, JsValue> {
    let ctor = GLOBAL_THIS
        .with(|g| Reflect::get(g, &"Headers".into()))
        .ok()
        .and_then(|c| c.dyn_into::<Function>().ok())
        .ok_or_else(|| invalid_argument("this host has no Headers class"))?;
    Reflect::construct(&ctor, &js_sys::Array::of1(init))
        .map(|h| h.unchecked_into())
        .map_err(|_| {
            invalid_argument("headers must be a valid HeadersInit (record, pairs or Headers)")
        })
}

fn copy_headers(from: &web_sys::Headers, to: &web_sys::Headers) -> Result<(), JsValue> {
    for pair in header_pairs(from) {
        to.append(&pair.0, &pair.1)
            .map_err(|_| invalid_argument("bad header"))?;
    }
    Ok(())
}

/// All header pairs of a `Headers` object.
pub fn header_pairs(headers: &web_sys::Headers) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Ok(Some(iter)) = js_sys::try_iter(headers) {
        for entry in iter.flatten() {
            let pair = js_sys::Array::from(&entry);
            if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                out.push((k, v));
            }
        }
    }
    out
}

/// Reads status, headers and the whole body. A body cut off mid-way is a `NETWORK` error.
pub async fn read_response(response: &web_sys::Response) -> Result<http::Response, JsValue> {
    let buffer = response
        .array_buffer()
        .map_err(|e| network("the response body could not be read", e))?;
    let buffer = JsFuture::from(buffer)
        .await
        .map_err(|e| network("the response body was cut off", e))?;
    Ok(http::Response {
        status: response.status(),
        headers: header_pairs(&response.headers()),
        body: Uint8Array::new(&buffer).to_vec(),
    })
}
