//! Profit per client and period, and the window sums built from it (DOMAIN.md §2–§3).

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::core::model::{Client, Period, PeriodRecord, Portfolio, Settings, Spread, WindowLength};

/// An inclusive run of periods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: Period,
    pub end: Period,
}

impl Span {
    pub fn len(&self) -> i32 {
        self.end.0 - self.start.0 + 1
    }
    pub fn is_empty(&self) -> bool {
        self.len() <= 0
    }
    pub fn contains(&self, p: Period) -> bool {
        self.start <= p && p <= self.end
    }
    pub fn periods(&self) -> impl Iterator<Item = Period> {
        (self.start.0..=self.end.0).map(Period)
    }
}

/// The analysis window and the previous window of the same length (DOMAIN.md §3). The window
/// ends at the last period with any input row; `None` when the portfolio has no records.
pub fn windows(portfolio: &Portfolio) -> Option<(Span, Span)> {
    windows_within(portfolio.spread(), portfolio.settings.window)
}

/// [`windows`] from the first and last periods with a record.
pub fn windows_within(spread: Spread, window: WindowLength) -> Option<(Span, Span)> {
    let end = spread.last?;
    let len = match window {
        WindowLength::Last(n) => n.max(1) as i32,
        WindowLength::All => end.0 - spread.first?.0 + 1,
    };
    let now = Span { start: end.offset(1 - len), end };
    let previous = Span { start: now.start.offset(-len), end: now.start.offset(-1) };
    Some((now, previous))
}

/// Decimal places kept for amounts that divide (the cost of late payment, amortisation).
///
/// `× days / 365` and `/ amortisation_periods` rarely divide evenly; kept to 28 significant
/// digits, their sums would depend on the order of addition. Rounded to 12 places — far below
/// a cent — every sum of them is exact and the same in any order.
pub const DIVIDED_DP: u32 = 12;

/// The cost of money for a record's late payment: `revenue × capital_rate × days_late / 365`.
pub fn late_cost(r: &PeriodRecord, s: &Settings) -> Decimal {
    (r.revenue * s.capital_rate * r.days_late / Decimal::from(365)).round_dp(DIVIDED_DP)
}

/// The cost to serve of one record, before amortisation (DOMAIN.md §2): everything subtracted
/// from revenue except direct cost and the acquisition cost.
pub fn record_cost_to_serve(r: &PeriodRecord, s: &Settings) -> Decimal {
    let late = late_cost(r, s);
    s.commission * r.revenue
        + r.service_hours * s.service_rate
        + r.sales_hours * s.sales_rate
        + Decimal::from(r.tickets) * s.ticket_cost
        + late
        + r.written_off
}

/// The first period of a client's relationship: the earlier of `start` and its first row.
pub fn first_period(client: &Client, records: Option<&BTreeMap<Period, PeriodRecord>>) -> Option<Period> {
    let first_row = records.and_then(|r| r.keys().next().copied());
    match (client.start, first_row) {
        (Some(s), Some(r)) => Some(s.min(r)),
        (s, r) => s.or(r),
    }
}

/// The months of `span` during which the client's acquisition cost is charged: the span of
/// `amortisation_periods` months from `start` (or the first row when `start` is empty).
fn amortised_months(
    client: &Client,
    records: Option<&BTreeMap<Period, PeriodRecord>>,
    settings: &Settings,
    span: Span,
) -> i64 {
    if client.acquisition_cost.is_zero() || span.is_empty() {
        return 0;
    }
    let kind = settings.period_kind;
    let Some(start) = client.start.or_else(|| records.and_then(|r| r.keys().next().copied())) else { return 0 };
    let amort_start = kind.first_month(start) as i64;
    let amort_end = amort_start + settings.amortisation_periods as i64 - 1;
    let span_start = kind.first_month(span.start) as i64;
    let span_end = kind.first_month(span.end) as i64 + kind.months() as i64 - 1;
    (amort_end.min(span_end) - amort_start.max(span_start) + 1).max(0)
}

