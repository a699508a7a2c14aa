//! The analysis of a portfolio: profit, ABC, XYZ, health, score and verdict for every client
//! (DOMAIN.md §2–§7). [`analyze`] is the one entry point; everything it returns is plain data
//! the UI only displays.

pub mod abc;
pub mod health;
pub mod profit;
pub mod robustness;
pub mod prospect;
pub mod score;
pub mod six_r;
pub mod verdict;
pub mod view;
pub mod wire;
pub mod what_if;
pub mod xyz;

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;

pub use abc::AbcClass;
pub use health::{Concentration, HhiBand, SourTerms, WhalePoint};
pub use profit::{Figures, PeriodLine, Span};
pub use score::{Factor, Score};
pub use verdict::{Decision, Fact, Family, Verdict};
pub use xyz::XyzClass;

pub use crate::core::model::AbcBasis;
use crate::core::model::{Client, Period, PeriodRecord, Portfolio, Settings, Shared, Spread};

/// A cell of the ABC–XYZ matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cell {
    pub abc: AbcClass,
    pub xyz: XyzClass,
}

impl Cell {
    /// The nine cells, row by row (AX, AY, AZ, BX, …).
    pub fn all() -> [Cell; 9] {
        let mut out = [Cell { abc: AbcClass::A, xyz: XyzClass::X }; 9];
        for (i, abc) in AbcClass::ALL.into_iter().enumerate() {
            for (j, xyz) in XyzClass::ALL.into_iter().enumerate() {
                out[i * 3 + j] = Cell { abc, xyz };
            }
        }
        out
    }

    /// 0–8 in the order of [`Cell::all`].
    pub fn index(self) -> usize {
        self.abc as usize * 3 + self.xyz as usize
    }

    pub fn label(self) -> &'static str {
        ["AX", "AY", "AZ", "BX", "BY", "BZ", "CX", "CY", "CZ"][self.index()]
    }
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The flags of DOMAIN.md §4–§6.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    pub loss: bool,
    pub no_revenue: bool,
    pub new: bool,
    pub inactive: bool,
    pub concentration: bool,
    pub slid: bool,
    pub ageing: bool,
}

/// One flag of DOMAIN.md §4–§6.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Flag {
    Loss,
    NoRevenue,
    New,
    Inactive,
    Concentration,
    Slid,
    Ageing,
}

impl Flag {
    /// Every flag, in the fixed order of the results export.
    pub const ALL: [Flag; 7] =
        [Flag::Loss, Flag::NoRevenue, Flag::New, Flag::Inactive, Flag::Concentration, Flag::Slid, Flag::Ageing];

    /// The flag's name in the results export (DOMAIN.md §9).
    pub fn name(self) -> &'static str {
        match self {
            Flag::Loss => "loss",
            Flag::NoRevenue => "no revenue",
            Flag::New => "new",
            Flag::Inactive => "inactive",
            Flag::Concentration => "concentration",
            Flag::Slid => "slid",
            Flag::Ageing => "ageing",
        }
    }
}

impl Flags {
    /// Whether a flag is raised.
    pub fn has(&self, flag: Flag) -> bool {
        match flag {
            Flag::Loss => self.loss,
            Flag::NoRevenue => self.no_revenue,
            Flag::New => self.new,
            Flag::Inactive => self.inactive,
            Flag::Concentration => self.concentration,
            Flag::Slid => self.slid,
            Flag::Ageing => self.ageing,
        }
    }

    /// The raised flags, in export order.
    pub fn raised(self) -> impl Iterator<Item = Flag> {
        Flag::ALL.into_iter().filter(move |f| self.has(*f))
    }
}

