//! Reading one cell: numbers, dates and periods in the forms of DOMAIN.md §9.

use std::borrow::Cow;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::core::date::Date;
use crate::core::model::{NumberLocale, Period, PeriodKind};

/// Reads a number written as `1234.56`, `1,234.56`, `1.234,56` or `1 234,56` (also with
/// non-breaking or thin spaces), with an optional sign.
///
/// A lone separator followed by exactly three digits (`1.234`, `1,234`) could be either a
/// thousands or a decimal separator; there the portfolio's number locale decides. Any other
/// form is read the only way it can be.
pub fn number(text: &str, locale: NumberLocale) -> Option<Decimal> {
    read_number(text, locale, true)
}

/// [`number`]; `in_place`: a plain cell (most hold nothing to take out) is read where it is, not
/// copied, and digits with a point are read as they are written. The same reading either way
/// (a test reads generated cells both ways).
fn read_number(text: &str, locale: NumberLocale, in_place: bool) -> Option<Decimal> {
    let compact: Cow<str> = if in_place && plain(text) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.trim().chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'')).collect())
    };
    let (negative, body) = match compact.as_bytes().first()? {
        b'-' => (true, &compact[1..]),
        b'+' => (false, &compact[1..]),
        _ => (false, &compact[..]),
    };
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',') {
        return None;
    }
    // The body is ASCII from here on: separators are counted and found as bytes (a `char`
    // pattern sets up a searcher on every call, a tenth of reading a stored portfolio).
    let count = |sep: u8| body.bytes().filter(|&b| b == sep).count();
    let split = |sep: char| body.as_bytes().iter().position(|&b| b == sep as u8).map(|at| (&body[..at], &body[at + 1..]));
    let (dots, commas) = (count(b'.'), count(b','));
    let (thousands, decimal) = match (dots, commas) {
        (0, 0) => (None, None),
        (_, 0) if dots > 1 => (Some('.'), None),
        (0, _) if commas > 1 => (Some(','), None),
        (1, 0) | (0, 1) => {
            let sep = if dots == 1 { '.' } else { ',' };
            let (int, frac) = split(sep)?;
            let could_be_thousands = frac.len() == 3 && !int.is_empty() && int.len() <= 3 && !int.starts_with('0');
            let locale_thousands = match locale {
                NumberLocale::Dot => ',',
                NumberLocale::Comma => '.',
            };
            if could_be_thousands && sep == locale_thousands {
                (Some(sep), None)
            } else {
                (None, Some(sep))
            }
        }
        _ => {
            // Both kinds: the last one is the decimal separator, the other groups thousands.
            let last_dot = body.rfind('.')?;
            let last_comma = body.rfind(',')?;
            if last_dot > last_comma {
                if dots != 1 {
                    return None;
                }
                (Some(','), Some('.'))
            } else {
                if commas != 1 {
                    return None;
                }
                (Some('.'), Some(','))
            }
        }
    };
    let (int_part, frac_part) = match decimal {
        Some(d) => split(d)?,
        None => (body, ""),
    };
    // Digits, with a decimal point if any: the body is already the canonical form.
    if in_place && thousands.is_none() && decimal != Some(',') && !int_part.is_empty() && (decimal.is_none() || !frac_part.is_empty()) {
        if !int_part.bytes().chain(frac_part.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let value = Decimal::from_str(body).ok()?;
        return Some(if negative { -value } else { value });
    }
    let int_digits: String = match thousands {
        Some(t) => {
            let groups: Vec<&str> = int_part.split(t).collect();
            let first_ok = !groups[0].is_empty() && groups[0].len() <= 3;
            if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
                return None;
            }
            groups.concat()
        }
        None => int_part.to_string(),
    };
    if int_digits.is_empty() && frac_part.is_empty() {
        return None;
    }
    if !int_digits.bytes().all(|b| b.is_ascii_digit()) || !frac_part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let canonical = if frac_part.is_empty() {
        if int_digits.is_empty() { "0".to_string() } else { int_digits }
    } else {
        format!("{}.{}", if int_digits.is_empty() { "0" } else { &int_digits }, frac_part)
    };
    let value = Decimal::from_str(&canonical).ok()?;
    Some(if negative { -value } else { value })
}

