//! The small, strict absolute-URL parser the core needs: http(s) only, no userinfo.
//!
//! It yields exactly what RFC 5849 §3.4.1.2 (base string URI) and the HTTPS rule need:
//! lower-cased scheme and host, the port (dropped when it is the scheme's default), the path as
//! sent and the raw query. Hosts give the JS layer's WHATWG `URL` the job of IDNA and of
//! percent-encoding a path typed by hand; here such input is rejected, never guessed at.

use crate::core::error::{Error, ErrorCode, Result};
use crate::core::text::{concat, decimal};

/// A parsed `http:` or `https:` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    scheme: String,
    host: String,
    port: Option<u16>,
    path: String,
    query: Option<String>,
}

impl Url {
    /// Parses an absolute `http:`/`https:` URL. The fragment, if any, is dropped.
    pub fn parse(input: &str) -> Result<Url> {
        let bad = |why: &str| Error::invalid_argument(concat(&["invalid URL: ", why]));
        let colon = input.find(':').ok_or_else(|| bad("not absolute"))?;
        let scheme = input[..colon].to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(bad("only http: and https: URLs are supported"));
        }
        let rest = input[colon + 1..]
            .strip_prefix("//")
            .ok_or_else(|| bad("expected '//' after the scheme"))?;
        let rest = rest.split('#').next().unwrap_or_default();
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, rest) = rest.split_at(authority_end);
        if authority.contains('@') {
            return Err(bad("credentials in the URL are not allowed"));
        }
        let (host, port) =
            split_host_port(authority).ok_or_else(|| bad("malformed host or port"))?;
        let (path, query) = match rest.find('?') {
            Some(q) => (&rest[..q], Some(&rest[q + 1..])),
            None => (rest, None),
        };
        if path.bytes().any(|b| b <= b' ' || b >= 0x7f) {
            return Err(bad(
                "the path must be percent-encoded (no spaces or non-ASCII)",
            ));
        }
        if query.is_some_and(|q| q.bytes().any(|b| b < b' ' || b == 0x7f)) {
            return Err(bad("control characters in the query"));
        }
        let default_port = if scheme == "https" { 443 } else { 80 };
        Ok(Url {
            port: port.filter(|p| *p != default_port),
            scheme,
            host: host.to_ascii_lowercase(),
            path: if path.is_empty() {
                "/".into()
            } else {
                path.into()
            },
            query: query.map(str::to_owned),
        })
    }

    /// `http` or `https`.
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// Lower-cased host (IPv6 literals keep their brackets).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The raw query (without `?`), if any.
    pub fn query(&self) -> Option<&str> {
        self.query.as_deref()
    }

    /// RFC 5849 §3.4.1.2 base string URI: scheme and host lower-case, default port dropped,
    /// no query, no fragment.
    pub fn base_string_uri(&self) -> String {
        let mut out = self.origin();
        out.push_str(&self.path);
        out
    }

    /// `scheme://host[:port]`.
    pub fn origin(&self) -> String {
        let mut out =
            String::with_capacity(self.scheme.len() + self.host.len() + 9 + self.path.len());
        out.push_str(&self.scheme);
        out.push_str("://");
        out.push_str(&self.host);
        if let Some(port) = self.port {
            out.push(':');
            out.push_str(&decimal(port.into()));
        }
        out
    }

    /// True for `localhost`, `*.localhost`, `127.0.0.0/8` and `[::1]`.
    pub fn is_loopback(&self) -> bool {
        let h = self.host.as_str();
        h == "localhost"
            || h.ends_with(".localhost")
            || h == "[::1]"
            || h.strip_prefix("127.").is_some_and(|rest| {
                let parts: Vec<&str> = rest.split('.').collect();
                parts.len() == 3 && parts.iter().all(|p| p.parse::<u8>().is_ok())
            })
    }

    /// HTTPS is required except on loopback, unless the caller opted out explicitly.
    pub fn require_secure(&self, allow_insecure: bool) -> Result<()> {
        if self.scheme == "https" || allow_insecure || self.is_loopback() {
            Ok(())
        } else {
            Err(Error::new(
                ErrorCode::InsecureUrl,
                concat(&[
                    "refusing plain http:// to ",
                    &self.host,
                    ": use https:// (only loopback hosts may use http, unless \
                     allowInsecureRequests is set)",
                ]),
            ))
        }
    }

    /// Returns this URL with `extra` (an urlencoded string) appended to the query.
    pub fn with_extra_query(&self, extra: &str) -> String {
        let mut out = self.base_string_uri();
        match self.query.as_deref() {
            Some(q) if !q.is_empty() => {
                out.push('?');
                out.push_str(q);
                if !extra.is_empty() {
                    out.push('&');
                    out.push_str(extra);
                }
            }
            _ if !extra.is_empty() => {
                out.push('?');
                out.push_str(extra);
            }
            Some(_) => out.push('?'),
            None => {}
        }
        out
    }
}

