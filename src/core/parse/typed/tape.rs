//! [`Records`]: typed records as a tape, the form in which XML and CSV pages cross to JS.
//!
//! Why a tape and not JSON text: `JSON.parse` of the typed JSON text was more than half of a
//! CSV page's cost (10,000 ZapEvent participants: 14.6 ms of 38 ms, papaparse took 26 ms for
//! everything). The tape is two flat arrays that `src/js/records.js` (`tapeRecords`) turns
//! into objects with one `TextDecoder` call and a loop: no key is parsed twice, no string is
//! scanned for escapes (a JS model of it: 6.3 ms against `JSON.parse`'s 14 ms for the same
//! records).
//!
//! - `text`: every string, key and non-integer number that is ASCII, in the order the ops use
//!   them;
//! - `wide`: the same for those that are not, each announced by a [`WIDE`] op. Why apart: V8
//!   decodes UTF-8 with a few accented names in it into a two-byte string, about ten times
//!   slower than ASCII into a one-byte one (and every string sliced from it is two-byte too);
//! - `ops`: one `u32` per event, `op | arg << 4`; a string's `arg` is its length in UTF-16 code
//!   units (JS slices `text` or `wide` with a running cursor each), an integer's its value, a
//!   key's its index in the keys defined so far; an `arg` of [`ARG_FOLLOWS`] means the next word
//!   is the `arg`.
//!
//! The ops' numbering is shared with `records.js`; keep the two in step.

use super::super::json;
use super::super::Value;
use crate::core::text::decimal_digits;

/// `{`: the values up to the matching [`END`] are its fields (each after a key op).
pub const OBJECT: u32 = 0;
/// `[`: the values up to the matching [`END`] are its items.
pub const ARRAY: u32 = 1;
/// `}` or `]`.
pub const END: u32 = 2;
/// The next value's key: `arg` indexes the keys defined so far.
pub const KEY: u32 = 3;
/// Defines the next key (`arg` UTF-16 units of `text`) and makes it the next value's key.
pub const KEY_NEW: u32 = 4;
/// A string of `arg` UTF-16 units of `text`.
pub const STRING: u32 = 5;
/// The integer `arg`.
pub const INTEGER: u32 = 6;
/// A number written as JSON (`arg` UTF-16 units of `text`), for JS's `Number()`: amounts, and
/// integers negative or too large for an `arg`.
pub const NUMBER_TEXT: u32 = 7;
/// `true`.
pub const TRUE: u32 = 8;
/// `false`.
pub const FALSE: u32 = 9;
/// Any JSON value as text (`arg` UTF-16 units of `text`), for JS's `JSON.parse`.
pub const JSON: u32 = 10;
/// The next op's text is in `wide`, not `text`.
pub const WIDE: u32 = 11;
/// `{` of a CSV row: its fields take the interned keys from `arg` on, in order, one per value;
/// a [`SKIP`] passes one (an absent field). No key op per field: half of a CSV page's ops.
pub const ROW: u32 = 12;
/// In a [`ROW`]: the next key has no value.
pub const SKIP: u32 = 13;
/// A [`ROW`] with a value for every key of the header, in order: JS builds it as a copy of the
/// page's first such record (`{...shape}`: its final shape at once, no property store growing
/// field by field; 10,000 ZapEvent participants: see `write_csv`).
pub const ROW_FULL: u32 = 14;
/// An `arg` field of all ones: the `arg` is the next word.
pub const ARG_FOLLOWS: u32 = u32::MAX >> 4;

/// Keys interned per page; a record with more distinct field names defines the rest each time.
const MAX_KEYS: usize = 256;

/// Where one top-level record lies in `ops`, `text` and `wide`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Span {
    ops: (usize, usize),
    text: (usize, usize),
    wide: (usize, usize),
}

/// Typed records, written once by the record writer (`write_csv`, `write_value`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Records {
    text: String,
    wide: String,
    ops: Vec<u32>,
    /// The interned keys' byte ranges in `text`, by index (a key beyond ASCII is not interned).
    keys: Vec<(usize, usize)>,
    /// Where the last key was found: fields come in the same order record after record.
    key_hint: usize,
    spans: Vec<Span>,
}

