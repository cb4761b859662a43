//! The token session state machine (DESIGN.md "Token sessions"): pure, `now` injected, it
//! answers "what to do next" and "when is the next refresh due"; the JS layer does the I/O.
//!
//! # The protocol the JS layer follows
//!
//! Every caller asks [`Session::decide`] and acts on the [`Decision`], then asks again (bound
//! the loop, e.g. 8 rounds, and raise `INTERNAL` beyond: it cannot be reached by a correct
//! driver):
//!
//! - `UseAccessToken(t)`: send the request with `Authorization: t.authorization()`; give the
//!   response to [`Session::on_api_response`] (at most one refresh-and-retry per call).
//! - `Refresh`: run the single-flight refresh (one per instance; across instances under the
//!   store's `lock`): `load()` the store and give it to [`Session::load`], `decide` again, and
//!   only if it still says `Refresh`: [`Session::begin_refresh`] → `fetch` →
//!   [`Session::on_refresh_response`] (or [`Session::on_refresh_error`] if `fetch` threw).
//! - `AwaitRefresh`: wait for this instance's refresh in flight.
//! - `PersistPending`: `save(pending_save(), {expectedVersion: expected_version()})`, then
//!   [`Session::on_saved`] or [`Session::on_save_failed`]. New tokens are never handed out
//!   before this succeeded: a rotated refresh token is persisted before any caller sees the
//!   access token that came with it.
//! - `Reload`: `load()` the store into [`Session::load`].
//! - `Backoff(e)`, `NeedsReauth(e)`, `Empty`: raise the error (`Empty` as `NEEDS_REAUTH`).
//!
//! # Rules decided here
//!
//! - Refresh point = `expires_at − skew_ms`; at exactly that instant the state is already
//!   `Expiring`. The access token is usable while `now < expires_at`: during a refresh, and
//!   during a backoff after a failed one, callers keep using it until then.
//! - `invalid_grant` on refresh → `ReloadThenRetry`: after the reload, a stored refresh token
//!   different from the rejected one is adopted and used; the same one (or an empty store)
//!   means `NeedsReauth` without another request. A refresh token adopted that way that is
//!   rejected too → `NeedsReauth`.
//! - A load while new tokens wait to be saved (after a save conflict): the store's tokens win
//!   if they are ours (the save went through after all), or if they differ from the tokens our
//!   refresh started from and expire no earlier than ours (another instance rotated; ties go
//!   to the store so instances converge). Otherwise ours stay pending and the next save
//!   compares against the store's new version.
//! - 429/503 (and transport errors) on refresh: [`RetryPolicy`] backoff, then `RATE_LIMITED`
//!   with `retryAfter`; the session then refuses new refreshes until the `Retry-After` (or
//!   `max_ms`) has passed. Any other refresh failure blocks refreshes for `base_ms`.

use super::client::ClientConfig;
use super::constant_time_eq;
use super::grants::{token_request, Grant};
use super::retry::{is_retryable_status, RetryPolicy};
use super::token_response::{parse_token_response, token_error, TokenSet};
use crate::core::error::{Error, ErrorCode, Result};
use crate::core::http::{parse_retry_after, Request, Response};
use crate::core::secret::Secret;
use crate::core::text::{concat, decimal};

/// Session tuning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionConfig {
    /// Refresh this long before `expires_at` (default 60 000 ms).
    pub skew_ms: u64,
    /// Retries of 429/503/transport failures on refresh and of 429/503 API answers.
    pub retry: RetryPolicy,
}

impl Default for SessionConfig {
    fn default() -> Self {
        SessionConfig {
            skew_ms: 60_000,
            retry: RetryPolicy::default(),
        }
    }
}

/// Tokens as the store returned them, with the store's opaque version for compare-and-set.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredTokens {
    /// The tokens.
    pub tokens: TokenSet,
    /// The store's version of this record.
    pub version: String,
}

/// The session's state (DESIGN.md), as shown to apps (`as_str`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SessionState {
    /// No tokens: the user has not authorized (or signed out).
    Empty,
    /// An access token outside the refresh window (or one that never expires).
    Valid,
    /// Inside the refresh window, past expiry, or rejected by an API.
    Expiring,
    /// A refresh is in flight (or waiting for a backoff or a reload).
    Refreshing,
    /// The refresh token is dead: the user must authorize again.
    NeedsReauth,
}

impl SessionState {
    /// `empty`, `valid`, `expiring`, `refreshing` or `needs_reauth`.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionState::Empty => "empty",
            SessionState::Valid => "valid",
            SessionState::Expiring => "expiring",
            SessionState::Refreshing => "refreshing",
            SessionState::NeedsReauth => "needs_reauth",
        }
    }
}

/// An access token to send as `Authorization: Bearer …`. `Debug` prints no token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BearerToken(Secret);

impl BearerToken {
    /// The access token.
    pub fn token(&self) -> &Secret {
        &self.0
    }

    /// The `Authorization` header value. The scheme is always written `Bearer`, whatever case
    /// the provider's `token_type` had (DESIGN.md: some APIs reject anything else).
    pub fn authorization(&self) -> Secret {
        Secret::new(concat(&["Bearer ", self.0.expose()]))
    }
}

/// What a caller should do next (see the module doc for the protocol).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Decision {
    /// Send the request with this token.
    UseAccessToken(BearerToken),
    /// Refresh (single flight; re-load the store first).
    Refresh,
    /// This instance's refresh is in flight: wait for it, then decide again.
    AwaitRefresh,
    /// New tokens wait to be saved: save them first, then decide again.
    PersistPending,
    /// Re-load the store, then decide again.
    Reload,
    /// A recent refresh failed and the access token is no longer usable: raise this error
    /// (`RATE_LIMITED` with `retry_after`, or the failure) until the backoff ends.
    Backoff(Error),
    /// Raise this `NEEDS_REAUTH` error.
    NeedsReauth(Error),
    /// No tokens: raise `NEEDS_REAUTH` ("not authorized").
    Empty,
}

/// The result of a refresh exchange.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RefreshOutcome {
    /// New tokens (the old refresh token kept if none came back). They are also
    /// [`Session::pending_save`]: persist them, then [`Session::on_saved`].
    Save(TokenSet),
    /// `invalid_grant` the first time: re-load the store ([`Session::load`]) and decide again.
    ReloadThenRetry,
    /// Wait `delay_ms`, then [`Session::begin_refresh`] again.
    Retry {
        /// How long to wait.
        delay_ms: u64,
    },
    /// Retries exhausted on 429/503: `RATE_LIMITED` with `retry_after`.
    RateLimited(Error),
    /// The refresh token is dead: `NEEDS_REAUTH`, carrying the provider's error.
    NeedsReauth(Error),
    /// Any other failure (`OAUTH_INVALID_CLIENT`, `PARSE`, `NETWORK`, `HTTP_STATUS`, …).
    Failed(Error),
}

/// What an API call answered, for [`Session::on_api_response`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiResult<'a> {
    /// The HTTP status.
    pub status: u16,
    /// The `WWW-Authenticate` header, if any.
    pub www_authenticate: Option<&'a str>,
    /// The `Retry-After` header, if any.
    pub retry_after: Option<&'a str>,
    /// The access token the request carried.
    pub used_access_token: &'a str,
    /// Attempts made for this call so far, this one included (1 for the first).
    pub attempt: u32,
    /// True when this call already did its one refresh-and-retry after a 401.
    pub auth_retried: bool,
}

