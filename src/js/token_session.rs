//! `TokenSession`: the executor of the core's session engine (`core::oauth2::session`). One
//! driver loop per instance runs the engine's actions with the host's store, `fetch`, clock,
//! timers and randomness; it makes no OAuth decision. Callers that need the engine wait on a
//! promise the driver settles (`Deliver`, `Persisted`, `Fail`).

use super::error::{invalid_argument, network, to_js, with_cause};
use super::host::{self, get, Fetcher};
use super::oauth2_client::{exchange, ClientState, OAuth2Client};
use super::oauth2_marshal::{
    absolute_url, acquire_lock, fetch_checked, fetch_with_authorization, is_response, sleep,
};
use super::options::{self, js_options};
use super::store::{token_set_from_js, HostFailure, Store};
use crate::core::error::{Error, ErrorCode};
use crate::core::oauth2::retry::RetryPolicy;
use crate::core::oauth2::session::{
    Action, ApiCall, ApiResponse, ApiStep, BearerToken, Session, SessionConfig,
};
use crate::core::secret::AccessToken;
use js_sys::{Function, Promise};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Callers waiting for the driver: `resolve`/`reject` pairs of their promises.
#[derive(Default)]
struct Waiters {
    token: Vec<(Function, Function)>,
    persist: Vec<(Function, Function)>,
}

pub(crate) struct Shared {
    client: Rc<ClientState>,
    store: Store,
    engine: RefCell<Session>,
    waiters: RefCell<Waiters>,
    /// A driver loop is running.
    driving: Cell<bool>,
    /// `fetchChecked`'s callback for anything but a 2xx answer (created once per session).
    resume: std::cell::OnceCell<Resume>,
    /// The release function of the store's lock while this instance holds it.
    release: RefCell<Option<Function>>,
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
        let state = self.engine.borrow().state(self.now()).as_str();
        if state != self.last_state.replace(state) {
            if let Some(f) = &self.on_state_change {
                // A throwing listener must not break the session.
                let _ = f.call1(&JsValue::UNDEFINED, &JsValue::from_str(state));
            }
        }
    }
}

/// Starts the driver unless one runs.
fn kick(shared: &Rc<Shared>) {
    if !shared.driving.replace(true) {
        let shared = shared.clone();
        wasm_bindgen_futures::spawn_local(async move { drive(&shared).await });
    }
}

/// The one executor loop: every action of the engine, nothing else.
async fn drive(shared: &Rc<Shared>) {
    // The host's error behind the last failed action, attached as `cause` when the engine
    // raises an error of the same code.
    let mut cause: Option<(ErrorCode, JsValue)> = None;
    loop {
        let action = shared.engine.borrow_mut().poll(shared.now());
        match action {
            Action::Load => {
                let result = keep(&mut cause, shared.store.load().await);
                shared
                    .engine
                    .borrow_mut()
                    .handle_loaded(result, shared.now());
            }
            Action::Save {
                record,
                expected_version,
            } => {
                let result = keep(
                    &mut cause,
                    shared
                        .store
                        .save(&record, expected_version.as_deref())
                        .await,
                );
                shared
                    .engine
                    .borrow_mut()
                    .handle_saved(result, shared.now());
            }
            Action::Send(request) => {
                let result = keep(&mut cause, shared.fetcher.send_split(&request).await);
                let random = host::random_u32();
                let mut engine = shared.engine.borrow_mut();
                engine.handle_response(result, random, shared.now());
            }
            Action::Lock => {
                let acquired =
                    JsFuture::from(acquire_lock(shared.store.object(), &shared.lock_name))
                        .await
                        .map(|release| *shared.release.borrow_mut() = release.dyn_into().ok())
                        .map_err(|e| (Error::new(ErrorCode::StoreError, "store.lock() failed"), e));
                let result = keep(&mut cause, acquired);
                shared
                    .engine
                    .borrow_mut()
                    .handle_locked(result, shared.now());
            }
            Action::Unlock => {
                let release = shared.release.borrow_mut().take();
                if let Some(release) = release {
                    // The lock's own outcome after release changes nothing for the tokens.
                    if let Ok(done) = release.call0(&JsValue::UNDEFINED) {
                        let _ = JsFuture::from(Promise::resolve(&done)).await;
                    }
                }
                shared.engine.borrow_mut().handle_unlocked();
            }
            Action::Sleep { until_ms } => {
                let wait = until_ms.saturating_sub(shared.now());
                let _ = JsFuture::from(sleep(wait as f64)).await;
            }
            Action::Deliver(token) => {
                let token = JsValue::from_str(token.token().expose());
                for (resolve, _) in std::mem::take(&mut shared.waiters.borrow_mut().token) {
                    let _ = resolve.call1(&JsValue::UNDEFINED, &token);
                }
            }
            Action::Persisted => {
                for (resolve, _) in std::mem::take(&mut shared.waiters.borrow_mut().persist) {
                    let _ = resolve.call0(&JsValue::UNDEFINED);
                }
            }
            Action::Fail(error) => {
                let error = match cause.take() {
                    Some((code, host_error)) if code == error.code => with_cause(error, host_error),
                    _ => to_js(error),
                };
                let waiters = std::mem::take(&mut *shared.waiters.borrow_mut());
                for (_, reject) in waiters.token.into_iter().chain(waiters.persist) {
                    let _ = reject.call1(&JsValue::UNDEFINED, &error);
                }
            }
            Action::Idle => {
                shared.driving.set(false);
                shared.notify();
                return;
            }
        }
        shared.notify();
    }
}

