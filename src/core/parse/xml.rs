//! XML bodies (XML 1.0) read in one pass into plain values, no DOM:
//! an element with attributes or child elements becomes an object (attributes first, then
//! children; a repeated child name becomes an array in document order), a text-only element a
//! string. CDATA is kept verbatim; the five predefined entities and character references are
//! decoded; any other entity is an error: a DTD is skipped, never read, so external and
//! recursive entities (billion laughs) cannot expand.
//!
//! The reader is the crate's own (`Markup`, below), not quick-xml's: its reader and attribute
//! iterator were 5.3 KB brotli of the module (issue 10), for the few constructs provider bodies
//! use.
//! quick-xml stays the tests' oracle: the same documents read the same or are refused by both.

use super::{Map, Value, MAX_DEPTH};
use crate::core::error::{Error, Result};

/// The root element of a document: its name and value.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The root element's name, e.g. `participants`.
    pub root: String,
    /// The root element as a value (see the module doc for the mapping).
    pub value: Value,
}

/// Key under which text mixed with child elements is kept (whitespace-only text is dropped).
pub const TEXT_KEY: &str = "#text";

struct Frame {
    name: String,
    /// Attributes, then child elements, in document order; an object of them at the end tag
    /// (a repeated child name becomes an array there: `Map::from_members`).
    members: Vec<(String, Value)>,
    text: String,
    /// A child element or attribute was seen: the element is an object, not a string.
    structured: bool,
}

/// Parses an XML body into its root element.
pub fn parse(body: &[u8]) -> Result<Document> {
    let text = super::utf8_without_bom(body).ok_or_else(|| Error::parse("the XML is not UTF-8"))?;
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Document> = None;
    let mut rest = text;
    loop {
        let at = memchr::memchr2(b'<', b'&', rest.as_bytes()).unwrap_or(rest.len());
        if at > 0 {
            push_text(&mut stack, &line_ends(&rest[..at]), false)?;
        }
        rest = &rest[at..];
        if let Some(reference) = rest.strip_prefix('&') {
            let end = reference.find(';').ok_or_else(malformed)?;
            let name = &reference[..end];
            let decoded = match name.strip_prefix('#') {
                Some(number) => char_ref(number).ok_or_else(malformed)?,
                None => predefined_entity(name).ok_or_else(unknown_entity)?,
            };
            push_text(&mut stack, decoded.encode_utf8(&mut [0; 4]), true)?;
            rest = &reference[end + 1..];
            continue;
        }
        if rest.is_empty() {
            break;
        }
        let (markup, after) = Markup::read(rest).ok_or_else(malformed)?;
        rest = after;
        match markup {
            Markup::Start {
                name,
                attributes,
                empty,
            } => {
                if root.is_some() {
                    return Err(Error::parse("the XML has content after its root element"));
                }
                if !empty && stack.len() >= MAX_DEPTH {
                    return Err(Error::parse("the XML is nested too deeply"));
                }
                let frame = open(name, attributes)?;
                if empty {
                    close(frame, &mut stack, &mut root);
                } else {
                    stack.push(frame);
                }
            }
            Markup::End(name) => {
                let frame = stack
                    .pop()
                    .filter(|f| f.name == name)
                    .ok_or_else(malformed)?;
                close(frame, &mut stack, &mut root);
            }
            Markup::CData(text) => push_text(&mut stack, &line_ends(text), true)?,
            // Declarations, processing instructions, comments and the DTD carry no data.
            Markup::Skipped => {}
        }
    }
    if !stack.is_empty() {
        return Err(Error::parse(
            "the XML ends before its root element is closed (truncated?)",
        ));
    }
    root.ok_or_else(|| Error::parse("the XML has no root element"))
}

