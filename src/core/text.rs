//! Small text helpers that avoid `core::fmt`: nothing on a path reachable from JS formats with
//! `format!`/`to_string()`, so the formatting machinery stays out of the wasm (≈ 4 KB brotli).

/// The decimal digits of `n`.
pub fn decimal(n: u64) -> String {
    String::from_utf8(decimal_digits(n, &mut [0; 20]).to_vec()).unwrap_or_default()
}

/// The decimal digits of `n` as ASCII, written at the end of `buf` (no allocation: the record
/// writer calls this for every integer field).
pub fn decimal_digits(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[i..]
}

/// Concatenates string slices.
pub fn concat(parts: &[&str]) -> String {
    parts.concat()
}

/// A decimal number as `str::parse::<f64>` reads it, for the texts this crate reads as numbers:
/// digits, at most one `.`, an optional leading `-` (no `+`, exponent, `inf` or `NaN`: callers
/// check for other characters first). `None` where `parse` fails (`""`, `"."`, `"-"`, `"1.2.3"`,
/// `"1-2"`); `"5."`, `".5"`, `"007"` and `"-0"` (−0.0) read as `parse` reads them.
///
/// Written out because core's float parser costs ~13 KB brotli in the module (Eisel-Lemire's
/// table of powers of five). The value is `parse`'s, bit for bit, whenever the significant digits
/// make an integer up to 2^53 (every number of up to 15 significant digits): that integer and a
/// power of ten up to 10^22 are exact doubles, and one multiplication or division rounds once,
/// correctly — for numbers under 10^22 whose last significant digit is at most 22 places after
/// the point. Beyond that (16 or more significant digits; a number under 10^-22 or over 10^22),
/// the first 19 digits are kept and the result may be a few units in the last place off
/// `parse`'s.
pub fn decimal_number(text: &str) -> Option<f64> {
    scaled_decimal(text, 0)
}

