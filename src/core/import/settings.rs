//! The settings file (DOMAIN.md §9): a flat JSON object of setting names.
//!
//! Keys the file leaves out take their defaults: a settings file describes a whole cost model,
//! so importing one gives the same analysis in every portfolio it is imported into. (A partial
//! `weights` object likewise keeps the default of each weight it leaves out.)

use std::collections::BTreeMap;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::{Map, Value};

use super::problem::{Expected, Problem, ProblemKind};
use crate::core::model::{
    AbcBasis, NumberLocale, PeriodKind, Settings, Weights, WindowLength, XyzMethod, FACTOR_KEYS,
};

fn decimal_of(value: &Value) -> Option<Decimal> {
    match value {
        // serde_json prints the shortest text that reads back as the same f64, which for a
        // decimal literal of up to 15 digits is the literal itself.
        Value::Number(n) => Decimal::from_str(&n.to_string()).or_else(|_| Decimal::from_scientific(&n.to_string())).ok(),
        _ => None,
    }
}

struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn refuse(&mut self, key: &str, value: &Value, expected: Expected) {
        let value = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        self.problems.push(Problem::column(key, ProblemKind::Invalid { value, expected }));
    }

    fn number(&mut self, key: &str, value: &Value, expected: Expected, ok: impl Fn(Decimal) -> bool) -> Option<Decimal> {
        match decimal_of(value) {
            Some(d) if ok(d) => Some(d),
            _ => {
                self.refuse(key, value, expected);
                None
            }
        }
    }

    fn word<T>(&mut self, key: &str, value: &Value, expected: Expected, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
        match value.as_str().and_then(|s| parse(s.trim())) {
            Some(v) => Some(v),
            None => {
                self.refuse(key, value, expected);
                None
            }
        }
    }
}

/// Parses a language tag or `dot` / `comma` into a number locale.
pub fn number_locale(text: &str) -> Option<NumberLocale> {
    let lower = text.to_lowercase();
    match lower.as_str() {
        "dot" => return Some(NumberLocale::Dot),
        "comma" => return Some(NumberLocale::Comma),
        _ => {}
    }
    let lang = lower.split(['-', '_']).next()?;
    if lang.len() < 2 || lang.len() > 3 || !lang.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    // Languages that write 1.234,56 or 1 234,56; everything else reads as dot.
    const COMMA: &[&str] = &["es", "ru", "de", "fr", "it", "pt", "nl", "pl", "uk", "be", "kk", "ca", "gl", "eu", "cs", "sk", "tr", "sv", "fi", "da", "nb", "no", "ro", "hu", "bg", "sr", "hr", "sl", "lt", "lv", "et", "el", "id", "vi"];
    Some(if COMMA.contains(&lang) { NumberLocale::Comma } else { NumberLocale::Dot })
}

/// Reads a settings file. Every unknown key, wrong type and out-of-range value is refused,
/// one problem per key, naming it.
pub fn parse(text: &str) -> Result<Settings, Vec<Problem>> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| vec![Problem::file(ProblemKind::NotJson { detail: e.to_string() })])?;
    from_value(&value)
}

