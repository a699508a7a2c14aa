//! How sure each verdict is: the range of each cost-model rate within which a client's
//! verdict stays the same, and the verdicts a ±20% error in one rate would change.
//!
//! # Method
//!
//! A client's window profit is a line in each rate `r` (DOMAIN.md §2): `profit(r) = profit(r₀)
//! − slope × (r − r₀)`, the slope being its service hours, sales hours, tickets, revenue (for
//! the commission) or Σ revenue × days late / 365 (for the cost of capital); for "all rates
//! together" (every rate times a factor `k`, set at 1) it is its whole rated cost to serve. The
//! same holds for the previous window. So the portfolio is judged again at any value of a rate
//! from the two profit lists alone ([`Ranked::judge`] with each client's [`Standing`]): the ABC
//! boundaries, shares, referral values and margins all move, the records are not read again.
//!
//! The verdict as a function of one rate is piecewise constant. Its bounds are on a grid (one
//! cent for the three money rates, 0.0001 for commission and capital rate, 0.001 for `k`),
//! going out from the value set to each end of the search span (0 and 3 × the value set). A
//! bound is the last grid value at which the verdict holds; one step beyond it, the verdict
//! differs, and it holds at every grid value in between.
//!
//! They are found exactly, a client and side at a time ([`sweep`]): on the grid the profits are
//! integer lines, and the verdict reads a handful of comparisons of them, each of which changes
//! at positions that can be worked out (where another line crosses the client's, where its
//! profit or its referrals' value crosses a threshold, where the sum ranked above it crosses an
//! ABC boundary). The client is judged by the rules at each such position, and only there.
//! Where many clients are followed, where their classes change is found for all of them at
//! once, by one sweep of the side that keeps, of each ABC boundary, the lowest line before it
//! and the highest after it ([`marks`]); whether the upsell allowance would lift a client into
//! B is read from that sweep's history of the B boundary ([`reach`]).
//!
//! Where the lines are not integers that fit in 128 bits (figures with more decimals than that
//! leaves room for), a side is searched by probes instead ([`SideSearch`]): the whole portfolio
//! is judged at probes 1, 2, 4, 8, … grid steps from the value set and at 32 points evenly over
//! the side ([`UNIFORM_PROBES`]), and each client's bracket is halved down to one grid step. A
//! verdict that changes and comes back between two probes is not seen there; [`Lever::exact`]
//! says which way a rate was searched.
//!
//! For a rate set to 0 the span is 0 up to a ceiling: the value at which that cost alone would
//! take the portfolio's whole positive window revenue (rounded up to the grid). A rate that
//! moves no client's profit (no hours, say) holds every verdict for any value.
//!
//! The cost of late payment is rounded to 12 decimals per record in the analysis; its line here
//! is the sum over the records rounded once, so a judgement at another capital rate can differ
//! from a full analysis at that rate in those last digits.
//!
//! The ±20% flips are full judgements of the portfolio at those values. Of a few clients, with
//! the ABC basis on profit, they are judged without sorting the portfolio: the profits on the
//! grid are integers, and a client's class is read from the sum of the values ranked above it,
//! one pass per client.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::profit::Figures;
use super::{abc, values, Analysis, Cell, Ranked, Standing, Verdict};
use crate::core::model::{AbcBasis, Portfolio, Settings};

mod line;
mod marks;
mod probe;
mod reach;
mod sweep;
mod wire;

pub use probe::UNIFORM_PROBES;
use probe::SideSearch;

/// A cost-model rate, or all of them together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rate {
    ServiceRate,
    SalesRate,
    TicketCost,
    Commission,
    CapitalRate,
    /// Every rate times one factor `k`, set at 1.
    All,
}

impl Rate {
    pub const ALL: [Rate; 6] = [Rate::ServiceRate, Rate::SalesRate, Rate::TicketCost, Rate::Commission, Rate::CapitalRate, Rate::All];

    /// The setting's name (DOMAIN.md §2), `all` for the factor: the columns of `robustness.csv`.
    pub fn key(self) -> &'static str {
        match self {
            Rate::ServiceRate => "service_rate",
            Rate::SalesRate => "sales_rate",
            Rate::TicketCost => "ticket_cost",
            Rate::Commission => "commission",
            Rate::CapitalRate => "capital_rate",
            Rate::All => "all",
        }
    }

    /// The step of the grid its bounds are given on.
    pub fn grid(self) -> Decimal {
        match self {
            Rate::ServiceRate | Rate::SalesRate | Rate::TicketCost => Decimal::new(1, 2),
            Rate::Commission | Rate::CapitalRate => Decimal::new(1, 4),
            Rate::All => Decimal::new(1, 3),
        }
    }

    /// The value set (1 for the factor).
    pub fn value(self, s: &Settings) -> Decimal {
        match self {
            Rate::ServiceRate => s.service_rate,
            Rate::SalesRate => s.sales_rate,
            Rate::TicketCost => s.ticket_cost,
            Rate::Commission => s.commission,
            Rate::CapitalRate => s.capital_rate,
            Rate::All => Decimal::ONE,
        }
    }

    /// The settings with this rate at `x` (every rate times `x` for the factor).
    pub fn with(self, s: &Settings, x: Decimal) -> Settings {
        let mut s = s.clone();
        match self {
            Rate::ServiceRate => s.service_rate = x,
            Rate::SalesRate => s.sales_rate = x,
            Rate::TicketCost => s.ticket_cost = x,
            Rate::Commission => s.commission = x,
            Rate::CapitalRate => s.capital_rate = x,
            Rate::All => {
                s.service_rate *= x;
                s.sales_rate *= x;
                s.ticket_cost *= x;
                s.commission *= x;
                s.capital_rate *= x;
            }
        }
        s
    }

    /// What a window's profit loses per unit of this rate.
    fn slope(self, f: &Figures, s: &Settings) -> Decimal {
        match self {
            Rate::ServiceRate => f.service_hours,
            Rate::SalesRate => f.sales_hours,
            Rate::TicketCost => Decimal::from(f.tickets),
            Rate::Commission => f.revenue,
            Rate::CapitalRate => (f.revenue_days / Decimal::from(365)).round_dp(super::profit::DIVIDED_DP),
            Rate::All => {
                s.commission * f.revenue
                    + f.service_hours * s.service_rate
                    + f.sales_hours * s.sales_rate
                    + Decimal::from(f.tickets) * s.ticket_cost
                    + f.late_cost
            }
        }
    }
}

