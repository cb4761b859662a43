//! Bounded, jittered backoff for 429 (RFC 6585 §4) and 503 (RFC 9110 §15.6.4); the `Retry-After`
//! floor (RFC 9110 §10.2.3) comes from [`crate::core::http::parse_retry_after`]. Pure.

/// True for the statuses worth retrying after a pause: 429 Too Many Requests and 503 Service
/// Unavailable (the two RFC 9110 §10.2.3 names for `Retry-After`).
pub fn is_retryable_status(status: u16) -> bool {
    status == 429 || status == 503
}

/// A bounded retry policy for 429/503: at most `max_attempts` attempts in all, "full jitter"
/// exponential backoff (`uniform(0, min(max_ms, base_ms·2^(n−1)))`), and a server's
/// `Retry-After` honoured as a floor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = never retry).
    pub max_attempts: u32,
    /// Backoff before the second attempt (upper bound of its jitter).
    pub base_ms: u64,
    /// No single wait is longer; a `Retry-After` beyond it ends the retries at once, so the
    /// caller gets `RATE_LIMITED` with `retryAfter` instead of a request hanging for minutes.
    pub max_ms: u64,
}

impl Default for RetryPolicy {
    /// 3 attempts, 250 ms base, 10 s cap.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_ms: 250,
            max_ms: 10_000,
        }
    }
}

impl RetryPolicy {
    /// How long to wait before the next attempt, after `attempt` attempts (≥ 1) have failed
    /// with a retryable status; `None` means stop and report `RATE_LIMITED`.
    ///
    /// Without `retry_after_ms`: full jitter in `[0, min(max_ms, base_ms·2^(attempt−1))]`. With
    /// it: `retry_after_ms` plus a jitter in `[0, min(base_ms, max_ms − retry_after_ms)]`, so
    /// clients told the same date do not all return in the same millisecond. `random` is any
    /// uniformly random `u32` from the host.
    pub fn delay_ms(&self, attempt: u32, retry_after_ms: Option<u64>, random: u32) -> Option<u64> {
        if attempt == 0 || attempt >= self.max_attempts {
            return None;
        }
        match retry_after_ms {
            Some(floor) if floor > self.max_ms => None,
            Some(floor) => Some(floor + jitter(random, self.base_ms.min(self.max_ms - floor))),
            None => {
                let exp = 1u64.checked_shl(attempt - 1).unwrap_or(u64::MAX);
                let ceiling = self.base_ms.saturating_mul(exp).min(self.max_ms);
                Some(jitter(random, ceiling))
            }
        }
    }
}

/// A uniform value in `[0, upper]` from 32 random bits (multiply-shift, no modulo bias worth
/// mentioning at these sizes).
fn jitter(random: u32, upper: u64) -> u64 {
    ((u128::from(random) * (u128::from(upper) + 1)) >> 32) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retryable_statuses() {
        assert!(is_retryable_status(429));
        assert!(is_retryable_status(503));
        for s in [200, 401, 500, 502, 504] {
            assert!(!is_retryable_status(s));
        }
    }

    #[test]
    fn backoff_is_bounded_and_jittered() {
        let p = RetryPolicy {
            max_attempts: 4,
            base_ms: 100,
            max_ms: 250,
        };
        // Full jitter: random 0 → 0, random u32::MAX → the ceiling, half → about half.
        assert_eq!(p.delay_ms(1, None, 0), Some(0));
        assert_eq!(p.delay_ms(1, None, u32::MAX), Some(100));
        assert_eq!(p.delay_ms(2, None, u32::MAX), Some(200));
        assert_eq!(p.delay_ms(3, None, u32::MAX), Some(250)); // 400 capped at max_ms
        assert_eq!(p.delay_ms(2, None, 1 << 31), Some(100));
        // The attempt bound.
        assert_eq!(p.delay_ms(4, None, 0), None);
        assert_eq!(p.delay_ms(0, None, 0), None);
        // Retry-After is a floor plus at most base_ms, never above max_ms.
        assert_eq!(p.delay_ms(1, Some(120), 0), Some(120));
        assert_eq!(p.delay_ms(1, Some(120), u32::MAX), Some(220));
        assert_eq!(p.delay_ms(1, Some(200), u32::MAX), Some(250));
        assert_eq!(p.delay_ms(1, Some(250), u32::MAX), Some(250));
        assert_eq!(p.delay_ms(1, Some(251), 0), None);
        // Huge attempt numbers do not overflow.
        let big = RetryPolicy {
            max_attempts: u32::MAX,
            base_ms: u64::MAX,
            max_ms: u64::MAX,
        };
        // (32 random bits cannot address every ms of a u64 range: within 2^32 of the top.)
        assert!(big
            .delay_ms(200, None, u32::MAX)
            .is_some_and(|d| d >= u64::MAX - (1 << 32)));
        assert_eq!(big.delay_ms(1, Some(u64::MAX), u32::MAX), Some(u64::MAX));
    }
}
