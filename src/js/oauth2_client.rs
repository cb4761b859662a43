//! `OAuth2Client`: an RFC 6749 client (authorization code + PKCE, refresh, password, client
//! credentials) whose token requests go through the host's `fetch`.

use super::error::{invalid_argument, to_js};
use super::host::{self, get, opt_bool, opt_string, req_string, Fetcher};
use super::oauth2_marshal::authorization_start;
use super::store::token_set_to_js;
use crate::core::oauth2::authorization::{self, AuthorizationParams, PendingAuthorization};
use crate::core::oauth2::client::{BasicEncoding, ClientAuth, ClientConfig, ExpiresInUnit};
use crate::core::oauth2::grants::{token_request, Grant};
use crate::core::oauth2::token_response::{parse_token_response, TokenSet};
use crate::core::secret::{ClientSecret, Password, RefreshToken};
use js_sys::{Array, Object};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The client configuration plus the fetch it sends with; shared with `TokenSession`.
pub struct ClientState {
    pub config: ClientConfig,
    pub fetcher: Fetcher,
    /// Anchors `expires_in` (the `now` option, else the host clock).
    pub clock: host::Clock,
}

impl ClientState {
    /// Sends one grant and parses the token response.
    pub async fn grant(&self, grant: &Grant) -> Result<TokenSet, JsValue> {
        let request = token_request(&self.config, grant).map_err(to_js)?;
        let response = self.fetcher.send(&request).await?;
        parse_token_response(&self.config, &response, self.clock.now_ms()).map_err(to_js)
    }
}

/// An OAuth 2 client. Immutable after construction; safe under overlapping calls.
#[wasm_bindgen]
pub struct OAuth2Client {
    state: Rc<ClientState>,
}

impl OAuth2Client {
    /// A client from a ready configuration (the provider presets).
    pub fn from_config(config: ClientConfig, fetcher: Fetcher, clock: host::Clock) -> OAuth2Client {
        OAuth2Client {
            state: Rc::new(ClientState {
                config,
                fetcher,
                clock,
            }),
        }
    }

    /// The shared state, for `TokenSession`.
    pub fn shared(&self) -> Rc<ClientState> {
        self.state.clone()
    }
}

fn string_pairs(value: &JsValue, what: &str) -> Result<Vec<(String, String)>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    if !value.is_object() {
        return Err(invalid_argument(&crate::core::text::concat(&[
            what,
            " must be a record of strings",
        ])));
    }
    let mut out = Vec::new();
    for entry in Object::entries(value.unchecked_ref()).iter() {
        let entry = Array::from(&entry);
        match (entry.get(0).as_string(), entry.get(1).as_string()) {
            (Some(k), Some(v)) => out.push((k, v)),
            _ => {
                return Err(invalid_argument(&crate::core::text::concat(&[
                    what,
                    " must be a record of strings",
                ])))
            }
        }
    }
    Ok(out)
}

fn optional_scope(input: &JsValue) -> Result<Option<String>, JsValue> {
    if input.is_undefined() || input.is_null() {
        Ok(None)
    } else {
        opt_string(input, "scope")
    }
}

