//! The JS side of the core's paging (`core::paging`): reads the paging options every list
//! method shares and wraps a run in the one `PagedList` class of `paged.js`.

use super::error::{invalid_option, named, to_js};
use super::host::get;
use super::transport::Transport;
use crate::core::error::Result as CoreResult;
use crate::core::http::{Request, Response};
use crate::core::paging::{page_number, Cursor, PageRequest, PageSizes, Pager, Scheme};
use crate::core::parse::typed::ListBody;
use js_sys::Promise;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/paged.js")]
extern "C" {
    #[wasm_bindgen(js_name = pagedList)]
    fn new_paged_list(
        next: JsValue,
        start_cursor: Option<String>,
        signal: JsValue,
        on_progress: JsValue,
    ) -> JsValue;
    #[wasm_bindgen(js_name = pageResult)]
    fn page_result(
        items: &js_sys::Array,
        page: f64,
        total: Option<f64>,
        fetched: f64,
        cursor: Option<String>,
    ) -> JsValue;
}

/// Option names every list method takes besides its own parameters.
pub const PAGING_OPTIONS: &[&str] = &[
    "resultsPerPage",
    "page",
    "maxItems",
    "cursor",
    "signal",
    "onProgress",
    "format",
];

/// The paging options of one list call, read and checked before anything is sent.
pub struct PagingOptions {
    /// The pager of the run.
    pub pager: Pager,
    /// What the `PagedList` itself keeps.
    pub list: ListHandles,
}

/// The start cursor, `AbortSignal` and `onProgress` callback of a run.
pub struct ListHandles {
    start_cursor: Option<String>,
    signal: JsValue,
    on_progress: JsValue,
}

impl PagingOptions {
    /// Reads `resultsPerPage` (checked against `sizes`), `page`, `maxItems`, `cursor`,
    /// `signal` and `onProgress` from `options` (which may be `undefined`).
    pub fn read(
        options: &JsValue,
        scheme: Scheme,
        sizes: PageSizes,
    ) -> Result<PagingOptions, JsValue> {
        let field = |k: &str| -> Result<JsValue, JsValue> {
            if options.is_undefined() || options.is_null() {
                Ok(JsValue::UNDEFINED)
            } else {
                get(options, k)
            }
        };
        let number = |k: &str| -> Result<Option<f64>, JsValue> {
            let v = field(k)?;
            if v.is_undefined() || v.is_null() {
                return Ok(None);
            }
            v.as_f64().map(Some).ok_or_else(|| {
                invalid_option(
                    k,
                    &crate::core::text::concat(&["option '", k, "' must be a number"]),
                )
            })
        };
        let size = match number("resultsPerPage")? {
            Some(n) => sizes.check(n).map_err(to_js)?,
            None => sizes.default,
        };
        let max_items = match number("maxItems")? {
            Some(n) if n.fract() == 0.0 && (0.0..=9.0e15).contains(&n) => Some(n as u64),
            Some(_) => {
                return Err(invalid_option(
                    "maxItems",
                    "option 'maxItems' must be a non-negative integer",
                ))
            }
            None => None,
        };
        let cursor_text = match field("cursor")? {
            v if v.is_undefined() || v.is_null() => None,
            v => Some(
                v.as_string()
                    .ok_or_else(|| invalid_option("cursor", "option 'cursor' must be a string"))?,
            ),
        };
        let mut resume = cursor_text
            .as_deref()
            .map(Cursor::decode)
            .transpose()
            .map_err(|e| to_js(named(e, "cursor")))?;
        if let Some(page) = number("page")? {
            if resume.is_some() {
                let both = crate::core::Error::invalid_argument(
                    "pass either 'page' or 'cursor', not both",
                );
                return Err(to_js(named(named(both, "page"), "cursor")));
            }
            let page = page_number(page).map_err(to_js)?;
            resume = Some(Cursor {
                page,
                offset: (page - 1).saturating_mul(size),
                fetched: 0,
                next: None,
            });
        }
        let signal = field("signal")?;
        if !signal.is_undefined()
            && !signal.is_null()
            && !js_sys::Reflect::has(&signal, &"aborted".into()).unwrap_or(false)
        {
            return Err(invalid_option(
                "signal",
                "option 'signal' must be an AbortSignal",
            ));
        }
        let on_progress = field("onProgress")?;
        if !on_progress.is_undefined() && !on_progress.is_null() && !on_progress.is_function() {
            return Err(invalid_option(
                "onProgress",
                "option 'onProgress' must be a function",
            ));
        }
        Ok(PagingOptions {
            pager: Pager::new(scheme, size, max_items, resume),
            list: ListHandles {
                start_cursor: cursor_text,
                signal,
                on_progress,
            },
        })
    }
}

impl ListHandles {
    /// The `PagedList` of a run whose pages `next` fetches (`null` when the run is over).
    pub fn finish(self, next: impl FnMut() -> Promise + 'static) -> JsValue {
        let next = Closure::<dyn FnMut() -> Promise>::new(next).into_js_value();
        new_paged_list(next, self.start_cursor, self.signal, self.on_progress)
    }
}

