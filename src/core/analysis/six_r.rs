//! The 6R view of the portfolio (DOMAIN.md §8, seed 003 — Pablo Fernández): for each verdict
//! and each ABC–XYZ cell, which strategies apply, and the money at stake from the user's data.

use rust_decimal::Decimal;

use super::{AbcClass, Analysis, Cell, Fact, Verdict, XyzClass};
use crate::core::date::Date;
use crate::core::model::PeriodKind;

/// The six strategies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum R {
    /// Design the relationship like a product: breadth, depth, duration.
    Relacion,
    /// Find out why clients leave, early.
    Retencion,
    /// Make each client more profitable.
    Rentabilizacion,
    /// Manage referrals on purpose.
    Referenciacion,
    /// Win back former clients.
    Recuperacion,
    /// Wake dormant ones.
    Reactivacion,
}

impl R {
    pub const ALL: [R; 6] = [R::Relacion, R::Retencion, R::Rentabilizacion, R::Referenciacion, R::Recuperacion, R::Reactivacion];
}

/// The strategies for a verdict, the main one first.
pub fn for_verdict(v: Verdict) -> &'static [R] {
    match v {
        Verdict::Dormant => &[R::Reactivacion, R::Recuperacion],
        Verdict::ProtectAndDiversify => &[R::Retencion, R::Relacion],
        Verdict::TooEarly => &[R::Relacion, R::Retencion],
        Verdict::Rest => &[R::Recuperacion, R::Relacion],
        Verdict::RepriceOrExit => &[R::Rentabilizacion],
        Verdict::LetGoGradually => &[R::Relacion, R::Recuperacion],
        Verdict::UpsellToB => &[R::Rentabilizacion, R::Relacion],
        Verdict::KeepForIndirectValue => &[R::Referenciacion, R::Retencion],
        Verdict::Renegotiate => &[R::Rentabilizacion, R::Retencion],
        Verdict::KeyKeep => &[R::Retencion, R::Referenciacion],
        Verdict::KeyVolatile => &[R::Relacion, R::Retencion],
        Verdict::KeepAndGrow => &[R::Rentabilizacion, R::Referenciacion],
        Verdict::KeepAndStabilise => &[R::Relacion, R::Retencion],
    }
}

/// The strategies for a cell of the ABC–XYZ matrix, the main one first.
pub fn for_cell(cell: Cell) -> &'static [R] {
    match (cell.abc, cell.xyz) {
        (AbcClass::A, XyzClass::X) => &[R::Retencion, R::Referenciacion],
        (AbcClass::A, _) => &[R::Relacion, R::Retencion],
        (AbcClass::B, XyzClass::X | XyzClass::Y) => &[R::Rentabilizacion, R::Referenciacion],
        (AbcClass::B, XyzClass::Z) => &[R::Relacion, R::Rentabilizacion],
        (AbcClass::C, XyzClass::X | XyzClass::Y) => &[R::Rentabilizacion, R::Relacion],
        (AbcClass::C, XyzClass::Z) => &[R::Reactivacion, R::Recuperacion],
    }
}

/// What is at stake for a group of clients, in the user's own numbers.
#[derive(Clone, Debug, PartialEq)]
pub enum Stake {
    /// Profit the group earns in the window (what keeping it well protects).
    Profit(Decimal),
    /// What the group loses in the window: the price rises that break even would recover it.
    Losses { loss: Decimal, break_even_max: Option<Decimal> },
    /// Extra profit the group needs to reach class B.
    ToReachB(Decimal),
    /// Value of the referrals the group brought.
    Referrals(Decimal),
    /// The largest profit share in the group.
    Share(Decimal),
    /// Clients to revisit: months from the window's end to the review.
    Review { months: u32 },
}

/// One verdict's row of the 6R view.
#[derive(Clone, Debug, PartialEq)]
pub struct VerdictRow {
    pub verdict: Verdict,
    pub clients: usize,
    pub strategies: &'static [R],
    pub stake: Stake,
}

/// The last day of the analysis window: reviews count from there.
pub fn reviews_from(analysis: &Analysis, kind: PeriodKind) -> Option<Date> {
    let w = analysis.window?;
    let (y, m) = kind.year_month(w.end);
    Date::new(y, m, 1).map(|d| d.add_months(kind.months()).add_days(-1))
}

/// The 6R rows for the verdicts present in an analysis, in rule order.
pub fn by_verdict(a: &Analysis) -> Vec<VerdictRow> {
    Verdict::ALL
        .iter()
        .filter_map(|&v| {
            let group: Vec<_> = a.clients.iter().filter(|c| c.decision.verdict == v).collect();
            if group.is_empty() {
                return None;
            }
            let profit: Decimal = group.iter().map(|c| c.now.profit).sum();
            let stake = match v {
                Verdict::RepriceOrExit => Stake::Losses {
                    loss: -group.iter().map(|c| c.now.profit.min(Decimal::ZERO)).sum::<Decimal>(),
                    break_even_max: group
                        .iter()
                        .flat_map(|c| c.decision.facts.iter())
                        .filter_map(|f| if let Fact::Loss { rise: Some(r), .. } = f { Some(*r) } else { None })
                        .max(),
                },
                Verdict::UpsellToB => Stake::ToReachB(group.iter().filter_map(|c| c.needed_for_b).sum()),
                Verdict::KeepForIndirectValue => Stake::Referrals(group.iter().map(|c| c.referral_value).sum()),
                Verdict::ProtectAndDiversify => Stake::Share(group.iter().map(|c| c.profit_share).max().unwrap_or_default()),
                // "Revisit in 2–3 years" (seed 001): the review is set two years out.
                Verdict::Rest => Stake::Review { months: 24 },
                Verdict::Dormant => Stake::Review { months: 6 },
                _ => Stake::Profit(profit),
            };
            Some(VerdictRow { verdict: v, clients: group.len(), strategies: for_verdict(v), stake })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_verdict_and_cell_has_a_strategy() {
        for v in Verdict::ALL {
            assert!(!for_verdict(v).is_empty(), "{v:?}");
        }
        for c in Cell::all() {
            assert!(!for_cell(c).is_empty(), "{c}");
        }
        // The seed's pairings.
        assert_eq!(for_verdict(Verdict::RepriceOrExit)[0], R::Rentabilizacion);
        assert_eq!(for_verdict(Verdict::Rest)[0], R::Recuperacion);
        assert_eq!(for_verdict(Verdict::KeepForIndirectValue)[0], R::Referenciacion);
        assert_eq!(for_verdict(Verdict::Dormant)[0], R::Reactivacion);
    }

    #[test]
    fn stakes_come_from_the_data() {
        let a = super::super::analyze(&crate::core::demo::portfolio("demo").unwrap());
        let rows = by_verdict(&a);
        assert_eq!(rows.iter().map(|r| r.clients).sum::<usize>(), a.clients.len());
        let reprice = rows.iter().find(|r| r.verdict == Verdict::RepriceOrExit).unwrap();
        let losses: Decimal = a.clients.iter().filter(|c| c.decision.verdict == Verdict::RepriceOrExit).map(|c| -c.now.profit).sum();
        assert!(matches!(&reprice.stake, Stake::Losses { loss, break_even_max: Some(_) } if *loss == losses));
        let indirect = rows.iter().find(|r| r.verdict == Verdict::KeepForIndirectValue).unwrap();
        assert_eq!(indirect.stake, Stake::Referrals(a.client("C274").unwrap().referral_value));
    }
}
