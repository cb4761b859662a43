//! JSON (RFC 8259): the reader of bodies into [`Value`] trees and the writer of trees as text.
//!
//! Written here rather than taken from serde_json (issue 10: serde_json, serde and the trees'
//! visitors were ~26 KB raw of the wasm, 7.7 KB brotli). The reader is strict RFC 8259 (no
//! comments, no trailing commas, no lone surrogates, control characters escaped) and bounds
//! nesting at [`MAX_DEPTH`]; numbers keep their text ([`Number`]: any size, as `JSON.parse`
//! reads them, where serde_json refuses one beyond a double); a repeated name keeps its last
//! value.

use super::value::{Map, Number, Value};
use super::MAX_DEPTH;
use crate::core::error::{Error, Result};

/// Parses a JSON body (a UTF-8 byte-order mark is skipped).
pub fn parse(body: &[u8]) -> Result<Value> {
    let bad = || Error::parse("the body is not valid JSON");
    let text = super::utf8_without_bom(body).ok_or_else(bad)?;
    let mut reader = Reader { text, at: 0 };
    let value = reader.value(0).ok_or_else(bad)?;
    reader.skip_whitespace();
    if reader.at != text.len() {
        return Err(bad());
    }
    Ok(value)
}

/// A recursive-descent reader over UTF-8 text: every method returns `None` on a syntax error.
/// Positions only ever stop at ASCII bytes, so every slice of `text` is on a char boundary.
struct Reader<'a> {
    text: &'a str,
    at: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Skips whitespace, then `byte` if it is next.
    fn eat(&mut self, byte: u8) -> bool {
        self.skip_whitespace();
        let next = self.peek() == Some(byte);
        self.at += usize::from(next);
        next
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        self.skip_whitespace();
        let (word, value): (&str, Value) = match self.peek()? {
            b'{' | b'[' if depth >= MAX_DEPTH => return None,
            b'{' => return self.object(depth).map(Value::Object),
            b'[' => return self.array(depth).map(Value::Array),
            b'"' => return self.string().map(Value::String),
            b't' => ("true", Value::Bool(true)),
            b'f' => ("false", Value::Bool(false)),
            b'n' => ("null", Value::Null),
            _ => return self.number().map(Value::Number),
        };
        self.text[self.at..].starts_with(word).then(|| {
            self.at += word.len();
            value
        })
    }

    fn object(&mut self, depth: usize) -> Option<Map> {
        self.at += 1;
        let mut members = Vec::new();
        if self.eat(b'}') {
            return Some(Map::new());
        }
        loop {
            self.skip_whitespace();
            if self.peek()? != b'"' {
                return None;
            }
            let name = self.string()?;
            if !self.eat(b':') {
                return None;
            }
            members.push((name, self.value(depth + 1)?));
            if !self.eat(b',') {
                // A repeated name: the last value (RFC 8259 §4 leaves it open; JSON.parse's rule).
                let last = &mut |slot: &mut Value, v| *slot = v;
                return self.eat(b'}').then(|| Map::from_members(members, last));
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<Vec<Value>> {
        self.at += 1;
        let mut items = Vec::new();
        if self.eat(b']') {
            return Some(items);
        }
        loop {
            items.push(self.value(depth + 1)?);
            if !self.eat(b',') {
                return self.eat(b']').then_some(items);
            }
        }
    }

    /// A string, from its opening quote (RFC 8259 §7).
    fn string(&mut self) -> Option<String> {
        self.at += 1;
        let mut out = String::new();
        let mut run = self.at;
        loop {
            match self.peek()? {
                b'"' => {
                    out.push_str(&self.text[run..self.at]);
                    self.at += 1;
                    return Some(out);
                }
                b'\\' => {
                    out.push_str(&self.text[run..self.at]);
                    self.at += 1;
                    out.push(self.escape()?);
                    run = self.at;
                }
                0..=0x1F => return None,
                _ => self.at += 1,
            }
        }
    }

    /// The character of an escape, after its backslash. A `\u` escape of a UTF-16 high
    /// surrogate must be followed by one of a low surrogate: a lone one denotes no character.
    fn escape(&mut self) -> Option<char> {
        let byte = self.peek()?;
        self.at += 1;
        Some(match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4()?;
                if (0xD800..0xDC00).contains(&unit) {
                    if !self.text[self.at..].starts_with("\\u") {
                        return None;
                    }
                    self.at += 2;
                    let low = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return None;
                    }
                    char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))?
                } else {
                    char::from_u32(unit)?
                }
            }
            _ => return None,
        })
    }

    /// Four hex digits.
    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.as_bytes().get(self.at..self.at + 4)?;
        self.at += 4;
        digits
            .iter()
            .try_fold(0, |n, &d| Some(n << 4 | char::from(d).to_digit(16)?))
    }

    /// A number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` (RFC 8259 §6).
    fn number(&mut self) -> Option<Number> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        let mut at = start + usize::from(bytes.get(start) == Some(&b'-'));
        let digits = |at: &mut usize| {
            let from = *at;
            while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
                *at += 1;
            }
            *at > from
        };
        match bytes.get(at)? {
            b'0' => at += 1,
            b'1'..=b'9' => _ = digits(&mut at),
            _ => return None,
        }
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            if !digits(&mut at) {
                return None;
            }
        }
        if matches!(bytes.get(at), Some(b'e' | b'E')) {
            at += 1;
            at += usize::from(matches!(bytes.get(at), Some(b'+' | b'-')));
            if !digits(&mut at) {
                return None;
            }
        }
        self.at = at;
        Some(Number(self.text[start..at].to_owned()))
    }
}

