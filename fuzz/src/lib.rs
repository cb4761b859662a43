//! Helpers shared by the fuzz targets: how a fuzz input is cut into an option header, text
//! fields and a body, and the checks several targets make on the core's output.
//!
//! Input layout of every target except `session` (README.md gives each target's fields):
//!
//! ```text
//!   header (H bytes, fixed, zero-padded when the input is shorter)
//!   field₁ 0xFF field₂ 0xFF … fieldₙ 0xFF
//!   body (everything left, 0xFF bytes included)
//! ```
//!
//! 0xFF never occurs in UTF-8, so a text field loses nothing to the separator; a field that is
//! not UTF-8 is read lossily (U+FFFD). The layout keeps seeds readable and lets
//! `fuzz/seeds.py` write them straight from the repository's vectors and recorded bodies.

use oauth_edge::core::http::Response;
use oauth_edge::core::parse::typed::Records;
use std::borrow::Cow;

/// The separator between text fields.
pub const SEP: u8 = 0xFF;

/// A fuzz input being taken apart, front to back.
pub struct Input<'a> {
    rest: &'a [u8],
}

impl<'a> Input<'a> {
    /// Splits off a fixed header of `N` bytes (zero-padded).
    pub fn new<const N: usize>(data: &'a [u8]) -> ([u8; N], Input<'a>) {
        let mut header = [0u8; N];
        let n = data.len().min(N);
        header[..n].copy_from_slice(&data[..n]);
        (header, Input { rest: &data[n..] })
    }

    /// The next text field (up to the next 0xFF, or the end).
    pub fn field(&mut self) -> Cow<'a, str> {
        let (field, rest) = match self.rest.iter().position(|b| *b == SEP) {
            Some(i) => (&self.rest[..i], &self.rest[i + 1..]),
            None => (self.rest, &self.rest[self.rest.len()..]),
        };
        self.rest = rest;
        String::from_utf8_lossy(field)
    }

    /// Everything not consumed yet.
    pub fn body(self) -> &'a [u8] {
        self.rest
    }
}

/// HTTP statuses worth telling apart (a byte picks one).
pub const STATUSES: [u16; 20] = [
    200, 201, 204, 299, 400, 401, 403, 404, 409, 429, 500, 503, 0, 100, 199, 300, 302, 399, 599,
    999,
];

/// The status a header byte picks.
pub fn status(b: u8) -> u16 {
    STATUSES[b as usize % STATUSES.len()]
}

/// A clock value from 4 bytes: ms since the epoch between 1970 and about 2106 (u32 seconds), the
/// range a host's `Date.now()` gives; hosts never pass more (`Number` beyond 2^53 is not a time).
pub fn now_ms(b: [u8; 4]) -> u64 {
    u64::from(u32::from_le_bytes(b)) * 1000 + u64::from(b[0]) % 1000
}

/// A response with the given headers (empty values left out) and body.
pub fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Response {
    Response {
        status,
        headers: headers
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        body: body.to_vec(),
    }
}

/// The core hands records to JS as a tape (`typed::Records`); read back as JSON it must be valid:
/// the whole page a JSON array with one item per record, each `record_json(i)` that item, and a
/// prefix (`truncate`, what `maxItems` and `event()` cut to) the same first items.
pub fn assert_records(records: &Records) {
    let all = records.to_json();
    let value: serde_json::Value = serde_json::from_str(&all)
        .unwrap_or_else(|e| panic!("records are not valid JSON ({e}): {all:?}"));
    let items = value
        .as_array()
        .unwrap_or_else(|| panic!("records are not a JSON array: {all:?}"));
    assert_eq!(items.len(), records.len(), "record count: {all:?}");
    for (i, item) in items.iter().enumerate() {
        let text = records
            .record_json(i)
            .unwrap_or_else(|| panic!("record_json({i}) is None: {all:?}"));
        let one: serde_json::Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("record {i} is not valid JSON ({e}): {text:?}"));
        assert_eq!(&one, item, "record_json({i}) is not item {i} of {all:?}");
    }
    assert!(records.record_json(records.len()).is_none());
    let half = records.len() / 2;
    let mut first = records.clone();
    first.truncate(half);
    let prefix: serde_json::Value = serde_json::from_str(&first.to_json())
        .unwrap_or_else(|e| panic!("the first {half} records are not valid JSON ({e})"));
    assert_eq!(prefix.as_array().map(Vec::len), Some(half));
    assert_eq!(prefix.as_array().map(|p| &p[..]), Some(&items[..half]));
}

/// A run of the pager (src/core/paging/) fed one page's metadata and record count up to four
/// times, from a cursor read from `resume` (users keep cursors as text): what it keeps never
/// exceeds what came or `max_items`, and a cursor it hands out reads back as itself.
pub fn run_pager(
    scheme: oauth_edge::core::paging::Scheme,
    options: u8,
    resume: &str,
    meta: &oauth_edge::core::paging::PageMeta,
    records: &Records,
) {
    use oauth_edge::core::paging::{fingerprint, Cursor, Pager};
    let resume = Cursor::decode(resume).ok();
    if let Some(c) = &resume {
        assert_eq!(Cursor::decode(&c.encode()).as_ref(), Ok(c));
    }
    let page_size = [1, 2, 100, 250, u64::MAX][options as usize % 5];
    let max_items = (options & 8 != 0).then_some(u64::from(options >> 4));
    let mut pager = Pager::new(scheme, page_size, max_items, resume);
    let items = records.len() as u64;
    for round in 0..4u64 {
        if pager.poll().is_none() {
            break;
        }
        let before = pager.progress().fetched;
        // Round 0 and 1 see the same content: the second is a repeat unless it is empty.
        let print = fingerprint(&records.sample()).wrapping_add(round.saturating_sub(1));
        if let Ok(keep) = pager.handle_page(meta, items, print) {
            assert!(keep <= items);
            let fetched = pager.progress().fetched;
            assert_eq!(fetched, before.saturating_add(keep));
            if let Some(max) = max_items {
                assert!(fetched <= max.max(before), "fetched {fetched} > max {max}");
            }
        }
        if let Some(c) = pager.cursor() {
            let text = c.encode();
            if c.page < 1_000_000_000_000_000
                && c.offset < 1_000_000_000_000_000
                && c.fetched < 1_000_000_000_000_000
            {
                assert_eq!(Cursor::decode(&text).as_ref(), Ok(c), "{text:?}");
            }
        }
    }
}
