//! Native run of the OAuth 1.0a vectors (tests/vectors/, see tests/common/vectors.rs).
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::vectors::{run_file, GENERATED, RFC5849, ZAPEVENT};

#[test]
fn rfc5849_examples() {
    assert!(run_file(RFC5849) >= 4);
}

#[test]
fn zapevent_and_oneroster_seed_shapes() {
    assert!(run_file(ZAPEVENT) >= 6);
}

#[test]
fn generated_edge_cases_match_oauthlib() {
    assert!(run_file(GENERATED) >= 200);
}
