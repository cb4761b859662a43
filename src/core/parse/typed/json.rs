//! JSON bodies streamed through serde_json's deserializer: the items of the list written out
//! typed as they are read, page metadata picked up on the way, everything else skipped. No
//! value tree is built for the list (only for the rare nested object a rule reads whole).

use super::{
    integer_text, push_key, write_json_scalar, write_list_value, write_record_value,
    write_text_field,
};
use super::{Records, Rule, Rules};
use crate::core::error::{Error, Result};
use crate::core::paging::PageMeta;
use crate::core::parse::{Map, Value, MAX_DEPTH};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize as _;
use std::borrow::Cow;
use std::fmt;

/// `DeserializeSeed` for seeds that read whatever value comes (`deserialize_any`).
macro_rules! seed_of_any {
    ($($seed:ident),*) => {$(
        impl<'de> DeserializeSeed<'de> for $seed<'_, '_, '_, '_> {
            type Value = ();
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
                d.deserialize_any(self)
            }
        }
    )*};
}

/// Visit methods for the values a visitor does not accept, failing with a fixed message. serde's
/// defaults would fail through `invalid_type`, whose serde_json message formats the value, and
/// with it floats: core's float printing, ~7 KB brotli in the module, for a message no one reads
/// (a failure here is "the body is not valid JSON").
macro_rules! reject {
    ($($method:ident $(($t:ty))?),*) => {$(
        fn $method<E: de::Error>(self $(, _: $t)?) -> std::result::Result<Self::Value, E> {
            Err(E::custom("unexpected value"))
        }
    )*};
}

/// Where a JSON body keeps its list: the keys that may hold the items (the first present
/// wins), and whether the page metadata fields are read.
#[derive(Debug, Clone, Copy)]
pub struct Envelope<'a> {
    /// Keys that may hold the items array (`"participants"`, `"participant"`, `"items"`, …);
    /// an object under one of them is a single record…
    pub item_keys: &'a [&'a str],
    /// …except under this one, where it wraps the list once more (XML-shaped JSON:
    /// `{"participants": {"participant": [...], "total_count": 3}}`).
    pub wrapper_key: Option<&'a str>,
    /// Read `page`, `results_per_page`, `total_count`, `total_pages` (and their usual other
    /// names) at the top level and under `meta` / `pagination`.
    pub read_meta: bool,
    /// Top-level keys that mark the body as an error (`"error"`): seen, the caller reads the
    /// body again as an error.
    pub error_keys: &'a [&'a str],
}

/// What [`transcode_json`] found besides the records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transcoded {
    /// Page metadata from the body.
    pub meta: PageMeta,
    /// An error key was present.
    pub error: bool,
    /// The body is an object in which no item key was found.
    pub no_list: bool,
}

/// Streams a JSON body: the items (a top-level array, or under one of the envelope's keys,
/// possibly one object deeper) written out typed, page metadata read on the way.
pub fn transcode_json(
    body: &[u8],
    envelope: Envelope<'_>,
    rules: &dyn Rules,
    out: &mut Records,
) -> Result<Transcoded> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let mut de = serde_json::Deserializer::from_slice(body);
    let mut state = Transcode {
        rules,
        out,
        envelope,
        meta: PageMeta::default(),
        failure: None,
        found: false,
        error: false,
    };
    let result = EnvelopeSeed {
        state: &mut state,
        depth: 0,
    }
    .deserialize(&mut de)
    .and_then(|_| de.end());
    if let Some(e) = state.failure.take() {
        return Err(e);
    }
    result.map_err(|_| Error::parse("the body is not valid JSON"))?;
    let is_object = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    Ok(Transcoded {
        meta: state.meta,
        error: state.error,
        no_list: is_object && !state.found,
    })
}

struct Transcode<'r, 'o, 'e> {
    rules: &'r dyn Rules,
    out: &'o mut Records,
    envelope: Envelope<'e>,
    meta: PageMeta,
    /// A typing error (kept here: serde's error type would lose our error's fields).
    failure: Option<Error>,
    found: bool,
    error: bool,
}

impl Transcode<'_, '_, '_> {
    fn fail<E: de::Error>(&mut self, e: Error) -> E {
        self.failure = Some(e);
        E::custom("typing failed")
    }
}

/// A map key, borrowed from the input when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> std::result::Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> std::result::Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

