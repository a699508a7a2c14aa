//! ABC: contribution to profit (DOMAIN.md §4), decided exactly in Decimal.

use std::fmt;

use rust_decimal::Decimal;

/// A client's ABC class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AbcClass {
    A,
    B,
    C,
}

impl AbcClass {
    pub const ALL: [AbcClass; 3] = [AbcClass::A, AbcClass::B, AbcClass::C];
    pub fn as_str(self) -> &'static str {
        match self {
            AbcClass::A => "A",
            AbcClass::B => "B",
            AbcClass::C => "C",
        }
    }
}

impl fmt::Display for AbcClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One client's place in the ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct AbcResult {
    pub class: AbcClass,
    /// `value / T`, negative for loss-makers; `None` when no client has a positive value.
    pub share: Option<Decimal>,
    /// Share of everything ranked above it plus itself (in the whale order: positives first).
    pub cumulative: Option<Decimal>,
    /// 1-based rank by value descending, ties by id.
    pub rank: usize,
}

/// The ranking order of DOMAIN.md §4: value descending, ties by id ascending (ids are unique,
/// so the order is total and an unstable sort gives the same).
pub fn order(values: &[(&str, Decimal)]) -> Vec<usize> {
    // Decimals of different scales compare by rescaling, at every comparison. Brought to one
    // scale first, they compare as integers, exactly; and when the ids come in order (as an
    // analysis lists its clients), a tie is settled by position. Sorting 100,000 clients so
    // takes a fraction of the time.
    let scale = values.iter().map(|v| v.1.scale()).max().unwrap_or(0);
    let mantissas: Option<Vec<i128>> = values
        .iter()
        .map(|v| {
            let mut d = v.1;
            d.rescale(scale);
            (d.scale() == scale).then(|| d.mantissa())
        })
        .collect();
    let ids_in_order = values.windows(2).all(|w| w[0].0 < w[1].0);
    match mantissas {
        Some(m) if ids_in_order => {
            let mut keyed: Vec<(std::cmp::Reverse<i128>, usize)> = m.into_iter().map(std::cmp::Reverse).zip(0..).collect();
            keyed.sort_unstable();
            keyed.into_iter().map(|(_, i)| i).collect()
        }
        // Ids out of order, or values too far apart in scale to share one: rare, so the one
        // shared sort serves.
        _ => {
            let mut idx: Vec<usize> = (0..values.len()).collect();
            crate::core::order::positions(&mut idx, &|i, j| values[j].1.cmp(&values[i].1).then_with(|| values[i].0.cmp(values[j].0)));
            idx
        }
    }
}

/// Classifies every client by its basis value (results in input order).
///
/// Clients with value ≤ 0 are C. Of the others, the k-th is A while the sum of the values
/// above it is below `a × T`, B while it is below `(a + b) × T`, else C; so the top client is
/// always A.
pub fn classify(values: &[(&str, Decimal)], a: Decimal, b: Decimal) -> Vec<AbcResult> {
    let classes = Classes::new(values, &order(values), a, b);
    values.iter().enumerate().map(|(i, v)| classes.result(i, v.1)).collect()
}

/// Every client's class and rank from the values' [`order`], in one pass of sums and
/// comparisons (one sort serves the classes, the [`Ranking`] and the lists). A client's shares,
/// which take two divisions, are worked out when it is read ([`Classes::result`]).
pub struct Classes {
    total: Decimal,
    /// By input: class, 1-based rank, and the sum of its value and of those ranked above.
    ranked: Vec<(AbcClass, usize, Decimal)>,
}

impl Classes {
    pub fn new(values: &[(&str, Decimal)], order: &[usize], a: Decimal, b: Decimal) -> Classes {
        let total: Decimal = values.iter().map(|v| v.1).filter(|v| *v > Decimal::ZERO).sum();
        let (a_total, ab_total) = (a * total, (a + b) * total);
        let mut ranked = vec![(AbcClass::C, 0, Decimal::ZERO); values.len()];
        let mut above = Decimal::ZERO;
        for (rank, &i) in order.iter().enumerate() {
            let value = values[i].1;
            let class = if value <= Decimal::ZERO {
                AbcClass::C
            } else if above < a_total {
                AbcClass::A
            } else if above < ab_total {
                AbcClass::B
            } else {
                AbcClass::C
            };
            above += value;
            ranked[i] = (class, rank + 1, above);
        }
        Classes { total, ranked }
    }

