//! The token session engine (DESIGN.md "Token sessions"): the whole refresh protocol as a
//! sans-IO state machine, in quinn's shape. The host asks [`Session::poll`] what to do next,
//! does it (read or write the store, send a request, take or release the store's lock, sleep,
//! resolve or reject the waiting callers) and hands each outcome back through a `handle_*`
//! method. The host makes no OAuth decision; `poll` never blocks and never repeats an action
//! whose outcome has not come back.
//!
//! ```text
//!   loop { match session.poll(now) {
//!     Load            → store.load()            → handle_loaded
//!     Save{record, v} → store.save(record, {v}) → handle_saved
//!     Send(request)   → fetch                   → handle_response
//!     Lock / Unlock   → store.lock(name, fn)    → handle_locked / handle_unlocked
//!     Sleep(until)    → a timer, then poll again
//!     Deliver(token)  → resolve the callers waiting for a token
//!     Persisted       → resolve the callers waiting for a sign-in to be saved
//!     Fail(error)     → reject every waiting caller
//!     Idle            → stop until the next caller } }
//! ```
//!
//! # Single flight across instances, with or without a lock
//!
//! Before refreshing, a session re-loads the record (another instance may have rotated
//! already) and then claims a refresh lease by writing the record with `refreshLease: {owner,
//! until}` through the store's own compare-and-set. Whoever wins the write refreshes; the
//! others see a live lease and wait (re-loading every `lease_poll_ms`) while their callers keep
//! using the access token until it expires. New tokens replace the lease in one more
//! compare-and-set against the lease's version. A crashed owner's lease ends after `lease_ms`.
//! So every compare-and-set store is safe, and a store's `lock` only saves the polling: with
//! one, the whole re-load → claim → refresh → save runs under it.
//!
//! Whether a refresh is due follows from the persisted record alone (`expiresAt`,
//! `obtainedAt`; see [`TokenRecord::refresh_point`]) plus one per-instance fact: an access
//! token an API answered 401 to, which is due at once (the re-load then hands out a newer one
//! if another instance already refreshed, without another grant).
//!
//! # Rotation
//!
//! New tokens are saved before any caller sees them; a response without a refresh token keeps
//! the old one. `invalid_grant` re-loads: a different stored refresh token (someone rotated) is
//! used, the same one means `NEEDS_REAUTH` — and when an earlier attempt of this refresh was
//! lost in transit the error says so (the provider rotated and its answer never arrived).
//! Transport failures and 429/503 are retried with the [`RetryPolicy`]; with a provider reuse
//! grace period (`reuse_grace_ms`) the retry after a lost answer goes out at once, inside it.
//! A failed save keeps the tokens in memory (`STORE_ERROR` to the callers of that round) and
//! the next demand saves them again; compare-and-set losses re-load and decide whose tokens
//! win, and `MAX_CONFLICTS` losses in a row surface as `STORE_CONFLICT`.

mod api;
mod phase;
mod reconcile;
mod record;
mod refresh;
// Its tests (simulated store, clock and provider) drive the public interface, like the JS host:
// tests/common/session/, run natively and in wasm.

pub use api::{ApiCall, ApiResponse, ApiStep};
pub use record::{Lease, Stored, TokenRecord};

use super::client::ClientConfig;
use super::retry::RetryPolicy;
use super::token_response::TokenSet;
use crate::core::error::{Error, ErrorCode};
use crate::core::http::Request;
use crate::core::secret::{AccessToken, Secret};
use crate::core::text::concat;
use phase::{record_of, AfterLoad, Phase, Source, Unsaved};

/// Compare-and-set losses in a row before `STORE_CONFLICT` is raised (a store whose versions
/// never match would otherwise loop).
const MAX_CONFLICTS: u8 = 4;

/// Failed saves of new tokens retried without a caller, at doubling intervals from the retry
/// policy's `base_ms` to its `max_ms` (with the defaults about 36 s: longer than a lease).
const BACKGROUND_SAVES: u32 = 8;

