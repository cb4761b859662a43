//! ZapEvent response bodies (src/core/providers/zapevent/wire.rs and the parsers under
//! src/core/parse/): list pages, `event()`, `login()` and error bodies in XML, JSON and CSV,
//! whatever format was asked for, with paging metadata from the body and from headers, then
//! the pager on that metadata. Records handed to JS must be valid JSON.
//!
//! Input: 1 method byte, 1 format byte, 1 status byte, 1 paging byte, the fields
//! X-Total-Count, X-Page, cursor, then the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oauth_edge::core::paging::Scheme;
use oauth_edge::core::parse::{csv, json, xml};
use oauth_edge::core::providers::zapevent::{wire, Format, Method};
use oauth_edge_fuzz::{assert_records, response, run_pager, status, Input};

const METHODS: [Method; 6] = [
    Method::Participants,
    Method::Events,
    Method::Event,
    Method::Categories,
    Method::Questions,
    Method::Login,
];

fuzz_target!(|data: &[u8]| {
    let ([m, f, s, p], mut input) = Input::new::<4>(data);
    let total = input.field();
    let page = input.field();
    let cursor = input.field();
    let body = input.body();
    let method = METHODS[m as usize % METHODS.len()];
    let format = [Format::Xml, Format::Json, Format::Csv][f as usize % 3];
    // Mostly 200: the error statuses take the error-body paths, which are shorter.
    let status = if s < 128 { 200 } else { status(s) };
    let response = response(
        status,
        &[("X-Total-Count", &total), ("X-Page", &page)],
        body,
    );

    match wire::parse_list(method, format, &response) {
        Ok(list) => {
            assert!(response.is_success());
            assert_records(&list.records);
            run_pager(Scheme::PageNumber, p, &cursor, &list.meta, &list.records);
        }
        Err(e) => assert!(e.status.is_none_or(|s| s == status), "{e:?}"),
    }
    if let Ok(event) = wire::parse_event(format, &response) {
        let event = event.record_json(0).unwrap_or_default();
        serde_json::from_str::<serde_json::Value>(&event)
            .unwrap_or_else(|e| panic!("event() JSON is invalid ({e}): {event:?}"));
    }
    if let Ok((key, secret)) = wire::parse_login(format, &response) {
        assert!(!key.expose().is_empty() && !secret.expose().is_empty());
    }
    if let Some(e) = wire::error_body(&response) {
        assert!(!response.is_success());
        // Status 0 (a browser's opaque answer) is not put on errors.
        assert_eq!(e.status, Some(status).filter(|s| *s != 0));
    }
    let _ = xml::parse(body);
    let _ = json::parse(body);
    let _ = csv::parse(body);
});