    /// Classes of some clients only, worked out elsewhere: by input, class, 1-based rank and the
    /// sum of its value and those ranked above (the others are left C with rank 0).
    pub(crate) fn of_some(total: Decimal, ranked: Vec<(AbcClass, usize, Decimal)>) -> Classes {
        Classes { total, ranked }
    }

    /// What [`Classes::of_some`] was given, to use again.
    pub(crate) fn into_ranked(self) -> Vec<(AbcClass, usize, Decimal)> {
        self.ranked
    }

    pub fn class(&self, i: usize) -> AbcClass {
        self.ranked[i].0
    }

    /// Whether any client is C.
    pub fn any_c(&self) -> bool {
        self.ranked.iter().any(|r| r.0 == AbcClass::C)
    }

    /// Input `i`'s place in the ranking; `value` is its value.
    pub fn result(&self, i: usize, value: Decimal) -> AbcResult {
        let (class, rank, above) = self.ranked[i];
        let has_total = self.total > Decimal::ZERO;
        AbcResult { class, share: has_total.then(|| value / self.total), cumulative: has_total.then(|| above / self.total), rank }
    }
}

/// The ranking of the positive values, kept to answer "what would it take to reach B" for
/// every client in O(log n) each.
pub struct Ranking {
    /// Position of each input in the ranking order.
    position: Vec<usize>,
    /// Positive values in ranking order.
    sorted: Vec<Decimal>,
    /// `prefix[j]` = sum of the first `j` sorted values.
    prefix: Vec<Decimal>,
    total: Decimal,
    /// The rank of `sorted[0]` (and of `prefix[0]`): 0 but in a [`Ranking::window`].
    offset: usize,
}

/// A [`Ranking::window`] does not reach far enough up for the client asked of.
#[derive(Debug, PartialEq, Eq)]
pub struct OutOfWindow;

impl Ranking {
    pub fn new(values: &[(&str, Decimal)]) -> Ranking {
        Ranking::in_order(values, &order(values))
    }

    /// [`Ranking::new`] with the values' [`order`] already sorted.
    pub fn in_order(values: &[(&str, Decimal)], order: &[usize]) -> Ranking {
        let mut position = vec![0; values.len()];
        for (pos, &i) in order.iter().enumerate() {
            position[i] = pos;
        }
        let sorted: Vec<Decimal> = order.iter().map(|&i| values[i].1).take_while(|v| *v > Decimal::ZERO).collect();
        let mut prefix = Vec::with_capacity(sorted.len() + 1);
        prefix.push(Decimal::ZERO);
        for v in &sorted {
            let last = prefix[prefix.len() - 1];
            prefix.push(last + *v);
        }
        let total = prefix[prefix.len() - 1];
        Ranking { position, sorted, prefix, total, offset: 0 }
    }

    /// The part of a ranking just above one client, for [`Ranking::needed_at`]: of the `rank`
    /// values above it (summing to `above`, of a positive `total`), the nearest, largest first.
    /// What it takes to reach B is found in it when the client would not climb past them all.
    pub fn window(total: Decimal, above: Decimal, nearest: Vec<Decimal>, rank: usize) -> Ranking {
        let mut prefix = Vec::with_capacity(nearest.len() + 1);
        prefix.push(above - nearest.iter().copied().sum::<Decimal>());
        for v in &nearest {
            let last = prefix[prefix.len() - 1];
            prefix.push(last + *v);
        }
        Ranking { position: Vec::new(), offset: rank - nearest.len(), sorted: nearest, prefix, total }
    }

