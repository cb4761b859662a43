//! Records to JS: the one hand-off of every provider's list bodies (`core::parse::typed`).
//!
//! - XML and CSV are typed in the core and cross as one tape per page (`typed::Records`: text,
//!   wide text and ops), turned into objects by `records.js`'s `tapeRecords`.
//! - JSON bodies are parsed by the host: `records.js` runs `JSON.parse` on the body text (sent
//!   as ASCII, `json::ascii_text`: V8 decodes it ten times faster than UTF-8 text) and
//!   sends back the body's skeleton, the core locates the records in it (`locate`) and the
//!   provider reads the page metadata or its error (`JsonShape::finish`), then `records.js`
//!   types the records in place with the provider's rules, asking a [`RecordTyper`] for each
//!   field name's rule and for any record it cannot type on its fast paths.
//!
//! Measured on the 10,000-record bodies (scripts/bench.mjs): the streaming wasm transcoder into
//! typed JSON text, parsed again in JS, cost 3–4× `TextDecoder` + `JSON.parse`; this costs
//! `JSON.parse` plus a pass over the typed fields.

use super::error::to_js;
use crate::core::error::Error;
use crate::core::http::Response;
use crate::core::paging::{fingerprint, PageMeta};
use crate::core::parse::json;
use crate::core::parse::typed::{
    locate, type_record, Items, JsonShape, ListBody, Records, Rule, Rules,
};
use js_sys::Array;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/records.js")]
extern "C" {
    #[wasm_bindgen(js_name = parseBody)]
    fn parse_body(body: &[u8]) -> JsValue;
    #[wasm_bindgen(js_name = typeItems, catch)]
    fn type_items(
        doc: &JsValue,
        path: Vec<String>,
        items: u32,
        typer: RecordTyper,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = sampleOf)]
    fn sample_of(records: &Array) -> String;
    #[wasm_bindgen(js_name = tapeRecords)]
    fn tape_records(text: &[u8], wide: &[u8], ops: &[u32]) -> Array;
}

/// A page's records as JS values, and what the pager needs of them.
pub struct Page {
    /// The records.
    pub items: Array,
    /// What the response said about paging.
    pub meta: PageMeta,
    /// What a repeated page is recognised by.
    pub fingerprint: u64,
}

/// A provider's list body → its records as JS values.
pub fn read(body: ListBody, response: &Response) -> Result<Page, JsValue> {
    match body {
        ListBody::Typed(records, meta) => {
            let (text, wide, ops) = records.parts();
            Ok(Page {
                fingerprint: fingerprint(&records.sample()),
                items: tape_records(text, wide, ops),
                meta,
            })
        }
        ListBody::Json(shape) => read_json(&*shape, response),
    }
}

thread_local! {
    /// The buffer `json::ascii_text` writes the ASCII text of bodies with non-ASCII characters
    /// into: one for every page (a fresh one per page fragmented the heap: the memory test's
    /// linear memory grew a page after 50 paging runs). Taken and put back, so a re-entrant call
    /// gets an empty one instead of a panic.
    static ASCII_TEXT: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

fn read_json(shape: &dyn JsonShape, response: &Response) -> Result<Page, JsValue> {
    let fail = |e: Error| to_js(shape.body_error(e));
    let not_json = || fail(Error::parse("the body is not valid JSON"));
    let not_utf8 = || fail(Error::parse("the body is not UTF-8"));
    let mut scratch = ASCII_TEXT.take();
    let parsed = json::ascii_text(&response.body, &mut scratch).map(parse_body);
    ASCII_TEXT.set(scratch);
    let parsed = parsed.ok_or_else(not_utf8)?;
    match parsed.as_f64() {
        Some(0.0) => return Err(not_utf8()),
        Some(_) => return Err(not_json()),
        None => {}
    }
    let parsed = Array::from(&parsed);
    let skeleton = parsed.get(1).as_string().ok_or_else(not_json)?;
    let top = json::parse(skeleton.as_bytes()).map_err(|_| not_json())?;
    let located = locate(&top, &shape.envelope()).map_err(fail)?;
    let meta = shape.finish(&located, &top, response).map_err(to_js)?;
    let items = match located.items {
        Items::List => 0,
        Items::One => 1,
        Items::None => 2,
    };
    let typer = RecordTyper {
        rules: shape.rules(),
    };
    let items = type_items(&parsed.get(0), located.path, items, typer)?;
    if items.as_f64().is_some() {
        return Err(fail(Error::parse("the body is nested too deeply")));
    }
    let items = Array::from(&items);
    Ok(Page {
        fingerprint: fingerprint(sample_of(&items).as_bytes()),
        items,
        meta,
    })
}

/// A one-record tape (`event()`, a OneRoster record by id, a record typed by the core) as a
/// JS object. Not inlined: three async methods call it.
#[inline(never)]
pub fn first_record(records: &Records) -> JsValue {
    let (text, wide, ops) = records.parts();
    tape_records(text, wide, ops).get(0)
}

/// A provider's typing rules, lent to `records.js` for one body (freed there). Internal: not
/// part of the package's API.
#[wasm_bindgen(skip_typescript)]
pub struct RecordTyper {
    rules: Box<dyn Rules>,
}

#[wasm_bindgen]
impl RecordTyper {
    /// The rule of a field name, as `records.js` numbers them (`Rule`'s order).
    pub fn rule(&self, name: &str) -> u32 {
        match self.rules.rule(name) {
            Rule::Keep => 0,
            Rule::Integer => 1,
            Rule::Money => 2,
            Rule::Date => 3,
            Rule::Bool => 4,
            Rule::List { .. } => 5,
        }
    }

    /// A record the fast paths left to the core, as JSON text → the typed record, or the
    /// rules' `PARSE` error naming the field.
    pub fn record(&self, json: &str) -> Result<JsValue, JsValue> {
        type_record(&*self.rules, json)
            .map(|one| first_record(&one))
            .map_err(to_js)
    }
}
