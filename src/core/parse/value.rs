//! The tree every parser here produces (JSON, XML, CSV) and the core's JSON documents (token
//! sets, stored session records): RFC 8259's six kinds of value.
//!
//! The crate's own, not `serde_json::Value`: serde_json, serde and their per-type visitors were
//! about 26 KB raw of the wasm module (7.7 KB brotli; issue 10), for a reader and a writer of a
//! few hundred lines (`super::json`). The API follows serde_json's names (`as_str`, `get`,
//! `Value::Object`, …) so the tree reads as it did.
//!
//! Objects are [`Map`]s: members sorted by name, one value per name (the last one when a body
//! repeats a name, as `JSON.parse` and serde_json read it; RFC 8259 §4 leaves it open).

use crate::core::sort::heap_sort;

/// A JSON value.
#[derive(Clone, PartialEq, Default)]
pub enum Value {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written (see [`Number`]).
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(Map),
}

/// A JSON number kept as its text (RFC 8259 §6 grammar, checked by the reader): written back
/// exactly as it was read, with no float printing in the module (core's float formatting is
/// ~15 KB of wasm), and read as an integer or a double only where a caller asks for one.
#[derive(Clone, PartialEq, Eq)]
pub struct Number(pub(super) String);

impl Number {
    /// The number's JSON text.
    pub fn as_text(&self) -> &str {
        &self.0
    }

    /// The value when the text is a non-negative integer (no fraction, no exponent: serde_json's
    /// rule) that fits a `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        let digits = self.0.as_bytes();
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        digits.iter().try_fold(0u64, |n, d| {
            n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
        })
    }

    /// The value when the text is an integer (no fraction, no exponent) that fits an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match self.0.strip_prefix('-') {
            Some(rest) => {
                let magnitude = Number(rest.to_owned()).as_u64()?;
                0i64.checked_sub_unsigned(magnitude)
            }
            None => self.as_u64().and_then(|n| i64::try_from(n).ok()),
        }
    }

    /// True when [`Number::as_u64`] has a value.
    pub fn is_u64(&self) -> bool {
        self.as_u64().is_some()
    }

    /// True when [`Number::as_i64`] has a value.
    pub fn is_i64(&self) -> bool {
        self.as_i64().is_some()
    }

    /// The number as a double (`crate::core::text::scientific_number`'s rounding); `None` when
    /// it is beyond the range of a double (`1e400`, which `JSON.parse` reads as `Infinity`).
    pub fn as_f64(&self) -> Option<f64> {
        crate::core::text::scientific_number(&self.0).filter(|v| v.is_finite())
    }
}

impl From<u64> for Number {
    fn from(n: u64) -> Number {
        Number(crate::core::text::decimal(n))
    }
}

/// A JSON object: its members in a vector sorted by name, one per name, found by binary search.
/// Not a `BTreeMap`: its node code was 10 KB of the wasm module for objects of a few dozen
/// members. Built whole from members in any order ([`Map::from_members`], the readers:
/// O(n log n) however many members a hostile body has); [`Map::insert`] is for the few names
/// the core writes itself.
#[derive(Clone, PartialEq, Default)]
pub struct Map(Vec<(String, Value)>);

impl Map {
    /// An empty object.
    pub fn new() -> Map {
        Map(Vec::new())
    }

    /// The object of `members` (in document order): a name given more than once gets its first
    /// value, then `merge(value, next)` with each later one, in order.
    pub fn from_members(
        mut members: Vec<(String, Value)>,
        // `dyn`: one copy of this function in the module, whatever the callers merge with.
        merge: &mut dyn FnMut(&mut Value, Value),
    ) -> Map {
        // Sorted by (name, position) through an index, so equal names stay in document order.
        let mut order: Vec<usize> = (0..members.len()).collect();
        heap_sort(&mut order, |&a, &b| {
            (members[a].0.as_str(), a) < (members[b].0.as_str(), b)
        });
        let mut out: Vec<(String, Value)> = Vec::with_capacity(members.len());
        for i in order {
            let (name, value) = std::mem::take(&mut members[i]);
            match out.last_mut() {
                Some((last, slot)) if *last == name => merge(slot, value),
                _ => out.push((name, value)),
            }
        }
        Map(out)
    }

    fn find(&self, name: &str) -> std::result::Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(name))
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.find(name).ok().map(|i| &self.0[i].1)
    }

    /// The stored name and the value of `name`.
    pub fn get_key_value(&self, name: &str) -> Option<(&String, &Value)> {
        self.find(name).ok().map(|i| (&self.0[i].0, &self.0[i].1))
    }

    /// The value of `name`, mutably.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Value> {
        self.find(name).ok().map(|i| &mut self.0[i].1)
    }

    /// True when the object has `name`.
    pub fn contains_key(&self, name: &str) -> bool {
        self.find(name).is_ok()
    }

    /// Sets `name` to `value`; the value it had, if any.
    pub fn insert(&mut self, name: String, value: Value) -> Option<Value> {
        match self.find(&name) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (name, value));
                None
            }
        }
    }

    /// Removes `name`; its value, if it had one.
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        self.find(name).ok().map(|i| self.0.remove(i).1)
    }

    /// The number of members.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there is no member.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The members, by name.
    pub fn iter(&self) -> MapIter<'_> {
        self.into_iter()
    }

    /// The names, in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    /// The values, in the order of their names.
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.0.iter().map(|(_, v)| v)
    }
}

