//! Exact ranges: one client's verdict followed along one side of a rate, position by position,
//! without judging the portfolio at each.
//!
//! On a side, a client's profit is an integer line in the position `t` (one grid step each), in
//! both windows. What its verdict reads that the rate moves (DOMAIN.md §4–§7) is a handful of
//! comparisons:
//!
//! - of lines alone: its profit against 0 in both windows, its referrals' value against its
//!   profit, its margins against each other (ageing). Each changes at most once on the side, at
//!   a position worked out exactly;
//! - of lines against the sum of the positive profits `T(t)`: its ABC class in each window (the
//!   sum ranked above it against `a·T` and `(a + b)·T`), its share against the maximum, and
//!   whether the upsell allowance would lift it into B. The sum ranked above a line changes only
//!   where another line crosses it, at positions worked out exactly; between two such positions
//!   it is a line, and `T` is convex (a sum of `max(line, 0)`), so each comparison is a concave
//!   function's sign: it changes at most twice there, at points found by bisection on `T`'s
//!   values, exact integers.
//!
//! The verdict can only change where one of those comparisons does. At each such position the
//! client is judged by the rules themselves ([`Ranked::judge`](super::super::Ranked), given the
//! classes found here); the first position with another verdict ends the range. Nothing is
//! sampled: a verdict that changes and comes back within a few grid steps is found.
//!
//! Following a comparison's crossings is most of the work, and three things spare it, none
//! sampling anything:
//!
//! - where many clients are followed, the class comparisons of all of them are found at once
//!   by one sweep of the side ([`marks`](super::marks)), and each client's are read from it;
//! - the upsell comparison of those clients is read from the side's history of the B
//!   boundary, kept by the same sweep ([`reach`](super::reach));
//! - the comparisons left are started only where the verdict depends on them: while the client
//!   is judged to its verdict whatever they say (every combination of their truths judged),
//!   only the comparisons of lines alone and the share are followed.
//!
//! The comparisons are made in integers, as [`Classes`](super::super::abc::Classes) makes them
//! in exact decimals; shares and margins are divided by the rules in decimals, which round at
//! the 28th digit, so where a comparison of those is within that of a tie, its position is
//! checked on both sides.

use rust_decimal::Decimal;

use super::line::{first_change, positive_run, switch};
use super::marks::{Marks, Sweep};
use super::reach::{Reach, Upsell};
use super::{IntLines, Judge, Side};
use crate::core::analysis::abc::AbcClass;
use crate::core::analysis::verdict::upsell_share;
use crate::core::analysis::Verdict;
use crate::core::model::{AbcBasis, Potential};

/// Sides longer than this many grid steps are searched by probes instead.
pub(super) const MAX_POSITIONS: i64 = 1 << 20;

/// A rate's lines on one side of the value set, by position `t` = 1..=`len` (grid index
/// `side.index(t)`): a profit at `t` is `(c − e·t) / 10^scale`.
pub(super) struct SideLines {
    pub len: i64,
    pub scale: u32,
    now: Vec<(i128, i128)>,
    prev: Vec<(i128, i128)>,
    /// The sum of the positive profits at each position (index `t`; 0 is unused), both windows.
    total_now: Vec<i128>,
    total_prev: Vec<i128>,
    /// Both windows' rankings at the two ends of the side.
    ends_now: Ends,
    ends_prev: Ends,
    /// Both windows' class marks, where they are swept ([`SideLines::mark`]), and the sweep
    /// under way.
    marks_now: Option<Marks>,
    marks_prev: Option<Marks>,
    marking: Option<Sweep>,
    /// The B boundary's history (this window), where it was swept: every client's upsell
    /// comparison is read from it ([`reach`](super::reach)).
    reach: Option<Reach>,
}

/// A window's ranking (value descending, then index) at both ends of a side. Two lines cross at
/// most once, so the lines that cross a client's on the side are those it ranks differently at
/// the two ends: found by comparing ranks, with no arithmetic on the lines.
struct Ends {
    /// Line indices in their order at position 1.
    first: Vec<u32>,
    /// Each line's rank at position 1, by index.
    rank_first: Vec<u32>,
    /// The rank at the last position of the line at each rank at position 1.
    last_of_first: Vec<u32>,
    rank_last: Vec<u32>,
    /// Σ of the lines ranked before each rank at position 1 (and of all, at the end).
    before: Vec<(i128, i128)>,
    /// The values in ranking order at position 1 and at the last.
    values_first: Vec<i128>,
    values_last: Vec<i128>,
}

