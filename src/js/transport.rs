//! How provider API clients send: a core request, its [`Credentials`] applied, through the
//! host's `fetch`, a `TokenSession` (Bearer, refresh, one retry after a 401) or a
//! client-credentials token kept here (OneRoster 1.2). One sender for every provider client.

use super::error::to_js;
use super::host::{self, Fetcher};
use super::oauth2_client::ClientState;
use super::oauth2_marshal::sleep;
use super::token_session::{send_core, Shared as SessionShared};
use crate::core::credentials::Credentials;
use crate::core::http::parse_retry_after;
use crate::core::http::{Request, Response};
use crate::core::oauth1::timestamp::corrected_offset;
use crate::core::oauth2::grants::Grant;
use crate::core::oauth2::retry::{is_retryable_status, RetryPolicy};
use crate::core::oauth2::TokenSet;
use crate::core::secret::AccessToken;
use js_sys::Promise;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Renew a client-credentials token this long before it expires.
const CLIENT_CREDENTIALS_SKEW_MS: u64 = 60_000;

/// A provider client's way of sending.
pub enum Transport {
    /// `fetch` with the credentials applied by the core (OAuth 1 signature, query keys, a
    /// static Bearer token), and the clock offset OAuth 1 timestamps are signed with (seconds,
    /// learnt from a server that refused one: `core::oauth1::timestamp`).
    Fetch(Fetcher, Credentials, Cell<i64>),
    /// Through a token session, which attaches the Bearer token.
    Session(Rc<SessionShared>),
    /// An OAuth 2 client-credentials token fetched when missing or due, and once more after
    /// a 401 (there is no refresh token: a new grant is the renewal).
    ClientCredentials(Rc<ClientCredentialsToken>),
}

/// The client-credentials token of one client, shared by every call (single flight).
pub struct ClientCredentialsToken {
    client: Rc<ClientState>,
    scope: Option<String>,
    current: RefCell<Option<TokenSet>>,
    in_flight: RefCell<Option<Promise>>,
}

impl ClientCredentialsToken {
    /// A token source for `client` asking for `scope`.
    pub fn new(client: Rc<ClientState>, scope: Option<String>) -> Rc<Self> {
        Rc::new(ClientCredentialsToken {
            client,
            scope,
            current: RefCell::new(None),
            in_flight: RefCell::new(None),
        })
    }

    /// A valid token: the current one unless due (or `rejected` is it), else one new grant
    /// shared by every concurrent caller.
    async fn token(
        self: &Rc<Self>,
        rejected: Option<&AccessToken>,
    ) -> Result<AccessToken, JsValue> {
        let now = self.client.clock.now_ms();
        if let Some(t) = self.current.borrow().as_ref() {
            let due = t
                .expires_at_ms
                .is_some_and(|e| now.saturating_add(CLIENT_CREDENTIALS_SKEW_MS) >= e);
            if !due && rejected != Some(&t.access_token) {
                return Ok(t.access_token.clone());
            }
        }
        let promise = {
            let mut slot = self.in_flight.borrow_mut();
            match slot.as_ref() {
                Some(p) => p.clone(),
                None => {
                    let this = self.clone();
                    let p = crate::js::promise(async move {
                        let grant = Grant::ClientCredentials {
                            scope: this.scope.clone(),
                        };
                        let result = this.client.grant(&grant).await;
                        this.in_flight.borrow_mut().take();
                        let tokens = result?;
                        *this.current.borrow_mut() = Some(tokens);
                        Ok(JsValue::UNDEFINED)
                    });
                    *slot = Some(p.clone());
                    p
                }
            }
        };
        JsFuture::from(promise).await?;
        self.current
            .borrow()
            .as_ref()
            .map(|t| t.access_token.clone())
            .ok_or_else(|| {
                to_js(crate::core::Error::new(
                    crate::core::ErrorCode::Internal,
                    "the client-credentials grant left no token",
                ))
            })
    }
}