/// A JSON number's text (RFC 8259 §6, checked by its reader) as a double: [`decimal_number`]
/// with an exponent (`1.5e3`, `2E-7`), with the same rounding. An exponent beyond any double
/// gives `inf` or `0`.
pub fn scientific_number(text: &str) -> Option<f64> {
    let Some(e) = text.bytes().position(|b| b == b'e' || b == b'E') else {
        return decimal_number(text);
    };
    let exponent = &text[e + 1..];
    let (negative, digits) = match exponent.as_bytes().first() {
        Some(b'-') => (true, &exponent[1..]),
        Some(b'+') => (false, &exponent[1..]),
        _ => (false, exponent),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Saturated well past any double's range (10^±400 with up to 19 digits is 0 or inf).
    let magnitude = digits
        .bytes()
        .fold(0i32, |n, d| (n * 10 + i32::from(d - b'0')).min(10_000));
    scaled_decimal(&text[..e], if negative { -magnitude } else { magnitude })
}

/// `text` (digits, at most one `.`, an optional leading `-`) × 10^`scale`.
fn scaled_decimal(text: &str, scale: i32) -> Option<f64> {
    const EXACT: u64 = 1 << 53;
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.len() + frac.len() == 0 || !all_digits(int) || !all_digits(frac) {
        return None;
    }
    // The value is `m` × 10^`exp`, `m` the significant digits (their first 19).
    let significant = |b: &u8| *b != b'0';
    let all: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
    let first = all.iter().position(significant).unwrap_or(all.len());
    let end = all.iter().rposition(significant).map_or(first, |i| i + 1);
    let kept = (end - first).min(19);
    let mut m = all[first..first + kept]
        .iter()
        .fold(0u64, |m, b| m * 10 + u64::from(b - b'0'));
    let mut exp = (all.len() - (first + kept)) as i32 - frac.len() as i32 + scale;
    // Trailing zeros of the integer part move into `m` while it stays exact.
    while exp > 22 && m <= EXACT / 10 {
        m *= 10;
        exp -= 1;
    }
    let pow10 = |e: i32| (0..e.min(330)).fold(1.0f64, |p, _| p * 10.0);
    let magnitude = if m == 0 {
        0.0
    } else if exp >= 0 {
        m as f64 * pow10(exp)
    } else if exp >= -22 {
        m as f64 / pow10(-exp)
    } else {
        m as f64 / pow10(22) / pow10(-exp - 22)
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// The byte offset of the first `needle` in `haystack`: `str::find` with a string pattern
/// brings core's Two-Way searcher (≈ 2 KB of wasm), more than the short headers, error bodies
/// and URLs searched here need.
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return Some(0);
    }
    h.windows(n.len()).position(|w| w == n)
}

#[cfg(test)]
mod tests {
    use super::{decimal_number, find};

    /// The same offsets as std's `str::find`, overlapping and non-ASCII text included.
    #[test]
    fn find_agrees_with_str_find() {
        let haystacks = ["", "a", "aaab", "abcabcabd", "x://y", "é=\"ü\"", "</a></a>"];
        let needles = [
            "", "a", "ab", "abd", "://", "=\"", "ü", "</a>", "zz", "aaab+",
        ];
        for h in haystacks {
            for n in needles {
                assert_eq!(find(h, n), h.find(n), "{h:?} {n:?}");
            }
        }
    }

    /// Every text of up to 6 characters over `0`, `1`, `9`, `.`, `-`: the same as `parse`.
    #[test]
    fn decimal_number_reads_what_parse_reads() {
        let alphabet = [b'0', b'1', b'9', b'.', b'-'];
        let mut texts = vec![String::new()];
        let mut layer = vec![String::new()];
        for _ in 0..6 {
            layer = layer
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{}", *c as char)))
                .collect();
            texts.extend(layer.iter().cloned());
        }
        for t in &texts {
            let want = t.parse::<f64>().ok().map(f64::to_bits);
            assert_eq!(decimal_number(t).map(f64::to_bits), want, "{t:?}");
        }
    }

    /// Up to 15 significant digits, the last at most 22 places after the point, under 10^22: bit
    /// for bit `parse`'s value; otherwise within a few units in the last place.
    #[test]
    fn decimal_number_is_exact_up_to_15_significant_digits() {
        let mut next = crate::core::test_inputs::xorshift(0x9E37_79B9_7F4A_7C15u64);
        for _ in 0..200_000 {
            let sig = 1 + next() % 22;
            let digits: String = (0..sig)
                .map(|_| char::from(b'0' + (next() % 10) as u8))
                .collect();
            let zeros = "0".repeat((next() % 12) as usize);
            let point = (next() % (sig + 1)) as usize;
            let text = match next() % 3 {
                0 => format!("{}.{}{zeros}", &digits[..point], &digits[point..]),
                1 => format!("0.{zeros}{digits}"),
                _ => format!("{digits}{zeros}"),
            };
            let want = text.parse::<f64>().unwrap();
            let got = decimal_number(&text).unwrap();
            let significant = text
                .trim_matches(|c| c == '0' || c == '.')
                .replace('.', "")
                .len();
            let places = text
                .split_once('.')
                .map_or(0, |(_, f)| f.trim_end_matches('0').len());
            if significant <= 15 && places <= 22 && want < 1e22 {
                assert_eq!(got.to_bits(), want.to_bits(), "{text}");
            } else {
                assert!(
                    got.to_bits().abs_diff(want.to_bits()) <= 4,
                    "{text}: {got} vs {want}"
                );
            }
        }
    }

    /// JSON's exponent forms against `parse`: bit for bit where the value is an integer of up to
    /// 15 digits scaled by 10^-22..10^22, within a few units in the last place elsewhere, `inf`
    /// and 0 past a double's range.
    #[test]
    fn scientific_number_reads_what_parse_reads() {
        let mut next = crate::core::test_inputs::xorshift(0x2545_F491_4F6C_DD1Du64);
        for _ in 0..200_000 {
            let digits: String = (0..1 + next() % 15)
                .map(|_| char::from(b'0' + (next() % 10) as u8))
                .collect();
            let exponent = (next() % 61) as i32 - 30;
            let e = ["e", "E"][(next() % 2) as usize];
            let sign = if exponent >= 0 && next() % 2 == 0 {
                "+"
            } else {
                ""
            };
            let text = format!("{digits}{e}{sign}{exponent}");
            let want = text.parse::<f64>().unwrap();
            let got = super::scientific_number(&text).unwrap();
            if (-22..=22).contains(&exponent) {
                assert_eq!(got.to_bits(), want.to_bits(), "{text}");
            } else {
                assert!(
                    got.to_bits().abs_diff(want.to_bits()) <= 4,
                    "{text}: {got} vs {want}"
                );
            }
        }
        assert_eq!(super::scientific_number("-1.5e2"), Some(-150.0));
        assert_eq!(super::scientific_number("1e400"), Some(f64::INFINITY));
        assert_eq!(super::scientific_number("1e-400"), Some(0.0));
        assert_eq!(
            super::scientific_number("1e99999999999"),
            Some(f64::INFINITY)
        );
        for bad in ["1e", "1e+", "e5", "1e5.0", "1ee5"] {
            assert_eq!(super::scientific_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn decimal_matches_display() {
        for n in [0, 7, 10, 99, 137131202, u64::MAX] {
            assert_eq!(super::decimal(n), n.to_string());
        }
    }
}
