//! The ZapEvent parsers (`oauth_edge::core::providers::zapevent::wire`) on every recorded body
//! of tests/vectors/zapevent/ (see its README). Expected records are written from those files
//! and the document's datatypes (ids and counts are numbers, `MM-DD-YYYY` dates become ISO
//! 8601, `T`/`F` booleans, money as numbers, an empty typed value is absent, an empty untyped one
//! is kept), not from the parser's output.

use oauth_edge::core::http::Response;
use oauth_edge::core::paging::PageMeta;
use oauth_edge::core::providers::zapevent::wire::{parse_event, parse_list, parse_login};
use oauth_edge::core::providers::zapevent::{Format, Method, PROVIDER};
use oauth_edge::core::{Error, ErrorCode};
use serde_json::{json, Value};
use wasm_bindgen_test::wasm_bindgen_test;

macro_rules! body {
    ($file:literal) => {
        include_bytes!(concat!("../../vectors/zapevent/", $file)).as_slice()
    };
}

fn response(status: u16, body: &[u8]) -> Response {
    Response {
        status,
        headers: vec![],
        body: body.to_vec(),
    }
}

fn ok(body: &[u8]) -> Response {
    response(200, body)
}

fn records(method: Method, format: Format, response: &Response) -> (Value, PageMeta) {
    let page = parse_list(method, format, response).unwrap_or_else(|e| panic!("{e:?}"));
    let json = serde_json::from_str(&page.records.to_json()).unwrap();
    (json, page.meta)
}

fn list_error(method: Method, format: Format, response: &Response) -> Error {
    match parse_list(method, format, response) {
        Ok(page) => panic!("accepted: {}", page.records.to_json()),
        Err(e) => e,
    }
}

/// The three participants of participants.{xml,json,csv}.
fn expected_participants() -> Value {
    json!([
        {"registration_id": 50001, "participant_id": 90003, "event_id": 1001, "activity_id": 2001,
         "first_name": "Zoë", "last_name": "O'Brien", "email": "zoe.obrien.50001@example.org",
         "gender": "F", "age": 34, "registration_date": "2025-01-05", "amount_paid": 45,
         "payment_status": "paid", "checked_in": true, "city": "São Paulo",
         "notes": "Allergies: <none> & fine", "team": ""},
        {"registration_id": 50002, "participant_id": 90006, "event_id": 1001, "activity_id": 2001,
         "first_name": "Björn", "last_name": "Smith, Jr.", "email": "bjorn.smithjr.50002@example.org",
         "gender": "M", "age": 8, "registration_date": "2024-12-31", "amount_paid": 0,
         "payment_status": "pending", "checked_in": false, "city": "Zürich",
         "notes": "Comma, quote \" and\nnewline", "team": ""},
        {"registration_id": 50003, "participant_id": 90009, "event_id": 1001, "activity_id": 2001,
         "first_name": "李", "last_name": "\"Ace\" Baker", "email": "li.acebaker.50003@example.org",
         "gender": "X", "registration_date": "2024-02-29", "amount_paid": 12.5,
         "payment_status": "refunded", "checked_in": false, "city": "New York, NY", "notes": "",
         "team": "Blue"}
    ])
}

#[wasm_bindgen_test]
fn participants_in_three_formats_are_the_same_records() {
    for (file, body, format) in [
        ("participants.xml", body!("participants.xml"), Format::Xml),
        (
            "participants.json",
            body!("participants.json"),
            Format::Json,
        ),
        ("participants.csv", body!("participants.csv"), Format::Csv),
    ] {
        let (items, meta) = records(Method::Participants, format, &ok(body));
        assert_eq!(items, expected_participants(), "{file}");
        let expected_meta = match format {
            // total_count="3" page="1" results_per_page="10" total_pages="1"
            Format::Xml | Format::Json => PageMeta {
                page: Some(1),
                per_page: Some(10),
                total: Some(3),
                total_pages: Some(1),
                ..PageMeta::default()
            },
            // CSV carries no page metadata.
            Format::Csv => PageMeta::default(),
        };
        assert_eq!(meta, expected_meta, "{file}");
    }
}

#[wasm_bindgen_test]
fn page_metadata_as_elements_headers_or_nowhere() {
    let (items, meta) = records(
        Method::Participants,
        Format::Xml,
        &ok(body!("participants-meta-elements.xml")),
    );
    assert_eq!(items, json!([{"registration_id": 50011}]));
    assert_eq!(
        (meta.total, meta.page, meta.per_page, meta.total_pages),
        (Some(25), Some(2), Some(10), Some(3))
    );

    let mut bare = ok(body!("participants-no-meta.xml"));
    let (items, meta) = records(Method::Participants, Format::Xml, &bare);
    assert_eq!(items, json!([{"registration_id": 50011}]));
    assert_eq!(meta, PageMeta::default());
    bare.headers = vec![
        ("X-Total-Count".into(), "523".into()),
        ("X-Page".into(), "4".into()),
    ];
    let (_, meta) = records(Method::Participants, Format::Xml, &bare);
    assert_eq!((meta.total, meta.page), (Some(523), Some(4)));

    let (items, meta) = records(
        Method::Participants,
        Format::Xml,
        &ok(body!("participants-empty.xml")),
    );
    assert_eq!(items, json!([]));
    assert_eq!(
        (meta.total, meta.page, meta.per_page, meta.total_pages),
        (Some(0), Some(1), Some(10), Some(0))
    );
}