/// The core error of a failed action; the host's error is kept for `cause`.
fn keep<T>(
    cause: &mut Option<(ErrorCode, JsValue)>,
    result: Result<T, HostFailure>,
) -> Result<T, Error> {
    result.map_err(|(error, host_error)| {
        *cause = Some((error.code, host_error));
        error
    })
}

/// A promise settled by the driver; `token` picks the waiting list.
fn wait(shared: &Rc<Shared>, token: bool) -> JsFuture {
    let mut parts = None;
    let promise = Promise::new(&mut |resolve, reject| parts = Some((resolve, reject)));
    if let Some(pair) = parts {
        let mut waiters = shared.waiters.borrow_mut();
        if token {
            waiters.token.push(pair);
        } else {
            waiters.persist.push(pair);
        }
    }
    kick(shared);
    JsFuture::from(promise)
}

/// A usable access token: at once when the cached one is, else from the driver.
async fn bearer(shared: &Rc<Shared>) -> Result<BearerToken, JsValue> {
    let usable = shared.engine.borrow().usable_token(shared.now());
    if let Some(token) = usable {
        return Ok(token);
    }
    shared.engine.borrow_mut().want_token();
    let token = wait(shared, true).await?;
    Ok(BearerToken::new(AccessToken::new(
        token.as_string().unwrap_or_default(),
    )))
}

/// Stores new tokens (saved before use) and resolves once they are persisted.
async fn sign_in(
    shared: &Rc<Shared>,
    tokens: crate::core::oauth2::TokenSet,
) -> Result<(), JsValue> {
    shared.engine.borrow_mut().sign_in(tokens, shared.now());
    wait(shared, false).await.map(|_| ())
}

/// An OAuth 2 token session: tokens that stay valid and are never lost, however many callers
/// and instances.
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
    let init = shared.fetcher.request_init(request, signal);
    let response = session_fetch(shared, &JsValue::from_str(&request.url), &init).await?;
    shared.fetcher.read(&response, &request.url).await
}