/// One piece of markup, from its `<`.
enum Markup<'a> {
    /// A start tag (`empty`: `<a/>`), its name and the text of its attributes.
    Start {
        name: &'a str,
        attributes: &'a str,
        empty: bool,
    },
    /// An end tag's name.
    End(&'a str),
    /// A CDATA section's text, verbatim.
    CData(&'a str),
    /// A comment, processing instruction, XML declaration or document type declaration.
    Skipped,
}

impl<'a> Markup<'a> {
    /// The markup `text` starts with (at its `<`) and the text after it; `None` when it is
    /// unterminated or not markup XML 1.0 allows here.
    fn read(text: &'a str) -> Option<(Markup<'a>, &'a str)> {
        let until = |open: &str, close: &str| {
            let inner = &text[open.len()..];
            let end = crate::core::text::find(inner, close)?;
            Some((&inner[..end], &inner[end + close.len()..]))
        };
        match text.as_bytes().get(1) {
            Some(b'/') => {
                let end_tag = &text[2..];
                let close = memchr::memchr(b'>', end_tag.as_bytes())?;
                let name = end_tag[..close].trim_end_matches([' ', '\t', '\r', '\n']);
                return Some((Markup::End(name), &end_tag[close + 1..]));
            }
            Some(b'?') => {
                // `<?>` is no processing instruction (its `?` opens it), as quick-xml reads it.
                let (inner, after) = until("<?", "?>")?;
                return (!inner.starts_with('>')).then_some((Markup::Skipped, after));
            }
            Some(b'!') if text.starts_with("<!--") => {
                let (_, after) = until("<!--", "-->")?;
                return Some((Markup::Skipped, after));
            }
            Some(b'!') if text.starts_with("<![CDATA[") => {
                let (inner, after) = until("<![CDATA[", "]]>")?;
                return Some((Markup::CData(inner), after));
            }
            Some(b'!') => {
                let doctype = text.get(..9)?.eq_ignore_ascii_case("<!DOCTYPE");
                return doctype.then(|| Some((Markup::Skipped, &text[doctype_end(text)?..])))?;
            }
            _ => {}
        }
        // A start tag ends at the first `>` outside a quoted attribute value.
        let bytes = text.as_bytes();
        let mut close = 0;
        loop {
            close += memchr::memchr3(b'>', b'"', b'\'', &bytes[close..])?;
            let quote = bytes[close];
            if quote == b'>' {
                break;
            }
            close += 1 + memchr::memchr(quote, &bytes[close + 1..])? + 1;
        }
        let inner = &text[1..close];
        let (inner, empty) = match inner.strip_suffix('/') {
            Some(inner) => (inner, true),
            None => (inner, false),
        };
        let name_end = inner.find([' ', '\t', '\r', '\n']).unwrap_or(inner.len());
        let name = &inner[..name_end];
        if name.is_empty() {
            return None;
        }
        let start = Markup::Start {
            name,
            attributes: &inner[name_end..],
            empty,
        };
        Some((start, &text[close + 1..]))
    }
}

/// Where a document type declaration ends: after the `>` that closes it, past its internal
/// subset (`[...]`) with the quoted literals, comments and processing instructions in it.
/// Skipped unread: nothing in it is ever expanded.
fn doctype_end(text: &str) -> Option<usize> {
    // Bytes, not `str` slices: a literal may hold any character, and `at` steps byte by byte.
    let bytes = text.as_bytes();
    let past = |from: usize, close: &[u8]| {
        let at = bytes
            .get(from..)?
            .windows(close.len())
            .position(|w| w == close)?;
        Some(from + at + close.len())
    };
    let (mut at, mut quote, mut depth) = (2, None, 0u32);
    while let Some(&b) = bytes.get(at) {
        let rest = &bytes[at..];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if rest.starts_with(b"<!--") => {
                at = past(at + 4, b"-->")?;
                continue;
            }
            None if rest.starts_with(b"<?") => {
                at = past(at + 2, b"?>")?;
                continue;
            }
            None if b == b'[' => depth += 1,
            None if b == b']' => depth = depth.checked_sub(1)?,
            None if b == b'>' && depth == 0 => return Some(at + 1),
            None => {}
        }
        at += 1;
    }
    None
}

/// Text with its line ends normalized (XML 1.0 §2.11): `\r\n` and a lone `\r` each become `\n`.
/// A loop over `\r`s, not `str::replace`: a string pattern brings core's Two-Way searcher
/// (2 KB of wasm).
fn line_ends(text: &str) -> std::borrow::Cow<'_, str> {
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\r') {
        out.push_str(&rest[..at]);
        out.push('\n');
        rest = &rest[at + 1..];
        rest = rest.strip_prefix('\n').unwrap_or(rest);
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