impl std::fmt::Display for Url {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.with_extra_query(""))
    }
}

fn split_host_port(authority: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = if authority.starts_with('[') {
        let close = authority.find(']')?;
        let host = &authority[..=close];
        let inner = &host[1..host.len() - 1];
        if inner.is_empty()
            || !inner
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        {
            return None;
        }
        match &authority[close + 1..] {
            "" => (host, None),
            p => (host, Some(p.strip_prefix(':')?)),
        }
    } else {
        match authority.rfind(':') {
            Some(c) => (&authority[..c], Some(&authority[c + 1..])),
            None => (authority, None),
        }
    };
    let host_ok = !host.is_empty()
        && (host.starts_with('[')
            || host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')));
    if !host_ok {
        return None;
    }
    let port = match port {
        None | Some("") => None,
        Some(p) if p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) => Some(p.parse().ok()?),
        Some(_) => return None,
    };
    Some((host, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_string_uri_normalizes_per_rfc5849_3_4_1_2() {
        // The two examples of RFC 5849 §3.4.1.2.
        let u = Url::parse("HTTP://EXAMPLE.COM:80/r%20v/X?id=123").unwrap();
        assert_eq!(u.base_string_uri(), "http://example.com/r%20v/X");
        let u = Url::parse("https://www.example.net:8080/?q=1").unwrap();
        assert_eq!(u.base_string_uri(), "https://www.example.net:8080/");
        let u = Url::parse("https://example.net:443#frag").unwrap();
        assert_eq!(u.base_string_uri(), "https://example.net/");
        assert_eq!(u.query(), None);
    }

    #[test]
    fn rejects_what_it_cannot_sign_exactly() {
        for bad in [
            "example.com/a",
            "ftp://example.com/",
            "https:/example.com",
            "https://user:pw@example.com/",
            "https://exa mple.com/",
            "https://example.com:99999/",
            "https://example.com:8a/",
            "https://[zz]/",
            "https:///path",
            "https://example.com/a b",
            "https://exämple.com/",
            "",
        ] {
            assert!(Url::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn loopback_and_https_rule() {
        for ok in [
            "http://localhost:8787/x",
            "http://127.0.0.1/",
            "http://127.8.9.10:1/",
            "http://[::1]:3000/",
            "https://example.com/",
        ] {
            assert!(
                Url::parse(ok).unwrap().require_secure(false).is_ok(),
                "{ok}"
            );
        }
        for bad in [
            "http://example.com/",
            "http://127.0.0.1.evil.com/",
            "http://10.0.0.1/",
            "http://localhost.evil.com/",
        ] {
            let err = Url::parse(bad).unwrap().require_secure(false).unwrap_err();
            assert_eq!(err.code, ErrorCode::InsecureUrl, "{bad}");
        }
        assert!(Url::parse("http://intranet/")
            .unwrap()
            .require_secure(true)
            .is_ok());
    }
}
