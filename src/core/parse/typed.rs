//! Records out: the JSON text the JS side parses once per page, written in one pass with every
//! field typed by a provider's [`Rules`]: no intermediate tree for JSON or CSV input (the
//! measured cost of "parse into values, normalize, serialize" was 8× `JSON.parse`).
//!
//! - [`transcode_json`]: a JSON body streamed through serde_json's deserializer: the items of
//!   its list written out typed, page metadata read on the way, everything else skipped.
//! - [`write_csv`]: csv-core rows, each column's rule decided once from the header.
//! - [`write_value`]: a tree (what the XML reader builds) written out the same way.
//!
//! The typing rules are the providers' (ids → numbers, `T`/`F` → booleans, dates → ISO 8601,
//! nested lists → arrays); a value a rule cannot read is `PARSE` naming the field.

use super::date::iso_date;
use super::{Map, Value, MAX_DEPTH};
use crate::core::error::{Error, Result};
use crate::core::paging::PageMeta;
use crate::core::text::decimal;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// How one field is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// As sent (nested objects and arrays included).
    Keep,
    /// An integer, from a number or a numeric string.
    Integer,
    /// An amount: a number from `45.00`, `"45.00"`, `"$1,234.50"`.
    Money,
    /// A date or date-time → ISO 8601 (see [`iso_date`]).
    Date,
    /// `T`/`F`, `true`/`false`, `1`/`0`, `Y`/`N` → a boolean.
    Bool,
    /// An array of records (or of strings), also from the XML shapes `{item: [...]}`,
    /// `{item: {...}}`, `""` and from CSV's `a|b|c`.
    List {
        /// The XML element name of one item (`activity` in `<activities>`).
        item: &'static str,
    },
}

/// A provider's typing of its records.
pub trait Rules {
    /// The rule of a field (`name` as sent; providers decide on case).
    fn rule(&self, name: &str) -> Rule;
    /// The `PARSE` error for a field whose value the rule cannot read.
    fn error(&self, field: &str, why: &str) -> Error;
}

/// Records as JSON text, with the byte offset after each top-level record (so a page can be
/// cut to `maxItems` without writing it again).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Records {
    json: Vec<u8>,
    ends: Vec<usize>,
}

impl Records {
    /// Number of records.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The JSON array of the first `n` records.
    pub fn json_of_first(&self, n: usize) -> String {
        let mut out = String::with_capacity(self.json.len() + 2);
        out.push('[');
        let end = match n.min(self.ends.len()) {
            0 => 0,
            k => self.ends[k - 1],
        };
        // Only whole JSON values were written, and they were written from `&str`s.
        out.push_str(std::str::from_utf8(&self.json[..end]).unwrap_or_default());
        out.push(']');
        out
    }

    /// The JSON array of every record.
    pub fn to_json(&self) -> String {
        self.json_of_first(self.ends.len())
    }

    /// The JSON text of record `i`.
    pub fn record_json(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] + 1 };
        std::str::from_utf8(&self.json[start..end]).ok()
    }

    /// Keeps only the first `n` records.
    pub fn truncate(&mut self, n: usize) {
        if n < self.ends.len() {
            self.json
                .truncate(if n == 0 { 0 } else { self.ends[n - 1] });
            self.ends.truncate(n);
        }
    }

    /// The records' bytes (what a repeated page is recognised by).
    pub fn bytes(&self) -> &[u8] {
        &self.json
    }

    /// Appends a value as a record, untyped (generic JSON APIs).
    pub fn push_value(&mut self, value: &Value) {
        self.begin_record();
        let _ = serde_json::to_writer(&mut self.json, value);
        self.end_record();
    }

    fn begin_record(&mut self) {
        if !self.ends.is_empty() {
            self.json.push(b',');
        }
    }

    fn end_record(&mut self) {
        self.ends.push(self.json.len());
    }
}

// ---- the writer ------------------------------------------------------------------------------

