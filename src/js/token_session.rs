//! `TokenSession`: drives the core's session state machine (`core::oauth2::session`) with the
//! host's `fetch`, clock and randomness and the caller's token store. Single flight inside one
//! instance through one shared promise; across instances through the store's `lock`.

use super::error::{invalid_argument, network, to_js};
use super::host::{self, get, opt_string, Fetcher};
use super::oauth2_client::{exchange, ClientState, OAuth2Client};
use super::oauth2_marshal::{absolute_url, fetch_with_authorization, is_oauth_edge_error, sleep};
use super::store::{token_set_from_js, Saved, Store};
use crate::core::error::{Error, ErrorCode};
use crate::core::oauth2::retry::RetryPolicy;
use crate::core::oauth2::session::{
    ApiDecision, ApiResult, BearerToken, Decision, RefreshOutcome, Session, SessionConfig,
};
use js_sys::{Function, Promise};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Rounds of the decide loop before giving up: a correct driver never needs more than a few.
const MAX_ROUNDS: usize = 16;

pub(crate) struct Shared {
    client: Rc<ClientState>,
    store: Store,
    core: RefCell<Session>,
    /// The refresh in flight in this instance (single flight): every caller awaits it.
    refresh: RefCell<Option<Promise>>,
    loaded: Cell<bool>,
    clock: host::Clock,
    on_state_change: Option<Function>,
    last_state: Cell<&'static str>,
    lock_name: String,
    fetcher: Fetcher,
}

impl Shared {
    /// The OAuth 2 client configuration (provider calls that need its credentials).
    pub(crate) fn client_config(&self) -> &crate::core::oauth2::ClientConfig {
        &self.client.config
    }

    /// The `fetch` this session sends with.
    pub(crate) fn fetcher(&self) -> &Fetcher {
        &self.fetcher
    }

    fn now(&self) -> u64 {
        self.clock.now_ms()
    }

    /// Calls `onStateChange` when the state differs from the last one reported.
    fn notify(&self) {
        let state = self.core.borrow().state(self.now()).as_str();
        if state != self.last_state.replace(state) {
            if let Some(f) = &self.on_state_change {
                // A throwing listener must not break the session.
                let _ = f.call1(&JsValue::UNDEFINED, &JsValue::from_str(state));
            }
        }
    }

    async fn reload(&self) -> Result<(), JsValue> {
        let stored = self.store.load().await?;
        self.core.borrow_mut().load(stored);
        self.loaded.set(true);
        self.notify();
        Ok(())
    }

    /// Saves the pending tokens. A lost compare-and-set is not an error for the caller: the
    /// next decision is a reload, which resolves it (see the session module doc).
    async fn persist(&self) -> Result<(), JsValue> {
        let (tokens, expected) = {
            let core = self.core.borrow();
            match core.pending_save() {
                Some(t) => (t.clone(), core.expected_version().map(str::to_owned)),
                None => return Ok(()),
            }
        };
        match self.store.save(&tokens, expected.as_deref()).await {
            Ok(Saved::Version(v)) => self.core.borrow_mut().on_saved(v),
            Ok(Saved::Conflict) => {
                self.core.borrow_mut().on_save_failed(true);
            }
            Err(e) => {
                let err = self.core.borrow_mut().on_save_failed(false);
                return Err(super::error::with_cause(err, e));
            }
        }
        self.notify();
        Ok(())
    }
}

/// An OAuth 2 token session: tokens that stay valid and are never lost, however many callers.
#[wasm_bindgen]
pub struct TokenSession {
    shared: Rc<Shared>,
}

impl TokenSession {
    /// The shared state, for provider clients that send through this session.
    pub(crate) fn shared(&self) -> Rc<Shared> {
        self.shared.clone()
    }
}

/// Sends a core request through the session (Bearer attached, refreshed when due, one retry
/// after a 401) and reads the whole response back: how provider clients call OAuth 2 APIs.
pub(crate) async fn send_core(
    shared: &Rc<Shared>,
    request: &crate::core::http::Request,
    signal: &JsValue,
) -> Result<crate::core::http::Response, JsValue> {
    let init = host::request_init(request, signal);
    let response = session_fetch(shared, &JsValue::from_str(&request.url), &init).await?;
    host::read_response(&response, &request.url).await
}

