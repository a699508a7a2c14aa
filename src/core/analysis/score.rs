//! The keep-or-fire score (DOMAIN.md §7): eight factors, each 0–100, and their weighted mean.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::core::model::{Potential, Settings, Weights};

/// The factors, in the order of the §7 table and of [`crate::core::model::Weights`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Factor {
    Profitability,
    Stability,
    Trend,
    CostToServe,
    Payment,
    IndirectValue,
    Fit,
    Potential,
}

impl Factor {
    pub const ALL: [Factor; 8] = [
        Factor::Profitability,
        Factor::Stability,
        Factor::Trend,
        Factor::CostToServe,
        Factor::Payment,
        Factor::IndirectValue,
        Factor::Fit,
        Factor::Potential,
    ];
}

/// Everything the factors need about one client.
#[derive(Clone, Debug)]
pub struct ScoreInputs {
    pub profit: Decimal,
    pub revenue: Decimal,
    pub margin: Option<Decimal>,
    /// Rank among the `n` clients with profit > 0 (1 = most profitable), when profit > 0.
    pub profit_rank: Option<(usize, usize)>,
    pub cv: Option<f64>,
    pub inactive: bool,
    pub prev_revenue: Decimal,
    pub prev_margin: Option<Decimal>,
    pub ageing: bool,
    pub cost_to_serve: Decimal,
    pub days_late: Decimal,
    pub written_off: Decimal,
    pub strategic: bool,
    pub referral_value: Decimal,
    pub icp_fit: u8,
    pub potential: Potential,
}

/// A score with its breakdown: each factor 0–100, and the weighted mean.
#[derive(Clone, Debug, PartialEq)]
pub struct Score {
    pub factors: [f64; 8],
    pub total: f64,
}

fn unit(x: f64) -> f64 {
    if x.is_nan() { 0.0 } else { x.clamp(0.0, 1.0) }
}

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

fn compare(now: Decimal, prev: Decimal) -> f64 {
    match now.cmp(&prev) {
        std::cmp::Ordering::Greater => 1.0,
        std::cmp::Ordering::Equal => 0.5,
        std::cmp::Ordering::Less => 0.0,
    }
}

/// The eight factor parts (0…1) of DOMAIN.md §7.
pub fn parts(i: &ScoreInputs, settings: &Settings) -> [f64; 8] {
    let zero = Decimal::ZERO;
    let profitability = match (i.profit > zero, i.profit_rank) {
        (true, Some((r, n))) => {
            let rank_part = (n - r + 1) as f64 / n as f64;
            let margin_part = i.margin.map_or(0.0, |m| unit(f(m) / 0.40));
            (rank_part + margin_part) / 2.0
        }
        _ => 0.0,
    };
    let stability = if i.inactive {
        0.0
    } else {
        i.cv.map_or(0.0, |cv| unit(1.0 - cv / (2.0 * f(settings.y))))
    };
    let margin_trend = match (i.margin, i.prev_margin) {
        (Some(now), Some(prev)) => compare(now, prev),
        _ => 0.5,
    };
    let trend = (compare(i.revenue, i.prev_revenue) + margin_trend + if i.ageing { 0.0 } else { 1.0 }) / 3.0;
    let cost_to_serve = if i.revenue > zero {
        let ratio = f(i.cost_to_serve / i.revenue);
        unit((0.50 - ratio) / 0.45)
    } else {
        0.0
    };
    let payment = if i.revenue > zero {
        let late = 1.0 - f(i.days_late) / 90.0;
        let write_off = 1.0 - f(i.written_off / i.revenue) / 0.05;
        unit(late.min(write_off))
    } else if i.written_off > zero {
        0.0
    } else {
        1.0
    };
    let indirect_value = if i.strategic {
        1.0
    } else if i.referral_value <= zero {
        0.0
    } else if i.profit <= zero {
        1.0
    } else {
        unit(f(i.referral_value / i.profit))
    };
    let fit = unit((i.icp_fit as f64 - 1.0) / 4.0);
    let potential = match i.potential {
        Potential::None => 0.0,
        Potential::Low => 1.0 / 3.0,
        Potential::Medium => 2.0 / 3.0,
        Potential::High => 1.0,
    };
    [profitability, stability, trend, cost_to_serve, payment, indirect_value, fit, potential]
}

/// Score = Σ weight × factor / Σ weight, factors as 0–100 (weights of 0 drop a factor).
pub fn score(i: &ScoreInputs, settings: &Settings) -> Score {
    let factors = parts(i, settings).map(|p| 100.0 * p);
    Score { factors, total: weighted(&factors, &settings.weights) }
}

