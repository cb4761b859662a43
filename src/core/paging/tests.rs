//! Paging runs against scripted servers: every way a run can end, max_items, resume, and the
//! repeated-page guard.

use super::*;

/// Drives a pager against `serve(request) -> (meta, items, fingerprint)` until it ends;
/// returns the pages requested and the items kept.
fn run(
    pager: &mut Pager,
    mut serve: impl FnMut(&PageRequest) -> (PageMeta, u64, u64),
) -> Result<(Vec<u64>, u64)> {
    let (mut pages, mut kept) = (Vec::new(), 0);
    while let Some(req) = pager.poll() {
        assert!(pages.len() < 1000, "the pager looped");
        pages.push(req.page);
        let (meta, items, fp) = serve(&req);
        kept += pager.handle_page(&meta, items, fp)?;
    }
    Ok((pages, kept))
}

/// A page-number server over `total` items that says nothing about paging.
fn silent(total: u64) -> impl FnMut(&PageRequest) -> (PageMeta, u64, u64) {
    move |r| {
        let start = (r.page - 1) * r.limit;
        let n = total.saturating_sub(start).min(r.limit);
        (PageMeta::default(), n, r.page)
    }
}

#[test]
fn short_page_ends_when_nothing_else_is_known() {
    let mut p = Pager::new(Scheme::PageNumber, 10, None, None);
    assert_eq!(run(&mut p, silent(25)).unwrap(), (vec![1, 2, 3], 25));
    assert!(p.cursor().is_none());
}

#[test]
fn exact_multiple_needs_one_empty_page_without_a_total() {
    let mut p = Pager::new(Scheme::PageNumber, 10, None, None);
    assert_eq!(run(&mut p, silent(20)).unwrap(), (vec![1, 2, 3], 20));
}

#[test]
fn known_total_saves_the_empty_page() {
    let mut p = Pager::new(Scheme::PageNumber, 10, None, None);
    let serve = |r: &PageRequest| {
        let meta = PageMeta {
            total: Some(20),
            page: Some(r.page),
            ..Default::default()
        };
        (meta, 10, r.page)
    };
    assert_eq!(run(&mut p, serve).unwrap(), (vec![1, 2], 20));
    assert_eq!(p.progress().total, Some(20));
}

#[test]
fn total_pages_ends_the_run() {
    let mut p = Pager::new(Scheme::PageNumber, 10, None, None);
    let serve = |r: &PageRequest| {
        let meta = PageMeta {
            total_pages: Some(2),
            ..Default::default()
        };
        (meta, 10, r.page)
    };
    assert_eq!(run(&mut p, serve).unwrap(), (vec![1, 2], 20));
}

#[test]
fn server_capped_page_size_is_not_a_short_page() {
    let mut p = Pager::new(Scheme::OffsetLimit, 250, None, None);
    let serve = |r: &PageRequest| {
        let n = 450u64.saturating_sub(r.offset).min(100);
        let meta = PageMeta {
            per_page: Some(100),
            ..Default::default()
        };
        (meta, n, r.offset)
    };
    assert_eq!(run(&mut p, serve).unwrap(), (vec![1, 2, 3, 4, 5], 450));
}

#[test]
fn offset_paging_survives_a_silent_page_size_cap() {
    // Asked 1000, the server sends 500 and says nothing about paging.
    let mut p = Pager::new(Scheme::OffsetLimit, 1000, None, None);
    let serve = |r: &PageRequest| {
        (
            PageMeta::default(),
            1250u64.saturating_sub(r.offset).min(500),
            r.offset,
        )
    };
    assert_eq!(run(&mut p, serve).unwrap(), (vec![1, 2, 3], 1250));
    // A collection smaller than one page: one more (empty) request confirms the end.
    let mut small = Pager::new(Scheme::OffsetLimit, 100, None, None);
    let serve = |r: &PageRequest| {
        (
            PageMeta::default(),
            20u64.saturating_sub(r.offset),
            r.offset,
        )
    };
    assert_eq!(run(&mut small, serve).unwrap(), (vec![1, 2], 20));
}

