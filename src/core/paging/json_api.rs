//! Paging any JSON API (`TokenSession.paginate`): where the items are, how the next page is
//! asked for (page number, offset/limit, `Link: rel="next"`, a cursor token from the body), and
//! where a total may be, as options; the decisions stay the [`Pager`](super::Pager)'s.

use super::{PageMeta, PageRequest, Scheme};
use crate::core::error::{Error, ErrorCode, Result};
use crate::core::form::rfc3986_encode;
use crate::core::http::{next_link, Request, Response};
use crate::core::parse::typed::Records;
use crate::core::parse::{json, Value};
use crate::core::text::{concat, decimal};
use crate::core::url::Url;

/// How the API pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `?page=1,2,…&per_page=n`.
    Page,
    /// `?offset=0,n,…&limit=n`.
    Offset,
    /// `Link: rel="next"` URLs (RFC 8288), the first page at the URL given.
    Link,
    /// A token from the body sent back as a parameter (`?cursor=…`).
    Cursor,
}

impl Style {
    /// `"page"`, `"offset"`, `"link"` or `"cursor"`.
    pub fn parse(name: &str) -> Result<Style> {
        Ok(match name {
            "page" => Style::Page,
            "offset" => Style::Offset,
            "link" => Style::Link,
            "cursor" => Style::Cursor,
            _ => {
                return Err(Error::invalid_argument(
                    "style must be \"page\", \"offset\", \"link\" or \"cursor\"",
                ))
            }
        })
    }
}

/// A list endpoint of some JSON API.
#[derive(Debug, Clone)]
pub struct JsonList {
    /// The first page's URL (its own query kept).
    pub url: String,
    /// How it pages.
    pub style: Style,
    /// Dot path to the items array (`"data"`, `"result.items"`); empty: the body is the array.
    pub items_path: String,
    /// Dot path to the total count, if the body has one (else `X-Total-Count` is read).
    pub total_path: Option<String>,
    /// Dot path to the next cursor ([`Style::Cursor`]; default `next_cursor`).
    pub next_cursor_path: String,
    /// Parameter names: page number and size, offset and limit, cursor.
    pub page_param: String,
    /// See `page_param`.
    pub size_param: String,
    /// See `page_param`.
    pub offset_param: String,
    /// See `page_param`.
    pub limit_param: String,
    /// See `page_param`.
    pub cursor_param: String,
    origin: String,
}

impl JsonList {
    /// A list at `url` with the conventional parameter names (`page`/`per_page`,
    /// `offset`/`limit`, `cursor`, `next_cursor`).
    pub fn new(url: &str, style: Style, items_path: &str) -> Result<JsonList> {
        Url::parse(url)?;
        Ok(JsonList {
            origin: origin(url),
            url: url.to_owned(),
            style,
            items_path: items_path.to_owned(),
            total_path: None,
            next_cursor_path: "next_cursor".into(),
            page_param: "page".into(),
            size_param: "per_page".into(),
            offset_param: "offset".into(),
            limit_param: "limit".into(),
            cursor_param: "cursor".into(),
        })
    }

    /// The pager scheme of the style.
    pub fn scheme(&self) -> Scheme {
        match self.style {
            Style::Page => Scheme::PageNumber,
            _ => Scheme::OffsetLimit,
        }
    }

    /// The GET request of `page`.
    pub fn request(&self, page: &PageRequest) -> Result<Request> {
        let url = match (self.style, page.next.as_deref()) {
            (Style::Link, Some(next)) => {
                if origin(next) != self.origin {
                    return Err(Error::new(
                        ErrorCode::Parse,
                        "the Link rel=\"next\" points to another origin; not followed",
                    ));
                }
                next.to_owned()
            }
            (Style::Link, None) => self.url.clone(),
            (Style::Page, _) => self.with(&[
                (&self.page_param, decimal(page.page)),
                (&self.size_param, decimal(page.limit)),
            ]),
            (Style::Offset, _) => self.with(&[
                (&self.offset_param, decimal(page.offset)),
                (&self.limit_param, decimal(page.limit)),
            ]),
            (Style::Cursor, None) => self.with(&[(&self.limit_param, decimal(page.limit))]),
            (Style::Cursor, Some(token)) => self.with(&[
                (&self.limit_param, decimal(page.limit)),
                (&self.cursor_param, token.to_owned()),
            ]),
        };
        Ok(Request {
            method: "GET".into(),
            url,
            headers: vec![("Accept".into(), "application/json".into())],
            body: None,
        })
    }

