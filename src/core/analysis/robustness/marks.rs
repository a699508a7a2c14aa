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
//! So at each position, of each share, the lines are split in two sets: those ranked before the
//! boundary (the *top*: positive lines, their sum short of the share until the last of them
//! is in) and the rest. How the lines are ordered within each set does not matter, only which
//! set each is in, so the sweep does not keep the lines ranked. It keeps the lowest line of
//! the top and the highest of the rest, each in a kinetic tournament: a tree over the lines
//! in which each node holds the winner of its two children's winners at the current position,
//! and the position at which the loser overtakes it (two lines cross once); at that position
//! the node, and the nodes above it, are played again. At each position the sets are put
//! right where they no longer split the lines as the boundary does — the highest of the rest
//! ranked above the lowest of the top, the top's sum without its lowest line reaching the
//! share, or the top short of it with a positive line left in the rest — one line moved at
//! a time. A line's truth changes only where it changes sets, and is marked there.
//!
//! A tree's winners change about as many times as the lines of a subtree form its upper
//! (or lower) envelope, a few times its size; so the sweep costs about `n log n` such changes
//! a side and the moves across the boundary, not the `n²` pairs of lines that may cross.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::line::switch;

/// Where each line's comparisons change: by comparison (in the order of the shares given), the
/// truth at position 1, and the positions of change, of line `i` at `at[starts[i]..starts[i + 1]]`.
pub(super) struct Marks {
    first: [Vec<bool>; 2],
    starts: [Vec<u32>; 2],
    at: [Vec<u32>; 2],
    /// The last share's split along the side, where it was asked for.
    pub history: Option<History>,
}

/// A split's history along the side: of each run of positions over which the lowest line of the
/// top, the highest of the rest and the sum of the top stay the same lines, those three. The
/// upsell comparison of every client reads it ([`super::sweep`]).
#[derive(Default)]
pub(super) struct History {
    /// The first position of each run, in order.
    pub from: Vec<u32>,
    /// The lowest line of the top and the highest of the rest ([`NONE`] for an empty set).
    pub low: Vec<u32>,
    pub high: Vec<u32>,
    /// Σ of the top, as a line.
    pub sum: Vec<(i128, i128)>,
}

impl History {
    /// The split at `t`, a new run where it differs from the last.
    fn note(&mut self, t: i64, low: Option<u32>, high: Option<u32>, sum: (i128, i128)) {
        let (low, high) = (low.unwrap_or(NONE), high.unwrap_or(NONE));
        let same = self.low.last() == Some(&low) && self.high.last() == Some(&high) && self.sum.last() == Some(&sum);
        if !same {
            self.from.push(t as u32);
            self.low.push(low);
            self.high.push(high);
            self.sum.push(sum);
        }
    }

    /// The run that holds position `t`.
    pub fn run_at(&self, t: i64) -> usize {
        self.from.partition_point(|f| *f as i64 <= t).saturating_sub(1)
    }

    /// The last position of run `r` on a side of `len`.
    pub fn end(&self, r: usize, len: i64) -> i64 {
        self.from.get(r + 1).map_or(len, |f| *f as i64 - 1)
    }
}

impl Marks {
    /// Line `i`'s comparison `k` at position 1, and the positions where it changes, in order.
    pub fn of(&self, k: usize, i: usize) -> (bool, &[u32]) {
        let (from, to) = (self.starts[k][i] as usize, self.starts[k][i + 1] as usize);
        (self.first[k][i], &self.at[k][from..to])
    }
}

/// No line.
pub(super) const NONE: u32 = u32::MAX;

/// Whether line `x` ranks above line `y` at `t`: a larger value, or the same and a smaller
/// index.
fn above(lines: &[(i128, i128)], x: u32, y: u32, t: i64) -> bool {
    let ((cx, ex), (cy, ey)) = (lines[x as usize], lines[y as usize]);
    let (vx, vy) = (cx - ex * t as i128, cy - ey * t as i128);
    vx > vy || (vx == vy && x < y)
}

