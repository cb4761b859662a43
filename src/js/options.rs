//! The options objects of the JS classes, each declared once with [`js_options!`]: one list of
//! (JS name, Rust field, value reader, TypeScript type, doc comment) gives the Rust struct, its
//! reader and the TypeScript interface (a `typescript_custom_section`, so the `.d.ts` cannot
//! drift from what is read). Whether an option may be omitted is one word (`opt` / `req`) that
//! decides both the `?` of the declaration and the reader's "is required" error.
//!
//! Read with `Reflect` (`host::get`), not serde-wasm-bindgen: measured in issue 13, a
//! `#[derive(Deserialize)]` reader added 3.9–6.9 KB brotli to a bundle within 1 KB of its
//! budget (host.rs). The declarations cost nothing (a custom section that wasm-bindgen moves
//! into the `.d.ts`); the struct does: a reader call and its error exit per option. Measured on
//! the full entry's brotli bundle: 149,887 → 150,075 B with `OAuth2ClientOptions` and
//! `TokenSessionOptions` declared here; `OAuth1SignerOptions` and `OAuth1FlowOptions` too
//! (sharing a consumer struct) made it 150,824 B, over the budget, so those and the provider
//! clients' interfaces are still hand-written (tests/package/options.mjs checks them all
//! against what the constructors read). Of three forms of `read` measured, the struct literal
//! below was the smallest (filling a struct in place: +0.2 KB; readers writing through `&mut`,
//! measured with the OAuth 1.0a interfaces declared too: +0.3 KB).

use super::error::invalid_option;
use super::host::get;
use crate::core::text::concat;
use js_sys::Function;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

// The value readers below share one shape, `fn(&JsValue, &str) -> Result<Option<T>, JsValue>`:
// `obj[key]` as its Rust value, `None` when `undefined` or `null`, or an `INVALID_ARGUMENT`
// naming the option. One non-generic function per kind of value (a generic `optional::<T>`
// wrapper measured 0.2 KB larger).

/// `obj[key]` unless `undefined` or `null`.
fn present(obj: &JsValue, key: &str) -> Result<Option<JsValue>, JsValue> {
    let v = get(obj, key)?;
    Ok((!v.is_undefined() && !v.is_null()).then_some(v))
}

/// The error of a missing required option.
pub fn is_required(key: &str) -> JsValue {
    invalid_option(key, &concat(&["option '", key, "' is required"]))
}

fn must_be(key: &str, what: &str) -> JsValue {
    invalid_option(key, &concat(&["option '", key, "' must be ", what]))
}

/// A string.
pub fn string(obj: &JsValue, key: &str) -> Result<Option<String>, JsValue> {
    let Some(v) = present(obj, key)? else {
        return Ok(None);
    };
    v.as_string()
        .map(Some)
        .ok_or_else(|| must_be(key, "a string"))
}

/// A boolean.
pub fn boolean(obj: &JsValue, key: &str) -> Result<Option<bool>, JsValue> {
    let Some(v) = present(obj, key)? else {
        return Ok(None);
    };
    v.as_bool()
        .map(Some)
        .ok_or_else(|| must_be(key, "a boolean"))
}

/// A function (`fetch`, `now`, callbacks).
pub fn function(obj: &JsValue, key: &str) -> Result<Option<Function>, JsValue> {
    let Some(v) = present(obj, key)? else {
        return Ok(None);
    };
    v.dyn_into()
        .map(Some)
        .map_err(|_| must_be(key, "a function"))
}

/// A number ≥ 1 (`maxResponseBytes`, `timeoutMs`).
pub fn positive(obj: &JsValue, key: &str) -> Result<Option<f64>, JsValue> {
    let Some(v) = present(obj, key)? else {
        return Ok(None);
    };
    v.as_f64()
        .filter(|n| *n >= 1.0)
        .map(Some)
        .ok_or_else(|| must_be(key, "a number >= 1"))
}

/// Any value (objects the class checks itself, such as a token store).
#[cfg(feature = "oauth2")]
pub fn value(obj: &JsValue, key: &str) -> Result<Option<JsValue>, JsValue> {
    present(obj, key)
}

/// A string or a `URL`, normalized by the host's WHATWG parser (`host::url_string`).
#[cfg(feature = "oauth2")]
pub fn url(obj: &JsValue, key: &str) -> Result<Option<String>, JsValue> {
    let Some(v) = present(obj, key)? else {
        return Ok(None);
    };
    super::host::url_string(&v, key).map(Some)
}

