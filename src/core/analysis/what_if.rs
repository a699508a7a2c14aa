//! What-if (DOMAIN.md §8): the portfolio before and after letting a set of clients go, with
//! the freed service hours optionally redeployed; and the expected profit of a price rise
//! that a client may refuse.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use super::abc::AbcClass;
use super::health::{self, Concentration};
use super::{Analysis, ClientAnalysis};

/// The figures the what-if compares.
#[derive(Clone, Debug, PartialEq)]
pub struct Totals {
    pub revenue: Decimal,
    pub profit: Decimal,
    /// Profit / revenue, undefined when revenue ≤ 0.
    pub margin: Option<Decimal>,
    pub service_hours: Decimal,
    pub top1: Decimal,
    pub hhi: f64,
    pub effective_clients: Option<f64>,
}

/// Before and after letting the selection go.
#[derive(Clone, Debug, PartialEq)]
pub struct WhatIf {
    pub before: Totals,
    pub after: Totals,
    /// Window service hours of the clients let go.
    pub freed_hours: Decimal,
    /// Average window profit per service hour of the A and B clients that stay (`None` when
    /// they have no service hours).
    pub profit_per_hour: Option<Decimal>,
    /// Profit the freed hours would earn at that rate, when redeployed (already in `after`).
    pub redeployed_profit: Decimal,
}

/// How much the selection changes the additive figures (after − before).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Change {
    pub revenue: Decimal,
    pub profit: Decimal,
    pub service_hours: Decimal,
}

impl WhatIf {
    /// After minus before, for the figures where a difference means something.
    pub fn change(&self) -> Change {
        Change {
            revenue: self.after.revenue - self.before.revenue,
            profit: self.after.profit - self.before.profit,
            service_hours: self.after.service_hours - self.before.service_hours,
        }
    }
}

/// The default selection: every client whose verdict is an exit (Let go gradually, Reprice or
/// exit, Rest).
pub fn default_selection(analysis: &Analysis) -> BTreeSet<String> {
    // Inserted one by one: `collect` sorts first, with a sort compiled for this type alone.
    let mut selection = BTreeSet::new();
    selection.extend(analysis.clients.iter().filter(|c| c.decision.verdict.is_exit()).map(|c| c.id.clone()));
    selection
}

/// The totals of the clients that stay, from their profits and revenues (in the analysis'
/// order) and service hours.
fn totals(profits: &[Decimal], revenues: &[Decimal], service_hours: Decimal, extra_profit: Decimal) -> Totals {
    let Concentration { top1, hhi, effective_clients, .. } = health::concentration(profits, revenues);
    let revenue: Decimal = revenues.iter().sum();
    let profit = profits.iter().sum::<Decimal>() + extra_profit;
    Totals {
        revenue,
        profit,
        margin: (revenue > Decimal::ZERO).then(|| profit / revenue),
        service_hours,
        top1,
        hhi,
        effective_clients,
    }
}

/// The totals of every client, read off the analysis (which measured its concentration
/// over the same clients, in the same order).
fn whole(a: &Analysis, service_hours: Decimal) -> Totals {
    let Concentration { top1, hhi, effective_clients, .. } = a.concentration;
    Totals {
        revenue: a.total_revenue,
        profit: a.total_profit,
        margin: a.margin(),
        service_hours,
        top1,
        hhi,
        effective_clients,
    }
}

/// The portfolio without the clients in `let_go`. With `redeploy`, the hours they freed earn
/// the average profit per service hour of the A and B clients that stay (added to profit; the
/// revenue they would bring is not guessed, so the margin shown then is an upper bound).
pub fn what_if(analysis: &Analysis, let_go: &BTreeSet<String>, redeploy: bool) -> WhatIf {
    // One pass over the clients, whose results are large: at 100,000 clients a pass for each
    // sum would read them from memory a dozen times. The selection is read beside them, both
    // in id order, one comparison a step, where a look-up per client would search the set.
    let mut ids = let_go.iter().peekable();
    let (mut hours_before, mut freed_hours, mut core_hours, mut core_profit) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let n = analysis.clients.len();
    let (mut profits, mut revenues) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for c in &analysis.clients {
        let hours = c.now.service_hours;
        hours_before += hours;
        while ids.next_if(|id| id.as_str() < c.id.as_str()).is_some() {}
        if ids.next_if(|id| **id == c.id).is_some() {
            freed_hours += hours;
            continue;
        }
        profits.push(c.now.profit);
        revenues.push(c.now.revenue);
        if matches!(c.cell.abc, AbcClass::A | AbcClass::B) {
            core_hours += hours;
            core_profit += c.now.profit;
        }
    }
    let profit_per_hour = (core_hours > Decimal::ZERO).then(|| core_profit / core_hours);
    let redeployed_profit = match (redeploy, profit_per_hour) {
        (true, Some(rate)) => rate * freed_hours,
        _ => Decimal::ZERO,
    };
    WhatIf {
        before: whole(analysis, hours_before),
        after: totals(&profits, &revenues, hours_before - freed_hours, redeployed_profit),
        freed_hours,
        profit_per_hour,
        redeployed_profit,
    }
}

/// A price rise offered to one client.
#[derive(Clone, Debug, PartialEq)]
pub struct Repricing {
    /// Window profit now.
    pub current_profit: Decimal,
    /// Window profit if it accepts.
    pub if_accepted: Decimal,
    /// `(1 − p) × if_accepted`: if it leaves, its profit goes (and so does its cost).
    pub expected: Decimal,
}

/// [`reprice`] with the rise and the chance of leaving as percentages typed by the user
/// (`10` = 10%); the chance is held to 0–100%.
pub fn reprice_percent(client: &ClientAnalysis, commission: Decimal, rise_percent: Decimal, leave_percent: Decimal) -> Repricing {
    let p_leave = (leave_percent / Decimal::ONE_HUNDRED).clamp(Decimal::ZERO, Decimal::ONE);
    reprice(client, commission, rise_percent / Decimal::ONE_HUNDRED, p_leave)
}

/// Raising a client's prices by `rise` (0.10 = 10%) when it leaves with probability `p_leave`.
/// The extra revenue carries the costs that scale with revenue — commission and the cost of
/// late payment — and nothing else: same hours, same tickets.
pub fn reprice(client: &ClientAnalysis, commission: Decimal, rise: Decimal, p_leave: Decimal) -> Repricing {
    let revenue = client.now.revenue;
    // Commission and the cost of late payment keep their share of revenue.
    let extra = rise * (revenue - commission * revenue - client.now.late_cost);
    let if_accepted = client.now.profit + extra;
    Repricing {
        current_profit: client.now.profit,
        if_accepted,
        expected: (Decimal::ONE - p_leave) * if_accepted,
    }
}