/// The first position after `t` (up to `len`) at which line `x` ranks above line `y`, which it
/// does not at `t`: `(cx − cy) − (ex − ey)·s ≥ τ`, strictly (τ = 1) when `x` has the larger
/// index. Two lines cross once: if `x` was above at position 1, it has fallen below for good.
fn overtakes(lines: &[(i128, i128)], x: u32, y: u32, len: i64) -> Option<i64> {
    let ((cx, ex), (cy, ey)) = (lines[x as usize], lines[y as usize]);
    match switch(cx - cy, ex - ey, if x < y { 0 } else { 1 }, len) {
        (false, at) => at,
        (true, _) => None,
    }
}

/// The highest (or lowest) ranked of a set of lines as the position grows: a kinetic
/// tournament over every line, those outside the set left out.
struct Tournament {
    highest: bool,
    /// Leaves from here on: line `j` at `leaves + j`; node `k`'s children are `2k` and `2k + 1`.
    leaves: usize,
    /// By node: its winner (or [`NONE`]) and the position where its loser overtakes it (0: none).
    winner: Vec<u32>,
    due: Vec<u32>,
    /// Nodes by the position they are due, the lower nodes first.
    queue: BinaryHeap<Reverse<(u32, Reverse<u32>)>>,
    /// Nodes played so far: the sweep's work.
    plays: usize,
}

impl Tournament {
    /// Of the lines `member` says, at `t`.
    fn new(lines: &[(i128, i128)], member: &[bool], highest: bool, t: i64, len: i64) -> Tournament {
        let leaves = lines.len().next_power_of_two().max(1);
        let mut winner = vec![NONE; 2 * leaves];
        for (j, _) in member.iter().enumerate().filter(|m| *m.1) {
            winner[leaves + j] = j as u32;
        }
        let mut tree = Tournament { highest, leaves, winner, due: vec![0; 2 * leaves], queue: BinaryHeap::new(), plays: 0 };
        for k in (1..leaves).rev() {
            tree.play(lines, k, t, len);
        }
        tree
    }

    /// The winner of the whole set at the current position.
    fn best(&self) -> Option<u32> {
        Some(self.winner[1]).filter(|w| *w != NONE)
    }

    /// Node `k` played again at `t` from its children's winners, and its next due position.
    fn play(&mut self, lines: &[(i128, i128)], k: usize, t: i64, len: i64) {
        self.plays += 1;
        let (a, b) = (self.winner[2 * k], self.winner[2 * k + 1]);
        let (win, lose) = match (a, b) {
            (NONE, _) => (b, NONE),
            (_, NONE) => (a, NONE),
            _ if above(lines, a, b, t) == self.highest => (a, b),
            _ => (b, a),
        };
        self.winner[k] = win;
        // The loser overtakes a highest winner by ranking above it; a lowest, by ranking below.
        let due = match lose {
            NONE => None,
            _ if self.highest => overtakes(lines, lose, win, len),
            _ => overtakes(lines, win, lose, len),
        };
        let due = due.map_or(0, |d| d as u32);
        if due != self.due[k] {
            self.due[k] = due;
            if due != 0 {
                self.queue.push(Reverse((due, Reverse(k as u32))));
            }
        }
    }

    /// The nodes above `k` played again.
    fn replay_above(&mut self, lines: &[(i128, i128)], mut k: usize, t: i64, len: i64) {
        while k > 1 {
            k /= 2;
            self.play(lines, k, t, len);
        }
    }

    /// Line `j` put in the set or taken out, at `t`.
    fn set(&mut self, lines: &[(i128, i128)], j: u32, member: bool, t: i64, len: i64) {
        let leaf = self.leaves + j as usize;
        self.winner[leaf] = if member { j } else { NONE };
        self.replay_above(lines, leaf, t, len);
    }

    /// Every node due at `t` played again.
    fn advance(&mut self, lines: &[(i128, i128)], t: i64, len: i64) {
        while let Some(&Reverse((due, Reverse(k)))) = self.queue.peek() {
            if due as i64 > t {
                break;
            }
            self.queue.pop();
            let k = k as usize;
            // Played since it was queued for this position: not due any more.
            if self.due[k] != due {
                continue;
            }
            self.due[k] = 0;
            self.play(lines, k, t, len);
            self.replay_above(lines, k, t, len);
        }
    }
}