seed_of_any!(EnvelopeSeed, ItemsOrWrapper, RecordSeed);

/// The top of the body (depth 0) or the object under an item key (depth 1).
struct EnvelopeSeed<'a, 'r, 'o, 'e> {
    state: &'a mut Transcode<'r, 'o, 'e>,
    depth: usize,
}

impl<'de> Visitor<'de> for EnvelopeSeed<'_, '_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list body")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<(), A::Error> {
        self.state.found = true;
        ItemsSeed { state: self.state }.visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            if self.depth == 0 && self.state.envelope.error_keys.contains(&key.as_ref()) {
                self.state.error = true;
            }
            let is_items =
                !self.state.found && self.state.envelope.item_keys.contains(&key.as_ref());
            if is_items {
                self.state.found = true;
                let wrapper =
                    self.depth == 0 && self.state.envelope.wrapper_key == Some(key.as_ref());
                map.next_value_seed(ItemsOrWrapper {
                    state: &mut *self.state,
                    wrapper,
                })?;
            } else if self.state.envelope.read_meta && self.depth <= 1 {
                if matches!(key.as_ref(), "meta" | "pagination" | "paging" | "page_info") {
                    map.next_value_seed(MetaObject {
                        meta: &mut self.state.meta,
                    })?;
                } else if let Some(slot) = meta_slot(&mut self.state.meta, &key) {
                    let n = map.next_value::<MetaNumber>()?;
                    if slot.is_none() {
                        *slot = n.0;
                    }
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }

    fn visit_unit<E>(self) -> std::result::Result<(), E> {
        Ok(())
    }

    reject!(
        visit_str(&str),
        visit_bool(bool),
        visit_u64(u64),
        visit_i64(i64),
        visit_f64(f64)
    );
}

/// The page metadata field a key names, if any.
fn meta_slot<'m>(meta: &'m mut PageMeta, key: &str) -> Option<&'m mut Option<u64>> {
    Some(match key {
        "page" | "current_page" | "page_number" => &mut meta.page,
        "results_per_page" | "per_page" | "page_size" => &mut meta.per_page,
        "total_count" | "total" | "total_results" | "total_records" | "totalcount" => {
            &mut meta.total
        }
        "total_pages" | "page_count" | "totalpages" => &mut meta.total_pages,
        _ => return None,
    })
}

/// A metadata number: a JSON number or a numeric string; anything else is "not given".
struct MetaNumber(Option<u64>);

impl<'de> de::Deserialize<'de> for MetaNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MetaNumber;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a count")
            }
            fn visit_u64<E>(self, v: u64) -> std::result::Result<MetaNumber, E> {
                Ok(MetaNumber(Some(v)))
            }
            fn visit_i64<E>(self, _: i64) -> std::result::Result<MetaNumber, E> {
                Ok(MetaNumber(None))
            }
            fn visit_f64<E>(self, _: f64) -> std::result::Result<MetaNumber, E> {
                Ok(MetaNumber(None))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<MetaNumber, E> {
                Ok(MetaNumber(
                    integer_text(v.trim())
                        .filter(|(neg, _)| !neg)
                        .map(|(_, n)| n),
                ))
            }
            fn visit_bool<E>(self, _: bool) -> std::result::Result<MetaNumber, E> {
                Ok(MetaNumber(None))
            }
            fn visit_unit<E>(self) -> std::result::Result<MetaNumber, E> {
                Ok(MetaNumber(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut s: A,
            ) -> std::result::Result<MetaNumber, A::Error> {
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(MetaNumber(None))
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut m: A,
            ) -> std::result::Result<MetaNumber, A::Error> {
                while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(MetaNumber(None))
            }
        }
        d.deserialize_any(V)
    }
}

struct MetaObject<'m> {
    meta: &'m mut PageMeta,
}

