//! Ranges searched by probes, where a portfolio's lines are not integers that fit in 128 bits
//! (see the method in the parent module): the whole portfolio judged at probes going out from
//! the value set, then each client's bracket halved down to one grid step.

use rust_decimal::Decimal;

use super::{cost, IntLines, Judge, Lines, Side, Verdict, SCAN_GROUP};

impl Side {
    /// Positions 1, 2, 4, … near the value set, and [`UNIFORM_PROBES`] evenly over the span.
    pub(super) fn probes(&self) -> Vec<i64> {
        let doubling = std::iter::successors(Some(1i64), |t| t.checked_mul(2)).take_while(|t| *t < self.last);
        let uniform = (1..=UNIFORM_PROBES).map(|k| (self.last * k + UNIFORM_PROBES - 1) / UNIFORM_PROBES);
        let mut probes: Vec<i64> = doubling.chain(uniform).filter(|t| *t >= 1).collect();
        crate::core::order::sort_short(&mut probes);
        probes.dedup();
        probes
    }
}

/// Probes spread evenly over each side of the span, besides those doubling away from the value
/// set: a verdict that changes and comes back between two of them is not seen.
pub const UNIFORM_PROBES: i64 = 32;

/// One side's search under way.
pub(super) struct SideSearch {
    pub side: Side,
    probes: Vec<i64>,
    next_probe: usize,
    /// Clients whose verdict held at every probe so far, and the last probe.
    open: Vec<usize>,
    held: i64,
    /// Brackets to halve: (position where it holds, where it differs, clients).
    brackets: Vec<(i64, i64, Vec<usize>)>,
    /// Clients whose bound on this side is known.
    pub resolved: usize,
}

impl SideSearch {
    pub fn new(side: Side, open: Vec<usize>) -> SideSearch {
        SideSearch { side, probes: side.probes(), next_probe: 0, open, held: 0, brackets: Vec::new(), resolved: 0 }
    }

    /// One judgement of the portfolio, its bounds written into `bounds`: its cost, `None` when
    /// none is left.
    pub fn step(&mut self, judge: &Judge, lines: &(Lines, Option<IntLines>), reference: &[Verdict], bounds: &mut [Option<Decimal>]) -> Option<usize> {
        if self.next_probe < self.probes.len() && !self.open.is_empty() {
            let t = self.probes[self.next_probe];
            self.next_probe += 1;
            let (held, moved, cost) = split(judge, lines, reference, &self.side, t, std::mem::take(&mut self.open));
            if !moved.is_empty() {
                self.brackets.push((self.held, t, moved));
            }
            (self.open, self.held) = (held, t);
            return Some(cost);
        }
        // Those that held at every probe hold to the end of the span.
        self.resolved += std::mem::take(&mut self.open).len();
        while let Some((h, d, clients)) = self.brackets.pop() {
            if d - h <= 1 {
                self.resolved += clients.len();
                for i in clients {
                    bounds[i] = Some(self.side.at(h));
                }
                continue;
            }
            let mid = h + (d - h) / 2;
            let (held, moved, cost) = split(judge, lines, reference, &self.side, mid, clients);
            if !held.is_empty() {
                self.brackets.push((mid, d, held));
            }
            if !moved.is_empty() {
                self.brackets.push((h, mid, moved));
            }
            return Some(cost);
        }
        None
    }
}

/// `clients` judged at `x`: those whose verdict holds, those whose verdict moved, and what the
/// judgement cost ([`cost`]).
fn split(judge: &Judge, (lines, int): &(Lines, Option<IntLines>), reference: &[Verdict], side: &Side, t: i64, clients: Vec<usize>) -> (Vec<usize>, Vec<usize>, usize) {
    let n = reference.len();
    let scanned = int.as_ref().filter(|_| judge.scans() && clients.len() <= SCAN_GROUP).and_then(|int| judge.verdicts_scanned(int, side.index(t), &clients));
    let (verdicts, cost) = match scanned {
        Some(verdicts) => (verdicts, cost::scanned(n, clients.len())),
        None => (judge.verdicts(&lines.at(side.at(t)), clients.iter().copied()), cost::sorted(n, clients.len())),
    };
    let (mut held, mut moved) = (Vec::new(), Vec::new());
    for (i, v) in clients.into_iter().zip(verdicts) {
        if v == reference[i] { held.push(i) } else { moved.push(i) }
    }
    (held, moved, cost)
}