impl Ends {
    fn new(lines: &[(i128, i128)], len: i64) -> Ends {
        let ranking = |t: i64| {
            let mut order: Vec<(std::cmp::Reverse<i128>, u32)> = lines.iter().enumerate().map(|(j, (c, e))| (std::cmp::Reverse(c - e * t as i128), j as u32)).collect();
            order.sort_unstable();
            order
        };
        let (first, last) = (ranking(1), ranking(len));
        let ranks = |order: &[(std::cmp::Reverse<i128>, u32)]| {
            let mut rank = vec![0u32; order.len()];
            for (r, (_, j)) in order.iter().enumerate() {
                rank[*j as usize] = r as u32;
            }
            rank
        };
        let (rank_first, rank_last) = (ranks(&first), ranks(&last));
        let mut before = Vec::with_capacity(lines.len() + 1);
        let mut sum = (0i128, 0i128);
        for (_, j) in &first {
            before.push(sum);
            let (c, e) = lines[*j as usize];
            sum = (sum.0 + c, sum.1 + e);
        }
        before.push(sum);
        Ends {
            last_of_first: first.iter().map(|(_, j)| rank_last[*j as usize]).collect(),
            values_first: first.iter().map(|v| v.0 .0).collect(),
            values_last: last.iter().map(|v| v.0 .0).collect(),
            first: first.into_iter().map(|(_, j)| j).collect(),
            rank_first,
            rank_last,
            before,
        }
    }
}

/// A decimal as `numerator / denominator`, both small enough for the comparisons here.
#[derive(Clone, Copy)]
struct Ratio(i128, i128);

impl Ratio {
    /// Up to 4 decimals and a million: the settings' shares and credit (DOMAIN.md §2).
    fn of(d: Decimal) -> Option<Ratio> {
        (d.scale() <= 4 && d.mantissa().abs() <= 1_000_000).then(|| Ratio(d.mantissa(), 10i128.pow(d.scale())))
    }
}

/// What the comparisons read of the settings.
pub(super) struct Rules {
    a: Ratio,
    ab: Ratio,
    max_share: Ratio,
    credit: Ratio,
    basis: AbcBasis,
}

impl Rules {
    pub fn new(s: &crate::core::model::Settings) -> Option<Rules> {
        let (a, ab) = (Ratio::of(s.a)?, Ratio::of(s.a + s.b)?);
        let ok = a.0 >= 0 && ab.0 >= 0;
        ok.then_some(Rules { a, ab, max_share: Ratio::of(s.max_share)?, credit: Ratio::of(s.referral_credit)?, basis: s.abc_basis })
    }
}

/// A line's values at the first and the last position of a side of `len`.
fn at_ends((c, e): (i128, i128), len: i64) -> (i128, i128) {
    (c - e, c - e * len as i128)
}

impl SideLines {
    /// `None` when the side is too long, or its sums could leave 128 bits.
    pub fn new(int: &IntLines, side: &Side) -> Option<SideLines> {
        let len = side.last;
        if len > MAX_POSITIONS || len < 1 {
            return None;
        }
        // Grid index m = first ± (t − 1): c − e·m = (c − e·(first ∓ 1)) ∓ e·t.
        let (offset, sign) = if side.up { (side.first - 1, 1) } else { (side.first + 1, -1) };
        let shift = |lines: &[(i128, i128)]| -> Option<Vec<(i128, i128)>> {
            lines.iter().map(|(c, e)| Some((c.checked_sub(e.checked_mul(offset as i128)?)?, e * sign))).collect()
        };
        let (now, prev) = (shift(&int.now)?, shift(&int.prev)?);
        // Every value on the side lies between its two ends. The comparisons multiply sums of
        // them by a setting's numerator or denominator (a million at most) times a small factor,
        // and the sums are read back as decimals (96 bits).
        let largest = now.iter().chain(&prev).try_fold(0i128, |m, (c, e)| Some(m.max(c.checked_abs()?).max(c.checked_sub(e.checked_mul(len as i128)?)?.checked_abs()?)))?;
        let sums = largest.checked_mul(now.len() as i128 + 2)?;
        if sums >= i128::MAX / 100_000_000 || sums >= 1 << 96 {
            return None;
        }
        Some(Self::of(now, prev, len, int.scale))
    }

