//! The verdict (DOMAIN.md §7): the first of fourteen rules that matches, with the facts that
//! led to it and the money at stake.

use rust_decimal::Decimal;

use super::abc::AbcClass;
use super::health::SourTerms;
use super::xyz::XyzClass;
use super::{Cell, Flags};
use crate::core::model::{Potential, Status};

/// What to do with a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    Dormant,
    ProtectAndDiversify,
    TooEarly,
    Rest,
    RepriceOrExit,
    LetGoGradually,
    UpsellToB,
    KeepForIndirectValue,
    Renegotiate,
    KeyKeep,
    KeyVolatile,
    KeepAndGrow,
    KeepAndStabilise,
}

impl Verdict {
    /// Every verdict in the order of the rules that give it first.
    pub const ALL: [Verdict; 13] = [
        Verdict::Dormant,
        Verdict::ProtectAndDiversify,
        Verdict::TooEarly,
        Verdict::Rest,
        Verdict::RepriceOrExit,
        Verdict::LetGoGradually,
        Verdict::UpsellToB,
        Verdict::KeepForIndirectValue,
        Verdict::Renegotiate,
        Verdict::KeyKeep,
        Verdict::KeyVolatile,
        Verdict::KeepAndGrow,
        Verdict::KeepAndStabilise,
    ];

    /// The English name of §7, used in the results export.
    pub fn english(self) -> &'static str {
        match self {
            Verdict::Dormant => "Dormant",
            Verdict::ProtectAndDiversify => "Protect & diversify",
            Verdict::TooEarly => "Too early to judge",
            Verdict::Rest => "Rest",
            Verdict::RepriceOrExit => "Reprice or exit",
            Verdict::LetGoGradually => "Let go gradually",
            Verdict::UpsellToB => "Upsell to B",
            Verdict::KeepForIndirectValue => "Keep for indirect value",
            Verdict::Renegotiate => "Renegotiate",
            Verdict::KeyKeep => "Key: keep, reduce dependence",
            Verdict::KeyVolatile => "Key but volatile: stabilise",
            Verdict::KeepAndGrow => "Keep & grow",
            Verdict::KeepAndStabilise => "Keep & stabilise",
        }
    }

    /// Verdicts that end with the client leaving (the what-if default).
    pub fn is_exit(self) -> bool {
        self.family() == Family::Exit
    }

    /// The family a verdict belongs to, for colour and legends: leaving, keeping, watching,
    /// or anything else.
    pub fn family(self) -> Family {
        match self {
            Verdict::RepriceOrExit | Verdict::LetGoGradually | Verdict::Rest => Family::Exit,
            Verdict::KeyKeep | Verdict::KeepAndGrow | Verdict::KeepAndStabilise => Family::Keep,
            Verdict::ProtectAndDiversify | Verdict::Renegotiate | Verdict::KeyVolatile | Verdict::UpsellToB => Family::Watch,
            Verdict::KeepForIndirectValue | Verdict::Dormant | Verdict::TooEarly => Family::Other,
        }
    }
}

/// Verdicts by what they ask of the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    Exit,
    Keep,
    Watch,
    Other,
}

impl Family {
    pub const ALL: [Family; 4] = [Family::Exit, Family::Keep, Family::Watch, Family::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Family::Exit => "exit",
            Family::Keep => "keep",
            Family::Watch => "watch",
            Family::Other => "other",
        }
    }
}

/// A fact behind a verdict, in numbers; the UI puts it in words.
#[derive(Clone, Debug, PartialEq)]
pub enum Fact {
    /// Status `former`.
    Former,
    /// No revenue in the window.
    NoRevenue,
    /// Its profit share is above `max_share`.
    ShareOverMax { share: Decimal, max_share: Decimal },
    /// Fewer than 3 periods in its series.
    FewPeriods { periods: usize },
    /// Its cell went from key to marginal.
    Slid { from: Cell, to: Cell },
    /// It loses money; `rise` is the price rise that breaks even (a fraction), when revenue > 0.
    Loss { profit: Decimal, rise: Option<Decimal> },
    /// Its referrals earn more than it costs.
    ReferralsCoverLoss { referral_value: Decimal, loss: Decimal },
    /// Kept for reasons outside the numbers.
    Strategic,
    /// Class C with nothing more to sell.
    NoPotential,
    /// Extra profit (on the ABC basis) needed to cross into B, and what the potential allows.
    ProfitToReachB { needed: Decimal, allowance: Decimal },
    /// The upsell is out of reach of its potential.
    BeyondPotential { needed: Option<Decimal>, allowance: Decimal },
    /// Value of the clients it referred, with their ids.
    Referrals { referral_value: Decimal, profit: Decimal, clients: Vec<String> },
    /// Class C: small contribution.
    SmallContribution { share: Option<Decimal> },
    /// Margin fell and these terms went sour.
    Ageing { margin_now: Decimal, margin_prev: Decimal, terms: SourTerms },
    /// Its cell.
    InCell { cell: Cell },
}