/// `map["name"]`: the value, or `null` when there is none.
impl std::ops::Index<&str> for Map {
    type Output = Value;
    fn index(&self, name: &str) -> &Value {
        self.get(name).unwrap_or(&NULL)
    }
}

/// The members of a [`Map`] by reference, as `(name, value)`.
pub type MapIter<'a> = std::iter::Map<
    std::slice::Iter<'a, (String, Value)>,
    fn(&(String, Value)) -> (&String, &Value),
>;

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a String, &'a Value);
    type IntoIter = MapIter<'a>;
    fn into_iter(self) -> MapIter<'a> {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl IntoIterator for Map {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// A later member of the same name replaces an earlier one (as `insert` in a loop would).
impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(members: I) -> Map {
        Map::from_members(members.into_iter().collect(), &mut |slot, v| *slot = v)
    }
}

/// `Value::Null`, for indexing past what is there (serde_json's rule).
static NULL: Value = Value::Null;

impl Value {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number as a `u64` (see [`Number::as_u64`]).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// The number as a double (see [`Number::as_f64`]).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The object, mutably, if this is one.
    pub fn as_object_mut(&mut self) -> Option<&mut Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The array, if this is one.
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// True for `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// True for a string.
    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }

    /// True for a number.
    pub fn is_number(&self) -> bool {
        matches!(self, Value::Number(_))
    }

    /// True for an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    /// True for an array.
    pub fn is_array(&self) -> bool {
        matches!(self, Value::Array(_))
    }

    /// The member `key` of an object; `None` for anything else.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?.get(key)
    }

    /// The value, leaving `null` in its place.
    pub fn take(&mut self) -> Value {
        std::mem::take(self)
    }
}

/// `value["name"]`: the member, or `null` when there is none (or this is not an object).
impl std::ops::Index<&str> for Value {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

/// `value[i]`: the element, or `null` when there is none (or this is not an array).
impl std::ops::Index<usize> for Value {
    type Output = Value;
    fn index(&self, i: usize) -> &Value {
        self.as_array().and_then(|a| a.get(i)).unwrap_or(&NULL)
    }
}

impl From<u64> for Value {
    fn from(n: u64) -> Value {
        Value::Number(Number::from(n))
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

// The JSON text (release builds drop Debug formatting: `-Zfmt-debug=none`, scripts/build.sh).
impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&super::json::to_text(self))
    }
}

impl std::fmt::Debug for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Tests compare trees with serde_json's `json!` literals: the same value, numbers by value.
#[cfg(test)]
mod serde_json_equality {
    use super::Value;

    impl PartialEq<serde_json::Value> for Value {
        fn eq(&self, other: &serde_json::Value) -> bool {
            use serde_json::Value as J;
            match (self, other) {
                (Value::Null, J::Null) => true,
                (Value::Bool(a), J::Bool(b)) => a == b,
                (Value::Number(a), J::Number(b)) => match (a.as_i64(), b.as_i64()) {
                    (Some(a), Some(b)) => a == b,
                    _ => a.as_u64().zip(b.as_u64()).map_or_else(
                        || a.as_f64().is_some() && a.as_f64() == b.as_f64(),
                        |(a, b)| a == b,
                    ),
                },
                (Value::String(a), J::String(b)) => a == b,
                (Value::Array(a), J::Array(b)) => {
                    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| a == b)
                }
                (Value::Object(a), J::Object(b)) => {
                    a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| v == w))
                }
                _ => false,
            }
        }
    }

    impl PartialEq<Value> for serde_json::Value {
        fn eq(&self, other: &Value) -> bool {
            other == self
        }
    }

    impl PartialEq<i32> for Value {
        fn eq(&self, other: &i32) -> bool {
            matches!(self, Value::Number(n) if n.as_i64() == Some(i64::from(*other)))
        }
    }

    impl PartialEq<u64> for Value {
        fn eq(&self, other: &u64) -> bool {
            self.as_u64() == Some(*other)
        }
    }

    impl PartialEq<bool> for Value {
        fn eq(&self, other: &bool) -> bool {
            self.as_bool() == Some(*other)
        }
    }

    impl PartialEq<&str> for Value {
        fn eq(&self, other: &&str) -> bool {
            self.as_str() == Some(*other)
        }
    }

    /// A serde_json value as ours (tests that build input with `json!`).
    impl From<serde_json::Value> for Value {
        fn from(v: serde_json::Value) -> Value {
            use serde_json::Value as J;
            match v {
                J::Null => Value::Null,
                J::Bool(b) => Value::Bool(b),
                J::Number(n) => Value::Number(super::Number(n.to_string())),
                J::String(s) => Value::String(s),
                J::Array(a) => Value::Array(a.into_iter().map(Value::from).collect()),
                J::Object(o) => {
                    Value::Object(o.into_iter().map(|(k, v)| (k, Value::from(v))).collect())
                }
            }
        }
    }
}
