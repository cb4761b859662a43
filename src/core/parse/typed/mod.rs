//! Records typed by a provider's [`Rules`], whatever the wire format:
//!
//! - [`write_csv`]: csv-core rows, each column's rule and key decided once from the header,
//!   written out as the tape ([`Records`], `tape.rs`) the JS side turns into objects once per
//!   page (no intermediate tree);
//! - [`write_value`]: a tree (what the XML reader builds, or one JSON record) written out the
//!   same way;
//! - JSON list bodies (`locate.rs`): located by the core on the body's top levels and parsed by
//!   the host's `JSON.parse`, their records typed in place by these rules (`src/js/records.js`
//!   on its fast paths, [`write_value`] for anything else), or natively by [`json_records`].
//!
//! The typing rules are the providers' (ids → numbers, `T`/`F` → booleans, dates → ISO 8601,
//! nested lists → arrays); a value a rule cannot read is `PARSE` naming the field.

use super::date::write_iso_date;
use super::{Value, MAX_DEPTH};
use crate::core::error::{Error, Result};

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

mod tape;
pub use tape::Records;

// ---- the writer ------------------------------------------------------------------------------

/// `a|b|c` (CSV's, and some XML's, list of strings) as the array `["a","b","c"]`.
fn push_pipe_list(out: &mut Records, text: &str) {
    out.begin_array();
    text.split('|').for_each(|part| out.string(part));
    out.end();
}

/// A field's name: as sent (errors name it) and, for CSV columns, its index among the keys the
/// tape defined from the header (looked up once per column instead of once per cell).
#[derive(Clone, Copy)]
struct Key<'a> {
    name: &'a str,
    /// The interned key's index, or the field's place in a `ROW` (which takes its key from it).
    index: KeyIndex,
}

#[derive(Clone, Copy)]
enum KeyIndex {
    /// Defined (or found) by name.
    Name,
    /// An interned key, by index.
    Interned(u32),
    /// A field of a `ROW`: no key op.
    InRow,
}

impl Key<'_> {
    fn push(&self, out: &mut Records) {
        match self.index {
            KeyIndex::Interned(i) => out.key_index(i),
            KeyIndex::Name => out.key(self.name),
            KeyIndex::InRow => {}
        }
    }

    /// A typed field that is empty: absent (in a `ROW`, its key is passed).
    fn absent(&self, out: &mut Records) {
        if let KeyIndex::InRow = self.index {
            out.skip();
        }
    }
}

/// The integer in `text` (optional sign, at most 15 digits: exact in a JS number).
pub(super) fn integer_text(text: &str) -> Option<(bool, u64)> {
    // Bytes, not `strip_prefix(char)`: its pattern searcher is a call per field at opt-level z.
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || digits.len() > 15 {
        return None;
    }
    // Read while checked: at most 15 digits cannot overflow.
    let n = digits.bytes().try_fold(0, |n: u64, b| {
        b.is_ascii_digit().then(|| n * 10 + u64::from(b - b'0'))
    })?;
    Some((negative, n))
}

/// An amount as a JSON number literal: `"$1,234.50"` → `1234.50` (no float formatting: the
/// digits are checked and written as they are, leading zeros dropped).
fn push_money(out: &mut String, text: &str) -> bool {
    // Bytes, not `str` patterns: each `strip_prefix`, `split_once` or `trim_matches` with a char
    // pattern is a searcher call at opt-level z, and this runs for every amount of every page.
    let mut t = text.as_bytes();
    while let [b'$', rest @ ..] = t {
        t = rest;
    }
    let negative = t.first() == Some(&b'-');
    if negative || t.first() == Some(&b'+') {
        t = &t[1..];
    }
    let (int, frac, point) = match t.iter().position(|&b| b == b'.') {
        Some(i) => (&t[..i], &t[i + 1..], true),
        None => (t, &[][..], false),
    };
    let digits = int.iter().filter(|&&b| b != b',').count();
    let ok = digits <= 15
        && (digits > 0 || !frac.is_empty())
        && int.iter().all(|&b| b.is_ascii_digit() || b == b',')
        && frac.len() <= 6
        && frac.iter().all(u8::is_ascii_digit)
        && !(point && frac.is_empty());
    if !ok {
        return false;
    }
    if negative {
        out.push('-');
    }
    // Leading zeros and the commas among them go; the rest are ASCII digits (and commas).
    let int = &int[int
        .iter()
        .position(|&b| b != b'0' && b != b',')
        .unwrap_or(int.len())..];
    if int.is_empty() {
        out.push('0');
    }
    out.extend(int.iter().filter(|&&b| b != b',').map(|&b| char::from(b)));
    if !frac.is_empty() {
        out.push('.');
        out.extend(frac.iter().map(|&b| char::from(b)));
    }
    true
}