/// The relative change a verdict is called fragile for.
pub const FRAGILE_CHANGE: Decimal = Decimal::from_parts(2, 0, 0, false, 1);

/// How one rate moves the verdicts.
#[derive(Clone, Debug, PartialEq)]
pub struct Lever {
    pub rate: Rate,
    /// The value set.
    pub value: Decimal,
    /// The top of the search span: 3 × the value set, or the ceiling when it is 0.
    pub span_end: Decimal,
    /// The span's top is a ceiling derived from the portfolio (the value set is 0).
    pub ceiling: bool,
    /// Whether the rate moves any client's profit in either window (with no hours, say, it
    /// does not, and every verdict holds for any value).
    pub moves: bool,
    /// By client (analysis order): the lowest and highest value at which its verdict holds,
    /// `None` when it holds to the end of the span (or its range was not asked for).
    pub low: Vec<Option<Decimal>>,
    pub high: Vec<Option<Decimal>>,
    /// The clients whose verdict differs at +20% and at −20% of the value set, with that verdict,
    /// by client index (of the clients asked for).
    pub up: Vec<Flipped>,
    pub down: Vec<Flipped>,
    /// Whether its ranges were found exactly, every grid value checked (see the method); they
    /// were searched by probes where the lines did not fit in integers.
    pub exact: bool,
    /// Judgements made for this rate: of the whole portfolio, or of a client followed along a
    /// side.
    pub judgements: usize,
}

impl Lever {
    /// The values its search judged every client at on one side (`up`: above the value set),
    /// besides the halvings: where [`UNIFORM_PROBES`] says a range is checked.
    pub fn probes(&self, up: bool) -> Vec<Decimal> {
        let side = Side::new(up, self.value, self.span_end, self.rate.grid());
        side.probes().into_iter().map(|t| side.at(t)).collect()
    }

    /// The verdict client `i` would get at +20% (`up`) or −20%, when it differs.
    pub fn flip(&self, i: usize, up: bool) -> Option<Verdict> {
        let list = if up { &self.up } else { &self.down };
        list.binary_search_by_key(&i, |f| f.client).ok().map(|at| list[at].to)
    }
}

/// A client whose verdict a ±20% change moves: to what, and its cell then.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flipped {
    pub client: usize,
    pub to: Verdict,
    pub cell: Cell,
}

/// A ±20% change that changes a verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flip {
    pub rate: Rate,
    pub up: bool,
    pub to: Verdict,
}

/// The robustness of every verdict of an analysis.
#[derive(Clone, Debug, PartialEq)]
pub struct Robustness {
    /// In [`Rate::ALL`] order.
    pub levers: Vec<Lever>,
}

impl Robustness {
    /// The first ±20% change that changes client `i`'s verdict, rates in [`Rate::ALL`] order and
    /// +20% before −20%; `None` when the verdict is not fragile.
    pub fn fragile(&self, i: usize) -> Option<Flip> {
        self.levers.iter().find_map(|l| {
            (l.flip(i, true).map(|to| Flip { rate: l.rate, up: true, to }))
                .or_else(|| l.flip(i, false).map(|to| Flip { rate: l.rate, up: false, to }))
        })
    }

    /// How many clients' verdicts are fragile.
    pub fn fragile_count(&self) -> usize {
        let flips = || self.levers.iter().flat_map(|l| l.up.iter().chain(&l.down));
        let mut seen = vec![false; flips().map(|f| f.client + 1).max().unwrap_or(0)];
        flips().filter(|f| !std::mem::replace(&mut seen[f.client], true)).count()
    }

    pub fn lever(&self, rate: Rate) -> Option<&Lever> {
        self.levers.iter().find(|l| l.rate == rate)
    }

    /// The robustness of one analysis worked out in parts, each of [`Scope::Clients`] of its
    /// own, as one: each client's ranges and flips from the part that asked for them, exact
    /// where every part was, the judgements added up. `None` without parts, or with parts
    /// whose rates were set differently.
    pub fn joined(parts: Vec<(Vec<usize>, Robustness)>) -> Option<Robustness> {
        let mut parts = parts.into_iter();
        let (_, mut whole) = parts.next()?;
        for (clients, part) in parts {
            if part.levers.len() != whole.levers.len() {
                return None;
            }
            for (lever, from) in whole.levers.iter_mut().zip(part.levers) {
                if (lever.rate, lever.value, lever.span_end, lever.low.len()) != (from.rate, from.value, from.span_end, from.low.len()) {
                    return None;
                }
                for &i in &clients {
                    lever.low[i] = *from.low.get(i)?;
                    lever.high[i] = *from.high.get(i)?;
                }
                lever.up.extend(from.up);
                lever.down.extend(from.down);
                crate::core::order::sort_by_key(&mut lever.up, |f| f.client);
                crate::core::order::sort_by_key(&mut lever.down, |f| f.client);
                lever.exact &= from.exact;
                lever.judgements += from.judgements;
            }
        }
        Some(whole)
    }
}