/// Reads a settings object already parsed (a file, or the settings form); the checks of
/// [`parse`].
pub fn from_value(value: &Value) -> Result<Settings, Vec<Problem>> {
    let Value::Object(map) = value else {
        return Err(vec![Problem::file(ProblemKind::NotJson { detail: "not an object".into() })]);
    };
    let mut s = Settings::default();
    let mut c = Checker { problems: Vec::new() };
    let non_negative = |d: Decimal| d >= Decimal::ZERO;
    let fraction = |d: Decimal| d >= Decimal::ZERO && d <= Decimal::ONE;
    for (key, v) in map {
        match key.as_str() {
            "service_rate" => s.service_rate = c.number(key, v, Expected::NonNegative, non_negative).unwrap_or(s.service_rate),
            "sales_rate" => s.sales_rate = c.number(key, v, Expected::NonNegative, non_negative).unwrap_or(s.sales_rate),
            "ticket_cost" => s.ticket_cost = c.number(key, v, Expected::NonNegative, non_negative).unwrap_or(s.ticket_cost),
            "commission" => s.commission = c.number(key, v, Expected::Fraction, fraction).unwrap_or(s.commission),
            "capital_rate" => s.capital_rate = c.number(key, v, Expected::NonNegative, non_negative).unwrap_or(s.capital_rate),
            "referral_credit" => {
                s.referral_credit = c.number(key, v, Expected::Fraction, fraction).unwrap_or(s.referral_credit)
            }
            "amortisation_periods" => {
                let n = c.number(key, v, Expected::PositiveWholeNumber, |d| d.fract().is_zero() && d >= Decimal::ONE && d <= Decimal::from(1200));
                if let Some(n) = n {
                    s.amortisation_periods = n.trunc().to_string().parse().unwrap_or(24);
                }
            }
            "window" => match v {
                Value::String(w) if w.trim().eq_ignore_ascii_case("all") => s.window = WindowLength::All,
                _ => {
                    let ok = |d: Decimal| d.fract().is_zero() && d >= Decimal::from(3) && d <= Decimal::from(60);
                    if let Some(n) = c.number(key, v, Expected::Window, ok) {
                        s.window = WindowLength::Last(n.trunc().to_string().parse().unwrap_or(12));
                    }
                }
            },
            "abc_basis" => {
                let basis = c.word(key, v, Expected::AbcBasis, |w| match w {
                    "profit" => Some(AbcBasis::Profit),
                    "revenue" => Some(AbcBasis::Revenue),
                    _ => None,
                });
                s.abc_basis = basis.unwrap_or(s.abc_basis);
            }
            "a" => s.a = c.number(key, v, Expected::PositiveFraction, |d| d > Decimal::ZERO && d <= Decimal::ONE).unwrap_or(s.a),
            "b" => s.b = c.number(key, v, Expected::Fraction, fraction).unwrap_or(s.b),
            "x" => s.x = c.number(key, v, Expected::NonNegative, non_negative).unwrap_or(s.x),
            "y" => s.y = c.number(key, v, Expected::NonNegative, |d| d > Decimal::ZERO).unwrap_or(s.y),
            "max_share" => {
                s.max_share = c.number(key, v, Expected::PositiveFraction, |d| d > Decimal::ZERO && d <= Decimal::ONE).unwrap_or(s.max_share)
            }
            "xyz_method" => {
                let method = c.word(key, v, Expected::XyzMethod, |w| match w {
                    "cv" => Some(XyzMethod::Cv),
                    "pattern" => Some(XyzMethod::Pattern),
                    _ => None,
                });
                s.xyz_method = method.unwrap_or(s.xyz_method);
            }
            "period_kind" => {
                let kind = c.word(key, v, Expected::PeriodKind, |w| match w {
                    "month" => Some(PeriodKind::Month),
                    "quarter" => Some(PeriodKind::Quarter),
                    _ => None,
                });
                s.period_kind = kind.unwrap_or(s.period_kind);
            }
            "currency" => {
                let cur = c.word(key, v, Expected::Currency, |w| {
                    (w.len() == 3 && w.bytes().all(|b| b.is_ascii_uppercase())).then(|| w.to_string())
                });
                s.currency = cur.unwrap_or(s.currency);
            }
            "number_locale" => s.number_locale = c.word(key, v, Expected::NumberLocale, number_locale).unwrap_or(s.number_locale),
            "weights" => {
                let Value::Object(w) = v else {
                    c.refuse(key, v, Expected::Object);
                    continue;
                };
                let mut weights = Weights::default();
                for (name, wv) in w {
                    let path = format!("weights.{name}");
                    match FACTOR_KEYS.iter().position(|k| k == name) {
                        Some(i) => {
                            if let Some(d) = c.number(&path, wv, Expected::NonNegative, non_negative) {
                                weights.0[i] = d;
                            }
                        }
                        None => c.problems.push(Problem::column(path, ProblemKind::UnknownKey)),
                    }
                }
                s.weights = weights;
            }
            _ => c.problems.push(Problem::column(key.clone(), ProblemKind::UnknownKey)),
        }
    }
    consistency(&s, &mut c.problems);
    if c.problems.is_empty() { Ok(s) } else { Err(c.problems) }
}