#[wasm_bindgen_test]
fn event_nests_its_single_activity_and_question_as_arrays() {
    let expected = json!({
        "event_id": 1001, "name": "Lakeside 10K & 5K Run", "event_type": "Running/Walking",
        "event_status": "public", "start_date": "2025-06-14", "end_date": "2025-06-14",
        "created": "2025-01-10T09:30:00", "state": "MN", "country": "United States",
        "url": "https://www.zapevent.com/e/1001",
        "activities": [{"activity_id": 2001, "name": "10K", "start_date": "2025-06-14",
            "price": 45,
            "questions": [{"question_id": 7001, "question": "T-shirt size?",
                "question_type": "select", "required": true, "options": ["S", "M"]}]}]
    });
    for (file, body, format) in [
        ("event.xml", body!("event.xml"), Format::Xml),
        ("event.json", body!("event.json"), Format::Json),
    ] {
        let one = parse_event(format, &ok(body)).unwrap_or_else(|e| panic!("{file}: {e:?}"));
        let json = one.record_json(0).unwrap();
        let event: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(event, expected, "{file}");
    }
}

#[wasm_bindgen_test]
fn the_documents_error_examples() {
    // `<error_code>6</error_code> <error_msg>Key authentication failed</error_msg>`, even on 200.
    let e = list_error(
        Method::Events,
        Format::Xml,
        &ok(body!("error-6-document.xml")),
    );
    assert_eq!(e.code, ErrorCode::InvalidCredentials);
    assert_eq!(e.provider_code.as_deref(), Some("6"));
    assert_eq!(
        e.provider_description.as_deref(),
        Some("Key authentication failed")
    );
    assert_eq!(e.provider.as_deref(), Some(PROVIDER));

    // Code 3 "Invalid parameters" with two <param_missing> elements.
    let e = list_error(
        Method::Events,
        Format::Xml,
        &response(400, body!("error-3-document.xml")),
    );
    assert_eq!((e.code, e.status), (ErrorCode::InvalidArgument, Some(400)));
    assert_eq!(e.provider_code.as_deref(), Some("3"));
    let params = e.params.clone().expect("missing parameters");
    assert_eq!(params.missing, ["api_key", "api_secret"]);

    // The same error in JSON: param_missing as strings, param_invalid as objects.
    let e = list_error(
        Method::Participants,
        Format::Json,
        &ok(body!("error-3.json")),
    );
    assert_eq!(e.code, ErrorCode::InvalidArgument);
    let params = e.params.clone().expect("missing and invalid parameters");
    assert_eq!(params.missing, ["event_id"]);
    assert_eq!(params.invalid, ["results_per_page"]);

    // CSV: error_code 201 "Event Not Found".
    let e = match parse_event(Format::Csv, &response(404, body!("error-201.csv"))) {
        Ok(one) => panic!("accepted: {}", one.to_json()),
        Err(e) => e,
    };
    assert_eq!(e.code, ErrorCode::NotFound);
    assert_eq!(e.provider_code.as_deref(), Some("201"));
    assert_eq!(e.provider_description.as_deref(), Some("Event Not Found"));
}

#[wasm_bindgen_test]
fn login_answers_in_xml_and_json() {
    for (file, body, format) in [
        ("login.xml", body!("login.xml"), Format::Xml),
        ("login.json", body!("login.json"), Format::Json),
    ] {
        let (key, secret) =
            parse_login(format, &ok(body)).unwrap_or_else(|e| panic!("{file}: {e:?}"));
        assert_eq!(key.expose(), "3f2a9c", "{file}");
        assert_eq!(secret.expose(), "SECRET-SENTINEL-9F", "{file}");
    }
}

#[wasm_bindgen_test]
fn hostile_bodies_are_parse_errors() {
    for (file, body) in [
        (
            "participants-truncated.xml",
            body!("participants-truncated.xml"),
        ),
        ("entity-bomb.xml", body!("entity-bomb.xml")),
        ("external-entity.xml", body!("external-entity.xml")),
    ] {
        let e = list_error(Method::Participants, Format::Xml, &ok(body));
        assert_eq!(e.code, ErrorCode::Parse, "{file}: {}", e.message);
        assert_eq!(e.provider.as_deref(), Some(PROVIDER), "{file}");
        // Nothing of /etc/passwd or of the expanded entities gets anywhere.
        assert!(!e.message.contains("lollol"), "{file}: {}", e.message);
        assert!(!e.message.contains("root:"), "{file}: {}", e.message);
    }
}
