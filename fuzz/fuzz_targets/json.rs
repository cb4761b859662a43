//! JSON bodies (src/core/parse/json.rs), against serde_json as the oracle: a body is read
//! exactly when serde_json reads it, as the same value, and the text written back reads (with
//! serde_json) as that value. serde_json is built with `arbitrary_precision` here (Cargo.toml):
//! numbers of any size, compared as their text, as the core keeps them. One documented
//! difference is skipped: nesting past the core's 64 levels (serde_json allows 128).
//!
//! Input: the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oauth_edge::core::parse::json;

fuzz_target!(|body: &[u8]| {
    let ours = json::parse(body);
    let oracle = serde_json::from_slice::<serde_json::Value>(body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body));
    match (&ours, &oracle) {
        (Ok(value), Ok(want)) => {
            let text = json::to_text(value);
            assert!(text.is_ascii(), "{text}");
            let back: serde_json::Value = serde_json::from_str(&text).expect("written text reads back");
            assert_eq!(&back, want);
        }
        (Err(_), Err(_)) => {}
        (Ok(value), Err(e)) => panic!("read what serde_json refuses ({e}): {}", json::to_text(value)),
        (Err(_), Ok(want)) => assert!(depth(want) > 64, "refused what serde_json reads: {want}"),
    }
});

fn depth(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
        serde_json::Value::Object(o) => 1 + o.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}