    /// The smallest increase `D` of input `index`'s value after which, the others unchanged and
    /// the total grown by `D`, the values ranked above it sum to less than `(a + b)` of the total
    /// (DOMAIN.md §7 "profit needed to reach B"). The infimum: at exactly `D` the client is on
    /// the boundary. `None` for a value ≤ 0.
    pub fn needed_for_b(&self, values: &[(&str, Decimal)], index: usize, a: Decimal, b: Decimal) -> Option<Decimal> {
        self.needed_at(values[index].1, self.position[index], a, b).expect("a whole ranking reaches the top")
    }

    /// [`Ranking::needed_for_b`] of a client of value `v` at 0-based rank `r`.
    pub fn needed_at(&self, v: Decimal, r: usize, a: Decimal, b: Decimal) -> Result<Option<Decimal>, OutOfWindow> {
        let ab = a + b;
        if v <= Decimal::ZERO || ab <= Decimal::ZERO {
            return Ok(None);
        }
        // The others above it now are sorted[..r]. With j of them still above (after climbing
        // past the rest), the condition `prefix[j] < ab × (T + D)` holds for D > prefix[j]/ab − T,
        // and being below only j of them needs D ≥ sorted[j] − v. Segments in increasing D are
        // j = r, r−1, …, 0; the answer lies in the first whose threshold is reached before the
        // segment ends (D < sorted[j−1] − v). That test only gets easier as j falls, so the
        // segment is found by bisection (in a window, among the j it holds).
        let o = self.offset;
        let sorted = |j: usize| self.sorted[j - o];
        let climb = |j: usize| if j == r { Decimal::ZERO } else { (sorted(j) - v).max(Decimal::ZERO) };
        let threshold = |j: usize| (self.prefix[j - o] / ab - self.total).max(Decimal::ZERO);
        let reachable = |j: usize| j == 0 || threshold(j) <= sorted(j - 1) - v;
        let first = if o == 0 { 0 } else { o + 1 };
        if first > r || !reachable(first) {
            return Err(OutOfWindow);
        }
        let (mut lo, mut hi) = (first, r);
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if reachable(mid) { lo = mid } else { hi = mid - 1 }
        }
        Ok(Some(climb(lo).max(threshold(lo))))
    }
}

