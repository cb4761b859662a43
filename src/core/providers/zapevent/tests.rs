//! ZapEvent requests and recorded bodies (tests/vectors/zapevent/, see its README): expected
//! values are written from the vectors and the document's datatypes, not from our output.

use super::wire::{parse_event, parse_list, parse_login};
use super::*;
use crate::core::error::ErrorCode;
use crate::core::http::Response;
use crate::core::parse::typed::Records;
use serde_json::{json, Value};

fn vector(name: &str) -> Vec<u8> {
    let path = concat(&[env!("CARGO_MANIFEST_DIR"), "/tests/vectors/zapevent/", name]);
    std::fs::read(path).unwrap()
}

fn items(page: &super::wire::ListPage) -> Value {
    serde_json::from_str(&page.records.to_json()).unwrap()
}

fn event(records: Records) -> Value {
    assert_eq!(records.len(), 1);
    serde_json::from_str(&records.record_json(0).unwrap()).unwrap()
}

fn ok(body: Vec<u8>) -> Response {
    Response {
        status: 200,
        headers: vec![],
        body,
    }
}

fn api(generation: Generation) -> Api {
    Api::new("https://www.zapevent.com/api", generation, false).unwrap()
}

fn opts(pairs: &[(&str, ParamValue)]) -> Vec<(String, ParamValue)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn text(s: &str) -> ParamValue {
    ParamValue::Text(s.into())
}

#[test]
fn participant_requests_carry_every_documented_parameter() {
    let q = params::build(
        Method::Participants,
        Generation::OAuth1,
        &opts(&[
            ("eventId", ParamValue::Number(1001.0)),
            ("activityId", text("2001")),
            ("sort", text("last_name desc")),
            ("afterParticipantId", ParamValue::Number(90003.0)),
            ("searchFirstName", text("Zoë & co")),
        ]),
    )
    .unwrap();
    let page = crate::core::paging::PageRequest {
        page: 2,
        offset: 250,
        limit: 250,
        next: None,
    };
    let req = api(Generation::OAuth1)
        .request(Method::Participants, &q, Format::Csv, Some(&page))
        .unwrap();
    assert_eq!(
        req.url,
        "https://www.zapevent.com/api/event/getparticipants?format=csv&event_id=1001&activity_id=2001\
         &sort=last_name%20DESC&after_participant_id=90003&search_first_name=Zo%C3%AB%20%26%20co\
         &page=2&results_per_page=250"
    );
    let req2 = api(Generation::OAuth2)
        .request(Method::Participants, &q, Format::Json, None)
        .unwrap();
    assert!(req2
        .url
        .starts_with("https://www.zapevent.com/api/event/getnewparticipants?format=json&"));
}

#[test]
fn events_booleans_dates_and_enumerations() {
    let q = params::build(
        Method::Events,
        Generation::OAuth1,
        &opts(&[
            ("activities", ParamValue::Bool(false)),
            (
                "startDate",
                ParamValue::Date {
                    year: 2025,
                    month: 6,
                    day: 1,
                },
            ),
            ("endDate", text("2025-12-31T23:00:00Z")),
            ("createdSince", text("01-15-2025")),
            ("eventType", text("running/walking")),
            ("eventStatus", text("Public")),
        ]),
    )
    .unwrap();
    assert_eq!(
        q.params,
        vec![
            ("activities", "F".to_string()),
            ("start_date", "06-01-2025".into()),
            ("end_date", "12-31-2025".into()),
            ("created_since", "01-15-2025".into()),
            ("event_type", "Running/Walking".into()),
            ("event_status", "public".into()),
        ]
    );
    let cats = params::build(
        Method::Categories,
        Generation::OAuth2,
        &opts(&[("futureEventCategories", ParamValue::Bool(true))]),
    )
    .unwrap();
    assert_eq!(
        cats.params,
        vec![("future_event_categories", "true".to_string())]
    );
}

