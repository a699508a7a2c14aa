//! Numbers, money, percentages and periods written the way each language writes them:
//! `€1,234.56` (English), `1.234,56 €` (Spanish), `1 234,56 ₽` (Russian).
//! Display rounds half away from zero; the files of DOMAIN.md §9 round half-to-even (`core::export`).

use rust_decimal::prelude::FromPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use super::Lang;
use crate::core::model::{Period, PeriodKind};

struct Style {
    group: &'static str,
    decimal: char,
    /// Fewest integer digits before grouping starts.
    min_group_digits: usize,
}

fn style(lang: Lang) -> Style {
    match lang {
        Lang::En => Style { group: ",", decimal: '.', min_group_digits: 4 },
        Lang::Es => Style { group: ".", decimal: ',', min_group_digits: 4 },
        Lang::Ru => Style { group: "\u{a0}", decimal: ',', min_group_digits: 4 },
    }
}

/// A count of things (rows, clients), grouped for the language.
pub fn count(lang: Lang, n: usize) -> String {
    number(lang, Decimal::from(n), 0)
}

/// A number with `dp` decimals (half away from zero, as people round), grouped for the language. `-0` is written `0`.
pub fn number(lang: Lang, value: Decimal, dp: u32) -> String {
    let mut r = value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    if r.is_zero() {
        r.set_sign_positive(true);
    }
    r.rescale(dp);
    let text = r.abs().to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let st = style(lang);
    let mut out = String::new();
    if r.is_sign_negative() {
        out.push('-');
    }
    if int.len() >= st.min_group_digits {
        for (i, ch) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push_str(st.group);
            }
            out.push(ch);
        }
    } else {
        out.push_str(int);
    }
    if !frac.is_empty() {
        out.push(st.decimal);
        out.push_str(frac);
    }
    out
}

/// A float statistic (cv, HHI) with `dp` decimals.
pub fn float(lang: Lang, value: f64, dp: u32) -> String {
    Decimal::from_f64(value).map_or_else(|| "—".to_string(), |d| number(lang, d, dp))
}

fn symbol(currency: &str) -> &str {
    match currency {
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        "RUB" => "₽",
        "MXN" | "ARS" | "CLP" | "COP" => "$",
        "PEN" => "S/",
        "BRL" => "R$",
        "KZT" => "₸",
        "UAH" => "₴",
        other => other,
    }
}

/// Money with 2 decimals: `€1,234.56` / `-€5.00` in English, `1.234,56 €` in Spanish,
/// `1 234,56 ₽` in Russian.
pub fn money(lang: Lang, value: Decimal, currency: &str) -> String {
    let body = number(lang, value.abs(), 2);
    let negative = value.round_dp(2).is_sign_negative() && !value.round_dp(2).is_zero();
    let sign = if negative { "-" } else { "" };
    match lang {
        Lang::En => format!("{sign}{}{body}", symbol(currency)),
        Lang::Es | Lang::Ru => format!("{sign}{body}\u{a0}{}", symbol(currency)),
    }
}

/// Money without decimals, for axes and compact cards.
pub fn money_whole(lang: Lang, value: Decimal, currency: &str) -> String {
    let body = number(lang, value.abs(), 0);
    let sign = if value.round_dp(0).is_sign_negative() && !value.round_dp(0).is_zero() { "-" } else { "" };
    match lang {
        Lang::En => format!("{sign}{}{body}", symbol(currency)),
        Lang::Es | Lang::Ru => format!("{sign}{body}\u{a0}{}", symbol(currency)),
    }
}

/// A fraction as a percentage with `dp` decimals: `0.3685` → `36.85%` / `36,85 %`.
pub fn percent(lang: Lang, fraction: Decimal, dp: u32) -> String {
    let body = number(lang, fraction * Decimal::ONE_HUNDRED, dp);
    match lang {
        Lang::En => format!("{body}%"),
        Lang::Es | Lang::Ru => format!("{body}\u{a0}%"),
    }
}