/// [`Ranking::needed_for_b`] for one client (builds the ranking; use a [`Ranking`] for many).
pub fn needed_for_b(values: &[(&str, Decimal)], index: usize, a: Decimal, b: Decimal) -> Option<Decimal> {
    Ranking::new(values).needed_for_b(values, index, a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    #[test]
    fn boundaries_are_exact_and_ties_go_by_id() {
        // T = 100: before = 0, 50, 75 (= a·T exactly: not A), 95 (= (a+b)·T: not B).
        let values = [("c", d(25)), ("a", d(50)), ("b", d(20)), ("d", d(5)), ("e", d(0)), ("f", d(-3))];
        let classes: Vec<AbcClass> = classify(&values, Decimal::new(75, 2), Decimal::new(20, 2)).iter().map(|r| r.class).collect();
        use AbcClass::*;
        assert_eq!(classes, [A, A, B, C, C, C]);
        // A tie: the smaller id ranks first.
        let tie = [("y", d(50)), ("x", d(50))];
        let r = classify(&tie, Decimal::new(50, 2), Decimal::new(20, 2));
        assert_eq!((r[1].rank, r[1].class, r[0].rank, r[0].class), (1, A, 2, B));
    }

    #[test]
    fn the_top_client_is_always_a() {
        let r = classify(&[("only", d(1))], Decimal::new(1, 2), Decimal::ZERO);
        assert_eq!(r[0].class, AbcClass::A);
        assert_eq!(r[0].share, Some(Decimal::ONE));
    }

    /// The definition, checked by brute force: a step below the answer leaves the client in C,
    /// a step above makes it B.
    #[test]
    fn needed_for_b_matches_the_definition_on_many_rankings() {
        let mut rng = crate::core::generate::Rng::new(9);
        let (a, b) = (Decimal::new(75, 2), Decimal::new(20, 2));
        let eps = Decimal::new(1, 6);
        for _ in 0..300 {
            let n = 2 + rng.below(12) as usize;
            let ids: Vec<String> = (0..n).map(|i| format!("c{i:02}")).collect();
            let vals: Vec<Decimal> = (0..n).map(|_| Decimal::from(rng.below(100) as i64 - 10)).collect();
            let values: Vec<(&str, Decimal)> = ids.iter().map(String::as_str).zip(vals.iter().copied()).collect();
            let ranking = Ranking::new(&values);
            for i in 0..n {
                let Some(need) = ranking.needed_for_b(&values, i, a, b) else {
                    assert!(values[i].1 <= Decimal::ZERO);
                    continue;
                };
                let class_with = |delta: Decimal| {
                    let mut grown = values.clone();
                    grown[i].1 += delta;
                    classify(&grown, a, b)[i].class
                };
                assert_ne!(class_with(need + eps), AbcClass::C, "{values:?} #{i} need {need}");
                if need > eps {
                    assert_eq!(class_with(need - eps), AbcClass::C, "{values:?} #{i} need {need}");
                }
            }
        }
    }

    #[test]
    fn needed_for_b_is_the_boundary() {
        let a = Decimal::new(75, 2);
        let b = Decimal::new(20, 2);
        // Others above sum to 96 of T = 100: need 96 < 0.95 × (100 + D) → D > 1.0526…
        let values = [("big", d(96)), ("small", d(4))];
        let need = needed_for_b(&values, 1, a, b).unwrap();
        assert_eq!(need.round_dp(6), Decimal::new(1052632, 6));
        // Just above the infimum the client is B, just below it is C.
        for (delta, class) in [(need + Decimal::new(1, 6), AbcClass::B), (need - Decimal::new(1, 6), AbcClass::C)] {
            let grown = [("big", d(96)), ("small", d(4) + delta)];
            assert_eq!(classify(&grown, a, b)[1].class, class, "delta {delta}");
        }
        // Already B or better: nothing needed.
        assert_eq!(needed_for_b(&values, 0, a, b), Some(Decimal::ZERO));
        // Climbing past others can be the cheaper way.
        let many = [("a", d(40)), ("b", d(30)), ("c", d(29)), ("d", d(1))];
        let need = needed_for_b(&many, 3, a, b).unwrap();
        let grown = [("a", d(40)), ("b", d(30)), ("c", d(29)), ("d", d(1) + need + Decimal::new(1, 9))];
        assert_eq!(classify(&grown, a, b)[3].class, AbcClass::B);
        let short = [("a", d(40)), ("b", d(30)), ("c", d(29)), ("d", d(1) + need - Decimal::new(1, 6))];
        assert_eq!(classify(&short, a, b)[3].class, AbcClass::C);
    }

    /// The ranking order with values brought to one scale is the order of the definition
    /// (value descending, id ascending): values of mixed scales and signs, many ties, ids in
    /// order or not; and with a value too precise to rescale, the comparison is used as it is.
    #[test]
    fn the_order_is_value_descending_then_id_whatever_the_scales() {
        let mut seed = 7u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            seed >> 33
        };
        for round in 0..200 {
            let n = (next() % 40) as usize;
            let ids: Vec<String> = (0..n).map(|i| if round % 2 == 0 { format!("C{i:03}") } else { format!("C{}", next() % 1000) }).collect();
            let mut values: Vec<(&str, Decimal)> = ids
                .iter()
                .map(|id| (id.as_str(), Decimal::new(next() as i64 % 50 - 25, (next() % 4) as u32)))
                .collect();
            if round % 5 == 0 && n > 0 {
                values[0].1 = Decimal::from_i128_with_scale(10i128.pow(27), 0);
                values[n - 1].1 = Decimal::new(1, 28);
            }
            values.dedup_by(|a, b| a.0 == b.0);
            let mut expected: Vec<usize> = (0..values.len()).collect();
            expected.sort_by(|&i, &j| values[j].1.cmp(&values[i].1).then_with(|| values[i].0.cmp(values[j].0)));
            assert_eq!(order(&values), expected, "round {round}");
        }
    }
}
