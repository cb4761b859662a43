//! XML bodies (XML 1.0) walked with quick-xml's pull reader into plain values, no DOM:
//! an element with attributes or child elements becomes an object (attributes first, then
//! children; a repeated child name becomes an array in document order), a text-only element a
//! string. CDATA is kept verbatim; the five predefined entities and character references are
//! decoded; any other entity is an error: a DTD is skipped, never read, so external and
//! recursive entities (billion laughs) cannot expand.

use super::{Map, Value, MAX_DEPTH};
use crate::core::error::{Error, Result};
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

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
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.expand_empty_elements = false;
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Document> = None;
    loop {
        let event = reader.read_event().map_err(|_| malformed())?;
        match event {
            Event::Start(start) => {
                if root.is_some() {
                    return Err(Error::parse("the XML has content after its root element"));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(Error::parse("the XML is nested too deeply"));
                }
                stack.push(open(&start)?);
            }
            Event::Empty(start) => {
                if root.is_some() {
                    return Err(Error::parse("the XML has content after its root element"));
                }
                let frame = open(&start)?;
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
                    None => predefined_entity(&r.xml10_content()).ok_or_else(|| {
                        Error::parse("the XML uses an entity other than the five predefined ones (entities are never expanded)")
                    })?,
                };
                let mut buf = [0u8; 4];
                push_text(&mut stack, decoded.encode_utf8(&mut buf), true)?;
            }
            // Declarations, processing instructions, comments and the DTD carry no data.
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(Error::parse(
            "the XML ends before its root element is closed (truncated?)",
        ));
    }
    root.ok_or_else(|| Error::parse("the XML has no root element"))
}

fn malformed() -> Error {
    Error::parse("the body is not well-formed XML")
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

fn open(start: &BytesStart<'_>) -> Result<Frame> {
    let name = start.name().as_ref().to_owned();
    let mut members = Vec::new();
    for attr in start.attributes().with_checks(false) {
        let attr = attr.map_err(|_| malformed())?;
        let key: &str = attr.key.as_ref();
        // Namespace declarations are markup, not data.
        if key == "xmlns" || key.starts_with("xmlns:") {
            continue;
        }
        let value = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|_| malformed())?;
        members.push((key.to_owned(), Value::String(value.into_owned())));
    }
    // Duplicates are refused here (XML 1.0 §3.1, "Unique Att Spec"), as the object of the
    // attributes is built once, sorted: quick-xml's own check keeps a hash set of names for that,
    // which the module need not carry.
    let mut repeated = false;
    let attributes = Map::from_members(members, |_, _| repeated = true);
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
        Value::Object(Map::from_members(members, repeated_child))
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