/// A non-negative number of seconds, as ms.
#[cfg(feature = "oauth2")]
pub fn seconds(obj: &JsValue, key: &str) -> Result<Option<u64>, JsValue> {
    let Some(v) = present(obj, key)? else {
        return Ok(None);
    };
    v.as_f64()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(|s| Some((s * 1000.0) as u64))
        .ok_or_else(|| must_be(key, "a non-negative number"))
}

/// A record of strings (extra headers or parameters), in the record's order.
#[cfg(feature = "oauth2")]
pub fn string_record(obj: &JsValue, key: &str) -> Result<Option<Vec<(String, String)>>, JsValue> {
    let Some(v) = present(obj, key)? else {
        return Ok(None);
    };
    if !v.is_object() {
        return Err(must_be(key, "a record of strings"));
    }
    // A loop, not `collect::<Result<…>>`: measured 0.5 KB smaller before wasm-opt.
    let mut out = Vec::new();
    for entry in js_sys::Object::entries(v.unchecked_ref()).iter() {
        let entry = js_sys::Array::from(&entry);
        match (entry.get(0).as_string(), entry.get(1).as_string()) {
            (Some(k), Some(v)) => out.push((k, v)),
            _ => return Err(must_be(key, "a record of strings")),
        }
    }
    Ok(Some(out))
}

/// An array of strings.
#[cfg(feature = "oauth2")]
pub fn string_list(obj: &JsValue, key: &str) -> Result<Option<Vec<String>>, JsValue> {
    let Some(v) = present(obj, key)? else {
        return Ok(None);
    };
    if !js_sys::Array::is_array(&v) {
        return Err(must_be(key, "an array of strings"));
    }
    let mut out = Vec::new();
    for s in js_sys::Array::from(&v).iter() {
        out.push(
            s.as_string()
                .ok_or_else(|| must_be(key, "an array of strings"))?,
        );
    }
    Ok(Some(out))
}

/// Declares an options object: the struct, `read(&JsValue)` and the TypeScript interface.
///
/// ```ignore
/// js_options! {
///     /// Options of {@link Thing}.
///     struct ThingOptions as "ThingOptions" {
///         req "name" name: String = options::string, "string";
///         /// Default 60.
///         opt "skewSeconds" skew_ms: u64 = options::seconds, "number";
///     }
/// }
/// ```
///
/// Each doc comment is kept on the Rust item and, as JSDoc, in the declaration. Only OAuth 2
/// classes use it so far, hence the feature gate.
#[cfg(feature = "oauth2")]
macro_rules! js_options {
    (@type opt $ty:ty) => { Option<$ty> };
    (@type req $ty:ty) => { $ty };
    (@read opt $options:ident $js:literal $read:path) => {
        $read($options, $js)?
    };
    (@read req $options:ident $js:literal $read:path) => {
        $read($options, $js)?.ok_or_else(|| $crate::js::options::is_required($js))?
    };
    (@mark opt) => { "?" };
    (@mark req) => { "" };
    (
        $(#[doc = $doc1:literal] $(#[doc = $doc:literal])*)?
        $vis:vis struct $name:ident as $ts:literal {
            $(
                $(#[doc = $fdoc1:literal] $(#[doc = $fdoc:literal])*)?
                $kind:ident $js:literal $field:ident: $ty:ty = $read:path, $tstype:literal;
            )*
        }
    ) => {
        $(#[doc = $doc1] $(#[doc = $doc])*)?
        $vis struct $name {
            $(
                $(#[doc = $fdoc1] $(#[doc = $fdoc])*)?
                $vis $field: js_options!(@type $kind $ty),
            )*
        }

        impl $name {
            /// Reads every declared option from an options object, in the declared order.
            $vis fn read(options: &wasm_bindgen::JsValue) -> Result<Self, wasm_bindgen::JsValue> {
                Ok(Self {
                    $($field: js_options!(@read $kind options $js $read),)*
                })
            }
        }

        const _: () = {
            #[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
            const TS: &'static str = concat!(
                "\n",
                $("/**", $doc1, $("\n *", $doc,)* " */\n",)?
                "export interface ", $ts, " {\n",
                $(
                    $("  /**", $fdoc1, $("\n   *", $fdoc,)* " */\n",)?
                    "  ", $js, js_options!(@mark $kind), ": ", $tstype, ";\n",
                )*
                "}\n"
            );
        };
    };
}
#[cfg(feature = "oauth2")]
pub(crate) use js_options;
