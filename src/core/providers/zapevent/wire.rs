//! ZapEvent bodies → records and page metadata, in the three formats, tolerant of the
//! plausible shapes the document does not rule out:
//! - the format is sniffed from the body (`<` XML, `{`/`[` JSON, else CSV), so an error body
//!   in another format than the one asked for still reads;
//! - list items under the root (`<participants><participant>…`), under the method's name in
//!   JSON (`{"participants":[…]}`), as a bare array, or wrapped once more;
//! - page metadata (`page`, `results_per_page`, `total_count`/`total`, `total_pages`) as XML
//!   attributes, as elements, as JSON fields, under `meta`/`pagination`, in `X-Total-Count`-
//!   style headers, or nowhere (CSV): paging then ends on a short page.

use super::errors;
use super::records::{self, integer};
use super::{Format, Method, PROVIDER};
use crate::core::error::{Error, Result};
use crate::core::http::Response;
use crate::core::paging::PageMeta;
use crate::core::parse::{self, Map, Value};
use crate::core::secret::Secret;
use crate::core::text::concat;

/// One page of a list method.
#[derive(Debug, Clone, PartialEq)]
pub struct ListPage {
    /// Normalized records.
    pub items: Vec<Value>,
    /// What the response said about paging.
    pub meta: PageMeta,
}

enum Body {
    Xml(parse::xml::Document),
    Json(Value),
    Csv(Vec<Map<String, Value>>),
}

/// Parses a list method's response.
pub fn parse_list(method: Method, requested: Format, response: &Response) -> Result<ListPage> {
    let (root_name, item_name) = method.root();
    let (items, mut meta) = match decode(method, requested, response)? {
        Body::Xml(doc) => {
            let mut value = doc.value;
            if doc.root == item_name {
                (vec![value], PageMeta::default())
            } else {
                let meta = meta_of(&value);
                (take_items(&mut value, root_name, item_name), meta)
            }
        }
        Body::Json(Value::Array(items)) => (items, PageMeta::default()),
        Body::Json(mut value) => {
            let mut meta = meta_of(&value);
            // `{"participants": {"participant": [...], "total_count": …}}` (XML-shaped JSON).
            if let Some(inner @ Value::Object(_)) = value.get_mut(root_name) {
                merge(&mut meta, meta_of(inner));
            }
            (take_items(&mut value, root_name, item_name), meta)
        }
        Body::Csv(rows) => (
            rows.into_iter().map(Value::Object).collect(),
            PageMeta::default(),
        ),
    };
    merge(&mut meta, meta_of_headers(response));
    let items = items
        .into_iter()
        .map(|item| records::normalize(method, item))
        .collect::<Result<Vec<_>>>()?;
    Ok(ListPage { items, meta })
}

/// Parses `event()`'s response: one event with its activities.
pub fn parse_event(requested: Format, response: &Response) -> Result<Value> {
    let method = Method::Event;
    let value = match decode(method, requested, response)? {
        Body::Xml(doc) if doc.root == "event" => doc.value,
        Body::Xml(mut doc) => take_items(&mut doc.value, "events", "event")
            .into_iter()
            .next()
            .ok_or_else(|| missing(method, "event"))?,
        Body::Json(Value::Object(mut map)) => match map.remove("event") {
            Some(Value::Array(items)) => items
                .into_iter()
                .next()
                .ok_or_else(|| missing(method, "event"))?,
            Some(event) => event,
            None if map.contains_key("event_id") => Value::Object(map),
            None => take_items(&mut Value::Object(map), "events", "event")
                .into_iter()
                .next()
                .ok_or_else(|| missing(method, "event"))?,
        },
        Body::Json(Value::Array(items)) => items
            .into_iter()
            .next()
            .ok_or_else(|| missing(method, "event"))?,
        Body::Json(_) => return Err(missing(method, "event")),
        Body::Csv(rows) => rows
            .into_iter()
            .next()
            .map(Value::Object)
            .ok_or_else(|| missing(method, "event"))?,
    };
    records::normalize(method, value)
}