fn push_str(out: &mut Vec<u8>, s: &str) {
    // Most values need no escaping (RFC 8259 §7: only '"', '\\' and controls must be): copy
    // them in one go; otherwise serde_json's own escaping (writing to a Vec cannot fail).
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

fn push_key(out: &mut Vec<u8>, first: &mut bool, key: &str) {
    if !*first {
        out.push(b',');
    }
    *first = false;
    push_str(out, key);
    out.push(b':');
}

/// The integer in `text` (optional sign, at most 15 digits: exact in a JS number).
fn integer_text(text: &str) -> Option<(bool, u64)> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().map(|n| (negative, n))
}

fn push_integer(out: &mut Vec<u8>, negative: bool, n: u64) {
    if negative && n != 0 {
        out.push(b'-');
    }
    out.extend_from_slice(decimal(n).as_bytes());
}

/// An amount as a JSON number literal: `"$1,234.50"` → `1234.50` (no float formatting: the
/// digits are checked and written as they are, leading zeros dropped).
fn push_money(out: &mut Vec<u8>, text: &str) -> bool {
    let t = text.trim_start_matches('$');
    let (negative, t) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let int_digits = || int.bytes().filter(|b| *b != b',');
    let ok = int_digits().count() <= 15
        && (int_digits().count() > 0 || !frac.is_empty())
        && int.bytes().all(|b| b.is_ascii_digit() || b == b',')
        && frac.len() <= 6
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !(t.contains('.') && frac.is_empty());
    if !ok {
        return false;
    }
    if negative {
        out.push(b'-');
    }
    let mut digits = int_digits().skip_while(|b| *b == b'0').peekable();
    if digits.peek().is_none() {
        out.push(b'0');
    }
    out.extend(digits);
    if !frac.is_empty() {
        out.push(b'.');
        out.extend_from_slice(frac.as_bytes());
    }
    true
}

fn boolean_text(text: &str) -> Option<bool> {
    match text.len() {
        1..=5 => match text.to_ascii_lowercase().as_str() {
            "t" | "true" | "1" | "y" | "yes" => Some(true),
            "f" | "false" | "0" | "n" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A scalar field from text (XML, CSV, JSON strings); an empty typed value writes nothing
/// (absent, not an error), an empty list `[]`.
fn write_text_field(
    out: &mut Vec<u8>,
    first: &mut bool,
    rules: &dyn Rules,
    name: &str,
    rule: Rule,
    text: &str,
) -> Result<()> {
    let t = text.trim();
    if let (Rule::List { .. }, "") = (rule, t) {
        push_key(out, first, name);
        out.extend_from_slice(b"[]");
        return Ok(());
    }
    if rule != Rule::Keep && t.is_empty() {
        return Ok(());
    }
    let bad = |why| rules.error(name, why);
    match rule {
        Rule::Keep => {
            push_key(out, first, name);
            push_str(out, text);
        }
        Rule::Integer => {
            let (negative, n) = integer_text(t).ok_or_else(|| bad("is not an integer"))?;
            push_key(out, first, name);
            push_integer(out, negative, n);
        }
        Rule::Money => {
            let mark = out.len();
            let saved = *first;
            push_key(out, first, name);
            if !push_money(out, t) {
                out.truncate(mark);
                *first = saved;
                return Err(bad("is not an amount"));
            }
        }
        Rule::Date => {
            let iso = iso_date(t)
                .or_else(|| iso_date(&t.replace('/', "-")))
                .ok_or_else(|| bad("is not a date"))?;
            push_key(out, first, name);
            push_str(out, &iso);
        }
        Rule::Bool => {
            let b = boolean_text(t).ok_or_else(|| bad("is not a boolean (T or F)"))?;
            push_key(out, first, name);
            out.extend_from_slice(if b { b"true" } else { b"false" });
        }
        Rule::List { .. } => {
            // CSV's (and some XML's) "a|b|c" for a list of strings.
            push_key(out, first, name);
            out.push(b'[');
            for (i, part) in t.split('|').enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                push_str(out, part);
            }
            out.push(b']');
        }
    }
    Ok(())
}

// ---- trees (XML) -----------------------------------------------------------------------------

/// Writes one record given as a tree (an object; anything else is `PARSE`).
pub fn write_value(out: &mut Records, rules: &dyn Rules, record: &Value) -> Result<()> {
    out.begin_record();
    write_record_value(&mut out.json, rules, record, 0)?;
    out.end_record();
    Ok(())
}

fn write_record_value(
    out: &mut Vec<u8>,
    rules: &dyn Rules,
    record: &Value,
    depth: usize,
) -> Result<()> {
    let Value::Object(map) = record else {
        return Err(rules.error("record", "is not an object"));
    };
    if depth > MAX_DEPTH {
        return Err(rules.error("record", "is nested too deeply"));
    }
    out.push(b'{');
    let mut first = true;
    for (name, value) in map {
        let rule = rules.rule(name);
        match (rule, value) {
            (Rule::List { item }, v) => {
                push_key(out, &mut first, name);
                write_list_value(out, rules, item, v, depth)?;
            }
            (_, Value::String(s)) => write_text_field(out, &mut first, rules, name, rule, s)?,
            (Rule::Keep, v) => {
                push_key(out, &mut first, name);
                let _ = serde_json::to_writer(&mut *out, v);
            }
            (_, Value::Null) => {}
            (_, v) => write_json_scalar(out, &mut first, rules, name, rule, v)?,
        }
    }
    out.push(b'}');
    Ok(())
}

fn write_list_value(
    out: &mut Vec<u8>,
    rules: &dyn Rules,
    item: &str,
    value: &Value,
    depth: usize,
) -> Result<()> {
    let one;
    let items: &[Value] = match value {
        Value::Array(items) => items,
        Value::Null => &[],
        Value::String(s) if s.trim().is_empty() => &[],
        Value::String(s) => {
            out.push(b'[');
            for (i, part) in s.split('|').enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                push_str(out, part);
            }
            out.push(b']');
            return Ok(());
        }
        Value::Object(map) if map.len() == 1 && map.contains_key(item) => match &map[item] {
            Value::Array(items) => items,
            v => {
                one = [v.clone()];
                &one
            }
        },
        v => {
            one = [v.clone()];
            &one
        }
    };
    out.push(b'[');
    for (i, v) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        match v {
            Value::Object(_) => write_record_value(out, rules, v, depth + 1)?,
            other => {
                let _ = serde_json::to_writer(&mut *out, other);
            }
        }
    }
    out.push(b']');
    Ok(())
}