fn boolean_text(text: &str) -> Option<bool> {
    let is = |names: &[&str]| names.iter().any(|n| text.eq_ignore_ascii_case(n));
    if is(&["t", "true", "1", "y", "yes"]) {
        Some(true)
    } else if is(&["f", "false", "0", "n", "no"]) {
        Some(false)
    } else {
        None
    }
}

/// `text` without surrounding whitespace; the common case (no whitespace at either end) checked
/// on two bytes first, since Unicode-aware trimming costs more than the field (every CSV cell
/// and XML text of a typed field passes here).
fn trimmed(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(a), Some(z)) if *a > b' ' && *a < 0x80 && *z > b' ' && *z < 0x80 => text,
        _ => text.trim(),
    }
}

/// A scalar field from text (XML, CSV, JSON strings); an empty typed value writes nothing
/// (absent, not an error: then `false`), an empty list `[]`.
fn write_text_field(
    out: &mut Records,
    rules: &dyn Rules,
    key: Key<'_>,
    rule: Rule,
    text: &str,
) -> Result<bool> {
    let t = trimmed(text);
    if let (Rule::List { .. }, "") = (rule, t) {
        key.push(out);
        out.begin_array();
        out.end();
        return Ok(true);
    }
    if rule != Rule::Keep && t.is_empty() {
        key.absent(out);
        return Ok(false);
    }
    let bad = |why| rules.error(key.name, why);
    match rule {
        Rule::Keep => {
            key.push(out);
            out.string(text);
        }
        Rule::Integer => {
            let (negative, n) = integer_text(t).ok_or_else(|| bad("is not an integer"))?;
            key.push(out);
            out.integer(negative, n);
        }
        Rule::Money => {
            // The key first: the amount's text follows it in the tape. On failure the whole
            // page is refused, so a key without its value is never read.
            key.push(out);
            if !out.number_with(|text| push_money(text, t)) {
                return Err(bad("is not an amount"));
            }
        }
        Rule::Date => {
            // As for amounts: the key, then the date written into the tape's text.
            key.push(out);
            if !out.string_with(|text| write_iso_date(t, text)) {
                return Err(bad("is not a date"));
            }
        }
        Rule::Bool => {
            let b = boolean_text(t).ok_or_else(|| bad("is not a boolean (T or F)"))?;
            key.push(out);
            out.boolean(b);
        }
        Rule::List { .. } => {
            // CSV's (and some XML's) "a|b|c" for a list of strings.
            key.push(out);
            push_pipe_list(out, t);
        }
    }
    Ok(true)
}

// ---- trees (XML) -----------------------------------------------------------------------------

/// Writes one record given as a tree (an object; anything else is `PARSE`).
pub fn write_value(out: &mut Records, rules: &dyn Rules, record: &Value) -> Result<()> {
    out.begin_record();
    write_record_value(out, rules, record, 0)?;
    out.end_record();
    Ok(())
}

fn write_record_value(
    out: &mut Records,
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
    out.begin_object();
    for (name, value) in map {
        let rule = rules.rule(name);
        match (rule, value) {
            (Rule::List { item }, v) => {
                out.key(name);
                write_list_value(out, rules, item, v, depth)?;
            }
            (_, Value::String(s)) => {
                let key = Key {
                    name,
                    index: KeyIndex::Name,
                };
                write_text_field(out, rules, key, rule, s)?;
            }
            (Rule::Keep, v) => {
                out.key(name);
                out.value(v);
            }
            (_, Value::Null) => {}
            (_, v) => write_json_scalar(out, rules, name, rule, v)?,
        }
    }
    out.end();
    Ok(())
}

