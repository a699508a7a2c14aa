//! Where every line's class changes along a side, found in one sweep of the side for all the
//! lines at once.
//!
//! A line's class comparison is whether the sum of the lines ranked above it (value
//! descending, then index) reaches `num/den` of the sum of the positive values `T` (DOMAIN.md
//! §4, as [`Classes`](crate::core::analysis::abc::Classes) ranks). Of a positive line, the
//! lines ranked above it are positive too, so that sum grows with its rank: at each position
//! the lines whose comparison holds are those from one rank on, the *boundary* (the first
//! positive rank whose sum above reaches the share, or the count of positive lines when none
//! does). Of a line never positive the rules read no class, and its truth here is only rank
//! against boundary as well.
//!
//! The sweep keeps the lines ranked as the position grows, a kinetic sort: two lines next to
//! each other in the ranking change places at a position worked out from their two lines, so
//! each pair next to each other has that position noted, and the ranking is mended there
//! alone (the sums ranked above each rank with it), the pairs that become neighbours noted in
//! turn. The boundary moves a few ranks at a time. A line's truth changes where it is moved
//! across the boundary, or the boundary across it: only those lines are looked at, and each
//! change is marked at its position. So following a client's class reads its marks, instead
//! of the crossings of every line with its own; the sweep costs a step for each pair of lines
//! that cross on the side, once for all the clients.

use super::sweep::floor_div;

/// Where each line's comparisons change: by comparison (in the order of the shares given), the
/// truth at position 1, and the positions of change, of line `i` at `at[starts[i]..starts[i + 1]]`.
pub(super) struct Marks {
    first: [Vec<bool>; 2],
    starts: [Vec<u32>; 2],
    at: [Vec<u32>; 2],
}

impl Marks {
    /// Line `i`'s comparison `k` at position 1, and the positions where it changes, in order.
    pub fn of(&self, k: usize, i: usize) -> (bool, &[u32]) {
        let (from, to) = (self.starts[k][i] as usize, self.starts[k][i + 1] as usize);
        (self.first[k][i], &self.at[k][from..to])
    }
}

/// The sweep under way, a run of positions at a time ([`Sweep::advance`]).
pub(super) struct Sweep {
    len: i64,
    /// The position the ranking is at.
    t: i64,
    /// The two shares `num/den` of `T` compared with.
    shares: [(i128, i128); 2],
    /// The lines in rank order, as `(c, e, index)` of `c − e·t`.
    ranked: Vec<(i128, i128, u32)>,
    /// Each line's rank, by index.
    rank: Vec<u32>,
    /// Σ of the lines ranked before each rank, as a line (`n + 1` of them).
    before: Vec<(i128, i128)>,
    /// By position: the ranks `r` whose pair `r`, `r + 1` changes places there (some of them
    /// since no longer neighbours, checked when met).
    swaps: Vec<Vec<u32>>,
    /// How many lines are positive at `t`.
    positive: usize,
    /// By comparison: its boundary rank at `t`, each line's truth there, its truth at position
    /// 1, and the changes marked, as `(line, position)` in position order.
    boundary: [usize; 2],
    holds: [Vec<bool>; 2],
    first: [Vec<bool>; 2],
    changes: [Vec<(u32, u32)>; 2],
    /// Lines moved across a boundary at this position.
    moved: Vec<u32>,
    /// Pairs that changed places.
    crossings: usize,
}

impl Sweep {
    /// The sweep of `lines` (`c − e·t` at positions 1..=`len`) against `shares` of the
    /// positive `totals` (by position, 0 unused), ranked at position 1. The caller keeps every
    /// sum of the lines within 96 bits ([`super::sweep::SideLines`]).
    pub fn new(lines: &[(i128, i128)], len: i64, shares: [(i128, i128); 2], totals: &[i128]) -> Sweep {
        let n = lines.len();
        let mut ranked: Vec<(i128, i128, u32)> = lines.iter().enumerate().map(|(j, &(c, e))| (c, e, j as u32)).collect();
        // Value descending, then index: the ranking at position 1.
        ranked.sort_unstable_by(|x, y| (y.0 - y.1).cmp(&(x.0 - x.1)).then(x.2.cmp(&y.2)));
        let mut rank = vec![0u32; n];
        let mut before = Vec::with_capacity(n + 1);
        let mut sum = (0i128, 0i128);
        for (r, &(c, e, j)) in ranked.iter().enumerate() {
            rank[j as usize] = r as u32;
            before.push(sum);
            sum = (sum.0 + c, sum.1 + e);
        }
        before.push(sum);
        let mut sweep = Sweep {
            len,
            t: 1,
            shares,
            ranked,
            rank,
            before,
            swaps: vec![Vec::new(); len as usize + 1],
            positive: 0,
            boundary: [0, 0],
            holds: [Vec::new(), Vec::new()],
            first: [Vec::new(), Vec::new()],
            changes: [Vec::new(), Vec::new()],
            moved: Vec::new(),
            crossings: 0,
        };
        for r in 0..n.saturating_sub(1) {
            if let Some(at) = sweep.swap_at(r, 1) {
                sweep.swaps[at as usize].push(r as u32);
            }
        }
        sweep.settle(totals);
        for k in 0..2 {
            sweep.holds[k] = sweep.rank.iter().map(|&r| r as usize >= sweep.boundary[k]).collect();
        }
        sweep.first = sweep.holds.clone();
        sweep
    }