/// A typed field whose value is a JSON number or boolean.
fn write_json_scalar(
    out: &mut Vec<u8>,
    first: &mut bool,
    rules: &dyn Rules,
    name: &str,
    rule: Rule,
    v: &Value,
) -> Result<()> {
    let bad = |why| rules.error(name, why);
    match (rule, v) {
        (Rule::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => {
            push_key(out, first, name);
            let _ = serde_json::to_writer(&mut *out, n);
        }
        (Rule::Integer, _) => return Err(bad("is not an integer")),
        (Rule::Money, Value::Number(n)) => {
            push_key(out, first, name);
            let _ = serde_json::to_writer(&mut *out, n);
        }
        (Rule::Money, _) => return Err(bad("is not an amount")),
        (Rule::Bool, Value::Bool(b)) => {
            push_key(out, first, name);
            out.extend_from_slice(if *b { b"true" } else { b"false" });
        }
        (Rule::Bool, Value::Number(n)) if n.as_u64().is_some_and(|x| x <= 1) => {
            push_key(out, first, name);
            out.extend_from_slice(if n.as_u64() == Some(1) {
                b"true"
            } else {
                b"false"
            });
        }
        (Rule::Bool, _) => return Err(bad("is not a boolean (T or F)")),
        (Rule::Date, _) => return Err(bad("is not a date")),
        (Rule::Keep | Rule::List { .. }, v) => {
            push_key(out, first, name);
            let _ = serde_json::to_writer(&mut *out, v);
        }
    }
    Ok(())
}

// ---- CSV -------------------------------------------------------------------------------------

/// Writes CSV rows (a header, then records) with each column's rule decided once; fields
/// are read in place, never copied into strings.
pub fn write_csv(
    out: &mut Records,
    rules: &dyn Rules,
    header: &[String],
    rows: &mut super::csv::Rows<'_>,
) -> Result<()> {
    let columns: Vec<Rule> = header.iter().map(|h| rules.rule(h)).collect();
    while let Some(row) = rows.next_fields() {
        if row.len() == 1 && row.iter().next().is_some_and(str::is_empty) {
            continue;
        }
        if row.len() > header.len() {
            return Err(rules.error("row", "has more fields than the CSV header"));
        }
        out.begin_record();
        out.json.push(b'{');
        let mut first = true;
        for ((name, rule), value) in header.iter().zip(&columns).zip(row.iter()) {
            write_text_field(&mut out.json, &mut first, rules, name, *rule, value)?;
        }
        out.json.push(b'}');
        out.end_record();
    }
    Ok(())
}

// ---- JSON ------------------------------------------------------------------------------------

/// Where a JSON body keeps its list: the keys that may hold the items (the first present
/// wins), and whether the page metadata fields are read.
#[derive(Debug, Clone, Copy)]
pub struct Envelope<'a> {
    /// Keys that may hold the items array (`"participants"`, `"participant"`, `"items"`, …);
    /// an object under one of them is a single record…
    pub item_keys: &'a [&'a str],
    /// …except under this one, where it wraps the list once more (XML-shaped JSON:
    /// `{"participants": {"participant": [...], "total_count": 3}}`).
    pub wrapper_key: Option<&'a str>,
    /// Read `page`, `results_per_page`, `total_count`, `total_pages` (and their usual other
    /// names) at the top level and under `meta` / `pagination`.
    pub read_meta: bool,
    /// Top-level keys that mark the body as an error (`"error"`): seen, the caller reads the
    /// body again as an error.
    pub error_keys: &'a [&'a str],
}