/// Parses the Login method's response: `tmp_key` and `tmp_secret`, both secret.
pub fn parse_login(requested: Format, response: &Response) -> Result<(Secret, Secret)> {
    let value = match decode(Method::Event, requested, response).map_err(|e| rename(e, "login"))? {
        Body::Xml(doc) => doc.value,
        Body::Json(v) => v,
        Body::Csv(rows) => rows
            .into_iter()
            .next()
            .map(Value::Object)
            .unwrap_or(Value::Null),
    };
    let field = |name: &str| -> Option<String> {
        let direct = value.get(name);
        let nested = || value.as_object()?.values().find_map(|v| v.get(name));
        match direct.or_else(nested)? {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Value::Number(n) => n.as_u64().map(crate::core::text::decimal),
            _ => None,
        }
    };
    let key = field("tmp_key").ok_or_else(|| login_missing("tmp_key"))?;
    let secret = field("tmp_secret").ok_or_else(|| login_missing("tmp_secret"))?;
    Ok((Secret::new(key), Secret::new(secret)))
}

/// ZapEvent's error in a failed response of any method or OAuth step (XML, JSON or CSV error
/// body), or `None` for a success or a body that is not a ZapEvent error.
pub fn error_body(response: &Response) -> Option<Error> {
    if response.is_success() {
        return None;
    }
    let body = response
        .body
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&response.body);
    let status = response.status;
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'<') => {
            let doc = parse::xml::parse(body).ok()?;
            doc.root
                .eq_ignore_ascii_case("error")
                .then(|| errors::from_error_value(&doc.value, status))
                .flatten()
        }
        Some(b'{') => {
            let v = parse::json::parse(body).ok()?;
            errors::from_error_value(v.get("error").unwrap_or(&v), status)
        }
        _ => None,
    }
}

fn login_missing(field: &str) -> Error {
    Error::parse(concat(&["ZapEvent login(): the response has no ", field])).with_provider(PROVIDER)
}

/// Sniffs and parses the body, and turns error bodies and failure statuses into errors.
fn decode(method: Method, requested: Format, response: &Response) -> Result<Body> {
    let status = response.status;
    let body = response
        .body
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&response.body);
    let first = body.iter().find(|b| !b.is_ascii_whitespace()).copied();
    let prefix = |e: Error| -> Error {
        let message = concat(&["ZapEvent ", method.js_name(), "(): ", &e.message]);
        let e = Error { message, ..e }.with_provider(PROVIDER);
        if response.is_success() {
            e
        } else {
            e.with_status(status)
        }
    };
    let parsed = match first {
        None if response.is_success() => match requested {
            Format::Csv => Body::Csv(Vec::new()),
            _ => return Err(prefix(Error::parse("the response body is empty"))),
        },
        None => return Err(errors::from_status(status)),
        Some(b'<') => Body::Xml(parse::xml::parse(body).map_err(prefix)?),
        Some(b'{') | Some(b'[') => Body::Json(parse::json::parse(body).map_err(prefix)?),
        Some(_) if requested == Format::Csv || !response.is_success() => {
            match parse::csv::parse(body) {
                Ok(rows) => Body::Csv(rows),
                Err(_) if !response.is_success() => return Err(errors::from_status(status)),
                Err(e) => return Err(prefix(e)),
            }
        }
        Some(_) => return Err(prefix(Error::parse("the body is neither XML nor JSON"))),
    };
    // ZapEvent may answer an error with 200: the body decides, then the status.
    let error = match &parsed {
        Body::Xml(doc) if doc.root.eq_ignore_ascii_case("error") => Some(
            errors::from_error_value(&doc.value, status)
                .unwrap_or_else(|| errors::from_status(status)),
        ),
        Body::Json(v) => match v.get("error") {
            Some(inner @ Value::Object(_)) => errors::from_error_value(inner, status),
            _ => errors::from_error_value(v, status),
        },
        Body::Csv(rows) => rows.first().and_then(|r| errors::from_csv_row(r, status)),
        _ => None,
    };
    if let Some(e) = error {
        return Err(e);
    }
    if !response.is_success() {
        return Err(errors::from_status(status));
    }
    Ok(parsed)
}