/// The portfolio judged again from profit lists: what no rate moves, kept once.
struct Judge<'a> {
    portfolio: &'a Portfolio,
    analysis: &'a Analysis,
    ids: Vec<&'a str>,
    /// Of every client, once [`Judge::stand`] has gone through them all.
    standing: Vec<Standing>,
    revenue_now: Vec<Decimal>,
    revenue_prev: Vec<Decimal>,
    settings: &'a Settings,
    scratch: std::cell::RefCell<Scratch<'a>>,
}

impl<'a> Judge<'a> {
    /// A judge with no client's standing yet (see [`Judge::stand`]).
    fn new(portfolio: &'a Portfolio, analysis: &'a Analysis) -> Judge<'a> {
        Judge {
            portfolio,
            analysis,
            ids: analysis.clients.iter().map(|c| c.id.as_str()).collect(),
            standing: Vec::with_capacity(analysis.clients.len()),
            revenue_now: analysis.clients.iter().map(|c| c.now.revenue).collect(),
            revenue_prev: analysis.clients.iter().map(|c| c.previous.revenue).collect(),
            settings: &portfolio.settings,
            scratch: Default::default(),
        }
    }

    /// Works out the standing of up to `clients` more clients (what no rate moves: status,
    /// XYZ, terms, referrals). Returns whether any are left; nothing is judged before.
    fn stand(&mut self, clients: usize) -> bool {
        let (portfolio, analysis) = (self.portfolio, self.analysis);
        let from = self.standing.len();
        let to = from.saturating_add(clients).min(analysis.clients.len());
        self.standing.extend(analysis.clients[from..to].iter().map(|c| {
            let client = &portfolio.clients[&c.id];
            let referred = c.referrals.iter().filter_map(|r| analysis.index_of(r)).collect();
            Standing::new(client, &c.now, &c.previous, c.xyz.clone(), c.previous_cell.xyz, referred, c.referrals.clone())
        }));
        to < analysis.clients.len()
    }

    /// Whether a judgement can read classes from the profits themselves (the ABC basis is
    /// profit), by a scan of them.
    fn scans(&self) -> bool {
        self.settings.abc_basis == AbcBasis::Profit
    }

    /// The verdicts of `clients` with these window profits.
    fn verdicts(&self, profits: &(Vec<Decimal>, Vec<Decimal>), clients: impl Iterator<Item = usize>) -> Vec<Verdict> {
        self.judged(profits, clients, |j| j.decision.verdict)
    }

    /// What `pick` reads of the judgement of each of `clients` with these window profits.
    fn judged<T>(&self, profits: &(Vec<Decimal>, Vec<Decimal>), clients: impl Iterator<Item = usize>, pick: impl Fn(super::Judged) -> T) -> Vec<T> {
        let ranked = self.ranked(profits);
        clients.map(|i| pick(ranked.judge(i, &self.standing[i], &profits.0, &profits.1, self.settings))).collect()
    }

    /// The portfolio ranked with these window profits, for judging its clients.
    fn ranked(&self, (now, prev): &(Vec<Decimal>, Vec<Decimal>)) -> Ranked<'a> {
        let s = self.settings;
        let values_now = values(self.ids.iter().copied(), now, self.revenue_now.iter().copied(), s.abc_basis);
        let order_now = abc::order(&values_now);
        let values_prev = values(self.ids.iter().copied(), prev, self.revenue_prev.iter().copied(), s.abc_basis);
        let abc_prev = abc::Classes::new(&values_prev, &abc::order(&values_prev), s.a, s.b);
        Ranked::new(values_now, &order_now, abc_prev, now, s)
    }
}

/// Groups up to this size are judged by a scan of the portfolio for each member (no sort).
const SCAN_GROUP: usize = 48;

/// Clients followed along a side beyond which the class marks and the B boundary's history are
/// worked out first (a sweep of the side), so that most comparisons need not be followed
/// crossing by crossing ([`sweep`]).
const BANDED: usize = 64;

/// Positions and nodes played in a step of the sweep of the class marks.
const MARK_STEP: usize = 20_000;

/// Clients judged a step in a ±20% judgement of many.
const SHIFT_SLICE: usize = 2_000;

impl<'a> Judge<'a> {
    /// The verdicts of a few `clients` at grid index `m` of integer `lines`, each client's class
    /// found by summing the values ranked above it (a pass over the portfolio per client, no
    /// sort); the rest as [`Ranked::judge`] has it. The same verdicts as [`Judge::verdicts`].
    fn verdicts_scanned(&self, lines: &IntLines, m: i64, clients: &[usize]) -> Option<Vec<Verdict>> {
        self.judged_scanned(lines, m, clients, |j| j.decision.verdict)
    }