#[wasm_bindgen]
impl OAuth2Client {
    /// Creates a client. Throws `OAuthEdgeError` (`INVALID_ARGUMENT`, `INSECURE_URL`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "OAuth2ClientOptions")] options: JsValue,
    ) -> Result<OAuth2Client, JsValue> {
        let url = |key: &str| -> Result<Option<String>, JsValue> {
            let v = get(&options, key)?;
            if v.is_undefined() || v.is_null() {
                return Ok(None);
            }
            host::url_string(&v, key).map(Some)
        };
        let token_url =
            url("tokenUrl")?.ok_or_else(|| invalid_argument("option 'tokenUrl' is required"))?;
        let mut config = ClientConfig::new(req_string(&options, "clientId")?, token_url);
        config.client_secret = opt_string(&options, "clientSecret")?.map(ClientSecret::new);
        config.authorize_url = url("authorizeUrl")?;
        config.auth = match opt_string(&options, "clientAuth")? {
            Some(a) => ClientAuth::parse(&a).map_err(to_js)?,
            None if config.client_secret.is_none() => ClientAuth::None,
            None => ClientAuth::Basic,
        };
        if let Some(e) = opt_string(&options, "basicEncoding")? {
            config.basic_encoding = BasicEncoding::parse(&e).map_err(to_js)?;
        }
        config.extra_headers = string_pairs(&get(&options, "headers")?, "headers")?;
        config.extra_token_params = string_pairs(&get(&options, "tokenParams")?, "tokenParams")?;
        config.expires_in_unit = match opt_string(&options, "expiresInUnit")?.as_deref() {
            None | Some("seconds") => ExpiresInUnit::Seconds,
            Some("hours") => ExpiresInUnit::Hours,
            Some(_) => {
                return Err(invalid_argument(
                    "expiresInUnit must be 'seconds' or 'hours'",
                ))
            }
        };
        let fields = get(&options, "refreshTokenFields")?;
        if !fields.is_undefined() && !fields.is_null() {
            if !Array::is_array(&fields) {
                return Err(invalid_argument(
                    "refreshTokenFields must be an array of strings",
                ));
            }
            config.refresh_token_field_names = Array::from(&fields)
                .iter()
                .map(|f| {
                    f.as_string().ok_or_else(|| {
                        invalid_argument("refreshTokenFields must be an array of strings")
                    })
                })
                .collect::<Result<_, _>>()?;
        }
        config.issuer = opt_string(&options, "issuer")?;
        config.provider = opt_string(&options, "provider")?;
        config.allow_insecure = opt_bool(&options, "allowInsecureRequests")?.unwrap_or(false);
        config.validate().map_err(to_js)?;
        let fetcher = Fetcher::from_options(&options)?;
        Ok(OAuth2Client {
            state: Rc::new(ClientState {
                config,
                fetcher,
                clock: host::Clock::from_options(&options)?.unwrap_or_else(host::Clock::host),
            }),
        })
    }

    /// Starts the authorization code flow with PKCE S256 (RFC 6749 §4.1.1, RFC 7636): the URL
    /// to send the user to, and the `state` and `codeVerifier` to keep until the callback.
    #[wasm_bindgen(js_name = authorizationUrl, unchecked_return_type = "Promise<AuthorizationRequest>")]
    pub fn authorization_url(
        &self,
        #[wasm_bindgen(
            unchecked_param_type = "{ redirectUri: string; scope?: string; params?: Record<string, string> }"
        )]
        input: JsValue,
    ) -> js_sys::Promise {
        let result = (|| -> Result<JsValue, JsValue> {
            let params = AuthorizationParams {
                redirect_uri: req_string(&input, "redirectUri")?,
                scope: opt_string(&input, "scope")?,
                extra: string_pairs(&get(&input, "params")?, "params")?,
            };
            let state_random = host::random_bytes::<32>()?;
            let pkce_random = host::random_bytes::<32>()?;
            let start =
                authorization::start(&self.state.config, &params, &state_random, &pkce_random)
                    .map_err(to_js)?;
            Ok(authorization_start(
                &start.url,
                start.pending.state(),
                start.pending.code_verifier().expose(),
            ))
        })();
        match result {
            Ok(v) => js_sys::Promise::resolve(&v),
            Err(e) => js_sys::Promise::reject(&e),
        }
    }

    /// Completes the authorization code flow: checks the callback (`state` in constant time,
    /// `error` responses) and exchanges the code with the PKCE verifier (§4.1.3).
    #[wasm_bindgen(js_name = exchangeCode, unchecked_return_type = "Promise<TokenSetJson>")]
    pub fn exchange_code(
        &self,
        #[wasm_bindgen(
            unchecked_param_type = "{ callbackUrl: string | URL; state: string; codeVerifier: string; redirectUri: string }"
        )]
        input: JsValue,
    ) -> js_sys::Promise {
        let state = self.state.clone();
        crate::js::promise(async move {
            let tokens = exchange(&state, &input).await?;
            token_set_to_js(&tokens)
        })
    }

    /// Resource owner password credentials grant (RFC 6749 §4.3; OmniFund).
    #[wasm_bindgen(unchecked_return_type = "Promise<TokenSetJson>")]
    pub fn password(
        &self,
        #[wasm_bindgen(
            unchecked_param_type = "{ username: string; password: string; scope?: string }"
        )]
        input: JsValue,
    ) -> js_sys::Promise {
        let state = self.state.clone();
        crate::js::promise(async move {
            let grant = Grant::Password {
                username: req_string(&input, "username")?,
                password: Password::new(req_string(&input, "password")?),
                scope: opt_string(&input, "scope")?,
            };
            token_set_to_js(&state.grant(&grant).await?)
        })
    }

    /// Client credentials grant (RFC 6749 §4.4).
    #[wasm_bindgen(js_name = clientCredentials, unchecked_return_type = "Promise<TokenSetJson>")]
    pub fn client_credentials(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "{ scope?: string }")] input: Option<
            JsValue,
        >,
    ) -> js_sys::Promise {
        let state = self.state.clone();
        crate::js::promise(async move {
            let scope = optional_scope(&input.unwrap_or(JsValue::UNDEFINED))?;
            token_set_to_js(&state.grant(&Grant::ClientCredentials { scope }).await?)
        })
    }

    /// Refresh token grant (RFC 6749 §6). A response without a new refresh token keeps the one
    /// given. Prefer `TokenSession`, which also persists rotated refresh tokens.
    #[wasm_bindgen(unchecked_return_type = "Promise<TokenSetJson>")]
    pub fn refresh(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] refresh_token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "{ scope?: string }")] input: Option<
            JsValue,
        >,
    ) -> js_sys::Promise {
        let state = self.state.clone();
        crate::js::promise(async move {
            let refresh_token = super::error::string_arg(&refresh_token, "refreshToken")?;
            let scope = optional_scope(&input.unwrap_or(JsValue::UNDEFINED))?;
            let refresh_token = RefreshToken::new(refresh_token);
            let mut previous = TokenSet::bearer("");
            previous.refresh_token = Some(refresh_token.clone());
            let tokens = state
                .grant(&Grant::RefreshToken {
                    refresh_token,
                    scope,
                })
                .await?;
            token_set_to_js(&tokens.merge_refresh(&previous))
        })
    }
}

/// Callback check + code exchange, shared with `TokenSession.completeAuthorization`.
pub async fn exchange(state: &ClientState, input: &JsValue) -> Result<TokenSet, JsValue> {
    let pending = PendingAuthorization::resume(
        req_string(input, "state")?,
        req_string(input, "codeVerifier")?,
        req_string(input, "redirectUri")?,
    )
    .map_err(to_js)?;
    let callback = host::url_string(&get(input, "callbackUrl")?, "callbackUrl")?;
    let code = pending
        .handle_callback(&state.config, &callback)
        .map_err(to_js)?;
    state.grant(&Grant::from(code)).await
}