#[test]
fn links_are_followed_until_there_is_no_next() {
    let mut p = Pager::new(Scheme::OffsetLimit, 2, None, None);
    let serve = |r: &PageRequest| {
        let next =
            (r.page < 3).then(|| concat(&["https://x.example/p?offset=", &decimal(r.page * 2)]));
        assert_eq!(r.next.is_some(), r.page > 1);
        let meta = PageMeta {
            next,
            ..Default::default()
        };
        (meta, 2, r.page)
    };
    assert_eq!(run(&mut p, serve).unwrap(), (vec![1, 2, 3], 6));
}

#[test]
fn max_items_cuts_the_last_page_and_ends() {
    let mut p = Pager::new(Scheme::PageNumber, 10, Some(15), None);
    assert_eq!(run(&mut p, silent(100)).unwrap(), (vec![1, 2], 15));
    assert_eq!(p.progress().fetched, 15);
}

#[test]
fn repeated_content_is_an_error_not_a_loop() {
    let mut p = Pager::new(Scheme::PageNumber, 10, None, None);
    let err = run(&mut p, |_| (PageMeta::default(), 10, 42)).unwrap_err();
    assert_eq!(err.code, ErrorCode::PageRepeated);
    assert!(p.poll().is_none());
}

#[test]
fn echoing_an_earlier_page_number_is_an_error() {
    let mut p = Pager::new(Scheme::PageNumber, 10, None, None);
    let serve = |r: &PageRequest| {
        let meta = PageMeta {
            page: Some(1),
            ..Default::default()
        };
        (meta, 10, r.page)
    };
    assert_eq!(
        run(&mut p, serve).unwrap_err().code,
        ErrorCode::PageRepeated
    );
}

#[test]
fn resume_from_a_cursor_after_a_failure() {
    let mut p = Pager::new(Scheme::PageNumber, 10, None, None);
    let mut serve = silent(35);
    let first = p.poll().unwrap();
    let (m, n, f) = serve(&first);
    p.handle_page(&m, n, f).unwrap();
    // Page 2 fails in transport: the caller keeps the cursor and starts a new run from it.
    let text = p.cursor().unwrap().encode();
    assert_eq!(text, "pg1.2.10.10");
    let mut resumed = Pager::new(
        Scheme::PageNumber,
        10,
        None,
        Some(Cursor::decode(&text).unwrap()),
    );
    assert_eq!(run(&mut resumed, serve).unwrap(), (vec![2, 3, 4], 25));
    assert_eq!(resumed.progress().fetched, 35);
}

#[test]
fn cursor_text_round_trips_and_rejects_junk() {
    let c = Cursor {
        page: 3,
        offset: 40,
        fetched: 40,
        next: Some("https://x.example/a.b?c=d.e".into()),
    };
    assert_eq!(Cursor::decode(&c.encode()).unwrap(), c);
    for bad in [
        "",
        "pg1.",
        "pg1.0.0.0",
        "pg1.1.x.0",
        "pg2.1.0.0",
        "pg1.1.0.0.",
        "pg1.1.0",
    ] {
        assert!(Cursor::decode(bad).is_err(), "{bad}");
    }
}

#[test]
fn fingerprint_differs_for_different_pages() {
    assert_ne!(fingerprint(b"[1,2]"), fingerprint(b"[2,1]"));
    assert_eq!(fingerprint(b"abc"), fingerprint(b"abc"));
}

#[test]
fn page_sizes_and_numbers_are_checked() {
    // ZapEvent: "results_per_page … only contains integer value 0-250"; default 10.
    let zap = PageSizes {
        default: 10,
        min: 0,
        max: 250,
    };
    assert_eq!(
        (zap.check(0.0).unwrap(), zap.check(250.0).unwrap()),
        (0, 250)
    );
    for bad in [251.0, -1.0, 1.5, f64::NAN, f64::INFINITY] {
        let e = zap.check(bad).unwrap_err();
        assert_eq!(
            e.params.clone().unwrap().invalid,
            vec!["resultsPerPage".to_string()]
        );
    }
    assert_eq!(page_number(3.0).unwrap(), 3);
    for bad in [0.0, -2.0, 2.5, 1e300] {
        assert!(page_number(bad).is_err());
    }
}