    /// What `pick` reads of the judgement of each of a few `clients` at grid index `m`, by a scan
    /// as [`Judge::verdicts_scanned`] has it.
    fn judged_scanned<T>(&self, lines: &IntLines, m: i64, clients: &[usize], pick: impl Fn(super::Judged) -> T) -> Option<Vec<T>> {
        let s = self.settings;
        // Buffers of the portfolio's size, filled where this judgement reads them and cleared
        // after; taken out while in use (a judgement that gives up leaves them to be made anew).
        let mut b = std::mem::take(&mut *self.scratch.borrow_mut());
        b.make(&self.ids);
        lines.fill(m, &mut b.now, &mut b.prev)?;
        let dec = |v: i128| Decimal::try_from_i128_with_scale(v, lines.scale).ok();
        let positive = |values: &[i128]| values.iter().filter(|v| **v > 0).sum::<i128>();
        let (total_now, total_prev) = (dec(positive(&b.now))?, dec(positive(&b.prev))?);
        let class_of = |values: &[i128], total: Decimal, i: usize| -> Option<(abc::AbcClass, usize, Decimal)> {
            let v = values[i];
            let (mut count, mut above) = (0usize, 0i128);
            // Without branches: which clients rank above it is as good as random.
            for (j, w) in values.iter().enumerate() {
                let higher = (*w > v) | ((*w == v) & (j < i));
                count += higher as usize;
                above += *w & -(higher as i128);
            }
            let (value, above) = (dec(v)?, dec(above)?);
            let class = if value <= Decimal::ZERO {
                abc::AbcClass::C
            } else if above < s.a * total {
                abc::AbcClass::A
            } else if above < (s.a + s.b) * total {
                abc::AbcClass::B
            } else {
                abc::AbcClass::C
            };
            Some((class, count + 1, above + value))
        };
        let mut given = Vec::new();
        for &i in clients {
            b.ranked_now[i] = class_of(&b.now, total_now, i)?;
            b.ranked_prev[i] = class_of(&b.prev, total_prev, i)?;
            (b.now_d[i], b.prev_d[i]) = (dec(b.now[i])?, dec(b.prev[i])?);
            b.values_now[i].1 = b.now_d[i];
            for &j in &self.standing[i].referred {
                b.now_d[j] = dec(b.now[j])?;
            }
            // What it takes to reach B, for a C client the rules may upsell (rule 7).
            let (class, rank, with_own) = b.ranked_now[i];
            if class == abc::AbcClass::C && self.standing[i].potential > crate::core::model::Potential::None && b.now[i] > 0 {
                let needed = needed_for_b(&b.now, &mut b.higher, i, rank - 1, with_own - b.now_d[i], total_now, b.now_d[i], s, dec)?;
                given.push((i, needed));
            }
        }
        let judged = self.judge_filled(&mut b, (total_now, total_prev), total_now, given, clients, pick);
        *self.scratch.borrow_mut() = b;
        Some(judged)
    }

    /// Client `i` judged with what [`sweep`] found at one value of a rate: its profits, those of
    /// the clients it referred, the totals, and (on a profit basis) its classes.
    fn verdict_given(&self, i: usize, g: Given) -> Verdict {
        let mut b = std::mem::take(&mut *self.scratch.borrow_mut());
        b.make(&self.ids);
        (b.now_d[i], b.prev_d[i]) = (g.now, g.prev);
        for &(j, v) in &g.referred {
            b.now_d[j] = v;
        }
        let c = &self.analysis.clients[i];
        let (abc_totals, needed) = match g.classes {
            Some((class_now, class_prev)) => {
                b.ranked_now[i] = (class_now, 0, g.now);
                b.ranked_prev[i] = (class_prev, 0, g.prev);
                b.values_now[i].1 = g.now;
                ((g.total_now, g.total_prev), g.upsell)
            }
            // On revenue the classes, and what it takes to reach B, are the analysis's.
            None => {
                b.ranked_now[i] = (c.cell.abc, 0, Decimal::ZERO);
                b.ranked_prev[i] = (c.previous_cell.abc, 0, Decimal::ZERO);
                b.values_now[i].1 = self.revenue_now[i];
                ((Decimal::ZERO, Decimal::ZERO), c.needed_for_b)
            }
        };
        let verdict = self.judge_filled(&mut b, abc_totals, g.total_now, vec![(i, needed)], &[i], |j| j.decision.verdict);
        *self.scratch.borrow_mut() = b;
        verdict[0]
    }

    /// Judges `clients` from what is filled in `b` for them (and the clients they referred),
    /// then clears it.
    fn judge_filled<T>(&self, b: &mut Scratch<'a>, (total_now, total_prev): (Decimal, Decimal), positive_profit: Decimal, given: Vec<(usize, Option<Decimal>)>, clients: &[usize], pick: impl Fn(super::Judged) -> T) -> Vec<T> {
        let ranked = Ranked {
            values_now: std::mem::take(&mut b.values_now),
            abc_now: abc::Classes::of_some(total_now, std::mem::take(&mut b.ranked_now)),
            abc_prev: abc::Classes::of_some(total_prev, std::mem::take(&mut b.ranked_prev)),
            ranking: super::Needed::Given(given),
            positive_profit,
        };
        let judged = clients.iter().map(|&i| pick(ranked.judge(i, &self.standing[i], &b.now_d, &b.prev_d, self.settings))).collect();
        let Ranked { values_now, abc_now, abc_prev, .. } = ranked;
        (b.values_now, b.ranked_now, b.ranked_prev) = (values_now, abc_now.into_ranked(), abc_prev.into_ranked());
        for &i in clients {
            b.clear(i);
            for &j in &self.standing[i].referred {
                b.now_d[j] = Decimal::ZERO;
            }
        }
        judged
    }
}

/// What [`Judge::verdict_given`] is given.
struct Given {
    now: Decimal,
    prev: Decimal,
    total_now: Decimal,
    total_prev: Decimal,
    /// Both windows' classes, on a profit basis. Only the verdict is read of the judgement:
    /// the rank and the sum ranked above, which only its facts show, are left at 0.
    classes: Option<(abc::AbcClass, abc::AbcClass)>,
    /// What it takes to reach B, when it is within the allowance (on a profit basis).
    upsell: Option<Decimal>,
    /// The profits of the clients it referred.
    referred: Vec<(usize, Decimal)>,
}

