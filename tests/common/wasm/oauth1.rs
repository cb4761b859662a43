//! The OAuth 1.0a vectors (tests/vectors/*.json, harness in tests/common/vectors.rs).

use super::super::vectors::{run_file, GENERATED, RFC5849, ZAPEVENT};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn rfc5849_examples() {
    assert!(run_file(RFC5849) >= 4);
}

#[wasm_bindgen_test]
fn zapevent_and_oneroster_seed_shapes() {
    assert!(run_file(ZAPEVENT) >= 6);
}

#[wasm_bindgen_test]
fn generated_edge_cases_match_oauthlib() {
    assert!(run_file(GENERATED) >= 200);
}
