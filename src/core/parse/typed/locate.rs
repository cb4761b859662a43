//! JSON bodies: where a body keeps its list and its page metadata, decided on the body's top two
//! levels, so that the records themselves can be parsed and typed wherever the body was parsed.
//!
//! In wasm the host's `JSON.parse` builds the records (no wasm parser plus hand-off comes near
//! it: streaming the body through serde_json into typed JSON text and parsing that again
//! measured 3–4× `JSON.parse`), JS hands the core the body's *skeleton* (objects two levels deep,
//! arrays emptied, long strings blanked: `records.js`), [`locate`] says where the records are,
//! and the JS typer applies the provider's [`Rules`] in place on its fast paths, handing any
//! record it cannot type there to [`write_value`] (`src/js/records.rs`). Natively,
//! [`json_records`] runs the same decisions on a whole value tree: one set of rules, one writer.

use super::{write_value, Records, Rules};
use crate::core::error::{Error, Result};
use crate::core::http::Response;
use crate::core::paging::PageMeta;
use crate::core::parse::{json, Map, Value};

/// Where a JSON body keeps its list.
#[derive(Debug, Clone, Copy)]
pub struct Envelope<'a> {
    /// Keys that may hold the items array (`"participants"`, `"participant"`, `"items"`, …), in
    /// order of preference; an object under one of them is a single record…
    pub item_keys: &'a [&'a str],
    /// …except under this one, where it wraps the list once more (XML-shaped JSON:
    /// `{"participants": {"participant": [...], "total_count": 3}}`).
    pub wrapper_key: Option<&'a str>,
    /// Read `page`, `results_per_page`, `total_count`, `total_pages` (and their usual other
    /// names) at the top level, inside the wrapper and under `meta` / `pagination`.
    pub read_meta: bool,
    /// Top-level keys that mark the body as an error (`"error"`): the provider reads the body
    /// again as an error.
    pub error_keys: &'a [&'a str],
}

/// What is at the end of [`Located::path`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Items {
    /// An array of records.
    List,
    /// One record where a list was expected.
    One,
    /// Nothing (`null`, `""`, or no item key at all): no records.
    #[default]
    None,
}

/// Where a body's records are, and what else it said.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Located {
    /// Keys from the top of the body to the records (empty: the body itself).
    pub path: Vec<String>,
    /// What is there.
    pub items: Items,
    /// Page metadata from the body.
    pub meta: PageMeta,
    /// An error key was present at the top level.
    pub error: bool,
    /// The body is an object in which no item key was found.
    pub no_list: bool,
    /// The body is `{}`.
    pub empty_object: bool,
}

impl Located {
    /// The records of `body` (the whole value tree the skeleton was taken from).
    pub fn items_of<'v>(&self, body: &'v Value) -> &'v [Value] {
        let mut at = body;
        for key in &self.path {
            match at.get(key) {
                Some(v) => at = v,
                None => return &[],
            }
        }
        match (self.items, at) {
            (Items::List, Value::Array(items)) => items,
            (Items::One, v) => std::slice::from_ref(v),
            _ => &[],
        }
    }
}

/// A provider's reading of a JSON list body: where the list is, how records are typed, and what
/// a located body means. Read natively by [`json_records`], in wasm by `src/js/records.rs`.
pub trait JsonShape {
    /// Where the list is.
    fn envelope(&self) -> Envelope<'static>;
    /// How its records are typed.
    fn rules(&self) -> Box<dyn Rules>;
    /// The located body → its page metadata (headers included), or the provider's error (an
    /// error body, a body without the list). `top` is the body's skeleton or the body itself.
    fn finish(&self, located: &Located, top: &Value, response: &Response) -> Result<PageMeta>;
    /// A failure of the body as a whole (not UTF-8, not JSON, not a list body), named for the
    /// provider and its method.
    fn body_error(&self, e: Error) -> Error;
}

/// A JSON list body read whole natively: the same decisions as in wasm, on a value tree.
pub fn json_records(shape: &dyn JsonShape, response: &Response) -> Result<(Records, PageMeta)> {
    let body = json::parse(&response.body).map_err(|e| shape.body_error(e))?;
    let located = locate(&body, &shape.envelope()).map_err(|e| shape.body_error(e))?;
    let meta = shape.finish(&located, &body, response)?;
    let rules = shape.rules();
    let mut records = Records::default();
    for item in located.items_of(&body) {
        write_value(&mut records, &*rules, item)?;
    }
    Ok((records, meta))
}