    /// Both windows' lines on a side of `len` positions, ranked at its ends.
    fn of(now: Vec<(i128, i128)>, prev: Vec<(i128, i128)>, len: i64, scale: u32) -> SideLines {
        let (ends_now, ends_prev) = (Ends::new(&now, len), Ends::new(&prev, len));
        let (total_now, total_prev) = (Self::totals(&now, len), Self::totals(&prev, len));
        SideLines {
            marks_now: None,
            marks_prev: None,
            marking: None,
            reach: None,
            len,
            scale,
            total_now,
            total_prev,
            ends_now,
            ends_prev,
            now,
            prev,
        }
    }

    /// Sweeps the class marks ([`marks`](super::marks)) further, for about `work` positions
    /// and nodes played: the current window's, then the previous'. Returns whether any are
    /// left.
    pub fn mark(&mut self, rules: &Rules, work: usize) -> bool {
        let shares = [(rules.a.0, rules.a.1), (rules.ab.0, rules.ab.1)];
        let now = self.marks_now.is_none();
        let (lines, ends, totals) = if now { (&self.now, &self.ends_now, &self.total_now) } else { (&self.prev, &self.ends_prev, &self.total_prev) };
        // The upsell comparison reads the B boundary's history where a + b ≤ 1 (and not 0).
        let history = now && rules.ab.0 > 0 && rules.ab.0 <= rules.ab.1;
        let sweep = self.marking.get_or_insert_with(|| Sweep::new(lines, &ends.first, self.len, shares, totals, history));
        if sweep.advance(lines, totals, work) {
            return true;
        }
        let mut marks = self.marking.take().expect("a sweep under way").finish(lines, totals);
        if now {
            self.reach = marks.history.take().map(|h| Reach::new(h, &self.now, self.len));
            self.marks_now = Some(marks);
        } else {
            self.marks_prev = Some(marks);
        }
        now
    }

    /// Σ max(c − e·t, 0) at every position, from where each line is positive.
    fn totals(lines: &[(i128, i128)], len: i64) -> Vec<i128> {
        let n = len as usize;
        let (mut dc, mut de) = (vec![0i128; n + 2], vec![0i128; n + 2]);
        for &(c, e) in lines {
            if let Some((from, to)) = positive_run((c, e), len) {
                let (from, to) = (from as usize, to as usize);
                dc[from] += c;
                dc[to + 1] -= c;
                de[from] += e;
                de[to + 1] -= e;
            }
        }
        let (mut c, mut e) = (0i128, 0i128);
        (0..=n).map(|t| {
            c += dc[t];
            e += de[t];
            c - e * t as i128
        }).collect()
    }
}

/// The lines ranked above one line: the sum of theirs, and the positions where a line crosses
/// it (shared by the comparisons that read it, each with its own place in them).
#[derive(Clone)]
struct Above<'a> {
    lines: &'a [(i128, i128)],
    c: i128,
    e: i128,
    /// Sorted: the position in the high half, the line's index and whether it comes above
    /// (1) or goes below (0) in the low.
    changes: std::rc::Rc<Vec<u64>>,
    next: usize,
}

/// Changes put in the order of their positions (the high half), those at one position in any
/// order: a sum takes in all of a position's at once. A radix sort, a byte of the position a
/// pass, as a client's changes are many (most of the lines, at wide spans) and a comparison
/// sort of them was a good part of the work.
fn by_position(changes: &mut Vec<u64>) {
    let top = changes.iter().map(|c| c >> 32).max().unwrap_or(0);
    let mut sorted = vec![0u64; changes.len()];
    let mut shift = 32;
    while shift < 64 && top >> (shift - 32) != 0 {
        let mut at = [0usize; 257];
        for c in changes.iter() {
            at[(c >> shift & 255) as usize + 1] += 1;
        }
        for d in 0..256 {
            at[d + 1] += at[d];
        }
        for &c in changes.iter() {
            let d = (c >> shift & 255) as usize;
            sorted[at[d]] = c;
            at[d] += 1;
        }
        std::mem::swap(changes, &mut sorted);
        shift += 8;
    }
}

/// The ranks `r` whose line is before `split` at one end and not before `pivot` at the other
/// (or the other way round): 64 at a time, as a mask.
fn crossing(last_of_first: &[u32], split: usize, pivot: u32) -> Vec<usize> {
    let mut out = Vec::new();
    for (k, chunk) in last_of_first.chunks(64).enumerate() {
        let base = k * 64;
        let mut mask = 0u64;
        for (b, &last) in chunk.iter().enumerate() {
            mask |= (((base + b < split) != (last < pivot)) as u64) << b;
        }
        while mask != 0 {
            out.push(base + mask.trailing_zeros() as usize);
            mask &= mask - 1;
        }
    }
    out
}