fn malformed() -> Error {
    Error::parse("the body is not well-formed XML")
}

fn unknown_entity() -> Error {
    Error::parse(
        "the XML uses an entity other than the five predefined ones (entities are never expanded)",
    )
}

/// A character reference's character (`#` already read: `233` or `xE9`), as quick-xml reads it:
/// decimal or hex digits without a sign, not U+0000, a Unicode scalar value.
fn char_ref(number: &str) -> Option<char> {
    let (digits, radix) = match number.strip_prefix('x') {
        Some(hex) => (hex, 16),
        None => (number, 10),
    };
    if digits.is_empty() {
        return None;
    }
    let code = digits.chars().try_fold(0u32, |n, d| {
        n.checked_mul(radix)?.checked_add(d.to_digit(radix)?)
    })?;
    char::from_u32(code).filter(|&c| c != '\0')
}

/// The attributes of a start tag (the text after its name) in document order, each value
/// normalized as XML 1.0 §3.3.3 asks of CDATA attributes (`\r\n`, `\r`, `\n` and `\t` each a
/// space; the five predefined entities and character references decoded, a referenced
/// character kept as it is). Namespace declarations are left out: markup, not data. `None` when
/// the text is not `name="value"` pairs (either quote) or a value has a bare `&` or another
/// entity.
///
/// Read here rather than with quick-xml's attribute iterator, which carries a hash set of names
/// for its duplicate check even when the check is off (3.2 KB brotli of the module with its value
/// normalization; duplicates are refused by the caller).
fn attributes(mut rest: &str) -> Option<Vec<(String, Value)>> {
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\r' | '\n');
    let mut members = Vec::new();
    loop {
        rest = rest.trim_start_matches(is_space);
        if rest.is_empty() {
            return Some(members);
        }
        let (name, after) = rest.split_at(rest.find(|c: char| c == '=' || is_space(c))?);
        let after = after.trim_start_matches(is_space).strip_prefix('=')?;
        let after = after.trim_start_matches(is_space);
        let quote = after.chars().next().filter(|&q| q == '"' || q == '\'')?;
        let (raw, tail) = after[1..].split_at(after[1..].find(quote)?);
        rest = &tail[1..];
        if name.is_empty() || name.contains(['"', '\'', '<', '>', '&']) {
            return None;
        }
        let value = attribute_value(raw)?;
        if name != "xmlns" && !name.starts_with("xmlns:") {
            members.push((name.to_owned(), Value::String(value)));
        }
    }
}

/// One attribute value, normalized (see [`attributes`]).
fn attribute_value(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find(['&', '\r', '\n', '\t']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        rest = if let Some(reference) = tail.strip_prefix('&') {
            let end = reference.find(';')?;
            let name = &reference[..end];
            out.push(match name.strip_prefix('#') {
                Some(number) => char_ref(number)?,
                None => predefined_entity(name)?,
            });
            &reference[end + 1..]
        } else {
            out.push(' ');
            let skip = if tail.starts_with("\r\n") { 2 } else { 1 };
            &tail[skip..]
        };
    }
    out.push_str(rest);
    Some(out)
}

fn predefined_entity(name: &str) -> Option<char> {
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => return None,
    })
}

fn open(name: &str, raw_attributes: &str) -> Result<Frame> {
    let name = name.to_owned();
    let members = attributes(raw_attributes).ok_or_else(malformed)?;
    // Duplicates are refused here (XML 1.0 §3.1, "Unique Att Spec"), as the object of the
    // attributes is built once, sorted: quick-xml's own check keeps a hash set of names for that,
    // which the module need not carry.
    let mut repeated = false;
    let attributes = Map::from_members(members, &mut |_, _| repeated = true);
    if repeated {
        return Err(malformed());
    }
    Ok(Frame {
        name,
        structured: !attributes.is_empty(),
        members: attributes.into_iter().collect(),
        text: String::new(),
    })
}

