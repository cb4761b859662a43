//! The session's phases: one enum, each variant holding exactly the data that phase needs.
//! Transitions take the phase by value (`std::mem::replace`) and return the next one, so a
//! phase cannot be half-updated (rustls' state machine style).

use super::record::{Stored, TokenRecord};
use crate::core::error::Error;
use crate::core::secret::RefreshToken;

/// Where the session's protocol stands. "Ready" phases (`sent: false`) are turned into an
/// [`super::Action`] by the next `poll`; "in flight" ones (`sent: true`) wait for their
/// `handle_*` call.
#[derive(Debug, Clone)]
pub(super) enum Phase {
    /// Nothing in flight: `poll` decides from the cached record and the callers' demand.
    Rest,
    /// Reading the store, and what to do with the answer.
    Load { then: AfterLoad, sent: bool },
    /// Waiting for the store's `lock(name, fn)` to call back.
    Lock { sent: bool },
    /// Writing the record with this session's lease (compare-and-set against `expected`).
    Claim(Claim),
    /// The refresh grant: sent no earlier than `not_before`.
    Grant {
        flight: Flight,
        not_before: u64,
        sent: bool,
    },
    /// Writing new tokens (compare-and-set).
    Persist { unsaved: Unsaved, sent: bool },
    /// Clearing this session's lease after a failed refresh, then `then`. The outcome does not
    /// matter: a lost compare-and-set means someone else wrote, an error leaves the lease to end.
    Release {
        record: TokenRecord,
        expected: String,
        then: Box<Phase>,
        sent: bool,
    },
    /// Another instance holds the lease: re-load at `until` (a bounded poll interval).
    LeaseWait { until: u64 },
    /// New tokens whose save failed: kept in memory, saved again on the next demand or at
    /// `retry_at`.
    Unsaved(Unsaved),
    /// A refresh failed: no new one before `until`. After a provider failure callers meanwhile
    /// get `error` (or the access token while it is still unexpired); after a store failure
    /// (`error: None`) only the background refresh waits and the next caller tries again.
    Backoff { until: u64, error: Option<Error> },
    /// The refresh token is dead. A demand re-reads the store (another tab may have signed in)
    /// but never asks the provider.
    NeedsReauth {
        error: Error,
        failed: Option<TokenRecord>,
    },
}

/// What a `Load` is for.
#[derive(Debug, Clone)]
pub(super) enum AfterLoad {
    /// First use: just learn what the store holds.
    Use,
    /// Before refreshing (another instance may have rotated already), then claim the lease.
    Refresh { conflicts: u8 },
    /// New tokens wait to be saved: decide whose tokens win (the save lost its
    /// compare-and-set, or a sign-in happened before the first load).
    Reconcile(Unsaved),
    /// The provider answered `invalid_grant` for `failed`: has someone else rotated?
    InvalidGrant {
        failed: RefreshToken,
        error: Error,
        lost: bool,
    },
    /// In `NeedsReauth`: has someone signed in elsewhere?
    Recheck {
        error: Error,
        failed: Option<TokenRecord>,
    },
}

/// A lease claim in preparation or in flight.
#[derive(Debug, Clone)]
pub(super) struct Claim {
    /// The loaded record with this session's lease.
    pub record: TokenRecord,
    /// The version it was loaded under.
    pub expected: String,
    pub conflicts: u8,
    pub sent: bool,
}

/// A refresh grant under this session's lease.
#[derive(Debug, Clone)]
pub(super) struct Flight {
    /// The record whose refresh token is used (with our lease), as stored under
    /// `lease_version`.
    pub base: TokenRecord,
    pub lease_version: String,
    /// Grant requests sent so far.
    pub attempts: u32,
    /// An earlier attempt failed in transit: the provider may have rotated without us seeing
    /// the answer.
    pub lost: bool,
}

/// Where new tokens came from: a refresh competes with other instances' refreshes, a sign-in
/// always wins (the user just authorized).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    Refresh,
    SignIn,
}

/// New tokens not yet persisted.
#[derive(Debug, Clone)]
pub(super) struct Unsaved {
    pub record: TokenRecord,
    /// The `expectedVersion` of the save (`None`: the store held nothing).
    pub expected: Option<String>,
    /// The refresh token these tokens replace.
    pub base_rt: Option<RefreshToken>,
    pub source: Source,
    /// Compare-and-set losses in a row.
    pub conflicts: u8,
    /// Saves that failed so far; the save is retried at `retry_at` even without a caller, until
    /// it works (a rotated refresh token must reach the store before another instance presents
    /// the old one).
    pub failures: u32,
    pub retry_at: u64,
}

impl Phase {
    /// True while an action is out with the host (its `handle_*` has not come back).
    pub fn in_flight(&self) -> bool {
        match self {
            Phase::Load { sent, .. }
            | Phase::Lock { sent }
            | Phase::Grant { sent, .. }
            | Phase::Persist { sent, .. }
            | Phase::Release { sent, .. } => *sent,
            Phase::Claim(c) => c.sent,
            Phase::Rest
            | Phase::LeaseWait { .. }
            | Phase::Unsaved(_)
            | Phase::Backoff { .. }
            | Phase::NeedsReauth { .. } => false,
        }
    }

    /// True while this session works on a refresh (the `refreshing` state).
    pub fn refreshing(&self) -> bool {
        match self {
            Phase::Lock { .. }
            | Phase::Claim(_)
            | Phase::Grant { .. }
            | Phase::Release { .. }
            | Phase::LeaseWait { .. } => true,
            Phase::Load { then, .. } => matches!(
                then,
                AfterLoad::Refresh { .. } | AfterLoad::InvalidGrant { .. }
            ),
            Phase::Persist { unsaved, .. } => unsaved.source == Source::Refresh,
            Phase::Rest | Phase::Unsaved(_) | Phase::Backoff { .. } | Phase::NeedsReauth { .. } => {
                false
            }
        }
    }
}

/// The stored record, if the store holds one.
pub(super) fn record_of(stored: &Option<Stored>) -> Option<&TokenRecord> {
    stored.as_ref().map(|s| &s.record)
}