impl<'de> DeserializeSeed<'de> for MetaObject<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for MetaObject<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("page metadata")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            match meta_slot(self.meta, &key) {
                Some(slot) => {
                    let n = map.next_value::<MetaNumber>()?;
                    if slot.is_none() {
                        *slot = n.0;
                    }
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
    fn visit_unit<E>(self) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> std::result::Result<(), A::Error> {
        Err(de::Error::custom("unexpected value"))
    }

    reject!(
        visit_str(&str),
        visit_bool(bool),
        visit_u64(u64),
        visit_i64(i64),
        visit_f64(f64)
    );
}

/// The value under an item key: the items array, a single record, or (XML-shaped JSON) an
/// object wrapping them once more (`{"participants": {"participant": [...], "total_count": 3}}`).
struct ItemsOrWrapper<'a, 'r, 'o, 'e> {
    state: &'a mut Transcode<'r, 'o, 'e>,
    wrapper: bool,
}

impl<'de> Visitor<'de> for ItemsOrWrapper<'_, '_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<(), A::Error> {
        ItemsSeed { state: self.state }.visit_seq(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<(), A::Error> {
        if self.wrapper {
            // One level down, the wrapper's own keys hold the items and the metadata.
            self.state.found = false;
            return Visitor::visit_map(
                EnvelopeSeed {
                    state: self.state,
                    depth: 1,
                },
                map,
            );
        }
        // A single record where a list was expected.
        let state = self.state;
        state.out.begin_record();
        let r = RecordSeed {
            state: &mut *state,
            depth: 0,
        }
        .visit_map(map);
        state.out.end_record();
        r
    }
    fn visit_unit<E>(self) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> std::result::Result<(), E> {
        Ok(())
    }

    reject!(
        visit_bool(bool),
        visit_u64(u64),
        visit_i64(i64),
        visit_f64(f64)
    );
}

/// The items array: each element a record.
struct ItemsSeed<'a, 'r, 'o, 'e> {
    state: &'a mut Transcode<'r, 'o, 'e>,
}

impl<'de> ItemsSeed<'_, '_, '_, '_> {
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        loop {
            self.state.out.begin_record();
            let mark = self.state.out.json.len();
            match seq.next_element_seed(RecordSeed {
                state: &mut *self.state,
                depth: 0,
            })? {
                Some(()) => self.state.out.end_record(),
                None => {
                    // No element: undo the separator begin_record wrote.
                    self.state.out.json.truncate(
                        mark.saturating_sub(usize::from(!self.state.out.ends.is_empty())),
                    );
                    return Ok(());
                }
            }
        }
    }
}

/// One record (an object; anything else is `PARSE`), fields typed by the rules.
struct RecordSeed<'a, 'r, 'o, 'e> {
    state: &'a mut Transcode<'r, 'o, 'e>,
    depth: usize,
}

