//! The token store: the JS object with `load()`, `save(tokens, {expectedVersion})` and an
//! optional `lock(name, fn)` (bitwarden's token_provider pattern: a callback interface declared
//! in TypeScript and adapted here). Records reach the store as plain objects (they cross
//! through `JSON.stringify` / `JSON.parse`), in the shape of `TokenRecord::to_persisted`.
//!
//! The store contract (README "Stores"): `load()` returns `{ tokens, version }` or `null`;
//! `save(tokens, { expectedVersion })` writes only if the stored version equals
//! `expectedVersion` (`null`: only if nothing is stored) and returns the new version — a string
//! that never repeats for this record — or `null` when the compare-and-set lost.

use super::error::to_js;
use super::oauth2_marshal::{call_method, has_method};
use crate::core::error::{Error, ErrorCode};
use crate::core::oauth2::session::{Saved, Stored, TokenRecord};
use crate::core::oauth2::token_response::TokenSet;
use crate::core::parse::{json, Value};
use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// A failure of the host: the core error the session engine decides on, and the host's own
/// error to attach as `cause` when it is raised.
pub type HostFailure = (Error, JsValue);

/// A JS token store.
#[derive(Clone)]
pub struct Store {
    obj: JsValue,
}

fn store_error(message: &str, cause: JsValue) -> HostFailure {
    (Error::new(ErrorCode::StoreError, message), cause)
}

impl Store {
    /// Checks that `obj` has `load` and `save`.
    pub fn new(obj: JsValue) -> Result<Store, JsValue> {
        if !has_method(&obj, "load") || !has_method(&obj, "save") {
            return Err(to_js(Error::invalid_argument(
                "store must have load() and save(tokens, { expectedVersion }) methods",
            )));
        }
        Ok(Store { obj })
    }

    /// `load()` → the stored record and its version, or `None`.
    pub async fn load(&self) -> Result<Option<Stored>, HostFailure> {
        let value = JsFuture::from(call_method(&self.obj, "load", Array::new()))
            .await
            .map_err(|e| store_error("store.load() failed", e))?;
        if value.is_null() || value.is_undefined() {
            return Ok(None);
        }
        let malformed = || {
            store_error(
                "store.load() returned something other than { tokens, version } or null",
                JsValue::UNDEFINED,
            )
        };
        let field = |name: &str| Reflect::get(&value, &name.into()).map_err(|_| malformed());
        let version = field("version")?.as_string().ok_or_else(|| {
            store_error("store.load(): version must be a string", JsValue::UNDEFINED)
        })?;
        let tokens = from_plain(&field("tokens")?).ok_or_else(malformed)?;
        let record = TokenRecord::from_persisted(tokens).map_err(|e| (e, JsValue::UNDEFINED))?;
        Ok(Some(Stored { record, version }))
    }

    /// `save(record, {expectedVersion})` → the new version, or a conflict (`null`).
    pub async fn save(
        &self,
        record: &TokenRecord,
        expected_version: Option<&str>,
    ) -> Result<Saved, HostFailure> {
        let tokens = plain(&record.to_persisted());
        let options = Object::new();
        let expected = expected_version.map_or(JsValue::NULL, JsValue::from_str);
        let _ = Reflect::set(&options, &"expectedVersion".into(), &expected);
        let value = JsFuture::from(call_method(
            &self.obj,
            "save",
            Array::of2(&tokens, &options),
        ))
        .await
        .map_err(|e| store_error("store.save() failed", e))?;
        match value.as_string() {
            Some(version) => Ok(Saved::Version(version)),
            None if value.is_null() || value.is_undefined() || value == JsValue::FALSE => {
                Ok(Saved::Conflict)
            }
            None => Err(store_error(
                "store.save() must resolve to the new version (string) or null",
                JsValue::UNDEFINED,
            )),
        }
    }

    /// True when the store has `lock(name, fn)`.
    pub fn has_lock(&self) -> bool {
        has_method(&self.obj, "lock")
    }

    /// The store object itself (`this` for `lock`).
    pub fn object(&self) -> &JsValue {
        &self.obj
    }
}

/// A JSON value as a plain JS object (objects, not `Map`s). Through `JSON.parse` rather than
/// serde-wasm-bindgen: the latter's error messages format floats (core's float printing, ~6 KB
/// brotli).
fn plain(value: &Value) -> JsValue {
    JSON::parse(&json::to_text(value)).unwrap_or(JsValue::NULL)
}

/// A plain JS value as JSON (`undefined` as `null`); `None` when `JSON.stringify` throws (a
/// cycle, a BigInt) or yields something the JSON reader rejects (a lone surrogate).
fn from_plain(value: &JsValue) -> Option<Value> {
    if value.is_undefined() {
        return Some(Value::Null);
    }
    let text = JSON::stringify(value).ok()?.as_string()?;
    json::parse(text.as_bytes()).ok()
}

/// A `TokenSet` as the plain JS object (`TokenSetJson`) the client's grant methods return.
pub fn token_set_to_js(tokens: &TokenSet) -> Result<JsValue, JsValue> {
    Ok(plain(&tokens.to_json()))
}

/// A JS object (`TokenSetJson`) as a `TokenSet`.
pub fn token_set_from_js(value: &JsValue) -> Result<TokenSet, JsValue> {
    let invalid = || {
        to_js(Error::invalid_argument(
            "tokens must be { accessToken, refreshToken?, tokenType?, expiresAt? (ms), scope? }",
        ))
    };
    let json = from_plain(value).ok_or_else(invalid)?;
    TokenSet::from_json(json).map_err(|_| invalid())
}
