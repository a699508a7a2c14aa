//! Whether a client is out of reach of B with its upsell allowance (rule 7), read along a side
//! from the history of the B boundary ([`History`]) instead of following every line that
//! crosses its value plus the allowance.
//!
//! The rules read it only of a positive client in class C. Of such a client, with `v` its value,
//! `w` its value plus the allowance (`num/den` of `v`), and, at the B boundary, `L` the lowest
//! line before it, `H` the highest after it and `S` the sum before it (`a + b ≤ 1`):
//!
//! - if `L ≤ w` it is within reach: the lines above `w` are among those before the boundary
//!   other than `L`, and their sum falls short of `(a + b)·T` (else `L` would not be before it);
//! - else, if `H` is another line and above `w`, it is out of reach: the lines above `w` are
//!   all those before the boundary, whose sum reaches `(a + b)·T` (a positive line is after the
//!   boundary only once the sum before it does), and `H`, which alone is more than the
//!   `(a + b)·allowance` the other side of the comparison adds;
//! - else the lines above `w` are exactly those before the boundary (after it, `H` is the
//!   client itself, or no higher than `w`), and the comparison reads their sum `S`.
//!
//! Over a run of the history `L`, `H` and `S` are lines, so the first two comparisons change at
//! most once there and the last (concave, as `T` is convex) at most twice, at positions found
//! exactly. Runs over which `H` stays above `w` throughout (out of reach), or `L` at `w` or
//! below (within reach), are passed at once: tables of the least `H` and the greatest `L` over
//! any stretch of runs tell it, so a client far from the boundary costs a few look-ups, not a
//! run each.

use super::line::{first_change, positive_run, switch};
use super::marks::{History, NONE};

/// The B boundary's history on a side (this window), and tables over runs of runs of the least
/// value of the highest line after it and the greatest of the lowest before it.
pub(super) struct Reach {
    history: History,
    /// `i128::MIN` over a run without a line after the boundary.
    least_high: Table,
    /// `i128::MAX` over a run without a line before the boundary.
    most_low: Table,
}

/// The least (or greatest) of values over any stretch of them, in two look-ups: of each level
/// `k`, that of every `2^k` values in a row.
struct Table {
    least: bool,
    levels: Vec<Vec<i128>>,
}

impl Table {
    fn new(values: Vec<i128>, least: bool) -> Table {
        let pick = |x: i128, y: i128| if least { x.min(y) } else { x.max(y) };
        let mut levels = vec![values];
        let mut width = 1;
        loop {
            let last = levels.last().expect("one level at least");
            if last.len() <= width {
                break;
            }
            let next = (0..last.len() - width).map(|r| pick(last[r], last[r + width])).collect();
            levels.push(next);
            width *= 2;
        }
        Table { least, levels }
    }

    /// Over runs `from..=to`.
    fn over(&self, from: usize, to: usize) -> i128 {
        let k = (usize::BITS - 1 - (to - from + 1).leading_zeros()) as usize;
        let (x, y) = (self.levels[k][from], self.levels[k][to + 1 - (1 << k)]);
        if self.least { x.min(y) } else { x.max(y) }
    }
}

/// What the upsell comparison of one client reads: its line, its allowance as `num/den` of its
/// value, and the comparison's factors of the sum above, `T` and its value, `value ≥ 1` being
/// out of reach.
pub(super) struct Upsell {
    pub i: usize,
    pub allowance: (i128, i128),
    pub factors: (i128, i128, i128),
}

/// A truth along the side, from position 1: where it starts and where it changes.
struct Changes {
    first: bool,
    holds: bool,
    at: Vec<u32>,
}

impl Changes {
    /// The truth from `t` on (positions given in order).
    fn set(&mut self, t: i64, holds: bool) {
        if t <= 1 {
            (self.first, self.holds) = (holds, holds);
        } else if holds != self.holds {
            self.holds = holds;
            self.at.push(t as u32);
        }
    }
}

impl Reach {
    pub fn new(history: History, lines: &[(i128, i128)], len: i64) -> Reach {
        let runs = 0..history.from.len();
        // A line's least or greatest value over a run: at one of its ends.
        let ends = |j: u32, r: usize| {
            let (c, e) = lines[j as usize];
            let (first, last) = (c - e * history.from[r] as i128, c - e * history.end(r, len) as i128);
            (first.min(last), first.max(last))
        };
        let least_high = runs.clone().map(|r| if history.high[r] == NONE { i128::MIN } else { ends(history.high[r], r).0 }).collect();
        let most_low = runs.map(|r| if history.low[r] == NONE { i128::MAX } else { ends(history.low[r], r).1 }).collect();
        Reach { least_high: Table::new(least_high, true), most_low: Table::new(most_low, false), history }
    }