impl<'de> Visitor<'de> for RecordSeed<'_, '_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a record")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        if self.depth > MAX_DEPTH {
            let e = self.state.rules.error("record", "is nested too deeply");
            return Err(self.state.fail(e));
        }
        self.state.out.json.push(b'{');
        let mut first = true;
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let rule = self.state.rules.rule(&key);
            map.next_value_seed(FieldSeed {
                state: &mut *self.state,
                name: &key,
                rule,
                first: &mut first,
                depth: self.depth,
            })?;
        }
        self.state.out.json.push(b'}');
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> std::result::Result<(), A::Error> {
        Err(self.not_an_object())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> std::result::Result<(), E> {
        Err(self.not_an_object())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> std::result::Result<(), E> {
        Err(self.not_an_object())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> std::result::Result<(), E> {
        Err(self.not_an_object())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> std::result::Result<(), E> {
        Err(self.not_an_object())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> std::result::Result<(), E> {
        Err(self.not_an_object())
    }
    fn visit_unit<E: de::Error>(self) -> std::result::Result<(), E> {
        Err(self.not_an_object())
    }
}

impl RecordSeed<'_, '_, '_, '_> {
    fn not_an_object<E: de::Error>(self) -> E {
        let e = self.state.rules.error("record", "is not an object");
        self.state.fail(e)
    }
}

/// One field's value: typed by its rule and written with its key (or not at all when empty).
struct FieldSeed<'a, 'r, 'o, 'e, 'k> {
    state: &'a mut Transcode<'r, 'o, 'e>,
    name: &'k str,
    rule: Rule,
    first: &'a mut bool,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for FieldSeed<'_, '_, '_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl FieldSeed<'_, '_, '_, '_, '_> {
    fn typed<E: de::Error>(self, v: &Value) -> std::result::Result<(), E> {
        if self.rule == Rule::Keep {
            push_key(&mut self.state.out.json, self.first, self.name);
            let _ = serde_json::to_writer(&mut self.state.out.json, v);
            return Ok(());
        }
        let r = match v {
            Value::String(s) => write_text_field(
                &mut self.state.out.json,
                self.first,
                self.state.rules,
                self.name,
                self.rule,
                s,
            ),
            Value::Null => Ok(()),
            v => write_json_scalar(
                &mut self.state.out.json,
                self.first,
                self.state.rules,
                self.name,
                self.rule,
                v,
            ),
        };
        r.map_err(|e| self.state.fail(e))
    }
}

impl<'de> Visitor<'de> for FieldSeed<'_, '_, '_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<(), E> {
        if let Rule::List { .. } = self.rule {
            if v.trim().is_empty() {
                push_key(&mut self.state.out.json, self.first, self.name);
                self.state.out.json.extend_from_slice(b"[]");
                return Ok(());
            }
        }
        let r = write_text_field(
            &mut self.state.out.json,
            self.first,
            self.state.rules,
            self.name,
            self.rule,
            v,
        );
        r.map_err(|e| self.state.fail(e))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<(), E> {
        self.typed(&Value::from(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<(), E> {
        self.typed(&Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<(), E> {
        self.typed(&Value::from(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<(), E> {
        self.typed(&Value::Bool(v))
    }
    fn visit_unit<E: de::Error>(self) -> std::result::Result<(), E> {
        match self.rule {
            Rule::List { .. } => {
                push_key(&mut self.state.out.json, self.first, self.name);
                self.state.out.json.extend_from_slice(b"[]");
            }
            Rule::Keep => {
                push_key(&mut self.state.out.json, self.first, self.name);
                self.state.out.json.extend_from_slice(b"null");
            }
            _ => {}
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        if self.rule == Rule::Keep {
            let v = Value::Array(Vec::<Value>::deserialize(
                de::value::SeqAccessDeserializer::new(seq),
            )?);
            push_key(&mut self.state.out.json, self.first, self.name);
            let _ = serde_json::to_writer(&mut self.state.out.json, &v);
            return Ok(());
        }
        if !matches!(self.rule, Rule::List { .. }) {
            let e = self
                .state
                .rules
                .error(self.name, "is a list where a single value was expected");
            return Err(self.state.fail(e));
        }
        push_key(&mut self.state.out.json, self.first, self.name);
        self.state.out.json.push(b'[');
        let mut i = 0;
        loop {
            if i > 0 {
                self.state.out.json.push(b',');
            }
            let mark = self.state.out.json.len();
            match seq.next_element_seed(ListItemSeed {
                state: &mut *self.state,
                depth: self.depth + 1,
            })? {
                Some(()) => i += 1,
                None => {
                    self.state
                        .out
                        .json
                        .truncate(if i > 0 { mark - 1 } else { mark });
                    break;
                }
            }
        }
        self.state.out.json.push(b']');
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<(), A::Error> {
        // A list as XML-shaped JSON (`{"activity": [...]}`) or a single nested record: read
        // it whole (small) and write it through the tree path.
        let v = Value::Object(Map::deserialize(de::value::MapAccessDeserializer::new(
            map,
        ))?);
        if self.rule == Rule::Keep {
            push_key(&mut self.state.out.json, self.first, self.name);
            let _ = serde_json::to_writer(&mut self.state.out.json, &v);
            return Ok(());
        }
        let Rule::List { item } = self.rule else {
            let e = self
                .state
                .rules
                .error(self.name, "is an object where a single value was expected");
            return Err(self.state.fail(e));
        };
        push_key(&mut self.state.out.json, self.first, self.name);
        let r = write_list_value(
            &mut self.state.out.json,
            self.state.rules,
            item,
            &v,
            self.depth,
        );
        r.map_err(|e| self.state.fail(e))
    }
}

/// An element of a nested list: a record, or a plain value kept as is.
struct ListItemSeed<'a, 'r, 'o, 'e> {
    state: &'a mut Transcode<'r, 'o, 'e>,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for ListItemSeed<'_, '_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        let v = Value::deserialize(d)?;
        let r = match &v {
            Value::Object(_) => {
                write_record_value(&mut self.state.out.json, self.state.rules, &v, self.depth)
            }
            other => {
                let _ = serde_json::to_writer(&mut self.state.out.json, other);
                Ok(())
            }
        };
        r.map_err(|e| self.state.fail(e))
    }
}