/// Whether a number could be read two ways: one `.` or `,` followed by exactly three digits
/// after one to three leading digits (`1.234`, `12,500`), which the number locale decides.
pub fn ambiguous(text: &str) -> bool {
    let compact: Cow<str> = if plain(text) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.trim().chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')).collect())
    };
    // Separators are ASCII: the body is read byte by byte.
    let body = compact.trim_start_matches(['-', '+']).as_bytes();
    let mut seps = body.iter().enumerate().filter(|(_, b)| matches!(b, b'.' | b','));
    let (Some((at, _)), None) = (seps.next(), seps.next()) else { return false };
    let (int, frac) = (&body[..at], &body[at + 1..]);
    frac.len() == 3 && (1..=3).contains(&int.len()) && int[0] != b'0' && int.iter().chain(frac).all(u8::is_ascii_digit)
}

/// Only digits, signs and separators: nothing a number's reading would trim or take out.
fn plain(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b',' | b'-' | b'+'))
}

fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
}

fn checked(year: u32, month: u32, day: u32) -> Option<Date> {
    Date::new(year as i32, month, day)
}

/// Reads `YYYY-MM-DD`, `YYYYMMDD`, `DD/MM/YYYY` or `DD.MM.YYYY`; refuses dates that do not
/// exist (`31/02/2025`).
pub fn date(text: &str) -> Option<Date> {
    let t = text.trim();
    if let Some(d) = digits(t, 8) {
        return checked(d / 10000, d / 100 % 100, d % 100);
    }
    let parts: Vec<&str> = t.split(['-', '/', '.']).collect();
    if parts.len() != 3 {
        return None;
    }
    let sep = t.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    if sep == '-' {
        checked(digits(parts[0], 4)?, digit12(parts[1])?, digit12(parts[2])?)
    } else {
        checked(digits(parts[2], 4)?, digit12(parts[1])?, digit12(parts[0])?)
    }
}

fn digit12(s: &str) -> Option<u32> {
    digits(s, 2).or_else(|| digits(s, 1))
}

/// Reads a period label: `YYYY-MM` (or `YYYY-Qn` for quarters), `MM.YYYY`, `MM/YYYY`,
/// an English, Spanish or Russian month name with a year (`Jan 2025`, `ene-25`, `янв.25`),
/// or any date form (the period that contains it).
pub fn period(text: &str, kind: PeriodKind) -> Option<Period> {
    let (year, month) = year_month(text)?;
    if !(1900..=2200).contains(&year) {
        return None;
    }
    Some(kind.period_of(year, month))
}

/// `(year, month)` of a period label, without the range check of [`period`].
pub fn year_month(text: &str) -> Option<(i32, u32)> {
    let t = text.trim();
    // The form the exports and the stored portfolio write, read without splitting and
    // lower-casing: a record has a period, and opening a large portfolio reads millions.
    match canonical_year_month(t) {
        Some(read) => read,
        None => any_year_month(t),
    }
}

/// `YYYY-MM` or `YYYY-Qn` as [`any_year_month`] reads them (a test compares the two); `None`
/// for text of another shape.
fn canonical_year_month(t: &str) -> Option<Option<(i32, u32)>> {
    let b = t.as_bytes();
    if b.len() != 7 || b[4] != b'-' || !b[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let year = b[..4].iter().fold(0i32, |y, d| y * 10 + i32::from(d - b'0'));
    match (b[5], b[6]) {
        (tens @ b'0'..=b'9', units @ b'0'..=b'9') => {
            let month = u32::from(tens - b'0') * 10 + u32::from(units - b'0');
            Some((1..=12).contains(&month).then_some((year, month)))
        }
        (b'q' | b'Q', q @ b'0'..=b'9') => {
            let q = u32::from(q - b'0');
            Some((1..=4).contains(&q).then(|| (year, (q - 1) * 3 + 1)))
        }
        _ => None,
    }
}

/// [`year_month`] of trimmed text in any of its forms.
fn any_year_month(t: &str) -> Option<(i32, u32)> {
    if let Some(d) = date(t) {
        return Some((d.year, d.month));
    }
    let lower = t.to_lowercase();
    let parts: Vec<&str> = lower.split(['-', '/', '.', ' ', '_']).filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [y, q] if q.starts_with('q') => {
            let year = digits(y, 4)? as i32;
            let q = digits(&q[1..], 1)?;
            (1..=4).contains(&q).then(|| (year, (q - 1) * 3 + 1))
        }
        [a, b] => {
            if let (Some(y), Some(m)) = (digits(a, 4), digit12(b)) {
                return (1..=12).contains(&m).then_some((y as i32, m));
            }
            if let (Some(m), Some(y)) = (digit12(a), digits(b, 4)) {
                return (1..=12).contains(&m).then_some((y as i32, m));
            }
            let month = month_name(a)?;
            let year = match b.len() {
                4 => digits(b, 4)? as i32,
                2 => 2000 + digits(b, 2)? as i32,
                _ => return None,
            };
            Some((year, month))
        }
        _ => None,
    }
}

