//! One record shape whatever the wire format. The document names fields but defines no
//! response schema, so the fields it names are typed by name and every other field is kept
//! as the provider sent it:
//! - ids and counts → numbers (`"50001"` and `50001` alike);
//! - money → numbers (`"45.00"` → `45`);
//! - `MM-DD-YYYY` dates (the document's `date` datatype) → ISO 8601 `YYYY-MM-DD` (with a time
//!   part, `YYYY-MM-DDTHH:MM:SS`); an ISO date is kept;
//! - `T`/`F` (its `bool` datatype), `true`/`false`, `1`/`0` → booleans;
//! - nested `activities`, `questions`, `options`, `answers` → arrays, even when XML has one
//!   element (`<activities><activity>…</activity></activities>`) or none (`<activities/>`);
//! - an empty value of a typed field is absent, not an error; a wrongly typed one is `PARSE`
//!   naming the method and the field.

use super::{Method, PROVIDER};
use crate::core::error::{Error, Result};
use crate::core::parse::date::iso_date;
use crate::core::parse::{Map, Value};
use crate::core::text::concat;

const INTEGER_FIELDS: &[&str] = &[
    "event_id",
    "activity_id",
    "question_id",
    "registration_id",
    "participant_id",
    "category_id",
    "event_count",
    "age",
    "sort_order",
    "capacity",
    "spots_left",
    "participant_count",
    "total_count",
    "page",
    "results_per_page",
    "total_pages",
];
const MONEY_FIELDS: &[&str] = &[
    "price",
    "amount",
    "amount_paid",
    "amount_due",
    "balance",
    "discount",
    "fee",
    "fees",
    "total_paid",
    "payment_amount",
    "refund_amount",
];
const DATE_FIELDS: &[&str] = &[
    "start_date",
    "end_date",
    "created",
    "registration_date",
    "payment_date",
    "date",
    "event_date",
    "modified",
    "updated",
    "birth_date",
    "date_of_birth",
];
const BOOL_FIELDS: &[&str] = &[
    "required",
    "checked_in",
    "is_public",
    "is_private",
    "paid",
    "waitlisted",
    "cancelled",
    "future_activities_only",
];
/// Nested lists: the field and the name of its XML item element.
const LIST_FIELDS: &[(&str, &str)] = &[
    ("activities", "activity"),
    ("questions", "question"),
    ("answers", "answer"),
    ("options", "option"),
];

/// Normalizes one record of `method` in place (see the module doc).
pub fn normalize(method: Method, record: Value) -> Result<Value> {
    normalize_at(method, record, 0)
}

fn normalize_at(method: Method, record: Value, depth: usize) -> Result<Value> {
    let map = match record {
        Value::Object(map) => map,
        // A record that is not an object (CSV never, XML text-only item, JSON junk).
        _ => return Err(wrong(method, "record", "is not an object")),
    };
    let mut out = Map::new();
    for (name, value) in map {
        if let Some(v) = normalize_field(method, &name, value, depth)? {
            out.insert(name, v);
        }
    }
    Ok(Value::Object(out))
}