    /// The last of the runs `r..=last` from which, over positions `t..` to the end of that run
    /// (and `b` at most), `fits` holds of the table's value and the client's least and
    /// greatest value there; `None` when it does not hold over run `r`. It holds over fewer
    /// runs as they are more: a table's value only moves away from the client's.
    fn passed(&self, table: &Table, r: usize, last: usize, (t, b, len): (i64, i64, i64), v: impl Fn(i64) -> i128, fits: impl Fn(i128, i128, i128) -> bool) -> Option<usize> {
        let h = &self.history;
        let holds = |to: usize| {
            let (x, y) = (v(t), v(h.end(to, len).min(b)));
            fits(table.over(r, to), x.min(y), x.max(y))
        };
        if !holds(r) {
            return None;
        }
        let (mut good, mut step) = (r, 1);
        while good + step <= last && holds(good + step) {
            good += step;
            step *= 2;
        }
        while step > 1 {
            step /= 2;
            if good + step <= last && holds(good + step) {
                good += step;
            }
        }
        Some(good)
    }

    /// Where the client's upsell comparison changes along the side: its truth at position 1 and
    /// the positions of change. `class` is where its class comparison of B holds (after the
    /// boundary: class C), as the side's marks give it. Outside class C, or while not positive,
    /// the rules do not read it, and it is given as false there.
    pub fn changes(&self, lines: &[(i128, i128)], totals: &[i128], len: i64, u: &Upsell, class: (bool, &[u32])) -> (bool, Vec<u32>) {
        let mut out = Changes { first: false, holds: false, at: Vec::new() };
        let Some((p0, p1)) = positive_run(lines[u.i], len) else { return (false, Vec::new()) };
        let (mut in_c, marks) = class;
        let mut from = 1;
        for to in marks.iter().map(|m| *m as i64 - 1).chain([len]) {
            let (a, b) = (from.max(p0), to.min(p1));
            if in_c && a <= b {
                self.within(lines, totals, len, u, a, b, &mut out);
                if b < len {
                    out.set(b + 1, false);
                }
            }
            in_c = !in_c;
            from = to + 1;
        }
        (out.first, out.at)
    }

    /// The comparison over positions `a..=b`, where the client is positive and in class C.
    #[allow(clippy::too_many_arguments)]
    fn within(&self, lines: &[(i128, i128)], totals: &[i128], len: i64, u: &Upsell, a: i64, b: i64, out: &mut Changes) {
        let h = &self.history;
        let (num, den) = u.allowance;
        let v = |t: i64| lines[u.i].0 - lines[u.i].1 * t as i128;
        let last = h.run_at(b);
        let mut t = a;
        let mut r = h.run_at(a);
        while t <= b {
            // Runs over which the highest line after the boundary stays above `w`: out of
            // reach (`H` is the client itself nowhere there: it is not above its own `w`).
            // Runs over which the lowest before it stays at `w` or below: within reach. (A run
            // without such a line, its table value at an end of `i128`, is never passed.)
            let span = (t, b, len);
            let passed = self
                .passed(&self.least_high, r, last, span, v, |high, _, most| den.saturating_mul(high) > num * most)
                .map(|to| (to, true))
                .or_else(|| self.passed(&self.most_low, r, last, span, v, |low, least, _| den.saturating_mul(low) <= num * least).map(|to| (to, false)));
            if let Some((to, holds)) = passed {
                out.set(t, holds);
                t = h.end(to, len).min(b) + 1;
                r = to + 1;
                continue;
            }
            let end = h.end(r, len).min(b);
            self.run(lines, totals, u, r, t, end, out);
            t = end + 1;
            r += 1;
        }
    }

