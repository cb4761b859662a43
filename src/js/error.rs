//! Core errors → `OAuthEdgeError` (a real JS `Error` subclass defined in `error.js`).

use crate::core::{Error, ErrorCode};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/error.js")]
extern "C" {
    #[wasm_bindgen(js_name = makeError)]
    #[allow(clippy::too_many_arguments)]
    fn make_error(
        code: &str,
        message: &str,
        status: Option<u16>,
        provider: Option<&str>,
        provider_code: Option<&str>,
        provider_description: Option<&str>,
        retry_after: Option<f64>,
        missing_params: Vec<String>,
        invalid_params: Vec<String>,
        cause: JsValue,
    ) -> JsValue;
}

/// Converts a core error into a thrown-ready `OAuthEdgeError`.
pub fn to_js(e: Error) -> JsValue {
    with_cause(e, JsValue::UNDEFINED)
}

/// Same, keeping the JS error that caused it (e.g. fetch's `TypeError`) as `cause`.
pub fn with_cause(mut e: Error, cause: JsValue) -> JsValue {
    let params = e.params.take().map(|p| *p).unwrap_or_default();
    make_error(
        e.code.as_str(),
        &e.message,
        e.status,
        e.provider.as_deref(),
        e.provider_code.as_deref(),
        e.provider_description.as_deref(),
        e.retry_after,
        params.missing,
        params.invalid,
        cause,
    )
}

/// An `INVALID_ARGUMENT` error naming the option at fault (`invalidParams`).
pub fn invalid_option(option: &str, message: &str) -> JsValue {
    to_js(named(Error::invalid_argument(message), option))
}

/// `e` with `option` listed in its `invalidParams` (unless already there).
pub fn named(mut e: Error, option: &str) -> Error {
    let params = e.params_mut();
    if !params.invalid.iter().any(|p| p == option) {
        params.invalid.push(option.to_owned());
    }
    e
}

/// A string argument of an exported function, taken as a `JsValue` rather than `&str`:
/// wasm-bindgen's glue copies a `&str` argument into wasm memory without checking its type, and a
/// number or an object there trapped the module ("memory access out of bounds", found by the
/// survival test, tests/runtime/hardening/survival.mjs).
#[cfg(feature = "oauth2")]
pub fn string_arg(value: &JsValue, name: &str) -> Result<String, JsValue> {
    value.as_string().ok_or_else(|| {
        invalid_option(
            name,
            &crate::core::text::concat(&["'", name, "' must be a string"]),
        )
    })
}

/// The `init` argument of a `fetch`-like method: `undefined`/`null` (none) or an object. A
/// string there was spread into one property per character (10 MB: 20 s, survival test).
#[cfg(feature = "oauth2")]
pub fn init_arg(init: Option<JsValue>) -> Result<JsValue, JsValue> {
    match init {
        Some(v) if v.is_object() => Ok(v),
        Some(v) if !v.is_undefined() && !v.is_null() => Err(invalid_option(
            "init",
            "'init' must be a RequestInit object",
        )),
        _ => Ok(JsValue::UNDEFINED),
    }
}

/// Shorthand for an `INVALID_ARGUMENT` error.
pub fn invalid_argument(message: &str) -> JsValue {
    to_js(Error::invalid_argument(message))
}

/// A transport failure (`NETWORK`), keeping the host's error as `cause`; a timeout says so.
pub fn network(message: &str, cause: JsValue) -> JsValue {
    let message = if is_timeout(&cause) {
        TIMED_OUT
    } else {
        message
    };
    with_cause(Error::new(ErrorCode::Network, message), cause)
}

/// The message of a request aborted by `timeoutMs` (or by the caller's `AbortSignal.timeout`).
pub const TIMED_OUT: &str = "no complete response within timeoutMs (or the signal's timeout)";

/// True for the reason `AbortSignal.timeout` aborts with: a `TimeoutError` DOMException.
pub fn is_timeout(cause: &JsValue) -> bool {
    js_sys::Reflect::get(cause, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .is_some_and(|n| n == "TimeoutError")
}
