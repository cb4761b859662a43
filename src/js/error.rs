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
        provider: Option<String>,
        provider_code: Option<String>,
        provider_description: Option<String>,
        retry_after: Option<f64>,
        cause: JsValue,
    ) -> JsValue;
}

/// Converts a core error into a thrown-ready `OAuthEdgeError`.
pub fn to_js(e: Error) -> JsValue {
    with_cause(e, JsValue::UNDEFINED)
}

/// Same, keeping the JS error that caused it (e.g. fetch's `TypeError`) as `cause`.
pub fn with_cause(e: Error, cause: JsValue) -> JsValue {
    make_error(
        e.code.as_str(),
        &e.message,
        e.status,
        e.provider,
        e.provider_code,
        e.provider_description,
        e.retry_after,
        cause,
    )
}

/// Shorthand for an `INVALID_ARGUMENT` error.
pub fn invalid_argument(message: &str) -> JsValue {
    to_js(Error::invalid_argument(message))
}

/// A transport failure (`NETWORK`), keeping the host's error as `cause`.
pub fn network(message: &str, cause: JsValue) -> JsValue {
    with_cause(Error::new(ErrorCode::Network, message), cause)
}