/// The buffers of [`Judge::verdicts_scanned`]: zero but where a judgement is writing.
#[derive(Default)]
struct Scratch<'a> {
    now: Vec<i128>,
    prev: Vec<i128>,
    now_d: Vec<Decimal>,
    prev_d: Vec<Decimal>,
    values_now: Vec<(&'a str, Decimal)>,
    ranked_now: Vec<(abc::AbcClass, usize, Decimal)>,
    ranked_prev: Vec<(abc::AbcClass, usize, Decimal)>,
    higher: Vec<i128>,
}

impl<'a> Scratch<'a> {
    const UNRANKED: (abc::AbcClass, usize, Decimal) = (abc::AbcClass::C, 0, Decimal::ZERO);

    /// Sized for the portfolio, once.
    fn make(&mut self, ids: &[&'a str]) {
        if self.values_now.len() != ids.len() {
            let n = ids.len();
            *self = Scratch {
                now: Vec::with_capacity(n),
                prev: Vec::with_capacity(n),
                now_d: vec![Decimal::ZERO; n],
                prev_d: vec![Decimal::ZERO; n],
                values_now: ids.iter().map(|id| (*id, Decimal::ZERO)).collect(),
                ranked_now: vec![Self::UNRANKED; n],
                ranked_prev: vec![Self::UNRANKED; n],
                higher: Vec::new(),
            };
        }
    }

    fn clear(&mut self, i: usize) {
        (self.now_d[i], self.prev_d[i], self.values_now[i].1) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
        (self.ranked_now[i], self.ranked_prev[i]) = (Self::UNRANKED, Self::UNRANKED);
    }
}

/// What it takes client `i` (value `v`, `rank` others above it summing to `above`) to reach B,
/// from the values just above it: the few nearest first, more only if it would climb past them.
#[allow(clippy::too_many_arguments)]
fn needed_for_b(values: &[i128], higher: &mut Vec<i128>, i: usize, rank: usize, above: Decimal, total: Decimal, v: Decimal, s: &Settings, dec: impl Fn(i128) -> Option<Decimal>) -> Option<Option<Decimal>> {
    let own = values[i];
    higher.clear();
    higher.extend(values.iter().enumerate().filter(|(j, w)| (**w > own) | ((**w == own) & (*j < i))).map(|(_, w)| *w));
    for wanted in [64, 1024, usize::MAX] {
        let k = wanted.min(higher.len());
        if k > 0 && k < higher.len() {
            higher.select_nth_unstable(k - 1);
        }
        // The largest first, with the ABC ranking's sort (one fewer in the download).
        let mut nearest: Vec<(std::cmp::Reverse<i128>, usize)> = higher[..k].iter().map(|&w| (std::cmp::Reverse(w), 0)).collect();
        nearest.sort_unstable();
        let nearest = nearest.into_iter().map(|(std::cmp::Reverse(w), _)| dec(w)).collect::<Option<Vec<Decimal>>>()?;
        if let Ok(needed) = abc::Ranking::window(total, above, nearest, rank).needed_at(v, rank, s.a, s.b) {
            return Some(needed);
        }
    }
    unreachable!("the whole ranking reaches the top")
}

/// Both windows' profits as integer lines on a rate's grid: at grid index `m` a client's
/// profit is `(c − e × m) / 10^scale`, exactly. Kept when every value fits.
struct IntLines {
    scale: u32,
    /// The largest |c| and |e|.
    largest: (i128, i128),
    now: Vec<(i128, i128)>,
    prev: Vec<(i128, i128)>,
}

impl IntLines {
    /// Larger scales than this would leave too little room in 128 bits.
    const MAX_SCALE: u32 = 18;

    fn new(lines: &Lines, grid: Decimal) -> Option<IntLines> {
        // profit(x) = p₀ − slope × (x − x₀) = (p₀ + slope × x₀) − (slope × grid) × m.
        let line = |(p, slope): &(Decimal, Decimal)| (*p + *slope * lines.value, *slope * grid);
        let now: Vec<(Decimal, Decimal)> = lines.now.iter().map(line).collect();
        let prev: Vec<(Decimal, Decimal)> = lines.prev.iter().map(line).collect();
        let scale = now.iter().chain(&prev).map(|(c, e)| c.scale().max(e.scale())).max().unwrap_or(0);
        if scale > Self::MAX_SCALE {
            return None;
        }
        let int = |d: Decimal| d.mantissa().checked_mul(10i128.checked_pow(scale - d.scale())?);
        let ints = |v: &[(Decimal, Decimal)]| v.iter().map(|(c, e)| Some((int(*c)?, int(*e)?))).collect::<Option<Vec<_>>>();
        let (now, prev) = (ints(&now)?, ints(&prev)?);
        let largest = now.iter().chain(&prev).fold((0i128, 0i128), |(c, e), (c1, e1)| (c.max(c1.checked_abs().unwrap_or(i128::MAX)), e.max(e1.checked_abs().unwrap_or(i128::MAX))));
        Some(IntLines { scale, largest, now, prev })
    }

