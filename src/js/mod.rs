//! The `#[wasm_bindgen]` layer: JS classes, TypeScript types, errors, `fetch`, host clock and
//! randomness. No OAuth logic lives here; it only converts and calls into `crate::core`.

mod error;
mod host;
mod oauth1_flow;
mod oauth1_signer;
#[cfg(feature = "oauth2")]
mod oauth2_client;
#[cfg(feature = "oauth2")]
mod oauth2_marshal;
#[cfg(feature = "oauth2")]
mod omnifund;
#[cfg(feature = "oauth2")]
mod oneroster;
#[cfg(feature = "oauth2")]
mod orc;
#[cfg(feature = "oauth2")]
mod paging;
#[cfg(feature = "oauth2")]
mod providers;
#[cfg(feature = "oauth2")]
mod records;
#[cfg(feature = "oauth2")]
mod session_paginate;
#[cfg(feature = "oauth2")]
mod store;
#[cfg(feature = "oauth2")]
mod token_session;
#[cfg(feature = "oauth2")]
mod transport;
mod types;
#[cfg(feature = "oauth2")]
mod zapevent;

/// The promise of an async method. Every caller goes through this one `future_to_promise` on a
/// boxed future: instantiated per future type, its task and settling glue was copied into the
/// module once per async method (the boxed body is polled through one vtable call instead).
pub(crate) fn promise(
    future: impl std::future::Future<Output = Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>>
        + 'static,
) -> js_sys::Promise {
    let future: std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>>>,
    > = Box::pin(future);
    wasm_bindgen_futures::future_to_promise(future)
}