#[wasm_bindgen]
impl TokenSession {
    /// Creates a session over a client and a token store.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "TokenSessionOptions")] options: JsValue,
    ) -> Result<TokenSession, JsValue> {
        let not_a_client = || invalid_argument("option 'client' must be an OAuth2Client");
        let client = get(&options, "client")?;
        let share = js_sys::Reflect::get(&client, &"__share".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
            .ok_or_else(not_a_client)?;
        let handle = share.call0(&client).map_err(|_| not_a_client())?;
        let client =
            <OAuth2Client as wasm_bindgen::convert::TryFromJsValue>::try_from_js_value(handle)
                .map_err(|_| not_a_client())?
                .shared();
        let store = Store::new(get(&options, "store")?)?;
        let mut config = SessionConfig::default();
        let skew = get(&options, "skewSeconds")?;
        if !skew.is_undefined() {
            let s = skew
                .as_f64()
                .filter(|s| s.is_finite() && *s >= 0.0)
                .ok_or_else(|| invalid_argument("skewSeconds must be a non-negative number"))?;
            config.skew_ms = (s * 1000.0) as u64;
        }
        let retry = get(&options, "retry")?;
        if !retry.is_undefined() && !retry.is_null() {
            let num = |k: &str, d: u64| -> Result<u64, JsValue> {
                let v = get(&retry, k)?;
                if v.is_undefined() {
                    return Ok(d);
                }
                v.as_f64()
                    .filter(|n| n.is_finite() && *n >= 0.0)
                    .map(|n| n as u64)
                    .ok_or_else(|| invalid_argument("retry options must be non-negative numbers"))
            };
            let d = RetryPolicy::default();
            config.retry = RetryPolicy {
                max_attempts: num("maxAttempts", d.max_attempts.into())?.min(20) as u32,
                base_ms: num("baseMs", d.base_ms)?,
                max_ms: num("maxMs", d.max_ms)?,
            };
        }
        let function = |key: &str| -> Result<Option<Function>, JsValue> {
            let v = get(&options, key)?;
            if v.is_undefined() || v.is_null() {
                return Ok(None);
            }
            v.dyn_into::<Function>().map(Some).map_err(|_| {
                invalid_argument(&crate::core::text::concat(&[
                    "option '",
                    key,
                    "' must be a function",
                ]))
            })
        };
        let fetcher = match get(&options, "fetch")? {
            f if f.is_undefined() || f.is_null() => client.fetcher.clone(),
            _ => Fetcher::from_options(&options)?,
        };
        // The session's own `now`, else the client's (which defaults to the host clock).
        let clock = host::Clock::from_options(&options)?.unwrap_or_else(|| client.clock.clone());
        let shared = Shared {
            client,
            store,
            core: RefCell::new(Session::new(config)),
            refresh: RefCell::new(None),
            loaded: Cell::new(false),
            clock,
            on_state_change: function("onStateChange")?,
            last_state: Cell::new("empty"),
            lock_name: opt_string(&options, "lockName")?
                .unwrap_or_else(|| "oauth-edge:refresh".into()),
            fetcher,
        };
        Ok(TokenSession {
            shared: Rc::new(shared),
        })
    }

    /// `fetch` with `Authorization: Bearer …` attached: refreshes first when the token is due
    /// (single flight), refreshes once and retries once on a 401, backs off on 429/503. Resolves
    /// to the host's `Response`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Response>")]
    pub fn fetch(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | URL | Request")] input: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestInit")] init: Option<JsValue>,
    ) -> Promise {
        let shared = self.shared.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            session_fetch(&shared, &input, &init.unwrap_or(JsValue::UNDEFINED)).await
        })
    }

    /// A valid access token (refreshing first if due).
    #[wasm_bindgen(js_name = accessToken, unchecked_return_type = "Promise<string>")]
    pub fn access_token(&self) -> Promise {
        let shared = self.shared.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let bearer = bearer(&shared).await?;
            Ok(JsValue::from_str(bearer.token().expose()))
        })
    }

    /// Stores tokens obtained elsewhere (a password grant, the Online Registration Center's
    /// pre-issued tokens, a static ClassLink token) as this session's tokens.
    #[wasm_bindgen(js_name = signIn, unchecked_return_type = "Promise<void>")]
    pub fn sign_in(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TokenSetJson")] tokens: JsValue,
    ) -> Promise {
        let shared = self.shared.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let tokens = token_set_from_js(&tokens)?;
            adopt_new_tokens(&shared, tokens).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Completes the authorization code flow (state check, PKCE exchange) and stores the tokens.
    #[wasm_bindgen(js_name = completeAuthorization, unchecked_return_type = "Promise<void>")]
    pub fn complete_authorization(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | URL")] callback_url: JsValue,
        #[wasm_bindgen(
            unchecked_param_type = "{ state: string; codeVerifier: string; redirectUri: string }"
        )]
        pending: JsValue,
    ) -> Promise {
        let shared = self.shared.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let input = js_sys::Object::assign(&js_sys::Object::new(), pending.unchecked_ref());
            js_sys::Reflect::set(&input, &"callbackUrl".into(), &callback_url)?;
            let tokens = exchange(&shared.client, &input).await?;
            adopt_new_tokens(&shared, tokens).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// The current state: `empty`, `valid`, `expiring`, `refreshing` or `needs_reauth`.
    #[wasm_bindgen(unchecked_return_type = "SessionState")]
    pub fn state(&self) -> String {
        self.shared
            .core
            .borrow()
            .state(self.shared.now())
            .as_str()
            .to_owned()
    }

    /// When the next refresh is due (ms since the epoch), or `null` when none is planned. Known
    /// after the first call: the store is read lazily.
    #[wasm_bindgen(js_name = nextRefreshAt, unchecked_return_type = "number | null")]
    pub fn next_refresh_at(&self) -> JsValue {
        match self.shared.core.borrow().next_refresh_due_ms() {
            Some(ms) => JsValue::from_f64(ms as f64),
            None => JsValue::NULL,
        }
    }
}

