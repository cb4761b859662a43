//! `OAuth1Flow`: the three-legged flow (RFC 5849 §2) driven over the host's `fetch`.

use super::error::{invalid_argument, to_js};
use super::host::{self, get, opt_string, req_string, Fetcher};
use super::oauth1_signer::signer_from_options;
use crate::core::oauth1::flow::{AuthorizationStep, TemporaryCredentialsStep};
use crate::core::oauth1::{SignatureMethod, Signer};

#[wasm_bindgen(module = "/src/js/marshal.js")]
extern "C" {
    #[wasm_bindgen(js_name = pendingAuthorization)]
    fn pending_authorization(
        authorization_url: &str,
        request_token: &str,
        request_token_secret: &str,
    ) -> JsValue;
    #[wasm_bindgen(js_name = tokenCredentials)]
    fn token_credentials(token: &str, token_secret: &str, extra: Vec<String>) -> JsValue;
}
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// Reads a provider's own error body (ZapEvent's `<error><error_code>…`) out of a failed
/// response, before the generic RFC 5849 handling.
pub type ProviderErrors = fn(&crate::core::http::Response) -> Option<crate::core::Error>;

struct State {
    consumer: Signer,
    provider_errors: Option<ProviderErrors>,
    request_token_url: String,
    authorize_url: String,
    access_token_url: String,
    fetcher: Fetcher,
}

impl State {
    /// Host nonce and timestamp, omitted for PLAINTEXT (RFC 5849 §3.1, ZapEvent seed).
    fn entropy(&self) -> Result<(Option<String>, Option<u64>), JsValue> {
        if self.consumer.signature_method == SignatureMethod::Plaintext {
            Ok((None, None))
        } else {
            Ok((Some(host::random_nonce()?), Some(host::now_seconds())))
        }
    }
}

/// The three-legged OAuth 1.0a flow. `start()` gets temporary credentials and the URL to send
/// the user to; keep `requestToken`/`requestTokenSecret` (e.g. in a session cookie) and call
/// `finish()` from the callback handler.
#[wasm_bindgen]
pub struct OAuth1Flow {
    state: Rc<State>,
}

#[wasm_bindgen]
impl OAuth1Flow {
    /// Creates a flow. Throws `OAuthEdgeError` (`INVALID_ARGUMENT`, `INSECURE_URL`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "OAuth1FlowOptions")] options: JsValue,
    ) -> Result<OAuth1Flow, JsValue> {
        Self::with_provider_errors(options, None)
    }
}

impl OAuth1Flow {
    /// A flow whose failed responses are read by `provider_errors` first (provider presets).
    pub fn with_provider_errors(
        options: JsValue,
        provider_errors: Option<ProviderErrors>,
    ) -> Result<OAuth1Flow, JsValue> {
        let consumer = signer_from_options(&options, false)?;
        let endpoint = |key: &str| -> Result<String, JsValue> {
            let url = host::url_string(&get(&options, key)?, key)?;
            let parsed = crate::core::url::Url::parse(&url).map_err(to_js)?;
            parsed
                .require_secure(consumer.allow_insecure)
                .map_err(to_js)?;
            Ok(url)
        };
        let state = State {
            request_token_url: endpoint("requestTokenUrl")?,
            authorize_url: endpoint("authorizeUrl")?,
            access_token_url: endpoint("accessTokenUrl")?,
            fetcher: Fetcher::from_options(&options)?,
            consumer,
            provider_errors,
        };
        Ok(OAuth1Flow {
            state: Rc::new(state),
        })
    }
}

impl State {
    /// The provider's own error in a failed response, if its preset reads one.
    fn provider_error(&self, response: &crate::core::http::Response) -> Result<(), JsValue> {
        match self.provider_errors.and_then(|read| read(response)) {
            Some(e) => Err(to_js(e)),
            None => Ok(()),
        }
    }
}

#[wasm_bindgen]
impl OAuth1Flow {
    /// Step 1 and 2: requests temporary credentials with `callback` (an absolute URL or
    /// `"oob"`) and returns the authorization URL plus the temporary credentials to keep.
    #[wasm_bindgen(unchecked_return_type = "Promise<OAuth1PendingAuthorization>")]
    pub fn start(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ callback: string }")] input: JsValue,
    ) -> js_sys::Promise {
        let state = self.state.clone();
        crate::js::promise(async move {
            let step =
                TemporaryCredentialsStep::new(req_string(&input, "callback")?).map_err(to_js)?;
            let (nonce, ts) = state.entropy()?;
            let request = step
                .request(
                    &state.consumer,
                    &state.request_token_url,
                    nonce.as_deref(),
                    ts,
                )
                .map_err(to_js)?;
            let response = state.fetcher.send(&request).await?;
            state.provider_error(&response)?;
            let authorization = step.handle(&response).map_err(to_js)?;
            let url = authorization
                .authorization_url(&state.authorize_url)
                .map_err(to_js)?;
            let temp = authorization.temporary_credentials();
            Ok(pending_authorization(
                &url,
                &temp.token,
                temp.secret.expose(),
            ))
        })
    }

    /// Step 3: exchanges the temporary credentials and the verifier (from `callbackUrl`, whose
    /// `oauth_token` must match, or given directly for `oob`) for token credentials.
    #[wasm_bindgen(unchecked_return_type = "Promise<OAuth1TokenCredentials>")]
    pub fn finish(
        &self,
        #[wasm_bindgen(unchecked_param_type = "OAuth1FinishInput")] input: JsValue,
    ) -> js_sys::Promise {
        let state = self.state.clone();
        crate::js::promise(async move {
            let pending = AuthorizationStep::resume(
                req_string(&input, "requestToken")?,
                req_string(&input, "requestTokenSecret")?,
            );
            let callback = get(&input, "callbackUrl")?;
            let step = match (
                callback.is_undefined() || callback.is_null(),
                opt_string(&input, "verifier")?,
            ) {
                (false, None) => pending
                    .handle_callback(&host::url_string(&callback, "callbackUrl")?)
                    .map_err(to_js)?,
                (true, Some(verifier)) => pending.with_verifier(&verifier),
                _ => {
                    return Err(invalid_argument(
                        "pass exactly one of callbackUrl or verifier",
                    ))
                }
            };
            let (nonce, ts) = state.entropy()?;
            let request = step
                .request(
                    &state.consumer,
                    &state.access_token_url,
                    nonce.as_deref(),
                    ts,
                )
                .map_err(to_js)?;
            let response = state.fetcher.send(&request).await?;
            state.provider_error(&response)?;
            let creds = step.handle(&response).map_err(to_js)?;
            let extra: Vec<String> = creds.extra.into_iter().flat_map(|(k, v)| [k, v]).collect();
            Ok(token_credentials(
                &creds.token,
                creds.secret.expose(),
                extra,
            ))
        })
    }
}