/// Where the records of a body are: a top-level array; the first of the envelope's item keys
/// present (an array, or a single record); inside the wrapper key's object, the same once
/// more. Metadata is read at the top level first, then inside the wrapper, then under a
/// `meta`-like object; the first value found for a field wins. Only the top two levels are
/// looked at, so `body` may be the skeleton `records.js` makes.
pub fn locate(body: &Value, envelope: &Envelope<'_>) -> Result<Located> {
    let mut located = Located::default();
    let top = match body {
        Value::Array(_) => {
            located.items = Items::List;
            return Ok(located);
        }
        Value::Null => return Ok(located),
        Value::Object(top) => top,
        _ => {
            return Err(Error::parse(
                "the body is neither a JSON object nor an array",
            ))
        }
    };
    located.empty_object = top.is_empty();
    located.error = envelope.error_keys.iter().any(|k| top.contains_key(k));
    let mut scopes = vec![top];
    let mut found = find_items(top, envelope);
    if let (Some((key, Value::Object(inner))), Some(wrapper)) = (found, envelope.wrapper_key) {
        if key == wrapper {
            located.path.push(key.to_owned());
            scopes.push(inner);
            found = find_items(inner, envelope);
        }
    }
    match found {
        Some((key, value)) => {
            located.path.push(key.to_owned());
            located.items = match value {
                Value::Array(_) => Items::List,
                Value::Object(_) => Items::One,
                Value::Null | Value::String(_) => Items::None,
                _ => return Err(Error::parse("the list is neither an array nor an object")),
            };
        }
        None => {
            located.no_list = true;
            located.path.clear();
        }
    }
    if envelope.read_meta {
        for scope in &scopes {
            read_meta(scope, &mut located.meta);
        }
        for scope in &scopes {
            for name in ["meta", "pagination", "paging", "page_info"] {
                if let Some(Value::Object(m)) = scope.get(name) {
                    read_meta(m, &mut located.meta);
                }
            }
        }
    }
    Ok(located)
}

fn find_items<'v>(map: &'v Map, envelope: &Envelope<'_>) -> Option<(&'v str, &'v Value)> {
    envelope
        .item_keys
        .iter()
        .find_map(|k| map.get_key_value(k))
        .map(|(k, v)| (k.as_str(), v))
}

/// A page metadata field of [`PageMeta`].
type MetaField = fn(&mut PageMeta) -> &mut Option<u64>;

/// The page metadata fields and the names providers give them, preferred first.
const META: [(&[&str], MetaField); 4] = [
    (&["page", "current_page", "page_number"], |m| &mut m.page),
    (&["results_per_page", "per_page", "page_size"], |m| {
        &mut m.per_page
    }),
    (
        &[
            "total_count",
            "total",
            "total_results",
            "total_records",
            "totalcount",
        ],
        |m| &mut m.total,
    ),
    (&["total_pages", "page_count", "totalpages"], |m| {
        &mut m.total_pages
    }),
];

fn read_meta(map: &Map, meta: &mut PageMeta) {
    for (names, slot) in META {
        let slot = slot(meta);
        if slot.is_none() {
            *slot = names.iter().find_map(|n| map.get(n).and_then(count));
        }
    }
}

/// A metadata count: a non-negative JSON integer or an integer string; anything else is "not
/// given".
fn count(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => super::integer_text(s.trim())
            .filter(|(negative, _)| !negative)
            .map(|(_, n)| n),
        _ => None,
    }
}

/// A list page as a provider reads it: records typed in the core (XML, CSV), or a JSON body
/// whose records are parsed and typed where the body is ([`json_records`] natively).
// One per page, moved once or twice: boxing the records would only add an allocation.
#[allow(clippy::large_enum_variant)]
pub enum ListBody {
    /// Typed records and page metadata.
    Typed(Records, PageMeta),
    /// A JSON list body and how to read it.
    Json(Box<dyn JsonShape>),
}

impl ListBody {
    /// The records and page metadata, read natively.
    pub fn read(self, response: &Response) -> Result<(Records, PageMeta)> {
        match self {
            ListBody::Typed(records, meta) => Ok((records, meta)),
            ListBody::Json(shape) => json_records(&*shape, response),
        }
    }
}

/// One record the JS typer could not type on its fast paths, as JSON text → the typed record
/// as a one-record tape (or the rules' `PARSE` error naming the field).
pub fn type_record(rules: &dyn Rules, record_json: &str) -> Result<Records> {
    let value = json::parse(record_json.as_bytes())?;
    let mut out = Records::default();
    write_value(&mut out, rules, &value)?;
    Ok(out)
}
