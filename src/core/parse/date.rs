//! Calendar dates as providers write them (ZapEvent's `MM-DD-YYYY`, the Online Registration
//! Center's unspecified "date" and "date/time") → ISO 8601, checked against the calendar.

/// `MM-DD-YYYY` (or `MM/DD/YYYY`), optionally followed by ` HH:MM[:SS]`, → ISO 8601; an ISO
/// `YYYY-MM-DD[THH:MM:SS…]` passes through once checked (`YYYY/MM/DD` gets its dashes).
pub fn iso_date(text: &str) -> Option<String> {
    let mut out = String::new();
    write_iso_date(text, &mut out).then_some(out)
}

/// [`iso_date`], appended to `out`: false (and `out` as it was, or longer: the caller drops
/// what follows its start) when `text` is no such date. The record writer writes into the
/// tape's text this way: a `String` per date was a tenth of a CSV page's typing.
pub fn write_iso_date(text: &str, out: &mut String) -> bool {
    iso_date_parts(text, out).is_some()
}

fn iso_date_parts(text: &str, out: &mut String) -> Option<()> {
    let b = text.as_bytes();
    if b.len() < 10 || !text.is_char_boundary(10) {
        return None;
    }
    let (date, rest) = text.split_at(10);
    let d = date.as_bytes();
    // At most four digits, read in place (`str::parse` checks again what is checked here).
    let num = |s: &str| -> Option<u32> {
        s.bytes()
            .try_fold(0, |n, c| {
                c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
            })
            .filter(|_| !s.is_empty())
    };
    // `-` or `/` between the parts, in either order of the parts (as written, or all `-`).
    let sep = |i: usize| d[i] == b'-' || d[i] == b'/';
    let (year, month, day, iso) = if sep(4) && sep(7) {
        (num(&date[..4])?, num(&date[5..7])?, num(&date[8..])?, true)
    } else if sep(2) && sep(5) {
        (num(&date[6..])?, num(&date[..2])?, num(&date[3..5])?, false)
    } else {
        return None;
    };
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year as i32, month) {
        return None;
    }
    let (y, m, d) = match iso {
        true => (&date[..4], &date[5..7], &date[8..]),
        false => (&date[6..], &date[..2], &date[3..5]),
    };
    for part in [y, "-", m, "-", d] {
        out.push_str(part);
    }
    let rest = rest.trim_end();
    if rest.is_empty() {
        return Some(());
    }
    // A time part: ISO's `T…` is kept; the US form's ` HH:MM[:SS]` becomes `THH:MM:SS`.
    let time = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' '))?;
    let t = time.as_bytes();
    let hm_ok = t.len() >= 5
        && t[2] == b':'
        && time.is_char_boundary(5)
        && num(&time[..2]).is_some_and(|h| h < 24)
        && num(&time[3..5]).is_some_and(|m| m < 60);
    if !hm_ok {
        return None;
    }
    out.push('T');
    if iso {
        out.push_str(time);
    } else {
        out.push_str(&time[..5]);
        let secs = time
            .get(5..8)
            .filter(|s| s.starts_with(':') && num(&s[1..]).is_some_and(|x| x < 60))
            .unwrap_or(":00");
        out.push_str(secs);
    }
    Some(())
}

/// Days in a month of the proleptic Gregorian calendar.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::{iso_date, write_iso_date};

    #[test]
    fn provider_forms_to_iso_8601() {
        let cases = [
            ("05-06-2025", Some("2025-05-06")),
            ("05/06/2025", Some("2025-05-06")),
            ("05-06/2025", Some("2025-05-06")),
            ("2025/05/06", Some("2025-05-06")),
            ("2025-05-06", Some("2025-05-06")),
            ("2025/05/06 09:30", Some("2025-05-06T09:30")),
            ("05-06-2025 09:30", Some("2025-05-06T09:30:00")),
            ("2024-02-29T23:59:59Z", Some("2024-02-29T23:59:59Z")),
            ("02-29-2023", None),
            ("2025.05.06", None),
            ("13-01-2020", None),
            ("2025-05-06 24:00", None),
        ];
        for (text, want) in cases {
            assert_eq!(iso_date(text).as_deref(), want, "{text}");
            let mut out = String::from("before ");
            let appended = write_iso_date(text, &mut out).then(|| &out["before ".len()..]);
            assert_eq!(appended, want, "{text}");
        }
    }
}