/// Everything the analysis says about one client.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientAnalysis {
    pub id: String,
    pub name: String,
    pub now: Figures,
    pub previous: Figures,
    pub abc: abc::AbcResult,
    pub xyz: xyz::XyzResult,
    pub cell: Cell,
    pub previous_cell: Cell,
    pub flags: Flags,
    /// Window profit / Σ positive window profits (negative for loss-makers).
    pub profit_share: Decimal,
    /// Window revenue / Σ positive window revenues.
    pub revenue_share: Decimal,
    pub referral_value: Decimal,
    /// Ids of the clients it referred.
    pub referrals: Vec<String>,
    pub sour_terms: Option<SourTerms>,
    /// Extra basis value needed to reach class B, for a class C client.
    pub needed_for_b: Option<Decimal>,
    /// The score's factors (DOMAIN.md §7), 0–100 each; the score itself, which the weights
    /// make of them, is [`Analysis::scores`].
    pub factors: [f64; 8],
    pub decision: Decision,
}

/// The analysis of a whole portfolio.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    pub window: Option<Span>,
    pub previous_window: Option<Span>,
    /// One entry per client, in id order. Shared by the analyses that differ only in their
    /// score weights (see [`Analysis::reweighted`]).
    pub clients: Shared<Vec<ClientAnalysis>>,
    /// Each client's score (DOMAIN.md §7), in the order of `clients`.
    pub scores: Vec<f64>,
    /// Client indices by exact profit descending, then id: sorted once here, read by every
    /// list and chart in that order.
    pub profit_order: Vec<usize>,
    /// Each client's window profit, in the order of `clients`: the lists that walk the
    /// clients in profit order read it here, not from each client's whole result (at 100,000
    /// clients, a look at each of those costs a read from memory).
    pub profits: Vec<Decimal>,
    /// Client count and window profit per cell, now and in the previous window, counted as
    /// the clients were judged.
    pub cells: CellTotals,
    pub concentration: Concentration,
    pub whale: Vec<WhalePoint>,
    /// `transitions[from][to]`: clients that moved from cell `from` (previous window) to `to`.
    pub transitions: [[u32; 9]; 9],
    pub total_revenue: Decimal,
    pub total_profit: Decimal,
}

impl Analysis {
    /// Frees the last `clients` clients' results, when no other analysis shares them (see
    /// [`Analysis::reweighted`]); says whether any are left to free. An analysis being let go
    /// is freed in slices with it, so that no one step frees all of a large portfolio's.
    pub fn let_go(&mut self, clients: usize) -> bool {
        Shared::get_mut(&mut self.clients).is_some_and(|list| crate::core::model::shorten(list, clients))
    }

    /// Total profit over total revenue, undefined when revenue ≤ 0.
    pub fn margin(&self) -> Option<Decimal> {
        (self.total_revenue > Decimal::ZERO).then(|| self.total_profit / self.total_revenue)
    }

    pub fn client(&self, id: &str) -> Option<&ClientAnalysis> {
        self.index_of(id).map(|i| &self.clients[i])
    }

    /// The position of a client in `clients` (and `scores`).
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.clients.binary_search_by(|c| c.id.as_str().cmp(id)).ok()
    }

    /// A client's score.
    pub fn score_of(&self, id: &str) -> Option<f64> {
        self.index_of(id).map(|i| self.scores[i])
    }

    /// The same analysis with other score weights. Only the scores change: the factors do
    /// not depend on the weights, and neither does any verdict (DOMAIN.md §7 — the rules read
    /// facts, not the score). The clients' analyses are shared, not copied: a weight change
    /// on 25,000 clients costs 25,000 weighted means.
    pub fn reweighted(&self, weights: &crate::core::model::Weights) -> Analysis {
        let weighing = score::Weighing::new(weights);
        let scores = self.clients.iter().map(|c| weighing.of(&c.factors)).collect();
        Analysis { scores, ..self.clone() }
    }

    /// Client count and window profit per cell, in [`Cell::all`] order.
    pub fn cell_totals(&self) -> [(usize, Decimal); 9] {
        self.cells.now
    }
}

/// Client count and profit per cell (in [`Cell::all`] order), in each window.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CellTotals {
    pub now: [(usize, Decimal); 9],
    /// By each client's previous cell and previous-window profit.
    pub previous: [(usize, Decimal); 9],
    /// Whether any client had revenue in the previous window.
    pub previous_data: bool,
}