impl<'a> Above<'a> {
    /// The lines ranked above line `i`.
    fn ranked(lines: &'a [(i128, i128)], ends: &Ends, i: usize, len: i64) -> Above<'a> {
        let (r1, rl) = (ends.rank_first[i], ends.rank_last[i]);
        let (c, e) = ends.before[r1 as usize];
        // Above at one end only: they cross it. Ranked above: a larger value, or the same with
        // a smaller index.
        let (ci, ei) = lines[i];
        let changes = crossing(&ends.last_of_first, r1 as usize, rl).into_iter().filter(|r| *r != r1 as usize).map(|r| {
            let j = ends.first[r] as usize;
            let (cj, ej) = lines[j];
            let (above, at) = switch(cj - ci, ej - ei, if j < i { 0 } else { 1 }, len);
            Self::change(at.expect("ranked differently at the two ends"), j, !above)
        });
        Above::with(lines, c, e, changes.collect())
    }

    /// The lines above `num/den` of line `i`'s value (its value plus an allowance).
    fn beyond(lines: &'a [(i128, i128)], ends: &Ends, i: usize, (num, den): (i128, i128), len: i64) -> Above<'a> {
        let (ci, ei) = lines[i];
        let (first, last) = at_ends(lines[i], len);
        let (w1, wl) = (num * first, num * last);
        // Above it: den·v > num·vᵢ, a run of the first ranks at each end.
        let p1 = ends.values_first.partition_point(|v| den * v > w1);
        let pl = ends.values_last.partition_point(|v| den * v > wl) as u32;
        let (mut c, mut e) = ends.before[p1];
        if (ends.rank_first[i] as usize) < p1 {
            (c, e) = (c - ci, e - ei);
        }
        let changes = crossing(&ends.last_of_first, p1, pl).into_iter().map(|r| ends.first[r] as usize).filter(|j| *j != i).map(|j| {
            let (cj, ej) = lines[j];
            let (above, at) = switch(den * cj - num * ci, den * ej - num * ei, 1, len);
            Self::change(at.expect("above it at one end only"), j, !above)
        });
        Above::with(lines, c, e, changes.collect())
    }

    fn change(at: i64, j: usize, comes: bool) -> u64 {
        (at as u64) << 32 | (j as u64) << 1 | comes as u64
    }

    fn with(lines: &'a [(i128, i128)], c: i128, e: i128, mut changes: Vec<u64>) -> Above<'a> {
        by_position(&mut changes);
        Above { lines, c, e, changes: changes.into(), next: 0 }
    }

    /// The next position where the sum changes.
    fn next_stop(&self) -> Option<i64> {
        self.changes.get(self.next).map(|ch| (ch >> 32) as i64)
    }

    /// Takes in the changes up to position `t`.
    fn advance(&mut self, t: i64) {
        while let Some(&ch) = self.changes.get(self.next).filter(|ch| (**ch >> 32) as i64 <= t) {
            let (c, e) = self.lines[(ch as u32 >> 1) as usize];
            if ch & 1 == 1 {
                (self.c, self.e) = (self.c + c, self.e + e);
            } else {
                (self.c, self.e) = (self.c - c, self.e - e);
            }
            self.next += 1;
        }
    }

    fn at(&self, t: i64) -> i128 {
        self.c - self.e * t as i128
    }
}

/// The comparisons with the sum of the positive profits, by their bit in a [`Signature`]:
/// each is `value ≥ threshold` of a concave value while no line crosses the one it follows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Curve {
    /// Not A: the sum ranked above reaches `a·T`.
    NowA,
    /// Not B either: it reaches `(a + b)·T`.
    NowB,
    PrevA,
    PrevB,
    /// A share over the maximum: profit / T above it.
    Share,
    /// Out of reach of B with the upsell allowance: the sum above its value plus the
    /// allowance exceeds `(a + b)·(T + allowance)`.
    Upsell,
}

impl Curve {
    /// Its bit is `value ≥ threshold`: a strict comparison of integers is `≥ 1`.
    fn threshold(self) -> i128 {
        match self {
            Curve::NowA | Curve::NowB | Curve::PrevA | Curve::PrevB => 0,
            Curve::Share | Curve::Upsell => 1,
        }
    }
}

/// The truths of every comparison at one position: the verdict depends on nothing else.
type Signature = u32;

const POSITIVE: u32 = 1 << 6;
const NOT_NEGATIVE: u32 = 1 << 7;
const PREV_POSITIVE: u32 = 1 << 8;
const COVERS_LOSS: u32 = 1 << 9;
const REFERRALS: u32 = 1 << 10;
const COVERS_PROFIT: u32 = 1 << 11;
const AGEING: u32 = 1 << 12;

/// One comparison followed along the side: its truth now, and where it changes next.
struct Timeline<'a> {
    curve: Curve,
    above: Option<Above<'a>>,
    holds: bool,
    next: Option<i64>,
    /// The lines above it follows, once started ([`Follow::start_ranked`]); `None` for those
    /// followed from the start (the share) or marked.
    run: Option<Run>,
    /// Where it changes, when the side's class marks (or the B boundary's history) tell it,
    /// and how many of those are passed.
    marks: Option<(std::borrow::Cow<'a, [u32]>, usize)>,
}

/// Which lines ranked above a client a comparison follows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Run {
    /// Those above its line, in either window.
    Now,
    Prev,
    /// Those above its value plus the upsell allowance.
    Upsell,
}

/// Rule 7: the lines above a client's value plus the upsell allowance, a share of it, are those
/// above `num/den` of its own; `None` when it has no potential.
fn allowance(standing: &crate::core::analysis::Standing) -> Option<(i128, i128)> {
    (standing.potential > Potential::None).then(|| {
        let Ratio(share, den) = Ratio::of(upsell_share(standing.potential)).expect("a share of two decimals");
        (den + share, den)
    })
}

/// One client on one side of a rate.
pub(super) struct Follow<'a, 'j> {
    lines: &'a SideLines,
    rules: &'a Rules,
    judge: &'a Judge<'j>,
    i: usize,
    /// The allowance as a multiple of the client's value, `num/den`, when it may be upsold,
    /// and the upsell comparison's factors of the sum above, `T` and the value.
    upsell: Option<(i128, i128)>,
    upsell_factors: (i128, i128, i128),
    timelines: Vec<Timeline<'a>>,
    /// The crossings of the comparisons started.
    crossed: std::cell::Cell<usize>,
    referred: Vec<usize>,
    /// Verdicts of the signatures met so far.
    seen: Vec<(Signature, Verdict)>,
    /// Judgements made.
    pub judged: usize,
}

impl<'a, 'j> Follow<'a, 'j> {
    pub fn new(judge: &'a Judge<'j>, lines: &'a SideLines, rules: &'a Rules, i: usize) -> Follow<'a, 'j> {
        let standing = &judge.standing[i];
        let mut timelines = Vec::with_capacity(6);
        // A comparison followed along the lines above (`run`), or read from marks.
        let mut follow = |curve, run: Option<Run>, marks: Option<(bool, std::borrow::Cow<'a, [u32]>)>| {
            let run = run.filter(|_| marks.is_none());
            let holds = marks.as_ref().is_some_and(|m| m.0);
            timelines.push(Timeline { curve, above: None, holds, next: None, run, marks: marks.map(|m| (m.1, 0)) })
        };
        let (mut upsell, mut upsell_factors) = (None, (0, 0, 0));
        if rules.basis == AbcBasis::Profit {
            // Each class comparison read from its marks where the side has them; else
            // following the lines above from where the verdict depends on it.
            for (now, run, a, b) in [(true, Run::Now, Curve::NowA, Curve::NowB), (false, Run::Prev, Curve::PrevA, Curve::PrevB)] {
                let marks = if now { lines.marks_now.as_ref() } else { lines.marks_prev.as_ref() };
                match marks {
                    Some(m) => {
                        for k in [0, 1] {
                            let (holds, at) = m.of(k, i);
                            follow([a, b][k], None, Some((holds, at.into())));
                        }
                    }
                    None => {
                        follow(a, Some(run), None);
                        follow(b, Some(run), None);
                    }
                }
            }
            if let Some(allowance) = allowance(standing) {
                // Σ above·den·(a + b)ᵈ − (a + b)ⁿ·(den·T + (num − den)·v), its factors multiplied once.
                let (num, den) = allowance;
                upsell_factors = (den * rules.ab.1, rules.ab.0 * den, rules.ab.0 * (num - den));
                match (&lines.reach, &lines.marks_now) {
                    (Some(reach), Some(marks)) => {
                        let u = Upsell { i, allowance, factors: upsell_factors };
                        let (holds, at) = reach.changes(&lines.now, &lines.total_now, lines.len, &u, marks.of(1, i));
                        follow(Curve::Upsell, None, Some((holds, at.into())));
                    }
                    _ => follow(Curve::Upsell, Some(Run::Upsell), None),
                }
                upsell = Some(allowance);
            }
        }
        follow(Curve::Share, None, None);
        Follow { lines, rules, judge, i, upsell, upsell_factors, timelines, crossed: Default::default(), referred: standing.referred.clone(), seen: Vec::new(), judged: 0 }
    }