/// What [`transcode_json`] found besides the records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transcoded {
    /// Page metadata from the body.
    pub meta: PageMeta,
    /// An error key was present.
    pub error: bool,
    /// The body is an object in which no item key was found.
    pub no_list: bool,
}

/// Streams a JSON body: the items (a top-level array, or under one of the envelope's keys,
/// possibly one object deeper) written out typed, page metadata read on the way.
pub fn transcode_json(
    body: &[u8],
    envelope: Envelope<'_>,
    rules: &dyn Rules,
    out: &mut Records,
) -> Result<Transcoded> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let mut de = serde_json::Deserializer::from_slice(body);
    let mut state = Transcode {
        rules,
        out,
        envelope,
        meta: PageMeta::default(),
        failure: None,
        found: false,
        error: false,
    };
    let result = EnvelopeSeed {
        state: &mut state,
        depth: 0,
    }
    .deserialize(&mut de)
    .and_then(|_| de.end());
    if let Some(e) = state.failure.take() {
        return Err(e);
    }
    result.map_err(|_| Error::parse("the body is not valid JSON"))?;
    let is_object = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    Ok(Transcoded {
        meta: state.meta,
        error: state.error,
        no_list: is_object && !state.found,
    })
}

struct Transcode<'r, 'o, 'e> {
    rules: &'r dyn Rules,
    out: &'o mut Records,
    envelope: Envelope<'e>,
    meta: PageMeta,
    /// A typing error (kept here: serde's error type would lose our error's fields).
    failure: Option<Error>,
    found: bool,
    error: bool,
}

impl Transcode<'_, '_, '_> {
    fn fail<E: de::Error>(&mut self, e: Error) -> E {
        self.failure = Some(e);
        E::custom("typing failed")
    }
}