impl CellTotals {
    fn count(&mut self, now: (Cell, Decimal), previous: (Cell, Decimal), previous_revenue: Decimal) {
        for ((cell, profit), totals) in [(now, &mut self.now), (previous, &mut self.previous)] {
            let t = &mut totals[cell.index()];
            t.0 += 1;
            t.1 += profit;
        }
        self.previous_data |= !previous_revenue.is_zero();
    }
}

/// What a client's verdict reads that no cost rate moves: everything but the two window
/// profits. Built once per analysis; [`Ranked::judge`] reads it with any pair of profit lists,
/// so that a portfolio can be judged again at other rates without re-reading its records.
#[derive(Clone, Debug)]
pub(crate) struct Standing {
    pub status: crate::core::model::Status,
    pub strategic: bool,
    pub potential: crate::core::model::Potential,
    pub xyz_now: xyz::XyzResult,
    pub xyz_prev: XyzClass,
    pub revenue_now: Decimal,
    pub revenue_prev: Decimal,
    pub series_len: usize,
    /// The terms gone sour between the windows (DOMAIN.md §6); `ageing` also needs both
    /// revenues and the margin down by 5 points, which the rates move.
    pub terms: Option<SourTerms>,
    /// Indices of the clients it referred, and their ids.
    pub referred: Vec<usize>,
    pub referral_ids: Vec<String>,
}

/// Everything that follows from the window profits: classes, flags, shares and the verdict
/// (DOMAIN.md §4, §6, §7), the one place the rules are applied.
#[derive(Clone, Debug)]
pub(crate) struct Judged {
    pub abc: abc::AbcResult,
    pub cell: Cell,
    pub previous_cell: Cell,
    pub flags: Flags,
    pub profit_share: Decimal,
    pub referral_value: Decimal,
    pub needed_for_b: Option<Decimal>,
    pub sour_terms: Option<SourTerms>,
    pub decision: Decision,
}

fn basis_of(basis: AbcBasis, profit: Decimal, revenue: Decimal) -> Decimal {
    match basis {
        AbcBasis::Profit => profit,
        AbcBasis::Revenue => revenue,
    }
}

/// Each client's ABC basis value (DOMAIN.md §4) with its id.
pub(crate) fn values<'a>(ids: impl Iterator<Item = &'a str>, profits: &[Decimal], revenues: impl Iterator<Item = Decimal>, basis: AbcBasis) -> Vec<(&'a str, Decimal)> {
    ids.zip(profits).zip(revenues).map(|((id, p), r)| (id, basis_of(basis, *p, r))).collect()
}

/// Where "what it takes to reach B" comes from: the ranking of every client, or worked out
/// beforehand for the few clients to be judged (by index).
pub(crate) enum Needed {
    Ranking(abc::Ranking),
    Given(Vec<(usize, Option<Decimal>)>),
}

/// What judging one client reads of all the others: the classes in both windows, the
/// ranking for "what it takes to reach B", the positive profit the shares are of.
pub(crate) struct Ranked<'a> {
    values_now: Vec<(&'a str, Decimal)>,
    abc_now: abc::Classes,
    abc_prev: abc::Classes,
    ranking: Needed,
    positive_profit: Decimal,
}

impl Standing {
    pub fn new(c: &Client, now: &Figures, prev: &Figures, xyz_now: xyz::XyzResult, xyz_prev: XyzClass, referred: Vec<usize>, referral_ids: Vec<String>) -> Standing {
        Standing {
            status: c.status,
            strategic: c.strategic,
            potential: c.potential,
            xyz_now,
            xyz_prev,
            revenue_now: now.revenue,
            revenue_prev: prev.revenue,
            series_len: now.series.len(),
            terms: health::sour_terms(now, prev),
            referred,
            referral_ids,
        }
    }
}