    /// The comparison over positions `a..=b` of run `r`, where `L`, `H` and `S` are lines.
    #[allow(clippy::too_many_arguments)]
    fn run(&self, lines: &[(i128, i128)], totals: &[i128], u: &Upsell, r: usize, a: i64, b: i64, out: &mut Changes) {
        let h = &self.history;
        let (num, den) = u.allowance;
        let (ci, ei) = lines[u.i];
        let (low, high, (cs, es)) = (h.low[r], h.high[r], h.sum[r]);
        // `den·x > num·v` of line `x`, as `α − β·t ≥ 1`.
        let beyond = |x: u32| {
            let (cx, ex) = lines[x as usize];
            (den * cx - num * ci, den * ex - num * ei)
        };
        let (k_above, k_total, k_value) = u.factors;
        let value = |t: i64| k_above * (cs - es * t as i128) - k_total * totals[t as usize] - k_value * (ci - ei * t as i128);
        let line_holds = |(alpha, beta): (i128, i128), t: i64| alpha - beta * t as i128 >= 1;
        let high_above = (high != NONE && high as usize != u.i).then(|| beyond(high));
        let low_above = (low != NONE).then(|| beyond(low));
        let holds = |t: i64| {
            high_above.is_some_and(|l| line_holds(l, t)) || (low_above.is_some_and(|l| line_holds(l, t)) && value(t) >= 1)
        };
        // Where any of the three changes; the truth is the same between. Each line's truth at
        // `a` and where it changes (shifted so that position `a` is the first).
        let (mut at, mut count) = ([a; 5], 1);
        let mut line = |l: Option<(i128, i128)>| {
            let (alpha, beta) = l?;
            let (holds, change) = switch(alpha - beta * (a - 1) as i128, beta, 1, b - a + 1);
            if let Some(c) = change {
                (at[count], count) = (c + a - 1, count + 1);
            }
            Some((holds, change.is_some()))
        };
        let (high, low) = (line(high_above), line(low_above));
        // The sum is read only where no line above `w` after the boundary settles it and the
        // lowest before it is above `w`.
        let settled = high == Some((true, false)) || low.is_none_or(|l| l == (false, false));
        if !settled {
            let (mut from, mut above) = (a, value(a) >= 1);
            while let Some(c) = first_change(value, 1, above, from, b) {
                (at[count], count) = (c, count + 1);
                (from, above) = (c, !above);
            }
        }
        let at = &mut at[..count];
        crate::core::order::sort_short(at);
        for &t in at.iter() {
            out.set(t, holds(t));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::marks::Sweep;
    use super::*;

    /// Σ max(c − e·t, 0) at each position.
    fn totals(lines: &[(i128, i128)], len: i64) -> Vec<i128> {
        (0..=len).map(|t| lines.iter().map(|(c, e)| (c - e * t as i128).max(0)).sum()).collect()
    }

    /// Out of reach of B by the definition: the sum of the other lines above `num/den` of its
    /// value exceeds `(a + b)` of the total with the allowance added.
    fn out_of_reach(lines: &[(i128, i128)], i: usize, t: i64, (num, den): (i128, i128), (ab_num, ab_den): (i128, i128), total: i128) -> bool {
        let v = |j: usize| lines[j].0 - lines[j].1 * t as i128;
        let above: i128 = (0..lines.len()).filter(|&j| j != i && den * v(j) > num * v(i)).map(v).sum();
        den * ab_den * above - ab_num * (den * total + (num - den) * v(i)) >= 1
    }

    /// Of every positive line in class C at every position, the history's reading is the
    /// definition's, on sides with many crossings, ties and lines changing sign.
    #[test]
    fn the_upsell_read_from_the_boundary_is_the_definition() {
        let mut rng = crate::core::generate::Rng::new(21);
        let mut checked = [0usize; 2];
        for round in 0..3000 {
            let n = 1 + rng.below(50) as usize;
            let len = 1 + rng.below(80) as i64;
            let scale = if round % 7 == 0 { 10i128.pow(18) } else { 1 };
            let lines: Vec<(i128, i128)> = (0..n).map(|_| ((rng.below(400) as i128 - 60) * scale, (rng.below(21) as i128 - 6) * scale)).collect();
            let totals = totals(&lines, len);
            let shares = [[(80, 100), (95, 100)], [(50, 100), (100, 100)], [(7, 10), (9, 10)]][round % 3];
            let ab = shares[1];
            let mut order: Vec<u32> = (0..n as u32).collect();
            order.sort_by_key(|&j| (std::cmp::Reverse(lines[j as usize].0 - lines[j as usize].1), j));
            let mut marks = Sweep::new(&lines, &order, len, shares, &totals, true).finish(&lines, &totals);
            let reach = Reach::new(marks.history.take().expect("kept"), &lines, len);
            for i in 0..n {
                let allowance = [(125, 100), (150, 100), (2, 1)][rng.below(3) as usize];
                let (num, den) = allowance;
                let u = Upsell { i, allowance, factors: (den * ab.1, ab.0 * den, ab.0 * (num - den)) };
                let class = marks.of(1, i);
                let (mut holds, changes) = reach.changes(&lines, &totals, len, &u, class);
                let (mut in_c, class_changes) = class;
                let (mut changes, mut class_changes) = (changes.iter().peekable(), class_changes.iter().peekable());
                for t in 1..=len {
                    if t > 1 && changes.next_if(|at| **at as i64 == t).is_some() {
                        holds = !holds;
                    }
                    if class_changes.next_if(|at| **at as i64 == t).is_some() {
                        in_c = !in_c;
                    }
                    if in_c && lines[i].0 - lines[i].1 * t as i128 > 0 {
                        let expected = out_of_reach(&lines, i, t, allowance, ab, totals[t as usize]);
                        checked[expected as usize] += 1;
                        assert_eq!(holds, expected, "round {round}, line {i} at {t} of {lines:?}, shares {shares:?}, allowance {allowance:?}");
                    }
                }
                assert!(changes.next().is_none(), "round {round}: every change on the side");
            }
        }
        assert!(checked.iter().all(|k| *k > 500), "both truths checked often: {checked:?}");
    }
}