fn normalize_field(
    method: Method,
    name: &str,
    value: Value,
    depth: usize,
) -> Result<Option<Value>> {
    let field = name.to_ascii_lowercase();
    let field = field.as_str();
    if let Some((_, item)) = LIST_FIELDS.iter().find(|(f, _)| *f == field) {
        return list(method, name, item, value, depth).map(Some);
    }
    let text = match &value {
        Value::String(s) => Some(s.trim()),
        _ => None,
    };
    let typed = INTEGER_FIELDS.contains(&field)
        || MONEY_FIELDS.contains(&field)
        || DATE_FIELDS.contains(&field)
        || BOOL_FIELDS.contains(&field);
    if typed && (value.is_null() || text == Some("")) {
        return Ok(None);
    }
    if INTEGER_FIELDS.contains(&field) {
        return match (&value, text) {
            (Value::Number(n), _) if n.is_i64() || n.is_u64() => Ok(Some(value)),
            (_, Some(t)) => integer(t)
                .map(|n| Some(Value::from(n)))
                .ok_or_else(|| wrong(method, name, "is not an integer")),
            _ => Err(wrong(method, name, "is not an integer")),
        };
    }
    if MONEY_FIELDS.contains(&field) {
        return match (&value, text) {
            (Value::Number(_), _) => Ok(Some(value)),
            (_, Some(t)) => money(t)
                .map(|n| Some(Value::from(n)))
                .ok_or_else(|| wrong(method, name, "is not an amount")),
            _ => Err(wrong(method, name, "is not an amount")),
        };
    }
    if DATE_FIELDS.contains(&field) {
        return text
            .and_then(iso_date)
            .map(|d| Some(Value::String(d)))
            .ok_or_else(|| wrong(method, name, "is not a MM-DD-YYYY date"));
    }
    if BOOL_FIELDS.contains(&field) {
        return match (&value, text) {
            (Value::Bool(_), _) => Ok(Some(value)),
            (Value::Number(n), _) if n.as_u64() == Some(0) || n.as_u64() == Some(1) => {
                Ok(Some(Value::Bool(n.as_u64() == Some(1))))
            }
            (_, Some(t)) => boolean(t)
                .map(|b| Some(Value::Bool(b)))
                .ok_or_else(|| wrong(method, name, "is not T or F")),
            _ => Err(wrong(method, name, "is not T or F")),
        };
    }
    Ok(Some(value))
}

/// A nested list in any of its wire shapes → an array of normalized items.
fn list(method: Method, name: &str, item: &str, value: Value, depth: usize) -> Result<Value> {
    if depth > 8 {
        return Err(wrong(method, name, "is nested too deeply"));
    }
    let items = match value {
        Value::Array(items) => items,
        Value::Null => Vec::new(),
        // `<activities/>`, or CSV's "a|b|c" for a list of strings.
        Value::String(s) if s.trim().is_empty() => Vec::new(),
        Value::String(s) => s.split('|').map(|p| Value::String(p.to_owned())).collect(),
        // `<activities><activity>…</activity>…</activities>`: one or many item elements.
        Value::Object(mut map) if map.len() == 1 && map.contains_key(item) => {
            match map.remove(item) {
                Some(Value::Array(items)) => items,
                Some(one) => vec![one],
                None => Vec::new(),
            }
        }
        one @ Value::Object(_) => vec![one],
        other => vec![other],
    };
    items
        .into_iter()
        .map(|v| match v {
            Value::Object(_) => normalize_at(method, v, depth + 1),
            other => Ok(other),
        })
        .collect::<Result<Vec<_>>>()
        .map(Value::Array)
}

fn wrong(method: Method, field: &str, why: &str) -> Error {
    Error::parse(concat(&[
        "ZapEvent ",
        method.js_name(),
        "(): field '",
        field,
        "' ",
        why,
    ]))
    .with_provider(PROVIDER)
}

/// An optionally signed decimal integer within JS's safe range.
pub(crate) fn integer(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// `45`, `45.00`, `-12.5`, `1,234.50` → a number (thousands separators tolerated).
fn money(text: &str) -> Option<f64> {
    let cleaned: String = text
        .trim_start_matches('$')
        .chars()
        .filter(|c| *c != ',')
        .collect();
    let body = cleaned.strip_prefix('-').unwrap_or(&cleaned);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let ok = !int.is_empty()
        && int.len() <= 15
        && frac.len() <= 6
        && int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit());
    if !ok {
        return None;
    }
    cleaned.parse::<f64>().ok().filter(|n| n.is_finite())
}

fn boolean(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "t" | "true" | "1" | "y" | "yes" => Some(true),
        "f" | "false" | "0" | "n" | "no" => Some(false),
        _ => None,
    }
}
