//! The JS helpers of the OAuth 2 bindings (`oauth2_marshal.js`), declared once: wasm-bindgen
//! gives each `extern` block of the same snippet its own import entry otherwise.

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/oauth2_marshal.js")]
extern "C" {
    #[wasm_bindgen(js_name = authorizationStart)]
    pub(super) fn authorization_start(url: &str, state: &str, code_verifier: &str) -> JsValue;

    #[wasm_bindgen(js_name = callMethod)]
    pub(super) fn call_method(obj: &JsValue, name: &str, args: Array) -> js_sys::Promise;
    #[wasm_bindgen(js_name = hasMethod)]
    pub(super) fn has_method(obj: &JsValue, name: &str) -> bool;
    #[wasm_bindgen(js_name = toJson)]
    pub(super) fn to_json(value: &JsValue) -> Option<String>;

    pub(super) fn sleep(ms: f64) -> Promise;
    #[wasm_bindgen(js_name = acquireLock)]
    pub(super) fn acquire_lock(store: &JsValue, name: &str) -> Promise;
    #[wasm_bindgen(js_name = absoluteUrl)]
    pub(super) fn absolute_url(input: &JsValue) -> Option<String>;
    /// A real `Response` (a Proxy of one or `Object.create(Response.prototype)` passes
    /// `instanceof` but its getters throw).
    #[wasm_bindgen(js_name = isResponse)]
    pub(super) fn is_response(value: &JsValue) -> bool;
    #[wasm_bindgen(js_name = isOAuthEdgeError)]
    pub(super) fn is_oauth_edge_error(e: &JsValue) -> bool;
    #[wasm_bindgen(js_name = fetchChecked)]
    pub(super) fn fetch_checked(
        fetch: &Function,
        this: &JsValue,
        input: &JsValue,
        init: &JsValue,
        authorization: &str,
        resume: &Function,
    ) -> Promise;
    #[wasm_bindgen(js_name = fetchWithAuthorization)]
    pub(super) fn fetch_with_authorization(
        fetch: &Function,
        this: &JsValue,
        input: &JsValue,
        init: &JsValue,
        authorization: &str,
    ) -> Promise;
}