/// The rules that tie settings together (DOMAIN.md §9): `a + b ≤ 1`, `x ≤ y`, weights sum > 0.
pub fn consistency(s: &Settings, problems: &mut Vec<Problem>) {
    if s.a + s.b > Decimal::ONE {
        problems.push(Problem::column("b", ProblemKind::Inconsistent { rule: "a + b ≤ 1" }));
    }
    if s.x > s.y {
        problems.push(Problem::column("x", ProblemKind::Inconsistent { rule: "x ≤ y" }));
    }
    if s.weights.0.iter().sum::<Decimal>() <= Decimal::ZERO {
        problems.push(Problem::column("weights", ProblemKind::Inconsistent { rule: "Σ weights > 0" }));
    }
}

/// Settings shown as percentages in the settings form (stored as fractions).
const PERCENT_KEYS: [&str; 6] = ["commission", "capital_rate", "a", "b", "max_share", "referral_credit"];

/// Settings the form shows as words, not numbers.
const WORD_KEYS: [&str; 5] = ["abc_basis", "xyz_method", "period_kind", "currency", "number_locale"];

fn is_percent(key: &str) -> bool {
    PERCENT_KEYS.contains(&key)
}

/// A number as the user types it in `locale` (no grouping: `1234,5`).
pub fn typed(d: Decimal, locale: NumberLocale) -> String {
    let text = d.normalize().to_string();
    if locale == NumberLocale::Comma { text.replace('.', ",") } else { text }
}

/// The settings form's text for each key of the settings file (weights as `weights.KEY`),
/// numbers as the user types them in `locale`, fractions as percentages.
pub fn form_fields(settings: &Settings, locale: NumberLocale) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Value::Object(map) = crate::core::export::settings_value(settings) else { return out };
    let show = |key: &str, v: &Value| -> String {
        match v {
            Value::Number(n) => {
                let d: Decimal = n.to_string().parse().unwrap_or_default();
                typed(if is_percent(key) { d * Decimal::ONE_HUNDRED } else { d }, locale)
            }
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    };
    for (key, v) in &map {
        if let Value::Object(weights) = v {
            for (w, wv) in weights {
                out.insert(format!("weights.{w}"), show(w, wv));
            }
        } else {
            out.insert(key.clone(), show(key, v));
        }
    }
    out
}