async fn adopt_new_tokens(
    shared: &Rc<Shared>,
    tokens: crate::core::oauth2::token_response::TokenSet,
) -> Result<(), JsValue> {
    if !shared.loaded.get() {
        shared.reload().await?;
    }
    shared.core.borrow_mut().set_new_tokens(tokens);
    shared.notify();
    for _ in 0..MAX_ROUNDS {
        let decision = shared.core.borrow().decide(shared.now());
        match decision {
            Decision::PersistPending => shared.persist().await?,
            Decision::Reload => shared.reload().await?,
            _ => return Ok(()),
        }
    }
    Err(internal("the session could not persist new tokens"))
}

fn internal(message: &str) -> JsValue {
    to_js(Error::new(ErrorCode::Internal, message))
}

/// The decide loop: a usable bearer token, or the error to raise.
async fn bearer(shared: &Rc<Shared>) -> Result<BearerToken, JsValue> {
    if !shared.loaded.get() {
        shared.reload().await?;
    }
    for _ in 0..MAX_ROUNDS {
        let decision = shared.core.borrow().decide(shared.now());
        match decision {
            Decision::UseAccessToken(token) => return Ok(token),
            Decision::Refresh | Decision::AwaitRefresh => refresh_single_flight(shared).await?,
            Decision::PersistPending => shared.persist().await?,
            Decision::Reload => shared.reload().await?,
            Decision::Backoff(e) | Decision::NeedsReauth(e) => return Err(to_js(e)),
            Decision::Empty => {
                return Err(to_js(Error::new(
                    ErrorCode::NeedsReauth,
                    "the session holds no tokens: sign in first",
                )))
            }
        }
    }
    Err(internal("the session did not settle"))
}

/// One refresh per instance at a time: the first caller starts it, every other awaits it.
async fn refresh_single_flight(shared: &Rc<Shared>) -> Result<(), JsValue> {
    let existing = shared.refresh.borrow().clone();
    let promise = match existing {
        Some(p) => p,
        None => {
            let owner = shared.clone();
            let p = wasm_bindgen_futures::future_to_promise(async move {
                let result = refresh_under_lock(&owner).await;
                owner.refresh.borrow_mut().take();
                owner.notify();
                result.map(|_| JsValue::UNDEFINED)
            });
            *shared.refresh.borrow_mut() = Some(p.clone());
            p
        }
    };
    JsFuture::from(promise).await.map(|_| ())
}

/// Across instances: under the store's `lock(name, fn)` when it has one.
async fn refresh_under_lock(shared: &Rc<Shared>) -> Result<(), JsValue> {
    let Some(lock) = shared.store.lock() else {
        return refresh(shared).await;
    };
    let inner = shared.clone();
    let callback = Closure::once_into_js(move || -> JsValue {
        wasm_bindgen_futures::future_to_promise(async move {
            refresh(&inner).await.map(|_| JsValue::UNDEFINED)
        })
        .into()
    });
    // Our own errors (from inside `fn`) pass through; anything else the lock threw or rejected
    // with (a lease timeout, a broken adapter) becomes STORE_ERROR.
    let lock_error = |e: JsValue| {
        if is_oauth_edge_error(&e) {
            e
        } else {
            super::error::with_cause(Error::new(ErrorCode::StoreError, "store.lock() failed"), e)
        }
    };
    let started = lock
        .call2(
            shared.store.object(),
            &JsValue::from_str(&shared.lock_name),
            &callback,
        )
        .map_err(lock_error)?;
    JsFuture::from(Promise::resolve(&started))
        .await
        .map(|_| ())
        .map_err(lock_error)
}