/// A map key, borrowed from the input when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> std::result::Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> std::result::Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// The top of the body (depth 0) or the object under an item key (depth 1).
struct EnvelopeSeed<'a, 'r, 'o, 'e> {
    state: &'a mut Transcode<'r, 'o, 'e>,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for EnvelopeSeed<'_, '_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for EnvelopeSeed<'_, '_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list body")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<(), A::Error> {
        self.state.found = true;
        ItemsSeed { state: self.state }.visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            if self.depth == 0 && self.state.envelope.error_keys.contains(&key.as_ref()) {
                self.state.error = true;
            }
            let is_items =
                !self.state.found && self.state.envelope.item_keys.contains(&key.as_ref());
            if is_items {
                self.state.found = true;
                let wrapper =
                    self.depth == 0 && self.state.envelope.wrapper_key == Some(key.as_ref());
                map.next_value_seed(ItemsOrWrapper {
                    state: &mut *self.state,
                    wrapper,
                })?;
            } else if self.state.envelope.read_meta && self.depth <= 1 {
                if matches!(key.as_ref(), "meta" | "pagination" | "paging" | "page_info") {
                    map.next_value_seed(MetaObject {
                        meta: &mut self.state.meta,
                    })?;
                } else if let Some(slot) = meta_slot(&mut self.state.meta, &key) {
                    let n = map.next_value::<MetaNumber>()?;
                    if slot.is_none() {
                        *slot = n.0;
                    }
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }

    // Anything else (a string, a number) holds no list.
    fn visit_unit<E>(self) -> std::result::Result<(), E> {
        Ok(())
    }
}

/// The page metadata field a key names, if any.
fn meta_slot<'m>(meta: &'m mut PageMeta, key: &str) -> Option<&'m mut Option<u64>> {
    Some(match key {
        "page" | "current_page" | "page_number" => &mut meta.page,
        "results_per_page" | "per_page" | "page_size" => &mut meta.per_page,
        "total_count" | "total" | "total_results" | "total_records" | "totalcount" => {
            &mut meta.total
        }
        "total_pages" | "page_count" | "totalpages" => &mut meta.total_pages,
        _ => return None,
    })
}

/// A metadata number: a JSON number or a numeric string; anything else is "not given".
struct MetaNumber(Option<u64>);

impl<'de> de::Deserialize<'de> for MetaNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MetaNumber;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a count")
            }
            fn visit_u64<E>(self, v: u64) -> std::result::Result<MetaNumber, E> {
                Ok(MetaNumber(Some(v)))
            }
            fn visit_i64<E>(self, _: i64) -> std::result::Result<MetaNumber, E> {
                Ok(MetaNumber(None))
            }
            fn visit_f64<E>(self, _: f64) -> std::result::Result<MetaNumber, E> {
                Ok(MetaNumber(None))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<MetaNumber, E> {
                Ok(MetaNumber(
                    integer_text(v.trim())
                        .filter(|(neg, _)| !neg)
                        .map(|(_, n)| n),
                ))
            }
            fn visit_bool<E>(self, _: bool) -> std::result::Result<MetaNumber, E> {
                Ok(MetaNumber(None))
            }
            fn visit_unit<E>(self) -> std::result::Result<MetaNumber, E> {
                Ok(MetaNumber(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut s: A,
            ) -> std::result::Result<MetaNumber, A::Error> {
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(MetaNumber(None))
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut m: A,
            ) -> std::result::Result<MetaNumber, A::Error> {
                while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(MetaNumber(None))
            }
        }
        d.deserialize_any(V)
    }
}

struct MetaObject<'m> {
    meta: &'m mut PageMeta,
}