    /// Sweeps on for about `work` more positions and pairs changing places; returns whether
    /// any positions are left.
    pub fn advance(&mut self, totals: &[i128], work: usize) -> bool {
        let until = self.crossings.saturating_add(work);
        let mut positions = 0usize;
        while self.t < self.len && self.crossings + positions < until {
            positions += 1;
            self.t += 1;
            let was = self.boundary;
            self.rank_at(self.t);
            self.settle(totals);
            self.mark(was);
        }
        self.t < self.len
    }

    #[inline(always)]
    fn value(&self, r: usize, t: i64) -> i128 {
        let (c, e, _) = self.ranked[r];
        c - e * t as i128
    }

    /// The first position from `t` on at which the lines at ranks `r` and `r + 1` are out of
    /// order, `None` when they stay in order to the end of the side. Two lines cross once.
    #[inline(always)]
    fn swap_at(&self, r: usize, t: i64) -> Option<i64> {
        let ((cx, ex, jx), (cy, ey, jy)) = (self.ranked[r], self.ranked[r + 1]);
        // The lower one above: (cy − cx) − (ey − ex)·s ≥ τ, strictly when its index is larger.
        let (alpha, beta, tau) = (cy - cx, ey - ex, if jy < jx { 0 } else { 1 });
        if alpha - beta * t as i128 >= tau {
            return Some(t);
        }
        if beta >= 0 {
            return None;
        }
        // −β·s ≥ τ − α from s = ⌈(τ − α)/(−β)⌉.
        let at = -floor_div(alpha - tau, -beta);
        (at <= self.len as i128).then_some(at as i64)
    }

    /// The ranking put in order at `t` (from that at `t − 1`): the pairs noted there change
    /// places, and the new neighbours are noted where they will.
    fn rank_at(&mut self, t: i64) {
        let mut due = std::mem::take(&mut self.swaps[t as usize]);
        let n = self.ranked.len();
        while let Some(r) = due.pop() {
            let r = r as usize;
            if self.swap_at(r, t) != Some(t) {
                continue;
            }
            let (x, y) = (self.ranked[r], self.ranked[r + 1]);
            self.ranked.swap(r, r + 1);
            self.rank[x.2 as usize] = r as u32 + 1;
            self.rank[y.2 as usize] = r as u32;
            // The sum before rank r + 1 has `y` in it for `x`.
            let b = &mut self.before[r + 1];
            *b = (b.0 + (y.0 - x.0), b.1 + (y.1 - x.1));
            if self.boundary.contains(&(r + 1)) {
                self.moved.extend([x.2, y.2]);
            }
            self.crossings += 1;
            // The pairs with a new neighbour.
            let mut note = |q: usize| match self.swap_at(q, t) {
                Some(at) if at == t => due.push(q as u32),
                Some(at) => self.swaps[at as usize].push(q as u32),
                None => {}
            };
            if r > 0 {
                note(r - 1);
            }
            if r + 2 < n {
                note(r + 1);
            }
        }
    }

