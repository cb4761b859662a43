//! `Retry-After` and HTTP dates (src/core/http/date.rs, retry_after.rs): the three RFC 9110
//! §5.6.7 date forms and delta-seconds, at any clock. A parsed IMF-fixdate must print back to
//! the same date and time (checked with an independent civil-date conversion).
//!
//! Input: 4 clock bytes, then the header value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oauth_edge::core::http::{parse_http_date, parse_retry_after};
use oauth_edge_fuzz::{now_ms, Input};

fuzz_target!(|data: &[u8]| {
    let (clock, input) = Input::new::<4>(data);
    let value = String::from_utf8_lossy(input.body());
    let now = now_ms(clock);

    let date = parse_http_date(&value, now);
    let delay = parse_retry_after(&value, now);
    let trimmed = value.trim();
    if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        let seconds = trimmed.parse::<u64>().unwrap_or(u64::MAX);
        assert_eq!(delay, Some(seconds.saturating_mul(1000)));
    } else {
        assert_eq!(delay, date.map(|at| at.saturating_sub(now)));
    }
    // Any clock, not only a host's: parsing never depends on it except for RFC 850 years.
    let _ = parse_http_date(&value, u64::MAX);
    let _ = parse_http_date(&value, 0);

    // IMF-fixdate `Day, DD Mon YYYY HH:MM:SS GMT` (weekday not checked by the parser; a leap
    // second and dates before 1970 do not print back).
    if let (Some(ms), Some((_, rest))) = (date, trimmed.split_once(", ")) {
        let imf = rest.len() == 24 && rest.ends_with(" GMT") && rest.as_bytes()[6] == b' ';
        if imf && ms > 0 && !rest.contains(":60 ") {
            assert_eq!(ms % 1000, 0);
            assert_eq!(imf_date(ms / 1000), rest, "{value:?}");
        }
    }
});

/// `DD Mon YYYY HH:MM:SS GMT` of seconds since the epoch (proleptic Gregorian, by counting).
fn imf_date(secs: u64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let leap = |y: u64| (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let (mut days, rem) = (secs / 86_400, secs % 86_400);
    let mut year = 1970;
    loop {
        let len = if leap(year) { 366 } else { 365 };
        if days < len {
            break;
        }
        days -= len;
        year += 1;
    }
    let mut month = 0;
    loop {
        let len = match month {
            1 if leap(year) => 29,
            1 => 28,
            3 | 5 | 8 | 10 => 30,
            _ => 31,
        };
        if days < len {
            break;
        }
        days -= len;
        month += 1;
    }
    format!(
        "{:02} {} {:04} {:02}:{:02}:{:02} GMT",
        days + 1,
        MONTHS[month],
        year,
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}