/// Session tuning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionConfig {
    /// Refresh this long before `expires_at` (default 60 000 ms).
    pub skew_ms: u64,
    /// Retries of 429/503/transport failures on refresh and of 429/503 API answers.
    pub retry: RetryPolicy,
    /// How long a refresh lease holds at most (default 30 000 ms): longer than any refresh
    /// with its retries, short enough that a crashed owner does not block for long.
    pub lease_ms: u64,
    /// How often an instance waiting for another's lease re-loads (default 100 ms).
    pub lease_poll_ms: u64,
    /// The provider's refresh-token reuse grace period, if it has one (0: none).
    pub reuse_grace_ms: u64,
    /// The store has `lock(name, fn)`: refreshes run under it.
    pub lock: bool,
}

impl Default for SessionConfig {
    fn default() -> Self {
        SessionConfig {
            skew_ms: 60_000,
            retry: RetryPolicy::default(),
            lease_ms: 30_000,
            lease_poll_ms: 100,
            reuse_grace_ms: 0,
            lock: false,
        }
    }
}

/// What the host does next (see the module doc).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Action {
    /// `store.load()`, then [`Session::handle_loaded`].
    Load,
    /// `store.save(record.to_persisted(), { expectedVersion })`, then [`Session::handle_saved`].
    Save {
        /// The record to write.
        record: TokenRecord,
        /// The compare-and-set version (`None`: the store must hold nothing).
        expected_version: Option<String>,
    },
    /// Send the refresh grant, then [`Session::handle_response`].
    Send(Request),
    /// Take the store's lock, then [`Session::handle_locked`].
    Lock,
    /// Release the store's lock, then [`Session::handle_unlocked`].
    Unlock,
    /// Wait until this time (ms since the epoch), then poll again.
    Sleep {
        /// When to poll again.
        until_ms: u64,
    },
    /// Resolve every caller waiting for a token with this one.
    Deliver(BearerToken),
    /// Resolve every caller waiting for a sign-in to be saved.
    Persisted,
    /// Reject every waiting caller with this error.
    Fail(Error),
    /// Nothing to do until the next caller.
    Idle,
}

/// What `store.save` answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Written under this new version.
    Version(String),
    /// The compare-and-set lost: the store holds another version.
    Conflict,
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
    /// This instance is refreshing (or waiting for another instance's refresh).
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
pub struct BearerToken(AccessToken);

impl BearerToken {
    /// Wraps an access token.
    pub fn new(token: AccessToken) -> Self {
        BearerToken(token)
    }

    /// The access token.
    pub fn token(&self) -> &AccessToken {
        &self.0
    }

    /// The `Authorization` header value. The scheme is always written `Bearer`, whatever case
    /// the provider's `token_type` had (DESIGN.md: some APIs reject anything else).
    pub fn authorization(&self) -> Secret {
        Secret::new(concat(&["Bearer ", self.0.expose()]))
    }
}

/// The store's lock from this instance's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LockHeld {
    No,
    Yes,
    /// `Action::Unlock` is out; `handle_unlocked` has not come back.
    Releasing,
}

/// Who is waiting for the engine.
#[derive(Debug, Clone, Copy, Default)]
struct Demand {
    token: bool,
    persist: bool,
}

/// The token session engine. One per `TokenSession` (a token family: client + user).
#[derive(Debug, Clone)]
pub struct Session {
    config: SessionConfig,
    client: ClientConfig,
    /// This instance's lease owner id (random, from the host).
    owner: Box<str>,
    phase: Phase,
    /// The store as last read or written: `None` before the first read.
    known: Option<Option<Stored>>,
    /// The access token an API answered 401 to (cleared when the cached one differs).
    rejected: Option<AccessToken>,
    /// The store's lock, as this instance holds it.
    lock: LockHeld,
    demand: Demand,
    /// Tokens from a sign-in, applied at the next `poll` (never under an action in flight).
    sign_in: Option<TokenRecord>,
    /// An error for the waiting callers, delivered by the next `poll`.
    failure: Option<Error>,
    /// `invalid_grant` answers since the last successful refresh or sign-in.
    rejections: u8,
}