/// The value as JSON text: no insignificant whitespace, numbers as they were read, strings in
/// ASCII ([`push_string`]).
pub fn to_text(value: &Value) -> String {
    let mut out = Vec::new();
    write(&mut out, value);
    // ASCII by construction.
    String::from_utf8(out).unwrap_or_default()
}

/// Appends the value's JSON text to `out` (see [`to_text`]). Nesting is bounded where trees
/// come from ([`MAX_DEPTH`] for parsed ones).
pub fn write(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => out.extend_from_slice(n.as_text().as_bytes()),
        Value::String(s) => push_string(out, s),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(out, item);
            }
            out.push(b']');
        }
        Value::Object(map) => {
            out.push(b'{');
            for (i, (name, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                push_string(out, name);
                out.push(b':');
                write(out, item);
            }
            out.push(b'}');
        }
    }
}

/// A JSON string in ASCII: `"`, `\\`, control characters and every character beyond ASCII
/// go out as `\uXXXX` escapes (RFC 8259 §7; UTF-16 surrogate pairs beyond the BMP). Why: the
/// JS side decodes this text before `JSON.parse`, and runtimes decode pure ASCII several times
/// faster than UTF-8 with a few accented names (Node 20, 1.5 MB: 0.5 ms against 2.5 ms), while
/// `JSON.parse` costs the same.
pub fn push_string(out: &mut Vec<u8>, s: &str) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    let mut rest = s;
    loop {
        // Runs that need no escaping are copied in one go; most values are one run.
        let run = rest
            .bytes()
            .position(|b| !(0x20..0x80).contains(&b) || b == b'"' || b == b'\\')
            .unwrap_or(rest.len());
        out.extend_from_slice(&rest.as_bytes()[..run]);
        rest = &rest[run..];
        let Some(c) = rest.chars().next() else { break };
        rest = &rest[c.len_utf8()..];
        for unit in c.encode_utf16(&mut [0; 2]) {
            out.extend_from_slice(b"\\u");
            for shift in [12, 8, 4, 0] {
                out.push(b"0123456789abcdef"[usize::from((*unit >> shift) & 0xf)]);
            }
        }
    }
    out.push(b'"');
}

