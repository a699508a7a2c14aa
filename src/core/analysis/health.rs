//! Portfolio health (DOMAIN.md §6): concentration, the whale curve, migration, ageing and
//! referral value.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::profit::Figures;
use super::Cell;

/// How concentrated revenue is, by the Herfindahl–Hirschman index (DOMAIN.md §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HhiBand {
    /// HHI < 1 500.
    Unconcentrated,
    /// 1 500 ≤ HHI ≤ 2 500.
    Moderate,
    /// HHI > 2 500.
    High,
}

impl HhiBand {
    pub fn of(hhi: f64) -> HhiBand {
        if hhi < 1500.0 {
            HhiBand::Unconcentrated
        } else if hhi <= 2500.0 {
            HhiBand::Moderate
        } else {
            HhiBand::High
        }
    }
}

/// Concentration of the portfolio as a whole.
#[derive(Clone, Debug, PartialEq)]
pub struct Concentration {
    /// Σ of the positive window profits: the denominator of every profit share.
    pub positive_profit: Decimal,
    /// Σ of the positive window revenues: the denominator of every revenue share.
    pub positive_revenue: Decimal,
    /// Profit share of the largest client.
    pub top1: Decimal,
    /// Profit share of the five largest clients together.
    pub top5: Decimal,
    /// Herfindahl–Hirschman index of revenue shares, 0–10 000.
    pub hhi: f64,
    /// 10 000 / HHI (`None` when there is no revenue).
    pub effective_clients: Option<f64>,
    pub band: HhiBand,
}

/// `part / whole`, zero when the whole is not positive.
pub fn share(part: Decimal, whole: Decimal) -> Decimal {
    if whole > Decimal::ZERO { part / whole } else { Decimal::ZERO }
}

/// Concentration over the clients' window profits and revenues.
pub fn concentration(profits: &[Decimal], revenues: &[Decimal]) -> Concentration {
    let positive_profit: Decimal = profits.iter().filter(|p| **p > Decimal::ZERO).sum();
    let positive_revenue: Decimal = revenues.iter().filter(|r| **r > Decimal::ZERO).sum();
    // The five largest positive profits, kept in one pass (no sort of every client).
    let mut top: Vec<Decimal> = Vec::with_capacity(6);
    for p in profits.iter().copied().filter(|p| *p > Decimal::ZERO) {
        if top.len() < 5 || p > top[top.len() - 1] {
            let at = top.partition_point(|t| *t >= p);
            top.insert(at, p);
            top.truncate(5);
        }
    }
    let top1 = share(top.first().copied().unwrap_or_default(), positive_profit);
    let top5 = share(top.iter().sum(), positive_profit);
    // Σ (100 × r / R)², as 10 000 × Σ r² / R²: one division, not one a client (a Decimal
    // division costs more than the rest of the pass; the index is a float and shown whole).
    let squares: f64 = revenues.iter().filter(|r| **r > Decimal::ZERO).map(|r| r.to_f64().unwrap_or(0.0).powi(2)).sum();
    let whole = positive_revenue.to_f64().unwrap_or(0.0);
    let hhi = if whole > 0.0 { 10_000.0 * squares / (whole * whole) } else { 0.0 };
    let effective_clients = (hhi > 0.0).then(|| 10_000.0 / hhi);
    Concentration { positive_profit, positive_revenue, top1, top5, hhi, effective_clients, band: HhiBand::of(hhi) }
}

/// One point of the whale curve: after the `clients` most profitable clients, their
/// cumulative profit as a share of total profit.
#[derive(Clone, Debug, PartialEq)]
pub struct WhalePoint {
    pub clients: usize,
    pub cumulative: Decimal,
}

/// The whale curve: clients by window profit descending (ties by id, as given in `order`),
/// cumulative profit over total profit. Empty when total profit is not positive.
pub fn whale_curve(profits_in_order: &[Decimal]) -> Vec<WhalePoint> {
    let mut curve = WhaleCurve::new(profits_in_order.iter().sum());
    for p in profits_in_order {
        curve.push(*p);
    }
    curve.points
}

/// The whale curve drawn a client at a time, in profit order, over their total profit (no
/// curve when that is not positive).
pub struct WhaleCurve {
    total: Decimal,
    cumulative: Decimal,
    pub points: Vec<WhalePoint>,
}

impl WhaleCurve {
    pub fn new(total: Decimal) -> WhaleCurve {
        WhaleCurve { total, cumulative: Decimal::ZERO, points: Vec::new() }
    }

    /// The next client's profit.
    pub fn push(&mut self, profit: Decimal) {
        if self.total > Decimal::ZERO {
            self.cumulative += profit;
            self.points.push(WhalePoint { clients: self.points.len() + 1, cumulative: self.cumulative / self.total });
        }
    }
}

/// `slid`: from AX or BX to BZ or CZ (DOMAIN.md §6, the seed's words).
pub fn slid(previous: Cell, now: Cell) -> bool {
    matches!(previous.label(), "AX" | "BX") && matches!(now.label(), "BZ" | "CZ")
}

