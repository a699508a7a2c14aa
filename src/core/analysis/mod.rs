//! The analysis of a portfolio: profit, ABC, XYZ, health, score and verdict for every client
//! (DOMAIN.md §2–§7). [`analyze`] is the one entry point; everything it returns is plain data
//! the UI only displays.

pub mod abc;
pub mod health;
pub mod profit;
pub mod prospect;
pub mod score;
pub mod six_r;
pub mod verdict;
pub mod view;
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
use crate::core::model::{Client, Portfolio, Settings, Shared};

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
    pub concentration: Concentration,
    pub whale: Vec<WhalePoint>,
    /// `transitions[from][to]`: clients that moved from cell `from` (previous window) to `to`.
    pub transitions: [[u32; 9]; 9],
    pub total_revenue: Decimal,
    pub total_profit: Decimal,
}

impl Analysis {
    /// Client indices by exact profit descending, then id (the export and whale order).
    pub fn by_profit(&self) -> Vec<usize> {
        self.profit_order.clone()
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
        let mut totals = [(0usize, Decimal::ZERO); 9];
        for c in &self.clients {
            let t = &mut totals[c.cell.index()];
            t.0 += 1;
            t.1 += c.now.profit;
        }
        totals
    }
}

/// Figures and XYZ over one window: what DOMAIN.md §6 "computed exactly as now" needs twice
/// (ABC follows from the profits, in [`judge`]).
struct Classified {
    figures: Vec<Figures>,
    xyz: Vec<xyz::XyzResult>,
}

fn classify(portfolio: &Portfolio, clients: &[&Client], span: Option<Span>) -> Classified {
    let s = &portfolio.settings;
    let figures: Vec<Figures> = clients
        .iter()
        .map(|c| span.map_or_else(Figures::default, |span| profit::figures(c, portfolio.records.get(&c.id), s, span)))
        .collect();
    let xyz = figures.iter().map(|f| xyz::classify(&f.series, s)).collect();
    Classified { figures, xyz }
}

/// What a client's verdict reads that no cost rate moves: everything but the two window
/// profits. Built once per analysis; [`judge`] reads it with any pair of profit lists, which is
/// how the sensitivity search re-judges the whole portfolio at another rate without re-reading records.
#[derive(Clone, Debug)]
pub(crate) struct Standing {
    pub id: String,
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

/// Everything that follows from the window profits: classes, flags, shares and the verdict.
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

/// Judges every client from its window and previous-window profits (DOMAIN.md §4, §6, §7):
/// the one place the rules are applied, by [`analyze`] and by the sensitivity search alike.
pub(crate) fn judge(standing: &[Standing], now: &[Decimal], prev: &[Decimal], s: &Settings) -> Vec<Judged> {
    let values_now: Vec<(&str, Decimal)> =
        standing.iter().zip(now).map(|(c, p)| (c.id.as_str(), basis_of(s.abc_basis, *p, c.revenue_now))).collect();
    let values_prev: Vec<(&str, Decimal)> =
        standing.iter().zip(prev).map(|(c, p)| (c.id.as_str(), basis_of(s.abc_basis, *p, c.revenue_prev))).collect();
    let abc_now = abc::classify(&values_now, s.a, s.b);
    let abc_prev = abc::classify(&values_prev, s.a, s.b);
    let ranking = abc_now.iter().any(|r| r.class == AbcClass::C).then(|| abc::Ranking::new(&values_now));
    let positive_profit: Decimal = now.iter().filter(|p| **p > Decimal::ZERO).sum();

    let mut out = Vec::with_capacity(standing.len());
    for (i, (c, abc)) in standing.iter().zip(abc_now).enumerate() {
        let (profit, revenue) = (now[i], c.revenue_now);
        let cell = Cell { abc: abc.class, xyz: c.xyz_now.class };
        let previous_cell = Cell { abc: abc_prev[i].class, xyz: c.xyz_prev };
        let profit_share = health::share(profit, positive_profit);
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
        let needed_for_b = match (&ranking, cell.abc) {
            (Some(r), AbcClass::C) => r.needed_for_b(&values_now, i, s.a, s.b),
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
            basis_value: values_now[i].1,
            basis_share: abc.share,
            needed_for_b,
            margins,
            sour_terms,
        });
        out.push(Judged { abc, cell, previous_cell, flags, profit_share, referral_value, needed_for_b, sour_terms, decision });
    }
    out
}

