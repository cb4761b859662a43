//! One sort for the core: heapsort, O(n log n) in the worst case like `sort_unstable_by`, in a
//! few hundred bytes of wasm instead of two kilobytes of pattern-defeating quicksort. Used for
//! OAuth 1.0a's parameter order (RFC 5849 §3.4.1.3.2) and for the members of JSON and XML
//! objects (`parse::value::Map`), where the bound matters against a hostile body.

/// Sorts `items` by `less` (not stable).
pub fn heap_sort<T>(items: &mut [T], less: impl Fn(&T, &T) -> bool) {
    let sift_down = |items: &mut [T], mut root: usize, end: usize| loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && less(&items[child], &items[child + 1]) {
            child += 1;
        }
        if !less(&items[root], &items[child]) {
            return;
        }
        items.swap(root, child);
        root = child;
    };
    let len = items.len();
    for start in (0..len / 2).rev() {
        sift_down(items, start, len);
    }
    for end in (1..len).rev() {
        items.swap(0, end);
        sift_down(items, 0, end);
    }
}

#[cfg(test)]
mod tests {
    use super::heap_sort;

    #[test]
    fn heap_sort_sorts_with_duplicates() {
        let mut seed = 7u32;
        for len in [0usize, 1, 2, 3, 7, 16, 100, 1000] {
            let mut v: Vec<u32> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(1103515245).wrapping_add(12345);
                    (seed >> 16) % 50
                })
                .collect();
            let mut expected = v.clone();
            expected.sort();
            heap_sort(&mut v, |a, b| a < b);
            assert_eq!(v, expected, "len {len}");
        }
    }
}