    /// How many times a line crosses those followed.
    pub fn crossings(&self) -> usize {
        self.crossed.get()
    }

    fn now(&self, t: i64) -> i128 {
        let (c, e) = self.lines.now[self.i];
        c - e * t as i128
    }

    fn prev(&self, t: i64) -> i128 {
        let (c, e) = self.lines.prev[self.i];
        c - e * t as i128
    }

    /// Σ of the referred clients' profits, as a line.
    fn referrals(&self) -> (i128, i128) {
        self.referred.iter().fold((0, 0), |(c, e), &j| (c + self.lines.now[j].0, e + self.lines.now[j].1))
    }

    /// A comparison's value at `t`, with `above` as it is there.
    fn value(&self, curve: Curve, above: Option<&Above>, t: i64) -> i128 {
        let r = self.rules;
        let above = || above.expect("a comparison of ranks follows the lines above").at(t);
        let tn = self.lines.total_now[t as usize];
        let tp = self.lines.total_prev[t as usize];
        match curve {
            Curve::NowA => above() * r.a.1 - r.a.0 * tn,
            Curve::NowB => above() * r.ab.1 - r.ab.0 * tn,
            Curve::PrevA => above() * r.a.1 - r.a.0 * tp,
            Curve::PrevB => above() * r.ab.1 - r.ab.0 * tp,
            Curve::Share => self.now(t) * r.max_share.1 - r.max_share.0 * tn,
            Curve::Upsell => {
                let (k_above, k_total, k_value) = self.upsell_factors;
                k_above * above() - k_total * tn - k_value * self.now(t)
            }
        }
    }