/// A size in bytes, in the largest unit that keeps it at 1 or more (B, KB, MB, GB; 1 KB =
/// 1,000 B), with one decimal from MB up.
pub fn bytes(lang: Lang, n: f64) -> String {
    let units = [("B", 1.0, 0), ("KB", 1e3, 0), ("MB", 1e6, 1), ("GB", 1e9, 1), ("TB", 1e12, 1)];
    let (unit, size, dp) = units.iter().rev().find(|(_, size, _)| n >= *size).copied().unwrap_or(units[0]);
    let value = Decimal::from_f64_retain(n / size).unwrap_or_default();
    format!("{}\u{a0}{unit}", number(lang, value, dp))
}

/// How far `done` is of `total`, as a whole percentage (empty while the total is unknown).
pub fn progress(lang: Lang, done: usize, total: usize) -> String {
    if total == 0 {
        return String::new();
    }
    percent(lang, Decimal::from(done) / Decimal::from(total), 0)
}

const MONTHS: [[&str; 12]; 3] = [
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"],
    ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"],
];

/// A period for display: `Jan 2025`, `ene 2025`, `янв 2025`; quarters as `Q1 2025` / `T1 2025` / `1 кв. 2025`.
pub fn period(lang: Lang, kind: PeriodKind, p: Period) -> String {
    let (year, month) = kind.year_month(p);
    match kind {
        PeriodKind::Month => format!("{} {year}", MONTHS[lang as usize][(month - 1) as usize]),
        PeriodKind::Quarter => {
            let q = (month - 1) / 3 + 1;
            match lang {
                Lang::En => format!("Q{q} {year}"),
                Lang::Es => format!("T{q} {year}"),
                Lang::Ru => format!("{q} кв. {year}"),
            }
        }
    }
}

/// A calendar date: `14 Mar 2025`, `14/03/2025`, `14.03.2025`.
pub fn date(lang: Lang, year: i32, month: u32, day: u32) -> String {
    match lang {
        Lang::En => format!("{day} {} {year}", MONTHS[0][(month - 1) as usize]),
        Lang::Es => format!("{day:02}/{month:02}/{year}"),
        Lang::Ru => format!("{day:02}.{month:02}.{year}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_their_unit() {
        let cases = [
            (Lang::En, 0.0, "0\u{a0}B"),
            (Lang::En, 999.0, "999\u{a0}B"),
            (Lang::En, 12_345.0, "12\u{a0}KB"),
            (Lang::Es, 4_250_000.0, "4,3\u{a0}MB"),
            (Lang::Ru, 61_000_000_000.0, "61,0\u{a0}GB"),
        ];
        for (lang, n, want) in cases {
            assert_eq!(bytes(lang, n), want, "{lang:?} {n}");
        }
    }
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn money_as_each_language_writes_it() {
        let cases = [
            (Lang::En, "1234.56", "EUR", "€1,234.56"),
            (Lang::Es, "1234.56", "EUR", "1.234,56\u{a0}€"),
            (Lang::Es, "12345.678", "EUR", "12.345,68\u{a0}€"),
            (Lang::Ru, "1234.56", "RUB", "1\u{a0}234,56\u{a0}₽"),
            (Lang::Ru, "12345.5", "RUB", "12\u{a0}345,50\u{a0}₽"),
            (Lang::En, "-3191.914", "USD", "-$3,191.91"),
            (Lang::En, "-0.001", "EUR", "€0.00"),
            (Lang::En, "1234567", "CHF", "CHF1,234,567.00"),
        ];
        for (lang, v, cur, want) in cases {
            assert_eq!(money(lang, d(v), cur), want, "{lang:?} {v}");
        }
    }

    #[test]
    fn percentages_and_periods() {
        assert_eq!(percent(Lang::En, d("0.3685"), 2), "36.85%");
        assert_eq!(percent(Lang::Es, d("0.3685"), 1), "36,9\u{a0}%");
        let p = PeriodKind::Month.period_of(2025, 1);
        assert_eq!(period(Lang::En, PeriodKind::Month, p), "Jan 2025");
        assert_eq!(period(Lang::Es, PeriodKind::Month, p), "ene 2025");
        assert_eq!(period(Lang::Ru, PeriodKind::Month, p), "янв 2025");
        assert_eq!(date(Lang::Es, 2025, 3, 4), "04/03/2025");
    }
}