fn rename(e: Error, method: &str) -> Error {
    let message = e.message.replacen("event()", &concat(&[method, "()"]), 1);
    Error { message, ..e }
}

fn missing(method: Method, what: &str) -> Error {
    Error::parse(concat(&[
        "ZapEvent ",
        method.js_name(),
        "(): the response has no ",
        what,
    ]))
    .with_provider(PROVIDER)
}

/// The list's items, in any of the shapes above (an absent list is an empty page).
fn take_items(value: &mut Value, root: &str, item: &str) -> Vec<Value> {
    let map = match value {
        Value::Object(map) => map,
        Value::Array(items) => return std::mem::take(items),
        _ => return Vec::new(),
    };
    for key in [item, root, "items", "data", "results", "records"] {
        match map.remove(key) {
            Some(Value::Array(items)) => return items,
            Some(Value::Object(mut inner)) if key == root => {
                return take_items(&mut Value::Object(std::mem::take(&mut inner)), root, item);
            }
            Some(one @ Value::Object(_)) => return vec![one],
            // `<participants></participants>` inside a wrapper, or `"participants": ""`.
            Some(Value::String(_)) | Some(Value::Null) => return Vec::new(),
            Some(other) => {
                map.insert(key.to_owned(), other);
            }
            None => {}
        }
    }
    Vec::new()
}

/// Page metadata in a value's own fields or under `meta` / `pagination` / `paging`.
fn meta_of(value: &Value) -> PageMeta {
    let mut meta = PageMeta::default();
    let Some(map) = value.as_object() else {
        return meta;
    };
    read_meta(map, &mut meta);
    for key in ["meta", "pagination", "paging", "page_info"] {
        if let Some(Value::Object(inner)) = map.get(key) {
            let mut nested = PageMeta::default();
            read_meta(inner, &mut nested);
            merge(&mut meta, nested);
        }
    }
    meta
}

fn read_meta(map: &Map<String, Value>, meta: &mut PageMeta) {
    let number = |names: &[&str]| {
        names.iter().find_map(|n| match map.get(*n)? {
            Value::Number(v) => v.as_u64(),
            Value::String(s) => integer(s.trim()).and_then(|v| u64::try_from(v).ok()),
            _ => None,
        })
    };
    meta.page = number(&["page", "current_page", "page_number"]);
    meta.per_page = number(&["results_per_page", "per_page", "page_size"]);
    meta.total = number(&[
        "total_count",
        "total",
        "total_results",
        "total_records",
        "totalcount",
    ]);
    meta.total_pages = number(&["total_pages", "page_count", "totalpages"]);
}

fn meta_of_headers(response: &Response) -> PageMeta {
    let number = |name: &str| {
        response
            .header(name)
            .and_then(|v| integer(v.trim()))
            .and_then(|v| u64::try_from(v).ok())
    };
    PageMeta {
        page: number("x-page"),
        per_page: number("x-results-per-page").or_else(|| number("x-per-page")),
        total: number("x-total-count").or_else(|| number("x-total")),
        total_pages: number("x-total-pages"),
        // ZapEvent documents no Link header; pages are numbered.
        next: None,
    }
}

/// Fills what `into` lacks from `from` (the body wins over headers).
fn merge(into: &mut PageMeta, from: PageMeta) {
    into.page = into.page.or(from.page);
    into.per_page = into.per_page.or(from.per_page);
    into.total = into.total.or(from.total);
    into.total_pages = into.total_pages.or(from.total_pages);
    into.next = into.next.take().or(from.next);
}
