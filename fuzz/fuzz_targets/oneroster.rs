//! OneRoster responses (src/core/providers/oneroster/wire.rs): list pages and single records
//! of every collection (wrapped, bare, 1.1 string booleans), `X-Total-Count` and `Link`
//! headers, the imsx status payloads of error responses (also inside `statusInfoSet`), then the
//! pager on the page's metadata. Records handed to JS must be valid JSON.
//!
//! Input: 1 collection byte, 1 status byte, 1 option byte, the fields X-Total-Count, Link,
//! cursor, then the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oauth_edge::core::paging::Scheme;
use oauth_edge::core::providers::oneroster::{wire, Collection};
use oauth_edge::core::providers::{classlink, oneroster};
use oauth_edge_fuzz::{assert_records, response, run_pager, status, Input};

const COLLECTIONS: [&str; 12] = [
    "orgs",
    "schools",
    "academicSessions",
    "terms",
    "gradingPeriods",
    "courses",
    "classes",
    "users",
    "students",
    "teachers",
    "enrollments",
    "demographics",
];

fuzz_target!(|data: &[u8]| {
    let ([c, s, o], mut input) = Input::new::<3>(data);
    let total = input.field();
    let link = input.field();
    let cursor = input.field();
    let body = input.body();
    let collection = Collection::parse(COLLECTIONS[c as usize % COLLECTIONS.len()]).unwrap();
    let status = if s < 128 { 200 } else { status(s) };
    let provider = if o & 1 == 0 {
        oneroster::PROVIDER
    } else {
        classlink::PROVIDER
    };
    let response = response(status, &[("X-Total-Count", &total), ("Link", &link)], body);

    match wire::parse_list(collection, &response, provider) {
        Ok(page) => {
            assert!(response.is_success());
            assert_records(&page.records);
            run_pager(
                Scheme::OffsetLimit,
                o >> 1,
                &cursor,
                &page.meta,
                &page.records,
            );
        }
        Err(e) => {
            assert_eq!(e.provider.as_deref(), Some(provider), "{e:?}");
            if !response.is_success() {
                assert_eq!(e.status, Some(status), "{e:?}");
            }
        }
    }
    if let Ok(record) = wire::parse_record(collection, &response, provider) {
        let record = record.record_json(0).unwrap_or_default();
        let value: serde_json::Value = serde_json::from_str(&record)
            .unwrap_or_else(|e| panic!("the record is not valid JSON ({e}): {record:?}"));
        assert!(value.is_object(), "{record:?}");
    }
});