/// The weighted mean of the factors (0 when every weight is 0).
pub fn weighted(factors: &[f64; 8], weights: &Weights) -> f64 {
    Weighing::new(weights).of(factors)
}

/// The weights as the weighted mean reads them, converted once for many scores.
pub struct Weighing {
    weights: [f64; 8],
    total: f64,
}

impl Weighing {
    pub fn new(weights: &Weights) -> Weighing {
        let weights = weights.0.map(f);
        Weighing { weights, total: weights.iter().sum() }
    }

    /// The weighted mean of the factors (0 when every weight is 0).
    pub fn of(&self, factors: &[f64; 8]) -> f64 {
        if self.total > 0.0 {
            factors.iter().zip(self.weights).map(|(f, w)| f * w).sum::<f64>() / self.total
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> ScoreInputs {
        ScoreInputs {
            profit: Decimal::from(400),
            revenue: Decimal::from(1000),
            margin: Some(Decimal::new(4, 1)),
            profit_rank: Some((1, 4)),
            cv: Some(0.0),
            inactive: false,
            prev_revenue: Decimal::from(900),
            prev_margin: Some(Decimal::new(3, 1)),
            ageing: false,
            cost_to_serve: Decimal::from(50),
            days_late: Decimal::ZERO,
            written_off: Decimal::ZERO,
            strategic: false,
            referral_value: Decimal::ZERO,
            icp_fit: 5,
            potential: Potential::High,
        }
    }

    #[test]
    fn each_factor_as_written() {
        let s = Settings::default();
        type Case = (&'static str, fn(&mut ScoreInputs), usize, f64);
        let cases: &[Case] = &[
            ("best client", |_| {}, 0, 1.0),
            ("rank 4 of 4, margin 20%", |i| { i.profit_rank = Some((4, 4)); i.margin = Some(Decimal::new(2, 1)); }, 0, (0.25 + 0.5) / 2.0),
            ("loss", |i| { i.profit = Decimal::from(-5); i.profit_rank = None; }, 0, 0.0),
            ("cv = y", |i| i.cv = Some(0.5), 1, 0.5),
            ("cv = 2y", |i| i.cv = Some(1.0), 1, 0.0),
            ("inactive", |i| i.inactive = true, 1, 0.0),
            ("all up, no ageing", |_| {}, 2, 1.0),
            ("revenue equal, margin undefined, ageing", |i| { i.prev_revenue = i.revenue; i.prev_margin = None; i.ageing = true; }, 2, 1.0 / 3.0),
            ("cost to serve 5%", |_| {}, 3, 1.0),
            ("cost to serve 27.5%", |i| i.cost_to_serve = Decimal::new(275, 0), 3, 0.5),
            ("cost to serve 60%", |i| i.cost_to_serve = Decimal::from(600), 3, 0.0),
            ("45 days late", |i| i.days_late = Decimal::from(45), 4, 0.5),
            ("4% written off", |i| i.written_off = Decimal::from(40), 4, 0.2),
            ("no revenue, nothing written off", |i| i.revenue = Decimal::ZERO, 4, 1.0),
            ("no revenue, written off", |i| { i.revenue = Decimal::ZERO; i.written_off = Decimal::ONE; }, 4, 0.0),
            ("strategic", |i| i.strategic = true, 5, 1.0),
            ("referrals half the profit", |i| i.referral_value = Decimal::from(200), 5, 0.5),
            ("referrals for a loss-maker", |i| { i.referral_value = Decimal::from(1); i.profit = Decimal::from(-1); }, 5, 1.0),
            ("fit 3", |i| i.icp_fit = 3, 6, 0.5),
            ("potential low", |i| i.potential = Potential::Low, 7, 1.0 / 3.0),
        ];
        for (name, tweak, factor, want) in cases {
            let mut i = base();
            tweak(&mut i);
            let got = parts(&i, &s)[*factor];
            assert!((got - want).abs() < 1e-12, "{name}: factor {factor} = {got}, want {want}");
        }
    }

    #[test]
    fn zero_weights_drop_factors() {
        let mut s = Settings::default();
        s.weights.0 = [0, 0, 0, 0, 0, 0, 1, 0].map(Decimal::from);
        let mut i = base();
        i.icp_fit = 2;
        assert!((score(&i, &s).total - 25.0).abs() < 1e-12);
    }
}