#[test]
fn validation_names_the_option() {
    type Case<'a> = (Method, Generation, &'a [(&'a str, ParamValue)], &'a str);
    #[rustfmt::skip]
    let cases: &[Case] = &[
        (Method::Participants, Generation::OAuth1, &[], "eventId"),
        (Method::Event, Generation::OAuth1, &[("eventId", ParamValue::Number(-1.0))], "eventId"),
        (Method::Event, Generation::OAuth1, &[("eventId", ParamValue::Number(1.5))], "eventId"),
        (Method::Questions, Generation::OAuth2, &[], "eventId"),
        (Method::Participants, Generation::OAuth1, &[("eventId", ParamValue::Number(1.0)), ("sort", text("email ASC"))], "sort"),
        (Method::Participants, Generation::OAuth1, &[("eventId", ParamValue::Number(1.0)), ("sort", text("age UP"))], "sort"),
        (Method::Events, Generation::OAuth1, &[("eventType", text("Chess"))], "eventType"),
        (Method::Events, Generation::OAuth1, &[("eventStatus", text("hidden"))], "eventStatus"),
        (Method::Events, Generation::OAuth2, &[("eventStatus", text("all"))], "eventStatus"),
        (Method::Events, Generation::OAuth1, &[("startDate", text("2025-02-30"))], "startDate"),
        (Method::Events, Generation::OAuth1, &[("startDate", text("tomorrow"))], "startDate"),
        (Method::Events, Generation::OAuth1, &[("activities", text("T"))], "activities"),
        (Method::Events, Generation::OAuth1, &[("nmae", text("x"))], "nmae"),
    ];
    for (method, generation, options, named) in cases {
        let e = params::build(*method, *generation, &opts(options)).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidArgument);
        assert_eq!(
            e.params.as_ref().unwrap().invalid,
            vec![named.to_string()],
            "{}",
            e.message
        );
        assert!(e.message.contains(named), "{}", e.message);
    }
    assert!(params::PAGE_SIZES.check(251.0).is_err());
    assert_eq!(params::PAGE_SIZES.check(250.0).unwrap(), 250);
}

/// The three participants of the vectors, as the document's datatypes say they read.
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

#[test]
fn three_formats_yield_the_same_records() {
    for (file, format) in [
        ("participants.xml", Format::Xml),
        ("participants.json", Format::Json),
        ("participants.csv", Format::Csv),
    ] {
        let page = parse_list(Method::Participants, format, &ok(vector(file))).unwrap();
        assert_eq!(items(&page), expected_participants(), "{file}");
        if format != Format::Csv {
            assert_eq!(
                (
                    page.meta.total,
                    page.meta.page,
                    page.meta.per_page,
                    page.meta.total_pages
                ),
                (Some(3), Some(1), Some(10), Some(1)),
                "{file}"
            );
        } else {
            assert_eq!(page.meta, crate::core::paging::PageMeta::default());
        }
    }
}