impl<'a> Ranked<'a> {
    pub(crate) fn new(values_now: Vec<(&'a str, Decimal)>, order_now: &[usize], abc_prev: abc::Classes, now: &[Decimal], s: &Settings) -> Ranked<'a> {
        let abc_now = abc::Classes::new(&values_now, order_now, s.a, s.b);
        Ranked::classed(values_now, order_now, abc_now, abc_prev, now)
    }

    /// [`Ranked::new`] with this window's classes worked out (a step of its own in an
    /// [`Analysing`]).
    fn classed(values_now: Vec<(&'a str, Decimal)>, order_now: &[usize], abc_now: abc::Classes, abc_prev: abc::Classes, now: &[Decimal]) -> Ranked<'a> {
        let ranking = match abc_now.any_c() {
            true => Needed::Ranking(abc::Ranking::in_order(&values_now, order_now)),
            false => Needed::Given(Vec::new()),
        };
        let positive_profit = now.iter().filter(|p| **p > Decimal::ZERO).sum();
        Ranked { values_now, abc_now, abc_prev, ranking, positive_profit }
    }

    /// The classes, flags, shares and verdict of client `i`.
    pub(crate) fn judge(&self, i: usize, c: &Standing, now: &[Decimal], prev: &[Decimal], s: &Settings) -> Judged {
        let abc = self.abc_now.result(i, self.values_now[i].1);
        let (profit, revenue) = (now[i], c.revenue_now);
        let cell = Cell { abc: abc.class, xyz: c.xyz_now.class };
        let previous_cell = Cell { abc: self.abc_prev.class(i), xyz: c.xyz_prev };
        let profit_share = health::share(profit, self.positive_profit);
        let margins = (revenue > Decimal::ZERO && c.revenue_prev > Decimal::ZERO)
            .then(|| (profit / revenue, prev[i] / c.revenue_prev));
        let sour_terms = margins.filter(|(m_now, m_prev)| health::margin_fell(*m_now, *m_prev)).and(c.terms);
        let flags = Flags {
            loss: profit < Decimal::ZERO,
            no_revenue: revenue <= Decimal::ZERO,
            new: c.xyz_now.new,
            inactive: c.xyz_now.inactive,
            concentration: profit > Decimal::ZERO && profit_share > s.max_share,
            slid: health::slid(previous_cell, cell),
            ageing: sour_terms.is_some(),
        };
        let referral_value = c.referred.iter().map(|&j| now[j]).sum::<Decimal>() * s.referral_credit;
        let needed_for_b = match (&self.ranking, cell.abc) {
            (Needed::Ranking(r), AbcClass::C) => r.needed_for_b(&self.values_now, i, s.a, s.b),
            (Needed::Given(given), AbcClass::C) => given.iter().find(|(j, _)| *j == i).and_then(|g| g.1),
            _ => None,
        };
        let decision = verdict::decide(&verdict::VerdictInputs {
            status: c.status,
            flags,
            cell,
            previous_cell,
            profit,
            revenue,
            strategic: c.strategic,
            potential: c.potential,
            referral_value,
            referrals: &c.referral_ids,
            profit_share,
            max_share: s.max_share,
            series_len: c.series_len,
            basis_value: self.values_now[i].1,
            basis_share: abc.share,
            needed_for_b,
            margins,
            sour_terms,
        });
        Judged { abc, cell, previous_cell, flags, profit_share, referral_value, needed_for_b, sour_terms, decision }
    }
}

/// Analyses a portfolio with its own settings (DOMAIN.md §2–§7), in one go.
pub fn analyze(portfolio: &Portfolio) -> Analysis {
    let mut analysing = Analysing::new(portfolio);
    while analysing.step(usize::MAX) {}
    analysing.finish()
}

/// An analysis worked out a slice at a time, so that a large portfolio does not hold up the
/// page; the result is the same at any slice size. The work goes in stages:
///
/// 0. the first and last periods with a record, which set the windows (a look at each
///    client's records: at 100,000 clients, too long for one step in the browser);
/// 1. each client's figures and XYZ over the two windows, from its records (most of the work);
/// 2. the rankings by basis value in both windows and by profit, one sort or one pass a step;
/// 3. each client's classes, flags, score and verdict.
pub struct Analysing<'a> {
    portfolio: &'a Portfolio,
    clients: Vec<&'a Client>,
    windows: Option<(Span, Span)>,
    /// Indices of the clients each one referred.
    referred: Vec<Vec<usize>>,
    now: Vec<Figures>,
    prev: Vec<Figures>,
    /// The window profit of each client read, and its previous-window profit.
    profits: Vec<Decimal>,
    prev_profits: Vec<Decimal>,
    standing: Vec<Standing>,
    stage: Stage<'a>,
    out: Vec<ClientAnalysis>,
    scores: Vec<f64>,
    transitions: [[u32; 9]; 9],
    cells: CellTotals,
}

/// Where an [`Analysing`] is: stage 0 (each client's records, how many were looked at and
/// the periods they span), stage 1, then stage 2 one sort or one pass at a time, and stage 3.
enum Stage<'a> {
    Spanning { records: Vec<&'a BTreeMap<Period, PeriodRecord>>, done: usize, spread: Spread },
    Reading,
    SortedNow { values_now: Vec<(&'a str, Decimal)>, order_now: Vec<usize> },
    SortedPrev { values_now: Vec<(&'a str, Decimal)>, order_now: Vec<usize>, values_prev: Vec<(&'a str, Decimal)>, order_prev: Vec<usize> },
    ClassedPrev { values_now: Vec<(&'a str, Decimal)>, order_now: Vec<usize>, abc_prev: abc::Classes },
    Classed { values_now: Vec<(&'a str, Decimal)>, order_now: Vec<usize>, abc_prev: abc::Classes, abc_now: abc::Classes },
    Ranked { ranked: Ranked<'a>, order_now: Vec<usize> },
    Ordered { ranked: Ranked<'a>, profit_order: Vec<usize>, profit_rank: Vec<Option<(usize, usize)>> },
    Judging { ranked: Ranked<'a>, sums: Sums },
}

/// What stage 3 reads of the whole portfolio besides the classes.
struct Sums {
    /// Client indices by profit descending, then id.
    profit_order: Vec<usize>,
    /// Rank among the clients with profit > 0, and their count.
    profit_rank: Vec<Option<(usize, usize)>>,
    revenues: Vec<Decimal>,
    concentration: Concentration,
    /// Drawn along with the judging, a client a step in profit order.
    whale: health::WhaleCurve,
}

impl<'a> Analysing<'a> {
    pub fn new(portfolio: &'a Portfolio) -> Analysing<'a> {
        let clients: Vec<&Client> = portfolio.clients.values().collect();
        // Clients are in id order: a referrer is found by binary search.
        let mut referred: Vec<Vec<usize>> = vec![Vec::new(); clients.len()];
        for (i, c) in clients.iter().enumerate() {
            if let Some(Ok(r)) = c.referred_by.as_deref().map(|r| clients.binary_search_by(|x| x.id.as_str().cmp(r))) {
                referred[r].push(i);
            }
        }
        let n = clients.len();
        Analysing {
            portfolio,
            windows: None,
            clients,
            referred,
            now: Vec::with_capacity(n),
            prev: Vec::with_capacity(n),
            profits: Vec::with_capacity(n),
            prev_profits: Vec::with_capacity(n),
            standing: Vec::with_capacity(n),
            stage: Stage::Spanning { records: portfolio.records.values().collect(), done: 0, spread: Spread::default() },
            out: Vec::with_capacity(n),
            scores: Vec::with_capacity(n),
            transitions: [[0; 9]; 9],
            cells: CellTotals::default(),
        }
    }

    /// Which part of the work the next step does: reading figures, one of the whole-portfolio
    /// steps, or judging. A client's share of each costs differently, so a caller sizing its
    /// steps by time measures each part anew.
    pub fn phase(&self) -> usize {
        match &self.stage {
            Stage::Spanning { .. } => 0,
            Stage::Reading if self.now.len() < self.clients.len() => 1,
            Stage::Reading => 2,
            Stage::SortedNow { .. } => 3,
            Stage::SortedPrev { .. } => 4,
            Stage::ClassedPrev { .. } => 5,
            Stage::Classed { .. } => 6,
            Stage::Ranked { .. } => 7,
            Stage::Ordered { .. } => 8,
            Stage::Judging { .. } => 9,
        }
    }

    /// Does about `clients` more clients' work (a sort counts as one step). Returns whether
    /// any is left.
    pub fn step(&mut self, clients: usize) -> bool {
        let n = self.clients.len();
        let s = &self.portfolio.settings;
        match std::mem::replace(&mut self.stage, Stage::Reading) {
            // As `Portfolio::spread`, a slice of clients at a time.
            Stage::Spanning { records, done, mut spread } => {
                let to = done.saturating_add(clients).min(records.len());
                records[done..to].iter().for_each(|r| spread.take(r));
                if to == records.len() {
                    self.windows = profit::windows_within(spread, s.window);
                } else {
                    self.stage = Stage::Spanning { records, done: to, spread };
                }
            }
            Stage::Reading if self.now.len() < n => {
                let from = self.now.len();
                self.read(from..from.saturating_add(clients).min(n));
            }
            Stage::Reading => {
                let values_now = values(self.clients.iter().map(|c| c.id.as_str()), &self.profits, self.now.iter().map(|f| f.revenue), s.abc_basis);
                let order_now = abc::order(&values_now);
                self.stage = Stage::SortedNow { values_now, order_now };
            }
            Stage::SortedNow { values_now, order_now } => {
                let values_prev = values(self.clients.iter().map(|c| c.id.as_str()), &self.prev_profits, self.prev.iter().map(|f| f.revenue), s.abc_basis);
                let order_prev = abc::order(&values_prev);
                self.stage = Stage::SortedPrev { values_now, order_now, values_prev, order_prev };
            }
            Stage::SortedPrev { values_now, order_now, values_prev, order_prev } => {
                let abc_prev = abc::Classes::new(&values_prev, &order_prev, s.a, s.b);
                self.stage = Stage::ClassedPrev { values_now, order_now, abc_prev };
            }
            // Each pass over the whole portfolio is a step of its own: at 100,000 clients one
            // pass of exact sums takes tens of milliseconds in the browser.
            Stage::ClassedPrev { values_now, order_now, abc_prev } => {
                let abc_now = abc::Classes::new(&values_now, &order_now, s.a, s.b);
                self.stage = Stage::Classed { values_now, order_now, abc_prev, abc_now };
            }
            Stage::Classed { values_now, order_now, abc_prev, abc_now } => {
                let ranked = Ranked::classed(values_now, &order_now, abc_now, abc_prev, &self.profits);
                self.stage = Stage::Ranked { ranked, order_now };
            }
            Stage::Ranked { ranked, order_now } => {
                let profits = &self.profits;
                // By profit descending, ties by id: the order of the export, the whale curve and
                // the lists; the basis order when the basis is profit.
                let profit_order = match s.abc_basis {
                    AbcBasis::Profit => order_now,
                    AbcBasis::Revenue => abc::order(&self.clients.iter().zip(profits).map(|(c, p)| (c.id.as_str(), *p)).collect::<Vec<_>>()),
                };
                // Rank among clients with profit > 0, ties by id.
                let positive_count = profits.iter().filter(|p| **p > Decimal::ZERO).count();
                let mut profit_rank = vec![None; n];
                for (rank, &i) in profit_order.iter().enumerate().take(positive_count) {
                    profit_rank[i] = Some((rank + 1, positive_count));
                }
                self.stage = Stage::Ordered { ranked, profit_order, profit_rank };
            }
            Stage::Ordered { ranked, profit_order, profit_rank } => {
                let profits = &self.profits;
                let revenues: Vec<Decimal> = self.now.iter().map(|f| f.revenue).collect();
                let concentration = health::concentration(profits, &revenues);
                let whale = health::WhaleCurve::new(profits.iter().sum());
                let sums = Sums { profit_order, profit_rank, revenues, concentration, whale };
                self.stage = Stage::Judging { ranked, sums };
            }
            Stage::Judging { ranked, mut sums } => {
                let from = self.out.len();
                for i in from..from.saturating_add(clients).min(n) {
                    self.judge(i, &ranked, &sums);
                    sums.whale.push(self.profits[sums.profit_order[i]]);
                }
                self.stage = Stage::Judging { ranked, sums };
            }
        }
        !matches!(self.stage, Stage::Judging { .. }) || self.out.len() < n
    }

    /// Stage 1 for some clients: figures, XYZ and what the rates do not move.
    fn read(&mut self, range: std::ops::Range<usize>) {
        let (p, s) = (self.portfolio, &self.portfolio.settings);
        for i in range {
            let c = self.clients[i];
            let records = p.records.get(&c.id);
            let figures = |span: Option<Span>| span.map_or_else(Figures::default, |span| profit::figures(c, records, s, span));
            let (f_now, f_prev) = (figures(self.windows.map(|w| w.0)), figures(self.windows.map(|w| w.1)));
            let referred = std::mem::take(&mut self.referred[i]);
            let referral_ids = referred.iter().map(|&j| self.clients[j].id.clone()).collect();
            self.standing.push(Standing::new(c, &f_now, &f_prev, xyz::classify(&f_now.series, s), xyz::classify(&f_prev.series, s).class, referred, referral_ids));
            self.profits.push(f_now.profit);
            self.prev_profits.push(f_prev.profit);
            self.now.push(f_now);
            self.prev.push(f_prev);
        }
    }

    /// Stage 3 for client `i`: its classes, verdict and score.
    fn judge(&mut self, i: usize, ranked: &Ranked, sums: &Sums) {
        let s = &self.portfolio.settings;
        let client = self.clients[i];
        let standing = &mut self.standing[i];
        let j = ranked.judge(i, standing, &self.profits, &self.prev_profits, s);
        let f_now = std::mem::take(&mut self.now[i]);
        let f_prev = std::mem::take(&mut self.prev[i]);
        self.transitions[j.previous_cell.index()][j.cell.index()] += 1;
        self.cells.count((j.cell, f_now.profit), (j.previous_cell, f_prev.profit), f_prev.revenue);
        let score = score::score(
            &score::ScoreInputs {
                profit: f_now.profit,
                revenue: f_now.revenue,
                margin: f_now.margin(),
                profit_rank: sums.profit_rank[i],
                cv: standing.xyz_now.cv,
                inactive: j.flags.inactive,
                prev_revenue: f_prev.revenue,
                prev_margin: f_prev.margin(),
                ageing: j.flags.ageing,
                cost_to_serve: f_now.cost_to_serve,
                days_late: f_now.days_late(),
                written_off: f_now.written_off,
                strategic: client.strategic,
                referral_value: j.referral_value,
                icp_fit: client.icp_fit,
                potential: client.potential,
            },
            s,
        );
        self.scores.push(score.total);
        self.out.push(ClientAnalysis {
            id: client.id.clone(),
            name: client.name.clone(),
            now: f_now,
            previous: f_prev,
            abc: j.abc,
            xyz: standing.xyz_now.clone(),
            cell: j.cell,
            previous_cell: j.previous_cell,
            flags: j.flags,
            profit_share: j.profit_share,
            revenue_share: health::share(sums.revenues[i], sums.concentration.positive_revenue),
            referral_value: j.referral_value,
            referrals: std::mem::take(&mut standing.referral_ids),
            sour_terms: j.sour_terms,
            needed_for_b: j.needed_for_b,
            factors: score.factors,
            decision: j.decision,
        });
    }

    /// Work done, of all: a unit a client in stages 1 and 3.
    pub fn progress(&self) -> (usize, usize) {
        (self.now.len() + self.out.len(), 2 * self.clients.len())
    }

    /// The analysis, the work left done first.
    pub fn finish(mut self) -> Analysis {
        while self.step(usize::MAX) {}
        let Stage::Judging { sums: Sums { profit_order, revenues, concentration, whale, .. }, .. } = self.stage else {
            unreachable!("every step is done")
        };
        Analysis {
            window: self.windows.map(|w| w.0),
            previous_window: self.windows.map(|w| w.1),
            clients: self.out.into(),
            scores: self.scores,
            profit_order,
            total_profit: self.profits.iter().sum(),
            profits: self.profits,
            cells: self.cells,
            concentration,
            whale: whale.points,
            transitions: self.transitions,
            total_revenue: revenues.iter().sum(),
        }
    }
}
