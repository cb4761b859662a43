//! The one paging mechanism of every provider client: a sans-IO state machine that says which
//! page to ask for next ([`Pager::poll`]) and consumes what came back ([`Pager::handle_page`]).
//!
//! A run ends on an empty page, a short page, a known total or page count, a missing
//! `Link: rel="next"` or cursor token when the provider pages by those, or `max_items`. The same page twice
//! (same content, or the server echoing an earlier page number) is a `PAGE_REPEATED` error,
//! never a loop. [`Cursor`] is the position between pages: a failed run resumes from it.

pub mod json_api;

use crate::core::error::{Error, ErrorCode, Result};
use crate::core::text::{concat, decimal};

/// How a provider numbers its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `page` = 1, 2, 3 … with a page size (ZapEvent `page` / `results_per_page`).
    PageNumber,
    /// `offset` = 0, n, 2n … with `limit` (OneRoster); a `Link: rel="next"` is followed when
    /// the server sends one.
    OffsetLimit,
}

/// Where a run stands between two pages. Its text form ([`Cursor::encode`]) is what users keep
/// to resume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// The next page number (1-based; [`Scheme::PageNumber`]).
    pub page: u64,
    /// Items the server has handed out before the next page (the next `offset`).
    pub offset: u64,
    /// Items yielded to the caller so far (counts toward `max_items`).
    pub fetched: u64,
    /// The server's pointer to the next page: a `Link: rel="next"` URL (RFC 8288) or a
    /// cursor token.
    pub next: Option<String>,
}

const CURSOR_PREFIX: &str = "pg1.";

impl Cursor {
    /// The start of a run.
    pub fn start() -> Self {
        Cursor {
            page: 1,
            offset: 0,
            fetched: 0,
            next: None,
        }
    }

    /// Opaque, URL-safe text: `pg1.<page>.<offset>.<fetched>[.<next url>]`.
    pub fn encode(&self) -> String {
        let mut s = concat(&[
            CURSOR_PREFIX,
            &decimal(self.page),
            ".",
            &decimal(self.offset),
            ".",
            &decimal(self.fetched),
        ]);
        if let Some(url) = &self.next {
            s.push('.');
            s.push_str(url);
        }
        s
    }

    /// Parses [`Cursor::encode`]'s text; anything else is `INVALID_ARGUMENT`.
    pub fn decode(text: &str) -> Result<Self> {
        let bad = || Error::invalid_argument("cursor is not one this SDK produced");
        let rest = text.strip_prefix(CURSOR_PREFIX).ok_or_else(bad)?;
        let mut parts = rest.splitn(4, '.');
        let mut number = || -> Result<u64> {
            let p = parts.next().ok_or_else(bad)?;
            if p.is_empty() || p.len() > 15 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            p.parse().map_err(|_| bad())
        };
        let (page, offset, fetched) = (number()?, number()?, number()?);
        if page == 0 {
            return Err(bad());
        }
        let next = parts.next().map(str::to_owned);
        if next.as_deref().is_some_and(|u| u.is_empty()) {
            return Err(bad());
        }
        Ok(Cursor {
            page,
            offset,
            fetched,
            next,
        })
    }
}

/// The next page to ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    /// 1-based page number.
    pub page: u64,
    /// Items before this page.
    pub offset: u64,
    /// Page size to ask for.
    pub limit: u64,
    /// The server's pointer to this page: a `Link: rel="next"` URL to request as is, or a
    /// cursor token to send (which one is the provider's scheme).
    pub next: Option<String>,
}

/// What a response says about paging, wherever the provider put it (body, XML attributes,
/// headers); every field optional because providers differ and some say nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMeta {
    /// The page number the server says it answered.
    pub page: Option<u64>,
    /// The page size the server says it used (it may cap the one asked for).
    pub per_page: Option<u64>,
    /// Items in the whole collection.
    pub total: Option<u64>,
    /// Pages in the whole collection.
    pub total_pages: Option<u64>,
    /// The next page's `Link: rel="next"` URL or cursor token; its absence ends a run that
    /// follows them.
    pub next: Option<String>,
    /// The response pages by `Link` headers (it sent one, with or without `rel="next"`): then a
    /// missing `next` is the end, whatever the page's size.
    pub links: bool,
}

/// Progress of a run, as `onProgress` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Pages fetched in this run.
    pub pages: u64,
    /// Items yielded so far (a resumed run counts the earlier ones too).
    pub fetched: u64,
    /// Items in the whole collection, when the provider said.
    pub total: Option<u64>,
}

/// The paging state machine of one list call.
#[derive(Debug, Clone)]
pub struct Pager {
    scheme: Scheme,
    page_size: u64,
    max_items: Option<u64>,
    cursor: Cursor,
    total: Option<u64>,
    pages: u64,
    last_fingerprint: Option<u64>,
    /// The most records a page of this run held (a server's silent page-size cap).
    largest_page: u64,
    done: bool,
}