impl Records {
    /// Number of records.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The three arrays `records.js` decodes: text (ASCII), wide (UTF-8) and ops.
    pub fn parts(&self) -> (&[u8], &[u8], &[u32]) {
        (self.text.as_bytes(), self.wide.as_bytes(), &self.ops)
    }

    /// Keeps only the first `n` records (the keys they do not define go too).
    pub fn truncate(&mut self, n: usize) {
        if n < self.spans.len() {
            let end = match n {
                0 => Span::default(),
                _ => self.spans[n - 1],
            };
            let (ops, text) = (end.ops.1, end.text.1);
            self.ops.truncate(ops);
            self.text.truncate(text);
            self.wide.truncate(end.wide.1);
            self.keys.retain(|k| k.1 <= text);
            self.spans.truncate(n);
        }
    }

    /// Appends a value as a record, untyped (generic JSON APIs).
    pub fn push_value(&mut self, value: &Value) {
        self.begin_record();
        self.value(value);
        self.end_record();
    }

    // ---- writing ------------------------------------------------------------------------------

    pub(super) fn begin_record(&mut self) {
        self.spans.push(Span {
            ops: (self.ops.len(), 0),
            text: (self.text.len(), 0),
            wide: (self.wide.len(), 0),
        });
    }

    pub(super) fn end_record(&mut self) {
        if let Some(span) = self.spans.last_mut() {
            span.ops.1 = self.ops.len();
            span.text.1 = self.text.len();
            span.wide.1 = self.wide.len();
        }
    }

    fn op(&mut self, op: u32, arg: usize) {
        match u32::try_from(arg) {
            Ok(a) if a < ARG_FOLLOWS => self.ops.push(op | a << 4),
            // Longer than 2^28 - 1: a body that large is refused before parsing, but no arg
            // is ever cut.
            _ => self.ops.extend([op | ARG_FOLLOWS << 4, arg as u32]),
        }
    }

    fn push_text(&mut self, op: u32, s: &str) {
        if s.is_ascii() {
            self.text.push_str(s);
            self.op(op, s.len());
        } else {
            self.ops.push(WIDE);
            self.wide.push_str(s);
            self.op(op, utf16_len(s));
        }
    }

    pub(super) fn begin_object(&mut self) {
        self.ops.push(OBJECT);
    }

    /// A [`ROW`] whose first field's key is interned key `first_key`; returns where its op is,
    /// for [`Records::full_row`].
    pub(super) fn begin_row(&mut self, first_key: u32) -> usize {
        let at = self.ops.len();
        self.op(ROW, first_key as usize);
        at
    }

    /// Makes the [`ROW`] at `at` a [`ROW_FULL`] (the caller knows every key got a value).
    pub(super) fn full_row(&mut self, at: usize) {
        if let Some(word) = self.ops.get_mut(at) {
            *word = (*word & !15) | ROW_FULL;
        }
    }

    pub(super) fn skip(&mut self) {
        self.ops.push(SKIP);
    }

    pub(super) fn begin_array(&mut self) {
        self.ops.push(ARRAY);
    }

    pub(super) fn end(&mut self) {
        self.ops.push(END);
    }

    /// The index of key `name`, defining it (and making it the next value's key) when new.
    pub(super) fn intern(&mut self, name: &str) -> Option<u32> {
        let n = self.keys.len();
        for k in 0..n {
            let i = (self.key_hint + k) % n;
            let (a, b) = self.keys[i];
            if &self.text[a..b] == name {
                self.key_hint = i + 1;
                return Some(i as u32);
            }
        }
        let start = self.text.len();
        self.push_text(KEY_NEW, name);
        if n < MAX_KEYS && name.is_ascii() {
            self.keys.push((start, self.text.len()));
            self.key_hint = n + 1;
        }
        None
    }

