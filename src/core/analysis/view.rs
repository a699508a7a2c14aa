//! The lists the pages show, derived from an [`Analysis`]: clients sorted by a column or found
//! by a search, grouped by verdict, the top clients by profit, the clients of a cell or with a
//! flag, the what-if order, and who moved between two analyses. They are computed here, once
//! per analysis, so the interface only displays them.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use super::profit::{period_lines, PeriodLine};
use crate::core::order::positions;
use super::{Analysis, Cell, ClientAnalysis, Flag, Verdict};
use crate::core::model::{Portfolio, Shared};

/// The columns the client table sorts by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClientSort {
    Id,
    Name,
    Revenue,
    CostToServe,
    Profit,
    Margin,
    Abc,
    Xyz,
    Cell,
}

impl ClientSort {
    /// Text columns start ascending (A to Z), numbers descending (largest first).
    pub fn starts_ascending(self) -> bool {
        matches!(self, ClientSort::Id | ClientSort::Name | ClientSort::Abc | ClientSort::Xyz | ClientSort::Cell)
    }

    fn compare(self, x: &ClientAnalysis, y: &ClientAnalysis) -> Ordering {
        match self {
            ClientSort::Id => x.id.cmp(&y.id),
            // Names are compared folded to lower case (precomputed in `sorted`).
            ClientSort::Name => Ordering::Equal,
            ClientSort::Revenue => x.now.revenue.cmp(&y.now.revenue),
            ClientSort::CostToServe => x.now.cost_to_serve.cmp(&y.now.cost_to_serve),
            ClientSort::Profit => x.now.profit.cmp(&y.now.profit),
            ClientSort::Margin => x.now.margin().cmp(&y.now.margin()),
            ClientSort::Abc => x.cell.abc.cmp(&y.cell.abc),
            ClientSort::Xyz => x.cell.xyz.cmp(&y.cell.xyz),
            ClientSort::Cell => x.cell.cmp(&y.cell),
        }
    }
}

/// Client indices sorted by a column; ties go by id, in the same direction. (Ids are unique,
/// so the order is total and an unstable sort gives the same.)
pub fn sorted(a: &Analysis, key: ClientSort, ascending: bool) -> Vec<usize> {
    let order = |o: Ordering| if ascending { o } else { o.reverse() };
    if key == ClientSort::Profit {
        return by_profit(a, ascending);
    }
    let mut idx: Vec<usize> = (0..a.clients.len()).collect();
    if key == ClientSort::Name {
        let folded: Vec<String> = a.clients.iter().map(|c| c.name.to_lowercase()).collect();
        positions(&mut idx, &|i, j| order(folded[i].cmp(&folded[j]).then_with(|| a.clients[i].id.cmp(&a.clients[j].id))));
    } else {
        positions(&mut idx, &|i, j| {
            let (x, y) = (&a.clients[i], &a.clients[j]);
            order(key.compare(x, y).then_with(|| x.id.cmp(&y.id)))
        });
    }
    idx
}

/// The profit column's order without a sort: the analysis keeps the clients by profit
/// descending with ties by id ascending; descending here has ties by id descending (each run
/// of equal profits turned round), and ascending is all of that turned round.
fn by_profit(a: &Analysis, ascending: bool) -> Vec<usize> {
    let mut idx = a.profit_order.clone();
    let profit = |i: usize| a.profits[i];
    let mut start = 0;
    while start < idx.len() {
        let end = start + idx[start..].iter().take_while(|&&i| profit(i) == profit(idx[start])).count();
        idx[start..end].reverse();
        start = end;
    }
    if ascending {
        idx.reverse();
    }
    idx
}

/// Whether a client's name or id contains `query` (case-insensitive); an empty query matches all.
pub fn matches(c: &ClientAnalysis, query: &str) -> bool {
    let q = query.trim().to_lowercase();
    q.is_empty() || c.name.to_lowercase().contains(&q) || c.id.to_lowercase().contains(&q)
}

/// The rows of `rows` whose client matches `query`, in the same order.
pub fn search(a: &Analysis, rows: &[usize], query: &str) -> Vec<usize> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return rows.to_vec();
    }
    rows.iter().copied().filter(|&i| matches(&a.clients[i], &q)).collect()
}

/// The clients of one verdict, best score first (then by id).
#[derive(Clone, Debug, PartialEq)]
pub struct VerdictGroup {
    pub verdict: Verdict,
    pub members: Vec<usize>,
}

/// The verdicts given, in rule order, each with its clients by score; verdicts nobody has are
/// left out.
pub fn by_verdict(a: &Analysis) -> Vec<VerdictGroup> {
    let mut groups: Vec<VerdictGroup> =
        Verdict::ALL.iter().map(|v| VerdictGroup { verdict: *v, members: Vec::new() }).collect();
    for (i, c) in a.clients.iter().enumerate() {
        if let Some(g) = groups.iter_mut().find(|g| g.verdict == c.decision.verdict) {
            g.members.push(i);
        }
    }
    for g in &mut groups {
        positions(&mut g.members, &|i, j| {
            a.scores[j].total_cmp(&a.scores[i]).then_with(|| a.clients[i].id.cmp(&a.clients[j].id))
        });
    }
    groups.retain(|g| !g.members.is_empty());
    groups
}

/// The what-if list: clients with an exit verdict first, then by profit ascending (the least
/// profitable first), then by id.
pub fn exits_first(a: &Analysis) -> Vec<usize> {
    // The profit order, ascending, split in two (no sort).
    // Which clients are exits, read in id order: in profit order, a look at each client's
    // result would jump about memory.
    let exit: Vec<bool> = a.clients.iter().map(|c| c.decision.verdict.is_exit()).collect();
    let (mut exits, rest): (Vec<usize>, Vec<usize>) = by_profit(a, true).into_iter().partition(|&i| exit[i]);
    exits.extend(rest);
    exits
}

