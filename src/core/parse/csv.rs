//! CSV bodies (RFC 4180: quoted fields with `""` escapes, embedded commas and line breaks,
//! CRLF or LF, a UTF-8 byte-order mark) through csv-core's state machine: the first row names
//! the fields, every later row becomes a record of strings.
//!
//! csv-core never fails (it prefers *a* parse to none); what this module refuses is what would
//! silently shift data: a row with more fields than the header, a repeated header name.

use super::{Map, Value};
use crate::core::error::{Error, Result};
use csv_core::{ReadRecordResult, Reader};
use std::cell::Cell;

/// Parses a CSV body with a header row. A row shorter than the header leaves the missing
/// fields absent; an empty line is skipped.
pub fn parse(body: &[u8]) -> Result<Vec<Map>> {
    let (header, mut rows) = table(body)?;
    let mut records = Vec::new();
    while let Some(row) = rows.next_row() {
        if row.len() == 1 && row[0].is_empty() {
            continue;
        }
        if row.len() > header.len() {
            return Err(Error::parse("a CSV row has more fields than the header"));
        }
        // A repeated column name: the last one's field (collect's rule, as inserting in order).
        let record: Map = header
            .iter()
            .cloned()
            .zip(row.into_iter().map(Value::String))
            .collect();
        records.push(record);
    }
    Ok(records)
}

/// The header row and a reader of the rows after it (an empty body has an empty header).
pub fn table(body: &[u8]) -> Result<(Vec<String>, Rows<'_>)> {
    let text = super::utf8_without_bom(body).ok_or_else(|| Error::parse("the CSV is not UTF-8"))?;
    let mut rows = Rows::new(text.as_bytes());
    let header = rows.next_row().unwrap_or_default();
    for (i, name) in header.iter().enumerate() {
        if header[..i].contains(name) {
            return Err(Error::parse("the CSV header names a field twice"));
        }
    }
    Ok((header, rows))
}

/// The rows of a CSV body, one `Vec` of fields each.
pub struct Rows<'a> {
    /// Always `Some` until dropped (then it goes back to [`SPARE_READER`]); boxed, so moving it
    /// is a pointer, not csv-core's 0.4 KB of tables.
    reader: Option<Box<Reader>>,
    input: &'a [u8],
    out: Vec<u8>,
    ends: Vec<usize>,
}

thread_local! {
    /// The reader of the last body, reset: csv-core builds its DFA in `Reader::new` (13 states ×
    /// 256 bytes of NFA closure, about 25 µs in wasm, a tenth of a ZapEvent CSV page's csv-core
    /// time), so it is built once. Not cloned from a template: csv-core 0.1's `Clone for Dfa`
    /// copies the transition table only, and the copy loops forever.
    static SPARE_READER: Cell<Option<Box<Reader>>> = const { Cell::new(None) };
}

impl Drop for Rows<'_> {
    fn drop(&mut self) {
        if let Some(mut reader) = self.reader.take() {
            reader.reset();
            SPARE_READER.set(Some(reader));
        }
    }
}

impl<'a> Rows<'a> {
    fn new(input: &'a [u8]) -> Self {
        Rows {
            reader: Some(
                SPARE_READER
                    .take()
                    .unwrap_or_else(|| Box::new(Reader::new())),
            ),
            input,
            // A field is never longer than the input, so the output buffer never fills.
            out: vec![0; input.len() + 1],
            ends: vec![0; 32],
        }
    }

    /// The next row's fields, or `None` at the end of the input.
    pub fn next_row(&mut self) -> Option<Vec<String>> {
        self.next_fields()
            .map(|row| row.iter().map(str::to_owned).collect())
    }

    /// The next row's fields borrowed from the reader (no allocation per field), or `None`.
    pub fn next_fields(&mut self) -> Option<Row<'_>> {
        let (mut nout, mut nend) = (0, 0);
        let reader = self.reader.as_mut()?;
        loop {
            let (res, nin, o, e) =
                reader.read_record(self.input, &mut self.out[nout..], &mut self.ends[nend..]);
            self.input = &self.input[nin..];
            nout += o;
            nend += e;
            match res {
                ReadRecordResult::InputEmpty | ReadRecordResult::OutputFull => {
                    if self.input.is_empty() && o == 0 && e == 0 && nin == 0 {
                        // Only reached after End; kept for safety: no progress means done.
                        return None;
                    }
                }
                ReadRecordResult::OutputEndsFull => {
                    let grown = self.ends.len() * 2;
                    self.ends.resize(grown, 0);
                }
                ReadRecordResult::Record => {
                    let ends = &self.ends[..nend];
                    // Fields split only at ASCII delimiters of UTF-8 input, so the row's
                    // fields together are UTF-8: checked once per row, not once per field.
                    let text = std::str::from_utf8(&self.out[..nout]).unwrap_or_default();
                    return Some(Row { text, ends });
                }
                ReadRecordResult::End => return None,
            }
        }
    }
}

/// One row's fields, borrowed from its reader.
pub struct Row<'r> {
    text: &'r str,
    ends: &'r [usize],
}

impl<'r> Row<'r> {
    /// Number of fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True for a row without fields.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The fields in order.
    pub fn iter(&self) -> impl Iterator<Item = &'r str> + '_ {
        let text = self.text;
        self.ends.iter().scan(0, move |start, &end| {
            let field = text.get(*start..end).unwrap_or_default();
            *start = end;
            Some(field)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rfc4180_quoting_crlf_lf_and_bom() {
        let body =
            "\u{feff}id,name,notes\r\n1,\"Smith, Jr.\",\"Said \"\"hi\"\"\r\nline two\"\n2,Zoë,\r\n";
        let rows = parse(body.as_bytes()).unwrap();
        assert_eq!(
            Value::Array(rows.into_iter().map(Value::Object).collect()),
            json!([
                {"id": "1", "name": "Smith, Jr.", "notes": "Said \"hi\"\r\nline two"},
                {"id": "2", "name": "Zoë", "notes": ""}
            ])
        );
    }

    #[test]
    fn short_rows_empty_lines_and_no_trailing_newline() {
        let rows = parse(b"a,b\n1\n\n2,3").unwrap();
        assert_eq!(rows.len(), 2);
        assert!(!rows[0].contains_key("b"));
        assert_eq!(rows[1]["b"], "3");
    }

    #[test]
    fn refuses_what_would_shift_data() {
        assert!(parse(b"a,b\n1,2,3\n").is_err());
        assert!(parse(b"a,a\n1,2\n").is_err());
        assert!(parse(b"a\n\xff\n").is_err());
        assert!(parse(b"").unwrap().is_empty());
    }

    #[test]
    fn the_reused_reader_starts_each_body_afresh() {
        // A body cut inside a quoted field leaves csv-core mid-field; the next body's reader
        // is that one, reset.
        let _ = parse(b"a,b\n1,\"open quote");
        let rows = parse(b"a,b\n1,2\n").unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0]["b"], "2");
    }

    #[test]
    fn many_fields_grow_the_ends_buffer() {
        let header: Vec<String> = (0..100).map(|i| i.to_string()).collect();
        let body = header.join(",") + "\n" + &header.join(",");
        let rows = parse(body.as_bytes()).unwrap();
        assert_eq!(rows[0]["99"], "99");
    }
}
