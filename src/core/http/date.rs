//! RFC 9110 §5.6.7 HTTP-date: IMF-fixdate and the obsolete RFC 850 and asctime forms, parsed
//! to ms since the epoch. Shared by `Retry-After` and any other date-valued header.
//!
//! Why our own parser and not the `httpdate` crate (issue 13, measured with `parse_http_date`
//! as `httpdate::parse_http_date` → ms): its behaviour is not ours, and it costs more than the
//! 1 KB allowed. It reads RFC 850's two-digit year on a fixed 1970–2069 window, where RFC 9110
//! §5.6.7 says a year more than 50 years ahead of now is the most recent past one (so `74` is
//! 2074 in 2025, not 1974); it rejects a leap second (`23:59:60`, which §5.6.7 allows), a day
//! name that does not match the date, and years before 1970 (ours: 0, so such a `Retry-After`
//! means "now" instead of being ignored). Brotli bundle sizes: full entry 178,277 → 179,594 B
//! (+1,317 B), oauth1 entry 42,409 → 42,480 B (+71 B). Signing speed: unchanged (not on that
//! path; A/B CPU-time ratios 0.98–1.02).

/// Parses an HTTP-date (RFC 9110 §5.6.7) into ms since the epoch: the preferred IMF-fixdate
/// (`Sun, 06 Nov 1994 08:49:37 GMT`) and, because recipients MUST accept them, the obsolete
/// RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`) forms.
/// `now_ms` resolves RFC 850's two-digit year. Dates before 1970 give 0.
pub fn parse_http_date(value: &str, now_ms: u64) -> Option<u64> {
    let value = value.trim();
    // text::find, not split_once(", "): a string pattern brings core's Two-Way searcher.
    let (day_name, rest, comma) = match crate::core::text::find(value, ", ") {
        Some(i) => (&value[..i], &value[i + 2..], true),
        None => {
            let (name, rest) = value.split_once(' ')?;
            (name, rest, false)
        }
    };
    let (year, month, day, time) = if comma && SHORT_DAYS.contains(&day_name) {
        // IMF-fixdate: day SP month SP year SP time-of-day SP GMT
        let parts: Vec<&str> = rest.split(' ').collect();
        match parts.as_slice() {
            [d, m, y, t, "GMT"] if d.len() == 2 && y.len() == 4 => {
                (number(y)?, month_number(m)?, number(d)?, *t)
            }
            _ => return None,
        }
    } else if comma && LONG_DAYS.contains(&day_name) {
        // rfc850-date: day "-" month "-" 2DIGIT SP time-of-day SP GMT
        let parts: Vec<&str> = rest.split(' ').collect();
        let [date, t, "GMT"] = parts.as_slice() else {
            return None;
        };
        let dm: Vec<&str> = date.split('-').collect();
        let [d, m, y] = dm.as_slice() else {
            return None;
        };
        if d.len() != 2 || y.len() != 2 {
            return None;
        }
        (
            rfc850_year(number(y)?, now_ms),
            month_number(m)?,
            number(d)?,
            *t,
        )
    } else if !comma && SHORT_DAYS.contains(&day_name) {
        // asctime-date: month SP ( 2DIGIT / ( SP DIGIT ) ) SP time-of-day SP year
        let (m, rest) = rest.split_once(' ')?;
        let rest = rest.strip_prefix(' ').unwrap_or(rest);
        let parts: Vec<&str> = rest.split(' ').collect();
        let [d, t, y] = parts.as_slice() else {
            return None;
        };
        if d.is_empty() || d.len() > 2 || y.len() != 4 {
            return None;
        }
        (number(y)?, month_number(m)?, number(d)?, *t)
    } else {
        return None;
    };
    let hms: Vec<&str> = time.split(':').collect();
    let [h, mi, s] = hms.as_slice() else {
        return None;
    };
    if [h, mi, s].iter().any(|p| p.len() != 2) {
        return None;
    }
    let (h, mi, s) = (number(h)?, number(mi)?, number(s)?);
    // §5.6.7 allows second 60 (leap second).
    if day == 0 || day > days_in_month(year, month) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let days = days_from_civil(year as i64, month, day);
    let seconds = days * 86_400 + (h * 3600 + mi * 60 + s) as i64;
    Some(u64::try_from(seconds).unwrap_or(0).saturating_mul(1000))
}

const SHORT_DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const LONG_DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn number(digits: &str) -> Option<u32> {
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn month_number(name: &str) -> Option<u32> {
    MONTHS.iter().position(|m| *m == name).map(|i| i as u32 + 1)
}

/// §5.6.7: a two-digit year that appears more than 50 years in the future is the most recent
/// past year with the same last two digits.
fn rfc850_year(yy: u32, now_ms: u64) -> u32 {
    let now_year = civil_year((now_ms / 86_400_000) as i64);
    let century = now_year - now_year % 100;
    let candidate = century + yy;
    if candidate > now_year + 50 {
        candidate - 100
    } else {
        candidate
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    crate::core::parse::date::days_in_month(year.min(i32::MAX as u32) as i32, month)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The year of a day count since 1970-01-01 (inverse of [`days_from_civil`], year only).
fn civil_year(days: i64) -> u32 {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let year = yoe + era * 400 + i64::from(mp >= 10);
    u32::try_from(year).unwrap_or(1970)
}

#[cfg(test)]
mod tests {
    use super::*;

    // 1994-11-06T08:49:37Z, the RFC 9110 §5.6.7 example, is 784111777 s after the epoch.
    const EXAMPLE_MS: u64 = 784_111_777_000;
    const NOW_2025: u64 = 1_735_689_600_000; // 2025-01-01T00:00:00Z

    #[test]
    fn three_date_formats_of_rfc9110() {
        for s in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(parse_http_date(s, NOW_2025), Some(EXAMPLE_MS), "{s}");
        }
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT", 0), Some(0));
        assert_eq!(
            parse_http_date("Wed, 01 Jan 2025 00:00:00 GMT", 0),
            Some(NOW_2025)
        );
        assert_eq!(
            parse_http_date("Thu, 29 Feb 2024 23:59:60 GMT", 0),
            Some(1_709_251_200_000)
        );
        assert_eq!(parse_http_date("Fri, 31 Dec 1965 00:00:00 GMT", 0), Some(0));
    }

    #[test]
    fn rfc850_two_digit_years() {
        // In 2025, "74" is 2074 (49 years ahead) and "76" is 1976 (2076 would be 51 ahead).
        let at = |s| parse_http_date(s, NOW_2025).map(|ms| civil_year((ms / 86_400_000) as i64));
        assert_eq!(at("Sunday, 01-Jan-74 00:00:00 GMT"), Some(2074));
        assert_eq!(at("Sunday, 01-Jan-76 00:00:00 GMT"), Some(1976));
    }

    #[test]
    fn malformed_dates() {
        for s in [
            "",
            "soon",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Nov 94 08:49:37 GMT",
            "Sun, 31 Nov 1994 08:49:37 GMT",
            "Sun, 29 Feb 2023 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 8:49:37 GMT",
            "Sun, 00 Nov 1994 08:49:37 GMT",
            "Xyz, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-1994 08:49:37 GMT",
            "Sunday 06-Nov-94 08:49:37 GMT",
            "Sun 06 Nov 1994 08:49:37 GMT",
            "Sun Nov 6 08:49:37",
            "Sun, 06 Nov 1994 08:49:37 GMT extra",
            "Sun, 06 Nov +994 08:49:37 GMT",
        ] {
            assert_eq!(parse_http_date(s, NOW_2025), None, "{s:?}");
        }
    }
}
