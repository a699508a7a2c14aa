//! The engine's facts put into words in the user's language, with money formatted for it.

use rust_decimal::Decimal;

use crate::core::analysis::{ClientAnalysis, Fact};
use crate::core::import::Column;
use crate::i18n::format::{money, percent};
use crate::i18n::{Lang, T};

/// One fact behind a verdict, as a sentence.
pub fn fact(lang: Lang, f: &Fact, currency: &str) -> String {
    let m = |d: Decimal| money(lang, d, currency);
    let p = |d: Decimal| percent(lang, d, 1);
    match f {
        Fact::Former => lang.t(T::FactFormer).into(),
        Fact::NoRevenue => lang.t(T::FactNoRevenue).into(),
        Fact::ShareOverMax { share, max_share } => lang.fill(T::FactShare, &[&p(*share), &p(*max_share)]),
        Fact::FewPeriods { periods } => lang.count(T::FactFewPeriods, *periods),
        Fact::Slid { from, to } => lang.fill(T::FactSlid, &[from.label(), to.label()]),
        Fact::Loss { profit, rise } => {
            let mut s = lang.fill(T::FactLoss, &[&m(-*profit)]);
            if let Some(r) = rise {
                s.push(' ');
                s.push_str(&lang.fill(T::FactBreakEven, &[&p(*r)]));
            }
            s
        }
        Fact::ReferralsCoverLoss { referral_value, loss } => lang.fill(T::FactReferralsCover, &[&m(*referral_value), &m(*loss)]),
        Fact::Strategic => lang.t(T::FactStrategic).into(),
        Fact::NoPotential => lang.t(T::FactNoPotential).into(),
        Fact::ProfitToReachB { needed, allowance } => lang.fill(T::FactToReachB, &[&m(*needed), &m(*allowance)]),
        Fact::BeyondPotential { needed, allowance } => match needed {
            Some(n) => lang.fill(T::FactBeyondPotential, &[&m(*n), &m(*allowance)]),
            None => lang.t(T::AdviceLetGo).into(),
        },
        Fact::Referrals { referral_value, profit, clients } => {
            lang.fill(T::FactReferrals, &[&clients.join(", "), &m(*referral_value), &m(*profit)])
        }
        Fact::SmallContribution { share } => {
            lang.fill(T::FactSmall, &[&share.map_or_else(|| lang.t(T::Dash).to_string(), p)])
        }
        Fact::Ageing { margin_now, margin_prev, terms } => {
            let mut sour = Vec::new();
            if terms.discounts {
                sour.push(lang.t(T::FactSourDiscounts));
            }
            if terms.delays {
                sour.push(lang.t(T::FactSourDelays));
            }
            if terms.service_load {
                sour.push(lang.t(T::FactSourService));
            }
            format!(
                "{} {}",
                lang.fill(T::FactAgeing, &[&p(*margin_prev), &p(*margin_now)]),
                lang.fill(T::FactWentSour, &[&sour.join(", ")])
            )
        }
        Fact::InCell { cell } => lang.fill(T::FactCell, &[cell.label()]),
    }
}

/// The money at stake for a client's verdict, in words (empty when none applies): the
/// break-even price rise, the profit needed to reach B, the referral value, or the share over
/// the limit.
pub fn at_stake(lang: Lang, c: &ClientAnalysis, currency: &str) -> String {
    for f in &c.decision.facts {
        match f {
            Fact::Loss { rise: Some(r), profit } => return format!("+{} ({})", percent(lang, *r, 1), money(lang, *profit, currency)),
            Fact::Loss { profit, .. } => return money(lang, *profit, currency),
            Fact::ProfitToReachB { needed, .. } => return format!("+{}", money(lang, *needed, currency)),
            Fact::Referrals { referral_value, .. } => return money(lang, *referral_value, currency),
            Fact::ShareOverMax { share, .. } => return percent(lang, *share, 1),
            _ => {}
        }
    }
    String::new()
}

/// What a file column holds, in the user's language (its §9 name is shown beside it where a
/// file is concerned).
pub fn column_label(c: Column) -> T {
    match c {
        Column::Client => T::ClientId,
        Column::Period => T::PeriodHeader,
        Column::Revenue => T::Revenue,
        Column::DirectCost => T::DirectCost,
        Column::Discount => T::Discount,
        Column::ServiceHours => T::ServiceHours,
        Column::SalesHours => T::SalesHours,
        Column::Tickets => T::Tickets,
        Column::DaysLate => T::DaysLate,
        Column::WrittenOff => T::WrittenOff,
        Column::Date => T::DateColumn,
        Column::Amount => T::AmountColumn,
        Column::Cost => T::CostColumn,
        Column::Name => T::Name,
        Column::Start => T::StartField,
        Column::AcquisitionCost => T::ProspectAcquisition,
        Column::ReferredBy => T::ReferredByField,
        Column::IcpFit => T::IcpFitField,
        Column::Potential => T::FactorPotential,
        Column::Strategic => T::StrategicField,
        Column::Status => T::StatusField,
        Column::Tags => T::TagsField,
        Column::Notes => T::NotesField,
    }
}