/// The body as the same JSON text in ASCII, for a host to decode and `JSON.parse`: the byte-order
/// mark dropped and every other character beyond ASCII written as its `\uXXXX` escape (RFC 8259
/// §7; a surrogate pair beyond the Basic Multilingual Plane), which denotes the same string.
/// `None` when the body is not UTF-8. The escaped text is written into `out` (cleared first; a
/// caller reuses one buffer for every page, so paging does not fragment the wasm heap), an ASCII
/// body is returned as it is.
///
/// Why: V8 decodes UTF-8 with a few non-ASCII names into a two-byte string at about a tenth of
/// the speed of ASCII (Node 20: 7.1 ms against 0.5 ms for the 3.4 MB of 10,000 ZapEvent
/// participants), and `JSON.parse` reads one-byte text faster too; the escaping costs a scan.
///
/// A non-ASCII character right after an escaping backslash is kept as it is: `"\é"` is not JSON,
/// and its escape would be (`"\\u00e9"`).
#[inline(never)]
pub fn ascii_text<'a>(body: &'a [u8], out: &'a mut Vec<u8>) -> Option<&'a [u8]> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let mut at = ascii_run(body);
    if at == body.len() {
        return Some(body);
    }
    out.clear();
    // body[..copied] is in `out`; body[at] starts a character beyond ASCII. Each such character
    // is checked where it stands (ASCII runs are UTF-8 already): one pass over the body, not a
    // whole-body `from_utf8` before it (0.7 ms of the 3.4 MB of 10,000 participants).
    let mut copied = 0;
    while at < body.len() {
        let c = char_at(body, at)?;
        let backslashes = body[..at].iter().rev().take_while(|&&b| b == b'\\').count();
        if backslashes % 2 == 0 {
            out.extend_from_slice(&body[copied..at]);
            for unit in c.encode_utf16(&mut [0; 2]) {
                let mut escape = *b"\\u0000";
                for (digit, shift) in escape[2..].iter_mut().zip([12, 8, 4, 0]) {
                    *digit = b"0123456789abcdef"[usize::from((*unit >> shift) & 15)];
                }
                out.extend_from_slice(&escape);
            }
            copied = at + c.len_utf8();
        }
        at += c.len_utf8();
        at += ascii_run(&body[at..]);
    }
    out.extend_from_slice(&body[copied..]);
    Some(out)
}

