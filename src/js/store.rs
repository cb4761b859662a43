//! The token store: the JS object with `load()`, `save(tokens, {expectedVersion})` and an
//! optional `lock(name, fn)` (bitwarden's token_provider pattern: a callback interface declared
//! in TypeScript and adapted here). Tokens cross as JSON (`TokenSet`'s serde shape).

use super::error::{to_js, with_cause};
use super::oauth2_marshal::{call_method, has_method, to_json};
use crate::core::error::{Error, ErrorCode};
use crate::core::oauth2::session::StoredTokens;
use crate::core::oauth2::token_response::TokenSet;
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// A JS token store.
#[derive(Clone)]
pub struct Store {
    obj: JsValue,
}

/// What `save` answered.
pub enum Saved {
    /// Persisted under this version.
    Version(String),
    /// The compare-and-set lost: the store holds another version.
    Conflict,
}

fn store_error(message: &str, cause: JsValue) -> JsValue {
    with_cause(Error::new(ErrorCode::StoreError, message), cause)
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

    /// `load()` → the stored tokens and their version, or `None`.
    pub async fn load(&self) -> Result<Option<StoredTokens>, JsValue> {
        let value = JsFuture::from(call_method(&self.obj, "load", Array::new()))
            .await
            .map_err(|e| store_error("store.load() failed", e))?;
        if value.is_null() || value.is_undefined() {
            return Ok(None);
        }
        let malformed = |_| {
            store_error(
                "store.load() returned something other than { tokens, version } or null",
                JsValue::UNDEFINED,
            )
        };
        let version = Reflect::get(&value, &"version".into()).map_err(malformed)?;
        let tokens = Reflect::get(&value, &"tokens".into()).map_err(malformed)?;
        let version = version.as_string().ok_or_else(|| {
            store_error("store.load(): version must be a string", JsValue::UNDEFINED)
        })?;
        let json = to_json(&tokens).unwrap_or_default();
        let tokens: TokenSet = serde_json::from_str(&json).map_err(|_| {
            store_error(
                "store.load(): tokens are not a TokenSet ({ accessToken, … })",
                JsValue::UNDEFINED,
            )
        })?;
        Ok(Some(StoredTokens { tokens, version }))
    }

    /// `save(tokens, {expectedVersion})` → the new version, or a conflict (`null`).
    pub async fn save(
        &self,
        tokens: &TokenSet,
        expected_version: Option<&str>,
    ) -> Result<Saved, JsValue> {
        let tokens = token_set_to_js(tokens)?;
        let options = Object::new();
        let expected = expected_version.map_or(JsValue::NULL, JsValue::from_str);
        Reflect::set(&options, &"expectedVersion".into(), &expected)?;
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

    /// The store's `lock`, if it has one.
    pub fn lock(&self) -> Option<Function> {
        has_method(&self.obj, "lock")
            .then(|| Reflect::get(&self.obj, &"lock".into()).ok())
            .flatten()
            .and_then(|f| f.dyn_into().ok())
    }

    /// The store object itself (`this` for `lock`).
    pub fn object(&self) -> &JsValue {
        &self.obj
    }
}

/// A `TokenSet` as the plain JS object stores persist.
pub fn token_set_to_js(tokens: &TokenSet) -> Result<JsValue, JsValue> {
    let json = serde_json::to_string(tokens).map_err(|_| {
        to_js(Error::new(
            ErrorCode::Internal,
            "tokens could not be serialized",
        ))
    })?;
    js_sys::JSON::parse(&json)
}

/// A JS object (`TokenSetJson`) as a `TokenSet`.
pub fn token_set_from_js(value: &JsValue) -> Result<TokenSet, JsValue> {
    let json = to_json(value).unwrap_or_default();
    serde_json::from_str(&json).map_err(|_| {
        to_js(Error::invalid_argument(
            "tokens must be { accessToken, refreshToken?, tokenType?, expiresAt? (ms), scope? }",
        ))
    })
}
