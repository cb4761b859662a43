//! `OAuth2Client`: an RFC 6749 client (authorization code + PKCE, refresh, password, client
//! credentials) whose token requests go through the host's `fetch`.

use super::error::{invalid_argument, to_js};
use super::host::{self, get, opt_string, req_string, Fetcher};
use super::oauth2_marshal::authorization_start;
use super::options::{self, js_options};
use super::store::token_set_to_js;
use crate::core::oauth2::authorization::{self, AuthorizationParams, PendingAuthorization};
use crate::core::oauth2::client::{BasicEncoding, ClientAuth, ClientConfig, ExpiresInUnit};
use crate::core::oauth2::grants::{token_request, Grant};
use crate::core::oauth2::token_response::{parse_token_response, TokenSet};
use crate::core::secret::{ClientSecret, Password, RefreshToken};
use js_sys::Function;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

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

js_options! {
    /// Options of {@link OAuth2Client}.
    struct ClientOptions as "OAuth2ClientOptions" {
        req "clientId" client_id: String = options::string, "string";
        opt "clientSecret" client_secret: String = options::string, "string";
        req "tokenUrl" token_url: String = options::url, "string | URL";
        /// Needed for the authorization code flow only.
        opt "authorizeUrl" authorize_url: String = options::url, "string | URL";
        /// Token endpoint client authentication (RFC 6749 §2.3); default `"basic"` with a secret,
        /// else `"none"`.
        opt "clientAuth" client_auth: ClientAuth = client_auth,
            "\"basic\" | \"post\" | \"none\" | \"client_secret_basic\" | \"client_secret_post\"";
        /// `"rfc6749"` (default: form-encode id and secret before base64, §2.3.1) or `"raw"`
        /// (Online Registration Center).
        opt "basicEncoding" basic_encoding: BasicEncoding = basic_encoding, "\"rfc6749\" | \"raw\"";
        /// Extra headers on every token request (e.g. Priava `TenantRegion`).
        opt "headers" headers: Vec<(String, String)> = options::string_record,
            "Record<string, string>";
        /// Extra parameters on every token request (e.g. Priava's `redirect_uri` on refresh).
        opt "tokenParams" token_params: Vec<(String, String)> = options::string_record,
            "Record<string, string>";
        /// Unit of `expires_in` (default seconds; the Online Registration Center uses hours).
        opt "expiresInUnit" expires_in_unit: ExpiresInUnit = expires_in_unit,
            "\"seconds\" | \"hours\"";
        /// Response fields that may hold the refresh token (default `["refresh_token"]`).
        opt "refreshTokenFields" refresh_token_fields: Vec<String> = options::string_list,
            "string[]";
        /// Expected RFC 9207 `iss` on authorization responses.
        opt "issuer" issuer: String = options::string, "string";
        /// Provider name put on errors.
        opt "provider" provider: String = options::string, "string";
        opt "allowInsecureRequests" allow_insecure_requests: bool = options::boolean, "boolean";
        opt "fetch" fetch: Function = options::function, "FetchLike";
        /// Bodies larger than this many bytes are refused before parsing (`RESPONSE_TOO_LARGE`;
        /// default 64 MiB).
        opt "maxResponseBytes" max_response_bytes: f64 = options::positive, "number";
        /// Token requests fail with `NETWORK` when their whole response has not arrived within
        /// this many ms (default 30000).
        opt "timeoutMs" timeout_ms: f64 = options::positive, "number";
        /// Clock in ms since the epoch that anchors `expires_in` (default `Date.now`); for tests.
        opt "now" now: Function = options::function, "() => number";
    }
}

fn client_auth(obj: &JsValue, key: &str) -> Result<Option<ClientAuth>, JsValue> {
    let Some(name) = options::string(obj, key)? else {
        return Ok(None);
    };
    ClientAuth::parse(&name).map(Some).map_err(to_js)
}

fn basic_encoding(obj: &JsValue, key: &str) -> Result<Option<BasicEncoding>, JsValue> {
    let Some(name) = options::string(obj, key)? else {
        return Ok(None);
    };
    BasicEncoding::parse(&name).map(Some).map_err(to_js)
}

fn expires_in_unit(obj: &JsValue, key: &str) -> Result<Option<ExpiresInUnit>, JsValue> {
    match options::string(obj, key)?.as_deref() {
        None => Ok(None),
        Some("seconds") => Ok(Some(ExpiresInUnit::Seconds)),
        Some("hours") => Ok(Some(ExpiresInUnit::Hours)),
        Some(_) => Err(invalid_argument(
            "expiresInUnit must be 'seconds' or 'hours'",
        )),
    }
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
        // Each option's conversion (and its error) is in its reader; below only defaults.
        let o = ClientOptions::read(&options)?;
        let fetcher = Fetcher::new(o.fetch, o.max_response_bytes, o.timeout_ms)?;
        let mut config = ClientConfig::new(o.client_id, o.token_url);
        config.auth = match o.client_auth {
            Some(a) => a,
            None if o.client_secret.is_none() => ClientAuth::None,
            None => ClientAuth::Basic,
        };
        config.client_secret = o.client_secret.map(ClientSecret::new);
        config.authorize_url = o.authorize_url;
        config.basic_encoding = o.basic_encoding.unwrap_or(config.basic_encoding);
        config.extra_headers = o.headers.unwrap_or_default();
        config.extra_token_params = o.token_params.unwrap_or_default();
        config.expires_in_unit = o.expires_in_unit.unwrap_or(ExpiresInUnit::Seconds);
        if let Some(fields) = o.refresh_token_fields {
            config.refresh_token_field_names = fields;
        }
        config.issuer = o.issuer;
        config.provider = o.provider;
        config.allow_insecure = o.allow_insecure_requests.unwrap_or(false);
        config.validate().map_err(to_js)?;
        Ok(OAuth2Client {
            state: Rc::new(ClientState {
                config,
                fetcher,
                clock: o.now.map_or_else(host::Clock::host, host::Clock::of),
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
                extra: options::string_record(&input, "params")?.unwrap_or_default(),
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
