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
use super::records::ZapRules;
use super::{Format, Method, PROVIDER};
use crate::core::error::{Error, Result};
use crate::core::http::Response;
use crate::core::paging::PageMeta;
use crate::core::parse::typed::{
    locate, write_csv, write_value, Envelope, JsonShape, ListBody, Located, Records, Rules,
};
use crate::core::parse::{self, Map, Value};
use crate::core::secret::Secret;
use crate::core::text::concat;

/// One page of a list method.
#[derive(Debug, Clone, PartialEq)]
pub struct ListPage {
    /// Normalized records, as the JSON text handed to JS.
    pub records: Records,
    /// What the response said about paging.
    pub meta: PageMeta,
}

/// Where a list's items may be in a JSON body: under the method's names, the usual generic
/// ones, or (XML-shaped JSON) one object deeper under the root name.
fn envelope(method: Method) -> (Envelope<'static>, &'static [&'static str]) {
    const EVENTS: &[&str] = &["events", "event", "items", "data", "results", "records"];
    const CATEGORIES: &[&str] = &[
        "categories",
        "category",
        "items",
        "data",
        "results",
        "records",
    ];
    const QUESTIONS: &[&str] = &[
        "questions",
        "question",
        "items",
        "data",
        "results",
        "records",
    ];
    const PARTICIPANTS: &[&str] = &[
        "participants",
        "participant",
        "items",
        "data",
        "results",
        "records",
    ];
    let keys = match method {
        Method::Event | Method::Events | Method::Login => EVENTS,
        Method::Categories => CATEGORIES,
        Method::Questions => QUESTIONS,
        Method::Participants => PARTICIPANTS,
    };
    let envelope = Envelope {
        item_keys: keys,
        wrapper_key: Some(method.root().0),
        read_meta: true,
        error_keys: &["error", "error_code"],
    };
    (envelope, keys)
}

/// Parses a list method's response (natively: a JSON body read whole, see [`read_list`]).
pub fn parse_list(method: Method, requested: Format, response: &Response) -> Result<ListPage> {
    let (records, meta) = read_list(method, requested, response)?.read(response)?;
    Ok(ListPage { records, meta })
}

/// A list method's response: XML and CSV typed here; a JSON body handed on as its shape, for
/// the host to parse and type in place (`parse::typed::locate`).
pub fn read_list(method: Method, requested: Format, response: &Response) -> Result<ListBody> {
    let rules = ZapRules(method);
    let mut records = Records::default();
    let mut meta = match sniff(method, requested, response)? {
        Sniffed::Json(_) => return Ok(ListBody::Json(Box::new(ZapJson { method, requested }))),
        Sniffed::Csv(body) => {
            let (header, mut rows) =
                parse::csv::table(body).map_err(|e| prefix(method, response, e))?;
            if header.iter().any(|h| h == "error_code") {
                return Err(decode_error(method, requested, response));
            }
            write_csv(&mut records, &rules, &header, &mut rows)?;
            PageMeta::default()
        }
        Sniffed::Xml(body) => {
            let doc = parse::xml::parse(body).map_err(|e| prefix(method, response, e))?;
            if doc.root.eq_ignore_ascii_case("error") {
                return Err(decode_error(method, requested, response));
            }
            let (root_name, item_name) = method.root();
            if doc.root == item_name {
                write_value(&mut records, &rules, &doc.value)?;
                PageMeta::default()
            } else {
                let mut value = doc.value;
                let meta = meta_of(&value);
                for item in take_items(&mut value, root_name, item_name) {
                    write_value(&mut records, &rules, &item)?;
                }
                meta
            }
        }
    };
    merge(&mut meta, meta_of_headers(response));
    Ok(ListBody::Typed(records, meta))
}

/// Parses `event()`'s response: one event with its activities, as a one-record tape.
pub fn parse_event(requested: Format, response: &Response) -> Result<Records> {
    let method = Method::Event;
    let shape = ZapJson { method, requested };
    let mut records = match read_list(method, requested, response)? {
        ListBody::Typed(records, _) => records,
        ListBody::Json(_) => {
            let value = parse::json::parse(&response.body).map_err(|e| shape.body_error(e))?;
            let located = locate(&value, &shape.envelope()).map_err(|e| shape.body_error(e))?;
            shape.finish(&located, &value, response)?;
            let mut records = Records::default();
            // The event itself at the top level (`{"event_id": …}`), or under a list key.
            let items = if located.no_list && value.get("event_id").is_some() {
                std::slice::from_ref(&value)
            } else {
                located.items_of(&value)
            };
            for item in items {
                write_value(&mut records, &ZapRules(method), item)?;
            }
            records
        }
    };
    records.truncate(1);
    match records.is_empty() {
        true => Err(missing(method, "event")),
        false => Ok(records),
    }
}

/// A list method's JSON body: under the method's names, the usual generic ones, or one object
/// deeper under the root name; `error`/`error_code` at the top make it an error body.
struct ZapJson {
    method: Method,
    requested: Format,
}

impl JsonShape for ZapJson {
    fn envelope(&self) -> Envelope<'static> {
        envelope(self.method).0
    }

    fn rules(&self) -> Box<dyn Rules> {
        Box::new(ZapRules(self.method))
    }

    fn finish(&self, located: &Located, _top: &Value, response: &Response) -> Result<PageMeta> {
        if located.error {
            return Err(decode_error(self.method, self.requested, response));
        }
        let mut meta = located.meta.clone();
        merge(&mut meta, meta_of_headers(response));
        Ok(meta)
    }

    fn body_error(&self, e: Error) -> Error {
        // Only a success reaches here: a failure status was decoded as an error by `sniff`.
        let message = concat(&["ZapEvent ", self.method.js_name(), "(): ", &e.message]);
        e.with_message(message).with_provider(PROVIDER)
    }
}

