//! RFC 8288 `Link` headers (src/core/http/link.rs): `parse_link` on one value and `next_link`
//! over several headers. Every link's target is a piece of the input, relation types are
//! single lower-case words, and `next_link` agrees with `parse_link` (an empty target is no
//! next page).
//!
//! Input: the fields of up to three `Link` header values (the last one is the rest).
#![no_main]

use libfuzzer_sys::fuzz_target;
use oauth_edge::core::http::{next_link, parse_link};
use oauth_edge_fuzz::Input;

fuzz_target!(|data: &[u8]| {
    let ([], mut input) = Input::new::<0>(data);
    let first = input.field().into_owned();
    let second = input.field().into_owned();
    let third = String::from_utf8_lossy(input.body()).into_owned();

    let links = parse_link(&first);
    for link in &links {
        assert!(first.contains(&link.uri), "{:?} not in {first:?}", link.uri);
        assert!(!link.uri.starts_with([' ', '\t']) && !link.uri.ends_with([' ', '\t']));
        for rel in &link.rel {
            assert!(!rel.is_empty() && !rel.contains([' ', '\t']), "rel {rel:?}");
            assert_eq!(rel, &rel.to_ascii_lowercase());
        }
        for (name, _) in &link.params {
            assert_eq!(name, &name.to_ascii_lowercase());
        }
    }
    let headers = vec![
        ("Link".to_owned(), first.clone()),
        ("x-other".to_owned(), second.clone()),
        ("LINK".to_owned(), third.clone()),
    ];
    let expected = links
        .iter()
        .chain(parse_link(&third).iter())
        .find(|l| l.rel.iter().any(|r| r == "next"))
        .map(|l| l.uri.clone())
        .filter(|uri| !uri.is_empty()); // `<>` is the page itself: no next page
    assert_eq!(next_link(&headers), expected);
    let _ = parse_link(&second);
});