    /// The next value's key.
    pub(super) fn key(&mut self, name: &str) {
        if let Some(i) = self.intern(name) {
            self.op(KEY, i as usize);
        }
    }

    /// The next value's key, by the index [`Records::intern`] gave it.
    pub(super) fn key_index(&mut self, index: u32) {
        self.op(KEY, index as usize);
    }

    pub(super) fn string(&mut self, s: &str) {
        self.push_text(STRING, s);
    }

    /// A string whose text `write` appends, when it says it could (a date written in place).
    pub(super) fn string_with(&mut self, write: impl FnOnce(&mut String) -> bool) -> bool {
        let start = self.text.len();
        let ok = write(&mut self.text);
        if !ok {
            self.text.truncate(start);
        } else if self.text[start..].is_ascii() {
            self.op(STRING, self.text.len() - start);
        } else {
            let s = self.text.split_off(start);
            self.push_text(STRING, &s);
        }
        ok
    }

    /// An integer of at most 15 digits.
    pub(super) fn integer(&mut self, negative: bool, n: u64) {
        let negative = negative && n != 0;
        match u32::try_from(n) {
            Ok(a) if a < ARG_FOLLOWS && !negative => self.ops.push(INTEGER | a << 4),
            _ => {
                let mut buf = [0; 20];
                let digits = decimal_digits(n, &mut buf);
                let mut text = String::from(if negative { "-" } else { "" });
                text.push_str(std::str::from_utf8(digits).unwrap_or("0"));
                self.number_text(&text);
            }
        }
    }

    /// A number as JSON number text (an amount: `1234.50`).
    pub(super) fn number_text(&mut self, json: &str) {
        self.push_text(NUMBER_TEXT, json);
    }

    /// A number whose JSON text `write` appends (ASCII), when it says it could. A whole amount
    /// (`70.00`, the common one) becomes an [`INTEGER`] op: the same JS number, with no text to
    /// slice and convert (a tenth of a CSV page's decoding in JS).
    pub(super) fn number_with(&mut self, write: impl FnOnce(&mut String) -> bool) -> bool {
        let start = self.text.len();
        let ok = write(&mut self.text);
        if ok {
            let written = &self.text[start..];
            // A byte search: `split_once('.')` is a pattern searcher call at opt-level z.
            let whole = match written.bytes().position(|b| b == b'.') {
                Some(i) => written[i + 1..]
                    .bytes()
                    .all(|b| b == b'0')
                    .then(|| &written[..i]),
                None => Some(written),
            };
            const BELOW: u64 = ARG_FOLLOWS as u64;
            if let Some((false, n @ 0..BELOW)) = whole.and_then(super::integer_text) {
                self.text.truncate(start);
                self.ops.push(INTEGER | (n as u32) << 4);
            } else {
                self.op(NUMBER_TEXT, self.text.len() - start);
            }
        }
        ok
    }

    pub(super) fn boolean(&mut self, b: bool) {
        self.ops.push(if b { TRUE } else { FALSE });
    }

    /// Any value as it is, as JSON text for JS's `JSON.parse` (nested objects a provider sends
    /// that no rule types, generic JSON APIs' items: not the hot path).
    pub(super) fn value(&mut self, value: &Value) {
        self.push_text(JSON, &json::to_text(value));
    }

    /// What a repeated page is recognised by: the count, the first and the last record's ops and
    /// text. Not every byte: hashing megabytes per page cost 3 % of a
    /// 10,000-record CSV run.
    pub fn sample(&self) -> Vec<u8> {
        let mut out = decimal_digits(self.len() as u64, &mut [0; 20]).to_vec();
        for i in [0, self.len().saturating_sub(1)] {
            if let Some(span) = self.spans.get(i) {
                let ops = &self.ops[span.ops.0..span.ops.1];
                for w in ops {
                    out.extend_from_slice(&w.to_le_bytes());
                }
                out.extend_from_slice(&self.text.as_bytes()[span.text.0..span.text.1]);
                out.extend_from_slice(&self.wide.as_bytes()[span.wide.0..span.wide.1]);
            }
        }
        out
    }