impl<'de> DeserializeSeed<'de> for MetaObject<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for MetaObject<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("page metadata")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            match meta_slot(self.meta, &key) {
                Some(slot) => {
                    let n = map.next_value::<MetaNumber>()?;
                    if slot.is_none() {
                        *slot = n.0;
                    }
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
    fn visit_unit<E>(self) -> std::result::Result<(), E> {
        Ok(())
    }
}

/// The value under an item key: the items array, a single record, or (XML-shaped JSON) an
/// object wrapping them once more (`{"participants": {"participant": [...], "total_count": 3}}`).
struct ItemsOrWrapper<'a, 'r, 'o, 'e> {
    state: &'a mut Transcode<'r, 'o, 'e>,
    wrapper: bool,
}

impl<'de> DeserializeSeed<'de> for ItemsOrWrapper<'_, '_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ItemsOrWrapper<'_, '_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<(), A::Error> {
        ItemsSeed { state: self.state }.visit_seq(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<(), A::Error> {
        if self.wrapper {
            // One level down, the wrapper's own keys hold the items and the metadata.
            self.state.found = false;
            return Visitor::visit_map(
                EnvelopeSeed {
                    state: self.state,
                    depth: 1,
                },
                map,
            );
        }
        // A single record where a list was expected.
        let state = self.state;
        state.out.begin_record();
        let r = RecordSeed {
            state: &mut *state,
            depth: 0,
        }
        .visit_map(map);
        state.out.end_record();
        r
    }
    fn visit_unit<E>(self) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> std::result::Result<(), E> {
        Ok(())
    }
}

/// The items array: each element a record.
struct ItemsSeed<'a, 'r, 'o, 'e> {
    state: &'a mut Transcode<'r, 'o, 'e>,
}

impl<'de> ItemsSeed<'_, '_, '_, '_> {
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        loop {
            self.state.out.begin_record();
            let mark = self.state.out.json.len();
            match seq.next_element_seed(RecordSeed {
                state: &mut *self.state,
                depth: 0,
            })? {
                Some(()) => self.state.out.end_record(),
                None => {
                    // No element: undo the separator begin_record wrote.
                    self.state.out.json.truncate(
                        mark.saturating_sub(usize::from(!self.state.out.ends.is_empty())),
                    );
                    return Ok(());
                }
            }
        }
    }
}

