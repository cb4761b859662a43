//! The one-pass record writer on each input shape: the same records must come out of JSON,
//! CSV and trees, typed by the rules; envelopes, metadata and failures.

use super::*;
use crate::core::http::Response;
use crate::core::paging::PageMeta;
// serde_json is the oracle: the records' JSON text is read back with it, and trees are built
// with its `json!` (then converted).
use serde_json::{json, Value};

struct TestRules;

impl Rules for TestRules {
    fn rule(&self, name: &str) -> Rule {
        match name {
            "id" | "age" => Rule::Integer,
            "paid" => Rule::Money,
            "day" => Rule::Date,
            "ok" => Rule::Bool,
            "tags" => Rule::List { item: "tag" },
            "kids" => Rule::List { item: "kid" },
            _ => Rule::Keep,
        }
    }
    fn error(&self, field: &str, why: &str) -> Error {
        Error::parse(crate::core::text::concat(&[
            "test: field '",
            field,
            "' ",
            why,
        ]))
    }
}

/// A list body under `keys` (wrapper `rows`), metadata read, `error` an error key.
struct TestShape(&'static [&'static str]);

impl JsonShape for TestShape {
    fn envelope(&self) -> Envelope<'static> {
        Envelope {
            item_keys: self.0,
            wrapper_key: Some("rows"),
            read_meta: true,
            error_keys: &["error"],
        }
    }
    fn rules(&self) -> Box<dyn Rules> {
        Box::new(TestRules)
    }
    fn finish(
        &self,
        located: &Located,
        _: &crate::core::parse::Value,
        _: &Response,
    ) -> Result<PageMeta> {
        if located.error {
            return Err(Error::new(
                crate::core::ErrorCode::ProviderError,
                "error body",
            ));
        }
        Ok(located.meta.clone())
    }
    fn body_error(&self, e: Error) -> Error {
        e
    }
}

fn json_records(body: &str, keys: &'static [&'static str]) -> Result<(Value, PageMeta)> {
    let response = Response {
        status: 200,
        headers: vec![],
        body: body.as_bytes().to_vec(),
    };
    let (out, meta) = super::json_records(&TestShape(keys), &response)?;
    Ok((serde_json::from_str(&out.to_json()).unwrap(), meta))
}

fn expected() -> Value {
    json!([
        {"id": 7, "name": "Zoë \"Z\"", "age": 34, "paid": 1234.5, "day": "2025-01-05", "ok": true,
         "tags": ["a", "b"], "kids": [{"id": 1, "ok": false}], "extra": {"x": [1, null]}},
        {"id": -2, "name": "", "paid": 0, "ok": false, "tags": []}
    ])
}

#[test]
fn json_bodies_are_typed_in_one_pass() {
    let body = r#"{"total_count":"2","page":1,"meta":{"total_pages":1},"rows":[
        {"id":"7","name":"Zo\u00eb \"Z\"","age":34,"paid":"$1,234.50","day":"01-05-2025","ok":"T","tags":["a","b"],"kids":[{"id":1,"ok":0}],"extra":{"x":[1,null]}},
        {"id":-2,"name":"","age":"","paid":"0.00","day":null,"ok":false,"tags":""}
    ],"ignored":{"deep":[1,2,{"a":"b"}]}}"#;
    let (records, meta) = json_records(body, &["rows"]).unwrap();
    assert_eq!(records, expected());
    assert_eq!(
        (meta.total, meta.page, meta.total_pages),
        (Some(2), Some(1), Some(1))
    );
}