impl Pager {
    /// A run asking `page_size` items per page, stopping after `max_items` if given, from
    /// `resume` (a cursor of an earlier run) or the start.
    pub fn new(
        scheme: Scheme,
        page_size: u64,
        max_items: Option<u64>,
        resume: Option<Cursor>,
    ) -> Self {
        let cursor = resume.unwrap_or_else(Cursor::start);
        let done = max_items.is_some_and(|m| cursor.fetched >= m);
        Pager {
            scheme,
            page_size,
            max_items,
            cursor,
            total: None,
            pages: 0,
            last_fingerprint: None,
            largest_page: 0,
            done,
        }
    }

    /// The next page to fetch, or `None` when the run is over.
    pub fn poll(&self) -> Option<PageRequest> {
        if self.done {
            return None;
        }
        Some(PageRequest {
            page: self.cursor.page,
            offset: self.cursor.offset,
            limit: self.page_size,
            next: self.cursor.next.clone(),
        })
    }

    /// Consumes one page: `items` records came back, `fingerprint` identifies their content
    /// (see [`fingerprint`]). Returns how many of them to yield (fewer than `items` when
    /// `max_items` cuts the page).
    pub fn handle_page(&mut self, meta: &PageMeta, items: u64, fingerprint: u64) -> Result<u64> {
        let asked = self
            .poll()
            .ok_or_else(|| Error::new(ErrorCode::Internal, "a page arrived after the run ended"))?;
        let echoed_other_page = self.scheme == Scheme::PageNumber
            && asked.next.is_none()
            && meta.page.is_some_and(|p| p != asked.page);
        if items > 0 && (echoed_other_page || self.last_fingerprint == Some(fingerprint)) {
            self.done = true;
            return Err(Error::new(
                ErrorCode::PageRepeated,
                concat(&[
                    "the server answered page ",
                    &decimal(asked.page),
                    " with a page it had already sent; stopping instead of looping",
                ]),
            ));
        }
        self.last_fingerprint = Some(fingerprint);
        self.pages += 1;
        if meta.total.is_some() {
            self.total = meta.total;
        }
        let keep = match self.max_items {
            Some(max) => items.min(max.saturating_sub(self.cursor.fetched)),
            None => items,
        };
        let offset = self.cursor.offset.saturating_add(items);
        let follows_links = meta.links || meta.next.is_some() || asked.next.is_some();
        // The strongest signal the provider gives decides; a short page only when it gives
        // none (the server may cap the page size: a page is short against what it says it used).
        let expected = meta
            .per_page
            .filter(|&p| p > 0)
            .map_or(self.page_size, |p| p.min(self.page_size));
        let exhausted = if let Some(total) = self.total {
            offset >= total
        } else if let Some(pages) = meta.total_pages {
            asked.page >= pages
        } else if follows_links {
            meta.next.is_none()
        } else if self.scheme == Scheme::OffsetLimit && meta.per_page.is_none() {
            // OneRoster servers may cap the page size without saying so: a short page ends
            // the run only once a longer page has shown the cap; before that, the next
            // (empty) page confirms the end. At most one extra request, and only for
            // servers that send neither X-Total-Count nor Link.
            self.largest_page > items
        } else {
            items < expected
        };
        self.largest_page = self.largest_page.max(items);
        let ended = items == 0
            || exhausted
            || self
                .max_items
                .is_some_and(|m| self.cursor.fetched.saturating_add(keep) >= m);
        self.cursor = Cursor {
            page: asked.page.saturating_add(1),
            offset,
            fetched: self.cursor.fetched.saturating_add(keep),
            next: meta.next.clone(),
        };
        self.done = ended;
        Ok(keep)
    }

    /// Where to resume: `None` once the run has ended.
    pub fn cursor(&self) -> Option<&Cursor> {
        (!self.done).then_some(&self.cursor)
    }

    /// True once the run has ended.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Progress so far.
    pub fn progress(&self) -> Progress {
        Progress {
            pages: self.pages,
            fetched: self.cursor.fetched,
            total: self.total,
        }
    }
}

/// Page sizes a provider accepts: the default when the caller gives none, and the range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSizes {
    /// Used when the caller gives no `resultsPerPage`.
    pub default: u64,
    /// Smallest accepted.
    pub min: u64,
    /// Largest accepted (a server may still cap lower).
    pub max: u64,
}

impl PageSizes {
    /// `resultsPerPage` checked against the range (`INVALID_ARGUMENT` naming it).
    pub fn check(&self, value: f64) -> Result<u64> {
        if value.fract() != 0.0 || !(self.min as f64..=self.max as f64).contains(&value) {
            let mut e = Error::invalid_argument(concat(&[
                "option 'resultsPerPage' must be an integer from ",
                &decimal(self.min),
                " to ",
                &decimal(self.max),
            ]));
            e.params_mut().invalid.push("resultsPerPage".into());
            return Err(e);
        }
        Ok(value as u64)
    }
}

/// A start page (`page` option): an integer ≥ 1.
pub fn page_number(value: f64) -> Result<u64> {
    if value.fract() != 0.0 || !(1.0..=9.0e15).contains(&value) {
        let mut e = Error::invalid_argument("option 'page' must be an integer ≥ 1");
        e.params_mut().invalid.push("page".into());
        return Err(e);
    }
    Ok(value as u64)
}

/// FNV-1a (64-bit) of a page's records, enough to tell a repeated page from a new one.
pub fn fingerprint(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests;