/// The UTF-8 character that starts at `bytes[at]` (a byte beyond ASCII), checked: `None` for a
/// stray continuation byte, a truncated or overlong sequence, a surrogate or a value past
/// U+10FFFF (`from_utf8` on the sequence its lead byte announces).
fn char_at(bytes: &[u8], at: usize) -> Option<char> {
    let len = match bytes[at] {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let sequence = bytes.get(at..at + len)?;
    std::str::from_utf8(sequence).ok()?.chars().next()
}

/// The length of the ASCII prefix of `bytes`, eight bytes at a time (ASCII bytes have no high bit).
fn ascii_run(bytes: &[u8]) -> usize {
    let words = bytes
        .chunks_exact(8)
        .take_while(|w| {
            let word = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
            word & 0x8080_8080_8080_8080 == 0
        })
        .count();
    let n = words * 8;
    n + bytes[n..].iter().take_while(|b| b.is_ascii()).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::test_inputs::xorshift;

    // Expected texts written from RFC 8259 §7 (é is U+00E9; U+1F600 is the pair D83D DE00).
    #[test]
    fn ascii_text_escapes_what_is_not_ascii() {
        let ascii = |b: &[u8]| {
            ascii_text(b, &mut Vec::new()).map(|t| String::from_utf8(t.to_vec()).unwrap())
        };
        let mut out = b"left over".to_vec();
        assert_eq!(ascii_text(b"{\"a\":1}", &mut out), Some(&b"{\"a\":1}"[..]));
        assert_eq!(
            ascii_text("\u{e9}".as_bytes(), &mut out),
            Some(&b"\\u00e9"[..])
        );
        assert_eq!(ascii(b"\xEF\xBB\xBF[1]").as_deref(), Some("[1]"));
        assert_eq!(
            ascii("[\"Ren\u{e9}e\"]".as_bytes()).as_deref(),
            Some(r#"["Ren\u00e9e"]"#)
        );
        assert_eq!(
            ascii("\u{1F600}x\u{4e2d}".as_bytes()).as_deref(),
            Some(r"\ud83d\ude00x\u4e2d")
        );
        // An escaping backslash before it: kept, so the text stays invalid JSON.
        assert_eq!(
            ascii("[\"\\\u{e9}\"]".as_bytes()).as_deref(),
            Some("[\"\\\u{e9}\"]")
        );
        // An escaped backslash before it: escaped.
        assert_eq!(
            ascii("[\"\\\\\u{e9}\"]".as_bytes()).as_deref(),
            Some(r#"["\\\u00e9"]"#)
        );
        assert_eq!(ascii(b"[\"\xff\"]"), None);
        assert_eq!(ascii(b"[\"\xC3"), None); // truncated
        assert_eq!(ascii(b"\xED\xA0\x80"), None); // a surrogate is not UTF-8
        let long = format!("{}\u{e9}{}", "a".repeat(130), "b".repeat(70));
        assert_eq!(
            ascii(long.as_bytes()),
            Some(format!("{}\\u00e9{}", "a".repeat(130), "b".repeat(70)))
        );
    }

    // serde_json is the oracle: the escaped text holds the same value, or is invalid exactly
    // when the body is (backslashes before non-ASCII characters, bad escapes, raw quotes).
    #[test]
    fn ascii_text_keeps_the_json_value() {
        let alphabet = [
            "\\", "\"", "u", "00e9", "n", "a", "é", "𝄞", "李", "\u{2028}", " ",
        ];
        let mut next = xorshift(0x2545_f491);
        let mut out = Vec::new();
        for _ in 0..20_000 {
            let inner: String = (0..next() % 12)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let body = format!("{{\"k\u{e9}\":[\"{inner}\",1]}}");
            let ascii = ascii_text(body.as_bytes(), &mut out).unwrap();
            let parse = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).ok();
            assert_eq!(parse(ascii), parse(body.as_bytes()), "{body:?}");
        }
    }

    // std's from_utf8 is the oracle for what is UTF-8: generated byte strings with stray
    // continuation bytes, truncated, overlong and surrogate sequences and values past U+10FFFF.
    #[test]
    fn ascii_text_refuses_exactly_what_is_not_utf8() {
        let alphabet: [&[u8]; 12] = [
            b"a",
            b"\\",
            "\u{e9}".as_bytes(),
            "\u{1F600}".as_bytes(),
            b"\xC3",
            b"\xA9",
            b"\xED\xA0\x80",
            b"\xF4\x90\x80\x80",
            b"\xC0\x80",
            b"\xE0\x80\x80",
            b"\xE2\x82",
            b"\xFF",
        ];
        let mut next = xorshift(0x9e37_79b9);
        let mut out = Vec::new();
        for _ in 0..20_000 {
            let body: Vec<u8> = (0..next() % 10)
                .flat_map(|_| alphabet[(next() % alphabet.len() as u64) as usize].to_vec())
                .collect();
            let utf8 = std::str::from_utf8(&body).is_ok();
            assert_eq!(ascii_text(&body, &mut out).is_some(), utf8, "{body:x?}");
        }
    }

    // RFC 8259 §13's two examples, read as serde_json reads them, and written back to text that
    // serde_json reads as the same value.
    #[test]
    fn reads_and_writes_the_rfc_examples() {
        let image = r#"{
          "Image": {
              "Width":  800,
              "Height": 600,
              "Title":  "View from 15th Floor",
              "Thumbnail": {
                  "Url":    "http://www.example.com/image/481989943",
                  "Height": 125,
                  "Width":  100
              },
              "Animated" : false,
              "IDs": [116, 943, 234, 38793]
            }
        }"#;
        let places = r#"[
          {
             "precision": "zip",
             "Latitude":  37.7668,
             "Longitude": -122.3959,
             "Address":   "",
             "City":      "SAN FRANCISCO",
             "State":     "CA",
             "Zip":       "94107",
             "Country":   "US"
          },
          {
             "precision": "zip",
             "Latitude":  37.371991,
             "Longitude": -122.026020,
             "Address":   "",
             "City":      "SUNNYVALE",
             "State":     "CA",
             "Zip":       "94085",
             "Country":   "US"
          }
        ]"#;
        for text in [image, places, "\"Hello world!\"", "42", "true"] {
            let ours = parse(text.as_bytes()).unwrap();
            let oracle: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(ours, oracle, "{text}");
            let back: serde_json::Value = serde_json::from_str(&to_text(&ours)).unwrap();
            assert_eq!(back, oracle, "{text}");
        }
        // Numbers keep their text: `-122.026020` is written back as it came.
        assert!(to_text(&parse(places.as_bytes()).unwrap()).contains("-122.026020"));
        assert_eq!(
            parse(image.as_bytes()).unwrap()["Image"]["IDs"][3].as_u64(),
            Some(38793)
        );
    }

    // serde_json is the oracle: generated texts over JSON's tokens and near-misses (bad
    // numbers, escapes, surrogates, controls, trailing commas, literals cut short) are accepted
    // exactly when serde_json accepts them, as the same value, and written back as text that
    // serde_json reads as that value. (An exponent token ends in a space: digits after it would
    // make exponents past 10^22, where neither reader promises the exact double.)
    #[test]
    fn reads_what_serde_json_reads() {
        let tokens = [
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            " ",
            "\n",
            "\"a\"",
            "\"\\u00e9\"",
            "\"\\ud834\\udd1e\"",
            "\"\\ud834\"",
            "\"\\udd1e\"",
            "\"\\n\\/\\\"\"",
            "\"\\x\"",
            "\"\t\"",
            "\"é\"",
            "0",
            "-1",
            "12.5",
            "1e3 ",
            "2E-2 ",
            "-0.0e+1 ",
            "01",
            "1.",
            ".5",
            "-",
            "+1",
            "1e",
            "true",
            "fals",
            "null",
            "nul",
            "\"k\":",
            "\"",
        ];
        let mut next = xorshift(0x51_7cc1_b727);
        let mut accepted = 0;
        for _ in 0..200_000 {
            let text: String = (0..1 + next() % 9)
                .map(|_| tokens[(next() % tokens.len() as u64) as usize])
                .collect();
            let oracle = serde_json::from_str::<serde_json::Value>(&text).ok();
            let ours = parse(text.as_bytes()).ok();
            match (&ours, &oracle) {
                (Some(ours), Some(oracle)) => {
                    assert_eq!(ours, oracle, "{text:?}");
                    let back = serde_json::from_str::<serde_json::Value>(&to_text(ours));
                    assert_eq!(&back.unwrap(), oracle, "{text:?}");
                    accepted += 1;
                }
                (None, None) => {}
                _ => panic!("{text:?}: ours {ours:?}, serde_json {oracle:?}"),
            }
        }
        // The generator reaches both sides.
        assert!(accepted > 5_000, "{accepted}");
    }

    #[test]
    fn repeated_names_keep_the_last_value_and_numbers_their_text() {
        let v = parse(br#"{"a":1,"b":[],"a":{"c":2.50}}"#).unwrap();
        assert_eq!(to_text(&v), r#"{"a":{"c":2.50},"b":[]}"#);
        let n = |t: &str| match parse(t.as_bytes()).unwrap() {
            Value::Number(n) => n,
            _ => unreachable!(),
        };
        assert_eq!(n("18446744073709551615").as_u64(), Some(u64::MAX));
        assert_eq!(n("18446744073709551616").as_u64(), None);
        assert_eq!(n("-9223372036854775808").as_i64(), Some(i64::MIN));
        assert_eq!((n("1.0").as_u64(), n("1e2").as_u64()), (None, None));
        assert_eq!(n("2.5e-3").as_f64(), Some(0.0025));
        assert_eq!(n("1e-400").as_f64(), Some(0.0));
        // Beyond a double: the text reads (JS's `JSON.parse` reads it as `Infinity`), the double
        // does not (serde_json refuses the body).
        assert_eq!(n("1e400").as_f64(), None);
        assert_eq!(to_text(&parse(b"[1e400]").unwrap()), "[1e400]");
    }

    // An object of 100,000 distinct names in reverse order, with repeats: built once, sorted
    // (a map built by inserting into a sorted vector would move memory quadratically).
    #[test]
    fn many_names_are_not_quadratic() {
        let n = 100_000;
        let members: Vec<String> = (0..n).rev().map(|i| format!("\"k{i}\":{i}")).collect();
        let body = format!("{{{},\"k7\":\"last\"}}", members.join(","));
        let v = parse(body.as_bytes()).unwrap();
        assert_eq!(v.as_object().unwrap().len(), n);
        assert_eq!(
            (v["k7"].as_str(), v["k99999"].as_u64()),
            (Some("last"), Some(99_999))
        );
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn parses_with_and_without_bom() {
        assert_eq!(parse(b"{\"a\":1}").unwrap()["a"], 1);
        assert_eq!(parse(b"\xEF\xBB\xBF[true]").unwrap()[0], true);
    }

    #[test]
    fn rejects_garbage_and_deep_nesting() {
        assert!(parse(b"{\"a\":").is_err());
        assert!(parse(b"\xff").is_err());
        let deep = "[".repeat(10_000);
        assert!(parse(deep.as_bytes()).is_err());
    }
}