/// Parses the Login method's response: `tmp_key` and `tmp_secret`, both secret.
pub fn parse_login(requested: Format, response: &Response) -> Result<(Secret, Secret)> {
    let method = Method::Login;
    let error = || decode_error(method, requested, response);
    let value = match sniff(method, requested, response)? {
        Sniffed::Xml(body) => {
            let doc = parse::xml::parse(body).map_err(|e| prefix(method, response, e))?;
            if doc.root.eq_ignore_ascii_case("error") {
                return Err(error());
            }
            doc.value
        }
        Sniffed::Json(body) => {
            let v = parse::json::parse(body).map_err(|e| prefix(method, response, e))?;
            if v.get("error").is_some() || v.get("error_code").is_some() {
                return Err(error());
            }
            v
        }
        Sniffed::Csv(body) => {
            let rows = parse::csv::parse(body).map_err(|e| prefix(method, response, e))?;
            rows.into_iter()
                .next()
                .map(Value::Object)
                .unwrap_or(Value::Null)
        }
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

enum Sniffed<'a> {
    Xml(&'a [u8]),
    Json(&'a [u8]),
    Csv(&'a [u8]),
}

/// The body's format by its first byte (`<` XML, `{`/`[` JSON, else CSV when CSV was asked
/// for); a failure status is decoded as an error right away.
fn sniff<'a>(method: Method, requested: Format, response: &'a Response) -> Result<Sniffed<'a>> {
    if !response.is_success() {
        return Err(decode_error(method, requested, response));
    }
    let body = response
        .body
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&response.body);
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        None if requested == Format::Csv => Ok(Sniffed::Csv(body)),
        None => Err(prefix(
            method,
            response,
            Error::parse("the response body is empty"),
        )),
        Some(b'<') => Ok(Sniffed::Xml(body)),
        Some(b'{') | Some(b'[') => Ok(Sniffed::Json(body)),
        Some(_) if requested == Format::Csv => Ok(Sniffed::Csv(body)),
        Some(_) => Err(prefix(
            method,
            response,
            Error::parse("the body is neither XML nor JSON"),
        )),
    }
}

fn prefix(method: Method, response: &Response, e: Error) -> Error {
    let message = concat(&["ZapEvent ", method.js_name(), "(): ", &e.message]);
    let e = e.with_message(message).with_provider(PROVIDER);
    if response.is_success() {
        e
    } else {
        e.with_status(response.status)
    }
}

/// The error a response stands for (ZapEvent may answer an error with 200: the body decides,
/// then the status). Error bodies are small: they are read whole, in any format.
fn decode_error(method: Method, requested: Format, response: &Response) -> Error {
    let status = response.status;
    let body = response
        .body
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&response.body);
    let found = match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'<') => match parse::xml::parse(body) {
            Ok(doc) if doc.root.eq_ignore_ascii_case("error") => Some(
                errors::from_error_value(&doc.value, status)
                    .unwrap_or_else(|| errors::from_status(status)),
            ),
            Ok(_) => None,
            Err(e) if response.is_success() => return prefix(method, response, e),
            Err(_) => None,
        },
        Some(b'{') | Some(b'[') => match parse::json::parse(body) {
            Ok(v) => match v.get("error") {
                Some(inner @ Value::Object(_)) => errors::from_error_value(inner, status),
                _ => errors::from_error_value(&v, status),
            },
            Err(e) if response.is_success() => return prefix(method, response, e),
            Err(_) => None,
        },
        Some(_) if requested == Format::Csv || !response.is_success() => parse::csv::parse(body)
            .ok()
            .and_then(|rows| rows.first().and_then(|r| errors::from_csv_row(r, status))),
        _ => None,
    };
    found.unwrap_or_else(|| errors::from_status(status))
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

fn read_meta(map: &Map, meta: &mut PageMeta) {
    let number = |names: &[&str]| {
        names.iter().find_map(|n| match map.get(n)? {
            Value::Number(v) => v.as_u64(),
            Value::String(s) => count(s),
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
    let number = |name: &str| response.header(name).and_then(count);
    PageMeta {
        page: number("x-page"),
        per_page: number("x-results-per-page").or_else(|| number("x-per-page")),
        total: number("x-total-count").or_else(|| number("x-total")),
        total_pages: number("x-total-pages"),
        // ZapEvent documents no Link header; pages are numbered.
        next: None,
        links: false,
    }
}

/// A non-negative count from text (metadata values).
fn count(text: &str) -> Option<u64> {
    let t = text.trim();
    (!t.is_empty() && t.len() <= 15 && t.bytes().all(|b| b.is_ascii_digit()))
        .then(|| t.parse().ok())?
}

/// Fills what `into` lacks from `from` (the body wins over headers).
fn merge(into: &mut PageMeta, from: PageMeta) {
    into.page = into.page.or(from.page);
    into.per_page = into.per_page.or(from.per_page);
    into.total = into.total.or(from.total);
    into.total_pages = into.total_pages.or(from.total_pages);
    into.next = into.next.take().or(from.next);
}
