//! Plain HTTP request and response values (the only thing that crosses from the core to the
//! transport; no I/O here), and the RFC 9110 / RFC 8288 header parsers several modules share.

pub mod date;
pub mod link;
pub mod retry_after;

pub use date::parse_http_date;
pub use link::{next_link, parse_link, Link};
pub use retry_after::parse_retry_after;

/// An HTTP request the core wants sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Upper-case method, e.g. `POST`.
    pub method: String,
    /// Absolute URL, already carrying any query parameters the core added.
    pub url: String,
    /// Header name/value pairs in the order they should be sent.
    pub headers: Vec<(String, String)>,
    /// Request body, if any.
    pub body: Option<Vec<u8>>,
}

impl Request {
    /// The first header with this name (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// An HTTP response handed back to the core.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Header name/value pairs.
    pub headers: Vec<(String, String)>,
    /// The whole body.
    pub body: Vec<u8>,
}

impl Response {
    /// The first header with this name (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// True for 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}