fn write_list_value(
    out: &mut Records,
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
            push_pipe_list(out, s);
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
    out.begin_array();
    for v in items {
        match v {
            Value::Object(_) => write_record_value(out, rules, v, depth + 1)?,
            other => out.value(other),
        }
    }
    out.end();
    Ok(())
}

/// A typed field whose value is a JSON number or boolean.
fn write_json_scalar(
    out: &mut Records,
    rules: &dyn Rules,
    name: &str,
    rule: Rule,
    v: &Value,
) -> Result<()> {
    let bad = |why| rules.error(name, why);
    match (rule, v) {
        (Rule::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => {
            out.key(name);
            out.value(v);
        }
        (Rule::Integer, _) => return Err(bad("is not an integer")),
        (Rule::Money, Value::Number(_)) => {
            out.key(name);
            out.value(v);
        }
        (Rule::Money, _) => return Err(bad("is not an amount")),
        (Rule::Bool, Value::Bool(b)) => {
            out.key(name);
            out.boolean(*b);
        }
        (Rule::Bool, Value::Number(n)) if n.as_u64().is_some_and(|x| x <= 1) => {
            out.key(name);
            out.boolean(n.as_u64() == Some(1));
        }
        (Rule::Bool, _) => return Err(bad("is not a boolean (T or F)")),
        (Rule::Date, _) => return Err(bad("is not a date")),
        (Rule::Keep | Rule::List { .. }, v) => {
            out.key(name);
            out.value(v);
        }
    }
    Ok(())
}

// ---- CSV -------------------------------------------------------------------------------------

/// Writes CSV rows (a header, then records) with each column's rule and key decided once;
/// fields are read in place, never copied into strings.
pub fn write_csv(
    out: &mut Records,
    rules: &dyn Rules,
    header: &[String],
    rows: &mut super::csv::Rows<'_>,
) -> Result<()> {
    let columns: Vec<(Rule, Option<u32>)> = header
        .iter()
        .map(|name| {
            (
                rules.rule(name),
                out.intern(name).or_else(|| out.intern(name)),
            )
        })
        .collect();
    // The header's keys, interned in order on this page's tape: then each row is a `ROW`
    // (fields by position, no key op each). Otherwise (a name beyond ASCII, too many columns,
    // a tape that knew some names already), each field names its key.
    let first_key = columns.first().and_then(|c| c.1);
    let in_row = first_key.is_some_and(|first| {
        (columns.iter().enumerate()).all(|(i, c)| c.1 == first.checked_add(i as u32))
    });
    while let Some(row) = rows.next_fields() {
        if row.len() == 1 && row.iter().next().is_some_and(str::is_empty) {
            continue;
        }
        if row.len() > header.len() {
            return Err(rules.error("row", "has more fields than the CSV header"));
        }
        out.begin_record();
        let row_at = match first_key {
            Some(first) if in_row => Some(out.begin_row(first)),
            _ => {
                out.begin_object();
                None
            }
        };
        // Every key gets a value unless the row is short or a typed field is empty (absent).
        let mut full = row.len() == header.len();
        for ((name, (rule, index)), value) in header.iter().zip(&columns).zip(row.iter()) {
            let index = match index {
                _ if in_row => KeyIndex::InRow,
                Some(i) => KeyIndex::Interned(*i),
                None => KeyIndex::Name,
            };
            full &= write_text_field(out, rules, Key { name, index }, *rule, value)?;
        }
        if let (Some(at), true) = (row_at, full) {
            out.full_row(at);
        }
        out.end();
        out.end_record();
    }
    Ok(())
}

mod locate;

pub use locate::{
    json_records, locate, type_record, Envelope, Items, JsonShape, ListBody, Located,
};

#[cfg(test)]
mod tests;
