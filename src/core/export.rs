//! Getting data out (DOMAIN.md §9): the results CSV, and the records, clients and settings
//! files that import back to the same portfolio.

use rust_decimal::prelude::FromPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{Map, Value};

use crate::core::analysis::robustness::{Rate, Robustness};
use crate::core::analysis::Analysis;
use crate::core::model::{AbcBasis, Client, NumberLocale, PeriodKind, Portfolio, Settings, WindowLength, XyzMethod, FACTOR_KEYS};

/// Rounds half-to-even to `dp` places and writes `.`-decimal text; `-0.00` is written `0.00`.
pub fn fixed(value: Decimal, dp: u32) -> String {
    rounded(value, dp).to_string()
}

/// `value` as [`fixed`] writes it: rounded half-to-even to `dp` places, no negative zero.
fn rounded(value: Decimal, dp: u32) -> Decimal {
    let mut r = value.round_dp_with_strategy(dp, RoundingStrategy::MidpointNearestEven);
    if r.is_zero() {
        r.set_sign_positive(true);
    }
    r.rescale(dp);
    r
}

/// Quotes a CSV field only when needed (separator, quote, or line break inside).
pub fn csv_field(text: &str) -> String {
    if needs_quotes(text) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn is_plain_number(text: &str) -> bool {
    let body = text.strip_prefix('-').unwrap_or(text);
    !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit() || b == b'.') && body.bytes().filter(|b| *b == b'.').count() <= 1
}

/// Whether a field holds a separator, a quote or a line break ([`csv_field`] quotes it).
fn needs_quotes(text: &str) -> bool {
    text.contains([',', '"', '\n', '\r'])
}

/// Whether a spreadsheet would take the cell for a formula ([`guard`] prefixes it).
fn needs_guard(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_plain_number(text)
}

/// A cell a spreadsheet would take for a formula gets a leading `'` (DOMAIN.md §9).
pub fn guard(text: &str) -> String {
    if needs_guard(text) { format!("'{text}") } else { text.to_string() }
}