#[test]
fn page_metadata_as_elements_headers_or_nowhere() {
    let elements = parse_list(
        Method::Participants,
        Format::Xml,
        &ok(vector("participants-meta-elements.xml")),
    )
    .unwrap();
    assert_eq!(
        (
            elements.meta.total,
            elements.meta.page,
            elements.meta.total_pages
        ),
        (Some(25), Some(2), Some(3))
    );
    assert_eq!(items(&elements), json!([{"registration_id": 50011}]));
    let mut none = ok(vector("participants-no-meta.xml"));
    assert_eq!(
        parse_list(Method::Participants, Format::Xml, &none)
            .unwrap()
            .meta,
        Default::default()
    );
    none.headers = vec![
        ("X-Total-Count".into(), "523".into()),
        ("X-Page".into(), "4".into()),
    ];
    let headers = parse_list(Method::Participants, Format::Xml, &none)
        .unwrap()
        .meta;
    assert_eq!((headers.total, headers.page), (Some(523), Some(4)));
    let empty = parse_list(
        Method::Participants,
        Format::Xml,
        &ok(vector("participants-empty.xml")),
    )
    .unwrap();
    assert!(empty.records.is_empty());
    assert_eq!(empty.meta.total, Some(0));
    let json_meta = parse_list(
        Method::Participants,
        Format::Json,
        &ok(br#"{"meta":{"total_count":"7","page":"1"},"participants":[]}"#.to_vec()),
    )
    .unwrap();
    assert_eq!(json_meta.meta.total, Some(7));
    let bare = parse_list(
        Method::Categories,
        Format::Json,
        &ok(br#"[{"category_id":"301","category":"Golf"}]"#.to_vec()),
    )
    .unwrap();
    assert_eq!(
        items(&bare),
        json!([{"category_id": 301, "category": "Golf"}])
    );
}

#[test]
fn event_nests_single_activities_and_questions_as_arrays() {
    let expected = json!({
        "event_id": 1001, "name": "Lakeside 10K & 5K Run", "event_type": "Running/Walking",
        "event_status": "public", "start_date": "2025-06-14", "end_date": "2025-06-14",
        "created": "2025-01-10T09:30:00", "state": "MN", "country": "United States",
        "url": "https://www.zapevent.com/e/1001",
        "activities": [{"activity_id": 2001, "name": "10K", "start_date": "2025-06-14", "price": 45,
            "questions": [{"question_id": 7001, "question": "T-shirt size?", "question_type": "select",
                "required": true, "options": ["S", "M"]}]}]
    });
    assert_eq!(
        event(parse_event(Format::Xml, &ok(vector("event.xml"))).unwrap()),
        expected
    );
    assert_eq!(
        event(parse_event(Format::Json, &ok(vector("event.json"))).unwrap()),
        expected
    );
    let csv = b"event_id,name,start_date\r\n1001,Lakeside,06-14-2025\r\n".to_vec();
    assert_eq!(
        event(parse_event(Format::Csv, &ok(csv)).unwrap()),
        json!({"event_id": 1001, "name": "Lakeside", "start_date": "2025-06-14"})
    );
}

#[test]
fn the_documents_error_examples() {
    let e = parse_list(
        Method::Events,
        Format::Xml,
        &ok(vector("error-6-document.xml")),
    )
    .unwrap_err();
    assert_eq!(
        (
            e.code,
            e.provider_code.as_deref(),
            e.provider_description.as_deref()
        ),
        (
            ErrorCode::InvalidCredentials,
            Some("6"),
            Some("Key authentication failed")
        )
    );
    assert_eq!(e.provider.as_deref(), Some("zapevent"));
    let e = parse_list(
        Method::Events,
        Format::Xml,
        &Response {
            status: 400,
            headers: vec![],
            body: vector("error-3-document.xml"),
        },
    )
    .unwrap_err();
    assert_eq!((e.code, e.status), (ErrorCode::InvalidArgument, Some(400)));
    assert_eq!(
        e.params.clone().unwrap().missing,
        vec!["api_key".to_string(), "api_secret".into()]
    );
    let e = parse_list(
        Method::Participants,
        Format::Json,
        &ok(vector("error-3.json")),
    )
    .unwrap_err();
    let p = e.params.clone().unwrap();
    assert_eq!(
        (p.missing, p.invalid),
        (
            vec!["event_id".to_string()],
            vec!["results_per_page".to_string()]
        )
    );
    let e = parse_event(
        Format::Csv,
        &Response {
            status: 404,
            headers: vec![],
            body: vector("error-201.csv"),
        },
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.provider_code.as_deref()),
        (ErrorCode::NotFound, Some("201"))
    );
}

#[test]
fn every_documented_code_has_a_specific_error() {
    let expect = [
        ("3", ErrorCode::InvalidArgument),
        ("6", ErrorCode::InvalidCredentials),
        ("7", ErrorCode::PermissionDenied),
        ("10", ErrorCode::InvalidArgument),
        ("12", ErrorCode::ProviderError),
        ("101", ErrorCode::InvalidCredentials),
        ("102", ErrorCode::InvalidCredentials),
        ("201", ErrorCode::NotFound),
        ("301", ErrorCode::NotFound),
        ("999", ErrorCode::ProviderError),
    ];
    for (code, kind) in expect {
        let body = concat(&[
            "<error><error_code>",
            code,
            "</error_code><error_msg>m</error_msg></error>",
        ]);
        let e = parse_list(
            Method::Events,
            Format::Xml,
            &Response {
                status: 400,
                headers: vec![],
                body: body.into_bytes(),
            },
        )
        .unwrap_err();
        assert_eq!(e.code, kind, "{code}");
        assert!(e.message.contains(code) || code == "999", "{}", e.message);
    }
    let e = parse_list(
        Method::Events,
        Format::Json,
        &Response {
            status: 503,
            headers: vec![],
            body: b"Service Unavailable".to_vec(),
        },
    )
    .unwrap_err();
    assert_eq!((e.code, e.status), (ErrorCode::HttpStatus, Some(503)));
}

#[test]
fn login_responses_and_the_secret_stays_out_of_errors() {
    for (file, format) in [("login.xml", Format::Xml), ("login.json", Format::Json)] {
        let (key, secret) = parse_login(format, &ok(vector(file))).unwrap();
        assert_eq!(
            (key.expose(), secret.expose()),
            ("3f2a9c", "SECRET-SENTINEL-9F")
        );
    }
    let e = parse_login(
        Format::Xml,
        &ok(b"<login><tmp_key>k</tmp_key></login>".to_vec()),
    )
    .unwrap_err();
    assert!(e.message.contains("tmp_secret"));
    let request = api(Generation::OAuth1)
        .login_request("u@example.org", "p&ss word", Format::Xml)
        .unwrap();
    assert_eq!(
        request.url,
        "https://www.zapevent.com/api/rest/login?format=xml"
    );
    assert_eq!(
        request.body.as_deref(),
        Some(&b"username=u%40example.org&password=p%26ss+word"[..])
    );
    assert!(api(Generation::OAuth1)
        .login_request("u", "p", Format::Csv)
        .is_err());
}

#[test]
fn hostile_bodies_are_parse_errors_naming_provider_and_method() {
    let mut bodies = vec![
        vector("participants-truncated.xml"),
        vector("entity-bomb.xml"),
        vector("external-entity.xml"),
        b"\xff\xfe<participants/>".to_vec(),
        "<a>".repeat(100_000).into_bytes(),
        br#"{"participants":[{"age":"old"}]}"#.to_vec(),
        br#"{"participants":[{"registration_date":"13-45-2025"}]}"#.to_vec(),
        br#"{"participants":[{"checked_in":"maybe"}]}"#.to_vec(),
        br#"{"participants":[42]}"#.to_vec(),
        br#"{"participants":[{"age":"#.to_vec(),
    ];
    bodies.push(
        concat(&[
            "<participants><participant><notes>",
            &"x".repeat(10 << 20),
            "</notes><age>x</age></participant></participants>",
        ])
        .into_bytes(),
    );
    for body in bodies {
        let e = parse_list(Method::Participants, Format::Xml, &ok(body)).unwrap_err();
        assert_eq!(e.code, ErrorCode::Parse, "{}", e.message);
        assert!(
            e.message.starts_with("ZapEvent participants(): "),
            "{}",
            e.message
        );
        assert_eq!(e.provider.as_deref(), Some("zapevent"));
    }
    let e = parse_list(
        Method::Participants,
        Format::Json,
        &ok(br#"{"participants":[{"age":"old"}]}"#.to_vec()),
    )
    .unwrap_err();
    assert!(e.message.contains("'age'"), "{}", e.message);
}

#[test]
fn a_ten_megabyte_field_parses() {
    let body = concat(&[
        "<participants><participant><notes>",
        &"é".repeat(5 << 20),
        "</notes></participant></participants>",
    ]);
    let page = parse_list(Method::Participants, Format::Xml, &ok(body.into_bytes())).unwrap();
    assert_eq!(items(&page)[0]["notes"].as_str().unwrap().len(), 10 << 20);
}
