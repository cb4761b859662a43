//! The Online Registration Center's Event Roster answer (src/core/providers/orc/roster.rs):
//! `{"attendees": [...]}` typed (numbers, dates to ISO 8601), error bodies and statuses, and
//! the date reader it uses (src/core/parse/date.rs). Records handed to JS must be valid JSON
//! with `start_date`/`trxdate` in ISO 8601. And the ASCII form every JSON list body crosses to JS
//! in (src/core/parse/json.rs `ascii_text`): ASCII, `None` exactly when the body is not UTF-8,
//! and the same JSON value as the body (or invalid JSON exactly when the body is).
//!
//! Input: 1 status byte, then the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oauth_edge::core::parse::date::iso_date;
use oauth_edge::core::parse::json::ascii_text;
use oauth_edge::core::providers::orc::{roster::parse_roster, PROVIDER};
use oauth_edge_fuzz::{assert_records, response, status, Input};

fuzz_target!(|data: &[u8]| {
    let ([s], input) = Input::new::<1>(data);
    let body = input.body();
    let status = if s < 128 { 200 } else { status(s) };
    let response = response(status, &[], body);

    match parse_roster(&response) {
        Ok(records) => {
            assert!(response.is_success());
            assert_records(&records);
            let all: serde_json::Value = serde_json::from_str(&records.to_json()).unwrap();
            for record in all.as_array().unwrap() {
                for field in ["start_date", "trxdate"] {
                    if let Some(serde_json::Value::String(d)) = record.get(field) {
                        assert_iso(d);
                    }
                }
            }
        }
        Err(e) => assert_eq!(e.provider.as_deref(), Some(PROVIDER), "{e:?}"),
    }

    let without_bom = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    match ascii_text(body, &mut Vec::new()) {
        Some(ascii) => {
            assert!(ascii.is_ascii() || std::str::from_utf8(ascii).is_ok());
            let parse = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).ok();
            assert_eq!(parse(ascii), parse(without_bom), "ascii_text changed the JSON value");
        }
        None => assert!(std::str::from_utf8(without_bom).is_err()),
    }

    let text = String::from_utf8_lossy(body);
    if let Some(iso) = iso_date(&text) {
        assert_iso(&iso);
        assert_eq!(
            iso_date(&iso).as_deref(),
            Some(&*iso),
            "not idempotent: {text:?}"
        );
    }
});

/// `YYYY-MM-DD` of a real calendar day, then nothing or `T` and a time.
fn assert_iso(d: &str) {
    let b = d.as_bytes();
    assert!(b.len() >= 10, "{d:?}");
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    assert!(
        digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        "{d:?}"
    );
    let (y, m, day): (u32, u32, u32) = (
        d[..4].parse().unwrap(),
        d[5..7].parse().unwrap(),
        d[8..10].parse().unwrap(),
    );
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let len = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    assert!(
        (1..=12).contains(&m) && day >= 1 && day <= len[m as usize - 1],
        "{d:?}"
    );
    assert!(b.len() == 10 || b[10] == b'T', "{d:?}");
}