impl Transport {
    /// Sending through `fetcher` with `credentials` applied (no clock offset yet).
    pub fn fetch(fetcher: Fetcher, credentials: Credentials) -> Transport {
        Transport::Fetch(fetcher, credentials, Cell::new(0))
    }

    /// Sends `request` and reads the whole response. Boxed: one shared poll function for
    /// every provider's call sites (smaller wasm).
    pub fn send<'a>(
        &'a self,
        request: Request,
        signal: &'a JsValue,
        provider: Option<&'static str>,
    ) -> Pin<Box<dyn Future<Output = Result<Response, JsValue>> + 'a>> {
        Box::pin(async move {
            match self {
                Transport::Session(session) => send_core(session, &request, signal).await,
                Transport::Fetch(fetcher, credentials, offset) => {
                    let mut corrected = false;
                    loop {
                        // Each attempt signed afresh (a new nonce and timestamp).
                        let response = with_retries(provider, || async {
                            let (nonce, timestamp) = if credentials.needs_entropy() {
                                let now = host::now_seconds().saturating_add_signed(offset.get());
                                (Some(host::random_nonce()?), Some(now))
                            } else {
                                (None, None)
                            };
                            let signed = credentials
                                .apply(request.clone(), nonce.as_deref(), timestamp)
                                .map_err(to_js)?;
                            fetcher.send_with_signal(&signed, signal.clone()).await
                        })
                        .await?;
                        // A timestamp refused by a server whose clock is elsewhere: sign again
                        // on its clock, once (RFC 5849 §3.3).
                        if !corrected && credentials.needs_entropy() {
                            let date = response.header("date");
                            let now = host::now_ms();
                            if let Some(o) =
                                corrected_offset(response.status, date, now, offset.get())
                            {
                                offset.set(o);
                                corrected = true;
                                continue;
                            }
                        }
                        return Ok(response);
                    }
                }
                Transport::ClientCredentials(source) => {
                    let send = |token: AccessToken| {
                        let request = request.clone();
                        async move {
                            let authorized = Credentials::Bearer(token)
                                .apply(request, None, None)
                                .map_err(to_js)?;
                            source
                                .client
                                .fetcher
                                .send_with_signal(&authorized, signal.clone())
                                .await
                        }
                    };
                    let token = source.token(None).await?;
                    let response = with_retries(provider, || send(token.clone())).await?;
                    if response.status != 401 {
                        return Ok(response);
                    }
                    // A token the server no longer accepts: one new grant, one retry.
                    let fresh = source.token(Some(&token)).await?;
                    with_retries(provider, || send(fresh.clone())).await
                }
            }
        })
    }
}

/// 429/503: bounded, jittered retries honouring `Retry-After` (the policy a TokenSession
/// applies), then `RATE_LIMITED` with `retryAfter`, as a session reports it.
async fn with_retries<F, Fut>(
    provider: Option<&'static str>,
    mut attempt_once: F,
) -> Result<Response, JsValue>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Response, JsValue>>,
{
    let policy = RetryPolicy::default();
    let mut attempt = 1;
    loop {
        let response = attempt_once().await?;
        if !is_retryable_status(response.status) {
            return Ok(response);
        }
        let retry_after = response
            .header("retry-after")
            .and_then(|v| parse_retry_after(v, host::now_ms()));
        match policy.delay_ms(attempt, retry_after, host::random_u32()) {
            Some(ms) => {
                let _ = JsFuture::from(sleep(ms as f64)).await;
                attempt += 1;
            }
            None => {
                let seconds = retry_after.map(|ms| ms as f64 / 1000.0);
                let mut e = crate::core::Error::new(
                    crate::core::ErrorCode::RateLimited,
                    "the API kept answering 429/503 after bounded retries",
                )
                .with_status(response.status)
                .with_retry_after(seconds);
                if let Some(p) = provider {
                    e = e.with_provider(p);
                }
                return Err(to_js(e));
            }
        }
    }
}
