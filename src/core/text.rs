//! Small text helpers that avoid `core::fmt`: nothing on a path reachable from JS formats with
//! `format!`/`to_string()`, so the formatting machinery stays out of the wasm (≈ 4 KB brotli).

/// The decimal digits of `n`.
pub fn decimal(mut n: u64) -> String {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits[i..].iter().map(|d| *d as char).collect()
}

/// Concatenates string slices.
pub fn concat(parts: &[&str]) -> String {
    parts.concat()
}

#[cfg(test)]
mod tests {
    #[test]
    fn decimal_matches_display() {
        for n in [0, 7, 10, 99, 137131202, u64::MAX] {
            assert_eq!(super::decimal(n), n.to_string());
        }
    }
}