/// One list call of a provider client: how to ask for a page and how to read one. The paging
/// itself is the core's [`Pager`]; [`paged_list`] runs it.
pub trait ListSource {
    /// The request for `page`.
    fn request(&self, page: &PageRequest) -> CoreResult<Request>;
    /// The page's records (or its JSON body, read by `records.rs`) and what it says about paging.
    fn parse(&self, response: &Response) -> CoreResult<ListBody>;
    /// How to send.
    fn transport(&self) -> &Transport;
    /// The provider named on paging errors (`PAGE_REPEATED`).
    fn provider(&self) -> Option<&str>;
}

struct Run {
    source: Box<dyn ListSource>,
    pager: RefCell<Pager>,
    /// The caller's `AbortSignal` (or `undefined`), handed to every `fetch`.
    signal: JsValue,
}

/// The `PagedList` of a run of `source`, configured by `paging`.
pub fn paged_list<S: ListSource + 'static>(source: S, paging: PagingOptions) -> JsValue {
    paged_list_of(Box::new(source), paging)
}

/// [`paged_list`] for any source: one copy of the run loop, not one per list kind.
fn paged_list_of(source: Box<dyn ListSource>, paging: PagingOptions) -> JsValue {
    let run = Rc::new(Run {
        source,
        pager: RefCell::new(paging.pager),
        signal: paging.list.signal.clone(),
    });
    paging.list.finish(move || {
        let run = run.clone();
        crate::js::promise(async move { run.next_page().await })
    })
}

impl Run {
    /// A core error of this run as a JS error, naming the source's provider (the ClassLink
    /// proxy's errors say "classlink" where the shared OneRoster core says "oneroster").
    fn raise(&self, e: crate::core::Error) -> JsValue {
        match self.source.provider() {
            Some(p) => to_js(e.with_provider(p)),
            None => to_js(e),
        }
    }

    async fn next_page(&self) -> Result<JsValue, JsValue> {
        let Some(page) = self.pager.borrow().poll() else {
            return Ok(JsValue::NULL);
        };
        let request = self.source.request(&page).map_err(|e| self.raise(e))?;
        let response = self
            .source
            .transport()
            .send(request, &self.signal, self.source.provider())
            .await?;
        let body = self.source.parse(&response).map_err(|e| self.raise(e))?;
        let records = super::records::read(body, &response)?;
        let keep = self
            .pager
            .borrow_mut()
            .handle_page(
                &records.meta,
                records.items.length() as u64,
                records.fingerprint,
            )
            .map_err(|e| self.raise(e))?;
        if keep < records.items.length() as u64 {
            records.items.set_length(keep as u32);
        }
        let pager = self.pager.borrow();
        let progress = pager.progress();
        Ok(page_result(
            &records.items,
            page.page as f64,
            progress.total.map(|t| t as f64),
            progress.fetched as f64,
            pager.cursor().map(|c| c.encode()),
        ))
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TS_PAGING: &'static str = r#"
/** One page of a {@link PagedList}. */
export interface Page<T> {
  /** The records of this page (after `maxItems`). */
  items: T[];
  /** The page number this was (1-based). */
  page: number;
  /** Records in the whole collection, when the provider said. */
  total?: number;
  /** Records yielded so far in this run (a resumed run counts the earlier ones too). */
  fetched: number;
  /** Where to resume after this page; `null` when the run is complete. */
  cursor: string | null;
}

/** What `onProgress` receives after every page. */
export interface PageProgress {
  page: number;
  fetched: number;
  total?: number;
}

/** Paging options every list method takes. */
export interface PagingOptions {
  /** Page size (provider limits apply: ZapEvent 0–250, default 10). */
  resultsPerPage?: number;
  /** First page to fetch (default 1). */
  page?: number;
  /** Stop after this many records (not a page size). */
  maxItems?: number;
  /** Resume where an earlier run stopped (`PagedList.cursor`). */
  cursor?: string;
  /** Stops the run with an `ABORTED` error. */
  signal?: AbortSignal;
  /** Called after every page. */
  onProgress?: (progress: PageProgress) => void;
}

/**
 * The paged iterator every list method returns: `for await` over records, `.pages()` over
 * pages, `.toArray()`; iterate it once. The core decides when a run ends (empty or short page,
 * known total) and stops with `PAGE_REPEATED` rather than looping on a repeated page.
 */
export declare class PagedList<T> implements AsyncIterable<T> {
  private constructor();
  /** The cursor after the last page delivered (`null` once complete): pass it as `cursor` to resume. */
  readonly cursor: string | null;
  pages(): AsyncGenerator<Page<T>, void, undefined>;
  [Symbol.asyncIterator](): AsyncGenerator<T, void, undefined>;
  toArray(): Promise<T[]>;
}
"#;
