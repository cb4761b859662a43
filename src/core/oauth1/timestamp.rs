//! RFC 5849 §3.3: a server may refuse a timestamp too far from its own clock (the providers here
//! allow about ±300 s), so a client whose clock is off by more gets a 401 on every call. The
//! answer's `Date` header (RFC 9110 §6.6.1: an origin server with a clock sends one) says what
//! the server's clock reads: one refused call is enough to learn the offset and sign the retry,
//! and every later call, with it.

use crate::core::http::parse_http_date;

/// Offsets closer than this to the one in use are not corrected: no server's window is that
/// tight, and a 401 for another reason (a revoked token) must not cost a second request.
pub const MIN_CORRECTION_SECONDS: i64 = 60;

/// The clock offset (server − local, in seconds) to sign with after an answer of `status` with
/// the `Date` header `date`, received at `now_ms`, while signing with `current`: `Some` only for
/// a 401 from a server whose clock is at least [`MIN_CORRECTION_SECONDS`] away from ours
/// corrected by `current`.
pub fn corrected_offset(status: u16, date: Option<&str>, now_ms: u64, current: i64) -> Option<i64> {
    if status != 401 {
        return None;
    }
    let server_ms = parse_http_date(date?, now_ms)? as i64;
    // `Date` has whole seconds: round to the nearest one.
    let offset = (server_ms - now_ms as i64 + 500).div_euclid(1000);
    ((offset - current).abs() >= MIN_CORRECTION_SECONDS).then_some(offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 9110 §5.6.7's example date, `Sun, 06 Nov 1994 08:49:37 GMT`, in ms.
    const EXAMPLE: &str = "Sun, 06 Nov 1994 08:49:37 GMT";
    const EXAMPLE_MS: u64 = 784_111_777_000;

    #[test]
    fn a_refusal_from_a_server_ten_minutes_ahead_or_behind_gives_the_offset() {
        let ahead = corrected_offset(401, Some(EXAMPLE), EXAMPLE_MS - 600_000, 0);
        assert_eq!(ahead, Some(600));
        let behind = corrected_offset(401, Some(EXAMPLE), EXAMPLE_MS + 600_400, 0);
        assert_eq!(behind, Some(-600));
    }

    #[test]
    fn no_correction_when_the_clocks_agree_or_the_answer_is_not_a_refusal() {
        // Within a minute: the 401 has another reason.
        assert_eq!(
            corrected_offset(401, Some(EXAMPLE), EXAMPLE_MS + 59_000, 0),
            None
        );
        // Already signing with the server's clock.
        assert_eq!(
            corrected_offset(401, Some(EXAMPLE), EXAMPLE_MS - 600_000, 600),
            None
        );
        assert_eq!(
            corrected_offset(200, Some(EXAMPLE), EXAMPLE_MS - 600_000, 0),
            None
        );
        assert_eq!(
            corrected_offset(400, Some(EXAMPLE), EXAMPLE_MS - 600_000, 0),
            None
        );
        assert_eq!(corrected_offset(401, None, EXAMPLE_MS - 600_000, 0), None);
        assert_eq!(
            corrected_offset(401, Some("yesterday"), EXAMPLE_MS, 0),
            None
        );
    }

    #[test]
    fn a_second_correction_replaces_the_first() {
        assert_eq!(
            corrected_offset(401, Some(EXAMPLE), EXAMPLE_MS + 300_000, 600),
            Some(-300)
        );
    }
}
