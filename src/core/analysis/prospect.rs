//! Prospect check (DOMAIN.md §8): is a prospect worth winning, before the first contact?

use rust_decimal::Decimal;

use crate::core::model::Settings;

/// What the user expects of a prospect.
#[derive(Clone, Debug, PartialEq)]
pub struct Prospect {
    pub name: String,
    pub yearly_revenue: Decimal,
    /// Gross margin after direct costs (0.40 = 40%).
    pub margin: Decimal,
    pub service_hours: Decimal,
    pub sales_hours: Decimal,
    pub acquisition_cost: Decimal,
    pub expected_years: Decimal,
    /// Share of a year's business kept the next year (0.85 = 85%).
    pub retention: Decimal,
    /// Yearly discount rate (default 10%).
    pub discount_rate: Decimal,
}

impl Default for Prospect {
    fn default() -> Self {
        Prospect {
            name: String::new(),
            yearly_revenue: Decimal::ZERO,
            margin: Decimal::new(40, 2),
            service_hours: Decimal::ZERO,
            sales_hours: Decimal::ZERO,
            acquisition_cost: Decimal::ZERO,
            expected_years: Decimal::from(3),
            retention: Decimal::new(85, 2),
            discount_rate: Decimal::new(10, 2),
        }
    }
}

/// A figure of the prospect form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    YearlyRevenue,
    Margin,
    ServiceHours,
    SalesHours,
    AcquisitionCost,
    ExpectedYears,
    Retention,
    DiscountRate,
}

/// What a form field holds: money in the portfolio's currency, a percentage (kept as a
/// fraction), or a plain count of hours or years.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Money,
    Percent,
    Plain,
}

impl Field {
    /// The fields in form order.
    pub const ALL: [Field; 8] = [
        Field::YearlyRevenue,
        Field::Margin,
        Field::ServiceHours,
        Field::SalesHours,
        Field::AcquisitionCost,
        Field::ExpectedYears,
        Field::Retention,
        Field::DiscountRate,
    ];

    /// The field's key (its name in the form's markup).
    pub fn key(self) -> &'static str {
        match self {
            Field::YearlyRevenue => "yearly_revenue",
            Field::Margin => "margin",
            Field::ServiceHours => "service_hours",
            Field::SalesHours => "sales_hours",
            Field::AcquisitionCost => "acquisition_cost",
            Field::ExpectedYears => "expected_years",
            Field::Retention => "retention",
            Field::DiscountRate => "discount_rate",
        }
    }

    pub fn unit(self) -> Unit {
        match self {
            Field::Margin | Field::Retention | Field::DiscountRate => Unit::Percent,
            Field::YearlyRevenue | Field::AcquisitionCost => Unit::Money,
            Field::ServiceHours | Field::SalesHours | Field::ExpectedYears => Unit::Plain,
        }
    }

    fn slot(self, p: &mut Prospect) -> &mut Decimal {
        match self {
            Field::YearlyRevenue => &mut p.yearly_revenue,
            Field::Margin => &mut p.margin,
            Field::ServiceHours => &mut p.service_hours,
            Field::SalesHours => &mut p.sales_hours,
            Field::AcquisitionCost => &mut p.acquisition_cost,
            Field::ExpectedYears => &mut p.expected_years,
            Field::Retention => &mut p.retention,
            Field::DiscountRate => &mut p.discount_rate,
        }
    }

    fn value(self, p: &Prospect) -> Decimal {
        match self {
            Field::YearlyRevenue => p.yearly_revenue,
            Field::Margin => p.margin,
            Field::ServiceHours => p.service_hours,
            Field::SalesHours => p.sales_hours,
            Field::AcquisitionCost => p.acquisition_cost,
            Field::ExpectedYears => p.expected_years,
            Field::Retention => p.retention,
            Field::DiscountRate => p.discount_rate,
        }
    }

    /// The value as the form shows it: percentages × 100.
    pub fn shown(self, p: &Prospect) -> Decimal {
        let v = self.value(p);
        if self.unit() == Unit::Percent { v * Decimal::ONE_HUNDRED } else { v }
    }

    /// Sets the field from a value as the form shows it.
    pub fn set_shown(self, p: &mut Prospect, v: Decimal) {
        *self.slot(p) = if self.unit() == Unit::Percent { v / Decimal::ONE_HUNDRED } else { v };
    }
}