/// Month names and abbreviations in English, Spanish and Russian (lower case).
const MONTH_NAMES: [[&str; 6]; 12] = [
    ["jan", "january", "ene", "enero", "янв", "январь"],
    ["feb", "february", "feb", "febrero", "фев", "февраль"],
    ["mar", "march", "mar", "marzo", "мар", "март"],
    ["apr", "april", "abr", "abril", "апр", "апрель"],
    ["may", "may", "may", "mayo", "май", "мая"],
    ["jun", "june", "jun", "junio", "июн", "июнь"],
    ["jul", "july", "jul", "julio", "июл", "июль"],
    ["aug", "august", "ago", "agosto", "авг", "август"],
    ["sep", "september", "sept", "septiembre", "сен", "сентябрь"],
    ["oct", "october", "oct", "octubre", "окт", "октябрь"],
    ["nov", "november", "nov", "noviembre", "ноя", "ноябрь"],
    ["dec", "december", "dic", "diciembre", "дек", "декабрь"],
];

fn month_name(word: &str) -> Option<u32> {
    MONTH_NAMES.iter().position(|names| names.contains(&word)).map(|i| i as u32 + 1)
}

/// Reads a yes/no cell.
pub fn boolean(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "sí" | "si" | "да" | "x" => Some(true),
        "false" | "no" | "n" | "0" | "нет" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How [`ambiguous`] read every cell before: the reference.
    fn ambiguous_copying(text: &str) -> bool {
    let compact: String = text.trim().chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')).collect();
    let body = compact.trim_start_matches(['-', '+']);
    let seps = body.matches(['.', ',']).count();
    if seps != 1 {
        return false;
    }
    let Some((int, frac)) = body.split_once(['.', ',']) else { return false };
    frac.len() == 3
        && (1..=3).contains(&int.len())
        && !int.starts_with('0')
        && int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
}

    /// Cells made of the characters numbers are written with, and a few others.
    fn cells() -> impl Iterator<Item = String> {
        const CHARS: [char; 12] = ['0', '1', '5', '9', '.', ',', '-', '+', ' ', '\u{a0}', '\'', 'x'];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        (0..200_000).map(move |_| {
            let mut next = || {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed
            };
            let len = (next() % 12) as usize;
            (0..len).map(|_| CHARS[(next() % CHARS.len() as u64) as usize]).collect()
        })
    }

    #[test]
    fn cells_read_in_place_as_they_are_read_copied() {
        let mut read = 0;
        for cell in cells().chain(["0", "-0", "007", "1.234", "1,234", "0.250", "12.5", "-.5", "5.", "+5", "1.2.3", "99999999999999999999999999999"].map(String::from)) {
            for locale in [NumberLocale::Dot, NumberLocale::Comma] {
                let (now, before) = (number(&cell, locale), read_number(&cell, locale, false));
                assert_eq!(now, before, "{cell:?} in {locale:?}");
                assert_eq!(now.map(|v| v.is_sign_negative()), before.map(|v| v.is_sign_negative()), "sign of {cell:?}");
                read += usize::from(now.is_some());
            }
            assert_eq!(ambiguous(&cell), ambiguous_copying(&cell), "{cell:?}");
        }
        assert!(read > 10_000, "{read} read");
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn numbers_in_every_listed_form() {
        let cases: &[(&str, NumberLocale, Option<&str>)] = &[
            ("1234.56", NumberLocale::Dot, Some("1234.56")),
            ("1,234.56", NumberLocale::Dot, Some("1234.56")),
            ("1.234,56", NumberLocale::Dot, Some("1234.56")),
            ("1 234,56", NumberLocale::Dot, Some("1234.56")),
            ("1\u{a0}234,56", NumberLocale::Comma, Some("1234.56")),
            ("1\u{202f}234.5", NumberLocale::Comma, Some("1234.5")),
            ("-1,250.00", NumberLocale::Dot, Some("-1250.00")),
            ("12,5", NumberLocale::Dot, Some("12.5")),
            ("1.234", NumberLocale::Dot, Some("1.234")),
            ("1.234", NumberLocale::Comma, Some("1234")),
            ("1,234", NumberLocale::Dot, Some("1234")),
            ("1,234", NumberLocale::Comma, Some("1.234")),
            ("0.250", NumberLocale::Comma, Some("0.250")),
            ("1.234.567", NumberLocale::Dot, Some("1234567")),
            ("1,234,567.5", NumberLocale::Comma, Some("1234567.5")),
            (".5", NumberLocale::Dot, Some("0.5")),
            ("", NumberLocale::Dot, None),
            ("abc", NumberLocale::Dot, None),
            ("1.2.3,4,5", NumberLocale::Dot, None),
            ("12,34,56.7", NumberLocale::Dot, None),
            ("1e5", NumberLocale::Dot, None),
            ("--5", NumberLocale::Dot, None),
            ("-", NumberLocale::Dot, None),
        ];
        for (text, locale, want) in cases {
            assert_eq!(number(text, *locale), want.map(d), "number({text:?}, {locale:?})");
        }
    }

    #[test]
    fn ambiguous_numbers_are_recognised() {
        for (text, want) in [("1.234", true), ("12,500", true), ("-999.000", true), ("1.23", false), ("0.250", false), ("1.234,5", false), ("1234", false), ("1 234", false), ("1234.567", false)] {
            assert_eq!(ambiguous(text), want, "{text}");
        }
    }

    #[test]
    fn dates_exist_or_are_refused() {
        let cases: &[(&str, Option<(i32, u32, u32)>)] = &[
            ("2025-03-14", Some((2025, 3, 14))),
            ("20250314", Some((2025, 3, 14))),
            ("14/03/2025", Some((2025, 3, 14))),
            ("14.03.2025", Some((2025, 3, 14))),
            ("29/02/2024", Some((2024, 2, 29))),
            ("29/02/2025", None),
            ("31/02/2025", None),
            ("2025-13-01", None),
            ("2025-03", None),
            ("yesterday", None),
        ];
        for (text, want) in cases {
            let got = date(text).map(|d| (d.year, d.month, d.day));
            assert_eq!(got, *want, "date({text:?})");
        }
    }

    /// The `YYYY-MM` / `YYYY-Qn` shortcut reads what the general reading does, on text of that
    /// shape and of shapes next to it (another separator, a letter, a short month, padding).
    #[test]
    fn the_canonical_period_shortcut_reads_as_the_general_reading() {
        let tail = b"0123456789qQa-. ";
        let (mut read, mut shortcut) = (0, 0);
        for year in ["0000", "1850", "2025", "9999", "20a5", "025"] {
            for sep in ["-", ".", "/", " ", "_"] {
                for &x in tail {
                    for &y in tail {
                        for pad in ["", " "] {
                            let text = format!("{pad}{year}{sep}{}{}{pad}", x as char, y as char);
                            let general = any_year_month(text.trim());
                            assert_eq!(year_month(&text), general, "{text:?}");
                            read += general.is_some() as usize;
                            shortcut += canonical_year_month(text.trim()).is_some() as usize;
                        }
                    }
                }
            }
        }
        assert!(read > 500 && shortcut > 500, "{read} read, {shortcut} by the shortcut");
    }

    #[test]
    fn periods_in_every_listed_form() {
        let m = PeriodKind::Month;
        let p = |y, mo| Some(m.period_of(y, mo));
        let cases: &[(&str, Option<Period>)] = &[
            ("2025-01", p(2025, 1)),
            ("2025-1", p(2025, 1)),
            ("01.2025", p(2025, 1)),
            ("Jan 2025", p(2025, 1)),
            ("ene-25", p(2025, 1)),
            ("янв.25", p(2025, 1)),
            ("Diciembre 2024", p(2024, 12)),
            ("2025-03-31", p(2025, 3)),
            ("2025-Q2", p(2025, 4)),
            ("1850-01", None),
            ("2025-00", None),
            ("2025-13", None),
            ("foo", None),
        ];
        for (text, want) in cases {
            assert_eq!(period(text, m), *want, "period({text:?})");
        }
        assert_eq!(period("2025-05", PeriodKind::Quarter), Some(Period(2025 * 4 + 1)));
        assert_eq!(PeriodKind::Quarter.label(Period(2025 * 4 + 1)), "2025-Q2");
        assert_eq!(m.label(m.period_of(2025, 9)), "2025-09");
    }
}