/// The `n` most profitable clients with a positive profit, by profit (the concentration bars).
pub fn top_by_profit(a: &Analysis, n: usize) -> Vec<usize> {
    a.profit_order.iter().copied().filter(|&i| a.profits[i] > Decimal::ZERO).take(n).collect()
}

/// The clients of one matrix cell, by profit.
pub fn in_cell(a: &Analysis, cell: Cell) -> Vec<usize> {
    a.profit_order.iter().copied().filter(|&i| a.clients[i].cell == cell).collect()
}

/// The clients with a flag raised, in id order.
pub fn flagged(a: &Analysis, flag: Flag) -> Vec<usize> {
    (0..a.clients.len()).filter(|&i| a.clients[i].flags.has(flag)).collect()
}

/// A client whose cell, verdict or shown score differs between two analyses.
#[derive(Clone, Debug, PartialEq)]
pub struct Moved {
    /// Its index in the analysis it was listed against (the later one); see [`moved_at`].
    pub client: usize,
    /// (Its name is read from the analysis shown, for the rows shown: a weight change at
    /// 100,000 clients lists them all.)
    pub id: String,
    pub cell: (Cell, Cell),
    pub verdict: (Verdict, Verdict),
    pub score: (f64, f64),
}

impl Moved {
    /// True when the class or the verdict changed (not only the score).
    pub fn decisive(&self) -> bool {
        self.cell.0 != self.cell.1 || self.verdict.0 != self.verdict.1
    }

    /// Its client's index in `analysis`: the one it was listed at, its id checked there, else
    /// looked up by id (the analysis has changed since: a client added or removed).
    pub fn index_in(&self, analysis: &Analysis) -> Option<usize> {
        match analysis.clients.get(self.client) {
            Some(c) if c.id == self.id => Some(self.client),
            _ => analysis.index_of(&self.id),
        }
    }
}

/// Clients whose cell, verdict or shown score (one decimal) differ between two analyses of
/// the same clients: class and verdict changes first, then the largest score changes, then id.
/// Clients in only one of the two are not listed.
pub fn moved(before: &Analysis, after: &Analysis) -> Vec<Moved> {
    let shown = |x: f64| (x * 10.0).round() as i64;
    // Two analyses that share their clients differ in the scores alone.
    let shared = Shared::same(&before.clients, &after.clients);
    // Who moved, as (decisive, score change, index after, index before): sorted as small
    // keys, and only then made into entries (a weight change can move every client).
    let changed: Vec<(bool, f64, usize, usize)> = after
        .clients
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let j = if shared { i } else { before.index_of(&a.id)? };
            let b = &before.clients[j];
            let decisive = b.cell != a.cell || b.decision.verdict != a.decision.verdict;
            let (from, to) = (before.scores[j], after.scores[i]);
            (decisive || shown(from) != shown(to)).then_some((decisive, (to - from).abs(), i, j))
        })
        .collect();
    // Class and verdict changes first, then the largest score changes, then id (the index
    // order is id order): as one number, decisive in the high bits over the change's bits (a
    // change is not negative, so its bits order as it does), largest first; the ties in the
    // order they were listed, which is id order. (The ABC ranking's sort, on the same type:
    // a weight change can move 100,000 clients, and the shared sort through a comparison
    // object took 27 ms of them.)
    let mut keyed: Vec<(std::cmp::Reverse<i128>, usize)> =
        changed.iter().enumerate().map(|(k, &(decisive, change, ..))| (std::cmp::Reverse(i128::from(decisive) << 64 | i128::from(change.to_bits())), k)).collect();
    keyed.sort_unstable();
    keyed
        .into_iter()
        .map(|(_, k)| changed[k])
        .map(|(_, _, i, j)| {
            let (a, b) = (&after.clients[i], &before.clients[j]);
            Moved {
                client: i,
                id: a.id.clone(),
                cell: (b.cell, a.cell),
                verdict: (b.decision.verdict, a.decision.verdict),
                score: (before.scores[j], after.scores[i]),
            }
        })
        .collect()
}

/// Where each client of `analysis` is in a list of who moved (`u32::MAX`: not there), without
/// a map of ids: an entry is placed by the index it was listed at, its id checked there, and
/// looked up by id only where the analysis has changed since (a client added or removed).
pub fn moved_at(list: &[Moved], analysis: &Analysis) -> Vec<u32> {
    let mut at = vec![u32::MAX; analysis.clients.len()];
    for (k, m) in list.iter().enumerate() {
        if let Some(i) = m.index_in(analysis) {
            at[i] = k as u32;
        }
    }
    at
}

/// One client's revenue, cost to serve and profit per period, over the previous window and the
/// window (every period, zero where there is no record).
#[derive(Clone, Debug, PartialEq)]
pub struct ClientPeriods {
    pub previous: Vec<PeriodLine>,
    pub now: Vec<PeriodLine>,
}

impl ClientPeriods {
    pub fn of(portfolio: &Portfolio, analysis: &Analysis, id: &str) -> ClientPeriods {
        let lines = |span: Option<super::Span>| match (portfolio.clients.get(id), span) {
            (Some(client), Some(span)) => period_lines(client, portfolio.records.get(id), &portfolio.settings, span),
            _ => Vec::new(),
        };
        ClientPeriods { previous: lines(analysis.previous_window), now: lines(analysis.window) }
    }

    /// Both windows in order, the previous one first.
    pub fn all(&self) -> impl Iterator<Item = &PeriodLine> {
        self.previous.iter().chain(&self.now)
    }
}