    /// Where `timeline`'s truth changes after `t` (its truth there being known, its lines
    /// above taken in up to `t`).
    fn seek(&self, timeline: &mut Timeline<'a>, t: i64) -> Option<i64> {
        if let Some((marks, passed)) = timeline.marks.as_mut() {
            while marks.get(*passed).is_some_and(|at| *at as i64 <= t) {
                *passed += 1;
            }
            return marks.get(*passed).map(|at| *at as i64);
        }
        let len = self.lines.len;
        let (curve, threshold) = (timeline.curve, timeline.curve.threshold());
        let mut t = t;
        loop {
            let stop = timeline.above.as_ref().and_then(Above::next_stop).unwrap_or(len + 1);
            let above = timeline.above.as_ref();
            if let Some(at) = first_change(|x| self.value(curve, above, x), threshold, timeline.holds, t, stop - 1) {
                return Some(at);
            }
            if stop > len {
                return None;
            }
            if let Some(above) = timeline.above.as_mut() {
                above.advance(stop);
            }
            if (self.value(curve, timeline.above.as_ref(), stop) >= threshold) != timeline.holds {
                return Some(stop);
            }
            t = stop;
        }
    }

    /// The comparisons of lines alone, as their bit and `α − β·t ≥ τ` (strict ones `≥ 1`): its
    /// profit against 0 in both windows, and its referrals' value (credited) against its loss,
    /// against 0 and against its profit.
    fn line_comparisons(&self) -> [(u32, i128, i128, i128); 6] {
        let (c, e) = self.lines.now[self.i];
        let (cp, ep) = self.lines.prev[self.i];
        let (rc, re) = self.referrals();
        let Ratio(cn, cd) = self.rules.credit;
        [
            (POSITIVE, c, e, 1),
            (NOT_NEGATIVE, c, e, 0),
            (PREV_POSITIVE, cp, ep, 1),
            (COVERS_LOSS, cn * rc + cd * c, cn * re + cd * e, 0),
            (REFERRALS, cn * rc, cn * re, 1),
            (COVERS_PROFIT, cn * rc - cd * c, cn * re - cd * e, 0),
        ]
    }

    /// The bits of the comparisons of lines alone at `t`.
    fn line_bits(&self, t: i64) -> Signature {
        let holding = self.line_comparisons().into_iter().filter(|&(_, alpha, beta, tau)| alpha - beta * t as i128 >= tau);
        holding.fold(if self.ageing(t) { AGEING } else { 0 }, |sig, (bit, ..)| sig | bit)
    }

    fn dec(&self, v: i128) -> Decimal {
        Decimal::try_from_i128_with_scale(v, self.lines.scale).expect("checked when the lines were made")
    }

