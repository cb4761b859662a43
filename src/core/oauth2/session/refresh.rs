//! The refresh grant under the lease (RFC 6749 §6): sending it, and what each answer means —
//! new tokens, `invalid_grant`, 429/503, a transport failure, anything else.

use super::phase::{AfterLoad, Flight, Phase, Source, Unsaved};
use super::record::TokenRecord;
use super::{Action, Session};
use crate::core::error::{Error, ErrorCode};
use crate::core::http::Response;
use crate::core::oauth2::grants::{token_request, Grant};
use crate::core::oauth2::token_response::parse_token_response;

impl Session {
    /// Turns a ready grant into [`Action::Send`].
    pub(super) fn send_grant(&mut self, mut flight: Flight, now: u64) -> (Phase, Action) {
        let Some(refresh_token) = flight.base.refresh_token().cloned() else {
            // Unreachable: only records with a refresh token are claimed.
            let error = Error::new(ErrorCode::NeedsReauth, "there is no refresh token");
            return (self.release(flight, error, now), Action::Idle);
        };
        let grant = Grant::RefreshToken {
            refresh_token,
            scope: None,
        };
        match token_request(&self.client, &grant) {
            Ok(request) => {
                flight.attempts += 1;
                let phase = Phase::Grant {
                    flight,
                    not_before: now,
                    sent: true,
                };
                (phase, Action::Send(request))
            }
            Err(error) => {
                let phase = self.release(flight, error, now);
                self.next(phase, now)
            }
        }
    }

    /// The outcome of [`Action::Send`]: the token endpoint's response, or the transport error
    /// (`NETWORK`; `INVALID_ARGUMENT` when the host's `fetch` returned something other than a
    /// response, which is not retried). `random` is a random `u32` for the backoff jitter.
    pub fn handle_response(&mut self, result: Result<Response, Error>, random: u32, now_ms: u64) {
        if !matches!(self.phase, Phase::Grant { sent: true, .. }) {
            return self.out_of_order();
        }
        let Phase::Grant { flight, .. } = std::mem::replace(&mut self.phase, Phase::Rest) else {
            return;
        };
        let error = match result {
            Ok(response) => match parse_token_response(&self.client, &response, now_ms) {
                Ok(tokens) => return self.refreshed(flight, tokens, now_ms),
                Err(error) => error,
            },
            Err(error) => error,
        };
        self.phase = match error.code {
            ErrorCode::OAuthInvalidGrant => self.invalid_grant(flight, error),
            ErrorCode::RateLimited => {
                let retry_after_ms = error.retry_after.map(|s| (s * 1000.0) as u64);
                self.retry(flight, retry_after_ms, random, now_ms, error)
            }
            ErrorCode::Network => {
                let flight = Flight {
                    lost: true,
                    ..flight
                };
                // Inside the provider's reuse grace period the same token may be presented
                // again: do it at once rather than after a backoff that could outlast it.
                let grace = (self.config.reuse_grace_ms > 0).then_some(0);
                self.retry(flight, grace, random, now_ms, error)
            }
            _ => self.release(flight, error, now_ms),
        };
    }

    /// New tokens: saved against the lease's version before anyone uses them.
    fn refreshed(&mut self, flight: Flight, tokens: crate::core::oauth2::TokenSet, now: u64) {
        let tokens = tokens.merge_refresh(&flight.base.tokens);
        self.rejections = 0;
        self.phase = Phase::Persist {
            unsaved: Unsaved {
                record: TokenRecord::new(tokens, now),
                expected: Some(flight.lease_version),
                base_rt: flight.base.refresh_token().cloned(),
                source: Source::Refresh,
                conflicts: 0,
                failures: 0,
                retry_at: 0,
            },
            sent: false,
        };
    }

    /// `invalid_grant`: re-load once (someone may have rotated); a second one in a row without
    /// a successful refresh in between means the token family is dead.
    fn invalid_grant(&mut self, flight: Flight, error: Error) -> Phase {
        self.rejections = self.rejections.saturating_add(1);
        let failed = flight.base.refresh_token().cloned().unwrap_or_default();
        if self.rejections >= 2 {
            let dead = self.dead_refresh_token(&error, flight.lost);
            return self.release_then(flight, dead);
        }
        Phase::Load {
            then: AfterLoad::InvalidGrant {
                failed,
                error,
                lost: flight.lost,
            },
            sent: false,
        }
    }

    /// 429/503 or a transport failure: the next attempt after the policy's delay, or — retries
    /// exhausted — `RATE_LIMITED` / the transport error, a backoff, and the lease released.
    fn retry(
        &mut self,
        flight: Flight,
        retry_after_ms: Option<u64>,
        random: u32,
        now: u64,
        mut error: Error,
    ) -> Phase {
        let policy = self.config.retry;
        match policy.delay_ms(flight.attempts, retry_after_ms, random) {
            Some(delay) => Phase::Grant {
                flight,
                not_before: now.saturating_add(delay),
                sent: false,
            },
            None if error.code == ErrorCode::RateLimited => {
                let wait = retry_after_ms.unwrap_or(policy.max_ms);
                error.retry_after = Some(wait as f64 / 1000.0);
                self.failure = Some(error.clone());
                let backoff = Phase::Backoff {
                    until: now.saturating_add(wait),
                    error: Some(error),
                };
                self.release_then(flight, backoff)
            }
            None => self.release(flight, error, now),
        }
    }

    /// A failed refresh: the callers get `error`, no new refresh before the backoff ends, and
    /// the lease is released so that other instances need not wait for it to end.
    fn release(&mut self, flight: Flight, error: Error, now: u64) -> Phase {
        self.failure = Some(error.clone());
        let backoff = Phase::Backoff {
            until: now.saturating_add(self.config.retry.base_ms),
            error: Some(error),
        };
        self.release_then(flight, backoff)
    }

    fn release_then(&self, flight: Flight, then: Phase) -> Phase {
        Phase::Release {
            record: flight.base.with_lease(None),
            expected: flight.lease_version,
            then: Box::new(then),
            sent: false,
        }
    }

    /// The provider no longer accepts the stored refresh token: `NEEDS_REAUTH`, saying why.
    pub(super) fn dead_refresh_token(&mut self, cause: &Error, lost: bool) -> Phase {
        let message = if lost {
            "the provider no longer accepts the refresh token: an earlier attempt of this \
             refresh failed in transit, so the provider most likely rotated it and its answer \
             never arrived; authorize again (a provider reuse grace period, `reuseGraceSeconds`, \
             avoids this)"
        } else {
            "the refresh token is no longer valid (revoked, expired or already used): authorize \
             again"
        };
        // The provider's `error`/`error_description` stay on it for the app's logs.
        let mut error = cause.clone();
        error.code = ErrorCode::NeedsReauth;
        error.message = message.into();
        self.failure = Some(error.clone());
        Phase::NeedsReauth {
            error,
            failed: self.record().cloned(),
        }
    }
}