/// One share's split of the lines: the top (ranked before the boundary) and the rest.
struct Split {
    share: (i128, i128),
    /// By line: whether it is in the top.
    top: Vec<bool>,
    /// Σ of the top, as a line.
    sum: (i128, i128),
    lowest_top: Tournament,
    highest_rest: Tournament,
    /// Each line's truth (not in the top) at the last position marked, the truths at position 1,
    /// and the changes marked, as `(line, position)` in position order.
    holds: Vec<bool>,
    first: Vec<bool>,
    changes: Vec<(u32, u32)>,
    /// Lines moved at this position.
    moved: Vec<u32>,
    /// Its history, where it is kept.
    history: Option<History>,
}

impl Split {
    /// At position 1, from the ranking there: the top is the ranks before the boundary.
    fn new(lines: &[(i128, i128)], order: &[u32], share: (i128, i128), total: i128, len: i64, history: bool) -> Split {
        let (num, den) = share;
        let mut top = vec![false; lines.len()];
        let mut sum = (0i128, 0i128);
        for &j in order {
            let (c, e) = lines[j as usize];
            // The boundary: the first positive rank whose sum before it reaches the share.
            if c - e <= 0 || den * (sum.0 - sum.1) >= num * total {
                break;
            }
            top[j as usize] = true;
            sum = (sum.0 + c, sum.1 + e);
        }
        let rest: Vec<bool> = top.iter().map(|t| !t).collect();
        let mut split = Split {
            share,
            lowest_top: Tournament::new(lines, &top, false, 1, len),
            highest_rest: Tournament::new(lines, &rest, true, 1, len),
            sum,
            holds: rest.clone(),
            first: rest,
            top,
            changes: Vec::new(),
            moved: Vec::new(),
            history: history.then(History::default),
        };
        split.note(1);
        split
    }

    /// The split at `t` noted in its history, where it is kept.
    fn note(&mut self, t: i64) {
        let (low, high, sum) = (self.lowest_top.best(), self.highest_rest.best(), self.sum);
        if let Some(history) = self.history.as_mut() {
            history.note(t, low, high, sum);
        }
    }

    /// Line `j` moved into the top, or out of it, at `t`.
    fn flip(&mut self, lines: &[(i128, i128)], j: u32, t: i64, len: i64) {
        let into = !self.top[j as usize];
        self.top[j as usize] = into;
        let (c, e) = lines[j as usize];
        self.sum = if into { (self.sum.0 + c, self.sum.1 + e) } else { (self.sum.0 - c, self.sum.1 - e) };
        self.lowest_top.set(lines, j, into, t, len);
        self.highest_rest.set(lines, j, !into, t, len);
        self.moved.push(j);
    }

    /// The split at `t`: the trees played to `t`, the sets put right, the lines whose truth
    /// changed marked.
    fn advance(&mut self, lines: &[(i128, i128)], t: i64, total: i128, len: i64) {
        self.lowest_top.advance(lines, t, len);
        self.highest_rest.advance(lines, t, len);
        let (num, den) = self.share;
        let value = |j: u32| lines[j as usize].0 - lines[j as usize].1 * t as i128;
        let reaches = |(c, e): (i128, i128)| den * (c - e * t as i128) >= num * total;
        loop {
            let (low, high) = (self.lowest_top.best(), self.highest_rest.best());
            match (low, high) {
                // Out of order: the highest of the rest ranks above the lowest of the top.
                (Some(l), Some(h)) if above(lines, h, l, t) => {
                    self.flip(lines, l, t, len);
                    self.flip(lines, h, t, len);
                }
                // The lowest of the top is past the boundary: not positive, or the sum before
                // it reaches the share.
                (Some(l), _) if value(l) <= 0 || reaches((self.sum.0 - lines[l as usize].0, self.sum.1 - lines[l as usize].1)) => {
                    self.flip(lines, l, t, len)
                }
                // The top falls short of the share with a positive line left.
                (_, Some(h)) if value(h) > 0 && !reaches(self.sum) => self.flip(lines, h, t, len),
                _ => break,
            }
        }
        for j in std::mem::take(&mut self.moved) {
            let holds = !self.top[j as usize];
            if holds != self.holds[j as usize] {
                self.holds[j as usize] = holds;
                self.changes.push((j, t as u32));
            }
        }
        self.note(t);
    }
}