    /// The profits at grid index `m`, into `now` and `prev`; `None` if one would not fit.
    fn fill(&self, m: i64, now: &mut Vec<i128>, prev: &mut Vec<i128>) -> Option<()> {
        // Checked once for the largest terms, so that the loops need no checks.
        self.largest.1.checked_mul(m.unsigned_abs() as i128)?.checked_add(self.largest.0)?;
        let at = |lines: &[(i128, i128)], out: &mut Vec<i128>| {
            out.clear();
            out.extend(lines.iter().map(|(c, e)| c - e * m as i128));
        };
        at(&self.now, now);
        at(&self.prev, prev);
        Some(())
    }
}

/// Both windows' profits as lines in one rate.
struct Lines {
    value: Decimal,
    now: Vec<(Decimal, Decimal)>,
    prev: Vec<(Decimal, Decimal)>,
}

impl Lines {
    fn new(rate: Rate, analysis: &Analysis, s: &Settings) -> Lines {
        let line = |f: &Figures| (f.profit, rate.slope(f, s));
        Lines {
            value: rate.value(s),
            now: analysis.clients.iter().map(|c| line(&c.now)).collect(),
            prev: analysis.clients.iter().map(|c| line(&c.previous)).collect(),
        }
    }

    fn moves(&self) -> bool {
        self.now.iter().chain(&self.prev).any(|l| !l.1.is_zero())
    }

    fn at(&self, x: Decimal) -> (Vec<Decimal>, Vec<Decimal>) {
        let d = x - self.value;
        let at = |lines: &[(Decimal, Decimal)]| lines.iter().map(|(p, slope)| p - slope * d).collect();
        (at(&self.now), at(&self.prev))
    }
}

/// One side of the search: grid positions going out from the value set, position 0 being the
/// value set itself.
#[derive(Clone, Copy, Debug)]
struct Side {
    up: bool,
    grid: Decimal,
    /// Grid index of position 1.
    first: i64,
    /// The last position in the span (0: nothing to search).
    last: i64,
    value: Decimal,
}

impl Side {
    fn new(up: bool, value: Decimal, span_end: Decimal, grid: Decimal) -> Side {
        let q = value / grid;
        let index = |d: Decimal| d.to_i64().unwrap_or(i64::MAX / 4);
        let (first, last) = if up {
            let first = index(q.floor()) + 1;
            (first, index((span_end / grid).floor()) - first + 1)
        } else {
            let first = index(q.ceil()) - 1;
            (first, first + 1)
        };
        Side { up, grid, first, last: last.max(0), value }
    }

    fn at(&self, t: i64) -> Decimal {
        if t == 0 { self.value } else { self.grid * Decimal::from(self.index(t)) }
    }

    /// The grid index of position `t` ≥ 1.
    fn index(&self, t: i64) -> i64 {
        if self.up { self.first + (t - 1) } else { self.first - (t - 1) }
    }
}

/// One side's search: exact, or by probes where the lines are not integers that fit.
enum SideWork {
    /// Not begun: which way is known once its lines are ranked.
    Pending(Side, Vec<usize>),
    Exact(ExactSide),
    Probed(SideSearch),
}

impl SideWork {
    fn up(&self) -> bool {
        match self {
            SideWork::Pending(side, _) => side.up,
            SideWork::Exact(e) => e.side.up,
            SideWork::Probed(p) => p.side.up,
        }
    }

    /// Clients whose bound on this side is known.
    fn resolved(&self) -> usize {
        match self {
            SideWork::Pending(..) => 0,
            SideWork::Exact(e) => e.next,
            SideWork::Probed(p) => p.resolved,
        }
    }

    /// The side's lines ranked, one client followed, or one judgement of the portfolio: its
    /// cost, `None` when done.
    fn step(&mut self, judge: &Judge, lines: &(Lines, Option<IntLines>), reference: &[Verdict], bounds: &mut [Option<Decimal>]) -> Option<usize> {
        match self {
            SideWork::Pending(side, clients) => {
                let (side, clients) = (*side, std::mem::take(clients));
                // Exactly where the lines are integers that fit; by probes where they are not.
                let exact = lines.1.as_ref().and_then(|int| sweep::SideLines::new(int, &side)).zip(sweep::Rules::new(judge.settings));
                *self = match exact {
                    Some((lines, rules)) => {
                        // Of many clients the class marks (on a profit basis: on revenue no
                        // class moves) come first, in steps, and with them the B boundary's
                        // history that the upsell comparisons read.
                        let marking = clients.len() > BANDED && judge.scans();
                        SideWork::Exact(ExactSide { side, lines, rules, clients, next: 0, marking })
                    }
                    None => SideWork::Probed(SideSearch::new(side, clients)),
                };
                Some(cost::sorted(reference.len(), 0))
            }
            SideWork::Probed(p) => p.step(judge, lines, reference, bounds),
            SideWork::Exact(e) => {
                if e.marking {
                    e.marking = e.lines.mark(&e.rules, MARK_STEP);
                    return Some(cost::swept(MARK_STEP));
                }
                let &i = e.clients.get(e.next)?;
                e.next += 1;
                let mut follow = sweep::Follow::new(judge, &e.lines, &e.rules, i);
                bounds[i] = follow.bound(reference[i]).map(|h| e.side.at(h));
                Some(cost::followed(reference.len(), follow.crossings(), follow.judged))
            }
        }
    }
}

/// One side's ranges worked out exactly, a client at a time ([`sweep`]).
struct ExactSide {
    side: Side,
    lines: sweep::SideLines,
    rules: sweep::Rules,
    clients: Vec<usize>,
    next: usize,
    /// The class marks are being swept.
    marking: bool,
}

/// What a judgement costs, in clients judged by [`Ranked::judge`] (the unit of
/// [`Sensing::step`]), as measured natively at 10,000 clients: the lines and sorts of a
/// judgement cost about a third of a client judged, a client; a pass over the portfolio's
/// integer profits about a five-hundredth (a scanned judgement makes two a client, and two).
mod cost {
    pub fn sorted(n: usize, judged: usize) -> usize {
        n / 3 + judged
    }