    /// The margin fell by 5 points (the terms gone sour are fixed), as the rules divide it.
    fn ageing(&self, t: i64) -> bool {
        let s = &self.judge.standing[self.i];
        let (r, r_prev) = (s.revenue_now, s.revenue_prev);
        s.terms.is_some()
            && r > Decimal::ZERO
            && r_prev > Decimal::ZERO
            && crate::core::analysis::health::margin_fell(self.dec(self.now(t)) / r, self.dec(self.prev(t)) / r_prev)
    }

    /// Positions where a comparison of lines alone changes: those worked out exactly, and each
    /// side of where the margins cross (their division rounds).
    fn line_changes(&self) -> Vec<i64> {
        let len = self.lines.len;
        let mut at: Vec<i64> = self.line_comparisons().into_iter().filter_map(|(_, alpha, beta, tau)| switch(alpha, beta, tau, len).1).collect();
        let (c, e) = self.lines.now[self.i];
        let (cp, ep) = self.lines.prev[self.i];
        let s = &self.judge.standing[self.i];
        if s.terms.is_some() && s.revenue_now > Decimal::ZERO && s.revenue_prev > Decimal::ZERO {
            use rust_decimal::prelude::ToPrimitive;
            // prev/R' − now/R, a line in t: where it crosses 0.05 (in units of 10^-scale).
            let (r, rp) = (s.revenue_now.to_f64().unwrap_or(f64::MAX), s.revenue_prev.to_f64().unwrap_or(f64::MAX));
            let unit = 10f64.powi(self.lines.scale as i32);
            let g0 = cp as f64 / rp - c as f64 / r - 0.05 * unit;
            let g1 = ep as f64 / rp - e as f64 / r;
            if g1 != 0.0 {
                let root = (g0 / g1).floor();
                if root.is_finite() && root > -2.0 && root < len as f64 + 2.0 {
                    at.extend((root as i64 - 1..=root as i64 + 2).filter(|t| (2..=len).contains(t)));
                }
            }
        }
        crate::core::order::sort_short(&mut at);
        at.dedup();
        at
    }

    /// Whether the verdict at `t` is `reference` whatever the comparisons of `free` say, the
    /// others as in `base`.
    fn holds_whatever(&mut self, t: i64, base: Signature, free: Signature, reference: Verdict) -> bool {
        let mut bits = free;
        loop {
            if self.verdict(t, base | bits) != reference {
                return false;
            }
            if bits == 0 {
                return true;
            }
            bits = (bits - 1) & free;
        }
    }