/// Settings from the form's texts (as [`form_fields`] gives them), checked like a settings
/// file; a text that is not a number is refused by its key.
pub fn from_form(fields: &BTreeMap<String, String>, locale: NumberLocale) -> Result<Settings, Vec<Problem>> {
    let mut map = Map::new();
    let mut weights = Map::new();
    let mut problems = Vec::new();
    for (key, text) in fields {
        let numeric = !(WORD_KEYS.contains(&key.as_str()) || key == "window" && text.trim().eq_ignore_ascii_case("all"));
        let value = if numeric {
            match super::parse::number(text, locale) {
                Some(d) => {
                    let d = if is_percent(key) { d / Decimal::ONE_HUNDRED } else { d };
                    serde_json::from_str(&d.normalize().to_string()).unwrap_or(Value::Null)
                }
                None => {
                    problems.push(Problem::column(key.clone(), ProblemKind::Invalid { value: text.clone(), expected: Expected::Number }));
                    continue;
                }
            }
        } else {
            Value::String(text.trim().to_string())
        };
        match key.strip_prefix("weights.") {
            Some(w) => weights.insert(w.to_string(), value),
            None => map.insert(key.clone(), value),
        };
    }
    map.insert("weights".into(), Value::Object(weights));
    if !problems.is_empty() {
        return Err(problems);
    }
    from_value(&Value::Object(map))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_settings_read_exactly() {
        let s = parse(include_str!("../../../tests/fixtures/sample-settings.json")).unwrap();
        assert_eq!(s.service_rate, Decimal::from(45));
        assert_eq!(s.commission, Decimal::new(5, 2));
        assert_eq!(s.capital_rate, Decimal::new(8, 2));
        assert_eq!(s.window, WindowLength::Last(12));
        assert_eq!(s.a, Decimal::new(75, 2));
        assert_eq!(s.currency, "EUR");
    }

    #[test]
    fn every_bad_key_is_named() {
        let cases: &[(&str, &[&str])] = &[
            (r#"{"service_rate": -1}"#, &["service_rate"]),
            (r#"{"commission": 1.5, "colour": "red"}"#, &["commission", "colour"]),
            (r#"{"window": 2}"#, &["window"]),
            (r#"{"window": "some"}"#, &["window"]),
            (r#"{"a": 0.9, "b": 0.2}"#, &["b"]),
            (r#"{"x": 0.6}"#, &["x"]),
            (r#"{"weights": {"fit": -1, "luck": 3}}"#, &["weights.fit", "weights.luck"]),
            (r#"{"weights": {"profitability": 0, "stability": 0, "trend": 0, "cost_to_serve": 0, "payment": 0, "indirect_value": 0, "fit": 0, "potential": 0}}"#, &["weights"]),
            (r#"{"currency": "eur"}"#, &["currency"]),
            (r#"{"amortisation_periods": 2.5}"#, &["amortisation_periods"]),
            (r#"{"abc_basis": 3}"#, &["abc_basis"]),
            (r#"{"max_share": 0}"#, &["max_share"]),
        ];
        for (text, keys) in cases {
            let problems = parse(text).unwrap_err();
            let mut named: Vec<&str> = problems.iter().filter_map(|p| p.column.as_deref()).collect();
            let mut keys = keys.to_vec();
            named.sort();
            keys.sort();
            assert_eq!(named, keys, "{text}");
        }
    }

    #[test]
    fn partial_weights_keep_other_defaults_and_locales_map() {
        let s = parse(r#"{"weights": {"fit": 20}, "window": "all", "number_locale": "es-ES"}"#).unwrap();
        assert_eq!(s.weights.0[6], Decimal::from(20));
        assert_eq!(s.weights.0[0], Decimal::from(30));
        assert_eq!(s.window, WindowLength::All);
        assert_eq!(s.number_locale, NumberLocale::Comma);
        assert_eq!(number_locale("en-GB"), Some(NumberLocale::Dot));
        assert_eq!(number_locale("ru"), Some(NumberLocale::Comma));
        assert_eq!(number_locale("1234"), None);
    }

    #[test]
    fn not_an_object_is_refused() {
        assert!(matches!(parse("[1,2]").unwrap_err()[0].kind, ProblemKind::NotJson { .. }));
        assert!(matches!(parse("{").unwrap_err()[0].kind, ProblemKind::NotJson { .. }));
    }

    #[test]
    fn the_settings_form_reads_back_what_it_shows() {
        // (locale, key, text typed, what the setting becomes)
        let cases = [
            (NumberLocale::Comma, "commission", "7,5", "commission 0.075"),
            (NumberLocale::Dot, "service_rate", "52.5", "service_rate 52.5"),
            (NumberLocale::Comma, "a", "70", "a 0.7"),
            (NumberLocale::Dot, "window", "all", "window all"),
            (NumberLocale::Dot, "weights.trend", "3", "trend 3"),
        ];
        let defaults = Settings::default();
        for (locale, key, text, want) in cases {
            let mut fields = form_fields(&defaults, locale);
            assert!(fields.contains_key(key), "{key} is in the form");
            // Unchanged, the form gives back the same settings.
            assert_eq!(from_form(&fields, locale).unwrap(), defaults, "{key} untouched");
            fields.insert(key.to_string(), text.to_string());
            let s = from_form(&fields, locale).unwrap_or_else(|e| panic!("{key}: {e:?}"));
            let got = match key {
                "commission" => format!("commission {}", s.commission),
                "service_rate" => format!("service_rate {}", s.service_rate),
                "a" => format!("a {}", s.a),
                "window" => format!("window {}", if s.window == WindowLength::All { "all".into() } else { "n".to_string() }),
                _ => format!("trend {}", s.weights.0[2]),
            };
            assert_eq!(got, want, "{key} = {text}");
        }
        let mut fields = form_fields(&defaults, NumberLocale::Dot);
        assert_eq!(fields["max_share"], "30", "fractions are shown as percentages");
        fields.insert("ticket_cost".into(), "ten".into());
        fields.insert("b".into(), "150".into());
        let problems = from_form(&fields, NumberLocale::Dot).unwrap_err();
        assert_eq!(problems.len(), 1, "a text that is no number is refused before the checks: {problems:?}");
        assert_eq!(problems[0].column.as_deref(), Some("ticket_cost"));
        fields.insert("ticket_cost".into(), "10".into());
        assert_eq!(from_form(&fields, NumberLocale::Dot).unwrap_err()[0].column.as_deref(), Some("b"));
    }
}