fn push_text(stack: &mut [Frame], text: &str, significant: bool) -> Result<()> {
    match stack.last_mut() {
        Some(frame) => {
            frame.text.push_str(text);
            Ok(())
        }
        None if !significant && text.trim().is_empty() => Ok(()),
        None => Err(Error::parse("the XML has text outside its root element")),
    }
}

fn close(frame: Frame, stack: &mut [Frame], root: &mut Option<Document>) {
    let Frame {
        name,
        mut members,
        text,
        structured,
    } = frame;
    let value = if !structured {
        Value::String(text)
    } else {
        if !text.trim().is_empty() {
            members.push((TEXT_KEY.to_owned(), Value::String(text)));
        }
        Value::Object(Map::from_members(members, &mut repeated_child))
    };
    match stack.last_mut() {
        Some(parent) => {
            parent.structured = true;
            parent.members.push((name, value));
        }
        None => *root = Some(Document { root: name, value }),
    }
}

/// A second child of the same name turns the field into an array (document order kept).
fn repeated_child(slot: &mut Value, next: Value) {
    // XML yields arrays only from repeated children, so an array here is one of those.
    if let Value::Array(items) = slot {
        items.push(next);
    } else {
        let first = std::mem::take(slot);
        *slot = Value::Array(vec![first, next]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn elements_attributes_and_repeats() {
        let doc = parse(
            br#"<?xml version="1.0" encoding="utf-8"?>
            <participants total_count="2" page="1">
              <participant><id>1</id><name>Zo&#235; &amp; co</name></participant>
              <participant><id>2</id><name><![CDATA[<b>&amp;</b>]]></name><empty/></participant>
            </participants>"#,
        )
        .unwrap();
        assert_eq!(doc.root, "participants");
        assert_eq!(
            doc.value,
            json!({"total_count": "2", "page": "1", "participant": [
                {"id": "1", "name": "Zoë & co"},
                {"id": "2", "name": "<b>&amp;</b>", "empty": ""}
            ]})
        );
    }

    #[test]
    fn a_repeated_attribute_is_not_well_formed() {
        // XML 1.0 §3.1 WFC "Unique Att Spec"; a different prefix is a different name.
        assert!(parse(br#"<a x="1" y="2" x="3"/>"#).is_err());
        assert!(parse(br#"<a x="1"><b x="1"/></a>"#).is_ok());
        assert!(parse(br#"<a x="1" p:x="2"/>"#).is_ok());
    }

    // Repeats that are not adjacent keep document order; an attribute and a child of one name
    // make one array (attribute first); many distinct names are not quadratic (the object is
    // built once, sorted: 50,000 siblings and 50,000 attributes well within a test's time).
    #[test]
    fn interleaved_repeats_and_many_names() {
        let doc = parse(br#"<a n="0"><n>1</n><m>x</m><n>2</n><m>y</m><n>3</n></a>"#).unwrap();
        assert_eq!(
            doc.value,
            json!({"n": ["0", "1", "2", "3"], "m": ["x", "y"]})
        );
        let names = 50_000;
        let children: String = (0..names)
            .rev()
            .map(|i| format!("<e{i}>{i}</e{i}>"))
            .collect();
        let doc = parse(format!("<a>{children}</a>").as_bytes()).unwrap();
        assert_eq!(doc.value.as_object().unwrap().len(), names);
        assert_eq!(doc.value["e123"], "123");
        let attributes: String = (0..names).map(|i| format!(" a{i}=\"{i}\"")).collect();
        let doc = parse(format!("<a{attributes}/>").as_bytes()).unwrap();
        assert_eq!(doc.value["a49999"], "49999");
        assert!(parse(format!("<a{attributes} a7=\"x\"/>").as_bytes()).is_err());
    }

    /// The reader this module had: quick-xml's pull reader (its events, end names checked),
    /// building the tree with the same frames. The oracle for the module's own reader.
    fn quick_xml_parse(body: &[u8]) -> Result<Document> {
        use quick_xml::events::Event;
        let text = super::super::utf8_without_bom(body).ok_or_else(malformed)?;
        let mut reader = quick_xml::Reader::from_str(text);
        reader.config_mut().check_end_names = true;
        let mut stack: Vec<Frame> = Vec::new();
        let mut root: Option<Document> = None;
        loop {
            match reader.read_event().map_err(|_| malformed())? {
                Event::Start(start) | Event::Empty(start) if root.is_some() => {
                    let _ = start;
                    return Err(malformed());
                }
                // Stricter by design: an element without a name (`<>`, `< a>`) is refused,
                // where quick-xml reads one.
                Event::Start(start) | Event::Empty(start) if start.name().as_ref().is_empty() => {
                    return Err(malformed());
                }
                Event::Start(start) => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(malformed());
                    }
                    let name = start.name().as_ref().to_owned();
                    stack.push(open(&name, start.attributes_raw())?);
                }
                Event::Empty(start) => {
                    let name = start.name().as_ref().to_owned();
                    let frame = open(&name, start.attributes_raw())?;
                    close(frame, &mut stack, &mut root);
                }
                Event::End(_) => {
                    let frame = stack.pop().ok_or_else(malformed)?;
                    close(frame, &mut stack, &mut root);
                }
                Event::Text(t) => push_text(&mut stack, &t.xml10_content(), false)?,
                Event::CData(c) => push_text(&mut stack, &c.xml10_content(), true)?,
                Event::GeneralRef(r) => {
                    let decoded = match r.resolve_char_ref().map_err(|_| malformed())? {
                        Some(c) => c,
                        None => predefined_entity(&r.xml10_content()).ok_or_else(malformed)?,
                    };
                    push_text(&mut stack, decoded.encode_utf8(&mut [0; 4]), true)?;
                }
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
                Event::Eof => break,
            }
        }
        if !stack.is_empty() {
            return Err(malformed());
        }
        root.ok_or_else(malformed)
    }

    // Generated documents over XML's constructs and near-misses (unterminated markup, bare `&`,
    // unknown entities, mismatched end tags, a DTD with an internal subset, line ends) read as
    // quick-xml reads them, or are refused by both.
    #[test]
    fn documents_read_as_quick_xml_reads_them() {
        let tokens = [
            "<a>",
            "</a>",
            "<b x='1' y=\"&amp;\">",
            "</b>",
            "</b >",
            "<c/>",
            "<d\t/>",
            "text",
            " ",
            "\r\n",
            "\r",
            "&amp;",
            "&#233;",
            "&#x1F600;",
            "&bogus;",
            "&",
            "&#0;",
            "<![CDATA[x<y&]]>",
            "<!-- c -->",
            "<?pi x?>",
            "<?xml version=\"1.0\"?>",
            "<!DOCTYPE a [<!ENTITY e 'v>'>]>",
            "<!doctype a>",
            "<",
            ">",
            "]]>",
            "'",
            "\"",
            "é",
            "<!-- -",
            "<![CDATA[",
            "<e f=\">\"/>",
            "</",
            "<!ELEMENT x>",
            "<a b>",
            "<!---->",
            "<a/ >",
            "</a\n>",
            "<a\n>",
            "&#x;",
            "&lt",
            "<![CDATA[]]>",
            "<!DOCTYPE a [ <!ATTLIST a b CDATA ']'> ]>",
            "<?",
            "?>",
            "<!DOCTYPE a [ <!-- don't ] --> <?p ' ]?> <!ELEMENT a ANY> ]>",
            "<!DOCTYPE é [ <!ENTITY ë \"ü\"> <!-- ä --> ]>",
            "<a:b xmlns:a='u'>",
            "</a:b>",
            "<ns:c/>",
        ];
        let mut next = crate::core::test_inputs::xorshift(0x2545_F491u64);
        let mut read = 0;
        for _ in 0..200_000 {
            let inner: String = (0..1 + next() % 10)
                .map(|_| tokens[(next() % tokens.len() as u64) as usize])
                .collect();
            // Half inside a root element, so that more of them are documents.
            let doc = match next() % 2 {
                0 => inner,
                _ => format!("<r>{inner}</r>"),
            };
            let ours = parse(doc.as_bytes()).ok();
            let oracle = quick_xml_parse(doc.as_bytes()).ok();
            assert_eq!(ours, oracle, "{doc:?}");
            read += usize::from(ours.is_some());
        }
        assert!(read > 10_000, "{read}");
    }

    // quick-xml's own attribute reader (its iterator and `normalized_value`) is the oracle:
    // generated start tags over attribute syntax and near-misses give the same attributes, or
    // are refused by both.
    #[test]
    fn attributes_read_as_quick_xml_reads_them() {
        use quick_xml::events::Event;
        let tokens = [
            " a=\"x\"",
            " b:c='y'",
            " d = \"1\t2\r\n3\r4\n\"",
            " e=\"&amp;&#233;&#x1F600;&lt;\"",
            " xmlns=\"u\"",
            " f=\"\"",
            " ",
            "\t",
            "\r\n",
            "\r",
            "\n",
            "a",
            "b:c",
            "xmlns",
            "xmlns:p",
            "=",
            "\"",
            "'",
            "x",
            "&amp;",
            "&lt;",
            "&#233;",
            "&#x1F600;",
            "&#0;",
            "&#xD800;",
            "&bogus;",
            "&",
            "&#;",
            "é",
            "<",
            ">",
            "/",
        ];
        let mut next = crate::core::test_inputs::xorshift(0x9E37_79B9u64);
        let (mut agreed, mut read) = (0, 0);
        for _ in 0..100_000 {
            let inner: String = (0..next() % 10)
                .map(|_| tokens[(next() % tokens.len() as u64) as usize])
                .collect();
            let tag = format!("<t {inner}/>");
            let mut reader = quick_xml::Reader::from_str(&tag);
            let Ok(Event::Empty(start)) = reader.read_event() else {
                continue;
            };
            let oracle: Option<Vec<(String, String)>> = start
                .attributes()
                .with_checks(false)
                .map(|a| {
                    let a = a.ok()?;
                    let v = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .ok()?;
                    Some((a.key.as_ref().to_owned(), v.into_owned()))
                })
                .filter(|a| {
                    a.as_ref()
                        .is_none_or(|(k, _)| k != "xmlns" && !k.starts_with("xmlns:"))
                })
                .collect::<Option<_>>()
                // Stricter by design: a name with a quote, `<`, `>` or `&` (no XML name has one)
                // is refused, where quick-xml without its checks takes it.
                .filter(|all: &Vec<(String, String)>| {
                    all.iter()
                        .all(|(k, _)| !k.contains(['"', '\'', '<', '>', '&']))
                });
            let ours: Option<Vec<(String, String)>> = attributes(start.attributes_raw()).map(|m| {
                m.into_iter()
                    .map(|(k, v)| (k, v.as_str().unwrap_or_default().to_owned()))
                    .collect()
            });
            assert_eq!(ours, oracle, "{tag:?}");
            agreed += 1;
            read += usize::from(ours.is_some_and(|o| !o.is_empty()));
        }
        // The generator reaches both sides.
        assert!(agreed > 50_000 && read > 2_000, "{agreed} {read}");
    }

    #[test]
    fn single_child_stays_an_object() {
        let doc = parse(b"<a><b><c>x</c></b></a>").unwrap();
        assert_eq!(doc.value, json!({"b": {"c": "x"}}));
    }

    #[test]
    fn refuses_entities_dtds_cannot_define() {
        let bomb = br#"<?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>
            <lolz>&lol2;</lolz>"#;
        assert_eq!(parse(bomb).unwrap_err().code, crate::core::ErrorCode::Parse);
        let external = br#"<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>"#;
        assert!(parse(external).is_err());
    }

    #[test]
    fn truncated_and_malformed() {
        for bad in [
            &b"<a><b>1</b>"[..],
            b"<a></b>",
            b"",
            b"text",
            b"<a>1</a><b/>",
            b"\xff<a/>",
            b"<a x='1' x='2'/>",
        ] {
            assert!(parse(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn depth_is_bounded() {
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert!(parse(deep.as_bytes()).is_err());
        let ok = "<a>".repeat(10) + &"</a>".repeat(10);
        assert!(parse(ok.as_bytes()).is_ok());
    }
}