    pub fn scanned(n: usize, judged: usize) -> usize {
        ((2 * judged + 2) * n / 500).max(1)
    }

    /// One client followed along a side ([`super::sweep`]): a pass over the portfolio's ranks,
    /// each crossing of its lines found and followed (about a client judged), and the
    /// judgements of it (ten).
    pub fn followed(n: usize, crossings: usize, judged: usize) -> usize {
        (n / 200 + crossings + 10 * judged).max(1)
    }

    /// A step of the sweep of the class marks ([`super::marks`]): positions and nodes
    /// played, about ten a client judged.
    pub fn swept(work: usize) -> usize {
        (work / 10).max(1)
    }
}

/// What a [`Sensing`] works out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The verdicts a ±20% change moves, of every client (a few judgements a rate).
    Flips,
    /// Those, and the ranges of these clients (by index).
    Clients(Vec<usize>),
    /// Those, and every client's ranges.
    All,
}

impl Scope {
    /// Every client of `n`, in `parts` runs of consecutive clients (fewer when there are fewer
    /// clients), for [`Robustness::joined`].
    pub fn split(n: usize, parts: usize) -> Vec<Vec<usize>> {
        let parts = parts.clamp(1, n.max(1));
        (0..parts).map(|k| (k * n / parts..(k + 1) * n / parts).collect()).collect()
    }

    fn count(&self, n: usize) -> usize {
        match self {
            Scope::Clients(clients) => clients.len(),
            Scope::Flips | Scope::All => n,
        }
    }

    fn clients(&self, n: usize) -> Vec<usize> {
        match self {
            Scope::Clients(clients) => clients.clone(),
            Scope::Flips | Scope::All => (0..n).collect(),
        }
    }
}

/// One rate's search under way.
struct Search<'a> {
    /// The lines, and as integers on the grid when they fit.
    lines: (Lines, Option<IntLines>),
    /// The integer lines are wanted and not made yet (a step of their own).
    int_pending: bool,
    lever: Lever,
    sides: Vec<SideWork>,
    /// The ±20% judgements begun (of 2), and the one under way.
    shifts: u8,
    shift: Option<Shift<'a>>,
}

/// A ±20% judgement of many clients, a slice of them at a time: the portfolio ranked at the
/// shifted value, and the clients judged so far.
struct Shift<'a> {
    up: bool,
    profits: (Vec<Decimal>, Vec<Decimal>),
    /// Ranked in a step after the profits' (each is a pass or a sort of the portfolio).
    ranked: Option<Ranked<'a>>,
    clients: Vec<usize>,
    next: usize,
    flips: Vec<Flipped>,
}

/// The robustness of an analysis, worked out a judgement at a time (each judges the whole
/// portfolio once), so that it can run in the background; the result does not depend on how
/// it is sliced.
pub struct Sensing<'a> {
    judge: Judge<'a>,
    scope: Scope,
    analysis: &'a Analysis,
    reference: Vec<Verdict>,
    next_rate: usize,
    search: Option<Search<'a>>,
    levers: Vec<Lever>,
}