/// What to do with an API response.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ApiDecision {
    /// Hand the response to the caller as it is.
    Done,
    /// 401 with a token believed valid: decide again (which refreshes, or hands out the token
    /// another caller already got) and retry the request once.
    RefreshAndRetryOnce,
    /// 429/503: wait `delay_ms` and send the request again.
    Retry {
        /// How long to wait.
        delay_ms: u64,
    },
    /// 429/503 and no retry left: raise `RATE_LIMITED` with `retry_after`.
    RateLimited(Error),
}

#[derive(Debug, Clone)]
struct InFlight {
    /// The tokens whose refresh token is being used.
    base: TokenSet,
    /// Requests sent so far.
    attempts: u32,
    /// False while waiting out a backoff before the next attempt.
    sent: bool,
}

/// The token session core. One per token family (client + user).
#[derive(Debug, Clone)]
pub struct Session {
    config: SessionConfig,
    /// The tokens as persisted (or last loaded).
    current: Option<TokenSet>,
    /// The store's version of `current`.
    version: Option<String>,
    /// New tokens not yet persisted, and the refresh token they replaced.
    pending: Option<(TokenSet, Option<Secret>)>,
    in_flight: Option<InFlight>,
    /// `invalid_grant` seen for this refresh token: a reload is due.
    awaiting_reload: Option<(Secret, Error)>,
    /// A refresh token adopted by the reload after an `invalid_grant`.
    reloaded_refresh_token: Option<Secret>,
    /// A save lost its compare-and-set: a reload is due.
    reload_after_conflict: bool,
    /// The error, and the tokens that failed (a load of other tokens recovers).
    needs_reauth: Option<(Error, Option<TokenSet>)>,
    /// The access token an API answered 401 to.
    rejected_access_token: Option<Secret>,
    /// No new refresh before this time; the error to raise meanwhile.
    blocked: Option<(u64, Error)>,
    /// The access token this session's last refresh obtained, and when: such a token is not
    /// refreshed again before half its lifetime, even when the lifetime is shorter than the
    /// skew (otherwise every call would refresh, or the decide loop would never settle).
    obtained: Option<(Secret, u64)>,
}

