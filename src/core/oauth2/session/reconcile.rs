//! The store's answers: what a load or a save means for the session (the cache, the lease, and
//! whose tokens win when two writers meet).

use super::phase::{AfterLoad, Claim, Flight, Phase, Source, Unsaved};
use super::record::{Lease, Stored};
use super::{Saved, Session, MAX_CONFLICTS};
use crate::core::error::{Error, ErrorCode};

impl Session {
    /// The outcome of [`super::Action::Load`]: the stored record and its version, `None` for
    /// an empty store, or the store's error (`STORE_ERROR`).
    pub fn handle_loaded(&mut self, result: Result<Option<Stored>, Error>, now_ms: u64) {
        if !matches!(self.phase, Phase::Load { sent: true, .. }) {
            return self.out_of_order();
        }
        let Phase::Load { then, .. } = std::mem::replace(&mut self.phase, Phase::Rest) else {
            return;
        };
        let stored = match result {
            Ok(stored) => stored,
            Err(error) => {
                self.phase = match then {
                    AfterLoad::Use => Phase::Rest,
                    AfterLoad::Recheck { error, failed } => Phase::NeedsReauth { error, failed },
                    AfterLoad::Reconcile(unsaved) => self.save_failed(unsaved, now_ms),
                    AfterLoad::Refresh { .. } | AfterLoad::InvalidGrant { .. } => {
                        self.store_backoff(now_ms)
                    }
                };
                self.failure = Some(error);
                return;
            }
        };
        self.phase = match then {
            AfterLoad::Use => {
                if stored.is_none() {
                    self.failure = Some(Error::new(
                        ErrorCode::NeedsReauth,
                        "the session holds no tokens: sign in first",
                    ));
                }
                self.adopt(stored);
                Phase::Rest
            }
            AfterLoad::Recheck { error, failed } => {
                let recovered = match (&stored, &failed) {
                    (Some(s), Some(f)) => !s.record.same_tokens(f),
                    (Some(_), None) => true,
                    (None, _) => false,
                };
                self.adopt(stored);
                if recovered {
                    // Someone authorized again elsewhere (another tab, another process).
                    self.rejections = 0;
                    Phase::Rest
                } else {
                    self.failure = Some(error.clone());
                    Phase::NeedsReauth { error, failed }
                }
            }
            AfterLoad::Refresh { conflicts } => {
                self.adopt(stored);
                self.claim_if_due(conflicts, now_ms)
            }
            AfterLoad::Reconcile(unsaved) => self.reconcile(unsaved, stored),
            AfterLoad::InvalidGrant {
                failed,
                error,
                lost,
            } => {
                let rotated = stored
                    .as_ref()
                    .and_then(|s| s.record.refresh_token())
                    .is_some_and(|rt| rt != &failed);
                let ours = stored
                    .as_ref()
                    .filter(|s| {
                        s.record
                            .lease
                            .as_ref()
                            .is_some_and(|l| l.owner == self.owner)
                    })
                    .map(|s| (s.record.with_lease(None), s.version.clone()));
                self.adopt(stored);
                if rotated {
                    // Another instance rotated: its tokens are used (or refreshed) from here.
                    Phase::Rest
                } else {
                    let dead = self.dead_refresh_token(&error, lost);
                    match ours {
                        // Our lease goes, so that no other instance waits for it to end.
                        Some((record, expected)) => Phase::Release {
                            record,
                            expected,
                            then: Box::new(dead),
                            sent: false,
                        },
                        None => dead,
                    }
                }
            }
        };
    }

    /// After the re-load before a refresh: claim the lease if the record is still due and no
    /// other instance holds a live lease.
    fn claim_if_due(&mut self, conflicts: u8, now: u64) -> Phase {
        let Some(Some(stored)) = &self.known else {
            return Phase::Rest;
        };
        let record = &stored.record;
        if !self.due(record, now) || record.refresh_token().is_none() {
            return Phase::Rest;
        }
        if let Some(lease) = record.live_lease_of_other(&self.owner, now) {
            let until = lease.until_ms.min(now + self.config.lease_poll_ms);
            return Phase::LeaseWait { until };
        }
        let lease = Lease {
            owner: self.owner.clone(),
            until_ms: now.saturating_add(self.config.lease_ms),
        };
        Phase::Claim(Claim {
            record: record.with_lease(Some(lease)),
            expected: stored.version.clone(),
            conflicts,
            sent: false,
        })
    }

    /// New tokens meet what the store holds now. A sign-in always wins. A refresh's tokens win
    /// only while the store still holds the refresh token they replaced (the compare-and-set
    /// lost to a lease write): if it already has them, the save went through after all; if it
    /// holds another refresh token, someone signed in or rotated since, and theirs stay (a
    /// sign-in must never be overwritten by a refresh of the grant it replaced).
    fn reconcile(&mut self, unsaved: Unsaved, stored: Option<Stored>) -> Phase {
        let expected = stored.as_ref().map(|s| s.version.clone());
        let theirs_win = unsaved.source == Source::Refresh
            && stored.as_ref().is_some_and(|s| {
                s.record.same_tokens(&unsaved.record)
                    || s.record.refresh_token() != unsaved.base_rt.as_ref()
            });
        self.adopt(stored);
        if theirs_win {
            Phase::Rest
        } else {
            Phase::Persist {
                unsaved: Unsaved {
                    expected,
                    ..unsaved
                },
                sent: false,
            }
        }
    }

