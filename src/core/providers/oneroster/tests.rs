//! OneRoster requests, bodies and errors. Expected values are written from the OneRoster 1.1
//! REST binding (collection keys, imsx payload) and RFC 3986, not from our output.

use super::filter::{Filter, Op};
use super::wire::{parse_list, parse_record};
use super::*;
use crate::core::error::ErrorCode;
use crate::core::http::Response;
use serde_json::json;

fn api() -> Api {
    Api::new("https://district.example/ims/oneroster/v1p1/", false).unwrap()
}

fn ok(body: &str, headers: &[(&str, &str)]) -> Response {
    Response {
        status: 200,
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: body.as_bytes().to_vec(),
    }
}

#[test]
fn list_requests_encode_filters_as_rfc3986() {
    let filter = Filter::predicate("familyName", Op::Contains, "O'Brien (Jr.) = *!é").unwrap();
    let query = ListQuery {
        filter: Some(filter.as_str().to_owned()),
        sort: Some("familyName".into()),
        order_by: Some(Order::Desc),
        fields: vec!["sourcedId".into(), "familyName".into()],
    };
    let page = PageRequest {
        page: 1,
        offset: 200,
        limit: 100,
        next: None,
    };
    let req = api()
        .request(
            &Target::Collection(Collection::Students),
            &query,
            Some(&page),
        )
        .unwrap();
    assert_eq!(
        req.url,
        "https://district.example/ims/oneroster/v1p1/students?limit=100&offset=200\
         &filter=familyName~%27O%27%27Brien%20%28Jr.%29%20%3D%20%2A%21%C3%A9%27\
         &sort=familyName&orderBy=desc&fields=sourcedId%2CfamilyName"
    );
}

#[test]
fn targets_and_nested_endpoints() {
    let t = Target::nested(Collection::Schools, "s 1/2", Collection::Classes).unwrap();
    let req = api().request(&t, &ListQuery::default(), None).unwrap();
    assert_eq!(
        req.url,
        "https://district.example/ims/oneroster/v1p1/schools/s%201%2F2/classes"
    );
    assert!(Target::nested(Collection::Users, "u", Collection::Schools).is_err());
    assert!(Target::nested(Collection::Classes, "", Collection::Students).is_err());
    assert_eq!(
        Collection::parse("academicSessions").unwrap().keys(),
        ("academicSessions", "academicSession")
    );
    assert_eq!(Collection::Schools.keys(), ("orgs", "org"));
    assert!(Collection::parse("Users").is_err());
}

#[test]
fn next_links_only_on_the_same_origin() {
    let next = PageRequest {
        page: 2,
        offset: 100,
        limit: 100,
        next: Some("https://district.example/ims/oneroster/v1p1/users?limit=100&offset=100".into()),
    };
    let req = api()
        .request(
            &Target::Collection(Collection::Users),
            &ListQuery::default(),
            Some(&next),
        )
        .unwrap();
    assert_eq!(req.url, next.next.clone().unwrap());
    let evil = PageRequest {
        next: Some("https://evil.example/users?offset=100".into()),
        ..next
    };
    assert!(api()
        .request(
            &Target::Collection(Collection::Users),
            &ListQuery::default(),
            Some(&evil)
        )
        .is_err());
}

#[test]
fn lists_records_and_metadata() {
    let body = r#"{"users":[{"sourcedId":"u1","status":"active","dateLastModified":"2025-01-15T12:00:00.000Z","enabledUser":"true","givenName":"Zoë","orgs":[{"href":"orgs/s1","sourcedId":"s1","type":"org"}],"metadata":{"classlink.grade":"07"},"x_extra":1}]}"#;
    let page = parse_list(Collection::Students, &ok(body, &[("X-Total-Count", "10000"), ("Link", "<https://district.example/ims/oneroster/v1p1/students?limit=1&offset=1>; rel=\"next\"")]), PROVIDER).unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&page.records.to_json()).unwrap(),
        json!([{"sourcedId":"u1","status":"active","dateLastModified":"2025-01-15T12:00:00.000Z","enabledUser":true,"givenName":"Zoë","orgs":[{"href":"orgs/s1","sourcedId":"s1","type":"org"}],"metadata":{"classlink.grade":"07"},"x_extra":1}])
    );
    assert_eq!(page.meta.total, Some(10000));
    assert!(page.meta.next.unwrap().ends_with("offset=1"));
    let schools = parse_list(Collection::Schools, &ok(r#"{"orgs":[]}"#, &[]), PROVIDER).unwrap();
    assert!(schools.records.is_empty() && schools.meta.total.is_none());
    let one = parse_record(
        Collection::Classes,
        &ok(r#"{"class":{"sourcedId":"c1","title":"Français"}}"#, &[]),
        PROVIDER,
    )
    .unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&one.record_json(0).unwrap()).unwrap()["title"],
        "Français"
    );
    assert!(parse_list(
        Collection::Users,
        &ok(r#"{"users":[{"enabledUser":"maybe"}]}"#, &[]),
        PROVIDER
    )
    .is_err());
    assert!(parse_list(Collection::Users, &ok("{\"users\":[", &[]), PROVIDER).is_err());
}

#[test]
fn imsx_status_payloads_become_typed_errors() {
    let payload = |minor: &str| {
        json!({"imsx_codeMajor":"failure","imsx_severity":"error","imsx_description":"unknown filter field foo",
               "imsx_CodeMinor":{"imsx_codeMinorField":[{"imsx_codeMinorFieldName":"TargetEndSystem","imsx_codeMinorFieldValue":minor}]}})
        .to_string()
    };
    let cases = [
        (400, "invalid_filter_field", ErrorCode::InvalidArgument),
        (401, "unauthorisedrequest", ErrorCode::InvalidCredentials),
        (403, "forbidden", ErrorCode::PermissionDenied),
        (404, "unknownobject", ErrorCode::NotFound),
        (500, "internal_server_error", ErrorCode::HttpStatus),
    ];
    for (status, minor, code) in cases {
        let r = Response {
            status,
            headers: vec![],
            body: payload(minor).into_bytes(),
        };
        let e = parse_list(Collection::Users, &r, PROVIDER).unwrap_err();
        assert_eq!(
            (e.code, e.status, e.provider_code.as_deref()),
            (code, Some(status), Some(minor))
        );
        assert_eq!(
            e.provider_description.as_deref(),
            Some("unknown filter field foo")
        );
    }
    let proxy = Response {
        status: 401,
        headers: vec![],
        body: b"{}".to_vec(),
    };
    let e = parse_list(
        Collection::Users,
        &proxy,
        crate::core::providers::classlink::PROVIDER,
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidCredentials);
    assert!(
        e.message.contains("ClassLink developer console"),
        "{}",
        e.message
    );
    let set = json!({"statusInfoSet":[{"imsx_codeMajor":"failure","imsx_description":"x","imsx_codeMinor":{"imsx_codeMinorField":[{"imsx_codeMinorFieldValue":"unknownobject"}]}}]});
    let r = Response {
        status: 404,
        headers: vec![],
        body: set.to_string().into_bytes(),
    };
    assert_eq!(
        parse_record(Collection::Users, &r, PROVIDER)
            .unwrap_err()
            .provider_code
            .as_deref(),
        Some("unknownobject")
    );
}