    fn with(&self, params: &[(&String, String)]) -> String {
        let mut url = self.url.split('#').next().unwrap_or_default().to_owned();
        for (name, value) in params {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&rfc3986_encode(name.as_bytes()));
            url.push('=');
            url.push_str(&rfc3986_encode(value.as_bytes()));
        }
        url
    }

    /// The page's items and paging metadata.
    pub fn parse(&self, response: &Response) -> Result<(Records, PageMeta)> {
        if !response.is_success() {
            return Err(Error::new(
                ErrorCode::HttpStatus,
                concat(&["the API answered HTTP ", &decimal(response.status as u64)]),
            )
            .with_status(response.status));
        }
        let body = json::parse(&response.body)?;
        let mut items = Records::default();
        match at(&body, &self.items_path) {
            Some(Value::Array(list)) => list.iter().for_each(|v| items.push_value(v)),
            Some(Value::Null) => {}
            _ => {
                return Err(Error::parse(concat(&[
                    "the response has no array at '",
                    &self.items_path,
                    "'",
                ])))
            }
        };
        let number = |v: Option<&Value>| match v? {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        let total = match &self.total_path {
            Some(p) => number(at(&body, p)),
            None => response
                .header("x-total-count")
                .and_then(|v| v.trim().parse().ok()),
        };
        let next = match self.style {
            Style::Link => next_link(&response.headers),
            Style::Cursor => match at(&body, &self.next_cursor_path) {
                Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
                Some(Value::Number(n)) => n.as_u64().map(decimal),
                _ => None,
            },
            _ => None,
        };
        Ok((
            items,
            PageMeta {
                total,
                next,
                // A Link-style API that sent a Link header without rel="next" is at its end.
                links: self.style == Style::Link && response.header("link").is_some(),
                ..Default::default()
            },
        ))
    }
}

/// The value at a dot path (`""`: the value itself).
fn at<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    if path.is_empty() {
        return Some(value);
    }
    path.split('.').try_fold(value, |v, key| match v {
        Value::Object(m) => m.get(key),
        Value::Array(a) => key.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => None,
    })
}

fn origin(url: &str) -> String {
    let start = crate::core::text::find(url, "://").map_or(0, |i| i + 3);
    let end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    url[..end].to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(n: u64, next: Option<&str>) -> PageRequest {
        PageRequest {
            page: n,
            offset: (n - 1) * 20,
            limit: 20,
            next: next.map(str::to_owned),
        }
    }

    #[test]
    fn requests_per_style() {
        let mut l =
            JsonList::new("https://api.example/v1/items?q=a b", Style::Page, "data").unwrap();
        assert_eq!(
            l.request(&page(3, None)).unwrap().url,
            "https://api.example/v1/items?q=a b&page=3&per_page=20"
        );
        l.style = Style::Offset;
        assert_eq!(
            l.request(&page(3, None)).unwrap().url,
            "https://api.example/v1/items?q=a b&offset=40&limit=20"
        );
        l.style = Style::Cursor;
        assert_eq!(
            l.request(&page(2, Some("c/2="))).unwrap().url,
            "https://api.example/v1/items?q=a b&limit=20&cursor=c%2F2%3D"
        );
        l.style = Style::Link;
        assert_eq!(
            l.request(&page(1, None)).unwrap().url,
            "https://api.example/v1/items?q=a b"
        );
        assert_eq!(
            l.request(&page(2, Some("https://API.example/v1/items?page=2")))
                .unwrap()
                .url,
            "https://API.example/v1/items?page=2"
        );
        assert!(l
            .request(&page(2, Some("https://other.example/x")))
            .is_err());
    }

    #[test]
    fn items_totals_and_next_pointers() {
        let mut l = JsonList::new("https://api.example/x", Style::Cursor, "result.items").unwrap();
        l.total_path = Some("result.total".into());
        l.next_cursor_path = "result.next".into();
        let r = Response {
            status: 200,
            headers: vec![],
            body: br#"{"result":{"items":[{"a":1}],"total":"41","next":"n2"}}"#.to_vec(),
        };
        let (items, meta) = l.parse(&r).unwrap();
        assert_eq!(
            (items.len(), meta.total, meta.next.as_deref()),
            (1, Some(41), Some("n2"))
        );
        let bare = JsonList::new("https://api.example/x", Style::Link, "").unwrap();
        let r = Response {
            status: 200,
            headers: vec![
                (
                    "Link".into(),
                    "<https://api.example/x?p=2>; rel=\"next\"".into(),
                ),
                ("X-Total-Count".into(), "3".into()),
            ],
            body: b"[1,2]".to_vec(),
        };
        let (items, meta) = bare.parse(&r).unwrap();
        assert_eq!(
            (items.len(), meta.total, meta.next.as_deref()),
            (2, Some(3), Some("https://api.example/x?p=2"))
        );
        assert!(bare
            .parse(&Response {
                status: 500,
                headers: vec![],
                body: vec![]
            })
            .is_err());
        assert!(l
            .parse(&Response {
                status: 200,
                headers: vec![],
                body: b"{}".to_vec()
            })
            .is_err());
    }
}