#[test]
fn envelopes_bare_arrays_wrappers_and_single_records() {
    let (bare, meta) = json_records(r#"[{"id":1},{"id":"2"}]"#, &["rows"]).unwrap();
    assert_eq!((bare, meta.total), (json!([{"id": 1}, {"id": 2}]), None));
    let (wrapped, meta) = json_records(
        r#"{"rows":{"row":[{"id":3}],"total_count":9}}"#,
        &["rows", "row"],
    )
    .unwrap();
    assert_eq!((wrapped, meta.total), (json!([{"id": 3}]), Some(9)));
    let (single, _) = json_records(r#"{"row":{"id":4}}"#, &["row"]).unwrap();
    assert_eq!(single, json!([{"id": 4}]));
    let (none, _) = json_records(r#"{"other":[1]}"#, &["rows"]).unwrap();
    assert_eq!(none, json!([]));
    let (empty, _) = json_records(r#"{"rows":[]}"#, &["rows"]).unwrap();
    assert_eq!(empty, json!([]));
}

#[test]
fn csv_and_trees_give_the_same_records() {
    let csv = "id,name,age,paid,day,ok,tags\r\n7,\"Zoë \"\"Z\"\"\",34,\"$1,234.50\",01-05-2025,T,a|b\r\n-2,,,0.00,,F,\r\n";
    let (header, mut rows) = crate::core::parse::csv::table(csv.as_bytes()).unwrap();
    let mut out = Records::default();
    write_csv(&mut out, &TestRules, &header, &mut rows).unwrap();
    let got: Value = serde_json::from_str(&out.to_json()).unwrap();
    assert_eq!(
        got,
        json!([
            {"id": 7, "name": "Zoë \"Z\"", "age": 34, "paid": 1234.5, "day": "2025-01-05", "ok": true, "tags": ["a", "b"]},
            {"id": -2, "name": "", "paid": 0, "ok": false, "tags": []}
        ])
    );
    let tree = json!({"id": "7", "kids": {"kid": {"id": "1", "ok": "F"}}, "tags": {"tag": ["a", "b"]}, "empty": ""});
    let mut out = Records::default();
    write_value(&mut out, &TestRules, &tree.into()).unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&out.to_json()).unwrap(),
        json!([{"id": 7, "kids": [{"id": 1, "ok": false}], "tags": ["a", "b"], "empty": ""}])
    );
}

// CSV rows are ROWs (fields by position: no key op each, SKIP for an absent one) when the
// header's keys are interned in order; a name beyond ASCII is not interned, so that page names
// every field's key. The records are the same either way.
#[test]
fn csv_rows_take_their_keys_by_position() {
    let ops_of = |csv: &str| {
        let (header, mut rows) = crate::core::parse::csv::table(csv.as_bytes()).unwrap();
        let mut out = Records::default();
        write_csv(&mut out, &TestRules, &header, &mut rows).unwrap();
        let ops: Vec<u32> = out.parts().2.iter().map(|w| w & 15).collect();
        (ops, serde_json::from_str::<Value>(&out.to_json()).unwrap())
    };
    let (ops, records) = ops_of("id,age,name\n1,,a\n2,30,b\n");
    assert_eq!(
        records,
        json!([{"id": 1, "name": "a"}, {"id": 2, "age": 30, "name": "b"}])
    );
    // The row with an empty typed field is a ROW with a SKIP; the complete one a ROW_FULL.
    assert_eq!(ops.iter().filter(|&&op| op == tape::ROW).count(), 1);
    assert_eq!(ops.iter().filter(|&&op| op == tape::ROW_FULL).count(), 1);
    assert_eq!(ops.iter().filter(|&&op| op == tape::SKIP).count(), 1);
    // A short row is no ROW_FULL: its last keys get no value.
    let (ops, records) = ops_of("id,age,name\n1,2,a\n3,4\n");
    assert_eq!(
        records,
        json!([{"id": 1, "age": 2, "name": "a"}, {"id": 3, "age": 4}])
    );
    assert_eq!(ops.iter().filter(|&&op| op == tape::ROW_FULL).count(), 1);
    assert_eq!(ops.iter().filter(|&&op| op == tape::ROW).count(), 1);
    assert!(!ops.contains(&tape::KEY), "{ops:?}");
    let (ops, records) = ops_of("id,n\u{e9}\n1,a\n");
    assert_eq!(records, json!([{"id": 1, "n\u{e9}": "a"}]));
    assert!(
        !ops.contains(&tape::ROW) && ops.contains(&tape::OBJECT),
        "{ops:?}"
    );
}

// A date is written into the tape's text in place: one whose tail is beyond ASCII (ISO's time
// part passes through as written) moves to the wide text; one that is no date fails the page.
#[test]
fn dates_written_in_place_beyond_ascii_and_refused() {
    let csv = "id,day,name\n1,2025-01-05T10:00\u{e9},Zo\u{eb}\n2,05/06/2025 9:30,x\n";
    let (header, mut rows) = crate::core::parse::csv::table(csv.as_bytes()).unwrap();
    let mut out = Records::default();
    let e = write_csv(&mut out, &TestRules, &header, &mut rows).unwrap_err();
    assert!(e.message.contains("'day'"), "{}", e.message);
    out.truncate(1);
    assert_eq!(
        serde_json::from_str::<Value>(&out.to_json()).unwrap(),
        json!([{"id": 1, "day": "2025-01-05T10:00\u{e9}", "name": "Zo\u{eb}"}])
    );
}

#[test]
fn cut_to_the_first_records() {
    let (_, _) = json_records("[]", &[]).unwrap();
    let mut out = Records::default();
    for id in 1..=3 {
        write_value(&mut out, &TestRules, &json!({ "id": id }).into()).unwrap();
    }
    assert_eq!(
        (
            out.len(),
            {
                let mut o = out.clone();
                o.truncate(2);
                o.to_json()
            }
            .as_str(),
            {
                let mut o = out.clone();
                o.truncate(0);
                o.to_json()
            }
            .as_str()
        ),
        (3, r#"[{"id":1},{"id":2}]"#, "[]")
    );
    assert_eq!(
        (out.record_json(0), out.record_json(2), out.record_json(3)),
        (
            Some(r#"{"id":1}"#.to_owned()),
            Some(r#"{"id":3}"#.to_owned()),
            None
        )
    );
}

#[test]
fn failures_name_the_field_and_garbage_is_parse() {
    for (body, field) in [
        (r#"[{"id":"x"}]"#, "'id'"),
        (r#"[{"age":1.5}]"#, "'age'"),
        (r#"[{"paid":"1.2.3"}]"#, "'paid'"),
        (r#"[{"day":"13-45-2025"}]"#, "'day'"),
        (r#"[{"ok":"maybe"}]"#, "'ok'"),
        (r#"[{"id":[1]}]"#, "'id'"),
        (r#"[42]"#, "'record'"),
    ] {
        let e = json_records(body, &[]).unwrap_err();
        assert!(e.message.contains(field), "{body}: {}", e.message);
    }
    for body in ["", "{", "[{\"id\":1}", "[{\"id\":1}] x", "\u{7f}"] {
        assert_eq!(
            json_records(body, &[]).unwrap_err().code,
            crate::core::ErrorCode::Parse,
            "{body}"
        );
    }
    let deep = "[".to_string() + &"{\"kids\":[".repeat(200) + &"]}".repeat(200) + "]";
    assert!(json_records(&deep, &[]).is_err());
}

#[test]
fn money_literals_are_valid_json_numbers() {
    for (text, out) in [
        ("45.00", "45.00"),
        ("007", "7"),
        ("$1,234.5", "1234.5"),
        ("-0.50", "-0.50"),
        ("0", "0"),
        (".5", "0.5"),
        ("0,001.25", "1.25"),
        ("$0,000", "0"),
        ("1,000,000", "1000000"),
        ("+5", "5"),
        ("$$12.000001", "12.000001"),
    ] {
        let mut buf = String::new();
        assert!(push_money(&mut buf, text), "{text}");
        assert_eq!(buf, out);
        assert!(serde_json::from_str::<f64>(&buf).is_ok());
    }
    for bad in [
        "",
        "$",
        "1.",
        "1e5",
        "1.2.3",
        "abc",
        "--1",
        "1,2,3.4.5",
        "-+5",
        "1.1234567",
        "1234567890123456",
        "-",
        ".",
        " 5",
        "-$5",
    ] {
        assert!(!push_money(&mut String::new(), bad), "{bad}");
    }
}

#[test]
fn strings_go_out_as_ascii_json_that_reads_back_as_written() {
    // serde_json is the independent reader; the text must be ASCII (the JS hand-off's fast path).
    for s in [
        "",
        "plain",
        "Zoë Ångström",
        "李小龍",
        "astral 𝄞 and 😀",
        "quote \" backslash \\ slash /",
        "controls \u{0}\u{1f}\n\r\t\u{7f}",
        "\u{2028}\u{2029}\u{feff}",
    ] {
        let mut out = Vec::new();
        crate::core::parse::json::push_string(&mut out, s);
        assert!(
            out.is_ascii(),
            "{s:?} → {:?}",
            String::from_utf8_lossy(&out)
        );
        let back: String = serde_json::from_slice(&out).unwrap();
        assert_eq!(back, s);
    }
    let mut out = Vec::new();
    crate::core::parse::json::push_string(&mut out, "é𝄞");
    assert_eq!(out, br#""\u00e9\ud834\udd1e""#); // RFC 8259 §7's own example for U+1D11E
}