    // ---- reading back as JSON: native callers, tests and fuzz targets. The release wasm hands the
    // tape itself to JS and reads nothing back, so this is not compiled into it: unused, it would
    // be dropped at link time anyway, but its presence alone reordered the module (+156 B brotli).

    /// The JSON text of record `i`.
    #[cfg(any(debug_assertions, not(target_arch = "wasm32")))]
    pub fn record_json(&self, i: usize) -> Option<String> {
        let span = self.spans.get(i)?;
        let mut out = Vec::new();
        self.write_json(span, &mut out);
        String::from_utf8(out).ok()
    }

    /// The JSON array of every record.
    #[cfg(any(debug_assertions, not(target_arch = "wasm32")))]
    pub fn to_json(&self) -> String {
        let mut out = vec![b'['];
        for (i, span) in self.spans.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            self.write_json(span, &mut out);
        }
        out.push(b']');
        String::from_utf8(out).unwrap_or_default()
    }

    #[cfg(any(debug_assertions, not(target_arch = "wasm32")))]
    fn write_json(&self, span: &Span, out: &mut Vec<u8>) {
        // Per open container: (no comma before its next member yet, its closing bracket, a
        // ROW's next key index).
        let mut open: Vec<(bool, u8, Option<usize>)> = vec![(true, 0, None)];
        let (mut at, mut wide_at) = (span.text.0, span.wide.0);
        let mut i = span.ops.0;
        let mut after_key = false;
        let mut wide = false;
        while i < span.ops.1 {
            let word = self.ops[i];
            let (op, mut arg) = (word & 15, (word >> 4) as usize);
            if arg == ARG_FOLLOWS as usize {
                i += 1;
                arg = self.ops.get(i).copied().unwrap_or(0) as usize;
            }
            i += 1;
            if op == WIDE {
                wide = true;
                continue;
            }
            let piece = match op {
                KEY_NEW | STRING | NUMBER_TEXT | JSON if std::mem::take(&mut wide) => {
                    let start = wide_at;
                    wide_at = advance_utf16(&self.wide, wide_at, arg);
                    &self.wide[start..wide_at]
                }
                KEY_NEW | STRING | NUMBER_TEXT | JSON => {
                    let start = at;
                    at = advance_utf16(&self.text, at, arg);
                    &self.text[start..at]
                }
                _ => "",
            };
            let key_name =
                |index: usize| self.keys.get(index).map_or("", |&(a, b)| &self.text[a..b]);
            let next_in_row = match open.last_mut() {
                Some((_, _, Some(next))) if op != END => {
                    *next += 1;
                    Some(*next - 1)
                }
                _ => None,
            };
            if op == SKIP {
                continue;
            }
            if op == KEY || op == KEY_NEW || next_in_row.is_some() {
                let name = match (op, next_in_row) {
                    (_, Some(index)) => key_name(index),
                    (KEY, _) => key_name(arg),
                    _ => piece,
                };
                comma(out, &mut open);
                json::push_string(out, name);
                out.push(b':');
                after_key = true;
                if next_in_row.is_none() {
                    continue;
                }
            }
            if op == END {
                if let Some((_, close, _)) = open.pop() {
                    out.push(close);
                }
                continue;
            }
            if !std::mem::take(&mut after_key) {
                comma(out, &mut open);
            }
            match op {
                OBJECT => {
                    out.push(b'{');
                    open.push((true, b'}', None));
                }
                ROW | ROW_FULL => {
                    out.push(b'{');
                    open.push((true, b'}', Some(arg)));
                }
                ARRAY => {
                    out.push(b'[');
                    open.push((true, b']', None));
                }
                STRING => json::push_string(out, piece),
                NUMBER_TEXT | JSON => out.extend_from_slice(piece.as_bytes()),
                INTEGER => out.extend_from_slice(decimal_digits(arg as u64, &mut [0; 20])),
                TRUE => out.extend_from_slice(b"true"),
                _ => out.extend_from_slice(b"false"),
            }
        }
    }
}