/// Appends a text cell as [`guard`] and [`csv_field`] write it, after a comma unless it is a
/// row's first: without a string of its own (a results export has millions of cells).
fn push_cell(out: &mut String, text: &str, first: bool) {
    if !first {
        out.push(',');
    }
    let quoted = needs_quotes(text);
    if quoted {
        out.push('"');
    }
    if needs_guard(text) {
        out.push('\'');
    }
    if quoted {
        for part in text.split_inclusive('"') {
            out.push_str(part);
            if part.ends_with('"') {
                out.push('"');
            }
        }
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// Appends a number cell as [`fixed`] writes it, after a comma (a number needs no guard: a
/// leading `-` is a plain number's).
fn push_fixed(out: &mut String, value: Option<Decimal>, dp: u32) {
    use std::fmt::Write;
    out.push(',');
    if let Some(value) = value {
        let _ = write!(out, "{}", rounded(value, dp));
    }
}

/// The header of the results export (DOMAIN.md §9).
pub const RESULTS_HEADER: &str = "client,name,revenue,cost_to_serve,profit,margin,abc,xyz,cell,cv,profit_share,score,verdict,flags\n";

/// The results export: one row per client, sorted by exact profit descending then id.
pub fn results_csv(analysis: &Analysis) -> String {
    let mut out = String::from(RESULTS_HEADER);
    InProfitOrder::default().write(analysis, usize::MAX, &mut out, &|i, out| results_row(analysis, i, out));
    out
}

/// Client `i`'s row of the results export.
pub fn results_row(analysis: &Analysis, i: usize, out: &mut String) {
    let c = &analysis.clients[i];
    push_cell(out, &c.id, true);
    push_cell(out, &c.name, false);
    push_fixed(out, Some(c.now.revenue), 2);
    push_fixed(out, Some(c.now.cost_to_serve), 2);
    push_fixed(out, Some(c.now.profit), 2);
    push_fixed(out, c.now.margin(), 4);
    for label in [c.cell.abc.to_string(), c.cell.xyz.to_string(), c.cell.to_string()] {
        push_cell(out, &label, false);
    }
    push_fixed(out, c.xyz.cv.and_then(Decimal::from_f64), 4);
    push_fixed(out, Some(c.profit_share), 4);
    push_fixed(out, Decimal::from_f64(analysis.scores[i]), 1);
    push_cell(out, c.decision.verdict.english(), false);
    let flags: Vec<&str> = c.flags.raised().map(|f| f.name()).collect();
    push_cell(out, &flags.join(";"), false);
    out.push('\n');
}

/// The rows of an export in the results' order (exact profit descending, then id), written a
/// part at a time like [`RecordRows`].
#[derive(Clone, Debug, Default)]
pub struct InProfitOrder {
    next: usize,
}

impl InProfitOrder {
    /// Writes the rows of about `rows` more clients (one at least) into `out`, each as `row`
    /// writes client `i`'s. Returns whether any are left.
    pub fn write(&mut self, analysis: &Analysis, rows: usize, out: &mut String, row: &dyn Fn(usize, &mut String)) -> bool {
        let order = &analysis.profit_order;
        let end = self.next.saturating_add(rows.max(1)).min(order.len());
        for &i in &order[self.next.min(end)..end] {
            row(i, out);
        }
        self.next = end;
        end < order.len()
    }
}

/// The robustness export: per client, in the results' order, whether its verdict is fragile
/// (a ±20% change in one rate, or in all together, moves it; `flips_to` the first such
/// verdict, rates in column order and +20% first) and each rate's range, a bound on the rate's
/// grid and empty where the verdict holds to the end of the search span.
pub fn robustness_csv(analysis: &Analysis, robustness: &Robustness) -> String {
    let mut out = robustness_header();
    InProfitOrder::default().write(analysis, usize::MAX, &mut out, &|i, out| robustness_row(analysis, robustness, i, out));
    out
}

/// The header of the robustness export.
pub fn robustness_header() -> String {
    let mut out = String::from("client,verdict,fragile,flips_to");
    for rate in Rate::ALL {
        out.push_str(&format!(",{0}_low,{0}_high", rate.key()));
    }
    out.push('\n');
    out
}

/// Client `i`'s row of the robustness export.
pub fn robustness_row(analysis: &Analysis, robustness: &Robustness, i: usize, out: &mut String) {
    let c = &analysis.clients[i];
    let flip = robustness.fragile(i);
    push_cell(out, &c.id, true);
    push_cell(out, c.decision.verdict.english(), false);
    push_cell(out, if flip.is_some() { "true" } else { "false" }, false);
    push_cell(out, flip.map_or("", |f| f.to.english()), false);
    for lever in &robustness.levers {
        let dp = lever.rate.grid().scale();
        push_fixed(out, lever.low[i], dp);
        push_fixed(out, lever.high[i], dp);
    }
    out.push('\n');
}

fn plain(d: Decimal) -> String {
    d.normalize().to_string()
}

/// The header of the period records file.
pub const RECORDS_HEADER: &str =
    "client,period,revenue,direct_cost,discount,service_hours,sales_hours,tickets,days_late,written_off\n";

/// The period records, long format, importable as is. With `compact`, zeros are left empty
/// (they import as zero) — the form kept in browser storage.
pub fn records_csv(portfolio: &Portfolio, compact: bool) -> String {
    let mut out = String::from(RECORDS_HEADER);
    let mut rows = RecordRows::default();
    while rows.write(portfolio, compact, usize::MAX, &mut out) {}
    out
}

/// The rows of [`records_csv`] (no header), written a part at a time: a caller that must not
/// block for long (saving 100,000 clients in a browser) writes some clients' rows, yields, and
/// goes on where it stopped.
#[derive(Clone, Debug, Default)]
pub struct RecordRows {
    /// The last client written.
    after: Option<String>,
}

impl RecordRows {
    /// Writes the rows of the next clients, at least one client's and about `rows` rows in
    /// all, into `out`. Returns whether any are left.
    ///
    /// Cells are written straight into `out`: millions of cells, and a string for each would
    /// double the time to save.
    pub fn write(&mut self, portfolio: &Portfolio, compact: bool, rows: usize, out: &mut String) -> bool {
        use std::fmt::Write;
        use std::ops::Bound::{Excluded, Unbounded};
        let kind = portfolio.settings.period_kind;
        let rest = match &self.after {
            Some(after) => portfolio.records.range::<String, _>((Excluded(after), Unbounded)),
            None => portfolio.records.range::<String, _>(..),
        };
        let mut written = 0;
        for (client, periods) in rest {
            if written >= rows {
                return true;
            }
            let id = csv_field(client);
            for (period, r) in periods {
                out.push_str(&id);
                out.push(',');
                kind.write_label(*period, out);
                let tickets = Decimal::from(r.tickets);
                for d in [r.revenue, r.direct_cost, r.discount, r.service_hours, r.sales_hours, tickets, r.days_late, r.written_off] {
                    out.push(',');
                    if !(compact && d.is_zero()) {
                        let _ = write!(out, "{}", d.normalize());
                    }
                }
                if compact {
                    while out.ends_with(',') {
                        out.pop();
                    }
                }
                out.push('\n');
            }
            written += periods.len();
            self.after = Some(client.clone());
        }
        false
    }
}

/// The clients file, importable as is.
pub fn clients_csv(portfolio: &Portfolio) -> String {
    let mut out = String::from(CLIENTS_HEADER);
    let mut rows = ClientRows::default();
    while rows.write(portfolio, usize::MAX, &mut out) {}
    out
}

/// The header of the clients file.
pub const CLIENTS_HEADER: &str = "client,name,start,acquisition_cost,referred_by,icp_fit,potential,strategic,status,tags,notes\n";

/// The rows of [`clients_csv`] (no header), written a part at a time like [`RecordRows`].
#[derive(Clone, Debug, Default)]
pub struct ClientRows {
    /// The last client written.
    after: Option<String>,
}

impl ClientRows {
    /// Writes the rows of about `rows` more clients into `out`. Returns whether any are left.
    pub fn write(&mut self, portfolio: &Portfolio, rows: usize, out: &mut String) -> bool {
        use std::ops::Bound::{Excluded, Unbounded};
        let kind = portfolio.settings.period_kind;
        let rest = match &self.after {
            Some(after) => portfolio.clients.range::<String, _>((Excluded(after), Unbounded)),
            None => portfolio.clients.range::<String, _>(..),
        };
        for (written, (id, c)) in rest.enumerate() {
            if written >= rows {
                return true;
            }
            for (k, cell) in client_cells(c, kind).iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                out.push_str(&csv_field(cell));
            }
            out.push('\n');
            self.after = Some(id.clone());
        }
        false
    }
}

/// A client's cells as the clients file writes them: the id, then the attributes in
/// [`CLIENT_FIELDS`](crate::core::import::columns::CLIENT_FIELDS) order. A name equal to the
/// id and a zero acquisition cost are left empty (they import as such).
pub fn client_cells(c: &Client, kind: PeriodKind) -> [String; 11] {
    [
        c.id.clone(),
        if c.name == c.id { String::new() } else { c.name.clone() },
        c.start.map_or_else(String::new, |p| kind.label(p)),
        if c.acquisition_cost.is_zero() { String::new() } else { plain(c.acquisition_cost) },
        c.referred_by.clone().unwrap_or_default(),
        c.icp_fit.to_string(),
        c.potential.as_str().to_string(),
        c.strategic.to_string(),
        c.status.as_str().to_string(),
        c.tags.clone(),
        c.notes.clone(),
    ]
}

fn number(d: Decimal) -> Value {
    // Written as a JSON number with the exact decimal digits.
    serde_json::from_str(&plain(d)).unwrap_or(Value::Null)
}

/// The settings as the §9 settings JSON object (every key).
pub fn settings_value(s: &Settings) -> Value {
    let mut m = Map::new();
    m.insert("service_rate".into(), number(s.service_rate));
    m.insert("sales_rate".into(), number(s.sales_rate));
    m.insert("ticket_cost".into(), number(s.ticket_cost));
    m.insert("commission".into(), number(s.commission));
    m.insert("capital_rate".into(), number(s.capital_rate));
    m.insert("amortisation_periods".into(), Value::from(s.amortisation_periods));
    m.insert(
        "window".into(),
        match s.window {
            WindowLength::Last(n) => Value::from(n),
            WindowLength::All => Value::from("all"),
        },
    );
    m.insert("abc_basis".into(), Value::from(match s.abc_basis {
        AbcBasis::Profit => "profit",
        AbcBasis::Revenue => "revenue",
    }));
    m.insert("a".into(), number(s.a));
    m.insert("b".into(), number(s.b));
    m.insert("x".into(), number(s.x));
    m.insert("y".into(), number(s.y));
    m.insert("xyz_method".into(), Value::from(match s.xyz_method {
        XyzMethod::Cv => "cv",
        XyzMethod::Pattern => "pattern",
    }));
    m.insert("max_share".into(), number(s.max_share));
    m.insert("referral_credit".into(), number(s.referral_credit));
    // Inserted one by one: `collect` sorts first, with a sort compiled for this type alone.
    let mut weights = Map::new();
    weights.extend(FACTOR_KEYS.iter().zip(s.weights.0).map(|(k, w)| (k.to_string(), number(w))));
    m.insert("weights".into(), Value::Object(weights));
    m.insert("period_kind".into(), Value::from(s.period_kind.as_str()));
    m.insert("currency".into(), Value::from(s.currency.clone()));
    m.insert("number_locale".into(), Value::from(match s.number_locale {
        NumberLocale::Dot => "dot",
        NumberLocale::Comma => "comma",
    }));
    Value::Object(m)
}

/// The settings file, pretty-printed.
pub fn settings_json(s: &Settings) -> String {
    serde_json::to_string_pretty(&settings_value(s)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn rounding_is_half_even_and_never_negative_zero() {
        let cases = [("2.345", 2, "2.34"), ("2.355", 2, "2.36"), ("-0.004", 2, "0.00"), ("0.1", 4, "0.1000"), ("-1250", 2, "-1250.00")];
        for (v, dp, want) in cases {
            assert_eq!(fixed(Decimal::from_str(v).unwrap(), dp), want, "{v}");
        }
    }

    #[test]
    fn formula_cells_are_guarded_but_numbers_are_not() {
        let cases = [("@Home", "'@Home"), ("=1+1", "'=1+1"), ("-3191.91", "-3191.91"), ("+34 600", "'+34 600"), ("-x", "'-x"), ("\tx", "'\tx"), ("Acme", "Acme")];
        for (v, want) in cases {
            assert_eq!(guard(v), want, "{v:?}");
        }
        assert_eq!(csv_field("Smith, Carter"), "\"Smith, Carter\"");
        assert_eq!(csv_field("El \"Fogón\""), "\"El \"\"Fogón\"\"\"");
    }

    /// A cell written in place is the cell [`guard`] and [`csv_field`] make, whatever its text:
    /// formulas, quotes, separators, line breaks, signs and numbers, alone and together.
    #[test]
    fn a_cell_written_in_place_is_the_guarded_quoted_cell() {
        let parts = ["=", "+", "-", "@", "\t", "\r", "\n", ",", "\"", "'", "1", "2.5", ".", "a", "Ö", " ", ";"];
        let mut rng = crate::core::generate::Rng::new(17);
        let mut texts: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
        texts.extend((0..3000).map(|_| (0..rng.below(7)).map(|_| parts[rng.below(parts.len() as u64) as usize]).collect::<String>()));
        for text in &texts {
            for first in [true, false] {
                let mut out = String::from("x");
                push_cell(&mut out, text, first);
                let expected = format!("x{}{}", if first { "" } else { "," }, csv_field(&guard(text)));
                assert_eq!(out, expected, "{text:?}");
            }
        }
    }
}