js_options! {
    /// Options of {@link TokenSession} (its first argument is the {@link OAuth2Client}).
    struct Options as "TokenSessionOptions" {
        req "store" store: Store = store, "TokenStore";
        /// Refresh this long before expiry (default 60; never before half a token's lifetime).
        opt "skewSeconds" skew_ms: u64 = options::seconds, "number";
        /// Longest a refresh lease holds, so a crashed instance blocks others at most this long
        /// (default 30).
        opt "leaseSeconds" lease_ms: u64 = options::seconds, "number";
        /// The provider's refresh-token reuse grace period, if it has one (default 0: none). With
        /// it, a refresh whose answer was lost in transit is retried at once with the same token.
        opt "reuseGraceSeconds" reuse_grace_ms: u64 = options::seconds, "number";
        /// Clock in ms since the epoch (default: the client's `now`, else `Date.now`); for tests.
        opt "now" now: Function = options::function, "() => number";
        /// Called with the new state whenever it changes (e.g. show "signed out" on
        /// `needs_reauth`).
        opt "onStateChange" on_state_change: Function = options::function,
            "(state: SessionState) => void";
        /// Name passed to `store.lock` (default `"oauth-edge:refresh"`).
        opt "lockName" lock_name: String = options::string, "string";
        /// Used for API calls (default: the client's fetch).
        opt "fetch" fetch: Function = options::function, "FetchLike";
        /// Bodies larger than this many bytes are refused before parsing (`RESPONSE_TOO_LARGE`;
        /// default 64 MiB).
        opt "maxResponseBytes" max_response_bytes: f64 = options::positive, "number";
        /// Requests the session sends and reads itself (refreshes, provider API calls) fail with
        /// `NETWORK` when their whole response has not arrived within this many ms (default:
        /// the client's, 30000). `fetch()` answers follow the caller's `init.signal`, as `fetch`.
        opt "timeoutMs" timeout_ms: f64 = options::positive, "number";
        /// Backoff for 429/503 answers (API calls and refreshes) and for transport failures of the
        /// refresh request (defaults 3 attempts, 250 ms base, 10 s cap). A transport failure of an
        /// API call is not retried: the request may have had effects.
        opt "retry" retry: RetryPolicy = retry_policy,
            "{ maxAttempts?: number; baseMs?: number; maxMs?: number }";
    }
}

/// The `store` option, checked for `load` and `save`.
fn store(obj: &JsValue, key: &str) -> Result<Option<Store>, JsValue> {
    options::value(obj, key)?.map(Store::new).transpose()
}

/// The `retry` option: each field defaults to [`RetryPolicy::default`]'s.
fn retry_policy(obj: &JsValue, key: &str) -> Result<Option<RetryPolicy>, JsValue> {
    let Some(retry) = options::value(obj, key)? else {
        return Ok(None);
    };
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
    Ok(Some(RetryPolicy {
        max_attempts: num("maxAttempts", d.max_attempts.into())?.min(20) as u32,
        base_ms: num("baseMs", d.base_ms)?,
        max_ms: num("maxMs", d.max_ms)?,
    }))
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Object, js_name = assign, catch)]
    fn object_assign(target: &JsValue, source: &JsValue) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen]
impl TokenSession {
    /// Creates a session for `client`'s tokens over a token store.
    #[wasm_bindgen(constructor)]
    pub fn new(
        client: &OAuth2Client,
        #[wasm_bindgen(unchecked_param_type = "TokenSessionOptions")] options: JsValue,
    ) -> Result<TokenSession, JsValue> {
        let client = client.shared();
        let owner = host::random_nonce()?;
        let options = Options::read(&options)?;
        // The client's `fetch` and limits, each replaced by the session's own where given.
        let fetcher = client.fetcher.overridden(
            options.fetch,
            options.max_response_bytes,
            options.timeout_ms,
        );
        let store = options.store;
        let d = SessionConfig::default();
        let config = SessionConfig {
            skew_ms: options.skew_ms.unwrap_or(d.skew_ms),
            lease_ms: options.lease_ms.map_or(d.lease_ms, |ms| ms.max(1)),
            reuse_grace_ms: options.reuse_grace_ms.unwrap_or(d.reuse_grace_ms),
            retry: options.retry.unwrap_or(d.retry),
            lock: store.has_lock(),
            ..d
        };
        let engine = Session::new(config, client.config.clone(), &owner);
        let shared = Shared {
            fetcher,
            // The session's own `now`, else the client's (which defaults to the host clock).
            clock: options
                .now
                .map_or_else(|| client.clock.clone(), host::Clock::of),
            client,
            store,
            engine: RefCell::new(engine),
            waiters: RefCell::default(),
            driving: Cell::new(false),
            resume: std::cell::OnceCell::new(),
            release: RefCell::new(None),
            on_state_change: options.on_state_change,
            last_state: Cell::new("empty"),
            lock_name: options
                .lock_name
                .unwrap_or_else(|| "oauth-edge:refresh".into()),
        };
        let shared = Rc::new(shared);
        let _ = shared.resume.set(resume_callback(&shared));
        Ok(TokenSession { shared })
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
        let init = match super::error::init_arg(init) {
            Ok(init) => init,
            Err(e) => return Promise::reject(&e),
        };
        if let Some(promise) = fetch_fast(&self.shared, &input, &init) {
            return promise;
        }
        let shared = self.shared.clone();
        crate::js::promise(async move { session_fetch(&shared, &input, &init).await })
    }