/// What [`judge`] needs of each client that the rates do not move, from the two windows'
/// figures and XYZ.
fn standing(clients: &[&Client], now: &Classified, prev: &Classified) -> Vec<Standing> {
    let index: BTreeMap<&str, usize> = clients.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
    let mut referred: Vec<Vec<usize>> = vec![Vec::new(); clients.len()];
    for (i, c) in clients.iter().enumerate() {
        if let Some(&r) = c.referred_by.as_deref().and_then(|r| index.get(r)) {
            referred[r].push(i);
        }
    }
    clients
        .iter()
        .zip(referred)
        .enumerate()
        .map(|(i, (c, referred))| {
            let (f_now, f_prev) = (&now.figures[i], &prev.figures[i]);
            Standing {
                id: c.id.clone(),
                status: c.status,
                strategic: c.strategic,
                potential: c.potential,
                xyz_now: now.xyz[i].clone(),
                xyz_prev: prev.xyz[i].class,
                revenue_now: f_now.revenue,
                revenue_prev: f_prev.revenue,
                series_len: f_now.series.len(),
                terms: health::sour_terms(f_now, f_prev),
                referral_ids: referred.iter().map(|&j| clients[j].id.clone()).collect(),
                referred,
            }
        })
        .collect()
}

/// Analyses a portfolio with its own settings (DOMAIN.md §2–§7).
pub fn analyze(portfolio: &Portfolio) -> Analysis {
    let s = &portfolio.settings;
    let windows = profit::windows(portfolio);
    let clients: Vec<&Client> = portfolio.clients.values().collect();
    let now = classify(portfolio, &clients, windows.map(|w| w.0));
    let prev = classify(portfolio, &clients, windows.map(|w| w.1));
    let standing = standing(&clients, &now, &prev);

    let profits: Vec<Decimal> = now.figures.iter().map(|f| f.profit).collect();
    let prev_profits: Vec<Decimal> = prev.figures.iter().map(|f| f.profit).collect();
    let revenues: Vec<Decimal> = now.figures.iter().map(|f| f.revenue).collect();
    let concentration = health::concentration(&profits, &revenues);
    let judged = judge(&standing, &profits, &prev_profits, s);

    // Rank among clients with profit > 0, ties by id.
    let profit_values: Vec<(&str, Decimal)> = clients.iter().zip(&profits).map(|(c, p)| (c.id.as_str(), *p)).collect();
    // By value descending, ties by id: the order of the export, the whale curve and the lists.
    let profit_order = abc::order(&profit_values);
    let positive_count = profits.iter().filter(|p| **p > Decimal::ZERO).count();
    let mut profit_rank = vec![None; clients.len()];
    for (rank, &i) in profit_order.iter().enumerate().take(positive_count) {
        profit_rank[i] = Some((rank + 1, positive_count));
    }

    let mut transitions = [[0u32; 9]; 9];
    let mut out = Vec::with_capacity(clients.len());
    let mut scores = Vec::with_capacity(clients.len());
    for (i, ((client, j), standing)) in clients.iter().zip(judged).zip(standing).enumerate() {
        let f_now = &now.figures[i];
        let f_prev = &prev.figures[i];
        transitions[j.previous_cell.index()][j.cell.index()] += 1;
        let score = score::score(
            &score::ScoreInputs {
                profit: f_now.profit,
                revenue: f_now.revenue,
                margin: f_now.margin(),
                profit_rank: profit_rank[i],
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
        scores.push(score.total);
        out.push(ClientAnalysis {
            id: client.id.clone(),
            name: client.name.clone(),
            now: f_now.clone(),
            previous: f_prev.clone(),
            abc: j.abc,
            xyz: standing.xyz_now,
            cell: j.cell,
            previous_cell: j.previous_cell,
            flags: j.flags,
            profit_share: j.profit_share,
            revenue_share: health::share(f_now.revenue, concentration.positive_revenue),
            referral_value: j.referral_value,
            referrals: standing.referral_ids,
            sour_terms: j.sour_terms,
            needed_for_b: j.needed_for_b,
            factors: score.factors,
            decision: j.decision,
        });
    }
    let whale = health::whale_curve(&profit_order.iter().map(|&i| profits[i]).collect::<Vec<_>>());
    Analysis {
        window: windows.map(|w| w.0),
        previous_window: windows.map(|w| w.1),
        clients: out.into(),
        scores,
        profit_order,
        concentration,
        whale,
        transitions,
        total_revenue: revenues.iter().sum(),
        total_profit: profits.iter().sum(),
    }
}