/// The sweep under way, a run of positions at a time ([`Sweep::advance`]), of lines its caller
/// keeps and hands to each step.
pub(super) struct Sweep {
    len: i64,
    /// The position swept to.
    t: i64,
    splits: [Split; 2],
}

impl Sweep {
    /// The sweep of `lines` (`c − e·t` at positions 1..=`len`), ranked at position 1 in
    /// `order` (value descending, then index), against `shares` of the positive `totals` (by
    /// position, 0 unused), the last share's split kept in a [`History`] where `history`
    /// says. The caller keeps every sum of the lines within 96 bits
    /// ([`super::sweep::SideLines`]).
    pub fn new(lines: &[(i128, i128)], order: &[u32], len: i64, shares: [(i128, i128); 2], totals: &[i128], history: bool) -> Sweep {
        let [a, b] = shares;
        let splits = [Split::new(lines, order, a, totals[1], len, false), Split::new(lines, order, b, totals[1], len, history)];
        Sweep { len, t: 1, splits }
    }

    /// The work done: positions swept and nodes played.
    pub fn work(&self) -> usize {
        self.splits.iter().fold(self.t as usize, |w, s| w + s.lowest_top.plays + s.highest_rest.plays)
    }

    /// Sweeps `lines` (those it was made of) on for about `work` more positions and nodes
    /// played; returns whether any positions are left.
    pub fn advance(&mut self, lines: &[(i128, i128)], totals: &[i128], work: usize) -> bool {
        let until = self.work().saturating_add(work);
        while self.t < self.len && self.work() < until {
            self.t += 1;
            for split in &mut self.splits {
                split.advance(lines, self.t, totals[self.t as usize], self.len);
            }
        }
        self.t < self.len
    }

    /// The marks, the side swept to its end.
    pub fn finish(mut self, lines: &[(i128, i128)], totals: &[i128]) -> Marks {
        while self.advance(lines, totals, usize::MAX) {}
        let n = lines.len();
        let mut marks = Marks { first: [Vec::new(), Vec::new()], starts: [Vec::new(), Vec::new()], at: [Vec::new(), Vec::new()], history: None };
        for (k, mut split) in self.splits.into_iter().enumerate() {
            marks.history = marks.history.or(split.history.take());
            // By line, each line's in position order (a counting sort keeps the order).
            let mut starts = vec![0u32; n + 1];
            for &(j, _) in &split.changes {
                starts[j as usize + 1] += 1;
            }
            for j in 0..n {
                starts[j + 1] += starts[j];
            }
            let mut next = starts.clone();
            let mut at = vec![0u32; split.changes.len()];
            for (j, position) in split.changes {
                at[next[j as usize] as usize] = position;
                next[j as usize] += 1;
            }
            marks.first[k] = split.first;
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
        for seed in 0..150 {
            let n = 1 + seed as usize % 61;
            let len = 1 + (seed as i64 * 7) % 90;
            // Some sides far from 64 bits, as figures with many decimals make them.
            let scale = if seed % 5 == 0 { 10i128.pow(20) } else { 1 };
            let lines: Vec<(i128, i128)> = lines(seed, n).into_iter().map(|(c, e)| (c * scale, e * scale)).collect();
            let totals = totals(&lines, len);
            let mut order: Vec<u32> = (0..n as u32).collect();
            order.sort_by_key(|&j| (Reverse(lines[j as usize].0 - lines[j as usize].1), j));
            let marks = Sweep::new(&lines, &order, len, shares, &totals, false).finish(&lines, &totals);
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