impl Session {
    /// An engine for `client`'s tokens; `owner` is a random id for the refresh lease.
    pub fn new(config: SessionConfig, client: ClientConfig, owner: &str) -> Self {
        Session {
            config,
            client,
            owner: owner.into(),
            phase: Phase::Rest,
            known: None,
            rejected: None,
            lock: LockHeld::No,
            demand: Demand::default(),
            sign_in: None,
            failure: None,
            rejections: 0,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &SessionConfig {
        &self.config
    }

    /// The record as last read from or written to the store.
    pub fn record(&self) -> Option<&TokenRecord> {
        self.known.as_ref().and_then(record_of)
    }

    /// The access token to use right now without asking the engine: unexpired, not rejected,
    /// and either not due or already being refreshed (here or by another instance's lease) or
    /// in a backoff. Otherwise call [`Session::want_token`] and let the driver work.
    pub fn usable_token(&self, now_ms: u64) -> Option<BearerToken> {
        if matches!(
            self.phase,
            Phase::Unsaved(_) | Phase::Persist { .. } | Phase::NeedsReauth { .. }
        ) || self.sign_in.is_some()
        {
            return None;
        }
        let record = self.record()?;
        (self.usable(record, now_ms) && self.refresh_waits(&self.phase, record, now_ms))
            .then(|| BearerToken(record.tokens.access_token.clone()))
    }

    /// A caller waits for a token: the next `poll` works towards [`Action::Deliver`] or
    /// [`Action::Fail`].
    pub fn want_token(&mut self) {
        self.demand.token = true;
    }

    /// Tokens from a completed authorization (code exchange, password grant, pre-issued
    /// tokens): they replace everything, are saved before use, and [`Action::Persisted`]
    /// answers the caller.
    pub fn sign_in(&mut self, tokens: TokenSet, now_ms: u64) {
        self.sign_in = Some(TokenRecord::new(tokens, now_ms));
        self.demand.persist = true;
        self.rejected = None;
        self.rejections = 0;
    }

    /// An API answered 401 to `used_access_token`: if it is the cached token, it is due at
    /// once. False when a refresh cannot help (no refresh token).
    pub fn reject(&mut self, used_access_token: &str) -> bool {
        let Some(record) = self.record() else {
            return false;
        };
        if record.refresh_token().is_none() {
            return false;
        }
        let current = &record.tokens.access_token;
        if crate::core::secret::constant_time_eq(
            used_access_token.as_bytes(),
            current.expose().as_bytes(),
        ) {
            self.rejected = Some(current.clone());
        }
        true
    }

    /// The state at `now_ms`.
    pub fn state(&self, now_ms: u64) -> SessionState {
        if matches!(self.phase, Phase::NeedsReauth { .. }) {
            return SessionState::NeedsReauth;
        }
        if self.phase.refreshing() {
            return SessionState::Refreshing;
        }
        let record = match &self.phase {
            Phase::Unsaved(u) => Some(&u.record),
            _ => self.record(),
        };
        let Some(record) = record else {
            return SessionState::Empty;
        };
        if !self.due(record, now_ms) {
            SessionState::Valid
        } else if record.refresh_token().is_none() && !record.unexpired(now_ms) {
            SessionState::NeedsReauth
        } else {
            SessionState::Expiring
        }
    }

    /// When the next refresh is due (ms since the epoch; a time in the past means now), or
    /// `None` when none is planned: no tokens, no refresh token, no expiry, a refresh under
    /// way, or `NeedsReauth`. A host timer can wake up then (quinn's `poll_timeout`).
    pub fn next_refresh_at(&self) -> Option<u64> {
        if self.phase.refreshing() {
            return None;
        }
        let (record, floor) = match &self.phase {
            Phase::NeedsReauth { .. } => return None,
            Phase::Unsaved(u) => (&u.record, 0),
            Phase::Backoff { until, .. } => (self.record()?, *until),
            _ => (self.record()?, 0),
        };
        record.refresh_token()?;
        let due = if self.is_rejected(record) {
            0
        } else {
            record.refresh_point(self.config.skew_ms)?
        };
        Some(due.max(floor))
    }

    /// The next action (see the module doc). Call it again after each action's outcome was
    /// handed back, and after `Sleep`, `Deliver`, `Persisted` and `Fail`.
    pub fn poll(&mut self, now_ms: u64) -> Action {
        if self.phase.in_flight() || self.lock == LockHeld::Releasing {
            // The host polls only after handing an outcome back; nothing new meanwhile (the
            // release of the lock is an action in flight too).
            return Action::Idle;
        }
        if let Some(record) = self.sign_in.take() {
            self.start_sign_in(record);
        }
        let phase = std::mem::replace(&mut self.phase, Phase::Rest);
        let (phase, action) = self.next(phase, now_ms);
        self.phase = phase;
        action
    }

    fn next(&mut self, phase: Phase, now: u64) -> (Phase, Action) {
        match phase {
            Phase::Load { then, .. } => (Phase::Load { then, sent: true }, Action::Load),
            Phase::Lock { .. } => (Phase::Lock { sent: true }, Action::Lock),
            Phase::Claim(mut claim) => {
                claim.sent = true;
                let action = Action::Save {
                    record: claim.record.clone(),
                    expected_version: Some(claim.expected.clone()),
                };
                (Phase::Claim(claim), action)
            }
            Phase::Grant {
                flight, not_before, ..
            } if now < not_before => (
                Phase::Grant {
                    flight,
                    not_before,
                    sent: false,
                },
                Action::Sleep {
                    until_ms: not_before,
                },
            ),
            Phase::Grant { flight, .. } => self.send_grant(flight, now),
            Phase::Persist { unsaved, .. } => {
                let action = Action::Save {
                    record: unsaved.record.clone(),
                    expected_version: unsaved.expected.clone(),
                };
                (
                    Phase::Persist {
                        unsaved,
                        sent: true,
                    },
                    action,
                )
            }
            Phase::Release {
                record,
                expected,
                then,
                ..
            } => {
                let action = Action::Save {
                    record: record.clone(),
                    expected_version: Some(expected.clone()),
                };
                let phase = Phase::Release {
                    record,
                    expected,
                    then,
                    sent: true,
                };
                (phase, action)
            }
            Phase::LeaseWait { .. } if !self.demand.token => self.decide(Phase::Rest, now),
            Phase::LeaseWait { until } if now < until => (
                Phase::LeaseWait { until },
                Action::Sleep { until_ms: until },
            ),
            Phase::LeaseWait { .. } => (
                Phase::Load {
                    then: AfterLoad::Refresh { conflicts: 0 },
                    sent: true,
                },
                Action::Load,
            ),
            rest @ (Phase::Rest
            | Phase::Unsaved(_)
            | Phase::Backoff { .. }
            | Phase::NeedsReauth { .. }) => self.decide(rest, now),
        }
    }

    /// The decision at rest: answer the callers, or start the next step. A caller whose token
    /// is due waits for this instance's refresh (so the refresh happens inside a request, which
    /// serverless hosts require); callers arriving meanwhile use the token while it is unexpired.
    fn decide(&mut self, phase: Phase, now: u64) -> (Phase, Action) {
        if let Some(error) = self.failure.take() {
            // A failed refresh of a token that is still good: the waiting callers get the token
            // (the next caller meets the backoff); anything else gets the error.
            let usable = self.record().filter(|r| self.usable(r, now)).cloned();
            return match usable {
                Some(record)
                    if self.demand.token
                        && !self.demand.persist
                        && !matches!(phase, Phase::NeedsReauth { .. }) =>
                {
                    self.demand.token = false;
                    let token = BearerToken(record.tokens.access_token);
                    (phase, Action::Deliver(token))
                }
                _ => {
                    self.demand = Demand::default();
                    (phase, Action::Fail(error))
                }
            };
        }
        if self.lock == LockHeld::Yes {
            self.lock = LockHeld::Releasing;
            return (phase, Action::Unlock);
        }
        let phase = match phase {
            Phase::Unsaved(unsaved) if self.demand.token || self.demand.persist => {
                return self.next(
                    Phase::Persist {
                        unsaved,
                        sent: false,
                    },
                    now,
                )
            }
            // No caller: saved again at `retry_at` all the same — these tokens hold the
            // family's only live refresh token — for longer than a lease lasts, then left to
            // the next caller (so that a process with a broken store can still exit).
            Phase::Unsaved(unsaved) if unsaved.failures <= BACKGROUND_SAVES => {
                if now < unsaved.retry_at {
                    let until_ms = unsaved.retry_at;
                    return (Phase::Unsaved(unsaved), Action::Sleep { until_ms });
                }
                return self.next(
                    Phase::Persist {
                        unsaved,
                        sent: false,
                    },
                    now,
                );
            }
            other => other,
        };
        if self.demand.persist {
            self.demand.persist = false;
            return (phase, Action::Persisted);
        }
        if !self.demand.token {
            return (phase, Action::Idle);
        }
        if let Phase::NeedsReauth { error, failed } = phase {
            return self.next(load(AfterLoad::Recheck { error, failed }), now);
        }
        // Nothing known, or an empty store: read it (again: another instance may have signed
        // in since); an empty answer fails the callers.
        let Some(record) = self.record() else {
            return self.next(load(AfterLoad::Use), now);
        };
        let record = record.clone();
        let record = &record;
        if self.usable(record, now) && self.refresh_waits(&phase, record, now) {
            self.demand.token = false;
            let token = BearerToken(record.tokens.access_token.clone());
            return (phase, Action::Deliver(token));
        }
        if let Phase::Backoff {
            until,
            error: Some(error),
        } = &phase
        {
            if now < *until {
                let mut error = error.clone();
                if error.code == ErrorCode::RateLimited {
                    error.retry_after = Some((*until - now) as f64 / 1000.0);
                }
                self.demand.token = false;
                return (phase, Action::Fail(error));
            }
        }
        if record.refresh_token().is_none() {
            self.demand.token = false;
            let error = Error::new(
                ErrorCode::NeedsReauth,
                "the access token expired and there is no refresh token: authorize again",
            );
            return (phase, Action::Fail(error));
        }
        if let (false, Some(lease)) = (
            self.config.lock,
            record.live_lease_of_other(&self.owner, now),
        ) {
            let until = lease.until_ms.min(now + self.config.lease_poll_ms);
            return self.next(Phase::LeaseWait { until }, now);
        }
        self.start_refresh(now)
    }

    /// True when a caller holding a usable token need not wait for a refresh now: the token is
    /// not due, cannot be refreshed, or is being refreshed already (this instance, another
    /// instance's live lease) or a backoff runs.
    fn refresh_waits(&self, phase: &Phase, record: &TokenRecord, now: u64) -> bool {
        !self.due(record, now)
            || record.refresh_token().is_none()
            || phase.refreshing()
            || matches!(phase, Phase::Backoff { until, .. } if now < *until)
            || record.live_lease_of_other(&self.owner, now).is_some()
    }

    fn usable(&self, record: &TokenRecord, now: u64) -> bool {
        !self.is_rejected(record) && record.unexpired(now)
    }

    fn start_refresh(&mut self, now: u64) -> (Phase, Action) {
        if self.config.lock {
            self.next(Phase::Lock { sent: false }, now)
        } else {
            self.next(load(AfterLoad::Refresh { conflicts: 0 }), now)
        }
    }

    fn start_sign_in(&mut self, record: TokenRecord) {
        let base_rt = self.record().and_then(|r| r.refresh_token().cloned());
        let unsaved = Unsaved {
            record,
            expected: None,
            base_rt,
            source: Source::SignIn,
            conflicts: 0,
            failures: 0,
            retry_at: 0,
        };
        self.phase = match &self.known {
            None => load(AfterLoad::Reconcile(unsaved)),
            Some(stored) => Phase::Persist {
                unsaved: Unsaved {
                    expected: stored.as_ref().map(|s| s.version.clone()),
                    ..unsaved
                },
                sent: false,
            },
        };
    }

    fn is_rejected(&self, record: &TokenRecord) -> bool {
        self.rejected.as_ref() == Some(&record.tokens.access_token)
    }

    fn due(&self, record: &TokenRecord, now: u64) -> bool {
        self.is_rejected(record)
            || record
                .refresh_point(self.config.skew_ms)
                .is_some_and(|due| now >= due)
    }

    /// Caches what the store holds now; a rejected access token is forgotten once the store
    /// has another one.
    fn adopt(&mut self, stored: Option<Stored>) {
        if let (Some(rejected), Some(s)) = (&self.rejected, &stored) {
            if rejected != &s.record.tokens.access_token {
                self.rejected = None;
            }
        }
        self.known = Some(stored);
    }
}

fn load(then: AfterLoad) -> Phase {
    Phase::Load { then, sent: false }
}