    /// The count of positive lines and each comparison's boundary at the current position.
    fn settle(&mut self, totals: &[i128]) {
        let t = self.t;
        let n = self.ranked.len();
        while self.positive < n && self.value(self.positive, t) > 0 {
            self.positive += 1;
        }
        while self.positive > 0 && self.value(self.positive - 1, t) <= 0 {
            self.positive -= 1;
        }
        let total = totals[t as usize];
        for k in 0..2 {
            let (num, den) = self.shares[k];
            let before = &self.before;
            let reaches = |r: usize| {
                let (c, e) = before[r];
                den * (c - e * t as i128) >= num * total
            };
            // The sums before the positive ranks grow with the rank: the first that reaches.
            let mut r = self.boundary[k].min(self.positive);
            while r > 0 && reaches(r - 1) {
                r -= 1;
            }
            while r < self.positive && !reaches(r) {
                r += 1;
            }
            self.boundary[k] = r;
        }
    }

    /// Marks the lines whose truth changed at this position: those moved across a boundary,
    /// and those a boundary moved across.
    fn mark(&mut self, was: [usize; 2]) {
        let t = self.t as u32;
        for k in 0..2 {
            let (from, to) = (was[k].min(self.boundary[k]), was[k].max(self.boundary[k]));
            let passed = self.ranked[from..to].iter().map(|x| x.2);
            for j in passed.chain(self.moved.iter().copied()) {
                let holds = self.rank[j as usize] as usize >= self.boundary[k];
                if holds != self.holds[k][j as usize] {
                    self.holds[k][j as usize] = holds;
                    self.changes[k].push((j, t));
                }
            }
        }
        self.moved.clear();
    }

    /// The marks, the side swept to its end.
    pub fn finish(mut self, totals: &[i128]) -> Marks {
        while self.advance(totals, usize::MAX) {}
        let n = self.rank.len();
        let mut marks = Marks { first: self.first, starts: [Vec::new(), Vec::new()], at: [Vec::new(), Vec::new()] };
        for (k, changes) in self.changes.into_iter().enumerate() {
            // By line, each line's in position order (a counting sort keeps the order).
            let mut starts = vec![0u32; n + 1];
            for &(j, _) in &changes {
                starts[j as usize + 1] += 1;
            }
            for j in 0..n {
                starts[j + 1] += starts[j];
            }
            let mut next = starts.clone();
            let mut at = vec![0u32; changes.len()];
            for (j, position) in changes {
                at[next[j as usize] as usize] = position;
                next[j as usize] += 1;
            }
            marks.starts[k] = starts;
            marks.at[k] = at;
        }
        marks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Σ max(c − e·t, 0) at each position.
    fn totals(lines: &[(i128, i128)], len: i64) -> Vec<i128> {
        (0..=len).map(|t| lines.iter().map(|(c, e)| (c - e * t as i128).max(0)).sum()).collect()
    }

    /// Whether the sum ranked above line `i` at `t` reaches `num/den` of `T`, by the definition.
    fn reaches(lines: &[(i128, i128)], i: usize, t: i64, (num, den): (i128, i128), total: i128) -> bool {
        let v = |j: usize| lines[j].0 - lines[j].1 * t as i128;
        let above: i128 = (0..lines.len()).filter(|&j| v(j) > v(i) || (v(j) == v(i) && j < i)).map(v).sum();
        den * above >= num * total
    }

    /// A small generator of lines: many crossings, ties and lines changing sign.
    fn lines(seed: u64, n: usize) -> Vec<(i128, i128)> {
        let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let mut next = |m: i128| {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (x >> 33) as i128 % m
        };
        (0..n).map(|_| (next(400) - 60, next(21) - 6)).collect()
    }

    #[test]
    fn marks_are_where_the_comparison_of_every_positive_line_changes() {
        let shares = [(80, 100), (95, 100)];
        for seed in 0..60 {
            let n = 1 + seed as usize % 37;
            let len = 1 + (seed as i64 * 7) % 60;
            let lines = lines(seed, n);
            let totals = totals(&lines, len);
            let marks = Sweep::new(&lines, len, shares, &totals).finish(&totals);
            for (k, &share) in shares.iter().enumerate() {
                for i in 0..n {
                    let (mut holds, changes) = marks.of(k, i);
                    let mut changes = changes.iter().peekable();
                    for t in 1..=len {
                        if changes.next_if(|at| **at as i64 == t).is_some() {
                            holds = !holds;
                        }
                        // The rules read a class of positive lines only.
                        if lines[i].0 - lines[i].1 * t as i128 > 0 {
                            assert_eq!(holds, reaches(&lines, i, t, share, totals[t as usize]), "seed {seed}, line {i}, share {k}, t {t}");
                        }
                    }
                    assert!(changes.next().is_none(), "seed {seed}: every mark on the side");
                }
            }
        }
    }
}