/// The acquisition cost charged over `months` months: `acquisition_cost × months / periods`.
fn amortisation(client: &Client, settings: &Settings, months: i64) -> Decimal {
    if months == 0 {
        return Decimal::ZERO;
    }
    (client.acquisition_cost * Decimal::from(months) / Decimal::from(settings.amortisation_periods.max(1))).round_dp(DIVIDED_DP)
}

/// A client's totals over one window (DOMAIN.md §2–§3), all exact.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    pub revenue: Decimal,
    pub direct_cost: Decimal,
    pub discount: Decimal,
    pub cost_to_serve: Decimal,
    pub profit: Decimal,
    pub service_hours: Decimal,
    pub sales_hours: Decimal,
    pub tickets: u64,
    pub written_off: Decimal,
    /// The part of the cost to serve that is the cost of late payment.
    pub late_cost: Decimal,
    /// Σ revenue × days late over periods with revenue > 0.
    pub late_weighted: Decimal,
    /// Σ revenue over periods with revenue > 0.
    pub positive_revenue: Decimal,
    /// Σ revenue × days late over every record: the cost of late payment is about
    /// `capital_rate × revenue_days / 365` (each record's share rounded as [`late_cost`] does).
    pub revenue_days: Decimal,
    /// Revenue per period of the client's series in the window (missing periods are zero).
    pub series: Vec<Decimal>,
}

impl Figures {
    /// `profit / revenue`, undefined when revenue ≤ 0.
    pub fn margin(&self) -> Option<Decimal> {
        (self.revenue > Decimal::ZERO).then(|| self.profit / self.revenue)
    }

    /// Revenue-weighted mean days late over periods with revenue (0 when there are none).
    pub fn days_late(&self) -> Decimal {
        if self.positive_revenue > Decimal::ZERO {
            self.late_weighted / self.positive_revenue
        } else {
            Decimal::ZERO
        }
    }
}

/// A client's figures over `span`.
pub fn figures(
    client: &Client,
    records: Option<&BTreeMap<Period, PeriodRecord>>,
    settings: &Settings,
    span: Span,
) -> Figures {
    let mut f = Figures::default();
    if span.is_empty() {
        return f;
    }
    if let Some(records) = records {
        for (_, r) in records.range(span.start..=span.end) {
            let cts = record_cost_to_serve(r, settings);
            f.revenue += r.revenue;
            f.direct_cost += r.direct_cost;
            f.discount += r.discount;
            f.cost_to_serve += cts;
            f.profit += r.revenue - r.direct_cost - cts;
            f.service_hours += r.service_hours;
            f.sales_hours += r.sales_hours;
            f.tickets += r.tickets as u64;
            f.written_off += r.written_off;
            f.late_cost += late_cost(r, settings);
            f.revenue_days += r.revenue * r.days_late;
            if r.revenue > Decimal::ZERO {
                f.late_weighted += r.revenue * r.days_late;
                f.positive_revenue += r.revenue;
            }
        }
    }
    let amort = amortisation(client, settings, amortised_months(client, records, settings, span));
    f.cost_to_serve += amort;
    f.profit -= amort;
    if let Some(first) = first_period(client, records) {
        let start = first.max(span.start);
        if start <= span.end {
            f.series = (start.0..=span.end.0)
                .map(|p| records.and_then(|r| r.get(&Period(p))).map_or(Decimal::ZERO, |r| r.revenue))
                .collect();
        }
    }
    f
}

/// One period of a client, as the client page shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct PeriodLine {
    pub period: Period,
    pub revenue: Decimal,
    pub cost_to_serve: Decimal,
    pub profit: Decimal,
}

/// Per-period revenue, cost to serve and profit over `span` (every period, zero where absent).
pub fn period_lines(
    client: &Client,
    records: Option<&BTreeMap<Period, PeriodRecord>>,
    settings: &Settings,
    span: Span,
) -> Vec<PeriodLine> {
    span.periods()
        .map(|p| {
            let one = figures(client, records, settings, Span { start: p, end: p });
            PeriodLine { period: p, revenue: one.revenue, cost_to_serve: one.cost_to_serve, profit: one.profit }
        })
        .collect()
}

