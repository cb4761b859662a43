//! RFC 9110 §10.2.3 `Retry-After`: delta-seconds or an HTTP-date (§5.6.7, parsed by
//! [`super::date`]), turned into a delay in ms from `now`.

use super::date::parse_http_date;

/// Parses a `Retry-After` value into a delay in ms from `now_ms`: delta-seconds, or an
/// HTTP-date (a date in the past means 0). `None` when it is neither.
pub fn parse_retry_after(value: &str, now_ms: u64) -> Option<u64> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // delta-seconds = 1*DIGIT; absurdly long values saturate instead of failing.
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(seconds.saturating_mul(1000));
    }
    parse_http_date(value, now_ms).map(|at| at.saturating_sub(now_ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    // 1994-11-06T08:49:37Z, the RFC 9110 §5.6.7 example, is 784111777 s after the epoch.
    const EXAMPLE_MS: u64 = 784_111_777_000;

    #[test]
    fn retry_after_values() {
        assert_eq!(parse_retry_after("120", 0), Some(120_000));
        assert_eq!(parse_retry_after(" 0 ", 0), Some(0));
        assert_eq!(
            parse_retry_after("99999999999999999999999", 0),
            Some(u64::MAX)
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", EXAMPLE_MS - 7_500),
            Some(7_500)
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", EXAMPLE_MS + 1),
            Some(0)
        );
        for bad in ["", "-1", "1.5", "soon", "1 2"] {
            assert_eq!(parse_retry_after(bad, 0), None, "{bad:?}");
        }
    }
}