impl<'a> Sensing<'a> {
    /// `analysis` must be the analysis of `portfolio` with its settings.
    pub fn new(portfolio: &'a Portfolio, analysis: &'a Analysis, scope: Scope) -> Sensing<'a> {
        Sensing {
            judge: Judge::new(portfolio, analysis),
            scope,
            analysis,
            reference: analysis.clients.iter().map(|c| c.decision.verdict).collect(),
            next_rate: 0,
            search: None,
            levers: Vec::with_capacity(Rate::ALL.len()),
        }
    }

    /// Which part the next step does: the clients' standing (0), or judging (1), whose
    /// shares of a client cost differently.
    pub fn phase(&self) -> usize {
        usize::from(self.judge.standing.len() == self.reference.len())
    }

    /// Does about `clients` clients' worth of judging (at least one judgement of the portfolio,
    /// each costed as [`cost`] says). Returns whether any is left.
    pub fn step(&mut self, clients: usize) -> bool {
        self.step_while(clients, || true)
    }

    /// [`Sensing::step`], stopping sooner once `more` says no (asked after each judgement):
    /// the costs are estimates, and a caller with a clock can hold a slice to its time.
    pub fn step_while(&mut self, clients: usize, mut more: impl FnMut() -> bool) -> bool {
        if self.judge.standing.len() < self.reference.len() {
            self.judge.stand(clients);
            return true;
        }
        let mut spent = 0usize;
        loop {
            let Some(cost) = self.judge_once() else { return false };
            spent = spent.saturating_add(cost);
            if spent >= clients || !more() {
                return true;
            }
        }
    }

    /// One judgement of the portfolio: its cost, `None` when all is done.
    fn judge_once(&mut self) -> Option<usize> {
        loop {
            let Some(search) = self.search.as_mut() else {
                let Some(&rate) = Rate::ALL.get(self.next_rate) else { return None };
                self.next_rate += 1;
                self.search = Some(self.start(rate));
                // The lines and, for the ranges, each side's rankings: a step of its own.
                return Some(cost::sorted(self.reference.len(), 0));
            };
            let n = self.reference.len();
            if search.int_pending {
                search.int_pending = false;
                search.lines.1 = IntLines::new(&search.lines.0, search.lever.rate.grid());
                return Some(cost::sorted(n, 0));
            }
            // The ±20% judgements first: +20%, then −20%. Of a few clients, each at once (by a
            // scan when it can); of many, the shifted profits and the ranking a step each, then
            // the clients a slice at a time.
            if let Some(shift) = search.shift.as_mut() {
                let Some(ranked) = shift.ranked.as_ref() else {
                    shift.ranked = Some(self.judge.ranked(&shift.profits));
                    return Some(cost::sorted(n, 0));
                };
                let s = self.judge.settings;
                let to = (shift.next + SHIFT_SLICE).min(shift.clients.len());
                for &i in &shift.clients[shift.next..to] {
                    let j = ranked.judge(i, &self.judge.standing[i], &shift.profits.0, &shift.profits.1, s);
                    if j.decision.verdict != self.reference[i] {
                        shift.flips.push(Flipped { client: i, to: j.decision.verdict, cell: j.cell });
                    }
                }
                let cost = to - shift.next;
                shift.next = to;
                if to == shift.clients.len() {
                    let shift = search.shift.take().expect("a shift under way");
                    if shift.up { search.lever.up = shift.flips } else { search.lever.down = shift.flips }
                }
                return Some(cost.max(1));
            }
            let value = search.lines.0.value;
            if search.shifts < 2 && search.lever.moves && !value.is_zero() {
                let up = search.shifts == 0;
                search.shifts += 1;
                search.lever.judgements += 1;
                let factor = if up { Decimal::ONE + FRAGILE_CHANGE } else { Decimal::ONE - FRAGILE_CHANGE };
                let x = value * factor;
                let clients = self.scope.clients(n);
                let few = clients.len() <= SCAN_GROUP && search.lines.1.is_some() && self.judge.scans();
                // A one-step grid of the shifted value: its profits as integers at index 1.
                let scanned = few
                    .then(|| IntLines::new(&search.lines.0, x))
                    .flatten()
                    .and_then(|int| self.judge.judged_scanned(&int, 1, &clients, |j| (j.decision.verdict, j.cell)));
                if let Some(judged) = scanned {
                    let flips = clients.iter().zip(judged).filter(|(i, (v, _))| *v != self.reference[**i]);
                    let flips = flips.map(|(&client, (to, cell))| Flipped { client, to, cell }).collect();
                    if up { search.lever.up = flips } else { search.lever.down = flips }
                    return Some(cost::scanned(n, clients.len()));
                }
                let profits = search.lines.0.at(x);
                search.shift = Some(Shift { up, profits, ranked: None, clients, next: 0, flips: Vec::new() });
                return Some(cost::sorted(n, 0));
            }
            while let Some(side) = search.sides.last_mut() {
                let bounds = if side.up() { &mut search.lever.high } else { &mut search.lever.low };
                if let Some(cost) = side.step(&self.judge, &search.lines, &self.reference, bounds) {
                    search.lever.judgements += 1;
                    search.lever.exact &= !matches!(side, SideWork::Probed(_));
                    return Some(cost);
                }
                search.sides.pop();
            }
            let done = self.search.take().expect("a search under way");
            self.levers.push(done.lever);
        }
    }

    fn start(&self, rate: Rate) -> Search<'a> {
        let s = self.judge.settings;
        let n = self.reference.len();
        let lines = Lines::new(rate, self.analysis, s);
        let value = lines.value;
        let grid = rate.grid();
        let (span_end, ceiling) = if value > Decimal::ZERO {
            (value * Decimal::from(3), false)
        } else {
            let slope: Decimal = lines.now.iter().map(|l| l.1).sum();
            let revenue: Decimal = self.analysis.clients.iter().map(|c| c.now.revenue).filter(|r| *r > Decimal::ZERO).sum();
            let ceiling = if slope > Decimal::ZERO { ((revenue / slope) / grid).ceil().max(Decimal::ONE) * grid } else { grid };
            (ceiling, true)
        };
        let moves = lines.moves();
        // The integer lines serve the ranges and the scan of a few clients' ±20% judgements:
        // a rate that moves nothing, or the flips of many clients, need none.
        let int_pending = moves && (self.scope != Scope::Flips || n <= SCAN_GROUP);
        let sides = if moves && self.scope != Scope::Flips {
            let sides = [false, true].into_iter().map(|up| Side::new(up, value, span_end, grid)).filter(|side| side.last > 0);
            // Exactly where the lines are integers that fit; by probes where they are not.
            sides.map(|side| SideWork::Pending(side, self.scope.clients(n))).collect()
        } else {
            Vec::new()
        };
        Search {
            lever: Lever {
                rate,
                value,
                span_end,
                ceiling,
                moves,
                low: vec![None; n],
                high: vec![None; n],
                up: Vec::new(),
                down: Vec::new(),
                exact: true,
                judgements: 0,
            },
            lines: (lines, None),
            int_pending,
            sides,
            shifts: 0,
            shift: None,
        }
    }

    /// Work done, of all: a unit a client and side of a rate whose bound is known.
    pub fn progress(&self) -> (usize, usize) {
        let per_side = self.scope.count(self.reference.len()).max(1);
        let current = self.search.as_ref().map_or(0, |s| {
            let sides_done = 2 - s.sides.len().min(2);
            sides_done * per_side + s.sides.last().map_or(0, |side| side.resolved().min(per_side))
        });
        (2 * per_side * self.levers.len() + current, 2 * per_side * Rate::ALL.len())
    }

    /// The robustness, the work left done first.
    pub fn finish(mut self) -> Robustness {
        while self.step(usize::MAX) {}
        Robustness { levers: self.levers }
    }
}

/// The robustness of `analysis`, the analysis of `portfolio`, in one go.
pub fn robustness(portfolio: &Portfolio, analysis: &Analysis, scope: Scope) -> Robustness {
    Sensing::new(portfolio, analysis, scope).finish()
}