/// Which terms went sour for an ageing client.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SourTerms {
    pub discounts: bool,
    pub delays: bool,
    pub service_load: bool,
}

impl SourTerms {
    pub fn any(&self) -> bool {
        self.discounts || self.delays || self.service_load
    }
}

/// `ageing` (DOMAIN.md §6): both windows with revenue, the margin down by ≥ 5 points, and at
/// least one term gone sour ([`sour_terms`]). `None` when not ageing.
pub fn ageing(now: &Figures, prev: &Figures) -> Option<SourTerms> {
    let (Some(m_now), Some(m_prev)) = (now.margin(), prev.margin()) else { return None };
    if !margin_fell(m_now, m_prev) {
        return None;
    }
    sour_terms(now, prev)
}

/// The margin fell by at least 5 points between the previous window and this one.
pub fn margin_fell(now: Decimal, prev: Decimal) -> bool {
    prev - now >= Decimal::new(5, 2)
}

/// The terms that went sour between two windows with revenue — discount share up, weighted
/// days late up, or service hours per unit of revenue up by ≥ 20% (from 0 to anything
/// counts) — whatever the margin did; `None` when none did or a window has no revenue. No
/// cost rate moves them, only the margin.
pub fn sour_terms(now: &Figures, prev: &Figures) -> Option<SourTerms> {
    if now.revenue <= Decimal::ZERO || prev.revenue <= Decimal::ZERO {
        return None;
    }
    // Cross-multiplied to compare the ratios exactly (both revenues are > 0 here).
    let terms = SourTerms {
        discounts: now.discount * prev.revenue > prev.discount * now.revenue,
        delays: now.days_late() > prev.days_late(),
        service_load: if prev.service_hours.is_zero() {
            now.service_hours > Decimal::ZERO
        } else {
            now.service_hours * prev.revenue >= Decimal::new(12, 1) * prev.service_hours * now.revenue
        },
    };
    terms.any().then_some(terms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(revenue: i64, profit: i64, discount: i64, hours: i64, late: i64) -> Figures {
        let revenue = Decimal::from(revenue);
        Figures {
            revenue,
            profit: Decimal::from(profit),
            discount: Decimal::from(discount),
            service_hours: Decimal::from(hours),
            late_weighted: revenue * Decimal::from(late),
            positive_revenue: revenue,
            ..Figures::default()
        }
    }

    #[test]
    fn ageing_needs_a_margin_drop_and_a_sour_term() {
        let prev = fig(1000, 500, 20, 10, 7);
        let cases: &[(Figures, Option<SourTerms>)] = &[
            // margin 50% → 44%: 6 points, discount share up.
            (fig(1000, 440, 100, 10, 7), Some(SourTerms { discounts: true, ..SourTerms::default() })),
            // margin down 4 points only.
            (fig(1000, 460, 100, 30, 40), None),
            // margin down, no term sour.
            (fig(1000, 400, 20, 10, 7), None),
            // service load +20% exactly counts; +19% does not.
            (fig(1000, 400, 20, 12, 7), Some(SourTerms { service_load: true, ..SourTerms::default() })),
            (fig(1000, 400, 10, 11, 7), None),
            // days late up.
            (fig(1000, 400, 20, 10, 8), Some(SourTerms { delays: true, ..SourTerms::default() })),
            // no revenue now: not judged.
            (fig(0, -100, 0, 10, 0), None),
        ];
        for (now, want) in cases {
            assert_eq!(ageing(now, &prev), *want, "{now:?}");
        }
        let no_hours = fig(1000, 500, 20, 0, 7);
        assert_eq!(ageing(&fig(1000, 400, 20, 1, 7), &no_hours).map(|t| t.service_load), Some(true));
    }

    #[test]
    fn hhi_and_shares() {
        let c = concentration(&[Decimal::from(50), Decimal::from(50), Decimal::from(-10)], &[Decimal::from(50), Decimal::from(50), Decimal::ZERO]);
        assert_eq!(c.hhi, 5000.0);
        assert_eq!(c.effective_clients, Some(2.0));
        assert_eq!(c.top1, Decimal::new(5, 1));
        assert_eq!(c.top5, Decimal::ONE);
        assert_eq!(c.band, HhiBand::High);
        assert_eq!(HhiBand::of(1499.9), HhiBand::Unconcentrated);
        assert_eq!(HhiBand::of(2500.0), HhiBand::Moderate);
    }

    #[test]
    fn whale_curve_rises_above_one_and_returns_to_it() {
        let w = whale_curve(&[Decimal::from(80), Decimal::from(40), Decimal::from(-20)]);
        let c: Vec<Decimal> = w.iter().map(|p| p.cumulative).collect();
        assert_eq!(c[0], Decimal::new(8, 1));
        assert_eq!(c[1], Decimal::new(12, 1));
        assert_eq!(c[2], Decimal::ONE);
    }
}