    /// A valid access token (refreshing first if due).
    #[wasm_bindgen(js_name = accessToken, unchecked_return_type = "Promise<string>")]
    pub fn access_token(&self) -> Promise {
        let shared = self.shared.clone();
        crate::js::promise(async move {
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
        crate::js::promise(async move {
            let tokens = token_set_from_js(&tokens)?;
            sign_in(&shared, tokens).await?;
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
        crate::js::promise(async move {
            if !pending.is_object() {
                return Err(invalid_argument(
                    "the pending authorization must be { state, codeVerifier, redirectUri }",
                ));
            }
            // A copy with `callbackUrl` added; `Object.assign` runs the caller's getters, so
            // it is called where a throw comes back as an error (not unwinding through wasm).
            let input = object_assign(&js_sys::Object::new(), &pending)
                .map_err(|_| invalid_argument("the pending authorization could not be read"))?;
            js_sys::Reflect::set(&input, &"callbackUrl".into(), &callback_url)?;
            let tokens = exchange(&shared.client, &input).await?;
            sign_in(&shared, tokens).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// The current state: `empty`, `valid`, `expiring`, `refreshing` or `needs_reauth`.
    #[wasm_bindgen(unchecked_return_type = "SessionState")]
    pub fn state(&self) -> String {
        let now = self.shared.now();
        self.shared.engine.borrow().state(now).as_str().to_owned()
    }

    /// When the next refresh is due (ms since the epoch), or `null` when none is planned. Known
    /// after the first call: the store is read lazily.
    #[wasm_bindgen(js_name = nextRefreshAt, unchecked_return_type = "number | null")]
    pub fn next_refresh_at(&self) -> JsValue {
        match self.shared.engine.borrow().next_refresh_at() {
            Some(ms) => JsValue::from_f64(ms as f64),
            None => JsValue::NULL,
        }
    }
}

/// The secure-URL rule: a Bearer token never travels over plain http to anything but
/// loopback (`INSECURE_URL`).
fn check_url(shared: &Shared, input: &JsValue) -> Result<(), JsValue> {
    let url = absolute_url(input)
        .ok_or_else(|| invalid_argument("input must be a URL, a URL string or a Request"))?;
    crate::core::url::Url::parse(&url)
        .and_then(|u| u.require_secure(shared.client.config.allow_insecure))
        .map_err(to_js)
}

/// `session.fetch` with a usable token at hand: the whole call is one JS promise chain
/// (`fetchChecked`), and only a non-2xx answer or a failure comes back to Rust through the
/// session's `resume` callback. `None`: take the general path.
fn fetch_fast(shared: &Rc<Shared>, input: &JsValue, init: &JsValue) -> Option<Promise> {
    let token = shared.engine.borrow().usable_token(shared.now())?;
    check_url(shared, input).ok()?;
    let resume = shared.resume.get()?;
    let (func, this) = shared.fetcher.parts();
    let authorization = token.authorization();
    Some(fetch_checked(
        func,
        this,
        input,
        init,
        authorization.expose(),
        resume.as_ref().unchecked_ref(),
    ))
}

/// The callback `fetchChecked` calls for anything but a 2xx answer: the protocol continues from
/// that first answer (or the transport failure).
type Resume = Closure<dyn Fn(JsValue, JsValue, JsValue, JsValue, JsValue) -> Promise>;

fn resume_callback(shared: &Rc<Shared>) -> Resume {
    let weak = Rc::downgrade(shared);
    Closure::new(
        move |response: JsValue, error: JsValue, input: JsValue, init: JsValue, auth: JsValue| {
            let weak = weak.clone();
            crate::js::promise(async move {
                let Some(shared) = weak.upgrade() else {
                    return Err(invalid_argument("the session was dropped"));
                };
                if response.is_undefined() {
                    return Err(network(
                        "the request failed before a response arrived",
                        error,
                    ));
                }
                let used = auth.as_string().unwrap_or_default();
                let used = used.strip_prefix("Bearer ").unwrap_or_default();
                let first = (response, BearerToken::new(AccessToken::new(used)));
                let send = |token: &BearerToken| authorized(&shared, &input, &init, token);
                with_access_token_after(&shared, Some(first), &send).await
            })
        },
    )
}

pub(crate) async fn session_fetch(
    shared: &Rc<Shared>,
    input: &JsValue,
    init: &JsValue,
) -> Result<JsValue, JsValue> {
    check_url(shared, input)?;
    let send = |token: &BearerToken| authorized(shared, input, init, token);
    with_access_token(shared, &send).await
}

/// One attempt of `session.fetch`: the host's fetch with the Authorization header set.
fn authorized(shared: &Shared, input: &JsValue, init: &JsValue, token: &BearerToken) -> Promise {
    let (func, this) = shared.fetcher.parts();
    fetch_with_authorization(func, this, input, init, token.authorization().expose())
}

/// The request protocol around any use of the access token: `send(token)` starts one attempt
/// (a `fetch` promise); the core's [`ApiCall`] decides on each answer (401 → one retry with a
/// new token, 429/503 → backoff). `session.fetch` puts the token in the Authorization header;
/// the Online Registration Center's roster puts it in the form body.
pub(crate) async fn with_access_token(
    shared: &Rc<Shared>,
    send: &dyn Fn(&BearerToken) -> Promise,
) -> Result<JsValue, JsValue> {
    with_access_token_after(shared, None, send).await
}

/// [`with_access_token`], continuing from a first answer already received with `token`.
async fn with_access_token_after(
    shared: &Rc<Shared>,
    mut first: Option<(JsValue, BearerToken)>,
    // `dyn`: one copy of this loop in the module, whatever the callers send.
    send: &dyn Fn(&BearerToken) -> Promise,
) -> Result<JsValue, JsValue> {
    let mut call = ApiCall::new();
    loop {
        let (response, token) = match first.take() {
            Some(answered) => answered,
            None => {
                let token = bearer(shared).await?;
                let response = JsFuture::from(send(&token))
                    .await
                    .map_err(|e| network("the request failed before a response arrived", e))?;
                (response, token)
            }
        };
        if !is_response(&response) {
            return Err(invalid_argument("fetch did not return a Response"));
        }
        let response: web_sys::Response = response.unchecked_into();
        let status = response.status();
        if (200..300).contains(&status) {
            return Ok(response.into());
        }
        let headers = response.headers();
        let www_authenticate = headers.get("www-authenticate").ok().flatten();
        let retry_after = headers.get("retry-after").ok().flatten();
        let step = call.on_response(
            &mut shared.engine.borrow_mut(),
            &ApiResponse {
                status,
                www_authenticate: www_authenticate.as_deref(),
                retry_after: retry_after.as_deref(),
                used_access_token: token.token().expose(),
            },
            host::random_u32(),
            shared.now(),
        );
        shared.notify();
        match step {
            ApiStep::Done => return Ok(response.into()),
            ApiStep::RetryWithNewToken => {}
            ApiStep::Retry { delay_ms } => {
                let _ = JsFuture::from(sleep(delay_ms as f64)).await;
            }
            ApiStep::Fail(error) => return Err(to_js(error)),
        }
        // The response is dropped unread; its body is released with it.
    }
}