    /// Starts the comparisons that follow crossings at `t`: the lines above, as they are there
    /// (their crossings up to `t` taken in), their truth there, and where it changes next.
    fn start_ranked(&self, timelines: &mut [Timeline<'a>], t: i64) {
        let lines = self.lines;
        let mut ranked: Vec<(Run, Above<'a>)> = Vec::new();
        for tl in timelines.iter_mut() {
            let Some(run) = tl.run.take() else { continue };
            let above = match ranked.iter().find(|(r, _)| *r == run) {
                Some((_, above)) => above.clone(),
                None => {
                    let mut above = match run {
                        Run::Now => Above::ranked(&lines.now, &lines.ends_now, self.i, lines.len),
                        Run::Prev => Above::ranked(&lines.prev, &lines.ends_prev, self.i, lines.len),
                        Run::Upsell => Above::beyond(&lines.now, &lines.ends_now, self.i, self.upsell.expect("followed when it may be upsold"), lines.len),
                    };
                    above.advance(t);
                    self.crossed.set(self.crossed.get() + above.changes.len());
                    ranked.push((run, above.clone()));
                    above
                }
            };
            tl.above = Some(above);
            tl.holds = self.value(tl.curve, tl.above.as_ref(), t) >= tl.curve.threshold();
            tl.next = self.seek(tl, t);
        }
    }

    /// The verdict of signature `sig` at `t`, judged by the rules with the classes it gives.
    fn verdict(&mut self, t: i64, sig: Signature) -> Verdict {
        if let Some(&(_, v)) = self.seen.iter().find(|s| s.0 == sig) {
            return v;
        }
        self.judged += 1;
        let bit = |curve: Curve| sig & (1 << curve as u32) != 0;
        let class = |positive: u32, a: Curve, b: Curve| {
            if sig & positive == 0 || bit(b) {
                AbcClass::C
            } else if bit(a) {
                AbcClass::B
            } else {
                AbcClass::A
            }
        };
        let profit_basis = self.rules.basis == AbcBasis::Profit;
        let given = super::Given {
            now: self.dec(self.now(t)),
            prev: self.dec(self.prev(t)),
            total_now: self.dec(self.lines.total_now[t as usize]),
            total_prev: self.dec(self.lines.total_prev[t as usize]),
            classes: profit_basis.then(|| (class(POSITIVE, Curve::NowA, Curve::NowB), class(PREV_POSITIVE, Curve::PrevA, Curve::PrevB))),
            // Within reach of B: what it takes is at most the allowance (0 stands for that).
            upsell: (self.upsell.is_some() && sig & POSITIVE != 0 && !bit(Curve::Upsell)).then_some(Decimal::ZERO),
            referred: self.referred.iter().map(|&j| (j, self.dec(self.lines.now[j].0 - self.lines.now[j].1 * t as i128))).collect(),
        };
        let v = self.judge.verdict_given(self.i, given);
        self.seen.push((sig, v));
        v
    }

    /// The last position at which the verdict is still `reference` (0: the value set itself),
    /// `None` when it holds to the end of the side.
    ///
    /// The comparisons that follow crossings are started only where the verdict depends on
    /// them: while it is `reference` whatever they say (a dormant client's, say, or a loss
    /// maker's in both windows), only the others are followed.
    pub fn bound(&mut self, reference: Verdict) -> Option<i64> {
        let mut timelines = std::mem::take(&mut self.timelines);
        for tl in &mut timelines {
            if tl.marks.is_some() {
                tl.next = self.seek(tl, 1);
            } else if tl.run.is_none() {
                tl.holds = self.value(tl.curve, tl.above.as_ref(), 1) >= tl.curve.threshold();
                tl.next = self.seek(tl, 1);
            }
        }
        let signature = |timelines: &[Timeline<'a>], lines: Signature| {
            timelines.iter().filter(|tl| tl.holds).fold(lines, |sig, tl| sig | 1 << tl.curve as u32)
        };
        // The bits of the comparisons not started yet.
        let mut free: Signature = timelines.iter().filter(|tl| tl.run.is_some()).fold(0, |sig, tl| sig | 1 << tl.curve as u32);
        let mut lines = self.line_bits(1);
        let changes = self.line_changes();
        let mut changes = changes.into_iter().peekable();
        let mut t = 1;
        let found = loop {
            if free != 0 {
                let base = signature(&timelines, lines);
                if !self.holds_whatever(t, base, free, reference) {
                    self.start_ranked(&mut timelines, t);
                    free = 0;
                }
            }
            if free == 0 && self.verdict(t, signature(&timelines, lines)) != reference {
                break Some(t - 1);
            }
            // The next position where any comparison changes.
            let Some(next) = timelines.iter().filter_map(|tl| tl.next).chain(changes.peek().copied()).min() else { break None };
            t = next;
            for tl in timelines.iter_mut().filter(|tl| tl.next == Some(t)) {
                tl.holds = !tl.holds;
                tl.next = self.seek(tl, t);
            }
            if changes.next_if_eq(&t).is_some() {
                lines = self.line_bits(t);
            }
        };
        self.timelines = timelines;
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Changes come out in the order of their positions, every one kept.
    #[test]
    fn changes_are_put_in_the_order_of_their_positions() {
        let mut rng = crate::core::generate::Rng::new(3);
        for n in [0usize, 1, 2, 17, 300, 5000] {
            for top in [1u64, 255, 256, 70_000, 1 << 20] {
                let mut changes: Vec<u64> = (0..n).map(|_| (rng.below(top + 1) as u64) << 32 | rng.below(1 << 20) as u64).collect();
                let mut expected = changes.clone();
                by_position(&mut changes);
                assert!(changes.windows(2).all(|w| w[0] >> 32 <= w[1] >> 32), "{n} changes up to {top}");
                changes.sort_unstable();
                expected.sort_unstable();
                assert_eq!(changes, expected, "{n} changes up to {top}: the same ones");
            }
        }
    }

    /// The sum of positive profits at each position is the sum of `max(line, 0)` there.
    #[test]
    fn totals_are_the_positive_parts_summed() {
        let lines = [(10i128, 3i128), (-5, -2), (7, 0), (-1, 0), (0, -1), (100, 50)];
        let totals = SideLines::totals(&lines, 8);
        for t in 1..=8i64 {
            let expected: i128 = lines.iter().map(|(c, e)| (c - e * t as i128).max(0)).sum();
            assert_eq!(totals[t as usize], expected, "at {t}");
        }
    }
}