/// The refresh itself: re-load (another instance may have rotated already), then refresh only
/// if still due, persisting rotated tokens before anyone uses them.
async fn refresh(shared: &Rc<Shared>) -> Result<(), JsValue> {
    shared.reload().await?;
    let mut resend = false;
    for _ in 0..MAX_ROUNDS {
        if !resend {
            let decision = shared.core.borrow().decide(shared.now());
            match decision {
                Decision::Refresh => {}
                Decision::PersistPending => {
                    shared.persist().await?;
                    continue;
                }
                Decision::Reload => {
                    shared.reload().await?;
                    continue;
                }
                Decision::Backoff(e) | Decision::NeedsReauth(e) => return Err(to_js(e)),
                // Someone else refreshed (or nothing to do): the callers decide again.
                _ => return Ok(()),
            }
        }
        resend = false;
        let request = shared
            .core
            .borrow_mut()
            .begin_refresh(&shared.client.config, shared.now())
            .map_err(to_js)?;
        shared.notify();
        let outcome = match shared.fetcher.send(&request).await {
            Ok(response) => shared.core.borrow_mut().on_refresh_response(
                &shared.client.config,
                &response,
                host::random_u32(),
                shared.now(),
            ),
            Err(_) => shared.core.borrow_mut().on_refresh_error(
                Error::new(
                    ErrorCode::Network,
                    "the refresh request failed before a complete response arrived",
                ),
                host::random_u32(),
                shared.now(),
            ),
        };
        shared.notify();
        match outcome {
            RefreshOutcome::Save(_) => {
                shared.persist().await?;
                return Ok(());
            }
            RefreshOutcome::ReloadThenRetry => shared.reload().await?,
            RefreshOutcome::Retry { delay_ms } => {
                let _ = JsFuture::from(sleep(delay_ms as f64)).await;
                resend = true;
            }
            RefreshOutcome::RateLimited(e)
            | RefreshOutcome::NeedsReauth(e)
            | RefreshOutcome::Failed(e) => return Err(to_js(e)),
        }
    }
    Err(internal("the refresh did not settle"))
}

pub(crate) async fn session_fetch(
    shared: &Rc<Shared>,
    input: &JsValue,
    init: &JsValue,
) -> Result<JsValue, JsValue> {
    // A Bearer token never travels over plain http to anything but loopback (INSECURE_URL).
    let url = absolute_url(input)
        .ok_or_else(|| invalid_argument("input must be a URL, a URL string or a Request"))?;
    crate::core::url::Url::parse(&url)
        .and_then(|u| u.require_secure(shared.client.config.allow_insecure))
        .map_err(to_js)?;
    let (func, this) = shared.fetcher.parts();
    with_access_token(shared, |token| {
        fetch_with_authorization(func, this, input, init, token.authorization().expose())
    })
    .await
}

/// The request protocol around any use of the access token: `send(token)` starts one attempt
/// (a `fetch` promise); refreshes first when the token is due (single flight), refreshes once
/// and retries once on a 401, backs off on 429/503. `session.fetch` puts the token in the
/// Authorization header; the Online Registration Center's roster puts it in the form body.
pub(crate) async fn with_access_token(
    shared: &Rc<Shared>,
    mut send: impl FnMut(&BearerToken) -> Promise,
) -> Result<JsValue, JsValue> {
    let mut attempt = 1;
    let mut auth_retried = false;
    loop {
        let token = bearer(shared).await?;
        let response = JsFuture::from(send(&token))
            .await
            .map_err(|e| network("the request failed before a response arrived", e))?;
        let response: web_sys::Response = response
            .dyn_into()
            .map_err(|_| invalid_argument("fetch did not return a Response"))?;
        let status = response.status();
        if (200..300).contains(&status) {
            return Ok(response.into());
        }
        let headers = response.headers();
        let www_authenticate = headers.get("www-authenticate").ok().flatten();
        let retry_after = headers.get("retry-after").ok().flatten();
        let decision = shared.core.borrow_mut().on_api_response(
            &ApiResult {
                status,
                www_authenticate: www_authenticate.as_deref(),
                retry_after: retry_after.as_deref(),
                used_access_token: token.token().expose(),
                attempt,
                auth_retried,
            },
            host::random_u32(),
            shared.now(),
        );
        shared.notify();
        match decision {
            ApiDecision::RefreshAndRetryOnce => auth_retried = true,
            ApiDecision::Retry { delay_ms } => {
                let _ = JsFuture::from(sleep(delay_ms as f64)).await;
            }
            ApiDecision::RateLimited(e) => return Err(to_js(e)),
            _ => return Ok(response.into()),
        }
        // The response is dropped unread; its body is released with it.
        attempt += 1;
    }
}