impl Session {
    /// An empty session.
    pub fn new(config: SessionConfig) -> Self {
        Session {
            config,
            current: None,
            version: None,
            pending: None,
            in_flight: None,
            awaiting_reload: None,
            reloaded_refresh_token: None,
            reload_after_conflict: false,
            needs_reauth: None,
            rejected_access_token: None,
            blocked: None,
            obtained: None,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &SessionConfig {
        &self.config
    }

    /// The tokens as last persisted or loaded.
    pub fn tokens(&self) -> Option<&TokenSet> {
        self.current.as_ref()
    }

    /// New tokens that must be saved before they are used.
    pub fn pending_save(&self) -> Option<&TokenSet> {
        self.pending.as_ref().map(|(t, _)| t)
    }

    /// The `expectedVersion` for the next compare-and-set save (`None`: the store holds
    /// nothing we know of).
    pub fn expected_version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// Adopts what the store holds (see the module doc for the rules while new tokens wait to
    /// be saved, after an `invalid_grant` and in `NeedsReauth`).
    pub fn load(&mut self, stored: Option<StoredTokens>) {
        self.reload_after_conflict = false;
        let (tokens, version) = match stored {
            Some(s) => (Some(s.tokens), Some(s.version)),
            None => (None, None),
        };
        if let Some((err, failed)) = self.needs_reauth.take() {
            let recovered = match (&tokens, &failed) {
                (Some(t), Some(f)) => !same_tokens(t, f),
                (Some(_), None) => true,
                (None, _) => false,
            };
            if !recovered {
                self.adopt(tokens, version);
                self.needs_reauth = Some((err, failed));
                return;
            }
            // Another instance (or tab) authorized again.
            self.needs_reauth = None;
            self.reloaded_refresh_token = None;
        }
        if let Some((failed_rt, err)) = self.awaiting_reload.take() {
            let fresh = tokens
                .as_ref()
                .and_then(|t| t.refresh_token.clone())
                .filter(|rt| rt != &failed_rt);
            match fresh {
                Some(rt) => {
                    // Someone else rotated: use theirs; if it fails too, stop.
                    self.reloaded_refresh_token = Some(rt);
                    self.adopt(tokens, version);
                }
                None => {
                    let failed = self.current.clone();
                    self.adopt(tokens, version);
                    self.needs_reauth = Some((needs_reauth_error(&err), failed));
                }
            }
            return;
        }
        if let Some((ours, base_rt)) = self.pending.take() {
            let keep_ours = match &tokens {
                None => true,
                Some(stored) if same_tokens(stored, &ours) => false,
                Some(stored) if stored.refresh_token == base_rt => true,
                Some(stored) => !expires_no_earlier(stored, &ours),
            };
            self.adopt(tokens, version);
            if keep_ours {
                self.pending = Some((ours, base_rt));
            }
            return;
        }
        self.adopt(tokens, version);
    }

    fn adopt(&mut self, tokens: Option<TokenSet>, version: Option<String>) {
        let changed = match (&self.current, &tokens) {
            (Some(a), Some(b)) => !same_tokens(a, b),
            (None, None) => false,
            _ => true,
        };
        if changed {
            self.blocked = None;
        }
        if let (Some(rejected), Some(t)) = (&self.rejected_access_token, &tokens) {
            if rejected != &t.access_token {
                self.rejected_access_token = None;
            }
        }
        self.current = tokens;
        self.version = version;
    }

    /// Tokens from a completed authorization (code exchange, password grant, a static token):
    /// they replace everything and wait in [`Session::pending_save`] until persisted.
    pub fn set_new_tokens(&mut self, tokens: TokenSet) {
        let base_rt = self.current.as_ref().and_then(|t| t.refresh_token.clone());
        self.pending = Some((tokens, base_rt));
        self.in_flight = None;
        self.awaiting_reload = None;
        self.reloaded_refresh_token = None;
        self.reload_after_conflict = false;
        self.needs_reauth = None;
        self.rejected_access_token = None;
        self.blocked = None;
    }

    /// Forgets everything (sign-out); the JS layer also clears the store.
    pub fn clear(&mut self) {
        *self = Session::new(self.config);
    }

    /// The state at `now_ms`.
    pub fn state(&self, now_ms: u64) -> SessionState {
        if self.needs_reauth.is_some() {
            return SessionState::NeedsReauth;
        }
        if self.in_flight.is_some() || self.awaiting_reload.is_some() {
            return SessionState::Refreshing;
        }
        let Some(t) = self.pending_save().or(self.current.as_ref()) else {
            return SessionState::Empty;
        };
        if !self.refresh_due(t, now_ms) {
            SessionState::Valid
        } else if t.refresh_token.is_none() && !self.usable(t, now_ms) {
            SessionState::NeedsReauth
        } else {
            SessionState::Expiring
        }
    }

    /// When the next refresh is due (ms since the epoch; a time in the past means now), or
    /// `None` when none is planned: no tokens, no refresh token, no expiry, a refresh in
    /// flight, or `NeedsReauth`. A host timer can wake up then (quinn's `poll_timeout`).
    pub fn next_refresh_due_ms(&self) -> Option<u64> {
        if self.needs_reauth.is_some() || self.in_flight.is_some() {
            return None;
        }
        let t = self.pending_save().or(self.current.as_ref())?;
        t.refresh_token.as_ref()?;
        let blocked_until = self.blocked.as_ref().map_or(0, |(until, _)| *until);
        let due = if self.is_rejected(t) {
            0
        } else {
            self.refresh_point(t)?
        };
        Some(due.max(blocked_until))
    }

    /// What a caller should do now.
    pub fn decide(&self, now_ms: u64) -> Decision {
        if let Some((err, _)) = &self.needs_reauth {
            return Decision::NeedsReauth(err.clone());
        }
        if self.awaiting_reload.is_some() || self.reload_after_conflict {
            return Decision::Reload;
        }
        if self.pending.is_some() {
            return Decision::PersistPending;
        }
        let Some(t) = &self.current else {
            return if self.in_flight.is_some() {
                Decision::AwaitRefresh
            } else {
                Decision::Empty
            };
        };
        let usable = self.usable(t, now_ms);
        let use_it = || Decision::UseAccessToken(BearerToken(t.access_token.clone()));
        if self.in_flight.is_some() {
            return if usable {
                use_it()
            } else {
                Decision::AwaitRefresh
            };
        }
        if !self.refresh_due(t, now_ms) {
            return use_it();
        }
        if t.refresh_token.is_none() {
            return if usable {
                use_it()
            } else {
                Decision::NeedsReauth(Error::new(
                    ErrorCode::NeedsReauth,
                    "the access token expired and there is no refresh token: authorize again",
                ))
            };
        }
        if let Some((until, err)) = &self.blocked {
            if now_ms < *until {
                if usable {
                    return use_it();
                }
                let mut err = err.clone();
                if err.code == ErrorCode::RateLimited {
                    err.retry_after = Some((*until - now_ms) as f64 / 1000.0);
                }
                return Decision::Backoff(err);
            }
        }
        Decision::Refresh
    }

    fn is_rejected(&self, t: &TokenSet) -> bool {
        self.rejected_access_token.as_ref() == Some(&t.access_token)
    }

    fn usable(&self, t: &TokenSet, now_ms: u64) -> bool {
        !self.is_rejected(t) && t.expires_at_ms.is_none_or(|at| now_ms < at)
    }

    fn refresh_due(&self, t: &TokenSet, now_ms: u64) -> bool {
        self.is_rejected(t) || self.refresh_point(t).is_some_and(|due| now_ms >= due)
    }

    /// `expires_at − skew`, but for a token this session just obtained never before half its
    /// lifetime has passed (a provider's lifetime can be shorter than the skew window).
    fn refresh_point(&self, t: &TokenSet) -> Option<u64> {
        let at = t.expires_at_ms?;
        let due = at.saturating_sub(self.config.skew_ms);
        Some(match &self.obtained {
            Some((token, obtained)) if token == &t.access_token && *obtained < at => {
                due.max(obtained + (at - obtained) / 2)
            }
            _ => due,
        })
    }

    /// The refresh_token grant request for the current refresh token; the session is
    /// `Refreshing` until the response (or transport error) is handed back. Also the next
    /// attempt after a [`RefreshOutcome::Retry`].
    pub fn begin_refresh(&mut self, client: &ClientConfig, _now_ms: u64) -> Result<Request> {
        if let Some((err, _)) = &self.needs_reauth {
            return Err(err.clone());
        }
        if self.pending.is_some() || self.awaiting_reload.is_some() || self.reload_after_conflict {
            return Err(Error::new(
                ErrorCode::Internal,
                "begin_refresh called while the session waits for a save or a reload",
            ));
        }
        let (base, attempts) = match &self.in_flight {
            Some(f) if f.sent => {
                return Err(Error::new(
                    ErrorCode::Internal,
                    "a refresh is already in flight (single flight)",
                ))
            }
            Some(f) => (f.base.clone(), f.attempts),
            None => match &self.current {
                Some(t) => (t.clone(), 0),
                None => {
                    return Err(Error::new(
                        ErrorCode::NeedsReauth,
                        "there are no tokens to refresh: authorize first",
                    ))
                }
            },
        };
        let Some(refresh_token) = base.refresh_token.clone() else {
            return Err(Error::new(
                ErrorCode::NeedsReauth,
                "there is no refresh token: authorize again",
            ));
        };
        let request = token_request(
            client,
            &Grant::RefreshToken {
                refresh_token,
                scope: None,
            },
        )?;
        self.in_flight = Some(InFlight {
            base,
            attempts: attempts + 1,
            sent: true,
        });
        Ok(request)
    }

    /// Takes the token endpoint's answer to [`Session::begin_refresh`]. `random` is a random
    /// `u32` for the backoff jitter.
    pub fn on_refresh_response(
        &mut self,
        client: &ClientConfig,
        response: &Response,
        random: u32,
        now_ms: u64,
    ) -> RefreshOutcome {
        let Some(flight) = self.in_flight.take().filter(|f| f.sent) else {
            return RefreshOutcome::Failed(Error::new(
                ErrorCode::Internal,
                "on_refresh_response without a refresh in flight",
            ));
        };
        let err = if response.is_success() {
            match parse_token_response(client, response, now_ms) {
                Ok(tokens) => {
                    self.obtained = Some((tokens.access_token.clone(), now_ms));
                    return self.refreshed(tokens, &flight.base);
                }
                Err(e) => e,
            }
        } else {
            token_error(response, client.provider.as_deref(), now_ms)
        };
        match err.code {
            ErrorCode::OAuthInvalidGrant => self.invalid_grant(flight, err),
            ErrorCode::RateLimited => self.retry_or_give_up(flight, err, random, now_ms),
            _ => {
                self.block(now_ms, self.config.retry.base_ms, err.clone());
                RefreshOutcome::Failed(err)
            }
        }
    }

    /// The refresh request could not be sent or its response not read (`fetch` threw, body
    /// truncated): retried like a 503, then `Failed(error)`.
    pub fn on_refresh_error(&mut self, error: Error, random: u32, now_ms: u64) -> RefreshOutcome {
        let Some(flight) = self.in_flight.take().filter(|f| f.sent) else {
            return RefreshOutcome::Failed(error);
        };
        match self.config.retry.delay_ms(flight.attempts, None, random) {
            Some(delay_ms) => {
                self.in_flight = Some(InFlight {
                    sent: false,
                    ..flight
                });
                RefreshOutcome::Retry { delay_ms }
            }
            None => {
                self.block(now_ms, self.config.retry.base_ms, error.clone());
                RefreshOutcome::Failed(error)
            }
        }
    }

    fn refreshed(&mut self, tokens: TokenSet, base: &TokenSet) -> RefreshOutcome {
        let tokens = tokens.merge_refresh(base);
        self.pending = Some((tokens.clone(), base.refresh_token.clone()));
        self.reloaded_refresh_token = None;
        self.blocked = None;
        RefreshOutcome::Save(tokens)
    }

    fn invalid_grant(&mut self, flight: InFlight, err: Error) -> RefreshOutcome {
        let failed_rt = flight.base.refresh_token.clone().unwrap_or_default();
        let already_reloaded = self.reloaded_refresh_token.as_ref() == Some(&failed_rt);
        if already_reloaded {
            let reauth = needs_reauth_error(&err);
            self.needs_reauth = Some((reauth.clone(), Some(flight.base)));
            self.reloaded_refresh_token = None;
            RefreshOutcome::NeedsReauth(reauth)
        } else {
            self.awaiting_reload = Some((failed_rt, err));
            RefreshOutcome::ReloadThenRetry
        }
    }

    fn retry_or_give_up(
        &mut self,
        flight: InFlight,
        mut err: Error,
        random: u32,
        now_ms: u64,
    ) -> RefreshOutcome {
        let retry_after_ms = err.retry_after.map(|s| (s * 1000.0) as u64);
        match self
            .config
            .retry
            .delay_ms(flight.attempts, retry_after_ms, random)
        {
            Some(delay_ms) => {
                self.in_flight = Some(InFlight {
                    sent: false,
                    ..flight
                });
                RefreshOutcome::Retry { delay_ms }
            }
            None => {
                let wait = retry_after_ms.unwrap_or(self.config.retry.max_ms);
                err.retry_after = Some(wait as f64 / 1000.0);
                self.block(now_ms, wait, err.clone());
                RefreshOutcome::RateLimited(err)
            }
        }
    }

    fn block(&mut self, now_ms: u64, for_ms: u64, err: Error) {
        self.blocked = Some((now_ms.saturating_add(for_ms), err));
    }

    /// The store saved [`Session::pending_save`] under `version`: the new tokens become
    /// current and are handed out from now on.
    pub fn on_saved(&mut self, version: String) {
        if let Some((tokens, _)) = self.pending.take() {
            if let Some(rejected) = &self.rejected_access_token {
                if rejected != &tokens.access_token {
                    self.rejected_access_token = None;
                }
            }
            self.current = Some(tokens);
            self.version = Some(version);
        }
    }

    /// Saving failed. The tokens stay pending in memory (nothing is lost) and the next
    /// [`Session::decide`] asks to save again; on a compare-and-set `conflict` it first asks
    /// for a reload, which resolves per the module-doc rule. Returns the error to raise:
    /// `STORE_CONFLICT` or `STORE_ERROR`.
    pub fn on_save_failed(&mut self, conflict: bool) -> Error {
        if conflict {
            self.reload_after_conflict = true;
            Error::new(
                ErrorCode::StoreConflict,
                "another writer saved tokens first; the session re-loads them before saving again",
            )
        } else {
            Error::new(
                ErrorCode::StoreError,
                "saving the new tokens failed; they are kept in memory and the next call saves \
                 them again",
            )
        }
    }

    /// Classifies an API response (see [`ApiResult`]): a 401 with a token believed valid marks
    /// that token rejected (so [`Session::decide`] refreshes, once per token) and asks for one
    /// retry, unless this call already retried, the challenge says a refresh cannot help
    /// (`insufficient_scope`, `invalid_request`, RFC 6750 §3.1), or there is no refresh token
    /// (a static token: the 401 goes to the caller). 429/503 are retried per the policy.
    pub fn on_api_response(
        &mut self,
        result: &ApiResult<'_>,
        random: u32,
        now_ms: u64,
    ) -> ApiDecision {
        if result.status == 401 {
            if result.auth_retried {
                return ApiDecision::Done;
            }
            if let Some(error) = result.www_authenticate.and_then(bearer_error) {
                if error.eq_ignore_ascii_case("insufficient_scope")
                    || error.eq_ignore_ascii_case("invalid_request")
                {
                    return ApiDecision::Done;
                }
            }
            let Some(current) = &self.current else {
                return ApiDecision::Done;
            };
            if current.refresh_token.is_none() {
                return ApiDecision::Done;
            }
            let used = result.used_access_token.as_bytes();
            if constant_time_eq(used, current.access_token.expose().as_bytes()) {
                self.rejected_access_token = Some(current.access_token.clone());
            }
            // Otherwise the token was already replaced: retrying with the new one is enough.
            return ApiDecision::RefreshAndRetryOnce;
        }
        if is_retryable_status(result.status) {
            let retry_after_ms = result
                .retry_after
                .and_then(|v| parse_retry_after(v, now_ms));
            return match self
                .config
                .retry
                .delay_ms(result.attempt, retry_after_ms, random)
            {
                Some(delay_ms) => ApiDecision::Retry { delay_ms },
                None => ApiDecision::RateLimited(
                    Error::new(
                        ErrorCode::RateLimited,
                        concat(&[
                            "the API is rate limiting (HTTP ",
                            &decimal(result.status.into()),
                            ")",
                        ]),
                    )
                    .with_status(result.status)
                    .with_retry_after(retry_after_ms.map(|ms| ms as f64 / 1000.0)),
                ),
            };
        }
        ApiDecision::Done
    }
}

/// Same access and refresh token (the version and expiry may differ).
fn same_tokens(a: &TokenSet, b: &TokenSet) -> bool {
    a.access_token == b.access_token && a.refresh_token == b.refresh_token
}

/// `a` expires no earlier than `b` (no expiry = never).
fn expires_no_earlier(a: &TokenSet, b: &TokenSet) -> bool {
    match (a.expires_at_ms, b.expires_at_ms) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(x), Some(y)) => x >= y,
    }
}

