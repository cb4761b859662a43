//! RFC 8288 §3 `Link` header: `<URI-Reference>; param=value, …` parsed into [`Link`] values,
//! and [`next_link`], the `rel="next"` target that paginated APIs (GitHub style) hand out.

/// One link-value of a `Link` header (RFC 8288 §3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The target as written between `<` and `>` (surrounding whitespace trimmed): a relative
    /// reference is returned as-is, not resolved.
    pub uri: String,
    /// The relation types of the first `rel` parameter (§3.3: later ones are ignored), split on
    /// whitespace and ASCII lower-cased; empty when the link has no `rel`.
    pub rel: Vec<String>,
    /// Every other parameter in order: ASCII lower-cased name, and the value with quoting and
    /// quoted-pair escapes removed (`""` for a parameter without `=`). RFC 8187 `name*` values
    /// are kept encoded.
    pub params: Vec<(String, String)>,
}

/// Parses one `Link` header value into its link-values, in order. Tolerant and total: a
/// malformed link-value is skipped (parsing resumes at the next top-level comma), never an error
/// or a panic. Commas inside `<…>` and inside quoted strings do not separate links.
pub fn parse_link(value: &str) -> Vec<Link> {
    let mut cursor = Cursor { s: value, pos: 0 };
    let mut links = Vec::new();
    loop {
        // `#link-value`: empty list elements and whitespace between elements are allowed.
        while matches!(cursor.peek(), Some(b',')) || cursor.peek().is_some_and(is_ws) {
            cursor.pos += 1;
        }
        match cursor.peek() {
            None => return links,
            Some(b'<') => {}
            Some(_) => {
                cursor.skip_element();
                continue;
            }
        }
        if let Some(link) = cursor.link_value() {
            links.push(link);
        }
    }
}

/// The target of the first link with relation type `next` in all `Link` headers (name matched
/// ASCII case-insensitively), in header order; relative references are returned as-is. An
/// empty target (`<>`, the current page itself: following it could only repeat the page) is no
/// next page (found by the `oneroster` fuzz target).
pub fn next_link(headers: &[(String, String)]) -> Option<String> {
    headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("link"))
        .flat_map(|(_, value)| parse_link(value))
        .find(|link| link.rel.iter().any(|r| r == "next"))
        .map(|link| link.uri)
        .filter(|uri| !uri.is_empty())
}

/// A position in the header value. Scans stop only at an ASCII byte, at the end, or (right after
/// an ASCII byte) at the start of a non-ASCII char, so slicing at `pos` is always on a char
/// boundary.
struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(is_ws) {
            self.pos += 1;
        }
    }

    /// One link-value, `pos` on its `<`. Leaves `pos` after the link-value's terminating comma
    /// (or at the end); `None` when it was malformed.
    fn link_value(&mut self) -> Option<Link> {
        let bytes = self.s.as_bytes();
        let start = self.pos + 1;
        let mut end = start;
        loop {
            match bytes.get(end) {
                Some(b'>') => break,
                // A `<` before any `>`: this one was never closed; the next link starts there.
                Some(b'<') => {
                    self.pos = end;
                    return None;
                }
                Some(_) => end += 1,
                None => {
                    self.pos = end;
                    return None;
                }
            }
        }
        let mut link = Link {
            uri: self.s[start..end].trim().to_owned(),
            rel: Vec::new(),
            params: Vec::new(),
        };
        let mut seen_rel = false;
        self.pos = end + 1;
        loop {
            self.skip_ws();
            match self.peek() {
                None => return Some(link),
                Some(b',') => {
                    self.pos += 1;
                    return Some(link);
                }
                Some(b';') => self.pos += 1,
                Some(_) => {
                    self.skip_element();
                    return None;
                }
            }
            self.skip_ws();
            // `<a>;; rel=x` or a trailing `;`: an empty parameter, ignored.
            if matches!(self.peek(), None | Some(b';' | b',')) {
                continue;
            }
            let Some((name, value)) = self.param() else {
                self.skip_element();
                return None;
            };
            if name == "rel" {
                if !seen_rel {
                    seen_rel = true;
                    link.rel = value
                        .split_ascii_whitespace()
                        .map(str::to_ascii_lowercase)
                        .collect();
                }
            } else {
                link.params.push((name, value));
            }
        }
    }

    /// `token BWS [ "=" BWS ( token / quoted-string ) ]`, `pos` on the token. `None` when the
    /// name is missing or a quoted string is not closed.
    fn param(&mut self) -> Option<(String, String)> {
        let start = self.pos;
        while self.peek().is_some_and(is_tchar) {
            self.pos += 1;
        }
        if self.pos == start {
            return None;
        }
        let name = self.s[start..self.pos].to_ascii_lowercase();
        self.skip_ws();
        if self.peek() != Some(b'=') {
            return Some((name, String::new()));
        }
        self.pos += 1;
        self.skip_ws();
        if self.peek() == Some(b'"') {
            return self.quoted().map(|value| (name, value));
        }
        // A token, read leniently: anything up to whitespace or a delimiter (real servers put
        // `/` or `:` in unquoted values). Stops only at ASCII bytes, so never inside a char.
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| !is_ws(b) && !matches!(b, b';' | b',' | b'"'))
        {
            self.pos += 1;
        }
        Some((name, self.s[start..self.pos].to_owned()))
    }

    /// A quoted-string (RFC 9110 §5.6.4), `pos` on its opening `"`; quoted-pairs unescaped.
    /// `None` (with `pos` at the end) when it is never closed.
    fn quoted(&mut self) -> Option<String> {
        let start = self.pos + 1;
        let mut out = String::new();
        let mut escaped = false;
        for (i, c) in self.s[start..].char_indices() {
            if escaped {
                out.push(c);
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                self.pos = start + i + 1;
                return Some(out);
            } else {
                out.push(c);
            }
        }
        self.pos = self.s.len();
        None
    }

    /// Skips the rest of a malformed list element: past the next comma that is outside `<…>`
    /// and outside a quoted string, or to the end.
    fn skip_element(&mut self) {
        let (mut in_quote, mut escaped, mut in_angle) = (false, false, false);
        while let Some(b) = self.peek() {
            self.pos += 1;
            if in_quote {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' {
                    in_quote = false;
                }
            } else if in_angle {
                in_angle = b != b'>';
            } else {
                match b {
                    b'"' => in_quote = true,
                    b'<' => in_angle = true,
                    b',' => return,
                    _ => {}
                }
            }
        }
    }
}