/// Everything the rules look at for one client.
#[derive(Clone, Debug)]
pub struct VerdictInputs<'a> {
    pub status: Status,
    pub flags: Flags,
    pub cell: Cell,
    pub previous_cell: Cell,
    pub profit: Decimal,
    pub revenue: Decimal,
    pub strategic: bool,
    pub potential: Potential,
    pub referral_value: Decimal,
    pub referrals: &'a [String],
    pub profit_share: Decimal,
    pub max_share: Decimal,
    pub series_len: usize,
    /// ABC basis value and what reaching B needs on that basis.
    pub basis_value: Decimal,
    pub basis_share: Option<Decimal>,
    pub needed_for_b: Option<Decimal>,
    pub margins: Option<(Decimal, Decimal)>,
    pub sour_terms: Option<SourTerms>,
}

/// The verdict, the number of the rule that gave it (1–14) and its facts.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub verdict: Verdict,
    pub rule: u8,
    pub facts: Vec<Fact>,
}

/// The share of its basis value a client's potential allows an upsell to add (rule 7).
pub(crate) fn upsell_share(potential: Potential) -> Decimal {
    match potential {
        Potential::None => Decimal::ZERO,
        Potential::Low => Decimal::new(25, 2),
        Potential::Medium => Decimal::new(50, 2),
        Potential::High => Decimal::ONE,
    }
}

fn allowance(potential: Potential, basis_value: Decimal) -> Decimal {
    upsell_share(potential) * basis_value.max(Decimal::ZERO)
}

/// Applies the fourteen rules in order (DOMAIN.md §7).
pub fn decide(i: &VerdictInputs) -> Decision {
    let d = |verdict, rule, facts| Decision { verdict, rule, facts };
    let zero = Decimal::ZERO;
    let class = i.cell.abc;
    let referral_fact =
        || Fact::Referrals { referral_value: i.referral_value, profit: i.profit, clients: i.referrals.to_vec() };
    let loss_fact = || Fact::Loss {
        profit: i.profit,
        rise: (i.revenue > zero).then(|| -i.profit / i.revenue),
    };

    if i.status == Status::Former || i.flags.inactive {
        let fact = if i.status == Status::Former { Fact::Former } else { Fact::NoRevenue };
        return d(Verdict::Dormant, 1, vec![fact]);
    }
    if i.flags.concentration {
        return d(Verdict::ProtectAndDiversify, 2, vec![Fact::ShareOverMax { share: i.profit_share, max_share: i.max_share }]);
    }
    if i.flags.new {
        return d(Verdict::TooEarly, 3, vec![Fact::FewPeriods { periods: i.series_len }]);
    }
    if i.flags.slid {
        return d(Verdict::Rest, 4, vec![Fact::Slid { from: i.previous_cell, to: i.cell }]);
    }
    if i.flags.loss && !(i.strategic || i.referral_value >= -i.profit) {
        let mut facts = vec![loss_fact()];
        if i.referral_value > zero {
            facts.push(referral_fact());
        }
        return d(Verdict::RepriceOrExit, 5, facts);
    }
    if class == AbcClass::C {
        if i.potential == Potential::None && !i.strategic && i.referral_value < i.profit {
            return d(Verdict::LetGoGradually, 6, vec![Fact::SmallContribution { share: i.basis_share }, Fact::NoPotential]);
        }
        let allowed = allowance(i.potential, i.basis_value);
        if i.potential >= Potential::Low && i.profit > zero {
            if let Some(needed) = i.needed_for_b.filter(|n| *n <= allowed) {
                return d(Verdict::UpsellToB, 7, vec![Fact::ProfitToReachB { needed, allowance: allowed }]);
            }
        }
        if i.strategic || (i.referral_value > zero && i.referral_value >= i.profit) {
            let mut facts = Vec::new();
            if i.flags.loss {
                facts.push(loss_fact());
            }
            if i.strategic {
                facts.push(Fact::Strategic);
            }
            if i.referral_value > zero {
                facts.push(referral_fact());
            }
            return d(Verdict::KeepForIndirectValue, 8, facts);
        }
        let mut facts = vec![Fact::SmallContribution { share: i.basis_share }];
        if i.potential >= Potential::Low {
            facts.push(Fact::BeyondPotential { needed: i.needed_for_b, allowance: allowed });
        }
        return d(Verdict::LetGoGradually, 9, facts);
    }
    if let (Some(terms), Some((now, prev))) = (i.sour_terms, i.margins) {
        if i.flags.ageing {
            return d(Verdict::Renegotiate, 10, vec![Fact::Ageing { margin_now: now, margin_prev: prev, terms }]);
        }
    }
    let facts = vec![Fact::InCell { cell: i.cell }];
    match (class, i.cell.xyz) {
        (AbcClass::A, XyzClass::X) => d(Verdict::KeyKeep, 11, facts),
        (AbcClass::A, _) => d(Verdict::KeyVolatile, 12, facts),
        (_, XyzClass::X | XyzClass::Y) => d(Verdict::KeepAndGrow, 13, facts),
        _ => d(Verdict::KeepAndStabilise, 14, facts),
    }
}