#[cfg(any(debug_assertions, not(target_arch = "wasm32")))]
fn comma(out: &mut Vec<u8>, open: &mut [(bool, u8, Option<usize>)]) {
    if let Some((first, _, _)) = open.last_mut() {
        if !std::mem::take(first) {
            out.push(b',');
        }
    }
}

/// Length of `s` in UTF-16 code units (what JS's `String.prototype.slice` counts): one per
/// character, two for those beyond the BMP (4-byte sequences in UTF-8).
fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        return s.len();
    }
    s.bytes()
        .map(|b| usize::from(b & 0xc0 != 0x80) + usize::from(b >= 0xf0))
        .sum()
}

/// The byte offset `n16` UTF-16 code units after byte offset `at` of `text`.
#[cfg(any(debug_assertions, not(target_arch = "wasm32")))]
fn advance_utf16(text: &str, at: usize, n16: usize) -> usize {
    let mut units = 0;
    let mut end = at;
    for c in text.get(at..).unwrap_or("").chars() {
        if units >= n16 {
            break;
        }
        units += c.len_utf16();
        end += c.len_utf8();
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_arg_too_large_for_its_word_follows_it() {
        let mut r = Records::default();
        r.op(STRING, 7);
        r.op(STRING, ARG_FOLLOWS as usize - 1);
        r.op(STRING, ARG_FOLLOWS as usize + 5);
        assert_eq!(
            r.ops,
            [
                STRING | 7 << 4,
                STRING | (ARG_FOLLOWS - 1) << 4,
                STRING | ARG_FOLLOWS << 4,
                ARG_FOLLOWS + 5
            ]
        );
    }

    #[test]
    fn whole_amounts_are_integer_ops() {
        let mut r = Records::default();
        for amount in ["70.00", "0", "12.50", "-5", "300000000", "99999999.0"] {
            assert!(r.number_with(|t| {
                t.push_str(amount);
                true
            }));
        }
        assert!(!r.number_with(|_| false));
        assert_eq!(
            r.ops,
            [
                INTEGER | 70 << 4,
                INTEGER,
                NUMBER_TEXT | 5 << 4,
                NUMBER_TEXT | 2 << 4,
                NUMBER_TEXT | 9 << 4,
                INTEGER | 99_999_999 << 4,
            ]
        );
        assert_eq!(r.text, "12.50-5300000000");
    }

    #[test]
    fn text_beyond_ascii_goes_to_wide() {
        let mut r = Records::default();
        r.begin_record();
        r.begin_object();
        r.key("name");
        r.string("Zoë");
        r.key("né");
        r.string("plain");
        r.end();
        r.end_record();
        r.begin_record();
        r.begin_object();
        r.key("name");
        r.string("𝄞");
        r.key("né");
        r.string("x");
        r.end();
        r.end_record();
        let (text, wide, _) = r.parts();
        assert_eq!(text, b"nameplainx");
        assert_eq!(wide, "Zoëné𝄞né".as_bytes());
        assert!(r.parts().2.contains(&WIDE));
        // A key beyond ASCII is not interned: defined again in the second record.
        let json = |r: &Records| serde_json::from_str::<serde_json::Value>(&r.to_json()).unwrap();
        let want = serde_json::json!([{"name": "Zoë", "né": "plain"}, {"name": "𝄞", "né": "x"}]);
        assert_eq!(json(&r), want);
        r.truncate(1);
        assert_eq!(r.parts().1, "Zoëné".as_bytes());
        assert_eq!(
            json(&r),
            serde_json::json!([{"name": "Zoë", "né": "plain"}])
        );
    }

    #[test]
    fn lengths_are_in_utf16_code_units() {
        // std's encoder is the reference: what JS's String.prototype.slice counts.
        for s in [
            "",
            "abc",
            "é",
            "李",
            "𝄞",
            "a𝄞é\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}",
        ] {
            assert_eq!(utf16_len(s), s.encode_utf16().count(), "{s:?}");
            assert_eq!(advance_utf16(s, 0, utf16_len(s)), s.len(), "{s:?}");
        }
    }
}