    /// The outcome of a [`super::Action::Save`].
    pub fn handle_saved(&mut self, result: Result<Saved, Error>, now_ms: u64) {
        match std::mem::replace(&mut self.phase, Phase::Rest) {
            Phase::Claim(claim) if claim.sent => {
                self.phase = match result {
                    Ok(Saved::Version(version)) => {
                        self.adopt(Some(Stored {
                            record: claim.record.clone(),
                            version: version.clone(),
                        }));
                        Phase::Grant {
                            flight: Flight {
                                base: claim.record,
                                lease_version: version,
                                attempts: 0,
                                lost: false,
                            },
                            not_before: now_ms,
                            sent: false,
                        }
                    }
                    Ok(Saved::Conflict) if claim.conflicts + 1 < MAX_CONFLICTS => Phase::Load {
                        then: AfterLoad::Refresh {
                            conflicts: claim.conflicts + 1,
                        },
                        sent: false,
                    },
                    Ok(Saved::Conflict) => {
                        self.failure = Some(conflict_error("claiming the refresh lease"));
                        self.store_backoff(now_ms)
                    }
                    Err(error) => {
                        self.failure = Some(error);
                        self.store_backoff(now_ms)
                    }
                };
            }
            Phase::Persist {
                unsaved,
                sent: true,
            } => {
                self.phase = match result {
                    Ok(Saved::Version(version)) => {
                        self.adopt(Some(Stored {
                            record: unsaved.record,
                            version,
                        }));
                        Phase::Rest
                    }
                    Ok(Saved::Conflict) if unsaved.conflicts + 1 < MAX_CONFLICTS => Phase::Load {
                        then: AfterLoad::Reconcile(Unsaved {
                            conflicts: unsaved.conflicts + 1,
                            ..unsaved
                        }),
                        sent: false,
                    },
                    Ok(Saved::Conflict) => {
                        // A store that keeps losing compare-and-sets is broken, not busy: no
                        // background retries; the next caller tries again.
                        self.failure = Some(conflict_error("saving the new tokens"));
                        Phase::Unsaved(Unsaved {
                            conflicts: 0,
                            failures: u32::MAX,
                            ..unsaved
                        })
                    }
                    Err(error) => {
                        self.failure = Some(error.with_message(
                            "saving the new tokens failed (store.save() rejected); they are \
                             kept in memory and the next call saves them again",
                        ));
                        self.save_failed(unsaved, now_ms)
                    }
                };
            }
            Phase::Release {
                record,
                then,
                sent: true,
                ..
            } => {
                if let Ok(Saved::Version(version)) = result {
                    self.adopt(Some(Stored { record, version }));
                }
                self.phase = *then;
            }
            other => {
                self.phase = other;
                self.out_of_order();
            }
        }
    }

    /// The outcome of [`super::Action::Lock`]: held, or the lock's error (`STORE_ERROR`).
    pub fn handle_locked(&mut self, result: Result<(), Error>, now_ms: u64) {
        if !matches!(self.phase, Phase::Lock { sent: true }) {
            return self.out_of_order();
        }
        self.phase = match result {
            Ok(()) => {
                self.lock = super::LockHeld::Yes;
                Phase::Load {
                    then: AfterLoad::Refresh { conflicts: 0 },
                    sent: false,
                }
            }
            Err(error) => {
                self.failure = Some(error);
                self.store_backoff(now_ms)
            }
        };
    }

    /// The store's lock was released ([`super::Action::Unlock`]).
    pub fn handle_unlocked(&mut self) {
        self.lock = super::LockHeld::No;
    }

    /// New tokens whose save failed: kept, and saved again after the retry policy's backoff
    /// (doubling from `base_ms`, at most `max_ms`) or on the next caller, whichever comes first.
    fn save_failed(&self, unsaved: Unsaved, now: u64) -> Phase {
        let policy = self.config.retry;
        let failures = unsaved.failures.saturating_add(1);
        let delay = policy
            .base_ms
            .saturating_mul(1 << (failures - 1).min(16))
            .min(policy.max_ms);
        Phase::Unsaved(Unsaved {
            failures,
            retry_at: now.saturating_add(delay),
            ..unsaved
        })
    }

    /// After a store failure: the error went to this round's callers; no background refresh
    /// for the retry policy's base delay (a broken store is not hammered), but the next caller
    /// tries again at once.
    fn store_backoff(&self, now: u64) -> Phase {
        Phase::Backoff {
            until: now.saturating_add(self.config.retry.base_ms),
            error: None,
        }
    }

    /// An outcome that does not match the phase: a driver bug. The outcome is dropped and the
    /// callers get `INTERNAL` rather than a wrong token; the phase is left as it was.
    pub(super) fn out_of_order(&mut self) {
        self.failure = Some(Error::new(
            ErrorCode::Internal,
            "the session driver handed back an outcome the session did not ask for",
        ));
    }
}

fn conflict_error(what: &str) -> Error {
    Error::new(
        ErrorCode::StoreConflict,
        crate::core::text::concat(&[
            what,
            " lost the store's compare-and-set repeatedly (does save() return the new version \
             and compare expectedVersion?); the tokens are kept in memory",
        ]),
    )
}