fn needs_reauth_error(cause: &Error) -> Error {
    let mut err = cause.clone();
    err.code = ErrorCode::NeedsReauth;
    err.message =
        "the refresh token was rejected (invalid_grant): the user must authorize again".to_owned();
    err
}

/// The `error` auth-param of a `WWW-Authenticate: Bearer …` challenge (RFC 6750 §3).
fn bearer_error(header: &str) -> Option<String> {
    let rest = header.trim();
    let scheme_end = rest.find(' ').unwrap_or(rest.len());
    if !rest[..scheme_end].eq_ignore_ascii_case("bearer") {
        return None;
    }
    for part in rest[scheme_end..].split(',') {
        let Some((key, value)) = part.split_once('=') else {
            continue;
        };
        if key.trim().eq_ignore_ascii_case("error") {
            return Some(value.trim().trim_matches('"').to_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::oauth2::client::ClientAuth;

    const T0: u64 = 1_700_000_000_000;
    const HOUR: u64 = 3_600_000;
    const SKEW: u64 = 60_000;

    fn client() -> ClientConfig {
        ClientConfig::new("app", "https://as.example/token")
            .with_secret("s")
            .with_auth(ClientAuth::Post)
    }

    fn tokens(access: &str, refresh: Option<&str>, expires_at: Option<u64>) -> TokenSet {
        TokenSet {
            refresh_token: refresh.map(Secret::from),
            expires_at_ms: expires_at,
            ..TokenSet::bearer(access)
        }
    }

    fn stored(t: TokenSet, version: &str) -> Option<StoredTokens> {
        Some(StoredTokens {
            tokens: t,
            version: version.into(),
        })
    }

    fn loaded(t: TokenSet) -> Session {
        let mut s = Session::new(SessionConfig::default());
        s.load(stored(t, "v1"));
        s
    }

    fn json(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    fn ok(access: &str, refresh: Option<&str>) -> Response {
        match refresh {
            Some(r) => json(
                200,
                &format!(
                    r#"{{"access_token":"{access}","refresh_token":"{r}","token_type":"bearer","expires_in":3600}}"#
                ),
            ),
            None => json(
                200,
                &format!(
                    r#"{{"access_token":"{access}","token_type":"bearer","expires_in":3600}}"#
                ),
            ),
        }
    }

    fn invalid_grant() -> Response {
        json(
            400,
            r#"{"error":"invalid_grant","error_description":"used"}"#,
        )
    }

    fn use_token(d: Decision) -> String {
        match d {
            Decision::UseAccessToken(t) => t.token().expose().to_owned(),
            other => panic!("expected UseAccessToken, got {other:?}"),
        }
    }

    fn body_of(req: &Request) -> String {
        String::from_utf8(req.body.clone().unwrap()).unwrap()
    }

    /// Drives a refresh to the saved state; returns the request body sent.
    fn refresh_and_save(s: &mut Session, response: Response, now: u64, version: &str) -> String {
        assert_eq!(s.decide(now), Decision::Refresh);
        let req = s.begin_refresh(&client(), now).unwrap();
        match s.on_refresh_response(&client(), &response, 0, now) {
            RefreshOutcome::Save(_) => {}
            other => panic!("expected Save, got {other:?}"),
        }
        assert_eq!(s.decide(now), Decision::PersistPending);
        s.on_saved(version.into());
        body_of(&req)
    }

    #[test]
    fn empty_session() {
        let s = Session::new(SessionConfig::default());
        assert_eq!(s.state(T0), SessionState::Empty);
        assert_eq!(s.decide(T0), Decision::Empty);
        assert_eq!(s.next_refresh_due_ms(), None);
        let mut s = s;
        assert_eq!(
            s.begin_refresh(&client(), T0).unwrap_err().code,
            ErrorCode::NeedsReauth
        );
        s.load(None);
        assert_eq!(s.state(T0), SessionState::Empty);
    }

    #[test]
    fn skew_window_boundaries() {
        let exp = T0 + HOUR;
        let s = loaded(tokens("a1", Some("r1"), Some(exp)));
        assert_eq!(s.next_refresh_due_ms(), Some(exp - SKEW));
        // One ms before the refresh point: valid.
        assert_eq!(s.state(exp - SKEW - 1), SessionState::Valid);
        assert_eq!(use_token(s.decide(exp - SKEW - 1)), "a1");
        // Exactly at the refresh point: expiring, refresh.
        assert_eq!(s.state(exp - SKEW), SessionState::Expiring);
        assert_eq!(s.decide(exp - SKEW), Decision::Refresh);
        // Exactly at expiry and after.
        assert_eq!(s.state(exp), SessionState::Expiring);
        assert_eq!(s.decide(exp), Decision::Refresh);
        assert_eq!(s.decide(exp + HOUR), Decision::Refresh);
        // A configurable skew.
        let mut s = Session::new(SessionConfig {
            skew_ms: 0,
            ..Default::default()
        });
        s.load(stored(tokens("a1", Some("r1"), Some(exp)), "v1"));
        assert_eq!(s.state(exp - 1), SessionState::Valid);
        assert_eq!(s.state(exp), SessionState::Expiring);
        // A skew larger than the whole lifetime does not underflow.
        let mut s = Session::new(SessionConfig {
            skew_ms: u64::MAX,
            ..Default::default()
        });
        s.load(stored(tokens("a1", Some("r1"), Some(exp)), "v1"));
        assert_eq!(s.next_refresh_due_ms(), Some(0));
        assert_eq!(s.decide(0), Decision::Refresh);
    }

    #[test]
    fn refresh_within_skew_window_rotates_and_persists_before_release() {
        let exp = T0 + HOUR;
        let mut s = loaded(tokens("a1", Some("r1"), Some(exp)));
        let now = exp - SKEW + 5;
        assert_eq!(s.decide(now), Decision::Refresh);
        let req = s.begin_refresh(&client(), now).unwrap();
        assert_eq!(req.method, "POST");
        assert_eq!(req.url, "https://as.example/token");
        assert_eq!(
            body_of(&req),
            "grant_type=refresh_token&refresh_token=r1&client_id=app&client_secret=s"
        );
        assert_eq!(s.state(now), SessionState::Refreshing);
        assert_eq!(s.next_refresh_due_ms(), None);
        // Others keep using the still-valid token meanwhile …
        assert_eq!(use_token(s.decide(now)), "a1");
        // … until it expires; then they wait for the refresh.
        assert_eq!(s.decide(exp), Decision::AwaitRefresh);
        // A second refresh cannot start (single flight).
        assert_eq!(
            s.begin_refresh(&client(), now).unwrap_err().code,
            ErrorCode::Internal
        );
        let outcome = s.on_refresh_response(&client(), &ok("a2", Some("r2")), 0, now);
        let RefreshOutcome::Save(new) = outcome else {
            panic!("{outcome:?}")
        };
        assert_eq!(new.access_token.expose(), "a2");
        assert_eq!(new.refresh_token.as_ref().unwrap().expose(), "r2");
        assert_eq!(new.expires_at_ms, Some(now + HOUR));
        // Rotated tokens are not released before they are persisted.
        assert_eq!(s.pending_save(), Some(&new));
        assert_eq!(s.decide(now), Decision::PersistPending);
        assert_eq!(s.expected_version(), Some("v1"));
        assert_eq!(s.tokens().unwrap().access_token.expose(), "a1");
        s.on_saved("v2".into());
        assert_eq!(s.pending_save(), None);
        assert_eq!(s.expected_version(), Some("v2"));
        assert_eq!(use_token(s.decide(now)), "a2");
        assert_eq!(s.state(now), SessionState::Valid);
        assert_eq!(s.next_refresh_due_ms(), Some(now + HOUR - SKEW));
    }

    #[test]
    fn refresh_without_new_refresh_token_keeps_the_old_one() {
        let mut s = loaded(tokens("a1", Some("r1"), Some(T0)));
        refresh_and_save(&mut s, ok("a2", None), T0, "v2");
        let t = s.tokens().unwrap();
        assert_eq!(t.access_token.expose(), "a2");
        assert_eq!(t.refresh_token.as_ref().unwrap().expose(), "r1");
        // The next refresh uses r1 again.
        let body = refresh_and_save(&mut s, ok("a3", None), T0 + 2 * HOUR, "v3");
        assert!(body.contains("refresh_token=r1&"), "{body}");
    }

    #[test]
    fn invalid_grant_then_reload_with_a_different_refresh_token_succeeds() {
        let mut s = loaded(tokens("a1", Some("r1"), Some(T0)));
        assert_eq!(s.decide(T0), Decision::Refresh);
        s.begin_refresh(&client(), T0).unwrap();
        let outcome = s.on_refresh_response(&client(), &invalid_grant(), 0, T0);
        assert_eq!(outcome, RefreshOutcome::ReloadThenRetry);
        assert_eq!(s.state(T0), SessionState::Refreshing);
        assert_eq!(s.decide(T0), Decision::Reload);
        // Another instance rotated r1 → r2, and its access token is still fresh: used as is.
        s.load(stored(tokens("a2", Some("r2"), Some(T0 + HOUR)), "v2"));
        assert_eq!(use_token(s.decide(T0)), "a2");
        assert_eq!(s.expected_version(), Some("v2"));
        // Or it is due too: the refresh goes out with r2 and succeeds.
        let mut s = loaded(tokens("a1", Some("r1"), Some(T0)));
        s.begin_refresh(&client(), T0).unwrap();
        s.on_refresh_response(&client(), &invalid_grant(), 0, T0);
        s.load(stored(tokens("a2", Some("r2"), Some(T0)), "v2"));
        let body = refresh_and_save(&mut s, ok("a3", Some("r3")), T0, "v3");
        assert!(body.contains("refresh_token=r2&"), "{body}");
        assert_eq!(use_token(s.decide(T0)), "a3");
        // The reload allowance is renewed after a success: a later invalid_grant reloads again.
        s.begin_refresh(&client(), T0 + HOUR).unwrap();
        assert_eq!(
            s.on_refresh_response(&client(), &invalid_grant(), 0, T0 + HOUR),
            RefreshOutcome::ReloadThenRetry
        );
    }

    #[test]
    fn invalid_grant_twice_needs_reauth() {
        // Reload yields the same refresh token: needs_reauth without another request.
        let mut s = loaded(tokens("a1", Some("r1"), Some(T0)));
        s.begin_refresh(&client(), T0).unwrap();
        s.on_refresh_response(&client(), &invalid_grant(), 0, T0);
        s.load(stored(tokens("a1", Some("r1"), Some(T0)), "v1"));
        assert_eq!(s.state(T0), SessionState::NeedsReauth);
        let Decision::NeedsReauth(err) = s.decide(T0) else {
            panic!()
        };
        assert_eq!(err.code, ErrorCode::NeedsReauth);
        assert_eq!(err.provider_code.as_deref(), Some("invalid_grant"));
        assert_eq!(err.provider_description.as_deref(), Some("used"));
        assert_eq!(err.status, Some(400));
        assert_eq!(s.next_refresh_due_ms(), None);
        assert_eq!(
            s.begin_refresh(&client(), T0).unwrap_err().code,
            ErrorCode::NeedsReauth
        );
        // Re-loading the same dead tokens changes nothing.
        s.load(stored(tokens("a1", Some("r1"), Some(T0)), "v1"));
        assert_eq!(s.state(T0), SessionState::NeedsReauth);
        // Another tab authorized again: recovered.
        s.load(stored(tokens("b1", Some("q1"), Some(T0 + HOUR)), "v9"));
        assert_eq!(use_token(s.decide(T0)), "b1");

        // Reload yields another token that is rejected too: needs_reauth.
        let mut s = loaded(tokens("a1", Some("r1"), Some(T0)));
        s.begin_refresh(&client(), T0).unwrap();
        s.on_refresh_response(&client(), &invalid_grant(), 0, T0);
        s.load(stored(tokens("a2", Some("r2"), Some(T0)), "v2"));
        assert_eq!(s.decide(T0), Decision::Refresh);
        s.begin_refresh(&client(), T0).unwrap();
        let outcome = s.on_refresh_response(&client(), &invalid_grant(), 0, T0);
        let RefreshOutcome::NeedsReauth(err) = outcome else {
            panic!("{outcome:?}")
        };
        assert_eq!(err.code, ErrorCode::NeedsReauth);
        assert_eq!(s.state(T0), SessionState::NeedsReauth);

        // An empty store after invalid_grant: needs_reauth too.
        let mut s = loaded(tokens("a1", Some("r1"), Some(T0)));
        s.begin_refresh(&client(), T0).unwrap();
        s.on_refresh_response(&client(), &invalid_grant(), 0, T0);
        s.load(None);
        assert_eq!(s.state(T0), SessionState::NeedsReauth);
    }

    #[test]
    fn save_failure_keeps_tokens_and_retries_the_save() {
        let mut s = loaded(tokens("a1", Some("r1"), Some(T0)));
        s.begin_refresh(&client(), T0).unwrap();
        let RefreshOutcome::Save(new) =
            s.on_refresh_response(&client(), &ok("a2", Some("r2")), 0, T0)
        else {
            panic!()
        };
        let err = s.on_save_failed(false);
        assert_eq!(err.code, ErrorCode::StoreError);
        // Kept in memory, not released, and the next call saves again.
        assert_eq!(s.pending_save(), Some(&new));
        assert_eq!(s.decide(T0 + 1), Decision::PersistPending);
        assert_eq!(s.state(T0 + 1), SessionState::Valid);
        assert_eq!(s.expected_version(), Some("v1"));
        // Not even a refresh may start from the old tokens now.
        assert_eq!(
            s.begin_refresh(&client(), T0 + 1).unwrap_err().code,
            ErrorCode::Internal
        );
        s.on_saved("v2".into());
        assert_eq!(use_token(s.decide(T0 + 1)), "a2");
        assert_eq!(
            s.tokens().unwrap().refresh_token.as_ref().unwrap().expose(),
            "r2"
        );
    }

    #[test]
    fn save_conflict_rules() {
        let pending_after_refresh = || {
            let mut s = loaded(tokens("a1", Some("r1"), Some(T0)));
            s.begin_refresh(&client(), T0).unwrap();
            s.on_refresh_response(&client(), &ok("a2", Some("r2")), 0, T0);
            assert_eq!(s.on_save_failed(true).code, ErrorCode::StoreConflict);
            assert_eq!(s.decide(T0), Decision::Reload);
            s
        };
        // The store holds newer tokens from another instance (expiring later): adopt them.
        let mut s = pending_after_refresh();
        s.load(stored(tokens("x2", Some("y2"), Some(T0 + HOUR + 1)), "v5"));
        assert_eq!(s.pending_save(), None);
        assert_eq!(use_token(s.decide(T0)), "x2");
        // Same expiry: the store wins the tie.
        let mut s = pending_after_refresh();
        s.load(stored(tokens("x2", Some("y2"), Some(T0 + HOUR)), "v5"));
        assert_eq!(use_token(s.decide(T0)), "x2");
        // Older than ours: ours stay pending, saved against the store's new version.
        let mut s = pending_after_refresh();
        s.load(stored(tokens("x2", Some("y2"), Some(T0 + HOUR - 1)), "v5"));
        assert_eq!(s.decide(T0), Decision::PersistPending);
        assert_eq!(s.expected_version(), Some("v5"));
        s.on_saved("v6".into());
        assert_eq!(use_token(s.decide(T0)), "a2");
        // The store still holds our base (only its version moved): ours stay pending.
        let mut s = pending_after_refresh();
        s.load(stored(tokens("a1", Some("r1"), Some(T0 + 9 * HOUR)), "v3"));
        assert_eq!(s.decide(T0), Decision::PersistPending);
        assert_eq!(s.expected_version(), Some("v3"));
        // The store holds exactly ours (the save went through after all).
        let mut s = pending_after_refresh();
        let ours = s.pending_save().unwrap().clone();
        s.load(stored(ours, "v4"));
        assert_eq!(s.pending_save(), None);
        assert_eq!(use_token(s.decide(T0)), "a2");
        assert_eq!(s.expected_version(), Some("v4"));
        // The store is empty: ours stay pending, to be created.
        let mut s = pending_after_refresh();
        s.load(None);
        assert_eq!(s.decide(T0), Decision::PersistPending);
        assert_eq!(s.expected_version(), None);
    }

    #[test]
    fn rate_limited_refresh_backs_off_then_reports() {
        let exp = T0 + HOUR;
        let mut s = loaded(tokens("a1", Some("r1"), Some(exp)));
        let mut limited = json(429, r#"{"error":"rate_limited"}"#);
        limited.headers.push(("Retry-After".into(), "1".into()));
        let now = exp - SKEW;
        s.begin_refresh(&client(), now).unwrap();
        // Attempt 1 → wait Retry-After (1 s) + jitter ≤ base (250 ms).
        let out = s.on_refresh_response(&client(), &limited, u32::MAX, now);
        assert_eq!(out, RefreshOutcome::Retry { delay_ms: 1_250 });
        assert_eq!(s.state(now), SessionState::Refreshing);
        // Waiting out the backoff: the old token is still good.
        assert_eq!(use_token(s.decide(now)), "a1");
        let again = s.begin_refresh(&client(), now + 1_250).unwrap();
        assert!(body_of(&again).contains("refresh_token=r1&"));
        let out = s.on_refresh_response(&client(), &limited, 0, now + 1_250);
        assert_eq!(out, RefreshOutcome::Retry { delay_ms: 1_000 });
        s.begin_refresh(&client(), now + 2_250).unwrap();
        // Third attempt = max_attempts: give up with RATE_LIMITED.
        let out = s.on_refresh_response(&client(), &limited, 0, now + 2_250);
        let RefreshOutcome::RateLimited(err) = out else {
            panic!("{out:?}")
        };
        assert_eq!(err.code, ErrorCode::RateLimited);
        assert_eq!(err.retry_after, Some(1.0));
        assert_eq!(err.status, Some(429));
        // The token is still valid: callers use it; no refresh until the backoff ends.
        let t = now + 2_250;
        assert_eq!(use_token(s.decide(t)), "a1");
        assert_eq!(s.next_refresh_due_ms(), Some(t + 1_000));
        assert_eq!(s.decide(t + 1_000), Decision::Refresh);
        // Past expiry inside the backoff: the typed error, with the remaining wait.
        s.blocked = Some((exp + 500, err));
        let Decision::Backoff(e) = s.decide(exp) else {
            panic!()
        };
        assert_eq!(e.code, ErrorCode::RateLimited);
        assert_eq!(e.retry_after, Some(0.5));
    }

    #[test]
    fn retry_after_too_long_gives_up_at_once() {
        let mut s = loaded(tokens("a1", Some("r1"), Some(T0)));
        let mut limited = json(503, "");
        limited.headers.push(("Retry-After".into(), "3600".into()));
        s.begin_refresh(&client(), T0).unwrap();
        let RefreshOutcome::RateLimited(err) = s.on_refresh_response(&client(), &limited, 0, T0)
        else {
            panic!()
        };
        assert_eq!(err.retry_after, Some(3600.0));
        assert!(matches!(s.decide(T0), Decision::Backoff(_)));
        assert_eq!(s.decide(T0 + 3_600_000), Decision::Refresh);
    }

    #[test]
    fn other_failures_and_transport_errors() {
        let mut s = loaded(tokens("a1", Some("r1"), Some(T0)));
        s.begin_refresh(&client(), T0).unwrap();
        let out = s.on_refresh_response(
            &client(),
            &json(401, r#"{"error":"invalid_client"}"#),
            0,
            T0,
        );
        let RefreshOutcome::Failed(err) = out else {
            panic!()
        };
        assert_eq!(err.code, ErrorCode::OAuthInvalidClient);
        // Blocked for base_ms, then refreshable again: one attempt per window, never a loop.
        assert!(matches!(s.decide(T0 + 249), Decision::Backoff(_)));
        assert_eq!(s.decide(T0 + 250), Decision::Refresh);
        // Malformed success.
        s.begin_refresh(&client(), T0 + 250).unwrap();
        let out = s.on_refresh_response(&client(), &json(200, "{\"access_"), 0, T0 + 250);
        assert!(matches!(out, RefreshOutcome::Failed(ref e) if e.code == ErrorCode::Parse));
        // Transport errors are retried, then reported.
        let mut s = loaded(tokens("a1", Some("r1"), Some(T0)));
        let net = Error::new(ErrorCode::Network, "connection reset");
        s.begin_refresh(&client(), T0).unwrap();
        assert!(matches!(
            s.on_refresh_error(net.clone(), 0, T0),
            RefreshOutcome::Retry { .. }
        ));
        s.begin_refresh(&client(), T0).unwrap();
        assert!(matches!(
            s.on_refresh_error(net.clone(), 0, T0),
            RefreshOutcome::Retry { .. }
        ));
        s.begin_refresh(&client(), T0).unwrap();
        assert_eq!(
            s.on_refresh_error(net.clone(), 0, T0),
            RefreshOutcome::Failed(net.clone())
        );
        // Stray calls are harmless.
        assert!(matches!(
            s.on_refresh_response(&client(), &ok("x", None), 0, T0),
            RefreshOutcome::Failed(ref e) if e.code == ErrorCode::Internal
        ));
        assert_eq!(
            s.on_refresh_error(net.clone(), 0, T0),
            RefreshOutcome::Failed(net)
        );
    }

    #[test]
    fn api_401_refreshes_once_and_never_loops() {
        let mut s = loaded(tokens("a1", Some("r1"), Some(T0 + HOUR)));
        let result = |token: &'static str, retried: bool| ApiResult {
            status: 401,
            www_authenticate: Some(
                r#"Bearer realm="sim", error="invalid_token", error_description="The access token expired""#,
            ),
            retry_after: None,
            used_access_token: token,
            attempt: 1,
            auth_retried: retried,
        };
        assert_eq!(
            s.on_api_response(&result("a1", false), 0, T0),
            ApiDecision::RefreshAndRetryOnce
        );
        // The token believed valid is now rejected: refresh, even though not yet expiring.
        assert_eq!(s.state(T0), SessionState::Expiring);
        assert_eq!(s.next_refresh_due_ms(), Some(0));
        assert_eq!(s.decide(T0), Decision::Refresh);
        s.begin_refresh(&client(), T0).unwrap();
        // Concurrent callers do not get the rejected token while the refresh runs.
        assert_eq!(s.decide(T0), Decision::AwaitRefresh);
        // A second concurrent 401 on the same token asks for a retry, not a second refresh.
        assert_eq!(
            s.on_api_response(&result("a1", false), 0, T0),
            ApiDecision::RefreshAndRetryOnce
        );
        assert_eq!(s.decide(T0), Decision::AwaitRefresh);
        s.on_refresh_response(&client(), &ok("a2", Some("r2")), 0, T0);
        s.on_saved("v2".into());
        assert_eq!(use_token(s.decide(T0)), "a2");
        // The retried request fails again: Done, no loop.
        assert_eq!(
            s.on_api_response(&result("a2", true), 0, T0),
            ApiDecision::Done
        );
        // A late 401 for the old token: just retry with the new one.
        assert_eq!(
            s.on_api_response(&result("a1", false), 0, T0),
            ApiDecision::RefreshAndRetryOnce
        );
        assert_eq!(use_token(s.decide(T0)), "a2");
    }

    #[test]
    fn api_401_that_a_refresh_cannot_fix() {
        let mut s = loaded(tokens("a1", Some("r1"), Some(T0 + HOUR)));
        let r = |hdr: &'static str| ApiResult {
            status: 401,
            www_authenticate: Some(hdr),
            retry_after: None,
            used_access_token: "a1",
            attempt: 1,
            auth_retried: false,
        };
        assert_eq!(
            s.on_api_response(
                &r(r#"Bearer error="insufficient_scope", scope="admin""#),
                0,
                T0
            ),
            ApiDecision::Done
        );
        assert_eq!(
            s.on_api_response(&r("Bearer error=invalid_request"), 0, T0),
            ApiDecision::Done
        );
        assert_eq!(use_token(s.decide(T0)), "a1");
        // A static token (ClassLink): no refresh token, the 401 goes to the caller.
        let mut s = loaded(TokenSet::bearer("static"));
        assert_eq!(
            s.on_api_response(&r(r#"Bearer realm="classlink""#), 0, T0),
            ApiDecision::Done
        );
        assert_eq!(use_token(s.decide(T0)), "static");
    }

    #[test]
    fn api_rate_limits() {
        let mut s = loaded(tokens("a1", Some("r1"), Some(T0 + HOUR)));
        let r = |status, attempt, retry_after| ApiResult {
            status,
            www_authenticate: None,
            retry_after,
            used_access_token: "a1",
            attempt,
            auth_retried: false,
        };
        assert_eq!(
            s.on_api_response(&r(429, 1, Some("2")), 0, T0),
            ApiDecision::Retry { delay_ms: 2_000 }
        );
        assert_eq!(
            s.on_api_response(&r(503, 2, None), u32::MAX, T0),
            ApiDecision::Retry { delay_ms: 500 }
        );
        let ApiDecision::RateLimited(err) = s.on_api_response(&r(429, 3, Some("7")), 0, T0) else {
            panic!()
        };
        assert_eq!(err.code, ErrorCode::RateLimited);
        assert_eq!(err.retry_after, Some(7.0));
        assert_eq!(err.status, Some(429));
        for status in [200, 204, 403, 404, 500] {
            assert_eq!(
                s.on_api_response(&r(status, 1, None), 0, T0),
                ApiDecision::Done
            );
        }
    }

    #[test]
    fn static_and_non_expiring_tokens() {
        let s = loaded(TokenSet::bearer("static"));
        assert_eq!(s.state(u64::MAX), SessionState::Valid);
        assert_eq!(use_token(s.decide(u64::MAX)), "static");
        assert_eq!(s.next_refresh_due_ms(), None);
        // An expiring token without a refresh token: usable until expiry, then needs_reauth.
        let s = loaded(tokens("a1", None, Some(T0)));
        assert_eq!(use_token(s.decide(T0 - 1)), "a1");
        assert_eq!(s.state(T0 - 1), SessionState::Expiring);
        assert_eq!(s.next_refresh_due_ms(), None);
        assert!(matches!(s.decide(T0), Decision::NeedsReauth(_)));
        assert_eq!(s.state(T0), SessionState::NeedsReauth);
    }

    #[test]
    fn new_tokens_from_authorization_are_persisted_first() {
        let mut s = Session::new(SessionConfig::default());
        s.set_new_tokens(tokens("a1", Some("r1"), Some(T0 + HOUR)));
        assert_eq!(s.state(T0), SessionState::Valid);
        assert_eq!(s.decide(T0), Decision::PersistPending);
        assert_eq!(s.expected_version(), None);
        s.on_saved("v1".into());
        assert_eq!(use_token(s.decide(T0)), "a1");
        // Re-authorizing out of needs_reauth.
        s.needs_reauth = Some((Error::new(ErrorCode::NeedsReauth, "x"), None));
        s.set_new_tokens(tokens("b1", Some("q1"), Some(T0 + HOUR)));
        assert_eq!(s.decide(T0), Decision::PersistPending);
        s.on_saved("v2".into());
        assert_eq!(use_token(s.decide(T0)), "b1");
        s.clear();
        assert_eq!(s.decide(T0), Decision::Empty);
        assert_eq!(s.expected_version(), None);
    }

    #[test]
    fn reload_before_refresh_sees_another_instances_rotation() {
        // Instance A decides to refresh, re-loads under the lock, finds B's fresh tokens.
        let mut a = loaded(tokens("a1", Some("r1"), Some(T0)));
        assert_eq!(a.decide(T0), Decision::Refresh);
        a.load(stored(tokens("a2", Some("r2"), Some(T0 + HOUR)), "v2"));
        assert_eq!(use_token(a.decide(T0)), "a2");
        // A rejected token is forgotten once the store has another one.
        let mut s = loaded(tokens("a1", Some("r1"), Some(T0 + HOUR)));
        s.on_api_response(
            &ApiResult {
                status: 401,
                www_authenticate: None,
                retry_after: None,
                used_access_token: "a1",
                attempt: 1,
                auth_retried: false,
            },
            0,
            T0,
        );
        assert_eq!(s.decide(T0), Decision::Refresh);
        s.load(stored(tokens("a2", Some("r2"), Some(T0 + HOUR)), "v2"));
        assert_eq!(use_token(s.decide(T0)), "a2");
    }

    #[test]
    fn bearer_header_is_normalised_and_redacted() {
        let mut t = tokens("AT-SECRET", Some("RT-SECRET"), None);
        t.token_type = "BEARER".into();
        let s = loaded(t);
        let Decision::UseAccessToken(b) = s.decide(T0) else {
            panic!()
        };
        assert_eq!(b.authorization().expose(), "Bearer AT-SECRET");
        let printed = format!("{:?} {:?} {:?}", s.decide(T0), s, b.authorization());
        assert!(!printed.contains("SECRET"), "{printed}");
    }

    #[test]
    fn bearer_error_param() {
        assert_eq!(
            bearer_error(r#"Bearer realm="x", error="invalid_token""#).as_deref(),
            Some("invalid_token")
        );
        assert_eq!(
            bearer_error("bearer error=insufficient_scope").as_deref(),
            Some("insufficient_scope")
        );
        assert_eq!(bearer_error(r#"Bearer realm="x""#), None);
        assert_eq!(bearer_error(r#"Basic realm="x", error="y""#), None);
        assert_eq!(bearer_error(""), None);
    }

    #[test]
    fn a_lifetime_shorter_than_the_skew_does_not_refresh_forever() {
        // The provider hands out 60 s tokens and the skew is the default 60 s: after one
        // refresh the new token is used until half its lifetime, not refreshed on every call.
        let client = ClientConfig::new("c", "https://as.example/token").with_secret("s");
        let mut session = Session::new(SessionConfig::default());
        let now = 1_000_000_000_000;
        let mut t = TokenSet::bearer("old");
        t.refresh_token = Some(Secret::new("r1"));
        t.expires_at_ms = Some(now + 60_000);
        session.load(Some(StoredTokens {
            tokens: t,
            version: "1".into(),
        }));
        assert_eq!(session.decide(now), Decision::Refresh);
        session.begin_refresh(&client, now).unwrap();
        let body = br#"{"access_token":"new","refresh_token":"r2","expires_in":60}"#;
        let response = Response {
            status: 200,
            headers: vec![],
            body: body.to_vec(),
        };
        assert!(matches!(
            session.on_refresh_response(&client, &response, 0, now),
            RefreshOutcome::Save(_)
        ));
        session.on_saved("2".into());
        assert!(matches!(session.decide(now), Decision::UseAccessToken(_)));
        assert!(matches!(
            session.decide(now + 29_999),
            Decision::UseAccessToken(_)
        ));
        assert_eq!(session.next_refresh_due_ms(), Some(now + 30_000));
        assert_eq!(session.decide(now + 30_000), Decision::Refresh);
    }
}