/// One record (an object; anything else is `PARSE`), fields typed by the rules.
struct RecordSeed<'a, 'r, 'o, 'e> {
    state: &'a mut Transcode<'r, 'o, 'e>,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for RecordSeed<'_, '_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed<'_, '_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a record")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        if self.depth > MAX_DEPTH {
            let e = self.state.rules.error("record", "is nested too deeply");
            return Err(self.state.fail(e));
        }
        self.state.out.json.push(b'{');
        let mut first = true;
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let rule = self.state.rules.rule(&key);
            map.next_value_seed(FieldSeed {
                state: &mut *self.state,
                name: &key,
                rule,
                first: &mut first,
                depth: self.depth,
            })?;
        }
        self.state.out.json.push(b'}');
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> std::result::Result<(), A::Error> {
        let e = self.state.rules.error("record", "is not an object");
        Err(self.state.fail(e))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> std::result::Result<(), E> {
        let e = self.state.rules.error("record", "is not an object");
        Err(self.state.fail(e))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> std::result::Result<(), E> {
        let e = self.state.rules.error("record", "is not an object");
        Err(self.state.fail(e))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> std::result::Result<(), E> {
        let e = self.state.rules.error("record", "is not an object");
        Err(self.state.fail(e))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> std::result::Result<(), E> {
        let e = self.state.rules.error("record", "is not an object");
        Err(self.state.fail(e))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> std::result::Result<(), E> {
        let e = self.state.rules.error("record", "is not an object");
        Err(self.state.fail(e))
    }
    fn visit_unit<E: de::Error>(self) -> std::result::Result<(), E> {
        let e = self.state.rules.error("record", "is not an object");
        Err(self.state.fail(e))
    }
}

/// One field's value: typed by its rule and written with its key (or not at all when empty).
struct FieldSeed<'a, 'r, 'o, 'e, 'k> {
    state: &'a mut Transcode<'r, 'o, 'e>,
    name: &'k str,
    rule: Rule,
    first: &'a mut bool,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for FieldSeed<'_, '_, '_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

use serde::Deserialize as _;

impl FieldSeed<'_, '_, '_, '_, '_> {
    fn typed<E: de::Error>(self, v: &Value) -> std::result::Result<(), E> {
        if self.rule == Rule::Keep {
            push_key(&mut self.state.out.json, self.first, self.name);
            let _ = serde_json::to_writer(&mut self.state.out.json, v);
            return Ok(());
        }
        let r = match v {
            Value::String(s) => write_text_field(
                &mut self.state.out.json,
                self.first,
                self.state.rules,
                self.name,
                self.rule,
                s,
            ),
            Value::Null => Ok(()),
            v => write_json_scalar(
                &mut self.state.out.json,
                self.first,
                self.state.rules,
                self.name,
                self.rule,
                v,
            ),
        };
        r.map_err(|e| self.state.fail(e))
    }
}

impl<'de> Visitor<'de> for FieldSeed<'_, '_, '_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<(), E> {
        if let Rule::List { .. } = self.rule {
            if v.trim().is_empty() {
                push_key(&mut self.state.out.json, self.first, self.name);
                self.state.out.json.extend_from_slice(b"[]");
                return Ok(());
            }
        }
        let r = write_text_field(
            &mut self.state.out.json,
            self.first,
            self.state.rules,
            self.name,
            self.rule,
            v,
        );
        r.map_err(|e| self.state.fail(e))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<(), E> {
        self.typed(&Value::from(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<(), E> {
        self.typed(&Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<(), E> {
        self.typed(&Value::from(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<(), E> {
        self.typed(&Value::Bool(v))
    }
    fn visit_unit<E: de::Error>(self) -> std::result::Result<(), E> {
        match self.rule {
            Rule::List { .. } => {
                push_key(&mut self.state.out.json, self.first, self.name);
                self.state.out.json.extend_from_slice(b"[]");
            }
            Rule::Keep => {
                push_key(&mut self.state.out.json, self.first, self.name);
                self.state.out.json.extend_from_slice(b"null");
            }
            _ => {}
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        if self.rule == Rule::Keep {
            let v = Value::Array(Vec::<Value>::deserialize(
                de::value::SeqAccessDeserializer::new(seq),
            )?);
            push_key(&mut self.state.out.json, self.first, self.name);
            let _ = serde_json::to_writer(&mut self.state.out.json, &v);
            return Ok(());
        }
        if !matches!(self.rule, Rule::List { .. }) {
            let e = self
                .state
                .rules
                .error(self.name, "is a list where a single value was expected");
            return Err(self.state.fail(e));
        }
        push_key(&mut self.state.out.json, self.first, self.name);
        self.state.out.json.push(b'[');
        let mut i = 0;
        loop {
            if i > 0 {
                self.state.out.json.push(b',');
            }
            let mark = self.state.out.json.len();
            match seq.next_element_seed(ListItemSeed {
                state: &mut *self.state,
                depth: self.depth + 1,
            })? {
                Some(()) => i += 1,
                None => {
                    self.state
                        .out
                        .json
                        .truncate(if i > 0 { mark - 1 } else { mark });
                    break;
                }
            }
        }
        self.state.out.json.push(b']');
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<(), A::Error> {
        // A list as XML-shaped JSON (`{"activity": [...]}`) or a single nested record: read
        // it whole (small) and write it through the tree path.
        let v = Value::Object(Map::deserialize(de::value::MapAccessDeserializer::new(
            map,
        ))?);
        if self.rule == Rule::Keep {
            push_key(&mut self.state.out.json, self.first, self.name);
            let _ = serde_json::to_writer(&mut self.state.out.json, &v);
            return Ok(());
        }
        let Rule::List { item } = self.rule else {
            let e = self
                .state
                .rules
                .error(self.name, "is an object where a single value was expected");
            return Err(self.state.fail(e));
        };
        push_key(&mut self.state.out.json, self.first, self.name);
        let r = write_list_value(
            &mut self.state.out.json,
            self.state.rules,
            item,
            &v,
            self.depth,
        );
        r.map_err(|e| self.state.fail(e))
    }
}

/// An element of a nested list: a record, or a plain value kept as is.
struct ListItemSeed<'a, 'r, 'o, 'e> {
    state: &'a mut Transcode<'r, 'o, 'e>,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for ListItemSeed<'_, '_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        let v = Value::deserialize(d)?;
        let r = match &v {
            Value::Object(_) => {
                write_record_value(&mut self.state.out.json, self.state.rules, &v, self.depth)
            }
            other => {
                let _ = serde_json::to_writer(&mut self.state.out.json, other);
                Ok(())
            }
        };
        r.map_err(|e| self.state.fail(e))
    }
}

#[cfg(test)]
mod tests;