/// OWS / BWS (RFC 9110 §5.6.3: SP and HTAB; CR and LF tolerated too).
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// `tchar` of RFC 9110 §5.6.2.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(uri: &str, rel: &[&str], params: &[(&str, &str)]) -> Link {
        Link {
            uri: uri.into(),
            rel: rel.iter().map(|r| (*r).to_owned()).collect(),
            params: params
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    fn headers(values: &[(&str, &str)]) -> Vec<(String, String)> {
        values
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn rfc8288_section_3_5_examples() {
        assert_eq!(
            parse_link(
                r#"<http://example.com/TheBook/chapter2>; rel="previous"; title="previous chapter""#
            ),
            [link(
                "http://example.com/TheBook/chapter2",
                &["previous"],
                &[("title", "previous chapter")]
            )]
        );
        assert_eq!(
            parse_link(r#"</>; rel="http://example.net/foo""#),
            [link("/", &["http://example.net/foo"], &[])]
        );
        assert_eq!(
            parse_link(r##"</terms>; rel="copyright"; anchor="#foo""##),
            [link("/terms", &["copyright"], &[("anchor", "#foo")])]
        );
        assert_eq!(
            parse_link(
                "</TheBook/chapter2>;\r\n rel=\"previous\"; title*=UTF-8'de'letztes%20Kapitel,\r\n \
                 </TheBook/chapter4>;\r\n rel=\"next\"; title*=UTF-8'de'n%c3%a4chstes%20Kapitel"
            ),
            [
                link(
                    "/TheBook/chapter2",
                    &["previous"],
                    &[("title*", "UTF-8'de'letztes%20Kapitel")]
                ),
                link(
                    "/TheBook/chapter4",
                    &["next"],
                    &[("title*", "UTF-8'de'n%c3%a4chstes%20Kapitel")]
                ),
            ]
        );
        assert_eq!(
            parse_link(r#"<http://example.org/>; rel="start http://example.net/relation/other""#),
            [link(
                "http://example.org/",
                &["start", "http://example.net/relation/other"],
                &[]
            )]
        );
        assert_eq!(
            parse_link(
                r#"<https://example.org/>; rel="start", <https://example.org/index>; rel="index""#
            ),
            [
                link("https://example.org/", &["start"], &[]),
                link("https://example.org/index", &["index"], &[]),
            ]
        );
    }

    #[test]
    fn github_pagination() {
        let value = concat!(
            r#"<https://api.github.com/repositories/1300192/issues?page=2>; rel="next", "#,
            r#"<https://api.github.com/repositories/1300192/issues?page=515>; rel="last""#
        );
        assert_eq!(
            parse_link(value),
            [
                link(
                    "https://api.github.com/repositories/1300192/issues?page=2",
                    &["next"],
                    &[]
                ),
                link(
                    "https://api.github.com/repositories/1300192/issues?page=515",
                    &["last"],
                    &[]
                ),
            ]
        );
        assert_eq!(
            next_link(&headers(&[("Link", value)])).as_deref(),
            Some("https://api.github.com/repositories/1300192/issues?page=2")
        );
        // A middle page: prev and first come first.
        let middle = concat!(
            r#"<https://api.github.com/user/repos?page=1&per_page=50>; rel="prev", "#,
            r#"<https://api.github.com/user/repos?page=3&per_page=50>; rel="next", "#,
            r#"<https://api.github.com/user/repos?page=9&per_page=50>; rel="last", "#,
            r#"<https://api.github.com/user/repos?page=1&per_page=50>; rel="first""#
        );
        assert_eq!(
            next_link(&headers(&[("link", middle)])).as_deref(),
            Some("https://api.github.com/user/repos?page=3&per_page=50")
        );
        // The last page has no next.
        let last = r#"<https://api.github.com/user/repos?page=8>; rel="prev", <https://api.github.com/user/repos?page=1>; rel="first""#;
        assert_eq!(next_link(&headers(&[("Link", last)])), None);
    }

    #[test]
    fn next_link_across_headers() {
        let h = headers(&[
            ("Content-Type", "application/json"),
            ("LINK", r#"</a>; rel="prev""#),
            ("X-Link", r#"</wrong>; rel="next""#),
            ("Link", r#"</b>; rel="next last""#),
            ("link", r#"</c>; rel="next""#),
        ]);
        assert_eq!(next_link(&h).as_deref(), Some("/b"));
        assert_eq!(next_link(&[]), None);
        assert_eq!(next_link(&headers(&[("Link", "")])), None);
    }

    #[test]
    fn syntax_variants() {
        // Unquoted token values, `rel=next` without quotes, upper case, odd whitespace.
        assert_eq!(
            parse_link("<https://x/?p=2> ;REL = NEXT ;\tTitle=Two"),
            [link("https://x/?p=2", &["next"], &[("title", "Two")])]
        );
        // Several rel values, extra spaces inside the quotes.
        assert_eq!(
            parse_link(r#"<  /p/9 >; rel="  Next   LAST ""#),
            [link("/p/9", &["next", "last"], &[])]
        );
        // Commas inside <…> and inside quoted strings do not split links.
        assert_eq!(
            parse_link(r#"<https://x/?ids=1,2,3>; rel="next"; title="a, b; c", </z>; rel=last"#),
            [
                link("https://x/?ids=1,2,3", &["next"], &[("title", "a, b; c")]),
                link("/z", &["last"], &[]),
            ]
        );
        // Quoted-pair escapes, a parameter without a value, non-ASCII text.
        assert_eq!(
            parse_link(r#"<p>; title="say \"hé\" \\ \é"; crossorigin; rel=next"#),
            [link(
                "p",
                &["next"],
                &[("title", r#"say "hé" \ é"#), ("crossorigin", "")]
            )]
        );
        // Only the first rel counts (§3.3); empty list elements and parameters are skipped.
        assert_eq!(
            parse_link(" , <a>;; rel=prev; rel=next;, ,<b>"),
            [link("a", &["prev"], &[]), link("b", &[], &[])]
        );
        // Unquoted values with characters outside tchar, an empty URI.
        assert_eq!(
            parse_link("<>; rel=self; type=text/html"),
            [link("", &["self"], &[("type", "text/html")])]
        );
    }

    #[test]
    fn malformed_entries_are_skipped() {
        let next = |v: &str| next_link(&headers(&[("Link", v)]));
        // Garbage before a good link, a link-value without <…>.
        assert_eq!(
            next("junk, https://bad; rel=next, </ok>; rel=next"),
            Some("/ok".into())
        );
        // Junk after the URI or after a parameter: that link is dropped, the next one kept.
        assert_eq!(
            parse_link(r#"</a> x; rel=next, </b>; rel=next y, </c>; rel="next""#),
            [link("/c", &["next"], &[])]
        );
        // A missing parameter name, a lone `=`.
        assert_eq!(
            parse_link("</a>; =next, </b>; rel=, </c>; rel"),
            [link("/b", &[], &[]), link("/c", &[], &[])]
        );
        // An unclosed <: the link that follows is still found.
        assert_eq!(next("</a; rel=prev, </b>; rel=next"), Some("/b".into()));
        // An unclosed quoted string swallows the rest; a junk entry's quotes hide its commas.
        assert_eq!(parse_link(r#"</a>; title="x, </b>; rel=next"#), []);
        assert_eq!(
            parse_link(r#"junk "q, <no>" z, </b>; rel=next"#),
            [link("/b", &["next"], &[])]
        );
        // Nothing usable at all.
        for v in [
            "",
            " ",
            ",",
            "<",
            ">",
            "<a",
            "\"",
            "; rel=next",
            "é, <é",
            "<é>é",
        ] {
            assert_eq!(next(v), None, "{v:?}");
        }
        assert_eq!(
            parse_link("<é>; tïtle=1, <ü>; rel=\"ñext\""),
            [link("ü", &["ñext"], &[])]
        );
    }

    #[test]
    fn never_panics_on_any_prefix_or_suffix() {
        // Every cut of a tricky value, at every char boundary: parsing must stay total.
        let value = r#"<https://x/é?a=1,2>; rel="next \"é\" last"; t=ü, </b>;; REL=Prev ,"#;
        for (i, _) in value.char_indices() {
            let _ = parse_link(&value[..i]);
            let _ = parse_link(&value[i..]);
        }
    }
}