/// What to do with a prospect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProspectVerdict {
    /// CLV > 0 and the acquisition cost is paid back within the expected years.
    Pursue,
    /// CLV > 0 but the payback takes longer than the expected relationship.
    QualifyFurther,
    /// CLV ≤ 0.
    Avoid,
}

/// The check's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct ProspectCheck {
    /// `m`: revenue × margin − the yearly cost to serve it (commission, service and sales hours).
    pub yearly_profit: Decimal,
    /// Months to earn back the acquisition cost; `None` when it never is (yearly profit ≤ 0).
    pub payback_months: Option<Decimal>,
    /// `m × r / (1 + d − r) − acquisition_cost`.
    pub clv: Decimal,
    pub verdict: ProspectVerdict,
}

/// Checks a prospect against the portfolio's cost model.
pub fn check(p: &Prospect, settings: &Settings) -> ProspectCheck {
    let yearly_profit = p.yearly_revenue * p.margin
        - settings.commission * p.yearly_revenue
        - p.service_hours * settings.service_rate
        - p.sales_hours * settings.sales_rate;
    let payback_months = if p.acquisition_cost <= Decimal::ZERO {
        Some(Decimal::ZERO)
    } else if yearly_profit > Decimal::ZERO {
        Some(p.acquisition_cost * Decimal::from(12) / yearly_profit)
    } else {
        None
    };
    let denominator = Decimal::ONE + p.discount_rate - p.retention;
    let lifetime = if denominator > Decimal::ZERO { yearly_profit * p.retention / denominator } else { Decimal::ZERO };
    let clv = lifetime - p.acquisition_cost;
    let verdict = if clv <= Decimal::ZERO {
        ProspectVerdict::Avoid
    } else if payback_months.is_some_and(|m| m <= p.expected_years * Decimal::from(12)) {
        ProspectVerdict::Pursue
    } else {
        ProspectVerdict::QualifyFurther
    };
    ProspectCheck { yearly_profit, payback_months, clv, verdict }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;


    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn hand_checked_prospects() {
        let settings = Settings { service_rate: d("45"), sales_rate: d("60"), commission: d("0.05"), ..Settings::default() };
        // 60,000 × 40% = 24,000 − 3,000 commission − 100 h × 45 − 50 h × 60 = 13,500 a year.
        // CLV = 13,500 × 0.85 / (1 + 0.10 − 0.85) − 6,000 = 45,900 − 6,000 = 39,900.
        // Payback = 6,000 × 12 / 13,500 = 5.33 months.
        let good = Prospect {
            yearly_revenue: d("60000"),
            service_hours: d("100"),
            sales_hours: d("50"),
            acquisition_cost: d("6000"),
            ..Prospect::default()
        };
        let c = check(&good, &settings);
        assert_eq!(c.yearly_profit, d("13500"));
        assert_eq!(c.clv, d("39900"));
        assert_eq!(c.payback_months.unwrap().round_dp(2), d("5.33"));
        assert_eq!(c.verdict, ProspectVerdict::Pursue);

        // 1,000 a year, 3,000 to win: CLV = 1,000 × 0.95 / 0.15 − 3,000 = 3,333.33; payback 36 months.
        let slow = Prospect { yearly_revenue: d("2500"), acquisition_cost: d("3000"), retention: d("0.95"), ..Prospect::default() };
        let c = check(&slow, &Settings::default());
        assert_eq!(c.yearly_profit, d("1000"));
        assert_eq!(c.clv.round_dp(2), d("3333.33"));
        assert_eq!(c.payback_months, Some(d("36")));
        assert_eq!(c.verdict, ProspectVerdict::Pursue);
        let slower = Prospect { expected_years: d("2"), ..slow };
        assert_eq!(check(&slower, &Settings::default()).verdict, ProspectVerdict::QualifyFurther);

        // Costs more to serve than it brings.
        let bad = Prospect { yearly_revenue: d("10000"), service_hours: d("200"), ..Prospect::default() };
        let c = check(&bad, &settings);
        assert!(c.yearly_profit < Decimal::ZERO);
        assert_eq!(c.payback_months, Some(Decimal::ZERO), "nothing to pay back");
        assert_eq!(c.verdict, ProspectVerdict::Avoid);
    }
}
